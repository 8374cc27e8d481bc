## Vnos števnega stanja (src/web/reading_entry.rs)

reading-entry-title = Vnos števnega stanja
reading-entry-point = Odjemno mesto:
reading-entry-no-meter = Odjemno mesto nima števca.
reading-entry-meter = Števec
# $serial: številka števca; $installed: datum vgradnje
reading-entry-meter-label = Števec { $serial } (vgrajen { $installed })
reading-entry-meter-missing = Izberite števec, ki ste ga odčitali.
reading-entry-date = Datum odčitka
reading-entry-date-invalid = Datum odčitka vpišite kot dan, mesec in leto, na primer 31. 1. 2024.
# $from_day, $to_day: dneva v mesecu
reading-entry-window = Odčitke sprejemamo od { $from_day }. do { $to_day }. dne v mesecu.
reading-entry-value = Števno stanje
reading-entry-value-hint = V kubičnih metrih (m³), kot ga kaže števec; decimalke ločite z vejico ali piko, na primer 1234,567.
reading-entry-submit = Oddaj odčitek
reading-entry-confirm-title = Poraba je precej višja od običajne.
reading-entry-confirm = Potrjujem odčitek
reading-entry-history-title = Dosedanji odčitki
reading-entry-last = Zadnji odčitek
# $value: stanje; $date: datum; $source: kdo je odčital
reading-entry-last-value = { $value } dne { $date } ({ $source })
reading-entry-estimate = Novejša ocena
reading-entry-estimate-hint = Ocenjeno stanje je lahko višje od dejanskega, zato vaš odčitek primerjamo z zadnjim pravim odčitkom.
reading-entry-usual = Običajna dnevna poraba
reading-entry-none = ni podatka
reading-entry-submissions-title = Oddani odčitki
reading-entry-submissions-none = Odčitkov še niste oddali.
reading-entry-status = Stanje obdelave
reading-entry-status-submitted = oddano
reading-entry-status-exported = posredovano v obračun
reading-entry-status-accepted = sprejeto
reading-entry-status-replaced = nadomeščeno z novejšim
reading-entry-status-rejected = zavrnjeno
# $consumption: poraba; $last_date: datum zadnjega odčitka
reading-entry-since-last = Poraba od zadnjega odčitka ({ $last_date }): { $consumption }.
reading-entry-mail-subject = Prejeli smo vaš odčitek
# $value, $date, $meter
reading-entry-mail-reading = Prejeli smo števno stanje { $value } na dan { $date } za števec { $meter }.
reading-entry-mail-action = Oglejte si odčitek
reading-entry-mail-after = Odčitek bomo upoštevali pri naslednjem obračunu. Če ga niste oddali vi, nas pokličite.

reading-submitted-title = Odčitek je oddan
reading-submitted-lead = Hvala, vaš odčitek smo prejeli.
reading-submitted-consumption = Poraba
reading-submitted-cost-label = Ocena stroška
# $cost: znesek z DDV
reading-submitted-cost = približno { $cost } z DDV po današnjih cenah storitev, ki se obračunajo po m³ (le ocena; znesek na računu je lahko drugačen)
reading-submitted-back = Nazaj na vnos števnega stanja
reading-rejected-mail-subject = Vaš odčitek ni bil upoštevan
reading-rejected-mail-reading = Števnega stanja { $value } na dan { $date } za števec { $meter } pri obračunu nismo mogli upoštevati.
reading-rejected-mail-reason = Razlog: { $code }. { $reason }
reading-rejected-mail-after = Če menite, da je stanje pravilno, nam pišite ali nas pokličite. Novo stanje lahko vnesete v ePortalu.
reading-reason-less_than_previous = stanje je nižje od prejšnjega odčitka
reading-reason-greater_than_subsequent = stanje je višje od poznejšega odčitka
reading-reason-implausible = stanje ni verjetno
reading-reason-meter_removed = števec je bil takrat že odstranjen
reading-reason-duplicate = odčitek za ta dan že imamo
reading-reason-other = drug razlog

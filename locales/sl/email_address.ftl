## The e-mail address: entered at first sign-in (src/web/email.rs) and confirmed by a link
## (src/web/email_confirm.rs).

email-empty = Vpišite elektronski naslov.
email-invalid = Elektronski naslov ni pravilen. Vpišite ga v obliki ime@domena.si.
email-field = Elektronski naslov
email-title = Elektronski naslov
# The manual's sentence.
email-lead = Ob prvi prijavi morate vnesti elektronski naslov.
email-hint = Na ta naslov vam bomo poslali povezavo za potrditev. Nanj boste prejemali tudi sporočila ePortala.
email-submit = Potrdi
email-too-many = V zadnji uri smo vam poslali že več povezav. Poiščite zadnje sporočilo ali poskusite znova čez eno uro.
email-sent = Poslali smo povezavo na { $email }; kliknite jo, da potrdite naslov.
email-sent-check = Povezava velja 48 ur. Sporočilo običajno prispe v nekaj minutah; če ga ne najdete, poglejte tudi med neželeno pošto. Ko naslov potrdite, lahko uporabljate ePortal.
email-again-title = Niste prejeli sporočila?
email-again-text = Preverite naslov in ga po potrebi popravite. Povezavo vam bomo poslali znova; prejšnja ne bo več veljala.
email-send-again = Pošlji povezavo znova

email-confirm-title = Potrditev elektronskega naslova
email-confirm-lead = Potrdite, da je to vaš elektronski naslov za ePortal.
email-confirm-submit = Potrdi elektronski naslov
email-confirm-link-expired = Povezava za potrditev elektronskega naslova velja 48 ur. Ta je že potekla, zato naslov ni bil potrjen. Prijavite se na ePortal in zahtevajte novo.
email-confirm-link-used = Vsaka povezava deluje le enkrat, ta pa je že bila uporabljena ali pa ste medtem zahtevali novejšo.
email-confirm-to-portal = Na ePortal
email-confirm-mail-subject = Potrdite elektronski naslov za ePortal
email-confirm-mail-text = Ta naslov je bil vpisan na ePortalu za uporabniško ime { $code }. Potrdite ga s spodnjo povezavo: na strani, ki se odpre, pritisnite gumb »Potrdi elektronski naslov«.
email-confirm-mail-action = Potrdite elektronski naslov
email-confirm-mail-valid = Povezava velja 48 ur.
email-confirm-mail-not-you = Če naslova niste vpisali vi, to sporočilo prezrite; naslov ne bo potrjen.
email-changed-mail-subject = Vaš elektronski naslov na ePortalu je bil spremenjen
email-changed-mail-text = Elektronski naslov za uporabniško ime { $code } na ePortalu je zdaj { $email }. Na ta naslov sporočil ePortala ne bomo več pošiljali.

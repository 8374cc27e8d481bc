## "Zahtevek za uporabo ePortala" (SPEC §3.6): src/web/access_request.rs. Labels are the
## manual's.

access-request-title = Zahtevek za uporabo ePortala
access-request-lead = Če registracije ne morete opraviti (na primer nimate še računa, ne najdete šifre plačnika ali se davčna številka ne ujema), nam pošljite zahtevek za uporabo ePortala.
access-request-then = Na vaš elektronski naslov vam pošljemo uporabniško ime in kontrolno številko, ki sta potrebni za registracijo.
access-request-full-name = Ime in priimek
access-request-full-name-hint = Ali naziv podjetja, kot je na pogodbi.
access-request-address = Naslov
access-request-address-hint = Ulica, hišna številka in kraj.
access-request-point-code = Oznaka odjemnega mesta
access-request-point-code-hint = Izpisana je v Pogodbi o dostopu oziroma na računu.
access-request-tax-number = Davčna številka
access-request-tax-number-hint = 8 števk, oznako SI lahko izpustite.
access-request-email = Elektronski naslov
access-request-email-hint = Na ta naslov vam odgovorimo.
access-request-submit = Pošlji zahtevek
access-request-register-instead = Imate račun s šifro plačnika?
access-request-register-link = Registracija za nove uporabnike

access-request-full-name-empty = Vpišite ime in priimek.
access-request-address-empty = Vpišite naslov.
access-request-point-code-empty = Vpišite oznako odjemnega mesta.
access-request-too-long = Besedilo je predolgo: vpišite največ { $max } znakov.
access-request-tax-number-empty = Vpišite davčno številko.
access-request-tax-number-format = Davčna številka ima 8 števk, prva ni 0.
access-request-tax-number-check = Davčna številka ni pravilna: zadnja, kontrolna števka se ne ujema. Preverite jo.
access-request-email-empty = Vpišite elektronski naslov, na katerega vam odgovorimo.
access-request-email-invalid = Elektronski naslov ni pravilen. Vpišite ga v obliki ime@domena.si.
access-request-captcha-wrong = Znaki iz slike se ne ujemajo. Prepišite znake z nove slike.
access-request-too-many = Z vašega omrežja je bilo v zadnji uri poslanih preveč zahtevkov. Poskusite znova čez eno uro ali nas pokličite.

access-request-sent-title = Hvala, zahtevek smo prejeli
access-request-sent-lead = Potrditev smo poslali na naslov { $email }.
access-request-sent-next = Zahtevek bomo pregledali in vam na isti naslov poslali uporabniško ime in kontrolno številko. Z njima se registrirate v ePortal.
access-request-sent-help = Če potrebujete pomoč, nas v uradnih urah pokličite na
access-request-sent-home = Na začetno stran

access-request-mail-subject = Prejeli smo vaš zahtevek za uporabo ePortala
access-request-mail-received = Prejeli smo vaš zahtevek za uporabo ePortala s temi podatki:
access-request-mail-field = { $label }: { $value }
access-request-mail-next = Ko zahtevek pregledamo, vam na ta elektronski naslov pošljemo uporabniško ime in kontrolno številko, s katerima se registrirate v ePortal (Registracija za nove uporabnike).
access-request-mail-not-you = Če zahtevka niste poslali vi, sporočila ne upoštevajte.

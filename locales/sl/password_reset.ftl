## "Pozabljeno geslo" (src/web/password_forgot.rs) and the page its link opens
## (src/web/password_reset.rs).

password-forgot-title = Pozabljeno geslo
password-forgot-lead = Vpišite uporabniško ime ali elektronski naslov. Na elektronski naslov računa vam bomo poslali povezavo, s katero si nastavite novo geslo.
password-forgot-username = Uporabniško ime ali elektronski naslov
password-forgot-username-hint = Uporabniško ime je šifra plačnika z računa.
password-forgot-submit = Pošlji povezavo
password-forgot-username-missing = Vpišite uporabniško ime ali elektronski naslov.
password-forgot-too-many = Iz vašega omrežja smo v zadnji uri prejeli preveč zahtev za novo geslo. Poskusite znova čez eno uro.
# The same words whether or not the account exists.
password-forgot-sent = Če račun obstaja, smo na njegov elektronski naslov poslali povezavo za novo geslo. Povezava velja eno uro.
password-forgot-sent-check = Sporočilo običajno prispe v nekaj minutah. Če ga ne najdete, poglejte tudi med neželeno pošto.
password-forgot-back = Nazaj na prijavo
password-forgot-again = Pošlji novo zahtevo
password-forgot-help-title = Ne morete prejeti sporočila?
password-forgot-help-text = Če nimate več dostopa do elektronskega naslova, ki ste ga uporabljali na ePortalu, nas v uradnih urah pokličite na
password-forgot-mail-subject = Novo geslo za ePortal
password-forgot-mail-text = Prejeli smo zahtevo za novo geslo za uporabniško ime { $code } na ePortalu. Novo geslo si nastavite na strani, ki jo odpre spodnja povezava.
password-forgot-mail-action = Nastavite novo geslo
password-forgot-mail-valid = Povezava velja eno uro in jo lahko uporabite le enkrat.
password-forgot-mail-not-you = Če novega gesla niste zahtevali vi, to sporočilo prezrite: vaše geslo ostane nespremenjeno.

password-reset-title = Novo geslo
password-reset-lead = Izberite novo geslo za ePortal. Ko ga shranite, boste odjavljeni povsod, kjer ste bili prijavljeni.
password-reset-new = Novo geslo
password-reset-new-hint = Vsaj 8 znakov, od tega vsaj ena velika črka.
password-reset-repeat = Ponovi novo geslo
password-reset-submit = Shrani
password-reset-missing = Vpišite novo geslo.
password-reset-repeat-missing = Novo geslo vpišite še enkrat.
password-reset-repeat-differs = Gesli se ne ujemata. Novo geslo vpišite še enkrat enako.
password-reset-rules-title = Kakšno naj bo geslo
password-reset-rule-length = vsaj 8 znakov,
password-reset-rule-upper = vsaj ena velika črka (štejejo tudi Č, Š in Ž),
password-reset-rule-common = ne eno od pogosto uporabljenih gesel,
password-reset-rule-personal = ne sestavljeno iz šifre plačnika, imena ali elektronskega naslova.
password-reset-rule-sessions = Po spremembi gesla se boste morali znova prijaviti na vseh napravah.
password-reset-link-expired = Povezava za novo geslo velja eno uro. Ta je že potekla, zato vaše geslo ni bilo spremenjeno.
password-reset-link-used = Vsaka povezava deluje le enkrat, ta pa je že bila uporabljena ali pa ste medtem zahtevali novejšo. Če gesla še niste spremenili, zahtevajte novo povezavo.
password-reset-ask-again = Zahtevajte novo povezavo
password-reset-mail-subject = Vaše geslo je bilo spremenjeno
password-reset-mail-text = Vaše geslo za ePortal (uporabniško ime { $code }) je bilo spremenjeno. Čas spremembe: { $when }.
password-reset-mail-sessions = Zaradi varnosti smo vas odjavili na vseh napravah. Prijavite se z novim geslom.

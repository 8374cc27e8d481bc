## "Registracija za nove uporabnike" (SPEC §3.1) and activation (§3.2): src/web/register.rs,
## src/web/activation.rs. Labels are the manual's.

register-title = Registracija za nove uporabnike
register-lead = Vpišite podatke, ki jih najdete na prejetem računu. Nato vam na elektronski naslov pošljemo povezavo za aktivacijo.
register-username-hint = Šifra plačnika, izpisana na računu kot šifra uporabnika ali v Pogodbi o dostopu.
register-email-label = Elektronski naslov
register-email-hint = Na ta naslov vam pošljemo povezavo za aktivacijo. Uporabljali ga boste za ePortal.
register-control-number-label = Kontrolna številka
register-control-number-hint = Številka računa, izpisana na prejetem računu, ali kontrolna številka, ki smo vam jo poslali.
register-password-hint = Vsaj 8 znakov in vsaj ena velika črka. Geslo ne sme biti sestavljeno iz šifre plačnika, imena ali elektronskega naslova.
register-password-repeat-label = Ponovi geslo
register-submit = Registracija
register-have-account = Račun že imate?
register-sign-in = Prijavite se

register-username-empty = Vpišite uporabniško ime – šifro plačnika z računa.
register-username-invalid = Uporabniško ime je šifra plačnika in ima samo števke (največ 12).
register-control-number-empty = Vpišite kontrolno številko – številko računa.
register-no-match = Uporabniško ime in kontrolna številka se ne ujemata. Preverite ju na računu.
register-email-empty = Vpišite elektronski naslov.
register-email-invalid = Elektronski naslov ni pravilen. Vpišite ga v obliki ime@domena.si.
register-password-empty = Vpišite geslo.
register-password-repeat-empty = Geslo vpišite še enkrat.
register-password-mismatch = Gesli se ne ujemata.
register-captcha-wrong = Znaki iz slike se ne ujemajo. Prepišite znake z nove slike.
register-too-many = Z vašega omrežja je bilo v zadnji uri preveč poskusov registracije. Poskusite znova čez eno uro ali nas pokličite.

register-where-title = Kje najdem te podatke?
register-where-text = Oba podatka sta izpisana v glavi vsakega računa, ki ste ga prejeli od nas.
register-where-username = Uporabniško ime
register-where-username-text = je šifra uporabnika (šifra plačnika), izpisana za besedama »Šifra uporabnika«, na primer 123456.
register-where-control-number = Kontrolna številka
register-where-control-number-text = je številka računa, izpisana za besedama »Račun številka«, na primer 202000876.
register-where-sketch = Skica računa. Številka računa 202000876 je označena kot kontrolna številka, šifra uporabnika 123456 kot uporabniško ime.

# The invoice as printed, in Slovenian in both languages (the sketch shows the paper).
invoice-sketch-number = Račun številka:
invoice-sketch-number-value = 202000876
invoice-sketch-date = Datum računa:
invoice-sketch-date-value = Brezovica, 31.01.2020
invoice-sketch-payer = Šifra uporabnika:
invoice-sketch-payer-code = 123456
invoice-sketch-payer-name = NOVAK JANEZ
invoice-sketch-address = Naslov uporabnika:
invoice-sketch-address-value = STARA ULICA 1, BREZOVICA
invoice-sketch-period = Obračun storitev za obdobje:
invoice-sketch-period-value = 31.01.2020-31.01.2020
invoice-sketch-phone = Telefon:
invoice-sketch-fax = Fax:
# The marks on the sketch name the form's fields.
invoice-sketch-mark-username = UPORABNIŠKO IME
invoice-sketch-mark-control-number = KONTROLNA ŠTEVILKA

register-sent-title = Preverite elektronsko pošto
register-sent-lead = Sporočilo s povezavo za aktivacijo smo poslali na naslov { $email }.
register-sent-steps-title = Kaj sledi
register-sent-step-open = Odprite sporočilo in kliknite povezavo v njem.
register-sent-step-activate = Na strani, ki se odpre, pritisnite gumb »Aktiviraj račun«.
register-sent-step-sign-in = Prijavite se z uporabniškim imenom in izbranim geslom.
register-sent-valid = Povezava velja { $hours } { $hours ->
    [one] uro
    [two] uri
    [few] ure
   *[other] ur
}.
register-sent-missing-title = Sporočila ni?
register-sent-missing-text = Preverite mapo z neželeno pošto. Če ste se pri naslovu zmotili, se registrirajte znova: nova registracija nadomesti prejšnjo.
register-sent-again = Registracija z drugim naslovom

register-exists-title = Račun že obstaja
register-exists-text = Za uporabniško ime { $username } je račun na ePortalu že odprt, zato nove registracije ni treba. Prijavite se z geslom, ki ste ga izbrali.
register-exists-forgot = Če gesla ne veste več, si nastavite novo.
register-exists-forgot-link = Pozabljeno geslo

register-mail-subject = Aktivacija uporabniškega imena za ePortal
register-mail-received = Prejeli smo vašo registracijo v ePortal za uporabniško ime { $username }.
register-mail-how = Registracijo potrdite s klikom na spodnjo povezavo. Odpre se stran z gumbom »Aktiviraj račun«; ko ga pritisnete, se lahko prijavite z izbranim geslom.
register-mail-action = Aktivirajte svoj račun
register-mail-valid = Povezava velja { $hours } { $hours ->
    [one] uro
    [two] uri
    [few] ure
   *[other] ur
} in jo lahko uporabite enkrat.
register-mail-not-you = Če se niste registrirali vi, sporočila ne upoštevajte: brez aktivacije račun ostane zaprt.

activate-title = Aktivacija računa
activate-ready-lead = Pritisnite gumb in vaš račun bo aktiviran. Nato se prijavite z uporabniškim imenom in izbranim geslom.
activate-submit = Aktiviraj račun
activate-expired = Povezava je potekla.
activate-expired-text = Povezava za aktivacijo velja le omejen čas. Pošljemo vam lahko novo povezavo na elektronski naslov, ki ste ga navedli ob registraciji.
activate-replaced = Povezava ni več veljavna.
activate-replaced-text = Medtem smo vam poslali novejšo povezavo, ki to nadomešča. Uporabite zadnje sporočilo ali zahtevajte novo povezavo.
activate-resend = Pošlji novo povezavo
activate-used = Povezava je že bila uporabljena.
activate-used-text = Vaš račun je aktiviran. Prijavite se z uporabniškim imenom in geslom.
activate-sign-in = Na prijavo
activate-invalid = Povezava ni veljavna.
activate-invalid-text = Povezava je morda nepopolna. Kopirajte jo iz sporočila v celoti ali se registrirajte znova.
activate-register = Registracija za nove uporabnike
activate-resent = Poslali smo novo povezavo.
activate-resent-text = Sporočilo z novo povezavo za aktivacijo smo poslali na elektronski naslov, ki ste ga navedli ob registraciji. Prejšnje povezave ne veljajo več.
activate-too-many = Novo povezavo ste v zadnji uri zahtevali že večkrat. Počakajte na sporočilo ali poskusite znova čez eno uro.

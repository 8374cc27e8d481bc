skip-to-content = Skoči na vsebino
switch-language = English
footer-contact = Kontakt
footer-phone = Telefon:
footer-fax = Faks:
footer-office-hours = Uradne ure
weekday-monday = Ponedeljek
weekday-tuesday = Torek
weekday-wednesday = Sreda
weekday-thursday = Četrtek
weekday-friday = Petek
weekday-saturday = Sobota
weekday-sunday = Nedelja
count-rows = { $count ->
    [one] { $count } vrstica
    [two] { $count } vrstici
    [few] { $count } vrstice
   *[other] { $count } vrstic
}

field-username = Uporabniško ime
field-password = Geslo

sign-in-title = Prijava
sign-in-lead = Prijavite se s šifro plačnika in geslom.
sign-in-username-hint = Šifra plačnika z računa. Vpišete lahko tudi svoj elektronski naslov.
sign-in-submit = Prijava
sign-in-forgot = Pozabljeno geslo
sign-in-new-title = Prvič na ePortalu?
sign-in-new-text = Za registracijo potrebujete šifro plačnika in kontrolno številko, ki ju najdete na računu.
sign-in-register = Registracija za nove uporabnike
sign-in-no-invoice = Nimate računa ali ne najdete šifre plačnika?
sign-in-access-request = Pošljite zahtevek za uporabo ePortala
sign-in-features-title = Kaj omogoča ePortal
sign-in-feature-points = pregled podatkov o odjemnem mestu,
sign-in-feature-consumption = pregled porabe z grafom porabe po časovnih obdobjih,
sign-in-feature-prices = cenik storitev z zadnjimi cenami,
sign-in-feature-readings = vnos števnega stanja s potrditvijo po elektronski pošti,
sign-in-feature-finance = izstavljene račune in stanje odprtih postavk.

demo-mail-title = Poslana pošta (demo)
demo-mail-lead = V predstavitvenem načinu se sporočila ne pošiljajo. Tu so vsa sporočila, ki bi jih portal poslal.
demo-mail-empty = Portal še ni poslal nobenega sporočila.
demo-mail-when = Čas
demo-mail-to = Prejemnik
demo-mail-subject = Zadeva
demo-mail-status = Stanje
demo-mail-back = Nazaj na seznam sporočil
demo-mail-links = Povezave v sporočilu
demo-mail-text = Besedilo sporočila
mail-status-queued = v čakalni vrsti
mail-status-sent = poslano
mail-status-failed = ni bilo mogoče poslati
mail-status-sending = v pošiljanju

mail-greeting = Pozdravljeni,
mail-signature = Lep pozdrav,
mail-footer = To sporočilo je poslal ePortal samodejno. Na sporočilo ne odgovarjajte; pišite nam prek obrazca Stik z nami.

csrf-title = Obrazca ni bilo mogoče oddati
csrf-text = Obrazec je zastarel ali ni bil poslan z naše strani. Odprite stran znova in poskusite še enkrat; vneseni podatki niso bili shranjeni.
csrf-back = Na začetno stran
refused-too-large-title = Poslanih podatkov je preveč
refused-too-large-text = Obrazec je poslal več podatkov, kot jih sprejmemo. Skrajšajte besedilo in poskusite znova; nič od vnesenega ni bilo shranjeno.
refused-form-title = Obrazca ni bilo mogoče prebrati
refused-form-text = Poslani obrazec ni bil takšen, kot ga pričakujemo. Odprite stran znova in ga pošljite še enkrat; nič od vnesenega ni bilo shranjeno.
refused-method-title = Ta naslov tega ne sprejema
refused-method-text = Stran na tem naslovu ne sprejema takšne zahteve. Odprite jo s povezavo v portalu.
form-error-summary = Prišlo je do težave
form-error-prefix = Napaka:
sign-in-failed = Uporabniško ime ali geslo ni pravilno.
sign-in-captcha-wrong = Znaki iz slike se ne ujemajo. Prepišite znake z nove slike.
sign-in-not-activated = Vaš račun še ni aktiviran. Kliknite povezavo v sporočilu, ki smo vam ga poslali ob registraciji, ali se registrirajte znova za novo povezavo.
sign-in-locked = Vaš račun je zaklenjen. Za pomoč nas pokličite ali nam pišite.
sign-out = Odjava
signed-in-as = Prijavljeni ste kot
consent-title = Soglasje za obdelavo osebnih podatkov – GDPR
consent-lead = Pred uporabo ePortala preberite besedilo soglasja in se odločite.
consent-accept = Strinjam se
consent-decline = Ne strinjam se
consent-declining = Uporaba portala brez tega Soglasja ni mogoča.
notice-consent-required = Uporaba portala brez tega Soglasja ni mogoča.
notice-activated = Vaš račun je aktiviran. Zdaj se lahko prijavite.
notice-password-reset = Geslo je spremenjeno. Prijavite se z novim geslom.
notice-email-confirmed = Elektronski naslov je potrjen.
home-title = Začetna stran
home-greeting = Pozdravljeni,
toolbar-label = Orodna vrstica
tab-point = Odjemno mesto
tab-readings = Odčitki in poraba
tab-prices = Cenik
tab-new-reading = Vnos števnega stanja
tab-new-reading-no-meter = Odjemno mesto nima števca.
tab-finance = Finance
tab-invoices = Izstavljeni računi
tab-open-items = Stanje odprtih postavk
tab-contact = Stik z nami
tab-profile = Moj profil
point-choose = Odjemno mesto
point-choose-button = Izberi

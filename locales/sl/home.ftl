# The first page after sign-in; the lines follow the manual's list of the portal's functions.
home-point = Izbrano odjemno mesto
home-cards = Kaj lahko storite na ePortalu
home-card-point = Pregled podatkov o odjemnem mestu, storitvah, števcih in plačniku.
home-card-readings = Pregled porabe odjemnega mesta z grafom porabe po časovnih obdobjih.
home-card-prices = Cenik storitev, seznam storitev za obračun z zadnjimi cenami.
home-card-new-reading = Vnos števnega stanja; stanje preverimo in na vaš e-naslov pošljemo potrditev.
home-card-invoices = Vpogled v izstavljene račune.
home-card-open-items = Vpogled v stanje odprtih postavk in plačilo s kodo UPN QR.
home-card-contact = Sporočilo za nas prek obrazca, uradne ure in kontaktni podatki.
home-card-profile = Sprememba naziva uporabnika, elektronskega naslova in gesla.

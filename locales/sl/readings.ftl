## Odčitki in poraba (SPEC §3.9): src/web/readings.rs, templates/readings.html.

readings-title = Odčitki in poraba
readings-point = Odjemno mesto:
readings-no-meter = Na tem odjemnem mestu ni vodomera, zato odčitkov in porabe vode ni (obračunava se le odvoz odpadkov).
readings-consumption-heading = Poraba po obdobjih
readings-period-label = Prikaži porabo
readings-period-month = po mesecih
readings-period-quarter = po četrtletjih
readings-period-year = po letih
readings-from-label = Od meseca
readings-to-label = Do meseca
readings-month-hint = Na primer 2024-01 ali 1/2024.
readings-show = Prikaži
readings-error-period = Izberite, ali želite porabo po mesecih, četrtletjih ali letih.
readings-error-from = Začetni mesec vpišite kot leto in mesec, na primer 2024-01 ali 1/2024.
readings-error-to = Končni mesec vpišite kot leto in mesec, na primer 2024-12 ali 12/2024.
readings-error-order = Končni mesec ne sme biti pred začetnim.
readings-error-too-long = Izbrano obdobje je lahko dolgo največ { $years } let.
# $quarter: 1 do 4; $year: leto.
readings-quarter = { $quarter }. čet. { $year }
readings-chart-title-month = Poraba vode po mesecih v m³
readings-chart-title-quarter = Poraba vode po četrtletjih v m³
readings-chart-title-year = Poraba vode po letih v m³
# $from, $to: prvo in zadnje obdobje; $total: količina z enoto.
readings-chart-description = Stolpčni graf porabe od { $from } do { $to }, skupaj { $total }.
# $highest: količina z enoto; $period: obdobje.
readings-chart-highest = Največ, { $highest }, v obdobju { $period }.
readings-chart-missing = { $missing ->
    [one] Za { $missing } obdobje ni podatkov.
    [two] Za { $missing } obdobji ni podatkov.
    [few] Za { $missing } obdobja ni podatkov.
   *[other] Za { $missing } obdobij ni podatkov.
}
readings-chart-partial = { $partial ->
    [one] { $partial } obdobje je pokrito le delno.
    [two] { $partial } obdobji sta pokriti le delno.
    [few] { $partial } obdobja so pokrita le delno.
   *[other] { $partial } obdobij je pokritih le delno.
}
readings-chart-see-table = Enake številke so v tabeli pod grafom.
readings-legend-full = poraba v obdobju
readings-legend-partial = podatki le za del obdobja
readings-legend-none = ni podatkov
readings-periods-caption = Poraba po obdobjih v m³ (enake številke kot v grafu)
readings-col-period = Obdobje
readings-col-period-consumption = Poraba (m³)
readings-col-note = Opomba
readings-no-data = ni podatkov
# $covered: dni s podatki; $days: dni v obdobju.
readings-partial = podatki za { $covered } od { $days } dni
readings-csv-link = Prenesi tabelo (CSV)
readings-csv-header = Obdobje;Poraba (m³);Dni s podatki;Dni v obdobju
readings-list-heading = Odčitki
readings-list-caption = Odčitki števcev z novejšimi na vrhu in porabo od prejšnjega odčitka istega števca
readings-none-yet = Za to odjemno mesto še ni odčitkov.
readings-col-date = Datum
readings-col-meter = Števec
readings-col-value = Stanje (m³)
readings-col-source = Vir
readings-col-consumption = Poraba od prejšnjega odčitka (m³)
readings-source-reader = odčitek komunalnega podjetja
readings-source-estimate = ocena
readings-source-customer = sporočil odjemalec
readings-source-install = montaža števca
readings-source-removal = demontaža števca
readings-rolled-over = števec je šel čez ničlo
readings-anomaly-fall = Stanje je nižje od prejšnjega: poraba ni izračunana (morda napačen odčitek).
readings-anomaly-outside-life = Odčitek je izven obdobja, ko je bil števec vgrajen, zato ni upoštevan.
readings-not-counted = Istega dne je upoštevan drug odčitek tega števca.

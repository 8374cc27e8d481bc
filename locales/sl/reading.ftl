## Vnos števnega stanja: preverjanje vnesenega odčitka (src/domain/reading_check.rs).
## Števila in datumi v argumentih so že oblikovani, npr. »1.234,567 m³«, »31. 1. 2024«.

reading-missing = Vpišite števno stanje.
reading-not-a-number = Števno stanje vpišite kot število z decimalno vejico ali piko, na primer 1234,567.
# $example: stanje z toliko decimalnimi mesti, kot jih kaže števec.
reading-too-many-decimals = Števno stanje ima preveč decimalnih mest. Vpišite ga tako, kot ga kaže števec, na primer { $example }.
reading-out-of-dial-range = Tolikšnega stanja števec ne more pokazati, največje možno je { $max }. Preverite, ali niste vpisali kakšne števke preveč.
reading-in-future = Datum odčitka ne sme biti v prihodnosti.
reading-before-last = Datum odčitka ne sme biti pred datumom zadnjega odčitka ({ $last_date }).
reading-below-last = Števno stanje ne sme biti manjše od zadnjega odčitka ({ $last_value } dne { $last_date }).
# $wraps: "yes", če obdobje sega v naslednji mesec (npr. od 25. do 5.).
reading-outside-window = { $wraps ->
    [yes] Datum odčitka mora biti med { $from_day }. dnem v mesecu in { $to_day }. dnem naslednjega meseca.
   *[no] Datum odčitka mora biti med { $from_day }. in { $to_day }. dnem v mesecu.
}

## Potrditev nenavadno velike porabe

reading-confirm-above-usual = Vpisano stanje pomeni, da ste od zadnjega odčitka ({ $last_date }) porabili { $consumption }, povprečno { $daily } na dan. To je več kot { $factor }-kratnik vaše običajne dnevne porabe ({ $usual }). Preverite, ali ste stanje pravilno prepisali, in ga potrdite.
reading-confirm-high = Vpisano stanje pomeni, da ste od zadnjega odčitka ({ $last_date }) porabili { $consumption }, povprečno { $daily } na dan, kar je nenavadno veliko (več kot { $cap } na dan). Preverite, ali ste stanje pravilno prepisali, in ga potrdite.
reading-leak-hint = Če je stanje pravilno, morda kje pušča voda. Zaprite vse pipe in opazujte števec: če se še vrti, voda nekje uhaja.

## Uvoz datotek iz obračunskega sistema (src/import).

# Napačna vrstica datoteke. $problem je že oblikovano sporočilo o napaki (spodaj).
import-line = Vrstica { $line }: { $problem }
import-line-column = Vrstica { $line }, stolpec { $column }: { $problem }

## Napake v vrstici

import-missing-value = vrednost manjka, stolpec je obvezen
import-bad-number = »{ $text }« ni število
import-number-too-large = »{ $text }« je prevelika številka
import-too-many-decimals = »{ $text }« ima preveč decimalnih mest (največ { $max })
import-out-of-range = »{ $text }« ni med { $min } in { $max }
import-negative = »{ $text }« ne sme biti negativno
import-bad-date = »{ $text }« ni veljaven datum (pričakovana oblika je 31.01.2020 ali 2020-01-31)
import-bad-payer-code = »{ $text }« ni šifra plačnika (od 1 do 12 števk)
import-bad-tax-number = »{ $text }« ni veljavna davčna številka (8 števk, zadnja je kontrolna)
import-bad-vat-rate = »{ $text }« ni stopnja DDV (odstotek od 0 do 100, npr. 9,5 ali 22)
import-bad-reading-source = »{ $text }« ni vir odčitka (reader, estimate, customer, install ali removal)
import-bad-boolean = »{ $text }« ni ena od vrednosti 1/0, true/false, da/ne
import-too-long = besedilo je predolgo (največ { $max } znakov)
import-wrong-field-count = število polj v vrstici: { $found }, v glavi: { $expected }
import-duplicate-key = ključ »{ $key }« je v datoteki že v vrstici { $first_line }
import-period-to-before-from = obračunsko obdobje se konča pred začetkom
import-removed-before-installed = datum odstranitve je pred datumom vgradnje
import-bad-verdict = »{ $text }« ni odločitev (accepted ali rejected)
import-bad-reason-code = »{ $text }« ni oznaka razloga (less_than_previous, greater_than_subsequent, implausible, meter_removed, duplicate, other)
import-not-awaiting-verdict = noben odčitek tega števca na ta dan ne čaka odločitve (ne obstaja, ni bil izvožen ali je že odločen)
import-unknown-reference = { $what ->
    [payer] plačnik »{ $key }« ne obstaja
    [point] odjemno mesto »{ $key }« ne obstaja
    [meter] števec »{ $key }« ne obstaja
    [service] storitev »{ $key }« ne obstaja
   *[invoice] račun »{ $key }« ne obstaja
}

## Napake celotne datoteke

import-file-empty = Datoteka je prazna: nima vrstice z imeni stolpcev.
import-file-no-separator = V prvi vrstici med imeni stolpcev ni ločila (; ali ,).
import-file-missing-columns = Manjkajoči obvezni stolpci: { $columns }.
import-file-duplicate-column = Stolpec »{ $column }« je v glavi dvakrat.
import-file-not-csv = Vrstica { $line }: datoteka ni veljaven CSV ({ $reason }).
import-file-utf16 = Datoteka je v kodiranju UTF-16 (Excelovo »Besedilo Unicode«). Shranite jo kot »CSV UTF-8« ali kot CSV v kodiranju Windows-1250.
import-file-workbook = Datoteka je Excelov delovni zvezek, ne CSV. Shranite jo kot »CSV UTF-8 (ločeno z vejicami)«.
import-file-not-text = Datoteka ni besedilo (vsebuje ničelne bajte), zato ni datoteka CSV.
import-file-unclosed-quote = Vrstica { $line }: narekovaj (") odpre vrednost, ki se do konca datoteke ne zapre.
import-file-changed = Datoteka se je med branjem spremenila (ali se še zapisuje?). Nič ni bilo shranjeno; uvozite jo znova, ko bo popolna.

## Poročilo ukazne vrstice (eportal import)

import-cli-stored = { $file }: { $rows ->
    [one] { $rows } vrstica
    [two] { $rows } vrstici
    [few] { $rows } vrstice
   *[other] { $rows } vrstic
}: novih { $inserted }, spremenjenih { $updated }, nespremenjenih { $unchanged }{ $deleted ->
    [0] {""}
   *[other] , odstranjenih { $deleted }
}.
import-cli-busy = Drug uvoz se še shranjuje; poskusite znova, ko se konča.
import-cli-dry-run = Preizkus: nič ni bilo shranjeno.
import-cli-nothing-stored = { $file }: nič ni bilo shranjeno (napak: { $problems }).

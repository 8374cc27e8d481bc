## Import of billing-system files (src/import).

# A bad line of a file. $problem is the problem's own message (below), rendered first.
import-line = Line { $line }: { $problem }
import-line-column = Line { $line }, column { $column }: { $problem }

## Problems of a line

import-missing-value = a value is required in this column
import-bad-number = “{ $text }” is not a number
import-number-too-large = “{ $text }” is too large a number
import-too-many-decimals = “{ $text }” has too many decimals (at most { $max })
import-out-of-range = “{ $text }” is not between { $min } and { $max }
import-negative = “{ $text }” must not be negative
import-bad-date = “{ $text }” is not a valid date (expected 31.01.2020 or 2020-01-31)
import-bad-payer-code = “{ $text }” is not a payer code (1 to 12 digits)
import-bad-tax-number = “{ $text }” is not a valid tax number (8 digits, the last a check digit)
import-bad-vat-rate = “{ $text }” is not a VAT rate (a percentage from 0 to 100, e.g. 9.5 or 22)
import-bad-reading-source = “{ $text }” is not a reading source (reader, estimate, customer, install or removal)
import-bad-boolean = “{ $text }” is not one of 1/0, true/false, da/ne
import-too-long = the text is too long (at most { $max } characters)
import-wrong-field-count = fields on the line: { $found }, in the header: { $expected }
import-duplicate-key = the key “{ $key }” is already on line { $first_line }
import-period-to-before-from = the billing period ends before it starts
import-removed-before-installed = the removal date is before the installation date
import-bad-verdict = “{ $text }” is not a verdict (accepted or rejected)
import-bad-reason-code = “{ $text }” is not a reason code (less_than_previous, greater_than_subsequent, implausible, meter_removed, duplicate, other)
import-not-awaiting-verdict = no reading of this meter on this day waits for a verdict (unknown, not exported, or decided already)
import-unknown-reference = { $what ->
    [payer] there is no payer “{ $key }”
    [point] there is no consumption point “{ $key }”
    [meter] there is no meter “{ $key }”
    [service] there is no service “{ $key }”
   *[invoice] there is no invoice “{ $key }”
}

## Problems of a whole file

import-file-empty = The file is empty: it has no line with the column names.
import-file-no-separator = The first line has no separator (; or ,) between the column names.
import-file-missing-columns = Required columns missing: { $columns }.
import-file-duplicate-column = The column “{ $column }” appears twice in the header.
import-file-not-csv = Line { $line }: the file is not valid CSV ({ $reason }).
import-file-utf16 = The file is in UTF-16 (Excel's “Unicode text”). Save it as “CSV UTF-8” or as CSV in Windows-1250.
import-file-workbook = The file is an Excel workbook, not CSV. Save it as “CSV UTF-8 (comma delimited)”.
import-file-not-text = The file is not text (it holds zero bytes), so not a CSV file.
import-file-unclosed-quote = Line { $line }: a quote (") opens a value that is not closed before the end of the file.
import-file-changed = The file changed while it was being read (is it still being written?). Nothing was stored; import it again when it is complete.

## The command line's report (eportal import)

import-cli-stored = { $file }: { $rows } rows: { $inserted } new, { $updated } changed, { $unchanged } unchanged{ $deleted ->
    [0] {""}
   *[other] , { $deleted } removed
}.
import-cli-busy = Another import is being applied; try again when it has finished.
import-cli-dry-run = Dry run: nothing was stored.
import-cli-nothing-stored = { $file }: nothing was stored ({ $problems ->
    [one] one problem
   *[other] { $problems } problems
}).

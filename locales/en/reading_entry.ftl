## Meter reading entry (src/web/reading_entry.rs)

reading-entry-title = Submit a meter reading
reading-entry-point = Supply point:
reading-entry-no-meter = The supply point has no meter.
reading-entry-meter = Meter
# $serial: the meter's number; $installed: the day it was installed
reading-entry-meter-label = Meter { $serial } (installed { $installed })
reading-entry-meter-missing = Choose the meter you read.
reading-entry-date = Date of reading
reading-entry-date-invalid = Enter the date of reading as day, month and year, for example 31. 1. 2024.
# $from_day, $to_day: days of the month
reading-entry-window = Readings are accepted from day { $from_day } to day { $to_day } of the month.
reading-entry-value = Meter reading
reading-entry-value-hint = In cubic metres (m³), as the meter shows it; separate decimals with a comma or a point, for example 1234,567.
reading-entry-submit = Submit reading
reading-entry-confirm-title = The consumption is much higher than usual.
reading-entry-confirm = I confirm the reading
reading-entry-history-title = Previous readings
reading-entry-last = Last reading
# $value: the reading; $date: its date; $source: who read it
reading-entry-last-value = { $value } on { $date } ({ $source })
reading-entry-estimate = Newer estimate
reading-entry-estimate-hint = An estimate may be higher than the actual reading, so yours is compared with the last real reading.
reading-entry-usual = Usual daily consumption
reading-entry-none = not known
reading-entry-submissions-title = Submitted readings
reading-entry-submissions-none = You have not submitted any readings yet.
reading-entry-status = Status
reading-entry-status-submitted = submitted
reading-entry-status-exported = passed on for billing
reading-entry-status-accepted = accepted
reading-entry-status-replaced = replaced by a newer one
reading-entry-status-rejected = rejected
# $consumption: the consumption; $last_date: the date of the last reading
reading-entry-since-last = Consumption since the last reading ({ $last_date }): { $consumption }.
reading-entry-mail-subject = We have received your meter reading
# $value, $date, $meter
reading-entry-mail-reading = We have received the reading { $value } of { $date } for meter { $meter }.
reading-entry-mail-action = View the reading
reading-entry-mail-after = The reading will be used in the next bill. If you did not submit it, please call us.

reading-submitted-title = Reading submitted
reading-submitted-lead = Thank you, we have received your reading.
reading-submitted-consumption = Consumption
reading-submitted-cost-label = Estimated cost
# $cost: the amount including VAT
reading-submitted-cost = about { $cost } including VAT at today's prices of the services charged per m³ (an estimate only; the bill may differ)
reading-submitted-back = Back to submitting a reading
reading-rejected-mail-subject = Your meter reading was not accepted
reading-rejected-mail-reading = We could not use the reading { $value } of { $date } for meter { $meter } in billing.
reading-rejected-mail-reason = Reason: { $code }. { $reason }
reading-rejected-mail-after = If you believe the reading is right, write to us or call us. You can enter a new reading in ePortal.
reading-reason-less_than_previous = the reading is lower than the previous one
reading-reason-greater_than_subsequent = the reading is higher than a later one
reading-reason-implausible = the reading is not plausible
reading-reason-meter_removed = the meter had been removed by then
reading-reason-duplicate = we already have a reading for that day
reading-reason-other = another reason

# "Cenik" (SPEC §3.10)
prices-title = Price list
prices-lead = The services with their latest prices valid on
prices-at-point = Services at consumption point
prices-at-point-none = No service is billed at this consumption point.
prices-all = All services
prices-code = Code
prices-name = Service
prices-unit = Unit
prices-net = Price without VAT
prices-vat-rate = VAT rate
prices-gross = Price with VAT
prices-valid-from = Valid from
prices-not-yet = no price valid yet
prices-next = New price from { $date }: { $net } without VAT ({ $gross } with VAT).
prices-hint = Prices are per unit, with four decimals; on an invoice each line's amount is rounded to the cent.

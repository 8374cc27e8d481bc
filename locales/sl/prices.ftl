# "Cenik" (SPEC §3.10)
prices-title = Cenik
prices-lead = Storitve z zadnjimi cenami, ki veljajo na dan
prices-at-point = Storitve na odjemnem mestu
prices-at-point-none = Na tem odjemnem mestu se ne obračunava nobena storitev.
prices-all = Vse storitve
prices-code = Šifra
prices-name = Storitev
prices-unit = Enota
prices-net = Cena brez DDV
prices-vat-rate = Stopnja DDV
prices-gross = Cena z DDV
prices-valid-from = Velja od
prices-not-yet = cena še ne velja
prices-next = Nova cena velja od { $date }: { $net } brez DDV ({ $gross } z DDV).
prices-hint = Cene so na enoto, s štirimi decimalnimi mesti; na računu se znesek vsake postavke zaokroži na cent.

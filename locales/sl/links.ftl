## Links sent by e-mail (src/web/links.rs) and the notices about changes to an account.

link-unknown-title = Povezava ni veljavna
link-expired-title = Povezava je potekla
link-used-title = Povezava je že bila uporabljena
link-unknown = Te povezave ne poznamo. Morda se je pri kopiranju iz sporočila izgubil njen del: odprite jo s klikom v sporočilu ali jo prekopirajte v celoti.
# After a notice of a change to the account (password, e-mail address).
mail-not-you-call = Če tega niste storili vi, nas čim prej pokličite na { $phone }.

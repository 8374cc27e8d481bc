## The password policy (src/domain/password.rs), shown at registration and password change.

password-too-short = Geslo mora imeti vsaj { $min } { $min ->
    [one] znak
    [two] znaka
    [few] znake
   *[other] znakov
}.
password-too-long = Geslo ima lahko največ { $max } { $max ->
    [one] znak
    [two] znaka
    [few] znake
   *[other] znakov
}.
# The manual's wording.
password-no-upper-case = Geslo mora vsebovati vsaj eno veliko črko!
password-common = To geslo je med najpogosteje uporabljenimi, zato ga je lahko uganiti. Izberite drugo.
password-personal = Geslo ne sme biti sestavljeno iz vaše šifre plačnika, imena ali elektronskega naslova.

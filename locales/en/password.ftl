## The password policy (src/domain/password.rs), shown at registration and password change.

password-too-short = The password must have at least { $min } { $min ->
    [one] character
   *[other] characters
}.
password-too-long = The password can have at most { $max } { $max ->
    [one] character
   *[other] characters
}.
password-no-upper-case = The password must contain at least one upper-case letter.
password-common = This password is among the most commonly used ones and is easy to guess. Please choose another.
password-personal = The password must not be made from your payer code, name or e-mail address.

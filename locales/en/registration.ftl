## "Registration for new users" (SPEC §3.1) and activation (§3.2): src/web/register.rs,
## src/web/activation.rs.

register-title = Registration for new users
register-lead = Enter the details printed on an invoice you have received from us. We will then e-mail you a link to activate your account.
register-username-hint = Your payer code, printed on the invoice as the user code (šifra uporabnika) or in the access contract.
register-email-label = E-mail address
register-email-hint = We will send the activation link to this address. You will use it for ePortal.
register-control-number-label = Control number
register-control-number-hint = The number of an invoice you have received, or the control number we sent you.
register-password-hint = At least 8 characters and at least one capital letter. It must not be made from your payer code, name or e-mail address.
register-password-repeat-label = Repeat password
register-submit = Register
register-have-account = Already have an account?
register-sign-in = Sign in

register-username-empty = Enter your user name – the payer code from your invoice.
register-username-invalid = The user name is your payer code and has only digits (at most 12).
register-control-number-empty = Enter the control number – the number of an invoice.
register-no-match = The user name and the control number do not match. Please check them on your invoice.
register-email-empty = Enter your e-mail address.
register-email-invalid = The e-mail address is not valid. Enter it as name@domain.com.
register-password-empty = Enter a password.
register-password-repeat-empty = Enter the password again.
register-password-mismatch = The passwords do not match.
register-captcha-wrong = The characters do not match the picture. Type the characters from the new picture.
register-too-many = There have been too many registration attempts from your network in the last hour. Please try again in an hour or call us.

register-where-title = Where do I find these?
register-where-text = Both are printed at the top of every invoice you have received from us.
register-where-username = User name
register-where-username-text = is the user code (payer code), printed after “Šifra uporabnika”, for example 123456.
register-where-control-number = Control number
register-where-control-number-text = is the invoice number, printed after “Račun številka”, for example 202000876.
register-where-sketch = Sketch of an invoice. The invoice number 202000876 is marked as the control number, the user code 123456 as the user name.

# The invoice as printed, in Slovenian in both languages (the sketch shows the paper).
invoice-sketch-number = Račun številka:
invoice-sketch-number-value = 202000876
invoice-sketch-date = Datum računa:
invoice-sketch-date-value = Brezovica, 31.01.2020
invoice-sketch-payer = Šifra uporabnika:
invoice-sketch-payer-code = 123456
invoice-sketch-payer-name = NOVAK JANEZ
invoice-sketch-address = Naslov uporabnika:
invoice-sketch-address-value = STARA ULICA 1, BREZOVICA
invoice-sketch-period = Obračun storitev za obdobje:
invoice-sketch-period-value = 31.01.2020-31.01.2020
invoice-sketch-phone = Telefon:
invoice-sketch-fax = Fax:
# The marks on the sketch name the form's fields.
invoice-sketch-mark-username = USER NAME
invoice-sketch-mark-control-number = CONTROL NUMBER

register-sent-title = Check your e-mail
register-sent-lead = We have sent a message with the activation link to { $email }.
register-sent-steps-title = What happens next
register-sent-step-open = Open the message and follow the link in it.
register-sent-step-activate = On the page that opens, press the button “Activate account”.
register-sent-step-sign-in = Sign in with your user name and the password you chose.
register-sent-valid = The link is valid for { $hours } { $hours ->
    [one] hour
   *[other] hours
}.
register-sent-missing-title = No message?
register-sent-missing-text = Look in your spam folder. If you mistyped the address, register again: a new registration replaces the previous one.
register-sent-again = Register with another address

register-exists-title = The account already exists
register-exists-text = An ePortal account for the user name { $username } is already open, so there is no need to register again. Sign in with the password you chose.
register-exists-forgot = If you no longer know your password, set a new one.
register-exists-forgot-link = Forgotten password

register-mail-subject = Activate your ePortal user name
register-mail-received = We have received your ePortal registration for the user name { $username }.
register-mail-how = Confirm it by following the link below. A page opens with the button “Activate account”; once you press it, you can sign in with the password you chose.
register-mail-action = Activate your account
register-mail-valid = The link is valid for { $hours } { $hours ->
    [one] hour
   *[other] hours
} and can be used once.
register-mail-not-you = If you did not register, ignore this message: without activation the account stays closed.

activate-title = Account activation
activate-ready-lead = Press the button to activate your account. Then sign in with your user name and the password you chose.
activate-submit = Activate account
activate-expired = The link has expired.
activate-expired-text = Activation links are valid for a limited time only. We can send a new link to the e-mail address you gave when you registered.
activate-replaced = The link is no longer valid.
activate-replaced-text = We have since sent you a newer link, which replaces this one. Use the latest message or ask for a new link.
activate-resend = Send a new link
activate-used = The link has already been used.
activate-used-text = Your account is active. Sign in with your user name and password.
activate-sign-in = Go to sign-in
activate-invalid = The link is not valid.
activate-invalid-text = The link may be incomplete. Copy the whole link from the message, or register again.
activate-register = Registration for new users
activate-resent = We have sent a new link.
activate-resent-text = A message with a new activation link is on its way to the e-mail address you gave when you registered. Earlier links no longer work.
activate-too-many = You have asked for a new link several times in the last hour. Please wait for the message or try again in an hour.

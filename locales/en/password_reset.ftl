## "Forgotten password" (src/web/password_forgot.rs) and the page its link opens
## (src/web/password_reset.rs).

password-forgot-title = Forgotten password
password-forgot-lead = Enter your user name or e-mail address. We will send a link for setting a new password to the account's e-mail address.
password-forgot-username = User name or e-mail address
password-forgot-username-hint = Your user name is the payer code on your invoice.
password-forgot-submit = Send the link
password-forgot-username-missing = Enter your user name or e-mail address.
password-forgot-too-many = We have had too many requests for a new password from your network in the last hour. Please try again in an hour.
# The same words whether or not the account exists.
password-forgot-sent = If the account exists, we have sent a link for a new password to its e-mail address. The link is valid for one hour.
password-forgot-sent-check = The message usually arrives within a few minutes. If you cannot find it, look in your spam folder too.
password-forgot-back = Back to sign-in
password-forgot-again = Send another request
password-forgot-help-title = Cannot receive the message?
password-forgot-help-text = If you no longer have access to the e-mail address you used on ePortal, call us during office hours on
password-forgot-mail-subject = A new password for ePortal
password-forgot-mail-text = We have received a request for a new password for the user name { $code } on ePortal. Set your new password on the page the link below opens.
password-forgot-mail-action = Set a new password
password-forgot-mail-valid = The link is valid for one hour and works only once.
password-forgot-mail-not-you = If you did not ask for a new password, ignore this message: your password stays as it is.

password-reset-title = New password
password-reset-lead = Choose a new password for ePortal. Once you save it, you will be signed out everywhere you were signed in.
password-reset-new = New password
password-reset-new-hint = At least 8 characters, including at least one capital letter.
password-reset-repeat = Repeat new password
password-reset-submit = Save
password-reset-missing = Enter a new password.
password-reset-repeat-missing = Enter the new password once more.
password-reset-repeat-differs = The passwords do not match. Enter the same new password again.
password-reset-rules-title = What makes a good password
password-reset-rule-length = at least 8 characters,
password-reset-rule-upper = at least one capital letter (Č, Š and Ž count too),
password-reset-rule-common = not one of the commonly used passwords,
password-reset-rule-personal = not made from your payer code, name or e-mail address.
password-reset-rule-sessions = After the change you will need to sign in again on every device.
password-reset-link-expired = A link for a new password is valid for one hour. This one has expired, so your password has not been changed.
password-reset-link-used = Each link works only once, and this one has been used already, or you have asked for a newer one since. If you have not changed your password yet, ask for a new link.
password-reset-ask-again = Ask for a new link
password-reset-mail-subject = Your password has been changed
password-reset-mail-text = Your ePortal password (user name { $code }) has been changed. Time of the change: { $when }.
password-reset-mail-sessions = For your security we have signed you out on every device. Sign in with your new password.

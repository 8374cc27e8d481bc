## "Request to use ePortal" (SPEC §3.6): src/web/access_request.rs.

access-request-title = Request to use ePortal
access-request-lead = If you cannot register (for example you have no invoice yet, cannot find your payer code or your tax number does not match), send us a request to use ePortal.
access-request-then = We will e-mail you the user name and the control number you need to register.
access-request-full-name = Full name
access-request-full-name-hint = Or the company's name as on the contract.
access-request-address = Address
access-request-address-hint = Street, house number and town.
access-request-point-code = Consumption point designation
access-request-point-code-hint = Printed in the access contract or on the invoice.
access-request-tax-number = Tax number
access-request-tax-number-hint = 8 digits; you may leave out the SI prefix.
access-request-email = E-mail address
access-request-email-hint = We will reply to this address.
access-request-submit = Send request
access-request-register-instead = Have an invoice with your payer code?
access-request-register-link = Registration for new users

access-request-full-name-empty = Enter your full name.
access-request-address-empty = Enter your address.
access-request-point-code-empty = Enter the consumption point designation.
access-request-too-long = This is too long: enter at most { $max } characters.
access-request-tax-number-empty = Enter your tax number.
access-request-tax-number-format = A tax number has 8 digits, the first not 0.
access-request-tax-number-check = The tax number is not valid: its last digit, the check digit, does not match. Please check it.
access-request-email-empty = Enter the e-mail address we should reply to.
access-request-email-invalid = The e-mail address is not valid. Enter it as name@domain.com.
access-request-captcha-wrong = The characters do not match the picture. Type the characters from the new picture.
access-request-too-many = Too many requests have been sent from your network in the last hour. Please try again in an hour or call us.

access-request-sent-title = Thank you, we have received your request
access-request-sent-lead = We have sent a confirmation to { $email }.
access-request-sent-next = We will look at your request and send the user name and a control number to the same address. With them you can register for ePortal.
access-request-sent-help = If you need help, call us during office hours on
access-request-sent-home = To the start page

access-request-mail-subject = We have received your request to use ePortal
access-request-mail-received = We have received your request to use ePortal with these details:
access-request-mail-field = { $label }: { $value }
access-request-mail-next = Once we have looked at it, we will send the user name and a control number to this address; with them you register for ePortal (Registration for new users).
access-request-mail-not-you = If you did not send this request, please ignore this message.

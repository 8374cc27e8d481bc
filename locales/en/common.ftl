skip-to-content = Skip to main content
switch-language = Slovenščina
footer-contact = Contact
footer-phone = Phone:
footer-fax = Fax:
footer-office-hours = Office hours
weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday
count-rows = { $count ->
    [one] { $count } row
   *[other] { $count } rows
}

field-username = User name
field-password = Password

sign-in-title = Sign in
sign-in-lead = Sign in with your payer code and password.
sign-in-username-hint = The payer code from your invoice. You can also enter your e-mail address.
sign-in-submit = Sign in
sign-in-forgot = Forgotten password
sign-in-new-title = New to ePortal?
sign-in-new-text = To register you need your payer code and a control number, both printed on your invoice.
sign-in-register = Registration for new users
sign-in-no-invoice = No invoice yet, or cannot find your payer code?
sign-in-access-request = Send a request to use ePortal
sign-in-features-title = What ePortal offers
sign-in-feature-points = details of your consumption point,
sign-in-feature-consumption = your consumption with a graph by period,
sign-in-feature-prices = the price list with the latest prices,
sign-in-feature-readings = meter reading submission, confirmed by e-mail,
sign-in-feature-finance = your invoices and open items.

demo-mail-title = Sent mail (demo)
demo-mail-lead = In demo mode no mail leaves the portal. Here is every message it would have sent.
demo-mail-empty = The portal has not sent any message yet.
demo-mail-when = Time
demo-mail-to = To
demo-mail-subject = Subject
demo-mail-status = Status
demo-mail-back = Back to the list of messages
demo-mail-links = Links in the message
demo-mail-text = Message text
mail-status-queued = queued
mail-status-sent = sent
mail-status-failed = could not be sent

mail-greeting = Hello,
mail-signature = Kind regards,
mail-footer = This message was sent automatically by ePortal. Please do not reply to it; write to us through the Contact us form.

csrf-title = The form could not be sent
csrf-text = The form was out of date or did not come from our site. Open the page again and try once more; nothing you entered was saved.
csrf-back = To the start page
form-error-summary = There is a problem
form-error-prefix = Error:
sign-in-failed = The user name or password is not correct.
sign-in-captcha-wrong = The characters do not match the picture. Type the characters from the new picture.
sign-in-not-activated = Your account is not activated yet. Follow the link in the message we sent when you registered, or register again for a new link.
sign-in-locked = Your account is locked. Please call or write to us for help.
sign-out = Sign out
signed-in-as = Signed in as
consent-title = Consent to the processing of personal data – GDPR
consent-lead = Before using ePortal, please read the consent text and decide.
consent-accept = I agree
consent-decline = I do not agree
consent-declining = The portal cannot be used without this consent.
notice-consent-required = The portal cannot be used without this consent.
notice-activated = Your account is activated. You can sign in now.
notice-password-reset = Your password is changed. Sign in with the new password.
notice-email-confirmed = Your e-mail address is confirmed.
home-title = Home
home-greeting = Welcome,

## The e-mail address: entered at first sign-in (src/web/email.rs) and confirmed by a link
## (src/web/email_confirm.rs).

email-empty = Enter your e-mail address.
email-invalid = The e-mail address is not valid. Enter it as name@domain.com.
email-field = E-mail address
email-title = E-mail address
# The manual's sentence.
email-lead = When you first sign in, you must enter your e-mail address.
email-hint = We will send a link to this address to confirm it. ePortal's messages will go there too.
email-submit = Confirm
email-too-many = We have already sent you several links in the last hour. Look for the latest message, or try again in an hour.
email-sent = We have sent a link to { $email }; click it to confirm the address.
email-sent-check = The link is valid for 48 hours. The message usually arrives within a few minutes; if you cannot find it, look in your spam folder too. Once you have confirmed the address, you can use ePortal.
email-again-title = No message?
email-again-text = Check the address and correct it if needed. We will send the link again; the previous one will stop working.
email-send-again = Send the link again

email-confirm-title = Confirm your e-mail address
email-confirm-lead = Confirm that this is your e-mail address for ePortal.
email-confirm-submit = Confirm e-mail address
email-confirm-link-expired = A link for confirming an e-mail address is valid for 48 hours. This one has expired, so the address has not been confirmed. Sign in to ePortal and ask for a new one.
email-confirm-link-used = Each link works only once, and this one has been used already, or you have asked for a newer one since.
email-confirm-to-portal = Go to ePortal
email-confirm-mail-subject = Confirm your e-mail address for ePortal
email-confirm-mail-text = This address was entered on ePortal for the user name { $code }. Confirm it with the link below: on the page it opens, press the button "Confirm e-mail address".
email-confirm-mail-action = Confirm e-mail address
email-confirm-mail-valid = The link is valid for 48 hours.
email-confirm-mail-not-you = If you did not enter this address, ignore this message; the address will not be confirmed.
email-changed-mail-subject = Your e-mail address on ePortal has been changed
email-changed-mail-text = The e-mail address for the user name { $code } on ePortal is now { $email }. ePortal will no longer send messages to this address.

## Links sent by e-mail (src/web/links.rs) and the notices about changes to an account.

link-unknown-title = This link is not valid
link-expired-title = This link has expired
link-used-title = This link has been used
link-unknown = We do not recognise this link. Part of it may have been lost when it was copied from the message: open it by clicking it in the message, or copy all of it.
# After a notice of a change to the account (password, e-mail address).
mail-not-you-call = If you did not do this, please call us as soon as possible on { $phone }.

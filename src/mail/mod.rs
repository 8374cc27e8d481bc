//! Outgoing mail: messages go into the outbox in the caller's transaction; the worker delivers.

pub mod invoice;
pub mod letter;
pub mod notification;
pub mod worker;

use chrono::{DateTime, Utc};

use crate::config::Site;
use crate::store::outbox::{self, NewMessage};
use crate::store::{StoreError, Tx};

/// A message to one recipient, in plain text and optionally HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// A notification's one-click unsubscribe link (RFC 8058).
    pub list_unsubscribe: Option<String>,
    /// The invoice whose PDF and UPN QR code the worker attaches when it sends the message.
    pub invoice_number: Option<String>,
}

/// Queues `mail` in `tx`, the transaction of the change that causes it, so the message exists
/// exactly when the change does.
pub async fn enqueue(
    tx: &Tx,
    site: &Site,
    mail: OutgoingMail,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let message = NewMessage {
        message_id: new_message_id(site),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        list_unsubscribe: mail.list_unsubscribe,
        invoice_number: mail.invoice_number,
    };
    outbox::enqueue(tx, message, now).await
}

/// A globally unique Message-ID under the portal's own host name (without angle brackets).
fn new_message_id(site: &Site) -> String {
    format!("{}@{}", uuid::Uuid::new_v4(), site.host())
}

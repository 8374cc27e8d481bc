//! Outgoing mail: messages go into the outbox in the caller's transaction; the worker delivers.

pub mod letter;
pub mod worker;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use crate::config::Config;
use crate::store::outbox::{self, NewMessage};

/// A message to one recipient, in plain text and optionally HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Queues `mail` on `conn`, normally the transaction of the change that causes it, so the
/// message exists exactly when the change does.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    mail: OutgoingMail,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let message = NewMessage {
        message_id: new_message_id(config),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
    };
    outbox::enqueue(conn, message, now).await
}

/// A globally unique Message-ID under the portal's own host name (without angle brackets).
fn new_message_id(config: &Config) -> String {
    let host = config
        .public_url()
        .host_str()
        .unwrap_or("eportal.invalid")
        .to_owned();
    format!("{}@{host}", uuid::Uuid::new_v4())
}

//! Delivers queued mail: by SMTP when `smtp_url` is set, else into `mail_dir` as `.eml` files.
//! Failed attempts are retried with exponential backoff and abandoned after a limit; a message
//! stays in the database until delivered, so a restart loses nothing.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::store::Db;
use crate::store::outbox::{self, OutboxMessage};

/// How long a claimed message is this worker's alone.
const LEASE_SECONDS: i64 = 300;
const BATCH: u64 = 20;
const POLL: StdDuration = StdDuration::from_millis(500);
const FIRST_RETRY_SECONDS: i64 = 30;
const LONGEST_RETRY_SECONDS: i64 = 6 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("setting smtp_url: {0}")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("setting mail_dir: cannot create {path}: {source}")]
    MailDir {
        path: String,
        source: std::io::Error,
    },
    #[error("setting mail_from: {0}")]
    From(#[source] lettre::address::AddressError),
    #[error("setting company: {0}")]
    Company(#[from] crate::config::ConfigError),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

/// Why one delivery failed: some failures will never succeed, so they are not retried.
enum Failure {
    Permanent(String),
    Transient(String),
}

pub struct MailWorker {
    db: Db,
    transport: Transport,
    from: Mailbox,
    max_attempts: u32,
}

impl MailWorker {
    pub fn new(db: Db, config: &Config) -> Result<Self, WorkerError> {
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(WorkerError::SmtpUrl)?
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&config.mail_dir).map_err(|source| {
                    WorkerError::MailDir {
                        path: config.mail_dir.display().to_string(),
                        source,
                    }
                })?;
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(&config.mail_dir))
            }
        };
        let company = config.company()?;
        let from = match &config.mail_from {
            Some(from) => from.parse().map_err(WorkerError::From)?,
            None => Mailbox::new(
                Some(company.short_name.clone()),
                company.email.parse().map_err(WorkerError::From)?,
            ),
        };
        Ok(Self {
            db,
            transport,
            from,
            max_attempts: config.mail_max_attempts.max(1),
        })
    }

    /// Delivers until `stop` is cancelled, finishing the message in hand.
    pub async fn run(self, stop: CancellationToken) {
        loop {
            match self.deliver_due(Utc::now()).await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(error) => tracing::error!(%error, "mail worker cannot read the outbox"),
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Delivers the messages due at `now`; returns how many it handled.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, sea_orm::DbErr> {
        let due = outbox::claim_due(&self.db, now, Duration::seconds(LEASE_SECONDS), BATCH).await?;
        for message in &due {
            match self.send(message).await {
                Ok(()) => {
                    outbox::mark_sent(&self.db, message.id, Utc::now()).await?;
                    tracing::info!(outbox_id = message.id, "mail delivered");
                }
                Err(failure) => self.record_failure(message, failure).await?,
            }
        }
        Ok(due.len())
    }

    async fn record_failure(
        &self,
        message: &OutboxMessage,
        failure: Failure,
    ) -> Result<(), sea_orm::DbErr> {
        let attempts = message.attempts + 1;
        let (error, retry_at) = match failure {
            Failure::Permanent(error) => (error, None),
            Failure::Transient(error) if attempts as u32 >= self.max_attempts => (error, None),
            Failure::Transient(error) => (error, Some(Utc::now() + backoff(attempts))),
        };
        match retry_at {
            Some(at) => {
                tracing::warn!(outbox_id = message.id, attempts, %error, retry_at = %at, "mail delivery failed; will retry")
            }
            None => {
                tracing::error!(outbox_id = message.id, attempts, %error, "mail delivery abandoned")
            }
        }
        outbox::mark_attempt_failed(&self.db, message, &error, retry_at).await
    }

    async fn send(&self, stored: &OutboxMessage) -> Result<(), Failure> {
        let message = self.compose(stored)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|error| {
                if error.is_permanent() {
                    Failure::Permanent(error.to_string())
                } else {
                    Failure::Transient(error.to_string())
                }
            }),
            Transport::Folder(folder) => folder
                .send(message)
                .await
                .map(drop)
                .map_err(|error| Failure::Transient(error.to_string())),
        }
    }

    fn compose(&self, stored: &OutboxMessage) -> Result<Message, Failure> {
        let to: Mailbox = stored
            .to_addr
            .parse()
            .map_err(|error| Failure::Permanent(format!("recipient address: {error}")))?;
        let builder = Message::builder()
            .message_id(Some(format!("<{}>", stored.message_id)))
            .from(self.from.clone())
            .to(to)
            .date(stored.created_at.into())
            .subject(stored.subject.clone());
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(stored.body_text.clone());
        let built = match &stored.body_html {
            Some(html) => builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
            None => builder.singlepart(text),
        };
        built.map_err(|error| Failure::Permanent(format!("message: {error}")))
    }
}

/// 30 s, 1 min, 2 min, … up to six hours between attempts.
fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    Duration::seconds((FIRST_RETRY_SECONDS << exponent).min(LONGEST_RETRY_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}

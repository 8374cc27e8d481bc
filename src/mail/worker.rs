//! Delivers queued mail: by SMTP when `smtp_url` is set, else into `mail_dir` as `.eml` files
//! named by Message-ID. Failed attempts are retried with exponential backoff and abandoned
//! after a limit; a message stays in the database until delivered, so a restart loses nothing.
//! Delivery is at least once: a crash between the server's acceptance and the record of it
//! sends the message again, with the same Message-ID (and into the same file).

use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio_util::sync::CancellationToken;

use crate::config::{Company, Config};
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
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
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
    /// Whom an invoice's UPN QR code pays.
    company: Company,
}

impl MailWorker {
    pub fn new(db: Db, config: &Config, company: &Company) -> Result<Self, WorkerError> {
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
                Transport::Folder(config.mail_dir.clone())
            }
        };
        let from = match &config.mail_from {
            Some(from) => from.parse().map_err(WorkerError::From)?,
            None => Mailbox::new(
                Some(company.short_name.clone()),
                company.email.as_str().parse().map_err(WorkerError::From)?,
            ),
        };
        Ok(Self {
            db,
            transport,
            from,
            max_attempts: config.mail_max_attempts.max(1),
            company: company.clone(),
        })
    }

    /// Delivers until `stop` is cancelled, finishing the message in hand: a backlog of
    /// thousands (a notice to everyone) must not hold up a restart.
    pub async fn run(self, stop: CancellationToken) {
        while !stop.is_cancelled() {
            match self.deliver_due(Utc::now(), &stop).await {
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

    /// Delivers the messages due at `now`, one after another until `stop` is cancelled, and
    /// gives back the claims of those it then leaves (or leaves on an error); returns how many
    /// it handled.
    pub async fn deliver_due(
        &self,
        now: DateTime<Utc>,
        stop: &CancellationToken,
    ) -> Result<usize, crate::store::StoreError> {
        let due = outbox::claim_due(&self.db, now, Duration::seconds(LEASE_SECONDS), BATCH).await?;
        let mut handled = 0;
        let mut failed = None;
        for message in &due {
            if stop.is_cancelled() {
                break;
            }
            // Counted before it is tried: a message whose delivery is not recorded keeps its
            // claim, so that it goes again only after the lease.
            handled += 1;
            if let Err(error) = self.deliver(message).await {
                failed = Some(error);
                break;
            }
        }
        if let Err(error) = outbox::release_claims(&self.db, &due[handled..]).await {
            tracing::warn!(%error, "mail worker cannot give back its claims; they wait for the lease");
        }
        failed.map_or(Ok(handled), Err)
    }

    /// Sends one message and records the outcome.
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), crate::store::StoreError> {
        match self.send(message).await {
            Ok(()) => {
                outbox::mark_sent(&self.db, message.id, Utc::now()).await?;
                tracing::info!(outbox_id = message.id, "mail delivered");
                Ok(())
            }
            Err(failure) => self.record_failure(message, failure).await,
        }
    }

    async fn record_failure(
        &self,
        message: &OutboxMessage,
        failure: Failure,
    ) -> Result<(), crate::store::StoreError> {
        let attempts = message.attempts + 1;
        let (error, retry_at) = match failure {
            Failure::Permanent(error) => (error, None),
            Failure::Transient(error) if attempts as u32 >= self.max_attempts => (error, None),
            Failure::Transient(error) => (error, Some(Utc::now() + backoff(attempts))),
        };
        match retry_at {
            Some(at) => {
                tracing::warn!(outbox_id = message.id, attempts, %error, retry_at = %at, "mail delivery failed; will retry");
            }
            None => {
                tracing::error!(outbox_id = message.id, attempts, %error, "mail delivery abandoned");
            }
        }
        outbox::mark_attempt_failed(&self.db, message, &error, retry_at).await
    }

    async fn send(&self, stored: &OutboxMessage) -> Result<(), Failure> {
        let message = self.compose(stored).await?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|error| {
                if error.is_permanent() {
                    Failure::Permanent(error.to_string())
                } else {
                    Failure::Transient(error.to_string())
                }
            }),
            Transport::Folder(folder) => {
                write_eml(folder, &stored.message_id, &message.formatted())
                    .await
                    .map_err(|error| Failure::Transient(format!("mail_dir: {error}")))
            }
        }
    }

    async fn compose(&self, stored: &OutboxMessage) -> Result<Message, Failure> {
        let to: Mailbox = stored
            .to_addr
            .parse()
            .map_err(|error| Failure::Permanent(format!("recipient address: {error}")))?;
        let mut builder = Message::builder()
            .message_id(Some(format!("<{}>", stored.message_id)))
            .from(self.from.clone())
            .to(to)
            .date(stored.created_at.into())
            .subject(stored.subject.clone());
        if let Some(link) = &stored.list_unsubscribe {
            builder = builder
                .header(ListUnsubscribe(link.clone()))
                .header(ListUnsubscribePost);
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(stored.body_text.clone());
        let built = match (&stored.body_html, &stored.invoice_number) {
            (None, None) => builder.singlepart(text),
            (html, invoice) => {
                let body = match html {
                    Some(html) => MultiPart::alternative().singlepart(text).singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html.clone()),
                    ),
                    None => MultiPart::mixed().singlepart(text),
                };
                let body = match invoice {
                    Some(number) => self.with_invoice(body, number).await?,
                    None => body,
                };
                builder.multipart(body)
            }
        };
        built.map_err(|error| Failure::Permanent(format!("message: {error}")))
    }

    /// The message's body with invoice `number`'s PDF and UPN QR code attached.
    async fn with_invoice(&self, body: MultiPart, number: &str) -> Result<MultiPart, Failure> {
        let files = crate::mail::invoice::files(&self.db, &self.company, number)
            .await
            .map_err(|error| Failure::Transient(format!("invoice {number}: {error}")))?
            .ok_or_else(|| Failure::Permanent(format!("invoice {number} or its PDF is gone")))?;
        let name: String = number
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let pdf_type = ContentType::parse("application/pdf")
            .map_err(|error| Failure::Permanent(format!("content type: {error}")))?;
        let mut mixed = MultiPart::mixed()
            .multipart(body)
            .singlepart(Attachment::new(format!("racun-{name}.pdf")).body(files.pdf, pdf_type));
        if let Some(png) = files.qr_png {
            let png_type = ContentType::parse("image/png")
                .map_err(|error| Failure::Permanent(format!("content type: {error}")))?;
            mixed =
                mixed.singlepart(Attachment::new(format!("upn-qr-{name}.png")).body(png, png_type));
        }
        Ok(mixed)
    }
}

/// `List-Unsubscribe: <link>` (RFC 2369): where the reader's mail program unsubscribes.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(
            text.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the link unsubscribes by a
/// POST, so a scanner that follows links changes nothing.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// Writes the message as `<Message-ID>.eml`, whole or not at all: a redelivery replaces the
/// file instead of adding a second one.
async fn write_eml(folder: &Path, message_id: &str, bytes: &[u8]) -> std::io::Result<()> {
    let name = eml_name(message_id);
    let partial = folder.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, folder.join(name)).await
}

/// The file name of a message: its Message-ID with anything but letters, digits, `.`, `-`,
/// `_` and `@` replaced, so no Message-ID can name a path elsewhere.
fn eml_name(message_id: &str) -> String {
    let safe: String = message_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}.eml", safe.trim_start_matches('.'))
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
    fn files_are_named_by_message_id_and_stay_in_the_folder() {
        assert_eq!(
            eml_name("0b6c1f0e-2f4e-4c1e-9d8a-1a2b3c4d5e6f@eportal.example"),
            "0b6c1f0e-2f4e-4c1e-9d8a-1a2b3c4d5e6f@eportal.example.eml"
        );
        assert_eq!(eml_name("../../etc/passwd"), "_.._etc_passwd.eml");
    }

    #[tokio::test]
    async fn a_redelivery_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write_eml(dir.path(), "a@b", b"first").await.unwrap();
        write_eml(dir.path(), "a@b", b"second").await.unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a@b.eml"]);
        assert_eq!(
            std::fs::read(dir.path().join("a@b.eml")).unwrap(),
            b"second"
        );
    }

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}

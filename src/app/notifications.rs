//! Notifications (SPEC §3.15): a customer's choice of them, the one-click unsubscribe, and the
//! scheduled run that queues what is due — new invoices by e-mail, the reading window's
//! reminders, published notices — in small batches, each customer and occasion once.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tokio_util::sync::CancellationToken;

use super::{AppError, Origin, Services};
use crate::auth::secret::new_token;
use crate::domain::reading_check::{ReadingWindow, ReminderDue};
use crate::i18n::Lang;
use crate::mail::{self, OutgoingMail, notification};
use crate::store::accounts::Account;
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::notices::{self, Notice};
use crate::store::notifications::{self, InvoiceEmailPayer, NotificationKind, Page, Recipient};
use crate::store::{Tx, begin_write, invoices, scheduler};

/// The lease of the scheduled run: how long another instance waits before taking over from
/// one that stopped without giving it up.
const LEASE: Duration = Duration::minutes(5);
/// How long before a look at who asked for a reminder or a notice began a subscription may
/// have read the clock and yet been stored only after the look had read the subscriptions: its
/// writer's wait for a connection and its turn (10 s each at most), and then some.
const STORED_LATE: Duration = Duration::minutes(5);
const JOB: &str = "notifications";
/// Messages queued in one transaction: small enough that SQLite's write lock is held for
/// milliseconds, so pages' writes slip in between batches.
const BATCH: u64 = 100;
/// How old an invoice may be and still be new: billing sends a period's invoices within days,
/// while a PDF of an older one (billing re-rendering its archive, say) is no news to mail.
const NEW_INVOICE_DAYS: i64 = 62;
/// How long an invoice whose PDF arrived waits for a customer who can get it (one whose
/// address is confirmed meanwhile, say) before it is forgotten.
const PENDING_DAYS: i64 = 7;

/// Turns on the kinds in `wanted` and off the others; the change is audited. Each kind turned
/// on gets a new secret for its unsubscribe links.
pub async fn choose(
    services: &Services,
    origin: &Origin,
    account: &Account,
    wanted: &[NotificationKind],
) -> Result<(), AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for &kind in NotificationKind::ALL {
        if wanted.contains(&kind) {
            if notifications::subscribe(&txn, account.id, kind, new_token(), now).await? {
                on.push(kind.as_str());
            }
        } else if notifications::unsubscribe(&txn, account.id, kind).await? {
            off.push(kind.as_str());
        }
    }
    if !on.is_empty() || !off.is_empty() {
        let event = Event::customer(&account.payer_code, AuditAction::NotificationsChanged)
            .from_addr(origin.addr())
            .details(serde_json::json!({ "on": on, "off": off }));
        audit::record(&txn, event, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What an unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribed {
    /// That kind is off now.
    Done(NotificationKind),
    /// The link is unknown, or its kind was turned off (and maybe on again, with a new link).
    NotSubscribed,
}

/// The link's kind, if it still unsubscribes one (for the page the link shows).
pub async fn link_kind(
    services: &Services,
    token: &str,
) -> Result<Option<NotificationKind>, AppError> {
    let found = notifications::by_token(&services.db, token).await?;
    Ok(found.map(|(subscription, _)| subscription.kind))
}

/// Turns off the kind an unsubscribe link names, audited; no sign-in needed: the link's
/// secret is the authority.
pub async fn unsubscribe(
    services: &Services,
    origin: &Origin,
    token: &str,
) -> Result<Unsubscribed, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let Some((subscription, payer_code)) = notifications::by_token(&txn, token).await? else {
        return Ok(Unsubscribed::NotSubscribed);
    };
    notifications::unsubscribe(&txn, subscription.account_id, subscription.kind).await?;
    let event = Event::customer(&payer_code, AuditAction::Unsubscribed)
        .subject(subscription.kind.as_str())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Unsubscribed::Done(subscription.kind))
}

/// Every payer who gets invoices by e-mail, for billing's printing run; the export is
/// audited, as the names and addresses leave the portal with it.
pub async fn export_invoice_email_payers(
    services: &Services,
    origin: &Origin,
    actor: Actor<'_>,
) -> Result<Vec<InvoiceEmailPayer>, AppError> {
    let payers = notifications::invoice_email_payers(&services.db, None).await?;
    let event = Event::new(actor, AuditAction::InvoiceEmailPayersExported)
        .from_addr(origin.addr())
        .details(serde_json::json!({ "payers": payers.len() }));
    audit::record(&services.db, event, services.now()).await?;
    Ok(payers)
}

/// How many messages a run queued, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queued {
    pub invoices: usize,
    pub reminders: usize,
    pub notices: usize,
}

/// Queues every notification due now, unless another instance (`holder` names this one) is
/// doing it: invoices whose PDF arrived, the reading window's reminder, notices not yet sent.
/// `None` when another instance holds the lease.
pub async fn run_due(
    services: &Services,
    window: Option<ReadingWindow>,
    holder: &str,
    stop: &CancellationToken,
) -> Result<Option<Queued>, AppError> {
    let db = &services.db;
    let started = services.now();
    if !scheduler::take(db, JOB, holder, started, started + LEASE).await? {
        return Ok(None);
    }
    let run = Run {
        services,
        holder,
        queued: Queued::default(),
        lease_lost: false,
        stop,
    };
    let result = run.all(window).await;
    // Given up whatever happened, so the next tick (here or elsewhere) need not wait for it.
    scheduler::release(db, JOB, holder, services.now()).await?;
    result.map(Some)
}

struct Run<'a> {
    services: &'a Services,
    holder: &'a str,
    queued: Queued,
    /// Another instance took the lease over (this one was too slow): it carries on instead.
    lease_lost: bool,
    /// This instance is stopping: it ends after the batch at hand and gives the lease up, and
    /// the next run (here or elsewhere) goes on where it stopped.
    stop: &'a CancellationToken,
}

/// One batch's recipients and what to send each.
type Batch = Vec<Recipient>;

impl Run<'_> {
    /// Each kind on its own: one that fails (and is logged) does not hold up the others.
    async fn all(mut self, window: Option<ReadingWindow>) -> Result<Queued, AppError> {
        let today = self.services.today();
        let invoices = self.invoices(today).await;
        let reminders = match window {
            Some(window) => self.reminders(window, today).await,
            None => Ok(()),
        };
        let notices = self.notices(today).await;
        let mut failed = None;
        for (kind, result) in [
            ("invoices", invoices),
            ("reminders", reminders),
            ("notices", notices),
        ] {
            if let Err(error) = result {
                tracing::error!(%error, kind, "cannot queue notifications");
                failed.get_or_insert(error);
            }
        }
        failed.map_or(Ok(self.queued), Err)
    }

    /// New invoices by e-mail: those whose PDF arrived lately, until none is left to send.
    async fn invoices(&mut self, today: NaiveDate) -> Result<(), AppError> {
        let db = &self.services.db;
        if !notifications::has_pending(db).await? {
            return Ok(());
        }
        let issued_since = today - Duration::days(NEW_INVOICE_DAYS);
        loop {
            let batch = notifications::invoices_to_send(db, issued_since, BATCH).await?;
            let Some(count) = self
                .send(NotificationKind::InvoiceEmail, batch, &Letters::Invoice)
                .await?
            else {
                break;
            };
            self.queued.invoices += count;
        }
        let stale_before = self.services.now() - Duration::days(PENDING_DAYS);
        notifications::forget_stale_pending(db, stale_before).await?;
        Ok(())
    }

    /// The reading window's reminder due today, to every customer it is for.
    async fn reminders(&mut self, window: ReadingWindow, today: NaiveDate) -> Result<(), AppError> {
        let (Some(due), Some((_, closes_on))) = (window.reminder_due(today), window.around(today))
        else {
            return Ok(());
        };
        let occasion = due.occasion();
        let kind = NotificationKind::ReadingReminder;
        // After the first pass, only who asked since is looked at, and who asked a little
        // before it began (the send records pass over whoever was reminded already).
        let asked_after = notifications::finished_at(&self.services.db, kind, &occasion)
            .await?
            .map(|finished| finished - STORED_LATE);
        let pass_started = self.services.now();
        let letters = Letters::Reminder { due, closes_on };
        let mut page = Page {
            after_account: 0,
            limit: BATCH,
        };
        loop {
            let batch = notifications::reminders_to_send(
                &self.services.db,
                &occasion,
                due.opened_on(),
                asked_after,
                page,
            )
            .await?;
            let Some(last) = batch.last() else { break };
            page.after_account = last.account_id;
            let Some(count) = self.send(kind, batch, &letters).await? else {
                break;
            };
            self.queued.reminders += count;
        }
        self.finish(kind, &occasion, pass_started).await
    }

    /// Neither another instance took the run over nor this one is stopping.
    fn carrying_on(&self) -> bool {
        !self.lease_lost && !self.stop.is_cancelled()
    }

    /// Records that `occasion` went to everyone it was for who had asked by `pass_started`,
    /// unless another instance took the run over before it was done.
    async fn finish(
        &self,
        kind: NotificationKind,
        occasion: &str,
        pass_started: DateTime<Utc>,
    ) -> Result<(), AppError> {
        if self.carrying_on() {
            notifications::finish(&self.services.db, kind, occasion, pass_started).await?;
        }
        Ok(())
    }

    /// Each valid notice, to every customer of its area who asked before it was published.
    /// Who asks after a notice was published never gets it; who asked before but was stored
    /// after a look read the subscriptions is found by a look that begins `STORED_LATE` after
    /// the publication (the send records pass over whoever got it already).
    async fn notices(&mut self, today: NaiveDate) -> Result<(), AppError> {
        for notice in notices::to_mail(&self.services.db, today, STORED_LATE).await? {
            let pass_started = self.services.now();
            let mut page = Page {
                after_account: 0,
                limit: BATCH,
            };
            loop {
                let batch = notifications::notice_to_send(&self.services.db, &notice, page).await?;
                let Some(last) = batch.last() else { break };
                page.after_account = last.account_id;
                let Some(count) = self
                    .send(NotificationKind::Notice, batch, &Letters::Notice(&notice))
                    .await?
                else {
                    break;
                };
                self.queued.notices += count;
            }
            self.finish(
                NotificationKind::Notice,
                &notice.id.to_string(),
                pass_started,
            )
            .await?;
        }
        Ok(())
    }

    /// Queues `batch` in one transaction, each recipient's message only if their send record
    /// is new (another run may have queued it meanwhile); `None` when the batch is empty or
    /// the lease went to another instance.
    async fn send(
        &mut self,
        kind: NotificationKind,
        batch: Batch,
        letters: &Letters<'_>,
    ) -> Result<Option<usize>, AppError> {
        if batch.is_empty() || !self.carrying_on() {
            return Ok(None);
        }
        let services = self.services;
        let now = services.now();
        if !scheduler::take(&services.db, JOB, self.holder, now, now + LEASE).await? {
            tracing::warn!("another instance took the notifications over");
            self.lease_lost = true;
            return Ok(None);
        }
        let txn = begin_write(&services.db).await?;
        let mut queued = 0;
        for recipient in &batch {
            if !notifications::record_sent(
                &txn,
                kind,
                &recipient.occasion,
                recipient.account_id,
                now,
            )
            .await?
            {
                continue;
            }
            let Some(mail) = letters.to(&txn, services, recipient).await? else {
                continue;
            };
            mail::enqueue(&txn, &services.site, mail, now).await?;
            queued += 1;
        }
        if kind == NotificationKind::InvoiceEmail {
            let numbers: Vec<String> = batch.iter().map(|r| r.occasion.clone()).collect();
            notifications::forget_pending(&txn, &numbers).await?;
        }
        txn.commit().await?;
        // Pages' writes go first between batches.
        services.clock.pause(StdDuration::from_millis(5)).await;
        Ok(Some(queued))
    }
}

/// The message of each kind.
enum Letters<'a> {
    Invoice,
    Reminder {
        due: ReminderDue,
        closes_on: chrono::NaiveDate,
    },
    Notice(&'a Notice),
}

impl Letters<'_> {
    /// The message to `recipient`; `None` when its invoice went meanwhile.
    async fn to(
        &self,
        txn: &Tx,
        services: &Services,
        recipient: &Recipient,
    ) -> Result<Option<OutgoingMail>, AppError> {
        let lang = Lang::parse(&recipient.lang).unwrap_or_default();
        let site = &services.site;
        let (letter, invoice_number) = match self {
            Letters::Invoice => {
                let Some((invoice, payer)) = invoices::with_payer(txn, &recipient.occasion).await?
                else {
                    return Ok(None);
                };
                let letter = notification::invoice(lang, site, &invoice, &payer);
                (letter, Some(invoice.number))
            }
            Letters::Reminder { due, closes_on } => {
                (notification::reminder(lang, site, *due, *closes_on), None)
            }
            Letters::Notice(notice) => (notification::notice(lang, site, notice), None),
        };
        let mut mail =
            notification::to(letter, site, &recipient.email, &recipient.unsubscribe_token)?;
        mail.invoice_number = invoice_number;
        Ok(Some(mail))
    }
}

//! Registration (SPEC §3.1) and activation (§3.2): a payer's account waits with an e-mail
//! address and a password until the link mailed to that address activates it.

use chrono::Duration;

use super::{AppError, Origin, Services};
use crate::domain::email::EmailAddress;
use crate::domain::payer_code::PayerCode;
use crate::domain::throttle::ThrottleKey;
use crate::i18n::{Arg, Lang};
use crate::mail::{self, letter::Letter};
use crate::store::accounts::{self, Account, AccountState};
use crate::store::audit::{self, AuditAction, Event};
use crate::store::control_numbers::{self, ControlNumber};
use crate::store::payers::{self, Payer};
use crate::store::tokens::{self, AccountToken, Purpose};
use crate::store::{Tx, begin_write, invoices, throttles};

/// How long an activation link works.
pub const LINK_VALID_HOURS: i64 = 48;
/// New links one account may ask for per [`RESEND_WINDOW_HOURS`], and one client address.
const RESENDS_PER_ACCOUNT: u32 = 5;
const RESENDS_PER_ADDRESS: u32 = 20;
const RESEND_WINDOW_HOURS: i64 = 1;

/// What proves that the registrant holds the payer's papers.
#[derive(Debug, Clone)]
pub enum Proof {
    /// The number of one of the payer's invoices.
    Invoice,
    /// A control number staff issued, used up by the registration.
    Issued(ControlNumber),
}

impl Proof {
    fn word(&self) -> &'static str {
        match self {
            Proof::Invoice => "invoice",
            Proof::Issued(_) => "control_number",
        }
    }
}

/// The payer named by `code`, with its proof, if `number` is one of its control numbers. All
/// the look-ups run whatever each finds, so an unknown payer takes as long as a wrong number.
pub async fn prove(
    services: &Services,
    code: &PayerCode,
    number: &str,
) -> Result<Option<(Payer, Proof)>, AppError> {
    let db = &services.db;
    let now = services.now();
    let payer = payers::find(db, code.as_str()).await?;
    let invoice = invoices::is_payers_invoice(db, code.as_str(), number).await?;
    let issued = control_numbers::find_usable(db, code.as_str(), number, now).await?;
    let proof = match (invoice, issued) {
        (true, _) => Some(Proof::Invoice),
        (false, Some(issued)) => Some(Proof::Issued(issued)),
        (false, None) => None,
    };
    Ok(payer.zip(proof))
}

/// A registration whose payer and proof [`prove`] found.
pub struct Registration {
    pub payer: Payer,
    pub proof: Proof,
    pub email: EmailAddress,
    pub password: String,
    pub lang: Lang,
}

#[derive(Debug)]
pub enum Registered {
    /// The account waits; the link went to the address.
    LinkSent,
    /// The staff-issued control number was used up by another registration a moment ago.
    ProofUsedUp,
    /// The payer has an active or locked account, left as it is.
    Exists(Box<Account>),
}

/// Stores the pending account (replacing an earlier pending attempt) and mails its link.
pub async fn register(
    services: &Services,
    origin: &Origin,
    registration: Registration,
) -> Result<Registered, AppError> {
    let Registration {
        payer,
        proof,
        email,
        password,
        lang,
    } = registration;
    if let Some(account) = accounts::find_by_payer_code(&services.db, &payer.code).await?
        && account.state != AccountState::Pending
    {
        return Ok(Registered::Exists(Box::new(account)));
    }
    let password_hash = services.hasher.hash(password).await?;
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    let proof_holds = match &proof {
        Proof::Invoice => true,
        Proof::Issued(issued) => control_numbers::use_up(&txn, issued.id, now).await?,
    };
    if !proof_holds {
        return Ok(Registered::ProofUsedUp);
    }
    let pending = accounts::find_by_payer_code(&txn, &payer.code).await?;
    let registered =
        accounts::register_pending(&txn, &payer.code, email.as_str(), &password_hash, lang, now)
            .await?;
    let Some(account_id) = registered else {
        drop(txn);
        let account = accounts::find_by_payer_code(&services.db, &payer.code).await?;
        return account
            .map(|account| Registered::Exists(Box::new(account)))
            .ok_or(AppError::PayerMissing(payer.code));
    };
    send_link(
        &txn,
        services,
        account_id,
        &payer.code,
        email.as_str(),
        lang,
    )
    .await?;
    let event = Event::customer(&payer.code, AuditAction::Registration)
        .subject(payer.code.clone())
        .from_addr(origin.addr())
        .details(serde_json::json!({
            "proof": proof.word(),
            "replaced_pending": pending.is_some(),
        }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Registered::LinkSent)
}

/// Activates the account of a valid link's token. False when another press activated it first.
pub async fn activate(
    services: &Services,
    origin: &Origin,
    token: &AccountToken,
    account: &Account,
) -> Result<bool, AppError> {
    let now = services.now();
    let txn = begin_write(&services.db).await?;
    if !tokens::consume(&txn, token.id, now).await?
        || !accounts::activate(&txn, account.id, now).await?
    {
        return Ok(false);
    }
    let event = Event::customer(&account.payer_code, AuditAction::Activation)
        .subject(account.payer_code.clone())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    Sent,
    TooMany,
    /// The account has no address to send to.
    NoAddress,
}

/// A new link for a pending account, to the account's own address, voiding earlier ones.
pub async fn resend(
    services: &Services,
    origin: &Origin,
    account: &Account,
    lang: Lang,
) -> Result<Resent, AppError> {
    let Some(email) = account.email.as_deref() else {
        return Ok(Resent::NoAddress);
    };
    let now = services.now();
    let window = Duration::hours(RESEND_WINDOW_HOURS);
    let addr = origin.addr().unwrap_or_default();
    let by_account = ThrottleKey::ActivationResendAccount(account.id);
    let by_address = ThrottleKey::ActivationResendAddress(addr);
    // Counted in the transaction that mails, so two requests at once cannot both pass.
    let txn = begin_write(&services.db).await?;
    if throttles::hits(&txn, by_account, window, now).await? >= RESENDS_PER_ACCOUNT
        || throttles::hits(&txn, by_address, window, now).await? >= RESENDS_PER_ADDRESS
    {
        return Ok(Resent::TooMany);
    }
    throttles::hit(&txn, by_account, window, now).await?;
    throttles::hit(&txn, by_address, window, now).await?;
    send_link(&txn, services, account.id, &account.payer_code, email, lang).await?;
    let event = Event::customer(&account.payer_code, AuditAction::ActivationResent)
        .subject(account.payer_code.clone())
        .from_addr(origin.addr());
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Resent::Sent)
}

/// Makes a new activation link for the account, voiding its earlier ones, and queues the
/// e-mail with it in `txn`.
pub(super) async fn send_link(
    txn: &Tx,
    services: &Services,
    account_id: i64,
    payer_code: &str,
    email: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let now = services.now();
    let valid_for = Duration::hours(LINK_VALID_HOURS);
    let token = tokens::issue(txn, account_id, Purpose::Activation, None, valid_for, now).await?;
    let hours = [("hours", Arg::Number(LINK_VALID_HOURS))];
    let letter = Letter::new(lang, "register-mail-subject")
        .paragraph(lang.t_with("register-mail-received", &[("username", payer_code.into())]))
        .paragraph(lang.t("register-mail-how"))
        .action(
            "register-mail-action",
            services.site.link_with_token("/activate", &token),
        )
        .after(lang.t_with("register-mail-valid", &hours))
        .after(lang.t("register-mail-not-you"));
    let mail = letter.to(email, &services.site.company)?;
    mail::enqueue(txn, &services.site, mail, now).await?;
    Ok(())
}

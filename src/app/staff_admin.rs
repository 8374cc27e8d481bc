//! An administrator's hand on the back office's users ("Osebje"): add, disable, reset the
//! second factor, change the role. The first administrator comes from `eportal staff add`.

use chrono::{DateTime, Utc};

use super::{AppError, Origin, Services};
use crate::auth::hasher::Hasher;
use crate::domain::staff::StaffUsername;
use crate::store::audit::{self, Actor, AuditAction, Event};
use crate::store::staff::{self, Role, StaffUser};
use crate::store::{Db, begin_write};

/// What became of adding a staff user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Done(i64),
    /// The user name is taken.
    Taken,
}

/// A staff user to add; the password's length is checked by the caller.
#[derive(Debug)]
pub struct NewStaffUser {
    pub username: StaffUsername,
    pub role: Role,
    pub password: String,
}

/// Adds a staff user; `admin` is who added them in "Osebje", `None` the command line (`eportal
/// staff add`, which has no [`Services`]). They enrol their second factor at their first
/// sign-in.
pub async fn add(
    (db, hasher): (&Db, &Hasher),
    origin: &Origin,
    admin: Option<&StaffUser>,
    new: NewStaffUser,
    now: DateTime<Utc>,
) -> Result<Added, AppError> {
    let NewStaffUser {
        username,
        role,
        password,
    } = new;
    let hash = hasher.hash(password).await?;
    let txn = begin_write(db).await?;
    let Some(id) = staff::add(&txn, username.as_str(), hash, role, now).await? else {
        return Ok(Added::Taken);
    };
    let actor = admin.map_or(Actor::System, |admin| Actor::Staff(&admin.username));
    let event = Event::new(actor, AuditAction::StaffAdded)
        .subject(username.as_str())
        .from_addr(origin.addr())
        .details(serde_json::json!({ "role": role.as_str() }));
    audit::record(&txn, event, now).await?;
    txn.commit().await?;
    Ok(Added::Done(id))
}

/// A strong first password for a staff user added in "Osebje", shown once to the
/// administrator: 20 letters and digits that cannot be mistaken for each other (about 100
/// bits), in groups of five.
pub fn first_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let bytes: [u8; 20] = rand::random();
    bytes
        .chunks(5)
        .map(|group| {
            group
                .iter()
                .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A change an administrator makes to another staff user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffChange {
    /// Their sessions end at their next request and they cannot sign in.
    Disable,
    Enable,
    /// Their second factor and recovery codes go: their sessions end at their next request
    /// and they enrol anew at their next sign-in (a lost phone).
    ResetSecondFactor,
    /// In force from their next request.
    SetRole(Role),
}

/// What became of a change to a staff user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// No such user, or it was so already.
    Unchanged,
    /// Administrators change nothing of their own here: nobody might be left to undo it.
    Yourself,
}

/// Makes `change` to staff user `id`, audited with the administrator's name.
pub async fn change(
    services: &Services,
    origin: &Origin,
    admin: &StaffUser,
    id: i64,
    change: StaffChange,
) -> Result<Changed, AppError> {
    if id == admin.id {
        return Ok(Changed::Yourself);
    }
    let txn = begin_write(&services.db).await?;
    // Read again in this transaction: two administrators demoting or disabling each other
    // at once must not leave none.
    let still_admin = staff::find(&txn, admin.id)
        .await?
        .is_some_and(|me| me.role == Role::Admin && !me.disabled);
    let target = staff::find(&txn, id).await?;
    let (true, Some(target)) = (still_admin, target) else {
        return Ok(Changed::Unchanged);
    };
    let (done, action) = match change {
        StaffChange::Disable => (
            staff::set_disabled(&txn, id, true).await?,
            AuditAction::StaffDisabled,
        ),
        StaffChange::Enable => (
            staff::set_disabled(&txn, id, false).await?,
            AuditAction::StaffEnabled,
        ),
        StaffChange::ResetSecondFactor => {
            staff::reset_second_factor(&txn, id).await?;
            (true, AuditAction::StaffTotpReset)
        }
        StaffChange::SetRole(role) => (
            staff::set_role(&txn, id, role).await?,
            AuditAction::StaffRoleChanged,
        ),
    };
    if !done {
        return Ok(Changed::Unchanged);
    }
    let mut event = Event::staff(&admin.username, action)
        .subject(target.username)
        .from_addr(origin.addr());
    if let StaffChange::SetRole(role) = change {
        event = event.details(serde_json::json!({ "role": role.as_str() }));
    }
    audit::record(&txn, event, services.now()).await?;
    txn.commit().await?;
    Ok(Changed::Done)
}

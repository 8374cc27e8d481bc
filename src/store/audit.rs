//! The audit trail of security events. Never holds a password, token or CAPTCHA answer.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, SelectModel, Set,
};

use sea_orm::sea_query::Expr;

use super::BuiltOnce;
use super::entity::audit_event;

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// Someone not signed in; `Some` names what they claimed to be (a user name typed).
    Anonymous(Option<&'a str>),
    /// A customer, by payer code.
    Customer(&'a str),
    Staff(&'a str),
    /// A client of the API, by its token's name.
    Api(&'a str),
    System,
}

impl Actor<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Actor::Anonymous(_) => "anonymous",
            Actor::Customer(_) => "customer",
            Actor::Staff(_) => "staff",
            Actor::Api(_) => "api",
            Actor::System => "system",
        }
    }

    fn name(&self) -> Option<String> {
        match self {
            Actor::Anonymous(name) => name.map(|name| name.chars().take(120).collect()),
            Actor::Customer(name) | Actor::Staff(name) | Actor::Api(name) => {
                Some((*name).to_owned())
            }
            Actor::System => None,
        }
    }
}

pub use super::entity::states::AuditAction;

/// One event: who did what, to what, from where.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor: Actor<'a>,
    pub action: AuditAction,
    pub subject: Option<String>,
    pub client_addr: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl<'a> Event<'a> {
    pub fn new(actor: Actor<'a>, action: AuditAction) -> Self {
        Self {
            actor,
            action,
            subject: None,
            client_addr: None,
            details: None,
        }
    }

    /// What a staff user did.
    pub fn staff(username: &'a str, action: AuditAction) -> Self {
        Self::new(Actor::Staff(username), action)
    }

    /// What a customer did.
    pub fn customer(payer_code: &'a str, action: AuditAction) -> Self {
        Self::new(Actor::Customer(payer_code), action)
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn from_addr(mut self, client_addr: Option<&str>) -> Self {
        self.client_addr = client_addr.map(str::to_owned);
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

pub use super::entity::audit_event::Model as AuditEvent;

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    event: Event<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        at: Set(now),
        actor_kind: Set(event.actor.kind().to_owned()),
        actor: Set(event.actor.name()),
        action: Set(event.action),
        subject: Set(event.subject),
        client_addr: Set(event.client_addr),
        details: Set(event.details.map(|details| details.to_string())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The customer's latest `limit` events of `action`, newest first.
pub async fn latest_of_customer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    action: AuditAction,
    limit: u64,
) -> Result<Vec<AuditEvent>, DbErr> {
    static LATEST_OF_CUSTOMER: BuiltOnce = BuiltOnce::new();
    let kind = Actor::Customer(payer_code).kind();
    let query = || {
        audit_event::Entity::find()
            .filter(audit_event::Column::ActorKind.eq(kind))
            .filter(audit_event::Column::Actor.eq(payer_code))
            .filter(audit_event::Column::Action.eq(action))
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .limit(limit)
            .into_query()
    };
    let values = vec![kind.into(), payer_code.into(), action.into(), limit.into()];
    LATEST_OF_CUSTOMER
        .all::<SelectModel<AuditEvent>, _>(conn, values, query)
        .await
}

/// Keeps of a deleted customer's events only the payer code: where they came from and what
/// else they recorded goes — their own, and those of sign-in attempts and requests made under
/// their payer code or e-mail address (`names`).
pub async fn forget_customer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    names: &[&str],
) -> Result<(), DbErr> {
    let theirs = Condition::any()
        .add(
            Condition::all()
                .add(audit_event::Column::ActorKind.eq(Actor::Customer(payer_code).kind()))
                .add(audit_event::Column::Actor.eq(payer_code)),
        )
        .add(
            Condition::all()
                .add(audit_event::Column::ActorKind.eq(Actor::Anonymous(None).kind()))
                .add(audit_event::Column::Actor.is_in(names.iter().copied())),
        );
    audit_event::Entity::update_many()
        .col_expr(
            audit_event::Column::ClientAddr,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            audit_event::Column::Details,
            Expr::value(Option::<String>::None),
        )
        .filter(theirs)
        .exec(conn)
        .await?;
    Ok(())
}

/// What the back office looks for in the audit trail; each part given narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    /// A name the event was done by or to: a user name, a payer code, an id.
    pub who: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// The first instant no longer included.
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn select(&self) -> Select<audit_event::Entity> {
        let mut query = audit_event::Entity::find();
        if let Some(action) = self.action {
            query = query.filter(audit_event::Column::Action.eq(action));
        }
        if let Some(who) = &self.who {
            query = query.filter(
                Condition::any()
                    .add(audit_event::Column::Actor.eq(who.as_str()))
                    .add(audit_event::Column::Subject.eq(who.as_str())),
            );
        }
        if let Some(from) = self.from {
            query = query.filter(audit_event::Column::At.gte(from));
        }
        if let Some(until) = self.until {
            query = query.filter(audit_event::Column::At.lt(until));
        }
        query
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
    }
}

/// The events `filter` finds, newest first, `limit` of them after the first `offset`.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<AuditEvent>, DbErr> {
    filter.select().offset(offset).limit(limit).all(conn).await
}

/// Where a walk through the trail stands: the last event it gave (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailCursor {
    at: DateTime<Utc>,
    id: i64,
}

impl From<&AuditEvent> for TrailCursor {
    fn from(event: &AuditEvent) -> Self {
        Self {
            at: event.at,
            id: event.id,
        }
    }
}

/// The next `limit` events `filter` finds after `cursor` (from the newest with none), newest
/// first: a walk by keys, whose cost does not grow with how far it has gone.
pub async fn page_after<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    cursor: Option<TrailCursor>,
    limit: u64,
) -> Result<Vec<AuditEvent>, DbErr> {
    let mut query = filter.select();
    if let Some(TrailCursor { at, id }) = cursor {
        query = query.filter(
            Condition::any().add(audit_event::Column::At.lt(at)).add(
                Condition::all()
                    .add(audit_event::Column::At.eq(at))
                    .add(audit_event::Column::Id.lt(id)),
            ),
        );
    }
    query.limit(limit).all(conn).await
}

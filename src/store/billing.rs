//! The copy of billing data: upserts by natural key that write only what differs, so applying
//! the same data twice changes nothing, and the look-ups that reference checks need.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Statement,
};

use super::entity::{
    import_run, invoice, invoice_line, invoice_pdf, meter, open_item, payer, point, point_service,
    price, reading, service,
};
use super::import_session::{Members, Mention, Staged};
use super::{Db, Tx, begin_write};
use crate::domain::billing::{
    InvoiceLineRecord, InvoiceRecord, MeterRecord, OpenItemRecord, PayerRecord, PointRecord,
    PriceRecord, ReadingRecord,
};
use crate::import::{Kind, Reference};

/// Keeps each statement well under SQLite's limit on bound parameters.
const CHUNK: usize = 500;

/// What an upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows that a complete set (open items) no longer has.
    pub deleted: usize,
}

impl Changes {
    /// Rows that are not as they were.
    pub fn changed(&self) -> usize {
        self.inserted + self.updated + self.deleted
    }

    pub fn is_empty(&self) -> bool {
        self.inserted == 0 && self.updated == 0 && self.deleted == 0
    }
}

/// The things billing rows refer to, by their natural key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTable {
    Payers,
    Points,
    Meters,
    Services,
    Invoices,
}

/// Which of `keys` exist in `table`.
pub async fn known_keys<C: ConnectionTrait>(
    conn: &C,
    table: KeyTable,
    keys: &BTreeSet<String>,
) -> Result<HashSet<String>, DbErr> {
    let mut known = HashSet::new();
    let keys: Vec<&String> = keys.iter().collect();
    for chunk in keys.chunks(CHUNK) {
        let chunk = chunk.iter().map(|key| key.as_str());
        let found: Vec<String> = match table {
            KeyTable::Payers => {
                select_keys::<payer::Entity, _>(conn, payer::Column::Code, chunk).await?
            }
            KeyTable::Points => {
                select_keys::<point::Entity, _>(conn, point::Column::Code, chunk).await?
            }
            KeyTable::Meters => {
                select_keys::<meter::Entity, _>(conn, meter::Column::Serial, chunk).await?
            }
            KeyTable::Services => {
                select_keys::<service::Entity, _>(conn, service::Column::Code, chunk).await?
            }
            KeyTable::Invoices => {
                select_keys::<invoice::Entity, _>(conn, invoice::Column::Number, chunk).await?
            }
        };
        known.extend(found);
    }
    Ok(known)
}

async fn select_keys<'a, E, C>(
    conn: &C,
    column: E::Column,
    keys: impl Iterator<Item = &'a str>,
) -> Result<Vec<String>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    E::find()
        .select_only()
        .column(column)
        .filter(column.is_in(keys))
        .into_tuple()
        .all(conn)
        .await
}

/// Loads the existing rows whose `column` is among `values`, keyed by `key`.
async fn existing<E, C, K>(
    conn: &C,
    column: E::Column,
    values: impl IntoIterator<Item = String>,
    key: impl Fn(&E::Model) -> K,
) -> Result<HashMap<K, E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Hash + Eq,
{
    let values: BTreeSet<String> = values.into_iter().collect();
    let values: Vec<String> = values.into_iter().collect();
    let mut found = HashMap::new();
    for chunk in values.chunks(CHUNK) {
        for model in E::find()
            .filter(column.is_in(chunk.iter().cloned()))
            .all(conn)
            .await?
        {
            found.insert(key(&model), model);
        }
    }
    Ok(found)
}

/// Inserts the new rows and updates the changed ones. `same` tells whether a new row equals
/// the stored one apart from bookkeeping (the time it was last written).
async fn write_rows<E, C, K>(
    conn: &C,
    rows: Vec<E::Model>,
    stored: &HashMap<K, E::Model>,
    key: impl Fn(&E::Model) -> K,
    same: impl Fn(&E::Model, &E::Model) -> bool,
) -> Result<Changes, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Hash + Eq,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    let mut changes = Changes::default();
    let mut inserts = Vec::new();
    for row in rows {
        match stored.get(&key(&row)) {
            None => inserts.push(row.into_active_model()),
            Some(old) if same(&row, old) => changes.unchanged += 1,
            Some(_) => {
                E::update(row.into_active_model().reset_all())
                    .exec(conn)
                    .await?;
                changes.updated += 1;
            }
        }
    }
    changes.inserted = inserts.len();
    let mut inserts = inserts.into_iter().peekable();
    while inserts.peek().is_some() {
        let chunk: Vec<_> = inserts.by_ref().take(CHUNK / 16).collect();
        E::insert_many(chunk).exec_without_returning(conn).await?;
    }
    Ok(changes)
}

/// The key of the PostgreSQL advisory lock imports hold (the ASCII of "eportimp").
pub(super) const IMPORT_LOCK: i64 = 0x6570_6f72_7469_6d70;

/// Begins the transaction an import applies in, once an import running on another connection
/// or instance has finished. On PostgreSQL two imports of the same new rows would otherwise
/// both insert them, and the later would fail on the unique key; SQLite's immediate
/// transaction already lets one writer in at a time.
pub async fn begin_import(db: &Db) -> Result<Tx, DbErr> {
    let txn = begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [IMPORT_LOCK.into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// The tables an import of `kind` writes to.
fn tables_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Payers => "payers",
        Kind::Prices => "services, prices",
        Kind::Points => "points, point_services",
        Kind::Meters => "meters",
        Kind::Readings => "readings",
        Kind::Invoices => "invoices",
        Kind::InvoiceLines => "invoice_lines",
        Kind::OpenItems => "open_items",
    }
}

/// Brings the query planner's statistics up to date after an import changed many rows of
/// `kind`, so that pages are not planned on the numbers of an empty table until autovacuum
/// (which may be late, or off) gets round to it. Only the tables the import wrote: analysing
/// a table while it is still empty (point_services before the first points) would tell the
/// planner it stays empty, and the next import would scan it row by row (measured: the points
/// of 20,000 payers at 473 rows/s instead of thousands).
pub async fn refresh_statistics(db: &Db, kind: Kind) -> Result<(), DbErr> {
    let statement = match db.get_database_backend() {
        DbBackend::Postgres => format!("ANALYZE {}", tables_of(kind)),
        // Every table, not only those this pooled connection happened to query (0x10000),
        // analysed where that helps (0x02), from a sample (0x10): a full ANALYZE of 4.1
        // million invoice lines took 6.4 s, holding the write lock the portal waits on.
        _ => "PRAGMA optimize(0x10012)".to_owned(),
    };
    db.execute_unprepared(&statement).await.map(|_| ())
}

/// Brings SQLite's statistics up to date where a table grew or shrank much since they were
/// taken (PostgreSQL's autovacuum does this by itself). The tables the portal fills itself
/// (accounts, sessions, sends) are analysed by the first import while nearly empty; without
/// this, 20,000 accounts later the planner still took `accounts` for one row and scanned it
/// on every page (`/home` 552 requests/s, analysed 4,797).
pub async fn refresh_grown_statistics(db: &Db) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA optimize(0x10012)").await?;
    }
    Ok(())
}

/// A billing record as the row of the table that keeps it.
pub trait StoredAs {
    type Entity: Staged;
    /// The row, taking the record's strings rather than copying them: an import stages
    /// millions.
    fn into_model(self, now: DateTime<Utc>) -> <Self::Entity as EntityTrait>::Model;

    /// The keys of its members ([`Staged::MEMBERS`]), taken out of the record.
    fn take_members(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// The rows of records the caller keeps (an upsert compares them with what is stored).
fn rows_of<R: StoredAs + Clone>(
    records: &[R],
    now: DateTime<Utc>,
) -> Vec<<R::Entity as EntityTrait>::Model> {
    records.iter().cloned().map(|r| r.into_model(now)).collect()
}

impl StoredAs for PointRecord {
    type Entity = point::Entity;
    fn into_model(self, now: DateTime<Utc>) -> point::Model {
        point::Model {
            code: self.code,
            payer_code: self.payer_code.into(),
            street: self.street,
            postal_code: self.postal_code,
            city: self.city,
            kind: self.kind,
            active: self.active,
            updated_at: now,
        }
    }

    fn take_members(&mut self) -> Vec<String> {
        std::mem::take(&mut self.services)
    }
}

impl Staged for payer::Entity {
    const REFERENCES: &'static [Mention] = &[];
}

impl Staged for point::Entity {
    const REFERENCES: &'static [Mention] = &[Mention {
        column: "payer_code",
        what: Reference::Payer,
        table: "payers",
        key: "code",
    }];
    const MEMBERS: Option<Members> = Some(Members {
        table: "point_services",
        owner: "point_code",
        member: "service_code",
        mention: Mention {
            column: "services",
            what: Reference::Service,
            table: "services",
            key: "code",
        },
    });
}

impl Staged for meter::Entity {
    const REFERENCES: &'static [Mention] = &[Mention {
        column: "point_code",
        what: Reference::Point,
        table: "points",
        key: "code",
    }];
}

impl Staged for reading::Entity {
    const REFERENCES: &'static [Mention] = &[Mention {
        column: "meter_serial",
        what: Reference::Meter,
        table: "meters",
        key: "serial",
    }];
}

impl Staged for invoice::Entity {
    const REFERENCES: &'static [Mention] = &[
        Mention {
            column: "payer_code",
            what: Reference::Payer,
            table: "payers",
            key: "code",
        },
        Mention {
            column: "point_code",
            what: Reference::Point,
            table: "points",
            key: "code",
        },
    ];
}

impl Staged for invoice_line::Entity {
    const REFERENCES: &'static [Mention] = &[
        Mention {
            column: "invoice_number",
            what: Reference::Invoice,
            table: "invoices",
            key: "number",
        },
        Mention {
            column: "service_code",
            what: Reference::Service,
            table: "services",
            key: "code",
        },
    ];
}

impl StoredAs for PayerRecord {
    type Entity = payer::Entity;
    fn into_model(self, now: DateTime<Utc>) -> payer::Model {
        payer::Model {
            code: self.code.into(),
            name: self.name,
            street: self.street,
            postal_code: self.postal_code,
            city: self.city,
            tax_number: self.tax_number.map(String::from),
            email: self.email,
            phone: self.phone,
            updated_at: now,
        }
    }
}

impl StoredAs for MeterRecord {
    type Entity = meter::Entity;
    fn into_model(self, now: DateTime<Utc>) -> meter::Model {
        meter::Model {
            serial: self.serial,
            point_code: self.point_code,
            medium: self.medium,
            unit: self.unit,
            digits: i16::from(self.digits),
            decimals: i16::from(self.decimals),
            dn: self.dn.map(i32::from),
            installed_on: self.installed_on,
            removed_on: self.removed_on,
            updated_at: now,
        }
    }
}

impl StoredAs for ReadingRecord {
    type Entity = reading::Entity;
    fn into_model(self, now: DateTime<Utc>) -> reading::Model {
        reading::Model {
            meter_serial: self.meter_serial,
            read_on: self.read_on,
            source: self.source.as_str().to_owned(),
            litres: self.value.litres(),
            updated_at: now,
        }
    }
}

impl StoredAs for InvoiceRecord {
    type Entity = invoice::Entity;
    fn into_model(self, now: DateTime<Utc>) -> invoice::Model {
        invoice::Model {
            number: self.number,
            payer_code: self.payer_code.into(),
            point_code: self.point_code,
            issue_date: self.issue_date,
            period_from: self.period_from,
            period_to: self.period_to,
            due_date: self.due_date,
            net_cents: self.net.0,
            vat_cents: self.vat.0,
            total_cents: self.total.0,
            reference: self.reference,
            updated_at: now,
        }
    }
}

impl StoredAs for InvoiceLineRecord {
    type Entity = invoice_line::Entity;
    fn into_model(self, now: DateTime<Utc>) -> invoice_line::Model {
        invoice_line::Model {
            invoice_number: self.invoice_number,
            // The import refuses line numbers beyond 32 bits.
            line_no: i32::try_from(self.line_no).unwrap_or(i32::MAX),
            service_code: self.service_code,
            description: self.description,
            quantity_thousandths: self.quantity.map(|q| q.0),
            unit: self.unit,
            unit_price_ten_thousandths: self.unit_price.map(|p| p.0),
            vat_rate_bp: self
                .vat_rate
                .map(crate::domain::vat::VatRate::as_basis_points),
            amount_cents: self.amount.0,
            updated_at: now,
        }
    }
}

/// Whether billing data has arrived at all (the demo fills only an empty database).
pub async fn has_payers<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(payer::Entity::find().one(conn).await?.is_some())
}

pub async fn upsert_payers<C: ConnectionTrait>(
    conn: &C,
    records: &[PayerRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let stored = existing::<payer::Entity, _, _>(
        conn,
        payer::Column::Code,
        records.iter().map(|r| r.code.as_str().to_owned()),
        |m| m.code.clone(),
    )
    .await?;
    let rows = rows_of(records, now);
    write_rows::<payer::Entity, _, _>(
        conn,
        rows,
        &stored,
        |m| m.code.clone(),
        |new, old| {
            payer::Model {
                updated_at: old.updated_at,
                ..new.clone()
            } == *old
        },
    )
    .await
}

/// Prices, and the services they name (name and unit from the newest price of the file).
pub async fn upsert_prices<C: ConnectionTrait>(
    conn: &C,
    records: &[PriceRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let mut newest: HashMap<&str, &PriceRecord> = HashMap::new();
    for record in records {
        let entry = newest.entry(&record.service_code).or_insert(record);
        if record.valid_from > entry.valid_from {
            *entry = record;
        }
    }
    let stored_services = existing::<service::Entity, _, _>(
        conn,
        service::Column::Code,
        newest.keys().map(|code| (*code).to_owned()),
        |m| m.code.clone(),
    )
    .await?;
    let services = newest
        .values()
        .map(|r| service::Model {
            code: r.service_code.clone(),
            name: r.name.clone(),
            unit: r.unit.clone(),
            updated_at: now,
        })
        .collect();
    write_rows::<service::Entity, _, _>(
        conn,
        services,
        &stored_services,
        |m| m.code.clone(),
        |new, old| {
            service::Model {
                updated_at: old.updated_at,
                ..new.clone()
            } == *old
        },
    )
    .await?;

    let stored = existing::<price::Entity, _, _>(
        conn,
        price::Column::ServiceCode,
        records.iter().map(|r| r.service_code.clone()),
        |m| (m.service_code.clone(), m.valid_from),
    )
    .await?;
    let rows = records
        .iter()
        .map(|r| price::Model {
            service_code: r.service_code.clone(),
            valid_from: r.valid_from,
            price_ten_thousandths: r.price.0,
            vat_rate_bp: r.vat_rate.as_basis_points(),
            updated_at: now,
        })
        .collect();
    write_rows::<price::Entity, _, _>(
        conn,
        rows,
        &stored,
        |m| (m.service_code.clone(), m.valid_from),
        |new, old| {
            price::Model {
                updated_at: old.updated_at,
                ..new.clone()
            } == *old
        },
    )
    .await
}

/// Points and the services billed at each (a point's set is replaced by the file's).
pub async fn upsert_points<C: ConnectionTrait>(
    conn: &C,
    records: &[PointRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let codes = || records.iter().map(|r| r.code.clone());
    let stored =
        existing::<point::Entity, _, _>(conn, point::Column::Code, codes(), |m| m.code.clone())
            .await?;
    let rows: Vec<point::Model> = rows_of(records, now);
    let same = |new: &point::Model, old: &point::Model| {
        point::Model {
            updated_at: old.updated_at,
            ..new.clone()
        } == *old
    };

    let mut stored_services: HashMap<String, BTreeSet<String>> = HashMap::new();
    let links = existing::<point_service::Entity, _, _>(
        conn,
        point_service::Column::PointCode,
        codes(),
        |m| (m.point_code.clone(), m.service_code.clone()),
    )
    .await?;
    for (point_code, service_code) in links.into_keys() {
        stored_services
            .entry(point_code)
            .or_default()
            .insert(service_code);
    }
    let mut changed_services = Vec::new();
    let mut changed_only_in_services = 0;
    for (record, row) in records.iter().zip(&rows) {
        let wanted: BTreeSet<String> = record.services.iter().cloned().collect();
        let had = stored_services.remove(&record.code).unwrap_or_default();
        if had != wanted {
            if stored.get(&record.code).is_some_and(|old| same(row, old)) {
                changed_only_in_services += 1;
            }
            changed_services.push((record.code.clone(), wanted));
        }
    }

    let mut changes =
        write_rows::<point::Entity, _, _>(conn, rows, &stored, |m| m.code.clone(), same).await?;
    changes.unchanged -= changed_only_in_services;
    changes.updated += changed_only_in_services;

    // The changed points' services replaced a chunk of points at a time: a statement per
    // point made the points the slowest kind to import (7,000 rows/s on SQLite, 2,800 on
    // PostgreSQL for 114,000 points).
    for chunk in changed_services.chunks(CHUNK) {
        point_service::Entity::delete_many()
            .filter(point_service::Column::PointCode.is_in(chunk.iter().map(|(code, _)| code)))
            .exec(conn)
            .await?;
        let links: Vec<_> = chunk
            .iter()
            .flat_map(|(point_code, services)| {
                services.iter().map(|service_code| {
                    point_service::Model {
                        point_code: point_code.clone(),
                        service_code: service_code.clone(),
                    }
                    .into_active_model()
                })
            })
            .collect();
        for links in links.chunks(CHUNK) {
            point_service::Entity::insert_many(links.to_vec())
                .exec_without_returning(conn)
                .await?;
        }
    }
    Ok(changes)
}

pub async fn upsert_meters<C: ConnectionTrait>(
    conn: &C,
    records: &[MeterRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let stored = existing::<meter::Entity, _, _>(
        conn,
        meter::Column::Serial,
        records.iter().map(|r| r.serial.clone()),
        |m| m.serial.clone(),
    )
    .await?;
    let rows = rows_of(records, now);
    write_rows::<meter::Entity, _, _>(
        conn,
        rows,
        &stored,
        |m| m.serial.clone(),
        |new, old| {
            meter::Model {
                updated_at: old.updated_at,
                ..new.clone()
            } == *old
        },
    )
    .await
}

pub async fn upsert_readings<C: ConnectionTrait>(
    conn: &C,
    records: &[ReadingRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let key = |m: &reading::Model| (m.meter_serial.clone(), m.read_on, m.source.clone());
    let stored = existing::<reading::Entity, _, _>(
        conn,
        reading::Column::MeterSerial,
        records.iter().map(|r| r.meter_serial.clone()),
        key,
    )
    .await?;
    let rows = rows_of(records, now);
    write_rows::<reading::Entity, _, _>(conn, rows, &stored, key, |new, old| {
        reading::Model {
            updated_at: old.updated_at,
            ..new.clone()
        } == *old
    })
    .await
}

pub async fn upsert_invoices<C: ConnectionTrait>(
    conn: &C,
    records: &[InvoiceRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let stored = existing::<invoice::Entity, _, _>(
        conn,
        invoice::Column::Number,
        records.iter().map(|r| r.number.clone()),
        |m| m.number.clone(),
    )
    .await?;
    let rows = rows_of(records, now);
    write_rows::<invoice::Entity, _, _>(
        conn,
        rows,
        &stored,
        |m| m.number.clone(),
        |new, old| {
            invoice::Model {
                updated_at: old.updated_at,
                ..new.clone()
            } == *old
        },
    )
    .await
}

pub async fn upsert_invoice_lines<C: ConnectionTrait>(
    conn: &C,
    records: &[InvoiceLineRecord],
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let key = |m: &invoice_line::Model| (m.invoice_number.clone(), m.line_no);
    let stored = existing::<invoice_line::Entity, _, _>(
        conn,
        invoice_line::Column::InvoiceNumber,
        records.iter().map(|r| r.invoice_number.clone()),
        key,
    )
    .await?;
    let rows = rows_of(records, now);
    write_rows::<invoice_line::Entity, _, _>(conn, rows, &stored, key, |new, old| {
        invoice_line::Model {
            updated_at: old.updated_at,
            ..new.clone()
        } == *old
    })
    .await
}

/// Replaces every open item with the given complete set; an identical set writes nothing.
pub async fn replace_open_items<C: ConnectionTrait>(
    conn: &C,
    records: &[OpenItemRecord],
) -> Result<Changes, DbErr> {
    type Item = (
        String,
        String,
        chrono::NaiveDate,
        chrono::NaiveDate,
        i64,
        i64,
    );
    let as_item = |m: &open_item::Model| -> Item {
        (
            m.payer_code.clone(),
            m.document_number.clone(),
            m.document_date,
            m.due_date,
            m.amount_cents,
            m.open_cents,
        )
    };
    let stored: Vec<Item> = open_item::Entity::find()
        .all(conn)
        .await?
        .iter()
        .map(as_item)
        .collect();
    let wanted: Vec<Item> = records
        .iter()
        .map(|r| {
            (
                r.payer_code.as_str().to_owned(),
                r.document_number.clone(),
                r.document_date,
                r.due_date,
                r.amount.0,
                r.open_amount.0,
            )
        })
        .collect();
    let mut stored_sorted = stored.clone();
    let mut wanted_sorted = wanted.clone();
    stored_sorted.sort();
    wanted_sorted.sort();
    if stored_sorted == wanted_sorted {
        return Ok(Changes {
            unchanged: wanted.len(),
            ..Changes::default()
        });
    }
    open_item::Entity::delete_many().exec(conn).await?;
    let rows: Vec<open_item::ActiveModel> = wanted
        .into_iter()
        .map(
            |(payer_code, document_number, document_date, due_date, amount_cents, open_cents)| {
                open_item::ActiveModel {
                    payer_code: sea_orm::Set(payer_code),
                    document_number: sea_orm::Set(document_number),
                    document_date: sea_orm::Set(document_date),
                    due_date: sea_orm::Set(due_date),
                    amount_cents: sea_orm::Set(amount_cents),
                    open_cents: sea_orm::Set(open_cents),
                    ..Default::default()
                }
            },
        )
        .collect();
    let inserted = rows.len();
    for chunk in rows.chunks(CHUNK / 8) {
        open_item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(Changes {
        inserted,
        deleted: stored.len(),
        ..Changes::default()
    })
}

/// Stores an invoice's PDF; the same content again writes nothing.
pub async fn upsert_invoice_pdf<C: ConnectionTrait>(
    conn: &C,
    invoice_number: &str,
    content: Vec<u8>,
    sha256: String,
    now: DateTime<Utc>,
) -> Result<Changes, DbErr> {
    let stored = invoice_pdf::Entity::find_by_id(invoice_number.to_owned())
        .select_only()
        .column(invoice_pdf::Column::Sha256)
        .into_tuple::<String>()
        .one(conn)
        .await?;
    let row = invoice_pdf::Model {
        invoice_number: invoice_number.to_owned(),
        content,
        sha256: sha256.clone(),
        updated_at: now,
    }
    .into_active_model();
    match stored {
        Some(old) if old == sha256 => Ok(Changes {
            unchanged: 1,
            ..Changes::default()
        }),
        Some(_) => {
            invoice_pdf::Entity::update(row.reset_all())
                .exec(conn)
                .await?;
            super::notifications::note_invoice_pdf(conn, invoice_number, now).await?;
            Ok(Changes {
                updated: 1,
                ..Changes::default()
            })
        }
        None => {
            invoice_pdf::Entity::insert(row)
                .exec_without_returning(conn)
                .await?;
            super::notifications::note_invoice_pdf(conn, invoice_number, now).await?;
            Ok(Changes {
                inserted: 1,
                ..Changes::default()
            })
        }
    }
}

/// An applied file, for the back office's import history.
pub struct ImportRun<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub rows: usize,
    pub changes: Changes,
    pub origin: &'a str,
    /// The staff user who applied it in the back office.
    pub imported_by: Option<&'a str>,
}

pub async fn record_import_run<C: ConnectionTrait>(
    conn: &C,
    run: ImportRun<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    import_run::ActiveModel {
        kind: sea_orm::Set(run.kind.to_owned()),
        file_name: sea_orm::Set(run.file_name.to_owned()),
        sha256: sea_orm::Set(run.sha256.to_owned()),
        rows: sea_orm::Set(count(run.rows)),
        inserted: sea_orm::Set(count(run.changes.inserted)),
        updated: sea_orm::Set(count(run.changes.updated)),
        unchanged: sea_orm::Set(count(run.changes.unchanged)),
        deleted: sea_orm::Set(count(run.changes.deleted)),
        origin: sea_orm::Set(run.origin.to_owned()),
        imported_by: sea_orm::Set(run.imported_by.map(str::to_owned)),
        applied_at: sea_orm::Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

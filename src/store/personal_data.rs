//! Everything the portal holds about a payer, for "Prenos mojih podatkov" (the right of access
//! and portability): read straight from each table, filtered by the payer.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::accounts;
use super::entity::{consent, invoice, meter, payer, point, reading};

/// The payer's rows, each table's own.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonalData {
    pub payer: Option<payer::Model>,
    pub points: Vec<point::Model>,
    pub meters: Vec<meter::Model>,
    pub readings: Vec<reading::Model>,
    pub invoices: Vec<invoice::Model>,
    pub consents: Vec<consent::Model>,
}

/// The data of `payer_code` and of its account `account_id`.
pub async fn of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    account_id: i64,
) -> Result<PersonalData, DbErr> {
    let payer = payer::Entity::find_by_id(payer_code.to_owned())
        .one(conn)
        .await?;
    let points = point::Entity::find()
        .filter(point::Column::PayerCode.eq(payer_code))
        .order_by_asc(point::Column::Code)
        .all(conn)
        .await?;
    let point_codes: Vec<&str> = points.iter().map(|point| point.code.as_str()).collect();
    let meters = meter::Entity::find()
        .filter(meter::Column::PointCode.is_in(point_codes))
        .order_by_asc(meter::Column::PointCode)
        .order_by_asc(meter::Column::InstalledOn)
        .all(conn)
        .await?;
    let serials: Vec<&str> = meters.iter().map(|meter| meter.serial.as_str()).collect();
    let readings = reading::Entity::find()
        .filter(reading::Column::MeterSerial.is_in(serials))
        .order_by_asc(reading::Column::MeterSerial)
        .order_by_asc(reading::Column::ReadOn)
        .all(conn)
        .await?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::PayerCode.eq(payer_code))
        .order_by_asc(invoice::Column::IssueDate)
        .order_by_asc(invoice::Column::Number)
        .all(conn)
        .await?;
    let consents = accounts::consents(conn, account_id).await?;
    Ok(PersonalData {
        payer,
        points,
        meters,
        readings,
        invoices,
        consents,
    })
}

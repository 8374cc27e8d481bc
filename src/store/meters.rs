//! Meters at a point, each with its last reading.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::entity::{meter, reading};
use crate::domain::billing::ReadingSource;
use crate::domain::quantity::Volume;

pub use super::entity::meter::Model as Meter;

/// A reading as billing knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastReading {
    pub read_on: NaiveDate,
    pub value: Volume,
    /// `None` for a source word this version does not know.
    pub source: Option<ReadingSource>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterAtPoint {
    pub meter: Meter,
    pub last_reading: Option<LastReading>,
}

/// The point's meters, installed ones first, newest installation first, each with its last
/// reading.
pub async fn at_point<C: ConnectionTrait>(
    conn: &C,
    point_code: &str,
) -> Result<Vec<MeterAtPoint>, DbErr> {
    let mut meters = meter::Entity::find()
        .filter(meter::Column::PointCode.eq(point_code))
        .order_by_desc(meter::Column::InstalledOn)
        .order_by_asc(meter::Column::Serial)
        .all(conn)
        .await?;
    // A stable sort keeps the newest installation first within each group.
    meters.sort_by_key(|meter| meter.removed_on.is_some());
    let mut listed = Vec::with_capacity(meters.len());
    for meter in meters {
        let last_reading = last_reading(conn, &meter.serial).await?;
        listed.push(MeterAtPoint {
            meter,
            last_reading,
        });
    }
    Ok(listed)
}

/// The newest reading of a meter; on a day with several, the one the sources' order puts last
/// (a removal reading after the reader's).
async fn last_reading<C: ConnectionTrait>(
    conn: &C,
    serial: &str,
) -> Result<Option<LastReading>, DbErr> {
    let readings = reading::Entity::find()
        .filter(reading::Column::MeterSerial.eq(serial))
        .filter(
            reading::Column::ReadOn.in_subquery(
                Query::select()
                    .expr(Expr::col(reading::Column::ReadOn).max())
                    .from(reading::Entity)
                    .and_where(reading::Column::MeterSerial.eq(serial))
                    .to_owned(),
            ),
        )
        .all(conn)
        .await?;
    Ok(readings
        .into_iter()
        .map(|reading| LastReading {
            read_on: reading.read_on,
            value: Volume::from_litres(reading.litres),
            source: ReadingSource::parse(&reading.source),
        })
        .max_by_key(|reading| reading.source))
}

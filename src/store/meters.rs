//! Meters at a point, each with its last reading.

use std::collections::HashMap;

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
/// reading: two queries however many meters the point has had.
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
    let mut last = last_readings(conn, meters.iter().map(|meter| meter.serial.clone())).await?;
    Ok(meters
        .into_iter()
        .map(|meter| MeterAtPoint {
            last_reading: last.remove(&meter.serial),
            meter,
        })
        .collect())
}

/// The newest reading of each of the meters; on a day with several, the one the sources' order
/// puts last (a removal reading after the reader's).
async fn last_readings<C: ConnectionTrait>(
    conn: &C,
    serials: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, LastReading>, DbErr> {
    let serials: Vec<String> = serials.into_iter().collect();
    if serials.is_empty() {
        return Ok(HashMap::new());
    }
    let newest_days = Query::select()
        .column(reading::Column::MeterSerial)
        .expr(Expr::col(reading::Column::ReadOn).max())
        .from(reading::Entity)
        .and_where(reading::Column::MeterSerial.is_in(serials))
        .group_by_col(reading::Column::MeterSerial)
        .to_owned();
    let readings = reading::Entity::find()
        .filter(
            Expr::tuple([
                Expr::col(reading::Column::MeterSerial),
                Expr::col(reading::Column::ReadOn),
            ])
            .in_subquery(newest_days),
        )
        .all(conn)
        .await?;
    let mut last: HashMap<String, LastReading> = HashMap::new();
    for reading in readings {
        let candidate = LastReading {
            read_on: reading.read_on,
            value: Volume::from_litres(reading.litres),
            source: ReadingSource::parse(&reading.source),
        };
        let kept = last
            .entry(reading.meter_serial)
            .or_insert_with(|| candidate.clone());
        if candidate.source > kept.source {
            *kept = candidate;
        }
    }
    Ok(last)
}

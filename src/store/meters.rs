//! Meters at a point, each with its last reading.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoCondition, JoinType, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationTrait, SelectTwoModel,
};

use super::BuiltOnce;
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
/// reading (on a day with several, the one the sources' order puts last: a removal reading
/// after the reader's), in one query however many meters the point has had.
pub async fn at_point<C: ConnectionTrait>(
    conn: &C,
    point_code: &str,
) -> Result<Vec<MeterAtPoint>, DbErr> {
    static AT_POINT: BuiltOnce = BuiltOnce::new();
    let query = || {
        // Each meter's readings of its newest day joined to it: none for a meter never read.
        let newest_day = reading::Relation::Meter
            .def()
            .rev()
            .on_condition(|meters, readings| {
                let newest = Alias::new("newest");
                let day = Query::select()
                    .expr(Expr::col((newest.clone(), reading::Column::ReadOn)).max())
                    .from_as(reading::Entity, newest.clone())
                    .and_where(
                        Expr::col((newest, reading::Column::MeterSerial))
                            .equals((meters, meter::Column::Serial)),
                    )
                    .to_owned();
                // `=` the one newest day, not `IN`: SQLite opened a table in memory per query
                // for a list of one.
                Expr::col((readings, reading::Column::ReadOn))
                    .eq(Expr::SubQuery(None, Box::new(day.into())))
                    .into_condition()
            });
        meter::Entity::find()
            .filter(meter::Column::PointCode.eq(point_code))
            .join(JoinType::LeftJoin, newest_day)
            .select_also(reading::Entity)
            .order_by_desc(meter::Column::InstalledOn)
            .order_by_asc(meter::Column::Serial)
            .into_query()
    };
    let rows = AT_POINT
        .all::<SelectTwoModel<meter::Model, reading::Model>, _>(
            conn,
            vec![point_code.into()],
            query,
        )
        .await?;
    let mut meters: Vec<MeterAtPoint> = Vec::new();
    for (meter, reading) in rows {
        let candidate = reading.map(|reading| LastReading {
            read_on: reading.read_on,
            value: Volume::from_litres(reading.litres),
            source: ReadingSource::parse(&reading.source),
        });
        match meters.last_mut() {
            // The same meter again: another source's reading of the same day.
            Some(kept) if kept.meter.serial == meter.serial => {
                if let Some(candidate) = candidate
                    && kept
                        .last_reading
                        .as_ref()
                        .is_none_or(|last| candidate.source > last.source)
                {
                    kept.last_reading = Some(candidate);
                }
            }
            _ => meters.push(MeterAtPoint {
                meter,
                last_reading: candidate,
            }),
        }
    }
    // A stable sort keeps the newest installation first within each group.
    meters.sort_by_key(|at| at.meter.removed_on.is_some());
    Ok(meters)
}

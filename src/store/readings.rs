//! A point's meters and their readings as billing sent them, as the point's payer sees them:
//! every query names the payer, so another payer's point yields nothing.

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QueryTrait,
    SelectModel,
};

use super::BuiltOnce;
use super::entity::{meter, point, reading};
use crate::domain::billing::{MeterRecord, ReadingRecord, ReadingSource};
use crate::domain::quantity::Volume;

/// The codes of the payer's points, for `IN` filters.
fn payers_points(payer_code: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(point::Column::Code)
        .from(point::Entity)
        .and_where(point::Column::PayerCode.eq(payer_code))
        .to_owned()
}

fn meter_record(model: meter::Model) -> Result<MeterRecord, DbErr> {
    let small = |value: i16, what: &str| {
        u8::try_from(value).map_err(|_| DbErr::Custom(format!("meter {}: {what}", model.serial)))
    };
    Ok(MeterRecord {
        digits: small(model.digits, "digits")?,
        decimals: small(model.decimals, "decimals")?,
        dn: model
            .dn
            .map(|dn| {
                u16::try_from(dn).map_err(|_| DbErr::Custom(format!("meter {}: DN", model.serial)))
            })
            .transpose()?,
        serial: model.serial,
        point_code: model.point_code,
        medium: model.medium,
        unit: model.unit,
        installed_on: model.installed_on,
        removed_on: model.removed_on,
    })
}

fn reading_record(model: reading::Model) -> Result<ReadingRecord, DbErr> {
    let source = ReadingSource::parse(&model.source).ok_or_else(|| {
        DbErr::Custom(format!(
            "reading of {} on {}: source {}",
            model.meter_serial, model.read_on, model.source
        ))
    })?;
    Ok(ReadingRecord {
        meter_serial: model.meter_serial,
        read_on: model.read_on,
        value: Volume::from_litres(model.litres),
        source,
    })
}

/// The meters that have been at the payer's point `point_code`, in the order they were
/// installed; none where the point is not the payer's.
pub async fn meters_of_point<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    point_code: &str,
) -> Result<Vec<MeterRecord>, DbErr> {
    static METERS_OF_POINT: BuiltOnce = BuiltOnce::new();
    let query = || {
        meter::Entity::find()
            .filter(meter::Column::PointCode.eq(point_code))
            .filter(meter::Column::PointCode.in_subquery(payers_points(payer_code)))
            .order_by_asc(meter::Column::InstalledOn)
            .order_by_asc(meter::Column::Serial)
            .into_query()
    };
    let values = vec![point_code.into(), payer_code.into()];
    METERS_OF_POINT
        .all::<SelectModel<meter::Model>, _>(conn, values, query)
        .await?
        .into_iter()
        .map(meter_record)
        .collect()
}

/// The readings of every meter that has been at the payer's point `point_code`, by date and
/// meter; none where the point is not the payer's.
pub async fn readings_of_point<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    point_code: &str,
) -> Result<Vec<ReadingRecord>, DbErr> {
    static READINGS_OF_POINT: BuiltOnce = BuiltOnce::new();
    let query = || {
        let meters = Query::select()
            .column(meter::Column::Serial)
            .from(meter::Entity)
            .and_where(meter::Column::PointCode.eq(point_code))
            .and_where(meter::Column::PointCode.in_subquery(payers_points(payer_code)))
            .to_owned();
        reading::Entity::find()
            .filter(reading::Column::MeterSerial.in_subquery(meters))
            .order_by_asc(reading::Column::ReadOn)
            .order_by_asc(reading::Column::MeterSerial)
            .order_by_asc(reading::Column::Source)
            .into_query()
    };
    let values = vec![point_code.into(), payer_code.into()];
    READINGS_OF_POINT
        .all::<SelectModel<reading::Model>, _>(conn, values, query)
        .await?
        .into_iter()
        .map(reading_record)
        .collect()
}

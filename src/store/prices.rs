//! The price list: each service with the price valid on a day and the next one announced.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use super::entity::{price, service};
use crate::domain::money::UnitPrice;
use crate::domain::vat::VatRate;

/// A price of a service from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceFrom {
    pub valid_from: NaiveDate,
    pub price: UnitPrice,
    pub vat_rate: VatRate,
}

/// A line of the price list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedService {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// The newest price valid on the day asked about; `None` before the first one applies.
    pub current: Option<PriceFrom>,
    /// The earliest price that applies only after that day, if one is announced.
    pub next: Option<PriceFrom>,
}

/// Every service, by code, with its price on `day`.
pub async fn on<C: ConnectionTrait>(conn: &C, day: NaiveDate) -> Result<Vec<ListedService>, DbErr> {
    let services = service::Entity::find()
        .order_by_asc(service::Column::Code)
        .all(conn)
        .await?;
    let prices = price::Entity::find()
        .order_by_asc(price::Column::ServiceCode)
        .order_by_asc(price::Column::ValidFrom)
        .all(conn)
        .await?;
    let mut listed: Vec<ListedService> = services
        .into_iter()
        .map(|service| ListedService {
            code: service.code,
            name: service.name,
            unit: service.unit,
            current: None,
            next: None,
        })
        .collect();
    let index: HashMap<String, usize> = listed
        .iter()
        .enumerate()
        .map(|(at, service)| (service.code.clone(), at))
        .collect();
    for row in prices {
        let Some(&at) = index.get(&row.service_code) else {
            continue;
        };
        let vat_rate = VatRate::from_basis_points(row.vat_rate_bp).map_err(|error| {
            DbErr::Custom(format!(
                "VAT rate of {} from {}: {error}",
                row.service_code, row.valid_from
            ))
        })?;
        let price = PriceFrom {
            valid_from: row.valid_from,
            price: UnitPrice(row.price_ten_thousandths),
            vat_rate,
        };
        let service = &mut listed[at];
        if price.valid_from <= day {
            // Ascending by date: the last one up to the day is the newest.
            service.current = Some(price);
        } else if service.next.is_none() {
            service.next = Some(price);
        }
    }
    Ok(listed)
}

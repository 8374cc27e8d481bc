//! The kinds of billing files and their columns (SPEC §5.1).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Payers,
    Points,
    Meters,
    Readings,
    Prices,
    Invoices,
    InvoiceLines,
    OpenItems,
}

/// A column of a file; files may have them in any order and may add others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub holds: Holds,
}

/// What a column's values are, as the API's document describes them to integrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    Text,
    /// `2026-01-31` (files may also write `31.01.2026`).
    Date,
    /// A number with a decimal point.
    Decimal,
    Integer,
    /// `1`/`0`, `true`/`false`, `da`/`ne`.
    Flag,
    /// Service codes, separated by spaces (in JSON also a list).
    Codes,
}

impl Column {
    pub const fn required(name: &'static str, holds: Holds) -> Column {
        Column {
            name,
            required: true,
            holds,
        }
    }

    pub const fn optional(name: &'static str, holds: Holds) -> Column {
        Column {
            name,
            required: false,
            holds,
        }
    }
}

impl Kind {
    /// In import order: each kind refers only to kinds before it.
    pub const ALL: [Kind; 8] = [
        Kind::Payers,
        Kind::Prices,
        Kind::Points,
        Kind::Meters,
        Kind::Readings,
        Kind::Invoices,
        Kind::InvoiceLines,
        Kind::OpenItems,
    ];

    /// The name on the command line and in the back office.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Payers => "payers",
            Kind::Points => "points",
            Kind::Meters => "meters",
            Kind::Readings => "readings",
            Kind::Prices => "prices",
            Kind::Invoices => "invoices",
            Kind::InvoiceLines => "invoice_lines",
            Kind::OpenItems => "open_items",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Payers => {
                const {
                    &[
                        Column::required("payer_code", Holds::Text),
                        Column::required("name", Holds::Text),
                        Column::optional("street", Holds::Text),
                        Column::optional("postal_code", Holds::Text),
                        Column::optional("city", Holds::Text),
                        Column::optional("tax_number", Holds::Text),
                        Column::optional("email", Holds::Text),
                        Column::optional("phone", Holds::Text),
                    ]
                }
            }
            Kind::Points => {
                const {
                    &[
                        Column::required("point_code", Holds::Text),
                        Column::required("payer_code", Holds::Text),
                        Column::optional("street", Holds::Text),
                        Column::optional("postal_code", Holds::Text),
                        Column::optional("city", Holds::Text),
                        Column::optional("kind", Holds::Text),
                        Column::optional("services", Holds::Codes),
                        Column::optional("active", Holds::Flag),
                    ]
                }
            }
            Kind::Meters => {
                const {
                    &[
                        Column::required("meter_serial", Holds::Text),
                        Column::required("point_code", Holds::Text),
                        Column::optional("medium", Holds::Text),
                        Column::optional("unit", Holds::Text),
                        Column::optional("digits", Holds::Integer),
                        Column::optional("decimals", Holds::Integer),
                        Column::optional("dn", Holds::Integer),
                        Column::required("installed_on", Holds::Date),
                        Column::optional("removed_on", Holds::Date),
                    ]
                }
            }
            Kind::Readings => {
                const {
                    &[
                        Column::required("meter_serial", Holds::Text),
                        Column::required("date", Holds::Date),
                        Column::required("value", Holds::Decimal),
                        Column::optional("source", Holds::Text),
                    ]
                }
            }
            Kind::Prices => {
                const {
                    &[
                        Column::required("service_code", Holds::Text),
                        Column::required("name", Holds::Text),
                        Column::required("unit", Holds::Text),
                        Column::required("price", Holds::Decimal),
                        Column::required("vat_rate", Holds::Decimal),
                        Column::required("valid_from", Holds::Date),
                    ]
                }
            }
            Kind::Invoices => {
                const {
                    &[
                        Column::required("invoice_number", Holds::Text),
                        Column::required("payer_code", Holds::Text),
                        Column::optional("point_code", Holds::Text),
                        Column::required("issue_date", Holds::Date),
                        Column::optional("period_from", Holds::Date),
                        Column::optional("period_to", Holds::Date),
                        Column::required("due_date", Holds::Date),
                        Column::required("net", Holds::Decimal),
                        Column::required("vat", Holds::Decimal),
                        Column::required("total", Holds::Decimal),
                        Column::optional("reference", Holds::Text),
                    ]
                }
            }
            Kind::InvoiceLines => {
                const {
                    &[
                        Column::required("invoice_number", Holds::Text),
                        Column::required("line_no", Holds::Integer),
                        Column::optional("service_code", Holds::Text),
                        Column::required("description", Holds::Text),
                        Column::optional("quantity", Holds::Decimal),
                        Column::optional("unit", Holds::Text),
                        Column::optional("unit_price", Holds::Decimal),
                        Column::optional("vat_rate", Holds::Decimal),
                        Column::required("amount", Holds::Decimal),
                    ]
                }
            }
            Kind::OpenItems => {
                const {
                    &[
                        Column::required("payer_code", Holds::Text),
                        Column::required("document_number", Holds::Text),
                        Column::required("document_date", Holds::Date),
                        Column::required("due_date", Holds::Date),
                        Column::required("amount", Holds::Decimal),
                        Column::required("open_amount", Holds::Decimal),
                    ]
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("invoice_lines"), Some(Kind::InvoiceLines));
        assert_eq!(Kind::parse("invoice_pdfs"), None);
        assert_eq!(Kind::parse("Payers"), None);
    }

    #[test]
    fn import_order_puts_what_is_referred_to_first() {
        let names: Vec<_> = Kind::ALL.iter().map(|kind| kind.as_str()).collect();
        assert_eq!(
            names,
            [
                "payers",
                "prices",
                "points",
                "meters",
                "readings",
                "invoices",
                "invoice_lines",
                "open_items"
            ]
        );
    }

    #[test]
    fn required_columns_follow_the_spec() {
        let required: Vec<_> = Kind::Readings
            .columns()
            .iter()
            .filter(|column| column.required)
            .map(|column| column.name)
            .collect();
        assert_eq!(required, ["meter_serial", "date", "value"]);
    }
}

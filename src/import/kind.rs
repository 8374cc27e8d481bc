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
}

impl Column {
    pub const fn required(name: &'static str) -> Column {
        Column {
            name,
            required: true,
        }
    }

    pub const fn optional(name: &'static str) -> Column {
        Column {
            name,
            required: false,
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
                        Column::required("payer_code"),
                        Column::required("name"),
                        Column::optional("street"),
                        Column::optional("postal_code"),
                        Column::optional("city"),
                        Column::optional("tax_number"),
                        Column::optional("email"),
                        Column::optional("phone"),
                    ]
                }
            }
            Kind::Points => {
                const {
                    &[
                        Column::required("point_code"),
                        Column::required("payer_code"),
                        Column::optional("street"),
                        Column::optional("postal_code"),
                        Column::optional("city"),
                        Column::optional("kind"),
                        Column::optional("services"),
                        Column::optional("active"),
                    ]
                }
            }
            Kind::Meters => {
                const {
                    &[
                        Column::required("meter_serial"),
                        Column::required("point_code"),
                        Column::optional("medium"),
                        Column::optional("unit"),
                        Column::optional("digits"),
                        Column::optional("decimals"),
                        Column::optional("dn"),
                        Column::required("installed_on"),
                        Column::optional("removed_on"),
                    ]
                }
            }
            Kind::Readings => {
                const {
                    &[
                        Column::required("meter_serial"),
                        Column::required("date"),
                        Column::required("value"),
                        Column::optional("source"),
                    ]
                }
            }
            Kind::Prices => {
                const {
                    &[
                        Column::required("service_code"),
                        Column::required("name"),
                        Column::required("unit"),
                        Column::required("price"),
                        Column::required("vat_rate"),
                        Column::required("valid_from"),
                    ]
                }
            }
            Kind::Invoices => {
                const {
                    &[
                        Column::required("invoice_number"),
                        Column::required("payer_code"),
                        Column::optional("point_code"),
                        Column::required("issue_date"),
                        Column::optional("period_from"),
                        Column::optional("period_to"),
                        Column::required("due_date"),
                        Column::required("net"),
                        Column::required("vat"),
                        Column::required("total"),
                        Column::optional("reference"),
                    ]
                }
            }
            Kind::InvoiceLines => {
                const {
                    &[
                        Column::required("invoice_number"),
                        Column::required("line_no"),
                        Column::optional("service_code"),
                        Column::required("description"),
                        Column::optional("quantity"),
                        Column::optional("unit"),
                        Column::optional("unit_price"),
                        Column::optional("vat_rate"),
                        Column::required("amount"),
                    ]
                }
            }
            Kind::OpenItems => {
                const {
                    &[
                        Column::required("payer_code"),
                        Column::required("document_number"),
                        Column::required("document_date"),
                        Column::required("due_date"),
                        Column::required("amount"),
                        Column::required("open_amount"),
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

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

const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
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
                        required("payer_code"),
                        required("name"),
                        optional("street"),
                        optional("postal_code"),
                        optional("city"),
                        optional("tax_number"),
                        optional("email"),
                        optional("phone"),
                    ]
                }
            }
            Kind::Points => {
                const {
                    &[
                        required("point_code"),
                        required("payer_code"),
                        optional("street"),
                        optional("postal_code"),
                        optional("city"),
                        optional("kind"),
                        optional("services"),
                        optional("active"),
                    ]
                }
            }
            Kind::Meters => {
                const {
                    &[
                        required("meter_serial"),
                        required("point_code"),
                        optional("medium"),
                        optional("unit"),
                        optional("digits"),
                        optional("decimals"),
                        optional("dn"),
                        required("installed_on"),
                        optional("removed_on"),
                    ]
                }
            }
            Kind::Readings => {
                const {
                    &[
                        required("meter_serial"),
                        required("date"),
                        required("value"),
                        optional("source"),
                    ]
                }
            }
            Kind::Prices => {
                const {
                    &[
                        required("service_code"),
                        required("name"),
                        required("unit"),
                        required("price"),
                        required("vat_rate"),
                        required("valid_from"),
                    ]
                }
            }
            Kind::Invoices => {
                const {
                    &[
                        required("invoice_number"),
                        required("payer_code"),
                        optional("point_code"),
                        required("issue_date"),
                        optional("period_from"),
                        optional("period_to"),
                        required("due_date"),
                        required("net"),
                        required("vat"),
                        required("total"),
                        optional("reference"),
                    ]
                }
            }
            Kind::InvoiceLines => {
                const {
                    &[
                        required("invoice_number"),
                        required("line_no"),
                        optional("service_code"),
                        required("description"),
                        optional("quantity"),
                        optional("unit"),
                        optional("unit_price"),
                        optional("vat_rate"),
                        required("amount"),
                    ]
                }
            }
            Kind::OpenItems => {
                const {
                    &[
                        required("payer_code"),
                        required("document_number"),
                        required("document_date"),
                        required("due_date"),
                        required("amount"),
                        required("open_amount"),
                    ]
                }
            }
        }
    }

    pub fn required_columns(self) -> impl Iterator<Item = &'static str> {
        self.columns()
            .iter()
            .filter(|column| column.required)
            .map(|column| column.name)
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
        let required: Vec<_> = Kind::Readings.required_columns().collect();
        assert_eq!(required, ["meter_serial", "date", "value"]);
    }
}

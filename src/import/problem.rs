//! What can be wrong with a billing file, with English `Display` for logs and the command
//! line, and Fluent message ids (`locales/*/import.ftl`) for the web.

use std::fmt;

/// What a row may refer to that the store must already know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reference {
    Payer,
    Point,
    Meter,
    Service,
    Invoice,
}

impl Reference {
    pub fn as_str(self) -> &'static str {
        match self {
            Reference::Payer => "payer",
            Reference::Point => "point",
            Reference::Meter => "meter",
            Reference::Service => "service",
            Reference::Invoice => "invoice",
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// What is wrong with one value or one row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("a value is required")]
    MissingValue,
    #[error("“{text}” is not a number")]
    BadNumber { text: String },
    #[error("“{text}” has more than {max} decimals")]
    TooManyDecimals { text: String, max: u32 },
    #[error("“{text}” is not between {min} and {max}")]
    OutOfRange { text: String, min: i64, max: i64 },
    #[error("“{text}” must not be negative")]
    Negative { text: String },
    #[error("“{text}” is not a valid date (31.01.2020 or 2020-01-31)")]
    BadDate { text: String },
    #[error("“{text}” is not a payer code (1 to 12 digits)")]
    BadPayerCode { text: String },
    #[error("“{text}” is not a valid tax number (8 digits, the last a check digit)")]
    BadTaxNumber { text: String },
    #[error("“{text}” is not a VAT rate (a percentage from 0 to 100)")]
    BadVatRate { text: String },
    #[error("“{text}” is not a reading source (reader, estimate, customer, install, removal)")]
    BadReadingSource { text: String },
    #[error("“{text}” is not one of 1/0, true/false, da/ne")]
    BadBoolean { text: String },
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the line has {found} fields, the header {expected}")]
    WrongFieldCount { expected: usize, found: usize },
    #[error("the key “{key}” was already on line {first_line}")]
    DuplicateKey { key: String, first_line: u64 },
    #[error("the billing period ends before it starts")]
    PeriodToBeforeFrom,
    #[error("the meter is removed before it is installed")]
    RemovedBeforeInstalled,
    #[error("there is no {what} “{key}”")]
    UnknownReference { what: Reference, key: String },
    #[error("“{text}” is not a verdict (accepted or rejected)")]
    BadVerdict { text: String },
    #[error(
        "“{text}” is not a reason code (less_than_previous, greater_than_subsequent, implausible, meter_removed, duplicate, other)"
    )]
    BadReasonCode { text: String },
    #[error(
        "no reading of this meter on this day waits for a verdict (unknown, not exported, or decided already)"
    )]
    NotAwaitingVerdict,
}

impl Problem {
    pub fn message_id(&self) -> &'static str {
        match self {
            Problem::MissingValue => "import-missing-value",
            Problem::BadNumber { .. } => "import-bad-number",
            Problem::TooManyDecimals { .. } => "import-too-many-decimals",
            Problem::OutOfRange { .. } => "import-out-of-range",
            Problem::Negative { .. } => "import-negative",
            Problem::BadDate { .. } => "import-bad-date",
            Problem::BadPayerCode { .. } => "import-bad-payer-code",
            Problem::BadTaxNumber { .. } => "import-bad-tax-number",
            Problem::BadVatRate { .. } => "import-bad-vat-rate",
            Problem::BadReadingSource { .. } => "import-bad-reading-source",
            Problem::BadBoolean { .. } => "import-bad-boolean",
            Problem::TooLong { .. } => "import-too-long",
            Problem::WrongFieldCount { .. } => "import-wrong-field-count",
            Problem::DuplicateKey { .. } => "import-duplicate-key",
            Problem::PeriodToBeforeFrom => "import-period-to-before-from",
            Problem::RemovedBeforeInstalled => "import-removed-before-installed",
            Problem::UnknownReference { .. } => "import-unknown-reference",
            Problem::BadVerdict { .. } => "import-bad-verdict",
            Problem::BadReasonCode { .. } => "import-bad-reason-code",
            Problem::NotAwaitingVerdict => "import-not-awaiting-verdict",
        }
    }

    /// The arguments of [`Self::message_id`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Problem::MissingValue
            | Problem::PeriodToBeforeFrom
            | Problem::RemovedBeforeInstalled
            | Problem::NotAwaitingVerdict => {
                vec![]
            }
            Problem::BadNumber { text }
            | Problem::Negative { text }
            | Problem::BadDate { text }
            | Problem::BadPayerCode { text }
            | Problem::BadTaxNumber { text }
            | Problem::BadVatRate { text }
            | Problem::BadReadingSource { text }
            | Problem::BadBoolean { text }
            | Problem::BadVerdict { text }
            | Problem::BadReasonCode { text } => vec![("text", text.clone())],
            Problem::TooManyDecimals { text, max } => {
                vec![("text", text.clone()), ("max", max.to_string())]
            }
            Problem::OutOfRange { text, min, max } => vec![
                ("text", text.clone()),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
            Problem::TooLong { max } => vec![("max", max.to_string())],
            Problem::WrongFieldCount { expected, found } => vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
            Problem::DuplicateKey { key, first_line } => {
                vec![("key", key.clone()), ("first_line", first_line.to_string())]
            }
            Problem::UnknownReference { what, key } => {
                vec![("what", what.as_str().to_owned()), ("key", key.clone())]
            }
        }
    }
}

/// A bad line of a file: its line number as an editor shows it (the header is line 1),
/// the column when one value is at fault, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: Option<String>,
    pub problem: Problem,
}

impl LineError {
    pub fn new(line: u64, column: Option<&str>, problem: Problem) -> Self {
        LineError {
            line,
            column: column.map(str::to_owned),
            problem,
        }
    }

    /// The message that places the problem; its `$problem` argument is the problem's own
    /// message, rendered first.
    pub fn message_id(&self) -> &'static str {
        match self.column {
            Some(_) => "import-line-column",
            None => "import-line",
        }
    }

    /// The arguments of [`Self::message_id`] except `problem`.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = vec![("line", self.line.to_string())];
        args.extend(self.column.iter().map(|column| ("column", column.clone())));
        args
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(
                formatter,
                "line {}, column {column}: {}",
                self.line, self.problem
            ),
            None => write!(formatter, "line {}: {}", self.line, self.problem),
        }
    }
}

impl std::error::Error for LineError {}

/// What makes a whole file unreadable, before any row is looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty: there is no header line with the column names")]
    Empty,
    #[error("the header line has neither ';' nor ',' between the column names")]
    NoSeparator,
    #[error("required columns are missing: {}", .columns.join(", "))]
    MissingColumns { columns: Vec<&'static str> },
    #[error("the column “{column}” appears twice in the header")]
    DuplicateColumn { column: String },
    #[error("line {line}: not a valid CSV file: {reason}")]
    NotCsv { line: u64, reason: String },
}

impl FileError {
    pub fn message_id(&self) -> &'static str {
        match self {
            FileError::Empty => "import-file-empty",
            FileError::NoSeparator => "import-file-no-separator",
            FileError::MissingColumns { .. } => "import-file-missing-columns",
            FileError::DuplicateColumn { .. } => "import-file-duplicate-column",
            FileError::NotCsv { .. } => "import-file-not-csv",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            FileError::Empty | FileError::NoSeparator => vec![],
            FileError::MissingColumns { columns } => vec![("columns", columns.join(", "))],
            FileError::DuplicateColumn { column } => vec![("column", column.clone())],
            FileError::NotCsv { line, reason } => {
                vec![("line", line.to_string()), ("reason", reason.clone())]
            }
        }
    }
}

/// Why nothing of a file can be imported: the file as a whole, or every bad line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("bad lines: {}", .0.len())]
    Lines(Vec<LineError>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_errors_read_well_in_english() {
        let error = LineError::new(5, Some("price"), Problem::BadNumber { text: "12x".into() });
        assert_eq!(
            error.to_string(),
            "line 5, column price: “12x” is not a number"
        );
        let error = LineError::new(
            7,
            None,
            Problem::UnknownReference {
                what: Reference::Payer,
                key: "123456".into(),
            },
        );
        assert_eq!(error.to_string(), "line 7: there is no payer “123456”");
        assert_eq!(error.message_id(), "import-line");
        assert_eq!(error.args(), [("line", "7".to_owned())]);
    }
}

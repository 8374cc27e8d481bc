//! What can be wrong with a billing file, with English `Display` for logs, and Fluent
//! message ids (`locales/*/import.ftl`) for people: [`describe`] words a failure in their
//! language, for the back office and the command line.

use std::fmt;

use crate::i18n::{Arg, Lang};

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
    #[error("“{text}” is too large a number")]
    NumberTooLarge { text: String },
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
            Problem::NumberTooLarge { .. } => "import-number-too-large",
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
            | Problem::NumberTooLarge { text }
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
    #[error(
        "the file is in UTF-16 (Excel's “Unicode text”); save it as “CSV UTF-8” or as CSV in \
         Windows-1250"
    )]
    Utf16,
    #[error("the file is an Excel workbook, not CSV; save it as “CSV UTF-8 (comma delimited)”")]
    Workbook,
    #[error("the file is not text (it holds zero bytes), so not a CSV file")]
    NotText,
    #[error("line {line}: a quote (\") opens a value and is not closed before the end of the file")]
    UnclosedQuote { line: u64 },
    #[error("the file changed while it was being read")]
    Changed,
}

impl FileError {
    pub fn message_id(&self) -> &'static str {
        match self {
            FileError::Empty => "import-file-empty",
            FileError::NoSeparator => "import-file-no-separator",
            FileError::MissingColumns { .. } => "import-file-missing-columns",
            FileError::DuplicateColumn { .. } => "import-file-duplicate-column",
            FileError::NotCsv { .. } => "import-file-not-csv",
            FileError::Utf16 => "import-file-utf16",
            FileError::Workbook => "import-file-workbook",
            FileError::NotText => "import-file-not-text",
            FileError::UnclosedQuote { .. } => "import-file-unclosed-quote",
            FileError::Changed => "import-file-changed",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            FileError::Empty
            | FileError::NoSeparator
            | FileError::Utf16
            | FileError::Workbook
            | FileError::NotText
            | FileError::Changed => vec![],
            FileError::UnclosedQuote { line } => vec![("line", line.to_string())],
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

fn words(lang: Lang, id: &str, args: Vec<(&'static str, String)>) -> String {
    let args: Vec<_> = args
        .into_iter()
        .map(|(name, value)| (name, Arg::Text(value)))
        .collect();
    lang.t_with(id, &args)
}

fn line_words(lang: Lang, line: &LineError) -> String {
    let problem = words(lang, line.problem.message_id(), line.problem.args());
    let mut args = line.args();
    args.push(("problem", problem));
    words(lang, line.message_id(), args)
}

/// One sentence per problem of a file, in file order, in `lang`.
pub fn describe(lang: Lang, failure: &ParseFailure) -> Vec<String> {
    match failure {
        ParseFailure::File(file) => vec![words(lang, file.message_id(), file.args())],
        ParseFailure::Lines(lines) => lines.iter().map(|line| line_words(lang, line)).collect(),
    }
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

    #[test]
    fn lines_and_files_read_in_both_languages() {
        let failure = ParseFailure::Lines(vec![
            LineError::new(
                3,
                Some("status"),
                Problem::BadVerdict {
                    text: "maybe".into(),
                },
            ),
            LineError::new(4, None, Problem::NotAwaitingVerdict),
        ]);
        let sl = describe(Lang::Sl, &failure);
        assert_eq!(
            sl[0],
            "Vrstica 3, stolpec status: »maybe« ni odločitev (accepted ali rejected)"
        );
        assert!(sl[1].starts_with("Vrstica 4: noben odčitek"), "{}", sl[1]);
        let en = describe(Lang::En, &ParseFailure::File(FileError::Empty));
        assert!(!en[0].starts_with("import-"), "{}", en[0]);
    }
}

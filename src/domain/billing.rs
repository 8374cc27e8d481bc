//! What the billing system sends (SPEC §5.1), as typed records.
//!
//! The import parses files into these records and the demo builds them directly; the store
//! upserts them. Codes of points, meters, services and invoices are trimmed, non-empty text.

use chrono::NaiveDate;

use super::money::{Cents, UnitPrice};
use super::payer_code::PayerCode;
use super::quantity::{Quantity, Volume};
use super::tax_number::TaxNumber;
use super::vat::VatRate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerRecord {
    pub code: PayerCode,
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub tax_number: Option<TaxNumber>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRecord {
    pub code: String,
    pub payer_code: PayerCode,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// Free text from billing, e.g. "gospodinjstvo" (household), "poslovni" (business).
    pub kind: Option<String>,
    /// Service codes billed at the point.
    pub services: Vec<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterRecord {
    pub serial: String,
    pub point_code: String,
    /// Default `cold_water`.
    pub medium: String,
    /// Default `m3`.
    pub unit: String,
    /// Integer digits on the dial (for roll-over); default 5.
    pub digits: u8,
    /// Decimals on the dial; default 3.
    pub decimals: u8,
    /// Nominal size (DN), e.g. 20.
    pub dn: Option<u16>,
    pub installed_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReadingSource {
    Reader,
    Estimate,
    Customer,
    Install,
    Removal,
}

impl ReadingSource {
    pub const ALL: [ReadingSource; 5] = [
        ReadingSource::Reader,
        ReadingSource::Estimate,
        ReadingSource::Customer,
        ReadingSource::Install,
        ReadingSource::Removal,
    ];

    /// The word used in files and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingSource::Reader => "reader",
            ReadingSource::Estimate => "estimate",
            ReadingSource::Customer => "customer",
            ReadingSource::Install => "install",
            ReadingSource::Removal => "removal",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|source| source.as_str().eq_ignore_ascii_case(text))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingRecord {
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub value: Volume,
    pub source: ReadingSource,
}

/// Why billing refused a reading (SPEC §5.2), told to the customer in their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonCode {
    LessThanPrevious,
    GreaterThanSubsequent,
    Implausible,
    MeterRemoved,
    Duplicate,
    Other,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 6] = [
        ReasonCode::LessThanPrevious,
        ReasonCode::GreaterThanSubsequent,
        ReasonCode::Implausible,
        ReasonCode::MeterRemoved,
        ReasonCode::Duplicate,
        ReasonCode::Other,
    ];

    /// The word in files, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::LessThanPrevious => "less_than_previous",
            ReasonCode::GreaterThanSubsequent => "greater_than_subsequent",
            ReasonCode::Implausible => "implausible",
            ReasonCode::MeterRemoved => "meter_removed",
            ReasonCode::Duplicate => "duplicate",
            ReasonCode::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|code| code.as_str().eq_ignore_ascii_case(text))
    }
}

/// Billing's verdict on a reading a customer submitted (SPEC §4 the feedback file, §5.2 the
/// API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused: why, as a code and in the words the customer is told.
    Rejected {
        code: ReasonCode,
        reason: String,
    },
}

/// A line of billing's feedback file: `meter_serial;date;status;reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictRecord {
    pub meter_serial: String,
    pub read_on: NaiveDate,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRecord {
    pub service_code: String,
    pub name: String,
    pub unit: String,
    pub price: UnitPrice,
    pub vat_rate: VatRate,
    pub valid_from: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub number: String,
    pub payer_code: PayerCode,
    pub point_code: Option<String>,
    pub issue_date: NaiveDate,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub net: Cents,
    pub vat: Cents,
    pub total: Cents,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLineRecord {
    pub invoice_number: String,
    pub line_no: u32,
    pub service_code: Option<String>,
    pub description: String,
    pub quantity: Option<Quantity>,
    pub unit: Option<String>,
    pub unit_price: Option<UnitPrice>,
    pub vat_rate: Option<VatRate>,
    pub amount: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItemRecord {
    pub payer_code: PayerCode,
    pub document_number: String,
    pub document_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Cents,
    pub open_amount: Cents,
}

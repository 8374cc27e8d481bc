//! "Račun po e-pošti": an invoice's payment as its UPN QR code carries it, and the files its
//! message carries (the PDF and the code as an image), made when the message is sent.

use crate::config::{Bill, Company};
use crate::domain::money::Cents;
use crate::domain::upn::{Reference, UpnPayment};
use crate::i18n::{Arg, Lang};
use crate::store::invoices::{self, Invoice};
use crate::store::payers::Payer;
use crate::store::{Db, StoreError};

/// Pixels a module of the attached code: 85 modules make a 340-pixel image, which a banking
/// app reads from a screen or paper.
const QR_SCALE: usize = 4;

/// The payment of `invoice` to the company, under the reference billing gave it; `None` when
/// there is nothing to pay (a credit note) or no valid reference (then the PDF's payment data
/// stand alone: a made-up reference would reach the books as an unknown payment).
pub fn payment(company: &Company, payer: &Payer, invoice: &Invoice) -> Option<UpnPayment> {
    let amount = Cents(invoice.total_cents);
    if amount <= Cents::ZERO {
        return None;
    }
    let reference = match invoice.reference.as_deref().map(Reference::parse) {
        Some(Ok(reference)) => reference,
        Some(Err(error)) => {
            tracing::warn!(%error, invoice = %invoice.number, "the invoice's reference is not valid: no UPN QR code");
            return None;
        }
        None => return None,
    };
    let bill = Bill {
        amount,
        reference,
        // The purpose reaches the company's books, so it is always in Slovenian.
        purpose: Lang::Sl.t_with(
            "invoice-mail-upn-purpose",
            &[("number", Arg::Text(invoice.number.clone()))],
        ),
        due_date: Some(invoice.due_date),
    };
    Some(company.upn_payment(&payer.upn_address(), bill))
}

/// What an invoice's message carries.
pub struct InvoiceFiles {
    pub pdf: Vec<u8>,
    /// The UPN QR code as a PNG image; none for a credit note.
    pub qr_png: Option<Vec<u8>>,
}

/// The files of invoice `number`; `None` when the invoice or its PDF is gone.
pub async fn files(
    db: &Db,
    company: &Company,
    number: &str,
) -> Result<Option<InvoiceFiles>, StoreError> {
    let Some((invoice, payer)) = invoices::with_payer(db, number).await? else {
        return Ok(None);
    };
    let Some(pdf) = invoices::pdf_of_payer(db, &payer.code, number).await? else {
        return Ok(None);
    };
    let qr_png = payment(company, &payer, &invoice).and_then(|payment| {
        payment
            .qr_png(QR_SCALE)
            .inspect_err(|error| tracing::error!(%error, invoice = number, "no UPN QR image"))
            .ok()
    });
    Ok(Some(InvoiceFiles { pdf, qr_png }))
}

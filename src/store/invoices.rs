//! Invoices as billing sent them, as their payer sees them: every query is the payer's own.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, SelectModel,
};

use super::entity::{invoice, invoice_line, invoice_pdf};
use super::{BuiltOnce, unique_row};

pub use super::entity::invoice::Model as Invoice;
pub use super::entity::invoice_line::Model as InvoiceLine;

/// Whether `number` is the number of one of `payer_code`'s invoices, which makes it a control
/// number of that payer (SPEC §2).
pub async fn is_payers_invoice<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
) -> Result<bool, DbErr> {
    let found = invoice::Entity::find()
        .filter(invoice::Column::Number.eq(number.trim()))
        .filter(invoice::Column::PayerCode.eq(payer_code))
        .count(conn)
        .await?;
    Ok(found > 0)
}

/// Whether an invoice `number` exists at all, whoever's: only to tell a request for another
/// payer's invoice (audited) from one for a number that does not exist.
pub async fn exists<C: ConnectionTrait>(conn: &C, number: &str) -> Result<bool, DbErr> {
    let found = invoice::Entity::find_by_id(number.to_owned())
        .count(conn)
        .await?;
    Ok(found > 0)
}

/// The years in which the payer has invoices, newest first.
pub async fn years_of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
) -> Result<Vec<i32>, DbErr> {
    // The years in SQL: a payer of ten years has hundreds of invoices, and a page reading
    // every date to find the years spent most of its time on them.
    let year = match conn.get_database_backend() {
        DbBackend::Sqlite => "CAST(strftime('%Y', issue_date) AS INTEGER)",
        _ => "CAST(EXTRACT(YEAR FROM issue_date) AS INTEGER)",
    };
    invoice::Entity::find()
        .select_only()
        .column_as(Expr::cust(year), "year")
        .distinct()
        .filter(invoice::Column::PayerCode.eq(payer_code))
        .order_by_desc(Expr::cust(year))
        .into_tuple::<i32>()
        .all(conn)
        .await
}

/// The payer's invoices issued in `year`, newest first.
pub async fn of_payer_in_year<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    year: i32,
) -> Result<Vec<Invoice>, DbErr> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    static OF_PAYER_IN_YEAR: BuiltOnce = BuiltOnce::new();
    let query = || {
        invoice::Entity::find()
            .filter(invoice::Column::PayerCode.eq(payer_code))
            .filter(invoice::Column::IssueDate.between(first, last))
            .order_by_desc(invoice::Column::IssueDate)
            .order_by_desc(invoice::Column::Number)
            .into_query()
    };
    let values = vec![payer_code.into(), first.into(), last.into()];
    OF_PAYER_IN_YEAR
        .all::<SelectModel<Invoice>, _>(conn, values, query)
        .await
}

/// One of the payer's invoices with its lines in order and whether its PDF is stored.
pub struct InvoiceDetail {
    pub invoice: Invoice,
    pub lines: Vec<InvoiceLine>,
    pub has_pdf: bool,
}

/// The payer's invoice `number`; `None` when there is none of that number or it is another
/// payer's.
pub async fn detail_of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
) -> Result<Option<InvoiceDetail>, DbErr> {
    static INVOICE_OF_PAYER: BuiltOnce = BuiltOnce::new();
    static LINES: BuiltOnce = BuiltOnce::new();
    let invoices = INVOICE_OF_PAYER
        .all::<SelectModel<Invoice>, _>(conn, vec![number.into(), payer_code.into()], || {
            invoice::Entity::find_by_id(number.to_owned())
                .filter(invoice::Column::PayerCode.eq(payer_code))
                .into_query()
        })
        .await?;
    let Some(invoice) = unique_row(invoices) else {
        return Ok(None);
    };
    let lines = LINES
        .all::<SelectModel<InvoiceLine>, _>(conn, vec![invoice.number.as_str().into()], || {
            invoice_line::Entity::find()
                .filter(invoice_line::Column::InvoiceNumber.eq(&invoice.number))
                .order_by_asc(invoice_line::Column::LineNo)
                .into_query()
        })
        .await?;
    let has_pdf = invoice_pdf::Entity::find_by_id(invoice.number.clone())
        .count(conn)
        .await?
        > 0;
    Ok(Some(InvoiceDetail {
        invoice,
        lines,
        has_pdf,
    }))
}

/// The PDF of the payer's invoice `number`; `None` when the invoice is not the payer's or has
/// no PDF.
pub async fn pdf_of_payer<C: ConnectionTrait>(
    conn: &C,
    payer_code: &str,
    number: &str,
) -> Result<Option<Vec<u8>>, DbErr> {
    if !is_payers_invoice(conn, payer_code, number).await? {
        return Ok(None);
    }
    let pdfs = invoice_pdf::Entity::find_by_id(number.to_owned())
        .all(conn)
        .await?;
    Ok(unique_row(pdfs).map(|pdf| pdf.content))
}

/// An invoice with its payer, for the message that sends it.
pub async fn with_payer<C: ConnectionTrait>(
    conn: &C,
    number: &str,
) -> Result<Option<(Invoice, super::payers::Payer)>, DbErr> {
    let found = invoice::Entity::find_by_id(number.to_owned())
        .find_also_related(super::entity::payer::Entity)
        .one(conn)
        .await?;
    Ok(found.and_then(|(invoice, payer)| payer.map(|payer| (invoice, payer))))
}

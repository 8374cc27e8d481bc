//! Files the pages hand out: CSV as Slovenian spreadsheets open it.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::web::WebError;

/// A CSV file as Slovenian spreadsheets open it: a byte-order mark (so "m³" and "č" read as
/// UTF-8), `;` between fields, CRLF line ends, quotes where a field needs them.
fn spreadsheet_csv<H, R>(
    header: impl IntoIterator<Item = H>,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, WebError>
where
    H: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut file = spreadsheet_start(header)?;
    file.extend(spreadsheet_rows(rows)?);
    Ok(file)
}

/// Rows in the dialect of [`spreadsheet_csv`], for files written a page at a time.
pub fn spreadsheet_rows<R>(rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, WebError>
where
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    writer
        .into_inner()
        .map_err(|error| WebError::Csv(error.into_error().into()))
}

/// The start of a spreadsheet file: the byte-order mark and the header.
pub fn spreadsheet_start<H: AsRef<[u8]>>(
    header: impl IntoIterator<Item = H>,
) -> Result<Vec<u8>, WebError> {
    let mut start = "\u{feff}".as_bytes().to_vec();
    start.extend(spreadsheet_rows([header])?);
    Ok(start)
}

/// [`spreadsheet_csv`] as a download named `file_name` (plain ASCII).
pub fn spreadsheet_download<H, R>(
    file_name: &str,
    header: impl IntoIterator<Item = H>,
    rows: impl IntoIterator<Item = R>,
) -> Result<Response, WebError>
where
    H: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    Ok(csv_download(file_name, spreadsheet_csv(header, rows)?))
}

/// A CSV file, as it is, as a download named `file_name` (plain ASCII).
pub fn csv_download(file_name: &str, body: impl Into<axum::body::Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

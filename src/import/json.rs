//! A billing kind sent as JSON (SPEC §5.2): an array of objects whose fields are the file's
//! column names, written into the same table the files are read from, so the API follows the
//! files' rules through the same code. Item `i` becomes line `i + 2` (the header is line 1).

use serde_json::Value;

use super::Kind;

/// What is wrong with an item's shape, before its values are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    pub index: usize,
    /// The field at fault, if one is.
    pub field: Option<String>,
    pub problem: ShapeProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShapeProblem {
    #[error("an item is an object of the file's columns")]
    NotAnObject,
    #[error("this kind has no such field")]
    UnknownField,
    #[error(
        "a value is a string, a number, true or false, or null (services: also a list of \
         strings), without line breaks or other control characters"
    )]
    NotAValue,
    #[error("an item names at least one field")]
    Empty,
}

impl ShapeProblem {
    /// The reason code in problem details.
    pub fn code(self) -> &'static str {
        match self {
            ShapeProblem::NotAnObject => "not_an_object",
            ShapeProblem::UnknownField => "unknown_field",
            ShapeProblem::NotAValue => "not_a_value",
            ShapeProblem::Empty => "empty",
        }
    }
}

/// The item at `index` of a request whose line is `line` of its table.
pub fn index_of_line(line: u64) -> usize {
    usize::try_from(line.saturating_sub(2)).unwrap_or(usize::MAX)
}

/// A value as a file would hold it: numbers with a decimal point, lists of service codes
/// separated by spaces, `true`/`false` as `1`/`0`, null as empty.
fn text_of(value: &Value) -> Option<String> {
    // A line break would split the item's line in the table and shift every later line.
    let plain = |text: &str| (!text.chars().any(char::is_control)).then(|| text.to_owned());
    match value {
        Value::Null => Some(String::new()),
        Value::String(text) => plain(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(if *flag { "1" } else { "0" }.to_owned()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().and_then(plain))
            .collect::<Option<Vec<_>>>()
            .map(|codes| codes.join(" ")),
        Value::Object(_) => None,
    }
}

/// The items as a CSV table of `kind` (every column of the kind in the header), or every item
/// whose shape is wrong.
pub fn table_of(kind: Kind, items: &[Value]) -> Result<Vec<u8>, Vec<ShapeError>> {
    let columns: Vec<&str> = kind.columns().iter().map(|column| column.name).collect();
    let mut rows = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(fields) = item.as_object() else {
            errors.push(ShapeError {
                index,
                field: None,
                problem: ShapeProblem::NotAnObject,
            });
            continue;
        };
        if fields.values().all(Value::is_null) {
            // An empty row would be passed over as a blank line of a file.
            errors.push(ShapeError {
                index,
                field: None,
                problem: ShapeProblem::Empty,
            });
            continue;
        }
        for (name, value) in fields {
            let problem = if !columns.contains(&name.as_str()) {
                ShapeProblem::UnknownField
            } else if text_of(value).is_none() || (name != "services" && value.is_array()) {
                ShapeProblem::NotAValue
            } else {
                continue;
            };
            errors.push(ShapeError {
                index,
                field: Some(name.clone()),
                problem,
            });
        }
        let row: Vec<String> = columns
            .iter()
            .map(|column| fields.get(*column).and_then(text_of).unwrap_or_default())
            .collect();
        rows.push(row);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let written: csv::Result<()> =
        std::iter::once(columns.iter().map(|c| (*c).to_owned()).collect())
            .chain(rows)
            .try_for_each(|row: Vec<String>| writer.write_record(row));
    // Writing to memory fails only if the table were malformed, which it is not.
    written.map_err(|_| Vec::new())?;
    writer.into_inner().map_err(|_| Vec::new())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::import::{ParsedFile, parse_file};

    #[test]
    fn items_read_like_a_file() {
        let items = [
            json!({ "meter_serial": "W;1", "date": "2026-01-31", "value": 12.5 }),
            json!({ "meter_serial": "W2", "date": "2026-02-28", "value": "13", "source": null }),
        ];
        let table = table_of(Kind::Readings, &items).unwrap();
        let ParsedFile::Readings(rows) = parse_file(Kind::Readings, &table).unwrap() else {
            panic!("readings");
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].record.meter_serial, "W;1");
        assert_eq!(rows[0].record.value.litres(), 12_500);
        assert_eq!(index_of_line(rows[1].line), 1);
    }

    #[test]
    fn services_come_as_a_list_and_nothing_else_may() {
        let items = [json!({ "point_code": "OM1", "payer_code": "1", "services": ["VOD", "KAN"] })];
        assert!(table_of(Kind::Points, &items).is_ok());
        let bad = [
            json!(["not", "an", "object"]),
            json!({}),
            json!({ "payer_code": "1", "name": "Ana\nKos" }),
            json!({ "payer_code": "1", "name": { "first": "Ana" }, "nickname": "A" }),
            json!({ "payer_code": ["1"], "name": "Ana" }),
        ];
        let errors = table_of(Kind::Payers, &bad).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|error| (error.index, error.field.as_deref(), error.problem))
            .collect();
        assert_eq!(
            found,
            [
                (0, None, ShapeProblem::NotAnObject),
                (1, None, ShapeProblem::Empty),
                (2, Some("name"), ShapeProblem::NotAValue),
                (3, Some("name"), ShapeProblem::NotAValue),
                (3, Some("nickname"), ShapeProblem::UnknownField),
                (4, Some("payer_code"), ShapeProblem::NotAValue),
            ]
        );
    }

    #[test]
    fn no_items_is_an_empty_table_with_its_header() {
        let table = table_of(Kind::OpenItems, &[]).unwrap();
        assert!(parse_file(Kind::OpenItems, &table).unwrap().is_empty());
    }
}

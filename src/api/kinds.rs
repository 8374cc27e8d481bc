//! The upserts in the OpenAPI document: one route, `PUT /api/v1/{kind}`, described as a path
//! per kind whose items name that kind's columns (SPEC §5.1), so that an integrator, and a
//! client generated from the document, sees exactly which fields each kind takes.

use serde_json::{Value, json};
use utoipa::openapi::path::Operation;
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema,
    SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};

use crate::import::{Column, Holds, Kind};

/// The path the upsert handler is routed at.
const ROUTED: &str = "/api/v1/{kind}";

/// Replaces the routed `/api/v1/{kind}` by `/api/v1/payers`, `/api/v1/prices`, … each with its
/// item schema (a component named e.g. `InvoiceLinesItem`) and an example.
pub fn describe_each_kind(document: &mut OpenApi) {
    let Some(routed) = document.paths.paths.remove(ROUTED) else {
        return;
    };
    let Some(upsert) = routed.put else {
        return;
    };
    let components = document.components.get_or_insert_with(Default::default);
    for kind in Kind::ALL {
        let name = schema_name(kind);
        components
            .schemas
            .insert(name.clone(), RefOr::T(item_schema(kind)));
        let mut operation = operation_for(&upsert, kind, &name);
        operation.operation_id = Some(format!("upsert_{}", kind.as_str()));
        document.paths.add_path_operation(
            format!("/api/v1/{}", kind.as_str()),
            vec![utoipa::openapi::HttpMethod::Put],
            operation,
        );
    }
}

/// `invoice_lines` → `InvoiceLinesItem`.
fn schema_name(kind: Kind) -> String {
    let words: String = kind
        .as_str()
        .split('_')
        .map(|word| {
            let mut letters = word.chars();
            letters
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + letters.as_str())
                .unwrap_or_default()
        })
        .collect();
    format!("{words}Item")
}

/// The routed operation for one kind: no `kind` parameter, a body of that kind's items.
fn operation_for(upsert: &Operation, kind: Kind, item: &str) -> Operation {
    let mut operation = upsert.clone();
    if let Some(parameters) = &mut operation.parameters {
        parameters.retain(|parameter| match parameter {
            RefOr::T(parameter) => parameter.name != "kind",
            RefOr::Ref(_) => true,
        });
    }
    // An empty array is a request too: no open items at all, say.
    let items = ArrayBuilder::new().items(Ref::from_schema_name(item));
    let content = ContentBuilder::new()
        .schema(Some(items))
        .example(Some(json!([example(kind)])))
        .build();
    operation.request_body = Some(
        RequestBodyBuilder::new()
            .description(Some(format!(
                "The {} to store, as the file's lines (SPEC §5.1)",
                kind.as_str().replace('_', " ")
            )))
            .content("application/json", content)
            .required(Some(utoipa::openapi::Required::True))
            .build()
            .into(),
    );
    operation
}

/// An item of `kind`: an object of its columns, the required ones required, no others.
fn item_schema(kind: Kind) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(format!(
            "A line of the {} file: its columns by name; an optional one may be left out or null.",
            kind.as_str()
        )))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .min_properties(Some(1));
    for column in kind.columns() {
        object = object.property(column.name, column_schema(column));
        if column.required {
            object = object.required(column.name);
        }
    }
    object.into()
}

fn column_schema(column: &Column) -> Schema {
    let nullable = |types: &[Type]| -> SchemaType {
        let mut types = types.to_vec();
        if !column.required {
            types.push(Type::Null);
        }
        types.into_iter().collect()
    };
    let plain = |types: &[Type], description: &str| {
        ObjectBuilder::new()
            .schema_type(nullable(types))
            .description(Some(description))
    };
    match column.holds {
        // A required one needs more than spaces.
        Holds::Text if column.required => {
            plain(&[Type::String], "Text").pattern(Some(r"\S")).into()
        }
        Holds::Text => plain(&[Type::String], "Text").into(),
        Holds::Date => plain(&[Type::String], "A date, e.g. 2026-01-31")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into(),
        Holds::Decimal => plain(
            &[Type::Number, Type::String],
            "A number, or a string of one with a decimal point (or comma)",
        )
        .pattern(Some(r"^\s*-?[0-9]+([.,][0-9]+)?\s*$"))
        .into(),
        Holds::Integer => plain(&[Type::Integer, Type::String], "A whole number")
            .pattern(Some("^-?[0-9]+$"))
            .into(),
        Holds::Flag => {
            let mut choices = vec![
                json!(true),
                json!(false),
                json!(1),
                json!(0),
                json!("1"),
                json!("0"),
                json!("true"),
                json!("false"),
                json!("da"),
                json!("ne"),
            ];
            if !column.required {
                choices.push(Value::Null);
            }
            ObjectBuilder::new()
                .description(Some("true or false (also 1/0, da/ne)"))
                .enum_values(Some(choices))
                .into()
        }
        Holds::Codes => {
            let mut choices = OneOfBuilder::new()
                .description(Some(
                    "Service codes: a list, or one string separated by spaces",
                ))
                .item(ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)))
                .item(ObjectBuilder::new().schema_type(Type::String));
            if !column.required {
                choices = choices.item(ObjectBuilder::new().schema_type(Type::Null));
            }
            choices.into()
        }
    }
}

/// An item of `kind` as billing would send it (the lines of docs/import.md).
fn example(kind: Kind) -> Value {
    match kind {
        Kind::Payers => json!({
            "payer_code": "234567", "name": "Kovačič Marija", "street": "Podpeška cesta 12",
            "postal_code": "1352", "city": "Preserje", "tax_number": "64330125",
            "email": "marija.kovacic@example.si", "phone": "041 123 456"
        }),
        Kind::Prices => json!({
            "service_code": "VODA", "name": "Voda – vodarina", "unit": "m3", "price": "0.6812",
            "vat_rate": "9.5", "valid_from": "2021-01-01"
        }),
        Kind::Points => json!({
            "point_code": "OM-2001", "payer_code": "234567", "street": "Podpeška cesta 12",
            "postal_code": "1352", "city": "Preserje", "kind": "gospodinjstvo",
            "services": ["VODA", "OMR-20", "KAN"], "active": true
        }),
        Kind::Meters => json!({
            "meter_serial": "W-2021-0007", "point_code": "OM-1001", "medium": "cold_water",
            "unit": "m3", "digits": 5, "decimals": 3, "dn": 20, "installed_on": "2021-06-30",
            "removed_on": null
        }),
        Kind::Readings => json!({
            "meter_serial": "W-2015-0042", "date": "2020-03-31", "value": "1263.067",
            "source": "customer"
        }),
        Kind::Invoices => json!({
            "invoice_number": "202001544", "payer_code": "123456", "point_code": "OM-1001",
            "issue_date": "2020-04-30", "period_from": "2020-01-01", "period_to": "2020-03-31",
            "due_date": "2020-05-18", "net": "55.96", "vat": "5.32", "total": "61.28",
            "reference": "SI12 202001544"
        }),
        Kind::InvoiceLines => json!({
            "invoice_number": "202001544", "line_no": 1, "service_code": "VODA",
            "description": "Voda – vodarina", "quantity": "28.5", "unit": "m3",
            "unit_price": "0.6543", "vat_rate": "9.5", "amount": "18.65"
        }),
        Kind::OpenItems => json!({
            "payer_code": "123456", "document_number": "202001544", "document_date": "2020-04-30",
            "due_date": "2020-05-18", "amount": "61.28", "open_amount": "61.28"
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_pascal_case() {
        assert_eq!(schema_name(Kind::Payers), "PayersItem");
        assert_eq!(schema_name(Kind::InvoiceLines), "InvoiceLinesItem");
    }

    /// Every example names only its kind's columns, and all the required ones.
    #[test]
    fn examples_fit_their_kinds() {
        for kind in Kind::ALL {
            let example = example(kind);
            let fields = example.as_object().unwrap();
            for name in fields.keys() {
                assert!(
                    kind.columns().iter().any(|column| column.name == name),
                    "{} has no {name}",
                    kind.as_str()
                );
            }
            for column in kind.columns().iter().filter(|column| column.required) {
                assert!(fields.contains_key(column.name), "{}", column.name);
            }
        }
    }
}

use chrono::NaiveDate;

use super::*;
use crate::domain::billing::ReadingSource;
use crate::domain::money::{Cents, UnitPrice};
use crate::domain::payer_code::PayerCode;
use crate::domain::quantity::{Quantity, Volume};
use crate::domain::tax_number::TaxNumber;
use crate::domain::vat::VatRate;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn payer(code: &str) -> PayerCode {
    PayerCode::parse(code).unwrap()
}

fn lines(failure: ParseFailure) -> Vec<LineError> {
    match failure {
        ParseFailure::Lines(errors) => errors,
        ParseFailure::File(error) => panic!("expected bad lines, got {error}"),
    }
}

fn error(line: u64, column: Option<&str>, problem: Problem) -> LineError {
    LineError::new(line, column, problem)
}

fn payers(bytes: &[u8]) -> Vec<Lined<PayerRecord>> {
    match parse_file(Kind::Payers, bytes).unwrap() {
        ParsedFile::Payers(rows) => rows,
        other => panic!("{:?}", other.kind()),
    }
}

#[test]
fn payers_parse() {
    let rows = payers(
        "payer_code;name;street;postal_code;city;tax_number;email;phone\n\
         123456;NOVAK JANEZ;STARA ULICA 1;1351;BREZOVICA;SI 1234 5679;janez.novak@example.si;01 234 56 78\n\
         000789;Kovač Marija;;;;;;\n"
            .as_bytes(),
    );
    assert_eq!(
        rows,
        [
            Lined {
                line: 2,
                record: PayerRecord {
                    code: payer("123456"),
                    name: "NOVAK JANEZ".into(),
                    street: Some("STARA ULICA 1".into()),
                    postal_code: Some("1351".into()),
                    city: Some("BREZOVICA".into()),
                    tax_number: Some(TaxNumber::parse("12345679").unwrap()),
                    email: Some("janez.novak@example.si".into()),
                    phone: Some("01 234 56 78".into()),
                },
            },
            Lined {
                line: 3,
                record: PayerRecord {
                    code: payer("000789"),
                    name: "Kovač Marija".into(),
                    street: None,
                    postal_code: None,
                    city: None,
                    tax_number: None,
                    email: None,
                    phone: None,
                },
            },
        ]
    );
}

#[test]
fn points_parse_with_defaults() {
    let parsed = parse_file(
        Kind::Points,
        b"point_code;payer_code;street;postal_code;city;kind;services;active\n\
          OM-1001;123456;Stara ulica 1;1351;Brezovica;gospodinjstvo;VODA KANAL  SMETI;1\n\
          OM-1002;123456;;;;;;\n\
          OM-1003;123456;;;;poslovni;VODA;ne\n",
    )
    .unwrap();
    let ParsedFile::Points(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    let first = &rows[0].record;
    assert_eq!(first.code, "OM-1001");
    assert_eq!(first.payer_code, payer("123456"));
    assert_eq!(first.kind.as_deref(), Some("gospodinjstvo"));
    assert_eq!(first.services, ["VODA", "KANAL", "SMETI"]);
    assert!(first.active);
    let second = &rows[1].record;
    assert_eq!(
        (second.services.len(), second.active, second.kind.as_deref()),
        (0, true, None)
    );
    assert!(!rows[2].record.active);
}

#[test]
fn meters_parse_with_defaults() {
    let parsed = parse_file(
        Kind::Meters,
        b"meter_serial;point_code;medium;unit;digits;decimals;dn;installed_on;removed_on\n\
          W-2015-0042;OM-1001;;;;;;15.03.2015;2021-06-30\n\
          W-2021-0007;OM-1001;hot_water;m3;6;2;20;2021-06-30;\n",
    )
    .unwrap();
    let ParsedFile::Meters(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(
        rows[0].record,
        MeterRecord {
            serial: "W-2015-0042".into(),
            point_code: "OM-1001".into(),
            medium: "cold_water".into(),
            unit: "m3".into(),
            digits: 5,
            decimals: 3,
            dn: None,
            installed_on: date(2015, 3, 15),
            removed_on: Some(date(2021, 6, 30)),
        }
    );
    let second = &rows[1].record;
    assert_eq!(
        (
            second.medium.as_str(),
            second.digits,
            second.decimals,
            second.dn,
            second.removed_on
        ),
        ("hot_water", 6, 2, Some(20), None)
    );
}

#[test]
fn readings_parse_with_defaults_and_decimal_comma() {
    let parsed = parse_file(
        Kind::Readings,
        b"meter_serial;date;value;source\n\
          W-2015-0042;31.01.2020;1234,567;\n\
          W-2015-0042;2020-07-31;1301.5;customer\n\
          W-2015-0042;1.1.2021;1350;Estimate\n",
    )
    .unwrap();
    let ParsedFile::Readings(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    let readings: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                row.record.read_on,
                row.record.value.litres(),
                row.record.source,
            )
        })
        .collect();
    assert_eq!(
        readings,
        [
            (date(2020, 1, 31), 1_234_567, ReadingSource::Reader),
            (date(2020, 7, 31), 1_301_500, ReadingSource::Customer),
            (date(2021, 1, 1), 1_350_000, ReadingSource::Estimate),
        ]
    );
}

#[test]
fn prices_parse() {
    let parsed = parse_file(
        Kind::Prices,
        "service_code;name;unit;price;vat_rate;valid_from\n\
         VODA;Voda - vodarina;m3;0,6543;9,5;01.01.2020\n\
         SMETI;Odvoz odpadkov;kos;12.5;22 %;2020-01-01\n"
            .as_bytes(),
    )
    .unwrap();
    let ParsedFile::Prices(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(
        rows[0].record,
        PriceRecord {
            service_code: "VODA".into(),
            name: "Voda - vodarina".into(),
            unit: "m3".into(),
            price: UnitPrice(6543),
            vat_rate: VatRate::parse("9,5").unwrap(),
            valid_from: date(2020, 1, 1),
        }
    );
    assert_eq!(rows[1].record.price, UnitPrice(125_000));
    assert_eq!(rows[1].record.vat_rate.as_basis_points(), 2200);
}

#[test]
fn invoices_parse() {
    let parsed = parse_file(
        Kind::Invoices,
        b"invoice_number;payer_code;point_code;issue_date;period_from;period_to;due_date;net;vat;total;reference\n\
          202000876;123456;OM-1001;31.01.2020;01.10.2019;31.12.2019;18.02.2020;38,42;3,65;42,07;SI12 202000876\n\
          202000877;123456;;31.01.2020;;;18.02.2020;-10;-0,95;-10,95;\n",
    )
    .unwrap();
    let ParsedFile::Invoices(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(
        rows[0].record,
        InvoiceRecord {
            number: "202000876".into(),
            payer_code: payer("123456"),
            point_code: Some("OM-1001".into()),
            issue_date: date(2020, 1, 31),
            period_from: Some(date(2019, 10, 1)),
            period_to: Some(date(2019, 12, 31)),
            due_date: date(2020, 2, 18),
            net: Cents(3842),
            vat: Cents(365),
            total: Cents(4207),
            reference: Some("SI12 202000876".into()),
        }
    );
    let credit = &rows[1].record;
    assert_eq!(
        (
            credit.total,
            credit.point_code.as_deref(),
            credit.period_from
        ),
        (Cents(-1095), None, None)
    );
}

#[test]
fn invoice_lines_parse() {
    let parsed = parse_file(
        Kind::InvoiceLines,
        b"invoice_number;line_no;service_code;description;quantity;unit;unit_price;vat_rate;amount\n\
          202000876;1;VODA;Voda - vodarina;28,5;m3;0,6543;9,5;18,65\n\
          202000876;2;;Popravek;;;;;-1,20\n",
    )
    .unwrap();
    let ParsedFile::InvoiceLines(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(
        rows[0].record,
        InvoiceLineRecord {
            invoice_number: "202000876".into(),
            line_no: 1,
            service_code: Some("VODA".into()),
            description: "Voda - vodarina".into(),
            quantity: Some(Quantity(28_500)),
            unit: Some("m3".into()),
            unit_price: Some(UnitPrice(6543)),
            vat_rate: Some(VatRate::from_basis_points(950).unwrap()),
            amount: Cents(1865),
        }
    );
    let correction = &rows[1].record;
    assert_eq!(
        (
            correction.quantity,
            correction.unit_price,
            correction.vat_rate,
            correction.amount
        ),
        (None, None, None, Cents(-120))
    );
}

#[test]
fn open_items_parse_without_a_key() {
    let parsed = parse_file(
        Kind::OpenItems,
        b"payer_code;document_number;document_date;due_date;amount;open_amount\n\
          123456;202000876;31.01.2020;18.02.2020;42,07;42,07\n\
          123456;202000876;31.01.2020;18.02.2020;42,07;10\n",
    )
    .unwrap();
    let ParsedFile::OpenItems(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(
        rows[1].record,
        OpenItemRecord {
            payer_code: payer("123456"),
            document_number: "202000876".into(),
            document_date: date(2020, 1, 31),
            due_date: date(2020, 2, 18),
            amount: Cents(4207),
            open_amount: Cents(1000),
        }
    );
}

#[test]
fn an_empty_set_of_open_items_is_a_file() {
    let parsed = parse_file(
        Kind::OpenItems,
        b"payer_code;document_number;document_date;due_date;amount;open_amount\n",
    )
    .unwrap();
    assert_eq!(
        (parsed.kind(), parsed.len(), parsed.is_empty()),
        (Kind::OpenItems, 0, true)
    );
}

#[test]
fn header_in_any_order_and_case_with_extra_columns() {
    let rows = payers(b" NAME ;Remark;Payer_Code\nNOVAK JANEZ;ignored;123456\n");
    assert_eq!(rows[0].record.code, payer("123456"));
    assert_eq!(rows[0].record.name, "NOVAK JANEZ");
    assert_eq!(rows[0].record.street, None);
}

#[test]
fn comma_separated_with_quoted_decimal_commas() {
    let parsed = parse_file(
        Kind::Readings,
        b"meter_serial,date,value\nW-1,31.01.2020,\"12,345\"\nW-1,2020-02-29,13.5\n",
    )
    .unwrap();
    let ParsedFile::Readings(rows) = parsed else {
        panic!("{:?}", parsed.kind())
    };
    assert_eq!(rows[0].record.value, Volume::from_litres(12_345));
    assert_eq!(rows[1].record.value, Volume::from_litres(13_500));
}

#[test]
fn utf8_with_bom() {
    let rows = payers("\u{feff}payer_code;name\n123456;Žagar Črt\n".as_bytes());
    assert_eq!(rows[0].record.name, "Žagar Črt");
}

#[test]
fn windows_1250() {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250
        .encode("payer_code;name;city\n123456;ŠKERJANC ČRTOMIR;ŽELIMLJE\n");
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    let rows = payers(&bytes);
    assert_eq!(rows[0].record.name, "ŠKERJANC ČRTOMIR");
    assert_eq!(rows[0].record.city.as_deref(), Some("ŽELIMLJE"));
}

#[test]
fn blank_lines_at_the_end_are_ignored() {
    let rows = payers(b"payer_code;name\r\n123456;NOVAK JANEZ\r\n\r\n;\r\n\r\n");
    assert_eq!(rows.len(), 1);
}

#[test]
fn every_bad_line_is_reported_with_line_and_column() {
    let failure = parse_file(
        Kind::Invoices,
        b"invoice_number;payer_code;issue_date;due_date;net;vat;total;period_from;period_to\n\
          1;123456;31.01.2020;18.02.2020;10;2,2;12,2;;\n\
          2;12A;31.02.2020;18.02.2020;1.234,56;2,205;12,2;;\n\
          3;123456;31.01.2020;18.02.2020;10;2,2;12,2;;\n\
          4;123456;31.01.2020;;10;2,2;12,2;01.02.2020;31.01.2020\n\
          5;123456;31.01.2020\n\
          \"6\n\";123456;31.01.2020;18.02.2020;10;2,2;x;;\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [
            error(
                3,
                Some("payer_code"),
                Problem::BadPayerCode { text: "12A".into() }
            ),
            error(
                3,
                Some("issue_date"),
                Problem::BadDate {
                    text: "31.02.2020".into()
                }
            ),
            error(
                3,
                Some("net"),
                Problem::BadNumber {
                    text: "1.234,56".into()
                }
            ),
            error(
                3,
                Some("vat"),
                Problem::TooManyDecimals {
                    text: "2,205".into(),
                    max: 2
                }
            ),
            error(5, Some("period_to"), Problem::PeriodToBeforeFrom),
            error(5, Some("due_date"), Problem::MissingValue),
            error(
                6,
                None,
                Problem::WrongFieldCount {
                    expected: 9,
                    found: 3
                }
            ),
            error(7, Some("total"), Problem::BadNumber { text: "x".into() }),
        ]
    );
}

#[test]
fn values_out_of_bounds() {
    let failure = parse_file(
        Kind::Meters,
        b"meter_serial;point_code;digits;decimals;dn;installed_on;removed_on\n\
          W-1;OM-1;0;4;-20;01.01.2020;31.12.2019\n",
    )
    .unwrap_err();
    let range = |text: &str, min, max| Problem::OutOfRange {
        text: text.into(),
        min,
        max,
    };
    assert_eq!(
        lines(failure),
        [
            error(2, Some("digits"), range("0", 1, 12)),
            error(2, Some("decimals"), range("4", 0, 3)),
            error(2, Some("dn"), range("-20", 1, 65535)),
            error(2, Some("removed_on"), Problem::RemovedBeforeInstalled),
        ]
    );

    let failure = parse_file(
        Kind::Prices,
        b"service_code;name;unit;price;vat_rate;valid_from\nVODA;Voda;m3;-0,5;23x;1.1.2020\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [
            error(
                2,
                Some("price"),
                Problem::Negative {
                    text: "-0,5".into()
                }
            ),
            error(
                2,
                Some("vat_rate"),
                Problem::BadVatRate { text: "23x".into() }
            ),
        ]
    );

    let long_name = "A".repeat(201);
    let failure = parse_file(
        Kind::Readings,
        format!("meter_serial;date;value;source\n{long_name};1.1.2020;-1;self\n").as_bytes(),
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [
            error(2, Some("meter_serial"), Problem::TooLong { max: 40 }),
            error(2, Some("value"), Problem::Negative { text: "-1".into() }),
            error(
                2,
                Some("source"),
                Problem::BadReadingSource {
                    text: "self".into()
                }
            ),
        ]
    );

    let failure = parse_file(
        Kind::InvoiceLines,
        b"invoice_number;line_no;description;amount\n1;0;Voda;1\n1;1,5;Voda;1\n1;2147483648;Voda;1\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [
            error(2, Some("line_no"), range("0", 1, i64::from(i32::MAX))),
            error(
                3,
                Some("line_no"),
                Problem::BadNumber { text: "1,5".into() }
            ),
            // One past what the database keeps (two such lines would have been one key).
            error(
                4,
                Some("line_no"),
                range("2147483648", 1, i64::from(i32::MAX))
            ),
        ]
    );

    let failure = parse_file(
        Kind::Points,
        b"point_code;payer_code;active;services\nOM-1;123456;yes;VODA\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [error(
            2,
            Some("active"),
            Problem::BadBoolean { text: "yes".into() }
        )]
    );

    let failure =
        parse_file(Kind::Payers, b"payer_code;name;tax_number\n1;A;12345678\n").unwrap_err();
    assert_eq!(
        lines(failure),
        [error(
            2,
            Some("tax_number"),
            Problem::BadTaxNumber {
                text: "12345678".into()
            }
        )]
    );
}

#[test]
fn duplicate_keys() {
    let failure = parse_file(
        Kind::Payers,
        b"payer_code;name\n123456;NOVAK JANEZ\n654321;KOS ANA\n123456;NOVAK JANEZ\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [error(
            4,
            None,
            Problem::DuplicateKey {
                key: "123456".into(),
                first_line: 2
            }
        )]
    );

    let failure = parse_file(
        Kind::Readings,
        b"meter_serial;date;value;source\nW-1;31.01.2020;1;\nW-1;31.01.2020;1;estimate\nW-1;2020-01-31;2;reader\n",
    )
    .unwrap_err();
    assert_eq!(
        lines(failure),
        [error(
            4,
            None,
            Problem::DuplicateKey {
                key: "W-1 / 31. 1. 2020 / reader".into(),
                first_line: 2
            }
        )]
    );
}

#[test]
fn file_errors() {
    assert_eq!(
        parse_file(Kind::Payers, b""),
        Err(ParseFailure::File(FileError::Empty))
    );
    assert_eq!(
        parse_file(
            Kind::InvoiceLines,
            b"invoice_number;line_no;amount\n1;1;5\n"
        ),
        Err(ParseFailure::File(FileError::MissingColumns {
            columns: vec!["description"]
        }))
    );
    assert_eq!(
        parse_file(Kind::Payers, b"payer_code name\n"),
        Err(ParseFailure::File(FileError::NoSeparator))
    );
}

mod messages {
    use std::collections::BTreeSet;

    use fluent_templates::fluent_bundle::{FluentArgs, FluentBundle, FluentResource};

    use super::*;

    fn source(lang: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("locales/{lang}/import.ftl"));
        std::fs::read_to_string(path).unwrap()
    }

    fn bundle(lang: &str) -> FluentBundle<FluentResource> {
        let resource = FluentResource::try_new(source(lang)).expect("valid Fluent");
        let mut bundle = FluentBundle::new(vec![lang.parse().unwrap()]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).unwrap();
        bundle
    }

    fn render(
        bundle: &FluentBundle<FluentResource>,
        id: &str,
        args: Vec<(&str, String)>,
    ) -> String {
        let pattern = bundle
            .get_message(id)
            .and_then(|message| message.value())
            .unwrap_or_else(|| panic!("no message {id}"));
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(name, value);
        }
        let mut errors = vec![];
        let text = bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        assert!(errors.is_empty(), "{id}: {errors:?}");
        text
    }

    /// As the back office shows a bad line: the problem inside its place.
    fn render_line_error(bundle: &FluentBundle<FluentResource>, line_error: &LineError) -> String {
        let problem = render(
            bundle,
            line_error.problem.message_id(),
            line_error.problem.args(),
        );
        let mut args = line_error.args();
        args.push(("problem", problem));
        render(bundle, line_error.message_id(), args)
    }

    fn one_of_each() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        let problems = [
            Problem::MissingValue,
            Problem::BadNumber { text: "x".into() },
            Problem::TooManyDecimals {
                text: "1,234".into(),
                max: 2,
            },
            Problem::OutOfRange {
                text: "13".into(),
                min: 1,
                max: 12,
            },
            Problem::Negative { text: "-1".into() },
            Problem::BadDate {
                text: "31.02.2020".into(),
            },
            Problem::BadPayerCode { text: "12A".into() },
            Problem::BadTaxNumber {
                text: "12345678".into(),
            },
            Problem::BadVatRate { text: "x".into() },
            Problem::BadReadingSource { text: "x".into() },
            Problem::BadBoolean { text: "x".into() },
            Problem::TooLong { max: 40 },
            Problem::WrongFieldCount {
                expected: 9,
                found: 3,
            },
            Problem::DuplicateKey {
                key: "1".into(),
                first_line: 2,
            },
            Problem::PeriodToBeforeFrom,
            Problem::RemovedBeforeInstalled,
            Problem::UnknownReference {
                what: Reference::Point,
                key: "OM-1".into(),
            },
            Problem::BadVerdict {
                text: "maybe".into(),
            },
            Problem::NotAwaitingVerdict,
            Problem::BadReasonCode {
                text: "late".into(),
            },
            Problem::NumberTooLarge {
                text: "9".repeat(30),
            },
        ];
        let file_errors = [
            FileError::Empty,
            FileError::NoSeparator,
            FileError::MissingColumns {
                columns: vec!["name", "unit"],
            },
            FileError::DuplicateColumn {
                column: "name".into(),
            },
            FileError::NotCsv {
                line: 3,
                reason: "?".into(),
            },
            FileError::Utf16,
            FileError::Workbook,
            FileError::NotText,
            FileError::UnclosedQuote { line: 4 },
            FileError::Changed,
        ];
        let mut messages = Vec::new();
        messages.extend(
            problems
                .iter()
                .map(|problem| (problem.message_id(), problem.args())),
        );
        messages.extend(
            file_errors
                .iter()
                .map(|error| (error.message_id(), error.args())),
        );
        // The command line's report (src/cli.rs).
        let count = |name: &'static str| (name, "3".to_owned());
        messages.push((
            "import-cli-stored",
            vec![
                ("file", "payers.csv".to_owned()),
                count("rows"),
                count("inserted"),
                count("updated"),
                count("unchanged"),
                count("deleted"),
            ],
        ));
        messages.push(("import-cli-dry-run", vec![]));
        messages.push(("import-cli-busy", vec![]));
        messages.push((
            "import-cli-nothing-stored",
            vec![("file", "payers.csv".to_owned()), count("problems")],
        ));
        for line_error in [
            error(2, Some("name"), Problem::MissingValue),
            error(2, None, Problem::MissingValue),
        ] {
            let mut args = line_error.args();
            args.push(("problem", "…".into()));
            messages.push((line_error.message_id(), args));
        }
        messages
    }

    #[test]
    fn every_message_renders_in_both_languages() {
        let messages = one_of_each();
        let used: BTreeSet<&str> = messages.iter().map(|(id, _)| *id).collect();
        for lang in ["sl", "en"] {
            let bundle = bundle(lang);
            for (id, args) in &messages {
                render(&bundle, id, args.clone());
            }
            let source = source(lang);
            let defined: BTreeSet<&str> = source
                .lines()
                .filter_map(|line| line.split_once(" =").map(|(id, _)| id))
                .filter(|id| id.starts_with("import-"))
                .collect();
            assert_eq!(defined, used, "{lang}: defined and used messages differ");
        }
    }

    #[test]
    fn each_reference_has_its_own_words() {
        let references = [
            Reference::Payer,
            Reference::Point,
            Reference::Meter,
            Reference::Service,
            Reference::Invoice,
        ];
        for lang in ["sl", "en"] {
            let bundle = bundle(lang);
            let texts: BTreeSet<_> = references
                .iter()
                .map(|&what| {
                    let problem = Problem::UnknownReference {
                        what,
                        key: "K".into(),
                    };
                    render(&bundle, problem.message_id(), problem.args())
                })
                .collect();
            assert_eq!(texts.len(), references.len(), "{lang}");
        }
    }

    #[test]
    fn a_bad_line_reads_well() {
        let line_error = error(5, Some("price"), Problem::BadNumber { text: "12x".into() });
        assert_eq!(
            render_line_error(&bundle("sl"), &line_error),
            "Vrstica 5, stolpec price: »12x« ni število"
        );
        assert_eq!(
            render_line_error(&bundle("en"), &line_error),
            "Line 5, column price: “12x” is not a number"
        );
        let line_error = error(
            7,
            None,
            Problem::UnknownReference {
                what: Reference::Payer,
                key: "123456".into(),
            },
        );
        assert_eq!(
            render_line_error(&bundle("sl"), &line_error),
            "Vrstica 7: plačnik »123456« ne obstaja"
        );
    }
}

/// The example file of each kind in docs/import.md parses.
#[test]
fn documented_examples_parse() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/import.md");
    let docs = std::fs::read_to_string(path).unwrap();
    let mut documented = Vec::new();
    for section in docs.split("\n### `").skip(1) {
        let (name, rest) = section.split_once('`').unwrap();
        let kind = Kind::parse(name).unwrap_or_else(|| panic!("unknown kind {name}"));
        let example = rest
            .split("```csv\n")
            .nth(1)
            .unwrap()
            .split("```")
            .next()
            .unwrap();
        let parsed = parse_file(kind, example.as_bytes())
            .unwrap_or_else(|failure| panic!("{name}: {failure:?}"));
        assert!(!parsed.is_empty(), "{name}");
        documented.push(kind);
    }
    documented.sort();
    let mut all = Kind::ALL.to_vec();
    all.sort();
    assert_eq!(documented, all);
}

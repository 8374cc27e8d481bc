//! A one-page A4 invoice in the manner of the manual's picture, with the user name and the
//! control number boxed. It uses the standard Helvetica, which every reader has, with
//! WinAnsi plus the few glyphs Slovenian needs beyond it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::config::Company;
use crate::domain::billing::{InvoiceLineRecord, InvoiceRecord, PayerRecord, PointRecord};
use crate::domain::money::Cents;

pub struct InvoiceDocument<'a> {
    pub company: &'a Company,
    pub payer: &'a PayerRecord,
    pub point: Option<&'a PointRecord>,
    pub invoice: &'a InvoiceRecord,
    pub lines: &'a [InvoiceLineRecord],
}

/// Codes that WinAnsi leaves unused, given to glyphs it lacks.
const C_CARON: u8 = 0x81;
const C_CARON_SMALL: u8 = 0x8D;
const LESS_OR_EQUAL: u8 = 0x8F;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;

pub fn render(document: &InvoiceDocument<'_>) -> Vec<u8> {
    let catalog = Ref::new(1);
    let pages = Ref::new(2);
    let page = Ref::new(3);
    let contents = Ref::new(4);
    let regular = Ref::new(5);
    let bold = Ref::new(6);
    let encoding = Ref::new(7);
    let info = Ref::new(8);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut page_writer = pdf.page(page);
    page_writer
        .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .parent(pages)
        .contents(contents);
    page_writer
        .resources()
        .fonts()
        .pair(REGULAR, regular)
        .pair(BOLD, bold);
    page_writer.finish();
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .pair(Name(b"Encoding"), encoding);
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .pair(Name(b"Encoding"), encoding);
    let mut differences = pdf
        .indirect(encoding)
        .start::<pdf_writer::writers::Encoding>();
    differences.base_encoding(Name(b"WinAnsiEncoding"));
    differences
        .differences()
        .consecutive(C_CARON, [Name(b"Ccaron")])
        .consecutive(C_CARON_SMALL, [Name(b"ccaron")])
        .consecutive(LESS_OR_EQUAL, [Name(b"lessequal")]);
    differences.finish();
    let title = format!("Račun {}", document.invoice.number);
    pdf.document_info(info).title(TextStr(&title));
    pdf.stream(contents, &page_content(document).finish());
    pdf.finish()
}

fn page_content(document: &InvoiceDocument<'_>) -> Content {
    let InvoiceDocument {
        company,
        payer,
        point,
        invoice,
        lines,
    } = document;
    let mut page = Page(Content::new());

    page.text(BOLD, 11.0, LEFT, 800.0, &company.name.to_uppercase());
    page.text(
        REGULAR,
        9.0,
        LEFT,
        787.0,
        &format!(
            "{}, {} {}",
            company.street,
            company.postal_code,
            company.city.to_uppercase()
        ),
    );
    let fax = company
        .fax
        .as_ref()
        .map(|fax| format!(", Fax: {fax}"))
        .unwrap_or_default();
    page.text(
        REGULAR,
        9.0,
        LEFT,
        775.0,
        &format!("Telefon: {}{fax}", company.phone),
    );
    let web = company
        .web
        .as_ref()
        .map(|web| format!("{web}, "))
        .unwrap_or_default();
    page.text(
        REGULAR,
        9.0,
        LEFT,
        763.0,
        &format!("{web}{}", company.email),
    );

    page.labelled_box(380.0, 780.0, "UPORABNIŠKO IME", payer.code.as_str());
    page.labelled_box(380.0, 735.0, "KONTROLNA ŠTEVILKA", &invoice.number);

    let payer_address = [
        payer.street.clone(),
        place(payer.postal_code.as_deref(), payer.city.as_deref()),
    ];
    page.text(REGULAR, 10.0, LEFT, 700.0, &payer.name);
    for (line, y) in payer_address.iter().flatten().zip([687.0, 674.0]) {
        page.text(REGULAR, 10.0, LEFT, y, line);
    }

    page.text(
        BOLD,
        13.0,
        LEFT,
        625.0,
        &format!("Račun številka: {}", invoice.number),
    );
    let facts = [
        format!(
            "Datum računa: {}, {}",
            company.city,
            day(invoice.issue_date)
        ),
        format!("Šifra uporabnika: {} {}", payer.code, payer.name),
        format!(
            "Naslov uporabnika: {}",
            one_line(payer.street.as_deref(), payer.city.as_deref())
        ),
        match point {
            Some(point) => format!(
                "Odjemno mesto: {}, {}",
                point.code,
                one_line(point.street.as_deref(), point.city.as_deref())
            ),
            None => String::new(),
        },
        match (invoice.period_from, invoice.period_to) {
            (Some(from), Some(to)) => {
                format!("Obračun storitev za obdobje: {}-{}", day(from), day(to))
            }
            _ => String::new(),
        },
    ];
    let mut y = 608.0;
    for fact in facts.iter().filter(|fact| !fact.is_empty()) {
        page.text(REGULAR, 10.0, LEFT, y, fact);
        y -= 14.0;
    }

    y -= 16.0;
    let columns: [(&str, f32, bool); 6] = [
        ("Storitev", LEFT, false),
        ("Količina", 300.0, true),
        ("EM", 308.0, false),
        ("Cena brez DDV", 410.0, true),
        ("DDV", 450.0, true),
        ("Znesek brez DDV", RIGHT, true),
    ];
    let row = |page: &mut Page, font, y, cells: [String; 6]| {
        for ((_, x, right), cell) in columns.iter().zip(&cells) {
            if *right {
                page.text_right(font, 9.0, *x, y, cell);
            } else {
                page.text(font, 9.0, *x, y, cell);
            }
        }
    };
    row(
        &mut page,
        BOLD,
        y,
        columns.map(|(title, _, _)| title.to_owned()),
    );
    page.rule(y - 5.0);
    let mut vat_bases: BTreeMap<i32, (Cents, Cents)> = BTreeMap::new();
    for line in *lines {
        y -= 15.0;
        let rate = line.vat_rate;
        row(
            &mut page,
            REGULAR,
            y,
            [
                line.description.clone(),
                line.quantity
                    .map(super::super::domain::quantity::Quantity::format_sl)
                    .unwrap_or_default(),
                line.unit.clone().unwrap_or_default(),
                line.unit_price
                    .map(super::super::domain::money::UnitPrice::format_sl)
                    .unwrap_or_default(),
                rate.map(super::super::domain::vat::VatRate::format_sl)
                    .unwrap_or_default(),
                line.amount.format_sl(),
            ],
        );
        if let Some(rate) = rate {
            let (base, vat) = vat_bases.entry(rate.as_basis_points()).or_default();
            *base = *base + line.amount;
            *vat = *vat + rate.vat_on(line.amount);
        }
    }
    page.rule(y - 6.0);

    y -= 22.0;
    page.total(REGULAR, y, "Skupaj brez DDV", invoice.net);
    for (basis_points, (base, vat)) in &vat_bases {
        y -= 14.0;
        let rate =
            crate::domain::vat::VatRate::from_basis_points(*basis_points).expect("a stored rate");
        page.total(
            REGULAR,
            y,
            &format!("DDV {} od {}", rate.format_sl(), base.format_sl()),
            *vat,
        );
    }
    y -= 16.0;
    page.total(BOLD, y, "Za plačilo", invoice.total);

    y -= 36.0;
    let payment = [
        format!("Rok plačila: {}", day(invoice.due_date)),
        format!("Sklic: {}", invoice.reference.as_deref().unwrap_or("SI99")),
        format!("IBAN: {}, BIC: {}", company.iban, company.bic),
        format!(
            "Prejemnik: {}, {}, {} {}",
            company.short_name, company.street, company.postal_code, company.city
        ),
    ];
    for line in payment {
        page.text(REGULAR, 10.0, LEFT, y, &line);
        y -= 14.0;
    }
    page.0
}

struct Page(Content);

impl Page {
    fn text(&mut self, font: Name<'_>, size: f32, x: f32, y: f32, text: &str) {
        self.0
            .begin_text()
            .set_font(font, size)
            .next_line(x, y)
            .show(Str(&encode(text)))
            .end_text();
    }

    /// Right-aligned at `right`; for numbers, whose widths [`width`] knows.
    fn text_right(&mut self, font: Name<'_>, size: f32, right: f32, y: f32, text: &str) {
        self.text(font, size, right - width(text, size), y, text);
    }

    fn rule(&mut self, y: f32) {
        self.0
            .set_line_width(0.5)
            .move_to(LEFT, y)
            .line_to(RIGHT, y)
            .stroke();
    }

    /// A label and below it a framed value, as the manual's picture marks them.
    fn labelled_box(&mut self, x: f32, top: f32, label: &str, value: &str) {
        self.text(BOLD, 8.0, x, top, label);
        self.0
            .set_line_width(1.0)
            .rect(x, top - 28.0, RIGHT - x, 22.0)
            .stroke();
        self.text(BOLD, 12.0, x + 8.0, top - 21.0, value);
    }

    fn total(&mut self, font: Name<'_>, y: f32, label: &str, amount: Cents) {
        self.text(font, 10.0, 300.0, y, label);
        self.text_right(font, 10.0, RIGHT, y, &amount.format_sl());
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn one_line(street: Option<&str>, city: Option<&str>) -> String {
    [street, city]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

fn place(postal_code: Option<&str>, city: Option<&str>) -> Option<String> {
    let place = [postal_code, city]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!place.is_empty()).then_some(place)
}

/// The font's codes for `text`; what it cannot show becomes `?`.
fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            'Č' => C_CARON,
            'č' => C_CARON_SMALL,
            '≤' => LESS_OR_EQUAL,
            'Š' => 0x8A,
            'š' => 0x9A,
            'Ž' => 0x8E,
            'ž' => 0x9E,
            '€' => 0x80,
            '–' => 0x96,
            // WinAnsi equals Latin-1 from the no-break space on.
            '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).expect("a Latin-1 character"),
            _ => b'?',
        })
        .collect()
}

/// Width in points of Helvetica (regular and bold agree on these) for the numbers that are
/// right-aligned; other characters count as a digit.
fn width(text: &str, size: f32) -> f32 {
    let units: u16 = text
        .chars()
        .map(|c| match c {
            ',' | '.' | ' ' | '\u{a0}' => 278,
            '-' => 333,
            '%' => 889,
            _ => 556,
        })
        .sum();
    f32::from(units) * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::money::UnitPrice;
    use crate::domain::payer_code::PayerCode;
    use crate::domain::quantity::Quantity;
    use crate::domain::vat::VatRate;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    #[test]
    fn an_invoice_is_a_pdf_with_its_number_and_the_boxed_labels() {
        let config = Config::demo().expect("the demo configuration");
        let payer = PayerRecord {
            code: PayerCode::parse("123456").unwrap(),
            name: "NOVAK JANEZ".to_owned(),
            street: Some("STARA ULICA 1".to_owned()),
            postal_code: Some("1351".to_owned()),
            city: Some("BREZOVICA".to_owned()),
            tax_number: None,
            email: None,
            phone: None,
        };
        let date = |day| NaiveDate::from_ymd_opt(2020, 1, day).unwrap();
        let invoice = InvoiceRecord {
            number: "202000876".to_owned(),
            payer_code: payer.code.clone(),
            point_code: None,
            issue_date: date(31),
            period_from: Some(date(31)),
            period_to: Some(date(31)),
            due_date: NaiveDate::from_ymd_opt(2020, 2, 18).unwrap(),
            net: Cents(845),
            vat: Cents(80),
            total: Cents(925),
            reference: Some("SI12 2020008765".to_owned()),
        };
        let lines = [InvoiceLineRecord {
            invoice_number: invoice.number.clone(),
            line_no: 1,
            service_code: Some("CIS".to_owned()),
            description: "Čiščenje odpadnih voda".to_owned(),
            quantity: Some(Quantity(12_345)),
            unit: Some("m³".to_owned()),
            unit_price: Some(UnitPrice(6843)),
            vat_rate: Some(VatRate::from_basis_points(950).unwrap()),
            amount: Cents(845),
        }];
        let pdf = render(&InvoiceDocument {
            company: config.company().unwrap(),
            payer: &payer,
            point: None,
            invoice: &invoice,
            lines: &lines,
        });
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
        assert!(contains(&pdf, b"202000876"));
        // Text beyond ASCII is written as a hex string of the font's codes.
        let shown = |text: &str| {
            let hex: String = encode(text).iter().map(|b| format!("{b:02X}")).collect();
            format!("<{hex}>").into_bytes()
        };
        assert!(contains(&pdf, &shown("UPORABNIŠKO IME")));
        assert!(contains(&pdf, &shown("KONTROLNA ŠTEVILKA")));
        assert!(contains(&pdf, &shown("Čiščenje odpadnih voda")));
        assert!(contains(&pdf, b"/Differences"));
    }

    #[test]
    fn an_iban_is_printed_in_groups_of_four() {
        let iban: iban::Iban = "SI56263300012039086".parse().unwrap();
        assert_eq!(iban.to_string(), "SI56 2633 0001 2039 086");
    }

    #[test]
    fn encodes_slovenian_letters_and_replaces_the_rest() {
        assert_eq!(
            encode("ČčŠšŽž"),
            [C_CARON, C_CARON_SMALL, 0x8A, 0x9A, 0x8E, 0x9E]
        );
        assert_eq!(encode("12,5\u{a0}€ m³"), b"12,5\xa0\x80 m\xb3");
        assert_eq!(encode("DN ≤ 20 – ћ"), b"DN \x8f 20 \x96 ?");
    }
}

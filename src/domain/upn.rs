//! The UPN QR code, with which a Slovenian banking app pays a bill: the payment reference,
//! the text the code carries and the symbol drawn from it (`shared/reference/upn-qr.md`).

use std::fmt;
use std::fmt::Write as _;

use chrono::NaiveDate;
use encoding_rs::ISO_8859_2;
use iban::{Iban, IbanLike};
use qrcode::bits::Bits;
use qrcode::types::{Color, QrResult};
use qrcode::{EcLevel, QrCode, Version};

use super::money::Cents;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("a reference is SI or RF, 2 digits and at most 22 characters")]
    Format,
    #[error("the check digit of the reference does not match")]
    CheckDigit,
}

/// A recipient's payment reference ("sklic"), kept without spaces, e.g. `SI121033842574531`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

/// `SI` or `RF` and 2 digits.
const MODEL_LEN: usize = 4;
const MAX_NUMBER_LEN: usize = 22;
/// P1 of model SI12; its check digit follows.
const MAX_SI12_DIGITS: usize = 12;
/// ISO 11649 allows 21 characters after `RFkk`.
const MAX_RF_CHARS: usize = 21;

impl Reference {
    /// As written on bills, e.g. `SI12 1033842574531` or `rf18 5390 0754 7034`: spaces are
    /// dropped and letters capitalised. The check digit of SI12 and of RF is verified; the
    /// other SI models are taken as digits and dashes, their per-part check digits unchecked
    /// as the portal issues none of them.
    pub fn parse(text: &str) -> Result<Self, ReferenceError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !compact.is_ascii() {
            return Err(ReferenceError::Format);
        }
        let (model, number) = compact
            .split_at_checked(MODEL_LEN)
            .ok_or(ReferenceError::Format)?;
        let (kind, model_digits) = model.split_at(2);
        if !model_digits.bytes().all(|b| b.is_ascii_digit()) || number.len() > MAX_NUMBER_LEN {
            return Err(ReferenceError::Format);
        }
        match (kind, model_digits) {
            ("SI", "99") if number.is_empty() => {}
            ("SI", "99") => return Err(ReferenceError::Format),
            ("SI", "12") => {
                let (p1, check) = number
                    .split_at_checked(number.len().saturating_sub(1))
                    .ok_or(ReferenceError::Format)?;
                if p1.is_empty()
                    || p1.len() > MAX_SI12_DIGITS
                    || !number.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(ReferenceError::Format);
                }
                if check.as_bytes()[0] - b'0' != si12_check_digit(p1) {
                    return Err(ReferenceError::CheckDigit);
                }
            }
            ("SI", _) => {
                if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    return Err(ReferenceError::Format);
                }
            }
            ("RF", _) => {
                if number.is_empty()
                    || number.len() > MAX_RF_CHARS
                    || !number.bytes().all(|b| b.is_ascii_alphanumeric())
                {
                    return Err(ReferenceError::Format);
                }
                if mod97(&format!("{number}{model}")) != 1 {
                    return Err(ReferenceError::CheckDigit);
                }
            }
            _ => return Err(ReferenceError::Format),
        }
        Ok(Reference(compact))
    }

    /// Model SI12, `(P1)K`: P1 is 1 to 12 digits, K its check digit.
    pub fn si12(number_digits: &str) -> Result<Self, ReferenceError> {
        if number_digits.is_empty()
            || number_digits.len() > MAX_SI12_DIGITS
            || !number_digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ReferenceError::Format);
        }
        let check = si12_check_digit(number_digits);
        Ok(Reference(format!("SI12{number_digits}{check}")))
    }

    /// `SI99`: no reference.
    pub fn si99() -> Self {
        Reference("SI99".to_owned())
    }

    /// Without spaces, as the UPN QR code carries it.
    pub fn compact(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    /// With a space after the model, as printed: `SI12 1033842574531`, `SI99`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (model, number) = self.0.split_at(MODEL_LEN);
        if number.is_empty() {
            formatter.write_str(model)
        } else {
            write!(formatter, "{model} {number}")
        }
    }
}

/// K = 11 − (Σ digit × weight mod 11) with weights 2, 3, 4, … from the right; 10 and 11
/// become 0.
fn si12_check_digit(digits: &str) -> u8 {
    let sum: u32 = digits
        .bytes()
        .rev()
        .zip(2..)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    match 11 - sum % 11 {
        10 | 11 => 0,
        k => k as u8,
    }
}

/// ISO 7064 MOD 97-10 of ASCII letters and digits, letters counting as 10 to 35.
fn mod97(text: &str) -> u32 {
    text.chars().fold(0, |remainder, c| {
        // Callers pass letters and digits only; anything else counts as 0.
        let value = c.to_digit(36).unwrap_or(0);
        let shift = if value < 10 { 10 } else { 100 };
        (remainder * shift + value) % 97
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UpnError {
    #[error("there is nothing to pay: the amount is not positive")]
    NothingToPay,
    #[error("the amount does not fit the 11 digits of a UPN")]
    AmountTooLarge,
    #[error("the payment does not fit a QR code of version 15 at level M")]
    Symbol,
    #[error("the QR code cannot be encoded as a PNG image")]
    Image,
}

/// The purpose code of a payment (ISO 20022 external purpose code), 4 capital letters such as
/// `OTHR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a purpose code is 4 capital letters, such as OTHR")]
pub struct PurposeCodeError;

impl PurposeCode {
    pub fn parse(text: &str) -> Result<Self, PurposeCodeError> {
        let valid = text.len() == 4 && text.bytes().all(|byte| byte.is_ascii_uppercase());
        valid.then(|| Self(text.to_owned())).ok_or(PurposeCodeError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PurposeCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A bank's identifier code (ISO 9362): 4 letters of the bank, 2 of the country, 2 letters or
/// digits of the place and optionally 3 of the branch, e.g. `LJBASI2X`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bic(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a BIC is 8 or 11 letters and digits, such as LJBASI2X")]
pub struct BicError;

impl Bic {
    pub fn parse(text: &str) -> Result<Self, BicError> {
        let bic = text.trim().to_ascii_uppercase();
        let bytes = bic.as_bytes();
        let valid = matches!(bytes.len(), 8 | 11)
            && bytes[..6].iter().all(u8::is_ascii_uppercase)
            && bytes[6..].iter().all(u8::is_ascii_alphanumeric);
        valid.then_some(Self(bic)).ok_or(BicError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A bill payment from a customer to the company, as a UPN QR code carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpnPayment {
    pub payer_name: String,
    pub payer_street: String,
    pub payer_city: String,
    pub amount: Cents,
    pub purpose_code: PurposeCode,
    pub purpose: String,
    pub due_date: Option<NaiveDate>,
    pub recipient_iban: Iban,
    pub recipient_reference: Reference,
    pub recipient_name: String,
    pub recipient_street: String,
    pub recipient_city: String,
}

/// 999.999.999,99 €, the most the 11 digits of the amount hold.
const MAX_AMOUNT: Cents = Cents(99_999_999_999);
const MAX_NAME_OR_ADDRESS_CHARS: usize = 33;
const MAX_PURPOSE_CHARS: usize = 42;
/// What version 15 at level M holds after the ECI and byte-mode headers.
const MAX_PAYLOAD_CHARS: usize = 411;
const ECI_ISO_8859_2: u32 = 4;
const QUIET_ZONE_MODULES: usize = 4;

impl UpnPayment {
    /// The 21 fields, each ending in LF. Names, addresses and the purpose are cut to their
    /// fields' lengths, as banks print what fits, and characters that ISO-8859-2 lacks become
    /// `?`; the amount, purpose code, IBAN and reference, which decide the payment, are never
    /// altered. So the payload always fits its 411 characters.
    pub fn payload(&self) -> Result<String, UpnError> {
        if self.amount <= Cents::ZERO {
            return Err(UpnError::NothingToPay);
        }
        if self.amount > MAX_AMOUNT {
            return Err(UpnError::AmountTooLarge);
        }
        let name_or_address = |text: &str| text_field(text, MAX_NAME_OR_ADDRESS_CHARS);
        let fields = [
            "UPNQR".to_owned(),
            // payer's IBAN, deposit, withdrawal, payer's reference: not for a bill payment
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            name_or_address(&self.payer_name),
            name_or_address(&self.payer_street),
            name_or_address(&self.payer_city),
            format!("{:011}", self.amount.0),
            // payment date, urgent: the payer's bank decides
            String::new(),
            String::new(),
            self.purpose_code.as_str().to_owned(),
            text_field(&self.purpose, MAX_PURPOSE_CHARS),
            self.due_date
                .map(|date| date.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
            self.recipient_iban.electronic_str().to_owned(),
            self.recipient_reference.compact().to_owned(),
            name_or_address(&self.recipient_name),
            name_or_address(&self.recipient_street),
            name_or_address(&self.recipient_city),
        ];
        // their characters + 19: one for each field's LF
        let checksum: usize = fields.iter().map(|field| field.chars().count() + 1).sum();
        let mut payload = String::new();
        for field in &fields {
            payload.push_str(field);
            payload.push('\n');
        }
        // the checksum, then the reserve, empty
        payload.push_str(&format!("{checksum:03}\n\n"));
        debug_assert!(payload.chars().count() <= MAX_PAYLOAD_CHARS);
        Ok(payload)
    }

    /// The symbol as a plain SVG, black on white with its quiet zone, one unit per module
    /// and no size of its own: whoever shows it sizes it and gives it a title.
    pub fn qr_svg(&self) -> Result<String, UpnError> {
        Ok(svg(&self.symbol()?))
    }

    /// The symbol as a black-on-white PNG image with its quiet zone, `scale` pixels a module
    /// (for an e-mail, where an SVG is not shown).
    pub fn qr_png(&self, scale: usize) -> Result<Vec<u8>, UpnError> {
        png(&self.symbol()?, scale.max(1)).map_err(|_| UpnError::Image)
    }

    fn symbol(&self) -> Result<QrCode, UpnError> {
        let payload = self.payload()?;
        let (latin2, _, unmappable) = ISO_8859_2.encode(&payload);
        debug_assert!(!unmappable, "text_field keeps to ISO-8859-2");
        // A payload of at most 411 bytes always fits version 15 at level M.
        upn_bits(&latin2)
            .and_then(|bits| QrCode::with_bits(bits, EcLevel::M))
            .map_err(|_| UpnError::Symbol)
    }
}

/// Trimmed, cut to `max_chars` characters, controls (a line feed would end the field) as
/// spaces and what ISO-8859-2 lacks as `?`.
fn text_field(text: &str, max_chars: usize) -> String {
    let kept: String = text
        .trim()
        .chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            c if in_latin2(c) => c,
            _ => '?',
        })
        .take(max_chars)
        .collect();
    kept.trim_end().to_owned()
}

fn in_latin2(c: char) -> bool {
    let mut utf8 = [0; 4];
    let (_, _, unmappable) = ISO_8859_2.encode(c.encode_utf8(&mut utf8));
    !unmappable
}

/// ECI 000004 (ISO-8859-2), then the payload in byte mode, in a version 15 symbol.
fn upn_bits(latin2: &[u8]) -> QrResult<Bits> {
    let mut bits = Bits::new(Version::Normal(15));
    bits.push_eci_designator(ECI_ISO_8859_2)?;
    bits.push_byte_data(latin2)?;
    bits.push_terminator(EcLevel::M)?;
    Ok(bits)
}

/// Each row's runs of dark modules as rectangles in one path. Drawn here rather than by
/// qrcode's SVG renderer, whose XML declaration and fixed pixel size don't suit an SVG
/// placed in a page.
/// Any short text as a QR code (level M) in the same plain SVG, e.g. an otpauth URL; `None`
/// when it does not fit.
pub fn text_qr_svg(text: &str) -> Option<String> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .ok()
        .map(|code| svg(&code))
}

fn svg(code: &QrCode) -> String {
    let width = code.width();
    let size = width + 2 * QUIET_ZONE_MODULES;
    let mut path = String::new();
    for (row, colors) in code.to_colors().chunks(width).enumerate() {
        let y = row + QUIET_ZONE_MODULES;
        let mut x = QUIET_ZONE_MODULES;
        for run in colors.chunk_by(|a, b| a == b) {
            if run[0] == Color::Dark {
                let length = run.len();
                // Writing to a String cannot fail.
                let _ = write!(path, "M{x} {y}h{length}v1h-{length}z");
            }
            x += run.len();
        }
    }
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">"#,
            r##"<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        ),
        size = size,
        path = path,
    )
}

/// The symbol in 8-bit greys, each module a `scale`-pixel square.
fn png(code: &QrCode, scale: usize) -> Result<Vec<u8>, png::EncodingError> {
    let width = code.width();
    let side = (width + 2 * QUIET_ZONE_MODULES) * scale;
    let mut pixels = vec![0xff_u8; side * side];
    for (row, colors) in code.to_colors().chunks(width).enumerate() {
        for (column, color) in colors.iter().enumerate() {
            if *color != Color::Dark {
                continue;
            }
            let left = (column + QUIET_ZONE_MODULES) * scale;
            for y in (row + QUIET_ZONE_MODULES) * scale..(row + QUIET_ZONE_MODULES + 1) * scale {
                pixels[y * side + left..y * side + left + scale].fill(0);
            }
        }
    }
    let side = u32::try_from(side).unwrap_or(u32::MAX);
    let mut image = Vec::new();
    let mut encoder = png::Encoder::new(&mut image, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The Slovenian example of the IBAN registry; the demo configuration's
    /// `SI56020100018712456` fails the mod-97 check.
    const IBAN: &str = "SI56263300012039086";

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn payment() -> UpnPayment {
        UpnPayment {
            payer_name: "NOVAK JANEZ".to_owned(),
            payer_street: "STARA ULICA 1".to_owned(),
            payer_city: "1351 BREZOVICA".to_owned(),
            amount: Cents(8105),
            purpose_code: PurposeCode::parse("OTHR").unwrap(),
            purpose: "Plačilo računov JKP Brezovica".to_owned(),
            due_date: Some(date(2020, 2, 18)),
            recipient_iban: IBAN.parse().unwrap(),
            recipient_reference: Reference::parse("SI12 1033842574531").unwrap(),
            recipient_name: "JKP Brezovica d.o.o.".to_owned(),
            recipient_street: "Kamnik pod Krimom 6".to_owned(),
            recipient_city: "1352 Preserje".to_owned(),
        }
    }

    #[test]
    fn payload_of_a_known_payment() {
        // fields 1–19 have 5 + 11 + 13 + 14 + 11 + 4 + 29 + 10 + 19 + 17 + 20 + 19 + 13 = 185
        // characters; 185 + 19 = 204
        let expected = "UPNQR\n\
                        \n\
                        \n\
                        \n\
                        \n\
                        NOVAK JANEZ\n\
                        STARA ULICA 1\n\
                        1351 BREZOVICA\n\
                        00000008105\n\
                        \n\
                        \n\
                        OTHR\n\
                        Plačilo računov JKP Brezovica\n\
                        18.02.2020\n\
                        SI56263300012039086\n\
                        SI121033842574531\n\
                        JKP Brezovica d.o.o.\n\
                        Kamnik pod Krimom 6\n\
                        1352 Preserje\n\
                        204\n\
                        \n";
        let payload = payment().payload().unwrap();
        assert_eq!(payload, expected);
        // 185 characters, the checksum's 3 and 21 LFs
        assert_eq!(payload.chars().count(), 209);
        assert_eq!(payload.lines().count(), 21);
    }

    #[test]
    fn payload_without_a_due_date_leaves_field_14_empty() {
        let payment = UpnPayment {
            due_date: None,
            ..payment()
        };
        let payload = payment.payload().unwrap();
        assert_eq!(payload.lines().nth(13), Some(""));
        assert_eq!(payload.lines().nth(19), Some("194"));
    }

    /// Reads the path back into dark modules, scales it up and has rqrr find and decode it.
    fn decode_svg(svg: &str) -> (rqrr::MetaData, Vec<u8>) {
        let size: usize = svg
            .split_once(r#"viewBox="0 0 "#)
            .and_then(|(_, rest)| rest.split_once(' '))
            .unwrap()
            .0
            .parse()
            .unwrap();
        let (_, path) = svg.split_once(r#"d=""#).unwrap();
        let path = path.split_once('"').unwrap().0;
        let mut dark = vec![false; size * size];
        for rectangle in path.split('M').skip(1) {
            let (x, rest) = rectangle.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let (length, _) = rest.split_once('v').unwrap();
            let (x, y, length): (usize, usize, usize) = (
                x.parse().unwrap(),
                y.parse().unwrap(),
                length.parse().unwrap(),
            );
            dark[y * size + x..y * size + x + length].fill(true);
        }
        let pixels_per_module = 4;
        let pixels = size * pixels_per_module;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |x, y| {
            let module = (y / pixels_per_module) * size + x / pixels_per_module;
            if dark[module] { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let mut bytes = Vec::new();
        let meta = grids[0].decode_to(&mut bytes).unwrap();
        (meta, bytes)
    }

    #[test]
    fn the_drawn_symbol_decodes_to_the_payload() {
        let payment = payment();
        let svg = payment.qr_svg().unwrap();
        assert!(svg.starts_with(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 85 85" shape-rendering="crispEdges">"#
        ));
        let (meta, bytes) = decode_svg(&svg);
        assert_eq!(meta.version.0, 15);
        // the 2 bits of the format information: 00 is level M
        assert_eq!(meta.ecc_level, 0);
        // rqrr 0.10 skips the ECI and hands over the ISO-8859-2 bytes; one that applied it
        // would give UTF-8. The č of the purpose makes the former invalid UTF-8.
        let text = String::from_utf8(bytes).unwrap_or_else(|error| {
            let (text, malformed) = ISO_8859_2.decode_without_bom_handling(error.as_bytes());
            assert!(!malformed);
            text.into_owned()
        });
        assert_eq!(text, payment.payload().unwrap());
    }

    #[test]
    fn the_png_image_decodes_to_the_payload() {
        let payment = payment();
        let png = payment.qr_png(4).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((frame.width, frame.height), (85 * 4, 85 * 4));
        let side = frame.width as usize;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let mut bytes = Vec::new();
        grids[0].decode_to(&mut bytes).unwrap();
        let (text, _, malformed) = ISO_8859_2.decode(&bytes);
        assert!(!malformed);
        assert_eq!(text, payment.payload().unwrap());
    }

    #[test]
    fn the_symbol_starts_with_eci_4_then_byte_mode() {
        let bytes = upn_bits(b"UPNQR").unwrap().into_bytes();
        // 0111 ECI, 00000100 ISO-8859-2, 0100 byte mode, 16-bit count 5, 'U'
        assert_eq!(bytes[..5], [0x70, 0x44, 0x00, 0x05, b'U']);
    }

    #[test]
    fn over_long_text_is_cut_and_still_drawn() {
        let long = "Š".repeat(50);
        let payment = UpnPayment {
            payer_name: long.clone(),
            payer_street: long.clone(),
            payer_city: long.clone(),
            amount: MAX_AMOUNT,
            purpose: long.clone(),
            recipient_reference: Reference::parse("SI00 1234567890-1234567890").unwrap(),
            recipient_name: long.clone(),
            recipient_street: long.clone(),
            recipient_city: long,
            ..payment()
        };
        let payload = payment.payload().unwrap();
        let lines: Vec<&str> = payload.lines().collect();
        assert_eq!(lines[5], "Š".repeat(33));
        assert_eq!(lines[12], "Š".repeat(42));
        assert_eq!(lines[8], "99999999999");
        let (meta, bytes) = decode_svg(&payment.qr_svg().unwrap());
        assert_eq!(meta.version.0, 15);
        assert_eq!(
            ISO_8859_2.decode_without_bom_handling(&bytes).0,
            payload.as_str()
        );
    }

    #[test]
    fn text_keeps_latin2_and_marks_the_rest() {
        assert_eq!(text_field("Č Š Ž č š ž", 33), "Č Š Ž č š ž");
        assert_eq!(
            text_field("Müller Ćosić Đurić ß", 33),
            "Müller Ćosić Đurić ß"
        );
        assert_eq!(text_field("Nuñez “Hiša” 10 €", 33), "Nu?ez ?Hiša? 10 ?");
        assert_eq!(text_field(" Stara\nulica\t1 ", 33), "Stara ulica 1");
        assert_eq!(text_field("Kamnik pod Krimom", 6), "Kamnik");
        assert_eq!(text_field("Kamnik pod Krimom", 7), "Kamnik");
    }

    #[test]
    fn refuses_what_cannot_be_paid() {
        for cents in [0, -1, -8105] {
            let payment = UpnPayment {
                amount: Cents(cents),
                ..payment()
            };
            assert_eq!(payment.payload(), Err(UpnError::NothingToPay));
        }
        let payment = UpnPayment {
            amount: Cents(MAX_AMOUNT.0 + 1),
            ..payment()
        };
        assert_eq!(payment.payload(), Err(UpnError::AmountTooLarge));
        assert_eq!(payment.qr_svg(), Err(UpnError::AmountTooLarge));
    }

    #[test]
    fn refuses_a_bad_purpose_code() {
        for code in ["", "othr", "OTH", "OTHRS", "OTH1", "OTHŘ", " OTHR"] {
            assert_eq!(PurposeCode::parse(code), Err(PurposeCodeError), "{code}");
        }
        assert_eq!(PurposeCode::parse("GOVT").unwrap().as_str(), "GOVT");
    }

    #[test]
    fn a_bic_has_8_or_11_characters_of_the_right_kinds() {
        assert_eq!(Bic::parse("ljbasi2x").unwrap().as_str(), "LJBASI2X");
        assert_eq!(Bic::parse("BAKOSI2XXXX").unwrap().as_str(), "BAKOSI2XXXX");
        for bad in [
            "",
            "LJBASI2",
            "LJBASI2XX",
            "LJ1ASI2X",
            "LJBA5I2X",
            "LJBASI2X-XX",
        ] {
            assert_eq!(Bic::parse(bad), Err(BicError), "{bad}");
        }
    }

    #[test]
    fn iban_is_checked_by_mod_97_and_the_length_for_si() {
        let iban: Iban = "SI56 2633 0001 2039 086".parse().unwrap();
        assert_eq!(iban.electronic_str(), IBAN);
        for bad in [
            "SI56020100018712456",  // mod 97 is 24
            "SI56263300012039087",  // last digit changed
            "SI5626330001203908",   // 18 characters
            "SI562633000120390860", // 20 characters
            "SI56 263300012039086", // neither electronic nor paper format
            "",
        ] {
            assert!(bad.parse::<Iban>().is_err(), "{bad}");
        }
    }

    #[test]
    fn reference_parses_the_usual_spellings() {
        let reference = Reference::parse("SI12 1033842574531").unwrap();
        assert_eq!(reference.compact(), "SI121033842574531");
        assert_eq!(reference.to_string(), "SI12 1033842574531");
        assert_eq!(Reference::parse(" si121033842574531").unwrap(), reference);
        assert_eq!(Reference::parse("SI99").unwrap(), Reference::si99());
        assert_eq!(Reference::si99().to_string(), "SI99");
        assert_eq!(
            Reference::parse("SI00 12-345-6").unwrap().compact(),
            "SI0012-345-6"
        );
        let rf = Reference::parse("rf18 5390 0754 7034").unwrap();
        assert_eq!(rf.to_string(), "RF18 539007547034");
        assert!(Reference::parse("RF71 2348 231").is_ok());
    }

    #[test]
    fn reference_refuses_wrong_format() {
        for text in [
            "",
            "SI1",
            "SI12",
            "SI121",
            "SI12 12345678901234",
            "SI12 10338425745A",
            "SI99 1",
            "SI00",
            "SI00 12.3",
            "SIAB 123",
            "DE12 123",
            "SI00 12345678901234567890123",
            "RF18",
            "RF18 5390-0754",
            "RF18 1234567890123456789012",
            "SI12 103384257453č",
        ] {
            assert_eq!(
                Reference::parse(text),
                Err(ReferenceError::Format),
                "{text}"
            );
        }
    }

    #[test]
    fn reference_refuses_a_wrong_check_digit() {
        assert_eq!(
            Reference::parse("SI12 1033842574532"),
            Err(ReferenceError::CheckDigit)
        );
        assert_eq!(
            Reference::parse("RF19 5390 0754 7034"),
            Err(ReferenceError::CheckDigit)
        );
    }

    #[test]
    fn si12_check_digit_by_hand() {
        // 3·2 + 5·3 + 4·4 + 7·5 + 5·6 + 2·7 + 4·8 + 8·9 + 3·10 + 3·11 + 0·12 + 1·13 = 296;
        // 296 mod 11 = 10; 11 − 10 = 1
        assert_eq!(
            Reference::si12("103384257453").unwrap().compact(),
            "SI121033842574531"
        );
        // 1·2 = 2: 9
        assert_eq!(Reference::si12("1").unwrap().compact(), "SI1219");
        // 1·3 + 1·2 = 5: 6
        assert_eq!(Reference::si12("11").unwrap().compact(), "SI12116");
        // 6·2 = 12 ≡ 1: 10 becomes 0
        assert_eq!(Reference::si12("6").unwrap().compact(), "SI1260");
        // 0: 11 becomes 0
        assert_eq!(Reference::si12("0").unwrap().compact(), "SI1200");
        // the 10th digit from the right weighs 11 ≡ 0, so a change there goes unnoticed
        assert_eq!(
            Reference::si12("1000000000").unwrap().compact(),
            "SI1210000000000"
        );
        assert!(Reference::parse("SI12 20000000000").is_ok());
        for bad in ["", "1234567890123", "12a", " 1"] {
            assert_eq!(Reference::si12(bad), Err(ReferenceError::Format), "{bad}");
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![".{0,60}", "[a-zA-ZčšžČŠŽ ]{0,60}"]
    }

    proptest! {
        #[test]
        fn si12_round_trips(digits in "[0-9]{1,12}") {
            let reference = Reference::si12(&digits).unwrap();
            prop_assert_eq!(Reference::parse(&reference.to_string()), Ok(reference.clone()));
            prop_assert_eq!(Reference::parse(reference.compact()), Ok(reference));
        }

        /// Up to 9 digits weigh 2 to 10, none a multiple of 11, so any change of one digit
        /// changes the sum mod 11; only 0 and 1 share a check digit (0).
        #[test]
        fn si12_notices_a_changed_digit_unless_the_check_digit_is_0(
            digits in "[0-9]{1,9}",
            position in any::<prop::sample::Index>(),
            step in 1u8..=9,
        ) {
            let reference = Reference::si12(&digits).unwrap();
            let check = reference.compact().as_bytes().last().copied().unwrap();
            let mut altered = digits.into_bytes();
            let index = position.index(altered.len());
            altered[index] = b'0' + (altered[index] - b'0' + step) % 10;
            let altered = format!("SI12{}{}", String::from_utf8(altered).unwrap(), check as char);
            if Reference::parse(&altered).is_ok() {
                prop_assert_eq!(check, b'0');
            }
        }

        #[test]
        fn reference_parse_never_panics_and_round_trips(text in ".{0,30}") {
            if let Ok(reference) = Reference::parse(&text) {
                prop_assert!(reference.compact().len() <= 26);
                prop_assert_eq!(Reference::parse(&reference.to_string()), Ok(reference));
            }
        }

        #[test]
        fn any_payment_fits_its_fields(
            names in prop::array::uniform6(any_text()),
            purpose in any_text(),
            cents in 1..=MAX_AMOUNT.0,
        ) {
            let [payer_name, payer_street, payer_city, recipient_name, recipient_street, recipient_city] = names;
            let payment = UpnPayment {
                payer_name, payer_street, payer_city, amount: Cents(cents), purpose,
                recipient_name, recipient_street, recipient_city,
                ..payment()
            };
            let payload = payment.payload().unwrap();
            prop_assert!(payload.chars().count() <= MAX_PAYLOAD_CHARS);
            let lines: Vec<&str> = payload.split('\n').collect();
            // 21 fields, each ending in LF
            prop_assert_eq!(lines.len(), 22);
            let checksum: usize = lines[..19].iter().map(|line| line.chars().count() + 1).sum();
            prop_assert_eq!(lines[19], format!("{checksum:03}"));
            prop_assert!(!ISO_8859_2.encode(&payload).2);
        }
    }
}

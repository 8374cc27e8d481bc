//! The notifications' messages (SPEC §3.15): a new invoice, the reading window's reminders, a
//! notice of works or an outage; each with its one-click unsubscribe link, in the body and in
//! the `List-Unsubscribe` header.

use chrono::NaiveDate;

use super::OutgoingMail;
use super::letter::Letter;
use crate::config::Site;
use crate::domain::dates::format_sl;
use crate::domain::money::Cents;
use crate::domain::reading_check::ReminderDue;
use crate::i18n::{Arg, Lang};
use crate::store::invoices::Invoice;
use crate::store::notices::Notice;
use crate::store::payers::Payer;

/// "Račun po e-pošti": the invoice's amount, due date and payment data (the PDF and the QR
/// code are attached when it is sent).
pub fn invoice(lang: Lang, site: &Site, invoice: &Invoice, payer: &Payer) -> Letter {
    let number = || Arg::Text(invoice.number.clone());
    let subject = lang.t_with("invoice-mail-subject", &[("number", number())]);
    let mut letter = Letter::titled(lang, subject).paragraph(lang.t_with(
        "invoice-mail-text",
        &[
            ("number", number()),
            ("date", Arg::Text(format_sl(invoice.issue_date))),
        ],
    ));
    let total = Cents(invoice.total_cents);
    if total <= Cents::ZERO {
        letter = letter.paragraph(lang.t("invoice-mail-nothing-to-pay"));
    } else {
        letter = letter.paragraph(lang.t_with(
            "invoice-mail-amount",
            &[
                ("amount", Arg::Text(total.format_sl())),
                ("due", Arg::Text(format_sl(invoice.due_date))),
            ],
        ));
        letter = match super::invoice::payment(&site.company, payer, invoice) {
            Some(payment) => letter
                .paragraph(lang.t_with(
                    "invoice-mail-payment",
                    &[
                        ("recipient", Arg::Text(payment.recipient_name.clone())),
                        ("iban", Arg::Text(payment.recipient_iban.to_string())),
                        (
                            "reference",
                            Arg::Text(payment.recipient_reference.to_string()),
                        ),
                        ("purpose", Arg::Text(payment.purpose)),
                    ],
                ))
                .paragraph(lang.t("invoice-mail-qr")),
            None => letter.paragraph(lang.t("invoice-mail-payment-on-invoice")),
        };
    }
    let link = site.link(&format!("/finance/invoices/{}", invoice.number));
    letter.action("invoice-mail-action", link)
}

/// The reading window opened, or closes soon, on `closes_on`.
pub fn reminder(lang: Lang, site: &Site, due: ReminderDue, closes_on: NaiveDate) -> Letter {
    let dates = [
        ("from", Arg::Text(format_sl(due.opened_on()))),
        ("to", Arg::Text(format_sl(closes_on))),
    ];
    let (subject, text) = match due {
        ReminderDue::Opening { .. } => (
            "reminder-mail-opening-subject",
            "reminder-mail-opening-text",
        ),
        ReminderDue::Closing { .. } => (
            "reminder-mail-closing-subject",
            "reminder-mail-closing-text",
        ),
    };
    Letter::new(lang, subject)
        .paragraph(lang.t_with(text, &dates))
        .action("reminder-mail-action", site.link("/readings/new"))
}

/// A notice of works or an outage: when it is valid, then its text, a paragraph for each
/// block of lines.
pub fn notice(lang: Lang, site: &Site, notice: &Notice) -> Letter {
    let subject = lang.t_with(
        "notice-mail-subject",
        &[("title", Arg::Text(notice.title.clone()))],
    );
    let mut letter = Letter::titled(lang, subject).paragraph(lang.t_with(
        "notice-mail-when",
        &[
            ("from", Arg::Text(format_sl(notice.valid_from))),
            ("to", Arg::Text(format_sl(notice.valid_to))),
        ],
    ));
    for paragraph in notice.paragraphs() {
        letter = letter.paragraph(paragraph);
    }
    letter.action("notice-mail-action", site.link("/home"))
}

/// `letter` to `to`, with the unsubscribe link of the subscription `unsubscribe_token`.
pub fn to(
    letter: Letter,
    site: &Site,
    to: &str,
    unsubscribe_token: &str,
) -> Result<OutgoingMail, askama::Error> {
    let link = site.link_with_token("/unsubscribe", unsubscribe_token);
    let mut mail = letter.unsubscribe(link.clone()).to(to, &site.company)?;
    mail.list_unsubscribe = Some(link);
    Ok(mail)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::config::Config;
    use crate::store::notices::NoticeArea;

    fn site() -> Site {
        let config = Config::demo().unwrap();
        config.site("127.0.0.1:8080".parse().unwrap()).unwrap()
    }

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn payer() -> Payer {
        Payer {
            code: "123456".to_owned(),
            name: "NOVAK JANEZ".to_owned(),
            street: Some("STARA ULICA 1".to_owned()),
            postal_code: Some("1351".to_owned()),
            city: Some("BREZOVICA".to_owned()),
            tax_number: None,
            email: None,
            phone: None,
            updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        }
    }

    fn invoice(total_cents: i64) -> Invoice {
        Invoice {
            number: "202000876".to_owned(),
            payer_code: "123456".to_owned(),
            point_code: None,
            issue_date: day(2020, 1, 31),
            period_from: None,
            period_to: None,
            due_date: day(2020, 2, 18),
            net_cents: total_cents * 100 / 109,
            vat_cents: total_cents - total_cents * 100 / 109,
            total_cents,
            reference: Some(
                crate::domain::upn::Reference::si12("202000876")
                    .unwrap()
                    .to_string(),
            ),
            updated_at: Utc.with_ymd_and_hms(2020, 1, 31, 0, 0, 0).unwrap(),
        }
    }

    /// Each message in each language, text and HTML, as the reader gets it.
    fn snapshot(name: &str, letter: impl Fn(Lang, &Site) -> Letter) {
        let site = site();
        for lang in Lang::ALL {
            let mail = to(
                letter(lang, &site),
                &site,
                "janez.novak@example.si",
                "ToKeN",
            )
            .unwrap();
            let unsubscribe = "http://127.0.0.1:8080/unsubscribe?token=ToKeN";
            assert_eq!(mail.list_unsubscribe.as_deref(), Some(unsubscribe));
            let shown = format!(
                "Subject: {}\n\n{}\n----- HTML -----\n{}",
                mail.subject,
                mail.text,
                mail.html.unwrap_or_default()
            );
            insta::assert_snapshot!(format!("{name}-{}", lang.code()), shown);
        }
    }

    #[test]
    fn an_invoice_to_pay() {
        snapshot("invoice", |lang, site| invoice_letter(lang, site, 4183));
    }

    #[test]
    fn an_invoice_without_a_reference() {
        snapshot("invoice-without-reference", |lang, site| {
            let mut invoice = invoice(4183);
            invoice.reference = None;
            super::invoice(lang, site, &invoice, &payer())
        });
    }

    #[test]
    fn a_credit_note() {
        snapshot("credit-note", |lang, site| {
            invoice_letter(lang, site, -1250)
        });
    }

    fn invoice_letter(lang: Lang, site: &Site, total_cents: i64) -> Letter {
        super::invoice(lang, site, &invoice(total_cents), &payer())
    }

    #[test]
    fn the_reading_window_opens_and_closes_soon() {
        let opened_on = day(2026, 11, 25);
        for (name, due) in [
            ("reminder-opening", ReminderDue::Opening { opened_on }),
            ("reminder-closing", ReminderDue::Closing { opened_on }),
        ] {
            snapshot(name, |lang, site| {
                reminder(lang, site, due, day(2026, 12, 5))
            });
        }
    }

    #[test]
    fn a_notice_of_works() {
        let stored = Notice {
            id: 7,
            title: "Zapora vodovoda na Stari ulici".to_owned(),
            body: "Zaradi menjave cevi bo voda zaprta od 8. do 12. ure.\n\nProsimo za razumevanje <in> potrpežljivost.".to_owned(),
            valid_from: day(2026, 12, 1),
            valid_to: day(2026, 12, 2),
            area: NoticeArea::Street,
            settlement: Some("BREZOVICA".to_owned()),
            street: Some("STARA ULICA".to_owned()),
            published_by: "ana.kos".to_owned(),
            published_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        };
        snapshot("notice", |lang, site| notice(lang, site, &stored));
    }
}

//! Notifications (SPEC §3.15): the preference centre, invoices by e-mail, reading reminders,
//! notices of works and outages, the one-click unsubscribe, and each occasion sent once across
//! runs, imports and instances.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use eportal::app::Services;
use eportal::app::clock::Clock;
use eportal::app::notifications::{self, Queued};
use eportal::demo::{ACCOUNT_EMAIL, ACCOUNT_PASSWORD, ACCOUNT_PAYER, OVERDUE_PAYER};
use eportal::domain::api_token::Scope;
use eportal::domain::reading_check::ReadingWindow;
use eportal::store::notices::{NewNotice, NoticeArea};
use eportal::store::notifications::{self as stored, NotificationKind};
use eportal::store::outbox::{OutboxMessage, OutboxStatus};
use mail_parser::MimeHeaders;
use serde_json::json;

use crate::api::{make_token, put, put_pdf};
use crate::on_both_databases;
use crate::staff::{audited, signed_in_staff};
use crate::support::{Backend, PASSWORD, PAYER, TestApp, link_in, location};
use tokio_util::sync::CancellationToken;

on_both_databases!(
    each_notification_is_turned_on_and_off_in_the_profile_and_audited,
    a_new_invoice_is_mailed_once_with_its_pdf_and_qr_code,
    reminders_go_when_the_window_opens_and_before_it_closes_to_who_has_not_read,
    a_notice_reaches_its_area_on_the_home_page_and_by_mail,
    a_notice_reaches_who_asked_before_it_though_stored_after_a_look,
    the_unsubscribe_link_shows_on_get_and_unsubscribes_on_post,
    two_instances_send_each_occasion_once_and_a_stopped_one_is_taken_over,
    staff_see_and_export_who_gets_invoices_by_mail_and_the_api_lists_them,
    the_server_sends_what_is_due_by_itself,
);

const EMAIL: &str = "janez.novak@example.si";
const OTHER_EMAIL: &str = "kos.marko@example.si";
const NEW_INVOICE: &str = "202699001";

/// Runs the scheduled sends until this run, not another's, did them.
async fn run(services: &Services, window: Option<ReadingWindow>) -> Queued {
    for _ in 0..100 {
        if let Some(queued) =
            notifications::run_due(services, window, "test", &CancellationToken::new())
                .await
                .unwrap()
        {
            return queued;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the lease never came free");
}

async fn subscribe(app: &TestApp, account_id: i64, kind: NotificationKind) {
    stored::subscribe(
        &app.db,
        account_id,
        kind,
        format!("token-{account_id}-{}", kind.as_str()),
        Utc::now(),
    )
    .await
    .unwrap();
}

/// The demo's second customer, with an account of their own; its id.
async fn other_account(app: &TestApp) -> i64 {
    account_of(app, OVERDUE_PAYER, OTHER_EMAIL).await
}

/// An account of the demo's payer `payer_code`, with `email`; its id.
async fn account_of(app: &TestApp, payer_code: &str, email: &str) -> i64 {
    use eportal::store::accounts::{NewAccount, insert_active_account};
    let consent = app.config.consent.as_ref().unwrap().version.clone();
    let account = NewAccount {
        payer_code: payer_code.to_owned(),
        email: email.to_owned(),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$none".to_owned(),
        display_name: None,
        phone: None,
        consent_version: consent,
    };
    insert_active_account(&app.db, account, Utc::now())
        .await
        .unwrap()
}

fn subjects(mail: &[OutboxMessage]) -> Vec<&str> {
    mail.iter()
        .map(|message| message.subject.as_str())
        .collect()
}

fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 7, 0, 0).unwrap()
}

async fn each_notification_is_turned_on_and_off_in_the_profile_and_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account_id = app.seed_account(PAYER, EMAIL, true).await;
    assert_eq!(location(&app.sign_in(PAYER, PASSWORD).await), "/home");
    let page = app.get("/profile").await.text().await.unwrap();
    assert!(page.contains("Obveščanje"), "{page}");
    assert!(page.contains("Račun po e-pošti"), "{page}");
    assert!(
        !page.contains(
            r#"value="invoice_email" aria-describedby="kind-invoice_email-hint" checked"#
        )
    );

    let choose = |kinds: &'static [&'static str]| {
        let fields: Vec<(&str, &str)> = kinds.iter().map(|kind| ("kind", *kind)).collect();
        let app = &app;
        async move {
            let response = app
                .post_form_from("/profile", "/profile/notifications", &fields)
                .await;
            assert_eq!(
                location(&response),
                "/profile?saved=notifications#profile-notifications-title"
            );
        }
    };
    choose(&["invoice_email", "notice", "no_such_kind"]).await;
    let page = app
        .get("/profile?saved=notifications")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Izbira obveščanja je shranjena."));
    assert!(
        page.contains(
            r#"value="invoice_email" aria-describedby="kind-invoice_email-hint" checked"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"value="reading_reminder" aria-describedby="kind-reading_reminder-hint">"#),
        "{page}"
    );
    let mut kinds = stored::kinds_of(&app.db, account_id).await.unwrap();
    kinds.sort_by_key(|kind| kind.as_str());
    assert_eq!(
        kinds,
        [NotificationKind::InvoiceEmail, NotificationKind::Notice]
    );
    assert_eq!(audited(&app, "notifications_changed").await, 1);

    // The same choice again changes nothing and records nothing.
    choose(&["notice", "invoice_email"]).await;
    assert_eq!(audited(&app, "notifications_changed").await, 1);
    choose(&["notice"]).await;
    assert_eq!(
        stored::kinds_of(&app.db, account_id).await.unwrap(),
        [NotificationKind::Notice]
    );
    assert_eq!(audited(&app, "notifications_changed").await, 2);
    choose(&[]).await;
    assert!(
        stored::kinds_of(&app.db, account_id)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The new invoice's due date: 18 days after it is issued, today.
fn due_date() -> NaiveDate {
    eportal::domain::dates::local_date(Utc::now()) + chrono::Duration::days(18)
}

/// Billing sends a new invoice of the demo customer, issued today, and its PDF.
async fn billing_sends_a_new_invoice(app: &TestApp, token: &str, pdf: &[u8]) {
    let today = eportal::domain::dates::local_date(Utc::now());
    let invoice = json!([{
        "invoice_number": NEW_INVOICE, "payer_code": ACCOUNT_PAYER,
        "issue_date": today.to_string(), "due_date": due_date().to_string(),
        "net": "38.20", "vat": "3.63", "total": "41.83",
        "reference": eportal::domain::upn::Reference::si12(NEW_INVOICE).unwrap().to_string()
    }]);
    assert_eq!(
        put(app, token, "/api/v1/invoices", &invoice).await.status(),
        200
    );
    assert_eq!(
        put_pdf(app, token, NEW_INVOICE, pdf.to_vec())
            .await
            .status(),
        200
    );
}

async fn a_new_invoice_is_mailed_once_with_its_pdf_and_qr_code(backend: Backend) {
    let app = TestApp::spawn_demo(backend).await;
    let services = app.services(Clock::System);
    assert_eq!(
        location(&app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await),
        "/home"
    );
    let opted_in = app
        .post_form_from(
            "/profile",
            "/profile/notifications",
            &[("kind", "invoice_email")],
        )
        .await;
    assert_eq!(
        location(&opted_in),
        "/profile?saved=notifications#profile-notifications-title"
    );
    // The invoices that were there before are not sent, nor an old one's PDF sent again.
    assert_eq!(run(&services, None).await.invoices, 0);
    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    let oldest = eportal::store::invoices::years_of_payer(&app.db, ACCOUNT_PAYER)
        .await
        .unwrap();
    let old_invoice =
        eportal::store::invoices::of_payer_in_year(&app.db, ACCOUNT_PAYER, *oldest.last().unwrap())
            .await
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
    let rendered_again = put_pdf(
        &app,
        &token,
        &old_invoice.number,
        b"%PDF-1.4\n%v2\n".to_vec(),
    );
    assert_eq!(rendered_again.await.status(), 200);
    assert_eq!(run(&services, None).await.invoices, 0);

    let pdf = b"%PDF-1.4\n% invoice 202699001\n".to_vec();
    billing_sends_a_new_invoice(&app, &token, &pdf).await;
    run(&services, None).await;
    // The same import again, and another run: nothing more.
    billing_sends_a_new_invoice(&app, &token, &pdf).await;
    assert_eq!(run(&services, None).await.invoices, 0);

    let mail = app.mail_to(ACCOUNT_EMAIL).await;
    // The new invoice, once; not the old one whose PDF came again.
    let invoices: Vec<_> = mail
        .iter()
        .filter(|m| m.subject.starts_with("Račun "))
        .collect();
    assert_eq!(invoices.len(), 1, "{:?}", subjects(&mail));
    assert_eq!(invoices[0].subject, "Račun 202699001");
    let queued = invoices[0];
    assert_eq!(queued.invoice_number.as_deref(), Some(NEW_INVOICE));
    let text = &queued.body_text;
    let amount = eportal::domain::money::Cents(4183).format_sl();
    assert!(
        text.contains(&format!(
            "Znesek za plačilo: {amount}, rok plačila: {}.",
            eportal::domain::dates::format_sl(due_date())
        )),
        "{text}"
    );
    assert!(text.contains("IBAN SI56"), "{text}");
    assert!(
        text.contains(&app.url("/finance/invoices/202699001")),
        "{text}"
    );
    let unsubscribe = queued.list_unsubscribe.clone().unwrap();
    assert!(text.contains(&unsubscribe), "{text}");
    assert!(unsubscribe.starts_with(&app.url("/unsubscribe?token=")));

    // The worker sends it with the PDF and the code attached, and the unsubscribe headers.
    let sent = wait_until_sent(&app, queued.id).await;
    let raw = std::fs::read(app.mail_dir.join(format!("{}.eml", sent.message_id))).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let header = |name: &str| {
        parsed
            .header_raw(name)
            .unwrap_or_else(|| panic!("{name}"))
            .trim()
            .to_owned()
    };
    assert_eq!(header("List-Unsubscribe"), format!("<{unsubscribe}>"));
    assert_eq!(
        header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let attachments: Vec<_> = parsed.attachments().collect();
    assert_eq!(attachments.len(), 2);
    assert_eq!(
        attachments[0].attachment_name(),
        Some("racun-202699001.pdf")
    );
    assert_eq!(attachments[0].contents(), pdf.as_slice());
    assert_eq!(
        attachments[1].attachment_name(),
        Some("upn-qr-202699001.png")
    );
    let payload = decode_qr(attachments[1].contents());
    assert!(payload.starts_with("UPNQR\n"), "{payload}");
    assert!(payload.contains("\n00000004183\n"), "the amount: {payload}");
    assert!(
        payload.contains(&format!("\n{}\n", due_date().format("%d.%m.%Y"))),
        "the due date: {payload}"
    );
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .contains("Račun lahko plačate tudi s kodo UPN QR")
    );
}

async fn wait_until_sent(app: &TestApp, id: i64) -> OutboxMessage {
    for _ in 0..200 {
        let message = eportal::store::outbox::find(&app.db, id)
            .await
            .unwrap()
            .unwrap();
        if message.status == OutboxStatus::Sent {
            return message;
        }
        assert_ne!(
            message.status,
            OutboxStatus::Failed,
            "{:?}",
            message.last_error
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("message {id} was not sent");
}

/// The text of the one QR code in a PNG image.
fn decode_qr(png: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let side = frame.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
    let grids = image.detect_grids();
    let mut bytes = Vec::new();
    grids[0].decode_to(&mut bytes).unwrap();
    encoding_rs::ISO_8859_2.decode(&bytes).0.into_owned()
}

async fn reminders_go_when_the_window_opens_and_before_it_closes_to_who_has_not_read(
    backend: Backend,
) {
    use eportal::store::submitted_readings::{self, NewSubmission};

    let app = TestApp::spawn_demo(backend).await;
    let clock = Clock::manual(at(2026, 12, 25));
    let services = app.services(clock.clone());
    let window = ReadingWindow::new(25, 5);
    let (account_id, meter) = app.demo_house_meter().await;
    let other_id = other_account(&app).await;
    for id in [account_id, other_id] {
        subscribe(&app, id, NotificationKind::ReadingReminder).await;
    }
    // Before the window: nothing.
    let before = app.services(Clock::manual(at(2026, 12, 24)));
    assert_eq!(run(&before, window).await.reminders, 0);

    assert_eq!(run(&services, window).await.reminders, 2);
    assert_eq!(run(&services, window).await.reminders, 0, "once per window");
    // Who asks once the window's reminder went out gets it at the next look, once.
    let latecomer = account_of(&app, eportal::demo::MANUAL_PAYER, "novak@example.si").await;
    clock.advance(std::time::Duration::from_secs(60));
    let kind = NotificationKind::ReadingReminder;
    let token = "latecomer".to_owned();
    stored::subscribe(&app.db, latecomer, kind, token, clock.now())
        .await
        .unwrap();
    assert_eq!(run(&services, window).await.reminders, 1, "the latecomer");
    assert_eq!(run(&services, window).await.reminders, 0);
    // Who asked as a look began, stored only once that look had read whom to remind, is
    // reminded at the next look all the same.
    let asked_at = clock.now();
    clock.advance(std::time::Duration::from_secs(1));
    assert_eq!(run(&services, window).await.reminders, 0);
    let racer = account_of(&app, eportal::demo::ROLL_OVER_PAYER, "racer@example.si").await;
    stored::subscribe(&app.db, racer, kind, "racer".to_owned(), asked_at)
        .await
        .unwrap();
    assert_eq!(
        run(&services, window).await.reminders,
        1,
        "stored after the look"
    );
    assert_eq!(run(&services, window).await.reminders, 0);
    let opening = app.mail_to(ACCOUNT_EMAIL).await;
    assert_eq!(subjects(&opening), ["Čas je za vnos števnega stanja"]);
    let text = &opening[0].body_text;
    assert!(text.contains("Od 25. 12. 2026 do 5. 1. 2027"), "{text}");
    assert!(text.contains(&app.url("/readings/new")), "{text}");
    assert!(opening[0].list_unsubscribe.is_some());

    // The demo customer reads the meter; the other does not.
    let reading = NewSubmission {
        account_id,
        meter_serial: &meter,
        read_on: NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(),
        litres: 999_999_000,
        client_addr: None,
    };
    submitted_readings::save(&app.db, reading, at(2026, 12, 28))
        .await
        .unwrap();
    clock.advance(std::time::Duration::from_secs(7 * 86_400));
    assert_eq!(
        services.today(),
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
    );
    assert_eq!(
        run(&services, window).await.reminders,
        0,
        "not yet two days before"
    );
    clock.advance(std::time::Duration::from_secs(2 * 86_400));
    assert_eq!(
        run(&services, window).await.reminders,
        3,
        "the other, the latecomer and who was stored after a look"
    );
    assert_eq!(run(&services, window).await.reminders, 0);
    assert_eq!(
        app.mail_to(ACCOUNT_EMAIL).await.len(),
        1,
        "who read is not reminded"
    );
    let other = app.mail_to(OTHER_EMAIL).await;
    assert_eq!(
        subjects(&other),
        [
            "Čas je za vnos števnega stanja",
            "Rok za vnos števnega stanja se izteka"
        ]
    );
    assert!(
        other[1].body_text.contains("do 5. 1. 2027"),
        "{}",
        other[1].body_text
    );
}

fn notice(
    area: NoticeArea,
    settlement: Option<&str>,
    street: Option<&str>,
    points: &[&str],
) -> NewNotice {
    NewNotice {
        title: "Zapora vodovoda".to_owned(),
        body: "Zaradi popravila bo voda zaprta.\n\nProsimo za razumevanje.".to_owned(),
        valid_from: Utc::now().date_naive() - chrono::Duration::days(1),
        valid_to: Utc::now().date_naive() + chrono::Duration::days(2),
        area,
        settlement: settlement.map(str::to_owned),
        street: street.map(str::to_owned),
        points: points.iter().map(|point| (*point).to_owned()).collect(),
    }
}

async fn a_notice_reaches_its_area_on_the_home_page_and_by_mail(backend: Backend) {
    use eportal::app::notices::{self, Published};
    use eportal::store::entity::point;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    let services = app.services(clock.clone());
    let (account_id, _) = app.demo_house_meter().await;
    subscribe(&app, account_id, NotificationKind::Notice).await;
    // Notices published from now on (by the app's clock) reach who asked before.
    clock.advance(std::time::Duration::from_secs(60));
    let points = point::Entity::find()
        .filter(point::Column::PayerCode.eq(ACCOUNT_PAYER))
        .all(&app.db)
        .await
        .unwrap();
    let home_point = points
        .iter()
        .find(|point| point.active && point.city.is_some())
        .unwrap();
    let settlement = home_point.city.clone().unwrap();
    let street_name: String = {
        let street = home_point.street.clone().unwrap();
        street
            .rsplit_once(' ')
            .map_or(street.clone(), |(name, _)| name.to_owned())
    };

    // Staff publish through the back office; a misspelt area is refused and nothing kept.
    signed_in_staff(&app, &clock).await;
    let form = app.get("/staff/notices").await.text().await.unwrap();
    assert!(form.contains("Obvestila o delih in motnjah"), "{form}");
    let nowhere = app
        .post_form_from(
            "/staff/notices",
            "/staff/notices",
            &[
                ("title", "Zapora vodovoda"),
                ("body", "Voda bo zaprta."),
                ("valid_from", "1. 1. 2026"),
                ("valid_to", "31. 12. 2099"),
                ("area", "street"),
                ("settlement", &settlement),
                ("street", "ULICA KI JE NI"),
            ],
        )
        .await;
    assert_eq!(nowhere.status(), 200);
    let page = nowhere.text().await.unwrap();
    assert!(
        page.contains("Na tem območju ni nobenega aktivnega odjemnega mesta."),
        "{page}"
    );
    let bad_dates = app
        .post_form_from(
            "/staff/notices",
            "/staff/notices",
            &[
                ("title", "X"),
                ("body", "Y"),
                ("valid_from", "2. 1. 2026"),
                ("valid_to", "1. 1. 2026"),
                ("area", "everyone"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bad_dates.contains("Datum »Velja do« ne sme biti pred datumom »Velja od«."),
        "{bad_dates}"
    );
    let published = app
        .post_form_from(
            "/staff/notices",
            "/staff/notices",
            &[
                ("title", "Zapora vodovoda na vaši ulici"),
                (
                    "body",
                    // As browsers send a text area: CRLF.
                    "Voda bo zaprta od 8. do 12. ure.\r\n\r\nProsimo za razumevanje.",
                ),
                ("valid_from", "1. 1. 2026"),
                ("valid_to", "31. 12. 2099"),
                ("area", "street"),
                ("settlement", &settlement),
                // In any case: billing writes streets in capitals.
                ("street", &street_name.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(location(&published), "/staff/notices?published=1");
    assert_eq!(audited(&app, "notice_published").await, 1);

    // Another settlement's notice and an expired one are not the customer's.
    let staff = eportal::store::staff::find_by_username(&app.db, crate::staff::STAFF)
        .await
        .unwrap()
        .unwrap();
    let origin = eportal::app::Origin::web("127.0.0.1");
    let settlements = eportal::store::notices::settlements(&app.db).await.unwrap();
    let elsewhere = settlements
        .iter()
        .find(|other| {
            points
                .iter()
                .all(|point| point.city.as_ref() != Some(*other))
        })
        .unwrap();
    let other = notices::publish(
        &services,
        &origin,
        &staff,
        notice(NoticeArea::Settlement, Some(elsewhere), None, &[]),
    )
    .await
    .unwrap();
    assert!(matches!(other, Published::Done(_)), "{other:?}");
    let mut expired = notice(NoticeArea::Everyone, None, None, &[]);
    expired.title = "Stara zapora".to_owned();
    expired.valid_to = expired.valid_from;
    notices::publish(&services, &origin, &staff, expired)
        .await
        .unwrap();
    let unknown = notices::publish(
        &services,
        &origin,
        &staff,
        notice(NoticeArea::Points, None, None, &["NI-TAKEGA"]),
    )
    .await
    .unwrap();
    assert_eq!(
        unknown,
        Published::UnknownPoints(vec!["NI-TAKEGA".to_owned()])
    );
    let by_point = notices::publish(
        &services,
        &origin,
        &staff,
        notice(NoticeArea::Points, None, None, &[&home_point.code]),
    )
    .await
    .unwrap();
    assert!(matches!(by_point, Published::Done(_)));

    assert_eq!(
        location(&app.sign_in(ACCOUNT_PAYER, ACCOUNT_PASSWORD).await),
        "/home"
    );
    let home = app.get("/home").await.text().await.unwrap();
    assert!(home.contains("Zapora vodovoda na vaši ulici"), "{home}");
    assert!(
        home.contains("<p>Voda bo zaprta od 8. do 12. ure.</p><p>Prosimo za razumevanje.</p>"),
        "{home}"
    );
    assert!(
        home.contains("Velja od 1. 1. 2026 do 31. 12. 2099"),
        "{home}"
    );
    assert!(!home.contains("Stara zapora"), "{home}");
    assert_eq!(
        home.matches("<h3 class=\"notice__title\">").count(),
        3,
        "the demo's, the street's and the point's: {home}"
    );
    assert!(home.contains("Izpiranje vodovodnega omrežja"), "{home}");

    // By mail: the street's and the point's notice, once each (some perhaps by the app's own
    // scheduled run, which goes on beside the test's).
    run(&services, None).await;
    assert_eq!(run(&services, None).await.notices, 0);
    let mail = app.mail_to(ACCOUNT_EMAIL).await;
    let notices: Vec<_> = mail
        .iter()
        .filter(|m| m.subject.starts_with("Obvestilo: "))
        .collect();
    assert_eq!(notices.len(), 2, "{:?}", subjects(&mail));
    assert!(notices[0].body_text.contains("Prosimo za razumevanje."));
    let list = app.get("/staff/notices").await.text().await.unwrap();
    assert!(list.contains("Zapora vodovoda na vaši ulici"), "{list}");
    assert!(
        list.contains(&format!("Ulica v naselju: {street_name}, {settlement}")),
        "{list}"
    );
}

async fn a_notice_reaches_who_asked_before_it_though_stored_after_a_look(backend: Backend) {
    use eportal::app::notices::{self, Published};
    use eportal::demo::ROLL_OVER_PAYER;

    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    let services = app.services(clock.clone());
    crate::staff::add_staff(&app, false).await;
    let staff = eportal::store::staff::find_by_username(&app.db, crate::staff::STAFF)
        .await
        .unwrap()
        .unwrap();
    let origin = eportal::app::Origin::web("127.0.0.1");
    clock.advance(std::time::Duration::from_secs(60));
    let asked_at = clock.now();
    let mut everyone = notice(NoticeArea::Everyone, None, None, &[]);
    everyone.title = "Zapora vodovoda povsod".to_owned();
    let published = notices::publish(&services, &origin, &staff, everyone)
        .await
        .unwrap();
    assert!(matches!(published, Published::Done(_)), "{published:?}");
    clock.advance(std::time::Duration::from_secs(1));
    run(&services, None).await;
    let notice_mail = |mail: Vec<OutboxMessage>| {
        subjects(&mail)
            .iter()
            .filter(|subject| **subject == "Obvestilo: Zapora vodovoda povsod")
            .count()
    };

    // Asked as the notice was published, stored only once a look had read whom to mail.
    let racer = account_of(&app, ROLL_OVER_PAYER, "racer@example.si").await;
    stored::subscribe(
        &app.db,
        racer,
        NotificationKind::Notice,
        "racer".into(),
        asked_at,
    )
    .await
    .unwrap();
    run(&services, None).await;
    assert_eq!(notice_mail(app.mail_to("racer@example.si").await), 1);
    run(&services, None).await;
    assert_eq!(
        notice_mail(app.mail_to("racer@example.si").await),
        1,
        "once"
    );

    // The looks for them end: one begun five minutes after the publication is the last.
    clock.advance(std::time::Duration::from_secs(6 * 60));
    run(&services, None).await;
    let (too_late, _) = app.demo_house_meter().await;
    stored::subscribe(
        &app.db,
        too_late,
        NotificationKind::Notice,
        "late".into(),
        asked_at,
    )
    .await
    .unwrap();
    assert_eq!(run(&services, None).await.notices, 0);
    assert_eq!(notice_mail(app.mail_to(ACCOUNT_EMAIL).await), 0);
}

async fn the_unsubscribe_link_shows_on_get_and_unsubscribes_on_post(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account_id = app.seed_account(PAYER, EMAIL, true).await;
    subscribe(&app, account_id, NotificationKind::Notice).await;
    subscribe(&app, account_id, NotificationKind::InvoiceEmail).await;
    let link = format!("/unsubscribe?token=token-{account_id}-notice");

    // Opening it (as a mail scanner would) only asks.
    let shown = app.get(&link).await;
    assert_eq!(shown.status(), 200);
    let page = shown.text().await.unwrap();
    assert!(
        page.contains(
            "Ne želite več prejemati sporočil »Obvestila o delih in motnjah« po e-pošti?"
        ),
        "{page}"
    );
    assert_eq!(
        stored::kinds_of(&app.db, account_id).await.unwrap().len(),
        2
    );

    // A mail program's one-click POST: no session, no form token.
    let one_click = reqwest::Client::new()
        .post(app.url(&link))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert!(one_click.text().await.unwrap().contains("Odjavljeni ste."));
    assert_eq!(
        stored::kinds_of(&app.db, account_id).await.unwrap(),
        [NotificationKind::InvoiceEmail],
        "only that kind"
    );
    assert_eq!(audited(&app, "unsubscribed").await, 1);

    // Used, the link says so and changes nothing; an unknown one neither.
    let again = reqwest::Client::new()
        .post(app.url(&link))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Ta povezava za odjavo ne velja več.")
    );
    assert_eq!(app.get("/unsubscribe?token=nonsense").await.status(), 404);
    assert_eq!(audited(&app, "unsubscribed").await, 1);
}

async fn two_instances_send_each_occasion_once_and_a_stopped_one_is_taken_over(backend: Backend) {
    use eportal::store::scheduler;

    let app = TestApp::spawn_demo(backend).await;
    // The instances' own stop, never given here but once below.
    let never = CancellationToken::new();
    let clock = Clock::manual(at(2026, 12, 26));
    let (account_id, _) = app.demo_house_meter().await;
    for kind in NotificationKind::ALL {
        subscribe(&app, account_id, *kind).await;
    }
    let other_id = other_account(&app).await;
    subscribe(&app, other_id, NotificationKind::ReadingReminder).await;
    let window = ReadingWindow::new(25, 5);

    // An instance that stopped while holding the lease: the others wait until it runs out.
    let one = app.services_on(app.another_pool().await, clock.clone());
    let two = app.services_on(app.another_pool().await, clock.clone());
    let now = clock.now();
    assert!(
        scheduler::take(
            &app.db,
            "notifications",
            "stopped",
            now,
            now + chrono::Duration::minutes(5)
        )
        .await
        .unwrap()
    );
    assert_eq!(
        notifications::run_due(&one, window, "one", &never)
            .await
            .unwrap(),
        None
    );
    clock.advance(std::time::Duration::from_secs(6 * 60));

    // An instance that is stopping queues nothing more, records no occasion as done and gives
    // the lease up at once, so the runs below find everything still to do.
    let stopping = CancellationToken::new();
    stopping.cancel();
    assert_eq!(
        notifications::run_due(&one, window, "one", &stopping)
            .await
            .unwrap(),
        Some(Queued::default())
    );

    let (first, second) = tokio::join!(
        notifications::run_due(&one, window, "one", &never),
        notifications::run_due(&two, window, "two", &never),
    );
    let total = [
        first.unwrap(),
        second.unwrap(),
        Some(run(&one, window).await),
        Some(run(&two, window).await),
    ]
    .into_iter()
    .flatten()
    .fold(Queued::default(), |sum, queued| Queued {
        invoices: sum.invoices + queued.invoices,
        reminders: sum.reminders + queued.reminders,
        notices: sum.notices + queued.notices,
    });
    assert_eq!(total.reminders, 2, "{total:?}");
    let reminders = |mail: Vec<OutboxMessage>| {
        mail.into_iter()
            .filter(|message| message.subject == "Čas je za vnos števnega stanja")
            .count()
    };
    assert_eq!(reminders(app.mail_to(ACCOUNT_EMAIL).await), 1);
    assert_eq!(reminders(app.mail_to(OTHER_EMAIL).await), 1);

    // Two runs at work at once (a lease that ran out while its holder was still at work, here
    // both under one name): the records of what was sent still let each message go once.
    clock.advance(std::time::Duration::from_secs(9 * 86_400));
    let (first, second) = tokio::join!(
        notifications::run_due(&one, window, "same", &never),
        notifications::run_due(&two, window, "same", &never),
    );
    let closing = first.unwrap().unwrap().reminders + second.unwrap().unwrap().reminders;
    assert_eq!(closing, 2);
    for email in [ACCOUNT_EMAIL, OTHER_EMAIL] {
        let closing = app
            .mail_to(email)
            .await
            .into_iter()
            .filter(|message| message.subject == "Rok za vnos števnega stanja se izteka")
            .count();
        assert_eq!(closing, 1, "{email}");
    }
}

async fn staff_see_and_export_who_gets_invoices_by_mail_and_the_api_lists_them(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_demo_with_clock(backend, clock.clone()).await;
    let (account_id, _) = app.demo_house_meter().await;
    subscribe(&app, account_id, NotificationKind::InvoiceEmail).await;
    let other_id = other_account(&app).await;
    subscribe(&app, other_id, NotificationKind::Notice).await;

    signed_in_staff(&app, &clock).await;
    let page = app.get("/staff/invoice-email").await.text().await.unwrap();
    assert!(page.contains(ACCOUNT_EMAIL), "{page}");
    assert!(!page.contains(OTHER_EMAIL), "{page}");
    let csv = app.get("/staff/invoice-email.csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "payer_code;name;email;since");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with(&format!("{ACCOUNT_PAYER};")), "{csv}");
    assert_eq!(audited(&app, "invoice_email_payers_exported").await, 1);

    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    let listed: serde_json::Value = app
        .client
        .get(app.url("/api/v1/invoice-email-payers"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["items"][0]["payer_code"], ACCOUNT_PAYER);
    assert_eq!(listed["items"][0]["email"], ACCOUNT_EMAIL);
    assert_eq!(audited(&app, "invoice_email_payers_exported").await, 2);
    let (_, reader) = make_token(&app, &[Scope::ReadingsRead], None).await;
    let refused = app
        .client
        .get(app.url("/api/v1/invoice-email-payers"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn the_server_sends_what_is_due_by_itself(backend: Backend) {
    let app = TestApp::spawn_demo_with(backend, |config| {
        config.notification_interval_seconds = std::num::NonZeroU32::MIN;
    })
    .await;
    let (account_id, _) = app.demo_house_meter().await;
    subscribe(&app, account_id, NotificationKind::InvoiceEmail).await;
    let (_, token) = make_token(&app, &[Scope::BillingWrite], None).await;
    billing_sends_a_new_invoice(&app, &token, b"%PDF-1.4\n").await;
    for _ in 0..100 {
        let mail = app.mail_to(ACCOUNT_EMAIL).await;
        if let Some(message) = mail.iter().find(|m| m.subject == "Račun 202699001") {
            let link = link_in(&message.body_text, &app.url("/unsubscribe?token="));
            assert!(link.len() > 40, "{link}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the invoice was not mailed");
}

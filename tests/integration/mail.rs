//! The outbox and its worker: delivery by SMTP or into a folder, retries, limits, claims.

use std::time::Duration;

use chrono::Utc;
use eportal::config::{Company, Config, SmtpUrl};
use eportal::mail::worker::MailWorker;
use eportal::mail::{OutgoingMail, enqueue};
use eportal::store::outbox::{self, OutboxMessage, OutboxStatus};
use eportal::store::{self, Db};
use tokio_util::sync::CancellationToken;

use crate::on_both_databases;
use crate::support::smtp::{Answer, SmtpSink};
use crate::support::{Backend, TestApp, TestDatabase, test_config};

on_both_databases!(
    smtp_delivers_each_message_once_with_its_own_message_id,
    a_temporary_refusal_is_retried_later,
    a_permanent_refusal_is_not_retried,
    delivery_is_abandoned_after_the_attempt_limit,
    without_smtp_mail_goes_into_the_folder,
    a_rolled_back_change_sends_nothing,
    queued_mail_survives_a_restart,
    claims_never_overlap,
    a_poll_that_finds_nothing_takes_no_write_lock,
    a_stopping_worker_leaves_its_backlog_due_at_once,
    a_claim_given_back_late_leaves_the_next_workers_alone,
);

fn mail(to: &str, subject: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: "Pozdravljeni,\n\nto je preskusno sporočilo: č š ž.\n".to_owned(),
        html: Some("<p>Pozdravljeni, <b>č š ž</b>.</p>".to_owned()),
        ..Default::default()
    }
}

/// An app whose mail goes to a fresh SMTP sink answering `answer`.
async fn app_with_smtp(backend: Backend, answer: Answer) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    sink.answer(answer);
    let app = TestApp::spawn_with(backend, |config| {
        config.smtp_url = Some(SmtpUrl::new(sink.url()));
    })
    .await;
    (app, sink)
}

async fn send(app: &TestApp, to: &str, subject: &str) {
    queue(&app.db, &app.config, mail(to, subject)).await;
}

/// Queues `mail` in a transaction of its own.
async fn queue(db: &Db, config: &Config, mail: OutgoingMail) {
    let site = config.site(config.listen).unwrap();
    let txn = store::begin_write(db).await.unwrap();
    enqueue(&txn, &site, mail, Utc::now()).await.unwrap();
    txn.commit().await.unwrap();
}

/// A fresh database with `count` messages queued, `subject` and their number their subjects.
async fn with_queued(backend: Backend, count: u32, subject: &str) -> (TestDatabase, Db, Config) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let config = test_config(&database);
    for n in 0..count {
        let subject = format!("{subject} {n}");
        queue(&db, &config, mail("janez.novak@example.si", &subject)).await;
    }
    (database, db, config)
}

fn company(config: &Config) -> Company {
    config.company().unwrap().clone()
}

/// Waits until `done` holds for the outbox, or fails after ten seconds.
async fn wait_for(db: &Db, done: impl Fn(&[OutboxMessage]) -> bool) -> Vec<OutboxMessage> {
    for _ in 0..100 {
        let messages = outbox::recent(db, 100).await.unwrap();
        if done(&messages) {
            return messages;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the outbox did not reach the expected state: {:#?}",
        outbox::recent(db, 100).await
    );
}

fn all_with_status(status: OutboxStatus) -> impl Fn(&[OutboxMessage]) -> bool {
    move |messages| !messages.is_empty() && messages.iter().all(|m| m.status == status)
}

async fn smtp_delivers_each_message_once_with_its_own_message_id(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Answer::Accept).await;
    send(
        &app,
        "janez.novak@example.si",
        "Aktivacija računa – ePortal",
    )
    .await;
    send(&app, "ana.kovac@example.si", "Potrditev števnega stanja").await;
    let messages = wait_for(&app.db, all_with_status(OutboxStatus::Sent)).await;
    assert_eq!(messages.len(), 2);
    assert!(
        messages
            .iter()
            .all(|m| m.attempts == 0 && m.sent_at.is_some())
    );

    let received = sink.received();
    assert_eq!(received.len(), 2, "each message exactly once");
    let parsed: Vec<_> = received
        .iter()
        .map(|raw| {
            mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .unwrap()
        })
        .collect();
    let ids: Vec<&str> = parsed.iter().map(|m| m.message_id().unwrap()).collect();
    assert_ne!(ids[0], ids[1]);
    for message in &messages {
        assert!(
            ids.contains(&message.message_id.as_str()),
            "{ids:?} lacks {}",
            message.message_id
        );
        assert!(message.message_id.ends_with("@127.0.0.1"));
    }
    let subjects: Vec<&str> = parsed.iter().map(|m| m.subject().unwrap()).collect();
    assert!(
        subjects.contains(&"Potrditev števnega stanja"),
        "{subjects:?}"
    );
    let first = &parsed[0];
    assert_eq!(
        first.from().unwrap().first().unwrap().address().unwrap(),
        "info@jkp-brezovica.si"
    );
    assert!(first.body_text(0).unwrap().contains("č š ž"));
    assert!(first.body_html(0).unwrap().contains("<b>č š ž</b>"));
}

async fn a_temporary_refusal_is_retried_later(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Answer::RefuseForNow).await;
    send(&app, "janez.novak@example.si", "Poskus").await;
    let messages = wait_for(&app.db, |m| m.first().is_some_and(|m| m.attempts == 1)).await;
    let message = &messages[0];
    assert_eq!(message.status, OutboxStatus::Queued);
    assert!(message.next_attempt_at > Utc::now(), "the retry waits");
    assert!(message.last_error.as_deref().unwrap().contains("451"));

    sink.answer(Answer::Accept);
    let worker = MailWorker::new(app.db.clone(), &app.config, &company(&app.config)).unwrap();
    let handled = worker
        .deliver_due(
            Utc::now() + chrono::Duration::minutes(2),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(handled, 1);
    let messages = wait_for(&app.db, all_with_status(OutboxStatus::Sent)).await;
    assert_eq!(messages[0].attempts, 1);
    assert_eq!(sink.received().len(), 1);
}

async fn a_permanent_refusal_is_not_retried(backend: Backend) {
    let (app, _sink) = app_with_smtp(backend, Answer::RefuseForever).await;
    send(&app, "nobody@example.si", "Poskus").await;
    let messages = wait_for(&app.db, all_with_status(OutboxStatus::Failed)).await;
    assert_eq!(messages[0].attempts, 1);
    assert!(messages[0].last_error.as_deref().unwrap().contains("550"));
}

async fn delivery_is_abandoned_after_the_attempt_limit(backend: Backend) {
    let sink = SmtpSink::start().await;
    sink.answer(Answer::RefuseForNow);
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let mut config = test_config(&database);
    config.smtp_url = Some(SmtpUrl::new(sink.url()));
    config.mail_max_attempts = 3;
    queue(&db, &config, mail("janez.novak@example.si", "Poskus")).await;
    let worker = MailWorker::new(db.clone(), &config, &company(&config)).unwrap();
    let mut now = Utc::now();
    for _ in 0..5 {
        worker
            .deliver_due(now, &CancellationToken::new())
            .await
            .unwrap();
        now += chrono::Duration::days(1);
    }
    let message = &outbox::recent(&db, 1).await.unwrap()[0];
    assert_eq!(message.status, OutboxStatus::Failed);
    assert_eq!(message.attempts, 3);
}

async fn without_smtp_mail_goes_into_the_folder(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    send(&app, "janez.novak@example.si", "Aktivacija").await;
    let messages = wait_for(&app.db, all_with_status(OutboxStatus::Sent)).await;
    let files: Vec<_> = std::fs::read_dir(&app.mail_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(parsed.message_id().unwrap(), messages[0].message_id);
    assert_eq!(parsed.subject().unwrap(), "Aktivacija");
}

async fn a_rolled_back_change_sends_nothing(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let config = test_config(&database);
    let site = config.site(config.listen).unwrap();
    let txn = store::begin_write(&db).await.unwrap();
    enqueue(
        &txn,
        &site,
        mail("janez.novak@example.si", "Ne bo poslano"),
        Utc::now(),
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert!(outbox::recent(&db, 10).await.unwrap().is_empty());

    let txn = store::begin_write(&db).await.unwrap();
    enqueue(
        &txn,
        &site,
        mail("janez.novak@example.si", "Bo poslano"),
        Utc::now(),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(outbox::recent(&db, 10).await.unwrap().len(), 1);
}

async fn queued_mail_survives_a_restart(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let config = test_config(&database);
    queue(
        &db,
        &config,
        mail("janez.novak@example.si", "Pred ponovnim zagonom"),
    )
    .await;
    // A worker that claimed it and died before sending leaves a lease behind.
    let claimed = outbox::claim_due(&db, Utc::now(), chrono::Duration::seconds(1), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    db.close().await.unwrap();

    // The next instance on the same database delivers it once the lease has run out.
    let mut restarted = test_config(&database);
    restarted.mail_dir = database.dir.path().join("mail-after-restart");
    let app = eportal::startup::Application::build(restarted.clone())
        .await
        .unwrap();
    let db = app.db().clone();
    let server = tokio::spawn(app.run_until_stopped(tokio::time::sleep(Duration::from_secs(30))));
    let messages = wait_for(&db, all_with_status(OutboxStatus::Sent)).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(std::fs::read_dir(&restarted.mail_dir).unwrap().count(), 1);
    server.abort();
}

async fn claims_never_overlap(backend: Backend) {
    let (_database, db, _config) = with_queued(backend, 30, "Sporočilo").await;
    let lease = chrono::Duration::minutes(5);
    let claims = futures::future::join_all((0..4).map(|_| {
        let db = db.clone();
        async move { outbox::claim_due(&db, Utc::now(), lease, 10).await.unwrap() }
    }))
    .await;
    let mut ids: Vec<i64> = claims.iter().flatten().map(|m| m.id).collect();
    let claimed = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), claimed, "no message was claimed twice");
    assert_eq!(claimed, 30, "four workers of ten took all thirty");
    assert!(
        outbox::claim_due(&db, Utc::now(), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The workers poll twice a second; a poll with nothing due must not wait for the write lock
/// that a long write holds (SQLite) nor take it from the portal.
async fn a_poll_that_finds_nothing_takes_no_write_lock(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let held = store::begin_write(&db).await.unwrap();
    let lease = chrono::Duration::minutes(5);
    let polled = tokio::time::timeout(
        Duration::from_secs(3),
        outbox::claim_due(&db, Utc::now(), lease, 10),
    )
    .await
    .expect("the poll does not wait for the write lock")
    .unwrap();
    assert!(polled.is_empty());
    held.rollback().await.unwrap();
}

/// A worker asked to stop stops, however many are queued (a notice to everyone queues one a
/// customer); what it claimed and did not send is due again at once, not after its lease.
async fn a_stopping_worker_leaves_its_backlog_due_at_once(backend: Backend) {
    const QUEUED: i64 = 300;
    let (_database, db, config) = with_queued(backend, QUEUED as u32, "Obvestilo").await;
    let worker = MailWorker::new(db.clone(), &config, &company(&config)).unwrap();
    let stopped = CancellationToken::new();
    stopped.cancel();
    assert_eq!(worker.deliver_due(Utc::now(), &stopped).await.unwrap(), 0);

    let stop = CancellationToken::new();
    let running = tokio::spawn(worker.run(stop.clone()));
    let sent = || async {
        outbox::count_by_status(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|(status, _)| *status == OutboxStatus::Sent)
            .map_or(0, |(_, count)| count)
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        while sent().await == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the worker delivers");
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the worker stops without delivering its backlog")
        .unwrap();
    let left = QUEUED - sent().await;
    assert!(
        left > 0,
        "the worker delivered its whole backlog before it stopped"
    );
    let lease = chrono::Duration::minutes(5);
    let due = outbox::claim_due(&db, Utc::now(), lease, QUEUED as u64)
        .await
        .unwrap();
    assert_eq!(due.len() as i64, left, "nothing it left waits for a lease");
}

/// A worker whose lease ran out (a slow SMTP server) and that then stops must not give back the
/// claim another worker took meanwhile: that one is sending the messages.
async fn a_claim_given_back_late_leaves_the_next_workers_alone(backend: Backend) {
    let (_database, db, _config) = with_queued(backend, 3, "Račun").await;
    let now = Utc::now();
    let short = chrono::Duration::seconds(1);
    let lease = chrono::Duration::minutes(5);
    let first = outbox::claim_due(&db, now, short, 10).await.unwrap();
    let later = now + chrono::Duration::seconds(2);
    let second = outbox::claim_due(&db, later, lease, 10).await.unwrap();
    assert_eq!(second.len(), 3, "the lapsed claim is taken over");

    let claimable = || async {
        outbox::claim_due(&db, later, lease, 10)
            .await
            .unwrap()
            .len()
    };
    outbox::release_claims(&db, &first).await.unwrap();
    assert_eq!(claimable().await, 0, "the second worker's claim stands");
    outbox::release_claims(&db, &second).await.unwrap();
    assert_eq!(claimable().await, 3);
}

//! The binary as operators use it.

use std::process::Command;

use crate::on_both_databases;
use crate::support::{Backend, TestDatabase};

on_both_databases!(
    migrate_brings_the_schema_up_to_date,
    a_utilitys_generated_files_import_cleanly,
);

pub(crate) fn eportal(database: &TestDatabase) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eportal"));
    command
        .current_dir(database.dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("EPORTAL_DATABASE_URL", database.url.expose())
        .env("EPORTAL_MAIL_DIR", database.dir.path().join("mail"));
    command
}

async fn migrate_brings_the_schema_up_to_date(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    for _ in 0..2 {
        let output = eportal(&database).arg("migrate").output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    }
}

#[tokio::test]
async fn a_bad_setting_stops_the_start_with_one_line_naming_it() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let output = eportal(&database)
        .env("EPORTAL_LISTEN", "not-an-address")
        .args(["serve", "--demo"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("listen"), "{stderr}");
}

#[tokio::test]
async fn serve_refuses_an_invalid_iban_at_once_naming_it() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let started = std::time::Instant::now();
    let output = eportal(&database)
        .env("EPORTAL_COMPANY__IBAN", "SI56 2633 0001 2039 087")
        .args(["serve", "--demo"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("setting company.iban: "), "{stderr}");
    assert!(stderr.contains("EPORTAL_COMPANY__IBAN"), "{stderr}");
}

#[tokio::test]
async fn text_settings_from_the_environment_keep_their_digits() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let mut serve = eportal(&database)
        .env("EPORTAL_COMPANY__PHONE", "013633020")
        .env("EPORTAL_CONSENT__VERSION", "2020")
        .env("EPORTAL_LISTEN", "127.0.0.1:0")
        .env("EPORTAL_LOG_FORMAT", "json")
        .args(["serve", "--demo"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It starts (it would have stopped at once on a setting it could not read) and says where.
    let stderr = serve.stderr.take().unwrap();
    let address = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .find(|event| event["message"] == "ePortal listening")
        .and_then(|event| event["address"].as_str().map(str::to_owned));
    let contact = match &address {
        Some(address) => reqwest::get(format!("http://{address}/contact"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        None => String::new(),
    };
    serve.kill().unwrap();
    serve.wait().unwrap();
    assert!(address.is_some(), "serve started");
    assert!(
        contact.contains("013633020"),
        "the phone keeps its leading 0 on the contact page"
    );
}

#[tokio::test]
async fn serve_without_a_company_says_which_setting_is_missing() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let output = eportal(&database).arg("serve").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("company"), "{stderr}");
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["import", "--help"],
        &["export", "--help"],
        &["staff", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_eportal"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// `eportal demo --payers N --out DIR` writes files that `eportal import` takes, every one of
/// them, in import order; importing them again changes nothing.
async fn a_utilitys_generated_files_import_cleanly(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let dir = database.dir.path().join("files");
    let output = eportal(&database)
        .args(["demo", "--payers", "120", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("120 payers"), "{stdout}");
    for round in 0..2 {
        for kind in eportal::import::Kind::ALL {
            let file = dir.join(format!("{}.csv", kind.as_str()));
            let output = eportal(&database)
                .args(["import", kind.as_str()])
                .arg(&file)
                .output()
                .unwrap();
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(output.status.success(), "{}: {said}", kind.as_str());
            if round == 1 {
                assert!(
                    said.contains("novih 0, spremenjenih 0"),
                    "{}: {said}",
                    kind.as_str()
                );
            }
        }
    }
    // Without --out, --payers is refused with a message naming what is missing.
    let output = eportal(&database)
        .args(["demo", "--payers", "10"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"));
}

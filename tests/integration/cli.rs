//! The binary as operators use it.

use std::process::Command;

use crate::on_both_databases;
use crate::support::{Backend, TestDatabase};

on_both_databases!(migrate_brings_the_schema_up_to_date);

fn eportal(database: &TestDatabase) -> Command {
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

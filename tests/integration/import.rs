//! Billing-file import: another utility's hand-written files (Windows-1250, `;`, decimal
//! commas), whole-or-nothing, re-import, dry run, open items as a complete set, PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;

use eportal::app::import::{self as apply, Channel, ImportError};
use eportal::import::{Kind, ParseFailure, Problem, Source};
use eportal::store::Db;
use eportal::store::entity::{
    import_run, invoice, invoice_pdf, meter, open_item, payer, point_service, price, reading,
};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, Statement};

use crate::on_both_databases;
use crate::support::{Backend, TestApp, TestDatabase};

on_both_databases!(
    another_utilitys_files_import_whole_and_exact,
    a_second_import_changes_nothing,
    a_dry_run_reports_but_stores_nothing,
    a_broken_line_in_the_middle_stores_nothing,
    rows_that_name_unknown_things_are_bad_lines,
    every_reference_of_a_staged_file_is_checked,
    open_items_are_replaced_as_a_complete_set,
    invoice_pdfs_come_from_a_folder,
    the_command_line_reports_and_exits_non_zero_on_bad_lines,
    two_imports_at_once_both_apply_one_after_the_other,
    a_large_import_leaves_the_statistics_current,
    a_file_of_many_batches_reports_every_bad_line_in_order,
    text_with_tabs_backslashes_and_line_breaks_is_stored_exactly,
    a_dry_run_waits_for_no_other_import,
    portal_writes_never_fail_during_a_large_import,
    keys_twice_are_found_past_the_filters_false_alarms_and_its_limit,
);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/komunala-vrhnika")
}

fn fixture(kind: Kind) -> Vec<u8> {
    std::fs::read(fixtures().join(format!("{}.csv", kind.as_str()))).unwrap()
}

async fn import(
    db: &Db,
    kind: Kind,
    bytes: &[u8],
    dry_run: bool,
) -> Result<apply::Outcome, ImportError> {
    let name = format!("{}.csv", kind.as_str());
    let file = apply::FileImport {
        kind,
        name: &name,
        source: Source::from(bytes),
        channel: Channel::CommandLine,
        dry_run,
    };
    apply::import_file(db, file).await
}

async fn import_all(db: &Db) -> Vec<apply::Outcome> {
    let mut outcomes = Vec::new();
    for kind in Kind::ALL {
        let outcome = import(db, kind, &fixture(kind), false).await;
        outcomes.push(outcome.unwrap_or_else(|error| panic!("{}: {error:?}", kind.as_str())));
    }
    outcomes
}

fn bad_lines(result: Result<apply::Outcome, ImportError>) -> Vec<(u64, Option<String>, Problem)> {
    match result {
        Err(ImportError::Rejected(ParseFailure::Lines(lines))) => lines
            .into_iter()
            .map(|line| (line.line, line.column, line.problem))
            .collect(),
        other => panic!("expected bad lines, got {other:?}"),
    }
}

async fn another_utilitys_files_import_whole_and_exact(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let outcomes = import_all(&db).await;
    let inserted: Vec<usize> = outcomes.iter().map(|o| o.changes.inserted).collect();
    // payers, prices, points, meters, readings, invoices, invoice_lines, open_items
    assert_eq!(inserted, [3, 6, 4, 3, 8, 2, 7, 2]);

    let zagar = payer::Entity::find_by_id("700101")
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(zagar.name, "ŽAGAR MARIJA", "Windows-1250 decoded");
    assert_eq!(zagar.street.as_deref(), Some("Tržaška cesta 12"));
    assert_eq!(zagar.tax_number.as_deref(), Some("10000003"));
    let cerne = payer::Entity::find_by_id("700102")
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (cerne.tax_number, cerne.email),
        (None, None),
        "empty optional fields"
    );

    let water = price::Entity::find().all(&db).await.unwrap();
    let newest = water
        .iter()
        .find(|p| p.service_code == "VD" && p.valid_from.to_string() == "2025-07-01")
        .unwrap();
    assert_eq!(
        (newest.price_ten_thousandths, newest.vat_rate_bp),
        (7890, 950)
    );
    assert_eq!(point_service::Entity::find().count(&db).await.unwrap(), 9);

    let old_meter = meter::Entity::find_by_id("V-1002")
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            old_meter.medium.as_str(),
            old_meter.unit.as_str(),
            old_meter.digits
        ),
        ("cold_water", "m3", 4)
    );
    assert!(old_meter.removed_on.is_some());

    let readings = reading::Entity::find().all(&db).await.unwrap();
    let litres = |serial: &str, source: &str| {
        readings
            .iter()
            .find(|r| r.meter_serial == serial && r.source == source)
            .unwrap()
            .litres
    };
    assert_eq!(litres("V-1001", "reader"), 1_234_567);
    assert_eq!(litres("V-1001", "estimate"), 1_301_200);
    assert_eq!(litres("V-1002", "removal"), 120_500);

    let invoice = invoice::Entity::find_by_id("2025000101")
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (invoice.net_cents, invoice.vat_cents, invoice.total_cents),
        (3133, 298, 3431)
    );
    assert_eq!(invoice.point_code.as_deref(), Some("VR-0001"));
    let open: i64 = open_item::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.open_cents)
        .sum();
    assert_eq!(open, 3431 + 652);
}

/// Replaces ASCII text in a Windows-1250 file without touching its other bytes.
fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|window| window == from.as_bytes())
        .expect("the text");
    [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
}

async fn a_second_import_changes_nothing(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    if backend == Backend::Postgres {
        // The stage of an import whose process ended without closing it (no process has id 0).
        let abandoned = "CREATE UNLOGGED TABLE import_stage_0_payers_0 (line BIGINT)";
        db.execute_unprepared(abandoned).await.unwrap();
    }
    import_all(&db).await;
    let before = invoice::Entity::find().all(&db).await.unwrap();
    for outcome in import_all(&db).await {
        assert!(outcome.changes.is_empty(), "{outcome:?}");
        assert_eq!(outcome.changes.unchanged, outcome.rows);
    }
    assert_eq!(
        invoice::Entity::find().all(&db).await.unwrap(),
        before,
        "not even a timestamp moved"
    );

    // A changed value is an update of that row alone.
    let changed = replace(&fixture(Kind::Payers), "041 555 123", "041 555 999");
    let outcome = import(&db, Kind::Payers, &changed, false).await.unwrap();
    assert_eq!((outcome.changes.updated, outcome.changes.unchanged), (1, 2));
    // Points whose services alone change count as changed.
    let points = replace(&fixture(Kind::Points), "VD OMV KAN ODP", "VD OMV KAN");
    let outcome = import(&db, Kind::Points, &points, false).await.unwrap();
    assert_eq!((outcome.changes.updated, outcome.changes.unchanged), (1, 3));
    assert_eq!(point_service::Entity::find().count(&db).await.unwrap(), 8);
    assert_eq!(
        stage_tables(&db).await,
        Vec::<String>::new(),
        "stages left behind"
    );
}

/// The stage tables in the database's own schema: PostgreSQL's, unlogged, live as long as
/// their import; SQLite's are temporary, never there.
async fn stage_tables(db: &Db) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relname LIKE '%stage%'"
        }
        _ => "SELECT name FROM sqlite_master WHERE name LIKE '%stage%'",
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn a_dry_run_reports_but_stores_nothing(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let outcome = import(&db, Kind::Payers, &fixture(Kind::Payers), true)
        .await
        .unwrap();
    assert!(outcome.dry_run);
    assert_eq!(outcome.changes.inserted, 3);
    assert_eq!(payer::Entity::find().count(&db).await.unwrap(), 0);
    let outcome = import(&db, Kind::Payers, &fixture(Kind::Payers), false)
        .await
        .unwrap();
    assert_eq!(
        outcome.changes.inserted, 3,
        "the dry run left nothing behind"
    );
}

async fn a_broken_line_in_the_middle_stores_nothing(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let file = "payer_code;name;tax_number\n\
                800001;NOVAK ANA;10000003\n\
                800002;HORVAT JOŽE;12345678\n\
                800003;KRANJC MIHA;\n\
                80x004;ZUPAN EVA;\n\
                800005;;\n\
                800006;POTOČNIK LUKA;\n";
    let lines = bad_lines(import(&db, Kind::Payers, file.as_bytes(), false).await);
    let places: Vec<(u64, Option<&str>)> = lines
        .iter()
        .map(|(line, column, _)| (*line, column.as_deref()))
        .collect();
    assert_eq!(
        places,
        [
            (3, Some("tax_number")),
            (5, Some("payer_code")),
            (6, Some("name"))
        ]
    );
    assert!(matches!(lines[0].2, Problem::BadTaxNumber { .. }));
    assert_eq!(
        payer::Entity::find().count(&db).await.unwrap(),
        0,
        "nothing of the file was stored"
    );
}

async fn rows_that_name_unknown_things_are_bad_lines(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    for kind in [Kind::Payers, Kind::Prices] {
        import(&db, kind, &fixture(kind), false).await.unwrap();
    }
    let file = "point_code;payer_code;services\nP-1;700101;VD\nP-2;999999;VD\nP-3;700102;VD XYZ\n";
    let lines = bad_lines(import(&db, Kind::Points, file.as_bytes(), false).await);
    let found: Vec<(u64, String)> = lines
        .iter()
        .map(|(line, _, problem)| (*line, problem.to_string()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(found[0].1.contains("999999"), "{found:?}");
    assert_eq!(found[1].0, 4);
    assert!(found[1].1.contains("XYZ"), "{found:?}");
    assert_eq!(
        eportal::store::entity::point::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        0
    );
}

/// The billing tables carry no foreign keys on PostgreSQL, and SQLite's import connection
/// does not enforce them (m0014): the import's own check is all that keeps a row from naming
/// something absent, for every column that names something.
async fn every_reference_of_a_staged_file_is_checked(backend: Backend) {
    use eportal::import::Reference;

    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    import_all(&db).await;
    let cases: [(Kind, &str, &str, Reference); 7] = [
        (
            Kind::Points,
            "point_code;payer_code;services\nNEW-1;999999;VD\n",
            "999999",
            Reference::Payer,
        ),
        (
            Kind::Points,
            "point_code;payer_code;services\nNEW-1;700101;XYZ\n",
            "XYZ",
            Reference::Service,
        ),
        (
            Kind::Meters,
            "meter_serial;point_code;medium;unit;digits;decimals;installed_on\n\
             NEW-1;NO-POINT;cold_water;m3;5;3;01.01.2026\n",
            "NO-POINT",
            Reference::Point,
        ),
        (
            Kind::Readings,
            "meter_serial;date;value;source\nNO-METER;01.01.2026;1;reader\n",
            "NO-METER",
            Reference::Meter,
        ),
        (
            Kind::Invoices,
            "invoice_number;payer_code;point_code;issue_date;due_date;net;vat;total\n\
             2026999999;700101;NO-POINT;31.01.2026;18.02.2026;1,00;0,00;1,00\n",
            "NO-POINT",
            Reference::Point,
        ),
        (
            Kind::InvoiceLines,
            "invoice_number;line_no;description;amount\n2026999999;1;Voda;1,00\n",
            "2026999999",
            Reference::Invoice,
        ),
        (
            Kind::InvoiceLines,
            "invoice_number;line_no;service_code;description;amount\n\
             2025000101;9;XYZ;Voda;1,00\n",
            "XYZ",
            Reference::Service,
        ),
    ];
    for (kind, file, key, what) in cases {
        let lines = bad_lines(import(&db, kind, file.as_bytes(), false).await);
        assert!(
            matches!(
                lines.as_slice(),
                [(2, _, Problem::UnknownReference { what: found, key: named })]
                    if *found == what && named == key
            ),
            "{}: {lines:?}",
            kind.as_str()
        );
    }
    // Nothing of the refused files was stored.
    let again = import_all(&db).await;
    assert!(again.iter().all(|outcome| outcome.changes.is_empty()));
}

async fn open_items_are_replaced_as_a_complete_set(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    import_all(&db).await;
    let one = "payer_code;document_number;document_date;due_date;amount;open_amount\n\
               700102;2025000200;28.02.2025;18.03.2025;10,00;10,00\n";
    let outcome = import(&db, Kind::OpenItems, one.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!((outcome.changes.inserted, outcome.changes.deleted), (1, 2));
    let items = open_item::Entity::find().all(&db).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].payer_code, "700102");

    let everything_paid = "payer_code;document_number;document_date;due_date;amount;open_amount\n";
    let outcome = import(&db, Kind::OpenItems, everything_paid.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!(outcome.changes.deleted, 1);
    assert_eq!(open_item::Entity::find().count(&db).await.unwrap(), 0);
    // The history keeps what was removed apart from what was changed.
    use sea_orm::QueryOrder;
    let runs = import_run::Entity::find()
        .order_by_desc(import_run::Column::Id)
        .all(&db)
        .await
        .unwrap();
    let counts: Vec<_> = runs
        .iter()
        .take(2)
        .map(|run| (run.inserted, run.updated, run.deleted))
        .collect();
    assert_eq!(counts, [(0, 0, 1), (1, 0, 2)]);
}

async fn invoice_pdfs_come_from_a_folder(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    import_all(&db).await;
    let folder = fixtures().join("pdfs");
    let outcome = apply::import_invoice_pdfs(&db, &folder, Channel::CommandLine, false)
        .await
        .unwrap();
    assert_eq!(outcome.changes.inserted, 1);
    let again = apply::import_invoice_pdfs(&db, &folder, Channel::CommandLine, false)
        .await
        .unwrap();
    assert!(again.changes.is_empty());
    let stored = invoice_pdf::Entity::find_by_id("2025000101")
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.content.starts_with(b"%PDF-"));

    let bad = database.dir.path().join("bad-pdfs");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("2025000102.pdf"), b"%PDF-1.4 fine").unwrap();
    std::fs::write(bad.join("9999.pdf"), b"%PDF-1.4 no such invoice").unwrap();
    std::fs::write(bad.join("2025000101.pdf"), b"not a pdf").unwrap();
    let refused = apply::import_invoice_pdfs(&db, &bad, Channel::CommandLine, false).await;
    let Err(ImportError::PdfsRejected(problems)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        invoice_pdf::Entity::find_by_id("2025000102")
            .one(&db)
            .await
            .unwrap()
            .is_none()
    );
}

fn eportal(database: &TestDatabase, args: &[&str]) -> (bool, String, String) {
    eportal_in(database, "sl", args)
}

/// The command with its messages in `language`.
fn eportal_in(database: &TestDatabase, language: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eportal"))
        .current_dir(database.dir.path())
        .env_clear()
        .env("EPORTAL_DATABASE_URL", database.url.expose())
        .env("EPORTAL_LANGUAGE", language)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn the_command_line_reports_and_exits_non_zero_on_bad_lines(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let payers = fixtures().join("payers.csv");
    let payers = payers.to_str().unwrap();

    // Slovenian unless the setting `language` says otherwise, as docs/import.md shows.
    let (ok, stdout, _) = eportal(&database, &["import", "payers", payers, "--dry-run"]);
    assert!(ok);
    assert!(
        stdout.contains("3 vrstice: novih 3, spremenjenih 0, nespremenjenih 0."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Preizkus: nič ni bilo shranjeno."),
        "{stdout}"
    );

    let (ok, stdout, _) = eportal(&database, &["import", "payers", payers]);
    assert!(ok);
    assert!(stdout.contains("3 vrstice: novih 3"), "{stdout}");
    let (ok, stdout, _) = eportal_in(&database, "en", &["import", "payers", payers]);
    assert!(ok);
    assert!(
        stdout.contains("3 rows: 0 new, 0 changed, 3 unchanged."),
        "{stdout}"
    );

    let broken = database.dir.path().join("broken.csv");
    std::fs::write(&broken, "payer_code;name\n900001;A\n9x;B\n900003;C\n").unwrap();
    let (ok, _, stderr) = eportal(&database, &["import", "payers", broken.to_str().unwrap()]);
    assert!(!ok, "a bad line makes the exit status non-zero");
    assert!(
        stderr.contains("Vrstica 3, stolpec payer_code: »9x« ni šifra plačnika"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nič ni bilo shranjeno (napak: 1)"),
        "{stderr}"
    );
    let (_, _, stderr) = eportal_in(
        &database,
        "en",
        &["import", "payers", broken.to_str().unwrap()],
    );
    assert!(stderr.contains("Line 3, column payer_code"), "{stderr}");
    assert!(
        stderr.contains("nothing was stored (one problem)"),
        "{stderr}"
    );

    // What is not a CSV file at all is named as what it is.
    let sheet = database.dir.path().join("payers.xlsx");
    std::fs::write(&sheet, b"PK\x03\x04\x14\0\x06\0rest of a workbook").unwrap();
    let (ok, _, stderr) = eportal(&database, &["import", "payers", sheet.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("Excelov delovni zvezek"), "{stderr}");

    let (ok, _, stderr) = eportal(&database, &["import", "nonsense", payers]);
    assert!(!ok);
    assert!(
        stderr.contains("invoice_lines"),
        "lists the kinds: {stderr}"
    );
}

/// A payers file of `count` new payers.
fn many_payers(count: u32) -> Vec<u8> {
    let mut file = String::from("payer_code;name;city\n");
    for index in 0..count {
        file.push_str(&format!("{};PLAČNIK {index};Vrhnika\n", 500_000 + index));
    }
    file.into_bytes()
}

/// Two imports of the same new rows at once (two operators, or the API and the nightly file):
/// the second waits for the first and then finds everything in place, instead of failing on
/// the unique key (as it did on PostgreSQL).
async fn two_imports_at_once_both_apply_one_after_the_other(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let file = many_payers(3_000);
    let (first, second) = tokio::join!(
        import(&db, Kind::Payers, &file, false),
        import(&db, Kind::Payers, &file, false)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.changes.inserted + second.changes.inserted, 3_000);
    assert_eq!(first.changes.unchanged + second.changes.unchanged, 3_000);
    assert_eq!(payer::Entity::find().count(&db).await.unwrap(), 3_000);
}

/// On SQLite an import that cannot get the write lock within the busy timeout (another import,
/// say) is refused with its own error, not a raw "database is locked".
#[tokio::test]
async fn an_import_blocked_too_long_on_sqlite_says_so() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let db = database.connect().await;
    let holder = database.connect().await;
    let held = eportal::store::begin_write(&holder).await.unwrap();
    let result = import(&db, Kind::Payers, &many_payers(10), false).await;
    assert!(matches!(result, Err(ImportError::Busy)), "{result:?}");
    held.rollback().await.unwrap();
    import(&db, Kind::Payers, &many_payers(10), false)
        .await
        .unwrap();
}

/// After an import that changed many rows the planner knows the tables' sizes at once.
async fn a_large_import_leaves_the_statistics_current(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    import(&db, Kind::Payers, &many_payers(2_000), false)
        .await
        .unwrap();
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'payers'"
        }
        // The first number of a table's statistics is its row count.
        _ => "SELECT CAST(stat AS INTEGER) AS n FROM sqlite_stat1 WHERE tbl = 'payers' LIMIT 1",
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .expect("statistics of payers");
    let counted: i64 = row.try_get("", "n").unwrap();
    assert_eq!(counted, 2_000);
    // Only what the import wrote: a table analysed while still empty would be planned as
    // empty (the points import after the payers slowed to hundreds of rows a second).
    if db.get_database_backend() == DbBackend::Postgres {
        let untouched = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) AS n FROM pg_stat_user_tables \
                 WHERE relname = 'point_services' AND last_analyze IS NULL",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(untouched.try_get::<i64>("", "n").unwrap(), 1);
    }
}

/// Readings of the fixtures' meter V-1001, one a day from 1 January 2000, each line (the
/// header is line 1) as `change` makes it.
fn daily_readings(count: u32, change: impl Fn(u32, String) -> String) -> Vec<u8> {
    let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut file = String::from("meter_serial;date;value\n");
    for index in 0..count {
        let line = index + 2;
        let day = first + chrono::Days::new(u64::from(index));
        let row = format!("V-1001;{};{index}", day.format("%d.%m.%Y"));
        file.push_str(&change(line, row));
        file.push('\n');
    }
    file.into_bytes()
}

/// A file longer than a batch is read a batch at a time and staged: bad values and keys
/// found twice are reported together by line, then unknown meters, and nothing is stored
/// until the file is right; then it is stored whole, and once.
async fn a_file_of_many_batches_reports_every_bad_line_in_order(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    for kind in [Kind::Payers, Kind::Prices, Kind::Points, Kind::Meters] {
        import(&db, kind, &fixture(kind), false).await.unwrap();
    }
    let stored = || async { reading::Entity::find().count(&db).await.unwrap() };
    let before = stored().await;
    let bad = daily_readings(2_500, |line, row| match line {
        1_500 => "V-1001;2.1.2004;x".to_owned(),
        2_400 => "V-1001;2000-01-10;5".to_owned(),
        _ => row,
    });
    let lines = bad_lines(import(&db, Kind::Readings, &bad, false).await);
    assert_eq!(
        lines,
        [
            (
                1_500,
                Some("value".to_owned()),
                Problem::BadNumber { text: "x".into() }
            ),
            (
                2_400,
                None,
                Problem::DuplicateKey {
                    key: "V-1001 / 10. 1. 2000 / reader".into(),
                    first_line: 11
                }
            ),
        ]
    );
    let unknown = daily_readings(2_500, |line, row| {
        if line == 2_000 {
            "V-9999;1.1.2020;1".to_owned()
        } else {
            row
        }
    });
    let lines = bad_lines(import(&db, Kind::Readings, &unknown, false).await);
    assert_eq!(
        lines,
        [(
            2_000,
            Some("meter_serial".to_owned()),
            Problem::UnknownReference {
                what: eportal::import::Reference::Meter,
                key: "V-9999".into()
            }
        )]
    );
    assert_eq!(stored().await, before, "nothing of either file was stored");

    let good = daily_readings(2_500, |_, row| row);
    let dry = import(&db, Kind::Readings, &good, true).await.unwrap();
    assert_eq!((dry.rows, dry.changes.inserted), (2_500, 2_500));
    assert_eq!(stored().await, before);
    let outcome = import(&db, Kind::Readings, &good, false).await.unwrap();
    assert_eq!((outcome.rows, outcome.changes.inserted), (2_500, 2_500));
    assert_eq!(stored().await, before + 2_500);
    let again = import(&db, Kind::Readings, &good, false).await.unwrap();
    assert_eq!(
        (again.changes.unchanged, again.changes.changed()),
        (2_500, 0)
    );
    let one_changed = daily_readings(2_500, |line, row| {
        if line == 1_000 {
            format!("{row}0")
        } else {
            row
        }
    });
    let outcome = import(&db, Kind::Readings, &one_changed, false)
        .await
        .unwrap();
    assert_eq!(
        (outcome.changes.updated, outcome.changes.unchanged),
        (1, 2_499)
    );
}

/// Values reach the database as the file has them, whatever they hold (PostgreSQL's bulk load
/// has its own escapes for these).
async fn text_with_tabs_backslashes_and_line_breaks_is_stored_exactly(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let file = "payer_code;name;street;city\n\
                800001;\"NOVAK\tANA\";\"Pot \\N 5\r\nblok B\";C:\\Vrhnika\\\n";
    import(&db, Kind::Payers, file.as_bytes(), false)
        .await
        .unwrap();
    let payer = payer::Entity::find_by_id("800001".to_owned())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(payer.name, "NOVAK\tANA");
    assert_eq!(payer.street.as_deref(), Some("Pot \\N 5\r\nblok B"));
    assert_eq!(payer.city.as_deref(), Some("C:\\Vrhnika\\"));
    assert_eq!(payer.email, None);
}

/// A preview compares the file without taking the write lock, so it runs to its end while
/// another import is being applied (it used to wait for it, and on SQLite give up).
async fn a_dry_run_waits_for_no_other_import(backend: Backend) {
    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    let holder = database.connect().await;
    let applying = eportal::store::billing::begin_import(&holder)
        .await
        .unwrap();
    let file = many_payers(100);
    let preview = import(&db, Kind::Payers, &file, true);
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), preview)
        .await
        .expect("the preview waited for the other import")
        .unwrap();
    assert_eq!(outcome.changes.inserted, 100);
    applying.rollback().await.unwrap();
}

/// Customers keep signing in (every attempt writes) while a utility's files are imported:
/// not one of them fails.
async fn portal_writes_never_fail_during_a_large_import(backend: Backend) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = TestApp::spawn(backend).await;
    let files = tempfile::tempdir().unwrap();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive();
    eportal::demo::write_files(files.path(), today, 2_000).unwrap();
    let token = app.form_token("/").await;
    let origin = format!("http://{}", app.address);
    let importing = AtomicBool::new(true);
    let import_all = async {
        for kind in Kind::ALL {
            let name = format!("{}.csv", kind.as_str());
            let file = apply::FileImport {
                kind,
                name: &name,
                source: Source::File(files.path().join(&name)),
                channel: Channel::CommandLine,
                dry_run: false,
            };
            apply::import_file(&app.db, file)
                .await
                .unwrap_or_else(|error| panic!("{name}: {error}"));
        }
        importing.store(false, Ordering::SeqCst);
    };
    let customer = |client: u32| {
        let (app, token, origin, importing) = (&app, &token, &origin, &importing);
        async move {
            let mut statuses = Vec::new();
            let mut attempt = 0;
            while importing.load(Ordering::SeqCst) {
                attempt += 1;
                let response = app
                    .client
                    .post(app.url("/"))
                    .header("origin", origin.as_str())
                    .form(&[
                        ("username", format!("9{client}{attempt:05}")),
                        ("password", "Napacno-Geslo-1".to_owned()),
                        ("csrf_token", token.clone()),
                    ])
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        }
    };
    let (_, first, second, third) = tokio::join!(import_all, customer(1), customer(2), customer(3));
    let statuses: Vec<u16> = [first, second, third].concat();
    assert!(
        statuses.len() >= 3,
        "sign-ins during the import: {}",
        statuses.len()
    );
    let failed: Vec<_> = statuses.iter().filter(|status| **status >= 500).collect();
    assert!(
        failed.is_empty(),
        "{} of {} failed",
        failed.len(),
        statuses.len()
    );
}

/// A stage's keys pass through a Bloom filter sized by the file's lines. Here it is far too
/// small for the rows, so it raises false alarms: the keys it may have seen are looked up
/// alone, and past a few thousand of them the database goes through every row. Either way a
/// false alarm is not a key twice, and a key twice is found, on the line that repeats it.
async fn keys_twice_are_found_past_the_filters_false_alarms_and_its_limit(backend: Backend) {
    use eportal::store::entity::payer;
    use eportal::store::import_session::{Duplicate, ImportSession, StagedRow};

    let database = TestDatabase::new(backend).await;
    let db = database.connect().await;
    // The rows of a file's lines from `first_line` on.
    let payers = |first_line: usize, codes: &[usize]| -> Vec<StagedRow<payer::Model>> {
        codes
            .iter()
            .enumerate()
            .map(|(index, code)| StagedRow {
                line: (first_line + index) as u64,
                model: payer::Model {
                    code: format!("P{code}"),
                    name: "NOVAK JANEZ".to_owned(),
                    street: None,
                    postal_code: None,
                    city: None,
                    tax_number: None,
                    email: None,
                    phone: None,
                    updated_at: chrono::Utc::now(),
                },
                members: Vec::new(),
            })
            .collect()
    };
    // In batches, as the import stages them, with the empty one of a run of bad lines between
    // them and at the end.
    let stage_of = |session, codes: Vec<usize>| async move {
        let session: &ImportSession = session;
        let mut stage = session.stage::<payer::Entity>(1).await.unwrap();
        let batches = codes
            .chunks(1_000)
            .enumerate()
            .flat_map(|(number, batch)| [payers(2 + number * 1_000, batch), Vec::new()]);
        stage
            .insert_all(futures::stream::iter(batches))
            .await
            .unwrap();
        stage.loaded().await.unwrap();
        assert_eq!(stage.staged_rows(), codes.len());
        stage
    };
    let session = ImportSession::open(&db).await.unwrap();
    // A 1,024-bit filter: 500 keys raise false alarms, 12,000 more than can be looked up.
    for rows in [500, 12_000] {
        let unique: Vec<usize> = (0..rows).collect();
        let stage = stage_of(&session, unique.clone()).await;
        assert_eq!(stage.duplicates().await.unwrap(), [], "{rows} rows");

        let mut repeated = unique;
        repeated.push(rows / 2);
        let stage = stage_of(&session, repeated).await;
        assert_eq!(
            stage.duplicates().await.unwrap(),
            [Duplicate {
                line: rows as u64 + 2,
                first_line: (rows / 2) as u64 + 2,
                key: format!("P{}", rows / 2),
            }],
            "{rows} rows"
        );
    }
    session.close().await;
}

//! The command line (SPEC §7): `eportal serve | migrate | demo | import | export | staff |
//! token`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::import::{self as apply, Channel, ImportError};
use crate::app::staff_admin::{self, Added, NewStaffUser};
use crate::app::{api_tokens, readings};
use crate::auth::hasher::Hasher;
use crate::auth::password::HashCost;
use crate::config::Config;
use crate::domain::api_token::Scope;
use crate::domain::staff::{
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, StaffUsername, password_length_ok,
};
use crate::i18n::{Arg, Lang};
use crate::import;
use crate::startup::{Application, shutdown_signal};
use crate::store::staff;
use crate::{store, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "eportal",
    version,
    about = "ePortal: the self-service portal of a communal utility"
)]
pub struct Cli {
    /// The configuration file (default: eportal.toml in the working directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (migrates the database first).
    Serve {
        /// Fill an empty database with the demo data and list sent mail at /demo/mail.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Fill an empty database with the demo data; or, with --payers and --out, write a
    /// utility's worth of billing files for measuring (see docs/performance.md).
    Demo {
        /// How many payers the files hold (the demo's own among them), each with ten years
        /// of readings and three years of quarterly invoices.
        #[arg(long, requires = "out", value_parser = clap::value_parser!(u64).range(1..=crate::demo::MAX_PAYERS as u64))]
        payers: Option<u64>,
        /// The folder the files are written to (made if missing).
        #[arg(long, requires = "payers", value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Import a billing file (payers, points, meters, readings, prices, invoices,
    /// invoice_lines, open_items) or a folder of invoice PDFs (invoice_pdfs).
    ///
    /// A file is stored whole or not at all; every bad line is reported and the exit status
    /// is 1. See docs/import.md for the formats.
    Import {
        /// What the file holds.
        #[arg(value_parser = import_kinds())]
        kind: String,
        /// The CSV file, or for invoice_pdfs the folder of <invoice_number>.pdf files.
        path: PathBuf,
        /// Check everything and report what would change, but store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export data for the billing system.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Manage back-office staff accounts.
    Staff {
        #[command(subcommand)]
        action: Staff,
    },
    /// Manage the billing API's tokens.
    Token {
        #[command(subcommand)]
        action: Token,
    },
}

#[derive(Debug, Subcommand)]
enum Token {
    /// Make a token and print it once (only its digest is kept).
    Create {
        /// What the token is for, e.g. the billing system's name.
        name: String,
        /// What it may do; repeat for several.
        #[arg(long = "scope", required = true, value_parser = scopes())]
        scopes: Vec<String>,
        /// Days until it expires (default: never).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(api_tokens::EXPIRY_MAX_DAYS)))]
        expires_in_days: Option<u32>,
    },
}

fn scopes() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Scope::ALL.map(Scope::as_str))
}

#[derive(Debug, Subcommand)]
enum Export {
    /// Write every submitted reading not yet exported as CSV (the readings format of
    /// docs/import.md) and mark them exported.
    Readings {
        /// The file to write (default: standard output).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum Staff {
    /// Add a staff user. The password comes from EPORTAL_STAFF_PASSWORD or a prompt.
    Add {
        username: String,
        #[arg(long, value_enum)]
        role: StaffRole,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StaffRole {
    Operator,
    Admin,
}

const INVOICE_PDFS: &str = "invoice_pdfs";

fn import_kinds() -> clap::builder::PossibleValuesParser {
    let kinds = import::Kind::ALL.iter().map(|kind| kind.as_str());
    clap::builder::PossibleValuesParser::new(kinds.chain([INVOICE_PDFS]))
}

/// `eportal demo --payers N --out DIR`: a utility's billing files, timed.
fn write_demo_files(payers: u64, dir: &std::path::Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Ljubljana)
        .date_naive();
    let payers = usize::try_from(payers)?;
    let counts = crate::demo::write_files(dir, today, payers)?;
    println!(
        "Wrote the billing files of {payers} payers to {} in {:.1} s:",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    for (kind, rows) in counts {
        println!("  {:<18} {rows:>10} rows", format!("{}.csv", kind.as_str()));
    }
    Ok(())
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("eportal: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let demo = matches!(
        cli.command,
        Command::Serve { demo: true } | Command::Demo { .. }
    );
    let config = Config::load(cli.config.as_deref(), demo)?;
    telemetry::init(config.log_format);
    match cli.command {
        Command::Serve { .. } => serve(config).await?,
        Command::Migrate => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            println!("The database schema is up to date.");
        }
        Command::Demo {
            payers: Some(payers),
            out: Some(dir),
        } => write_demo_files(payers, &dir)?,
        Command::Demo { .. } => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            if crate::demo::fill_if_empty(&db, &config).await? {
                println!("The demo data is in place.");
            } else {
                println!("The database already holds payers; the demo data was not added.");
            }
        }
        Command::Export {
            what: Export::Readings { output },
        } => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            let origin = crate::app::Origin { client_addr: None };
            let write = |file: &[u8]| match output.as_deref() {
                Some(path) => std::fs::write(path, file),
                None => std::io::Write::write_all(&mut std::io::stdout(), file),
            };
            let exported =
                readings::export(&db, (None, &origin), write, chrono::Utc::now()).await?;
            eprintln!("{} readings exported.", exported.count);
        }
        Command::Staff {
            action: Staff::Add { username, role },
        } => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            add_staff(&db, &username, role).await?;
        }
        Command::Token {
            action:
                Token::Create {
                    name,
                    scopes,
                    expires_in_days,
                },
        } => {
            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > api_tokens::NAME_MAX_CHARS {
                anyhow::bail!(
                    "a token's name has 1 to {} characters",
                    api_tokens::NAME_MAX_CHARS
                );
            }
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            let request = api_tokens::TokenRequest {
                name,
                scopes: scopes
                    .iter()
                    .filter_map(|scope| Scope::parse(scope))
                    .collect(),
                expires_in_days,
            };
            let origin = crate::app::Origin { client_addr: None };
            let created =
                api_tokens::create(&db, &origin, None, &request, chrono::Utc::now()).await?;
            println!("{}", created.token.as_str());
            eprintln!(
                "Token {} made. It is shown only now: keep it in the billing system's secrets.",
                created.id
            );
        }
        Command::Import {
            kind,
            path,
            dry_run,
        } => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            return run_import(&db, config.language, &kind, &path, dry_run).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports a file or a folder of PDFs and reports in `lang`, as the back office would.
async fn run_import(
    db: &store::Db,
    lang: Lang,
    kind: &str,
    path: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let name = path.display().to_string();
    let result = match import::Kind::parse(kind) {
        Some(kind) => {
            let file = apply::FileImport {
                kind,
                name: &name,
                source: import::Source::File(path.to_owned()),
                channel: Channel::CommandLine,
                dry_run,
            };
            apply::import_file(db, file).await
        }
        None => apply::import_invoice_pdfs(db, path, Channel::CommandLine, dry_run).await,
    };
    let count = |n: usize| Arg::from(i64::try_from(n).unwrap_or(i64::MAX));
    let file = || Arg::from(name.as_str());
    let problems = match result {
        Ok(outcome) => {
            let changes = outcome.changes;
            let stored = lang.t_with(
                "import-cli-stored",
                &[
                    ("file", file()),
                    ("rows", count(outcome.rows)),
                    ("inserted", count(changes.inserted)),
                    ("updated", count(changes.updated)),
                    ("unchanged", count(changes.unchanged)),
                    ("deleted", count(changes.deleted)),
                ],
            );
            println!("{stored}");
            if outcome.dry_run {
                println!("{}", lang.t("import-cli-dry-run"));
            }
            return Ok(ExitCode::SUCCESS);
        }
        Err(ImportError::Rejected(failure)) => import::describe(lang, &failure),
        Err(ImportError::PdfsRejected(problems)) => problems
            .iter()
            .map(|problem| problem.describe(lang))
            .collect(),
        Err(error @ ImportError::Read { .. }) => vec![error.to_string()],
        Err(ImportError::Busy) => vec![lang.t("import-cli-busy")],
        Err(error) => return Err(error.into()),
    };
    for problem in &problems {
        eprintln!("{name}: {problem}");
    }
    let refused = lang.t_with(
        "import-cli-nothing-stored",
        &[("file", file()), ("problems", count(problems.len()))],
    );
    eprintln!("{refused}");
    Ok(ExitCode::FAILURE)
}

async fn add_staff(db: &store::Db, username: &str, role: StaffRole) -> anyhow::Result<()> {
    let username = StaffUsername::parse(username)?;
    let password = match std::env::var("EPORTAL_STAFF_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let first = rpassword::prompt_password(format!("Password for {username}: "))?;
            let again = rpassword::prompt_password("The same password again: ")?;
            if first != again {
                anyhow::bail!("the two passwords differ");
            }
            first
        }
    };
    if !password_length_ok(&password) {
        anyhow::bail!(
            "a staff password has {PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters"
        );
    }
    let role = match role {
        StaffRole::Operator => staff::Role::Operator,
        StaffRole::Admin => staff::Role::Admin,
    };
    let hasher = Hasher::new(1, HashCost::Production)?;
    let origin = crate::app::Origin { client_addr: None };
    let new = NewStaffUser {
        username: username.clone(),
        role,
        password,
    };
    match staff_admin::add((db, &hasher), &origin, None, new, chrono::Utc::now()).await? {
        Added::Done(_) => {
            println!("Staff user {username} ({}) added.", role.as_str());
            Ok(())
        }
        Added::Taken => anyhow::bail!("a staff user named {username} exists already"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.test_captcha.is_some() {
        tracing::warn!(
            "EPORTAL_TEST_CAPTCHA IS SET: every CAPTCHA accepts one fixed answer. \
             This is for automated tests only; never run a public portal like this."
        );
    }
    if config.test_cheap_password_hashes {
        tracing::warn!(
            "EPORTAL_TEST_CHEAP_PASSWORD_HASHES IS SET: new password hashes take microseconds \
             to guess. This is for automated tests only; never run a public portal like this."
        );
    }
    tracing::info!(database = %config.database_url, listen = %config.listen, demo = config.demo, "starting");
    let app = Application::build(config).await?;
    app.run_until_stopped(shutdown_signal()).await
}

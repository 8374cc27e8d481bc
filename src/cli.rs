//! The command line (SPEC §7): `eportal serve | migrate | demo | import | export | staff`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::startup::{Application, shutdown_signal};
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
    /// Fill an empty database with the demo data.
    Demo,
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
    let demo = matches!(cli.command, Command::Serve { demo: true } | Command::Demo);
    let config = Config::load(cli.config.as_deref(), demo)?;
    telemetry::init(config.log_format);
    match cli.command {
        Command::Serve { .. } => serve(config).await?,
        Command::Migrate => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            println!("The database schema is up to date.");
        }
        Command::Demo => {
            let db = store::connect(&config.database_url).await?;
            store::migrate(&db).await?;
            if crate::demo::fill_if_empty(&db, &config).await? {
                println!("The demo data is in place.");
            } else {
                println!("The database already holds payers; the demo data was not added.");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.test_captcha.is_some() {
        tracing::warn!(
            "EPORTAL_TEST_CAPTCHA IS SET: every CAPTCHA accepts one fixed answer. \
             This is for automated tests only; never run a public portal like this."
        );
    }
    tracing::info!(database = %config.database_url, listen = %config.listen, demo = config.demo, "starting");
    let app = Application::build(config).await?;
    app.run_until_stopped(shutdown_signal()).await
}

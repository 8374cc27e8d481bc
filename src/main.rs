use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    eportal::cli::run().await
}

use std::process::ExitCode;

/// mimalloc instead of the system allocator: pages allocate and free many small strings on two
/// threads at once, where glibc's malloc spent a seventh of the CPU (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    eportal::cli::run().await
}

//! The `mutual` binary: parse the command line and hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = mutual::cli::Cli::parse();
    mutual::cli::run(cli).await
}

//! The `steward` command. Thin: parse arguments, run a command, map the outcome to an exit
//! code (0 clean, 1 findings at or above `--fail-on`, 2 usage, connection or IO error).

mod cli;
mod commands;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("steward: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

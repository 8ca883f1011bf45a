//! One module per command.

mod lint;
mod rules;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Rule { id } => rules::show(&id),
    }
}

/// Exit code for a finished report.
pub fn exit_code(fails: bool) -> ExitCode {
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

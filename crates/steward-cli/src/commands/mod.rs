//! One module per command.

mod advise;
mod audit;
mod backup;
mod demo;
mod explain;
mod generate;
mod lint;
mod mcp;
mod privacy;
mod rules;
mod schema_source;

use crate::cli::{Cli, Command, SelectArgs};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Advise(args) => advise::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Backup(command) => backup::run(command),
        Command::Generate(args) => generate::run(args),
        Command::Privacy(args) => privacy::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Mcp(args) => mcp::run(args),
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

/// The configuration file to use: `--config`, none with `--no-config`, else the nearest
/// steward.toml.
pub fn config_path(args: &SelectArgs) -> anyhow::Result<Option<PathBuf>> {
    if args.no_config {
        return Ok(None);
    }
    if let Some(path) = &args.config {
        return Ok(Some(path.clone()));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    Ok(steward_lint::config::Settings::discover(&cwd))
}

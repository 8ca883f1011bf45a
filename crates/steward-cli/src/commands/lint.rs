//! `steward lint`.

use crate::cli::LintArgs;
use anyhow::Context;
use std::process::ExitCode;
use steward_lint::config::{Flags, Settings};

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let config = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(path.clone())
    } else {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Settings::discover(&cwd)
    };
    let flags = Flags {
        dialect: args.dialect.clone(),
        fail_on: args.output.fail_on.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let settings = Settings::load(config.as_deref(), &flags)?;
    let report = steward_lint::lint_paths(&args.paths, &settings)?;
    let fails = crate::output::print(&report, &args.output, settings.fail_on)?;
    Ok(super::exit_code(fails))
}

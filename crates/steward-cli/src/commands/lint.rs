//! `steward lint`.

use crate::cli::LintArgs;
use std::process::ExitCode;
use steward_lint::config::{Flags, Settings};

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let config = super::config_path(&args.select)?;
    let flags = Flags {
        dialect: args.dialect.clone(),
        fail_on: args.output.fail_on.clone(),
        select: args.select.select.clone(),
        ignore: args.select.ignore.clone(),
    };
    let settings = Settings::load(config.as_deref(), &flags)?;
    let report = steward_lint::lint_paths(&args.paths, &settings)?;
    let fails = crate::output::print(&report, &args.output, settings.fail_on)?;
    Ok(super::exit_code(fails))
}

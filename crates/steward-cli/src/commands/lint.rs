//! `steward lint`.

use crate::cli::LintArgs;
use std::path::PathBuf;
use std::process::ExitCode;
use steward_lint::app_code;
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
    let mut report = match (args.paths.is_empty(), args.app_code.is_empty()) {
        (true, false) => steward_core::Report::default(),
        (true, true) => steward_lint::lint_paths(&[PathBuf::from(".")], &settings)?,
        (false, _) => steward_lint::lint_paths(&args.paths, &settings)?,
    };
    if !args.app_code.is_empty() {
        let scan = app_code::scan_paths(&args.app_code, &settings);
        if scan.files == 0 {
            let why: Vec<String> = scan
                .unreadable
                .iter()
                .map(|u| format!("{}: {}", u.path, u.reason))
                .collect();
            anyhow::bail!(
                "nothing to scan in --app-code {}{}",
                args.app_code
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                if why.is_empty() {
                    " (no source files of a known language)".to_string()
                } else {
                    format!(": {}", why.join("; "))
                }
            );
        }
        app_code::merge(&mut report, scan);
    }
    let fails = crate::output::print(&report, &args.output, settings.fail_on)?;
    Ok(super::exit_code(fails))
}

//! `steward backup create | verify | pitr-check | drill`.

use crate::cli::{BackupCommand, BackupCreateArgs, BackupVerifyArgs, PitrCheckArgs, SelectArgs};
use anyhow::Context;
use std::process::ExitCode;
use steward_backup::{CreateOptions, Manifest, Tools, VerifyOptions};
use steward_pg::connect::{Params, Safety};

pub fn run(command: BackupCommand) -> anyhow::Result<ExitCode> {
    match command {
        BackupCommand::Create(args) => create(args),
        BackupCommand::Verify(args) => verify(args),
        BackupCommand::PitrCheck(args) => pitr_check(args),
        BackupCommand::Drill => drill(),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

fn create(args: BackupCreateArgs) -> anyhow::Result<ExitCode> {
    let params = Params::resolve(&args.url, &env)?;
    let options = CreateOptions {
        out: args.out.clone(),
        jobs: args.jobs,
        globals: args.globals,
        deep: args.deep,
        tools: Tools {
            bindir: args.pg_bin,
        },
        progress: true,
        encrypt_to: args.encrypt_to.clone(),
    };
    let started = std::time::Instant::now();
    let manifest = runtime()?.block_on(steward_backup::create(&params, &options))?;
    let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    outln!(
        "steward backup: {} → {} in {:.1} s: {} tables, {rows} rows, {} sequences, {} files ({}){}",
        params,
        args.out.display(),
        started.elapsed().as_secs_f64(),
        manifest.tables.len(),
        manifest.sequences.len(),
        manifest.files.len(),
        steward_core::diagnostic::human_bytes(bytes as f64),
        match (manifest.globals, manifest.encrypted) {
            (true, true) => ", globals, encrypted",
            (true, false) => ", globals",
            (false, true) => ", encrypted",
            (false, false) => "",
        }
    );
    outln!("verify it: steward backup verify {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn verify(args: BackupVerifyArgs) -> anyhow::Result<ExitCode> {
    let scratch_conninfo = match &args.scratch_url {
        Some(url) => url.clone(),
        None => {
            let m = Manifest::read(&args.dir)?;
            format!(
                "host='{}' port={} user='{}' dbname=postgres",
                m.source.host.replace('\'', "\\'"),
                m.source.port,
                m.source.user.replace('\'', "\\'")
            )
        }
    };
    let options = VerifyOptions {
        dir: args.dir.clone(),
        scratch: Params::resolve(&scratch_conninfo, &env)?,
        jobs: args.jobs,
        deep: args.deep,
        checks: args.checks.clone(),
        with_globals: args.with_globals,
        tools: Tools {
            bindir: args.pg_bin,
        },
        identity: args.identity.clone(),
    };
    let started = std::time::Instant::now();
    let report = runtime()?.block_on(steward_backup::verify(&options))?;
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "ok": report.ok(),
                "problems": report.problems,
                "checked": report.checked,
            }))?
        );
    } else {
        for c in &report.checked {
            outln!("ok: {c}");
        }
        for p in &report.problems {
            outln!("PROBLEM: {p}");
        }
        outln!(
            "steward backup verify: {} in {:.1} s — {}",
            args.dir.display(),
            started.elapsed().as_secs_f64(),
            if report.ok() {
                "the backup restores completely".to_string()
            } else {
                format!(
                    "{} problem(s); this backup cannot be trusted",
                    report.problems.len()
                )
            }
        );
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn pitr_check(args: PitrCheckArgs) -> anyhow::Result<ExitCode> {
    let select = SelectArgs {
        select: vec![
            "pitr-not-configured".into(),
            "archive-failing".into(),
            "archive-stale".into(),
        ],
        no_config: true,
        ..SelectArgs::default()
    };
    let settings = super::audit::settings(&select, &args.output, &args.thresholds)?;
    let params = Params::resolve(&args.url, &env)?;
    let run = super::audit::audit(&params, &Safety::default(), &settings, None)?;
    let fails = crate::output::print(&run.report, &args.output, settings.fail_on)?;
    Ok(super::exit_code(fails))
}

fn drill() -> anyhow::Result<ExitCode> {
    eprintln!("steward backup drill: a throwaway cluster from this machine's PostgreSQL binaries…");
    let report = steward_backup::drill()?;
    for (step, took) in &report.steps {
        outln!("{:>7.2} s  {step}", took.as_secs_f64());
    }
    outln!(
        "recovery target {}: {} rows recovered, {} expected (the base backup alone had {})",
        report.recovery_target,
        report.recovered_rows,
        report.expected_rows,
        report.base_backup_rows
    );
    if report.ok() {
        outln!("steward backup drill: point-in-time recovery works with these binaries");
        Ok(ExitCode::SUCCESS)
    } else {
        outln!("steward backup drill: FAILED — the recovered data is not as of the target");
        Ok(ExitCode::from(1))
    }
}

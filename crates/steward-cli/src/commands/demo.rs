//! `steward demo`: a throwaway PostgreSQL from the system binaries, a sample application with
//! real problems and a short workload, then the audit of it — and everything removed again.

use crate::cli::DemoArgs;
use anyhow::Context;
use std::process::ExitCode;
use std::time::Instant;
use steward_pg::connect::{Params, Safety};
use steward_testkit::{Cluster, Options};

const SCHEMA: &str = include_str!("../../../../demo/schema.sql");
const WORKLOAD: &str = include_str!("../../../../demo/workload.sql");

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    eprintln!("steward demo: starting a throwaway PostgreSQL from the system binaries…");
    // Durable settings, so the audit judges the sample app rather than a test-speed server.
    let cluster = Cluster::start_with(&Options {
        settings: "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n".into(),
        tls: false,
    })
    .context("cannot start PostgreSQL for the demo")?;
    // Stops the server even if the demo is interrupted.
    cluster
        .watch_parent()
        .context("cannot start the clean-up watchdog")?;
    let db = cluster
        .create_database("shop")
        .context("cannot create the demo database")?;
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    for (name, sql, what) in [
        ("schema.sql", SCHEMA, "loading the sample application"),
        ("workload.sql", WORKLOAD, "running the sample workload"),
    ] {
        eprintln!("steward demo: {what}…");
        let path = dir.path().join(name);
        std::fs::write(&path, sql).with_context(|| format!("cannot write {}", path.display()))?;
        db.load_file(&path)
            .with_context(|| format!("{what} failed"))?;
    }
    eprintln!(
        "steward demo: auditing database {} (PostgreSQL {}, ready in {:.1} s)…\n",
        db.name,
        cluster.major_version(),
        started.elapsed().as_secs_f64()
    );
    let params = Params::resolve(&db.conninfo(), &|_| None)?;
    let settings = super::audit::settings(&Default::default(), &args.output, &[])?;
    let run = super::audit::audit(&params, &Safety::default(), &settings, None)?;
    crate::output::print(&run.report, &args.output, settings.fail_on)?;
    eprintln!(
        "\nsteward demo: the audit took {:.0} ms and {} round trips; the sample's sources are in demo/.",
        run.elapsed.as_secs_f64() * 1000.0,
        run.round_trips
    );
    if args.keep {
        eprintln!(
            "steward demo: the server keeps running until you press Ctrl-C:\n  psql \"{}\"\n  steward audit \"{}\"",
            db.conninfo(),
            db.conninfo()
        );
        loop {
            std::thread::park();
        }
    }
    // The demo's findings are the point; it succeeded.
    Ok(ExitCode::SUCCESS)
}

//! `steward audit`: the catalog into the model, every schema rule on it, then the live checks —
//! all inside one `READ ONLY` repeatable-read transaction that is rolled back at the end.

use crate::catalog::{self, CatalogStats};
use crate::checks::{self, CheckCtx, LiveCheck, ServerFacts, Source};
use crate::connect::Connection;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use steward_core::model::Model;
use steward_core::{Report, Severity};
use steward_rules::rule::Scope;
use tokio_postgres::error::SqlState;

/// What to run and how.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Ids of the schema rules and live checks to run.
    pub enabled: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Severity>,
    /// check id → threshold name → value (validated with [`validate_thresholds`]).
    pub thresholds: BTreeMap<String, BTreeMap<String, f64>>,
    /// Read a sample of column values for `plaintext-credential-column` (opt-in).
    pub sample: Option<crate::privacy::sample::SampleOptions>,
}

/// The audit could not run at all (exit code 2). Individual checks that cannot run are notes.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Catalog(#[from] catalog::CatalogError),
    #[error("{what} failed: {message}")]
    Query { what: String, message: String },
    #[error("{0}")]
    Config(String),
}

/// A finished audit and what it cost.
#[derive(Debug)]
pub struct AuditRun {
    pub report: Report,
    pub catalog: CatalogStats,
    /// Statements sent to the server, including BEGIN/ROLLBACK and savepoints.
    pub round_trips: usize,
    pub elapsed: Duration,
    /// Time per phase: `schema rules`, then each live check by id.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Rejects thresholds for unknown checks or names, so a typo never silently does nothing.
pub fn validate_thresholds(
    thresholds: &BTreeMap<String, BTreeMap<String, f64>>,
) -> Result<(), String> {
    for (id, values) in thresholds {
        let check = checks::find(id).ok_or_else(|| {
            format!("thresholds: `{id}` is not a live check (see `steward rules`)")
        })?;
        for name in values.keys() {
            if !check.thresholds().iter().any(|t| t.name == name) {
                let known: Vec<_> = check.thresholds().iter().map(|t| t.name).collect();
                return Err(format!(
                    "thresholds: `{id}` has no threshold `{name}` (it has: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
    }
    Ok(())
}

struct Counted<'a> {
    client: &'a tokio_postgres::Client,
    round_trips: usize,
}

impl Counted<'_> {
    async fn execute(&mut self, sql: &str, what: &str) -> Result<(), AuditError> {
        self.round_trips += 1;
        self.client
            .batch_execute(sql)
            .await
            .map_err(|e| AuditError::Query {
                what: what.to_string(),
                message: crate::error_text(&e),
            })
    }

    async fn query(
        &mut self,
        sql: &str,
    ) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        self.round_trips += 1;
        self.client.query(sql, &[]).await
    }
}

/// Runs the audit on an open connection.
pub async fn run(conn: &Connection, options: &AuditOptions) -> Result<AuditRun, AuditError> {
    validate_thresholds(&options.thresholds).map_err(AuditError::Config)?;
    let started = Instant::now();
    let mut db = Counted {
        client: &conn.client,
        round_trips: 0,
    };
    // One snapshot for the catalog; READ ONLY makes any write an error, whatever the role.
    db.execute(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "starting a read-only transaction",
    )
    .await?;
    let result = inspect(&mut db, options).await;
    // Nothing was written; rolling back also ends the snapshot.
    let rollback = db.execute("ROLLBACK", "ending the transaction").await;
    let (mut report, model, catalog, mut timings) = result?;
    rollback?;
    let credential_check =
        crate::checks::security::plaintext_credential_column::PlaintextCredentialColumn::META.id;
    if let Some(sample) = options
        .sample
        .filter(|_| options.enabled.contains(&credential_check))
    {
        // After the catalog snapshot: each table's read is its own time-boxed transaction.
        let phase = Instant::now();
        let samples = crate::privacy::sample::sample(&conn.client, &model, &sample).await;
        let tables: std::collections::BTreeSet<_> = samples.iter().map(|s| &s.table).collect();
        db.round_trips += 1 + 4 * tables.len();
        report
            .not_checked
            .retain(|note| !note.starts_with(&format!("{credential_check}:")));
        let mut skipped: Vec<String> = samples
            .iter()
            .filter_map(|s| match &s.outcome {
                crate::privacy::sample::Outcome::Skipped(why) => Some(format!(
                    "{credential_check}: {} not sampled: {why}",
                    s.table
                )),
                crate::privacy::sample::Outcome::Sampled { .. } => None,
            })
            .collect();
        skipped.dedup();
        report.not_checked.extend(skipped);
        let found = crate::checks::security::plaintext_credential_column::findings(&samples);
        for mut d in found {
            if let Some(s) = options.severity.get(d.rule) {
                d.severity = *s;
            }
            report.diagnostics.push(d);
        }
        sort_and_count(&mut report);
        timings.push((credential_check, phase.elapsed()));
    }
    let server = report.target.take().unwrap_or_default();
    report.target = Some(format!("{server} at {}", conn.params));
    Ok(AuditRun {
        report,
        catalog,
        round_trips: db.round_trips,
        elapsed: started.elapsed(),
        timings,
    })
}

type Inspected = (Report, Model, CatalogStats, Vec<(&'static str, Duration)>);

async fn inspect(db: &mut Counted<'_>, options: &AuditOptions) -> Result<Inspected, AuditError> {
    let facts_rows = db
        .query(include_str!("checks/facts.sql"))
        .await
        .map_err(|e| AuditError::Query {
            what: "reading server facts".into(),
            message: crate::error_text(&e),
        })?;
    let facts = server_facts(facts_rows.first())?;
    let (model, catalog) = catalog::read_model(db.client).await?;
    db.round_trips += catalog.queries;

    let enabled = |id: &str| options.enabled.contains(&id);
    let schema_rules: Vec<_> = steward_rules::registry::all()
        .into_iter()
        .filter(|r| {
            let m = r.meta();
            m.scope == Scope::Schema
                && m.applies_to(steward_core::Dialect::Postgres)
                && enabled(m.id)
        })
        .collect();
    let mut timings = Vec::new();
    let phase = Instant::now();
    let mut diagnostics = steward_rules::engine::run_model(&model, &schema_rules);
    timings.push(("schema rules", phase.elapsed()));

    let live: Vec<&dyn LiveCheck> = checks::all()
        .into_iter()
        .filter(|c| enabled(c.meta().id))
        .collect();
    let mut not_checked = Vec::new();
    for check in &live {
        let id = check.meta().id;
        let phase = Instant::now();
        if let Some(limitation) = check.limitation(&facts) {
            not_checked.push(format!("{id} (partly): {limitation}"));
        }
        let rows = match check.source(&facts) {
            Source::Model => Vec::new(),
            Source::Skip(reason) => {
                not_checked.push(format!("{id}: {reason}"));
                continue;
            }
            Source::Sql(sql) => {
                // A savepoint per check: a missing privilege fails that check, not the audit.
                db.execute("SAVEPOINT steward_check", "setting a savepoint")
                    .await?;
                let result = db.query(sql).await;
                // Rolling back (never releasing) also drops the locks the query took.
                db.execute(
                    "ROLLBACK TO SAVEPOINT steward_check",
                    "rolling back a savepoint",
                )
                .await?;
                match result {
                    Ok(rows) => rows,
                    Err(e) => {
                        not_checked.push(format!("{id}: {}", why_failed(&e)));
                        continue;
                    }
                }
            }
        };
        let overrides = options.thresholds.get(id);
        let ctx = CheckCtx::new(*check, &facts, &model, overrides);
        if let Err(e) = check.evaluate(&rows, &ctx, &mut diagnostics) {
            not_checked.push(format!("{id}: {e} (please report this)"));
        }
        timings.push((id, phase.elapsed()));
    }

    for d in &mut diagnostics {
        if let Some(s) = options.severity.get(d.rule) {
            d.severity = *s;
        }
    }
    let server = model.server.as_ref();
    let tables = model.tables.len();
    let target = format!(
        "database {} ({} {}, PostgreSQL {})",
        server.map_or("?", |s| s.database.as_str()),
        tables,
        if tables == 1 { "table" } else { "tables" },
        server.map_or("?", |s| s.version.as_str()),
    );
    let mut rules: Vec<_> = schema_rules.iter().map(|r| r.meta().info()).collect();
    rules.extend(live.iter().map(|c| c.meta().info()));
    let mut report = Report {
        diagnostics,
        target: Some(target),
        not_checked,
        rules,
        ..Report::default()
    };
    sort_and_count(&mut report);
    Ok((report, model, catalog, timings))
}

/// Most severe first, duplicates removed, summary counted.
fn sort_and_count(report: &mut Report) {
    report.diagnostics.sort_by(|a, b| {
        (b.severity, a.category, a.rule, &a.object)
            .cmp(&(a.severity, b.category, b.rule, &b.object))
    });
    report.diagnostics.dedup();
    let mut summary = steward_core::Summary::default();
    summary.count(&report.diagnostics);
    report.summary = summary;
}

fn server_facts(row: Option<&tokio_postgres::Row>) -> Result<ServerFacts, AuditError> {
    let row = row.ok_or_else(|| AuditError::Query {
        what: "reading server facts".into(),
        message: "no row for the current role and database".into(),
    })?;
    let bad = |e: checks::RowError| AuditError::Query {
        what: "reading server facts".into(),
        message: e.to_string(),
    };
    Ok(ServerFacts {
        version_num: checks::get::<i32>(row, "version_num").map_err(bad)? as u32,
        superuser: checks::get(row, "superuser").map_err(bad)?,
        read_all_stats: checks::get(row, "read_all_stats").map_err(bad)?,
        in_recovery: checks::get(row, "in_recovery").map_err(bad)?,
        stats_age_seconds: checks::get(row, "stats_age_seconds").map_err(bad)?,
    })
}

/// A check's query failed: say why and how to enable it.
fn why_failed(e: &tokio_postgres::Error) -> String {
    let text = crate::error_text(e);
    match e.code() {
        Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => format!(
            "permission denied ({text}); grant `pg_monitor` to the audit role, or run as the owner"
        ),
        Some(c) if *c == SqlState::UNDEFINED_TABLE || *c == SqlState::UNDEFINED_FUNCTION => {
            format!("a view or function it needs is missing ({text}); is the extension installed?")
        }
        Some(c) if *c == SqlState::QUERY_CANCELED => {
            format!("timed out ({text}); raise --statement-timeout")
        }
        _ => text,
    }
}

//! The workload from `pg_stat_statements`: statement shapes of the connected database,
//! top-level statements only (a function's inner statements are counted in its call), with
//! the window since the statistics were last reset.
//!
//! Columns are chosen by what the installed extension version has, which follows the server
//! version: `total_time` became `total_exec_time` (PostgreSQL 13, extension 1.8), `toplevel`
//! appeared in 14 (1.9, with `pg_stat_statements_info`), and `blk_read_time` became
//! `shared_blk_read_time` in 17 (1.11).

use super::{Builder, Observed, Source, SourceKind, Window, Workload, WorkloadError};
use std::collections::HashSet;
use tokio_postgres::Client;

/// Whether the extension is usable, and the fix when not.
const FACTS: &str = include_str!("sql/pgss_facts.sql");
/// Column names of the installed view.
const COLUMNS: &str = include_str!("sql/pgss_columns.sql");

/// Reads the connected database's workload from pg_stat_statements.
pub async fn read(client: &Client, described: &str) -> Result<Workload, WorkloadError> {
    let q = |e: tokio_postgres::Error| WorkloadError::Query(steward_pg::error_text(&e));
    let facts = client.query_one(FACTS, &[]).await.map_err(q)?;
    let version: i32 = facts.try_get("version_num").map_err(q)?;
    let database: String = facts.try_get("database").map_err(q)?;
    let schema: Option<String> = facts.try_get("schema").map_err(q)?;
    let preloaded: bool = facts.try_get("preloaded").map_err(q)?;
    let available: bool = facts.try_get("available").map_err(q)?;
    let Some(schema) = schema.filter(|_| preloaded) else {
        return Err(WorkloadError::StatsMissing(how_to_enable(
            &database, preloaded, available,
        )));
    };
    let view = format!("{}.pg_stat_statements", quote_ident(&schema));
    let columns: HashSet<String> = client
        .query(COLUMNS, &[&view])
        .await
        .map_err(q)?
        .iter()
        .filter_map(|r| r.try_get::<_, String>(0).ok())
        .collect();
    let sql = statements_sql(&view, &columns);
    let rows = client.query(&sql, &[]).await.map_err(q)?;
    let mut builder = Builder::default();
    for row in &rows {
        let text: Option<String> = row.try_get("query").map_err(q)?;
        let Some(text) = text else { continue };
        if text == "<insufficient privilege>" {
            builder.skipped.insufficient_privilege += 1;
            continue;
        }
        let get_i = |name: &str| -> Result<u64, WorkloadError> {
            Ok(row.try_get::<_, i64>(name).map_err(q)?.max(0) as u64)
        };
        let observed = Observed {
            calls: get_i("calls")?,
            total_ms: row.try_get::<_, f64>("total_ms").map_err(q)?,
            rows: get_i("rows")?,
            shared_blks_hit: get_i("shared_blks_hit")?,
            shared_blks_read: get_i("shared_blks_read")?,
            read_time_ms: row.try_get::<_, Option<f64>>("read_ms").map_err(q)?,
        };
        builder.record(&text, observed);
    }
    let window = window(client, &schema, &columns).await.map_err(q)?;
    let mut workload = builder.finish(
        Source {
            kind: SourceKind::PgStatStatements,
            described: described.to_string(),
            server_version: Some(version.max(0) as u32),
        },
        window.0,
    );
    workload.notes.extend(window.1);
    if !columns.contains("toplevel") {
        workload.notes.push(
            "this pg_stat_statements has no `toplevel` column (before 1.9): statements run inside functions are counted too".to_string(),
        );
    }
    if workload.skipped.insufficient_privilege > 0 {
        workload.notes.push(format!(
            "{} statement(s) of other roles were left out: their text needs pg_read_all_stats (GRANT pg_monitor TO <this role>)",
            workload.skipped.insufficient_privilege
        ));
    }
    Ok(workload)
}

/// The statistics query for the installed columns.
fn statements_sql(view: &str, columns: &HashSet<String>) -> String {
    let total = if columns.contains("total_exec_time") {
        "total_exec_time"
    } else {
        "total_time"
    };
    let read = if columns.contains("shared_blk_read_time") {
        "shared_blk_read_time"
    } else if columns.contains("blk_read_time") {
        "blk_read_time"
    } else {
        "NULL::float8"
    };
    let toplevel = if columns.contains("toplevel") {
        " AND toplevel"
    } else {
        ""
    };
    format!(
        "SELECT query, calls, {total} AS total_ms, rows, shared_blks_hit, shared_blks_read, \
         {read}::float8 AS read_ms \
         FROM {view} \
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()){toplevel} \
         ORDER BY {total} DESC"
    )
}

/// The window since the statistics were reset (`pg_stat_statements_info`, PostgreSQL 14+),
/// or since the server started; and a note when entries were evicted.
async fn window(
    client: &Client,
    schema: &str,
    columns: &HashSet<String>,
) -> Result<(Window, Vec<String>), tokio_postgres::Error> {
    let mut notes = Vec::new();
    // `toplevel` and the info view came together (1.9).
    if columns.contains("toplevel") {
        let sql = format!(
            "SELECT extract(epoch FROM now() - stats_reset)::float8 AS seconds, stats_reset::text AS since, dealloc \
             FROM {}.pg_stat_statements_info",
            quote_ident(schema)
        );
        let row = client.query_one(&sql, &[]).await?;
        let dealloc: i64 = row.try_get("dealloc")?;
        if dealloc > 0 {
            notes.push(format!(
                "pg_stat_statements evicted the least-used entries {dealloc} time(s) since the reset (pg_stat_statements.max is too small): rare statements may be missing and totals are lower bounds"
            ));
        }
        if let (Some(seconds), since) = (
            row.try_get::<_, Option<f64>>("seconds")?,
            row.try_get::<_, Option<String>>("since")?,
        ) {
            return Ok((
                Window {
                    seconds: Some(seconds),
                    since,
                    basis: "stats_reset",
                },
                notes,
            ));
        }
    }
    let row = client
        .query_one(
            "SELECT extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS seconds, pg_postmaster_start_time()::text AS since",
            &[],
        )
        .await?;
    notes.push("the statistics' reset time is unknown (pg_stat_statements before 1.9): the window is taken from the server's start".to_string());
    Ok((
        Window {
            seconds: row.try_get("seconds")?,
            since: row.try_get("since")?,
            basis: "postmaster_start",
        },
        notes,
    ))
}

/// What to do, step by step, for the state found.
pub fn how_to_enable(database: &str, preloaded: bool, available: bool) -> String {
    let mut steps = Vec::new();
    if !available {
        steps.push("install the contrib package on the server (Debian/Ubuntu: apt-get install postgresql-contrib; RHEL: postgresql-contrib)".to_string());
    }
    if !preloaded {
        steps.push("add it to shared_preload_libraries, keeping any library already listed: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; (managed services: the parameter group)".to_string());
        steps.push("restart the server (a reload is not enough)".to_string());
    }
    steps.push(format!(
        "in database {database}: CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"
    ));
    let what = if preloaded {
        format!(
            "pg_stat_statements is loaded but the extension is not created in database {database}"
        )
    } else {
        "pg_stat_statements is not in shared_preload_libraries, so the server records no query statistics".to_string()
    };
    let numbered: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("  {}. {s}", i + 1))
        .collect();
    format!(
        "{what}.\nTo enable it:\n{}\nThen let the application run for a while (a day covers daily patterns), or analyse a server log instead: steward advise --log FILE",
        numbered.join("\n")
    )
}

fn quote_ident(name: &str) -> String {
    steward_core::model::quote_ident(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_extension_version() {
        let v = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<HashSet<_>>();
        let old = statements_sql(
            "public.pg_stat_statements",
            &v(&["total_time", "blk_read_time"]),
        );
        assert!(old.contains("total_time AS total_ms"));
        assert!(!old.contains("toplevel"));
        let pg15 = statements_sql(
            "public.pg_stat_statements",
            &v(&["total_exec_time", "blk_read_time", "toplevel"]),
        );
        assert!(pg15.contains("total_exec_time AS total_ms"));
        assert!(pg15.contains("blk_read_time::float8"));
        assert!(pg15.contains("AND toplevel"));
        let pg17 = statements_sql(
            "public.pg_stat_statements",
            &v(&["total_exec_time", "shared_blk_read_time", "toplevel"]),
        );
        assert!(pg17.contains("shared_blk_read_time::float8"));
    }

    #[test]
    fn how_to_names_every_missing_step() {
        let text = how_to_enable("shop", false, true);
        assert!(text.contains("shared_preload_libraries"));
        assert!(text.contains("restart"));
        assert!(text.contains("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
        let text = how_to_enable("shop", true, true);
        assert!(!text.contains("restart"));
        assert!(text.contains("database shop"));
    }
}

use crate::checks::prelude::*;

declare_rule! {
    /// Finds server settings that risk data loss, disable maintenance, or hide problems.
    ///
    /// ## What it does
    /// Reads `pg_settings` and reports, each with its own severity:
    /// `fsync`, `full_page_writes` off, `zero_damaged_pages`, `ignore_checksum_failure` on
    /// (data loss or silent corruption after a crash); `autovacuum` or `track_counts` off (no
    /// vacuum: bloat and, eventually, wraparound); `synchronous_commit` off (recent commits
    /// lost in a crash); `wal_level = minimal` (no replicas, no point-in-time recovery);
    /// `shared_buffers` below `min-shared-buffers-mb`, `work_mem` above `max-work-mem-mb`,
    /// `max_connections` above `max-connections`; `log_lock_waits` off and
    /// `log_min_duration_statement` disabled (slow queries and lock waits leave no trace).
    ///
    /// ## Why it matters
    /// These settings are sometimes switched off for a bulk load or a benchmark and never
    /// switched back; the cost shows up only at the next crash or incident.
    ///
    /// ## Example
    /// `risky-setting: fsync is off: a crash or power loss can corrupt the whole cluster`
    ///
    /// ## Fix
    /// `ALTER SYSTEM SET fsync = on; SELECT pg_reload_conf();` — settings of context
    /// `postmaster` need a restart instead of a reload.
    pub struct RiskySetting {
        id: "risky-setting",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

/// A boolean-ish setting whose risky value is `risky`.
struct Flag {
    name: &'static str,
    risky: &'static str,
    safe: &'static str,
    severity: Severity,
    why: &'static str,
}

const FLAGS: &[Flag] = &[
    Flag { name: "fsync", risky: "off", safe: "on", severity: Severity::Error, why: "a crash or power loss can corrupt the whole cluster" },
    Flag { name: "full_page_writes", risky: "off", safe: "on", severity: Severity::Error, why: "a crash during a page write can leave torn pages that recovery cannot repair" },
    Flag { name: "zero_damaged_pages", risky: "on", safe: "off", severity: Severity::Error, why: "damaged pages are silently replaced with zeros, destroying their rows" },
    Flag { name: "ignore_checksum_failure", risky: "on", safe: "off", severity: Severity::Error, why: "corrupted pages are read as if they were fine" },
    Flag { name: "autovacuum", risky: "off", safe: "on", severity: Severity::Error, why: "dead rows are never cleaned up and rows never frozen: tables bloat and the server eventually stops to prevent wraparound" },
    Flag { name: "track_counts", risky: "off", safe: "on", severity: Severity::Error, why: "autovacuum cannot tell which tables need work, so it does nothing" },
    Flag { name: "allow_system_table_mods", risky: "on", safe: "off", severity: Severity::Warning, why: "system catalogs can be changed directly, which can break the database" },
    Flag { name: "synchronous_commit", risky: "off", safe: "on", severity: Severity::Info, why: "a crash loses the last moments of commits that clients were told had succeeded" },
    Flag { name: "wal_level", risky: "minimal", safe: "replica", severity: Severity::Warning, why: "no streaming replicas and no point-in-time recovery are possible" },
    Flag { name: "log_lock_waits", risky: "off", safe: "on", severity: Severity::Info, why: "lock waits longer than deadlock_timeout leave no trace in the log" },
    Flag { name: "log_min_duration_statement", risky: "-1", safe: "1000", severity: Severity::Info, why: "slow statements are never logged, so there is no record of them after an incident" },
];

impl LiveCheck for RiskySetting {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[
            Threshold {
                name: "min-shared-buffers-mb",
                default: 128.0,
                unit: "MB",
                doc: "smallest reasonable shared_buffers",
            },
            Threshold {
                name: "max-work-mem-mb",
                default: 1024.0,
                unit: "MB",
                doc: "largest reasonable server-wide work_mem (each sort or hash of each query may use it)",
            },
            Threshold {
                name: "max-connections",
                default: 1000.0,
                unit: "connections",
                doc: "largest reasonable max_connections without a pooler",
            },
        ]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("risky_setting.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for row in rows {
            let name: String = get(row, "name")?;
            let setting: String = get(row, "setting")?;
            let unit: String = get(row, "unit")?;
            let context: String = get(row, "context")?;
            let apply = if context == "postmaster" {
                "-- takes effect after a restart"
            } else {
                "SELECT pg_reload_conf();"
            };
            if let Some(flag) = FLAGS.iter().find(|f| f.name == name) {
                if !setting.eq_ignore_ascii_case(flag.risky) {
                    continue;
                }
                let mut d = ctx
                    .meta
                    .diag(format!("{name} is {setting}: {}", flag.why))
                    .object(name.clone())
                    .help("Such settings are often changed for a bulk load or a benchmark and never changed back. Restore the safe value unless this server's data is truly disposable.")
                    .fix(format!("ALTER SYSTEM SET {name} = '{}';\n{apply}", flag.safe));
                d.severity = flag.severity;
                out.push(d);
                continue;
            }
            let Ok(value) = setting.parse::<f64>() else {
                continue;
            };
            // pg_settings reports memory in units of `unit` (8kB pages, kB).
            let mb = match unit.as_str() {
                "8kB" => value * 8.0 / 1024.0,
                "kB" => value / 1024.0,
                "MB" => value,
                _ => value,
            };
            let finding = match name.as_str() {
                "shared_buffers" if mb < ctx.threshold("min-shared-buffers-mb") => Some((
                    format!("shared_buffers is only {mb:.0} MB: most reads miss the database's own cache"),
                    mb,
                    ctx.threshold("min-shared-buffers-mb"),
                    "MB",
                    "ALTER SYSTEM SET shared_buffers = '1GB';  -- about 25% of RAM\n-- takes effect after a restart".to_string(),
                )),
                "work_mem" if mb > ctx.threshold("max-work-mem-mb") => Some((
                    format!("work_mem is {mb:.0} MB server-wide: every sort and hash of every query may use that much, and many at once can exhaust memory"),
                    mb,
                    ctx.threshold("max-work-mem-mb"),
                    "MB",
                    format!("ALTER SYSTEM SET work_mem = '64MB';  -- raise it per role or query where needed\n{apply}"),
                )),
                "max_connections" if value > ctx.threshold("max-connections") => Some((
                    format!("max_connections is {value:.0}: each connection is a process with its own memory; use a pooler"),
                    value,
                    ctx.threshold("max-connections"),
                    "connections",
                    "-- put PgBouncer (transaction mode) in front, then lower it:\nALTER SYSTEM SET max_connections = 200;\n-- takes effect after a restart".to_string(),
                )),
                _ => None,
            };
            if let Some((message, value, threshold, unit, fix)) = finding {
                out.push(
                    ctx.meta
                        .diag(message)
                        .object(name)
                        .measured(value, threshold, unit)
                        .help("A sizing setting far from what the server needs; adjust it to the machine's memory and the workload.")
                        .fix(fix),
                );
            }
        }
        Ok(())
    }
}

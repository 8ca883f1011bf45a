//! `steward audit [URL]`.

use crate::cli::{AuditArgs, OutputArgs, SafetyArgs, SampleArgs, SelectArgs};
use anyhow::{bail, Context};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;
use steward_lint::config::{lint_rules, Flags, Settings};
use steward_pg::audit::AuditOptions;
use steward_pg::connect::{self, Params, Safety};
use steward_pg::privacy::sample::SampleOptions;

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(&args.select, &args.output, &args.thresholds)?;
    let safety = safety(&args.safety)?;
    let params = Params::resolve(&args.url, &|k| std::env::var(k).ok())?;
    let sample = sample_options(&args.sample)?;
    let run = audit(&params, &safety, &settings, sample)?;
    let fails = crate::output::print(&run.report, &args.output, settings.fail_on)?;
    Ok(super::exit_code(fails))
}

/// Connects and audits (on a small runtime of its own: the CLI is otherwise synchronous).
pub fn audit(
    params: &Params,
    safety: &Safety,
    settings: &Settings,
    sample: Option<SampleOptions>,
) -> anyhow::Result<steward_pg::audit::AuditRun> {
    let options = AuditOptions {
        enabled: settings.enabled.clone(),
        severity: settings.severity.clone(),
        thresholds: settings.thresholds.clone(),
        sample,
    };
    super::schema_source::runtime()?.block_on(async {
        let conn = connect::connect(params, safety).await?;
        Ok(steward_pg::audit::run(&conn, &options).await?)
    })
}

/// Settings over lint's rules and the live checks, with `--threshold` flags applied.
pub fn settings(
    select: &SelectArgs,
    output: &OutputArgs,
    thresholds: &[String],
) -> anyhow::Result<Settings> {
    let config = super::config_path(select)?;
    let flags = Flags {
        dialect: None,
        fail_on: output.fail_on.clone(),
        select: select.select.clone(),
        ignore: select.ignore.clone(),
    };
    let mut known = lint_rules();
    known.extend(steward_pg::checks::all().into_iter().map(|c| c.meta()));
    let mut settings = Settings::load_for(config.as_deref(), &flags, known)?;
    for t in thresholds {
        let (key, value) = t
            .split_once('=')
            .with_context(|| format!("--threshold `{t}`: expected CHECK.NAME=VALUE"))?;
        let (check, name) = key
            .split_once('.')
            .with_context(|| format!("--threshold `{t}`: expected CHECK.NAME=VALUE"))?;
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .with_context(|| format!("--threshold `{t}`: `{value}` is not a number"))?;
        settings
            .thresholds
            .entry(check.trim().to_string())
            .or_insert_with(BTreeMap::new)
            .insert(name.trim().to_string(), value);
    }
    steward_pg::audit::validate_thresholds(&settings.thresholds).map_err(anyhow::Error::msg)?;
    Ok(settings)
}

pub fn safety(args: &SafetyArgs) -> anyhow::Result<Safety> {
    Ok(Safety {
        statement_timeout: duration(&args.statement_timeout, "--statement-timeout")?,
        lock_timeout: duration(&args.lock_timeout, "--lock-timeout")?,
        idle_in_transaction_timeout: duration(&args.idle_timeout, "--idle-timeout")?,
        read_only: true,
    })
}

/// `--sample N` and its time boxes, when given.
pub fn sample_options(args: &SampleArgs) -> anyhow::Result<Option<SampleOptions>> {
    let Some(rows) = args.sample else {
        return Ok(None);
    };
    Ok(Some(SampleOptions {
        rows,
        per_table: duration(&args.sample_timeout, "--sample-timeout")?,
        total: duration(&args.sample_budget, "--sample-budget")?,
    }))
}

/// `500ms`, `30s`, `2min`, `1h`; a bare number is milliseconds, as in PostgreSQL.
fn duration(text: &str, flag: &str) -> anyhow::Result<Duration> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let Ok(n) = number.parse::<f64>() else {
        bail!("{flag} `{text}`: expected a duration such as 500ms, 30s or 2min");
    };
    let ms = match unit.trim() {
        "" | "ms" => n,
        "s" => n * 1e3,
        "min" | "m" => n * 60e3,
        "h" => n * 3600e3,
        other => bail!("{flag} `{text}`: unknown unit `{other}` (ms, s, min, h)"),
    };
    if ms < 1.0 {
        bail!("{flag} `{text}`: must be at least 1ms (0 would disable the limit)");
    }
    Ok(Duration::from_millis(ms as u64))
}

#[cfg(test)]
mod tests {
    use super::duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(duration("30s", "x").unwrap(), Duration::from_secs(30));
        assert_eq!(duration("500ms", "x").unwrap(), Duration::from_millis(500));
        assert_eq!(duration("2min", "x").unwrap(), Duration::from_secs(120));
        assert_eq!(duration("250", "x").unwrap(), Duration::from_millis(250));
        assert!(duration("0", "x").is_err());
        assert!(duration("fast", "x").is_err());
        assert!(duration("3 days", "x").is_err());
    }
}

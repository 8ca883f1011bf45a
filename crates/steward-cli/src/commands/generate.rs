//! `steward generate PATTERN`.

use super::schema_source;
use crate::cli::{GenerateArgs, PatternArg};
use anyhow::{bail, Context};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;
use steward_generate::{Options, Pattern};
use steward_pg::connect::{self, Params, Safety};

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let loaded = schema_source::load(&args.source, &args.safety)?;
    let options = Options {
        tables: args.tables.clone(),
        role_prefix: args.role_prefix.clone(),
        tenant_column: args.tenant_column.clone(),
        subject_table: args.subject_table.clone(),
        redact: args.redact.clone(),
        keep: args.keep.clone(),
        delete_trigger: args.delete_trigger,
        retain: retain(&args.retain)?,
        server_major: loaded.model.server.as_ref().map(|s| s.version_num / 10000),
    };
    let script = steward_generate::generate(pattern(args.pattern), &loaded.model, &options)?;
    let text = script.render();
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print_text(&text)?,
    }
    let Some(url) = &args.apply else {
        return Ok(ExitCode::SUCCESS);
    };
    let params = Params::resolve(url, &|k| std::env::var(k).ok())?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!("not applied: confirm with --yes when there is no terminal to ask on");
        }
        eprint!("Apply this to {params}? [y/N] ");
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .context("cannot read the answer")?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            eprintln!("steward: not applied");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let safety = Safety {
        statement_timeout: Duration::from_secs(600),
        lock_timeout: Duration::from_secs(5),
        idle_in_transaction_timeout: Duration::from_secs(60),
        // This command exists to change the database, and says so before it does.
        read_only: false,
    };
    let applied = schema_source::runtime()?.block_on(async {
        let mut conn = connect::connect(&params, &safety).await?;
        anyhow::Ok(steward_generate::apply(&mut conn, &script).await?)
    })?;
    eprintln!(
        "steward: applied {} statement(s) to {params}: {} transaction(s), {} concurrent index build(s)",
        applied.statements, applied.transactions, applied.concurrent
    );
    Ok(ExitCode::SUCCESS)
}

fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub fn pattern(arg: PatternArg) -> Pattern {
    match arg {
        PatternArg::AuditTrail => Pattern::AuditTrail,
        PatternArg::SoftDelete => Pattern::SoftDelete,
        PatternArg::UpdatedAt => Pattern::UpdatedAt,
        PatternArg::Rls => Pattern::Rls,
        PatternArg::Roles => Pattern::Roles,
        PatternArg::Consent => Pattern::Consent,
        PatternArg::Erasure => Pattern::Erasure,
    }
}

/// `table=reason` pairs.
pub fn retain(items: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((t, r)) if !t.trim().is_empty() && !r.trim().is_empty() => {
                Ok((t.trim().to_string(), r.trim().to_string()))
            }
            _ => {
                bail!("--retain `{item}`: expected TABLE=REASON, e.g. payment='tax law: 10 years'")
            }
        })
        .collect()
}

//! `steward explain [URL] SQL|FILE`.

use crate::cli::{ExplainArgs, ExplainFormat};
use anyhow::Context;
use std::io::Read;
use std::process::ExitCode;
use steward_advise::explain::{explain_statement, render_text, ExplainOptions};
use steward_pg::connect::{self, Params};

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (url, target) = match args.args.as_slice() {
        [target] => ("", target.as_str()),
        [url, target] => (url.as_str(), target.as_str()),
        _ => anyhow::bail!("expected `steward explain [URL] SQL|FILE`"),
    };
    let sql = statement_text(target)?;
    let safety = super::audit::safety(&args.safety)?;
    let params = Params::resolve(url, &|k| std::env::var(k).ok())?;
    let options = ExplainOptions {
        analyze: args.analyze,
        allow_writes: args.allow_writes,
    };
    let report = super::schema_source::runtime()?.block_on(async {
        let conn = connect::connect(&params, &safety).await?;
        anyhow::Ok(explain_statement(&conn.client, &sql, &options).await?)
    })?;
    match args.format {
        ExplainFormat::Text => out!("{}", render_text(&report)),
        ExplainFormat::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(ExitCode::SUCCESS)
}

/// The statement: stdin for `-`, a file's contents when the argument names a file, else the
/// argument itself.
fn statement_text(target: &str) -> anyhow::Result<String> {
    if target == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("could not read stdin")?;
        return Ok(s);
    }
    let path = std::path::Path::new(target);
    let looks_like_sql = target.contains(char::is_whitespace);
    if !looks_like_sql && path.is_file() {
        return std::fs::read_to_string(path)
            .with_context(|| format!("could not read {}", path.display()));
    }
    if !looks_like_sql && (target.ends_with(".sql") || target.contains('/')) {
        anyhow::bail!("could not read {target}: no such file");
    }
    Ok(target.to_string())
}

//! `steward rules` and `steward rule ID`.

use crate::cli::RulesArgs;
use std::process::ExitCode;
use steward_rules::rule::{RuleMeta, Scope};

/// Every rule and live check, by category then id.
fn all() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = steward_rules::registry::all()
        .into_iter()
        .map(|r| r.meta())
        .collect();
    all.extend(steward_pg::checks::all().into_iter().map(|c| c.meta()));
    all.sort_by_key(|m| (m.category, m.id));
    all
}

pub fn list(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let rules = all();
    if args.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id,
                    "category": m.category.as_str(),
                    "severity": m.severity.as_str(),
                    "dialects": m.dialects.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
                    "default_enabled": m.default_enabled,
                    "live_only": m.scope == Scope::Live,
                    "summary": m.summary.trim(),
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut category = None;
    for m in rules {
        if category != Some(m.category) {
            outln!("\n{}:", m.category);
            category = Some(m.category);
        }
        let off = match (m.default_enabled, m.scope == Scope::Live) {
            (false, _) => " (off by default)",
            (true, true) => " (audit only)",
            (true, false) => "",
        };
        outln!(
            "  {:<34} {:<8} {}{off}",
            m.id,
            m.severity.as_str(),
            m.summary.trim()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(id: &str) -> anyhow::Result<ExitCode> {
    let Some(m) = all().into_iter().find(|m| m.id == id) else {
        anyhow::bail!("unknown rule `{id}` (see `steward rules`)");
    };
    outln!("# {}\n", m.id);
    outln!(
        "category: {} · default severity: {} · dialects: {}{}\n",
        m.category,
        m.severity,
        m.dialects
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if m.default_enabled {
            ""
        } else {
            " · off by default"
        }
    );
    if let Some(check) = steward_pg::checks::find(m.id) {
        outln!("A live check of `steward audit`.");
        for t in check.thresholds() {
            outln!(
                "threshold `{}` = {} {} — {} (`--threshold {}.{}=…`)",
                t.name,
                t.default,
                t.unit,
                t.doc,
                m.id,
                t.name
            );
        }
        outln!();
    }
    outln!("{}", steward_rules::rule::docs_text(m.docs));
    Ok(ExitCode::SUCCESS)
}

//! `steward rules` and `steward rule ID`.

use crate::cli::RulesArgs;
use std::process::ExitCode;

pub fn list(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let rules = steward_rules::registry::all();
    if args.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id,
                    "category": m.category.as_str(),
                    "severity": m.severity.as_str(),
                    "dialects": m.dialects.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
                    "default_enabled": m.default_enabled,
                    "summary": m.summary.trim(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut category = None;
    for r in rules {
        let m = r.meta();
        if category != Some(m.category) {
            println!("\n{}:", m.category);
            category = Some(m.category);
        }
        let off = if m.default_enabled {
            ""
        } else {
            " (off by default)"
        };
        println!(
            "  {:<34} {:<8} {}{off}",
            m.id,
            m.severity.as_str(),
            m.summary.trim()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(id: &str) -> anyhow::Result<ExitCode> {
    let Some(rule) = steward_rules::registry::find(id) else {
        anyhow::bail!("unknown rule `{id}` (see `steward rules`)");
    };
    let m = rule.meta();
    println!("# {}\n", m.id);
    println!(
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
    println!("{}", steward_rules::rule::docs_text(m.docs));
    Ok(ExitCode::SUCCESS)
}

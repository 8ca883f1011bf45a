//! `steward privacy …`.

use super::schema_source;
use crate::cli::{ErasurePlanArgs, PlanFormat, PrivacyCommand};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_generate::Options;
use steward_pg::connect;

pub fn run(command: PrivacyCommand) -> anyhow::Result<ExitCode> {
    match command {
        PrivacyCommand::ErasurePlan(args) => erasure_plan(args),
    }
}

fn erasure_plan(args: ErasurePlanArgs) -> anyhow::Result<ExitCode> {
    let loaded = schema_source::load(&args.source, &args.safety)?;
    let options = Options {
        subject_table: args.subject_table.clone(),
        retain: super::generate::retain(&args.retain)?,
        ..Options::default()
    };
    let model = &loaded.model;
    let plan = steward_generate::erasure_plan(model, &options)?;
    let counts: Vec<Option<i64>> = match (&args.subject_id, &loaded.params) {
        (None, _) => vec![None; plan.entries.len()],
        (Some(_), None) => {
            bail!("--subject-id counts rows in a live database: give its URL instead of --schema")
        }
        (Some(id), Some(params)) => {
            let safety = super::audit::safety(&args.safety)?;
            schema_source::runtime()?.block_on(async {
                let conn = connect::connect(params, &safety).await?;
                let mut counts = Vec::new();
                for entry in &plan.entries {
                    let count = match plan.count_sql(model, entry) {
                        Some(sql) => {
                            let row = conn
                                .client
                                .query_one(&sql, &[id])
                                .await
                                .with_context(|| format!("counting rows of {}", entry.table))?;
                            Some(row.get::<_, i64>(0))
                        }
                        None => None,
                    };
                    counts.push(count);
                }
                anyhow::Ok(counts)
            })?
        }
    };
    match args.format {
        PlanFormat::Text => {
            println!(
                "Erasure plan for one row of {} (key {}), read from {}:",
                plan.subject, plan.subject_key, loaded.described
            );
            for (entry, count) in plan.entries.iter().zip(&counts) {
                let rows = count.map_or_else(String::new, |c| format!(" — {c} row(s)"));
                println!("\n  {}: {}{rows}", entry.table, entry.action.label());
                for path in entry.path_text() {
                    println!("    via {path}");
                }
                if !entry.personal.is_empty() {
                    println!("    personal data: {}", entry.personal.join(", "));
                }
            }
            for note in &plan.notes {
                println!("\n  note: {note}");
            }
            println!("\nGenerate the function with: steward generate erasure");
        }
        PlanFormat::Json => {
            let entries: Vec<serde_json::Value> = plan
                .entries
                .iter()
                .zip(&counts)
                .map(|(e, c)| {
                    serde_json::json!({
                        "table": e.table.to_string(),
                        "action": e.action.label(),
                        "paths": e.path_text(),
                        "personal_columns": e.personal,
                        "rows": c,
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "subject_table": plan.subject.to_string(),
                "subject_key": plan.subject_key,
                "entries": entries,
                "notes": plan.notes,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

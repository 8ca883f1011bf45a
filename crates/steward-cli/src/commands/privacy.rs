//! `steward privacy …`.

use super::schema_source;
use crate::cli::{
    ErasurePlanArgs, InventoryArgs, InventoryFormat, PlanFormat, PrivacyArgs, PrivacyCommand,
};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_generate::Options;
use steward_pg::connect;
use steward_rules::rules::privacy::inventory::Entry;
use steward_rules::rules::privacy::pii::{PiiClass, Protection};

pub fn run(args: PrivacyArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(PrivacyCommand::ErasurePlan(plan)) => erasure_plan(plan),
        None => inventory(args.inventory),
    }
}

/// One row of the inventory, as printed.
struct Row {
    entry: Entry,
    /// Roles that can read the column (live only).
    access: Option<steward_pg::privacy::ColumnAccess>,
}

fn inventory(args: InventoryArgs) -> anyhow::Result<ExitCode> {
    let loaded = schema_source::load(&args.source, &args.safety)?;
    let entries = steward_rules::rules::privacy::inventory::inventory(&loaded.model);
    let access = match &loaded.params {
        None => vec![None; entries.len()],
        Some(params) => {
            let safety = super::audit::safety(&args.safety)?;
            let columns: Vec<(String, String, String)> = entries
                .iter()
                .map(|e| {
                    (
                        e.table.schema.clone(),
                        e.table.name.clone(),
                        e.column.clone(),
                    )
                })
                .collect();
            schema_source::runtime()?.block_on(async {
                let conn = connect::connect(params, &safety).await?;
                let access = steward_pg::privacy::column_access(&conn.client, &columns)
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("reading privileges: {}", steward_pg::error_text(&e))
                    })?;
                anyhow::Ok(access.into_iter().map(Some).collect())
            })?
        }
    };
    let rows: Vec<Row> = entries
        .into_iter()
        .zip(access)
        .map(|(entry, access)| Row { entry, access })
        .collect();
    let text = match args.format {
        InventoryFormat::Text => inventory_text(&rows, &loaded.described),
        InventoryFormat::Json => inventory_json(&rows, &loaded.described)?,
        InventoryFormat::Csv => inventory_csv(&rows),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn access_text(access: &Option<steward_pg::privacy::ColumnAccess>) -> String {
    match access {
        None => "unknown (read from files)".to_string(),
        Some(a) if a.public => "PUBLIC (every role)".to_string(),
        Some(a) if a.readers.is_empty() => "superusers only".to_string(),
        Some(a) => a.readers.join(" "),
    }
}

fn inventory_text(rows: &[Row], described: &str) -> String {
    let mut out =
        format!("Personal data in {described} (names, types and comments; no value was read):\n");
    let mut table = None;
    for row in rows {
        let e = &row.entry;
        if table != Some(&e.table) {
            out.push_str(&format!(
                "\n  {} (row-level security: {})\n",
                e.table, e.rls
            ));
            table = Some(&e.table);
        }
        out.push_str(&format!(
            "    {:<24} {:<32} {:<10} {} confidence, by {}\n",
            e.column,
            format!("{} ({})", e.kind.label(), e.class.as_str()),
            e.protection.as_str(),
            e.confidence.as_str(),
            e.evidence
        ));
        if row.access.is_some() {
            out.push_str(&format!(
                "      readable by: {}\n",
                access_text(&row.access)
            ));
        }
        if let Some(copied) = &e.copied {
            out.push_str(&format!("      {copied}\n"));
        }
    }
    let tables: std::collections::BTreeSet<_> = rows.iter().map(|r| &r.entry.table).collect();
    let plaintext_secrets = rows
        .iter()
        .filter(|r| r.entry.class == PiiClass::Secret && r.entry.protection == Protection::None)
        .count();
    out.push_str(&format!(
        "\nsteward: {} column(s) with personal data in {} table(s); {} special-category, {} secret ({plaintext_secrets} stored in plaintext)\n",
        rows.len(),
        tables.len(),
        rows.iter().filter(|r| r.entry.class == PiiClass::Special).count(),
        rows.iter().filter(|r| r.entry.class == PiiClass::Secret).count(),
    ));
    out
}

fn inventory_json(rows: &[Row], described: &str) -> anyhow::Result<String> {
    let columns: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            serde_json::json!({
                "schema": e.table.schema,
                "table": e.table.name,
                "column": e.column,
                "type": e.data_type,
                "category": e.kind.label(),
                "class": e.class.as_str(),
                "protection": e.protection.as_str(),
                "confidence": e.confidence.as_str(),
                "evidence": e.evidence,
                "row_level_security": e.rls,
                "copied": e.copied,
                "readable_by": r.access.as_ref().map(|a| &a.readers),
                "public": r.access.as_ref().map(|a| a.public),
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&serde_json::json!({
        "target": described,
        "values_read": false,
        "columns": columns,
    }))? + "\n")
}

/// RFC 4180: quote every field, double the quotes inside.
fn inventory_csv(rows: &[Row]) -> String {
    let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("schema,table,column,type,category,class,protection,confidence,evidence,row_level_security,readable_by,copied\n");
    for r in rows {
        let e = &r.entry;
        let cells = [
            e.table.schema.as_str(),
            e.table.name.as_str(),
            e.column.as_str(),
            e.data_type.as_str(),
            e.kind.label(),
            e.class.as_str(),
            e.protection.as_str(),
            e.confidence.as_str(),
            e.evidence,
            e.rls,
            &access_text(&r.access),
            e.copied.as_deref().unwrap_or(""),
        ];
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
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

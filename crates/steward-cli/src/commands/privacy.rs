//! `steward privacy …`.

use super::schema_source;
use crate::cli::{
    ErasurePlanArgs, InventoryArgs, InventoryFormat, PlanFormat, PrivacyArgs, PrivacyCommand,
};
use anyhow::{bail, Context};
use std::process::ExitCode;
use steward_core::model::Model;
use steward_core::Diagnostic;
use steward_generate::Options;
use steward_pg::checks::security::plaintext_credential_column;
use steward_pg::connect;
use steward_pg::privacy::sample::{self, ColumnSample, Outcome};
use steward_privacy::ValueFinding;
use steward_rules::rules::privacy::inventory::{self, Confidence, Entry};
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
    /// What `--sample` found in its values (never the values).
    sampled: Option<Outcome>,
}

/// The inventory and what sampling added.
struct Inventory {
    rows: Vec<Row>,
    /// `plaintext-credential-column` findings (only with `--sample`).
    findings: Vec<Diagnostic>,
    /// Rows read per table, when sampling.
    sample_rows: Option<u32>,
}

fn inventory(args: InventoryArgs) -> anyhow::Result<ExitCode> {
    let sample = super::audit::sample_options(&args.sample)?;
    if sample.is_some() && !args.source.schema.is_empty() {
        bail!("--sample reads column values, so it needs a database URL, not --schema files");
    }
    let loaded = schema_source::load(&args.source, &args.safety)?;
    let model = &loaded.model;
    let mut inv = Inventory {
        rows: steward_rules::rules::privacy::inventory::inventory(model)
            .into_iter()
            .map(|entry| Row {
                entry,
                access: None,
                sampled: None,
            })
            .collect(),
        findings: Vec::new(),
        sample_rows: sample.map(|s| s.rows),
    };
    if let Some(params) = &loaded.params {
        let safety = super::audit::safety(&args.safety)?;
        schema_source::runtime()?.block_on(async {
            let conn = connect::connect(params, &safety).await?;
            if let Some(options) = &sample {
                let samples = sample::sample(&conn.client, model, options).await;
                inv.findings = plaintext_credential_column::findings(&samples);
                merge_samples(model, &mut inv.rows, samples);
            }
            let columns: Vec<(String, String, String)> = inv
                .rows
                .iter()
                .map(|r| {
                    let e = &r.entry;
                    (
                        e.table.schema.clone(),
                        e.table.name.clone(),
                        e.column.clone(),
                    )
                })
                .collect();
            let access = steward_pg::privacy::column_access(&conn.client, &columns)
                .await
                .map_err(|e| {
                    anyhow::anyhow!("reading privileges: {}", steward_pg::error_text(&e))
                })?;
            for (row, access) in inv.rows.iter_mut().zip(access) {
                row.access = Some(access);
            }
            anyhow::Ok(())
        })?;
    }
    let text = match args.format {
        InventoryFormat::Text => inventory_text(&inv, &loaded.described),
        InventoryFormat::Json => inventory_json(&inv, &loaded.described)?,
        InventoryFormat::Csv => inventory_csv(&inv.rows),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => out!("{text}"),
    }
    // The CSV has no place for findings, and a file may not be read at once: say it here.
    if args.output.is_some() || matches!(args.format, InventoryFormat::Csv) {
        for d in &inv.findings {
            eprintln!("steward: {} {}: {}", d.severity.as_str(), d.rule, d.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Attaches sampled findings to the inventory: values decide the protection of columns found
/// by name (a `password_hash` column of plaintext passwords is plaintext), and columns whose
/// values alone show personal data join the inventory, in table and column order.
fn merge_samples(model: &Model, rows: &mut Vec<Row>, samples: Vec<ColumnSample>) {
    for s in samples {
        let found =
            |f: &&ValueFinding| f.confidence >= sample::MIN_CONFIDENCE && f.json_path.is_none();
        match rows
            .iter_mut()
            .find(|r| r.entry.table == s.table && r.entry.column == s.column)
        {
            Some(row) => {
                if let Outcome::Sampled { findings, .. } = &s.outcome {
                    // The most exposed form seen decides (a half-masked column is plaintext).
                    if let Some(p) = findings
                        .iter()
                        .filter(found)
                        .map(|f| f.protection)
                        .min_by_key(|p| exposure(*p))
                    {
                        row.entry.protection = sample::protection_of(p);
                    }
                }
                row.sampled = Some(s.outcome);
            }
            None => {
                let Outcome::Sampled { findings, .. } = &s.outcome else {
                    continue;
                };
                let Some((finding, pii)) = findings
                    .iter()
                    .filter(|f| f.confidence >= sample::MIN_CONFIDENCE)
                    .find_map(|f| sample::pii_of(f.kind, f.protection).map(|p| (f, p)))
                else {
                    continue;
                };
                let Some(table) = model.tables.get(&s.table) else {
                    continue;
                };
                let Some(column) = table.columns.iter().find(|c| c.name == s.column) else {
                    continue;
                };
                let confidence = if finding.confidence >= 0.8 {
                    Confidence::High
                } else {
                    Confidence::Medium
                };
                rows.push(Row {
                    entry: inventory::entry(
                        model,
                        table,
                        column,
                        pii,
                        confidence,
                        "sampled values",
                    ),
                    access: None,
                    sampled: Some(s.outcome),
                });
            }
        }
    }
    let position = |r: &Row| {
        let t = model
            .tables
            .get_index_of(&r.entry.table)
            .unwrap_or(usize::MAX);
        let c = model
            .tables
            .get(&r.entry.table)
            .and_then(|t| t.columns.iter().position(|c| c.name == r.entry.column))
            .unwrap_or(usize::MAX);
        (t, c)
    };
    rows.sort_by_key(position);
}

/// Lower is more exposed.
fn exposure(p: steward_privacy::Protection) -> u8 {
    match p {
        steward_privacy::Protection::Plaintext => 0,
        steward_privacy::Protection::Masked => 1,
        steward_privacy::Protection::Hashed => 2,
        steward_privacy::Protection::Encrypted => 3,
    }
}

/// What sampling says about one column, in words and counts.
fn sampled_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Skipped(why) => format!("not sampled: {why}"),
        Outcome::Sampled { rows, findings } if findings.is_empty() => {
            format!("no validator matched in {rows} sampled row(s)")
        }
        Outcome::Sampled { findings, .. } => findings
            .iter()
            .map(|f| {
                format!(
                    "{}{} {} ({} of {} by {}, confidence {:.2})",
                    f.kind.label(),
                    f.json_path
                        .as_ref()
                        .map_or_else(String::new, |p| format!(" at {p}")),
                    f.protection.label(),
                    f.evidence.matched,
                    f.evidence.non_null,
                    f.evidence.validator,
                    f.confidence
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn sampled_json(outcome: &Outcome) -> serde_json::Value {
    match outcome {
        Outcome::Skipped(why) => serde_json::json!({ "skipped": why }),
        Outcome::Sampled { rows, findings } => serde_json::json!({
            "rows": rows,
            "findings": findings.iter().map(|f| serde_json::json!({
                "kind": f.kind.id(),
                "protection": f.protection.id(),
                "confidence": f.confidence,
                "validator": f.evidence.validator,
                "matched": f.evidence.matched,
                "non_null": f.evidence.non_null,
                "json_path": f.json_path,
            })).collect::<Vec<_>>(),
        }),
    }
}

fn access_text(access: &Option<steward_pg::privacy::ColumnAccess>) -> String {
    match access {
        None => "unknown (read from files)".to_string(),
        Some(a) if a.public => "PUBLIC (every role)".to_string(),
        Some(a) if a.readers.is_empty() => "superusers only".to_string(),
        Some(a) => a.readers.join(" "),
    }
}

fn inventory_text(inv: &Inventory, described: &str) -> String {
    let rows = &inv.rows;
    let mut out = match inv.sample_rows {
        None => format!(
            "Personal data in {described} (names, types and comments; no value was read):\n"
        ),
        Some(n) => format!(
            "Personal data in {described} (names, types, comments and up to {n} sampled rows per table; no value is shown):\n"
        ),
    };
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
        if let Some(sampled) = &row.sampled {
            out.push_str(&format!("      values: {}\n", sampled_text(sampled)));
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
    for d in &inv.findings {
        out.push_str(&format!(
            "{} {}: {}\n",
            d.severity.as_str(),
            d.rule,
            d.message
        ));
    }
    out
}

fn inventory_json(inv: &Inventory, described: &str) -> anyhow::Result<String> {
    let columns: Vec<serde_json::Value> = inv
        .rows
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
                "sampled": r.sampled.as_ref().map(sampled_json),
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&serde_json::json!({
        "target": described,
        "values_read": inv.sample_rows.is_some(),
        "sample_rows_per_table": inv.sample_rows,
        "columns": columns,
        "diagnostics": inv.findings,
    }))? + "\n")
}

/// RFC 4180: quote every field, double the quotes inside.
fn inventory_csv(rows: &[Row]) -> String {
    let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("schema,table,column,type,category,class,protection,confidence,evidence,row_level_security,readable_by,copied,sampled_values\n");
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
            &r.sampled.as_ref().map(sampled_text).unwrap_or_default(),
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
            outln!(
                "Erasure plan for one row of {} (key {}), read from {}:",
                plan.subject,
                plan.subject_key,
                loaded.described
            );
            for (entry, count) in plan.entries.iter().zip(&counts) {
                let rows = count.map_or_else(String::new, |c| format!(" — {c} row(s)"));
                outln!("\n  {}: {}{rows}", entry.table, entry.action.label());
                for path in entry.path_text() {
                    outln!("    via {path}");
                }
                if !entry.personal.is_empty() {
                    outln!("    personal data: {}", entry.personal.join(", "));
                }
            }
            for note in &plan.notes {
                outln!("\n  note: {note}");
            }
            outln!("\nGenerate the function with: steward generate erasure");
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
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

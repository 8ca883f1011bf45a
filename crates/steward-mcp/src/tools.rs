//! The tools, defined in one place: [`definitions`] is the list the server advertises and
//! [`call`] dispatches on it. `top_queries` and `advise_indexes` (from steward-advise) are
//! added here — a definition and a match arm — when that crate is ready.
//!
//! Every tool reads through the [`Executor`] (read-only transaction, rolled back) and returns
//! structured JSON plus a one-line summary for the model.

use crate::executor::{ExecError, Executor};
use crate::readonly::{self, Kind, Policy, Refusal};
use serde::Deserialize;
use serde_json::{json, Value};
use steward_core::Category;
use steward_lint::config::Settings;

/// What a tool call produced.
#[derive(Debug, Clone)]
pub struct Output {
    /// One or two lines for the model.
    pub summary: String,
    pub structured: Value,
}

/// Why a tool call failed (returned to the model as a tool error, not a protocol error).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ToolError {
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Exec(#[from] ExecError),
    #[error("invalid arguments: {0}")]
    Arguments(String),
    #[error("unknown tool `{0}`")]
    Unknown(String),
}

/// Server-wide options the tools depend on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub allow_analyze: bool,
}

/// A tool's advertised definition.
#[derive(Debug, Clone)]
pub struct Definition {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub input_schema: Value,
}

/// Every tool this server offers.
pub fn definitions(options: Options) -> Vec<Definition> {
    let object = |properties: Value, required: &[&str]| json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
    let sql = json!({"type": "string", "description": "One PostgreSQL statement."});
    vec![
        Definition {
            name: "list_schemas",
            title: "List schemas",
            description: "List the database's schemas (system schemas excluded) with their owner, number of tables and total size. Start here.",
            input_schema: object(json!({}), &[]),
        },
        Definition {
            name: "describe_schema",
            title: "Describe a schema",
            description: "Tables of one schema with columns (type, nullability, default), primary, unique and foreign keys, indexes, estimated rows and sizes.",
            input_schema: object(
                json!({"schema": {"type": "string", "description": "Schema name (default: public)."},
                       "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "At most this many tables (default 200)."}}),
                &[],
            ),
        },
        Definition {
            name: "describe_table",
            title: "Describe a table",
            description: "One table or view in detail: columns, keys, check constraints, indexes with definitions, triggers, comments, estimated rows and sizes.",
            input_schema: object(
                json!({"table": {"type": "string", "description": "Table name, optionally schema-qualified (schema.table)."}}),
                &["table"],
            ),
        },
        Definition {
            name: "lint_sql",
            title: "Lint SQL",
            description: "Run steward's rules on SQL text (migrations, queries, DDL) without touching the database: missing indexes, blocking migrations, SELECT *, secrets in code and more. Each finding has a message, why it matters and often a fix.",
            input_schema: object(
                json!({"sql": {"type": "string", "description": "SQL text, one or more statements."},
                       "dialect": {"type": "string", "enum": ["postgres", "tsql", "auto"], "description": "SQL dialect (default postgres)."}}),
                &["sql"],
            ),
        },
        Definition {
            name: "audit_database",
            title: "Audit the database",
            description: "Audit the live database: schema rules plus health, index, security, privacy and backup checks, each with the measured figure and a fix.",
            input_schema: object(
                json!({"category": {"type": "string", "description": "Only findings of this category: correctness, integrity, performance, security, privacy, migration, style, health, backup."}}),
                &[],
            ),
        },
        Definition {
            name: "explain_query",
            title: "Explain a query",
            description: if options.allow_analyze {
                "Show PostgreSQL's plan for a read-only query (EXPLAIN FORMAT JSON). analyze=true runs the query (read-only, rolled back) for actual times."
            } else {
                "Show PostgreSQL's plan for a read-only query (EXPLAIN FORMAT JSON). The query is planned, not run (this server does not allow ANALYZE)."
            },
            input_schema: object(
                json!({"sql": sql, "analyze": {"type": "boolean", "description": "Run it for actual row counts and times (only when the server allows it)."}}),
                &["sql"],
            ),
        },
        Definition {
            name: "privacy_inventory",
            title: "Personal-data inventory",
            description: "Where personal data is: columns classified by name, type and comment, how they are protected, row-level security and which roles can read them. Never reads a value.",
            input_schema: object(json!({}), &[]),
        },
        Definition {
            name: "run_readonly_query",
            title: "Run a read-only query",
            description: "Run one read-only query (SELECT, WITH, VALUES, TABLE, SHOW) and get columns and rows. Only built-in side-effect-free functions are allowed; results are capped (rows, bytes, time) and say when truncated. Add LIMIT and select only the columns you need.",
            input_schema: object(
                json!({"sql": sql, "max_rows": {"type": "integer", "minimum": 1, "description": "Row cap for this call (the server's cap is the maximum)."}}),
                &["sql"],
            ),
        },
    ]
}

/// Runs tool `name` with `arguments`.
pub async fn call(
    executor: &Executor,
    options: Options,
    name: &str,
    arguments: Value,
) -> Result<Output, ToolError> {
    match name {
        "list_schemas" => list_schemas(executor).await,
        "describe_schema" => describe_schema(executor, args(arguments)?).await,
        "describe_table" => describe_table(executor, args(arguments)?).await,
        "lint_sql" => lint_sql(args(arguments)?),
        "audit_database" => audit_database(executor, args(arguments)?).await,
        "explain_query" => explain_query(executor, options, args(arguments)?).await,
        "privacy_inventory" => privacy_inventory(executor).await,
        "run_readonly_query" => run_readonly_query(executor, options, args(arguments)?).await,
        other => Err(ToolError::Unknown(crate::redact::clip(other, 64))),
    }
}

fn args<T: serde::de::DeserializeOwned>(arguments: Value) -> Result<T, ToolError> {
    let arguments = if arguments.is_null() {
        json!({})
    } else {
        arguments
    };
    // serde's messages name the field, not its value.
    serde_json::from_value(arguments).map_err(|e| ToolError::Arguments(e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaArgs {
    schema: Option<String>,
    limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableArgs {
    table: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LintArgs {
    sql: String,
    dialect: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditArgs {
    category: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainArgs {
    sql: String,
    analyze: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryArgs {
    sql: String,
    max_rows: Option<u64>,
}

/// Runs one of our own catalog queries (a fixed text, parameters bound) and returns the rows
/// as JSON objects: each query returns one `json` column.
async fn catalog_json(
    executor: &Executor,
    sql: &'static str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<Value>, ToolError> {
    let rows = executor
        .in_transaction(sql, async |tx| tx.query(sql, params).await)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<_, Value>(0).ok())
        .collect())
}

async fn list_schemas(executor: &Executor) -> Result<Output, ToolError> {
    let schemas = catalog_json(executor, include_str!("sql/schemas.sql"), &[]).await?;
    let names: Vec<&str> = schemas
        .iter()
        .filter_map(|s| s.get("name").and_then(Value::as_str))
        .collect();
    Ok(Output {
        summary: format!("{} schema(s): {}", names.len(), names.join(", ")),
        structured: json!({ "schemas": schemas }),
    })
}

async fn describe_schema(executor: &Executor, a: SchemaArgs) -> Result<Output, ToolError> {
    let schema = a.schema.unwrap_or_else(|| "public".to_string());
    let limit = i64::from(a.limit.unwrap_or(200).clamp(1, 1000));
    let tables = catalog_json(
        executor,
        include_str!("sql/tables.sql"),
        &[&schema, &Option::<String>::None, &limit],
    )
    .await?;
    let total: i64 = tables
        .first()
        .and_then(|t| t.get("total_in_schema"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let truncated = total > tables.len() as i64;
    Ok(Output {
        summary: format!(
            "schema {schema}: {} table(s) and view(s){}",
            tables.len(),
            if truncated {
                format!(" (of {total}; raise limit for more)")
            } else {
                String::new()
            }
        ),
        structured: json!({ "schema": schema, "tables": tables, "truncated": truncated }),
    })
}

async fn describe_table(executor: &Executor, a: TableArgs) -> Result<Output, ToolError> {
    let (schema, table) = match a.table.split_once('.') {
        Some((s, t)) => (Some(s.trim_matches('"').to_string()), t.trim_matches('"')),
        None => (None, a.table.trim_matches('"')),
    };
    let table = table.to_string();
    let found = catalog_json(
        executor,
        include_str!("sql/tables.sql"),
        &[&schema, &Some(table.clone()), &1000i64],
    )
    .await?;
    match found.as_slice() {
        [] => Err(ToolError::Arguments(format!(
            "no table or view named `{}` (use list_schemas and describe_schema)",
            crate::redact::clip(&a.table, 128)
        ))),
        [one] => Ok(Output {
            summary: format!(
                "{}.{}: {} column(s), {} index(es), about {} row(s)",
                one["schema"].as_str().unwrap_or_default(),
                one["name"].as_str().unwrap_or_default(),
                one["columns"].as_array().map_or(0, Vec::len),
                one["indexes"].as_array().map_or(0, Vec::len),
                one["rows_estimate"]
            ),
            structured: one.clone(),
        }),
        many => Err(ToolError::Arguments(format!(
            "`{}` exists in {} schemas; qualify it (schema.table)",
            crate::redact::clip(&a.table, 128),
            many.len()
        ))),
    }
}

fn lint_sql(a: LintArgs) -> Result<Output, ToolError> {
    let dialect = match a.dialect.as_deref().unwrap_or("postgres") {
        "postgres" | "postgresql" => Some(steward_core::Dialect::Postgres),
        "tsql" | "mssql" => Some(steward_core::Dialect::Tsql),
        "auto" => None,
        other => {
            return Err(ToolError::Arguments(format!(
                "dialect `{}`: use postgres, tsql or auto",
                crate::redact::clip(other, 32)
            )))
        }
    };
    let mut settings = Settings::defaults();
    settings.dialect = dialect;
    let source = steward_core::SourceFile::new("input.sql", a.sql);
    let report = steward_lint::lint_sources(vec![source], &settings);
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule, "category": d.category.as_str(), "severity": d.severity.as_str(),
                "line": d.location.as_ref().map(|l| l.span.start.line),
                "column": d.location.as_ref().map(|l| l.span.start.column),
                "object": d.object, "message": d.message, "help": d.help, "fix": d.fix,
            })
        })
        .collect();
    let s = &report.summary;
    Ok(Output {
        summary: format!(
            "{} statement(s), {} not analysed: {} error(s), {} warning(s), {} info",
            s.statements, s.unparsed, s.errors, s.warnings, s.infos
        ),
        structured: json!({
            "diagnostics": diagnostics,
            "summary": {"statements": s.statements, "unparsed": s.unparsed, "errors": s.errors, "warnings": s.warnings, "infos": s.infos},
        }),
    })
}

async fn audit_database(executor: &Executor, a: AuditArgs) -> Result<Output, ToolError> {
    let category = match &a.category {
        None => None,
        Some(c) => Some(
            c.parse::<Category>()
                .map_err(|e| ToolError::Arguments(crate::redact::clip(&e, 100)))?,
        ),
    };
    let mut known = steward_lint::config::lint_rules();
    known.extend(steward_pg::checks::all().into_iter().map(|c| c.meta()));
    let settings = Settings::defaults_for(known);
    let options = steward_pg::audit::AuditOptions {
        enabled: settings.enabled,
        severity: settings.severity,
        thresholds: Default::default(),
        // Sampling reads values; the agent gets the schema and live checks only.
        sample: None,
    };
    let run = executor
        .with_connection(async |conn| steward_pg::audit::run(conn, &options).await)
        .await?
        .map_err(|e| {
            ToolError::Exec(ExecError::Connection(crate::redact::redact_message(
                &e.to_string(),
            )))
        })?;
    let report = run.report;
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| category.is_none_or(|c| d.category == c))
        .map(|d| {
            json!({
                "rule": d.rule, "category": d.category.as_str(), "severity": d.severity.as_str(),
                "object": d.object, "message": d.message, "help": d.help, "fix": d.fix,
                "measured": d.measured.as_ref().map(|m| json!({"value": m.value, "threshold": m.threshold, "unit": m.unit})),
            })
        })
        .collect();
    let count = |sev: &str| diagnostics.iter().filter(|d| d["severity"] == sev).count();
    let not_checked = &report.not_checked;
    Ok(Output {
        summary: format!(
            "{} finding(s){}: {} error(s), {} warning(s), {} info; {} check(s) could not run",
            diagnostics.len(),
            a.category
                .as_ref()
                .map(|c| format!(" in {c}"))
                .unwrap_or_default(),
            count("error"),
            count("warning"),
            count("info"),
            not_checked.len()
        ),
        structured: json!({"diagnostics": diagnostics, "not_checked": not_checked}),
    })
}

async fn explain_query(
    executor: &Executor,
    options: Options,
    a: ExplainArgs,
) -> Result<Output, ToolError> {
    let analyze = a.analyze.unwrap_or(false);
    if analyze && !options.allow_analyze {
        return Err(Refusal::ExplainAnalyze.into());
    }
    let checked = readonly::validate(
        &a.sql,
        Policy {
            allow_analyze: options.allow_analyze,
        },
    )?;
    if checked.kind != Kind::Query {
        return Err(Refusal::ExplainOfNonQuery.into());
    }
    let text = format!(
        "EXPLAIN (FORMAT JSON{}) {}",
        if analyze { ", ANALYZE" } else { "" },
        checked.sql
    );
    // The composed statement is validated as a whole too.
    let composed = readonly::validate(
        &text,
        Policy {
            allow_analyze: options.allow_analyze,
        },
    )?;
    let result = executor.run(&composed.sql, 1).await?;
    let plan = match result.rows.first().and_then(|r| r.first()) {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let top = &plan[0]["Plan"];
    Ok(Output {
        summary: format!(
            "top node {} — estimated cost {}, rows {}{}",
            top["Node Type"].as_str().unwrap_or("?"),
            top["Total Cost"],
            top["Plan Rows"],
            if analyze {
                format!(", actual time {} ms", top["Actual Total Time"])
            } else {
                String::new()
            }
        ),
        structured: json!({"plan": plan, "analyzed": analyze}),
    })
}

async fn privacy_inventory(executor: &Executor) -> Result<Output, ToolError> {
    let (model, access) = executor
        .in_transaction("", async |tx| {
            let model = steward_pg::catalog::read_model(tx).await;
            let Ok((model, _)) = model else {
                return Ok(Err(model.err().map(|e| e.to_string()).unwrap_or_default()));
            };
            let entries = steward_rules::rules::privacy::inventory::inventory(&model);
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
            let access = steward_pg::privacy::column_access(tx, &columns).await?;
            Ok(Ok((entries, access)))
        })
        .await?
        .map_err(|m| ToolError::Exec(ExecError::Connection(crate::redact::redact_message(&m))))?;
    let columns: Vec<Value> = model
        .iter()
        .zip(&access)
        .map(|(e, a)| {
            json!({
                "schema": e.table.schema, "table": e.table.name, "column": e.column,
                "type": e.data_type, "category": e.kind.label(), "class": e.class.as_str(),
                "protection": e.protection.as_str(), "confidence": e.confidence.as_str(),
                "evidence": e.evidence, "row_level_security": e.rls, "copied": e.copied,
                "readable_by": a.readers, "public": a.public,
            })
        })
        .collect();
    let tables: std::collections::BTreeSet<String> = model
        .iter()
        .map(|e| format!("{}.{}", e.table.schema, e.table.name))
        .collect();
    Ok(Output {
        summary: format!(
            "{} column(s) with personal data in {} table(s) (classified by name, type and comment; no value was read)",
            columns.len(),
            tables.len()
        ),
        structured: json!({"columns": columns}),
    })
}

async fn run_readonly_query(
    executor: &Executor,
    options: Options,
    a: QueryArgs,
) -> Result<Output, ToolError> {
    let checked = readonly::validate(
        &a.sql,
        Policy {
            allow_analyze: options.allow_analyze,
        },
    )?;
    let max_rows = a
        .max_rows
        .map_or(executor.limits.max_rows, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        })
        .min(executor.limits.max_rows);
    let result = executor.run(&checked.sql, max_rows).await?;
    let summary = format!(
        "{} row(s), {} column(s){} in {:.1} ms",
        result.rows.len(),
        result.columns.len(),
        match result.truncated_by {
            Some("rows") => format!(" — truncated at the row cap ({max_rows})"),
            Some(_) => format!(
                " — truncated at the byte cap ({} bytes)",
                executor.limits.max_bytes
            ),
            None => String::new(),
        },
        result.elapsed_ms
    );
    Ok(Output {
        summary,
        structured: serde_json::to_value(&result).unwrap_or(Value::Null),
    })
}

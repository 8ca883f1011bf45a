//! Value sampling for `--sample N`: reads up to N rows of each table's text-like, JSON,
//! binary, network, date and timestamp columns, classifies them with `steward-privacy`'s validators and
//! drops the values in this function. Only findings (kind, protection, confidence, counts)
//! leave it; no value is returned, logged or put in an error.
//!
//! Every read is its own `BEGIN READ ONLY` transaction with `SET LOCAL statement_timeout`
//! (the per-table time box) that is always rolled back, takes only AccessShareLock, and uses
//! the extended protocol. Large tables are read with `TABLESAMPLE SYSTEM` (block sampling,
//! no full scan); small ones with `LIMIT`. A table the role cannot read, or that does not
//! answer within the time box, is reported as not sampled, with the reason.

use std::time::{Duration, Instant};
use steward_core::model::{Column, Model, QualName, Table, TableKind, TypeFamily};
use steward_privacy::{ValueFinding, ValueKind};
use steward_rules::rules::privacy::inventory;
use steward_rules::rules::privacy::pii::{self, Pii, PiiKind};
use tokio_postgres::Client;

/// How much to read.
#[derive(Debug, Clone, Copy)]
pub struct SampleOptions {
    /// Rows per table.
    pub rows: u32,
    /// Time box for one table's read.
    pub per_table: Duration,
    /// Time box for the whole sampling; tables after it are reported as not sampled.
    pub total: Duration,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            rows: 100,
            per_table: Duration::from_secs(5),
            total: Duration::from_secs(120),
        }
    }
}

/// What sampling found in one column.
#[derive(Debug, Clone)]
pub struct ColumnSample {
    pub table: QualName,
    pub column: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// `rows` rows were read; the findings may be empty.
    Sampled {
        rows: usize,
        findings: Vec<ValueFinding>,
    },
    /// Not read, and why (permission denied, time box, foreign table).
    Skipped(String),
}

/// Lowest confidence at which sampled values alone put a column in the inventory (the
/// validators' weak shapes stay below it without a supporting name).
pub const MIN_CONFIDENCE: f64 = 0.6;

/// The inventory's kind for a value finding; `None` for encrypted values, which say how data
/// is protected but not what it is.
pub fn pii_of(kind: ValueKind, protection: steward_privacy::Protection) -> Option<Pii> {
    let kind = match kind {
        ValueKind::CardNumber => PiiKind::CardNumber,
        ValueKind::Iban => PiiKind::BankAccount,
        ValueKind::Ssn => PiiKind::NationalId,
        ValueKind::Phone => PiiKind::Phone,
        ValueKind::Email => PiiKind::Email,
        ValueKind::IpAddress => PiiKind::IpAddress,
        ValueKind::Jwt | ValueKind::GenericToken => PiiKind::Token,
        ValueKind::ApiKey => PiiKind::ApiKey,
        ValueKind::PasswordHash | ValueKind::PlaintextPassword => PiiKind::Password,
        ValueKind::BirthDate => PiiKind::BirthDate,
        ValueKind::Encrypted => return None,
    };
    Some(Pii {
        kind,
        class: kind.class(),
        protection: protection_of(protection),
    })
}

/// The inventory's protection for a value finding's.
pub fn protection_of(p: steward_privacy::Protection) -> pii::Protection {
    match p {
        steward_privacy::Protection::Plaintext => pii::Protection::None,
        steward_privacy::Protection::Hashed => pii::Protection::Hashed,
        steward_privacy::Protection::Encrypted => pii::Protection::Encrypted,
        steward_privacy::Protection::Masked => pii::Protection::Masked,
    }
}

/// Longest prefix of a value that is read: the validators look at 64 KiB at most, and a value
/// longer than that is only checked for an encryption header.
const MAX_VALUE_CHARS: u32 = 65 * 1024;

/// Samples every candidate column of every table in the model, in model order.
pub async fn sample(client: &Client, model: &Model, options: &SampleOptions) -> Vec<ColumnSample> {
    let started = Instant::now();
    let today = server_today(client).await;
    let mut out = Vec::new();
    for table in model.tables.values().filter(|t| inventory::covers(t)) {
        let columns: Vec<&Column> = table.columns.iter().filter(|c| sampled_type(c)).collect();
        if columns.is_empty() {
            continue;
        }
        let outcome = if table.kind == TableKind::Foreign {
            Err("foreign table: reading it would query the remote server".to_string())
        } else if started.elapsed() >= options.total {
            Err(format!(
                "the sampling time box ({} s) was spent on earlier tables",
                options.total.as_secs()
            ))
        } else {
            match today {
                Some(today) => sample_table(client, table, &columns, options, today).await,
                None => Err("could not read the server's current date".to_string()),
            }
        };
        match outcome {
            Ok((rows, per_column)) => {
                for (column, findings) in columns.iter().zip(per_column) {
                    out.push(ColumnSample {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        outcome: Outcome::Sampled { rows, findings },
                    });
                }
            }
            Err(reason) => out.extend(columns.iter().map(|c| ColumnSample {
                table: table.name.clone(),
                column: c.name.clone(),
                outcome: Outcome::Skipped(reason.clone()),
            })),
        }
    }
    out
}

/// Columns whose values can hold personal data or secrets as text: strings, JSON, `bytea`
/// (encryption headers), `inet`/`cidr`, dates and timestamps (birth dates are often stored
/// at midnight), and `citext`. Numbers are left
/// out: ids and amounts would drown the few card numbers stored as `numeric`.
fn sampled_type(column: &Column) -> bool {
    column.data_type.as_ref().is_some_and(|t| {
        matches!(
            t.family,
            TypeFamily::Text
                | TypeFamily::Json
                | TypeFamily::Binary
                | TypeFamily::Network
                | TypeFamily::Date
                | TypeFamily::Timestamp { .. }
        ) || t.base == "citext"
    })
}

/// The date for the birth-date age check, from the server (this crate never reads the clock
/// for a verdict).
async fn server_today(client: &Client) -> Option<(i32, u32, u32)> {
    let row = client
        .query_one(
            "SELECT extract(year FROM current_date)::int4, extract(month FROM current_date)::int4, extract(day FROM current_date)::int4",
            &[],
        )
        .await
        .ok()?;
    let (y, m, d): (i32, i32, i32) = (
        row.try_get(0).ok()?,
        row.try_get(1).ok()?,
        row.try_get(2).ok()?,
    );
    Some((y, u32::try_from(m).ok()?, u32::try_from(d).ok()?))
}

type TableFindings = (usize, Vec<Vec<ValueFinding>>);

async fn sample_table(
    client: &Client,
    table: &Table,
    columns: &[&Column],
    options: &SampleOptions,
    today: (i32, u32, u32),
) -> Result<TableFindings, String> {
    let sql = select_sql(table, columns, options.rows);
    let failed = |e: tokio_postgres::Error| match e.code() {
        Some(c) if *c == tokio_postgres::error::SqlState::QUERY_CANCELED => format!(
            "no answer within the {} ms time box",
            options.per_table.as_millis()
        ),
        _ => crate::error_text(&e),
    };
    client
        .batch_execute("BEGIN READ ONLY")
        .await
        .map_err(failed)?;
    let read = async {
        client
            .batch_execute(&format!(
                "SET LOCAL statement_timeout = {}",
                options.per_table.as_millis().max(1)
            ))
            .await?;
        client.query(&sql, &[]).await
    }
    .await;
    // Nothing was written; the rollback ends the snapshot and releases the lock.
    let rollback = client.batch_execute("ROLLBACK").await;
    let rows = read.map_err(failed)?;
    rollback.map_err(failed)?;

    let mut per_column = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let values: Vec<Option<String>> = rows
            .iter()
            .map(|r| r.try_get::<_, Option<String>>(i).ok().flatten())
            .collect();
        let refs: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        per_column.push(steward_privacy::classify_column(&column.name, &refs, today));
    }
    Ok((rows.len(), per_column))
}

/// `SELECT left(c::text, …) … FROM t [TABLESAMPLE SYSTEM (p)] LIMIT n`, with every name
/// quoted. Block sampling for tables estimated at more than ten times the sample, reading
/// about five times the sample's worth of blocks so the LIMIT is usually met.
fn select_sql(table: &Table, columns: &[&Column], rows: u32) -> String {
    let list: Vec<String> = columns
        .iter()
        .map(|c| format!("left({}::text, {MAX_VALUE_CHARS})", quoted(&c.name)))
        .collect();
    let estimated = table.stats.as_ref().map_or(-1.0, |s| s.estimated_rows);
    let sampling = if estimated > 10.0 * f64::from(rows) {
        let percent = (500.0 * f64::from(rows) / estimated).clamp(0.0001, 100.0);
        format!(" TABLESAMPLE SYSTEM ({percent:.6})")
    } else {
        String::new()
    };
    format!(
        "SELECT {} FROM {}.{}{sampling} LIMIT {rows}",
        list.join(", "),
        quoted(&table.name.schema),
        quoted(&table.name.name)
    )
}

/// Always quoted: names come from the catalog and may contain anything.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::model::{ColumnType, TableStats};

    fn table(rows: f64) -> Table {
        Table {
            name: QualName::new("app", "we\"ird"),
            stats: Some(TableStats {
                estimated_rows: rows,
                ..TableStats::default()
            }),
            ..Table::default()
        }
    }

    fn column(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: Some(ColumnType::parse(ty)),
            ..Column::default()
        }
    }

    #[test]
    fn small_tables_are_read_with_limit_and_large_ones_sampled_by_block() {
        let c = column("e\"mail", "text");
        assert_eq!(
            select_sql(&table(500.0), &[&c], 100),
            "SELECT left(\"e\"\"mail\"::text, 66560) FROM \"app\".\"we\"\"ird\" LIMIT 100"
        );
        let sql = select_sql(&table(1_000_000.0), &[&c], 100);
        assert!(
            sql.ends_with(" TABLESAMPLE SYSTEM (0.050000) LIMIT 100"),
            "{sql}"
        );
    }

    #[test]
    fn only_types_that_can_hold_personal_text_are_sampled() {
        for ty in [
            "text",
            "character varying(40)",
            "jsonb",
            "bytea",
            "inet",
            "date",
            "text[]",
        ] {
            assert!(sampled_type(&column("c", ty)), "{ty}");
        }
        for ty in [
            "integer",
            "bigint",
            "numeric(10,2)",
            "boolean",
            "uuid",
            "interval",
        ] {
            assert!(!sampled_type(&column("c", ty)), "{ty}");
        }
    }
}

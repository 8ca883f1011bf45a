//! Column statistics from `pg_stats` (selectivity for column order, representative values for
//! parameters) and table write rates from `pg_stat_user_tables`.

use std::collections::HashMap;
use steward_core::model::QualName;
use tokio_postgres::GenericClient;

/// What `pg_stats` says about one column.
#[derive(Debug, Clone, Default)]
pub struct ColumnStats {
    /// `format_type` of the column, for typed literals.
    pub type_name: String,
    pub null_frac: f64,
    /// Distinct values (absolute, already multiplied out when pg_stats gives a fraction).
    pub distinct: f64,
    /// Most common values (text form) and their frequencies.
    pub mcv: Vec<String>,
    pub mcf: Vec<f64>,
    /// Histogram bounds (text form, ascending).
    pub histogram: Vec<String>,
    /// Whether pg_stats had a row (the table was analysed and the role may read it).
    pub analysed: bool,
}

impl ColumnStats {
    /// Fraction of rows one equality lookup returns, on average over lookups of typical
    /// (non-most-common) values — what `col = $1` costs for most callers.
    pub fn equality_selectivity(&self) -> f64 {
        if !self.analysed || self.distinct <= 0.0 {
            // Unknown: PostgreSQL's default for equality.
            return 0.005;
        }
        let mcv_total: f64 = self.mcf.iter().sum();
        let rest = self.distinct - self.mcv.len() as f64;
        if rest >= 1.0 && mcv_total < 1.0 {
            (1.0 - mcv_total - self.null_frac).max(0.0) / rest
        } else {
            // Every value is a common one: their mean frequency.
            (mcv_total / self.mcv.len().max(1) as f64).max(1.0 / self.distinct)
        }
    }
}

/// Key: (schema, table, column) in the catalog's spelling.
pub type StatsMap = HashMap<(String, String, String), ColumnStats>;

pub fn key(table: &QualName, column: &str) -> (String, String, String) {
    (table.schema.clone(), table.name.clone(), column.to_string())
}

/// Looks a column up, falling back to a case-insensitive match.
pub fn lookup<'m>(stats: &'m StatsMap, table: &QualName, column: &str) -> Option<&'m ColumnStats> {
    stats.get(&key(table, column)).or_else(|| {
        stats.iter().find_map(|((s, t, c), v)| {
            (*s == table.schema && *t == table.name && c.eq_ignore_ascii_case(column)).then_some(v)
        })
    })
}

/// Reads the statistics of every column of `tables` in one query.
pub async fn read(
    client: &impl GenericClient,
    tables: &[QualName],
) -> Result<StatsMap, tokio_postgres::Error> {
    let schemas: Vec<&str> = tables.iter().map(|t| t.schema.as_str()).collect();
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let rows = client
        .query(include_str!("sql/column_stats.sql"), &[&schemas, &names])
        .await?;
    let mut out = StatsMap::new();
    for row in rows {
        let schema: String = row.try_get("schema")?;
        let table: String = row.try_get("table_name")?;
        let column: String = row.try_get("column_name")?;
        let reltuples: f64 = row.try_get("reltuples")?;
        let n_distinct: Option<f64> = row.try_get("n_distinct")?;
        let distinct = match n_distinct {
            Some(d) if d < 0.0 => -d * reltuples.max(1.0),
            Some(d) => d,
            None => 0.0,
        };
        out.insert(
            (schema, table, column),
            ColumnStats {
                type_name: row.try_get("type_name")?,
                null_frac: row.try_get::<_, Option<f64>>("null_frac")?.unwrap_or(0.0),
                distinct,
                mcv: row
                    .try_get::<_, Option<Vec<Option<String>>>>("mcv")?
                    .unwrap_or_default()
                    .into_iter()
                    .flatten()
                    .collect(),
                mcf: row
                    .try_get::<_, Option<Vec<f64>>>("mcf")?
                    .unwrap_or_default(),
                histogram: row
                    .try_get::<_, Option<Vec<Option<String>>>>("histogram")?
                    .unwrap_or_default()
                    .into_iter()
                    .flatten()
                    .collect(),
                analysed: n_distinct.is_some(),
            },
        );
    }
    Ok(out)
}

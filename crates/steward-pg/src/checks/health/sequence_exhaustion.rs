use crate::checks::prelude::*;

declare_rule! {
    /// Finds sequences (and the key columns they feed) close to running out of values.
    ///
    /// ## What it does
    /// Compares each ascending sequence's `last_value` with the lower of its own `MAXVALUE`
    /// and the largest value of the column it feeds (`smallint` 32767, `integer` 2147483647),
    /// and reports those past `max-ratio` of it.
    ///
    /// ## Why it matters
    /// When a sequence or its column runs out, every INSERT fails with "nextval: reached
    /// maximum value" or "integer out of range": the application is down until the column is
    /// widened, and widening a large table's key rewrites it under an exclusive lock. An
    /// `integer` key fed by a `bigint` sequence fails at 2^31-1 even though the sequence
    /// would go on.
    ///
    /// ## Example
    /// `sequence-exhaustion: public.orders_id_seq has used 87% of the integer column public.orders.id`
    ///
    /// ## Fix
    /// Widen the column to `bigint` (plan it: it rewrites the table and every index; on big
    /// tables add a new column, backfill it in batches and swap), then the sequence:
    /// `ALTER SEQUENCE the_seq AS bigint;`.
    pub struct SequenceExhaustion {
        id: "sequence-exhaustion",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

fn type_max(column_type: &str) -> Option<f64> {
    match column_type {
        "smallint" => Some(32_767.0),
        "integer" => Some(2_147_483_647.0),
        "bigint" => Some(9_223_372_036_854_775_807.0),
        _ => None,
    }
}

impl LiveCheck for SequenceExhaustion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "max-ratio",
            default: 0.75,
            unit: "ratio",
            doc: "share of the available values already used",
        }]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("sequence_exhaustion.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit_ratio = ctx.threshold("max-ratio");
        for row in rows {
            let Some(last) = get::<Option<f64>>(row, "last_value")? else {
                continue;
            };
            let seq_max: f64 = get(row, "max_value")?;
            let column_type: Option<String> = get(row, "column_type")?;
            let column_max = column_type.as_deref().and_then(type_max);
            let (limit, column_bound) = match column_max {
                Some(c) if c < seq_max => (c, true),
                _ => (seq_max, false),
            };
            if limit <= 0.0 {
                continue;
            }
            let ratio = last / limit;
            if ratio < limit_ratio {
                continue;
            }
            let seq = qualified(&get::<String>(row, "schema")?, &get::<String>(row, "name")?);
            let column = match (
                get::<Option<String>>(row, "column_schema")?,
                get::<Option<String>>(row, "column_table")?,
                get::<Option<String>>(row, "column_name")?,
            ) {
                (Some(s), Some(t), Some(c)) => Some((qualified(&s, &t), ident(&c))),
                _ => None,
            };
            let what = match (&column, column_bound) {
                (Some((t, c)), true) => format!(
                    "the {} column {t}.{c}",
                    column_type.as_deref().unwrap_or("key")
                ),
                _ => "its maximum value".to_string(),
            };
            let mut fix = String::new();
            if let Some((t, c)) = &column {
                if column_type.as_deref() != Some("bigint") {
                    fix.push_str(&format!(
                        "-- rewrites the table and its indexes under an exclusive lock; on a large table add a bigint column, backfill in batches and swap instead\nALTER TABLE {t} ALTER COLUMN {c} TYPE bigint;\n"
                    ));
                }
            }
            fix.push_str(&format!(
                "ALTER SEQUENCE {seq} AS bigint MAXVALUE 9223372036854775807;"
            ));
            out.push(
                ctx.meta
                    .diag(format!(
                        "sequence {seq} has used {:.0}% of {what} ({last:.0} of {limit:.0})",
                        ratio * 100.0
                    ))
                    .object(seq.clone())
                    .measured(ratio * 100.0, limit_ratio * 100.0, "%")
                    .help(format!(
                        "{:.0} values remain; when they run out every INSERT fails until the column is widened, which rewrites the table. Plan the change now.",
                        (limit - last).max(0.0)
                    ))
                    .fix(fix),
            );
        }
        Ok(())
    }
}

use crate::prelude::*;
use steward_core::model::TypeFamily;

declare_rule! {
    /// Finds `timestamp without time zone` columns.
    ///
    /// ## What it does
    /// Reports PostgreSQL columns of type `timestamp` (that is, `timestamp without time zone`),
    /// arrays of it included. PostgreSQL only: in SQL Server, `datetime2` holding UTC is the
    /// accepted convention and `datetimeoffset` does not solve daylight-saving rules either.
    ///
    /// ## Why it matters
    /// A `timestamp` stores wall-clock digits with no zone: the same instant written by servers
    /// or sessions in different `TimeZone` settings becomes different values, comparisons across
    /// a DST change are off by an hour, and `now()` is silently converted to the session's local
    /// time. `timestamptz` stores an instant and converts on output, which is what almost every
    /// application means.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamp NOT NULL DEFAULT now());
    /// ```
    ///
    /// ## Fix
    /// State which zone the stored values are in while converting (this rewrites the table under
    /// an ACCESS EXCLUSIVE lock: plan it like any type change):
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC';
    /// ```
    pub struct TimestampWithoutTimeZone {
        id: "timestamp-without-time-zone",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for TimestampWithoutTimeZone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        for table in ctx.model.tables.values() {
            // Partitions repeat their parent's columns: report the parent only.
            if table.partition_of.is_some() {
                continue;
            }
            for column in &table.columns {
                let Some(ty) = &column.data_type else {
                    continue;
                };
                if ty.family
                    != (TypeFamily::Timestamp {
                        with_time_zone: false,
                    })
                {
                    continue;
                }
                let col = quote_ident(&column.name);
                // An array needs a conversion function; only plain columns get a one-line fix.
                let fix = (!ty.is_array()).then(|| {
                    format!(
                        "ALTER TABLE {} ALTER COLUMN {col} TYPE timestamptz USING {col} AT TIME ZONE 'UTC';",
                        table.name
                    )
                });
                out.push(
                    Self::META
                        .diag(format!(
                            "column {} is `{ty}`: it stores wall-clock time with no time zone",
                            table.name.column(&column.name)
                        ))
                        .at(column.origin.location().cloned())
                        .object(table.name.column(&column.name))
                        .help("values written under different TimeZone settings cannot be compared and DST shifts corrupt intervals; use timestamptz, which stores an instant (the change rewrites the table)")
                        .fix_opt(fix),
                );
            }
        }
    }
}

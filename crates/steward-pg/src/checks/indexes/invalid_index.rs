use crate::checks::prelude::*;

declare_rule! {
    /// Finds indexes left invalid by a failed `CREATE INDEX CONCURRENTLY` or `REINDEX CONCURRENTLY`.
    ///
    /// ## What it does
    /// Reports indexes whose `pg_index.indisvalid` is false.
    ///
    /// ## Why it matters
    /// An invalid index is never used by queries but is still maintained by every write: all
    /// cost, no benefit. A failed unique build also means the uniqueness it was meant to
    /// enforce is not enforced, and the duplicates that made it fail are still there.
    ///
    /// ## Example
    /// `invalid-index: public.users_email_key is invalid (a failed concurrent build)`
    ///
    /// ## Fix
    /// Fix what made the build fail (duplicates for a unique index), then
    /// `REINDEX INDEX CONCURRENTLY the_index;`, or drop it with `DROP INDEX CONCURRENTLY`.
    pub struct InvalidIndex {
        id: "invalid-index",
        category: Performance,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for InvalidIndex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Model
    }

    fn evaluate(
        &self,
        _: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        for index in ctx.model.indexes.iter().filter(|i| !i.valid) {
            let unique = if index.unique {
                " The uniqueness it should enforce is not enforced; look for the duplicate rows that made the build fail."
            } else {
                ""
            };
            out.push(
                ctx.meta
                    .diag(format!(
                        "index {} on {} is invalid (a failed concurrent build): queries never use it, writes still maintain it",
                        index.name, index.table
                    ))
                    .object(index.name.to_string())
                    .help(format!("Rebuild it once the cause is fixed, or drop it.{unique}"))
                    .fix(format!(
                        "REINDEX INDEX CONCURRENTLY {};\n-- or: DROP INDEX CONCURRENTLY {};",
                        index.name, index.name
                    )),
            );
        }
        Ok(())
    }
}

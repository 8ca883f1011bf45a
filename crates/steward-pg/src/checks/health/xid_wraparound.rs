use crate::checks::prelude::*;

/// PostgreSQL refuses new transactions (to prevent wraparound) about this many ids on.
const HARD_LIMIT: f64 = 2_147_483_648.0;

declare_rule! {
    /// Finds databases and tables whose oldest unfrozen transaction or multixact id is close to wraparound.
    ///
    /// ## What it does
    /// Reads `age(datfrozenxid)` and `mxid_age(datminmxid)` of every database, and
    /// `age(relfrozenxid)` / `mxid_age(relminmxid)` of this database's tables, and reports
    /// those older than `max-age` (default one billion, about half the ~2.1 billion limit).
    ///
    /// ## Why it matters
    /// Transaction ids are 32 bits. When the oldest unfrozen id in a database nears 2^31,
    /// PostgreSQL stops accepting writes until a (long, single-user) VACUUM has frozen the
    /// old rows: a full outage. Autovacuum normally freezes long before; old ages mean it is
    /// blocked (long transactions, prepared transactions, replication slots) or too slow.
    ///
    /// ## Example
    /// `xid-wraparound: table public.events is 1.3 billion transactions old (61% of the limit)`
    ///
    /// ## Fix
    /// Remove what holds back freezing (old sessions, forgotten prepared transactions,
    /// inactive replication slots), then `VACUUM (FREEZE, VERBOSE) the_table;` on the oldest
    /// tables first.
    pub struct XidWraparound {
        id: "xid-wraparound",
        category: Health,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for XidWraparound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "max-age",
            default: 1_000_000_000.0,
            unit: "xids",
            doc: "oldest acceptable transaction or multixact id age",
        }]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("xid_wraparound.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("max-age");
        for row in rows {
            let kind: String = get(row, "kind")?;
            let xid: f64 = get(row, "xid_age")?;
            let mxid: f64 = get(row, "mxid_age")?;
            let (age, what) = if xid >= mxid {
                (xid, "transaction")
            } else {
                (mxid, "multixact")
            };
            if age < limit {
                continue;
            }
            let name: String = get(row, "name")?;
            let (object, label, fix) = if kind == "database" {
                (
                    ident(&name),
                    format!("database {}", ident(&name)),
                    format!("-- connect to {name}, then vacuum its oldest tables first:\nVACUUM (FREEZE, VERBOSE);"),
                )
            } else {
                let q = qualified(&get::<String>(row, "schema")?, &name);
                (
                    q.clone(),
                    format!("table {q}"),
                    format!("VACUUM (FREEZE, VERBOSE) {q};"),
                )
            };
            let severity = if age >= HARD_LIMIT * 0.75 {
                Severity::Error
            } else {
                Severity::Warning
            };
            let mut d = ctx
                .meta
                .diag(format!(
                    "{label} is {age:.0} {what} ids old ({:.0}% of the wraparound limit)",
                    age / HARD_LIMIT * 100.0
                ))
                .object(object)
                .measured(age, limit, "xids")
                .help("At about 2.1 billion PostgreSQL stops accepting writes until a VACUUM has frozen the old rows. Find what keeps autovacuum from freezing (long or prepared transactions, inactive replication slots, autovacuum disabled or throttled) and freeze the oldest tables first.")
                .fix(fix);
            d.severity = severity;
            out.push(d);
        }
        Ok(())
    }
}

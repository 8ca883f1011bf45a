use crate::checks::prelude::*;

declare_rule! {
    /// Finds replication slots that no client uses but that still hold WAL on disk.
    ///
    /// ## What it does
    /// Reports inactive slots in `pg_replication_slots` that reserve WAL (a `restart_lsn`),
    /// with how much WAL they keep and their `wal_status`, when it is at least `min-bytes`.
    ///
    /// ## Why it matters
    /// A slot makes the server keep every WAL segment its consumer has not confirmed. When the
    /// consumer (a replica, a CDC tool, a forgotten test) goes away, WAL piles up until the
    /// disk is full and the server stops. Logical slots also hold back vacuum of the catalog.
    ///
    /// ## Example
    /// `inactive-replication-slot: slot debezium is inactive and keeps 38.2 GB of WAL`
    ///
    /// ## Fix
    /// Reconnect its consumer, or drop it: `SELECT pg_drop_replication_slot('name');`. Set
    /// `max_slot_wal_keep_size` (PG13+) so a lost consumer cannot fill the disk.
    pub struct InactiveReplicationSlot {
        id: "inactive-replication-slot",
        category: Health,
        severity: Warning,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for InactiveReplicationSlot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[Threshold {
            name: "min-bytes",
            default: 0.0,
            unit: "bytes",
            doc: "least WAL an inactive slot must hold to be reported",
        }]
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Sql(include_str!("inactive_replication_slot.sql"))
    }

    fn evaluate(
        &self,
        rows: &[Row],
        ctx: &CheckCtx,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), RowError> {
        let limit = ctx.threshold("min-bytes");
        for row in rows {
            let retained = get::<Option<f64>>(row, "retained_bytes")?
                .unwrap_or(0.0)
                .max(0.0);
            if retained < limit {
                continue;
            }
            let name: String = get(row, "slot_name")?;
            let kind: String = get(row, "slot_type")?;
            let status = get::<Option<String>>(row, "wal_status")?
                .map(|s| format!(" (wal_status: {s})"))
                .unwrap_or_default();
            out.push(
                ctx.meta
                    .diag(format!(
                        "{kind} replication slot {name} is inactive and keeps {} of WAL{status}",
                        human_bytes(retained)
                    ))
                    .object(name.clone())
                    .measured(retained, limit, "bytes")
                    .help("The server keeps every WAL segment the slot's consumer has not confirmed; with no consumer the WAL grows until the disk is full and the server stops. Reconnect the consumer or drop the slot, and set max_slot_wal_keep_size as a guard.")
                    .fix(format!(
                        "SELECT pg_drop_replication_slot('{}');",
                        name.replace('\'', "''")
                    )),
            );
        }
        Ok(())
    }
}

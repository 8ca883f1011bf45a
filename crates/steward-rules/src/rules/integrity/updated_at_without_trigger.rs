use crate::prelude::*;

declare_rule! {
    /// Finds `updated_at` columns that nothing keeps up to date.
    ///
    /// ## What it does
    /// Reports a column named like `updated_at`, `modified_at`, `last_modified` or `last_update`
    /// that has a DEFAULT (so it is set on insert) on a table with no trigger that fires on
    /// UPDATE. Generated columns are skipped.
    ///
    /// ## Why it matters
    /// The default only fires on INSERT: after the first update the column silently keeps the
    /// creation time. Incremental exports, caches and sync jobs that select `WHERE updated_at >
    /// $last_run` then miss every change — data loss nobody notices until reconciliation.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE account (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    /// BEGIN
    ///   NEW.updated_at := now();
    ///   RETURN NEW;
    /// END $$;
    /// CREATE TRIGGER account_set_updated_at BEFORE UPDATE ON account
    ///   FOR EACH ROW EXECUTE FUNCTION set_updated_at();
    /// ```
    pub struct UpdatedAtWithoutTrigger {
        id: "updated-at-without-trigger",
        category: Integrity,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for UpdatedAtWithoutTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let dialect = model.dialect;
        let mut updated_tables = std::collections::HashSet::new();
        for trigger in &model.triggers {
            if trigger
                .events
                .iter()
                .any(|e| e.eq_ignore_ascii_case("UPDATE"))
            {
                updated_tables.insert(model.key(&trigger.table));
            }
        }
        for table in model.tables.values() {
            if table.partition_of.is_some() || updated_tables.contains(&model.key(&table.name)) {
                continue;
            }
            // Triggers on a partitioned parent also fire for its partitions, and vice versa
            // the parent is what users look at: check the parent only.
            for column in &table.columns {
                if column.default.is_none()
                    || column.generated.is_some()
                    || !is_updated_at(&column.name)
                {
                    continue;
                }
                let object = table.name.column_display(&column.name, dialect);
                out.push(
                    Self::META
                        .diag(format!(
                            "{object} has a default but no trigger updates it: it keeps the insert time forever"
                        ))
                        .at(column.origin.location().cloned())
                        .object(object)
                        .help("the default fires only on INSERT, so jobs that sync or export `WHERE updated_at > …` silently miss every later change; maintain it with a BEFORE UPDATE trigger (or in every UPDATE)")
                        .fix_opt(fix(table, &column.name, dialect)),
                );
            }
        }
    }
}

/// Whether a column name says "last changed at" (`updated_at`, `modified_on`, `last_update`…);
/// shared with `steward generate updated-at`.
pub fn is_updated_at(name: &str) -> bool {
    let words = name_words(name);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        words.as_slice(),
        [
            "updated" | "modified" | "changed",
            "at" | "on" | "date" | "time" | "ts"
        ] | ["last", "updated" | "update" | "modified" | "changed"]
            | [
                "last",
                "updated" | "modified" | "changed",
                "at" | "on" | "date" | "time"
            ]
            | ["date" | "time", "updated" | "modified" | "changed"]
            | ["updated" | "modified"]
            | ["updatedat" | "modifiedat" | "lastmodified" | "lastupdated"]
    )
}

fn fix(table: &steward_core::model::Table, column: &str, dialect: Dialect) -> Option<String> {
    let name = &table.name;
    Some(match dialect {
        Dialect::Postgres => {
            let func = QualName::new(name.schema.clone(), format!("{}_set_{column}", name.name));
            let trigger = quote_ident(&format!("{}_set_{column}", name.name));
            format!(
                "CREATE OR REPLACE FUNCTION {func}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.{col} := now();\n  RETURN NEW;\nEND $$;\nCREATE TRIGGER {trigger} BEFORE UPDATE ON {name}\n  FOR EACH ROW EXECUTE FUNCTION {func}();",
                col = quote_ident(column)
            )
        }
        Dialect::Tsql => {
            let t = name.display(dialect);
            let col = ident(column, dialect);
            let keys = table
                .primary_key()?
                .columns
                .iter()
                .map(|c| format!("i.{0} = x.{0}", ident(c, dialect)))
                .collect::<Vec<_>>()
                .join(" AND ");
            format!(
                "CREATE TRIGGER {} ON {t} AFTER UPDATE AS\nBEGIN\n  SET NOCOUNT ON;\n  UPDATE x SET {col} = SYSUTCDATETIME()\n  FROM {t} AS x JOIN inserted AS i ON {keys};\nEND;",
                ident(&format!("TR_{}_Set{}", name.name, column), dialect)
            )
        }
    })
}

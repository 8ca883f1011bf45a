//! What erasing one person means for this schema: every table reachable from the subject's
//! row along foreign keys, by which path, and what happens to the rows there.
//!
//! - Tables that reference the subject (directly or through other tables, any number of
//!   hops) hold the person's data: their rows are **deleted**, or **anonymised** (personal
//!   columns cleared, row kept) when the table is retained for a legal reason (`--retain
//!   table=reason`; payments, invoices, orders and similar financial records by default).
//! - A row that a kept row still references through a NOT NULL key cannot be deleted: it is
//!   anonymised instead, and so on up the path.
//! - Rows of the subject's own table that point at the subject (`referred_by`) belong to
//!   other people: the reference is **unlinked** (set to NULL), their rows stay.
//! - Tables the subject references (an `address` row) are **deleted** afterwards when
//!   nothing else references the row any more.
//!
//! Paths are simple (no table twice), at most [`MAX_DEPTH`] hops; a cycle between other
//! tables is unlinked where the key is nullable, and reported otherwise.

use crate::tables::{edges, pii, primary_key, Edge};
use crate::{GenerateError, Options};
use std::collections::{BTreeMap, HashSet};
use steward_core::model::{Model, QualName, Table};

pub const MAX_DEPTH: usize = 6;

/// What happens to a table's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasureAction {
    Delete,
    /// Personal columns cleared, rows kept; the reason says why they are kept.
    Anonymise {
        reason: String,
    },
    /// A reference to the subject's rows set to NULL in rows that belong to someone else.
    Unlink {
        columns: Vec<String>,
    },
    /// A row the subject references, deleted when nothing else references it.
    DeleteIfUnreferenced,
}

impl ErasureAction {
    pub fn label(&self) -> String {
        match self {
            ErasureAction::Delete => "delete".to_string(),
            ErasureAction::Anonymise { reason } => format!("anonymise (keep: {reason})"),
            ErasureAction::Unlink { columns } => format!("unlink ({} := NULL)", columns.join(", ")),
            ErasureAction::DeleteIfUnreferenced => {
                "delete when no other row references it".to_string()
            }
        }
    }
}

/// One table of the plan.
#[derive(Debug, Clone)]
pub struct PlanEntry {
    pub table: QualName,
    /// Every path from the subject to this table: the foreign keys followed, child to parent.
    /// Empty for the subject itself.
    pub paths: Vec<Vec<Edge>>,
    pub action: ErasureAction,
    /// Columns cleared when anonymising (personal data found by the privacy classifier).
    pub personal: Vec<String>,
}

impl PlanEntry {
    /// `rental.customer_id → customer`, one path per line.
    pub fn path_text(&self) -> Vec<String> {
        if self.paths.is_empty() {
            return vec!["(the subject)".to_string()];
        }
        self.paths
            .iter()
            .map(|p| {
                let mut hops: Vec<String> = p
                    .iter()
                    .map(|e| format!("{}.{}", e.child.name, e.columns.join(",")))
                    .collect();
                if let Some(first) = p.first() {
                    hops.insert(0, first.parent.name.clone());
                }
                hops.join(" ← ")
            })
            .collect()
    }
}

/// The plan for one subject table.
#[derive(Debug, Clone)]
pub struct ErasurePlan {
    pub subject: QualName,
    pub subject_key: String,
    /// In execution order: everything that depends on a table comes before it.
    pub entries: Vec<PlanEntry>,
    pub notes: Vec<String>,
}

/// Names of tables that are usually financial records with a retention obligation.
/// (Matched against the words of the table name: `invoice_line`, `payment_p2007_01`.)
const RETAINED_BY_DEFAULT: &[&str] = &[
    "payment",
    "payments",
    "invoice",
    "invoices",
    "order",
    "orders",
    "transaction",
    "transactions",
    "receipt",
    "receipts",
    "ledger",
    "billing",
];

impl ErasurePlan {
    pub fn build(model: &Model, subject: &Table, options: &Options) -> Result<Self, GenerateError> {
        let subject_key = match primary_key(subject).as_deref() {
            Some([one]) => one.clone(),
            _ => {
                return Err(GenerateError::NotApplicable(format!(
                    "{} needs a single-column primary key to erase by",
                    subject.name
                )))
            }
        };
        let all = edges(model);
        let mut notes = Vec::new();
        let retained = |t: &QualName| -> Option<String> {
            for (name, reason) in &options.retain {
                if name.eq_ignore_ascii_case(&t.name)
                    || name.eq_ignore_ascii_case(&format!("{}.{}", t.schema, t.name))
                {
                    return Some(reason.clone());
                }
            }
            // `payment_p2007_01` (a partition by inheritance) is a payment too.
            steward_rules::rules::privacy::pii::words(&t.name)
                .iter()
                .any(|w| RETAINED_BY_DEFAULT.contains(&w.as_str()))
                .then(|| "financial record; check your retention period (e.g. tax law)".to_string())
        };

        // Breadth-first over simple paths from the subject to the tables that reference it.
        let mut paths: BTreeMap<QualName, Vec<Vec<Edge>>> = BTreeMap::new();
        let mut unlinks: Vec<Edge> = Vec::new();
        let mut frontier: Vec<Vec<Edge>> = vec![Vec::new()];
        for _ in 0..MAX_DEPTH {
            let mut next = Vec::new();
            for path in &frontier {
                let at = path.last().map_or(&subject.name, |e| &e.child);
                for edge in all.iter().filter(|e| &e.parent == at) {
                    let on_path =
                        edge.child == subject.name || path.iter().any(|e| e.child == edge.child);
                    if on_path {
                        if edge.nullable {
                            if !unlinks.iter().any(|u| same_edge(u, edge)) {
                                unlinks.push(edge.clone());
                            }
                        } else {
                            notes.push(format!(
                                "{}.{} references {} through a NOT NULL key in a cycle: those rows block deleting and are not handled",
                                edge.child, edge.columns.join(","), edge.parent
                            ));
                        }
                        continue;
                    }
                    let mut longer = path.clone();
                    longer.push(edge.clone());
                    paths
                        .entry(edge.child.clone())
                        .or_default()
                        .push(longer.clone());
                    next.push(longer);
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        if !frontier.is_empty() && frontier.iter().any(|p| p.len() == MAX_DEPTH) {
            notes.push(format!(
                "paths longer than {MAX_DEPTH} foreign keys were not followed"
            ));
        }

        // Actions: delete unless retained; a table a kept table references through a NOT
        // NULL key is kept (anonymised) too, up the path.
        let mut keep: BTreeMap<QualName, String> = paths
            .keys()
            .filter_map(|t| retained(t).map(|r| (t.clone(), r)))
            .collect();
        let mut subject_kept: Option<String> = None;
        loop {
            let mut changed = false;
            for (table, table_paths) in &paths {
                if !keep.contains_key(table) {
                    continue;
                }
                for path in table_paths {
                    let Some(last) = path.last() else { continue };
                    if last.nullable {
                        continue;
                    }
                    let reason = format!("referenced by kept rows of {}", table.name);
                    if last.parent == subject.name {
                        if subject_kept.is_none() {
                            subject_kept = Some(reason);
                            changed = true;
                        }
                    } else if !keep.contains_key(&last.parent) {
                        keep.insert(last.parent.clone(), reason);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }

        // Execution order: a table before every table on its paths (its rows are found
        // through them). Depth-first post-order over "is found through".
        let mut order: Vec<QualName> = Vec::new();
        let mut visiting = HashSet::new();
        fn visit(
            t: &QualName,
            paths: &BTreeMap<QualName, Vec<Vec<Edge>>>,
            order: &mut Vec<QualName>,
            visiting: &mut HashSet<QualName>,
        ) {
            if order.contains(t) || !visiting.insert(t.clone()) {
                return;
            }
            // Tables found through `t` come first.
            for (other, other_paths) in paths {
                if other != t && other_paths.iter().any(|p| p.iter().any(|e| &e.parent == t)) {
                    visit(other, paths, order, visiting);
                }
            }
            order.push(t.clone());
        }
        for t in paths.keys() {
            visit(t, &paths, &mut order, &mut visiting);
        }

        let personal = |name: &QualName| -> Vec<String> {
            model.table(name).map_or_else(Vec::new, |t| {
                t.columns
                    .iter()
                    .filter(|c| pii(t, c).is_some())
                    .map(|c| c.name.clone())
                    .collect()
            })
        };
        let mut entries = Vec::new();
        for edge in &unlinks {
            entries.push(PlanEntry {
                table: edge.child.clone(),
                paths: vec![vec![edge.clone()]],
                action: ErasureAction::Unlink {
                    columns: edge.columns.clone(),
                },
                personal: Vec::new(),
            });
        }
        for t in order {
            let action = match keep.get(&t) {
                Some(reason) => ErasureAction::Anonymise {
                    reason: reason.clone(),
                },
                None => ErasureAction::Delete,
            };
            entries.push(PlanEntry {
                personal: personal(&t),
                paths: paths.remove(&t).unwrap_or_default(),
                table: t,
                action,
            });
        }
        entries.push(PlanEntry {
            table: subject.name.clone(),
            paths: Vec::new(),
            action: match subject_kept {
                Some(reason) => ErasureAction::Anonymise { reason },
                None => ErasureAction::Delete,
            },
            personal: personal(&subject.name),
        });
        // Rows the subject references that hold personal data (their address).
        for edge in all
            .iter()
            .filter(|e| e.child == subject.name && e.parent != subject.name)
        {
            let p = personal(&edge.parent);
            if p.is_empty() || edge.columns.len() != 1 {
                continue;
            }
            // The row is the person's (their address): every column but keys describes them,
            // not only the ones the classifier recognises (a city, a postal code).
            let whole_row = model.table(&edge.parent).map_or(p, |t| {
                let key = primary_key(t).unwrap_or_default();
                let references: Vec<&String> = all
                    .iter()
                    .filter(|e| e.child == t.name)
                    .flat_map(|e| e.columns.iter())
                    .collect();
                t.columns
                    .iter()
                    .filter(|c| !key.contains(&c.name) && !references.contains(&&c.name))
                    .map(|c| c.name.clone())
                    .collect()
            });
            entries.push(PlanEntry {
                table: edge.parent.clone(),
                paths: vec![vec![edge.clone()]],
                action: ErasureAction::DeleteIfUnreferenced,
                personal: whole_row,
            });
        }
        Ok(ErasurePlan {
            subject: subject.name.clone(),
            subject_key,
            entries,
            notes,
        })
    }
}

fn same_edge(a: &Edge, b: &Edge) -> bool {
    a.child == b.child && a.parent == b.parent && a.columns == b.columns
}

impl ErasurePlan {
    /// A read-only query counting the rows an entry touches for one subject, whose key is
    /// the query's only parameter (sent as text).
    pub fn count_sql(&self, model: &Model, entry: &PlanEntry) -> Option<String> {
        let key_type = model
            .table(&self.subject)?
            .column(&self.subject_key)?
            .data_type
            .as_ref()
            .map_or_else(|| "bigint".to_string(), |t| t.to_string());
        let subject = format!("($1::text)::{key_type}");
        let table = crate::sql::qname(&entry.table);
        let condition = match &entry.action {
            ErasureAction::Delete | ErasureAction::Anonymise { .. } => {
                crate::patterns::erasure::entry_condition(model, self, entry, "x", &subject)
            }
            ErasureAction::Unlink { .. } | ErasureAction::DeleteIfUnreferenced => {
                let edge = entry.paths.first()?.first()?;
                let (fk, rk) = (edge.columns.first()?, edge.ref_columns.first()?);
                if matches!(entry.action, ErasureAction::Unlink { .. }) {
                    if edge.parent != self.subject {
                        return None;
                    }
                    format!("x.{} = {subject}", crate::sql::ident(fk))
                } else {
                    format!(
                        "x.{} IN (SELECT s.{} FROM {} AS s WHERE s.{} = {subject})",
                        crate::sql::ident(rk),
                        crate::sql::ident(fk),
                        crate::sql::qname(&self.subject),
                        crate::sql::ident(&self.subject_key)
                    )
                }
            }
        };
        Some(format!(
            "SELECT count(*) FROM {table} AS x WHERE {condition}"
        ))
    }
}

/// The plan for the subject table `options` names (or the detected one).
pub fn erasure_plan(model: &Model, options: &Options) -> Result<ErasurePlan, GenerateError> {
    let subject = crate::patterns::erasure::subject_table(model, options)?;
    ErasurePlan::build(model, subject, options)
}

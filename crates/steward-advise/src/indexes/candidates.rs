//! Index candidates from what the workload's queries ask of each table.

use crate::query::TableUse;
use crate::stats::{lookup, StatsMap};
use serde::Serialize;
use steward_core::model::{quote_ident, Index, Model, QualName};

/// Most columns put in INCLUDE: wider covering indexes cost more than index-only scans save.
const MAX_INCLUDE: usize = 4;

/// One key of a candidate index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Key {
    pub column: String,
    pub descending: bool,
}

/// A B-tree index the advisor might recommend.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Candidate {
    pub schema: String,
    pub table: String,
    pub keys: Vec<Key>,
    /// INCLUDE columns, for index-only scans.
    pub include: Vec<String>,
    /// Partial-index predicate over bare column names.
    pub predicate: Option<String>,
}

impl Candidate {
    pub fn table_name(&self) -> QualName {
        QualName::new(self.schema.clone(), self.table.clone())
    }

    fn key_list(&self) -> String {
        self.keys
            .iter()
            .map(|k| {
                let mut s = quote_ident(&k.column);
                if k.descending {
                    s.push_str(" DESC");
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn tail(&self) -> String {
        let mut s = String::new();
        if !self.include.is_empty() {
            s.push_str(&format!(
                " INCLUDE ({})",
                self.include
                    .iter()
                    .map(|c| quote_ident(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(p) = &self.predicate {
            s.push_str(&format!(" WHERE {p}"));
        }
        s
    }

    /// A readable name: `orders_customer_id_created_at_idx`, within PostgreSQL's 63 bytes.
    pub fn name(&self) -> String {
        let mut parts = vec![self.table.clone()];
        parts.extend(self.keys.iter().map(|k| k.column.clone()));
        if !self.include.is_empty() {
            parts.push("incl".into());
        }
        if self.predicate.is_some() {
            parts.push("part".into());
        }
        let mut name: String = parts
            .join("_")
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        name.truncate(59);
        name.push_str("_idx");
        name
    }

    /// What to run to build it without blocking writes.
    pub fn create_sql(&self) -> String {
        self.create_sql_named(&self.name())
    }

    /// [`Candidate::create_sql`] with a given index name.
    pub fn create_sql_named(&self, name: &str) -> String {
        format!(
            "CREATE INDEX CONCURRENTLY {} ON {} ({}){};",
            quote_ident(name),
            self.table_name(),
            self.key_list(),
            self.tail()
        )
    }

    /// The statement hypopg takes (no name, no CONCURRENTLY).
    pub fn hypothetical_sql(&self) -> String {
        format!(
            "CREATE INDEX ON {} ({}){}",
            self.table_name(),
            self.key_list(),
            self.tail()
        )
    }

    /// Short form for tables: `orders (customer_id, created_at) INCLUDE (total) WHERE …`.
    pub fn describe(&self) -> String {
        format!("{} ({}){}", self.table_name(), self.key_list(), self.tail())
    }
}

/// Candidates for one table use, columns ordered by selectivity: equality (and join) columns
/// first, most selective first; then one range column or the sort keys.
pub fn for_use(u: &TableUse, stats: &StatsMap) -> Vec<Candidate> {
    let selectivity = |c: &str| {
        lookup(stats, &u.table, c)
            .map(|s| s.equality_selectivity())
            .unwrap_or(0.005)
    };
    let key = |c: &str| Key {
        column: c.to_string(),
        descending: false,
    };
    let constant_columns: Vec<&str> = u.constant.iter().map(|(c, _)| c.as_str()).collect();
    let mut equality: Vec<String> = u.equality.clone();
    for j in &u.join {
        if !contains(&equality, j) {
            equality.push(j.clone());
        }
    }
    equality.sort_by(|a, b| selectivity(a).total_cmp(&selectivity(b)));
    let range: Vec<&String> = u.range.iter().filter(|r| !contains(&equality, r)).collect();
    // Sort keys in their directions; all flipped is the same index read backwards.
    let sort: Vec<Key> = {
        let flip = u.sort.first().is_some_and(|(_, d)| *d);
        u.sort
            .iter()
            .map(|(c, d)| Key {
                column: c.clone(),
                descending: *d != flip,
            })
            .collect()
    };

    let mut keysets: Vec<Vec<Key>> = Vec::new();
    let add = |keys: Vec<Key>, sets: &mut Vec<Vec<Key>>| {
        if !keys.is_empty() && !sets.contains(&keys) {
            sets.push(keys);
        }
    };
    for c in equality.iter().chain(range.iter().copied()) {
        add(vec![key(c)], &mut keysets);
    }
    if let Some(first) = sort.first() {
        add(vec![key(&first.column)], &mut keysets);
    }
    if let Some(first) = u.group.first() {
        add(vec![key(first)], &mut keysets);
    }
    let eq_keys: Vec<Key> = equality.iter().map(|c| key(c)).collect();
    if !eq_keys.is_empty() {
        add(eq_keys.clone(), &mut keysets);
        if let Some(r) = range.first() {
            let mut k = eq_keys.clone();
            k.push(key(r));
            add(k, &mut keysets);
        }
        let mut k = eq_keys.clone();
        for s in &sort {
            if !k.iter().any(|x| x.column.eq_ignore_ascii_case(&s.column)) {
                k.push(s.clone());
            }
        }
        add(k, &mut keysets);
    }
    if sort.len() > 1 {
        add(sort.clone(), &mut keysets);
    }
    if u.group.len() > 1 {
        add(u.group.iter().map(|c| key(c)).collect(), &mut keysets);
    }

    let mut out = Vec::new();
    let base = |keys: Vec<Key>, include: Vec<String>, predicate: Option<String>| Candidate {
        schema: u.table.schema.clone(),
        table: u.table.name.clone(),
        keys,
        include,
        predicate,
    };
    for keys in &keysets {
        out.push(base(keys.clone(), Vec::new(), None));
        if let Some(include) = include_for(u, keys, &[]) {
            out.push(base(keys.clone(), include, None));
        }
    }
    // Partial: the constant predicates become the index's WHERE; the keys are what is left.
    if !u.constant.is_empty() {
        let predicate = u
            .constant
            .iter()
            .map(|(_, p)| p.clone())
            .collect::<Vec<_>>()
            .join(" AND ");
        let not_constant = |k: &Key| {
            !constant_columns
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&k.column))
        };
        let mut keys: Vec<Key> = eq_keys
            .iter()
            .filter(|k| not_constant(k))
            .cloned()
            .collect();
        if let Some(r) = range.first() {
            if !constant_columns.iter().any(|c| c.eq_ignore_ascii_case(r)) {
                keys.push(key(r));
            }
        } else {
            for s in &sort {
                if not_constant(s) && !keys.contains(s) {
                    keys.push(s.clone());
                }
            }
        }
        if keys.is_empty() {
            keys.push(key(&u.constant[0].0));
        }
        if let Some(include) = include_for(u, &keys, &constant_columns) {
            out.push(base(keys.clone(), include, Some(predicate.clone())));
        }
        out.push(base(keys, Vec::new(), Some(predicate)));
    }
    out
}

/// INCLUDE columns that let `keys` answer the block with an index-only scan: the other
/// referenced columns (not the partial predicate's), if few and known.
fn include_for(u: &TableUse, keys: &[Key], skip: &[&str]) -> Option<Vec<String>> {
    let referenced = u.referenced.as_ref()?;
    let rest: Vec<String> = referenced
        .iter()
        .filter(|c| !keys.iter().any(|k| k.column.eq_ignore_ascii_case(c)))
        .filter(|c| !skip.iter().any(|s| s.eq_ignore_ascii_case(c)))
        .cloned()
        .collect();
    (!rest.is_empty() && rest.len() <= MAX_INCLUDE).then_some(rest)
}

fn contains(list: &[String], c: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(c))
}

/// The existing index that already serves everything `candidate` would: a valid B-tree whose
/// leading keys are the candidate's (same directions), that holds its INCLUDE columns, and
/// that is not partial (or has the same predicate).
pub fn covering_index<'m>(candidate: &Candidate, model: &'m Model) -> Option<&'m Index> {
    let table = candidate.table_name();
    model.indexes.iter().find(|index| {
        if !model.same_name(&index.table, &table) || !index.valid || !index.is_btree() {
            return false;
        }
        if let Some(p) = &index.predicate {
            let same = candidate
                .predicate
                .as_ref()
                .is_some_and(|c| normalise(c) == normalise(p));
            if !same {
                return false;
            }
        }
        if candidate.keys.len() > index.keys.len() {
            return false;
        }
        let flipped = index.keys[0].descending != candidate.keys[0].descending;
        let keys_match = candidate.keys.iter().zip(&index.keys).all(|(c, k)| {
            k.column_name()
                .is_some_and(|n| n.eq_ignore_ascii_case(&c.column))
                && (k.descending != c.descending) == flipped
        });
        let has = |col: &str| {
            index
                .keys
                .iter()
                .any(|k| k.column_name().is_some_and(|n| n.eq_ignore_ascii_case(col)))
                || index.include.iter().any(|i| i.eq_ignore_ascii_case(col))
        };
        keys_match && candidate.include.iter().all(|c| has(c))
    })
}

/// Predicate text for comparison: lower case, no parentheses, casts or spaces.
fn normalise(p: &str) -> String {
    let mut s = p.to_lowercase();
    for cast in [
        "::text",
        "::character varying",
        "::integer",
        "::bigint",
        "::boolean",
    ] {
        s = s.replace(cast, "");
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect()
}

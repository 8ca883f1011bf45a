//! The what-if index advisor.
//!
//! 1. Candidates from the workload's queries ([`candidates`]): single columns; composites with
//!    equality columns first (most selective first, from `pg_stats`), then a range column or
//!    the sort keys; partial indexes for predicates against constants; INCLUDE for index-only
//!    scans. Candidates an existing index already serves are set aside.
//! 2. With hypopg, each candidate is created hypothetically (nothing is built; hypopg's indexes
//!    live in this backend's memory) and the queries are EXPLAINed with and without it
//!    ([`WhatIf`]), inside a READ ONLY transaction, with `hypopg_reset()` before and after.
//! 3. A set is chosen greedily under `max_indexes` / `max_bytes`: each step adds the candidate
//!    with the best gain (workload cost reduction weighted by calls, minus the write overhead
//!    the table's insert/update/delete rate charges it). Two greedy orders run — gain per byte
//!    and plain gain — and the better set wins (per byte alone can pick a tiny index over the
//!    one that matters when the count, not the size, is the limit).
//! 4. Drop candidates come from the audit's own `unused-index` and `redundant-index` checks.
//!
//! Without hypopg the candidates are returned unevaluated, labelled so.

pub mod candidates;
mod drops;

pub use candidates::{Candidate, Key};
pub use drops::{drop_candidates, DropCandidate};

use crate::params::{bind, Binding, Explainable};
use crate::plan::{explain, simple};
use crate::query::{analyse, parse_one, Analysis};
use crate::stats::{self, StatsMap};
use crate::WorkloadQuery;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use steward_core::model::{Model, QualName};
use steward_pg::connect::Connection;
use tokio_postgres::Client;

/// What went wrong so that no advice could be given (exit code 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum AdviseError {
    #[error(transparent)]
    Catalog(#[from] steward_pg::catalog::CatalogError),
    #[error("{what} failed: {message}")]
    Query { what: String, message: String },
    #[error(transparent)]
    Audit(#[from] steward_pg::audit::AuditError),
}

fn query_error(what: &str) -> impl Fn(tokio_postgres::Error) -> AdviseError + '_ {
    move |e| AdviseError::Query {
        what: what.to_string(),
        message: steward_pg::error_text(&e),
    }
}

/// Limits and prices.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// At most this many new indexes (`--max-indexes`).
    pub max_indexes: Option<usize>,
    /// At most this many bytes of new indexes, by hypopg's estimate (`--max-size`).
    pub max_bytes: Option<i64>,
    /// Planner cost charged per written row (insert, non-HOT update, delete) per index over
    /// the statistics period: an index entry is written (and later vacuumed) for each. One
    /// page write (`seq_page_cost` = 1) by default; 0 ignores writes.
    pub write_cost_per_row: f64,
    /// Stop when the next index would save less than this fraction of the workload's cost.
    pub min_gain_fraction: f64,
    /// Also look for indexes to drop (unused, redundant).
    pub drops: bool,
    /// Smallest unused index worth reporting, bytes (the `unused-index` check's `min-bytes`).
    pub unused_min_bytes: f64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            max_indexes: None,
            max_bytes: None,
            write_cost_per_row: 1.0,
            min_gain_fraction: 0.005,
            drops: true,
            unused_min_bytes: 1024.0 * 1024.0,
        }
    }
}

/// One recommended index.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub candidate: Candidate,
    /// The new index's name (unique in the schema).
    pub name: String,
    pub create_sql: String,
    /// hypopg's estimate of its size.
    pub estimated_bytes: i64,
    /// Workload cost (planner units × calls) it removed when it was added to the set.
    pub gain: f64,
    /// Write overhead charged to it (planner units over the statistics period).
    pub write_overhead: f64,
    /// The queries whose final plan uses it.
    pub helps: Vec<QueryHelp>,
}

/// A query an index helps, and by how much (per call, planner cost units).
#[derive(Debug, Clone, Serialize)]
pub struct QueryHelp {
    /// Position in the workload.
    pub query: usize,
    pub cost_before: f64,
    pub cost_after: f64,
}

/// What the recommended set does to one workload query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryEffect {
    /// Position in the workload.
    pub query: usize,
    pub text: String,
    pub calls: u64,
    /// Planner cost per call without and with the recommended indexes.
    pub cost_before: Option<f64>,
    pub cost_after: Option<f64>,
    /// `cost_after / cost_before` (1 = unchanged): what an economics model multiplies the
    /// query's measured time by.
    pub cost_ratio: Option<f64>,
    /// Names of the recommended indexes its plan uses.
    pub uses: Vec<String>,
    pub binding: Option<Binding>,
    /// Why it was not evaluated (unparsable, not plannable, …).
    pub not_evaluated: Option<String>,
}

/// A candidate an existing index already serves.
#[derive(Debug, Clone, Serialize)]
pub struct Covered {
    pub candidate: String,
    pub by: String,
}

/// The advisor's answer.
#[derive(Debug, Clone, Serialize)]
pub struct IndexAdvice {
    /// True when hypopg evaluated the candidates; false: rule-based, unevaluated candidates.
    pub evaluated: bool,
    pub notes: Vec<String>,
    pub recommendations: Vec<Recommendation>,
    /// Without hypopg: the candidates, unevaluated.
    pub unevaluated: Vec<Candidate>,
    pub queries: Vec<QueryEffect>,
    pub covered: Vec<Covered>,
    pub drops: Vec<DropCandidate>,
    /// Σ calls × cost per call, without and with the recommended indexes.
    pub workload_cost_before: f64,
    pub workload_cost_after: f64,
    /// Candidates evaluated and EXPLAINs run.
    pub candidates_evaluated: usize,
    pub explains: usize,
    /// Which greedy order won: "gain per byte" or "gain".
    pub strategy: String,
}

/// Whether hypopg can be used in this database; Err is the note to show.
pub async fn hypopg_available(client: &Client) -> Result<(), String> {
    let installed = simple(
        client,
        "SELECT extversion FROM pg_extension WHERE extname = 'hypopg'",
    )
    .await
    .map_err(|e| steward_pg::error_text(&e))?;
    if installed.is_some() {
        return Ok(());
    }
    let available = simple(
        client,
        "SELECT name FROM pg_available_extensions WHERE name = 'hypopg'",
    )
    .await
    .map_err(|e| steward_pg::error_text(&e))?;
    Err(if available.is_some() {
        "hypopg is available on the server but not installed in this database, so the candidates below are NOT evaluated (rule-based only). To evaluate them, a superuser runs `CREATE EXTENSION hypopg;` (it only adds functions; hypothetical indexes are never built).".to_string()
    } else {
        "hypopg is not installed on the server, so the candidates below are NOT evaluated (rule-based only). Install it (Debian: postgresql-NN-hypopg; or from source) and run `CREATE EXTENSION hypopg;` as a superuser to evaluate them.".to_string()
    })
}

/// A workload query prepared for evaluation.
#[derive(Debug, Clone)]
pub struct EvalQuery {
    pub query: usize,
    pub weight: f64,
    pub tables: Vec<QualName>,
    pub explainable: Explainable,
    pub base_cost: f64,
}

/// The analysed workload: model, statistics, candidates.
pub struct Workload {
    pub model: Model,
    pub stats: StatsMap,
    pub version_num: u32,
    pub analyses: Vec<Result<(sqlparser::ast::Statement, Analysis), String>>,
    pub candidates: Vec<Candidate>,
    pub covered: Vec<Covered>,
}

/// Reads the catalog and statistics and builds the candidates (inside the caller's
/// transaction).
pub async fn analyse_workload(
    client: &Client,
    workload: &[WorkloadQuery],
) -> Result<Workload, AdviseError> {
    let (model, _) = steward_pg::catalog::read_model(client).await?;
    let version_num: u32 = simple(client, "SHOW server_version_num")
        .await
        .map_err(query_error("reading the server version"))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let analyses: Vec<_> = workload
        .iter()
        .map(|q| {
            parse_one(&q.text).map(|s| {
                let a = analyse(&s, &model);
                (s, a)
            })
        })
        .collect();
    let mut tables: BTreeSet<QualName> = BTreeSet::new();
    for (_, a) in analyses.iter().flatten() {
        tables.extend(a.tables());
    }
    let tables: Vec<QualName> = tables.into_iter().collect();
    let stats = stats::read(client, &tables)
        .await
        .map_err(query_error("reading pg_stats"))?;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut covered = Vec::new();
    for (_, a) in analyses.iter().flatten() {
        for u in &a.uses {
            // Only real tables of the model get indexes (not views, CTEs, unknown names).
            if model.table(&u.table).is_none() {
                continue;
            }
            for c in candidates::for_use(u, &stats) {
                if candidates.contains(&c)
                    || covered
                        .iter()
                        .any(|x: &Covered| x.candidate == c.describe())
                {
                    continue;
                }
                match candidates::covering_index(&c, &model) {
                    Some(index) => covered.push(Covered {
                        candidate: c.describe(),
                        by: index.name.to_string(),
                    }),
                    None => candidates.push(c),
                }
            }
        }
    }
    Ok(Workload {
        model,
        stats,
        version_num,
        analyses,
        candidates,
        covered,
    })
}

/// A hypopg session over one workload: hypothetical index sets and their costs, cached.
pub struct WhatIf<'c> {
    client: &'c Client,
    pub queries: Vec<EvalQuery>,
    pub candidates: Vec<Candidate>,
    /// Queries that could not be evaluated: (position, reason).
    pub skipped: Vec<(usize, String)>,
    created: HashMap<usize, u32>,
    sizes: HashMap<usize, i64>,
    broken: HashMap<usize, String>,
    cache: HashMap<(usize, Vec<usize>), (f64, Vec<usize>)>,
    pub explains: usize,
}

impl<'c> WhatIf<'c> {
    /// Starts the session: resets hypopg and costs every query with no new index. The caller
    /// has opened a transaction.
    pub async fn open(
        client: &'c Client,
        workload: &[WorkloadQuery],
        analysed: &Workload,
    ) -> Result<WhatIf<'c>, AdviseError> {
        simple(client, "SELECT hypopg_reset()")
            .await
            .map_err(query_error("resetting hypopg"))?;
        let mut w = WhatIf {
            client,
            queries: Vec::new(),
            candidates: analysed.candidates.clone(),
            skipped: Vec::new(),
            created: HashMap::new(),
            sizes: HashMap::new(),
            broken: HashMap::new(),
            cache: HashMap::new(),
            explains: 0,
        };
        for (i, (q, a)) in workload.iter().zip(&analysed.analyses).enumerate() {
            let (statement, analysis) = match a {
                Ok(x) => x,
                Err(e) => {
                    w.skipped.push((i, format!("not parsed: {e}")));
                    continue;
                }
            };
            let explainable = bind(
                &q.text,
                statement,
                analysis,
                &analysed.stats,
                analysed.version_num,
            );
            w.explains += 1;
            match explain(client, &explainable, "").await {
                Ok(plan) => w.queries.push(EvalQuery {
                    query: i,
                    weight: q.calls.max(1) as f64,
                    tables: analysis.tables(),
                    explainable,
                    base_cost: plan.total_cost(),
                }),
                Err(e) => w.skipped.push((i, format!("could not be planned: {e}"))),
            }
        }
        Ok(w)
    }

    /// Makes exactly `wanted` exist as hypothetical indexes.
    async fn materialise(&mut self, wanted: &[usize]) -> Result<(), AdviseError> {
        let extra: Vec<usize> = self
            .created
            .keys()
            .copied()
            .filter(|c| !wanted.contains(c))
            .collect();
        for c in extra {
            if let Some(oid) = self.created.remove(&c) {
                simple(self.client, &format!("SELECT hypopg_drop_index({oid})"))
                    .await
                    .map_err(query_error("dropping a hypothetical index"))?;
            }
        }
        for &c in wanted {
            if self.created.contains_key(&c) || self.broken.contains_key(&c) {
                continue;
            }
            let sql = self.candidates[c].hypothetical_sql();
            let literal = sql.replace('\'', "''");
            let created = simple(
                self.client,
                &format!(
                    "SAVEPOINT steward_hypo; SELECT indexrelid::int8 FROM hypopg_create_index('{literal}')"
                ),
            )
            .await;
            match created {
                Ok(Some(oid)) => {
                    simple(self.client, "RELEASE SAVEPOINT steward_hypo")
                        .await
                        .map_err(query_error("hypopg"))?;
                    let oid: u32 = oid.parse().unwrap_or(0);
                    self.created.insert(c, oid);
                    if let std::collections::hash_map::Entry::Vacant(e) = self.sizes.entry(c) {
                        let size = simple(
                            self.client,
                            &format!("SELECT hypopg_relation_size({oid})::int8"),
                        )
                        .await
                        .map_err(query_error("hypopg_relation_size"))?;
                        e.insert(size.and_then(|s| s.parse().ok()).unwrap_or(0));
                    }
                }
                Ok(None) => {
                    simple(self.client, "RELEASE SAVEPOINT steward_hypo")
                        .await
                        .map_err(query_error("hypopg"))?;
                    self.broken.insert(c, "hypopg returned no index".into());
                }
                Err(e) => {
                    simple(
                        self.client,
                        "ROLLBACK TO SAVEPOINT steward_hypo; RELEASE SAVEPOINT steward_hypo",
                    )
                    .await
                    .map_err(query_error("hypopg"))?;
                    self.broken.insert(c, steward_pg::error_text(&e));
                }
            }
        }
        Ok(())
    }

    fn oid_to_candidate(&self, index_name: &str) -> Option<usize> {
        // hypopg names its indexes `<oid>btree_table_cols`.
        let oid: u32 = index_name
            .strip_prefix('<')?
            .split('>')
            .next()?
            .parse()
            .ok()?;
        self.created
            .iter()
            .find_map(|(c, o)| (*o == oid).then_some(*c))
    }

    /// Cost per call of query `q` (index into `queries`) with the candidate set `set`, and the
    /// candidates its plan uses.
    pub async fn query_cost(
        &mut self,
        q: usize,
        set: &[usize],
    ) -> Result<(f64, Vec<usize>), AdviseError> {
        let query = &self.queries[q];
        let mut relevant: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&c| query.tables.contains(&self.candidates[c].table_name()))
            .collect();
        relevant.sort_unstable();
        relevant.dedup();
        if relevant.is_empty() {
            return Ok((query.base_cost, Vec::new()));
        }
        let key = (q, relevant.clone());
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit.clone());
        }
        self.materialise(&relevant).await?;
        self.explains += 1;
        let query = &self.queries[q];
        let result = match explain(self.client, &query.explainable, "").await {
            Ok(plan) => {
                let used = plan
                    .root
                    .indexes_used()
                    .iter()
                    .filter_map(|n| self.oid_to_candidate(n))
                    .collect();
                // The planner never picks a costlier plan when given more options; guard
                // against estimate noise anyway.
                (plan.total_cost().min(query.base_cost), used)
            }
            Err(_) => (query.base_cost, Vec::new()),
        };
        self.cache.insert(key, result.clone());
        Ok(result)
    }

    /// Σ calls × cost per call over the workload with `set`.
    pub async fn workload_cost(&mut self, set: &[usize]) -> Result<f64, AdviseError> {
        let mut total = 0.0;
        for q in 0..self.queries.len() {
            total += self.queries[q].weight * self.query_cost(q, set).await?.0;
        }
        Ok(total)
    }

    pub fn base_workload_cost(&self) -> f64 {
        self.queries.iter().map(|q| q.weight * q.base_cost).sum()
    }

    /// hypopg's size estimate of a candidate (creating it once if needed).
    pub async fn size(&mut self, c: usize) -> Result<Option<i64>, AdviseError> {
        if !self.sizes.contains_key(&c) && !self.broken.contains_key(&c) {
            let mut wanted: Vec<usize> = self.created.keys().copied().collect();
            wanted.push(c);
            self.materialise(&wanted).await?;
        }
        Ok(self.sizes.get(&c).copied())
    }

    /// Candidates that make at least one query cheaper on their own.
    pub async fn useful_alone(&mut self) -> Result<Vec<usize>, AdviseError> {
        let mut out = Vec::new();
        let base = self.base_workload_cost();
        for c in 0..self.candidates.len() {
            let cost = self.workload_cost(&[c]).await?;
            if cost < base * (1.0 - 1e-9) && self.size(c).await?.is_some() {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Greedy selection (see the module docs). `overhead[c]` is the write cost charged to
    /// candidate `c`. Returns the chosen candidates with the gain each added, and the order
    /// that won.
    pub async fn select(
        &mut self,
        pool: &[usize],
        overhead: &HashMap<usize, f64>,
        options: &IndexOptions,
    ) -> Result<(Vec<(usize, f64)>, &'static str), AdviseError> {
        // (net gain, bytes, chosen, order)
        type Outcome = (f64, i64, Vec<(usize, f64)>, &'static str);
        let mut best: Option<Outcome> = None;
        for (per_byte, label) in [(true, "gain per byte"), (false, "gain")] {
            let chosen = self.greedy(pool, overhead, options, per_byte).await?;
            let net: f64 = chosen.iter().map(|(_, g)| g).sum();
            let mut bytes = 0;
            for (c, _) in &chosen {
                bytes += self.size(*c).await?.unwrap_or(0);
            }
            let better = match &best {
                None => true,
                // Within 1 % the planner's estimates do not tell the sets apart: take the
                // smaller.
                Some((n, b, _, _)) => net > *n * 1.01 || (net >= *n * 0.99 && bytes < *b),
            };
            if better {
                best = Some((net, bytes, chosen, label));
            }
        }
        let (chosen, order) = best
            .map(|(_, _, c, l)| (c, l))
            .unwrap_or((Vec::new(), "gain"));
        Ok((self.prune(chosen).await?, order))
    }

    /// Drops chosen indexes that no query's plan uses with the whole set in place (a later,
    /// wider index superseded them); the plans, hence the costs, stay the same.
    async fn prune(&mut self, chosen: Vec<(usize, f64)>) -> Result<Vec<(usize, f64)>, AdviseError> {
        let set: Vec<usize> = chosen.iter().map(|(c, _)| *c).collect();
        let mut used: BTreeSet<usize> = BTreeSet::new();
        for q in 0..self.queries.len() {
            used.extend(self.query_cost(q, &set).await?.1);
        }
        Ok(chosen
            .into_iter()
            .filter(|(c, _)| used.contains(c))
            .collect())
    }

    async fn greedy(
        &mut self,
        pool: &[usize],
        overhead: &HashMap<usize, f64>,
        options: &IndexOptions,
        per_byte: bool,
    ) -> Result<Vec<(usize, f64)>, AdviseError> {
        let base = self.base_workload_cost();
        let min_gain = base * options.min_gain_fraction;
        let mut chosen: Vec<(usize, f64)> = Vec::new();
        let mut set: Vec<usize> = Vec::new();
        let mut bytes: i64 = 0;
        let mut current = base;
        loop {
            if options.max_indexes.is_some_and(|m| chosen.len() >= m) {
                break;
            }
            let mut best: Option<(usize, f64, f64, f64)> = None; // (c, score, gain, new cost)
            for &c in pool {
                if set.contains(&c) {
                    continue;
                }
                let Some(size) = self.size(c).await? else {
                    continue;
                };
                if options.max_bytes.is_some_and(|m| bytes + size > m) {
                    continue;
                }
                let mut with = set.clone();
                with.push(c);
                let cost = self.workload_cost(&with).await?;
                let gain = current - cost - overhead.get(&c).copied().unwrap_or(0.0);
                if gain <= min_gain {
                    continue;
                }
                let score = if per_byte {
                    gain / size.max(8192) as f64
                } else {
                    gain
                };
                if best.is_none_or(|(_, s, _, _)| score > s) {
                    best = Some((c, score, gain, cost));
                }
            }
            let Some((c, _, gain, cost)) = best else {
                break;
            };
            bytes += self.size(c).await?.unwrap_or(0);
            set.push(c);
            chosen.push((c, gain));
            current = cost;
        }
        Ok(chosen)
    }

    /// Removes every hypothetical index (also what ending the session does).
    pub async fn reset(&mut self) -> Result<(), AdviseError> {
        self.created.clear();
        simple(self.client, "SELECT hypopg_reset()")
            .await
            .map_err(query_error("resetting hypopg"))?;
        Ok(())
    }
}

/// Write overhead per candidate: rows written to its table over the statistics period ×
/// `write_cost_per_row`.
pub fn write_overheads(
    candidates: &[Candidate],
    model: &Model,
    options: &IndexOptions,
) -> HashMap<usize, f64> {
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let writes = model
                .table(&c.table_name())
                .and_then(|t| t.stats.as_ref())
                .map(|s| (s.n_tup_ins + s.n_tup_upd + s.n_tup_del).max(0) as f64)
                .unwrap_or(0.0);
            (i, writes * options.write_cost_per_row)
        })
        .collect()
}

/// The whole advisor: drop candidates (audit checks, in their own read-only transaction),
/// then, in one READ ONLY transaction, candidates, hypopg evaluation and greedy selection.
pub async fn advise(
    conn: &Connection,
    workload: &[WorkloadQuery],
    options: &IndexOptions,
) -> Result<IndexAdvice, AdviseError> {
    let drops = if options.drops {
        drop_candidates(conn, options.unused_min_bytes).await?
    } else {
        Vec::new()
    };
    let client = &conn.client;
    simple(client, "BEGIN READ ONLY")
        .await
        .map_err(query_error("starting a read-only transaction"))?;
    let result = advise_in_transaction(client, workload, options).await;
    let rollback = simple(client, "ROLLBACK").await;
    // hypopg's indexes are not transactional: reset them explicitly, whatever happened.
    if hypopg_available(client).await.is_ok() {
        simple(client, "SELECT hypopg_reset()")
            .await
            .map_err(query_error("resetting hypopg"))?;
    }
    let mut advice = result?;
    rollback.map_err(query_error("ending the transaction"))?;
    advice.drops = drops;
    Ok(advice)
}

async fn advise_in_transaction(
    client: &Client,
    workload: &[WorkloadQuery],
    options: &IndexOptions,
) -> Result<IndexAdvice, AdviseError> {
    let analysed = analyse_workload(client, workload).await?;
    let mut advice = IndexAdvice {
        evaluated: false,
        notes: Vec::new(),
        recommendations: Vec::new(),
        unevaluated: Vec::new(),
        queries: Vec::new(),
        covered: analysed.covered.clone(),
        drops: Vec::new(),
        workload_cost_before: 0.0,
        workload_cost_after: 0.0,
        candidates_evaluated: 0,
        explains: 0,
        strategy: String::new(),
    };
    if let Err(note) = hypopg_available(client).await {
        advice.notes.push(note);
        advice.unevaluated = analysed.candidates.clone();
        for (i, (q, a)) in workload.iter().zip(&analysed.analyses).enumerate() {
            advice.queries.push(QueryEffect {
                query: i,
                text: q.text.clone(),
                calls: q.calls,
                cost_before: None,
                cost_after: None,
                cost_ratio: None,
                uses: Vec::new(),
                binding: None,
                not_evaluated: Some(match a {
                    Ok(_) => "hypopg is not available".into(),
                    Err(e) => format!("not parsed: {e}"),
                }),
            });
        }
        return Ok(advice);
    }
    advice.evaluated = true;
    let mut whatif = WhatIf::open(client, workload, &analysed).await?;
    let pool = whatif.useful_alone().await?;
    let overhead = write_overheads(&whatif.candidates, &analysed.model, options);
    let (chosen, strategy) = whatif.select(&pool, &overhead, options).await?;
    advice.strategy = strategy.to_string();
    advice.candidates_evaluated = whatif.candidates.len();
    let set: Vec<usize> = chosen.iter().map(|(c, _)| *c).collect();
    // Names unique among the new indexes and the schema's existing relations' indexes.
    let mut taken: Vec<String> = analysed
        .model
        .indexes
        .iter()
        .map(|i| i.name.name.clone())
        .collect();
    let mut names = Vec::new();
    for (c, gain) in &chosen {
        let base_name = whatif.candidates[*c].name();
        let mut name = base_name.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{}{n}", base_name.trim_end_matches("_idx"));
            name.push_str("_idx");
        }
        taken.push(name.clone());
        names.push(name.clone());
        advice.recommendations.push(Recommendation {
            candidate: whatif.candidates[*c].clone(),
            name: name.clone(),
            create_sql: whatif.candidates[*c].create_sql_named(&name),
            estimated_bytes: whatif.size(*c).await?.unwrap_or(0),
            gain: *gain,
            write_overhead: overhead.get(c).copied().unwrap_or(0.0),
            helps: Vec::new(),
        });
    }
    advice.workload_cost_before = whatif.base_workload_cost();
    advice.workload_cost_after = whatif.workload_cost(&set).await?;
    for q in 0..whatif.queries.len() {
        let (after, used) = whatif.query_cost(q, &set).await?;
        let eq = whatif.queries[q].clone();
        let mut uses = Vec::new();
        for c in used {
            if let Some(pos) = set.iter().position(|x| *x == c) {
                uses.push(names[pos].clone());
                if after < eq.base_cost {
                    advice.recommendations[pos].helps.push(QueryHelp {
                        query: eq.query,
                        cost_before: eq.base_cost,
                        cost_after: after,
                    });
                }
            }
        }
        let wq = &workload[eq.query];
        advice.queries.push(QueryEffect {
            query: eq.query,
            text: wq.text.clone(),
            calls: wq.calls,
            cost_before: Some(eq.base_cost),
            cost_after: Some(after),
            cost_ratio: (eq.base_cost > 0.0).then(|| after / eq.base_cost),
            uses,
            binding: Some(eq.explainable.binding.clone()),
            not_evaluated: None,
        });
    }
    for (i, reason) in &whatif.skipped {
        let wq = &workload[*i];
        advice.queries.push(QueryEffect {
            query: *i,
            text: wq.text.clone(),
            calls: wq.calls,
            cost_before: None,
            cost_after: None,
            cost_ratio: None,
            uses: Vec::new(),
            binding: None,
            not_evaluated: Some(reason.clone()),
        });
    }
    advice.queries.sort_by_key(|q| q.query);
    advice.explains = whatif.explains;
    whatif.reset().await?;
    Ok(advice)
}

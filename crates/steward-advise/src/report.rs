//! The advice: what to fix first and what it saves — findings from the query rules and the
//! N+1 detector, each with its economics, sorted by estimated savings; the top queries by total
//! time; and the workload's facts. Rendered as text or as one versioned JSON object.
//!
//! Index advice from the what-if advisor (`crate::indexes`) joins as a third kind of
//! [`Finding`] (see `FindingKind` and the `indexes` key): its cost ratio comes from plans,
//! and [`Savings::estimate`] does the rest.

use crate::economics::{rule_cost_ratio, Price, Savings, NPLUS1_COST_RATIO};
use crate::indexes::IndexAdvice;
use crate::nplus1::{self, Evidence, NPlusOne, Strength};
use crate::rewrite;
use crate::rules::{self, RuleRun};
use crate::workload::{SourceKind, Workload};
use serde_json::{json, Value};
use steward_core::model::Model;
use steward_core::{Category, Diagnostic, Dialect, Severity};
use steward_rules::Rule;

/// The JSON output's version; bumped on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// Options of a run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many top queries to list.
    pub top: usize,
    pub price: Price,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            top: 10,
            price: Price::default(),
        }
    }
}

/// What a finding is.
#[derive(Debug, Clone)]
pub enum FindingKind {
    /// A query rule of `steward lint` fired on the shape.
    Rule(Diagnostic),
    /// The shape is the child of an N+1 loop.
    NPlusOne(NPlusOne),
    /// Indexes the what-if advisor recommends make the shape's plan cheaper; the cost ratio
    /// comes from its plans with and without them.
    Indexes {
        /// Names of the recommended indexes its plan uses.
        uses: Vec<String>,
        /// Their `CREATE INDEX CONCURRENTLY` statements.
        create: Vec<String>,
        cost_before: f64,
        cost_after: f64,
    },
}

/// Shapes whose planned cost falls by less than this share are not worth a finding.
const MIN_INDEX_SAVING: f64 = 0.05;

/// One thing to fix, with what it saves.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    /// Index of the shape in the workload (rank − 1).
    pub query: usize,
    pub savings: Savings,
    /// Where the cost ratio comes from: `rule-of-thumb`, `n+1 batching`, or `none` when the
    /// finding is not about time.
    pub ratio_basis: &'static str,
    /// The rule's rewrite of this query (`crate::rewrite`), or why it was refused.
    pub rewrite: Option<rewrite::Outcome>,
}

/// The rewrite that answers a rule's finding.
fn rewrite_kind(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "not-in-subquery" => "not-in-to-not-exists",
        "count-for-existence" => "count-to-exists",
        "non-sargable-predicate" => "sargable-range",
        "correlated-subquery" => "correlated-to-lateral",
        "offset-pagination" => "offset-to-keyset",
        _ => return None,
    })
}

/// The rewrite of `sql` of `kind`, or why it was refused (`None` when it does not apply).
fn rewrite_for(sql: &str, kind: &str, model: &Model) -> Option<rewrite::Outcome> {
    let outcome = match kind {
        "not-in-to-not-exists" => rewrite::not_in_to_not_exists(sql, model),
        "count-to-exists" => rewrite::count_to_exists(sql, model),
        "sargable-range" => rewrite::sargable_range(sql, model),
        "correlated-to-lateral" => rewrite::correlated_to_lateral(sql, model),
        "offset-to-keyset" => rewrite::offset_to_keyset(sql, model),
        _ => return None,
    };
    (outcome != rewrite::Outcome::NotApplicable).then_some(outcome)
}

impl Finding {
    pub fn rule(&self) -> &'static str {
        match &self.kind {
            FindingKind::Rule(d) => d.rule,
            FindingKind::NPlusOne(_) => "n-plus-one",
            FindingKind::Indexes { .. } => "missing-index",
        }
    }

    pub fn severity(&self) -> Severity {
        match &self.kind {
            FindingKind::Rule(d) => d.severity,
            FindingKind::NPlusOne(_) | FindingKind::Indexes { .. } => Severity::Warning,
        }
    }
}

/// The whole advice.
#[derive(Debug, Clone)]
pub struct Advice {
    pub workload: Workload,
    /// Sorted by estimated savings per day, largest first.
    pub findings: Vec<Finding>,
    pub rule_run: RuleRun,
    /// Whether a schema (live catalog) informed the analysis.
    pub schema_known: bool,
    pub options: Options,
    /// The what-if index advisor's answer, when it ran (live only).
    pub indexes: Option<IndexAdvice>,
}

/// Analyses a workload: query rules, N+1 detection, economics.
pub fn advise(
    workload: Workload,
    model: Option<&Model>,
    rules: &[&dyn Rule],
    options: Options,
) -> Advice {
    let empty = Model::new(Dialect::Postgres);
    let rule_run = rules::run(&workload, model.unwrap_or(&empty), rules);
    let days = workload.window.days();
    let mut findings = Vec::new();
    for f in &rule_run.findings {
        let query = &workload.queries[f.query];
        let ratio = rule_cost_ratio(f.diagnostic.rule);
        let rewrite = rewrite_kind(f.diagnostic.rule)
            .and_then(|kind| rewrite_for(&query.text, kind, model.unwrap_or(&empty)));
        findings.push(Finding {
            kind: FindingKind::Rule(f.diagnostic.clone()),
            query: f.query,
            savings: Savings::estimate(query, days, ratio.unwrap_or(1.0), options.price),
            ratio_basis: if ratio.is_some() {
                "rule-of-thumb"
            } else {
                "none"
            },
            rewrite,
        });
    }
    for n in nplus1::detect(&workload, model) {
        let query = &workload.queries[n.child];
        findings.push(Finding {
            query: n.child,
            savings: Savings::estimate(query, days, NPLUS1_COST_RATIO, options.price),
            kind: FindingKind::NPlusOne(n),
            ratio_basis: "n+1 batching",
            rewrite: None,
        });
    }
    sort(&mut findings);
    Advice {
        workload,
        findings,
        rule_run,
        schema_known: model.is_some(),
        options,
        indexes: None,
    }
}

/// Largest estimated savings first.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.savings
            .saved_seconds_per_day
            .total_cmp(&a.savings.saved_seconds_per_day)
            .then(b.severity().cmp(&a.severity()))
            .then(a.query.cmp(&b.query))
            .then(a.rule().cmp(b.rule()))
    });
}

impl Advice {
    /// Adds the what-if index advisor's answer (run on `self.workload.queries`): a
    /// `missing-index` finding for each shape whose plan the recommended indexes make
    /// cheaper, priced with the plan cost ratio.
    pub fn with_indexes(mut self, advice: IndexAdvice) -> Advice {
        let days = self.workload.window.days();
        for effect in &advice.queries {
            let (Some(before), Some(after), Some(ratio)) =
                (effect.cost_before, effect.cost_after, effect.cost_ratio)
            else {
                continue;
            };
            let Some(query) = self.workload.queries.get(effect.query) else {
                continue;
            };
            if effect.uses.is_empty() || ratio > 1.0 - MIN_INDEX_SAVING {
                continue;
            }
            let create = advice
                .recommendations
                .iter()
                .filter(|r| effect.uses.contains(&r.name))
                .map(|r| r.create_sql.clone())
                .collect();
            self.findings.push(Finding {
                kind: FindingKind::Indexes {
                    uses: effect.uses.clone(),
                    create,
                    cost_before: before,
                    cost_after: after,
                },
                query: effect.query,
                savings: Savings::estimate(query, days, ratio, self.options.price),
                ratio_basis: "plan cost with hypothetical indexes",
                rewrite: None,
            });
        }
        sort(&mut self.findings);
        self.indexes = Some(advice);
        self
    }
}

/// `12 000` — thousands separated by a space.
pub fn thousands(n: f64) -> String {
    let rounded = n.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

fn seconds(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 10.0 {
        format!("{:.0} s", s)
    } else if s >= 0.1 {
        format!("{:.2} s", s)
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.3} ms")
    }
}

fn money(amount: f64, price: &Price) -> String {
    // Small amounts keep their significant digits: a test window's $0.0043 is not $0.00.
    let figure = if amount >= 100.0 {
        format!("{amount:.0}")
    } else if amount >= 1.0 || amount == 0.0 {
        format!("{amount:.2}")
    } else {
        format!("{amount:.4}")
    };
    if price.currency == "USD" {
        format!("${figure}")
    } else {
        format!("{figure} {}", price.currency)
    }
}

fn duration_words(s: f64) -> String {
    if s >= 2.0 * 86_400.0 {
        format!("{:.1} days", s / 86_400.0)
    } else if s >= 2.0 * 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 120.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{s:.0} s")
    }
}

fn one_line(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn source_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::PgStatStatements => "pg_stat_statements",
        SourceKind::Log => "server log",
        SourceKind::Queries => "queries file",
    }
}

impl Advice {
    /// Finding rule ids per query index (for the top-queries table).
    fn rules_of(&self, query: usize) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = self
            .findings
            .iter()
            .filter(|f| f.query == query)
            .map(Finding::rule)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// How often and how long, in words: "runs 12 000×/day, 0.050 ms each, 0.60 s/day".
    fn impact(&self, savings: &Savings) -> String {
        format!(
            "runs {}×/day, {} each, {}/day of database time ({}/month)",
            thousands(savings.calls_per_day),
            millis(savings.mean_ms),
            seconds(savings.db_seconds_per_day),
            money(savings.cost_per_month, &self.options.price)
        )
    }

    fn window_words(&self) -> String {
        let w = &self.workload.window;
        match (w.seconds, &w.since) {
            (Some(s), Some(since)) => format!(
                "over {} since {since} ({})",
                duration_words(s),
                w.basis.replace('_', " ")
            ),
            (Some(s), None) => format!("over {}", duration_words(s)),
            _ => match self.workload.source.kind {
                SourceKind::Queries => "as calls per day".to_string(),
                _ => "over an unknown period (taken as one day)".to_string(),
            },
        }
    }

    /// The text report.
    pub fn to_text(&self) -> String {
        let w = &self.workload;
        let price = &self.options.price;
        let days = w.window.days();
        let mut out = String::new();
        let version = w
            .source
            .server_version
            .map(|v| format!(", PostgreSQL {}.{}", v / 10000, v % 10000))
            .unwrap_or_default();
        out.push_str(&format!(
            "Workload: {} of {}{version}\n  {} statement shapes, {} calls {}\n",
            source_name(w.source.kind),
            w.source.described,
            thousands(w.queries.len() as f64),
            thousands(w.total_calls() as f64),
            self.window_words(),
        ));
        let total_s = w.total_ms() / 1000.0;
        out.push_str(&format!(
            "  database time: {} measured, {}/day, {}/month at {} per vCPU-hour\n",
            seconds(total_s),
            seconds(total_s / days),
            money(price.per_month(total_s / days), price),
            money(price.per_vcpu_hour, price),
        ));
        if !self.schema_known {
            out.push_str("  no schema (offline): foreign keys unknown, N+1 loops rest on session order alone\n");
        }

        out.push_str("\nWhat to fix first (estimated savings, largest first):\n");
        if self.findings.is_empty() {
            out.push_str("  nothing found\n");
        } else {
            out.push_str(&format!(
                "  {:>3}  {:>10}  {:>9}  {:<28} {}\n",
                "#", "saved/day", "per month", "finding", "query"
            ));
            for (i, f) in self.findings.iter().enumerate() {
                let label = match &f.kind {
                    FindingKind::NPlusOne(n) => format!(
                        "n-plus-one ({})",
                        match n.strength {
                            Strength::Strong => "strong",
                            Strength::Medium => "medium",
                        }
                    ),
                    FindingKind::Rule(d) => d.rule.to_string(),
                    FindingKind::Indexes { .. } => "missing-index".to_string(),
                };
                out.push_str(&format!(
                    "  {:>3}  {:>10}  {:>9}  {:<28} #{} {}\n",
                    i + 1,
                    seconds(f.savings.saved_seconds_per_day),
                    money(f.savings.saved_per_month, price),
                    label,
                    f.query + 1,
                    one_line(&w.queries[f.query].text, 70)
                ));
            }
        }

        for (i, f) in self.findings.iter().enumerate() {
            let q = &w.queries[f.query];
            out.push_str(&format!(
                "\n{}. {} [{}] on query #{}\n   {}\n   {}\n",
                i + 1,
                f.rule(),
                f.severity(),
                f.query + 1,
                q.text,
                self.impact(&f.savings)
            ));
            match &f.kind {
                FindingKind::Rule(d) => {
                    out.push_str(&format!("   {}\n", d.message));
                    if let Some(help) = &d.help {
                        out.push_str(&format!("   why: {help}\n"));
                    }
                    if let Some(fix) = &d.fix {
                        out.push_str(&format!("   fix:\n{}\n", indent(fix, 6)));
                    }
                    match &f.rewrite {
                        Some(rewrite::Outcome::Rewritten(r)) => {
                            if let Some(first) = &r.first_page {
                                out.push_str(&format!(
                                    "   rewrite, first page:\n{}\n",
                                    indent(first, 6)
                                ));
                            }
                            out.push_str(&format!(
                                "   rewrite ({}):\n{}\n   {}\n",
                                r.kind,
                                indent(&r.sql, 6),
                                r.note
                            ));
                            if let Some(index) = &r.index {
                                out.push_str(&format!("   index it needs: {index}\n"));
                            }
                        }
                        Some(rewrite::Outcome::Refused(why)) => {
                            out.push_str(&format!("   no automatic rewrite: {why}\n"));
                        }
                        _ => {}
                    }
                }
                FindingKind::NPlusOne(n) => self.nplus1_text(n, &mut out),
                FindingKind::Indexes {
                    uses,
                    create,
                    cost_before,
                    cost_after,
                } => {
                    out.push_str(&format!(
                        "   its plan with the recommended index(es) {}: cost per call {cost_before:.0} → {cost_after:.0} (hypopg, nothing built)\n",
                        uses.join(", ")
                    ));
                    out.push_str(&format!("   fix:\n{}\n", indent(&create.join("\n"), 6)));
                }
            }
            if f.ratio_basis == "none" {
                out.push_str("   saves: no time estimate (not a cost finding)\n");
            } else {
                out.push_str(&format!(
                    "   estimate: {}/day after the fix ({:.0}% of today, {}), saves {}/day ≈ {}/month\n",
                    seconds(f.savings.after_seconds_per_day),
                    f.savings.cost_ratio_after * 100.0,
                    f.ratio_basis,
                    seconds(f.savings.saved_seconds_per_day),
                    money(f.savings.saved_per_month, price)
                ));
            }
        }

        if let Some(advice) = &self.indexes {
            index_text(advice, &mut out);
        }

        out.push_str(&format!(
            "\nTop queries by total time ({} of {}):\n",
            self.options.top.min(w.queries.len()),
            w.queries.len()
        ));
        out.push_str(&format!(
            "  {:>3}  {:>10}  {:>9}  {:>10}  {:>9}  {:>15}  {:>6}  {}\n",
            "#", "total", "calls", "mean", "rows", "hit/read", "share", "query"
        ));
        let total_ms = w.total_ms();
        for (i, q) in w.queries.iter().take(self.options.top).enumerate() {
            let rows = if w.rows_known {
                thousands(q.rows as f64)
            } else {
                "?".into()
            };
            let buffers = if w.buffers_known {
                format!(
                    "{}/{}",
                    thousands(q.shared_blks_hit as f64),
                    thousands(q.shared_blks_read as f64)
                )
            } else {
                "?".into()
            };
            let share = if total_ms > 0.0 {
                format!("{:.1}%", q.total_ms / total_ms * 100.0)
            } else {
                "-".into()
            };
            let flagged = self.rules_of(i);
            let flags = if flagged.is_empty() {
                String::new()
            } else {
                format!("  [{}]", flagged.join(", "))
            };
            out.push_str(&format!(
                "  {:>3}  {:>10}  {:>9}  {:>10}  {:>9}  {:>15}  {:>6}  {}{flags}\n",
                i + 1,
                millis(q.total_ms),
                thousands(q.calls as f64),
                millis(q.mean_ms()),
                rows,
                buffers,
                share,
                one_line(&q.text, 80)
            ));
        }

        out.push_str(&format!(
            "\n{} shape(s) checked by the query rules",
            self.rule_run.analysed
        ));
        if !self.rule_run.unparsed.is_empty() {
            out.push_str(&format!(
                ", {} could not be parsed",
                self.rule_run.unparsed.len()
            ));
        }
        out.push('\n');
        for note in self.all_notes() {
            out.push_str(&format!("note: {note}\n"));
        }
        out.push_str("Savings are estimates: measured time × a rule-of-thumb ratio of what remains after the fix.\n");
        out
    }

    fn nplus1_text(&self, n: &NPlusOne, out: &mut String) {
        let w = &self.workload;
        if let Some(parent) = n.parent {
            out.push_str(&format!(
                "   runs once per row of query #{}: {}\n",
                parent + 1,
                one_line(&w.queries[parent].text, 100)
            ));
        }
        let evidence = match &n.evidence {
            Evidence::SessionOrder {
                bursts,
                child_executions,
                mean_burst,
                varying,
            } => format!(
                "{} time(s) a session ran the parent and then this query {} times in a row (mean {:.1}){}",
                thousands(*bursts as f64),
                thousands(*child_executions as f64),
                mean_burst,
                if *varying { ", each with a different parameter value" } else { "" }
            ),
            Evidence::CallRatio {
                parent_calls,
                parent_rows,
                child_calls,
                child_rows_per_call,
            } => format!(
                "the parent returned {} rows in {} calls; this query ran {} times, {:.1} rows per call",
                thousands(*parent_rows as f64),
                thousands(*parent_calls as f64),
                thousands(*child_calls as f64),
                child_rows_per_call
            ),
        };
        out.push_str(&format!("   evidence: {evidence}\n"));
        match &n.foreign_key {
            Some(fk) => out.push_str(&format!("   foreign key: {fk}\n")),
            None => out.push_str("   foreign key: unknown (no schema) — weaker evidence\n"),
        }
        out.push_str(&format!(
            "   {} round trips fewer in the window\n",
            thousands(n.round_trips_saved as f64)
        ));
        if let Some(b) = &n.batched {
            out.push_str(&format!(
                "   fix: fetch the children of all parent rows at once (pass the keys as an array):\n{}\n",
                indent(b, 6)
            ));
        }
        if let Some(j) = &n.joined {
            out.push_str(&format!(
                "   or in one statement with the parent:\n{}\n",
                indent(j, 6)
            ));
        }
        if n.batched.is_none() && n.joined.is_none() {
            out.push_str("   fix: load the rows for all parent rows in one query (JOIN with the parent query, or `= ANY($1)` with the parent keys)\n");
        }
    }

    fn all_notes(&self) -> Vec<String> {
        let mut notes = self.workload.notes.clone();
        let s = &self.workload.skipped;
        if s.untokenizable > 0 {
            notes.push(format!(
                "{} statement(s) could not be tokenized and were left out (never printed)",
                s.untokenizable
            ));
        }
        if s.parse_bind > 0 {
            notes.push(format!(
                "{} parse/bind log lines were not counted as executions",
                s.parse_bind
            ));
        }
        if self.workload.window.seconds.is_some_and(|s| s < 3600.0) {
            notes.push(
                "the window is shorter than an hour: per-day figures are extrapolated from it"
                    .to_string(),
            );
        }
        notes
    }

    /// The JSON report (see the README for the contract).
    pub fn to_json(&self) -> Value {
        let w = &self.workload;
        let days = w.window.days();
        let price = self.options.price;
        let total_ms = w.total_ms();
        let top: Vec<Value> = w
            .queries
            .iter()
            .take(self.options.top)
            .enumerate()
            .map(|(i, q)| {
                let s = Savings::current(q, days, price);
                json!({
                    "rank": i + 1,
                    "query": q.text,
                    "calls": q.calls,
                    "total_ms": q.total_ms,
                    "mean_ms": q.mean_ms(),
                    "rows": w.rows_known.then_some(q.rows),
                    "shared_blks_hit": w.buffers_known.then_some(q.shared_blks_hit),
                    "shared_blks_read": w.buffers_known.then_some(q.shared_blks_read),
                    "blk_read_time_ms": w.read_time_ms.get(i).copied().flatten(),
                    "share_of_total": if total_ms > 0.0 { q.total_ms / total_ms } else { 0.0 },
                    "calls_per_day": s.calls_per_day,
                    "db_seconds_per_day": s.db_seconds_per_day,
                    "cost_per_month": s.cost_per_month,
                    "findings": self.rules_of(i),
                })
            })
            .collect();
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let q = &w.queries[f.query];
                let mut v = json!({
                    "rule": f.rule(),
                    "severity": f.severity(),
                    "query_rank": f.query + 1,
                    "query": q.text,
                    "impact": self.impact(&f.savings),
                    "savings": f.savings,
                    "ratio_basis": f.ratio_basis,
                });
                match &f.kind {
                    FindingKind::Rule(d) => {
                        v["category"] = json!(d.category);
                        v["message"] = json!(d.message);
                        v["help"] = json!(d.help);
                        v["fix"] = json!(d.fix);
                        v["rewrite"] = json!(f.rewrite);
                    }
                    FindingKind::Indexes {
                        uses,
                        create,
                        cost_before,
                        cost_after,
                    } => {
                        v["category"] = json!(Category::Performance);
                        v["message"] = json!(format!(
                            "the recommended index(es) {} cut its planned cost per call from {cost_before:.0} to {cost_after:.0}",
                            uses.join(", ")
                        ));
                        v["indexes"] = json!(uses);
                        v["fix"] = json!(create.join("\n"));
                    }
                    FindingKind::NPlusOne(n) => {
                        v["category"] = json!(Category::Performance);
                        v["message"] = json!(format!(
                            "N+1: runs once per row of query #{}",
                            n.parent.map_or(0, |p| p + 1)
                        ));
                        v["parent_rank"] = json!(n.parent.map(|p| p + 1));
                        v["parent_query"] = json!(n.parent.map(|p| &w.queries[p].text));
                        v["strength"] = json!(n.strength);
                        v["evidence"] = json!(n.evidence);
                        v["foreign_key"] = json!(n.foreign_key);
                        v["round_trips_saved"] = json!(n.round_trips_saved);
                        v["fix"] = json!(n.batched);
                        v["fix_joined"] = json!(n.joined);
                    }
                }
                v
            })
            .collect();
        json!({
            "version": JSON_VERSION,
            "source": w.source,
            "window": {
                "seconds": w.window.seconds,
                "since": w.window.since,
                "basis": w.window.basis,
                "days": days,
            },
            "price": price,
            "schema_known": self.schema_known,
            "totals": {
                "statements": w.queries.len(),
                "calls": w.total_calls(),
                "total_ms": total_ms,
                "db_seconds_per_day": total_ms / 1000.0 / days,
                "cost_per_month": price.per_month(total_ms / 1000.0 / days),
                "rows_known": w.rows_known,
                "buffers_known": w.buffers_known,
                "analysed": self.rule_run.analysed,
                "unparsed": self.rule_run.unparsed.len(),
            },
            "findings": findings,
            "top_queries": top,
            // The what-if index advisor's full answer (null when it did not run).
            "indexes": self.indexes,
            "skipped": w.skipped,
            "notes": self.all_notes(),
        })
    }
}

/// The index section: what to create (and what each helps), what to drop.
fn index_text(advice: &IndexAdvice, out: &mut String) {
    if advice.evaluated {
        let before = advice.workload_cost_before;
        let after = advice.workload_cost_after;
        out.push_str(&format!(
            "\nIndexes to create (what-if with hypopg, nothing built; workload plan cost {} → {}, {:.0}% less):\n",
            thousands(before),
            thousands(after),
            if before > 0.0 { (1.0 - after / before) * 100.0 } else { 0.0 }
        ));
        if advice.recommendations.is_empty() {
            out.push_str("  none would pay for itself (each is charged the writes to its table since the statistics were reset)\n");
        }
        for r in &advice.recommendations {
            let helps: Vec<String> = r
                .helps
                .iter()
                .map(|h| {
                    format!(
                        "#{} {:.0} → {:.0}",
                        h.query + 1,
                        h.cost_before,
                        h.cost_after
                    )
                })
                .collect();
            out.push_str(&format!(
                "  {}\n    ~{} KB; helps {}\n",
                r.create_sql,
                r.estimated_bytes / 1024,
                helps.join(", ")
            ));
        }
    } else if !advice.unevaluated.is_empty() {
        out.push_str("\nIndex candidates (rule-based, not evaluated: hypopg is not available):\n");
        for c in &advice.unevaluated {
            out.push_str(&format!("  {}\n", c.create_sql()));
        }
    }
    if !advice.drops.is_empty() {
        out.push_str("\nIndexes to drop:\n");
        for d in &advice.drops {
            out.push_str(&format!("  {} — {}\n", d.index, d.message));
            if let Some(sql) = &d.sql {
                out.push_str(&format!("    {sql}\n"));
            }
        }
    }
    for note in &advice.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(12_000.0), "12 000");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_234_567.0), "1 234 567");
        assert_eq!(seconds(0.05), "50.0 ms");
        assert_eq!(seconds(120.0), "120 s");
        assert_eq!(money(1234.0, &Price::default()), "$1234");
    }
}

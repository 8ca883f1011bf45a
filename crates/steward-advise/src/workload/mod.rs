//! Where a workload comes from — `pg_stat_statements` ([`pgss`]), a server log ([`log`]) or a
//! file of queries ([`file`]) — and the one shape they all produce: a [`Workload`] of
//! normalised statement shapes ([`WorkloadQuery`]) ranked by total time, with the observation
//! window and, from logs, the order in which each session ran them (for N+1 detection).

pub mod file;
pub mod log;
pub mod normalise;
pub mod pgss;

use crate::WorkloadQuery;
use normalise::{normalise, Untokenizable};
use serde::Serialize;
use std::collections::HashMap;

/// Why a workload could not be read (exit code 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    /// pg_stat_statements is not usable; the message says how to enable it.
    #[error("{0}")]
    StatsMissing(String),
    #[error("reading pg_stat_statements failed: {0}")]
    Query(String),
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: {reason}")]
    Format { path: String, reason: String },
}

/// Which kind of source a workload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    PgStatStatements,
    Log,
    Queries,
}

/// The source, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The database (`user@host:port/db`) or the file read.
    pub described: String,
    /// `server_version_num` for live sources.
    pub server_version: Option<u32>,
}

/// The period the figures cover.
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    /// Length in seconds, when known.
    pub seconds: Option<f64>,
    /// Where the period starts (the statistics reset, the first log line), as the server
    /// prints timestamps.
    pub since: Option<String>,
    /// What the start is: `stats_reset`, `postmaster_start`, `first_log_line`.
    pub basis: &'static str,
}

impl Window {
    /// A window of unknown length: per-day figures take the totals as one day's.
    pub fn assumed_day(basis: &'static str) -> Window {
        Window {
            seconds: None,
            since: None,
            basis,
        }
    }

    /// The window in days (one day when unknown; at least one second).
    pub fn days(&self) -> f64 {
        match self.seconds {
            Some(s) => s.max(1.0) / 86_400.0,
            None => 1.0,
        }
    }
}

/// One execution in a session's order (logs only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Execution {
    /// Index into [`Workload::queries`].
    pub query: usize,
    /// A hash of the parameter or constant values of this execution (never the values).
    pub values_hash: Option<u64>,
}

/// The statements one session ran, in order.
#[derive(Debug, Clone)]
pub struct SessionTrace {
    pub session: String,
    pub executions: Vec<Execution>,
}

/// What was read and left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Skipped {
    /// Texts the tokenizer rejected (never printed).
    pub untokenizable: u64,
    /// pg_stat_statements rows of other roles whose text this role may not read.
    pub insufficient_privilege: u64,
    /// Log lines for the parse and bind phases of extended-protocol statements (their time is
    /// planning, not execution, and pg_stat_statements leaves it out too).
    pub parse_bind: u64,
}

/// A workload: statement shapes and what they cost over a window.
#[derive(Debug, Clone)]
pub struct Workload {
    pub source: Source,
    /// One entry per shape, ranked by total time (largest first).
    pub queries: Vec<WorkloadQuery>,
    /// Time spent reading blocks (pg_stat_statements with `track_io_timing`), per query.
    pub read_time_ms: Vec<Option<f64>>,
    /// Whether row counts are measured (logs have none).
    pub rows_known: bool,
    /// Whether buffer counts are measured.
    pub buffers_known: bool,
    pub window: Window,
    /// Per-session order of executions (logs only; empty otherwise).
    pub sessions: Vec<SessionTrace>,
    /// Whether sessions were told apart by the log line prefix (`%c` or `%p`).
    pub sessions_identified: bool,
    pub skipped: Skipped,
    /// Things the reader of the report should know about the source.
    pub notes: Vec<String>,
}

/// Aggregates executions into shapes as a source is read.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    index: HashMap<String, usize>,
    queries: Vec<WorkloadQuery>,
    read_time_ms: Vec<Option<f64>>,
    /// Raw texts without constants recur verbatim (prepared statements): skip re-tokenizing.
    cache: HashMap<String, (usize, u64)>,
    sessions: Vec<SessionTrace>,
    session_index: HashMap<String, usize>,
    pub skipped: Skipped,
}

/// One observation of a statement (one log line, one pg_stat_statements row).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Observed {
    pub calls: u64,
    pub total_ms: f64,
    pub rows: u64,
    pub shared_blks_hit: u64,
    pub shared_blks_read: u64,
    pub read_time_ms: Option<f64>,
}

impl Builder {
    /// Adds an observation of `raw`; returns the shape's index and the values' hash.
    pub fn record(&mut self, raw: &str, observed: Observed) -> Option<(usize, u64)> {
        let (index, hash) = match self.cache.get(raw) {
            Some(hit) => *hit,
            None => match normalise(raw) {
                Ok(shape) => {
                    let next = self.queries.len();
                    let index = *self.index.entry(shape.text.clone()).or_insert(next);
                    if index == next {
                        self.queries.push(WorkloadQuery {
                            text: shape.text,
                            calls: 0,
                            total_ms: 0.0,
                            rows: 0,
                            shared_blks_hit: 0,
                            shared_blks_read: 0,
                        });
                        self.read_time_ms.push(None);
                    }
                    if shape.constants == 0 && self.cache.len() < 100_000 {
                        self.cache
                            .insert(raw.to_string(), (index, shape.values_hash));
                    }
                    (index, shape.values_hash)
                }
                Err(Untokenizable(_)) => {
                    self.skipped.untokenizable += 1;
                    return None;
                }
            },
        };
        let q = &mut self.queries[index];
        q.calls += observed.calls;
        q.total_ms += observed.total_ms;
        q.rows += observed.rows;
        q.shared_blks_hit += observed.shared_blks_hit;
        q.shared_blks_read += observed.shared_blks_read;
        if let Some(ms) = observed.read_time_ms {
            *self.read_time_ms[index].get_or_insert(0.0) += ms;
        }
        Some((index, hash))
    }

    /// Appends an execution to a session's trace.
    pub fn trace(&mut self, session: &str, execution: Execution) {
        let i = match self.session_index.get(session) {
            Some(i) => *i,
            None => {
                self.sessions.push(SessionTrace {
                    session: session.to_string(),
                    executions: Vec::new(),
                });
                self.session_index
                    .insert(session.to_string(), self.sessions.len() - 1);
                self.sessions.len() - 1
            }
        };
        self.sessions[i].executions.push(execution);
    }

    /// The workload, ranked by total time (session traces renumbered to match).
    pub fn finish(self, source: Source, window: Window) -> Workload {
        let mut order: Vec<usize> = (0..self.queries.len()).collect();
        order.sort_by(|&a, &b| {
            self.queries[b]
                .total_ms
                .total_cmp(&self.queries[a].total_ms)
                .then(self.queries[b].calls.cmp(&self.queries[a].calls))
                .then(self.queries[a].text.cmp(&self.queries[b].text))
        });
        let mut new_index = vec![0; order.len()];
        for (rank, &old) in order.iter().enumerate() {
            new_index[old] = rank;
        }
        let queries = order.iter().map(|&i| self.queries[i].clone()).collect();
        let read_time_ms = order.iter().map(|&i| self.read_time_ms[i]).collect();
        let sessions = self
            .sessions
            .into_iter()
            .map(|mut s| {
                for e in &mut s.executions {
                    e.query = new_index[e.query];
                }
                s
            })
            .collect();
        Workload {
            source,
            queries,
            read_time_ms,
            rows_known: true,
            buffers_known: true,
            window,
            sessions,
            sessions_identified: false,
            skipped: self.skipped,
            notes: Vec::new(),
        }
    }
}

impl Workload {
    /// Total execution time of every shape, in milliseconds.
    pub fn total_ms(&self) -> f64 {
        self.queries.iter().map(|q| q.total_ms).sum()
    }

    pub fn total_calls(&self) -> u64 {
        self.queries.iter().map(|q| q.calls).sum()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shapes_group_and_rank_by_total_time() {
        let mut b = Builder::default();
        let obs = |ms| Observed {
            calls: 1,
            total_ms: ms,
            ..Observed::default()
        };
        let (a1, _) = b.record("SELECT 1 FROM t WHERE id = 1", obs(1.0)).unwrap();
        let (a2, _) = b.record("SELECT 1 FROM t WHERE id = 2", obs(1.0)).unwrap();
        assert_eq!(a1, a2);
        b.trace(
            "s",
            Execution {
                query: a1,
                values_hash: None,
            },
        );
        let (c, _) = b.record("SELECT count(*) FROM big", obs(50.0)).unwrap();
        b.trace(
            "s",
            Execution {
                query: c,
                values_hash: None,
            },
        );
        assert!(b.record("SELECT 'oops", obs(1.0)).is_none());
        let w = b.finish(
            Source {
                kind: SourceKind::Log,
                described: "x".into(),
                server_version: None,
            },
            Window::assumed_day("unknown"),
        );
        assert_eq!(w.queries[0].text, "SELECT count(*) FROM big");
        assert_eq!(w.queries[1].calls, 2);
        assert_eq!(w.sessions[0].executions[0].query, 1);
        assert_eq!(w.sessions[0].executions[1].query, 0);
        assert_eq!(w.skipped.untokenizable, 1);
    }
}

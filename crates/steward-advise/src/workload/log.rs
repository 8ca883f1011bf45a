//! The workload from a PostgreSQL server log: plain stderr logs, `csvlog` and `jsonlog`
//! (PostgreSQL 15+), written with `log_min_duration_statement = 0` (every statement with its
//! duration) or with `log_statement = 'all'` plus `log_duration = on`.
//!
//! Recognised messages:
//! - `duration: 1.234 ms  statement: SELECT …` (simple protocol);
//! - `duration: 1.234 ms  execute <name>: SELECT … $1` followed by
//!   `DETAIL:  parameters: $1 = '…'` (extended protocol; the parse and bind phases are
//!   counted apart — their time is planning, which pg_stat_statements leaves out too);
//! - `statement: …` or `execute <name>: …` followed later in the same session by
//!   `duration: 1.234 ms`.
//!
//! Statements span lines (the server indents continuation lines with a tab). Sessions are told
//! apart by the line prefix: the session id (`%c`, e.g. `6650b2a1.3e8f`) when present, else
//! the process id (`%p`, as `[1234]`). Recommended:
//! `log_line_prefix = '%m [%p] %c %q%u@%d '`. Values (literals, bind parameters) are hashed to
//! tell varying parameters from repeated ones and never kept.

use super::normalise::is_transaction_control;
use super::{Builder, Execution, Observed, Source, SourceKind, Window, Workload, WorkloadError};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::path::Path;

/// The server's log formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Stderr,
    Csv,
    Json,
}

/// One log entry (a message with its continuation lines).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// Seconds since the epoch, from the line's timestamp (time zone ignored).
    pub timestamp: Option<f64>,
    pub timestamp_text: Option<String>,
    /// Session id (`%c`) or process id (`%p`).
    pub session: Option<String>,
    /// `LOG`, `DETAIL`, `ERROR`…
    pub severity: String,
    pub message: String,
}

/// Severities that start a message in a stderr log line.
const SEVERITIES: &[&str] = &[
    "LOG",
    "DETAIL",
    "STATEMENT",
    "ERROR",
    "HINT",
    "CONTEXT",
    "WARNING",
    "FATAL",
    "PANIC",
    "NOTICE",
    "INFO",
    "DEBUG1",
    "DEBUG2",
    "DEBUG3",
    "DEBUG4",
    "DEBUG5",
    "DEBUG",
    "QUERY",
    "LOCATION",
];

/// Reads a log file.
pub fn read_file(path: &Path) -> Result<Workload, WorkloadError> {
    let io = |e: std::io::Error| WorkloadError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let format = detect(&mut reader, path).map_err(io)?;
    parse(reader, format, &path.display().to_string())
}

/// Guesses the format from the name and the first line.
fn detect(reader: &mut impl BufRead, path: &Path) -> std::io::Result<LogFormat> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => return Ok(LogFormat::Csv),
        Some("json") => return Ok(LogFormat::Json),
        _ => {}
    }
    let head = reader.fill_buf()?;
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    Ok(format_of_line(&first_line))
}

fn format_of_line(line: &str) -> LogFormat {
    if line.trim_start().starts_with('{') {
        return LogFormat::Json;
    }
    // csvlog starts `2024-05-01 12:00:00.123 UTC,` (the timestamp field, then a comma) and
    // has no `LOG:  ` marker before its first comma.
    let comma = line.find(',');
    let marker = find_marker(line).map(|(at, _)| at);
    match (timestamp(line), comma) {
        (Some(_), Some(c)) if c < 40 && marker.is_none_or(|m| m > c) => LogFormat::Csv,
        _ => LogFormat::Stderr,
    }
}

/// Parses a log in a known format.
pub fn parse(
    mut reader: impl BufRead,
    format: LogFormat,
    described: &str,
) -> Result<Workload, WorkloadError> {
    let io = |e: std::io::Error| WorkloadError::Io {
        path: described.to_string(),
        reason: e.to_string(),
    };
    let mut state = State::default();
    let mut line = Vec::new();
    let mut record = String::new();
    let mut current: Option<Entry> = None;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        match format {
            LogFormat::Stderr => {
                if let Some(rest) = text.strip_prefix('\t') {
                    if let Some(entry) = current.as_mut() {
                        entry.message.push('\n');
                        entry.message.push_str(rest);
                    }
                    continue;
                }
                match stderr_entry(text) {
                    Some(entry) => {
                        if let Some(done) = current.replace(entry) {
                            state.entry(done);
                        }
                    }
                    None => {
                        // A line without a prefix: a continuation whose tab was stripped.
                        if let Some(entry) = current.as_mut() {
                            entry.message.push('\n');
                            entry.message.push_str(text);
                        }
                    }
                }
            }
            LogFormat::Csv => {
                if !record.is_empty() {
                    record.push('\n');
                }
                record.push_str(text);
                // A record is complete when its quotes balance ("" escapes count twice).
                if record.bytes().filter(|b| *b == b'"').count() % 2 == 0 {
                    let fields = csv_fields(&record);
                    record.clear();
                    for entry in csv_entries(&fields) {
                        state.entry(entry);
                    }
                }
            }
            LogFormat::Json => {
                if text.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(v) => {
                        for entry in json_entries(&v) {
                            state.entry(entry);
                        }
                    }
                    Err(_) => state.malformed += 1,
                }
            }
        }
    }
    if let Some(done) = current.take() {
        state.entry(done);
    }
    if !record.is_empty() {
        state.malformed += 1;
    }
    Ok(state.finish(described))
}

/// Splits a stderr line into prefix and message; `None` when it has no severity marker.
pub fn stderr_entry(line: &str) -> Option<Entry> {
    let (at, severity) = find_marker(line)?;
    let prefix = &line[..at];
    let message = &line[at + severity.len() + 1..];
    let (timestamp, timestamp_text) = match timestamp(prefix) {
        Some((t, text)) => (Some(t), Some(text)),
        None => (None, None),
    };
    Some(Entry {
        timestamp,
        timestamp_text,
        session: session_of_prefix(prefix),
        severity: severity.to_string(),
        message: message.trim_start().to_string(),
    })
}

/// The earliest `SEVERITY:  ` marker of a line (the server writes two spaces after it).
fn find_marker(line: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for severity in SEVERITIES {
        let mut from = 0;
        while let Some(pos) = line[from..].find(severity) {
            let at = from + pos;
            let after = &line[at + severity.len()..];
            let starts_word = at == 0 || !line.as_bytes()[at - 1].is_ascii_alphanumeric();
            if starts_word && after.starts_with(":  ") {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, severity));
                }
                break;
            }
            from = at + severity.len();
        }
    }
    best
}

/// The session named by a log line prefix: `%c` (hex.hex) or else `%p` (`[1234]`, or a bare
/// number).
pub fn session_of_prefix(prefix: &str) -> Option<String> {
    let words: Vec<&str> = prefix
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    // `%c` is the session's start time and pid in hex: 8 hex digits, a dot, more hex digits.
    let is_session_id = |w: &str| {
        let w = w.trim_end_matches(':');
        w.split_once('.').is_some_and(|(a, b)| {
            a.len() == 8
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_hexdigit())
                && b.bytes().all(|c| c.is_ascii_hexdigit())
        })
    };
    if let Some(w) = words.iter().find(|w| is_session_id(w)) {
        return Some(w.trim_end_matches(':').to_string());
    }
    // `[1234]` is the default prefix's pid; `[1234-5]` adds the line number (%l).
    let bracketed = prefix.split('[').skip(1).find_map(|rest| {
        let inside = rest.split(']').next()?;
        let pid = inside.split('-').next()?;
        (!pid.is_empty() && pid.bytes().all(|c| c.is_ascii_digit())).then(|| pid.to_string())
    });
    if bracketed.is_some() {
        return bracketed;
    }
    words
        .iter()
        .map(|w| w.trim_end_matches(':'))
        .find(|w| !w.is_empty() && w.len() <= 10 && w.bytes().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
}

/// A `YYYY-MM-DD HH:MM:SS[.fff]` timestamp at the start of `text`, as seconds since the
/// epoch (its time zone is ignored: one log has one zone) and as printed (with the zone).
pub fn timestamp(text: &str) -> Option<(f64, String)> {
    let t = text.trim_start();
    let b = t.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut end = 19;
    let mut frac = 0.0;
    if b.get(19) == Some(&b'.') {
        end = 20;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        frac = t.get(19..end)?.parse::<f64>().unwrap_or(0.0);
    }
    // The zone abbreviation or offset, if any, belongs to the printed form.
    let rest = &t[end..];
    let zone_len = rest
        .strip_prefix(' ')
        .map(|z| {
            z.find(|c: char| c.is_whitespace() || c == ',' || c == '[')
                .unwrap_or(z.len())
        })
        .filter(|len| {
            *len > 0
                && rest[1..1 + len]
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b':')
        })
        .map_or(0, |len| len + 1);
    let days = days_from_civil(y, mo, d);
    let seconds = days as f64 * 86_400.0 + (h * 3600 + mi * 60 + s) as f64 + frac;
    Some((seconds, t[..end + zone_len].to_string()))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The fields of one CSV record (RFC 4180: `""` inside quotes is a quote).
pub fn csv_fields(record: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = record.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) => {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            ('"', false) => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// csvlog columns: log_time (0), process_id (3), session_id (5), error_severity (11),
/// message (13), detail (14).
fn csv_entries(fields: &[String]) -> Vec<Entry> {
    if fields.len() < 15 {
        return Vec::new();
    }
    let (timestamp, timestamp_text) = match timestamp(&fields[0]) {
        Some((t, text)) => (Some(t), Some(text)),
        None => (None, None),
    };
    let session = [&fields[5], &fields[3]]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned();
    let base = Entry {
        timestamp,
        timestamp_text,
        session,
        severity: fields[11].clone(),
        message: fields[13].clone(),
    };
    let mut out = vec![base.clone()];
    if !fields[14].is_empty() {
        out.push(Entry {
            severity: "DETAIL".into(),
            message: fields[14].clone(),
            ..base
        });
    }
    out
}

/// jsonlog keys: timestamp, pid, session_id, error_severity, message, detail.
fn json_entries(v: &serde_json::Value) -> Vec<Entry> {
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let (timestamp, timestamp_text) = match s("timestamp").as_deref().and_then(timestamp) {
        Some((t, text)) => (Some(t), Some(text)),
        None => (None, None),
    };
    let session = s("session_id").or_else(|| v.get("pid").map(|p| p.to_string()));
    let base = Entry {
        timestamp,
        timestamp_text,
        session,
        severity: s("error_severity").unwrap_or_default(),
        message: s("message").unwrap_or_default(),
    };
    let mut out = vec![base.clone()];
    if let Some(detail) = s("detail") {
        out.push(Entry {
            severity: "DETAIL".into(),
            message: detail,
            ..base
        });
    }
    out
}

/// A statement seen and not yet recorded (its duration or parameters may follow).
#[derive(Debug)]
struct Pending {
    text: String,
    duration_ms: Option<f64>,
    parameters_hash: Option<u64>,
}

#[derive(Default)]
struct State {
    builder: Builder,
    pending: HashMap<String, Pending>,
    first: Option<(f64, String)>,
    last: Option<f64>,
    sessions_seen: bool,
    entries_without_session: u64,
    without_duration: u64,
    malformed: u64,
    executions: u64,
}

const NO_SESSION: &str = "(unidentified)";

impl State {
    fn entry(&mut self, entry: Entry) {
        if let Some(t) = entry.timestamp {
            if self.first.is_none() {
                self.first = Some((t, entry.timestamp_text.clone().unwrap_or_default()));
            }
            self.last = Some(self.last.map_or(t, |l: f64| l.max(t)));
        }
        let session = match &entry.session {
            Some(s) => {
                self.sessions_seen = true;
                s.clone()
            }
            None => {
                self.entries_without_session += 1;
                NO_SESSION.to_string()
            }
        };
        let message = entry.message.as_str();
        if entry.severity == "DETAIL" {
            if let Some(rest) = message.strip_prefix("parameters: ") {
                if let Some(p) = self.pending.get_mut(&session) {
                    let mut h = DefaultHasher::new();
                    rest.hash(&mut h);
                    p.parameters_hash = Some(h.finish());
                }
            }
            return;
        }
        if entry.severity != "LOG" {
            if entry.severity == "ERROR" {
                // The statement failed: what was pending ran, without a duration line.
                self.flush(&session);
            }
            return;
        }
        if let Some(rest) = message.strip_prefix("duration: ") {
            let Some((number, after)) = rest.split_once(" ms") else {
                return;
            };
            let Ok(ms) = number.trim().parse::<f64>() else {
                return;
            };
            let after = after.trim_start();
            if after.is_empty() {
                // log_duration after a logged statement.
                if let Some(p) = self.pending.get_mut(&session) {
                    if p.duration_ms.is_none() {
                        p.duration_ms = Some(ms);
                        self.flush(&session);
                    }
                }
                return;
            }
            if after.starts_with("parse ") || after.starts_with("bind ") {
                self.builder.skipped.parse_bind += 1;
                return;
            }
            if let Some(text) = statement_text(after) {
                self.flush(&session);
                self.pending.insert(
                    session,
                    Pending {
                        text: text.to_string(),
                        duration_ms: Some(ms),
                        parameters_hash: None,
                    },
                );
            }
            return;
        }
        if let Some(text) = statement_text(message) {
            self.flush(&session);
            self.pending.insert(
                session,
                Pending {
                    text: text.to_string(),
                    duration_ms: None,
                    parameters_hash: None,
                },
            );
        }
    }

    /// Records the session's pending statement.
    fn flush(&mut self, session: &str) {
        let Some(p) = self.pending.remove(session) else {
            return;
        };
        if p.duration_ms.is_none() {
            self.without_duration += 1;
        }
        self.executions += 1;
        let observed = Observed {
            calls: 1,
            total_ms: p.duration_ms.unwrap_or(0.0),
            ..Observed::default()
        };
        let Some((query, literals_hash)) = self.builder.record(&p.text, observed) else {
            return;
        };
        if is_transaction_control(&p.text) {
            return;
        }
        let values_hash = match p.parameters_hash {
            Some(h) => Some(h ^ literals_hash.rotate_left(1)),
            None => Some(literals_hash),
        };
        self.builder
            .trace(session, Execution { query, values_hash });
    }

    fn finish(mut self, described: &str) -> Workload {
        let sessions: Vec<String> = self.pending.keys().cloned().collect();
        for s in sessions {
            self.flush(&s);
        }
        let window = match (&self.first, self.last) {
            (Some((first, text)), Some(last)) => Window {
                seconds: Some(last - first),
                since: Some(text.clone()),
                basis: "first_log_line",
            },
            _ => Window::assumed_day("unknown"),
        };
        let timestamps = self.first.is_some();
        let mut workload = self.builder.finish(
            Source {
                kind: SourceKind::Log,
                described: described.to_string(),
                server_version: None,
            },
            window,
        );
        workload.rows_known = false;
        workload.buffers_known = false;
        workload.sessions_identified = self.sessions_seen && self.entries_without_session == 0;
        if self.executions == 0 {
            workload.notes.push("no statement with a duration was found: log with log_min_duration_statement = 0 (or log_statement = 'all' and log_duration = on)".to_string());
        }
        if !timestamps {
            workload.notes.push("the log lines carry no timestamps (%m in log_line_prefix): per-day figures assume the log covers one day".to_string());
        }
        if !workload.sessions_identified {
            workload.notes.push("sessions could not be told apart (no %c or %p in log_line_prefix): N+1 detection by session order is weaker; recommended log_line_prefix = '%m [%p] %c %q%u@%d '".to_string());
        }
        if self.without_duration > 0 {
            workload.notes.push(format!(
                "{} statement(s) were logged without a duration (log_statement without log_duration): counted as calls with no time",
                self.without_duration
            ));
        }
        if self.malformed > 0 {
            workload.notes.push(format!(
                "{} malformed log record(s) were skipped",
                self.malformed
            ));
        }
        workload.notes.push(
            "a log has no row or buffer counts: rows and buffers are shown as unknown".to_string(),
        );
        workload
    }
}

/// The statement text of `statement: …` or `execute <name>: …` (also `execute fetch from …`).
fn statement_text(message: &str) -> Option<&str> {
    if let Some(text) = message.strip_prefix("statement: ") {
        return Some(text);
    }
    let rest = message.strip_prefix("execute ")?;
    // `execute <unnamed>: …`, `execute s0: …`, `execute S_1/C_2: …`.
    let (_, text) = rest.split_once(": ")?;
    Some(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse_str(text: &str) -> Workload {
        let format = format_of_line(text.lines().next().unwrap_or(""));
        parse(text.as_bytes(), format, "test.log").unwrap()
    }

    #[test]
    fn stderr_durations_multiline_and_sessions() {
        let log = "\
2024-05-01 12:00:00.000 UTC [101] 6632a1b0.65 LOG:  duration: 2.500 ms  statement: SELECT id, name
\tFROM customer
\tWHERE email = 'alice@example.com'
2024-05-01 12:00:01.000 UTC [102] 6632a1b1.66 LOG:  duration: 0.500 ms  statement: SELECT id, name FROM customer WHERE email = 'bob@example.com'
2024-05-01 12:00:02.000 UTC [101] 6632a1b0.65 LOG:  connection authorized: user=app database=shop
2024-05-01 12:01:00.000 UTC [101] 6632a1b0.65 LOG:  duration: 10.000 ms  statement: SELECT count(*) FROM orders
";
        let w = parse_str(log);
        assert_eq!(w.queries.len(), 2);
        assert_eq!(w.queries[0].text, "SELECT count(*) FROM orders");
        assert_eq!(
            w.queries[1].text,
            "SELECT id, name FROM customer WHERE email = $1"
        );
        assert_eq!(w.queries[1].calls, 2);
        assert!((w.queries[1].total_ms - 3.0).abs() < 1e-9);
        assert_eq!(w.window.seconds, Some(60.0));
        assert_eq!(
            w.window.since.as_deref(),
            Some("2024-05-01 12:00:00.000 UTC")
        );
        assert!(w.sessions_identified);
        assert_eq!(w.sessions.len(), 2);
        assert_eq!(w.sessions[0].session, "6632a1b0.65");
        assert_eq!(w.sessions[0].executions.len(), 2);
        for q in &w.queries {
            assert!(!q.text.contains("alice") && !q.text.contains("bob"));
        }
    }

    #[test]
    fn extended_protocol_with_parameters() {
        let log = "\
2024-05-01 12:00:00.000 UTC [7] LOG:  duration: 0.100 ms  parse s0: SELECT * FROM item WHERE order_id = $1
2024-05-01 12:00:00.001 UTC [7] LOG:  duration: 0.050 ms  bind s0: SELECT * FROM item WHERE order_id = $1
2024-05-01 12:00:00.001 UTC [7] DETAIL:  parameters: $1 = '1'
2024-05-01 12:00:00.002 UTC [7] LOG:  duration: 0.030 ms  execute s0: SELECT * FROM item WHERE order_id = $1
2024-05-01 12:00:00.002 UTC [7] DETAIL:  parameters: $1 = '1'
2024-05-01 12:00:00.003 UTC [7] LOG:  duration: 0.020 ms  execute s0: SELECT * FROM item WHERE order_id = $1
2024-05-01 12:00:00.003 UTC [7] DETAIL:  parameters: $1 = '2'
2024-05-01 12:00:00.004 UTC [7] LOG:  duration: 0.020 ms  execute <unnamed>: SELECT * FROM item WHERE order_id = $1
2024-05-01 12:00:00.004 UTC [7] DETAIL:  parameters: $1 = '2'
";
        let w = parse_str(log);
        assert_eq!(w.queries.len(), 1);
        assert_eq!(w.queries[0].calls, 3);
        assert!((w.queries[0].total_ms - 0.07).abs() < 1e-9);
        assert_eq!(w.skipped.parse_bind, 2);
        let e = &w.sessions[0].executions;
        assert_eq!(w.sessions[0].session, "7");
        assert_eq!(e.len(), 3);
        assert_ne!(e[0].values_hash, e[1].values_hash);
        assert_eq!(e[1].values_hash, e[2].values_hash);
    }

    #[test]
    fn log_statement_with_log_duration() {
        let log = "\
2024-05-01 12:00:00.000 UTC [7] LOG:  statement: UPDATE t SET a = 1 WHERE id = 5
2024-05-01 12:00:00.010 UTC [7] LOG:  duration: 4.000 ms
2024-05-01 12:00:00.020 UTC [7] LOG:  statement: BEGIN
2024-05-01 12:00:00.030 UTC [7] LOG:  duration: 0.010 ms
";
        let w = parse_str(log);
        let update = w
            .queries
            .iter()
            .find(|q| q.text.starts_with("UPDATE"))
            .unwrap();
        assert_eq!(update.text, "UPDATE t SET a = $1 WHERE id = $2");
        assert!((update.total_ms - 4.0).abs() < 1e-9);
        // BEGIN is counted but not part of the session order.
        assert_eq!(w.sessions[0].executions.len(), 1);
    }

    #[test]
    fn csv_quoting_and_multiline() {
        let log = "2024-05-01 12:00:00.000 UTC,\"app\",\"shop\",101,\"[local]\",6632a1b0.65,1,\"SELECT\",2024-05-01 11:59:00 UTC,3/4,0,LOG,00000,\"duration: 1.000 ms  execute <unnamed>: SELECT \"\"Name\"\", note\nFROM t WHERE note = $1\",\"parameters: $1 = 'it''s, \"\"quoted\"\"'\",,,,,,,,\"psql\",\"client backend\",,0\n\
2024-05-01 12:00:05.000 UTC,\"app\",\"shop\",101,\"[local]\",6632a1b0.65,2,\"SELECT\",2024-05-01 11:59:00 UTC,3/5,0,LOG,00000,\"duration: 3.000 ms  statement: SELECT \"\"Name\"\", note FROM t WHERE note = 'x,y'\",,,,,,,,,\"psql\",\"client backend\",,0\n";
        let w = parse_str(log);
        assert_eq!(w.queries.len(), 1, "{:?}", w.queries);
        assert_eq!(
            w.queries[0].text,
            "SELECT \"Name\", note FROM t WHERE note = $1"
        );
        assert_eq!(w.queries[0].calls, 2);
        assert_eq!(w.sessions[0].session, "6632a1b0.65");
        assert_eq!(w.window.seconds, Some(5.0));
        assert_ne!(
            w.sessions[0].executions[0].values_hash,
            w.sessions[0].executions[1].values_hash
        );
    }

    #[test]
    fn csv_fields_follow_rfc4180() {
        assert_eq!(
            csv_fields("a,\"b,c\",\"d \"\"e\"\"\",,\"x\ny\""),
            vec!["a", "b,c", "d \"e\"", "", "x\ny"]
        );
    }

    #[test]
    fn json_log() {
        let log = r#"{"timestamp":"2024-05-01 12:00:00.000 UTC","user":"app","dbname":"shop","pid":42,"session_id":"6632a1b0.2a","error_severity":"LOG","message":"duration: 1.500 ms  statement: SELECT 1"}
{"timestamp":"2024-05-01 12:00:03.000 UTC","pid":42,"session_id":"6632a1b0.2a","error_severity":"LOG","message":"duration: 1.500 ms  execute <unnamed>: SELECT $1","detail":"parameters: $1 = '5'"}
"#;
        let w = parse_str(log);
        assert_eq!(w.queries.len(), 1);
        assert_eq!(w.queries[0].calls, 2);
        assert_eq!(w.window.seconds, Some(3.0));
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            session_of_prefix("2024-05-01 12:00:00.123 UTC [4242] "),
            Some("4242".into())
        );
        assert_eq!(
            session_of_prefix("2024-05-01 12:00:00.123 UTC [4242] 6632a1b0.1092 app@shop "),
            Some("6632a1b0.1092".into())
        );
        assert_eq!(
            session_of_prefix("2024-05-01 12:00:00 UTC [4242-1] "),
            Some("4242".into())
        );
        assert_eq!(session_of_prefix("2024-05-01 12:00:00.123 UTC "), None);
        assert!(timestamp("2024-05-01 12:00:00.5 CEST x").is_some());
        assert_eq!(
            timestamp("1970-01-02 00:00:01 UTC").map(|t| t.0),
            Some(86_401.0)
        );
    }

    #[test]
    fn markers_inside_statements_are_not_entries() {
        // A continuation line that mentions LOG:  is still part of the statement.
        let log = "2024-05-01 12:00:00.000 UTC [7] LOG:  duration: 1.000 ms  statement: SELECT 'LOG:  x'\n\tFROM t\n";
        let w = parse_str(log);
        assert_eq!(w.queries.len(), 1);
        assert_eq!(w.queries[0].text, "SELECT $1 FROM t");
    }

    #[test]
    fn unparsable_is_counted_never_printed() {
        let log =
            "2024-05-01 12:00:00.000 UTC [7] LOG:  duration: 1.000 ms  statement: SELECT 'secret\n";
        let w = parse_str(log);
        assert!(w.queries.is_empty());
        assert_eq!(w.skipped.untokenizable, 1);
    }
}

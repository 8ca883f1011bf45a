//! The workload from a file of plain SQL statements (`--queries FILE`), for advice before a
//! database exists or when neither statistics nor logs are at hand.
//!
//! A comment before a statement may give how often it runs per day and how long it takes:
//! `-- calls: 1200` or `-- calls: 12 000, mean-ms: 3.5`. Without it a statement counts once.
//! The figures are taken as one day's (there is no measured window).

use super::{Builder, Observed, Source, SourceKind, Window, Workload, WorkloadError};
use std::path::Path;
use steward_core::Dialect;
use steward_sql::split::{split, PieceKind};

/// Reads a file of queries.
pub fn read_file(path: &Path) -> Result<Workload, WorkloadError> {
    let text = std::fs::read_to_string(path).map_err(|e| WorkloadError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(parse(&text, &path.display().to_string()))
}

/// Parses the text of a queries file.
pub fn parse(text: &str, described: &str) -> Workload {
    let mut builder = Builder::default();
    let mut annotated = 0;
    for piece in split(text, Dialect::Postgres) {
        if piece.kind != PieceKind::Statement {
            continue;
        }
        let Some(statement) = text.get(piece.range.clone()) else {
            continue;
        };
        let statement = statement.trim().trim_end_matches(';').trim();
        if statement.is_empty() {
            continue;
        }
        let figures = piece
            .leading_comments
            .iter()
            .rev()
            .filter_map(|r| text.get(r.clone()))
            .find_map(annotation);
        if figures.is_some() {
            annotated += 1;
        }
        let (calls, mean_ms) = figures.unwrap_or((1, None));
        builder.record(
            statement,
            Observed {
                calls,
                total_ms: mean_ms.unwrap_or(0.0) * calls as f64,
                ..Observed::default()
            },
        );
    }
    let mut workload = builder.finish(
        Source {
            kind: SourceKind::Queries,
            described: described.to_string(),
            server_version: None,
        },
        Window::assumed_day("calls_per_day"),
    );
    workload.rows_known = false;
    workload.buffers_known = false;
    if annotated == 0 {
        workload.notes.push("no statement carries a `-- calls: N` comment: each counts as one call a day, so savings cannot be ranked by real cost".to_string());
    }
    if workload.queries.iter().all(|q| q.total_ms == 0.0) {
        workload.notes.push("no `mean-ms:` figures: time-based savings are zero; give `-- calls: N, mean-ms: X` to rank by cost".to_string());
    }
    workload
}

/// `calls: 1200` / `calls: 12 000, mean-ms: 3.5` in a comment.
fn annotation(comment: &str) -> Option<(u64, Option<f64>)> {
    let body = comment
        .trim()
        .trim_start_matches("--")
        .trim_start_matches("/*")
        .trim_end_matches("*/")
        .trim();
    let lower = body.to_ascii_lowercase();
    let at = lower.find("calls:")?;
    let after = &body[at + "calls:".len()..];
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | '_' | '\'' | '.'))
        .filter(char::is_ascii_digit)
        .collect();
    let calls = digits.parse::<u64>().ok()?;
    let mean_ms = lower.find("mean-ms:").and_then(|m| {
        let rest = body[m + "mean-ms:".len()..].trim_start();
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    });
    Some((calls, mean_ms))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn call_counts_from_comments() {
        let w = parse(
            "-- calls: 1200\nSELECT * FROM t WHERE id = 1;\n\n-- the list page\n-- calls: 12 000, mean-ms: 2.5\nSELECT a FROM t ORDER BY a LIMIT 20 OFFSET 40;\nSELECT 1;\n",
            "q.sql",
        );
        assert_eq!(w.queries.len(), 3);
        let list = w
            .queries
            .iter()
            .find(|q| q.text.contains("OFFSET"))
            .unwrap();
        assert_eq!(list.calls, 12_000);
        assert!((list.total_ms - 30_000.0).abs() < 1e-6);
        let by_id = w.queries.iter().find(|q| q.text.contains("id =")).unwrap();
        assert_eq!(by_id.calls, 1200);
        assert_eq!(by_id.text, "SELECT * FROM t WHERE id = $1");
        let one = w.queries.iter().find(|q| q.text == "SELECT $1").unwrap();
        assert_eq!(one.calls, 1);
    }

    #[test]
    fn annotations() {
        assert_eq!(annotation("-- calls: 1200"), Some((1200, None)));
        assert_eq!(
            annotation("/* calls: 1_000 mean-ms: 0.5 */"),
            Some((1000, Some(0.5)))
        );
        assert_eq!(annotation("-- nothing"), None);
    }
}

//! Layers (b), (c) and (e) for results: how a statement reaches the server.
//!
//! - (b) The statement goes through the extended protocol only (Parse/Bind/Execute), which
//!   carries exactly one statement: `COMMIT; DROP TABLE t` is an error, not two commands. The
//!   agent's text never goes through the simple protocol.
//! - (c) Every call has its own transaction: `START TRANSACTION READ ONLY`, then
//!   `SET LOCAL statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`
//!   (and a `LISTEN`/`UNLISTEN` pair, which makes `PREPARE TRANSACTION` impossible),
//!   the statement, and always `ROLLBACK`. After it the session is reset the way
//!   `DISCARD ALL` would (settings, role, cursors, LISTEN, advisory locks, temporary
//!   objects) — everything but the driver's own prepared statements — so nothing a call did
//!   can outlive it.
//! - (e) Rows are fetched through a portal a batch at a time and stop at the row cap or the
//!   byte cap; the result says it was truncated.
//!
//! (d), the session's `default_transaction_read_only=on`, comes from steward-pg's
//! [`Safety`]; [`crate::role`] checks the role at start-up.

use crate::redact;
use serde::Serialize;
use serde_json::Value;
use std::time::{Duration, Instant};
use steward_pg::connect::{self, Connection, Params, Safety};
use tokio::sync::Mutex;
use tokio_postgres::types::{FromSql, Kind, Type};
use tokio_postgres::Transaction;

/// Per-call limits.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_rows: usize,
    pub max_bytes: usize,
    pub statement_timeout: Duration,
    pub lock_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 1000,
            max_bytes: 1 << 20,
            statement_timeout: Duration::from_secs(10),
            lock_timeout: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(30),
        }
    }
}

/// A statement could not run. Messages are the server's, with the agent's literals removed;
/// never the query text, never DETAIL (which can hold row values).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExecError {
    #[error("{message} (SQLSTATE {code})")]
    Server { message: String, code: String },
    #[error("database connection: {0}")]
    Connection(String),
}

impl ExecError {
    /// The SQLSTATE, for a server error.
    pub fn code(&self) -> Option<&str> {
        match self {
            ExecError::Server { code, .. } => Some(code),
            ExecError::Connection(_) => None,
        }
    }

    fn from_pg(e: &tokio_postgres::Error, sql: &str) -> ExecError {
        match e.as_db_error() {
            Some(db) => ExecError::Server {
                message: redact::redact_error(db.message(), sql),
                code: db.code().code().to_string(),
            },
            None => ExecError::Connection(redact::redact_error(&e.to_string(), sql)),
        }
    }
}

/// A column of a result.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
}

/// Rows of one statement, capped.
#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// More rows existed than were returned.
    pub truncated: bool,
    /// `rows` or `bytes` when truncated.
    pub truncated_by: Option<&'static str>,
    pub elapsed_ms: f64,
}

/// One connection, used by one call at a time.
pub struct Executor {
    conn: Mutex<Option<Connection>>,
    params: Params,
    safety: Safety,
    pub limits: Limits,
}

/// The session reset after every call: `DISCARD ALL` without `DEALLOCATE ALL`, which would
/// pull the driver's cached statements from under it. (Our own text, not the agent's.)
const RESET: &str = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; \
     SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

impl Executor {
    /// Connects with `safety` (which must be read-only) and the given limits.
    pub async fn connect(
        params: Params,
        safety: Safety,
        limits: Limits,
    ) -> Result<Executor, connect::ConnectError> {
        let safety = Safety {
            read_only: true,
            ..safety
        };
        let conn = connect::connect(&params, &safety).await?;
        Ok(Executor {
            conn: Mutex::new(Some(conn)),
            params,
            safety,
            limits,
        })
    }

    /// Runs `sql` as is — one statement, extended protocol, its own read-only transaction —
    /// and returns at most `max_rows` rows (and the byte cap). Callers validate first
    /// ([`crate::readonly::validate`]); this layer holds on its own too.
    pub async fn run(&self, sql: &str, max_rows: usize) -> Result<QueryResult, ExecError> {
        let max_rows = max_rows.clamp(1, self.limits.max_rows);
        let max_bytes = self.limits.max_bytes;
        let started = Instant::now();
        self.in_transaction(sql, async |tx| {
            fetch(tx, sql, max_rows, max_bytes, started).await
        })
        .await
    }

    /// Runs `f` in a read-only transaction with the call's timeouts, then rolls back and
    /// resets the session. `what` is only used to redact error messages.
    pub async fn in_transaction<R>(
        &self,
        what: &str,
        f: impl AsyncFnOnce(&Transaction<'_>) -> Result<R, tokio_postgres::Error>,
    ) -> Result<R, ExecError> {
        let mut guard = self.conn.lock().await;
        let conn = self.live(&mut guard).await?;
        let result = {
            let tx = conn
                .client
                .build_transaction()
                .read_only(true)
                .start()
                .await
                .map_err(|e| ExecError::from_pg(&e, ""))?;
            tx.batch_execute(&self.preamble())
                .await
                .map_err(|e| ExecError::from_pg(&e, ""))?;
            let result = f(&tx).await.map_err(|e| ExecError::from_pg(&e, what));
            // Always rolled back, also after success: nothing here may persist. (If the
            // statement ended the transaction itself, the server only warns.)
            let _ = tx.rollback().await;
            result
        };
        let reset = conn.client.batch_execute(RESET).await;
        if reset.is_err() {
            // A session we cannot reset is not reused.
            *guard = None;
        }
        result
    }

    /// Runs `f` with the connection itself (for steward-pg functions that manage their own
    /// read-only transaction, such as the audit), then resets the session.
    pub async fn with_connection<R>(
        &self,
        f: impl AsyncFnOnce(&Connection) -> R,
    ) -> Result<R, ExecError> {
        let mut guard = self.conn.lock().await;
        let conn = self.live(&mut guard).await?;
        let result = f(conn).await;
        let _ = conn.client.batch_execute("ROLLBACK").await;
        if conn.client.batch_execute(RESET).await.is_err() {
            *guard = None;
        }
        Ok(result)
    }

    /// The transaction's settings. `LISTEN`/`UNLISTEN` cancel out but leave pending notify
    /// actions, which make PostgreSQL refuse `PREPARE TRANSACTION`: without them, a
    /// statement `PREPARE TRANSACTION 'x'` would turn this (read-only) transaction into a
    /// prepared one that outlives the session and holds a slot until someone removes it.
    fn preamble(&self) -> String {
        let ms = |d: Duration| d.as_millis().max(1);
        format!(
            "LISTEN steward_guard; UNLISTEN steward_guard; SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}; \
             SET LOCAL idle_in_transaction_session_timeout = {}",
            ms(self.limits.statement_timeout),
            ms(self.limits.lock_timeout),
            ms(self.limits.idle_timeout)
        )
    }

    /// The open connection, reconnecting when the last one was lost or discarded.
    async fn live<'g>(
        &self,
        guard: &'g mut Option<Connection>,
    ) -> Result<&'g mut Connection, ExecError> {
        if guard.as_ref().is_none_or(|c| c.client.is_closed()) {
            let conn = connect::connect(&self.params, &self.safety)
                .await
                .map_err(|e| ExecError::Connection(e.to_string()))?;
            *guard = Some(conn);
        }
        guard
            .as_mut()
            .ok_or_else(|| ExecError::Connection("no connection".into()))
    }
}

/// Rows are fetched this many at a time, so the byte cap stops a wide result early.
const BATCH: usize = 100;

async fn fetch(
    tx: &Transaction<'_>,
    sql: &str,
    max_rows: usize,
    max_bytes: usize,
    started: Instant,
) -> Result<QueryResult, tokio_postgres::Error> {
    let statement = tx.prepare(sql).await?;
    let columns: Vec<Column> = statement
        .columns()
        .iter()
        .map(|c| Column {
            name: c.name().to_string(),
            type_name: c.type_().name().to_string(),
        })
        .collect();
    let portal = tx.bind(&statement, &[]).await?;
    let mut rows = Vec::new();
    let mut bytes = 0usize;
    let mut truncated_by = None;
    'fetch: loop {
        // One more than the cap, to know whether the cap cut anything off.
        let want = (max_rows + 1 - rows.len()).min(BATCH);
        let batch = tx.query_portal(&portal, want as i32).await?;
        let done = batch.len() < want;
        for row in batch {
            if rows.len() == max_rows {
                truncated_by = Some("rows");
                break 'fetch;
            }
            let values: Vec<Value> = (0..row.len())
                .map(|i| match row.try_get::<_, Raw>(i) {
                    Ok(Raw(Some(raw))) => decode(row.columns()[i].type_(), raw),
                    Ok(Raw(None)) => Value::Null,
                    Err(_) => Value::Null,
                })
                .collect();
            bytes += values.iter().map(json_len).sum::<usize>() + 2;
            if bytes > max_bytes {
                truncated_by = Some("bytes");
                break 'fetch;
            }
            rows.push(values);
        }
        if done {
            break;
        }
    }
    Ok(QueryResult {
        columns,
        rows,
        truncated: truncated_by.is_some(),
        truncated_by,
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

fn json_len(v: &Value) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len() + 1)
}

/// Any value, as the bytes the server sent (binary format).
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A binary value as JSON: numbers and booleans as such, JSON as JSON, everything else as
/// PostgreSQL would print it where that is known; other types are named, not guessed at.
pub fn decode(ty: &Type, raw: &[u8]) -> Value {
    decode_inner(ty, raw).unwrap_or_else(|| Value::String(format!("<{} value>", ty.name())))
}

fn decode_inner(ty: &Type, raw: &[u8]) -> Option<Value> {
    use postgres_protocol::types as p;
    let text = |raw: &[u8]| Some(Value::String(String::from_utf8_lossy(raw).into_owned()));
    let float = |v: f64| {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(v.to_string()))
    };
    match *ty {
        Type::BOOL => p::bool_from_sql(raw).ok().map(Value::Bool),
        Type::INT2 => p::int2_from_sql(raw).ok().map(Value::from),
        Type::INT4 => p::int4_from_sql(raw).ok().map(Value::from),
        Type::INT8 => p::int8_from_sql(raw).ok().map(Value::from),
        Type::OID
        | Type::REGCLASS
        | Type::REGTYPE
        | Type::REGPROC
        | Type::REGPROCEDURE
        | Type::REGNAMESPACE
        | Type::REGROLE
        | Type::XID
        | Type::CID => p::oid_from_sql(raw).ok().map(Value::from),
        Type::FLOAT4 => p::float4_from_sql(raw).ok().map(|v| float(f64::from(v))),
        Type::FLOAT8 => p::float8_from_sql(raw).ok().map(float),
        Type::NUMERIC => numeric(raw).map(Value::String),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::XML => {
            text(raw)
        }
        Type::JSON => serde_json::from_slice(raw).ok().or_else(|| text(raw)),
        // jsonb's binary form is a version byte, then the text.
        Type::JSONB => raw
            .split_first()
            .and_then(|(_, body)| serde_json::from_slice(body).ok()),
        Type::CHAR => p::char_from_sql(raw)
            .ok()
            .map(|c| Value::String(((c as u8) as char).to_string())),
        Type::UUID => p::uuid_from_sql(raw).ok().map(|b| {
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            Value::String(format!(
                "{}-{}-{}-{}-{}",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            ))
        }),
        Type::BYTEA => {
            let h: String = raw.iter().map(|x| format!("{x:02x}")).collect();
            Some(Value::String(format!("\\x{h}")))
        }
        Type::DATE => p::date_from_sql(raw).ok().map(|d| Value::String(date(d))),
        Type::TIMESTAMP => p::timestamp_from_sql(raw)
            .ok()
            .map(|t| Value::String(timestamp(t))),
        Type::TIMESTAMPTZ => p::timestamp_from_sql(raw)
            .ok()
            .map(|t| Value::String(format!("{}+00", timestamp(t)))),
        Type::TIME => p::time_from_sql(raw)
            .ok()
            .map(|t| Value::String(time_of_day(t))),
        Type::INTERVAL => interval(raw).map(Value::String),
        Type::INET | Type::CIDR => p::inet_from_sql(raw)
            .ok()
            .map(|i| Value::String(format!("{}/{}", i.addr(), i.netmask()))),
        Type::PG_LSN => p::lsn_from_sql(raw)
            .ok()
            .map(|l| Value::String(format!("{:X}/{:X}", l >> 32, l & 0xffff_ffff))),
        _ => match ty.kind() {
            Kind::Enum(_) => text(raw),
            Kind::Domain(base) => decode_inner(base, raw),
            Kind::Array(elem) => {
                let array = p::array_from_sql(raw).ok()?;
                let mut values = Vec::new();
                let mut items = array.values();
                use fallible_iterator::FallibleIterator;
                while let Ok(Some(item)) = items.next() {
                    values.push(match item {
                        Some(b) => decode(elem, b),
                        None => Value::Null,
                    });
                }
                // Multi-dimensional arrays come back flat; their shape is in `dimensions`.
                Some(Value::Array(values))
            }
            _ => None,
        },
    }
}

/// numeric's binary form: digit count, weight, sign, display scale, base-10000 digits.
fn numeric(raw: &[u8]) -> Option<String> {
    let word = |i: usize| -> Option<u16> {
        Some(u16::from_be_bytes([*raw.get(2 * i)?, *raw.get(2 * i + 1)?]))
    };
    let ndigits = word(0)? as usize;
    let weight = word(1)? as i16 as i64;
    let sign = word(2)?;
    let dscale = word(3)? as usize;
    match sign {
        0xC000 => return Some("NaN".into()),
        0xD000 => return Some("Infinity".into()),
        0xF000 => return Some("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<u16> = (0..ndigits).filter_map(|i| word(4 + i)).collect();
    let digit = |i: i64| -> u16 {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i).copied())
            .unwrap_or(0)
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for i in 0..=weight {
            if i == 0 {
                out.push_str(&digit(i).to_string());
            } else {
                out.push_str(&format!("{:04}", digit(i)));
            }
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let mut i = weight + 1;
        while frac.len() < dscale {
            frac.push_str(&format!("{:04}", digit(i)));
            i += 1;
        }
        frac.truncate(dscale);
        out.push('.');
        out.push_str(&frac);
    }
    Some(out)
}

/// Days since 2000-01-01 as `YYYY-MM-DD`.
fn date(days: i32) -> String {
    match days {
        i32::MAX => "infinity".into(),
        i32::MIN => "-infinity".into(),
        d => {
            let (y, m, dd) = civil(i64::from(d) + 10_957);
            format!("{y:04}-{m:02}-{dd:02}")
        }
    }
}

/// Microseconds since 2000-01-01 00:00 as `YYYY-MM-DD HH:MM:SS[.ffffff]`.
fn timestamp(micros: i64) -> String {
    match micros {
        i64::MAX => "infinity".into(),
        i64::MIN => "-infinity".into(),
        t => {
            let day = 86_400_000_000i64;
            let (y, m, d) = civil(t.div_euclid(day) + 10_957);
            format!("{y:04}-{m:02}-{d:02} {}", time_of_day(t.rem_euclid(day)))
        }
    }
}

fn time_of_day(micros: i64) -> String {
    let secs = micros / 1_000_000;
    let frac = micros % 1_000_000;
    let base = format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    );
    if frac == 0 {
        base
    } else {
        format!("{base}.{}", format!("{frac:06}").trim_end_matches('0'))
    }
}

fn interval(raw: &[u8]) -> Option<String> {
    let micros = i64::from_be_bytes(raw.get(0..8)?.try_into().ok()?);
    let days = i32::from_be_bytes(raw.get(8..12)?.try_into().ok()?);
    let months = i32::from_be_bytes(raw.get(12..16)?.try_into().ok()?);
    let sign = if micros < 0 { "-" } else { "" };
    Some(format!(
        "{months} mons {days} days {sign}{}",
        time_of_day(micros.abs())
    ))
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(date(0), "2000-01-01");
        assert_eq!(date(-1), "1999-12-31");
        assert_eq!(date(9190), "2025-02-28");
        assert_eq!(
            timestamp(86_400_000_000 + 3_723_500_000),
            "2000-01-02 01:02:03.5"
        );
    }

    #[test]
    fn numerics() {
        // 12345.678: weight 1, digits [1, 2345, 6780], dscale 3
        let mut raw = Vec::new();
        for w in [3u16, 1, 0, 3, 1, 2345, 6780] {
            raw.extend_from_slice(&w.to_be_bytes());
        }
        assert_eq!(numeric(&raw).as_deref(), Some("12345.678"));
        // -0.05: weight -1, digits [500], dscale 2
        let mut raw = Vec::new();
        for w in [1u16, 0xffff, 0x4000, 2, 500] {
            raw.extend_from_slice(&w.to_be_bytes());
        }
        assert_eq!(numeric(&raw).as_deref(), Some("-0.05"));
    }
}

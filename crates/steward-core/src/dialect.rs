//! SQL dialects steward understands.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The SQL dialect of a file or server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgres,
    Tsql,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Tsql => "tsql",
        }
    }

    /// The schema unqualified names resolve to when nothing else says so.
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Postgres => "public",
            Dialect::Tsql => "dbo",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "tsql" | "t-sql" | "mssql" | "sqlserver" => Ok(Dialect::Tsql),
            other => Err(format!(
                "unknown dialect `{other}` (expected postgres or tsql)"
            )),
        }
    }
}

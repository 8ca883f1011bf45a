//! The one shape every finding takes, whatever produced it (a file rule, a live probe, the
//! advisor). Reporters only ever see this.

use crate::source::Location;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice.
    Info,
    /// A real risk or cost.
    Warning,
    /// Will fail or lose data.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "warning" | "warn" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning or info)"
            )),
        }
    }
}

/// What kind of problem a rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The SQL will fail or does not mean what it says.
    Correctness,
    /// Keys, constraints and types that keep data right.
    Integrity,
    /// Time and money spent by the database.
    Performance,
    /// Who can do what, and secrets.
    Security,
    /// Personal data.
    Privacy,
    /// Schema changes that lock or break a running application.
    Migration,
    /// Consistency and readability.
    Style,
    /// How a live server is doing (vacuum, wraparound, replication, settings, backups).
    Health,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Correctness,
        Category::Integrity,
        Category::Performance,
        Category::Security,
        Category::Privacy,
        Category::Migration,
        Category::Style,
        Category::Health,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Integrity => "integrity",
            Category::Performance => "performance",
            Category::Security => "security",
            Category::Privacy => "privacy",
            Category::Migration => "migration",
            Category::Style => "style",
            Category::Health => "health",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable rule id people type, e.g. `fk-without-index`.
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Where in a file; `None` for findings on a live server.
    pub location: Option<Location>,
    /// The object concerned, e.g. `public.orders.user_id`.
    pub object: Option<String>,
    /// One line: what is wrong.
    pub message: String,
    /// Why it matters in the user's terms, and how to fix it in words.
    pub help: Option<String>,
    /// Runnable SQL that fixes it, when there is one.
    pub fix: Option<String>,
    /// Live findings: the measured figure and the threshold it crossed.
    pub measured: Option<Measure>,
}

/// The evidence of a live finding: what was measured, against which configured threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub value: f64,
    pub threshold: f64,
    /// e.g. `%`, `bytes`, `s`, `rows`, `xids`.
    pub unit: &'static str,
}

// Measures come from finite catalog figures, never NaN.
impl Eq for Measure {}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: f64| match self.unit {
            "bytes" => human_bytes(v),
            unit => {
                let n = if v.fract() == 0.0 || v.abs() >= 100.0 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                };
                if unit.is_empty() {
                    n
                } else if unit == "%" {
                    format!("{n}%")
                } else {
                    format!("{n} {unit}")
                }
            }
        };
        write!(
            f,
            "{} (threshold {})",
            show(self.value),
            show(self.threshold)
        )
    }
}

/// `1536` → `1.5 kB`: sizes as people read them.
pub fn human_bytes(v: f64) -> String {
    const UNITS: [&str; 6] = ["bytes", "kB", "MB", "GB", "TB", "PB"];
    let mut v = v;
    let mut unit = 0;
    while v.abs() >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v:.0} bytes")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        category: Category,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            category,
            severity,
            location: None,
            object: None,
            message: message.into(),
            help: None,
            fix: None,
            measured: None,
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Attaches the measured figure and the threshold it crossed.
    pub fn measured(mut self, value: f64, threshold: f64, unit: &'static str) -> Self {
        self.measured = Some(Measure {
            value,
            threshold,
            unit,
        });
        self
    }

    /// Sets the fix when there is one.
    pub fn fix_opt(mut self, fix: Option<String>) -> Self {
        self.fix = fix;
        self
    }

    /// Sort key: file, position, rule — the order reporters print in.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location.as_ref().map(|l| (l.path.clone(), l.span)),
            self.rule,
            self.object.as_deref(),
            self.message.as_str(),
        )
    }
}

/// Counts over one run, printed by every reporter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    /// Statements read, whatever became of them.
    pub statements: usize,
    /// Statements that were not analysed: recognised but unsupported, or parse errors.
    pub unparsed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// Share of statements analysed, 0.0..=1.0 (1.0 when there were none).
    pub fn analysed_share(&self) -> f64 {
        if self.statements == 0 {
            1.0
        } else {
            (self.statements - self.unparsed.min(self.statements)) as f64 / self.statements as f64
        }
    }

    pub fn count(&mut self, diagnostics: &[Diagnostic]) {
        self.errors = 0;
        self.warnings = 0;
        self.infos = 0;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

//! `steward.toml`: rule selection, severities, dialect, fail-on and per-path overrides.
//!
//! ```toml
//! dialect = "postgres"          # or "tsql", "auto" (default)
//! fail-on = "warning"           # error | warning | info
//!
//! [rules]
//! select = ["all"]              # rule ids, categories, or "all" (default: every rule on by default)
//! ignore = ["style", "select-star"]
//! severity = { select-star = "info" }
//!
//! [thresholds.vacuum-overdue]  # live checks of `steward audit`
//! dead-ratio = 0.1
//!
//! [[overrides]]
//! paths = ["migrations/0001_*.sql"]
//! ignore = ["require-concurrent-index"]
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use steward_core::{Category, Dialect, Severity};
use steward_rules::rule::RuleMeta;
use steward_rules::Rule;

/// Problems with configuration (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{origin}: unknown rule or category `{id}` (see `steward rules`)")]
    UnknownRule { origin: String, id: String },
    #[error("{origin}: {message}")]
    Value { origin: String, message: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    dialect: Option<String>,
    fail_on: Option<String>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    thresholds: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

/// Settings after merging the config file and command-line flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `None` = detect per file.
    pub dialect: Option<Dialect>,
    pub fail_on: Severity,
    /// Ids of the rules to run.
    pub enabled: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Severity>,
    pub overrides: Vec<Override>,
    /// The config file used, if any.
    pub source: Option<PathBuf>,
    /// Live-check thresholds: check id → parameter → value (validated by the audit).
    pub thresholds: BTreeMap<String, BTreeMap<String, f64>>,
    /// Every rule these settings may name: lint's rules, plus live checks for the audit.
    pub known: Vec<&'static RuleMeta>,
}

/// Settings that apply to matching paths only.
#[derive(Debug, Clone)]
pub struct Override {
    pub paths: globset::GlobSet,
    pub ignore: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Severity>,
}

/// Command-line flags that override the file.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub dialect: Option<String>,
    pub fail_on: Option<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Settings {
    /// Every default-enabled lint rule, auto dialect, fail on warnings.
    pub fn defaults() -> Settings {
        Settings::defaults_for(lint_rules())
    }

    /// Defaults over a given set of known rules (the audit adds its live checks).
    pub fn defaults_for(known: Vec<&'static RuleMeta>) -> Settings {
        Settings {
            dialect: None,
            fail_on: Severity::Warning,
            enabled: known
                .iter()
                .filter(|r| r.default_enabled)
                .map(|r| r.id)
                .collect(),
            severity: BTreeMap::new(),
            overrides: Vec::new(),
            source: None,
            thresholds: BTreeMap::new(),
            known,
        }
    }

    /// Finds `steward.toml` (or `.steward.toml`) in `start` or a parent directory.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start.ancestors().find_map(|dir| {
            ["steward.toml", ".steward.toml"]
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.is_file())
        })
    }

    /// Loads settings from an optional config file, then applies flags.
    pub fn load(config: Option<&Path>, flags: &Flags) -> Result<Settings, ConfigError> {
        Settings::load_for(config, flags, lint_rules())
    }

    /// [`Settings::load`] over a given set of known rules.
    pub fn load_for(
        config: Option<&Path>,
        flags: &Flags,
        known: Vec<&'static RuleMeta>,
    ) -> Result<Settings, ConfigError> {
        let mut settings = Settings::defaults_for(known);
        if let Some(path) = config {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                path: path.to_path_buf(),
                message: e.to_string().trim().replace('\n', " "),
            })?;
            let origin = path.display().to_string();
            settings.apply_raw(raw, &origin)?;
            settings.source = Some(path.to_path_buf());
        }
        settings.apply_flags(flags)?;
        Ok(settings)
    }

    fn apply_raw(&mut self, raw: RawConfig, origin: &str) -> Result<(), ConfigError> {
        if let Some(d) = raw.dialect {
            self.dialect = parse_dialect(&d, origin)?;
        }
        self.thresholds = raw.thresholds;
        if let Some(f) = raw.fail_on {
            self.fail_on = parse_severity(&f, origin)?;
        }
        if let Some(select) = raw.rules.select {
            self.enabled = expand(&select, origin, &self.known)?;
        }
        let ignored = expand(&raw.rules.ignore, origin, &self.known)?;
        self.enabled.retain(|id| !ignored.contains(id));
        for (id, sev) in raw.rules.severity {
            for rule in expand(std::slice::from_ref(&id), origin, &self.known)? {
                self.severity.insert(rule, parse_severity(&sev, origin)?);
            }
        }
        for o in raw.overrides {
            let mut builder = globset::GlobSetBuilder::new();
            for p in &o.paths {
                let glob = globset::Glob::new(p).map_err(|e| ConfigError::Value {
                    origin: origin.to_string(),
                    message: format!("bad path pattern `{p}`: {e}"),
                })?;
                builder.add(glob);
            }
            let paths = builder.build().map_err(|e| ConfigError::Value {
                origin: origin.to_string(),
                message: e.to_string(),
            })?;
            let mut severity = BTreeMap::new();
            for (id, sev) in o.severity {
                for rule in expand(std::slice::from_ref(&id), origin, &self.known)? {
                    severity.insert(rule, parse_severity(&sev, origin)?);
                }
            }
            self.overrides.push(Override {
                paths,
                ignore: expand(&o.ignore, origin, &self.known)?,
                severity,
            });
        }
        Ok(())
    }

    fn apply_flags(&mut self, flags: &Flags) -> Result<(), ConfigError> {
        if let Some(d) = &flags.dialect {
            self.dialect = parse_dialect(d, "--dialect")?;
        }
        if let Some(f) = &flags.fail_on {
            self.fail_on = parse_severity(f, "--fail-on")?;
        }
        if !flags.select.is_empty() {
            self.enabled = expand(&flags.select, "--select", &self.known)?;
        }
        let ignored = expand(&flags.ignore, "--ignore", &self.known)?;
        self.enabled.retain(|id| !ignored.contains(id));
        Ok(())
    }

    /// The rules to run.
    pub fn rules(&self) -> Vec<&'static dyn Rule> {
        steward_rules::registry::all()
            .into_iter()
            .filter(|r| self.enabled.contains(&r.meta().id))
            .collect()
    }

    /// The severity of a finding of `rule` in `path` (None: suppressed for that path).
    pub fn severity_for(
        &self,
        rule: &str,
        default: Severity,
        path: Option<&str>,
    ) -> Option<Severity> {
        let mut severity = self.severity.get(rule).copied().unwrap_or(default);
        if let Some(path) = path {
            for o in &self.overrides {
                if o.paths.is_match(path) {
                    if o.ignore.contains(&rule) {
                        return None;
                    }
                    if let Some(s) = o.severity.get(rule) {
                        severity = *s;
                    }
                }
            }
        }
        Some(severity)
    }
}

fn parse_dialect(value: &str, origin: &str) -> Result<Option<Dialect>, ConfigError> {
    if value.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|message| ConfigError::Value {
            origin: origin.to_string(),
            message,
        })
}

fn parse_severity(value: &str, origin: &str) -> Result<Severity, ConfigError> {
    value.parse().map_err(|message| ConfigError::Value {
        origin: origin.to_string(),
        message,
    })
}

/// The metadata of every lint rule.
pub fn lint_rules() -> Vec<&'static RuleMeta> {
    steward_rules::registry::all()
        .into_iter()
        .map(|r| r.meta())
        .collect()
}

/// Expands rule ids, categories and `all` into rule ids; unknown names are errors.
/// `all` means every rule that is on by default; naming a rule or its category includes rules
/// that are off by default.
pub fn expand(
    names: &[String],
    origin: &str,
    known: &[&'static RuleMeta],
) -> Result<Vec<&'static str>, ConfigError> {
    let mut out = Vec::new();
    for name in names {
        let name = name.trim();
        if name.eq_ignore_ascii_case("all") {
            out.extend(known.iter().filter(|r| r.default_enabled).map(|r| r.id));
            continue;
        }
        if let Ok(category) = name.parse::<Category>() {
            out.extend(
                known
                    .iter()
                    .filter(|r| r.category == category)
                    .map(|r| r.id),
            );
            continue;
        }
        match known.iter().find(|r| r.id == name) {
            Some(r) => out.push(r.id),
            None => {
                return Err(ConfigError::UnknownRule {
                    origin: origin.to_string(),
                    id: name.to_string(),
                })
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

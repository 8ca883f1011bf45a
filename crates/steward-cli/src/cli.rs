//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "steward",
    version,
    about = "A database expert in one binary: lint SQL files, audit live PostgreSQL, advise on workloads",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Static analysis of PostgreSQL and T-SQL files (migrations, dumps, procedures).
    Lint(LintArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print one rule's documentation.
    Rule {
        /// Rule id, e.g. fk-without-index.
        id: String,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options shared by commands that print findings.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_name = "error|warning|info")]
    pub fail_on: Option<String>,
    /// Colour in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Also print notes about statements that were not analysed.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories (directories are searched for *.sql; `-` reads stdin).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// SQL dialect of the files.
    #[arg(long, value_name = "postgres|tsql|auto")]
    pub dialect: Option<String>,
    /// Run only these rules or categories (comma-separated; `all` for every rule).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules or categories (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Configuration file (default: steward.toml in this or a parent directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

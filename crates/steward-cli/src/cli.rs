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
    /// Audit a live PostgreSQL database: schema rules plus health, index and security checks.
    Audit(AuditArgs),
    /// What to fix first in a workload and what it saves: top queries, query rules with real
    /// call counts, N+1 loops, economics. From pg_stat_statements, a server log or a file.
    Advise(AdviseArgs),
    /// Start a throwaway PostgreSQL, load a sample application with real problems, audit it.
    Demo(DemoArgs),
    /// Backups proven by restoring them, PITR readiness and a PITR drill.
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Proven patterns as SQL that fits your schema: audit trail, soft delete, updated_at,
    /// row-level security, least-privilege roles, consent, GDPR erasure.
    Generate(GenerateArgs),
    /// Personal data: where it is, how it is protected and who can read it (never a value);
    /// `privacy erasure-plan` for what erasing one person touches.
    Privacy(PrivacyArgs),
    /// A statement's plan (EXPLAIN, or EXPLAIN ANALYZE with --analyze) and what is wrong with
    /// it, in plain language: `steward explain [URL] SQL|FILE`.
    Explain(ExplainArgs),

    /// A Model Context Protocol server for AI agents: schema, lint, audit, explain and
    /// read-only queries — it cannot change the database.
    Mcp(McpArgs),
    /// List every rule and live check.
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
    /// Files or directories (directories are searched for *.sql; `-` reads stdin). Default:
    /// the current directory, unless only --app-code is given.
    pub paths: Vec<PathBuf>,
    /// Also scan application source (Python, JavaScript/TypeScript, Go, Java, Ruby, PHP, C#,
    /// Rust) for SQL built by concatenation or interpolation (`app-code-sql-injection`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub app_code: Vec<PathBuf>,
    /// SQL dialect of the files.
    #[arg(long, value_name = "postgres|tsql|auto")]
    pub dialect: Option<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Rule selection and configuration shared by lint and audit.
#[derive(Debug, Default, Args)]
pub struct SelectArgs {
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
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Connection: a postgres:// URL or a key=value string; PG* variables and ~/.pgpass apply
    /// as in psql.
    #[arg(default_value = "", value_name = "URL")]
    pub url: String,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Override a live check's threshold, e.g. `vacuum-overdue.dead-ratio=0.1` (repeatable).
    #[arg(long = "threshold", value_name = "CHECK.NAME=VALUE")]
    pub thresholds: Vec<String>,
    #[command(flatten)]
    pub sample: SampleArgs,
    #[command(flatten)]
    pub safety: SafetyArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Opt-in reading of column values (never printed).
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Read up to N rows of each table's text, JSON, bytea, network, date and timestamp columns and
    /// check them with validators (Luhn, IBAN, token and hash formats…). Read-only and
    /// time-boxed; no value is ever printed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sample: Option<u32>,
    /// Time box for one table's sample read.
    #[arg(
        long,
        default_value = "5s",
        value_name = "DURATION",
        requires = "sample"
    )]
    pub sample_timeout: String,
    /// Time box for all sample reads together; tables after it are reported as not sampled.
    #[arg(
        long,
        default_value = "2min",
        value_name = "DURATION",
        requires = "sample"
    )]
    pub sample_budget: String,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// `[URL] SQL|FILE`: an optional connection (URL or key=value; else PG* variables), then
    /// the statement or a file holding it (`-` reads stdin).
    #[arg(num_args = 1..=2, required = true, value_name = "URL SQL|FILE")]
    pub args: Vec<String>,
    /// Execute the statement (EXPLAIN ANALYZE, BUFFERS) for real row counts and timings.
    #[arg(long)]
    pub analyze: bool,
    /// With --analyze, also run statements that write (INSERT/UPDATE/DELETE/MERGE, data-
    /// modifying CTEs, FOR UPDATE); they run in a transaction that is rolled back.
    #[arg(long, requires = "analyze")]
    pub allow_writes: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ExplainFormat,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

/// Session limits that keep an inspection harmless.
#[derive(Debug, Args)]
pub struct SafetyArgs {
    /// statement_timeout of the session (e.g. 30s, 500ms, 2min).
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub statement_timeout: String,
    /// lock_timeout of the session.
    #[arg(long, default_value = "2s", value_name = "DURATION")]
    pub lock_timeout: String,
    /// idle_in_transaction_session_timeout of the session.
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub idle_timeout: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the throwaway cluster running and print how to connect (stop it with Ctrl-C).
    #[arg(long)]
    pub keep: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Dump a database with pg_dump (directory format, one snapshot) and write a manifest.
    Create(BackupCreateArgs),
    /// Check a backup's files, restore it into a scratch database, compare with the manifest.
    Verify(BackupVerifyArgs),
    /// Whether point-in-time recovery would work on this server (WAL archiving).
    PitrCheck(PitrCheckArgs),
    /// Prove point-in-time recovery end to end on a throwaway cluster: base backup, archived
    /// WAL, a mistaken DELETE, recovery to the moment before it.
    Drill,
}

#[derive(Debug, Args)]
pub struct BackupCreateArgs {
    /// Connection: URL, key=value string, or PG* variables.
    #[arg(default_value = "", value_name = "URL")]
    pub url: String,
    /// Directory to create (must not exist or be empty); created with mode 0700.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Parallel pg_dump jobs.
    #[arg(long, short = 'j', default_value_t = 2)]
    pub jobs: u32,
    /// Also dump roles and memberships (pg_dumpall --globals-only, never passwords).
    #[arg(long)]
    pub globals: bool,
    /// Record per-table content checksums (reads every row once more).
    #[arg(long)]
    pub deep: bool,
    /// Directory of pg_dump/pg_dumpall (default: $PATH).
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
    /// Encrypt the dump files at rest to this age public key (age1…; repeatable).
    #[arg(long = "encrypt-to", value_name = "AGE_PUBLIC_KEY")]
    pub encrypt_to: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BackupVerifyArgs {
    /// The backup directory.
    pub dir: PathBuf,
    /// Server to restore on (a database there to connect to); default: the source server's
    /// `postgres` database. A new scratch database is created and dropped; the source database
    /// is never touched.
    #[arg(long, value_name = "URL")]
    pub scratch_url: Option<String>,
    #[arg(long, short = 'j', default_value_t = 2)]
    pub jobs: u32,
    /// Compare content checksums (the backup must be made with --deep).
    #[arg(long)]
    pub deep: bool,
    /// SQL that must return true on the restored database (repeatable).
    #[arg(long = "check", value_name = "SQL")]
    pub checks: Vec<String>,
    /// Restore globals.sql (roles) on the scratch server first.
    #[arg(long)]
    pub with_globals: bool,
    /// Directory of pg_restore/psql (default: $PATH).
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
    /// age identity file (AGE-SECRET-KEY-1…) for an encrypted backup.
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PitrCheckArgs {
    #[arg(default_value = "", value_name = "URL")]
    pub url: String,
    /// Override a check's threshold, e.g. `archive-stale.max-age-seconds=600`.
    #[arg(long = "threshold", value_name = "CHECK.NAME=VALUE")]
    pub thresholds: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Patterns `steward generate` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PatternArg {
    /// Append-only audit log of every change, personal data redacted.
    AuditTrail,
    /// deleted_at, live-row views, unique keys that soft-deleted rows free.
    SoftDelete,
    /// A trigger that keeps every updated_at column current.
    UpdatedAt,
    /// Tenant isolation with row-level security the owner cannot bypass.
    Rls,
    /// Least-privilege roles: owner, migrator, read-write, read-only, mcp.
    Roles,
    /// A consent ledger, has_consent() and the current consent view.
    Consent,
    /// privacy.erase_subject(id): GDPR erasure along every foreign-key path.
    Erasure,
}

/// Where the schema comes from: files or a live database.
#[derive(Debug, Args)]
pub struct SchemaSource {
    /// A live database to read the schema from (postgres:// URL or key=value).
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// SQL files or directories (migrations, a dump) to read the schema from instead.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "url")]
    pub schema: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The pattern to generate.
    #[arg(value_enum)]
    pub pattern: PatternArg,
    #[command(flatten)]
    pub source: SchemaSource,
    /// Cover only these tables (`name` or `schema.name`; repeatable).
    #[arg(long = "table", value_name = "TABLE")]
    pub tables: Vec<String>,
    /// Write the script to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Apply the script to this database after printing it (it asks first unless --yes).
    #[arg(long, value_name = "URL")]
    pub apply: Option<String>,
    /// Apply without asking.
    #[arg(long, requires = "apply")]
    pub yes: bool,
    /// Prefix of role names (roles, rls).
    #[arg(long, default_value = "app", value_name = "PREFIX")]
    pub role_prefix: String,
    /// Tenant column (rls).
    #[arg(long, default_value = "tenant_id", value_name = "COLUMN")]
    pub tenant_column: String,
    /// The table of people (consent, erasure); detected when there is one clear candidate.
    #[arg(long, value_name = "TABLE")]
    pub subject_table: Option<String>,
    /// Also redact these columns in the audit trail (`column` or `table.column`; repeatable).
    #[arg(long, value_name = "COLUMN")]
    pub redact: Vec<String>,
    /// Keep these detected columns in the audit trail (`column` or `table.column`).
    #[arg(long, value_name = "COLUMN")]
    pub keep: Vec<String>,
    /// soft-delete: also turn plain DELETE statements into setting deleted_at.
    #[arg(long)]
    pub delete_trigger: bool,
    /// erasure: keep (anonymise) this table's rows, with the legal reason: `table=reason`.
    #[arg(long, value_name = "TABLE=REASON")]
    pub retain: Vec<String>,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PrivacyArgs {
    #[command(subcommand)]
    pub command: Option<PrivacyCommand>,
    #[command(flatten)]
    pub inventory: InventoryArgs,
}

/// `steward privacy [URL | --schema FILE…]`: the personal-data inventory.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub source: SchemaSource,
    /// Output format: text, json, or csv (a record of processing, GDPR Art. 30).
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: InventoryFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub sample: SampleArgs,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InventoryFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// What erasing one person would touch: tables, foreign-key paths, actions, row counts.
    ErasurePlan(ErasurePlanArgs),
}

#[derive(Debug, Args)]
pub struct ErasurePlanArgs {
    #[command(flatten)]
    pub source: SchemaSource,
    /// The table of people; detected when there is one clear candidate.
    #[arg(long, value_name = "TABLE")]
    pub subject_table: Option<String>,
    /// Count the rows of this person (live databases only; read-only).
    #[arg(long, value_name = "ID")]
    pub subject_id: Option<String>,
    /// Keep (anonymise) this table's rows, with the legal reason: `table=reason`.
    #[arg(long, value_name = "TABLE=REASON")]
    pub retain: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: PlanFormat,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
}

/// `steward advise [URL] [--log FILE | --queries FILE]`.
#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// A live database (postgres:// URL or key=value; else PG* variables): its
    /// pg_stat_statements is the workload, and its schema (foreign keys) informs N+1 detection.
    /// With --log or --queries it supplies the schema only; without a URL those work offline.
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// A PostgreSQL server log (stderr, csvlog or jsonlog) written with
    /// log_min_duration_statement = 0, as the workload.
    #[arg(long, value_name = "FILE", conflicts_with = "queries")]
    pub log: Option<PathBuf>,
    /// A file of SQL statements as the workload (`-- calls: N, mean-ms: X` before a statement
    /// gives its daily calls and mean time).
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// How many top queries to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Price of one vCPU-hour, for money per month (default: AWS RDS db.m6i.large on demand,
    /// us-east-1, $0.171/h for 2 vCPUs).
    #[arg(long, value_name = "PRICE", default_value_t = steward_advise::economics::DEFAULT_PRICE_PER_VCPU_HOUR)]
    pub cost_per_vcpu_hour: f64,
    /// Recommend at most this many new indexes.
    #[arg(long, value_name = "N")]
    pub max_indexes: Option<usize>,
    /// Recommend at most this much new index space, e.g. 500MB or 2GB (hypopg's estimate).
    #[arg(long, value_name = "SIZE")]
    pub max_size: Option<String>,
    /// Skip the what-if index advisor (hypopg).
    #[arg(long)]
    pub no_index_advice: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: AdviseFormat,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AdviseFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum McpTransport {
    /// JSON-RPC over stdin/stdout (what desktop clients start).
    Stdio,
    /// Streamable HTTP at http://BIND/mcp.
    Http,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Connection: a postgres:// URL or a key=value string; PG* variables and ~/.pgpass apply
    /// as in psql. Use a least-privilege role (`steward generate roles`).
    #[arg(default_value = "", value_name = "URL")]
    pub url: String,
    /// How clients reach the server.
    #[arg(long, value_enum, default_value = "stdio")]
    pub transport: McpTransport,
    /// Address for --transport http (loopback by default; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8808", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on HTTP, the token read from this environment
    /// variable (never given on the command line).
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// Allow explain_query to run EXPLAIN ANALYZE (it executes the query, read-only).
    #[arg(long)]
    pub allow_analyze: bool,
    /// Refuse to start (exit 2) when the role is a superuser or can write.
    #[arg(long)]
    pub strict: bool,
    /// Most rows one query returns.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_rows: usize,
    /// Most bytes (as JSON) one query returns.
    #[arg(long, default_value_t = 1 << 20, value_name = "N")]
    pub max_bytes: usize,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

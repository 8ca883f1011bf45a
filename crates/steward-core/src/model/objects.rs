//! The objects of the model. Every object carries its [`Origin`]; live statistics hang off
//! the same objects as optional facts.

use super::{ColumnType, Origin, QualName};

/// A schema (namespace).
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub name: String,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// What kind of table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableKind {
    #[default]
    Ordinary,
    /// `PARTITION BY` parent.
    Partitioned,
    Foreign,
    Temporary,
    Unlogged,
}

/// A table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: QualName,
    pub kind: TableKind,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    /// `ALTER TABLE … ENABLE ROW LEVEL SECURITY`.
    pub rls_enabled: bool,
    /// `ALTER TABLE … FORCE ROW LEVEL SECURITY`.
    pub rls_forced: bool,
    pub owner: Option<String>,
    pub comment: Option<String>,
    /// The parent when this is a partition (`PARTITION OF` / `INHERITS`).
    pub partition_of: Option<QualName>,
    pub origin: Origin,
    /// False when the column list is not fully known (`CREATE TABLE … AS`, `LIKE`,
    /// `INHERITS`, `PARTITION OF`): rules must not conclude a column is missing.
    pub columns_known: bool,
    /// Live statistics, when read from a server.
    pub stats: Option<TableStats>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            self.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        let pos = self
            .columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })?;
        self.columns.get_mut(pos)
    }

    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey))
    }

    pub fn foreign_keys(&self) -> impl Iterator<Item = (&Constraint, &ForeignKey)> {
        self.constraints.iter().filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) => Some((c, fk)),
            _ => None,
        })
    }

    /// The file the table was created in, when it came from a file.
    pub fn created_in_file(&self) -> Option<usize> {
        self.origin.file_index()
    }
}

/// Identity columns (`GENERATED … AS IDENTITY`, T-SQL `IDENTITY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

/// A column.
#[derive(Debug, Clone, Default)]
pub struct Column {
    pub name: String,
    pub data_type: Option<ColumnType>,
    pub not_null: bool,
    /// The default expression as SQL text.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<String>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl Column {
    /// Whether the column is fed by a sequence (serial, identity or `nextval` default).
    pub fn is_auto_increment(&self) -> bool {
        self.identity.is_some()
            || self
                .default
                .as_deref()
                .is_some_and(|d| d.to_ascii_lowercase().contains("nextval("))
    }
}

/// `ON DELETE` / `ON UPDATE` actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// A foreign key's target.
#[derive(Debug, Clone, Default)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: QualName,
    /// Referenced columns; empty means the referenced table's primary key.
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

#[derive(Debug, Clone)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique { nulls_not_distinct: bool },
    ForeignKey(ForeignKey),
    Check { expression: String },
    Exclude,
}

/// A table constraint (inline column constraints are lowered to these too).
#[derive(Debug, Clone)]
pub struct Constraint {
    pub name: Option<String>,
    pub kind: ConstraintKind,
    /// Constrained columns (for PK/UNIQUE/FK; empty for CHECK).
    pub columns: Vec<String>,
    /// `INCLUDE (…)` columns of a PK/UNIQUE constraint's index.
    pub include: Vec<String>,
    /// Added `NOT VALID` and not validated since.
    pub not_valid: bool,
    pub deferrable: bool,
    pub origin: Origin,
}

impl Constraint {
    pub fn is_unique_or_pk(&self) -> bool {
        matches!(
            self.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique { .. }
        )
    }
}

/// One key of an index: a column or an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKey {
    pub kind: IndexKeyKind,
    pub descending: bool,
    pub nulls_first: Option<bool>,
    pub collation: Option<String>,
    pub opclass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKeyKind {
    Column(String),
    /// Expression text, normalized for comparison (lower case, single spaces).
    Expression(String),
}

impl IndexKey {
    pub fn column(name: impl Into<String>) -> Self {
        IndexKey {
            kind: IndexKeyKind::Column(name.into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
        }
    }

    pub fn column_name(&self) -> Option<&str> {
        match &self.kind {
            IndexKeyKind::Column(c) => Some(c),
            IndexKeyKind::Expression(_) => None,
        }
    }
}

/// An index (explicit, or the one a PRIMARY KEY / UNIQUE constraint builds).
#[derive(Debug, Clone)]
pub struct Index {
    pub name: QualName,
    pub table: QualName,
    pub unique: bool,
    /// Access method, lower case (`btree`, `hash`, `gin`, `gist`, `brin`, `spgist`);
    /// T-SQL `clustered`/`nonclustered` are both b-trees.
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    /// Partial index predicate, normalized SQL text.
    pub predicate: Option<String>,
    /// False for an index left invalid by a failed `CREATE INDEX CONCURRENTLY`.
    pub valid: bool,
    /// The constraint this index implements, when it does.
    pub constraint: Option<String>,
    pub origin: Origin,
    pub stats: Option<IndexStats>,
}

impl Index {
    /// Leading plain-column names, up to the first expression key.
    pub fn leading_columns(&self) -> Vec<&str> {
        self.keys.iter().map_while(IndexKey::column_name).collect()
    }

    pub fn is_btree(&self) -> bool {
        self.method == "btree"
    }
}

/// A view or materialized view.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// The defining query as SQL text.
    pub definition: String,
    /// `WITH (security_invoker = true)` (PostgreSQL 15+).
    pub security_invoker: bool,
    pub security_barrier: bool,
    pub columns: Vec<String>,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A sequence.
#[derive(Debug, Clone, Default)]
pub struct Sequence {
    pub name: QualName,
    pub data_type: Option<ColumnType>,
    pub start: Option<i128>,
    pub increment: Option<i128>,
    pub max_value: Option<i128>,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualName, String)>,
    pub origin: Origin,
    /// Live: the last value handed out.
    pub last_value: Option<i128>,
}

/// Volatility of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Volatility {
    Immutable,
    Stable,
    #[default]
    Volatile,
}

/// A function or procedure.
#[derive(Debug, Clone, Default)]
pub struct Function {
    pub name: QualName,
    /// Argument types as text, e.g. `integer, text`.
    pub arguments: String,
    /// Named input parameters as (name, type as written); empty when unknown (live catalogs).
    pub parameters: Vec<(String, String)>,
    pub returns: Option<String>,
    pub language: String,
    pub volatility: Volatility,
    pub security_definer: bool,
    /// `SET key = value` options, e.g. `("search_path", "pg_catalog, public")`.
    pub config: Vec<(String, String)>,
    pub body: Option<String>,
    /// Where the body text starts in the file (for locating findings inside it).
    pub body_origin: Origin,
    pub is_procedure: bool,
    pub owner: Option<String>,
    pub origin: Origin,
}

impl Function {
    pub fn sets_search_path(&self) -> bool {
        self.config
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("search_path"))
    }
}

/// When a trigger fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TriggerTiming {
    Before,
    #[default]
    After,
    InsteadOf,
}

/// A trigger.
#[derive(Debug, Clone, Default)]
pub struct Trigger {
    pub name: String,
    pub table: QualName,
    pub function: QualName,
    /// Function arguments as text.
    pub arguments: Vec<String>,
    pub timing: TriggerTiming,
    /// `insert`, `update`, `delete`, `truncate`.
    pub events: Vec<String>,
    /// Columns of `UPDATE OF …`.
    pub update_columns: Vec<String>,
    pub for_each_row: bool,
    /// T-SQL triggers carry their body inline.
    pub body: Option<String>,
    pub origin: Origin,
}

/// A user type (enum, domain, composite, range).
#[derive(Debug, Clone, Default)]
pub struct UserType {
    pub name: QualName,
    /// Enum labels, in order.
    pub labels: Vec<String>,
    pub kind: UserTypeKind,
    /// Base type of a domain.
    pub base: Option<ColumnType>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserTypeKind {
    #[default]
    Enum,
    Domain,
    Composite,
    Range,
}

/// A role or user. The password itself is never kept.
#[derive(Debug, Clone, Default)]
pub struct Role {
    pub name: String,
    pub login: bool,
    pub superuser: bool,
    pub create_role: bool,
    pub create_db: bool,
    pub bypass_rls: bool,
    pub replication: bool,
    /// Whether a password is set (from DDL; always false from a live catalog, which cannot
    /// tell without superuser); the value never enters the model.
    pub has_password: bool,
    /// Live: the stored verifier's kind (`md5`, `scram-sha-256`), never the verifier.
    pub password_kind: Option<String>,
    pub valid_until: Option<String>,
    pub connection_limit: Option<i64>,
    pub member_of: Vec<String>,
    pub origin: Origin,
}

/// What a grant is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum GrantObject {
    #[default]
    Database,
    Schema(String),
    Table(QualName),
    /// `ALL TABLES IN SCHEMA s`.
    AllTablesInSchema(String),
    Sequence(QualName),
    Function(QualName),
    AllFunctionsInSchema(String),
    Other(String),
}

/// A privilege granted (or, when `revoke` is true, a REVOKE seen in a file).
#[derive(Debug, Clone, Default)]
pub struct Grant {
    /// Upper case privilege names; `ALL` for ALL PRIVILEGES.
    pub privileges: Vec<String>,
    pub object: GrantObject,
    /// Grantee role names; `public` for PUBLIC.
    pub grantees: Vec<String>,
    pub with_grant_option: bool,
    pub origin: Origin,
}

/// `ALTER DEFAULT PRIVILEGES`.
#[derive(Debug, Clone, Default)]
pub struct DefaultPrivilege {
    pub for_role: Option<String>,
    pub schema: Option<String>,
    /// `tables`, `sequences`, `functions`, `types`, `schemas`.
    pub object_kind: String,
    pub privileges: Vec<String>,
    pub grantees: Vec<String>,
    pub origin: Origin,
}

/// A row-level security policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub name: String,
    pub table: QualName,
    /// `all`, `select`, `insert`, `update`, `delete`.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub origin: Origin,
}

/// An installed extension.
#[derive(Debug, Clone, Default)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
    pub origin: Origin,
}

/// Live-only facts about a server.
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    /// `server_version_num`, e.g. 150004.
    pub version_num: u32,
    pub version: String,
    pub database: String,
    pub current_user: String,
}

/// Live table statistics.
#[derive(Debug, Clone, Default)]
pub struct TableStats {
    pub estimated_rows: f64,
    pub total_bytes: i64,
    pub table_bytes: i64,
    pub seq_scan: i64,
    pub seq_tup_read: i64,
    pub idx_scan: i64,
    pub n_live_tup: i64,
    pub n_dead_tup: i64,
    pub n_tup_ins: i64,
    pub n_tup_upd: i64,
    pub n_tup_del: i64,
    pub last_vacuum: Option<String>,
    pub last_autovacuum: Option<String>,
    pub last_analyze: Option<String>,
    pub last_autoanalyze: Option<String>,
}

/// Live index statistics.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    pub bytes: i64,
    pub idx_scan: i64,
    /// PostgreSQL 16+: when the index was last used.
    pub last_idx_scan: Option<String>,
}

//! The normalized picture of a database.
//!
//! DDL from files and the live catalog lower into these same structures, so a schema rule is
//! written once and runs on a migration folder, a `pg_dump` file and a production server alike.
//!
//! Names are stored *normalized* the way the server resolves them: unquoted PostgreSQL
//! identifiers folded to lower case, quoted ones kept; T-SQL names kept as written and compared
//! case-insensitively (SQL Server's default collation). Unqualified names are resolved to a
//! schema when they are lowered (search_path in files, the real schema live).

mod names;
mod objects;
mod types;

pub use names::{bracket_ident, quote_ident, QualName};
pub use objects::*;
pub use types::{ColumnType, TypeFamily};

use crate::dialect::Dialect;
use crate::source::Location;
use indexmap::IndexMap;

/// Where an object came from: a span in a file, or a live catalog object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    /// Read from a file; `file_index` is the file's position in the run (files are a history,
    /// applied in order), so rules can tell "created in an earlier file" from "in this one".
    File {
        location: Location,
        file_index: usize,
    },
    /// Read from a live server's catalog.
    Live { oid: u32 },
    /// Made up by steward itself (e.g. the implicit index behind a PRIMARY KEY).
    #[default]
    Implied,
}

impl Origin {
    pub fn location(&self) -> Option<&Location> {
        match self {
            Origin::File { location, .. } => Some(location),
            _ => None,
        }
    }

    pub fn file_index(&self) -> Option<usize> {
        match self {
            Origin::File { file_index, .. } => Some(*file_index),
            _ => None,
        }
    }
}

/// The whole database as steward understands it.
#[derive(Debug, Clone)]
pub struct Model {
    pub dialect: Dialect,
    pub schemas: IndexMap<String, Schema>,
    pub tables: IndexMap<QualName, Table>,
    pub views: IndexMap<QualName, View>,
    pub indexes: Vec<Index>,
    pub sequences: IndexMap<QualName, Sequence>,
    pub functions: Vec<Function>,
    pub triggers: Vec<Trigger>,
    pub types: IndexMap<QualName, UserType>,
    pub roles: IndexMap<String, Role>,
    pub grants: Vec<Grant>,
    pub default_privileges: Vec<DefaultPrivilege>,
    pub policies: Vec<Policy>,
    pub extensions: IndexMap<String, Extension>,
    /// Live-only facts about the server (version, settings); `None` for files.
    pub server: Option<ServerInfo>,
}

impl Model {
    pub fn new(dialect: Dialect) -> Self {
        Model {
            dialect,
            schemas: IndexMap::new(),
            tables: IndexMap::new(),
            views: IndexMap::new(),
            indexes: Vec::new(),
            sequences: IndexMap::new(),
            functions: Vec::new(),
            triggers: Vec::new(),
            types: IndexMap::new(),
            roles: IndexMap::new(),
            grants: Vec::new(),
            default_privileges: Vec::new(),
            policies: Vec::new(),
            extensions: IndexMap::new(),
            server: None,
        }
    }

    /// A key under which `name` is stored: T-SQL compares names case-insensitively.
    pub fn key(&self, name: &QualName) -> QualName {
        match self.dialect {
            Dialect::Postgres => name.clone(),
            Dialect::Tsql => name.folded(),
        }
    }

    /// Whether two names denote the same object under the dialect's rules, without the
    /// allocations of comparing [`Model::key`]s (lookups run once per statement).
    pub fn same_name(&self, a: &QualName, b: &QualName) -> bool {
        match self.dialect {
            Dialect::Postgres => a == b,
            Dialect::Tsql => {
                a.schema.eq_ignore_ascii_case(&b.schema) && a.name.eq_ignore_ascii_case(&b.name)
            }
        }
    }

    pub fn table(&self, name: &QualName) -> Option<&Table> {
        self.tables.get(&self.key(name))
    }

    pub fn table_mut(&mut self, name: &QualName) -> Option<&mut Table> {
        let key = self.key(name);
        self.tables.get_mut(&key)
    }

    pub fn view(&self, name: &QualName) -> Option<&View> {
        self.views.get(&self.key(name))
    }

    /// Whether a relation (table, view, sequence) of this name is known.
    pub fn has_relation(&self, name: &QualName) -> bool {
        let key = self.key(name);
        self.tables.contains_key(&key)
            || self.views.contains_key(&key)
            || self.sequences.contains_key(&key)
    }

    /// Every table's indexes, keyed by [`Model::key`] of the table: build it once when a rule
    /// looks at the indexes of many tables ([`Model::indexes_on`] scans all indexes).
    pub fn indexes_by_table(&self) -> std::collections::HashMap<QualName, Vec<&Index>> {
        let mut map: std::collections::HashMap<QualName, Vec<&Index>> =
            std::collections::HashMap::new();
        for index in &self.indexes {
            map.entry(self.key(&index.table)).or_default().push(index);
        }
        map
    }

    /// Indexes on one table (a scan of all indexes; see [`Model::indexes_by_table`]).
    pub fn indexes_on<'a>(&'a self, table: &'a QualName) -> impl Iterator<Item = &'a Index> + 'a {
        self.indexes
            .iter()
            .filter(move |i| self.same_name(&i.table, table))
    }

    /// Looks an index up by name (PostgreSQL: schema-qualified; T-SQL: per table, so the
    /// first one of that name).
    pub fn index_position(&self, name: &QualName) -> Option<usize> {
        self.indexes
            .iter()
            .position(|i| self.same_name(&i.name, name))
    }

    /// Triggers on one table.
    pub fn triggers_on<'a>(
        &'a self,
        table: &'a QualName,
    ) -> impl Iterator<Item = &'a Trigger> + 'a {
        self.triggers
            .iter()
            .filter(move |t| self.same_name(&t.table, table))
    }

    /// Policies on one table.
    pub fn policies_on<'a>(&'a self, table: &'a QualName) -> impl Iterator<Item = &'a Policy> + 'a {
        self.policies
            .iter()
            .filter(move |p| self.same_name(&p.table, table))
    }

    /// Functions of a name (all overloads).
    pub fn functions_named<'a>(
        &'a self,
        name: &'a QualName,
    ) -> impl Iterator<Item = &'a Function> + 'a {
        self.functions
            .iter()
            .filter(move |f| self.same_name(&f.name, name))
    }

    /// Functions by bare name in any schema (trigger functions are often named unqualified).
    pub fn function_by_bare_name(&self, schema: &str, name: &str) -> Option<&Function> {
        let wanted = self.key(&QualName::new(schema, name));
        self.functions
            .iter()
            .rev()
            .find(|f| self.key(&f.name) == wanted)
            .or_else(|| {
                self.functions
                    .iter()
                    .rev()
                    .find(|f| self.key(&f.name).name == wanted.name)
            })
    }
}

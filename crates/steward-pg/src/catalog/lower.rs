//! Catalog rows → model objects. Names come from the catalog already normalized (as stored),
//! types from `format_type`, expressions from `pg_get_expr`: the same spellings the SQL
//! front-end produces from DDL, so rules compare them alike.

use std::collections::HashMap;
use steward_core::model::*;
use steward_core::Dialect;
use steward_sql::names::normalize_sql;
use tokio_postgres::Row;

type LowerError = (&'static str, String);

/// Reads a column, turning a shape mismatch into an error that names the query.
fn get<'a, T: tokio_postgres::types::FromSql<'a>>(
    query: &'static str,
    row: &'a Row,
    column: &str,
) -> Result<T, LowerError> {
    row.try_get(column)
        .map_err(|e| (query, format!("column {column}: {e}")))
}

fn rows<'a>(results: &'a [(&'static str, Vec<Row>)], name: &str) -> &'a [Row] {
    results
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[])
}

pub(super) fn lower(results: &[(&'static str, Vec<Row>)]) -> Result<Model, LowerError> {
    let mut model = Model::new(Dialect::Postgres);
    if let Some(row) = rows(results, "server").first() {
        let q = "server";
        model.server = Some(ServerInfo {
            version_num: get::<i32>(q, row, "version_num")? as u32,
            version: get(q, row, "version")?,
            database: get(q, row, "database")?,
            current_user: get(q, row, "current_user")?,
        });
    }
    for row in rows(results, "schemas") {
        let q = "schemas";
        let name: String = get(q, row, "name")?;
        model.schemas.insert(
            name.clone(),
            Schema {
                name,
                owner: get(q, row, "owner")?,
                comment: get(q, row, "comment")?,
                origin: Origin::Live {
                    oid: get::<i64>(q, row, "oid")? as u32,
                },
            },
        );
    }
    // Relations by oid, so columns, constraints and indexes can find their table.
    let mut by_oid: HashMap<i64, QualName> = HashMap::new();
    for row in rows(results, "relations") {
        let q = "relations";
        let oid: i64 = get(q, row, "oid")?;
        let name = QualName::new(
            get::<String>(q, row, "schema")?,
            get::<String>(q, row, "name")?,
        );
        if by_oid.contains_key(&oid) {
            continue; // a second parent of multiple inheritance
        }
        by_oid.insert(oid, name.clone());
        let relkind: String = get(q, row, "relkind")?;
        let origin = Origin::Live { oid: oid as u32 };
        let owner: Option<String> = get(q, row, "owner")?;
        let comment: Option<String> = get(q, row, "comment")?;
        if relkind == "v" || relkind == "m" {
            let options: String = get(q, row, "reloptions")?;
            let option_on = |key: &str| {
                options.split(',').any(|o| {
                    o.split_once('=')
                        .is_some_and(|(k, v)| k == key && matches!(v, "true" | "on" | "1"))
                })
            };
            let view = View {
                name: name.clone(),
                materialized: relkind == "m",
                definition: get::<Option<String>>(q, row, "view_definition")?.unwrap_or_default(),
                security_invoker: option_on("security_invoker"),
                security_barrier: option_on("security_barrier"),
                columns: Vec::new(),
                owner,
                comment,
                origin,
            };
            model.views.insert(name, view);
            continue;
        }
        let persistence: String = get(q, row, "persistence")?;
        let kind = match (relkind.as_str(), persistence.as_str()) {
            ("p", _) => TableKind::Partitioned,
            ("f", _) => TableKind::Foreign,
            (_, "u") => TableKind::Unlogged,
            (_, "t") => TableKind::Temporary,
            _ => TableKind::Ordinary,
        };
        let parent = match (
            get::<Option<String>>(q, row, "parent_schema")?,
            get::<Option<String>>(q, row, "parent_name")?,
        ) {
            (Some(s), Some(n)) => Some(QualName::new(s, n)),
            _ => None,
        };
        let table = Table {
            name: name.clone(),
            kind,
            columns: Vec::new(),
            constraints: Vec::new(),
            rls_enabled: get(q, row, "rls_enabled")?,
            rls_forced: get(q, row, "rls_forced")?,
            owner,
            comment,
            partition_of: parent,
            origin,
            columns_known: true,
            stats: Some(TableStats {
                estimated_rows: get(q, row, "reltuples")?,
                total_bytes: get(q, row, "total_bytes")?,
                table_bytes: get(q, row, "table_bytes")?,
                seq_scan: get(q, row, "seq_scan")?,
                seq_tup_read: get(q, row, "seq_tup_read")?,
                idx_scan: get(q, row, "idx_scan")?,
                n_live_tup: get(q, row, "n_live_tup")?,
                n_dead_tup: get(q, row, "n_dead_tup")?,
                n_tup_ins: get(q, row, "n_tup_ins")?,
                n_tup_upd: get(q, row, "n_tup_upd")?,
                n_tup_del: get(q, row, "n_tup_del")?,
                last_vacuum: get(q, row, "last_vacuum")?,
                last_autovacuum: get(q, row, "last_autovacuum")?,
                last_analyze: get(q, row, "last_analyze")?,
                last_autoanalyze: get(q, row, "last_autoanalyze")?,
            }),
        };
        model.tables.insert(name, table);
    }
    for row in rows(results, "columns") {
        let q = "columns";
        let Some(table) = by_oid.get(&get::<i64>(q, row, "table_oid")?) else {
            continue;
        };
        let name: String = get(q, row, "name")?;
        let identity: String = get(q, row, "identity")?;
        let column = Column {
            name: name.clone(),
            data_type: Some(ColumnType::parse(&get::<String>(q, row, "type")?)),
            not_null: get(q, row, "not_null")?,
            default: get(q, row, "default")?,
            identity: match identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            generated: get(q, row, "generated")?,
            collation: get(q, row, "collation")?,
            comment: get(q, row, "comment")?,
            origin: Origin::Live { oid: 0 },
        };
        if let Some(t) = model.tables.get_mut(table) {
            t.columns.push(column);
        } else if let Some(v) = model.views.get_mut(table) {
            v.columns.push(name);
        }
    }
    let mut index_constraint: HashMap<i64, String> = HashMap::new();
    for row in rows(results, "constraints") {
        let q = "constraints";
        let Some(table) = by_oid.get(&get::<i64>(q, row, "table_oid")?).cloned() else {
            continue;
        };
        let name: String = get(q, row, "name")?;
        let columns: Vec<String> = get(q, row, "columns")?;
        let definition: String = get(q, row, "definition")?;
        let kind: String = get(q, row, "kind")?;
        let kind = match kind.as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique {
                nulls_not_distinct: definition.contains("NULLS NOT DISTINCT"),
            },
            "f" => ConstraintKind::ForeignKey(ForeignKey {
                columns: columns.clone(),
                ref_table: QualName::new(
                    get::<Option<String>>(q, row, "ref_schema")?.unwrap_or_default(),
                    get::<Option<String>>(q, row, "ref_table")?.unwrap_or_default(),
                ),
                ref_columns: get(q, row, "ref_columns")?,
                on_delete: fk_action(&get::<String>(q, row, "on_delete")?),
                on_update: fk_action(&get::<String>(q, row, "on_update")?),
            }),
            "c" => ConstraintKind::Check {
                expression: definition
                    .strip_prefix("CHECK ")
                    .unwrap_or(&definition)
                    .trim_end_matches(" NOT VALID")
                    .to_string(),
            },
            _ => ConstraintKind::Exclude,
        };
        let include = include_columns(&definition);
        let index_oid: i64 = get(q, row, "index_oid")?;
        if index_oid != 0
            && matches!(
                kind,
                ConstraintKind::PrimaryKey
                    | ConstraintKind::Unique { .. }
                    | ConstraintKind::Exclude
            )
        {
            index_constraint.insert(index_oid, name.clone());
        }
        let constraint = Constraint {
            name: Some(name),
            kind,
            columns,
            include,
            not_valid: !get::<bool>(q, row, "validated")?,
            deferrable: get(q, row, "deferrable")?,
            origin: Origin::Live { oid: 0 },
        };
        if let Some(t) = model.tables.get_mut(&table) {
            t.constraints.push(constraint);
        }
    }
    for row in rows(results, "indexes") {
        let q = "indexes";
        let Some(table) = by_oid.get(&get::<i64>(q, row, "table_oid")?).cloned() else {
            continue;
        };
        let oid: i64 = get(q, row, "oid")?;
        let definitions: Vec<String> = get(q, row, "keys")?;
        let key_count = get::<i32>(q, row, "key_count")? as usize;
        let descending: Vec<bool> = get(q, row, "descending")?;
        let nulls_first: Vec<bool> = get(q, row, "nulls_first")?;
        let collations: Vec<Option<String>> = get(q, row, "collations")?;
        let opclasses: Vec<Option<String>> = get(q, row, "opclasses")?;
        let keys = definitions
            .iter()
            .take(key_count)
            .enumerate()
            .map(|(k, def)| {
                let desc = descending.get(k).copied().unwrap_or(false);
                IndexKey {
                    kind: key_kind(def),
                    descending: desc,
                    // Record NULLS FIRST/LAST only where it differs from the default.
                    nulls_first: nulls_first.get(k).copied().filter(|nf| *nf != desc),
                    collation: collations.get(k).cloned().flatten(),
                    opclass: opclasses.get(k).cloned().flatten(),
                }
            })
            .collect();
        let include = definitions.iter().skip(key_count).cloned().collect();
        let bytes: i64 = get(q, row, "bytes")?;
        model.indexes.push(Index {
            name: QualName::new(
                get::<String>(q, row, "schema")?,
                get::<String>(q, row, "name")?,
            ),
            table,
            unique: get(q, row, "unique")?,
            method: get(q, row, "method")?,
            keys,
            include,
            predicate: get::<Option<String>>(q, row, "predicate")?.map(|p| normalize_sql(&p)),
            valid: get(q, row, "valid")?,
            constraint: index_constraint.get(&oid).cloned(),
            origin: Origin::Live { oid: oid as u32 },
            stats: Some(IndexStats {
                bytes,
                idx_scan: get(q, row, "idx_scan")?,
                last_idx_scan: get(q, row, "last_idx_scan")?,
            }),
        });
    }
    for row in rows(results, "sequences") {
        let q = "sequences";
        let name = QualName::new(
            get::<String>(q, row, "schema")?,
            get::<String>(q, row, "name")?,
        );
        let owned_by = match (
            get::<Option<String>>(q, row, "owner_schema")?,
            get::<Option<String>>(q, row, "owner_table")?,
            get::<Option<String>>(q, row, "owner_column")?,
        ) {
            (Some(s), Some(t), Some(c)) => Some((QualName::new(s, t), c)),
            _ => None,
        };
        let int = |c: &str| -> Result<Option<i128>, LowerError> {
            Ok(get::<Option<String>>(q, row, c)?.and_then(|v| v.parse().ok()))
        };
        model.sequences.insert(
            name.clone(),
            Sequence {
                name,
                data_type: Some(ColumnType::parse(&get::<String>(q, row, "type")?)),
                start: int("start")?,
                increment: int("increment")?,
                max_value: int("max")?,
                owned_by,
                origin: Origin::Live {
                    oid: get::<i64>(q, row, "oid")? as u32,
                },
                last_value: int("last_value")?,
            },
        );
    }
    for row in rows(results, "functions") {
        let q = "functions";
        let config: Vec<String> = get(q, row, "config")?;
        let volatility: String = get(q, row, "volatility")?;
        model.functions.push(Function {
            name: QualName::new(
                get::<String>(q, row, "schema")?,
                get::<String>(q, row, "name")?,
            ),
            arguments: get(q, row, "arguments")?,
            parameters: get::<Vec<String>>(q, row, "parameters")?
                .iter()
                .filter_map(|p| p.split_once('\t'))
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            returns: get(q, row, "returns")?,
            language: get(q, row, "language")?,
            volatility: match volatility.as_str() {
                "i" => Volatility::Immutable,
                "s" => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            security_definer: get(q, row, "security_definer")?,
            config: config
                .iter()
                .map(|c| match c.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (c.clone(), String::new()),
                })
                .collect(),
            body: get(q, row, "body")?,
            body_origin: Origin::Live { oid: 0 },
            is_procedure: get(q, row, "is_procedure")?,
            owner: get(q, row, "owner")?,
            origin: Origin::Live {
                oid: get::<i64>(q, row, "oid")? as u32,
            },
        });
    }
    for row in rows(results, "triggers") {
        let q = "triggers";
        let Some(table) = by_oid.get(&get::<i64>(q, row, "table_oid")?).cloned() else {
            continue;
        };
        let bits = get::<i32>(q, row, "type_bits")?;
        // pg_trigger.tgtype: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE, 64 INSTEAD.
        let timing = if bits & 64 != 0 {
            TriggerTiming::InsteadOf
        } else if bits & 2 != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let events = [
            (4, "insert"),
            (8, "delete"),
            (16, "update"),
            (32, "truncate"),
        ]
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, e)| e.to_string())
        .collect();
        model.triggers.push(Trigger {
            name: get(q, row, "name")?,
            table,
            function: QualName::new(
                get::<String>(q, row, "function_schema")?,
                get::<String>(q, row, "function_name")?,
            ),
            arguments: get(q, row, "arguments")?,
            timing,
            events,
            update_columns: get(q, row, "update_columns")?,
            for_each_row: bits & 1 != 0,
            body: None,
            origin: Origin::Live {
                oid: get::<i64>(q, row, "oid")? as u32,
            },
        });
    }
    for row in rows(results, "types") {
        let q = "types";
        let name = QualName::new(
            get::<String>(q, row, "schema")?,
            get::<String>(q, row, "name")?,
        );
        let kind: String = get(q, row, "kind")?;
        model.types.insert(
            name.clone(),
            UserType {
                name,
                labels: get(q, row, "labels")?,
                kind: match kind.as_str() {
                    "e" => UserTypeKind::Enum,
                    "d" => UserTypeKind::Domain,
                    _ => UserTypeKind::Range,
                },
                base: get::<Option<String>>(q, row, "base_type")?.map(|b| ColumnType::parse(&b)),
                origin: Origin::Live {
                    oid: get::<i64>(q, row, "oid")? as u32,
                },
            },
        );
    }
    for row in rows(results, "roles") {
        let q = "roles";
        let name: String = get(q, row, "name")?;
        let limit: i64 = get(q, row, "connection_limit")?;
        model.roles.insert(
            name.clone(),
            Role {
                name,
                login: get(q, row, "login")?,
                superuser: get(q, row, "superuser")?,
                create_role: get(q, row, "create_role")?,
                create_db: get(q, row, "create_db")?,
                bypass_rls: get(q, row, "bypass_rls")?,
                replication: get(q, row, "replication")?,
                has_password: get(q, row, "has_password")?,
                password_kind: None,
                valid_until: get(q, row, "valid_until")?,
                connection_limit: (limit >= 0).then_some(limit),
                member_of: get(q, row, "member_of")?,
                origin: Origin::Live {
                    oid: get::<i64>(q, row, "oid")? as u32,
                },
            },
        );
    }
    for row in rows(results, "grants") {
        let q = "grants";
        let kind: String = get(q, row, "kind")?;
        let schema: Option<String> = get(q, row, "schema")?;
        let name: String = get(q, row, "name")?;
        let privileges: Vec<String> = get(q, row, "privileges")?;
        let object = match kind.as_str() {
            "table" => GrantObject::Table(QualName::new(schema.unwrap_or_default(), name)),
            "sequence" => GrantObject::Sequence(QualName::new(schema.unwrap_or_default(), name)),
            "schema" => GrantObject::Schema(name),
            "function" => GrantObject::Function(QualName::new(schema.unwrap_or_default(), name)),
            _ => GrantObject::Database,
        };
        model.grants.push(Grant {
            privileges: collapse_all(&kind, privileges),
            object,
            grantees: vec![get(q, row, "grantee")?],
            with_grant_option: get(q, row, "grantable")?,
            origin: Origin::Live { oid: 0 },
        });
    }
    for row in rows(results, "default_privileges") {
        let q = "default_privileges";
        model.default_privileges.push(DefaultPrivilege {
            for_role: get(q, row, "for_role")?,
            schema: get(q, row, "schema")?,
            object_kind: get::<Option<String>>(q, row, "object_kind")?.unwrap_or_default(),
            privileges: get(q, row, "privileges")?,
            grantees: vec![get(q, row, "grantee")?],
            origin: Origin::Live { oid: 0 },
        });
    }
    for row in rows(results, "policies") {
        let q = "policies";
        let Some(table) = by_oid.get(&get::<i64>(q, row, "table_oid")?).cloned() else {
            continue;
        };
        model.policies.push(Policy {
            name: get(q, row, "name")?,
            table,
            command: get(q, row, "command")?,
            permissive: get(q, row, "permissive")?,
            roles: get(q, row, "roles")?,
            using: get(q, row, "using")?,
            with_check: get(q, row, "with_check")?,
            origin: Origin::Live { oid: 0 },
        });
    }
    for row in rows(results, "extensions") {
        let q = "extensions";
        let name: String = get(q, row, "name")?;
        model.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: get(q, row, "schema")?,
                version: get(q, row, "version")?,
                origin: Origin::Live {
                    oid: get::<i64>(q, row, "oid")? as u32,
                },
            },
        );
    }
    Ok(model)
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// A plain column name as `pg_get_indexdef` prints it (quoted when needed), or an expression.
fn key_kind(definition: &str) -> IndexKeyKind {
    let d = definition.trim();
    let plain = !d.is_empty()
        && d.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && d.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        return IndexKeyKind::Column(d.to_string());
    }
    if let Some(inner) = d.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        if !inner.contains('"') || inner.contains("\"\"") {
            return IndexKeyKind::Column(inner.replace("\"\"", "\""));
        }
    }
    IndexKeyKind::Expression(normalize_sql(d))
}

/// `PRIMARY KEY (a) INCLUDE (b, c)` → `[b, c]`.
fn include_columns(definition: &str) -> Vec<String> {
    definition
        .split_once(" INCLUDE (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(cols, _)| {
            cols.split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every privilege an object kind has, granted together, is what `GRANT ALL` wrote.
fn collapse_all(kind: &str, privileges: Vec<String>) -> Vec<String> {
    let all: &[&str] = match kind {
        "table" => &[
            "DELETE",
            "INSERT",
            "REFERENCES",
            "SELECT",
            "TRIGGER",
            "TRUNCATE",
            "UPDATE",
        ],
        "sequence" => &["SELECT", "UPDATE", "USAGE"],
        "schema" => &["CREATE", "USAGE"],
        "function" => &["EXECUTE"],
        "database" => &["CONNECT", "CREATE", "TEMPORARY"],
        _ => &[],
    };
    if !all.is_empty()
        && all.iter().all(|p| privileges.iter().any(|x| x == p))
        && kind != "function"
    {
        vec!["ALL".to_string()]
    } else {
        privileges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_read_like_ddl() {
        assert_eq!(
            key_kind("customer_id"),
            IndexKeyKind::Column("customer_id".into())
        );
        assert_eq!(
            key_kind("\"ArtistId\""),
            IndexKeyKind::Column("ArtistId".into())
        );
        assert_eq!(
            key_kind("lower(email)"),
            IndexKeyKind::Expression("lower(email)".into())
        );
    }

    #[test]
    fn full_privilege_sets_collapse_to_all() {
        let schema = vec!["CREATE".to_string(), "USAGE".to_string()];
        assert_eq!(collapse_all("schema", schema), vec!["ALL"]);
        assert_eq!(collapse_all("schema", vec!["USAGE".into()]), vec!["USAGE"]);
        assert_eq!(
            include_columns("PRIMARY KEY (id) INCLUDE (a, \"B\")"),
            vec!["a", "B"]
        );
    }
}

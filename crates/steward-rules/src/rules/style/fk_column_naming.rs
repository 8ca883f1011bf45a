use super::naming::{singular, snake_case};
use crate::prelude::*;
use crate::rules::privacy::pii::words;
use std::collections::HashMap;
use steward_core::model::{bracket_ident, Model, Table};

declare_rule! {
    /// Finds foreign-key columns not named after the table they reference.
    ///
    /// ## What it does
    /// For each single-column foreign key, expects the column to be named
    /// `<referenced table, singular>_id` (`customer_id` → `customers`), or after the
    /// referenced column (`country_code` → `country(code)`, `ArtistId` → `Artist(ArtistId)`),
    /// optionally after a role prefix (`billing_address_id`, `manager_staff_id`). When a table
    /// references itself or the same table twice, any role name ending in `_id` or the
    /// referenced column is accepted (`parent_id`, `created_by_id`). PascalCase names are
    /// compared word by word. Off by default.
    ///
    /// ## Why it matters
    /// When the column says what it points to, joins write themselves and reviewers spot a
    /// wrong join at a glance; `ship_via` or `reports_to` must be looked up every time, and
    /// tools that infer relations from names (ORMs, ER diagrams, BI) miss them.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY, ship_via bigint REFERENCES shippers (id));
    /// ```
    ///
    /// ## Fix
    /// ```sql
    /// ALTER TABLE orders RENAME COLUMN ship_via TO ship_via_shipper_id;
    /// ```
    pub struct FkColumnNaming {
        id: "fk-column-naming",
        category: Style,
        severity: Info,
        dialects: [Postgres, Tsql],
        scope: Schema,
        default_enabled: false,
    }
}

impl Rule for FkColumnNaming {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        for table in model.tables.values() {
            if table.partition_of.is_some() {
                continue;
            }
            // How many foreign keys of this table point at each referenced table.
            let mut per_target: HashMap<QualName, usize> = HashMap::new();
            for (_, fk) in table.foreign_keys() {
                *per_target.entry(model.key(&fk.ref_table)).or_default() += 1;
            }
            for (constraint, fk) in table.foreign_keys() {
                let [column] = fk.columns.as_slice() else {
                    continue;
                };
                let target = model.key(&fk.ref_table);
                let role_allowed = target == model.key(&table.name)
                    || per_target.get(&target).copied().unwrap_or(0) > 1;
                let ref_column = referenced_column(model, fk);
                let Some(expected) = expected_name(
                    column,
                    &fk.ref_table.name,
                    ref_column.as_deref(),
                    role_allowed,
                ) else {
                    continue;
                };
                let location = table
                    .column(column)
                    .and_then(|c| c.origin.location().cloned())
                    .or_else(|| constraint.origin.location().cloned());
                out.push(finding(
                    model,
                    table,
                    column,
                    &fk.ref_table,
                    &expected,
                    location,
                ));
            }
        }
    }
}

/// The referenced column: the named one, or the referenced table's single-column key.
fn referenced_column(model: &Model, fk: &steward_core::model::ForeignKey) -> Option<String> {
    match fk.ref_columns.as_slice() {
        [one] => Some(one.clone()),
        [] => {
            let pk = model.table(&fk.ref_table)?.primary_key()?;
            match pk.columns.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `None` when the name is fine; otherwise the suggested snake_case name.
fn expected_name(
    column: &str,
    ref_table: &str,
    ref_column: Option<&str>,
    role_allowed: bool,
) -> Option<String> {
    let c = snake_case(column)?;
    let mut table_words = words(ref_table);
    let last = table_words.pop()?;
    table_words.push(singular(&last));
    let entity = table_words.join("_");
    let plain = snake_case(ref_table)?;
    let refcol = ref_column.and_then(snake_case);
    let ends = |suffix: &str| c == suffix || c.ends_with(&format!("_{suffix}"));
    if ends(&format!("{entity}_id")) || ends(&format!("{plain}_id")) {
        return None;
    }
    if let Some(rc) = &refcol {
        if ends(rc) && (rc != "id" || role_allowed) {
            // `country_code` → country(code) needs the entity in it, unless roles are allowed.
            if rc.starts_with(&entity)
                || c == *rc
                || ends(&format!("{entity}_{rc}"))
                || role_allowed
            {
                return None;
            }
        }
    }
    if role_allowed && c.ends_with("_id") {
        return None;
    }
    let suffix = match &refcol {
        Some(rc) if rc != "id" && rc.starts_with(&entity) => rc.clone(),
        Some(rc) if rc != "id" => format!("{entity}_{rc}"),
        _ => format!("{entity}_id"),
    };
    let role = c
        .strip_suffix("_id")
        .or_else(|| {
            refcol
                .as_deref()
                .and_then(|rc| c.strip_suffix(&format!("_{rc}")))
        })
        .unwrap_or(&c);
    if role_allowed && !role.is_empty() && role != entity {
        // A self-reference or a second reference to the same table: the role is the name.
        return Some(format!("{role}_id"));
    }
    if role.is_empty() || role == entity || suffix.starts_with(role) {
        Some(suffix)
    } else {
        Some(format!("{role}_{suffix}"))
    }
}

/// `customer_id` → `CustomerId` for PascalCase schemas.
fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn finding(
    model: &Model,
    table: &Table,
    column: &str,
    ref_table: &QualName,
    expected: &str,
    location: Option<steward_core::Location>,
) -> Diagnostic {
    let dialect = model.dialect;
    let pascal_style =
        column.chars().next().is_some_and(char::is_uppercase) && !column.contains('_');
    let new = if pascal_style {
        pascal(expected)
    } else {
        expected.to_string()
    };
    let object = table.name.column_display(column, dialect);
    let mut d = FkColumnNaming::META
        .diag(format!(
            "foreign key column {object} references {} but is not named after it (e.g. {new})",
            ref_table.display(dialect)
        ))
        .at(location)
        .object(object)
        .help(
            "a foreign key column named <table>_id says what it joins to; names like this one must be looked up for every join, and tools that infer relations from names miss it",
        );
    if table.column(&new).is_none() {
        d = d.fix(match dialect {
            Dialect::Postgres => format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {};",
                table.name,
                quote_ident(column),
                quote_ident(&new)
            ),
            Dialect::Tsql => format!(
                "EXEC sp_rename N'{}', N'{}', N'COLUMN';",
                format!(
                    "{}.{}.{}",
                    bracket_ident(&table.name.schema),
                    bracket_ident(&table.name.name),
                    bracket_ident(column)
                )
                .replace('\'', "''"),
                new.replace('\'', "''")
            ),
        });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_conventional_names() {
        assert_eq!(
            expected_name("customer_id", "customers", Some("id"), false),
            None
        );
        assert_eq!(
            expected_name("ArtistId", "Artist", Some("ArtistId"), false),
            None
        );
        assert_eq!(
            expected_name("billing_address_id", "address", Some("address_id"), false),
            None
        );
        assert_eq!(
            expected_name("manager_staff_id", "staff", Some("staff_id"), false),
            None
        );
        assert_eq!(
            expected_name("parent_id", "category", Some("id"), true),
            None
        );
        assert_eq!(
            expected_name("country_code", "country", Some("code"), false),
            None
        );
        assert_eq!(
            expected_name("MediaTypeId", "MediaType", Some("MediaTypeId"), false),
            None
        );
    }

    #[test]
    fn suggests_names() {
        assert_eq!(
            expected_name("ship_via", "shippers", Some("shipper_id"), false).as_deref(),
            Some("ship_via_shipper_id")
        );
        assert_eq!(
            expected_name("SupportRepId", "Employee", Some("EmployeeId"), false).as_deref(),
            Some("support_rep_employee_id")
        );
        assert_eq!(
            expected_name("owner", "users", Some("id"), false).as_deref(),
            Some("owner_user_id")
        );
        assert_eq!(
            expected_name("customer", "customers", Some("id"), false).as_deref(),
            Some("customer_id")
        );
        assert_eq!(
            expected_name("reports_to", "employee", Some("employee_id"), true).as_deref(),
            Some("reports_to_id")
        );
    }
}

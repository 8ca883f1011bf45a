//! Tables, columns, constraints, indexes, views, sequences, types and DROP.

use super::{expr_text, span_of, Ctx, Lowerer};
use crate::names::{self, normalize_sql};
use sqlparser::ast::{self as ast, ColumnOption, Expr, ObjectName, TableConstraint};
use steward_core::model::{
    Column, ColumnType, Constraint, ConstraintKind, FkAction, ForeignKey, Identity, Index,
    IndexKey, IndexKeyKind, Origin, QualName, Sequence, Table, TableKind, UserType, UserTypeKind,
    View,
};
use steward_core::Dialect;

impl Lowerer {
    pub(crate) fn create_table(&mut self, ctx: &Ctx, create: &ast::CreateTable) {
        let name = self.resolver.qualify(&create.name);
        if create.if_not_exists && self.model.table(&name).is_some() {
            return;
        }
        let kind = if create.temporary {
            TableKind::Temporary
        } else if create.unlogged {
            TableKind::Unlogged
        } else if create.partition_by.is_some() {
            TableKind::Partitioned
        } else {
            TableKind::Ordinary
        };
        let partition_of = create
            .partition_of
            .as_ref()
            .or_else(|| create.inherits.as_ref().and_then(|i| i.first()))
            .map(|p| self.resolve_relation(p));
        let mut table = Table {
            name: name.clone(),
            kind,
            origin: ctx.origin(span_of(&create.name)),
            columns_known: create.query.is_none()
                && create.like.is_none()
                && create.partition_of.is_none()
                && create.inherits.is_none(),
            partition_of,
            ..Table::default()
        };
        // Children of INHERITS / PARTITION OF get their parent's columns first, as PostgreSQL
        // does; the list is complete when the parent's is.
        if let Some(parent) = table
            .partition_of
            .as_ref()
            .and_then(|p| self.model.table(p))
        {
            if create.like.is_none() && create.query.is_none() {
                table.columns = parent.columns.clone();
                table.columns_known =
                    parent.columns_known && create.inherits.as_ref().is_none_or(|i| i.len() == 1);
            }
        }
        let mut pending = Vec::new();
        for column in &create.columns {
            let (col, constraints) = self.column(ctx, &name, column);
            table.columns.push(col);
            pending.extend(constraints);
        }
        for constraint in &create.constraints {
            if let Some(c) = self.table_constraint(ctx, &name, constraint, false) {
                pending.push(c);
            }
        }
        // Serial columns own an implicit sequence.
        for column in &create.columns {
            if is_serial(&column.data_type) {
                let col = names::ident(&column.name, self.dialect());
                let seq = QualName::new(name.schema.clone(), format!("{}_{}_seq", name.name, col));
                let key = self.model.key(&seq);
                self.model.sequences.insert(
                    key,
                    Sequence {
                        name: seq,
                        data_type: Some(ColumnType::parse(&column.data_type.to_string())),
                        owned_by: Some((name.clone(), col)),
                        origin: ctx.origin(span_of(column)),
                        ..Sequence::default()
                    },
                );
            }
        }
        let key = self.model.key(&name);
        // CREATE TABLE of an existing name replaces nothing in PostgreSQL (it fails); keep the
        // first definition so `duplicate-object` can point at both.
        if self.model.tables.contains_key(&key) {
            return;
        }
        self.model.tables.insert(key, table);
        for c in pending {
            self.add_constraint(&name, c);
        }
    }

    /// Lowers a column definition; inline constraints come back separately.
    fn column(
        &self,
        ctx: &Ctx,
        table: &QualName,
        def: &ast::ColumnDef,
    ) -> (Column, Vec<Constraint>) {
        let name = names::ident(&def.name, self.dialect());
        let serial = is_serial(&def.data_type);
        let mut column = Column {
            name: name.clone(),
            data_type: Some(ColumnType::parse(&def.data_type.to_string())),
            not_null: serial,
            origin: ctx.origin(span_of(def)),
            ..Column::default()
        };
        if serial {
            column.default = Some(format!(
                "nextval('{}'::regclass)",
                seq_display(table, &name)
            ));
        }
        let mut constraints = Vec::new();
        for option in &def.options {
            let constraint_name = option
                .name
                .as_ref()
                .map(|n| names::ident(n, self.dialect()));
            let origin = ctx.origin(span_of(option));
            match &option.option {
                ColumnOption::NotNull => column.not_null = true,
                ColumnOption::Null => column.not_null = false,
                ColumnOption::Default(expr) => column.default = Some(expr_text(expr)),
                ColumnOption::Collation(c) => column.collation = Some(c.to_string()),
                ColumnOption::Comment(c) => column.comment = Some(c.clone()),
                ColumnOption::Identity(_) => column.identity = Some(Identity::ByDefault),
                ColumnOption::Generated {
                    generated_as,
                    generation_expr,
                    ..
                } => match (generated_as, generation_expr) {
                    (_, Some(expr)) => column.generated = Some(expr_text(expr)),
                    (ast::GeneratedAs::Always, None) => column.identity = Some(Identity::Always),
                    (_, None) => column.identity = Some(Identity::ByDefault),
                },
                ColumnOption::PrimaryKey(pk) => {
                    column.not_null = true;
                    constraints.push(Constraint {
                        name: constraint_name
                            .or_else(|| pk.name.as_ref().map(|n| names::ident(n, self.dialect()))),
                        kind: ConstraintKind::PrimaryKey,
                        columns: vec![name.clone()],
                        include: Vec::new(),
                        not_valid: false,
                        deferrable: deferrable(pk.characteristics.as_ref()),
                        origin,
                    });
                }
                ColumnOption::Unique(u) => constraints.push(Constraint {
                    name: constraint_name
                        .or_else(|| u.name.as_ref().map(|n| names::ident(n, self.dialect()))),
                    kind: ConstraintKind::Unique {
                        nulls_not_distinct: matches!(
                            u.nulls_distinct,
                            ast::NullsDistinctOption::NotDistinct
                        ),
                    },
                    columns: vec![name.clone()],
                    include: Vec::new(),
                    not_valid: false,
                    deferrable: deferrable(u.characteristics.as_ref()),
                    origin,
                }),
                ColumnOption::ForeignKey(fk) => {
                    let mut c = self.foreign_key(fk, origin);
                    c.columns = vec![name.clone()];
                    if let ConstraintKind::ForeignKey(f) = &mut c.kind {
                        f.columns = vec![name.clone()];
                    }
                    c.name = constraint_name.or(c.name);
                    constraints.push(c);
                }
                ColumnOption::Check(check) => constraints.push(Constraint {
                    name: constraint_name
                        .or_else(|| check.name.as_ref().map(|n| names::ident(n, self.dialect()))),
                    kind: ConstraintKind::Check {
                        expression: expr_text(&check.expr),
                    },
                    columns: vec![name.clone()],
                    include: Vec::new(),
                    not_valid: false,
                    deferrable: false,
                    origin,
                }),
                _ => {}
            }
        }
        (column, constraints)
    }

    fn foreign_key(&self, fk: &ast::ForeignKeyConstraint, origin: Origin) -> Constraint {
        let columns: Vec<String> = fk
            .columns
            .iter()
            .map(|c| names::ident(c, self.dialect()))
            .collect();
        Constraint {
            name: fk.name.as_ref().map(|n| names::ident(n, self.dialect())),
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns: columns.clone(),
                ref_table: self.resolve_relation(&fk.foreign_table),
                ref_columns: fk
                    .referred_columns
                    .iter()
                    .map(|c| names::ident(c, self.dialect()))
                    .collect(),
                on_delete: fk_action(fk.on_delete),
                on_update: fk_action(fk.on_update),
            }),
            columns,
            include: Vec::new(),
            not_valid: false,
            deferrable: deferrable(fk.characteristics.as_ref()),
            origin,
        }
    }

    /// Lowers a table-level constraint. `not_valid` comes from `ADD CONSTRAINT … NOT VALID`.
    pub(crate) fn table_constraint(
        &mut self,
        ctx: &Ctx,
        table: &QualName,
        constraint: &TableConstraint,
        not_valid: bool,
    ) -> Option<Constraint> {
        let origin = ctx.origin(span_of(constraint));
        let d = self.dialect();
        let ident = |i: &Option<ast::Ident>| i.as_ref().map(|n| names::ident(n, d));
        let c = match constraint {
            TableConstraint::PrimaryKey(pk) => Constraint {
                name: ident(&pk.name),
                kind: ConstraintKind::PrimaryKey,
                columns: index_column_names(&pk.columns, d),
                include: pk.include.iter().map(|i| names::ident(i, d)).collect(),
                not_valid: false,
                deferrable: deferrable(pk.characteristics.as_ref()),
                origin,
            },
            TableConstraint::Unique(u) => Constraint {
                name: ident(&u.name),
                kind: ConstraintKind::Unique {
                    nulls_not_distinct: matches!(
                        u.nulls_distinct,
                        ast::NullsDistinctOption::NotDistinct
                    ),
                },
                columns: index_column_names(&u.columns, d),
                include: u.include.iter().map(|i| names::ident(i, d)).collect(),
                not_valid: false,
                deferrable: deferrable(u.characteristics.as_ref()),
                origin,
            },
            TableConstraint::ForeignKey(fk) => {
                let mut c = self.foreign_key(fk, origin);
                c.not_valid = not_valid;
                c
            }
            TableConstraint::Check(check) => Constraint {
                name: ident(&check.name),
                kind: ConstraintKind::Check {
                    expression: expr_text(&check.expr),
                },
                columns: Vec::new(),
                include: Vec::new(),
                not_valid,
                deferrable: false,
                origin,
            },
            TableConstraint::Exclude(x) => Constraint {
                name: ident(&x.name),
                kind: ConstraintKind::Exclude,
                columns: x
                    .elements
                    .iter()
                    .filter_map(|e| match &e.column.column.expr {
                        Expr::Identifier(i) => Some(names::ident(i, d)),
                        _ => None,
                    })
                    .collect(),
                include: Vec::new(),
                not_valid: false,
                deferrable: false,
                origin,
            },
            TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => {
                // Promotes an existing unique index to a constraint.
                let index_name =
                    QualName::new(table.schema.clone(), names::ident(&u.index_name, d));
                let pos = self.model.index_position(&index_name)?;
                let columns: Vec<String> = self.model.indexes[pos]
                    .leading_columns()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                let name = ident(&u.name).unwrap_or_else(|| index_name.name.clone());
                self.model.indexes[pos].constraint = Some(name.clone());
                let kind = if matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_)) {
                    ConstraintKind::PrimaryKey
                } else {
                    ConstraintKind::Unique {
                        nulls_not_distinct: false,
                    }
                };
                let c = Constraint {
                    name: Some(name),
                    kind,
                    columns,
                    include: Vec::new(),
                    not_valid: false,
                    deferrable: false,
                    origin,
                };
                if let Some(t) = self.model.table_mut(table) {
                    t.constraints.push(c);
                }
                return None;
            }
            TableConstraint::Index(_) | TableConstraint::FulltextOrSpatial(_) => return None,
        };
        Some(c)
    }

    /// Adds a constraint to a table, naming it as PostgreSQL would and creating the index that
    /// backs a PRIMARY KEY or UNIQUE constraint.
    pub(crate) fn add_constraint(&mut self, table: &QualName, mut c: Constraint) {
        let dialect = self.dialect();
        if c.name.is_none() && dialect == Dialect::Postgres {
            c.name = Some(default_constraint_name(table, &c));
        }
        if matches!(c.kind, ConstraintKind::PrimaryKey) {
            if let Some(t) = self.model.table_mut(table) {
                for col in &c.columns {
                    if let Some(column) = t.column_mut(col) {
                        column.not_null = true;
                    }
                }
            }
        }
        if c.is_unique_or_pk() {
            let index_name = c
                .name
                .clone()
                .unwrap_or_else(|| format!("{}_{}", table.name, c.columns.join("_")));
            self.model.indexes.push(Index {
                name: QualName::new(table.schema.clone(), index_name),
                table: table.clone(),
                unique: true,
                method: "btree".into(),
                keys: c.columns.iter().map(IndexKey::column).collect(),
                include: c.include.clone(),
                predicate: None,
                valid: true,
                constraint: c.name.clone(),
                origin: c.origin.clone(),
                stats: None,
            });
        }
        if let Some(t) = self.model.table_mut(table) {
            t.constraints.push(c);
        }
    }

    pub(crate) fn alter_table(&mut self, ctx: &Ctx, alter: &ast::AlterTable) {
        let name = self.resolve_relation(&alter.name);
        let d = self.dialect();
        for op in &alter.operations {
            use ast::AlterTableOperation as Op;
            match op {
                Op::AddColumn {
                    column_def,
                    if_not_exists,
                    ..
                } => {
                    let col_name = names::ident(&column_def.name, d);
                    let exists = self
                        .model
                        .table(&name)
                        .is_some_and(|t| t.column(&col_name).is_some());
                    if exists && *if_not_exists {
                        continue;
                    }
                    let (column, constraints) = self.column(ctx, &name, column_def);
                    if let Some(t) = self.model.table_mut(&name) {
                        t.columns.push(column);
                    }
                    for c in constraints {
                        self.add_constraint(&name, c);
                    }
                }
                Op::DropColumn { column_names, .. } => {
                    let cols: Vec<String> =
                        column_names.iter().map(|c| names::ident(c, d)).collect();
                    if let Some(t) = self.model.table_mut(&name) {
                        t.columns.retain(|c| {
                            !cols.iter().any(|x| {
                                x.eq_ignore_ascii_case(&c.name)
                                    && (d == Dialect::Tsql || *x == c.name)
                            })
                        });
                        // Constraints on a dropped column go with it.
                        t.constraints
                            .retain(|k| !k.columns.iter().any(|c| cols.contains(c)));
                    }
                    let key = self.model.key(&name);
                    let model_key = |q: &QualName| match d {
                        Dialect::Postgres => q.clone(),
                        Dialect::Tsql => q.folded(),
                    };
                    self.model.indexes.retain(|i| {
                        model_key(&i.table) != key
                            || !i.keys.iter().any(|k| {
                                k.column_name().is_some_and(|c| cols.iter().any(|x| x == c))
                            })
                    });
                }
                Op::AlterColumn { column_name, op } => {
                    let col = names::ident(column_name, d);
                    if let Some(c) = self.model.table_mut(&name).and_then(|t| t.column_mut(&col)) {
                        use ast::AlterColumnOperation as A;
                        match op {
                            A::SetNotNull => c.not_null = true,
                            A::DropNotNull => c.not_null = false,
                            A::SetDefault { value } => c.default = Some(expr_text(value)),
                            A::DropDefault => c.default = None,
                            A::SetDataType { data_type, .. } => {
                                c.data_type = Some(ColumnType::parse(&data_type.to_string()))
                            }
                            A::AddGenerated { generated_as, .. } => {
                                c.identity = Some(match generated_as {
                                    Some(ast::GeneratedAs::Always) => Identity::Always,
                                    _ => Identity::ByDefault,
                                })
                            }
                            A::GenericOptions { .. } => {}
                        }
                    }
                }
                Op::AddConstraint {
                    constraint,
                    not_valid,
                } => {
                    if let Some(c) = self.table_constraint(ctx, &name, constraint, *not_valid) {
                        self.add_constraint(&name, c);
                    }
                }
                Op::ValidateConstraint { name: cname } => {
                    let cname = names::ident(cname, d);
                    if let Some(t) = self.model.table_mut(&name) {
                        for c in &mut t.constraints {
                            if c.name.as_deref() == Some(cname.as_str()) {
                                c.not_valid = false;
                            }
                        }
                    }
                }
                Op::DropConstraint { name: cname, .. } | Op::DropForeignKey { name: cname, .. } => {
                    let cname = names::ident(cname, d);
                    if let Some(t) = self.model.table_mut(&name) {
                        t.constraints
                            .retain(|c| c.name.as_deref() != Some(cname.as_str()));
                    }
                    self.model.indexes.retain(|i| {
                        i.constraint.as_deref() != Some(cname.as_str()) || i.table != name
                    });
                }
                Op::DropPrimaryKey { .. } => {
                    if let Some(t) = self.model.table_mut(&name) {
                        t.constraints
                            .retain(|c| !matches!(c.kind, ConstraintKind::PrimaryKey));
                    }
                }
                Op::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => {
                    let old = names::ident(old_column_name, d);
                    let new = names::ident(new_column_name, d);
                    if let Some(t) = self.model.table_mut(&name) {
                        if let Some(c) = t.column_mut(&old) {
                            c.name = new.clone();
                        }
                        for k in &mut t.constraints {
                            rename_in(&mut k.columns, &old, &new);
                            if let ConstraintKind::ForeignKey(fk) = &mut k.kind {
                                rename_in(&mut fk.columns, &old, &new);
                            }
                        }
                    }
                    for i in self.model.indexes.iter_mut().filter(|i| i.table == name) {
                        for k in &mut i.keys {
                            if let IndexKeyKind::Column(c) = &mut k.kind {
                                if *c == old {
                                    c.clone_from(&new);
                                }
                            }
                        }
                    }
                }
                Op::RenameTable { table_name } => {
                    let new_name = match table_name {
                        ast::RenameTableNameKind::As(n) | ast::RenameTableNameKind::To(n) => n,
                    };
                    let new = QualName::new(name.schema.clone(), names::last(new_name, d));
                    self.rename_table(&name, new);
                }
                Op::RenameConstraint { old_name, new_name } => {
                    let old = names::ident(old_name, d);
                    let new = names::ident(new_name, d);
                    if let Some(t) = self.model.table_mut(&name) {
                        for c in &mut t.constraints {
                            if c.name.as_deref() == Some(old.as_str()) {
                                c.name = Some(new.clone());
                            }
                        }
                    }
                }
                Op::EnableRowLevelSecurity => self.with_table(&name, |t| t.rls_enabled = true),
                Op::DisableRowLevelSecurity => self.with_table(&name, |t| t.rls_enabled = false),
                Op::ForceRowLevelSecurity => self.with_table(&name, |t| t.rls_forced = true),
                Op::NoForceRowLevelSecurity => self.with_table(&name, |t| t.rls_forced = false),
                Op::OwnerTo { new_owner } => {
                    let owner = owner_name(new_owner, d);
                    if self.model.table(&name).is_some() {
                        self.with_table(&name, |t| t.owner = owner);
                    } else {
                        let key = self.model.key(&name);
                        if let Some(v) = self.model.views.get_mut(&key) {
                            v.owner = owner;
                        }
                    }
                }
                Op::SetLogged => self.with_table(&name, |t| {
                    if t.kind == TableKind::Unlogged {
                        t.kind = TableKind::Ordinary
                    }
                }),
                Op::SetUnlogged => self.with_table(&name, |t| t.kind = TableKind::Unlogged),
                Op::AttachPartitionOf { partition, .. } => {
                    let child = self.resolve_relation(partition);
                    let parent = name.clone();
                    self.with_table(&child, |t| t.partition_of = Some(parent));
                }
                Op::Inherit { parent } => {
                    let parent = self.resolve_relation(parent);
                    self.with_table(&name, |t| {
                        t.partition_of = Some(parent);
                        t.columns_known = false;
                    });
                }
                _ => {}
            }
        }
    }

    fn with_table(&mut self, name: &QualName, f: impl FnOnce(&mut Table)) {
        if let Some(t) = self.model.table_mut(name) {
            f(t);
        }
    }

    fn rename_table(&mut self, old: &QualName, new: QualName) {
        let key = self.model.key(old);
        let Some(mut table) = self.model.tables.shift_remove(&key) else {
            return;
        };
        table.name = new.clone();
        let new_key = self.model.key(&new);
        self.model.tables.insert(new_key, table);
        for i in &mut self.model.indexes {
            if i.table == *old {
                i.table = new.clone();
            }
        }
        for t in self.model.tables.values_mut() {
            for c in &mut t.constraints {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    if fk.ref_table == *old {
                        fk.ref_table = new.clone();
                    }
                }
            }
        }
        for t in &mut self.model.triggers {
            if t.table == *old {
                t.table = new.clone();
            }
        }
        for p in &mut self.model.policies {
            if p.table == *old {
                p.table = new.clone();
            }
        }
    }

    pub(crate) fn create_index(&mut self, ctx: &Ctx, create: &ast::CreateIndex) {
        let d = self.dialect();
        let table = self.resolve_relation(&create.table_name);
        let keys: Vec<IndexKey> = create.columns.iter().map(|c| index_key(c, d)).collect();
        let name = match &create.name {
            Some(n) => {
                let p = names::parts(n, d);
                let bare = p.last().cloned().unwrap_or_default();
                // PostgreSQL indexes live in their table's schema.
                QualName::new(table.schema.clone(), bare)
            }
            None => QualName::new(table.schema.clone(), default_index_name(&table, &keys)),
        };
        if create.if_not_exists && self.model.index_position(&name).is_some() {
            return;
        }
        let method = create
            .using
            .as_ref()
            .map(|u| u.to_string().to_ascii_lowercase())
            .unwrap_or_else(|| "btree".into());
        self.model.indexes.push(Index {
            name,
            table,
            unique: create.unique,
            method,
            keys,
            include: create.include.iter().map(|i| names::ident(i, d)).collect(),
            predicate: create
                .predicate
                .as_ref()
                .map(|p| normalize_sql(&expr_text(p))),
            valid: true,
            constraint: None,
            origin: ctx.origin(span_of(&create.table_name)),
            stats: None,
        });
    }

    pub(crate) fn alter_index(&mut self, name: &ObjectName, op: &ast::AlterIndexOperation) {
        let d = self.dialect();
        let ast::AlterIndexOperation::RenameIndex { index_name } = op;
        let old = self.resolver.qualify(name);
        if let Some(pos) = self.model.index_position(&old) {
            let schema = self.model.indexes[pos].name.schema.clone();
            self.model.indexes[pos].name = QualName::new(schema, names::last(index_name, d));
        }
    }

    pub(crate) fn create_view(&mut self, ctx: &Ctx, view: &ast::CreateView) {
        let d = self.dialect();
        let name = self.resolver.qualify(&view.name);
        let options: Vec<(String, String)> = match &view.options {
            ast::CreateTableOptions::With(opts) | ast::CreateTableOptions::Options(opts) => opts
                .iter()
                .filter_map(|o| match o {
                    ast::SqlOption::KeyValue { key, value } => Some((
                        key.to_string().to_ascii_lowercase(),
                        value.to_string().to_ascii_lowercase(),
                    )),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let truthy = |k: &str| {
            options.iter().any(|(key, v)| {
                key == k && matches!(v.as_str(), "true" | "on" | "1" | "'true'" | "'on'")
            })
        };
        let columns = if view.columns.is_empty() {
            projection_names(&view.query, d)
        } else {
            view.columns
                .iter()
                .map(|c| names::ident(&c.name, d))
                .collect()
        };
        let v = View {
            name: name.clone(),
            materialized: view.materialized,
            definition: view.query.to_string(),
            security_invoker: truthy("security_invoker"),
            security_barrier: truthy("security_barrier"),
            columns,
            owner: None,
            comment: view.comment.clone(),
            origin: ctx.origin(span_of(&view.name)),
        };
        let key = self.model.key(&name);
        self.model.views.insert(key, v);
    }

    pub(crate) fn alter_view(&mut self, alter: &ast::AlterView) {
        let d = self.dialect();
        let name = self.resolve_relation(&alter.name);
        let key = self.model.key(&name);
        match &alter.operation {
            ast::AlterViewOperation::SetOptions { options } => {
                if let Some(v) = self.model.views.get_mut(&key) {
                    for o in options {
                        if let ast::SqlOption::KeyValue { key, value } = o {
                            let on = matches!(
                                value.to_string().to_ascii_lowercase().as_str(),
                                "true" | "on" | "1"
                            );
                            match key.to_string().to_ascii_lowercase().as_str() {
                                "security_invoker" => v.security_invoker = on,
                                "security_barrier" => v.security_barrier = on,
                                _ => {}
                            }
                        }
                    }
                }
            }
            ast::AlterViewOperation::OwnerTo(owner) => {
                if let Some(v) = self.model.views.get_mut(&key) {
                    v.owner = owner_name(owner, d);
                }
            }
            ast::AlterViewOperation::RenameTo { new_name } => {
                if let Some(mut v) = self.model.views.shift_remove(&key) {
                    v.name = QualName::new(name.schema.clone(), names::last(new_name, d));
                    let k = self.model.key(&v.name);
                    self.model.views.insert(k, v);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn create_sequence(
        &mut self,
        ctx: &Ctx,
        name: &ObjectName,
        options: &[ast::SequenceOptions],
    ) {
        let name = self.resolver.qualify(name);
        let mut seq = Sequence {
            name: name.clone(),
            origin: ctx.statement_origin(),
            ..Sequence::default()
        };
        for o in options {
            use ast::SequenceOptions as O;
            match o {
                O::DataType(t) => seq.data_type = Some(ColumnType::parse(&t.to_string())),
                O::IncrementBy(e, _) => seq.increment = int_value(e),
                O::MaxValue(Some(e)) => seq.max_value = int_value(e),
                O::StartWith(e, _) => seq.start = int_value(e),
                O::OwnedBy(Some(owner)) => {
                    let mut p = names::parts(owner, self.dialect());
                    if let Some(col) = p.pop() {
                        if !p.is_empty() {
                            seq.owned_by = Some((self.resolve_parts(p), col));
                        }
                    }
                }
                _ => {}
            }
        }
        let key = self.model.key(&name);
        self.model.sequences.insert(key, seq);
    }

    pub(crate) fn drop(
        &mut self,
        kind: ast::ObjectType,
        names_: &[ObjectName],
        table: Option<&ObjectName>,
    ) {
        let d = self.dialect();
        for n in names_ {
            match kind {
                ast::ObjectType::Table | ast::ObjectType::ForeignTable => {
                    let q = self.resolve_relation(n);
                    let key = self.model.key(&q);
                    self.model.tables.shift_remove(&key);
                    let model = &self.model;
                    let keep: Vec<bool> = model
                        .indexes
                        .iter()
                        .map(|i| model.key(&i.table) != key)
                        .collect();
                    let mut it = keep.into_iter();
                    self.model.indexes.retain(|_| it.next().unwrap_or(true));
                    self.model.triggers.retain(|t| t.table != q);
                    self.model.policies.retain(|p| p.table != q);
                }
                ast::ObjectType::View | ast::ObjectType::MaterializedView => {
                    let q = self.resolve_relation(n);
                    let key = self.model.key(&q);
                    self.model.views.shift_remove(&key);
                }
                ast::ObjectType::Index => {
                    // T-SQL: DROP INDEX name ON table.
                    let q = match table {
                        Some(t) => {
                            let t = self.resolve_relation(t);
                            QualName::new(t.schema, names::last(n, d))
                        }
                        None => {
                            let p = names::parts(n, d);
                            if p.len() > 1 {
                                self.resolver.qualify(n)
                            } else {
                                // Unqualified: the first index of that name on the search path.
                                let bare = p.last().cloned().unwrap_or_default();
                                self.resolver
                                    .search_path
                                    .iter()
                                    .map(|s| QualName::new(s.clone(), bare.clone()))
                                    .find(|q| self.model.index_position(q).is_some())
                                    .unwrap_or_else(|| self.resolver.qualify(n))
                            }
                        }
                    };
                    if let Some(pos) = self.model.index_position(&q) {
                        self.model.indexes.remove(pos);
                    }
                }
                ast::ObjectType::Sequence => {
                    let q = self.resolve_relation(n);
                    let key = self.model.key(&q);
                    self.model.sequences.shift_remove(&key);
                }
                ast::ObjectType::Type => {
                    let q = self
                        .resolver
                        .resolve(n, |q| self.model.types.contains_key(q));
                    let key = self.model.key(&q);
                    self.model.types.shift_remove(&key);
                }
                ast::ObjectType::Schema => {
                    let s = names::last(n, d);
                    self.model.schemas.shift_remove(&s);
                }
                ast::ObjectType::Role | ast::ObjectType::User | ast::ObjectType::Group => {
                    let r = names::last(n, d);
                    self.model.roles.shift_remove(&r);
                }
                _ => {}
            }
        }
    }

    pub(crate) fn create_type(
        &mut self,
        ctx: &Ctx,
        name: &ObjectName,
        representation: Option<&ast::UserDefinedTypeRepresentation>,
    ) {
        let name = self.resolver.qualify(name);
        let (kind, labels) = match representation {
            Some(ast::UserDefinedTypeRepresentation::Enum { labels }) => (
                UserTypeKind::Enum,
                labels.iter().map(|l| l.value.clone()).collect(),
            ),
            Some(ast::UserDefinedTypeRepresentation::Range { .. }) => {
                (UserTypeKind::Range, Vec::new())
            }
            _ => (UserTypeKind::Composite, Vec::new()),
        };
        let key = self.model.key(&name);
        self.model.types.insert(
            key,
            UserType {
                name,
                labels,
                kind,
                base: None,
                origin: ctx.statement_origin(),
            },
        );
    }

    pub(crate) fn create_domain(&mut self, ctx: &Ctx, domain: &ast::CreateDomain) {
        let name = self.resolver.qualify(&domain.name);
        let key = self.model.key(&name);
        self.model.types.insert(
            key,
            UserType {
                name,
                labels: Vec::new(),
                kind: UserTypeKind::Domain,
                base: Some(ColumnType::parse(&domain.data_type.to_string())),
                origin: ctx.statement_origin(),
            },
        );
    }
}

fn rename_in(columns: &mut [String], old: &str, new: &str) {
    for c in columns.iter_mut() {
        if c == old {
            *c = new.to_string();
        }
    }
}

fn is_serial(t: &ast::DataType) -> bool {
    matches!(
        t.to_string().to_ascii_lowercase().as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    )
}

/// How `nextval` names a sequence: schema-qualified unless it is in `public`.
fn seq_display(table: &QualName, column: &str) -> String {
    let seq = format!("{}_{}_seq", table.name, column);
    if table.schema == "public" {
        seq
    } else {
        format!("{}.{}", table.schema, seq)
    }
}

fn fk_action(a: Option<ast::ReferentialAction>) -> FkAction {
    match a {
        Some(ast::ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ast::ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ast::ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ast::ReferentialAction::SetDefault) => FkAction::SetDefault,
        Some(ast::ReferentialAction::NoAction) | None => FkAction::NoAction,
    }
}

fn deferrable(c: Option<&ast::ConstraintCharacteristics>) -> bool {
    c.and_then(|c| c.deferrable).unwrap_or(false)
}

pub(crate) fn owner_name(owner: &ast::Owner, d: Dialect) -> Option<String> {
    match owner {
        ast::Owner::Ident(i) => Some(names::ident(i, d)),
        _ => None,
    }
}

fn index_column_names(cols: &[ast::IndexColumn], d: Dialect) -> Vec<String> {
    cols.iter()
        .filter_map(|c| match &c.column.expr {
            Expr::Identifier(i) => Some(names::ident(i, d)),
            Expr::CompoundIdentifier(parts) => parts.last().map(|i| names::ident(i, d)),
            _ => None,
        })
        .collect()
}

fn index_key(c: &ast::IndexColumn, d: Dialect) -> IndexKey {
    let (kind, collation) = match &c.column.expr {
        Expr::Identifier(i) => (IndexKeyKind::Column(names::ident(i, d)), None),
        Expr::Collate { expr, collation } => match expr.as_ref() {
            Expr::Identifier(i) => (
                IndexKeyKind::Column(names::ident(i, d)),
                Some(collation.to_string()),
            ),
            other => (
                IndexKeyKind::Expression(normalize_sql(&other.to_string())),
                Some(collation.to_string()),
            ),
        },
        Expr::Nested(inner) => match inner.as_ref() {
            Expr::Identifier(i) => (IndexKeyKind::Column(names::ident(i, d)), None),
            other => (
                IndexKeyKind::Expression(normalize_sql(&other.to_string())),
                None,
            ),
        },
        other => (
            IndexKeyKind::Expression(normalize_sql(&other.to_string())),
            None,
        ),
    };
    IndexKey {
        kind,
        descending: matches!(c.column.options.sort, Some(ast::OrderBySort::Desc)),
        nulls_first: c.column.options.nulls_first,
        collation,
        opclass: c
            .operator_class
            .as_ref()
            .map(|o| o.to_string().to_ascii_lowercase()),
    }
}

/// PostgreSQL's default names: `<table>_pkey`, `<table>_<cols>_key`, `<table>_<cols>_fkey`,
/// `<table>_<col>_check`.
fn default_constraint_name(table: &QualName, c: &Constraint) -> String {
    let cols = c.columns.join("_");
    let name = match &c.kind {
        ConstraintKind::PrimaryKey => format!("{}_pkey", table.name),
        ConstraintKind::Unique { .. } => format!("{}_{cols}_key", table.name),
        ConstraintKind::ForeignKey(_) => format!("{}_{cols}_fkey", table.name),
        ConstraintKind::Check { .. } if !cols.is_empty() => format!("{}_{cols}_check", table.name),
        ConstraintKind::Check { .. } => format!("{}_check", table.name),
        ConstraintKind::Exclude => format!("{}_{cols}_excl", table.name),
    };
    truncate_identifier(name)
}

fn default_index_name(table: &QualName, keys: &[IndexKey]) -> String {
    let cols: Vec<&str> = keys
        .iter()
        .map(|k| k.column_name().unwrap_or("expr"))
        .collect();
    truncate_identifier(format!("{}_{}_idx", table.name, cols.join("_")))
}

/// PostgreSQL truncates identifiers to 63 bytes.
fn truncate_identifier(mut name: String) -> String {
    if name.len() > 63 {
        let mut end = 63;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

fn int_value(e: &Expr) -> Option<i128> {
    match e {
        Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr,
        } => int_value(expr).map(|v| -v),
        _ => None,
    }
}

/// Output column names of a view's query, where they can be read off the projection.
fn projection_names(query: &ast::Query, d: Dialect) -> Vec<String> {
    let ast::SetExpr::Select(select) = query.body.as_ref() else {
        return Vec::new();
    };
    select
        .projection
        .iter()
        .filter_map(|item| match item {
            ast::SelectItem::ExprWithAlias { alias, .. } => Some(names::ident(alias, d)),
            ast::SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(names::ident(i, d)),
            ast::SelectItem::UnnamedExpr(Expr::CompoundIdentifier(p)) => {
                p.last().map(|i| names::ident(i, d))
            }
            _ => None,
        })
        .collect()
}

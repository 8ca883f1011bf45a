//! Roles, grants, default privileges, policies and extensions.

use super::{expr_text, Ctx, Lowerer};
use crate::names;
use sqlparser::ast::{self as ast};
use steward_core::model::{DefaultPrivilege, Extension, Grant, GrantObject, Policy, Role};

impl Lowerer {
    pub(crate) fn create_role(&mut self, ctx: &Ctx, r: &ast::CreateRole) {
        let d = self.dialect();
        for name in &r.names {
            let name = names::last(name, d);
            let role = Role {
                name: name.clone(),
                // CREATE USER implies LOGIN (sqlparser reads it as a role with LOGIN unset).
                login: r.login.unwrap_or(
                    ctx.stmt
                        .text
                        .trim_start()
                        .to_ascii_uppercase()
                        .starts_with("CREATE USER"),
                ),
                superuser: r.superuser.unwrap_or(false),
                create_role: r.create_role.unwrap_or(false),
                create_db: r.create_db.unwrap_or(false),
                bypass_rls: r.bypassrls.unwrap_or(false),
                replication: r.replication.unwrap_or(false),
                has_password: matches!(r.password, Some(ast::Password::Password(_))),
                password_kind: None,
                valid_until: r.valid_until.as_ref().map(super::expr_name),
                connection_limit: r
                    .connection_limit
                    .as_ref()
                    .and_then(|e| e.to_string().parse().ok()),
                member_of: r
                    .in_role
                    .iter()
                    .chain(&r.in_group)
                    .map(|i| names::ident(i, d))
                    .collect(),
                origin: ctx.statement_origin(),
            };
            self.model.roles.insert(name, role);
        }
    }

    pub(crate) fn alter_role(&mut self, name: &ast::Ident, op: &ast::AlterRoleOperation) {
        let d = self.dialect();
        let name = names::ident(name, d);
        match op {
            ast::AlterRoleOperation::RenameRole { role_name } => {
                if let Some(mut role) = self.model.roles.shift_remove(&name) {
                    role.name = names::ident(role_name, d);
                    self.model.roles.insert(role.name.clone(), role);
                }
            }
            ast::AlterRoleOperation::WithOptions { options } => {
                let Some(role) = self.model.roles.get_mut(&name) else {
                    return;
                };
                for o in options {
                    match o {
                        ast::RoleOption::BypassRLS(v) => role.bypass_rls = *v,
                        ast::RoleOption::CreateDB(v) => role.create_db = *v,
                        ast::RoleOption::CreateRole(v) => role.create_role = *v,
                        ast::RoleOption::Login(v) => role.login = *v,
                        ast::RoleOption::SuperUser(v) => role.superuser = *v,
                        ast::RoleOption::Replication(v) => role.replication = *v,
                        ast::RoleOption::Password(p) => {
                            role.has_password = matches!(p, ast::Password::Password(_))
                        }
                        ast::RoleOption::ValidUntil(v) => {
                            role.valid_until = Some(super::expr_name(v))
                        }
                        ast::RoleOption::ConnectionLimit(v) => {
                            role.connection_limit = v.to_string().parse().ok()
                        }
                        ast::RoleOption::Inherit(_) => {}
                    }
                }
            }
            _ => {}
        }
    }

    pub(crate) fn grant(&mut self, ctx: &Ctx, g: &ast::Grant) {
        let privileges = privilege_names(&g.privileges);
        let grantees = grantee_names(&g.grantees, self.dialect());
        for object in self.grant_objects(g.objects.as_ref()) {
            self.model.grants.push(Grant {
                privileges: privileges.clone(),
                object,
                grantees: grantees.clone(),
                with_grant_option: g.with_grant_option,
                origin: ctx.statement_origin(),
            });
        }
    }

    /// REVOKE removes the revoked privileges from matching grants.
    pub(crate) fn revoke(&mut self, r: &ast::Revoke) {
        let revoked = privilege_names(&r.privileges);
        let grantees = grantee_names(&r.grantees, self.dialect());
        let objects = self.grant_objects(r.objects.as_ref());
        for grant in &mut self.model.grants {
            if !objects.contains(&grant.object) {
                continue;
            }
            let all = revoked.iter().any(|p| p == "ALL");
            grant.grantees.retain(|who| {
                !(grantees.contains(who)
                    && (all || grant.privileges.iter().all(|p| revoked.contains(p))))
            });
            if all {
                continue;
            }
            if grant.grantees.iter().all(|who| grantees.contains(who)) {
                grant.privileges.retain(|p| !revoked.contains(p));
            }
        }
        self.model
            .grants
            .retain(|g| !g.grantees.is_empty() && !g.privileges.is_empty());
    }

    pub(crate) fn grant_role(&mut self, g: &ast::GrantRole) {
        let d = self.dialect();
        let roles: Vec<String> = g.roles.iter().map(|r| names::ident(r, d)).collect();
        for grantee in grantee_names(&g.grantees, d) {
            if let Some(role) = self.model.roles.get_mut(&grantee) {
                role.member_of.extend(roles.iter().cloned());
            }
        }
    }

    fn grant_objects(&self, objects: Option<&ast::GrantObjects>) -> Vec<GrantObject> {
        let d = self.dialect();
        let Some(objects) = objects else {
            return vec![GrantObject::Database];
        };
        use ast::GrantObjects as G;
        match objects {
            G::Tables(t) | G::Views(t) => t
                .iter()
                .map(|n| GrantObject::Table(self.resolve_relation(n)))
                .collect(),
            G::Sequences(s) => s
                .iter()
                .map(|n| GrantObject::Sequence(self.resolve_relation(n)))
                .collect(),
            G::Schemas(s) => s
                .iter()
                .map(|n| GrantObject::Schema(names::last(n, d)))
                .collect(),
            G::AllTablesInSchema { schemas } => schemas
                .iter()
                .map(|n| GrantObject::AllTablesInSchema(names::last(n, d)))
                .collect(),
            G::AllFunctionsInSchema { schemas } => schemas
                .iter()
                .map(|n| GrantObject::AllFunctionsInSchema(names::last(n, d)))
                .collect(),
            G::Functions(f) | G::Procedures(f) | G::Routines(f) => f
                .iter()
                .map(|desc| GrantObject::Function(self.resolver.qualify(&desc.name)))
                .collect(),
            G::Databases(_) => vec![GrantObject::Database],
            other => vec![GrantObject::Other(other.to_string())],
        }
    }

    pub(crate) fn default_privileges(&mut self, ctx: &Ctx, a: &ast::AlterDefaultPrivileges) {
        let d = self.dialect();
        let mut for_role = None;
        let mut schema = None;
        for o in &a.options {
            match o {
                ast::DefaultPrivilegesOption::ForRole(r) => {
                    for_role = r.first().map(|i| names::ident(i, d))
                }
                ast::DefaultPrivilegesOption::InSchema(s) => {
                    schema = s.first().map(|n| names::last(n, d))
                }
            }
        }
        if let ast::AlterDefaultPrivilegesOperation::Grant {
            privileges,
            object_type,
            grantees,
            ..
        } = &a.operation
        {
            self.model.default_privileges.push(DefaultPrivilege {
                for_role,
                schema,
                object_kind: object_type.to_string().to_ascii_lowercase(),
                privileges: privilege_names(privileges),
                grantees: grantee_names(grantees, d),
                origin: ctx.statement_origin(),
            });
        }
    }

    pub(crate) fn create_policy(&mut self, ctx: &Ctx, p: &ast::CreatePolicy) {
        let d = self.dialect();
        let table = self.resolve_relation(&p.table_name);
        let command = match p.command {
            Some(ast::CreatePolicyCommand::Select) => "select",
            Some(ast::CreatePolicyCommand::Insert) => "insert",
            Some(ast::CreatePolicyCommand::Update) => "update",
            Some(ast::CreatePolicyCommand::Delete) => "delete",
            _ => "all",
        };
        self.model.policies.push(Policy {
            name: names::ident(&p.name, d),
            table,
            command: command.into(),
            permissive: !matches!(p.policy_type, Some(ast::CreatePolicyType::Restrictive)),
            roles: p
                .to
                .as_ref()
                .map(|owners| owners.iter().map(owner_text).collect())
                .unwrap_or_else(|| vec!["public".into()]),
            using: p.using.as_ref().map(expr_text),
            with_check: p.with_check.as_ref().map(expr_text),
            origin: ctx.statement_origin(),
        });
    }

    pub(crate) fn alter_policy(&mut self, p: &ast::AlterPolicy) {
        let d = self.dialect();
        let table = self.resolve_relation(&p.table_name);
        let name = names::ident(&p.name, d);
        let Some(policy) = self
            .model
            .policies
            .iter_mut()
            .find(|x| x.name == name && x.table == table)
        else {
            return;
        };
        match &p.operation {
            ast::AlterPolicyOperation::Rename { new_name } => {
                policy.name = names::ident(new_name, d)
            }
            ast::AlterPolicyOperation::Apply {
                to,
                using,
                with_check,
            } => {
                if let Some(to) = to {
                    policy.roles = to.iter().map(owner_text).collect();
                }
                if let Some(u) = using {
                    policy.using = Some(expr_text(u));
                }
                if let Some(w) = with_check {
                    policy.with_check = Some(expr_text(w));
                }
            }
        }
    }

    pub(crate) fn drop_policy(&mut self, p: &ast::DropPolicy) {
        let d = self.dialect();
        let table = self.resolve_relation(&p.table_name);
        let name = names::ident(&p.name, d);
        self.model
            .policies
            .retain(|x| !(x.name == name && x.table == table));
    }

    pub(crate) fn create_extension(&mut self, ctx: &Ctx, e: &ast::CreateExtension) {
        let d = self.dialect();
        let name = names::ident(&e.name, d);
        self.model.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: e.schema.as_ref().map(|s| names::ident(s, d)),
                version: e.version.as_ref().map(|v| v.value.clone()),
                origin: ctx.statement_origin(),
            },
        );
    }
}

fn owner_text(o: &ast::Owner) -> String {
    match o {
        ast::Owner::Ident(i) => names::ident(i, steward_core::Dialect::Postgres),
        ast::Owner::CurrentRole => "current_role".into(),
        ast::Owner::CurrentUser => "current_user".into(),
        ast::Owner::SessionUser => "session_user".into(),
    }
}

/// Upper-case privilege names; `ALL` for ALL [PRIVILEGES].
pub(crate) fn privilege_names(p: &ast::Privileges) -> Vec<String> {
    match p {
        ast::Privileges::All { .. } => vec!["ALL".into()],
        ast::Privileges::Actions(actions) => actions
            .iter()
            .map(|a| {
                let text = a.to_string().to_ascii_uppercase();
                // `SELECT (a, b)` → `SELECT`.
                text.split(['(', ' ']).next().unwrap_or(&text).to_string()
            })
            .collect(),
    }
}

/// Grantee names; PUBLIC becomes `public`.
pub(crate) fn grantee_names(grantees: &[ast::Grantee], d: steward_core::Dialect) -> Vec<String> {
    grantees
        .iter()
        .map(|g| match (&g.grantee_type, &g.name) {
            (ast::GranteesType::Public, _) => "public".to_string(),
            (_, Some(ast::GranteeName::ObjectName(n))) => {
                let name = names::last(n, d);
                if name.eq_ignore_ascii_case("public") {
                    "public".into()
                } else {
                    name
                }
            }
            (_, Some(ast::GranteeName::UserHost { user, .. })) => names::ident(user, d),
            (_, None) => "public".to_string(),
        })
        .collect()
}

//! Security: roles, passwords, schema and function privileges, default privileges, personal
//! data readable by everyone, statement logging, RLS through views, TLS. (`grant-to-public`,
//! `security-definer-search-path`, `rls-not-forced` and `rls-enabled-without-policy` are
//! schema rules and run on the live model too.)

mod createrole_or_superuser_app_role;
mod default_privileges_too_broad;
mod function_executable_by_public;
mod log_statement_leaks;
mod md5_password;
mod pii_readable_by_public;
pub mod plaintext_credential_column;
mod public_schema_create;
mod role_bypassrls;
mod role_without_password_expiry;
mod ssl_off;
mod superuser_login_role;
mod view_bypasses_rls;

use super::LiveCheck;

pub fn checks() -> Vec<&'static dyn LiveCheck> {
    vec![
        &createrole_or_superuser_app_role::CreateroleOrSuperuserAppRole,
        &default_privileges_too_broad::DefaultPrivilegesTooBroad,
        &function_executable_by_public::FunctionExecutableByPublic,
        &log_statement_leaks::LogStatementLeaks,
        &md5_password::Md5Password,
        &pii_readable_by_public::PiiReadableByPublic,
        &plaintext_credential_column::PlaintextCredentialColumn,
        &public_schema_create::PublicSchemaCreate,
        &role_bypassrls::RoleBypassrls,
        &role_without_password_expiry::RoleWithoutPasswordExpiry,
        &ssl_off::SslOff,
        &superuser_login_role::SuperuserLoginRole,
        &view_bypasses_rls::ViewBypassesRls,
    ]
}

//! Security: roles, passwords, schema privileges, RLS through views, TLS. (`grant-to-public`,
//! `security-definer-search-path`, `rls-not-forced` and `rls-enabled-without-policy` are
//! schema rules and run on the live model too.)

mod md5_password;
mod public_schema_create;
mod role_bypassrls;
mod ssl_off;
mod superuser_login_role;
mod view_bypasses_rls;

use super::LiveCheck;

pub fn checks() -> Vec<&'static dyn LiveCheck> {
    vec![
        &md5_password::Md5Password,
        &public_schema_create::PublicSchemaCreate,
        &role_bypassrls::RoleBypassrls,
        &ssl_off::SslOff,
        &superuser_login_role::SuperuserLoginRole,
        &view_bypasses_rls::ViewBypassesRls,
    ]
}

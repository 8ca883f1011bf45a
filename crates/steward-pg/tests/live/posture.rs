//! Security and privacy posture checks against real roles, functions, default privileges,
//! grants and settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{check, cluster, of, on};

#[tokio::test]
async fn log_statement_leaks() {
    let db = cluster().create_database("logleak").unwrap();
    let report = check(&db.conninfo(), "log-statement-leaks", &[]).await;
    assert!(
        of(&report, "log-statement-leaks").is_empty(),
        "default log_statement = none"
    );
    db.exec(&format!(
        "ALTER DATABASE {} SET log_statement = 'ddl'",
        db.name
    ))
    .unwrap();
    let report = check(&db.conninfo(), "log-statement-leaks", &[]).await;
    let d = on(&report, "log-statement-leaks", "log_statement")
        .expect("ddl logs ALTER ROLE … PASSWORD");
    assert!(d.message.contains("ALTER ROLE"), "{}", d.message);
}

#[tokio::test]
async fn role_posture() {
    let db = cluster().create_database("posture").unwrap();
    let t = db.name.clone();
    db.exec(&format!(
        "CREATE ROLE forever_{t} LOGIN PASSWORD 'pw-never-shown-1';
         CREATE ROLE expiring_{t} LOGIN PASSWORD 'pw-never-shown-2' VALID UNTIL '2030-01-01';
         CREATE ROLE nopass_{t} LOGIN;
         CREATE ROLE admin_{t} LOGIN CREATEROLE;
         CREATE ROLE group_{t} NOLOGIN CREATEROLE;"
    ))
    .unwrap();
    let run = common::audit(
        &db.conninfo(),
        &[
            "role-without-password-expiry",
            "createrole-or-superuser-app-role",
        ],
        &[],
    )
    .await;
    let r = &run.report;
    assert!(on(r, "role-without-password-expiry", &format!("forever_{t}")).is_some());
    assert!(on(r, "role-without-password-expiry", &format!("expiring_{t}")).is_none());
    assert!(on(r, "role-without-password-expiry", &format!("nopass_{t}")).is_none());
    assert!(on(r, "createrole-or-superuser-app-role", &format!("admin_{t}")).is_some());
    assert!(
        on(r, "createrole-or-superuser-app-role", &format!("group_{t}")).is_none(),
        "cannot log in"
    );
    assert!(!format!("{:?}", r.diagnostics).contains("pw-never-shown"));
    db.exec(&format!(
        "DROP ROLE forever_{t}; DROP ROLE expiring_{t}; DROP ROLE nopass_{t}; DROP ROLE admin_{t}; DROP ROLE group_{t};"
    ))
    .unwrap();
}

#[tokio::test]
async fn functions_default_privileges_and_public_pii() {
    let db = cluster().create_database("privs").unwrap();
    let reader = format!("reader_{}", db.name);
    db.exec(&format!(
        "CREATE ROLE {reader};
         CREATE FUNCTION open_definer() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS 'SELECT 1';
         CREATE FUNCTION closed_definer() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS 'SELECT 1';
         REVOKE EXECUTE ON FUNCTION closed_definer() FROM PUBLIC;
         CREATE FUNCTION invoker() RETURNS int LANGUAGE sql AS 'SELECT 1';
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO {reader};
         CREATE TABLE customers (id int PRIMARY KEY, email text, phone text, created_at timestamptz);
         CREATE TABLE products (id int PRIMARY KEY, title text, price numeric);
         GRANT SELECT ON products TO PUBLIC;"
    ))
    .unwrap();
    let ids = [
        "function-executable-by-public",
        "default-privileges-too-broad",
        "pii-readable-by-public",
    ];
    let run = common::audit(&db.conninfo(), &ids, &[]).await;
    let r = &run.report;
    let f = on(r, "function-executable-by-public", "public.open_definer()")
        .expect("PUBLIC can execute it");
    assert_eq!(
        f.fix.as_deref().unwrap().lines().next(),
        Some("REVOKE EXECUTE ON FUNCTION public.open_definer() FROM PUBLIC;")
    );
    assert!(on(
        r,
        "function-executable-by-public",
        "public.closed_definer()"
    )
    .is_none());
    assert!(on(r, "function-executable-by-public", "public.invoker()").is_none());
    let d = of(r, "default-privileges-too-broad");
    assert_eq!(d.len(), 1, "only the PUBLIC one: {d:#?}");
    assert!(
        d[0].message.contains("future tables in schema public"),
        "{}",
        d[0].message
    );
    // customers got SELECT to PUBLIC through the default privileges; products holds no PII.
    let p = on(r, "pii-readable-by-public", "public.customers")
        .expect("email and phone readable by all");
    assert!(
        p.message.contains("email") && p.message.contains("phone"),
        "{}",
        p.message
    );
    assert!(on(r, "pii-readable-by-public", "public.products").is_none());
    db.exec(&format!(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON SEQUENCES FROM {reader}; DROP ROLE {reader};"
    ))
    .unwrap();
}

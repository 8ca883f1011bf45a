//! Index and security checks against scenarios that create each problem for real, and the
//! schema rules that also run on the live model.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{check, cluster, of, on};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn unused_index() {
    let db = cluster().create_database("unused").unwrap();
    db.exec(
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int);
         INSERT INTO t SELECT g, g % 100, g % 7 FROM generate_series(1, 20000) g;
         CREATE INDEX t_a_idx ON t (a);
         CREATE INDEX t_b_idx ON t (b);
         CREATE UNIQUE INDEX t_ab_key ON t (a, id);
         ANALYZE t;",
    )
    .unwrap();
    db.exec("SET enable_seqscan = off; SELECT count(*) FROM t WHERE b = 3;")
        .unwrap();
    db.wait_until(
        "SELECT idx_scan > 0 FROM pg_stat_user_indexes WHERE indexrelname = 't_b_idx'",
        WAIT,
    )
    .unwrap();
    // The indexes are ~450 kB, below the 1 MB default.
    let report = check(
        &db.conninfo(),
        "unused-index",
        &[("unused-index", "min-bytes", 0.0)],
    )
    .await;
    let d = on(&report, "unused-index", "public.t_a_idx").expect("never scanned");
    assert_eq!(
        d.fix.as_deref(),
        Some("DROP INDEX CONCURRENTLY public.t_a_idx;")
    );
    assert_eq!(
        d.severity,
        steward_core::Severity::Info,
        "minutes of statistics are weak evidence"
    );
    assert!(d.help.as_deref().unwrap().contains("replicas"));
    assert!(
        on(&report, "unused-index", "public.t_b_idx").is_none(),
        "scanned"
    );
    assert!(
        on(&report, "unused-index", "public.t_pkey").is_none(),
        "backs a constraint"
    );
    assert!(
        on(&report, "unused-index", "public.t_ab_key").is_none(),
        "enforces uniqueness"
    );
    let report = check(&db.conninfo(), "unused-index", &[]).await;
    assert!(
        of(&report, "unused-index").is_empty(),
        "small indexes are below the default size"
    );
}

#[tokio::test]
async fn invalid_index() {
    let db = cluster().create_database("invalid").unwrap();
    db.exec(
        "CREATE TABLE users (id int, email text);
         INSERT INTO users VALUES (1, 'a@example.com'), (2, 'a@example.com');
         CREATE INDEX users_id_idx ON users (id);",
    )
    .unwrap();
    let failed = db.exec("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)");
    assert!(
        failed.is_err(),
        "the duplicate makes the concurrent build fail"
    );
    let report = check(&db.conninfo(), "invalid-index", &[]).await;
    let d = on(&report, "invalid-index", "public.users_email_key").expect("left invalid");
    assert!(d.help.as_deref().unwrap().contains("uniqueness"));
    assert!(on(&report, "invalid-index", "public.users_id_idx").is_none());
}

#[tokio::test]
async fn seq_scan_heavy_table() {
    let db = cluster().create_database("seqscan").unwrap();
    db.exec(
        "CREATE TABLE big (id int, v int);
         INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 20000) g;
         CREATE TABLE tiny (id int, v int);
         INSERT INTO tiny SELECT g, g FROM generate_series(1, 100) g;
         ANALYZE big; ANALYZE tiny;",
    )
    .unwrap();
    for _ in 0..5 {
        db.exec("SELECT count(*) FROM big WHERE v = 7; SELECT count(*) FROM tiny WHERE v = 7;")
            .unwrap();
    }
    db.wait_until(
        "SELECT seq_scan >= 5 FROM pg_stat_user_tables WHERE relname = 'big'",
        WAIT,
    )
    .unwrap();
    // Five real scans; the default evidence floor (100 scans) is lowered.
    let lowered = [("seq-scan-heavy-table", "min-scans", 5.0)];
    let report = check(&db.conninfo(), "seq-scan-heavy-table", &lowered).await;
    let d = on(&report, "seq-scan-heavy-table", "public.big").expect("20000 rows scanned 5 times");
    assert!(d.message.contains("sequential scans"), "{}", d.message);
    assert!(
        on(&report, "seq-scan-heavy-table", "public.tiny").is_none(),
        "too small to matter"
    );
    let report = check(&db.conninfo(), "seq-scan-heavy-table", &[]).await;
    assert!(of(&report, "seq-scan-heavy-table").is_empty());
}

#[tokio::test]
async fn roles_superuser_bypassrls_md5() {
    let db = cluster().create_database("roles").unwrap();
    let tag = db.name.clone();
    db.exec(&format!(
        "CREATE ROLE su_{tag} LOGIN SUPERUSER;
         CREATE ROLE plain_{tag} LOGIN PASSWORD 'scram-secret-1';
         CREATE ROLE bypass_{tag} BYPASSRLS;
         SET password_encryption = 'md5';
         CREATE ROLE md5_{tag} LOGIN PASSWORD 'md5-secret-2';"
    ))
    .unwrap();
    let run = common::audit(
        &db.conninfo(),
        &["superuser-login-role", "role-bypassrls", "md5-password"],
        &[],
    )
    .await;
    let r = &run.report;
    assert!(on(r, "superuser-login-role", &format!("su_{tag}")).is_some());
    assert!(
        on(r, "superuser-login-role", "postgres").is_none(),
        "the cluster owner is exempt"
    );
    assert!(on(r, "superuser-login-role", &format!("plain_{tag}")).is_none());
    assert!(on(r, "role-bypassrls", &format!("bypass_{tag}")).is_some());
    assert!(
        on(r, "role-bypassrls", "postgres").is_none(),
        "superusers are reported elsewhere"
    );
    assert!(on(r, "md5-password", &format!("md5_{tag}")).is_some());
    assert!(
        on(r, "md5-password", &format!("plain_{tag}")).is_none(),
        "scram is fine"
    );
    let text = format!("{:?}", r.diagnostics);
    assert!(
        !text.contains("secret") && !text.contains("md5a"),
        "no password or hash in any finding"
    );

    // A non-superuser cannot read the hashes: the check says so instead of failing.
    let conninfo = format!(
        "host={} port={} user=plain_{tag} dbname={}",
        cluster().socket_dir().display(),
        cluster().port(),
        db.name
    );
    let run = common::audit(&conninfo, &["md5-password", "idle-in-transaction"], &[]).await;
    let notes = run.report.not_checked.join("\n");
    assert!(notes.contains("md5-password (partly)"), "{notes}");
    assert!(notes.contains("pg_monitor"), "{notes}");
    db.exec(&format!(
        "DROP ROLE su_{tag}; DROP ROLE plain_{tag}; DROP ROLE bypass_{tag}; DROP ROLE md5_{tag};"
    ))
    .unwrap();
}

#[tokio::test]
async fn public_schema_create() {
    let db = cluster().create_database("pubcreate").unwrap();
    let report = check(&db.conninfo(), "public-schema-create", &[]).await;
    assert!(
        of(&report, "public-schema-create").is_empty(),
        "PostgreSQL 15 revokes it by default"
    );
    db.exec("GRANT CREATE ON SCHEMA public TO PUBLIC").unwrap();
    let report = check(&db.conninfo(), "public-schema-create", &[]).await;
    let d = on(&report, "public-schema-create", "public").expect("granted");
    assert_eq!(
        d.fix.as_deref(),
        Some("REVOKE CREATE ON SCHEMA public FROM PUBLIC;")
    );
}

#[tokio::test]
async fn view_bypasses_rls() {
    let db = cluster().create_database("rlsview").unwrap();
    db.exec(
        "CREATE TABLE docs (tenant int, body text);
         ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
         CREATE POLICY tenant_docs ON docs USING (tenant = current_setting('app.tenant', true)::int);
         CREATE VIEW all_docs AS SELECT * FROM docs;
         CREATE VIEW my_docs WITH (security_invoker = true) AS SELECT * FROM docs;
         CREATE TABLE plain (id int);
         CREATE VIEW plain_view AS SELECT * FROM plain;",
    )
    .unwrap();
    let report = check(&db.conninfo(), "view-bypasses-rls", &[]).await;
    let d = on(&report, "view-bypasses-rls", "public.all_docs").expect("owned by a superuser");
    assert_eq!(
        d.fix.as_deref(),
        Some("ALTER VIEW public.all_docs SET (security_invoker = true);")
    );
    assert!(on(&report, "view-bypasses-rls", "public.my_docs").is_none());
    assert!(on(&report, "view-bypasses-rls", "public.plain_view").is_none());
}

#[tokio::test]
async fn schema_rules_run_on_the_live_model() {
    let db = cluster().create_database("schemarules").unwrap();
    db.exec(
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id));
         INSERT INTO parent SELECT generate_series(1, 10);
         CREATE INDEX child_id_dup ON child (id);
         CREATE TABLE secrets (id int PRIMARY KEY);
         ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
         GRANT SELECT ON parent TO PUBLIC;
         CREATE EXTENSION pg_stat_statements;
         CREATE FUNCTION bump() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';",
    )
    .unwrap();
    let ids = [
        "fk-without-index",
        "redundant-index",
        "rls-enabled-without-policy",
        "rls-not-forced",
        "grant-to-public",
        "security-definer-search-path",
    ];
    let report = check(&db.conninfo(), ids[0], &[]).await;
    assert!(
        on(&report, "fk-without-index", "public.child.parent_id").is_some(),
        "{:#?}",
        report.diagnostics
    );
    let run = common::audit(&db.conninfo(), &ids, &[]).await;
    let found: std::collections::BTreeSet<_> =
        run.report.diagnostics.iter().map(|d| d.rule).collect();
    for id in ids {
        assert!(found.contains(id), "{id} missing from {found:?}");
    }
    // An extension's own grants (pg_stat_statements grants SELECT to PUBLIC) are its business.
    assert!(
        !run.report.diagnostics.iter().any(|d| d
            .object
            .as_deref()
            .is_some_and(|o| o.contains("pg_stat_statements"))),
        "{:#?}",
        run.report.diagnostics
    );
}

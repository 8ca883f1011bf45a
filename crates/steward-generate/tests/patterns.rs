//! Every pattern applied to a real database and exercised: audit rows, soft deletes,
//! updated_at, tenant isolation, least privilege, consent and erasure; every script clean
//! under `steward lint` and a no-op the second time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use steward_core::model::Model;
use steward_core::Severity;
use steward_generate::{generate, Options, Pattern, Script};
use steward_pg::connect::{self, Params, Safety};
use steward_testkit::{Cluster, Database};

fn cluster() -> &'static Cluster {
    Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shop.sql")
}

fn file_model(path: &Path) -> Model {
    steward_lint::schema_of_paths(&[path.to_path_buf()], None)
        .unwrap()
        .model
}

/// A database with the shop schema and two tenants.
fn shop(prefix: &str) -> Database<'static> {
    let db = cluster().create_database(prefix).unwrap();
    db.load_file(&fixture()).unwrap();
    db.exec("INSERT INTO tenant VALUES (1, 'one'), (2, 'two')")
        .unwrap();
    db
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn params(db: &Database) -> Params {
    Params::resolve(&db.conninfo(), &|_| None).unwrap()
}

fn live_model(db: &Database) -> Model {
    runtime().block_on(async {
        let conn = connect::connect(&params(db), &Safety::default())
            .await
            .unwrap();
        steward_pg::catalog::read_model(&conn.client)
            .await
            .unwrap()
            .0
    })
}

fn apply(db: &Database, script: &Script) {
    runtime().block_on(async {
        let safety = Safety {
            read_only: false,
            ..Safety::default()
        };
        let mut conn = connect::connect(&params(db), &safety).await.unwrap();
        steward_generate::apply(&mut conn, script)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", script.render()));
    });
}

/// Generates from the live schema and applies.
fn generate_and_apply(db: &Database, pattern: Pattern, options: &Options) -> Script {
    let script = generate(pattern, &live_model(db), options).unwrap();
    apply(db, &script);
    script
}

/// The schema (pg_dump --schema-only) and every table's rows, to compare before and after.
fn fingerprint(db: &Database) -> String {
    let c = cluster();
    let out = c
        .command("pg_dump")
        .arg("-h")
        .arg(c.socket_dir())
        .args([
            "-p",
            &c.port().to_string(),
            "-U",
            "postgres",
            "--schema-only",
            &db.name,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pg_dump ≥ 15.14 writes a random \restrict key: not part of the schema.
    let schema: String = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .map(|l| format!("{l}\n"))
        .collect();
    let data = db
        .exec(
            "SELECT string_agg(format('%s: %s', c.oid::regclass, (xpath('//n/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) AS n FROM %s AS t', c.oid::regclass), false, false, '')))[1]), E'\\n' ORDER BY c.oid::regclass::text)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
        )
        .unwrap();
    format!("{schema}\n{data}")
}

fn roles_prefix(db: &Database) -> String {
    format!(
        "r{}",
        db.name.rsplit('_').take(2).collect::<Vec<_>>().join("_")
    )
}

// ---------------------------------------------------------------------------------------
// Dogfood: every generated script is clean under steward lint, with the schema it fits.

#[test]
fn every_script_is_clean_under_lint() {
    let schemas = [
        fixture(),
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/corpus/sakila-postgresql-schema.sql"
        )),
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/corpus/northwind-postgresql.sql"
        )),
    ];
    let dir = tempfile_dir();
    let mut checked = 0;
    for schema in &schemas {
        let model = file_model(schema);
        for pattern in Pattern::ALL {
            let mut options = Options::default();
            if pattern == Pattern::SoftDelete {
                options.tables = model
                    .tables
                    .values()
                    .filter(|t| t.primary_key().is_some())
                    .take(3)
                    .map(|t| t.name.to_string())
                    .collect();
                options.delete_trigger = true;
            }
            if matches!(pattern, Pattern::Consent | Pattern::Erasure)
                && schema.ends_with("northwind-postgresql.sql")
            {
                options.subject_table = Some("customers".to_string());
            }
            let script = match generate(pattern, &model, &options) {
                Ok(s) => s,
                // rls on a schema without tenants, updated-at where triggers exist already: a
                // clear refusal is the right answer.
                Err(e) if pattern == Pattern::Rls => {
                    assert!(e.to_string().contains("tenant"), "{e}");
                    continue;
                }
                Err(e) if pattern == Pattern::UpdatedAt => {
                    assert!(e.to_string().contains("updated_at"), "{e}");
                    continue;
                }
                Err(e) => panic!("{} on {}: {e}", pattern.id(), schema.display()),
            };
            let out = dir.join(format!("{}.sql", pattern.id()));
            std::fs::write(&out, script.render()).unwrap();
            let settings = steward_lint::config::Settings::defaults();
            let report =
                steward_lint::lint_paths(&[schema.clone(), out.clone()], &settings).unwrap();
            let shown = out.display().to_string();
            let problems: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| *l.path == *shown))
                .filter(|d| d.severity >= Severity::Warning)
                .map(|d| format!("{}: {}", d.rule, d.message))
                .collect();
            assert!(
                problems.is_empty(),
                "{} on {} is not lint-clean:\n{}\n\n{}",
                pattern.id(),
                schema.display(),
                problems.join("\n"),
                script.render()
            );
            checked += 1;
        }
    }
    assert!(checked >= 13, "checked {checked} scripts");
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("steward-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------
// Live: each pattern applied and exercised.

const ANN: &str = "INSERT INTO customer (tenant_id, email, full_name, phone, password_hash)
                   VALUES (1, 'ann.canary@example.com', 'Ann Canary', '+4915100000001', 'canary-hash-ann')
                   RETURNING id";

#[test]
fn audit_trail_records_changes_without_personal_data() {
    let db = shop("gen_audit");
    let script = generate_and_apply(&db, Pattern::AuditTrail, &Options::default());
    assert!(script.render().contains("audit.log_change"));
    let id = db
        .value(&format!("SET app.actor = 'support-agent-7'; {ANN}"))
        .unwrap();
    db.exec(&format!(
        "UPDATE customer SET email = 'ann.new.canary@example.com', updated_at = '2030-01-01' WHERE id = {id};
         UPDATE customer SET tenant_id = tenant_id WHERE id = {id};
         DELETE FROM customer WHERE id = {id};"
    ))
    .unwrap();
    let rows = db
        .exec(
            "SELECT operation, row_key, coalesce(array_to_string(changed_columns, ','), '-'), actor,
                    coalesce(old_values::text, '-'), coalesce(new_values::text, '-')
             FROM audit.log WHERE table_name = 'customer' ORDER BY id",
        )
        .unwrap();
    let rows: Vec<Vec<&str>> = rows.lines().map(|l| l.split('|').collect()).collect();
    assert_eq!(
        rows.len(),
        3,
        "insert, one real update (the no-op is not logged), delete: {rows:?}"
    );
    assert_eq!(rows[0][0], "INSERT");
    assert_eq!(rows[0][1], format!("{{\"id\": {id}}}"));
    assert_eq!(rows[0][3], "support-agent-7", "actor from app.actor");
    assert!(rows[0][5].contains("\"tenant_id\": 1"), "{}", rows[0][5]);
    assert_eq!(rows[1][0], "UPDATE");
    assert_eq!(
        rows[1][2], "email,updated_at",
        "changed columns, the redacted one included"
    );
    assert!(
        rows[1][4].starts_with("{\"updated_at\": \""),
        "only the changed, unredacted column: {}",
        rows[1][4]
    );
    assert_eq!(rows[2][0], "DELETE");
    assert_eq!(rows[2][3], "postgres", "no app.actor: the session user");
    let log = db.exec("SELECT l::text FROM audit.log AS l").unwrap();
    for secret in ["canary", "+4915100000001", "Ann"] {
        assert!(
            !log.contains(secret),
            "{secret} stored in audit.log:\n{log}"
        );
    }
    // Truncation is recorded too.
    db.exec("TRUNCATE ticket_message").unwrap();
    assert_eq!(
        db.value("SELECT count(*) FROM audit.log WHERE operation = 'TRUNCATE' AND table_name = 'ticket_message'").unwrap(),
        "1"
    );
}

#[test]
fn soft_deleted_rows_vanish_and_free_their_unique_keys() {
    let db = shop("gen_soft");
    let options = Options {
        tables: vec!["customer".into(), "product".into()],
        delete_trigger: true,
        ..Options::default()
    };
    generate_and_apply(&db, Pattern::SoftDelete, &options);
    let id = db.value(ANN).unwrap();
    assert_eq!(db.value("SELECT count(*) FROM customer_live").unwrap(), "1");
    // A plain DELETE becomes setting deleted_at.
    db.exec(&format!("DELETE FROM customer WHERE id = {id}"))
        .unwrap();
    assert_eq!(
        db.value("SELECT count(*) FROM customer").unwrap(),
        "1",
        "row kept"
    );
    assert_eq!(
        db.value("SELECT count(*) FROM customer_live").unwrap(),
        "0",
        "not live"
    );
    assert_eq!(
        db.value(&format!(
            "SELECT deleted_at IS NOT NULL FROM customer WHERE id = {id}"
        ))
        .unwrap(),
        "t"
    );
    // The email is free again; a second live row with it is still refused.
    db.value(ANN).unwrap();
    let duplicate = db.exec(ANN);
    assert!(duplicate.is_err(), "two live rows with one email");
    // Composite unique keys too.
    db.exec(
        "INSERT INTO product (tenant_id, sku, title) VALUES (1, 'A-1', 'x');
             UPDATE product SET deleted_at = now();
             INSERT INTO product (tenant_id, sku, title) VALUES (1, 'A-1', 'x');",
    )
    .unwrap();
    assert_eq!(
        db.value("SELECT count(*) FROM pg_constraint WHERE conname IN ('customer_email_key', 'product_tenant_sku_key')").unwrap(),
        "0",
        "the old constraints are gone"
    );
}

#[test]
fn updated_at_moves_on_update_only() {
    let db = shop("gen_updated");
    generate_and_apply(&db, Pattern::UpdatedAt, &Options::default());
    let id = db.value(ANN).unwrap();
    db.exec(&format!(
        "UPDATE customer SET updated_at = '2001-01-01' WHERE id = {id}"
    ))
    .unwrap();
    let old = db
        .value(&format!("SELECT updated_at FROM customer WHERE id = {id}"))
        .unwrap();
    assert!(
        old.starts_with("20") && !old.starts_with("2001"),
        "an explicit value is overwritten too: {old}"
    );
    // Force an old value underneath the trigger, then change something.
    db.exec(&format!(
        "ALTER TABLE customer DISABLE TRIGGER USER;
         UPDATE customer SET updated_at = '2001-01-01' WHERE id = {id};
         ALTER TABLE customer ENABLE TRIGGER USER;"
    ))
    .unwrap();
    db.exec(&format!(
        "UPDATE customer SET phone = '+4915100000002' WHERE id = {id}"
    ))
    .unwrap();
    assert_eq!(
        db.value(&format!(
            "SELECT updated_at > now() - interval '1 minute' FROM customer WHERE id = {id}"
        ))
        .unwrap(),
        "t"
    );
    // A no-op update leaves it.
    db.exec(&format!(
        "ALTER TABLE customer DISABLE TRIGGER USER;
         UPDATE customer SET updated_at = '2001-01-01' WHERE id = {id};
         ALTER TABLE customer ENABLE TRIGGER USER;
         UPDATE customer SET phone = phone WHERE id = {id};"
    ))
    .unwrap();
    assert!(db
        .value(&format!("SELECT updated_at FROM customer WHERE id = {id}"))
        .unwrap()
        .starts_with("2001"));
    // Every table with the column got a trigger.
    assert_eq!(
        db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'set_updated_at'")
            .unwrap(),
        "3",
        "customer, support_ticket, product"
    );
}

#[test]
fn tenants_cannot_see_or_write_each_other_including_the_owner() {
    let db = shop("gen_rls");
    let owner = format!("{}_owner", roles_prefix(&db));
    db.exec(&format!(
        "CREATE ROLE {owner} NOLOGIN;
         ALTER TABLE customer OWNER TO {owner}; ALTER TABLE orders OWNER TO {owner};
         ALTER TABLE support_ticket OWNER TO {owner}; ALTER TABLE product OWNER TO {owner};
         GRANT USAGE ON SCHEMA public TO {owner}; GRANT SELECT ON tenant TO {owner};"
    ))
    .unwrap();
    generate_and_apply(&db, Pattern::Rls, &Options::default());
    db.exec(
        "INSERT INTO customer (tenant_id, email, full_name, password_hash) VALUES
             (1, 'a@one.example', 'A', 'h'), (2, 'b@two.example', 'B', 'h')",
    )
    .unwrap();
    let as_owner = |tenant: Option<i32>, sql: &str| {
        let set = tenant.map_or(String::new(), |t| format!("SET app.tenant_id = '{t}';"));
        db.exec(&format!("SET ROLE {owner}; {set} {sql}"))
    };
    assert_eq!(
        as_owner(Some(1), "SELECT string_agg(email, ',') FROM customer")
            .unwrap()
            .trim(),
        "a@one.example"
    );
    assert_eq!(
        as_owner(Some(2), "SELECT string_agg(email, ',') FROM customer")
            .unwrap()
            .trim(),
        "b@two.example"
    );
    assert_eq!(
        as_owner(None, "SELECT count(*) FROM customer")
            .unwrap()
            .trim(),
        "0",
        "no tenant: no rows"
    );
    let err = as_owner(Some(1), "INSERT INTO customer (tenant_id, email, full_name, password_hash) VALUES (2, 'x@two.example', 'X', 'h')").unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    let err = as_owner(
        Some(1),
        "UPDATE customer SET tenant_id = 2 WHERE email = 'a@one.example'",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("row-level security"),
        "cannot move a row to another tenant: {err}"
    );
    assert_eq!(
        as_owner(Some(1), "WITH d AS (DELETE FROM customer WHERE email = 'b@two.example' RETURNING 1) SELECT count(*) FROM d").unwrap().trim(),
        "0",
        "cannot delete the other tenant's rows"
    );
    assert_eq!(
        db.value("SELECT count(*) FROM pg_class WHERE relname = 'product' AND relrowsecurity AND relforcerowsecurity").unwrap(),
        "1"
    );
    assert_eq!(
        db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'product_tenant_id_idx'")
            .unwrap(),
        "0",
        "the unique (tenant_id, sku) index leads with tenant_id already"
    );
    db.exec(&format!(
        "REASSIGN OWNED BY {owner} TO postgres; DROP OWNED BY {owner}; DROP ROLE {owner}"
    ))
    .unwrap();
}

#[test]
fn least_privilege_roles() {
    let db = shop("gen_roles");
    let prefix = roles_prefix(&db);
    generate_and_apply(&db, Pattern::AuditTrail, &Options::default());
    generate_and_apply(
        &db,
        Pattern::SoftDelete,
        &Options {
            tables: vec!["customer".into()],
            ..Options::default()
        },
    );
    let options = Options {
        role_prefix: prefix.clone(),
        ..Options::default()
    };
    generate_and_apply(&db, Pattern::Roles, &options);
    db.value(ANN).unwrap();
    let as_role = |role: &str, sql: &str| db.exec(&format!("SET ROLE {prefix}_{role}; {sql}"));
    // Read-write: writes, but no DELETE where soft delete is in use, and no audit log.
    as_role("rw", "INSERT INTO support_ticket (tenant_id, customer_id, subject) SELECT 1, id, 's' FROM customer").unwrap();
    as_role("rw", "DELETE FROM support_ticket").unwrap();
    let err = as_role("rw", "DELETE FROM customer").unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    for sql in [
        "SELECT count(*) FROM audit.log",
        "DELETE FROM audit.log",
        "UPDATE audit.log SET actor = 'x'",
    ] {
        let err = as_role("rw", sql).unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{sql}: {err}"
        );
    }
    // Its writes are still audited (the trigger writes as the log's owner).
    assert!(
        db.value("SELECT count(*) FROM audit.log WHERE table_name = 'support_ticket'")
            .unwrap()
            != "0"
    );
    // Read-only: reads, no secrets, no writes.
    as_role("ro", "SELECT email FROM customer").unwrap();
    let err = as_role("ro", "SELECT password_hash FROM customer").unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    assert!(as_role("ro", "INSERT INTO tenant VALUES (9, 'x')").is_err());
    // mcp: no personal data at all.
    as_role("mcp", "SELECT id, tenant_id, created_at FROM customer").unwrap();
    let err = as_role("mcp", "SELECT email FROM customer").unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    assert_eq!(
        db.value(&format!(
            "SELECT rolconnlimit FROM pg_roles WHERE rolname = '{prefix}_mcp'"
        ))
        .unwrap(),
        "5"
    );
    assert_eq!(
        db.value("SELECT has_schema_privilege('public', 'public', 'CREATE')")
            .unwrap(),
        "f",
        "PUBLIC cannot create in schema public"
    );
    drop_roles(&db, &prefix);
}

fn drop_roles(db: &Database, prefix: &str) {
    for r in ["owner", "migrator", "rw", "ro", "mcp"] {
        db.exec(&format!(
            "DROP OWNED BY {prefix}_{r}; DROP ROLE {prefix}_{r}"
        ))
        .unwrap();
    }
}

#[test]
fn consent_is_never_assumed() {
    let db = shop("gen_consent");
    let options = Options {
        subject_table: Some("customer".into()),
        ..Options::default()
    };
    generate_and_apply(&db, Pattern::Consent, &options);
    let id = db.value(ANN).unwrap();
    let has = |purpose: &str| {
        db.value(&format!("SELECT consent.has_consent({id}, '{purpose}')"))
            .unwrap()
    };
    assert_eq!(has("newsletter"), "f", "no decision: no consent");
    db.exec(&format!("INSERT INTO consent.event (subject_id, purpose, granted, source) VALUES ({id}, 'newsletter', true, 'signup-form')")).unwrap();
    assert_eq!(has("newsletter"), "t");
    assert_eq!(has("profiling"), "f", "per purpose");
    db.exec(&format!("INSERT INTO consent.event (subject_id, purpose, granted, source) VALUES ({id}, 'newsletter', false, 'preferences-page')")).unwrap();
    assert_eq!(has("newsletter"), "f", "withdrawn");
    assert_eq!(
        db.value("SELECT count(*) FROM consent.current WHERE NOT granted")
            .unwrap(),
        "1"
    );
    assert!(
        db.exec("UPDATE consent.event SET granted = true").is_err(),
        "append-only"
    );
    assert!(
        db.exec(&format!(
            "INSERT INTO consent.event (subject_id, purpose, source) VALUES ({id}, 'x', 'api')"
        ))
        .is_err(),
        "granted has no default"
    );
}

/// Counts rows anywhere in the database whose text contains `needle`.
fn rows_containing(db: &Database, needle: &str) -> String {
    db.exec(&format!(
        "SELECT string_agg(format('%s: %s', c.oid::regclass, (xpath('//n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s AS t WHERE t::text LIKE %L', c.oid::regclass, '%{needle}%'), false, false, '')))[1]), ', ')
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND (xpath('//n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s AS t WHERE t::text LIKE %L', c.oid::regclass, '%{needle}%'), false, false, '')))[1]::text <> '0'"
    ))
    .unwrap()
    .trim()
    .to_string()
}

#[test]
fn erasure_leaves_no_personal_data_and_spares_everyone_else() {
    let db = shop("gen_erase");
    generate_and_apply(&db, Pattern::AuditTrail, &Options::default());
    let subject = Options {
        subject_table: Some("customer".into()),
        ..Options::default()
    };
    generate_and_apply(&db, Pattern::Consent, &subject);
    generate_and_apply(&db, Pattern::Erasure, &subject);
    // Ann (the subject): an address, orders, tickets with messages, consent, a referral.
    let ann = db
        .value(
            "WITH a AS (INSERT INTO address (street, city, postal_code) VALUES ('1 Canary Street', 'Canaryville', 'CAN 4RY') RETURNING id)
             INSERT INTO customer (tenant_id, email, full_name, phone, password_hash, address_id)
             SELECT 1, 'ann.canary@example.com', 'Ann Canary', '+4915100000001', 'canary-hash', id FROM a RETURNING id",
        )
        .unwrap();
    let bob = db
        .value(&format!(
            "INSERT INTO customer (tenant_id, email, full_name, phone, password_hash, referred_by)
             VALUES (1, 'bob@example.com', 'Bob Keep', '+4915100000009', 'bob-hash', {ann}) RETURNING id"
        ))
        .unwrap();
    db.exec(&format!(
        "INSERT INTO orders (tenant_id, customer_id, total, shipping_phone) VALUES (1, {ann}, 10, '+44 canary 1'), (1, {bob}, 20, '+44 bob');
         INSERT INTO support_ticket (tenant_id, customer_id, subject) VALUES (1, {ann}, 'canary subject'), (1, {bob}, 'bob subject');
         INSERT INTO ticket_message (ticket_id, body, author_email)
           SELECT id, subject || ' body', 'x@example.com' FROM support_ticket;
         INSERT INTO consent.event (subject_id, purpose, granted, source) VALUES ({ann}, 'newsletter', true, 'canary-form'), ({bob}, 'newsletter', true, 'web');
         UPDATE customer SET phone = '+4915100000003' WHERE id = {ann};"
    ))
    .unwrap();
    let bob_before = db
        .exec(&format!("SELECT c::text FROM customer c WHERE id = {bob}"))
        .unwrap();
    let bob_rows = |db: &Database| {
        db.exec(&format!(
            "SELECT (SELECT string_agg(o::text, ';') FROM orders o WHERE customer_id = {bob}),
                    (SELECT string_agg(t::text, ';') FROM support_ticket t WHERE customer_id = {bob}),
                    (SELECT string_agg(m::text, ';') FROM ticket_message m JOIN support_ticket t ON t.id = m.ticket_id WHERE t.customer_id = {bob}),
                    (SELECT string_agg(e::text, ';') FROM consent.event e WHERE subject_id = {bob})"
        ))
        .unwrap()
    };
    let bob_data = bob_rows(&db);
    assert!(
        !rows_containing(&db, "anary").is_empty(),
        "the canaries are there to begin with"
    );

    let result = db
        .value(&format!("SELECT privacy.erase_subject({ann})"))
        .unwrap();
    assert!(result.contains("\"found\": true"), "{result}");
    let left = rows_containing(&db, "anary");
    assert!(
        left.is_empty(),
        "personal data of the erased subject left in: {left}"
    );
    for value in ["4915100000001", "4915100000003"] {
        assert!(rows_containing(&db, value).is_empty(), "{value}");
    }
    // Everyone else: untouched, but Bob's referral link to Ann is gone.
    assert_eq!(bob_rows(&db), bob_data);
    let bob_after = db
        .exec(&format!("SELECT c::text FROM customer c WHERE id = {bob}"))
        .unwrap();
    assert_eq!(
        bob_after.replace(&format!(",{ann},"), ",,"),
        bob_before.replace(&format!(",{ann},"), ",,")
    );
    assert_eq!(
        db.value(&format!(
            "SELECT referred_by IS NULL FROM customer WHERE id = {bob}"
        ))
        .unwrap(),
        "t"
    );
    // The financial record stays, anonymised.
    assert_eq!(db.value("SELECT count(*) FROM orders").unwrap(), "2");
    // The log says what happened, not to whom.
    let log = db
        .exec("SELECT l::text FROM privacy.erasure_log l")
        .unwrap();
    assert!(
        !log.contains(&format!("\"{ann}\"")) && log.contains("deleted"),
        "{log}"
    );
    // Again: nothing more changes.
    let before = fingerprint(&db);
    let again = db
        .value(&format!("SELECT privacy.erase_subject({ann})"))
        .unwrap();
    // The subject's row is kept (anonymised: an order references it), so it is found again,
    // but nothing is left to change.
    assert!(
        again.contains("\"found\": true") && !again.contains("\"rows\": 1"),
        "{again}"
    );
    let after = fingerprint(&db);
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("privacy.erasure_log"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        strip(&before) == strip(&after),
        "a second erasure changes no data: {:?}",
        diff(&strip(&before), &strip(&after))
    );
}

#[test]
fn every_pattern_applied_twice_changes_nothing_the_second_time() {
    let db = shop("gen_twice");
    let prefix = roles_prefix(&db);
    let subject = Some("customer".to_string());
    let runs = [
        (Pattern::AuditTrail, Options::default()),
        (
            Pattern::SoftDelete,
            Options {
                tables: vec!["customer".into(), "product".into()],
                delete_trigger: true,
                ..Options::default()
            },
        ),
        (Pattern::UpdatedAt, Options::default()),
        (Pattern::Rls, Options::default()),
        (
            Pattern::Roles,
            Options {
                role_prefix: prefix.clone(),
                ..Options::default()
            },
        ),
        (
            Pattern::Consent,
            Options {
                subject_table: subject.clone(),
                ..Options::default()
            },
        ),
        (
            Pattern::Erasure,
            Options {
                subject_table: subject.clone(),
                ..Options::default()
            },
        ),
    ];
    db.value(ANN).unwrap();
    for (pattern, options) in &runs {
        let first = generate_and_apply(&db, *pattern, options);
        let before = fingerprint(&db);
        // The same script again, and the script generated from the changed schema.
        apply(&db, &first);
        generate_and_apply(&db, *pattern, options);
        let after = fingerprint(&db);
        let differences: Vec<String> = diff(&before, &after);
        assert!(
            before == after,
            "{} is not idempotent:\n{}",
            pattern.id(),
            differences.join("\n")
        );
    }
    drop_roles(&db, &prefix);
}

/// Lines of `a` not in `b` and of `b` not in `a`.
fn diff(a: &str, b: &str) -> Vec<String> {
    let left: std::collections::BTreeSet<&str> = a.lines().collect();
    let right: std::collections::BTreeSet<&str> = b.lines().collect();
    left.difference(&right)
        .map(|l| format!("- {l}"))
        .chain(right.difference(&left).map(|l| format!("+ {l}")))
        .collect()
}

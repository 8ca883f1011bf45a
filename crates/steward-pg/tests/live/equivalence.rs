//! The same schema, read from a file and from a live database, gives the same schema-rule
//! findings: one model, one rule engine. Loads the sakila schema into a throwaway cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use steward_core::{Dialect, SourceFile};
use steward_rules::rule::Scope;
use steward_testkit::Cluster;

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/corpus")
        .join(name)
}

async fn live_model(
    conninfo: &str,
) -> (
    steward_core::model::Model,
    steward_pg::catalog::CatalogStats,
) {
    let (client, connection) = tokio_postgres::connect(conninfo, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    steward_pg::catalog::read_model(&client).await.unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn lint_and_live_catalog_agree_on_sakila() {
    let cluster = Cluster::shared().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let db = cluster.create_database("sakila").unwrap();
    let path = corpus("sakila-postgresql-schema.sql");
    db.load_file(&path).unwrap();

    // Schema rules only: statement and query rules look at how the SQL was written.
    let rules: Vec<_> = steward_rules::registry::all()
        .into_iter()
        .filter(|r| r.meta().scope == Scope::Schema && r.meta().applies_to(Dialect::Postgres))
        .collect();

    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = steward_sql::parse_file(
        SourceFile::new(path.to_string_lossy().as_ref(), text),
        Dialect::Postgres,
        0,
    );
    let from_file =
        steward_rules::engine::run_files(&[parsed], Dialect::Postgres, &rules).diagnostics;

    let (model, stats) = live_model(&db.conninfo()).await;
    let from_live = steward_rules::engine::run_model(&model, &rules);

    let key = |d: &steward_core::Diagnostic| (d.rule, d.object.clone().unwrap_or_default());
    let file_set: BTreeSet<_> = from_file.iter().map(key).collect();
    let live_set: BTreeSet<_> = from_live.iter().map(key).collect();
    assert!(
        !file_set.is_empty(),
        "the schema has known problems; finding none means the test checks nothing"
    );
    assert_eq!(
        file_set,
        live_set,
        "\nonly in the file: {:#?}\nonly live: {:#?}",
        file_set.difference(&live_set).collect::<Vec<_>>(),
        live_set.difference(&file_set).collect::<Vec<_>>()
    );
    // The same messages too.
    let messages = |ds: &[steward_core::Diagnostic]| {
        ds.iter()
            .map(|d| (d.rule, d.message.clone()))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(messages(&from_file), messages(&from_live));
    assert_eq!(stats.queries, steward_pg::catalog::QUERIES.len());
    // Live findings have no file location.
    assert!(from_live.iter().all(|d| d.location.is_none()));
    // Routine parameters come from the catalog.
    let rewards = model
        .functions
        .iter()
        .find(|f| f.name.name == "rewards_report")
        .unwrap();
    assert_eq!(
        rewards.parameters[0],
        ("min_monthly_purchases".to_string(), "integer".to_string())
    );

    // And through `steward audit` itself (connection, read-only transaction, live checks on):
    // the schema-rule findings are the same ones.
    let params = steward_pg::connect::Params::resolve(&db.conninfo(), &|_| None).unwrap();
    let conn = steward_pg::connect::connect(&params, &Default::default())
        .await
        .unwrap();
    let mut enabled: Vec<&'static str> = rules.iter().map(|r| r.meta().id).collect();
    enabled.extend(steward_pg::checks::all().iter().map(|c| c.meta().id));
    let run = steward_pg::audit::run(
        &conn,
        &steward_pg::audit::AuditOptions {
            enabled,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let schema_ids: BTreeSet<&str> = rules.iter().map(|r| r.meta().id).collect();
    let audit_set: BTreeSet<_> = run
        .report
        .diagnostics
        .iter()
        .filter(|d| schema_ids.contains(d.rule))
        .map(key)
        .collect();
    assert_eq!(file_set, audit_set);
}

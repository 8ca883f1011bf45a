//! Layer (d): the start-up role check tells a superuser or a role with write privileges from
//! a least-privilege one.

use crate::common::Bank;
use steward_mcp::role::RoleCheck;

#[tokio::test]
async fn superuser_and_writers_are_flagged_least_privilege_is_not() {
    let bank = Bank::new("mcp_role");
    let su = bank.executor(true, Default::default()).await;
    let check = su
        .in_transaction("", async |tx| RoleCheck::read(tx).await)
        .await
        .unwrap();
    assert!(check.superuser && check.can_write());
    assert!(
        check.problems()[0].contains("SUPERUSER"),
        "{:?}",
        check.problems()
    );

    let least = bank.executor(false, Default::default()).await;
    let check = least
        .in_transaction("", async |tx| RoleCheck::read(tx).await)
        .await
        .unwrap();
    assert!(!check.can_write(), "{:?}", check.problems());
    assert_eq!(check.role, bank.role);

    // A writer: INSERT on one table and CREATE on the schema.
    bank.db
        .exec(&format!(
            "GRANT INSERT ON transfers TO \"{r}\"; GRANT CREATE ON SCHEMA public TO \"{r}\"",
            r = bank.role
        ))
        .unwrap();
    let check = least
        .in_transaction("", async |tx| RoleCheck::read(tx).await)
        .await
        .unwrap();
    assert!(check.can_write());
    assert_eq!(check.writable_tables, vec!["public.transfers".to_string()]);
    assert_eq!(check.create_schemas, vec!["public".to_string()]);
    let problems = check.problems().join("\n");
    assert!(
        problems.contains("INSERT/UPDATE/DELETE/TRUNCATE 1 table(s)"),
        "{problems}"
    );
    assert!(
        problems.contains("CREATE in schema(s) public"),
        "{problems}"
    );
}

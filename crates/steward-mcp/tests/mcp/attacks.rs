//! The attack suite (`attacks.txt`): every case through the full path (validator, then
//! executor) and, for what the validator stops, through the executor alone — as the
//! least-privilege role and as a superuser. After each case the database and catalog
//! checksum must be unchanged, no file may have been written, and no advisory lock,
//! notification, LISTEN, cursor or setting may remain.

use crate::common::{attack_limits, checksum, Bank};
use std::time::{Duration, Instant};
use steward_mcp::executor::{ExecError, Executor};
use steward_mcp::readonly::{validate, Policy};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Refused,
    /// Refused; the executor alone is not run as a superuser.
    RefusedSuperuserNeedsValidator,
    Allowed,
    Harmless,
    Timeout,
    Capped,
}

struct Case {
    line: usize,
    expect: Expect,
    category: String,
    sql: String,
}

fn cases() -> Vec<Case> {
    include_str!("attacks.txt")
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let mut parts = l.splitn(3, " | ");
            let expect = match parts.next().unwrap().trim() {
                "refused" => Expect::Refused,
                "refused!" => Expect::RefusedSuperuserNeedsValidator,
                "allowed" => Expect::Allowed,
                "harmless" => Expect::Harmless,
                "timeout" => Expect::Timeout,
                "capped" => Expect::Capped,
                other => panic!("attacks.txt:{}: unknown expectation `{other}`", i + 1),
            };
            Case {
                line: i + 1,
                expect,
                category: parts.next().unwrap().trim().to_string(),
                sql: parts.next().unwrap().to_string(),
            }
        })
        .collect()
}

#[test]
fn the_suite_has_at_least_100_cases_in_every_category() {
    let cases = cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    for needed in [
        "multi-statement",
        "transaction",
        "data-modifying-cte",
        "select-into",
        "copy",
        "do",
        "function-in-from",
        "function-in-subquery",
        "function-in-order-by",
        "function-in-window",
        "function-in-cte",
        "function-in-lateral",
        "function-in-case",
        "function-in-cast",
        "quoting",
        "prepare",
        "cursor",
        "notify",
        "advisory-lock",
        "sleep",
        "exhaustion",
        "huge-result",
    ] {
        assert!(
            cases.iter().any(|c| c.category == needed),
            "no `{needed}` case"
        );
    }
}

/// Everything a case must leave as it was.
struct State {
    checksum: String,
}

async fn assert_unchanged(
    bank: &Bank,
    admin: &steward_pg::connect::Connection,
    before: &State,
    executors: &[(&str, &Executor)],
    pwn: &str,
    what: &str,
) {
    assert_eq!(
        checksum(admin).await,
        before.checksum,
        "{what}: the database or its catalog changed"
    );
    assert!(
        !std::path::Path::new(pwn).exists(),
        "{what}: a file was written"
    );
    let row = admin
        .client
        .query_one(
            "SELECT (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                      WHERE l.locktype = 'advisory' AND d.datname = current_database()),
                    pg_notification_queue_usage()",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 0, "{what}: an advisory lock remains");
    assert_eq!(
        row.get::<_, f64>(1),
        0.0,
        "{what}: a notification is queued"
    );
    // Each session is back to how it started.
    for (who, executor) in executors {
        let r = executor
            .run(
                "SELECT current_setting('default_transaction_read_only'), current_setting('search_path'),
                        session_user = current_user, (SELECT count(*) FROM pg_listening_channels()),
                        (SELECT count(*) FROM pg_cursors WHERE name !~ '^p[0-9]+$')",
                1,
            )
            .await
            .unwrap_or_else(|e| panic!("{what}: the {who} session is unusable afterwards: {e}"));
        let row = &r.rows[0];
        assert_eq!(
            row[0], "on",
            "{what}: {who} session not read-only afterwards"
        );
        assert_eq!(
            row[1], "\"$user\", public",
            "{what}: {who} search_path changed"
        );
        assert_eq!(row[2], true, "{what}: {who} role changed");
        assert_eq!(row[3], 0, "{what}: {who} still listens");
        assert_eq!(row[4], 0, "{what}: {who} has an open cursor");
    }
    let _ = bank;
}

fn timed_out(e: &ExecError) -> bool {
    e.code() == Some("57014")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attack_is_refused_or_harmless() {
    let bank = Bank::new("mcp_attacks");
    let admin = bank.admin().await;
    let least = bank.executor(false, attack_limits()).await;
    let superuser = bank.executor(true, attack_limits()).await;
    // Results that must come back get time to, also on a loaded machine; attacks that must
    // time out, and the executor alone, use the tight limits.
    let roomy = steward_mcp::executor::Limits {
        statement_timeout: Duration::from_secs(10),
        ..attack_limits()
    };
    let least_roomy = bank.executor(false, roomy.clone()).await;
    let superuser_roomy = bank.executor(true, roomy).await;
    let executors = [("least-privilege", &least), ("superuser", &superuser)];
    let roomy_executors = [
        ("least-privilege", &least_roomy),
        ("superuser", &superuser_roomy),
    ];
    let all_executors = [
        executors[0],
        executors[1],
        roomy_executors[0],
        roomy_executors[1],
    ];
    let before = State {
        checksum: checksum(&admin).await,
    };
    let pwn = format!("/tmp/steward-mcp-pwn-{}", bank.db.name);
    let policy = Policy::default();
    let mut counts = std::collections::BTreeMap::new();
    for case in cases() {
        let sql = case.sql.replace("{pwn}", &pwn);
        let what = format!("attacks.txt:{} `{}`", case.line, case.sql);
        *counts.entry(format!("{:?}", case.expect)).or_insert(0) += 1;
        let checked = validate(&sql, policy);
        match (&checked, case.expect) {
            (Err(refusal), Expect::Refused | Expect::RefusedSuperuserNeedsValidator) => {
                // A refusal names the construct, never the text's literals.
                let message = refusal.to_string();
                for literal in steward_mcp::redact::literals(&sql) {
                    if literal.len() >= 4 {
                        assert!(
                            !message.contains(&literal),
                            "{what}: refusal echoes a literal: {message}"
                        );
                    }
                }
            }
            (Ok(_), Expect::Refused | Expect::RefusedSuperuserNeedsValidator) => {
                panic!("{what}: the validator let it through")
            }
            (Err(e), Expect::Allowed | Expect::Timeout | Expect::Capped) => {
                panic!("{what}: refused, but it is harmless: {e}")
            }
            _ => {}
        }
        // The full path, as both roles.
        if let Ok(ok) = &checked {
            let path = match case.expect {
                Expect::Timeout => executors,
                _ => roomy_executors,
            };
            for (who, executor) in path {
                let started = Instant::now();
                let result = executor.run(&ok.sql, 1000).await;
                let took = started.elapsed();
                assert!(
                    took < Duration::from_secs(12),
                    "{what}: {who} took {took:?}"
                );
                match case.expect {
                    Expect::Allowed => {
                        result.unwrap_or_else(|e| panic!("{what}: {who} failed: {e}"));
                    }
                    Expect::Timeout => {
                        let e = result.err().unwrap_or_else(|| {
                            panic!("{what}: {who} finished instead of timing out")
                        });
                        assert!(timed_out(&e), "{what}: {who}: {e}");
                    }
                    Expect::Capped => {
                        let r = result.unwrap_or_else(|e| panic!("{what}: {who} failed: {e}"));
                        assert!(r.truncated, "{what}: {who} was not truncated");
                        assert!(r.rows.len() <= 1000);
                    }
                    _ => {}
                }
            }
        }
        // The later layers on their own, for what the validator stops.
        if checked.is_err() {
            let alone: &[(&str, &Executor)] = match case.expect {
                Expect::RefusedSuperuserNeedsValidator => &executors[..1],
                _ => &executors,
            };
            for (who, executor) in alone {
                let started = Instant::now();
                let outcome = executor.run(&sql, 1000).await;
                let took = started.elapsed();
                let key = match outcome {
                    Ok(_) => format!("executor alone as {who}: ran (harmlessly)"),
                    Err(_) => format!("executor alone as {who}: server refused"),
                };
                *counts.entry(key).or_insert(0) += 1;
                assert!(
                    took < Duration::from_secs(5),
                    "{what}: executor alone as {who} took {took:?}"
                );
            }
        }
        assert_unchanged(&bank, &admin, &before, &all_executors, &pwn, &what).await;
    }
    eprintln!("attack suite: {counts:#?}");
}

//! Applying a script to a live database: its transactions in one transaction each, its
//! concurrent index builds one by one after them.

use crate::script::{Script, Step};
use steward_pg::connect::Connection;

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("step {step} failed and was rolled back (nothing of it was applied): {message}")]
    Transaction { step: usize, message: String },
    #[error("step {step} ({sql}) failed: {message}{cleanup}")]
    Concurrent {
        step: usize,
        sql: String,
        message: String,
        cleanup: String,
    },
}

/// What was applied.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub transactions: usize,
    pub statements: usize,
    pub concurrent: usize,
}

/// Runs the script. Steps before a failing one stay applied (they were committed); the
/// failing transaction is rolled back entirely; an index a failed concurrent build left
/// invalid is dropped so a re-run can build it again.
pub async fn apply(conn: &mut Connection, script: &Script) -> Result<Applied, ApplyError> {
    let mut applied = Applied::default();
    for (i, step) in script.steps.iter().enumerate() {
        let step_no = i + 1;
        match step {
            Step::Transaction(statements) if statements.is_empty() => {}
            Step::Transaction(statements) => {
                let run = async {
                    let tx = conn.client.transaction().await?;
                    tx.batch_execute("SET LOCAL lock_timeout = '5s'").await?;
                    for s in statements {
                        tx.batch_execute(s).await?;
                    }
                    tx.commit().await
                };
                run.await.map_err(|e| ApplyError::Transaction {
                    step: step_no,
                    message: steward_pg::error_text(&e),
                })?;
                applied.transactions += 1;
                applied.statements += statements.len();
            }
            Step::Concurrent { sql, index } => {
                // A concurrent build waits for running transactions but blocks nobody: no
                // statement timeout for it, only the lock timeout.
                // (Sent alone: several statements in one message form an implicit
                // transaction, which CREATE INDEX CONCURRENTLY refuses.)
                let result = async {
                    conn.client
                        .batch_execute("SET statement_timeout = 0")
                        .await?;
                    conn.client.batch_execute("SET lock_timeout = '5s'").await?;
                    conn.client.batch_execute(sql).await
                }
                .await;
                if let Err(e) = result {
                    let mut cleanup = String::new();
                    if let Some(index) = index {
                        let drop = format!("DROP INDEX CONCURRENTLY IF EXISTS {index}");
                        cleanup = match conn.client.batch_execute(&drop).await {
                            Ok(()) => format!("; the invalid index {index} it left was dropped"),
                            Err(_) => format!("; drop the invalid index it may have left: {drop}"),
                        };
                    }
                    return Err(ApplyError::Concurrent {
                        step: step_no,
                        sql: sql.lines().next().unwrap_or_default().to_string(),
                        message: steward_pg::error_text(&e),
                        cleanup,
                    });
                }
                applied.concurrent += 1;
                applied.statements += 1;
            }
        }
    }
    Ok(applied)
}

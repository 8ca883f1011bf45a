//! Background sessions: a psql process kept alive so a test can hold a transaction open, keep a
//! lock, or run a long query while steward looks at the server.

use crate::Error;
use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A connection held open by a psql process; killed (and so disconnected) on drop.
#[derive(Debug)]
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The session's `application_name`, unique, to find it in `pg_stat_activity`.
    pub application_name: String,
}

impl Session {
    pub(crate) fn open(mut cmd: Command) -> Result<Session, Error> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let application_name = format!(
            "testkit-session-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut child = cmd
            .env("PGAPPNAME", &application_name)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        Ok(Session {
            child,
            stdin,
            application_name,
        })
    }

    /// Sends SQL to the session without waiting for it to run; pair it with
    /// [`crate::Database::wait_until`] on `pg_stat_activity` to know when it has.
    pub fn send(&mut self, sql: &str) -> Result<(), Error> {
        let stdin = self.stdin.as_mut().ok_or_else(|| Error::Command {
            what: "session".into(),
            detail: "already closed".into(),
        })?;
        stdin.write_all(sql.as_bytes())?;
        stdin.write_all(b"\n")?;
        stdin.flush()?;
        Ok(())
    }

    /// A condition for [`crate::Database::wait_until`]: this session is in `state`
    /// (`idle in transaction`, `active`, …).
    pub fn in_state(&self, state: &str) -> String {
        format!(
            "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = '{}' AND state = '{}')",
            self.application_name,
            state.replace('\'', "''")
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stdin.take();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

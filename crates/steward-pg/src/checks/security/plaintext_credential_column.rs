use crate::checks::prelude::*;
use crate::privacy::sample::{ColumnSample, Outcome};
use steward_privacy::{Protection, ValueKind};
use steward_rules::rules::privacy::pii::{self, PiiClass};

declare_rule! {
    /// Finds columns whose sampled values are unhashed passwords or live credentials.
    ///
    /// ## What it does
    /// Opt-in (`--sample N` on `steward audit` or `steward privacy`): reads a small sample of
    /// each text column, read-only and time-boxed, and reports columns where most values are
    /// plaintext passwords (in a column named like a password, including one named
    /// `password_hash`), vendor API keys (AWS, GitHub, Slack, Stripe, Google…), JSON web tokens,
    /// or high-entropy tokens in a column named like a secret. It counts matches; it never
    /// prints a value. Without `--sample` the check is listed as not checked.
    ///
    /// ## Why it matters
    /// Anyone who can read the table, a backup, a replica or a log of it can log in as every
    /// user or call the vendor's API as you. Password reuse makes a plaintext password a key
    /// to other services too; breach notification duties apply (GDPR Art. 33/34).
    ///
    /// ## Example
    /// `plaintext-credential-column: app.users.password holds plaintext passwords (48 of 50 sampled values; no value shown)`
    ///
    /// ## Fix
    /// Store a slow salted hash (argon2id or bcrypt in the application, or pgcrypto's
    /// `crypt(pw, gen_salt('bf'))`) and compare hashes; store a SHA-256 digest of API tokens
    /// and look them up by digest; keep third-party keys in a secret manager. Then rotate
    /// every credential that was stored in plaintext.
    pub struct PlaintextCredentialColumn {
        id: "plaintext-credential-column",
        category: Security,
        severity: Error,
        dialects: [Postgres],
        scope: Live,
    }
}

impl LiveCheck for PlaintextCredentialColumn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn source(&self, _: &ServerFacts) -> Source {
        Source::Skip(
            "reads column values: opt in with --sample N (read-only, time-boxed, no value is printed)"
                .to_string(),
        )
    }

    fn evaluate(&self, _: &[Row], _: &CheckCtx, _: &mut Vec<Diagnostic>) -> Result<(), RowError> {
        Ok(())
    }
}

/// The findings for sampled columns (the audit and `steward privacy` both call this).
pub fn findings(samples: &[ColumnSample]) -> Vec<Diagnostic> {
    let meta = &PlaintextCredentialColumn::META;
    let mut out = Vec::new();
    for sample in samples {
        let Outcome::Sampled { findings, .. } = &sample.outcome else {
            continue;
        };
        // A random-looking token is a credential only where the name says so (a random id
        // under a neutral name is not).
        let credential_name = pii::classify_column(&sample.table.name, &sample.column, None)
            .is_some_and(|c| c.class == PiiClass::Secret);
        for f in findings {
            if f.protection != Protection::Plaintext || f.json_path.is_some() {
                continue;
            }
            let what = match f.kind {
                ValueKind::PlaintextPassword => "plaintext passwords",
                ValueKind::ApiKey => "API keys in plaintext",
                ValueKind::Jwt => "JSON web tokens in plaintext",
                ValueKind::GenericToken if credential_name => "secret tokens in plaintext",
                _ => continue,
            };
            let object = format!("{}.{}", sample.table, ident(&sample.column));
            out.push(
                meta.diag(format!(
                    "{object} holds {what} ({} of {} sampled values; no value shown)",
                    f.evidence.matched, f.evidence.non_null
                ))
                .object(object)
                .help("Anyone who can read this table, a backup, a replica or a log of it can use these credentials. Store a salted slow hash (argon2id, bcrypt) for passwords and a SHA-256 digest for tokens, then rotate every credential that was stored in plaintext."),
            );
        }
    }
    out
}

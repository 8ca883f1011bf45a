use super::pii::{classify_column, PiiKind, Protection};
use crate::prelude::*;
use steward_core::model::{Column, ConstraintKind, Table, TableKind, TypeFamily};

declare_rule! {
    /// Finds passwords, tokens, API keys, government ids and card numbers stored as plain text.
    ///
    /// ## What it does
    /// Classifies every column by its name (word by word: `password`, `api_key`,
    /// `reset_token`, `ssn`, `passport_number`, `card_number`, `cvv`…) and reports those stored
    /// in a character type (`text`, `varchar`, `char`, `nvarchar`…) when nothing says the value
    /// is protected. Not reported: names that say so (`password_hash`, `token_digest`,
    /// `ssn_encrypted`, `api_key_enc`, `card_number_last4`), binary columns (`bytea`,
    /// `varbinary`), a column whose comment or CHECK constraint says it holds a hash or
    /// ciphertext, a password column whose length is that of a hex or bcrypt digest (32, 40,
    /// 60, 64, 128 characters), a token or key column of a SHA hex length (40, 64, 128), and
    /// the token columns that Devise and Laravel fill with digests (`reset_password_token`,
    /// `unlock_token`, `password_resets.token`, `personal_access_tokens.token`).
    ///
    /// ## Why it matters
    /// Whoever reads the table — a leaked backup, a replica, a support engineer, an SQL
    /// injection — reads every user's credentials, and people reuse passwords: one leak opens
    /// their mail and bank accounts. Breach notification duties (GDPR Art. 33/34), PCI DSS
    /// (card numbers must be unreadable, CVV must never be stored) and fines follow. A hash
    /// costs one function call at login.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE app_user (id bigint PRIMARY KEY, email text, password varchar(100));
    /// ```
    ///
    /// ## Fix
    /// Store a slow, salted hash (bcrypt through pgcrypto, or argon2id in the application):
    /// ```sql
    /// CREATE EXTENSION IF NOT EXISTS pgcrypto;
    /// ALTER TABLE app_user ADD COLUMN password_hash text;
    /// UPDATE app_user SET password_hash = crypt(password, gen_salt('bf')) WHERE password IS NOT NULL;
    /// ALTER TABLE app_user DROP COLUMN password;
    /// -- login: SELECT id FROM app_user WHERE email = $1 AND password_hash = crypt($2, password_hash);
    /// ```
    /// Tokens you issue: store `sha256()` of them and compare digests. Values you must read
    /// back (government ids, third-party keys): encrypt them with a key kept outside the
    /// database. Card numbers: keep the payment provider's token and the last four digits.
    pub struct SensitiveColumnPlaintext {
        id: "sensitive-column-plaintext",
        category: Privacy,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for SensitiveColumnPlaintext {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let dialect = ctx.model.dialect;
        for table in ctx.model.tables.values() {
            if table.kind == TableKind::Foreign || table.partition_of.is_some() {
                continue;
            }
            for column in &table.columns {
                let Some(kind) = plaintext_secret(table, column) else {
                    continue;
                };
                out.push(finding(table, column, kind, dialect));
            }
        }
    }
}

/// The kind of secret a column stores in plain text, if it does.
fn plaintext_secret(table: &Table, column: &Column) -> Option<PiiKind> {
    let data_type = column.data_type.as_ref()?;
    if data_type.family != TypeFamily::Text || data_type.is_array() {
        return None;
    }
    let pii = classify_column(&table.name.name, &column.name, Some(data_type))?;
    if pii.protection != Protection::None {
        return None;
    }
    let kind = pii.kind;
    if !matches!(
        kind,
        PiiKind::Password
            | PiiKind::Token
            | PiiKind::ApiKey
            | PiiKind::Secret
            | PiiKind::NationalId
            | PiiKind::Passport
            | PiiKind::CardNumber
    ) {
        return None;
    }
    if digest_length(kind, data_type) || framework_digest(&table.name.name, &column.name) {
        return None;
    }
    if says_protected(column.comment.as_deref()) || says_protected(column.generated.as_deref()) {
        return None;
    }
    let checked = table.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::Check { expression } => {
            mentions(expression, &column.name) && check_says_protected(expression)
        }
        _ => false,
    });
    (!checked).then_some(kind)
}

/// A fixed length that says the value is a digest: for passwords md5/sha1/sha256/sha512 hex
/// and bcrypt (32, 40, 64, 128, 60); for tokens and keys only sha1/sha256/sha512 hex (a random
/// token is often 32 characters).
fn digest_length(kind: PiiKind, t: &steward_core::model::ColumnType) -> bool {
    let Some(n) = t.modifiers.as_deref().and_then(|m| m.parse::<u32>().ok()) else {
        return false;
    };
    match kind {
        PiiKind::Password => matches!(n, 32 | 40 | 60 | 64 | 128),
        PiiKind::Token | PiiKind::ApiKey => matches!(n, 40 | 64 | 128),
        _ => false,
    }
}

/// Columns that well-known frameworks fill with digests although their names say `token`:
/// Devise (`reset_password_token`, `unlock_token`), Laravel (`password_resets.token`,
/// `password_reset_tokens.token`, `personal_access_tokens.token`).
fn framework_digest(table: &str, column: &str) -> bool {
    let column = column.to_ascii_lowercase();
    let table = table.to_ascii_lowercase();
    matches!(column.as_str(), "reset_password_token" | "unlock_token")
        || (column == "token"
            && matches!(
                table.as_str(),
                "password_resets" | "password_reset_tokens" | "personal_access_tokens"
            ))
}

fn says_protected(text: Option<&str>) -> bool {
    let Some(text) = text else { return false };
    let lower = text.to_lowercase();
    [
        "hash", "bcrypt", "argon", "scrypt", "pbkdf2", "digest", "crypt", "cipher", "sha2",
        "sha-2", "sha256", "sha-256", "sha512",
    ]
    .iter()
    .any(|w| lower.contains(w))
        && !lower.contains("not hash")
        && !lower.contains("unhashed")
        && !lower.contains("not encrypt")
        && !lower.contains("unencrypted")
}

/// A CHECK that pins the value to a hash format: `password ~ '^\$2[aby]\$'`,
/// `length(password) = 60`, `password LIKE '$argon2%'`.
fn check_says_protected(expression: &str) -> bool {
    let lower = expression.to_lowercase();
    says_protected(Some(&lower))
        || lower.contains("$2a$")
        || lower.contains("$2b$")
        || lower.contains("$2y$")
        || lower.contains("\\$2")
        || lower.contains("$argon2")
        || ["= 60", "= 64", "= 128", "=60", "=64", "=128"]
            .iter()
            .any(|n| lower.contains(n))
}

fn mentions(expression: &str, column: &str) -> bool {
    let words = super::pii::words(expression);
    let wanted = super::pii::words(column);
    !wanted.is_empty()
        && words
            .windows(wanted.len())
            .any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
}

fn finding(table: &Table, column: &Column, kind: PiiKind, dialect: Dialect) -> Diagnostic {
    let object = table.name.column_display(&column.name, dialect);
    let type_text = column
        .data_type
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (why, fix) = match dialect {
        Dialect::Postgres => postgres_fix(table, column, kind),
        Dialect::Tsql => tsql_fix(table, column, kind),
    };
    SensitiveColumnPlaintext::META
        .diag(format!(
            "{object} ({}) is stored as plain {type_text}",
            kind.label()
        ))
        .at(column.origin.location().cloned())
        .object(object)
        .help(why)
        .fix(fix)
}

/// A new column name next to `name`, in the column's own style.
fn sibling(name: &str, suffix_snake: &str, suffix_pascal: &str) -> String {
    let pascal = name.chars().next().is_some_and(char::is_uppercase) && !name.contains('_');
    if pascal {
        format!("{name}{suffix_pascal}")
    } else {
        format!("{name}_{suffix_snake}")
    }
}

/// Card verification codes (CVV/CVC) must not be stored at all.
fn verification_code(column: &Column) -> bool {
    super::pii::words(&column.name).iter().any(|w| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_digit());
        matches!(w, "cvv" | "cvc" | "security" | "verification")
    })
}

const CVV_HELP: &str = "PCI DSS forbids storing card verification codes after authorisation, even encrypted: pass them to the payment provider and drop the column";

fn postgres_fix(table: &Table, column: &Column, kind: PiiKind) -> (String, String) {
    let t = &table.name;
    let c = quote_ident(&column.name);
    if kind == PiiKind::CardNumber && verification_code(column) {
        return (CVV_HELP.into(), format!("ALTER TABLE {t} DROP COLUMN {c};"));
    }
    match kind {
        PiiKind::Password => {
            let h = quote_ident(&sibling(&column.name, "hash", "Hash"));
            (
                "anyone who can read this table (a backup, a replica, an injection) reads every password, and people reuse them elsewhere; store a slow salted hash (bcrypt via pgcrypto, or argon2id in the application) and compare hashes at login".into(),
                format!(
                    "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nALTER TABLE {t} ADD COLUMN {h} text;\nUPDATE {t} SET {h} = crypt({c}, gen_salt('bf')) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};\n-- verify: WHERE {h} = crypt($1, {h})"
                ),
            )
        }
        PiiKind::Token | PiiKind::ApiKey => {
            let h = quote_ident(&sibling(&column.name, "sha256", "Sha256"));
            (
                "a leaked copy of this table lets anyone act as the token's owner; store a SHA-256 digest of tokens and keys you issue and compare digests (encrypt instead only if the application must read a third-party key back)".into(),
                format!(
                    "ALTER TABLE {t} ADD COLUMN {h} bytea;\nUPDATE {t} SET {h} = sha256(convert_to({c}, 'UTF8')) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};\n-- lookup: WHERE {h} = sha256(convert_to($1, 'UTF8'))"
                ),
            )
        }
        PiiKind::CardNumber => {
            let last4 = quote_ident(&sibling(&column.name, "last4", "Last4"));
            (
                "PCI DSS requires stored card numbers to be unreadable and forbids storing verification codes at all; keep the payment provider's token and the last four digits instead".into(),
                format!(
                    "ALTER TABLE {t} ADD COLUMN {last4} char(4);\nUPDATE {t} SET {last4} = right({c}, 4) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
        _ => {
            let e = quote_ident(&sibling(&column.name, "encrypted", "Encrypted"));
            (
                format!(
                    "a {} identifies a person for life and enables identity theft; encrypt it with a key kept outside the database (or drop it if it is not needed)",
                    kind.label()
                ),
                format!(
                    "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nALTER TABLE {t} ADD COLUMN {e} bytea;\n-- the key comes from the application's secret store, never from a table\nUPDATE {t} SET {e} = pgp_sym_encrypt({c}, current_setting('app.encryption_key')) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
    }
}

fn tsql_fix(table: &Table, column: &Column, kind: PiiKind) -> (String, String) {
    let dialect = Dialect::Tsql;
    let t = table.name.display(dialect);
    let c = steward_core::model::bracket_ident(&column.name);
    if kind == PiiKind::CardNumber && verification_code(column) {
        return (CVV_HELP.into(), format!("ALTER TABLE {t} DROP COLUMN {c};"));
    }
    match kind {
        PiiKind::Password => {
            let h = steward_core::model::bracket_ident(&sibling(&column.name, "hash", "Hash"));
            (
                "anyone who can read this table (a backup, a replica, an injection) reads every password, and people reuse them elsewhere; SQL Server has no slow password hash, so hash with argon2id or bcrypt in the application and store only the hash".into(),
                format!(
                    "ALTER TABLE {t} ADD {h} varchar(255) NULL; -- argon2id/bcrypt hash written by the application\n-- once every password has been re-hashed:\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
        PiiKind::Token | PiiKind::ApiKey => {
            let h = steward_core::model::bracket_ident(&sibling(&column.name, "sha256", "Sha256"));
            (
                "a leaked copy of this table lets anyone act as the token's owner; store a SHA-256 digest of tokens and keys you issue and compare digests".into(),
                format!(
                    "ALTER TABLE {t} ADD {h} varbinary(32) NULL;\nUPDATE {t} SET {h} = HASHBYTES('SHA2_256', {c}) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
        PiiKind::CardNumber => {
            let last4 =
                steward_core::model::bracket_ident(&sibling(&column.name, "last4", "Last4"));
            (
                "PCI DSS requires stored card numbers to be unreadable and forbids storing verification codes at all; keep the payment provider's token and the last four digits instead".into(),
                format!(
                    "ALTER TABLE {t} ADD {last4} char(4) NULL;\nUPDATE {t} SET {last4} = RIGHT({c}, 4) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
        _ => {
            let e = steward_core::model::bracket_ident(&sibling(
                &column.name,
                "encrypted",
                "Encrypted",
            ));
            (
                format!(
                    "a {} identifies a person for life and enables identity theft; encrypt it (Always Encrypted, or a symmetric key) or drop it if it is not needed",
                    kind.label()
                ),
                format!(
                    "ALTER TABLE {t} ADD {e} varbinary(256) NULL;\n-- after OPEN SYMMETRIC KEY PiiKey DECRYPTION BY CERTIFICATE PiiCert;\nUPDATE {t} SET {e} = ENCRYPTBYKEY(KEY_GUID('PiiKey'), {c}) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                ),
            )
        }
    }
}

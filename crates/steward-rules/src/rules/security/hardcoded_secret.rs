use super::tokens::{call_args, literal, tokens};
use crate::prelude::*;
use sqlparser::tokenizer::Token;

declare_rule! {
    /// Finds passwords and encryption keys written as string literals.
    ///
    /// ## What it does
    /// Reports a string literal used as a secret: `PASSWORD '…'` in `CREATE/ALTER ROLE|USER`,
    /// T-SQL `CREATE LOGIN … WITH PASSWORD = '…'`, `ENCRYPTION BY PASSWORD = '…'`,
    /// `DECRYPTION BY PASSWORD = '…'` and `SECRET = '…'`; and the key or password argument of
    /// pgcrypto functions (`pgp_sym_encrypt`, `pgp_sym_decrypt`, `pgp_pub_decrypt`, `encrypt`,
    /// `decrypt`, `encrypt_iv`, `decrypt_iv`, `hmac`), the cleartext given to `crypt`, and T-SQL
    /// `ENCRYPTBYPASSPHRASE`/`DECRYPTBYPASSPHRASE`. Routine bodies are scanned too. The secret
    /// itself is never printed.
    ///
    /// ## Why it matters
    /// A secret in SQL is copied into version control, CI logs, the server log
    /// (`log_statement`), `pg_stat_statements` and every backup. Anyone with read access to any
    /// of those can decrypt the data or log in; rotating it means finding every copy.
    ///
    /// ## Example
    /// ```sql
    /// CREATE ROLE app LOGIN PASSWORD 'correct horse battery staple';
    /// SELECT pgp_sym_decrypt(ssn_encrypted, 'my-static-key') FROM person;
    /// ```
    ///
    /// ## Fix
    /// Set passwords from the client without putting them in SQL (psql's `\password app`
    /// sends only a SCRAM verifier), and pass keys as parameters from a secret store:
    /// ```sql
    /// SELECT pgp_sym_decrypt(ssn_encrypted, $1) FROM person;
    /// ```
    pub struct HardcodedSecret {
        id: "hardcoded-secret",
        category: Security,
        severity: Error,
        dialects: [Postgres, Tsql],
        scope: Statement,
    }
}

/// Functions taking a secret, and which argument positions hold it.
const SECRET_ARGS: &[(&str, &[usize])] = &[
    ("pgp_sym_encrypt", &[1]),
    ("pgp_sym_encrypt_bytea", &[1]),
    ("pgp_sym_decrypt", &[1]),
    ("pgp_sym_decrypt_bytea", &[1]),
    ("pgp_pub_decrypt", &[1, 2]),
    ("pgp_pub_decrypt_bytea", &[1, 2]),
    ("encrypt", &[1]),
    ("decrypt", &[1]),
    ("encrypt_iv", &[1]),
    ("decrypt_iv", &[1]),
    ("hmac", &[1]),
    ("crypt", &[0]),
    ("encryptbypassphrase", &[0]),
    ("decryptbypassphrase", &[0]),
];

/// Words that make a following `PASSWORD`/`SECRET` literal a credential.
const CREDENTIAL_CONTEXT: &[&str] = &[
    "ROLE",
    "USER",
    "GROUP",
    "LOGIN",
    "KEY",
    "CERTIFICATE",
    "CREDENTIAL",
    "MASTER",
];

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        // Lexing is the cost of this rule: only statements that mention a secret's keyword or
        // a function taking one are lexed.
        let lower = ctx.statement.text.to_ascii_lowercase();
        if !["password", "secret", "crypt", "pgp_", "hmac", "passphrase"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return;
        }
        let toks = tokens(&ctx.statement.text, ctx.dialect());
        for (i, t) in toks.iter().enumerate() {
            let Some(word) = t.word() else { continue };
            if word == "PASSWORD" || word == "SECRET" {
                let mut j = i + 1;
                if matches!(toks.get(j).map(|t| &t.token), Some(Token::Eq)) {
                    j += 1;
                }
                let Some(lit) = toks.get(j) else { continue };
                let Some(value) = literal(lit) else { continue };
                if value.is_empty() || !in_credential_context(&toks[..i]) {
                    continue;
                }
                let hashed = value.starts_with("md5") && value.len() == 35
                    || value.starts_with("SCRAM-SHA-256$");
                let what = if hashed {
                    "a password verifier (hash) is written in SQL"
                } else {
                    "a literal password is written in SQL"
                };
                out.push(
                    Self::META
                        .diag(format!("{what} ({} …)", word.to_lowercase()))
                        .at(Some(ctx.statement.locate_bytes(lit.range.clone())))
                        .help("it ends up in version control, logs, pg_stat_statements and backups; set it from the client (psql `\\password`, a SCRAM verifier computed client-side) or from a secret store at deploy time")
                        .fix(match ctx.dialect() {
                            Dialect::Postgres => "-- in psql, prompts and sends only a SCRAM verifier:\n\\password <role>",
                            Dialect::Tsql => "-- supply the password at deploy time, e.g. a sqlcmd variable: PASSWORD = '$(AppLoginPassword)'",
                        }),
                );
                continue;
            }
            let lower = word.to_lowercase();
            let Some((_, positions)) = SECRET_ARGS.iter().find(|(f, _)| *f == lower) else {
                continue;
            };
            let Some((args, _)) = call_args(&toks, i + 1) else {
                continue;
            };
            for &k in *positions {
                let Some(arg) = args.get(k) else { continue };
                let [lit] = &toks[arg.clone()] else { continue };
                if literal(lit).is_none_or(str::is_empty) {
                    continue;
                }
                let role = if lower == "crypt" {
                    "password to hash"
                } else {
                    "key"
                };
                out.push(
                    Self::META
                        .diag(format!("{lower}() is given a literal {role}"))
                        .at(Some(ctx.statement.locate_bytes(lit.range.clone())))
                        .help("a key in SQL is copied into version control, the server log, pg_stat_statements and backups, and anyone who reads any of them can decrypt the data; pass it as a bind parameter from a secret store")
                        .fix(format!("-- pass the {role} as a parameter instead of a literal, e.g. {lower}(…, $1)")),
                );
            }
        }
    }
}

/// Whether the statement so far (back to the last `;`) creates or alters a credential.
fn in_credential_context(before: &[steward_sql::lex::Lexeme]) -> bool {
    before
        .iter()
        .rev()
        .take_while(|t| !matches!(t.token, Token::SemiColon))
        .filter_map(|t| t.word())
        .any(|w| CREDENTIAL_CONTEXT.contains(&w.as_str()))
}

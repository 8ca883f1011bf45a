use super::defined::defined_names;
use crate::prelude::*;
use std::collections::HashMap;

declare_rule! {
    /// Finds names written in mixed case without quotes, which PostgreSQL silently folds to lower case.
    ///
    /// ## What it does
    /// Reports a table, column, view, index, function, procedure or type defined with an
    /// unquoted name that mixes upper and lower case, such as `CREATE TABLE UserAccount` or
    /// `CREATE FUNCTION GetUser`. Quoted names (`"UserAccount"`) and names in one case
    /// (`user_account`, `USER_ACCOUNT`) are not reported.
    ///
    /// ## Why it matters
    /// PostgreSQL folds unquoted names to lower case, so the table is really `useraccount`.
    /// Everything that quotes identifiers — most ORMs and query builders, `pg_dump` readers,
    /// BI tools, a colleague who copies the name from the migration — asks for
    /// `"UserAccount"` and fails with `relation "UserAccount" does not exist`, usually in
    /// production code paths that were tested against another database. The name people read
    /// in the code is not the name in the catalog, which costs debugging time every time.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE UserAccount (Id bigint PRIMARY KEY, EmailAddress text);
    /// ```
    ///
    /// ## Fix
    /// Use snake_case, which is what the catalog shows anyway:
    /// ```sql
    /// CREATE TABLE user_account (id bigint PRIMARY KEY, email_address text);
    /// ```
    /// Unquoted callers keep working with either spelling only if they are updated to the new
    /// name; quote the name (`"UserAccount"`) only if every caller will quote it too.
    pub struct UnquotedMixedCaseIdentifier {
        id: "unquoted-mixed-case-identifier",
        category: Correctness,
        severity: Warning,
        dialects: [Postgres],
        scope: Statement,
    }
}

impl Rule for UnquotedMixedCaseIdentifier {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, ctx: &StatementCtx, out: &mut Vec<Diagnostic>) {
        let Some(ast) = ctx.statement.ast() else {
            return;
        };
        let names: Vec<_> = defined_names(ast, ctx.dialect())
            .into_iter()
            .filter(|n| n.ident.quote_style.is_none() && is_mixed_case(&n.ident.value))
            .collect();
        if names.is_empty() {
            return;
        }
        // One fix renames every such name of the statement, references inside it included.
        let renames: HashMap<String, String> = names
            .iter()
            .map(|n| (n.ident.value.to_lowercase(), snake_case(&n.ident.value)))
            .collect();
        let fix = rename_words(&ctx.statement.text, &renames);
        for name in names {
            let ident = name.ident;
            let folded = ident.value.to_lowercase();
            let snake = snake_case(&ident.value);
            let mut d = UnquotedMixedCaseIdentifier::META
                .diag(format!(
                    "{} name {} is not quoted, so PostgreSQL stores it as {folded}",
                    name.kind, ident.value
                ))
                .at(Some(ctx.statement.locate(ident.span)))
                .object(name.object)
                .help(format!(
                    "callers that quote identifiers (ORMs, tools) will ask for \"{}\" and not find it; name it {snake} (or quote it everywhere)",
                    ident.value
                ));
            if let Some(fix) = &fix {
                d = d.fix(fix.clone());
            }
            out.push(d);
        }
    }
}

/// `text` with every unquoted word whose lower-case form is a key replaced by its value.
fn rename_words(text: &str, renames: &HashMap<String, String>) -> Option<String> {
    let tokens = steward_sql::lex::lex(text, Dialect::Postgres, false).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for t in tokens {
        let sqlparser::tokenizer::Token::Word(w) = &t.token else {
            continue;
        };
        if w.quote_style.is_some() {
            continue;
        }
        if let Some(new) = renames.get(&w.value.to_lowercase()) {
            out.push_str(text.get(at..t.range.start)?);
            out.push_str(new);
            at = t.range.end;
        }
    }
    out.push_str(text.get(at..)?);
    Some(out.trim().to_string())
}

/// Whether a name has both upper- and lower-case letters.
fn is_mixed_case(name: &str) -> bool {
    name.chars().any(|c| c.is_uppercase()) && name.chars().any(|c| c.is_lowercase())
}

/// `GetUserByID` → `get_user_by_id`, `HTMLParser` → `html_parser`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary =
                prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_names() {
        assert_eq!(snake_case("GetUser"), "get_user");
        assert_eq!(snake_case("UserAccount"), "user_account");
        assert_eq!(snake_case("userID"), "user_id");
        assert_eq!(snake_case("HTMLParser"), "html_parser");
        assert_eq!(snake_case("Album_Id"), "album_id");
        assert_eq!(snake_case("Address2Line"), "address2_line");
    }

    #[test]
    fn mixed_case_needs_both_cases() {
        assert!(is_mixed_case("GetUser"));
        assert!(!is_mixed_case("USERS"));
        assert!(!is_mixed_case("users_2"));
    }
}

use crate::prelude::*;

declare_rule! {
    /// Finds SECURITY DEFINER functions without a fixed `search_path`.
    ///
    /// ## What it does
    /// Reports PostgreSQL functions and procedures declared `SECURITY DEFINER` that do not set
    /// `search_path` in their definition (`SET search_path = …` or `ALTER FUNCTION … SET`).
    ///
    /// ## Why it matters
    /// A SECURITY DEFINER function runs with its owner's privileges — often a superuser or the
    /// schema owner — but resolves unqualified names through the *caller's* search_path. A
    /// caller who can create a table, function or operator in any schema on that path (or a
    /// temporary table) can make the function run their code with the owner's rights: a
    /// privilege escalation (the CVE-2018-1058 class).
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION grant_credit(p_user bigint) RETURNS void
    ///     LANGUAGE sql SECURITY DEFINER AS $$ UPDATE account SET credit = credit + 10 WHERE id = p_user $$;
    /// ```
    ///
    /// ## Fix
    /// Pin the path (trusted schemas first, `pg_temp` last) and schema-qualify inside:
    /// ```sql
    /// ALTER FUNCTION grant_credit(bigint) SET search_path = pg_catalog, public, pg_temp;
    /// ```
    pub struct SecurityDefinerSearchPath {
        id: "security-definer-search-path",
        category: Security,
        severity: Warning,
        dialects: [Postgres],
        scope: Schema,
    }
}

impl Rule for SecurityDefinerSearchPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        for f in &ctx.model.functions {
            if !f.security_definer || f.sets_search_path() {
                continue;
            }
            let kind = if f.is_procedure {
                "PROCEDURE"
            } else {
                "FUNCTION"
            };
            let signature = format!("{}({})", f.name, argument_types(&f.arguments));
            let owner = f
                .owner
                .as_deref()
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_default();
            out.push(
                Self::META
                    .diag(format!(
                        "SECURITY DEFINER {} {signature} does not set search_path",
                        kind.to_lowercase()
                    ))
                    .at(f.origin.location().cloned())
                    .object(signature.clone())
                    .help(format!(
                        "it runs with its owner's privileges{owner} but resolves names through the caller's search_path, so a caller who can create objects on that path can run code as the owner; pin search_path (pg_temp last) and schema-qualify names"
                    ))
                    .fix(format!(
                        "ALTER {kind} {signature} SET search_path = pg_catalog, {}, pg_temp;",
                        quote_ident(&f.name.schema)
                    )),
            );
        }
    }
}

/// `a integer, OUT b text DEFAULT 'x'` → `integer, OUT text`: what ALTER FUNCTION accepts.
fn argument_types(arguments: &str) -> String {
    split_top_level(arguments)
        .into_iter()
        .map(|arg| {
            let arg = arg.trim();
            let arg = cut_default(arg);
            let words: Vec<&str> = arg.split_whitespace().collect();
            let (mode, rest) = match words.first().map(|w| w.to_ascii_uppercase()) {
                Some(m) if matches!(m.as_str(), "IN" | "OUT" | "INOUT" | "VARIADIC") => {
                    (format!("{m} "), &words[1..])
                }
                _ => (String::new(), &words[..]),
            };
            // `name type…` or just `type…`: a name is followed by more words.
            let ty = if rest.len() > 1 && !is_type_start(rest) {
                rest[1..].join(" ")
            } else {
                rest.join(" ")
            };
            format!("{mode}{ty}")
        })
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Multi-word types whose first word is not an argument name.
fn is_type_start(words: &[&str]) -> bool {
    let first = words[0].to_ascii_lowercase();
    matches!(
        first.as_str(),
        "double" | "character" | "timestamp" | "time" | "bit" | "interval"
    ) && words.len() > 1
        && matches!(
            words[1].to_ascii_lowercase().as_str(),
            "precision" | "varying" | "without" | "with" | "varying("
        )
}

fn cut_default(arg: &str) -> &str {
    let upper = arg.to_ascii_uppercase();
    let cut = [" DEFAULT ", "="]
        .iter()
        .filter_map(|k| upper.find(k))
        .min()
        .unwrap_or(arg.len());
    arg[..cut].trim_end()
}

pub(crate) fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::argument_types;

    #[test]
    fn signatures_for_alter_function() {
        assert_eq!(argument_types("p_user bigint"), "bigint");
        assert_eq!(argument_types("integer, text"), "integer, text");
        assert_eq!(
            argument_types("a numeric(10,2), OUT b text DEFAULT 'x', c double precision"),
            "numeric(10,2), OUT text, double precision"
        );
        assert_eq!(argument_types(""), "");
    }
}

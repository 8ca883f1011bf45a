use super::pii::classify_column;
use crate::prelude::*;
use sqlparser::tokenizer::Token;
use std::collections::{BTreeSet, HashMap};
use steward_core::model::{Function, Model, Table, Trigger};
use steward_sql::lex::{lex, Lexeme};

declare_rule! {
    /// Finds triggers that copy whole rows of tables holding personal data into log tables.
    ///
    /// ## What it does
    /// For every trigger on a table with personal-data columns (found by name and type:
    /// `email`, `phone`, `first_name`, `birth_date`, `password`…), looks at the trigger
    /// function (PostgreSQL) or the trigger body (T-SQL) for whole-row copies —
    /// `row_to_json(NEW)`, `to_jsonb(OLD)`, `hstore(NEW.*)`, `NEW.*`, `SELECT * FROM inserted`
    /// — in a routine that inserts into another table. A copy that takes every personal column
    /// out (`to_jsonb(NEW) - ARRAY['email', …]`, or `to_jsonb(NEW) - redacted` in a generic
    /// function whose trigger passes the personal columns as arguments, as `steward generate
    /// audit-trail` writes it) is not reported; neither are statement-level triggers (no row).
    ///
    /// ## Why it matters
    /// An audit log that stores whole rows keeps a copy of every version of every person's
    /// data, forever, in a table nobody thinks of when a person asks to be forgotten (GDPR
    /// Art. 17): the erasure is incomplete, the retention policy is broken, and the log —
    /// often readable by more people than the source table — becomes the place a breach
    /// leaks from. Deleted rows are copied too: the log is exactly what erasure must remove.
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
    /// BEGIN
    ///   INSERT INTO audit_log (table_name, op, row_data) VALUES (TG_TABLE_NAME, TG_OP, row_to_json(OLD));
    ///   RETURN OLD;
    /// END $$;
    /// CREATE TRIGGER customer_audit AFTER UPDATE OR DELETE ON customer
    ///   FOR EACH ROW EXECUTE FUNCTION audit_row();
    /// ```
    ///
    /// ## Fix
    /// Log keys and non-personal columns only, e.g. remove the personal keys from the copy:
    /// ```sql
    /// CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
    /// BEGIN
    ///   INSERT INTO audit_log (table_name, op, row_data)
    ///   VALUES (TG_TABLE_NAME, TG_OP, (to_jsonb(OLD) - ARRAY['email', 'phone', 'first_name', 'last_name'])::json);
    ///   RETURN OLD;
    /// END $$;
    /// ```
    /// Or keep the log, but erase a person's entries with their row (by key) and give the
    /// log a retention period.
    pub struct PiiInAuditLog {
        id: "pii-in-audit-log",
        category: Privacy,
        severity: Warning,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for PiiInAuditLog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_schema(&self, ctx: &ModelCtx, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        if model.triggers.is_empty() {
            return;
        }
        // Personal columns of every table with a trigger, and, per trigger function, the
        // personal columns of all the tables it serves (a generic audit function's fix must
        // drop the keys of each of them).
        let mut personal: HashMap<QualName, Vec<String>> = HashMap::new();
        let mut keys_by_function: HashMap<QualName, BTreeSet<String>> = HashMap::new();
        for trigger in &model.triggers {
            let Some(table) = model.table(&trigger.table) else {
                continue;
            };
            let columns = personal
                .entry(model.key(&table.name))
                .or_insert_with(|| personal_columns(table))
                .clone();
            if let Some(f) = trigger_function(model, trigger) {
                keys_by_function
                    .entry(model.key(&f.name))
                    .or_default()
                    .extend(columns);
            }
        }
        for trigger in &model.triggers {
            // Statement-level triggers (TRUNCATE) have no row to copy.
            if !trigger.for_each_row && trigger.body.is_none() {
                continue;
            }
            let Some(table) = model.table(&trigger.table) else {
                continue;
            };
            let columns = personal
                .get(&model.key(&table.name))
                .map_or(&[][..], Vec::as_slice);
            if columns.is_empty() {
                continue;
            }
            let function = trigger_function(model, trigger);
            let (body, language) = match (&trigger.body, function) {
                (Some(body), _) => (body.as_str(), "tsql"),
                (None, Some(f)) => match &f.body {
                    Some(body) => (body.as_str(), f.language.as_str()),
                    None => continue,
                },
                (None, None) => continue,
            };
            let Ok(tokens) = lex(body, model.dialect, false) else {
                continue;
            };
            let copies = whole_row_copies(&tokens, body);
            // A copy that removes every personal column (named in the text, or passed as the
            // trigger's arguments to a generic function) keeps no personal data.
            let removes_all = |c: &Copy| {
                c.removed.as_ref().is_some_and(|keys| {
                    let keys = if keys.is_empty() {
                        &trigger.arguments
                    } else {
                        keys
                    };
                    columns
                        .iter()
                        .all(|col| keys.iter().any(|k| k.eq_ignore_ascii_case(col)))
                })
            };
            if copies.is_empty() || copies.iter().all(removes_all) {
                continue;
            }
            let Some(target) = insert_target(&tokens, &table.name.name) else {
                continue;
            };
            let fix = match function {
                Some(f) if trigger.body.is_none() && language == "plpgsql" => {
                    let keys = keys_by_function
                        .get(&model.key(&f.name))
                        .map(|k| k.iter().cloned().collect::<Vec<_>>())
                        .unwrap_or_else(|| columns.to_vec());
                    rewritten_function(f, body, &copies, &keys)
                }
                _ => None,
            };
            out.push(finding(
                model, trigger, table, columns, &copies, &target, fix,
            ));
        }
    }
}

/// The trigger's function, for PostgreSQL triggers.
fn trigger_function<'a>(model: &'a Model, trigger: &'a Trigger) -> Option<&'a Function> {
    if trigger.body.is_some() || trigger.function.name.is_empty() {
        return None;
    }
    model
        .functions_named(&trigger.function)
        .next()
        .or_else(|| model.function_by_bare_name(&trigger.function.schema, &trigger.function.name))
}

/// Columns the classifier calls personal data (any class).
fn personal_columns(table: &Table) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| classify_column(&table.name.name, &c.name, c.data_type.as_ref()).is_some())
        .map(|c| c.name.clone())
        .collect()
}

/// One whole-row copy in a routine body.
struct Copy {
    /// Byte range in the body.
    range: std::ops::Range<usize>,
    /// The expression as written, e.g. `row_to_json(NEW)`.
    text: String,
    /// How to rewrite it without the personal keys, when it is a function call.
    rewrite: Option<Rewrite>,
    /// `to_jsonb(NEW) - …`: the keys taken out of the copy, when written as literals; `Some`
    /// of an empty list when they come from a variable (the trigger's arguments).
    removed: Option<Vec<String>>,
}

#[derive(Clone, Copy)]
enum Rewrite {
    /// `row_to_json(X)`, `to_json(X)`: json result.
    Json,
    /// `to_jsonb(X)`.
    Jsonb,
    /// `hstore(X)`.
    Hstore,
}

fn is_row_var(l: Option<&Lexeme>) -> Option<String> {
    let w = l?.word()?;
    matches!(w.as_str(), "NEW" | "OLD" | "INSERTED" | "DELETED").then_some(w)
}

fn is(l: Option<&Lexeme>, token: &Token) -> bool {
    l.is_some_and(|l| &l.token == token)
}

/// Finds `row_to_json(NEW)`, `to_jsonb(OLD)`, `hstore(NEW.*)`, `NEW.*`, `inserted.*` and
/// `SELECT * FROM inserted`.
fn whole_row_copies(tokens: &[Lexeme], body: &str) -> Vec<Copy> {
    let mut out: Vec<Copy> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let at = |k: usize| tokens.get(k);
        let call = at(i).and_then(Lexeme::word).and_then(|w| match w.as_str() {
            "ROW_TO_JSON" | "TO_JSON" => Some(Rewrite::Json),
            "TO_JSONB" => Some(Rewrite::Jsonb),
            "HSTORE" => Some(Rewrite::Hstore),
            _ => None,
        });
        if let Some(rewrite) = call {
            if is(at(i + 1), &Token::LParen) {
                if let Some(var) = is_row_var(at(i + 2)) {
                    // `f(NEW)` or `f(NEW.*)`
                    let close = if is(at(i + 3), &Token::RParen) {
                        Some(i + 3)
                    } else if is(at(i + 3), &Token::Period)
                        && is(at(i + 4), &Token::Mul)
                        && is(at(i + 5), &Token::RParen)
                    {
                        Some(i + 5)
                    } else {
                        None
                    };
                    if let (Some(close), Some(start)) = (close, at(i)) {
                        // `to_jsonb(NEW) -> 'col'` reads one value: not a copy.
                        let extracted = matches!(
                            at(close + 1).map(|l| &l.token),
                            Some(Token::Arrow | Token::LongArrow)
                        );
                        if extracted || compared(tokens, i, close) {
                            i = close + 1;
                            continue;
                        }
                        let removed = removed_keys(tokens, close + 1);
                        let end = at(close).map_or(start.range.end, |l| l.range.end);
                        out.push(Copy {
                            range: start.range.start..end,
                            text: body.get(start.range.start..end).unwrap_or(&var).to_string(),
                            rewrite: Some(rewrite),
                            removed,
                        });
                        i = close + 1;
                        continue;
                    }
                }
            }
        }
        // `NEW.*`, `inserted.*`
        if is_row_var(at(i)).is_some()
            && is(at(i + 1), &Token::Period)
            && is(at(i + 2), &Token::Mul)
            && !compared(tokens, i, i + 2)
        {
            if let (Some(start), Some(end)) = (at(i), at(i + 2)) {
                out.push(Copy {
                    range: start.range.start..end.range.end,
                    text: body
                        .get(start.range.start..end.range.end)
                        .unwrap_or_default()
                        .to_string(),
                    rewrite: None,
                    removed: None,
                });
            }
            i += 3;
            continue;
        }
        // `SELECT * FROM inserted` (T-SQL)
        if is(at(i), &Token::Mul)
            && at(i + 1).is_some_and(|l| l.is_word("FROM"))
            && at(i + 2)
                .and_then(Lexeme::word)
                .is_some_and(|w| w == "INSERTED" || w == "DELETED")
            && at(i.wrapping_sub(1)).is_some_and(|l| l.is_word("SELECT"))
        {
            if let (Some(start), Some(end)) = (at(i - 1), at(i + 2)) {
                out.push(Copy {
                    range: start.range.start..end.range.end,
                    text: body
                        .get(start.range.start..end.range.end)
                        .unwrap_or_default()
                        .to_string(),
                    rewrite: None,
                    removed: None,
                });
            }
            i += 3;
            continue;
        }
        i += 1;
    }
    out
}

/// After a whole-row call at `at`: `- ARRAY['a', 'b']` or `- 'a'` gives the keys; `- name`
/// (a variable or parameter) gives an empty list, meaning "whatever the trigger passes";
/// anything else is no removal.
fn removed_keys(tokens: &[Lexeme], at: usize) -> Option<Vec<String>> {
    if !matches!(tokens.get(at).map(|l| &l.token), Some(Token::Minus)) {
        return None;
    }
    let literal = |l: Option<&Lexeme>| match l.map(|l| &l.token) {
        Some(Token::SingleQuotedString(s)) => Some(s.clone()),
        _ => None,
    };
    if let Some(key) = literal(tokens.get(at + 1)) {
        return Some(vec![key]);
    }
    if tokens.get(at + 1).is_some_and(|l| l.is_word("ARRAY"))
        && matches!(tokens.get(at + 2).map(|l| &l.token), Some(Token::LBracket))
    {
        let mut keys = Vec::new();
        for l in &tokens[at + 3..] {
            match &l.token {
                Token::SingleQuotedString(s) => keys.push(s.clone()),
                Token::Comma => {}
                _ => break,
            }
        }
        return Some(keys);
    }
    matches!(tokens.get(at + 1).map(|l| &l.token), Some(Token::Word(_))).then(Vec::new)
}

/// Whether the tokens `first..=last` are compared rather than copied:
/// `NEW.* IS DISTINCT FROM OLD.*`, `row_to_json(NEW) = row_to_json(OLD)`, `ROW(NEW.*) <> ROW(OLD.*)`.
fn compared(tokens: &[Lexeme], first: usize, last: usize) -> bool {
    let comparison = |l: &Lexeme| {
        matches!(l.token, Token::Eq | Token::Neq | Token::DoubleEq)
            || l.is_word("IS")
            || l.is_word("DISTINCT")
    };
    let before = tokens[first.saturating_sub(3)..first.min(tokens.len())].iter();
    let after = tokens.iter().skip(last + 1).take(3);
    before.chain(after).any(comparison)
}

/// The first table the body inserts into other than the trigger's own table.
fn insert_target(tokens: &[Lexeme], own_table: &str) -> Option<String> {
    for (i, t) in tokens.iter().enumerate() {
        if !(t.is_word("INSERT") && tokens.get(i + 1).is_some_and(|l| l.is_word("INTO"))) {
            continue;
        }
        let mut parts = Vec::new();
        let mut k = i + 2;
        while let Some(Token::Word(w)) = tokens.get(k).map(|l| &l.token) {
            parts.push(w.value.clone());
            if !matches!(tokens.get(k + 1).map(|l| &l.token), Some(Token::Period)) {
                break;
            }
            k += 2;
        }
        let Some(last) = parts.last() else { continue };
        if !last.eq_ignore_ascii_case(own_table) {
            return Some(parts.join("."));
        }
    }
    None
}

/// `CREATE OR REPLACE FUNCTION` with every whole-row copy minus the personal keys, when all
/// copies are function calls that can be rewritten.
fn rewritten_function(
    f: &Function,
    body: &str,
    copies: &[Copy],
    keys: &[String],
) -> Option<String> {
    if keys.is_empty() || copies.iter().any(|c| c.rewrite.is_none()) || body.contains("$steward$") {
        return None;
    }
    let array = format!(
        "ARRAY[{}]",
        keys.iter()
            .map(|k| format!("'{}'", k.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut new_body = String::with_capacity(body.len() + 64);
    let mut last = 0;
    for c in copies {
        let var = c
            .text
            .split(['(', ')'])
            .nth(1)
            .map(|v| v.trim().trim_end_matches(".*").trim_end_matches('.').trim())
            .filter(|v| !v.is_empty())?;
        new_body.push_str(body.get(last..c.range.start)?);
        new_body.push_str(&match c.rewrite? {
            Rewrite::Json => format!("(to_jsonb({var}) - {array})::json"),
            Rewrite::Jsonb => format!("(to_jsonb({var}) - {array})"),
            Rewrite::Hstore => format!("(hstore({var}) - {array})"),
        });
        last = c.range.end;
    }
    new_body.push_str(body.get(last..)?);
    let mut options = String::new();
    if f.security_definer {
        options.push_str(" SECURITY DEFINER");
    }
    for (k, v) in &f.config {
        options.push_str(&format!(" SET {k} = {v}"));
    }
    Some(format!(
        "CREATE OR REPLACE FUNCTION {}({}) RETURNS trigger LANGUAGE plpgsql{options} AS $steward${new_body}$steward$;",
        f.name, f.arguments
    ))
}

fn finding(
    model: &Model,
    trigger: &Trigger,
    table: &Table,
    columns: &[String],
    copies: &[Copy],
    target: &str,
    fix: Option<String>,
) -> Diagnostic {
    let dialect = model.dialect;
    let shown: Vec<&str> = columns.iter().take(5).map(String::as_str).collect();
    let more = if columns.len() > shown.len() {
        format!(" and {} more", columns.len() - shown.len())
    } else {
        String::new()
    };
    let copy = copies.first().map_or("", |c| c.text.as_str());
    let via = if trigger.body.is_none() && !trigger.function.name.is_empty() {
        format!(" (via {})", trigger.function.display(dialect))
    } else {
        String::new()
    };
    let mut d = PiiInAuditLog::META
        .diag(format!(
            "trigger {} on {} copies whole rows (`{copy}`) into {target}{via}, with personal data: {}{more}",
            trigger.name,
            table.name.display(dialect),
            shown.join(", ")
        ))
        .at(trigger.origin.location().cloned())
        .object(table.name.display(dialect))
        .help(
            "every version of every person's data ends up in the log, which erasure requests (GDPR Art. 17) and retention policies miss; log the key and the changed non-personal columns, or strip the personal keys from the copy",
        );
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    d
}

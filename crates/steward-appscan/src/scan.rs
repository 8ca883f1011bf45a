//! The analysis: one pass over the token stream that tracks simple string assignments and
//! classifies the SQL argument of every known sink call.
//!
//! An expression is classified as one of:
//! - constant with no SQL text (numbers, quoted identifiers, numeric conversions),
//! - a constant literal (possibly SQL-looking),
//! - dynamic: text built from a literal plus something not known to be constant,
//! - other: a value we know nothing about (a parameter, a call result).
//!
//! Only "dynamic" arguments are reported: a bare variable of unknown origin is not, because
//! low false positives matter more than recall. Work per classification is bounded by a token
//! budget so hostile input cannot make the scan super-linear.

use std::cell::Cell;
use std::collections::HashMap;

use crate::lang::{self, ArgPick, FmtStyle, Form, FormatFn, Scope, Sink, Spec};
use crate::lex::{self, Kind, Token};
use crate::{Construction, Finding, Language};

/// Literal text starts with a statement keyword.
const SQL_START: u8 = 1;
/// Literal text contains a DML/DDL verb as a word.
const SQL_VERB: u8 = 2;
/// Literal text contains a clause word (FROM, WHERE, SET, …).
const SQL_CLAUSE: u8 = 4;

const STATEMENT_START: &[&str] = &[
    "select", "insert", "update", "delete", "with", "merge", "create", "alter", "drop", "truncate",
    "grant", "revoke", "call", "exec", "execute", "copy", "set", "show", "explain", "vacuum",
    "analyze", "replace", "upsert", "refresh", "reindex", "lock", "declare", "values",
];
const VERBS: &[&str] = &[
    "select", "insert", "update", "delete", "merge", "create", "alter", "drop", "truncate",
    "grant", "call", "exec", "copy",
];
const CLAUSES: &[&str] = &[
    "from",
    "into",
    "where",
    "set",
    "values",
    "table",
    "join",
    "returning",
    "order",
    "group",
    "limit",
    "having",
    "union",
];

/// Only this much of a literal is inspected for SQL keywords.
const SQL_SCAN_LIMIT: usize = 8 * 1024;
/// Token budget per classified expression (includes interpolations and format arguments).
const BUDGET: usize = 2_000;
/// Maximum nesting of groups / interpolations followed when classifying.
const MAX_DEPTH: u32 = 8;
/// Statements (assignment right-hand sides) longer than this many top-level tokens are ignored.
const MAX_STATEMENT: usize = 512;

/// Words before a bare call that still make it a call (not a declaration like `void execute(`).
const CALL_PRECEDERS: &[&str] = &[
    "return", "await", "yield", "echo", "print", "puts", "then", "else", "do", "in", "and", "or",
    "not", "if", "unless", "when", "case", "throw", "go", "defer",
];
/// Helpers that build placeholder lists like `",".join(["%s"] * len(ids))`.
const JOIN_WORDS: &[&str] = &[
    "join",
    "Join",
    "implode",
    "Repeat",
    "repeat",
    "nCopies",
    "array_fill",
    "fill",
    "times",
];
/// Casts that make a value numeric: `(int)$id`.
const NUMERIC_TYPES: &[&str] = &[
    "int", "integer", "long", "short", "float", "double", "decimal", "bool", "boolean", "uint",
    "i32", "i64", "u32", "u64",
];
/// Literal keywords.
const CONST_WORDS: &[&str] = &[
    "true",
    "false",
    "null",
    "nil",
    "None",
    "True",
    "False",
    "undefined",
    "NULL",
];

/// Whether SQL flags describe SQL-looking text.
fn looks_like_sql(flags: u8) -> bool {
    flags & SQL_START != 0 || (flags & SQL_VERB != 0 && flags & SQL_CLAUSE != 0)
}

/// SQL keyword flags of a piece of literal text.
pub(crate) fn sql_flags(text: &str) -> u8 {
    let b = text.as_bytes();
    let b = b.get(..SQL_SCAN_LIMIT).unwrap_or(b);
    let mut flags = 0;
    let mut first = true;
    let mut i = 0;
    while i < b.len() && flags != SQL_START | SQL_VERB | SQL_CLAUSE {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if i < b.len() && b[i] >= 0x80 {
                // Part of a non-ASCII word: not a keyword.
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80)
                {
                    i += 1;
                }
                first = false;
                continue;
            }
            let w = b.get(s..i).unwrap_or_default();
            let is = |list: &[&str]| list.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(w));
            if first && is(STATEMENT_START) {
                flags |= SQL_START;
            }
            if is(VERBS) {
                flags |= SQL_VERB;
            }
            if is(CLAUSES) {
                flags |= SQL_CLAUSE;
            }
            first = false;
        } else if c.is_ascii_digit() || c >= 0x80 {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            first = false;
        } else {
            if !(c.is_ascii_whitespace() || matches!(c, b'(' | b'"' | b'\'' | b'`' | b';')) {
                first = false;
            }
            i += 1;
        }
    }
    flags
}

/// Whether every printf verb in a format is numeric (`%d`, `%5.2f`, …): such a format cannot
/// splice text into SQL. Requires at least one verb.
pub(crate) fn printf_numeric_only(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let mut verbs = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        if b.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        if b.get(i) == Some(&b'(') {
            while i < b.len() && b[i] != b')' {
                i += 1;
            }
            i += 1;
        }
        while i < b.len()
            && (b[i].is_ascii_digit()
                || matches!(
                    b[i],
                    b'-' | b'+' | b' ' | b'#' | b'0' | b'\'' | b'*' | b'.' | b'$' | b'[' | b']'
                ))
        {
            i += 1;
        }
        while i < b.len() && matches!(b[i], b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't') {
            i += 1;
        }
        match b.get(i) {
            Some(b'n') => {}
            Some(
                b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G'
                | b'b' | b'c',
            ) => verbs += 1,
            _ => return false,
        }
        i += 1;
    }
    verbs > 0
}

fn is_all_caps(name: &str) -> bool {
    let name = name.trim_start_matches(['$', '@']);
    name.len() >= 2
        && name.bytes().any(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && name
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_uppercase())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Val {
    /// Known constant without SQL text.
    Const,
    /// Constant literal text with these SQL flags.
    Lit(u8),
    /// Built dynamically.
    Dyn(Construction, u8),
    /// Unknown.
    Other,
}

impl Val {
    fn is_safe(self) -> bool {
        matches!(self, Val::Const | Val::Lit(_))
    }
    fn flags(self) -> u8 {
        match self {
            Val::Lit(f) | Val::Dyn(_, f) => f,
            _ => 0,
        }
    }
}

fn combine(vals: impl Iterator<Item = Val>) -> Val {
    let (mut dynamic, mut flags, mut lit, mut other) = (None, 0, false, false);
    for v in vals {
        match v {
            Val::Const => {}
            Val::Lit(f) => {
                lit = true;
                flags |= f;
            }
            Val::Dyn(c, f) => {
                dynamic.get_or_insert(c);
                flags |= f;
            }
            Val::Other => other = true,
        }
    }
    match dynamic {
        Some(c) => Val::Dyn(c, flags),
        None if lit && other => Val::Dyn(Construction::Concatenation, flags),
        None if other => Val::Other,
        None if lit => Val::Lit(flags),
        None => Val::Const,
    }
}

/// Either branch of a conditional.
fn alternatives(a: Val, b: Val) -> Val {
    match (a, b) {
        (Val::Dyn(..), _) => a,
        (_, Val::Dyn(..)) => b,
        (Val::Other, _) | (_, Val::Other) => Val::Other,
        (Val::Const, Val::Const) => Val::Const,
        _ => Val::Lit(a.flags() | b.flags()),
    }
}

#[derive(Debug, Clone, Copy)]
struct Var {
    dynamic: bool,
    flags: u8,
    /// Brace depth of the first assignment.
    depth: usize,
}

/// Tokens plus their bracket matches.
struct View<'t> {
    toks: &'t [Token],
    close: &'t [usize],
}

impl View<'_> {
    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }
    fn is(&self, i: usize, p: &str) -> bool {
        matches!(self.kind(i), Some(Kind::Punct(q)) if q == p)
    }
    /// Index just after the group opened at `i` (the end of the tokens when unmatched).
    fn after_group(&self, i: usize) -> usize {
        match self.close.get(i) {
            Some(&c) if c != usize::MAX && c > i => c + 1,
            _ => self.toks.len(),
        }
    }
    fn is_open(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(Kind::Punct("(" | "[" | "{")))
    }
}

#[derive(Debug, Clone, Copy)]
enum Seg {
    Name(usize),
    /// Call group: (open index, index after the group).
    Call(usize, usize),
    Index,
    Bang,
}

struct Engine<'a> {
    spec: &'static Spec,
    src: &'a str,
    vars: HashMap<String, Var>,
    /// Names first assigned at each brace depth (for `Scope::Braces`).
    scopes: Vec<Vec<String>>,
    /// Names assigned inside a function (for `Scope::Def`).
    locals: Vec<String>,
    depth: usize,
    budget: Cell<usize>,
    line_starts: Vec<usize>,
    /// (offset, line, column) of the last reported position.
    col_cache: Cell<(usize, usize, usize)>,
}

pub(crate) fn scan(language: Language, src: &str) -> Vec<Finding> {
    let spec = lang::spec(language);
    let toks = lex::tokenize(src, &spec.syntax);
    let close = lex::match_brackets(&toks);
    let view = View {
        toks: &toks,
        close: &close,
    };
    let mut eng = Engine {
        spec,
        src,
        vars: HashMap::new(),
        scopes: vec![Vec::new()],
        locals: Vec::new(),
        depth: 0,
        budget: Cell::new(BUDGET),
        line_starts: std::iter::once(0)
            .chain(
                src.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect(),
        col_cache: Cell::new((0, 0, 0)),
    };
    let mut out = Vec::new();
    // The receiver and group end of the last `x.append(…)`, to follow `.append(a).append(b)`.
    let mut last_append: Option<(usize, String)> = None;
    for (i, tok) in toks.iter().enumerate() {
        match tok.kind {
            Kind::Punct("{") => {
                eng.depth += 1;
            }
            Kind::Punct("}") => eng.close_scope(),
            Kind::Punct("=" | ":=") => eng.assignment(&view, i, false),
            Kind::Punct(op) if spec.append_ops.contains(&op) => eng.assignment(&view, i, true),
            Kind::Ident => {
                let name = eng.text(tok);
                if spec.scope == Scope::Def && (name == "def" || name == "class") {
                    for n in std::mem::take(&mut eng.locals) {
                        eng.vars.remove(&n);
                    }
                }
                if spec.append_methods.contains(&name) {
                    if let Some(done) = eng.append_call(&view, i, last_append.as_ref()) {
                        last_append = Some(done);
                    }
                }
                if let Some(f) = eng.check_sinks(&view, i) {
                    out.push(f);
                }
            }
            _ => {}
        }
    }
    out
}

impl<'a> Engine<'a> {
    fn text(&self, t: &Token) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn ident_at(&self, v: &View, i: usize) -> Option<&'a str> {
        let t = v.toks.get(i)?;
        (t.kind == Kind::Ident).then(|| self.text(t))
    }

    fn spend(&self, n: usize) -> bool {
        let b = self.budget.get();
        if b < n {
            self.budget.set(0);
            false
        } else {
            self.budget.set(b - n);
            true
        }
    }

    fn close_scope(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.spec.scope != Scope::Braces {
            return;
        }
        while self.scopes.len() > self.depth + 1 {
            for name in self.scopes.pop().unwrap_or_default() {
                if self.vars.get(&name).is_some_and(|v| v.depth > self.depth) {
                    self.vars.remove(&name);
                }
            }
        }
    }

    // ---------------------------------------------------------------- assignments

    /// The assigned name for the `=`/`+=` at `i`: `x = …`, `x: T = …`. Member targets,
    /// keyword arguments and parameter defaults are ignored.
    fn assign_target(&self, v: &View, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        self.ident_at(v, j)?;
        let mut target = j;
        if j >= 2 && !v.toks[j].nl_before && v.is(j - 1, ":") && self.ident_at(v, j - 2).is_some() {
            target = j - 2;
        }
        if target >= 1
            && matches!(
                v.kind(target - 1),
                Some(Kind::Punct("." | "->" | "?." | "::" | "(" | ","))
            )
        {
            return None;
        }
        Some(target)
    }

    /// End (exclusive) of the statement starting at `from`; `from` when it is too long.
    fn stmt_end(&self, v: &View, from: usize) -> usize {
        let mut k = from;
        let mut count = 0;
        while k < v.toks.len() {
            let t = &v.toks[k];
            if k > from
                && self.spec.newline_ends_statement
                && t.nl_before
                && !continues(&v.toks[k - 1], t)
            {
                break;
            }
            match t.kind {
                Kind::Punct(";" | "," | ")" | "]" | "}") => break,
                Kind::Punct("(" | "[" | "{") => k = v.after_group(k),
                _ => k += 1,
            }
            count += 1;
            if count > MAX_STATEMENT {
                return from;
            }
        }
        k
    }

    fn assignment(&mut self, v: &View, i: usize, append: bool) {
        let Some(target) = self.assign_target(v, i) else {
            return;
        };
        let name = self.text(&v.toks[target]);
        let end = self.stmt_end(v, i + 1);
        if end <= i + 1 {
            if !append {
                self.vars.remove(name);
            }
            return;
        }
        self.budget.set(BUDGET);
        let val = self.expr(v, i + 1, end, 0);
        let top_level = v.toks[target].start == 0
            || self.src.as_bytes().get(v.toks[target].start - 1) == Some(&b'\n');
        self.update_var(name, val, append, top_level);
    }

    /// `x.append(…)`, `b.WriteString(…)`, `s.push_str(…)`, also chained `.append(a).append(b)`.
    fn append_call(
        &mut self,
        v: &View,
        i: usize,
        last: Option<&(usize, String)>,
    ) -> Option<(usize, String)> {
        if i < 2 || !matches!(v.kind(i - 1), Some(Kind::Punct("." | "->"))) || !v.is(i + 1, "(") {
            return None;
        }
        let name = match self.ident_at(v, i - 2) {
            Some(n) => n.to_string(),
            None => match last {
                Some((end, n)) if *end == i - 1 => n.clone(),
                _ => return None,
            },
        };
        let after = v.after_group(i + 1);
        let args = self.split(v, i + 2, after.saturating_sub(1), |_, t| {
            t.kind == Kind::Punct(",")
        });
        self.budget.set(BUDGET);
        let val = match args.first() {
            Some(&(a, b)) if a < b => self.expr(v, a, b, 0),
            _ => Val::Const,
        };
        self.update_var(&name, val, true, false);
        Some((after, name))
    }

    fn update_var(&mut self, name: &str, val: Val, append: bool, top_level: bool) {
        let existing = self.vars.get(name).copied();
        let var = |dynamic, flags| Var {
            dynamic,
            flags,
            depth: 0,
        };
        let new = if !append {
            match val {
                Val::Dyn(_, f) => Some(var(true, f)),
                Val::Lit(f) => Some(var(false, f)),
                Val::Const => Some(var(false, 0)),
                Val::Other => None,
            }
        } else {
            match (existing, val) {
                (Some(e), Val::Dyn(_, f)) => Some(var(true, e.flags | f)),
                (Some(e), Val::Other) => Some(var(true, e.flags)),
                (Some(e), Val::Lit(f)) => Some(var(e.dynamic, e.flags | f)),
                (Some(e), Val::Const) => Some(e),
                (None, Val::Dyn(_, f)) => Some(var(true, f)),
                (None, Val::Lit(f)) if f != 0 => Some(var(false, f)),
                (None, _) => None,
            }
        };
        match new {
            Some(mut nv) => {
                match existing {
                    Some(e) => nv.depth = e.depth,
                    None => {
                        nv.depth = self.depth;
                        match self.spec.scope {
                            Scope::Braces => {
                                while self.scopes.len() <= self.depth {
                                    self.scopes.push(Vec::new());
                                }
                                if let Some(s) = self.scopes.get_mut(self.depth) {
                                    s.push(name.to_string());
                                }
                            }
                            Scope::Def => {
                                if !top_level {
                                    self.locals.push(name.to_string());
                                }
                            }
                        }
                    }
                }
                self.vars.insert(name.to_string(), nv);
            }
            None => {
                if !append {
                    self.vars.remove(name);
                }
            }
        }
    }

    // ---------------------------------------------------------------- sinks

    fn check_sinks(&mut self, v: &View, i: usize) -> Option<Finding> {
        let name = self.text(&v.toks[i]);
        let first = name.as_bytes().first().copied();
        let mut candidates = self
            .spec
            .sinks
            .iter()
            .filter(|s| {
                s.name.len() == name.len()
                    && s.name.as_bytes().first().copied() == first
                    && s.name == name
            })
            .peekable();
        candidates.peek()?;
        let prev = i.checked_sub(1).and_then(|k| v.toks.get(k));
        let sep = match prev.map(|t| t.kind) {
            Some(Kind::Punct(p @ ("." | "->" | "?." | "::"))) => Some(p),
            _ => None,
        };
        for sink in candidates {
            let ok = match sink.form {
                Form::Method => sep.is_some(),
                Form::Function => sep.is_none(),
                Form::Any => true,
                Form::Constructor => self.after_new(v, i),
                // `cmd.CommandText = …` or an object initializer `{ CommandText = … }`.
                Form::Property => {
                    v.is(i + 1, "=")
                        && (sep.is_some()
                            || prev.is_some_and(|p| matches!(p.kind, Kind::Punct("{" | ","))))
                }
            };
            if !ok {
                continue;
            }
            if sep.is_none() && matches!(sink.form, Form::Function | Form::Any) {
                // `void execute(String sql)`, `def execute(self, sql)`: declarations, not calls.
                if let Some(p) = prev.filter(|p| p.kind == Kind::Ident) {
                    if !CALL_PRECEDERS.contains(&self.text(p)) {
                        continue;
                    }
                }
            }
            let (args, end_tok) = if sink.form == Form::Property {
                let end = self.stmt_end(v, i + 2);
                (vec![(i + 2, end)], end.saturating_sub(1))
            } else {
                match self.call_args(v, i) {
                    Some(x) => x,
                    None => continue,
                }
            };
            let picked = match sink.arg {
                ArgPick::Index(n) => args.get(n).copied(),
                ArgPick::Last => args.last().copied(),
                ArgPick::SkipContext => match args.as_slice() {
                    [first, second, ..] if self.is_context(v, *first) => Some(*second),
                    [first, ..] => Some(*first),
                    [] => None,
                },
            };
            let (a, b) = picked?;
            if a >= b {
                return None;
            }
            self.budget.set(BUDGET);
            let Val::Dyn(construction, flags) = self.expr(v, a, b, 0) else {
                return None;
            };
            if !(sink.strong || looks_like_sql(flags)) {
                return None;
            }
            return Some(self.finding(v, i, end_tok, sink, sep, construction));
        }
        None
    }

    /// `new X(`, `new A.B.X(`.
    fn after_new(&self, v: &View, i: usize) -> bool {
        let mut k = i;
        while k >= 2 && v.is(k - 1, ".") && self.ident_at(v, k - 2).is_some() {
            k -= 2;
        }
        k >= 1 && self.ident_at(v, k - 1) == Some("new")
    }

    fn is_context(&self, v: &View, (a, b): (usize, usize)) -> bool {
        (a..b).any(|k| {
            self.ident_at(v, k).is_some_and(|n| {
                let l = n.to_ascii_lowercase();
                l.contains("ctx") || l.contains("context")
            })
        })
    }

    /// Arguments of the call whose name is at `i`: ranges of top-level comma-separated tokens,
    /// and the index of the last token of the call.
    fn call_args(&self, v: &View, i: usize) -> Option<(Vec<(usize, usize)>, usize)> {
        let mut j = i + 1;
        if v.is(j, "::") && v.is(j + 1, "<") {
            j += 1;
        }
        if v.is(j, "<") {
            j = self.skip_angle(v, j, v.toks.len())?;
        }
        if v.is(j, "(") {
            let after = v.after_group(j);
            let inner_end = if after > v.toks.len() || v.close.get(j) == Some(&usize::MAX) {
                v.toks.len()
            } else {
                after - 1
            };
            let args = self.split(v, j + 1, inner_end, |_, t| t.kind == Kind::Punct(","));
            return Some((args, inner_end.min(v.toks.len().saturating_sub(1))));
        }
        let t = v.toks.get(j)?;
        if self.spec.paren_free_calls && t.kind == Kind::Str && !t.nl_before {
            let end = self.stmt_end_paren_free(v, j);
            let args = self.split(v, j, end, |_, t| t.kind == Kind::Punct(","));
            return Some((args, end.saturating_sub(1)));
        }
        None
    }

    /// Ruby `where "…", x`: the arguments run to the end of the line.
    fn stmt_end_paren_free(&self, v: &View, from: usize) -> usize {
        let mut k = from;
        let mut count = 0;
        while k < v.toks.len() && count < MAX_STATEMENT {
            let t = &v.toks[k];
            if k > from && t.nl_before && !continues(&v.toks[k - 1], t) {
                break;
            }
            match t.kind {
                Kind::Punct(";" | ")" | "]" | "}") => break,
                Kind::Ident if k > from && matches!(self.text(t), "do" | "if" | "unless") => break,
                Kind::Punct("(" | "[" | "{") => k = v.after_group(k),
                _ => k += 1,
            }
            count += 1;
        }
        k
    }

    /// Skip generic arguments `<…>` starting at `j` (which is `<`); returns the index after `>`.
    fn skip_angle(&self, v: &View, j: usize, b: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut k = j;
        while k < b && k < j + 64 {
            match v.kind(k)? {
                Kind::Punct("<") => depth += 1,
                Kind::Punct(">") => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(k + 1);
                    }
                }
                Kind::Ident | Kind::Other => {}
                Kind::Punct("," | "." | "::" | "?" | "[" | "]" | "&" | "(" | ")" | "*") => {}
                _ => return None,
            }
            k += 1;
        }
        None
    }

    fn finding(
        &self,
        v: &View,
        i: usize,
        end_tok: usize,
        sink: &Sink,
        sep: Option<&str>,
        construction: Construction,
    ) -> Finding {
        let name = sink.name;
        let display = match (sink.form, sep) {
            (Form::Constructor, _) => format!("new {name}"),
            (_, Some(sep)) => match i.checked_sub(2).and_then(|k| self.ident_at(v, k)) {
                Some(recv) => format!("{recv}{sep}{name}"),
                None => name.to_string(),
            },
            _ => name.to_string(),
        };
        let message = match construction {
            Construction::VariableBuiltEarlier => {
                format!("SQL assembled dynamically in an earlier assignment is passed to {display}")
            }
            Construction::Concatenation => {
                format!("SQL built with string concatenation is passed to {display}")
            }
            Construction::Interpolation => format!(
                "SQL built with {} is passed to {display}",
                self.spec.interp_phrase
            ),
            Construction::FormatCall => format!(
                "SQL built with {} is passed to {display}",
                self.spec.format_phrase
            ),
        };
        let start = v.toks[i].start;
        let end = v.toks.get(end_tok).map_or(start, |t| t.start.max(start));
        let (line, column) = self.line_col(start);
        let end_line = self.line_of(end);
        Finding {
            line,
            column,
            end_line,
            sink: display,
            construction,
            message,
            suggestion: sink.advice.unwrap_or(self.spec.advice).to_string(),
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        // Findings come in source order: count chars from the previous one on the same line so
        // a huge single-line (minified) file stays linear.
        let (prev_off, prev_line, prev_col) = self.col_cache.get();
        let (from, base) = if prev_line == line && prev_off <= offset && prev_off >= start {
            (prev_off, prev_col)
        } else {
            (start, 1)
        };
        let column = base
            + self
                .src
                .get(from..offset)
                .map_or(offset - from, |s| s.chars().count());
        self.col_cache.set((offset, line, column));
        (line, column)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    // ---------------------------------------------------------------- classification

    /// Split `[a, b)` at top-level tokens matching `pred` (groups are skipped whole).
    fn split(
        &self,
        v: &View,
        a: usize,
        b: usize,
        pred: impl Fn(&Self, &Token) -> bool,
    ) -> Vec<(usize, usize)> {
        let b = b.min(v.toks.len());
        let mut out = Vec::new();
        let mut s = a;
        let mut k = a;
        while k < b {
            self.spend(1);
            if v.is_open(k) {
                k = v.after_group(k).min(b);
                continue;
            }
            if pred(self, &v.toks[k]) {
                out.push((s, k));
                s = k + 1;
            }
            k += 1;
        }
        out.push((s, b.max(s)));
        out
    }

    fn expr(&self, v: &View, a: usize, b: usize, depth: u32) -> Val {
        // Every range below is within `[a, b)`, so clamping here keeps all indexing in bounds.
        let b = b.min(v.toks.len());
        if a >= b || depth > MAX_DEPTH || !self.spend(1) {
            return Val::Other;
        }
        if let Some(val) = self.conditional(v, a, b, depth) {
            return val;
        }
        let op = self.spec.concat_op;
        let parts: Vec<_> = self
            .split(v, a, b, |_, t| t.kind == Kind::Punct(op))
            .into_iter()
            .filter(|(x, y)| x < y)
            .collect();
        match parts.as_slice() {
            [] => Val::Other,
            [(x, y)] => self.operand(v, *x, *y, depth),
            _ => combine(parts.iter().map(|&(x, y)| self.operand(v, x, y, depth))),
        }
    }

    /// `c ? a : b` and `a if c else b`.
    fn conditional(&self, v: &View, a: usize, b: usize, depth: u32) -> Option<Val> {
        if self.spec.ternary {
            let mut q = None;
            let mut k = a;
            while k < b {
                if v.is_open(k) {
                    k = v.after_group(k);
                    continue;
                }
                match (q, v.kind(k)) {
                    (None, Some(Kind::Punct("?"))) => q = Some(k),
                    (Some(qi), Some(Kind::Punct(":"))) => {
                        let then = self.expr(v, qi + 1, k, depth + 1);
                        let other = self.expr(v, k + 1, b, depth + 1);
                        return Some(alternatives(then, other));
                    }
                    _ => {}
                }
                k += 1;
            }
        }
        if self.spec.python_ternary {
            let mut q = None;
            let mut k = a;
            while k < b {
                if v.is_open(k) {
                    k = v.after_group(k);
                    continue;
                }
                match (q, self.ident_at(v, k)) {
                    (None, Some("if")) if k > a => q = Some(k),
                    (Some(qi), Some("else")) => {
                        let then = self.expr(v, a, qi, depth + 1);
                        let other = self.expr(v, k + 1, b, depth + 1);
                        return Some(alternatives(then, other));
                    }
                    _ => {}
                }
                k += 1;
            }
        }
        None
    }

    fn operand(&self, v: &View, a: usize, b: usize, depth: u32) -> Val {
        if self.placeholder_list(v, a, b) || self.has_safe_call(v, a, b) {
            return Val::Const;
        }
        let mut p = a;
        // `&format!(…)`, `&mut s`, `*s`, PHP `@`, Python `**kwargs`.
        while p < b {
            match v.kind(p) {
                Some(Kind::Punct("&" | "*" | "@")) => p += 1,
                Some(Kind::Ident) if p > a && self.ident_at(v, p) == Some("mut") => p += 1,
                _ => break,
            }
        }
        if p >= b {
            return Val::Other;
        }
        // Casts: `(int)$id` is numeric; `(string)$x` is just `$x`.
        if v.is(p, "(") && v.close.get(p) == Some(&(p + 2)) && p + 3 < b {
            if let Some(ty) = self.ident_at(v, p + 1) {
                let lower = ty.to_ascii_lowercase();
                if NUMERIC_TYPES.contains(&lower.as_str()) {
                    return Val::Const;
                }
                if matches!(lower.as_str(), "string" | "str") {
                    p += 3;
                }
            }
        }
        let (val, q) = self.primary(v, p, b, depth);
        if q >= b {
            return val;
        }
        // `query % params` where `query` holds constant SQL text.
        if let Val::Lit(flags) = val {
            if self.spec.percent_format && v.is(q, "%") && self.ident_at(v, p).is_some() {
                let rhs = self.tuple_or_expr(v, q + 1, b, depth + 1);
                return if rhs.is_safe() {
                    val
                } else {
                    Val::Dyn(Construction::FormatCall, flags)
                };
            }
        }
        // Trailing tokens we do not understand: stay conservative.
        match val {
            Val::Dyn(..) => val,
            _ => Val::Other,
        }
    }

    fn primary(&self, v: &View, p: usize, b: usize, depth: u32) -> (Val, usize) {
        let Some(kind) = v.kind(p) else {
            return (Val::Other, b);
        };
        match kind {
            Kind::Str => self.literal(v, p, b, depth),
            Kind::Number | Kind::Char => (Val::Const, self.transparent_postfix(v, p + 1, b)),
            Kind::Punct("(") => {
                let after = v.after_group(p).min(b);
                let inner_end = if v.close.get(p).is_some_and(|&c| c < b) {
                    after - 1
                } else {
                    b
                };
                let val = self.tuple_or_expr(v, p + 1, inner_end, depth + 1);
                (val, self.transparent_postfix(v, after, b))
            }
            Kind::Punct("[") => {
                let after = v.after_group(p).min(b);
                let inner_end = if v.close.get(p).is_some_and(|&c| c < b) {
                    after - 1
                } else {
                    b
                };
                let val = match self.tuple_or_expr(v, p + 1, inner_end, depth + 1) {
                    x if x.is_safe() => x,
                    _ => Val::Other,
                };
                (val, after)
            }
            Kind::Punct("\\" | "::") if self.ident_at(v, p + 1).is_some() => {
                self.chain(v, p + 1, b, depth)
            }
            Kind::Ident => self.chain(v, p, b, depth),
            _ => (Val::Other, p + 1),
        }
    }

    /// A parenthesised expression or a tuple / list of values.
    fn tuple_or_expr(&self, v: &View, a: usize, b: usize, depth: u32) -> Val {
        let parts: Vec<_> = self
            .split(v, a, b, |_, t| t.kind == Kind::Punct(","))
            .into_iter()
            .filter(|(x, y)| x < y)
            .collect();
        match parts.as_slice() {
            [] => Val::Const,
            [(x, y)] => self.expr(v, *x, *y, depth),
            _ => {
                let vals: Vec<_> = parts
                    .iter()
                    .map(|&(x, y)| self.expr(v, x, y, depth))
                    .collect();
                if vals.iter().all(|x| x.is_safe()) {
                    Val::Lit(vals.iter().fold(0, |f, x| f | x.flags()))
                } else {
                    Val::Other
                }
            }
        }
    }

    fn body_text(&self, t: &Token) -> &'a str {
        t.lit
            .as_ref()
            .and_then(|l| self.src.get(l.body.0..l.body.1))
            .unwrap_or("")
    }

    /// One or more adjacent string literals, then `% args`, `.format(…)` or transparent methods.
    fn literal(&self, v: &View, p: usize, b: usize, depth: u32) -> (Val, usize) {
        let mut q = p;
        let mut flags = 0;
        let mut dynamic = false;
        while q < b {
            let t = &v.toks[q];
            let Some(lit) = t.lit.as_ref().filter(|_| t.kind == Kind::Str) else {
                break;
            };
            flags |= sql_flags(self.body_text(t));
            for &(s, e) in &lit.interps {
                if !dynamic && !self.fragment_safe(s, e, depth) {
                    dynamic = true;
                }
            }
            q += 1;
        }
        let single = (q == p + 1).then(|| self.body_text(&v.toks[p]));
        let mut val = if dynamic {
            Val::Dyn(Construction::Interpolation, flags)
        } else {
            Val::Lit(flags)
        };
        if q < b && self.spec.percent_format && v.is(q, "%") {
            let rhs = self.tuple_or_expr(v, q + 1, b, depth + 1);
            if !dynamic && !rhs.is_safe() && !single.is_some_and(printf_numeric_only) {
                val = Val::Dyn(Construction::FormatCall, flags);
            }
            return (val, b);
        }
        if q + 2 < b && v.is(q, ".") && v.is(q + 2, "(") {
            if let Some(style) = self.ident_at(v, q + 1).and_then(|m| {
                self.spec
                    .literal_methods
                    .iter()
                    .find(|(name, _)| *name == m)
                    .map(|&(_, s)| s)
            }) {
                let open = q + 2;
                let after = v.after_group(open).min(b);
                let args = self.split(
                    v,
                    open + 1,
                    after.saturating_sub(1).max(open + 1),
                    |_, t| t.kind == Kind::Punct(","),
                );
                let safe = self.args_safe(v, &args, depth);
                let numeric = style == FmtStyle::Printf && single.is_some_and(printf_numeric_only);
                if !dynamic && !safe && !numeric {
                    val = Val::Dyn(Construction::FormatCall, flags);
                }
                q = after;
            }
        }
        (val, self.transparent_postfix(v, q, b))
    }

    /// Skip `.toString()`, `.as_str()`, `.strip()` … after a value.
    fn transparent_postfix(&self, v: &View, mut q: usize, b: usize) -> usize {
        while q + 1 < b
            && matches!(v.kind(q), Some(Kind::Punct("." | "?." | "->")))
            && self
                .ident_at(v, q + 1)
                .is_some_and(|m| self.spec.transparent.contains(&m))
        {
            q += 2;
            if q < b && v.is(q, "(") {
                q = v.after_group(q).min(b);
            }
        }
        q
    }

    /// Whether every argument (ignoring `name =` / `name:` labels) is constant.
    fn args_safe(&self, v: &View, args: &[(usize, usize)], depth: u32) -> bool {
        args.iter().filter(|(a, b)| a < b).all(|&(a, b)| {
            let a = if self.ident_at(v, a).is_some()
                && (v.is(a + 1, "=") || v.is(a + 1, ":"))
                && a + 2 < b
            {
                a + 2
            } else {
                a
            };
            self.expr(v, a, b, depth + 1).is_safe()
        })
    }

    /// Whether an interpolated expression `src[s..e]` is constant (a constant name, a quoting
    /// helper, a number).
    fn fragment_safe(&self, s: usize, e: usize, depth: u32) -> bool {
        if depth > MAX_DEPTH || !self.spend(1) {
            return false;
        }
        let toks = lex::tokenize_fragment(self.src, &self.spec.syntax, s, e);
        if !self.spend(toks.len()) {
            return false;
        }
        let close = lex::match_brackets(&toks);
        let view = View {
            toks: &toks,
            close: &close,
        };
        let mut end = toks.len();
        if !self.spec.interp_cut.is_empty() {
            let mut k = 0;
            while k < toks.len() {
                if view.is_open(k) {
                    k = view.after_group(k);
                    continue;
                }
                if matches!(toks[k].kind, Kind::Punct(p) if self.spec.interp_cut.contains(&p)) {
                    end = k;
                    break;
                }
                k += 1;
            }
        }
        if end == 0 {
            return true;
        }
        self.expr(&view, 0, end, depth + 1).is_safe()
    }

    /// Placeholder lists: `",".join(["%s"] * len(ids))`, `strings.Repeat("?,", n)`,
    /// `ids.map((_, i) => `$${i + 1}`).join(", ")`.
    fn placeholder_list(&self, v: &View, a: usize, b: usize) -> bool {
        let mut join = false;
        let mut placeholder = false;
        for t in v.toks.get(a..b).unwrap_or_default() {
            if !self.spend(1) {
                return false;
            }
            match t.kind {
                Kind::Ident if JOIN_WORDS.contains(&self.text(t)) => join = true,
                Kind::Str => {
                    let text = self.literal_text_without_interps(t);
                    if is_placeholder_text(&text) {
                        placeholder = true;
                    } else if !text.chars().all(|c| matches!(c, ',' | ' ' | '(' | ')')) {
                        return false;
                    }
                }
                _ => {}
            }
        }
        join && placeholder
    }

    /// A quoting helper or numeric conversion called at the top level of an operand:
    /// `pq.QuoteIdentifier(t)`, `new NpgsqlCommandBuilder().QuoteIdentifier(t)`, `x.to_i`.
    fn has_safe_call(&self, v: &View, a: usize, b: usize) -> bool {
        let mut k = a;
        while k < b {
            if v.is_open(k) {
                k = v.after_group(k);
                continue;
            }
            if let Some(name) = self.ident_at(v, k) {
                let member = k > a && matches!(v.kind(k - 1), Some(Kind::Punct("." | "->" | "::")));
                // `util.format(…)` is a format call even though bare `format(…)` is pg-format.
                let formatter = member && self.spec.format_fns.iter().any(|f| f.name == name);
                if (v.is(k + 1, "(") || member)
                    && !formatter
                    && self.spec.safe_calls.contains(&name)
                {
                    return true;
                }
            }
            k += 1;
        }
        false
    }

    fn literal_text_without_interps(&self, t: &Token) -> String {
        let Some(lit) = t.lit.as_ref() else {
            return String::new();
        };
        let mut out = String::new();
        let mut pos = lit.body.0;
        for &(s, e) in &lit.interps {
            out.push_str(self.src.get(pos..s.max(pos)).unwrap_or(""));
            pos = e.max(pos);
        }
        out.push_str(self.src.get(pos..lit.body.1.max(pos)).unwrap_or(""));
        out
    }

    /// An identifier chain: `a.b(c).d[e]`, `fmt.Sprintf(…)`, `format!(…)`, `new X(…)`, tags.
    fn chain(&self, v: &View, p: usize, b: usize, depth: u32) -> (Val, usize) {
        let first = self.ident_at(v, p).unwrap_or("");
        if first == "new" {
            return self.new_expr(v, p + 1, b, depth);
        }
        if CONST_WORDS.contains(&first) && !(v.is(p + 1, ".") || v.is(p + 1, "(")) {
            return (Val::Const, p + 1);
        }
        let mut segs = vec![Seg::Name(p)];
        let mut tagged = false;
        let mut q = p + 1;
        while q < b {
            if !self.spend(1) {
                return (Val::Other, b);
            }
            let last_is_name = matches!(segs.last(), Some(Seg::Name(_)));
            match v.kind(q) {
                Some(Kind::Punct("." | "->" | "?." | "::")) => {
                    if v.is(q + 1, "<") {
                        if let Some(e) = self.skip_angle(v, q + 1, b) {
                            q = e;
                            continue;
                        }
                    }
                    if self.ident_at(v, q + 1).is_some() && q + 1 < b {
                        segs.push(Seg::Name(q + 1));
                        q += 2;
                        continue;
                    }
                    break;
                }
                Some(Kind::Punct("(")) => {
                    let after = v.after_group(q).min(b);
                    segs.push(Seg::Call(q, after));
                    q = after;
                }
                Some(Kind::Punct("[")) => {
                    q = v.after_group(q).min(b);
                    segs.push(Seg::Index);
                }
                Some(Kind::Punct("{")) if self.spec.composite_literals && last_is_name => {
                    q = v.after_group(q).min(b);
                    segs.push(Seg::Index);
                }
                Some(Kind::Punct("!")) if self.spec.macros && last_is_name && v.is_open(q + 1) => {
                    segs.push(Seg::Bang);
                    q += 1;
                }
                Some(Kind::Punct("<")) if last_is_name => match self.skip_angle(v, q, b) {
                    Some(e) if v.is(e, "(") => q = e,
                    _ => break,
                },
                Some(Kind::Str) if v.toks[q].lit.as_ref().is_some_and(|l| l.template) => {
                    tagged = true;
                    q += 1;
                }
                _ => break,
            }
        }
        if tagged {
            // sql`…`, Prisma.sql`…`: the tag receives values separately.
            return (Val::Other, q);
        }
        let name_of = |s: &Seg| match s {
            Seg::Name(k) => self.ident_at(v, *k),
            _ => None,
        };
        if let Some((ci, f)) = self.format_callee(v, &segs) {
            if let Some(&Seg::Call(open, after)) = segs.get(ci) {
                let val = self.format_call(v, f, open, after, depth);
                let rest_ok = self.only_transparent(v, segs.get(ci + 1..).unwrap_or_default());
                return match val {
                    Val::Dyn(..) => (val, q),
                    _ if rest_ok => (val, q),
                    _ => (Val::Other, q),
                };
            }
        }
        if segs
            .iter()
            .filter_map(name_of)
            .any(|n| self.spec.safe_calls.contains(&n))
        {
            return (Val::Const, q);
        }
        // Drop trailing transparent methods: `sb.toString()` is `sb`.
        let mut core = segs.as_slice();
        loop {
            match core {
                [rest @ .., Seg::Name(k), Seg::Call(..)] | [rest @ .., Seg::Name(k)]
                    if !rest.is_empty()
                        && self
                            .ident_at(v, *k)
                            .is_some_and(|m| self.spec.transparent.contains(&m)) =>
                {
                    core = rest;
                }
                _ => break,
            }
        }
        // `query.format(x)` / `query.formatted(x)` where `query` holds constant SQL text.
        if let [Seg::Name(k), Seg::Name(m), Seg::Call(open, after)] = core {
            let method = self.ident_at(v, *m).unwrap_or("");
            let var = self.vars.get(self.ident_at(v, *k).unwrap_or(""));
            if let (Some(var), true) = (
                var,
                self.spec.literal_methods.iter().any(|(n, _)| *n == method),
            ) {
                if !var.dynamic && var.flags != 0 {
                    let inner_end = after.saturating_sub(1).max(open + 1);
                    let args =
                        self.split(v, open + 1, inner_end, |_, t| t.kind == Kind::Punct(","));
                    let val = if self.args_safe(v, &args, depth) {
                        Val::Lit(var.flags)
                    } else {
                        Val::Dyn(Construction::FormatCall, var.flags)
                    };
                    return (val, q);
                }
            }
        }
        match core {
            [Seg::Name(k)] => {
                let name = self.ident_at(v, *k).unwrap_or("");
                let val = match self.vars.get(name) {
                    Some(var) if var.dynamic => {
                        Val::Dyn(Construction::VariableBuiltEarlier, var.flags)
                    }
                    Some(var) if var.flags != 0 => Val::Lit(var.flags),
                    Some(_) => Val::Const,
                    None if is_all_caps(name) => Val::Const,
                    None => Val::Other,
                };
                (val, q)
            }
            // `Config.TABLE`, `self::TABLE`.
            [.., Seg::Name(k)]
                if core.iter().all(|s| matches!(s, Seg::Name(_)))
                    && self.ident_at(v, *k).is_some_and(is_all_caps) =>
            {
                (Val::Const, q)
            }
            _ => (Val::Other, q),
        }
    }

    fn only_transparent(&self, v: &View, segs: &[Seg]) -> bool {
        segs.iter().all(|s| match s {
            Seg::Name(k) => self
                .ident_at(v, *k)
                .is_some_and(|m| self.spec.transparent.contains(&m)),
            Seg::Call(..) => true,
            _ => false,
        })
    }

    /// The format function called by the first call in a chain, if any.
    fn format_callee(&self, v: &View, segs: &[Seg]) -> Option<(usize, &'static FormatFn)> {
        let ci = segs.iter().position(|s| matches!(s, Seg::Call(..)))?;
        let before = segs.get(..ci)?;
        let bang = matches!(before.last(), Some(Seg::Bang));
        let names: Vec<&str> = before
            .iter()
            .filter_map(|s| match s {
                Seg::Name(k) => self.ident_at(v, *k),
                _ => None,
            })
            .collect();
        if names.len() != before.len() - usize::from(bang) {
            return None;
        }
        let last = *names.last()?;
        self.spec
            .format_fns
            .iter()
            .find(|f| {
                f.name == last
                    && f.bang == bang
                    && match f.receiver {
                        None => names.len() == 1,
                        Some(r) => names.len() >= 2 && names.get(names.len() - 2) == Some(&r),
                    }
            })
            .map(|f| (ci, f))
    }

    fn format_call(&self, v: &View, f: &FormatFn, open: usize, after: usize, depth: u32) -> Val {
        let inner_end = if v.close.get(open).is_some_and(|&c| c < after) {
            after - 1
        } else {
            after
        };
        let args: Vec<_> = self
            .split(v, open + 1, inner_end, |_, t| t.kind == Kind::Punct(","))
            .into_iter()
            .filter(|(x, y)| x < y)
            .collect();
        if f.style == FmtStyle::Concat {
            return combine(args.iter().map(|&(x, y)| self.expr(v, x, y, depth + 1)));
        }
        // The format string: the first literal argument (`String.format(Locale.ROOT, "…", x)`).
        let fi = args
            .iter()
            .position(|&(x, _)| v.kind(x) == Some(Kind::Str))
            .unwrap_or(0);
        let Some(&(fa, fb)) = args.get(fi) else {
            return Val::Other;
        };
        let fval = self.expr(v, fa, fb, depth + 1);
        let flags = fval.flags();
        let fmt_text =
            (fb == fa + 1 && v.kind(fa) == Some(Kind::Str)).then(|| self.body_text(&v.toks[fa]));
        match fval {
            Val::Dyn(..) | Val::Other => return fval,
            _ => {}
        }
        let rest = args.get(fi + 1..).unwrap_or_default();
        let mut safe = self.args_safe(v, rest, depth);
        if safe && f.style == FmtStyle::RustFormat {
            if let Some(text) = fmt_text {
                let named: Vec<&str> = rest
                    .iter()
                    .filter(|&&(x, _)| v.is(x + 1, "="))
                    .filter_map(|&(x, _)| self.ident_at(v, x))
                    .collect();
                safe = rust_captures(text).all(|name| {
                    named.contains(&name)
                        || is_all_caps(name)
                        || self.vars.get(name).is_some_and(|var| !var.dynamic)
                });
            }
        }
        if safe || (f.style == FmtStyle::Printf && fmt_text.is_some_and(printf_numeric_only)) {
            return if flags != 0 { Val::Lit(flags) } else { fval };
        }
        Val::Dyn(Construction::FormatCall, flags)
    }

    /// `new StringBuilder("…")` is its argument; other constructions are unknown.
    fn new_expr(&self, v: &View, mut q: usize, b: usize, depth: u32) -> (Val, usize) {
        let mut last = None;
        while q < b {
            match v.kind(q) {
                Some(Kind::Ident) => {
                    last = self.ident_at(v, q);
                    q += 1;
                }
                Some(Kind::Punct("." | "::" | "\\")) => q += 1,
                _ => break,
            }
        }
        if v.is(q, "<") {
            if let Some(e) = self.skip_angle(v, q, b) {
                q = e;
            }
        }
        if !v.is(q, "(") {
            return (Val::Other, q.max(b.min(q + 1)));
        }
        let after = v.after_group(q).min(b);
        if !matches!(last, Some("StringBuilder" | "StringBuffer" | "String")) {
            return (Val::Other, after);
        }
        let inner_end = if v.close.get(q).is_some_and(|&c| c < b) {
            after - 1
        } else {
            b
        };
        let args = self.split(v, q + 1, inner_end, |_, t| t.kind == Kind::Punct(","));
        let val = match args.first() {
            Some(&(x, y)) if x < y => match self.expr(v, x, y, depth + 1) {
                // `new StringBuilder(capacity)`
                Val::Const => Val::Const,
                other => other,
            },
            _ => Val::Const,
        };
        (val, self.transparent_postfix(v, after, b))
    }
}

/// Names captured by a Rust format string: `{name}`, `{name:?}` (not `{}`, `{0}`, `{{`).
fn rust_captures(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            let s = i + 1;
            let mut e = s;
            while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'_') {
                e += 1;
            }
            if e > s && (b[s].is_ascii_alphabetic() || b[s] == b'_') {
                if let Some(name) = text.get(s..e) {
                    out.push(name);
                }
            }
            i = e.max(i + 1);
        } else {
            i += 1;
        }
    }
    out.into_iter()
}

fn is_placeholder_text(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().all(|c| "?%s$@p:,() {}#0123456789".contains(c))
        && (t.contains('?') || t.contains("%s") || t.contains('$') || t.contains("@p"))
}

/// Whether a line break between `prev` and `cur` continues the expression.
fn continues(prev: &Token, cur: &Token) -> bool {
    matches!(cur.kind, Kind::Punct("." | "?." | "+"))
        || matches!(
            prev.kind,
            Kind::Punct(
                "+" | "."
                    | "="
                    | "("
                    | ","
                    | "&&"
                    | "||"
                    | "%"
                    | "?"
                    | ":"
                    | "<<"
                    | "+="
                    | ".="
                    | "\\"
                    | "->"
            )
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_detection() {
        assert!(looks_like_sql(sql_flags("  SELECT * FROM t")));
        assert!(looks_like_sql(sql_flags("(select 1")));
        assert!(looks_like_sql(sql_flags("id = 1; DELETE FROM users")));
        assert!(!looks_like_sql(sql_flags("hello world")));
        assert!(!looks_like_sql(sql_flags("selection from")));
        assert!(!looks_like_sql(sql_flags("Please update your profile")));
    }

    #[test]
    fn printf_verbs() {
        assert!(printf_numeric_only("LIMIT %d OFFSET %5d"));
        assert!(printf_numeric_only("x = %(n)d%%"));
        assert!(!printf_numeric_only("name = '%s'"));
        assert!(!printf_numeric_only("no verbs"));
        assert!(!printf_numeric_only("%"));
    }

    #[test]
    fn captures() {
        let names: Vec<_> = rust_captures("{} {0} {{x}} {name} {id:?} {TABLE}").collect();
        assert_eq!(names, vec!["name", "id", "TABLE"]);
    }
}

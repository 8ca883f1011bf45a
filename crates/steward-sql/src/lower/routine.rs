//! Functions, procedures and triggers.

use super::{Ctx, Lowerer};
use crate::names;
use sqlparser::ast::{self as ast, Expr, ObjectName};
use steward_core::model::{Function, Origin, QualName, Trigger, TriggerTiming, Volatility};
use steward_core::{Location, Position, Span};

impl Lowerer {
    pub(crate) fn create_function(&mut self, ctx: &Ctx, f: &ast::CreateFunction) {
        let d = self.dialect();
        let name = self.resolver.qualify(&f.name);
        let arguments = f
            .args
            .as_ref()
            .map(|a| argument_types(a))
            .unwrap_or_default();
        let parameters = f.args.as_ref().map(|a| parameters(a)).unwrap_or_default();
        let (body, body_origin) = match &f.function_body {
            Some(ast::CreateFunctionBody::AsBeforeOptions { body, .. })
            | Some(ast::CreateFunctionBody::AsAfterOptions(body)) => {
                let text = string_value(body).unwrap_or_else(|| body.to_string());
                let origin = body_origin(ctx, &text);
                (Some(text), origin)
            }
            Some(ast::CreateFunctionBody::AsBeginEnd(b))
            | Some(ast::CreateFunctionBody::BeginAtomic(b)) => {
                (Some(b.to_string()), ctx.statement_origin())
            }
            Some(ast::CreateFunctionBody::Return(e))
            | Some(ast::CreateFunctionBody::AsReturnExpr(e)) => {
                (Some(format!("SELECT {e}")), ctx.statement_origin())
            }
            Some(ast::CreateFunctionBody::AsReturnSelect(s)) => {
                (Some(s.to_string()), ctx.statement_origin())
            }
            None => (None, Origin::Implied),
        };
        let language = f
            .language
            .as_ref()
            .map(|l| l.value.to_ascii_lowercase())
            .unwrap_or_else(|| match f.function_body {
                Some(ast::CreateFunctionBody::BeginAtomic(_))
                | Some(ast::CreateFunctionBody::Return(_)) => "sql".into(),
                _ if d == steward_core::Dialect::Tsql => "tsql".into(),
                _ => String::new(),
            });
        let config = f.set_params.iter().map(|p| set_param(p, d)).collect();
        let function = Function {
            name: name.clone(),
            arguments,
            returns: f.return_type.as_ref().map(|r| r.to_string()),
            language,
            volatility: match f.behavior {
                Some(ast::FunctionBehavior::Immutable) => Volatility::Immutable,
                Some(ast::FunctionBehavior::Stable) => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            security_definer: matches!(f.security, Some(ast::FunctionSecurity::Definer)),
            config,
            parameters,
            body,
            body_origin,
            // PostgreSQL procedures are read as functions after a repair.
            is_procedure: ctx.stmt.removed("PROCEDURE"),
            owner: None,
            origin: ctx.origin(f.name.span()),
        };
        self.upsert_function(function);
    }

    pub(crate) fn create_tsql_procedure(
        &mut self,
        ctx: &Ctx,
        name: &ObjectName,
        params: Option<&Vec<ast::ProcedureParam>>,
        body: &ast::CreateProcedureBody,
    ) {
        // The repair layer may have removed parameters sqlparser cannot read: fall back to
        // the header text.
        let parameters = match params.filter(|p| !p.is_empty()) {
            Some(ps) => ps
                .iter()
                .map(|p| (p.name.value.clone(), p.data_type.to_string()))
                .collect(),
            None => find_body_start(&ctx.stmt.text)
                .map(|end| header_parameters(&ctx.stmt.text[..end]))
                .unwrap_or_default(),
        };
        let name = self.resolver.qualify(name);
        let text = match body {
            ast::CreateProcedureBody::As(statements) => statements.to_string(),
            ast::CreateProcedureBody::BeginAtomic(b) => b.to_string(),
        };
        // The body as written starts after the first standalone AS.
        let (body, body_origin) = match find_body_start(&ctx.stmt.text) {
            Some(offset) => (
                ctx.stmt.text[offset..].to_string(),
                Origin::File {
                    location: Location {
                        path: ctx.stmt.location.path.clone(),
                        span: Span::point(position_in(&ctx.stmt.text, offset, ctx.stmt.base)),
                    },
                    file_index: ctx.stmt.file_index,
                },
            ),
            None => (text, ctx.statement_origin()),
        };
        let language = if self.dialect() == steward_core::Dialect::Tsql {
            "tsql"
        } else {
            "sql"
        };
        self.upsert_function(Function {
            name: name.clone(),
            language: language.into(),
            body: Some(body),
            body_origin,
            parameters,
            is_procedure: true,
            origin: ctx.statement_origin(),
            ..Function::default()
        });
    }

    /// CREATE OR REPLACE replaces the overload with the same arguments.
    fn upsert_function(&mut self, f: Function) {
        let key = self.model.key(&f.name);
        let model = &self.model;
        let existing = model
            .functions
            .iter()
            .position(|g| model.key(&g.name) == key && g.arguments == f.arguments);
        match existing {
            Some(pos) => self.model.functions[pos] = f,
            None => self.model.functions.push(f),
        }
    }

    pub(crate) fn drop_functions(&mut self, descs: &[ast::FunctionDesc]) {
        for desc in descs {
            let matches = self.matcher(desc);
            self.model.functions.retain(|f| !matches(f));
        }
    }

    /// A predicate selecting the overloads a `name(args)` reference means (all of them when
    /// no argument list is given).
    fn matcher(&self, desc: &ast::FunctionDesc) -> impl Fn(&Function) -> bool {
        let name = self.resolver.qualify(&desc.name);
        let key = self.model.key(&name);
        let args = desc.args.as_ref().map(|args| argument_types(args));
        let dialect = self.dialect();
        move |f: &Function| {
            let fkey = match dialect {
                steward_core::Dialect::Postgres => f.name.clone(),
                steward_core::Dialect::Tsql => f.name.folded(),
            };
            fkey == key && args.as_ref().is_none_or(|a| *a == f.arguments)
        }
    }

    /// `ALTER FUNCTION … SET/RESET/SECURITY/OWNER TO`.
    pub(crate) fn alter_function(&mut self, a: &ast::AlterFunction) {
        let d = self.dialect();
        let matches = self.matcher(&a.function);
        for f in self.model.functions.iter_mut().filter(|f| matches(f)) {
            match &a.operation {
                ast::AlterFunctionOperation::OwnerTo(owner) => f.owner = Some(owner.to_string()),
                ast::AlterFunctionOperation::Actions { actions, .. } => {
                    for action in actions {
                        match action {
                            ast::AlterFunctionAction::Set(p) => {
                                let (k, v) = set_param(p, d);
                                f.config.retain(|(name, _)| !name.eq_ignore_ascii_case(&k));
                                f.config.push((k, v));
                            }
                            ast::AlterFunctionAction::Reset(ast::ResetConfig::ALL) => {
                                f.config.clear()
                            }
                            ast::AlterFunctionAction::Reset(ast::ResetConfig::ConfigName(n)) => {
                                let k = names::last(n, d);
                                f.config.retain(|(name, _)| !name.eq_ignore_ascii_case(&k));
                            }
                            ast::AlterFunctionAction::Security { security, .. } => {
                                f.security_definer =
                                    matches!(security, ast::FunctionSecurity::Definer);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    pub(crate) fn create_trigger(&mut self, ctx: &Ctx, t: &ast::CreateTrigger) {
        let d = self.dialect();
        let table = self.resolve_relation(&t.table_name);
        let function = t
            .exec_body
            .as_ref()
            .map(|b| {
                let p = names::parts(&b.func_desc.name, d);
                if p.len() > 1 {
                    self.resolver.qualify_parts(p)
                } else {
                    let bare = p.into_iter().next().unwrap_or_default();
                    let found = self
                        .resolver
                        .search_path
                        .iter()
                        .map(|s| QualName::new(s.clone(), bare.clone()))
                        .find(|q| self.model.functions_named(q).next().is_some());
                    found.unwrap_or_else(|| QualName::new(self.resolver.creation_schema(), bare))
                }
            })
            .unwrap_or_default();
        let mut events = Vec::new();
        let mut update_columns = Vec::new();
        for e in &t.events {
            match e {
                ast::TriggerEvent::Insert => events.push("insert".to_string()),
                ast::TriggerEvent::Delete => events.push("delete".to_string()),
                ast::TriggerEvent::Truncate => events.push("truncate".to_string()),
                ast::TriggerEvent::Update(cols) => {
                    events.push("update".to_string());
                    update_columns.extend(cols.iter().map(|c| names::ident(c, d)));
                }
            }
        }
        let timing = match t.period {
            Some(ast::TriggerPeriod::Before) => TriggerTiming::Before,
            Some(ast::TriggerPeriod::InsteadOf) => TriggerTiming::InsteadOf,
            _ => TriggerTiming::After,
        };
        let for_each_row = matches!(
            t.trigger_object,
            Some(ast::TriggerObjectKind::ForEach(ast::TriggerObject::Row))
                | Some(ast::TriggerObjectKind::For(ast::TriggerObject::Row))
        );
        let trigger = Trigger {
            name: names::last(&t.name, d),
            table: table.clone(),
            function,
            arguments: trigger_arguments(&ctx.stmt.text, d),
            timing,
            events,
            update_columns,
            for_each_row,
            body: t.statements.as_ref().map(|s| s.to_string()),
            origin: ctx.origin(t.name.span()),
        };
        // CREATE OR REPLACE / CREATE OR ALTER replace a trigger of the same name on the table.
        self.model
            .triggers
            .retain(|x| !(x.name == trigger.name && x.table == table));
        self.model.triggers.push(trigger);
    }

    pub(crate) fn drop_trigger(&mut self, d: &ast::DropTrigger) {
        let dialect = self.dialect();
        let name = names::last(&d.trigger_name, dialect);
        let table = d.table_name.as_ref().map(|t| self.resolve_relation(t));
        self.model
            .triggers
            .retain(|t| !(t.name == name && table.as_ref().is_none_or(|tb| *tb == t.table)));
    }
}

use sqlparser::ast::Spanned;

/// The arguments of `EXECUTE FUNCTION f('a', 'b')`, as the function sees them in `TG_ARGV`
/// (read from the text: a repair blanks them before parsing, see `repair.rs`).
fn trigger_arguments(text: &str, dialect: steward_core::Dialect) -> Vec<String> {
    use sqlparser::tokenizer::Token;
    let Ok(tokens) = crate::lex::lex(text, dialect, false) else {
        return Vec::new();
    };
    let Some(exec) = tokens.iter().position(|t| t.is_word("EXECUTE")) else {
        return Vec::new();
    };
    let Some(open) = tokens[exec..].iter().position(|t| t.token == Token::LParen) else {
        return Vec::new();
    };
    tokens[exec + open + 1..]
        .iter()
        .take_while(|t| t.token != Token::RParen)
        .filter_map(|t| match &t.token {
            Token::SingleQuotedString(s) => Some(s.clone()),
            Token::Number(n, _) => Some(n.clone()),
            Token::Word(w) => Some(w.value.clone()),
            _ => None,
        })
        .collect()
}

/// The text inside a string literal (`$$…$$`, `'…'`).
fn string_value(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            ast::Value::DollarQuotedString(s) => Some(s.value.clone()),
            ast::Value::SingleQuotedString(s) | ast::Value::EscapedStringLiteral(s) => {
                Some(s.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Where a function body starts in the file: the first occurrence of its text in the
/// statement (dollar-quoted bodies are copied verbatim).
fn body_origin(ctx: &Ctx, body: &str) -> Origin {
    let Some(offset) = (!body.is_empty())
        .then(|| ctx.stmt.text.find(body))
        .flatten()
    else {
        return ctx.statement_origin();
    };
    Origin::File {
        location: Location {
            path: ctx.stmt.location.path.clone(),
            span: Span::point(position_in(&ctx.stmt.text, offset, ctx.stmt.base)),
        },
        file_index: ctx.stmt.file_index,
    }
}

/// The file position of a byte offset inside a statement that starts at `base`.
pub(crate) fn position_in(text: &str, offset: usize, base: Position) -> Position {
    let prefix = &text[..offset.min(text.len())];
    let line = prefix.matches('\n').count() as u32;
    let column = match prefix.rfind('\n') {
        Some(nl) => prefix[nl + 1..].chars().count() as u32 + 1,
        None => prefix.chars().count() as u32 + 1,
    };
    Position::new(line + 1, column).offset_by(base)
}

/// Byte offset right after the first standalone `AS` of a T-SQL routine header.
fn find_body_start(text: &str) -> Option<usize> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut from = 0;
    while let Some(i) = upper[from..].find("AS") {
        let at = from + i;
        let before = at.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(at + 2).copied();
        let boundary = |b: Option<u8>| b.is_none_or(|b| b.is_ascii_whitespace() || b == b')');
        if boundary(before) && after.is_none_or(|b| b.is_ascii_whitespace()) {
            return Some(at + 2);
        }
        from = at + 2;
    }
    None
}

/// The input argument types as a signature: `integer, text`.
fn argument_types(args: &[ast::OperateFunctionArg]) -> String {
    args.iter()
        .filter(|a| !matches!(a.mode, Some(ast::ArgMode::Out)))
        .map(|a| steward_core::model::ColumnType::parse(&a.data_type.to_string()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Named input parameters: (name, type as written).
fn parameters(args: &[ast::OperateFunctionArg]) -> Vec<(String, String)> {
    args.iter()
        .filter(|a| !matches!(a.mode, Some(ast::ArgMode::Out)))
        .filter_map(|a| Some((a.name.as_ref()?.value.clone(), a.data_type.to_string())))
        .collect()
}

/// A `SET name = value` of a routine definition as a config entry.
fn set_param(p: &ast::FunctionDefinitionSetParam, d: steward_core::Dialect) -> (String, String) {
    let value = match &p.value {
        ast::FunctionSetValue::Default => "DEFAULT".to_string(),
        ast::FunctionSetValue::FromCurrent => "FROM CURRENT".to_string(),
        ast::FunctionSetValue::Values(v) => v
            .iter()
            .map(super::expr_name)
            .collect::<Vec<_>>()
            .join(", "),
    };
    (names::last(&p.name, d), value)
}

/// `@Name nvarchar(100) = NULL, @Id int OUTPUT` in a T-SQL procedure header → names and types.
fn header_parameters(header: &str) -> Vec<(String, String)> {
    let Some(start) = header.find('@') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut piece_start = start;
    let text = &header[start..];
    let mut push = |piece: &str| {
        let mut words = piece.split_whitespace();
        if let (Some(name), Some(ty)) = (words.next(), words.next()) {
            if name.starts_with('@') {
                let ty = ty.split('=').next().unwrap_or(ty);
                out.push((name.to_string(), ty.to_string()));
            }
        }
    };
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                push(&header[piece_start..start + i]);
                piece_start = start + i + 1;
            }
            _ => {}
        }
    }
    push(&header[piece_start..]);
    out
}

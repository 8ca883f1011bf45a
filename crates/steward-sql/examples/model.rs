//! Prints the model built from the given files (debugging aid).
fn main() {
    let mut lowerer = None;
    for (i, path) in std::env::args().skip(1).enumerate() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let dialect = steward_sql::detect::detect(&path, &text);
        let file = steward_sql::parse_file(
            steward_core::SourceFile::new(path.as_str(), text),
            dialect,
            i,
        );
        let l = lowerer.get_or_insert_with(|| steward_sql::lower::Lowerer::new(dialect));
        l.start_file();
        for s in &file.statements {
            l.apply(s);
        }
    }
    let Some(l) = lowerer else { return };
    let m = &l.model;
    for t in m.tables.values() {
        println!(
            "TABLE {} ({} cols, known={}) rls={}/{}",
            t.name,
            t.columns.len(),
            t.columns_known,
            t.rls_enabled,
            t.rls_forced
        );
        for c in &t.columns {
            println!(
                "   {} {} {}{}",
                c.name,
                c.data_type
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                if c.not_null { "NOT NULL " } else { "" },
                c.default
                    .as_deref()
                    .map(|d| format!("DEFAULT {d}"))
                    .unwrap_or_default()
            );
        }
        for k in &t.constraints {
            println!(
                "   CONSTRAINT {:?} {:?} {:?} not_valid={}",
                k.name,
                k.columns,
                match &k.kind {
                    steward_core::model::ConstraintKind::ForeignKey(f) =>
                        format!("FK -> {} {:?}", f.ref_table, f.ref_columns),
                    other => format!("{other:?}"),
                },
                k.not_valid
            );
        }
    }
    for i in &m.indexes {
        println!(
            "INDEX@{:?} {} ON {}",
            i.origin.location().map(|l| l.span.start.line),
            i.name,
            i.table
        );
        println!(
            "INDEX {} ON {} unique={} {} {:?} pred={:?} constraint={:?}",
            i.name,
            i.table,
            i.unique,
            i.method,
            i.keys
                .iter()
                .map(|k| format!("{:?}", k.kind))
                .collect::<Vec<_>>(),
            i.predicate,
            i.constraint
        );
    }
    for v in m.views.values() {
        println!(
            "VIEW {} mat={} cols={:?}",
            v.name, v.materialized, v.columns
        );
    }
    for f in &m.functions {
        println!(
            "FUNCTION {}({}) params={:?} lang={} secdef={} config={:?} body_at={:?}\n  body: {:?}",
            f.name,
            f.arguments,
            f.parameters,
            f.language,
            f.security_definer,
            f.config,
            f.body_origin.location().map(|l| l.span.start),
            f.body
                .as_deref()
                .map(|b| b.chars().take(300).collect::<String>())
        );
    }
    for t in &m.triggers {
        println!(
            "TRIGGER {} ON {} -> {} {:?} row={}",
            t.name, t.table, t.function, t.events, t.for_each_row
        );
    }
    for s in m.sequences.values() {
        println!("SEQUENCE {} owned_by={:?}", s.name, s.owned_by);
    }
    for t in m.types.values() {
        println!("TYPE {} {:?}", t.name, t.kind);
    }
    for g in &m.grants {
        println!(
            "GRANT {:?} ON {:?} TO {:?}",
            g.privileges, g.object, g.grantees
        );
    }
    for r in m.roles.values() {
        println!(
            "ROLE {} login={} super={} pw={}",
            r.name, r.login, r.superuser, r.has_password
        );
    }
    for p in &m.policies {
        println!("POLICY {} ON {} {}", p.name, p.table, p.command);
    }
}

use super::pii::{classify_column, PiiClass, PiiKind, Protection};
use crate::prelude::*;
use steward_core::model::{Column, Table, TableKind, TypeFamily};
use steward_core::Severity;

declare_rule! {
    /// Finds columns holding special categories of personal data (GDPR Art. 9) and security answers.
    ///
    /// ## What it does
    /// Classifies every column by its name and type and reports health data (`diagnosis`,
    /// `allergies`, `blood_type`, `has_disability`), biometrics (`fingerprint_template`,
    /// `face_embedding`), religion, ethnicity (`ethnic_origin`; `race` only in a table of
    /// people), sexual orientation, political opinions, trade-union membership, and answers to
    /// security questions (`security_answer`, `mother_maiden_name`). Columns whose name says
    /// they are encrypted are not reported; keys to lookup tables (`religion_id`) are not
    /// classified.
    ///
    /// ## Why it matters
    /// Processing these categories is prohibited unless an Art. 9 exception applies (explicit
    /// consent, employment law, health care); a leak is a high-risk breach that must be
    /// reported to the users themselves, and fines reach 4% of turnover. Data minimisation
    /// asks whether the column is needed at all. Security answers are passwords people cannot
    /// change (a maiden name is public record) — stored readable, one leak unlocks accounts
    /// elsewhere.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE employee (id bigint PRIMARY KEY, name text, religion text, diagnosis text);
    /// ```
    ///
    /// ## Fix
    /// Drop what is not needed; record the legal basis of what stays, and restrict or encrypt it:
    /// ```sql
    /// ALTER TABLE employee DROP COLUMN religion;
    /// COMMENT ON COLUMN employee.diagnosis IS 'GDPR Art. 9 health data; legal basis: Art. 9(2)(h); retention: 10 years';
    /// ```
    pub struct SpecialCategoryData {
        id: "special-category-data",
        category: Privacy,
        severity: Info,
        dialects: [Postgres, Tsql],
        scope: Schema,
    }
}

impl Rule for SpecialCategoryData {
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
                let Some(pii) =
                    classify_column(&table.name.name, &column.name, column.data_type.as_ref())
                else {
                    continue;
                };
                let security = pii.kind == PiiKind::SecurityQuestion;
                if !(pii.class == PiiClass::Special || security)
                    || matches!(pii.protection, Protection::Encrypted | Protection::Hashed)
                {
                    continue;
                }
                out.push(finding(table, column, pii.kind, dialect));
            }
        }
    }
}

fn finding(table: &Table, column: &Column, kind: PiiKind, dialect: Dialect) -> Diagnostic {
    let object = table.name.column_display(&column.name, dialect);
    if kind == PiiKind::SecurityQuestion {
        let textual = column
            .data_type
            .as_ref()
            .is_some_and(|t| t.family == TypeFamily::Text);
        let mut d = SpecialCategoryData::META
            .diag(if textual {
                format!("{object} stores security answers as readable text")
            } else {
                format!("{object} holds security answers")
            })
            .at(column.origin.location().cloned())
            .object(object)
            .help(
                "security answers act as passwords people cannot change and are often public (a maiden name, a first school); hash them like passwords, or better replace security questions with a second factor (NIST SP 800-63B)",
            );
        if textual {
            d.severity = Severity::Warning;
            d = d.fix(match dialect {
                Dialect::Postgres => {
                    let t = &table.name;
                    let c = quote_ident(&column.name);
                    let h = quote_ident(&format!("{}_hash", column.name));
                    format!(
                        "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nALTER TABLE {t} ADD COLUMN {h} text;\n-- normalise answers (lower case, trimmed) before hashing them\nUPDATE {t} SET {h} = crypt(lower(trim({c})), gen_salt('bf')) WHERE {c} IS NOT NULL;\nALTER TABLE {t} DROP COLUMN {c};"
                    )
                }
                Dialect::Tsql => format!(
                    "ALTER TABLE {} ADD {} varchar(255) NULL; -- bcrypt/argon2id hash written by the application\n-- once every answer has been re-hashed:\nALTER TABLE {} DROP COLUMN {};",
                    table.name.display(dialect),
                    steward_core::model::bracket_ident(&format!("{}Hash", column.name)),
                    table.name.display(dialect),
                    steward_core::model::bracket_ident(&column.name)
                ),
            });
        }
        return d;
    }
    let label = kind.label();
    let fix = match dialect {
        Dialect::Postgres => format!(
            "-- if the column is needed, record why; if not: ALTER TABLE {} DROP COLUMN {};\nCOMMENT ON COLUMN {} IS 'GDPR Art. 9 {label}; legal basis: …; retention: …';",
            table.name,
            quote_ident(&column.name),
            object
        ),
        Dialect::Tsql => format!(
            "-- if the column is needed, classify it (SQL Server 2019+); if not: ALTER TABLE {} DROP COLUMN {};\nADD SENSITIVITY CLASSIFICATION TO {} WITH (LABEL = 'Highly Confidential - GDPR', INFORMATION_TYPE = '{}', RANK = CRITICAL);",
            table.name.display(dialect),
            steward_core::model::bracket_ident(&column.name),
            object,
            information_type(kind)
        ),
    };
    SpecialCategoryData::META
        .diag(format!(
            "{object} holds {label}, a special category of personal data (GDPR Art. 9)"
        ))
        .at(column.origin.location().cloned())
        .object(object)
        .help(format!(
            "{label} may only be processed under an Art. 9 exception and its leak is a high-risk breach; keep it only if needed, document the legal basis and retention, and restrict access to it (separate table, column privileges, encryption)"
        ))
        .fix(fix)
}

fn information_type(kind: PiiKind) -> &'static str {
    match kind {
        PiiKind::Health => "Health",
        PiiKind::Biometric => "Biometric",
        PiiKind::Religion => "Religion",
        PiiKind::Ethnicity => "Ethnicity",
        PiiKind::SexualOrientation => "Sexual Orientation",
        PiiKind::Politics => "Political Opinion",
        PiiKind::TradeUnion => "Trade Union Membership",
        _ => "Other",
    }
}

//! An inventory of personal data from the schema alone: every column the classifier
//! recognises by name and type ([`classify_column`], high confidence), plus abbreviations and
//! other languages (`tel`, `geburtsdatum`, `nif`) and column comments (medium confidence).
//!
//! Rules stay with the conservative classifier — a false alarm costs trust — while an
//! inventory (a record of processing, GDPR Art. 30) is better off listing a column too many:
//! each entry says how sure it is and why. Values are never read here.

use super::pii::{classify_column, mentioned_in, words, Pii, PiiClass, PiiKind, Protection};
use steward_core::model::{Column, Model, Table, TableKind, TypeFamily};

/// How sure the inventory is that a column holds personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// One column with personal data.
#[derive(Debug, Clone)]
pub struct Entry {
    pub table: steward_core::model::QualName,
    pub column: String,
    pub data_type: String,
    pub kind: PiiKind,
    pub class: PiiClass,
    pub protection: Protection,
    pub confidence: Confidence,
    /// Why: `name`, `name (abbreviation or other language)`, `comment`.
    pub evidence: &'static str,
    /// Row-level security on the table: `off`, `on` (the owner bypasses it), `forced`.
    pub rls: &'static str,
    /// Whether a row trigger copies the value elsewhere (an audit or history table):
    /// `copied by trigger t (f)`, or `redacted by trigger t` when it is left out of the copy.
    pub copied: Option<String>,
}

/// Names in other languages and abbreviations, matched as whole words of the column name.
const EXTENDED: &[(&[&str], PiiKind)] = &[
    (&["tel"], PiiKind::Phone),
    (&["telefon"], PiiKind::Phone),
    (&["telefono"], PiiKind::Phone),
    (&["telefone"], PiiKind::Phone),
    (&["telephone"], PiiKind::Phone),
    (&["handy"], PiiKind::Phone),
    (&["movil"], PiiKind::Phone),
    (&["gsm"], PiiKind::Phone),
    (&["correo"], PiiKind::Email),
    (&["courriel"], PiiKind::Email),
    (&["mail"], PiiKind::Email),
    (&["vorname"], PiiKind::Name),
    (&["nachname"], PiiKind::Name),
    (&["nombre"], PiiKind::Name),
    (&["apellido"], PiiKind::Name),
    (&["apellidos"], PiiKind::Name),
    (&["prenom"], PiiKind::Name),
    (&["cognome"], PiiKind::Name),
    (&["fname"], PiiKind::Name),
    (&["lname"], PiiKind::Name),
    (&["adresse"], PiiKind::Address),
    (&["direccion"], PiiKind::Address),
    (&["indirizzo"], PiiKind::Address),
    (&["strasse"], PiiKind::Address),
    (&["address"], PiiKind::Address),
    (&["postal", "code"], PiiKind::Address),
    (&["postcode"], PiiKind::Address),
    (&["zip"], PiiKind::Address),
    (&["zipcode"], PiiKind::Address),
    (&["plz"], PiiKind::Address),
    (&["geburtsdatum"], PiiKind::BirthDate),
    (&["geburtstag"], PiiKind::BirthDate),
    (&["fecha", "nacimiento"], PiiKind::BirthDate),
    (&["date", "naissance"], PiiKind::BirthDate),
    (&["data", "nascita"], PiiKind::BirthDate),
    (&["tax", "id"], PiiKind::NationalId),
    (&["taxid"], PiiKind::NationalId),
    (&["tax", "number"], PiiKind::NationalId),
    (&["steuer", "id"], PiiKind::NationalId),
    (&["steuernummer"], PiiKind::NationalId),
    (&["nif"], PiiKind::NationalId),
    (&["dni"], PiiKind::NationalId),
    (&["cpf"], PiiKind::NationalId),
    (&["curp"], PiiKind::NationalId),
    (&["bsn"], PiiKind::NationalId),
    (&["personnummer"], PiiKind::NationalId),
    (&["pesel"], PiiKind::NationalId),
    (&["aadhaar"], PiiKind::NationalId),
    (&["device", "id"], PiiKind::DeviceId),
    (&["deviceid"], PiiKind::DeviceId),
    (&["imei"], PiiKind::DeviceId),
    (&["idfa"], PiiKind::DeviceId),
    (&["advertising", "id"], PiiKind::DeviceId),
    (&["mac", "address"], PiiKind::DeviceId),
    (&["location"], PiiKind::Geolocation),
    (&["coordinates"], PiiKind::Geolocation),
];

/// Every column of the model's user tables that holds personal data, by name, type and
/// comment.
pub fn inventory(model: &Model) -> Vec<Entry> {
    let mut out = Vec::new();
    for table in model.tables.values().filter(|t| covers(t)) {
        for column in &table.columns {
            if let Some(mut entry) = classify(table, column) {
                entry.copied = copied(model, table, &column.name);
                out.push(entry);
            }
        }
    }
    out
}

/// Whether the inventory covers this table (user tables; partitions are covered by their
/// parent).
pub fn covers(table: &Table) -> bool {
    let schema = table.name.schema.as_str();
    !(schema.starts_with("pg_")
        || schema == "information_schema"
        || table.partition_of.is_some()
        || table.kind == TableKind::Temporary)
}

/// An entry for a column found by other evidence (sampled values), with the table's RLS and
/// trigger copies filled in as for the others.
pub fn entry(
    model: &Model,
    table: &Table,
    column: &Column,
    pii: Pii,
    confidence: Confidence,
    evidence: &'static str,
) -> Entry {
    Entry {
        copied: copied(model, table, &column.name),
        ..make(table, column, pii, confidence, evidence)
    }
}

fn make(
    table: &Table,
    column: &Column,
    pii: Pii,
    confidence: Confidence,
    evidence: &'static str,
) -> Entry {
    Entry {
        table: table.name.clone(),
        column: column.name.clone(),
        data_type: column
            .data_type
            .as_ref()
            .map_or_else(|| "?".to_string(), ToString::to_string),
        kind: pii.kind,
        class: pii.class,
        protection: pii.protection,
        confidence,
        evidence,
        rls: match (table.rls_enabled, table.rls_forced) {
            (false, _) => "off",
            (true, false) => "on",
            (true, true) => "forced",
        },
        copied: None,
    }
}

fn classify(table: &Table, column: &Column) -> Option<Entry> {
    let data_type = column.data_type.as_ref();
    let make = |pii: Pii, confidence, evidence| make(table, column, pii, confidence, evidence);
    if let Some(pii) = classify_column(&table.name.name, &column.name, data_type) {
        return Some(make(pii, Confidence::High, "name"));
    }
    // Flags, counts and keys are not the data itself.
    let fits = data_type.is_none_or(|t| {
        matches!(
            t.family,
            TypeFamily::Text
                | TypeFamily::Date
                | TypeFamily::Json
                | TypeFamily::Binary
                | TypeFamily::Network
                | TypeFamily::Other
        )
    });
    let name_words = words(&column.name);
    let negated = name_words.iter().any(|w| {
        matches!(
            w.as_str(),
            "is" | "has"
                | "count"
                | "type"
                | "format"
                | "template"
                | "verified"
                | "enabled"
                | "sent"
        )
    });
    if fits && !negated {
        for (phrase, kind) in EXTENDED {
            if name_words
                .windows(phrase.len())
                .any(|w| w.iter().zip(*phrase).all(|(a, b)| a == b))
            {
                let pii = Pii {
                    kind: *kind,
                    class: kind.class(),
                    protection: Protection::None,
                };
                return Some(make(
                    pii,
                    Confidence::Medium,
                    "name (abbreviation or other language)",
                ));
            }
        }
    }
    let kind = column.comment.as_deref().and_then(mentioned_in)?;
    if !fits && !matches!(kind, PiiKind::BirthDate) {
        return None;
    }
    let pii = Pii {
        kind,
        class: kind.class(),
        protection: Protection::None,
    };
    Some(make(pii, Confidence::Medium, "comment"))
}

/// Whether a row trigger on the table copies whole rows into another table, and whether it
/// leaves this column out (a generic audit function told by its arguments what to redact).
fn copied(model: &Model, table: &Table, column: &str) -> Option<String> {
    const WHOLE_ROW: &[&str] = &[
        "to_jsonb(new",
        "to_jsonb(old",
        "to_json(new",
        "to_json(old",
        "row_to_json(new",
        "row_to_json(old",
        "hstore(new",
        "hstore(old",
        "new.*",
        "old.*",
    ];
    for trigger in model.triggers_on(&table.name).filter(|t| t.for_each_row) {
        let function = model.functions_named(&trigger.function).next().or_else(|| {
            model.function_by_bare_name(&trigger.function.schema, &trigger.function.name)
        });
        let Some(body) = function.and_then(|f| f.body.as_deref()) else {
            continue;
        };
        let body = body.to_ascii_lowercase().replace(' ', "");
        if !body.contains("insertinto") || !WHOLE_ROW.iter().any(|w| body.contains(w)) {
            continue;
        }
        return Some(
            if trigger
                .arguments
                .iter()
                .any(|a| a.eq_ignore_ascii_case(column))
            {
                format!("redacted by trigger {}", trigger.name)
            } else {
                format!("copied by trigger {} ({})", trigger.name, trigger.function)
            },
        );
    }
    None
}

impl Protection {
    /// `plaintext`, `hashed`, `encrypted`, `masked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protection::None => "plaintext",
            Protection::Hashed => "hashed",
            Protection::Encrypted => "encrypted",
            Protection::Masked => "masked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::model::{ColumnType, QualName};

    fn table(columns: &[(&str, &str, Option<&str>)]) -> Table {
        Table {
            name: QualName::new("public", "member"),
            columns: columns
                .iter()
                .map(|(n, t, c)| Column {
                    name: n.to_string(),
                    data_type: Some(ColumnType::parse(t)),
                    comment: c.map(str::to_string),
                    ..Column::default()
                })
                .collect(),
            ..Table::default()
        }
    }

    #[test]
    fn names_abbreviations_languages_and_comments() {
        let t = table(&[
            ("email", "text", None),
            ("dob", "date", None),
            ("e_mail", "text", None),
            ("tel", "text", None),
            ("geburtsdatum", "date", None),
            ("nif", "text", None),
            ("zip", "text", None),
            ("x1", "date", Some("Date of birth, from the signup form")),
            ("notes", "text", Some("Free text from support")),
            ("tel_count", "integer", None),
            ("mail_sent", "boolean", None),
            ("password_hash", "text", None),
        ]);
        let found: Vec<(String, PiiKind, Confidence, Protection)> = t
            .columns
            .iter()
            .filter_map(|c| classify(&t, c))
            .map(|e| (e.column, e.kind, e.confidence, e.protection))
            .collect();
        let kinds: Vec<(&str, PiiKind)> =
            found.iter().map(|(c, k, _, _)| (c.as_str(), *k)).collect();
        assert_eq!(
            kinds,
            vec![
                ("email", PiiKind::Email),
                ("dob", PiiKind::BirthDate),
                ("e_mail", PiiKind::Email),
                ("tel", PiiKind::Phone),
                ("geburtsdatum", PiiKind::BirthDate),
                ("nif", PiiKind::NationalId),
                ("zip", PiiKind::Address),
                ("x1", PiiKind::BirthDate),
                ("password_hash", PiiKind::Password),
            ]
        );
        assert_eq!(found[0].2, Confidence::High);
        assert_eq!(found[3].2, Confidence::Medium);
        assert_eq!(found[8].3, Protection::Hashed);
    }
}

//! Writing identifiers and literals into generated SQL.

use steward_core::model::QualName;
use steward_core::Dialect;
use steward_rules::rules::correctness::reserved_identifier::is_reserved;

/// An identifier as PostgreSQL needs it: quoted when it is not a plain lower-case name or
/// when it is a reserved word (`user`, `order`).
pub fn ident(name: &str) -> String {
    let quoted = steward_core::model::quote_ident(name);
    if !quoted.starts_with('"') && is_reserved(name, Dialect::Postgres) {
        format!("\"{name}\"")
    } else {
        quoted
    }
}

/// `schema.name`, each part through [`ident`].
pub fn qname(name: &QualName) -> String {
    format!("{}.{}", ident(&name.schema), ident(&name.name))
}

/// A string literal.
pub fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Comma-separated identifiers.
pub fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name for a derived object (index, trigger, policy), kept under PostgreSQL's 63-byte
/// limit so two long names do not silently truncate to the same one.
pub fn object_name(parts: &[&str]) -> String {
    let joined = parts.join("_");
    if joined.len() <= 63 {
        return joined;
    }
    // Keep a readable prefix and a short hash of the whole, on a character boundary.
    let hash = joined.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut cut = 54;
    while !joined.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", &joined[..cut], hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(ident("customer"), "customer");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("Order"), "\"Order\"");
        assert_eq!(lit("it's"), "'it''s'");
        let long = "a".repeat(40);
        let name = object_name(&[&long, &long]);
        assert!(name.len() <= 63, "{name}");
        assert_ne!(name, object_name(&[&long, &"b".repeat(40)]));
    }
}

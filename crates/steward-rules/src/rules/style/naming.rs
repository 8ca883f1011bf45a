//! Naming helpers shared by the style rules: snake_case, singular and plural.

use crate::rules::privacy::pii::words;

/// `CustomerId` → `customer_id`, `IPAddress` → `ip_address`; `None` when nothing is left.
pub fn snake_case(name: &str) -> Option<String> {
    let w = words(name);
    (!w.is_empty()).then(|| w.join("_"))
}

/// Whether a PostgreSQL name is plain snake_case (lower case letters, digits, `_`), i.e. it
/// never needs quoting for its case.
pub fn is_snake_case(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Grammatical number of a table name's last word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Singular,
    Plural,
    /// Same form in both, uncountable, or not a word we can judge.
    Ambiguous,
}

/// Words that are the same in singular and plural, uncountable, or easily misjudged.
const AMBIGUOUS: &[&str] = &[
    "status",
    "address",
    "news",
    "series",
    "data",
    "species",
    "info",
    "information",
    "media",
    "metadata",
    "staff",
    "equipment",
    "feedback",
    "software",
    "hardware",
    "sheep",
    "fish",
    "deer",
    "aircraft",
    "personnel",
    "audio",
    "access",
    "analytics",
    "statistics",
    "stats",
    "physics",
    "economics",
    "ethics",
    "politics",
    "logistics",
    "athletics",
    "mathematics",
    "gas",
    "bus",
    "campus",
    "canvas",
    "alias",
    "bonus",
    "census",
    "corpus",
    "virus",
    "radius",
    "focus",
    "genus",
    "lens",
    "chassis",
    "means",
    "headquarters",
    "crossroads",
    "offspring",
    "moose",
    "salmon",
    "trout",
    "bison",
    "police",
    "cattle",
    "inventory",
    "stock",
    "history",
    "music",
    "money",
    "traffic",
    "research",
    "advice",
    "furniture",
    "luggage",
    "baggage",
    "mail",
    "content",
    "evidence",
    "knowledge",
    "weather",
    "work",
    "homework",
    "rice",
    "log",
    "audit",
    "config",
    "configuration",
    "settings",
    "demo",
    "cms",
    "sms",
    "dns",
    "os",
    "aws",
    "gps",
    "faq",
    "faqs",
    "kudos",
    "lexis",
    "yes",
    "us",
    "is",
    "has",
    "was",
    "this",
    "plus",
    "minus",
    "versus",
    "ms",
    "gs",
];
/// Irregular plurals.
const PLURALS: &[&str] = &[
    "people",
    "children",
    "men",
    "women",
    "mice",
    "geese",
    "feet",
    "teeth",
    "criteria",
    "phenomena",
    "indices",
    "matrices",
    "vertices",
    "analyses",
    "theses",
    "crises",
    "axes",
];
/// Irregular singulars.
const SINGULARS: &[&str] = &[
    "person",
    "child",
    "man",
    "woman",
    "mouse",
    "goose",
    "foot",
    "tooth",
    "criterion",
    "phenomenon",
    "index",
    "matrix",
    "vertex",
    "analysis",
    "thesis",
    "crisis",
    "axis",
];

/// The grammatical number of a table name, judged by its last word.
pub fn number_of(table: &str) -> Number {
    let w = words(table);
    let Some(last) = w.last() else {
        return Number::Ambiguous;
    };
    let last = last.as_str();
    if last.len() < 3 || !last.chars().all(|c| c.is_ascii_lowercase()) || AMBIGUOUS.contains(&last)
    {
        return Number::Ambiguous;
    }
    if PLURALS.contains(&last) {
        return Number::Plural;
    }
    if SINGULARS.contains(&last) {
        return Number::Singular;
    }
    // Latin/Greek and other endings that do not mark plural: -ss (class), -us (status),
    // -is (analysis), -ics (physics), -os (photos vs. kudos), -as/-ys.
    if ["ss", "us", "is", "ics", "os", "as", "ys", "ous"]
        .iter()
        .any(|e| last.ends_with(e))
    {
        return Number::Ambiguous;
    }
    if last.ends_with('s') {
        return Number::Plural;
    }
    Number::Singular
}

/// The singular of a plural word (best effort, used for suggestions and FK names).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(i) = PLURALS.iter().position(|p| *p == lower) {
        return SINGULARS.get(i).map_or(lower.clone(), |s| s.to_string());
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        if stem.len() > 1 {
            return format!("{stem}y");
        }
    }
    for ending in ["sses", "shes", "ches", "xes", "zzes"] {
        if lower.ends_with(ending) {
            return lower[..lower.len() - 2].to_string();
        }
    }
    if number_of(&lower) == Number::Plural {
        if let Some(stem) = lower.strip_suffix('s') {
            return stem.to_string();
        }
    }
    lower
}

/// The plural of a singular word (best effort, for suggestions).
pub fn plural(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(i) = SINGULARS.iter().position(|s| *s == lower) {
        return PLURALS.get(i).map_or(lower.clone(), |p| p.to_string());
    }
    let consonant_y = lower.len() > 1
        && lower.ends_with('y')
        && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        return format!("{}ies", &lower[..lower.len() - 1]);
    }
    if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_number_carefully() {
        assert_eq!(number_of("customers"), Number::Plural);
        assert_eq!(number_of("categories"), Number::Plural);
        assert_eq!(number_of("employee_territories"), Number::Plural);
        assert_eq!(number_of("people"), Number::Plural);
        assert_eq!(number_of("region"), Number::Singular);
        assert_eq!(number_of("film_actor"), Number::Singular);
        assert_eq!(number_of("InvoiceLine"), Number::Singular);
        for t in [
            "status",
            "address",
            "news",
            "series",
            "data",
            "class",
            "bonus",
            "payment_p2007_01",
            "staff",
        ] {
            assert_eq!(number_of(t), Number::Ambiguous, "{t}");
        }
    }

    #[test]
    fn converts_between_forms() {
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("customers"), "customer");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("people"), "person");
        assert_eq!(singular("customer"), "customer");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("region"), "regions");
        assert_eq!(plural("day"), "days");
        assert_eq!(snake_case("CustomerId").as_deref(), Some("customer_id"));
        assert!(is_snake_case("customer_id"));
        assert!(!is_snake_case("CustomerId"));
    }
}

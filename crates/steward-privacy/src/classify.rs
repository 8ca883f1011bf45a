//! Column classification: from sampled values to findings with confidence and evidence.
//!
//! Every non-null value gets at most one label (kind, protection, validator), tried from the
//! most specific shape to the least specific; the labels are tallied per kind and a kind
//! becomes a finding when enough of the column matches. See the crate documentation for the
//! thresholds and the reasoning behind them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::hint::NameHint;
use crate::json;
use crate::validate as v;

/// What kind of personal or secret data a column (or JSON path) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    CardNumber,
    Iban,
    Ssn,
    Phone,
    Email,
    IpAddress,
    Jwt,
    ApiKey,
    GenericToken,
    PasswordHash,
    PlaintextPassword,
    BirthDate,
    Encrypted,
}

impl ValueKind {
    /// Every kind, in declaration order.
    pub const ALL: [ValueKind; 13] = [
        ValueKind::CardNumber,
        ValueKind::Iban,
        ValueKind::Ssn,
        ValueKind::Phone,
        ValueKind::Email,
        ValueKind::IpAddress,
        ValueKind::Jwt,
        ValueKind::ApiKey,
        ValueKind::GenericToken,
        ValueKind::PasswordHash,
        ValueKind::PlaintextPassword,
        ValueKind::BirthDate,
        ValueKind::Encrypted,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::CardNumber => "payment card number",
            ValueKind::Iban => "IBAN",
            ValueKind::Ssn => "US social security number",
            ValueKind::Phone => "phone number",
            ValueKind::Email => "email address",
            ValueKind::IpAddress => "IP address",
            ValueKind::Jwt => "JSON web token",
            ValueKind::ApiKey => "API key",
            ValueKind::GenericToken => "high-entropy token",
            ValueKind::PasswordHash => "password hash",
            ValueKind::PlaintextPassword => "plaintext password",
            ValueKind::BirthDate => "date of birth",
            ValueKind::Encrypted => "encrypted value",
        }
    }

    /// Stable kebab-case identifier (also the serde representation).
    pub fn id(self) -> &'static str {
        match self {
            ValueKind::CardNumber => "card-number",
            ValueKind::Iban => "iban",
            ValueKind::Ssn => "ssn",
            ValueKind::Phone => "phone",
            ValueKind::Email => "email",
            ValueKind::IpAddress => "ip-address",
            ValueKind::Jwt => "jwt",
            ValueKind::ApiKey => "api-key",
            ValueKind::GenericToken => "generic-token",
            ValueKind::PasswordHash => "password-hash",
            ValueKind::PlaintextPassword => "plaintext-password",
            ValueKind::BirthDate => "birth-date",
            ValueKind::Encrypted => "encrypted",
        }
    }

    /// Validator name used in [`Evidence`] when one finding aggregates several validators.
    fn mixed_validator(self) -> &'static str {
        match self {
            ValueKind::CardNumber => "card-number (mixed)",
            ValueKind::Iban => "iban (mixed)",
            ValueKind::Ssn => "ssn (mixed)",
            ValueKind::Phone => "phone (mixed)",
            ValueKind::Email => "email (mixed)",
            ValueKind::IpAddress => "ip-address (mixed)",
            ValueKind::Jwt => "jwt (mixed)",
            ValueKind::ApiKey => "api-key (mixed vendors)",
            ValueKind::GenericToken => "generic-token (mixed)",
            ValueKind::PasswordHash => "password-hash (mixed schemes)",
            ValueKind::PlaintextPassword => "plaintext-password (mixed)",
            ValueKind::BirthDate => "birth-date (mixed)",
            ValueKind::Encrypted => "encrypted (mixed schemes)",
        }
    }
}

/// How the values of a finding are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// Stored as the data itself.
    Plaintext,
    /// Stored as a one-way hash (salted scheme or bare digest).
    Hashed,
    /// Stored encrypted (recognised container, or opaque high-entropy bytes).
    Encrypted,
    /// Partially redacted (`************1234`, `XXX-XX-1234`, `j***@example.com`).
    Masked,
}

impl Protection {
    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Protection::Plaintext => "plaintext",
            Protection::Hashed => "hashed",
            Protection::Encrypted => "encrypted",
            Protection::Masked => "masked",
        }
    }

    /// Stable kebab-case identifier (also the serde representation).
    pub fn id(self) -> &'static str {
        self.label()
    }

    /// Exposure rank: lower is more exposed.
    fn exposure(self) -> u8 {
        match self {
            Protection::Plaintext => 0,
            Protection::Masked => 1,
            Protection::Hashed => 2,
            Protection::Encrypted => 3,
        }
    }
}

/// Why a finding was made: counts and the validator's name, never a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Name of the validator (or validator family) that matched.
    pub validator: &'static str,
    /// Values (or JSON leaves) that matched.
    pub matched: usize,
    /// Values sampled from the column, nulls included.
    pub sampled: usize,
    /// Non-null, non-blank values considered (for a JSON path: leaves at that path).
    pub non_null: usize,
}

impl Evidence {
    /// `matched / non_null` (0 when nothing was non-null).
    pub fn ratio(&self) -> f64 {
        if self.non_null == 0 {
            0.0
        } else {
            self.matched as f64 / self.non_null as f64
        }
    }
}

/// One kind of personal data found in a column (or at a JSON path inside it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueFinding {
    pub kind: ValueKind,
    pub protection: Protection,
    /// 0..1, rounded to two decimals.
    pub confidence: f64,
    pub evidence: Evidence,
    /// JSON key path (`$.contact.email`, `$.phones[*]`) when the finding is inside JSON
    /// documents. Paths are built from key names only; keys that themselves look like data
    /// (an email used as a key, long tokens) are replaced by `*`.
    pub json_path: Option<String>,
}

/// Minimum non-null values for a normal verdict; below it every value must match and the
/// confidence is scaled down.
pub const MIN_NON_NULL: usize = 5;

/// Longest value run through every validator; longer ones are only checked for encryption
/// containers.
const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Minimum share of a kind's matches that a protection needs to get its own finding.
const PROTECTION_MIN_SHARE: f64 = 0.2;

/// Validator strength: how likely a random non-matching value is to pass by accident.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Strength {
    /// Checksums and structured formats (Luhn, mod-97, JWT header, hash formats, vendor key
    /// prefixes, email grammar): required ratio 0.6, base confidence 0.95.
    Strong,
    /// Format-only validators with moderate accident rates (SSN format, IP, masked forms,
    /// plaintext passwords in a password column): ratio 0.7, base 0.85.
    Medium,
    /// Shapes many unrelated values share (phones, dates, generic tokens, bare digits,
    /// opaque ciphertext): ratio 0.8, base 0.7.
    Weak,
}

impl Strength {
    fn threshold(self) -> f64 {
        match self {
            Strength::Strong => 0.6,
            Strength::Medium => 0.7,
            Strength::Weak => 0.8,
        }
    }

    fn base(self) -> f64 {
        match self {
            Strength::Strong => 0.95,
            Strength::Medium => 0.85,
            Strength::Weak => 0.7,
        }
    }
}

/// The verdict for one value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Label {
    pub(crate) kind: ValueKind,
    pub(crate) protection: Protection,
    pub(crate) validator: &'static str,
    pub(crate) strength: Strength,
    /// Upper bound on the confidence a finding built from this label may get.
    pub(crate) cap: f64,
}

fn label(
    kind: ValueKind,
    protection: Protection,
    validator: &'static str,
    strength: Strength,
) -> Option<Label> {
    Some(Label {
        kind,
        protection,
        validator,
        strength,
        cap: 0.99,
    })
}

fn capped(
    kind: ValueKind,
    protection: Protection,
    validator: &'static str,
    strength: Strength,
    cap: f64,
) -> Option<Label> {
    Some(Label {
        kind,
        protection,
        validator,
        strength,
        cap,
    })
}

fn looks_like_json(s: &str) -> bool {
    (s.starts_with('{') && s.ends_with('}')) || (s.starts_with('[') && s.ends_with(']'))
}

/// Labels one trimmed, non-empty value. The order matters: the first (most specific) shape
/// wins, so a bcrypt hash is never also a "generic token".
pub(crate) fn label_value(s: &str, hint: &NameHint, today: (i32, u32, u32)) -> Option<Label> {
    use Protection::{Encrypted, Hashed, Masked, Plaintext};
    use Strength::{Medium, Strong, Weak};
    use ValueKind as K;

    // Identifiers and documents are never personal values themselves.
    if v::is_uuid(s) || looks_like_json(s) {
        return None;
    }
    // Long values (documents, blobs) are only checked for encryption containers, which are
    // recognised by their first bytes.
    if s.len() > MAX_VALUE_BYTES {
        return v::encryption_scheme(s)
            .and_then(|scheme| label(K::Encrypted, Encrypted, scheme, Strong));
    }
    if let Some(scheme) = v::encryption_scheme(s) {
        return label(K::Encrypted, Encrypted, scheme, Strong);
    }
    if let Some(scheme) = v::password_hash_scheme(s) {
        return label(K::PasswordHash, Hashed, scheme, Strong);
    }
    if v::is_jwt(s) {
        return label(K::Jwt, Plaintext, "jwt", Strong);
    }
    if let Some(vendor) = v::api_key_vendor(s) {
        return label(K::ApiKey, Plaintext, vendor, Strong);
    }
    if v::is_masked_card(s) {
        return label(K::CardNumber, Masked, "masked-card", Medium);
    }
    if v::is_masked_ssn(s) {
        return label(K::Ssn, Masked, "masked-ssn", Medium);
    }
    if v::is_masked_email(s) {
        return label(K::Email, Masked, "masked-email", Medium);
    }
    if v::is_masked_phone(s) {
        return label(K::Phone, Masked, "masked-phone", Medium);
    }
    if v::is_email(s) {
        return label(K::Email, Plaintext, "email", Strong);
    }
    if v::is_iban(s) {
        return label(K::Iban, Plaintext, "iban-mod97", Strong);
    }
    if v::is_card_number(s) {
        return label(K::CardNumber, Plaintext, "luhn-iin", Strong);
    }
    if v::is_ssn_formatted(s) {
        return label(K::Ssn, Plaintext, "ssn-format", Medium);
    }
    if v::is_ssn_plain(s) && !hint.contradicts(K::Ssn) {
        // Nine digits pass the SSN rules ~89 % of the time: without a supporting name this
        // stays a low-confidence guess.
        return if hint.supports(K::Ssn) {
            label(K::Ssn, Plaintext, "ssn-9-digits", Medium)
        } else {
            capped(K::Ssn, Plaintext, "ssn-9-digits", Weak, 0.5)
        };
    }
    if v::is_ipv4(s) {
        let validator = if v::ipv4_version_like(s) {
            "ipv4-version-like"
        } else {
            "ipv4"
        };
        return label(K::IpAddress, Plaintext, validator, Medium);
    }
    if v::is_ipv6(s) {
        return label(K::IpAddress, Plaintext, "ipv6", Medium);
    }
    if v::is_birth_date(s, today) {
        return label(K::BirthDate, Plaintext, "birth-date", Weak);
    }
    if v::is_phone(s) {
        return label(K::Phone, Plaintext, "phone-format", Weak);
    }
    if hint.supports(K::Phone) && v::is_phone_digits(s) {
        return label(K::Phone, Plaintext, "phone-digits", Weak);
    }
    if v::is_hex_digest(s) {
        // A bare digest: what it protects depends on the name.
        return if hint.is_password() {
            label(K::PasswordHash, Hashed, "unsalted-hex-digest", Medium)
        } else if hint.is_digest_name() {
            None
        } else if hint.is_token_name() {
            label(K::GenericToken, Plaintext, "hex-token", Weak)
        } else {
            capped(K::PasswordHash, Hashed, "unsalted-hex-digest", Weak, 0.5)
        };
    }
    if v::is_opaque_ciphertext(s) {
        return label(K::Encrypted, Encrypted, "opaque-high-entropy", Weak);
    }
    if v::is_base64_file_blob(s) {
        return None;
    }
    if hint.is_password() && v::is_plaintext_password_candidate(s) {
        return label(
            K::PlaintextPassword,
            Plaintext,
            "password-named-plaintext",
            Medium,
        );
    }
    if v::is_generic_token(s) {
        return label(K::GenericToken, Plaintext, "high-entropy-token", Weak);
    }
    None
}

/// True when at least 90 % of the values are bare integers packed into a narrow range
/// (max − min ≤ 1000 per value): sequences, auto-increment ids and the like.
fn numeric_id_like(values: &[&str]) -> bool {
    let nums: Vec<u128> = values
        .iter()
        .filter(|s| (1..=30).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|s| s.parse::<u128>().ok())
        .collect();
    if nums.len() < 2 || nums.len() * 10 < values.len() * 9 {
        return false;
    }
    let (Some(min), Some(max)) = (nums.iter().min(), nums.iter().max()) else {
        return false;
    };
    max - min <= 1000 * nums.len() as u128
}

#[derive(Default)]
struct Tally {
    count: usize,
    label: Option<Label>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Classifies trimmed non-null values under one name hint.
fn classify_values(
    hint: &NameHint,
    values: &[&str],
    sampled: usize,
    today: (i32, u32, u32),
    json_path: Option<&str>,
) -> Vec<ValueFinding> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    // Tally per (kind, protection, validator).
    let mut tallies: BTreeMap<(ValueKind, Protection, &'static str), Tally> = BTreeMap::new();
    let mut ages: Vec<i32> = Vec::new();
    for &s in values {
        let Some(l) = label_value(s, hint, today) else {
            continue;
        };
        if l.kind == ValueKind::BirthDate {
            if let Some(age) = v::parse_birth_date(s).and_then(|d| v::age_on(d, today)) {
                ages.push(age);
            }
        }
        let t = tallies
            .entry((l.kind, l.protection, l.validator))
            .or_default();
        t.count += 1;
        t.label = Some(l);
    }

    // Opaque ciphertext and generic tokens are the same weak "random-looking" signal seen
    // from two sides (13–25 % of real base64 ciphertexts lack `+`, `/` and `=`): fold the
    // smaller group into the larger one.
    let opaque_key = (
        ValueKind::Encrypted,
        Protection::Encrypted,
        "opaque-high-entropy",
    );
    let token_key = (
        ValueKind::GenericToken,
        Protection::Plaintext,
        "high-entropy-token",
    );
    if let (Some(o), Some(t)) = (
        tallies.get(&opaque_key).map(|t| t.count),
        tallies.get(&token_key).map(|t| t.count),
    ) {
        let (from, into) = if o >= t {
            (token_key, opaque_key)
        } else {
            (opaque_key, token_key)
        };
        if let Some(moved) = tallies.remove(&from) {
            if let Some(target) = tallies.get_mut(&into) {
                target.count += moved.count;
            }
        }
    }

    // Group per kind.
    let mut kinds: BTreeMap<ValueKind, Vec<(Protection, &'static str, usize, Label)>> =
        BTreeMap::new();
    for ((kind, protection, validator), t) in &tallies {
        if let Some(l) = t.label {
            kinds
                .entry(*kind)
                .or_default()
                .push((*protection, validator, t.count, l));
        }
    }

    let id_like = numeric_id_like(values);
    let mut out = Vec::new();
    for (kind, groups) in &kinds {
        let kind = *kind;
        let total: usize = groups.iter().map(|g| g.2).sum();
        let ratio = total as f64 / n as f64;
        let weight = |f: &dyn Fn(&Label) -> f64| -> f64 {
            groups.iter().map(|g| f(&g.3) * g.2 as f64).sum::<f64>() / total as f64
        };
        let mut threshold = weight(&|l| l.strength.threshold());
        let mut base = weight(&|l| l.strength.base());
        let mut cap = weight(&|l| l.cap);
        let supports = hint.supports(kind);

        if hint.contradicts(kind) {
            match kind {
                // A name that explains the values away vetoes weak shapes.
                ValueKind::BirthDate | ValueKind::IpAddress | ValueKind::GenericToken => continue,
                ValueKind::Encrypted if groups.iter().all(|g| g.1 == "opaque-high-entropy") => {
                    continue
                }
                // Strong validators survive a contradicting name only with a high ratio.
                _ => {
                    threshold = threshold.max(0.9);
                    base *= 0.8;
                }
            }
        }
        if id_like
            && !supports
            && matches!(
                kind,
                ValueKind::CardNumber | ValueKind::Ssn | ValueKind::Phone
            )
        {
            continue;
        }
        match kind {
            ValueKind::IpAddress if !supports => {
                let version_like: usize = groups
                    .iter()
                    .filter(|g| g.1 == "ipv4-version-like")
                    .map(|g| g.2)
                    .sum();
                if version_like * 2 > total {
                    continue;
                }
            }
            ValueKind::BirthDate if !supports => {
                // Without a birth-ish name, dates must be distributed like birth dates:
                // median age 14–100 and a spread of at least ten years.
                let mut sorted = ages.clone();
                sorted.sort_unstable();
                let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
                let spread =
                    sorted.last().copied().unwrap_or(0) - sorted.first().copied().unwrap_or(0);
                if !(14..=100).contains(&median) || spread < 10 {
                    continue;
                }
                cap = cap.min(0.6);
            }
            _ => {}
        }

        let small = n < MIN_NON_NULL;
        let passes = if small {
            total == n
        } else {
            ratio >= threshold
        };
        if !passes {
            continue;
        }
        let headroom = if threshold >= 1.0 {
            1.0
        } else {
            ((ratio - threshold) / (1.0 - threshold)).clamp(0.0, 1.0)
        };
        let mut confidence = base * (0.8 + 0.2 * headroom);
        if supports {
            confidence += (1.0 - confidence) * 0.5;
        }
        if small {
            confidence *= 0.5 + 0.1 * n as f64;
        }
        let confidence = round2(confidence.min(cap).clamp(0.0, 0.99));

        // One finding per protection that carries a meaningful share of the kind's values.
        let mut by_protection: BTreeMap<Protection, Vec<(&'static str, usize)>> = BTreeMap::new();
        for (p, validator, count, _) in groups {
            by_protection
                .entry(*p)
                .or_default()
                .push((validator, *count));
        }
        let mut emitted: Vec<ValueFinding> = Vec::new();
        for (protection, members) in &by_protection {
            let count: usize = members.iter().map(|m| m.1).sum();
            if (count as f64) < PROTECTION_MIN_SHARE * total as f64 {
                continue;
            }
            let validator = match members.as_slice() {
                [(only, _)] => *only,
                _ => kind.mixed_validator(),
            };
            emitted.push(ValueFinding {
                kind,
                protection: *protection,
                confidence,
                evidence: Evidence {
                    validator,
                    matched: count,
                    sampled,
                    non_null: n,
                },
                json_path: json_path.map(str::to_owned),
            });
        }
        emitted.sort_by_key(|f| f.protection.exposure());
        out.extend(emitted);
    }

    minority_plaintext_passwords(hint, &kinds, n, sampled, json_path, &mut out);
    out
}

/// In a password column that is mostly hashed, a handful of plaintext-looking values (legacy
/// rows never re-hashed) is worth reporting on its own: at least two values and 5 % of the
/// column, at a modest confidence.
fn minority_plaintext_passwords(
    hint: &NameHint,
    kinds: &BTreeMap<ValueKind, Vec<(Protection, &'static str, usize, Label)>>,
    n: usize,
    sampled: usize,
    json_path: Option<&str>,
    out: &mut Vec<ValueFinding>,
) {
    if !hint.is_password() || out.iter().any(|f| f.kind == ValueKind::PlaintextPassword) {
        return;
    }
    let protected = out
        .iter()
        .any(|f| matches!(f.kind, ValueKind::PasswordHash | ValueKind::Encrypted));
    let plain: usize = kinds
        .get(&ValueKind::PlaintextPassword)
        .map_or(0, |g| g.iter().map(|x| x.2).sum());
    if protected && plain >= 2 && plain * 20 >= n {
        out.push(ValueFinding {
            kind: ValueKind::PlaintextPassword,
            protection: Protection::Plaintext,
            confidence: 0.5,
            evidence: Evidence {
                validator: "password-named-plaintext (minority)",
                matched: plain,
                sampled,
                non_null: n,
            },
            json_path: json_path.map(str::to_owned),
        });
    }
}

/// Classifies one column from its sampled values.
///
/// * `name_hint` — the column name (used as a hint only; see the crate docs).
/// * `values` — the sample as text, `None` for SQL NULL. Values are trimmed; blank values
///   count as null. PostgreSQL array literals (`{a,b}`) contribute their elements, so
///   `non_null` counts elements for array columns; JSON documents contribute their leaves
///   to per-path findings.
/// * `today` — (year, month, day) used for the date-of-birth age check; the crate never
///   reads the clock.
///
/// Returns plain-value findings first (`json_path == None`), then findings per JSON path,
/// each group by descending confidence. No value is ever part of the result.
pub fn classify_column(
    name_hint: &str,
    values: &[Option<&str>],
    today: (i32, u32, u32),
) -> Vec<ValueFinding> {
    let hint = NameHint::new(name_hint);
    let non_null: Vec<&str> = values
        .iter()
        .filter_map(|v| v.map(str::trim))
        .filter(|v| !v.is_empty())
        .collect();
    // Elements of PostgreSQL array literals (`text[]` columns print as `{a,b}`) are values
    // of the column in their own right.
    let mut plain: Vec<&str> = Vec::with_capacity(non_null.len());
    let mut elements: Vec<String> = Vec::new();
    for &value in &non_null {
        match json::pg_array_elements(value) {
            Some(items) => elements.extend(items),
            None => plain.push(value),
        }
    }
    plain.extend(elements.iter().map(|e| e.trim()).filter(|e| !e.is_empty()));
    let mut out = classify_values(&hint, &plain, values.len(), today, None);

    for (path, leaves) in json::collect_leaves(&non_null, today) {
        let leaf_hint = match leaves.key.as_deref() {
            Some(key) => NameHint::new(key),
            None => hint.clone(),
        };
        let leaf_values: Vec<&str> = leaves
            .values
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        out.extend(classify_values(
            &leaf_hint,
            &leaf_values,
            values.len(),
            today,
            Some(&path),
        ));
    }

    out.sort_by(|a, b| {
        a.json_path
            .cmp(&b.json_path)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.kind.cmp(&b.kind))
            .then(a.protection.exposure().cmp(&b.protection.exposure()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i32, u32, u32) = (2025, 6, 15);

    #[test]
    fn ids_and_labels_are_consistent_with_serde() {
        for kind in ValueKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
            assert!(!kind.label().is_empty());
        }
        for p in [
            Protection::Plaintext,
            Protection::Hashed,
            Protection::Encrypted,
            Protection::Masked,
        ] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.id())
            );
        }
    }

    #[test]
    fn precedence_of_labels() {
        let none = NameHint::new("");
        let l = |s: &str| label_value(s, &none, TODAY).map(|l| (l.kind, l.protection));
        assert_eq!(
            l("j***@example.com"),
            Some((ValueKind::Email, Protection::Masked))
        );
        assert_eq!(
            l("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
            Some((ValueKind::PasswordHash, Protection::Hashed))
        );
        assert_eq!(l("550e8400-e29b-41d4-a716-446655440000"), None);
        assert_eq!(l(r#"{"a":1}"#), None);
        assert_eq!(l("123456789").map(|x| x.0), Some(ValueKind::Ssn));
        assert_eq!(label_value("123456789", &NameHint::new("zip"), TODAY), None);
        assert_eq!(
            label_value("4155550134", &NameHint::new("phone"), TODAY).map(|l| l.kind),
            Some(ValueKind::Phone)
        );
        assert_eq!(l("4155550134"), None);
    }

    #[test]
    fn evidence_ratio() {
        let e = Evidence {
            validator: "x",
            matched: 3,
            sampled: 10,
            non_null: 4,
        };
        assert!((e.ratio() - 0.75).abs() < 1e-9);
        let z = Evidence {
            validator: "x",
            matched: 0,
            sampled: 10,
            non_null: 0,
        };
        assert_eq!(z.ratio(), 0.0);
    }

    #[test]
    fn small_samples_need_every_value_and_lower_confidence() {
        let full = classify_column(
            "email",
            &[Some("a@example.com"), Some("b@example.org")],
            TODAY,
        );
        assert_eq!(full.len(), 1);
        assert!(full[0].confidence < 0.9);
        let partial = classify_column("email", &[Some("a@example.com"), Some("nope")], TODAY);
        assert!(partial.is_empty());
        assert!(classify_column("email", &[None, Some("  ")], TODAY).is_empty());
    }

    #[test]
    fn long_values_are_only_checked_for_encryption() {
        let none = NameHint::new("");
        let big_pgp = format!("\\xc30d04070302{}", "ab".repeat(50_000));
        assert_eq!(
            label_value(&big_pgp, &none, TODAY).map(|l| l.kind),
            Some(ValueKind::Encrypted)
        );
        let big_token = "Zx8kP2mQ9vL4nR7t".repeat(5_000);
        assert_eq!(label_value(&big_token, &none, TODAY), None);
    }

    #[test]
    fn id_like_numbers_are_not_ssns() {
        let vals: Vec<String> = (0..50).map(|i| (123_456_700 + i * 3).to_string()).collect();
        let refs: Vec<Option<&str>> = vals.iter().map(|s| Some(s.as_str())).collect();
        assert!(classify_column("value", &refs, TODAY).is_empty());
    }
}

//! Column-name and JSON-key hints.
//!
//! Names never decide a finding on their own (this crate is value-based); they raise
//! confidence when they agree with the values, unlock the weak validators that would
//! otherwise match every integer (bare-digit phone numbers), and veto or tighten findings
//! the name contradicts (a `zip` column of nine-digit numbers is not SSNs, `created_on`
//! dates are not birth dates).

use crate::classify::ValueKind;

/// A name split into lowercase words: `customerEmail` → `customer`, `email`;
/// `ip_addr` → `ip`, `addr`. `joined` is the lowercase name with separators removed, for
/// compound names such as `userpassword`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct NameHint {
    tokens: Vec<String>,
    joined: String,
}

impl NameHint {
    pub(crate) fn new(name: &str) -> Self {
        let mut tokens = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in name.chars() {
            if c.is_alphanumeric() {
                if c.is_uppercase() && prev_lower && !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = c.is_lowercase() || c.is_ascii_digit();
                cur.extend(c.to_lowercase());
            } else {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        let joined = tokens.concat();
        NameHint { tokens, joined }
    }

    /// A token equal to one of `words`, or to one of them plus a plural `s`.
    fn has_token(&self, words: &[&str]) -> bool {
        self.tokens.iter().any(|t| {
            words
                .iter()
                .any(|w| t == w || t.strip_suffix('s').is_some_and(|stem| stem == *w))
        })
    }

    /// The separator-free name contains one of `parts` (use only for distinctive parts of
    /// five or more letters, to avoid matches inside unrelated words).
    fn contains(&self, parts: &[&str]) -> bool {
        parts.iter().any(|p| self.joined.contains(p))
    }

    pub(crate) fn is_password(&self) -> bool {
        self.has_token(&[
            "pass",
            "pw",
            "pwd",
            "passwd",
            "password",
            "passphrase",
            "passwort",
            "pin",
        ]) || self.contains(&[
            "password",
            "passwd",
            "passwort",
            "passphrase",
            "userpwd",
            "pwdhash",
        ])
    }

    /// Names of checksums and content hashes (not secrets).
    pub(crate) fn is_digest_name(&self) -> bool {
        self.has_token(&[
            "checksum",
            "hash",
            "digest",
            "sha",
            "sha1",
            "sha256",
            "sha512",
            "md5",
            "etag",
            "fingerprint",
            "commit",
            "revision",
            "rev",
            "blob",
            "content",
            "file",
            "crc",
            "signature",
            "sig",
            "integrity",
            // Identifiers that are often hex or random-looking.
            "build",
            "id",
            "ref",
            "oid",
            "object",
            "cache",
            "version",
            "uid",
            "guid",
            "request",
            "trace",
            "span",
            "correlation",
            // Not secret on their own.
            "salt",
            "iv",
        ]) || self.contains(&["checksum", "fingerprint"])
    }

    /// Names of secrets that are stored as tokens.
    pub(crate) fn is_token_name(&self) -> bool {
        self.has_token(&[
            "token",
            "secret",
            "key",
            "apikey",
            "session",
            "nonce",
            "credential",
            "bearer",
            "auth",
            "access",
            "refresh",
            "otp",
            "totp",
        ]) || self.contains(&["token", "secret", "apikey", "accesskey", "credential"])
    }

    /// The name says the column holds this kind of data.
    pub(crate) fn supports(&self, kind: ValueKind) -> bool {
        match kind {
            ValueKind::CardNumber => {
                self.has_token(&[
                    "card",
                    "cc",
                    "ccn",
                    "pan",
                    "creditcard",
                    "cardnumber",
                    "ccnumber",
                    "cardno",
                ]) || self.contains(&["creditcard", "cardnum", "cardno"])
            }
            ValueKind::Iban => self.has_token(&["iban", "bban"]) || self.contains(&["iban"]),
            ValueKind::Ssn => {
                self.has_token(&[
                    "ssn",
                    "social",
                    "socialsecurity",
                    "taxid",
                    "tin",
                    "nationalid",
                    "national",
                    "sozial",
                ]) || self.contains(&["socialsec", "nationalid"])
            }
            ValueKind::Phone => {
                self.has_token(&[
                    "phone",
                    "tel",
                    "telephone",
                    "mobile",
                    "cell",
                    "cellphone",
                    "fax",
                    "msisdn",
                    "handy",
                    "telefon",
                    "mobil",
                ]) || self.contains(&["phone", "mobile", "telefon"])
            }
            ValueKind::Email => {
                self.has_token(&["email", "mail", "mailaddress"]) || self.contains(&["email"])
            }
            ValueKind::IpAddress => {
                self.has_token(&[
                    "ip",
                    "ipaddr",
                    "ipaddress",
                    "ipv4",
                    "ipv6",
                    "inet",
                    "cidr",
                    "host",
                    "remote",
                    "peer",
                    "client",
                    "addr",
                ]) || self.contains(&["ipaddr", "ipv4", "ipv6"])
            }
            ValueKind::Jwt => self.has_token(&["jwt", "bearer", "idtoken"]) || self.is_token_name(),
            ValueKind::ApiKey | ValueKind::GenericToken => self.is_token_name(),
            ValueKind::PasswordHash | ValueKind::PlaintextPassword => self.is_password(),
            ValueKind::BirthDate => {
                self.has_token(&[
                    "dob",
                    "birth",
                    "birthday",
                    "birthdate",
                    "born",
                    "bday",
                    "geburtsdatum",
                    "geburtstag",
                ]) || self.contains(&["birth", "geburt"])
            }
            ValueKind::Encrypted => {
                self.has_token(&[
                    "enc",
                    "encrypted",
                    "cipher",
                    "ciphertext",
                    "crypt",
                    "sealed",
                    "pgp",
                    "gpg",
                ]) || self.contains(&["encrypt", "cipher"])
            }
        }
    }

    /// The name says the column holds something else, which would explain look-alike values.
    /// A supporting name always wins (`phone_number` supports phones even though `number`
    /// contradicts them).
    pub(crate) fn contradicts(&self, kind: ValueKind) -> bool {
        if self.supports(kind) {
            return false;
        }
        const NUMERIC_NOT_PERSONAL: &[&str] = &[
            "id",
            "no",
            "nr",
            "num",
            "number",
            "zip",
            "zipcode",
            "postal",
            "postcode",
            "plz",
            "code",
            "order",
            "invoice",
            "sku",
            "qty",
            "quantity",
            "count",
            "amount",
            "price",
            "total",
            "ts",
            "timestamp",
            "time",
            "epoch",
            "seq",
            "sequence",
            "version",
            "year",
            "ref",
            "reference",
            "serial",
            "port",
            "pid",
            "uid",
            "gid",
            "pk",
            "fk",
            "tracking",
            "barcode",
            "ean",
            "upc",
            "isbn",
            "account",
            "balance",
            "size",
            "length",
            "offset",
            "rank",
            "score",
            "hash",
        ];
        match kind {
            ValueKind::CardNumber | ValueKind::Ssn | ValueKind::Phone => {
                self.has_token(NUMERIC_NOT_PERSONAL) || self.joined.ends_with("id")
            }
            ValueKind::BirthDate => self.has_token(&[
                "created",
                "updated",
                "modified",
                "deleted",
                "expires",
                "expiry",
                "expiration",
                "expired",
                "start",
                "started",
                "end",
                "ended",
                "due",
                "valid",
                "order",
                "ordered",
                "ship",
                "shipped",
                "shipping",
                "delivery",
                "delivered",
                "invoice",
                "paid",
                "payment",
                "at",
                "on",
                "since",
                "until",
                "from",
                "to",
                "last",
                "login",
                "seen",
                "release",
                "released",
                "published",
                "event",
                "hire",
                "hired",
                "join",
                "joined",
                "signup",
                "registered",
                "registration",
                "issue",
                "issued",
                "effective",
                "booking",
                "booked",
                "purchase",
                "purchased",
                "sent",
                "received",
                "closed",
                "opened",
                "visit",
                "appointment",
                "death",
                "died",
                "deceased",
                "renewal",
                "settlement",
                "posted",
                "scheduled",
                "archived",
            ]),
            ValueKind::IpAddress => self.has_token(&[
                "version", "ver", "release", "build", "revision", "oid", "semver",
            ]),
            ValueKind::GenericToken | ValueKind::ApiKey | ValueKind::Encrypted => {
                self.is_digest_name() && !self.is_token_name()
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_snake_camel_and_compound_names() {
        let h = NameHint::new("customerEmail");
        assert!(h.supports(ValueKind::Email));
        assert!(NameHint::new("ip_addr").supports(ValueKind::IpAddress));
        assert!(NameHint::new("userpassword").is_password());
        assert!(NameHint::new("PASSWORD_HASH").is_password());
        assert!(!NameHint::new("passport_no").is_password());
        assert!(!NameHint::new("classname").supports(ValueKind::Ssn));
        assert!(NameHint::new("phones").supports(ValueKind::Phone));
        assert_eq!(NameHint::new(""), NameHint::default());
    }

    #[test]
    fn contradictions_yield_to_support() {
        assert!(NameHint::new("zip").contradicts(ValueKind::Ssn));
        assert!(NameHint::new("order_id").contradicts(ValueKind::Ssn));
        assert!(NameHint::new("customerid").contradicts(ValueKind::Phone));
        assert!(!NameHint::new("phone_number").contradicts(ValueKind::Phone));
        assert!(!NameHint::new("ssn").contradicts(ValueKind::Ssn));
        assert!(NameHint::new("created_on").contradicts(ValueKind::BirthDate));
        assert!(!NameHint::new("birth_date").contradicts(ValueKind::BirthDate));
        assert!(!NameHint::new("notes").contradicts(ValueKind::BirthDate));
        assert!(NameHint::new("version").contradicts(ValueKind::IpAddress));
        assert!(NameHint::new("file_checksum").contradicts(ValueKind::GenericToken));
        assert!(!NameHint::new("token_hash").contradicts(ValueKind::GenericToken));
    }
}

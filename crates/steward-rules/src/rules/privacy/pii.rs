//! A classifier for personal data: from a column's name (with its table's name and its type)
//! to the kind of personal data it most likely holds.
//!
//! Used by the privacy rules and meant for reuse (an inventory of personal data, `steward
//! privacy`). It is deliberately conservative: a false alarm on a clean schema costs more
//! than a missed column, so names are matched word by word (snake_case, camelCase and
//! PascalCase are split into words) against known phrases, and a phrase only counts when the
//! words after it still describe the value itself:
//!
//! - `email`, `contact_email`, `EmailAddress`, `email2` → [`PiiKind::Email`];
//! - `email_verified`, `email_id`, `email_count`, `email_template` → nothing (they describe
//!   something *about* an email, not the address);
//! - `password_hash`, `encrypted_ssn` → found, with [`Protection::Hashed`] /
//!   [`Protection::Encrypted`];
//! - bare `name` only in a table of people (`customer`, `users`, `employee`…): the `name` of
//!   a `category` is not personal data;
//! - the type must fit: a boolean or integer column is never an email, a timestamp only ever
//!   a birth date.

use steward_core::model::{ColumnType, TypeFamily};

/// How sensitive a kind of personal data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PiiClass {
    /// Personal data (GDPR Art. 4): identifies or describes a person.
    Personal,
    /// Special categories (GDPR Art. 9): health, biometrics, religion, ethnicity, sexual
    /// orientation, political opinions, trade-union membership. Processing is prohibited
    /// unless an exception applies.
    Special,
    /// Credentials and secrets: whoever reads them can act as the user or the application.
    Secret,
}

impl PiiClass {
    pub fn as_str(self) -> &'static str {
        match self {
            PiiClass::Personal => "personal",
            PiiClass::Special => "special",
            PiiClass::Secret => "secret",
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PiiKind {
    Email,
    Phone,
    /// A person's name (first, last, full; bare `name` in a table of people).
    Name,
    /// A postal address (street, address lines).
    Address,
    BirthDate,
    /// Government identifiers: social security, national id, national insurance, driving
    /// licence numbers.
    NationalId,
    Passport,
    /// Payment card numbers and verification codes.
    CardNumber,
    /// IBAN and bank account numbers.
    BankAccount,
    Password,
    /// Session, access, refresh, reset, verification tokens.
    Token,
    /// API keys, client secrets, private keys.
    ApiKey,
    /// Other secrets: `secret`, OTP/TOTP seeds, recovery codes.
    Secret,
    /// Security questions and their answers (a mother's maiden name).
    SecurityQuestion,
    IpAddress,
    /// Latitude/longitude of a person.
    Geolocation,
    /// Device and advertising identifiers (IMEI, IDFA, device id): they single out a person's
    /// phone as well as a name does.
    DeviceId,
    Health,
    Biometric,
    Religion,
    Ethnicity,
    SexualOrientation,
    Politics,
    TradeUnion,
}

impl PiiKind {
    /// The class of this kind.
    pub fn class(self) -> PiiClass {
        use PiiKind::*;
        match self {
            Email | Phone | Name | Address | BirthDate | NationalId | Passport | CardNumber
            | BankAccount | IpAddress | Geolocation | DeviceId => PiiClass::Personal,
            Health | Biometric | Religion | Ethnicity | SexualOrientation | Politics
            | TradeUnion => PiiClass::Special,
            Password | Token | ApiKey | Secret | SecurityQuestion => PiiClass::Secret,
        }
    }

    /// A short human label, e.g. `email address`, `health data`.
    pub fn label(self) -> &'static str {
        use PiiKind::*;
        match self {
            Email => "email address",
            Phone => "phone number",
            Name => "person's name",
            Address => "postal address",
            BirthDate => "date of birth",
            NationalId => "government identification number",
            Passport => "passport number",
            CardNumber => "payment card data",
            BankAccount => "bank account number",
            Password => "password",
            Token => "authentication token",
            ApiKey => "API key or client secret",
            Secret => "secret",
            SecurityQuestion => "security question answer",
            IpAddress => "IP address",
            Geolocation => "geolocation",
            DeviceId => "device identifier",
            Health => "health data",
            Biometric => "biometric data",
            Religion => "religious belief",
            Ethnicity => "racial or ethnic origin",
            SexualOrientation => "sexual orientation",
            Politics => "political opinion",
            TradeUnion => "trade-union membership",
        }
    }
}

/// Whether the column's name says the value is stored protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protection {
    /// Nothing in the name says so.
    None,
    /// `password_hash`, `token_digest`, `hashed_password`, `password_bcrypt`.
    Hashed,
    /// `ssn_encrypted`, `encrypted_card_number`, `api_key_enc`.
    Encrypted,
    /// Only part of the value: `card_last4`, `masked_pan`.
    Masked,
}

/// A classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pii {
    pub kind: PiiKind,
    pub class: PiiClass,
    pub protection: Protection,
}

/// Splits an identifier into lower-case words: `customerEmail2` → `customer`, `email2`;
/// `IPAddress` → `ip`, `address`; `home_phone` → `home`, `phone`.
pub fn words(identifier: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in identifier.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = c.is_uppercase()
                && prev.is_some_and(|p| {
                    p.is_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
                });
            if boundary && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// A word without trailing digits (`email2` → `email`), unless it is all digits.
fn stem(word: &str) -> &str {
    let trimmed = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.is_empty() {
        word
    } else {
        trimmed
    }
}

const HASHED: &[&str] = &[
    "hash", "hashed", "digest", "bcrypt", "scrypt", "argon", "argon2", "argon2id", "pbkdf2",
    "sha1", "sha256", "sha512", "sha", "md5", "hmac", "crypt", "crypted", "kdf", "verifier",
];
const ENCRYPTED: &[&str] = &[
    "encrypted",
    "enc",
    "encr",
    "cipher",
    "ciphertext",
    "ciphered",
    "sealed",
    "vault",
    "aes",
    "pgp",
    "kms",
];
const MASKED: &[&str] = &[
    "masked",
    "mask",
    "last4",
    "lastfour",
    "last",
    "four",
    "redacted",
    "truncated",
    "partial",
    "suffix",
    "prefix",
    "first6",
    "bin",
];
/// Words after a phrase that still describe the value itself.
const VALUE_QUALIFIERS: &[&str] = &[
    "number",
    "no",
    "num",
    "nr",
    "nbr",
    "value",
    "plain",
    "plaintext",
    "raw",
    "clear",
    "cleartext",
    "primary",
    "secondary",
    "alt",
    "alternate",
    "alternative",
    "other",
    "work",
    "home",
    "personal",
    "private",
    "business",
    "contact",
    "text",
    "str",
    "string",
    "main",
];
/// Leading words that turn a phrase into a flag or a count (`is_email`, `max_password_length`
/// is caught by its trailing words).
const NEGATING_PREFIXES: &[&str] = &[
    "is", "has", "num", "count", "max", "min", "total", "n", "no", "require", "requires",
    "required", "allow", "allows", "use", "uses", "enable", "enabled", "disable", "show", "hide",
    "send", "validate", "verify", "default",
];
/// Last words of table names that hold people.
const PERSON_TABLES: &[&str] = &[
    "user",
    "users",
    "customer",
    "customers",
    "client",
    "clients",
    "employee",
    "employees",
    "person",
    "persons",
    "people",
    "staff",
    "member",
    "members",
    "patient",
    "patients",
    "contact",
    "contacts",
    "student",
    "students",
    "profile",
    "profiles",
    "applicant",
    "applicants",
    "candidate",
    "candidates",
    "guest",
    "guests",
    "passenger",
    "passengers",
    "subscriber",
    "subscribers",
    "teacher",
    "teachers",
    "author",
    "authors",
    "actor",
    "actors",
    "driver",
    "drivers",
    "account_holder",
    "individual",
    "individuals",
    "volunteer",
    "volunteers",
    "donor",
    "donors",
];

/// A phrase of a kind and what may stand around it.
struct Phrase {
    words: &'static [&'static str],
    kind: PiiKind,
    /// Extra words allowed after the phrase (beyond value qualifiers and protection words).
    after: &'static [&'static str],
    /// Words that, right before the phrase, change its meaning (`ip_address`, `mac_address`).
    not_after: &'static [&'static str],
    /// Counts only in a table of people (bare `name`, `race`, `latitude`).
    person_table: bool,
}

const fn p(words: &'static [&'static str], kind: PiiKind) -> Phrase {
    Phrase {
        words,
        kind,
        after: &[],
        not_after: &[],
        person_table: false,
    }
}

const fn pa(
    words: &'static [&'static str],
    kind: PiiKind,
    after: &'static [&'static str],
) -> Phrase {
    Phrase {
        words,
        kind,
        after,
        not_after: &[],
        person_table: false,
    }
}

const fn pn(
    words: &'static [&'static str],
    kind: PiiKind,
    after: &'static [&'static str],
    not_after: &'static [&'static str],
) -> Phrase {
    Phrase {
        words,
        kind,
        after,
        not_after,
        person_table: false,
    }
}

const fn pp(
    words: &'static [&'static str],
    kind: PiiKind,
    after: &'static [&'static str],
) -> Phrase {
    Phrase {
        words,
        kind,
        after,
        not_after: &[],
        person_table: true,
    }
}

const SPECIAL_AFTER: &[&str] = &[
    "info",
    "information",
    "data",
    "details",
    "history",
    "notes",
    "note",
    "record",
    "records",
    "description",
    "status",
    "type",
    "types",
    "condition",
    "conditions",
    "member",
    "membership",
    "code",
    "codes",
    "group",
];
const ADDRESS_NOT_AFTER: &[&str] = &[
    "ip",
    "mac",
    "email",
    "e",
    "mail",
    "web",
    "url",
    "server",
    "remote",
    "host",
    "wallet",
    "contract",
    "memory",
    "base",
    "network",
    "bluetooth",
    "bitcoin",
    "btc",
    "eth",
    "ethereum",
    "hardware",
    "device",
    "node",
    "bind",
    "listen",
    "multicast",
    "broadcast",
    "gateway",
    "from",
    "to",
    "reply",
    "sender",
    "return",
    "bounce",
    "local",
    "public",
    "physical",
    "virtual",
    "link",
    "peer",
    "proxy",
    "ipv4",
    "ipv6",
    "smtp",
    "deposit",
    "payment",
    "destination",
    "source",
    "target",
    "start",
    "end",
    "load",
    "return",
    "forward",
    "redirect",
    "callback",
    "webhook",
];
const CARD_NOT_AFTER: &[&str] = &[
    "loyalty",
    "membership",
    "member",
    "library",
    "sim",
    "business",
    "report",
    "score",
    "rfid",
    "key",
    "student",
    "id",
    "access",
    "reward",
    "rewards",
    "bonus",
    "discount",
    "greeting",
    "index",
    "sd",
    "network",
    "graphics",
    "video",
    "sound",
    "trading",
    "playing",
    "punch",
    "time",
    "boarding",
];
const TOKEN_AFTER: &[&str] = &[
    "access",
    "refresh",
    "auth",
    "authentication",
    "authorization",
    "api",
    "session",
    "reset",
    "remember",
    "csrf",
    "xsrf",
    "bearer",
    "oauth",
    "oauth2",
    "verification",
    "verify",
    "confirmation",
    "confirm",
    "invite",
    "invitation",
    "activation",
    "magic",
    "login",
    "jwt",
    "secret",
    "security",
    "email",
    "unlock",
    "recovery",
    "personal",
    "password",
    "otp",
    "mfa",
    "totp",
    "sso",
    "saml",
    "id",
    "signup",
    "registration",
    "impersonation",
    "private",
    "service",
    "bot",
    "webhook",
    "github",
    "gitlab",
    "slack",
    "stripe",
    "google",
    "facebook",
    "twitter",
    "provider",
];
/// Last words of table names that hold credentials (for a bare `token`).
const AUTH_TABLES: &[&str] = &[
    "session",
    "sessions",
    "token",
    "tokens",
    "credential",
    "credentials",
    "auth",
    "authentication",
    "login",
    "logins",
    "oauth",
    "api",
    "key",
    "keys",
    "reset",
    "resets",
    "invitation",
    "invitations",
    "invite",
    "invites",
    "user",
    "users",
    "account",
    "accounts",
    "device",
    "devices",
];

/// Phrases, most specific first.
const PHRASES: &[Phrase] = &[
    // Security questions before names, secrets and passwords.
    p(&["mother", "maiden", "name"], PiiKind::SecurityQuestion),
    p(&["mothers", "maiden", "name"], PiiKind::SecurityQuestion),
    p(&["security", "question"], PiiKind::SecurityQuestion),
    p(&["security", "answer"], PiiKind::SecurityQuestion),
    p(&["secret", "question"], PiiKind::SecurityQuestion),
    p(&["secret", "answer"], PiiKind::SecurityQuestion),
    p(&["challenge", "answer"], PiiKind::SecurityQuestion),
    p(&["recovery", "answer"], PiiKind::SecurityQuestion),
    p(&["recovery", "question"], PiiKind::SecurityQuestion),
    // Email and IP before addresses.
    pa(&["email"], PiiKind::Email, &["address", "addr", "id"]),
    pa(&["e", "mail"], PiiKind::Email, &["address", "addr"]),
    pa(&["emailaddress"], PiiKind::Email, &[]),
    p(&["mail", "address"], PiiKind::Email),
    pa(&["ip"], PiiKind::IpAddress, &["address", "addr"]),
    p(&["ipaddress"], PiiKind::IpAddress),
    p(&["ipaddr"], PiiKind::IpAddress),
    p(&["remote", "addr"], PiiKind::IpAddress),
    // Secrets.
    p(&["password"], PiiKind::Password),
    p(&["passwd"], PiiKind::Password),
    p(&["pwd"], PiiKind::Password),
    p(&["pass", "word"], PiiKind::Password),
    p(&["passphrase"], PiiKind::Password),
    p(&["pass", "phrase"], PiiKind::Password),
    p(&["api", "key"], PiiKind::ApiKey),
    p(&["apikey"], PiiKind::ApiKey),
    p(&["api", "secret"], PiiKind::ApiKey),
    p(&["access", "key"], PiiKind::ApiKey),
    p(&["secret", "key"], PiiKind::ApiKey),
    p(&["client", "secret"], PiiKind::ApiKey),
    p(&["consumer", "secret"], PiiKind::ApiKey),
    p(&["app", "secret"], PiiKind::ApiKey),
    p(&["private", "key"], PiiKind::ApiKey),
    p(&["secret"], PiiKind::Secret),
    p(&["recovery", "codes"], PiiKind::Secret),
    p(&["backup", "codes"], PiiKind::Secret),
    p(&["otp"], PiiKind::Secret),
    p(&["jwt"], PiiKind::Token),
    // `token` needs a qualifying word or a credentials table: see `token_counts`.
    p(&["token"], PiiKind::Token),
    // Payment and government identifiers.
    pn(
        &["credit", "card"],
        PiiKind::CardNumber,
        &["number", "no"],
        &[],
    ),
    p(&["creditcard"], PiiKind::CardNumber),
    pn(
        &["card", "number"],
        PiiKind::CardNumber,
        &[],
        CARD_NOT_AFTER,
    ),
    pn(&["card", "no"], PiiKind::CardNumber, &[], CARD_NOT_AFTER),
    pn(&["card", "num"], PiiKind::CardNumber, &[], CARD_NOT_AFTER),
    pn(&["card", "pan"], PiiKind::CardNumber, &[], CARD_NOT_AFTER),
    p(&["cc", "number"], PiiKind::CardNumber),
    p(&["cvv"], PiiKind::CardNumber),
    p(&["cvc"], PiiKind::CardNumber),
    p(&["card", "security", "code"], PiiKind::CardNumber),
    p(&["card", "verification", "code"], PiiKind::CardNumber),
    p(&["iban"], PiiKind::BankAccount),
    p(&["bank", "account"], PiiKind::BankAccount),
    p(&["ssn"], PiiKind::NationalId),
    p(&["social", "security", "number"], PiiKind::NationalId),
    p(&["social", "security", "no"], PiiKind::NationalId),
    p(&["social", "security"], PiiKind::NationalId),
    p(&["national", "id"], PiiKind::NationalId),
    p(
        &["national", "identification", "number"],
        PiiKind::NationalId,
    ),
    p(&["national", "insurance", "number"], PiiKind::NationalId),
    p(&["national", "insurance", "no"], PiiKind::NationalId),
    p(&["driver", "license"], PiiKind::NationalId),
    p(&["drivers", "license"], PiiKind::NationalId),
    p(&["driver", "licence"], PiiKind::NationalId),
    p(&["drivers", "licence"], PiiKind::NationalId),
    p(&["driving", "licence"], PiiKind::NationalId),
    p(&["driving", "license"], PiiKind::NationalId),
    p(&["passport"], PiiKind::Passport),
    // Contact data.
    p(&["birth", "date"], PiiKind::BirthDate),
    p(&["birthdate"], PiiKind::BirthDate),
    p(&["birthday"], PiiKind::BirthDate),
    p(&["dob"], PiiKind::BirthDate),
    p(&["date", "of", "birth"], PiiKind::BirthDate),
    p(&["birth", "year"], PiiKind::BirthDate),
    p(&["year", "of", "birth"], PiiKind::BirthDate),
    pa(&["phone"], PiiKind::Phone, &["ext", "extension", "e164"]),
    pa(
        &["telephone"],
        PiiKind::Phone,
        &["ext", "extension", "e164"],
    ),
    p(&["phonenumber"], PiiKind::Phone),
    p(&["mobile"], PiiKind::Phone),
    p(&["cellphone"], PiiKind::Phone),
    p(&["cell", "phone"], PiiKind::Phone),
    p(&["msisdn"], PiiKind::Phone),
    p(&["fax"], PiiKind::Phone),
    p(&["first", "name"], PiiKind::Name),
    p(&["firstname"], PiiKind::Name),
    p(&["last", "name"], PiiKind::Name),
    p(&["lastname"], PiiKind::Name),
    p(&["middle", "name"], PiiKind::Name),
    p(&["full", "name"], PiiKind::Name),
    p(&["fullname"], PiiKind::Name),
    p(&["given", "name"], PiiKind::Name),
    p(&["family", "name"], PiiKind::Name),
    p(&["maiden", "name"], PiiKind::Name),
    p(&["surname"], PiiKind::Name),
    p(&["forename"], PiiKind::Name),
    p(&["contact", "name"], PiiKind::Name),
    pp(&["name"], PiiKind::Name, &[]),
    pn(
        &["address"],
        PiiKind::Address,
        &["line", "street", "full"],
        ADDRESS_NOT_AFTER,
    ),
    pn(&["street"], PiiKind::Address, &["address", "line"], &[]),
    pp(&["latitude"], PiiKind::Geolocation, &[]),
    pp(&["longitude"], PiiKind::Geolocation, &[]),
    pp(&["lat"], PiiKind::Geolocation, &[]),
    pp(&["lng"], PiiKind::Geolocation, &[]),
    pp(&["geolocation"], PiiKind::Geolocation, &[]),
    pp(&["geo", "location"], PiiKind::Geolocation, &[]),
    pp(&["gps", "coordinates"], PiiKind::Geolocation, &[]),
    // Special categories (GDPR Art. 9).
    pp(&["health"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["medical"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["diagnosis"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["diagnoses"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["disease"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["diseases"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["illness"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["allergy"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["allergies"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["medication"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["medications"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["prescription"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["prescriptions"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["blood", "type"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["blood", "group"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["disability"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["disabilities"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["pregnant"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["pregnancy"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["hiv"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["symptoms"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["vaccination"], PiiKind::Health, SPECIAL_AFTER),
    pa(&["biometric"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["biometrics"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(
        &["fingerprint", "template"],
        PiiKind::Biometric,
        SPECIAL_AFTER,
    ),
    pa(&["fingerprint", "image"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["fingerprint", "data"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["face", "encoding"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["face", "embedding"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["face", "template"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["facial", "features"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["iris", "scan"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["retina", "scan"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["voiceprint"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["voice", "print"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["palm", "print"], PiiKind::Biometric, SPECIAL_AFTER),
    pa(&["religion"], PiiKind::Religion, SPECIAL_AFTER),
    pa(
        &["religious", "affiliation"],
        PiiKind::Religion,
        SPECIAL_AFTER,
    ),
    pa(&["religious", "belief"], PiiKind::Religion, SPECIAL_AFTER),
    pa(&["religious", "beliefs"], PiiKind::Religion, SPECIAL_AFTER),
    pa(&["ethnicity"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pa(&["ethnic", "origin"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pa(&["ethnic", "group"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pa(&["ethnic", "background"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pa(&["racial", "origin"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pp(&["race"], PiiKind::Ethnicity, SPECIAL_AFTER),
    pa(
        &["sexual", "orientation"],
        PiiKind::SexualOrientation,
        SPECIAL_AFTER,
    ),
    pa(&["sexuality"], PiiKind::SexualOrientation, SPECIAL_AFTER),
    pa(&["political", "party"], PiiKind::Politics, SPECIAL_AFTER),
    pa(
        &["political", "affiliation"],
        PiiKind::Politics,
        SPECIAL_AFTER,
    ),
    pa(&["political", "opinion"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["political", "opinions"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["political", "views"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["political", "view"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["political", "leaning"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["party", "affiliation"], PiiKind::Politics, SPECIAL_AFTER),
    pa(&["trade", "union"], PiiKind::TradeUnion, SPECIAL_AFTER),
    pa(&["labor", "union"], PiiKind::TradeUnion, SPECIAL_AFTER),
    pa(&["labour", "union"], PiiKind::TradeUnion, SPECIAL_AFTER),
    pa(&["union", "member"], PiiKind::TradeUnion, SPECIAL_AFTER),
    pa(&["union", "membership"], PiiKind::TradeUnion, SPECIAL_AFTER),
];

/// The kind of personal data a free text mentions (a column comment such as "customer's date
/// of birth"), matching known phrases anywhere in it. Weaker evidence than a name, for
/// inventories rather than rules: phrases that only count in tables of people (bare `name`)
/// and single short or generic words (`secret`, `token`) are not taken from prose.
pub fn mentioned_in(text: &str) -> Option<PiiKind> {
    let words = words(text);
    PHRASES
        .iter()
        .filter(|p| !p.person_table)
        .filter(|p| p.words.len() > 1 || p.words[0].len() >= 5)
        .filter(|p| !matches!(p.words, ["secret"] | ["token"] | ["health"] | ["street"]))
        .find(|p| {
            words
                .windows(p.words.len())
                .any(|w| w.iter().zip(p.words).all(|(a, b)| a == b))
        })
        .map(|p| p.kind)
}

/// Classifies a column by its name, its table's name and its type (`None` when unknown).
///
/// Returns `None` unless the name clearly denotes personal data of a kind whose type fits.
///
/// ```
/// use steward_rules::rules::privacy::pii::{classify_column, PiiKind, Protection};
/// let email = classify_column("customer", "email", None).unwrap();
/// assert_eq!(email.kind, PiiKind::Email);
/// assert!(classify_column("users", "email_verified", None).is_none());
/// let hash = classify_column("users", "password_hash", None).unwrap();
/// assert_eq!(hash.protection, Protection::Hashed);
/// assert!(classify_column("category", "name", None).is_none());
/// ```
pub fn classify_column(table: &str, column: &str, data_type: Option<&ColumnType>) -> Option<Pii> {
    let words = words(column);
    let table_words = words_of_table(table);
    let person_table = is_person_table(table);
    let auth_table = table_words
        .last()
        .is_some_and(|w| AUTH_TABLES.contains(&w.as_str()));
    if words.is_empty() {
        return None;
    }
    for phrase in PHRASES {
        let n = phrase.words.len();
        if n > words.len() {
            continue;
        }
        for start in 0..=words.len() - n {
            let matched = phrase
                .words
                .iter()
                .zip(&words[start..start + n])
                .enumerate()
                .all(|(i, (want, have))| {
                    // Trailing digits only on the phrase's last word (`email2`, `address1`).
                    if i + 1 == n {
                        stem(have) == *want || have == want
                    } else {
                        have == want
                    }
                });
            if !matched {
                continue;
            }
            let before = &words[..start];
            let after = &words[start + n..];
            if let Some(pii) = accept(phrase, before, after, person_table, auth_table, data_type) {
                return Some(pii);
            }
        }
    }
    None
}

/// The words of a table name (schema-qualified names use their last part).
/// Whether a table holds people (`customer`, `app_users`, `StaffMember`…), judged by the
/// last word of its name.
pub fn is_person_table(table: &str) -> bool {
    words_of_table(table)
        .last()
        .is_some_and(|w| PERSON_TABLES.contains(&w.as_str()))
}

fn words_of_table(table: &str) -> Vec<String> {
    let bare = table.rsplit('.').next().unwrap_or(table);
    words(bare)
}

fn accept(
    phrase: &Phrase,
    before: &[String],
    after: &[String],
    person_table: bool,
    auth_table: bool,
    data_type: Option<&ColumnType>,
) -> Option<Pii> {
    let kind = phrase.kind;
    let special = kind.class() == PiiClass::Special;
    if phrase.person_table && !person_table {
        // Bare `name`, `race`, `latitude` mean something else outside tables of people, and
        // there the whole column name must be the phrase (`name`, not `file_name`).
        return None;
    }
    if phrase.words == ["name"] && !before.is_empty() {
        return None;
    }
    if let Some(prev) = before.last() {
        if phrase.not_after.contains(&prev.as_str()) {
            return None;
        }
    }
    if let Some(first) = before.first() {
        if NEGATING_PREFIXES.contains(&first.as_str()) && !(special && first == "has") {
            return None;
        }
    }
    if kind == PiiKind::Token {
        let qualified = before
            .last()
            .is_some_and(|w| TOKEN_AFTER.contains(&w.as_str()));
        if !(qualified || (before.is_empty() && auth_table)) {
            return None;
        }
    }
    let mut protection = Protection::None;
    for w in before.iter().chain(after) {
        let s = stem(w);
        if HASHED.contains(&w.as_str()) || HASHED.contains(&s) {
            protection = Protection::Hashed;
        } else if ENCRYPTED.contains(&w.as_str()) || ENCRYPTED.contains(&s) {
            if protection == Protection::None {
                protection = Protection::Encrypted;
            }
        } else if (MASKED.contains(&w.as_str()) || MASKED.contains(&s))
            && (after.contains(w) || w == "masked")
            && protection == Protection::None
        {
            protection = Protection::Masked;
        }
    }
    for w in after {
        let s = stem(w);
        let allowed = w.chars().all(|c| c.is_ascii_digit())
            || VALUE_QUALIFIERS.contains(&w.as_str())
            || phrase.after.contains(&w.as_str())
            || phrase.after.contains(&s)
            || HASHED.contains(&w.as_str())
            || HASHED.contains(&s)
            || ENCRYPTED.contains(&w.as_str())
            || ENCRYPTED.contains(&s)
            || MASKED.contains(&w.as_str())
            || MASKED.contains(&s);
        if !allowed {
            return None;
        }
    }
    // `email_id` is a key to an email table, unless the column is text (some schemas say
    // `email_id` for the address itself).
    if after.iter().any(|w| w == "id") && kind == PiiKind::Email {
        let textual = data_type.is_some_and(|t| t.family == TypeFamily::Text);
        if !textual {
            return None;
        }
    }
    if !type_fits(kind, data_type) {
        return None;
    }
    Some(Pii {
        kind,
        class: kind.class(),
        protection,
    })
}

/// Whether a column of this type can hold this kind of data.
fn type_fits(kind: PiiKind, data_type: Option<&ColumnType>) -> bool {
    use PiiKind::*;
    let Some(t) = data_type else { return true };
    let special = kind.class() == PiiClass::Special;
    match t.family {
        TypeFamily::Text | TypeFamily::Other | TypeFamily::Json => true,
        TypeFamily::Boolean => special && kind != Biometric,
        TypeFamily::Integer(_) => matches!(
            kind,
            Phone | NationalId | CardNumber | BankAccount | BirthDate | IpAddress
        ),
        TypeFamily::Numeric => {
            matches!(kind, Phone | NationalId | CardNumber | BankAccount) || kind == Geolocation
        }
        TypeFamily::Float => kind == Geolocation,
        TypeFamily::Timestamp { .. } | TypeFamily::Date => kind == BirthDate,
        TypeFamily::Network => kind == IpAddress,
        TypeFamily::Uuid => matches!(kind, Token | ApiKey | Secret),
        TypeFamily::Binary => {
            special
                || matches!(
                    kind,
                    Password
                        | Token
                        | ApiKey
                        | Secret
                        | SecurityQuestion
                        | NationalId
                        | Passport
                        | CardNumber
                        | BankAccount
                )
        }
        TypeFamily::Money | TypeFamily::Time | TypeFamily::Interval => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(table: &str, column: &str, ty: &str) -> Option<PiiKind> {
        classify_column(table, column, Some(&ColumnType::parse(ty))).map(|p| p.kind)
    }

    #[test]
    fn splits_identifiers_into_words() {
        assert_eq!(words("customerEmail2"), ["customer", "email2"]);
        assert_eq!(words("IPAddress"), ["ip", "address"]);
        assert_eq!(words("home_phone"), ["home", "phone"]);
        assert_eq!(words("SupportRepId"), ["support", "rep", "id"]);
        assert_eq!(words("card_last4"), ["card", "last4"]);
    }

    #[test]
    fn finds_contact_data() {
        assert_eq!(
            kind("customer", "email", "varchar(60)"),
            Some(PiiKind::Email)
        );
        assert_eq!(
            kind("Customer", "Email", "nvarchar(60)"),
            Some(PiiKind::Email)
        );
        assert_eq!(kind("users", "email_address", "text"), Some(PiiKind::Email));
        assert_eq!(
            kind("users", "contact_email2", "text"),
            Some(PiiKind::Email)
        );
        assert_eq!(
            kind("employees", "home_phone", "varchar(24)"),
            Some(PiiKind::Phone)
        );
        assert_eq!(
            kind("Customer", "Fax", "nvarchar(24)"),
            Some(PiiKind::Phone)
        );
        assert_eq!(
            kind("address", "address2", "varchar(50)"),
            Some(PiiKind::Address)
        );
        assert_eq!(
            kind("orders", "ship_address", "varchar(60)"),
            Some(PiiKind::Address)
        );
        assert_eq!(
            kind("Employee", "BirthDate", "datetime"),
            Some(PiiKind::BirthDate)
        );
        assert_eq!(kind("customer", "first_name", "text"), Some(PiiKind::Name));
        assert_eq!(kind("customer", "name", "text"), Some(PiiKind::Name));
        assert_eq!(kind("logins", "ip", "inet"), Some(PiiKind::IpAddress));
        assert_eq!(
            kind("logins", "ip_address", "bigint"),
            Some(PiiKind::IpAddress)
        );
    }

    #[test]
    fn ignores_what_is_about_the_data_not_the_data() {
        assert_eq!(kind("customer", "address_id", "integer"), None);
        assert_eq!(kind("users", "email_verified", "boolean"), None);
        assert_eq!(kind("users", "email_verified_at", "timestamptz"), None);
        assert_eq!(kind("users", "email", "boolean"), None);
        assert_eq!(kind("users", "is_email", "text"), None);
        assert_eq!(kind("stats", "ip_count", "integer"), None);
        assert_eq!(kind("llm_usage", "token_count", "integer"), None);
        assert_eq!(kind("users", "passwordless", "boolean"), None);
        assert_eq!(kind("users", "password_changed_at", "timestamptz"), None);
        assert_eq!(kind("users", "password_salt", "text"), None);
        assert_eq!(kind("policy", "max_password_length", "integer"), None);
        assert_eq!(kind("category", "name", "varchar(25)"), None);
        assert_eq!(kind("customer", "file_name", "text"), None);
        assert_eq!(kind("servers", "mac_address", "text"), None);
        assert_eq!(kind("nodes", "ip", "boolean"), None);
        assert_eq!(kind("settings", "email_template", "text"), None);
        assert_eq!(kind("customer", "phone_type", "text"), None);
        assert_eq!(kind("loyalty", "loyalty_card_number", "text"), None);
        assert_eq!(kind("search", "token", "text"), None);
        assert_eq!(kind("lexemes", "search_token", "text"), None);
        assert_eq!(kind("employees", "photo", "bytea"), None);
        assert_eq!(kind("employees", "notes", "text"), None);
        assert_eq!(kind("services", "health", "text"), None);
        assert_eq!(kind("players", "health", "integer"), None);
        assert_eq!(kind("ssh_keys", "fingerprint", "text"), None);
        assert_eq!(kind("races", "race", "text"), None);
        assert_eq!(kind("stores", "latitude", "double precision"), None);
        assert_eq!(kind("users", "security_question_id", "integer"), None);
        assert_eq!(kind("religion", "religion_id", "integer"), None);
    }

    #[test]
    fn finds_secrets_and_their_protection() {
        assert_eq!(
            kind("staff", "password", "varchar(40)"),
            Some(PiiKind::Password)
        );
        assert_eq!(kind("users", "api_key", "text"), Some(PiiKind::ApiKey));
        assert_eq!(
            kind("users", "password_reset_token", "text"),
            Some(PiiKind::Token)
        );
        assert_eq!(kind("sessions", "token", "text"), Some(PiiKind::Token));
        assert_eq!(kind("users", "totp_secret", "text"), Some(PiiKind::Secret));
        assert_eq!(kind("users", "ssn", "char(11)"), Some(PiiKind::NationalId));
        assert_eq!(
            kind("payments", "card_number", "text"),
            Some(PiiKind::CardNumber)
        );
        let p = |c: &str| classify_column("users", c, None).map(|p| p.protection);
        assert_eq!(p("password_hash"), Some(Protection::Hashed));
        assert_eq!(p("hashed_password"), Some(Protection::Hashed));
        assert_eq!(p("password_sha256"), Some(Protection::Hashed));
        assert_eq!(p("encrypted_ssn"), Some(Protection::Encrypted));
        assert_eq!(p("ssn_enc"), Some(Protection::Encrypted));
        assert_eq!(p("card_number_last4"), Some(Protection::Masked));
        assert_eq!(p("password"), Some(Protection::None));
    }

    #[test]
    fn finds_special_categories() {
        let class = |t: &str, c: &str, ty: &str| {
            classify_column(t, c, Some(&ColumnType::parse(ty))).map(|p| (p.kind, p.class))
        };
        assert_eq!(
            class("patients", "diagnosis", "text"),
            Some((PiiKind::Health, PiiClass::Special))
        );
        assert_eq!(
            class("employees", "has_disability", "boolean"),
            Some((PiiKind::Health, PiiClass::Special))
        );
        assert_eq!(
            class("members", "religion", "text"),
            Some((PiiKind::Religion, PiiClass::Special))
        );
        assert_eq!(
            class("users", "mother_maiden_name", "text"),
            Some((PiiKind::SecurityQuestion, PiiClass::Secret))
        );
        assert_eq!(
            class("employees", "trade_union_member", "boolean"),
            Some((PiiKind::TradeUnion, PiiClass::Special))
        );
    }
}

//! Column-level classification over realistic synthetic columns.
//!
//! Every positive value is generated to be *valid* (Luhn check digits, IBAN check digits,
//! SSN area rules, real JWT headers, real OpenPGP packet headers, …) and every negative
//! column is something a production schema really contains. `cargo test -- --nocapture`
//! prints the per-category precision/recall table.

use std::collections::{BTreeMap, BTreeSet};

use steward_privacy::{classify_column, Protection, ValueFinding, ValueKind};

const TODAY: (i32, u32, u32) = (2025, 6, 15);

// ---------------------------------------------------------------------------------------------
// Deterministic generators
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const CRYPT64: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const FIRST: &[&str] = &[
    "anna", "ben", "carla", "david", "emma", "felix", "greta", "hugo", "ida", "jonas", "klara",
    "liam", "mia", "noah", "olivia", "paul", "quinn", "rosa", "sam", "tina",
];
const LAST: &[&str] = &[
    "mueller", "schmidt", "smith", "johnson", "garcia", "rossi", "dubois", "nowak", "jansen",
    "larsen", "silva", "kowalski", "novak", "fischer", "weber",
];
const WORDS: &[&str] = &[
    "sunshine", "dragon", "monkey", "shadow", "master", "football", "welcome", "letmein",
    "princess", "qwerty", "summer", "winter", "freedom", "secret", "hunter",
];

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn chars(&mut self, alphabet: &str, n: usize) -> String {
        let a = alphabet.as_bytes();
        (0..n)
            .map(|_| a[self.below(a.len() as u64) as usize] as char)
            .collect()
    }

    fn hex(&mut self, n: usize) -> String {
        self.chars("0123456789abcdef", n)
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn b64(bytes: &[u8], url: bool, pad: bool) -> String {
    let alphabet: &[u8] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn luhn_complete(body: &str) -> String {
    // Check digit that makes body + d Luhn-valid.
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = u32::from(c - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn card(r: &mut Rng) -> String {
    let (prefix, len) = match r.below(10) {
        0..=2 => ("4".to_string(), 16),
        3 => (r.range(51, 55).to_string(), 16),
        4 => (r.range(2221, 2720).to_string(), 16),
        5 => (r.pick(&["34", "37"]).to_string(), 15),
        6 => (r.pick(&["6011", "65"]).to_string(), 16),
        7 => (r.range(3528, 3589).to_string(), 16),
        8 => ("36".to_string(), 14),
        _ => ("62".to_string(), 16),
    };
    let body = format!("{prefix}{}", r.digits(len - 1 - prefix.len()));
    let pan = luhn_complete(&body);
    match r.below(5) {
        0..=2 => pan,
        3 => group(&pan, 4, ' '),
        _ => group(&pan, 4, '-'),
    }
}

fn group(s: &str, size: usize, sep: char) -> String {
    s.as_bytes()
        .chunks(size)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

fn mod97(s: &str) -> u32 {
    s.bytes().fold(0u32, |rem, c| {
        if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c - b'A' + 10)) % 97
        }
    })
}

fn iban(r: &mut Rng) -> String {
    let (country, bban) = match r.below(8) {
        0 | 1 => ("DE", r.digits(18)),
        2 => (
            "GB",
            format!(
                "{}{}",
                r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
                r.digits(14)
            ),
        ),
        3 => (
            "FR",
            format!(
                "{}{}{}",
                r.digits(10),
                r.chars(UPPER_ALNUM, 11),
                r.digits(2)
            ),
        ),
        4 => (
            "NL",
            format!(
                "{}{}",
                r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
                r.digits(10)
            ),
        ),
        5 => ("ES", r.digits(20)),
        6 => ("CH", r.digits(17)),
        _ => ("AT", r.digits(16)),
    };
    let check = 98 - mod97(&format!("{bban}{country}00"));
    let compact = format!("{country}{check:02}{bban}");
    if r.chance(0.5) {
        group(&compact, 4, ' ')
    } else {
        compact
    }
}

fn ssn(r: &mut Rng, dashed: bool) -> String {
    let area = loop {
        let a = r.range(1, 899);
        if a != 666 {
            break a;
        }
    };
    let group = r.range(1, 99);
    let serial = r.range(1, 9999);
    if dashed {
        format!("{area:03}-{group:02}-{serial:04}")
    } else {
        format!("{area:03}{group:02}{serial:04}")
    }
}

fn phone(r: &mut Rng) -> String {
    let nanp = |r: &mut Rng| {
        (
            r.range(2, 9) * 100 + r.range(0, 99),
            r.range(2, 9) * 100 + r.range(0, 99),
            r.digits(4),
        )
    };
    match r.below(7) {
        0 => {
            let (a, e, s) = nanp(r);
            format!("({a}) {e}-{s}")
        }
        1 => {
            let (a, e, s) = nanp(r);
            format!("+1 {a}-{e}-{s}")
        }
        2 => format!("+49 {} {}", r.range(30, 89), r.digits(7)),
        3 => format!("+44 20 {} {}", r.digits(4), r.digits(4)),
        4 => format!("0{} {}", r.range(30, 89), r.digits(7)),
        5 => format!("06-{}", r.digits(8)),
        _ => format!(
            "+33 {} {} {} {} {}",
            r.range(1, 7),
            r.digits(2),
            r.digits(2),
            r.digits(2),
            r.digits(2)
        ),
    }
}

fn email(r: &mut Rng) -> String {
    let domain = r.pick(&[
        "example.com",
        "mail.example.org",
        "firma.de",
        "uni-bonn.de",
        "example.co.uk",
    ]);
    match r.below(3) {
        0 => format!("{}.{}@{domain}", r.pick(FIRST), r.pick(LAST)),
        1 => format!("{}{}@{domain}", r.pick(FIRST), r.range(1, 999)),
        _ => format!("{}_{}+news@{domain}", r.pick(FIRST), r.pick(LAST)),
    }
}

fn ipv4(r: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        r.range(11, 223),
        r.range(0, 255),
        r.range(0, 255),
        r.range(1, 254)
    )
}

fn ipv6(r: &mut Rng) -> String {
    format!(
        "2001:db8:{:x}:{:x}::{:x}",
        r.below(65536),
        r.below(65536),
        r.range(1, 65535)
    )
}

fn jwt(r: &mut Rng) -> String {
    let header = if r.chance(0.5) {
        r#"{"alg":"HS256","typ":"JWT"}"#
    } else {
        r#"{"alg":"RS256","kid":"k1"}"#
    };
    let payload = format!(
        r#"{{"sub":"{}","iat":{},"exp":{}}}"#,
        r.range(1, 99999),
        r.range(1.6e9 as u64, 1.7e9 as u64),
        r.range(1.7e9 as u64, 1.8e9 as u64)
    );
    format!(
        "{}.{}.{}",
        b64(header.as_bytes(), true, false),
        b64(payload.as_bytes(), true, false),
        b64(&r.bytes(32), true, false)
    )
}

fn api_key(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("AKIA{}", r.chars(UPPER_ALNUM, 16)),
        1 => format!("ghp_{}", r.chars(ALNUM, 36)),
        2 => format!("sk_live_{}", r.chars(ALNUM, 24)),
        3 => format!(
            "xoxb-{}-{}-{}",
            r.digits(12),
            r.digits(13),
            r.chars(ALNUM, 24)
        ),
        _ => format!("AIza{}", r.chars(B64URL, 35)),
    }
}

fn generic_token(r: &mut Rng) -> String {
    r.chars(ALNUM, 40)
}

fn bcrypt(r: &mut Rng) -> String {
    format!("$2b${}${}", r.pick(&["10", "12"]), r.chars(CRYPT64, 53))
}

fn argon2(r: &mut Rng) -> String {
    format!(
        "$argon2id$v=19$m=65536,t=3,p=4${}${}",
        b64(&r.bytes(16), false, false),
        b64(&r.bytes(32), false, false)
    )
}

fn django_pbkdf2(r: &mut Rng) -> String {
    format!(
        "pbkdf2_sha256$600000${}${}",
        r.chars(ALNUM, 22),
        b64(&r.bytes(32), false, true)
    )
}

fn sha512crypt(r: &mut Rng) -> String {
    format!("$6${}${}", r.chars(CRYPT64, 16), r.chars(CRYPT64, 86))
}

fn scram(r: &mut Rng) -> String {
    format!(
        "SCRAM-SHA-256$4096:{}${}:{}",
        b64(&r.bytes(16), false, true),
        b64(&r.bytes(32), false, true),
        b64(&r.bytes(32), false, true)
    )
}

fn pg_md5(r: &mut Rng) -> String {
    format!("md5{}", r.hex(32))
}

fn plaintext_password(r: &mut Rng) -> String {
    let w = r.pick(WORDS);
    match r.below(4) {
        0 => format!("{w}{}", r.digits(2)),
        1 => format!(
            "{}{}{}!",
            w[..1].to_uppercase(),
            &w[1..],
            r.range(1990, 2025)
        ),
        2 => format!("{w}_{}", r.digits(3)),
        _ => r.chars(ALNUM, 12),
    }
}

fn dob(r: &mut Rng, style: u8) -> String {
    let (y, m, d) = (r.range(1940, 2007), r.range(1, 12), r.range(1, 28));
    match style {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{d:02}/{m:02}/{y}"),
        _ => format!("{d:02}.{m:02}.{y}"),
    }
}

fn pgcrypto_sym(r: &mut Rng) -> String {
    let mut b = vec![0xc3, 0x0d, 0x04, 0x07, 0x03, 0x02];
    b.extend(r.bytes(8));
    b.push(0x60);
    let len = 40 + r.below(40) as usize;
    let body = r.bytes(len);
    b.push(0xd2);
    b.push((body.len() + 1) as u8);
    b.push(0x01);
    b.extend(body);
    format!("\\x{}", hex_of(&b))
}

fn pgcrypto_pub(r: &mut Rng) -> String {
    let mut b = vec![0xc1, 0xc1, 0x0c, 0x03];
    b.extend(r.bytes(8));
    b.push(0x01);
    b.extend(r.bytes(270));
    format!("\\x{}", hex_of(&b))
}

fn pgp_armor(r: &mut Rng) -> String {
    format!(
        "-----BEGIN PGP MESSAGE-----\n\n{}\n={}\n-----END PGP MESSAGE-----",
        b64(&r.bytes(96), false, true),
        b64(&r.bytes(3), false, false)
    )
}

fn fernet(r: &mut Rng) -> String {
    let mut b = vec![0x80, 0, 0, 0, 0];
    b.extend(r.bytes(4));
    let len = 16 + 16 * r.range(1, 4) as usize + 32;
    b.extend(r.bytes(len));
    b64(&b, true, true)
}

fn age_bytea(r: &mut Rng) -> String {
    let mut b = b"age-encryption.org/v1\n-> X25519 ".to_vec();
    b.extend(b64(&r.bytes(32), false, false).bytes());
    b.extend(r.bytes(64));
    format!("\\x{}", hex_of(&b))
}

fn opaque(r: &mut Rng) -> String {
    b64(&r.bytes(48), false, true)
}

fn masked_card(r: &mut Rng) -> String {
    match r.below(3) {
        0 => format!("************{}", r.digits(4)),
        1 => format!("XXXX-XXXX-XXXX-{}", r.digits(4)),
        _ => format!("4{} **** **** {}", r.digits(3), r.digits(4)),
    }
}

fn masked_ssn(r: &mut Rng) -> String {
    format!("XXX-XX-{}", r.digits(4))
}

fn masked_email(r: &mut Rng) -> String {
    let first = r.pick(FIRST);
    format!(
        "{}***@{}",
        &first[..1],
        r.pick(&["example.com", "firma.de"])
    )
}

fn masked_phone(r: &mut Rng) -> String {
    format!("+49 *** ****{}", r.digits(3))
}

fn sha_hex(r: &mut Rng, len: usize) -> String {
    loop {
        let h = r.hex(len);
        // A compact UUID lookalike would be (correctly) excluded; avoid generating one.
        if !(h.as_bytes()[12].is_ascii_digit()
            && (b'1'..=b'8').contains(&h.as_bytes()[12])
            && b"89ab".contains(&h.as_bytes()[16]))
        {
            return h;
        }
    }
}

fn uuid(r: &mut Rng) -> String {
    let h = r.hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn lorem(r: &mut Rng) -> String {
    let words = [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "sed",
        "do",
        "eiusmod",
        "tempor",
    ];
    (0..r.range(4, 12))
        .map(|_| r.pick(&words))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------

/// `n` values from `gen`, with some NULLs and a few junk values mixed in.
fn column(
    seed: u64,
    n: usize,
    nulls: f64,
    junk: f64,
    mut gen: impl FnMut(&mut Rng) -> String,
) -> Vec<Option<String>> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| {
            if r.chance(nulls) {
                None
            } else if r.chance(junk) {
                Some(
                    r.pick(&["n/a", "unknown", "-", "TBD", "test", "none"])
                        .to_string(),
                )
            } else {
                Some(gen(&mut r))
            }
        })
        .collect()
}

fn refs(values: &[Option<String>]) -> Vec<Option<&str>> {
    values.iter().map(|v| v.as_deref()).collect()
}

fn classify(name: &str, values: &[Option<String>]) -> Vec<ValueFinding> {
    classify_column(name, &refs(values), TODAY)
}

fn kinds(findings: &[ValueFinding]) -> Vec<(ValueKind, Protection)> {
    findings
        .iter()
        .filter(|f| f.json_path.is_none())
        .map(|f| (f.kind, f.protection))
        .collect()
}

struct Case {
    column: &'static str,
    values: Vec<Option<String>>,
    expect: Vec<(ValueKind, Option<&'static str>)>,
}

fn case(column: &'static str, values: Vec<Option<String>>, expect: &[ValueKind]) -> Case {
    Case {
        column,
        values,
        expect: expect.iter().map(|k| (*k, None)).collect(),
    }
}

fn json_doc(r: &mut Rng) -> String {
    let doc = serde_json::json!({
        "name": format!("{} {}", r.pick(FIRST), r.pick(LAST)),
        "contact": { "email": email(r), "phone": phone(r) },
        "payment": { "card": card(r), "iban": iban(r) },
        "dob": dob(r, 0),
        "last_login_ip": ipv4(r),
        "tags": ["vip", "newsletter"],
        "meta": { "version": "2.4.1", "id": r.range(1, 100000), "active": true }
    });
    doc.to_string()
}

fn json_events(r: &mut Rng) -> String {
    let events: Vec<serde_json::Value> = (0..r.range(1, 3))
        .map(|_| serde_json::json!({ "ts": format!("2025-0{}-1{} 10:0{}:00", r.range(1, 5), r.range(0, 9), r.range(0, 9)), "ip": ipv6(r), "action": "login" }))
        .collect();
    serde_json::Value::Array(events).to_string()
}

fn json_secrets(r: &mut Rng) -> String {
    serde_json::json!({
        "aws": { "access_key_id": format!("AKIA{}", r.chars(UPPER_ALNUM, 16)), "secret_access_key": r.chars(ALNUM, 40) },
        "db_password": plaintext_password(r),
        "region": "eu-central-1"
    })
    .to_string()
}

fn json_config(r: &mut Rng) -> String {
    serde_json::json!({
        "theme": r.pick(&["dark", "light"]),
        "page_size": r.range(10, 100),
        "features": ["beta", "export"],
        "version": format!("{}.{}.{}", r.range(1, 3), r.range(0, 9), r.range(0, 20)),
        "build": sha_hex(r, 40)
    })
    .to_string()
}

fn labelled_set() -> Vec<Case> {
    use ValueKind as K;
    let n = 60;
    let mut cases = vec![
        // --- cards
        case(
            "card_number",
            column(1, n, 0.1, 0.05, card),
            &[K::CardNumber],
        ),
        case("pan", column(2, n, 0.0, 0.0, card), &[K::CardNumber]),
        case(
            "payment_ref",
            column(3, n, 0.2, 0.1, card),
            &[K::CardNumber],
        ),
        case(
            "card_last4",
            column(4, n, 0.1, 0.0, masked_card),
            &[K::CardNumber],
        ),
        // --- IBAN
        case("iban", column(5, n, 0.1, 0.05, iban), &[K::Iban]),
        case("bank_account", column(6, n, 0.0, 0.1, iban), &[K::Iban]),
        // --- SSN
        case("ssn", column(7, n, 0.1, 0.0, |r| ssn(r, true)), &[K::Ssn]),
        case(
            "social_security_no",
            column(8, n, 0.0, 0.0, |r| ssn(r, false)),
            &[K::Ssn],
        ),
        case(
            "tax_ref",
            column(9, n, 0.0, 0.05, |r| ssn(r, true)),
            &[K::Ssn],
        ),
        case("ssn_masked", column(10, n, 0.0, 0.0, masked_ssn), &[K::Ssn]),
        // --- phone
        case("phone", column(11, n, 0.1, 0.05, phone), &[K::Phone]),
        case("contact", column(12, n, 0.0, 0.0, phone), &[K::Phone]),
        case(
            "mobile",
            column(13, n, 0.0, 0.0, |r| {
                format!("+49{}{}", r.range(151, 179), r.digits(8))
            }),
            &[K::Phone],
        ),
        case(
            "phone_number",
            column(14, n, 0.0, 0.0, |r| {
                format!("{}{}{}", r.range(201, 989), r.range(200, 999), r.digits(4))
            }),
            &[K::Phone],
        ),
        case(
            "phone_masked",
            column(15, n, 0.0, 0.0, masked_phone),
            &[K::Phone],
        ),
        // --- email
        case("email", column(16, n, 0.1, 0.05, email), &[K::Email]),
        case("login", column(17, n, 0.0, 0.2, email), &[K::Email]),
        case(
            "email_masked",
            column(18, n, 0.0, 0.0, masked_email),
            &[K::Email],
        ),
        // --- IP
        case(
            "last_login_ip",
            column(19, n, 0.1, 0.0, ipv4),
            &[K::IpAddress],
        ),
        case(
            "client_addr",
            column(20, n, 0.0, 0.0, ipv6),
            &[K::IpAddress],
        ),
        case(
            "source",
            column(21, n, 0.0, 0.0, |r| {
                if r.chance(0.7) {
                    ipv4(r)
                } else {
                    format!("{}/24", ipv4(r))
                }
            }),
            &[K::IpAddress],
        ),
        // --- JWT / keys / tokens
        case("id_token", column(22, n, 0.1, 0.0, jwt), &[K::Jwt]),
        case("payload", column(23, n, 0.0, 0.0, jwt), &[K::Jwt]),
        case("api_key", column(24, n, 0.0, 0.0, api_key), &[K::ApiKey]),
        case(
            "integration_cred",
            column(25, n, 0.0, 0.0, api_key),
            &[K::ApiKey],
        ),
        case(
            "session_token",
            column(26, n, 0.0, 0.0, generic_token),
            &[K::GenericToken],
        ),
        case(
            "reset_code",
            column(27, n, 0.0, 0.0, generic_token),
            &[K::GenericToken],
        ),
        // --- password hashes
        case(
            "password_hash",
            column(28, n, 0.0, 0.0, bcrypt),
            &[K::PasswordHash],
        ),
        case("pwd", column(29, n, 0.0, 0.0, argon2), &[K::PasswordHash]),
        case(
            "password",
            column(30, n, 0.0, 0.0, django_pbkdf2),
            &[K::PasswordHash],
        ),
        case(
            "shadow",
            column(31, n, 0.0, 0.0, sha512crypt),
            &[K::PasswordHash],
        ),
        case(
            "rolpassword",
            column(32, n, 0.0, 0.0, |r| {
                if r.chance(0.5) {
                    scram(r)
                } else {
                    pg_md5(r)
                }
            }),
            &[K::PasswordHash],
        ),
        case(
            "user_password",
            column(33, n, 0.0, 0.0, |r| r.hex(32)),
            &[K::PasswordHash],
        ),
        // --- plaintext passwords
        case(
            "password",
            column(34, n, 0.05, 0.0, plaintext_password),
            &[K::PlaintextPassword],
        ),
        case(
            "passwd",
            column(35, n, 0.0, 0.0, plaintext_password),
            &[K::PlaintextPassword],
        ),
        // --- birth dates
        case(
            "date_of_birth",
            column(36, n, 0.1, 0.0, |r| dob(r, 0)),
            &[K::BirthDate],
        ),
        case(
            "birthday",
            column(37, n, 0.0, 0.0, |r| dob(r, 1)),
            &[K::BirthDate],
        ),
        case(
            "geburtsdatum",
            column(38, n, 0.0, 0.0, |r| dob(r, 2)),
            &[K::BirthDate],
        ),
        case(
            "bd",
            column(39, n, 0.0, 0.0, |r| dob(r, 0)),
            &[K::BirthDate],
        ),
        // --- encrypted
        case(
            "ssn_encrypted",
            column(40, n, 0.0, 0.0, pgcrypto_sym),
            &[K::Encrypted],
        ),
        case(
            "card_enc",
            column(41, n, 0.0, 0.0, pgcrypto_pub),
            &[K::Encrypted],
        ),
        case(
            "notes_secure",
            column(42, n, 0.0, 0.0, pgp_armor),
            &[K::Encrypted],
        ),
        case(
            "token_fernet",
            column(43, n, 0.0, 0.0, fernet),
            &[K::Encrypted],
        ),
        case(
            "backup_blob",
            column(44, n, 0.0, 0.0, age_bytea),
            &[K::Encrypted],
        ),
        case(
            "secret_blob",
            column(45, n, 0.0, 0.0, opaque),
            &[K::Encrypted],
        ),
        // --- negatives
        case(
            "id",
            column(46, n, 0.0, 0.0, {
                let mut i = 1000u64;
                move |_| {
                    i += 1;
                    i.to_string()
                }
            }),
            &[],
        ),
        case(
            "customer_id",
            column(47, n, 0.0, 0.0, |r| {
                r.range(100_000_000, 999_999_999).to_string()
            }),
            &[],
        ),
        case(
            "order_no",
            column(48, n, 0.0, 0.0, |r| {
                r.range(100_000_000, 899_999_999).to_string()
            }),
            &[],
        ),
        case(
            "zip",
            column(49, n, 0.0, 0.0, |r| format!("{:05}", r.range(1000, 99999))),
            &[],
        ),
        case(
            "zip_code",
            column(50, n, 0.0, 0.0, |r| {
                format!("{:05}{:04}", r.range(10000, 99999), r.range(1, 9999))
            }),
            &[],
        ),
        case(
            "postal",
            column(51, n, 0.0, 0.0, |r| {
                format!("{:05}-{:04}", r.range(10000, 99999), r.range(1, 9999))
            }),
            &[],
        ),
        case(
            "order_ref",
            column(52, n, 0.0, 0.0, |r| {
                format!("ORD-{}-{}", r.range(2019, 2025), r.digits(6))
            }),
            &[],
        ),
        case(
            "tracking_number",
            column(53, n, 0.0, 0.0, |r| {
                format!("{}{}", r.range(1, 9), r.digits(15))
            }),
            &[],
        ),
        case("external_ref", column(54, n, 0.0, 0.0, uuid), &[]),
        case(
            "created_at",
            column(55, n, 0.0, 0.0, |r| {
                format!(
                    "2024-{:02}-{:02} {:02}:{:02}:{:02}+00",
                    r.range(1, 12),
                    r.range(1, 28),
                    r.range(0, 23),
                    r.range(0, 59),
                    r.range(0, 59)
                )
            }),
            &[],
        ),
        case(
            "created_on",
            column(56, n, 0.0, 0.0, |r| {
                format!(
                    "{}-{:02}-{:02}",
                    r.range(2015, 2025),
                    r.range(1, 5),
                    r.range(1, 28)
                )
            }),
            &[],
        ),
        case(
            "shipped",
            column(57, n, 0.0, 0.0, |r| {
                format!(
                    "{:02}/{:02}/{}",
                    r.range(1, 28),
                    r.range(1, 12),
                    r.range(2020, 2024)
                )
            }),
            &[],
        ),
        case(
            "d",
            column(58, n, 0.0, 0.0, |r| {
                format!(
                    "{}-{:02}-{:02}",
                    r.range(2023, 2025),
                    r.range(1, 5),
                    r.range(1, 28)
                )
            }),
            &[],
        ),
        case(
            "epoch",
            column(59, n, 0.0, 0.0, |r| {
                r.range(1_600_000_000, 1_750_000_000).to_string()
            }),
            &[],
        ),
        case(
            "product_name",
            column(60, n, 0.0, 0.0, |r| {
                format!(
                    "{} {} {}",
                    r.pick(&["Deluxe", "Basic", "Pro"]),
                    r.pick(&["Widget", "Gadget", "Chair"]),
                    r.range(1, 500)
                )
            }),
            &[],
        ),
        case(
            "version",
            column(61, n, 0.0, 0.0, |r| {
                format!(
                    "{}.{}.{}.{}",
                    r.range(1, 12),
                    r.range(0, 20),
                    r.range(0, 9),
                    r.range(0, 99)
                )
            }),
            &[],
        ),
        case(
            "app_version",
            column(62, n, 0.0, 0.0, |r| {
                format!("{}.{}.{}", r.range(1, 12), r.range(0, 20), r.range(0, 9))
            }),
            &[],
        ),
        case(
            "release",
            column(63, n, 0.0, 0.0, |r| {
                format!(
                    "{}.{}.{}.{}",
                    r.range(1, 30),
                    r.range(0, 255),
                    r.range(0, 255),
                    r.range(0, 255)
                )
            }),
            &[],
        ),
        case(
            "colour",
            column(64, n, 0.0, 0.0, |r| format!("#{}", r.hex(6))),
            &[],
        ),
        case("description", column(65, n, 0.0, 0.0, lorem), &[]),
        case(
            "status",
            column(66, n, 0.0, 0.0, |r| {
                r.pick(&["active", "inactive", "pending", "banned"])
                    .to_string()
            }),
            &[],
        ),
        case(
            "price",
            column(67, n, 0.0, 0.0, |r| {
                format!("{}.{:02}", r.range(1, 999), r.range(0, 99))
            }),
            &[],
        ),
        case(
            "sku",
            column(68, n, 0.0, 0.0, |r| {
                format!("SKU-{}-{}", r.chars(UPPER_ALNUM, 4), r.digits(4))
            }),
            &[],
        ),
        case("checksum", column(69, n, 0.0, 0.0, |r| sha_hex(r, 64)), &[]),
        case(
            "commit_sha",
            column(70, n, 0.0, 0.0, |r| sha_hex(r, 40)),
            &[],
        ),
        case(
            "slug",
            column(71, n, 0.0, 0.0, |r| {
                format!(
                    "{}-{}-{}-{}",
                    r.pick(&["how", "why", "best"]),
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.range(2019, 2025)
                )
            }),
            &[],
        ),
        case(
            "url",
            column(72, n, 0.0, 0.0, |r| {
                format!(
                    "https://www.example.com/products/{}?ref={}",
                    r.range(1, 9999),
                    r.pick(WORDS)
                )
            }),
            &[],
        ),
        case(
            "user_agent",
            column(73, n, 0.0, 0.0, |r| {
                format!(
                    "Mozilla/5.0 (X11; Linux x86_64) Firefox/{}.0",
                    r.range(90, 130)
                )
            }),
            &[],
        ),
        case(
            "mac_address",
            column(74, n, 0.0, 0.0, |r| {
                (0..6).map(|_| r.hex(2)).collect::<Vec<_>>().join(":")
            }),
            &[],
        ),
        case(
            "country",
            column(75, n, 0.0, 0.0, |r| {
                r.pick(&["DE", "FR", "GB", "US", "NL"]).to_string()
            }),
            &[],
        ),
        case(
            "quantity",
            column(76, n, 0.0, 0.0, |r| r.range(1, 50).to_string()),
            &[],
        ),
        case(
            "file_path",
            column(77, n, 0.0, 0.0, |r| {
                format!(
                    "/var/data/{}/{}_{}.csv",
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.digits(6)
                )
            }),
            &[],
        ),
        case(
            "isbn",
            column(78, n, 0.0, 0.0, |r| {
                format!("978-3-{}-{}-{}", r.digits(2), r.digits(6), r.digits(1))
            }),
            &[],
        ),
        case(
            "image_thumb",
            column(79, n, 0.0, 0.0, |r| {
                let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
                b.extend(r.bytes(60));
                b64(&b, false, true)
            }),
            &[],
        ),
        case(
            "ean",
            column(80, n, 0.0, 0.0, |r| format!("40{}", r.digits(11))),
            &[],
        ),
        case("settings", column(81, n, 0.0, 0.0, json_config), &[]),
        case(
            "note_b64",
            column(83, n, 0.0, 0.0, |r| {
                let t = lorem(r);
                b64(format!("{t} {}", r.range(1, 999)).as_bytes(), false, true)
            }),
            &[],
        ),
        case(
            "request_id",
            column(84, n, 0.0, 0.0, |r| sha_hex(r, 32)),
            &[],
        ),
        case(
            "device_fingerprint",
            column(85, n, 0.0, 0.0, |r| sha_hex(r, 64)),
            &[],
        ),
        case(
            "doc_ref",
            column(86, n, 0.0, 0.0, |r| {
                format!("{:08x}{}", r.range(0x5000_0000, 0x6800_0000), r.hex(16))
            }),
            &[],
        ),
        case(
            "coordinates",
            column(87, n, 0.0, 0.0, |r| {
                format!(
                    "{}.{},{}.{}",
                    r.range(40, 60),
                    r.digits(4),
                    r.range(1, 20),
                    r.digits(4)
                )
            }),
            &[],
        ),
        case(
            "card_expiry",
            column(88, n, 0.0, 0.0, |r| {
                format!("{:02}/{}", r.range(1, 12), r.range(25, 31))
            }),
            &[],
        ),
        case(
            "birth_year",
            column(89, n, 0.0, 0.0, |r| r.range(1940, 2007).to_string()),
            &[],
        ),
        case(
            "phone_verified_at",
            column(93, n, 0.0, 0.0, |r| {
                format!(
                    "2024-{:02}-{:02} {:02}:{:02}:00",
                    r.range(1, 12),
                    r.range(1, 28),
                    r.range(0, 23),
                    r.range(0, 59)
                )
            }),
            &[],
        ),
        case(
            "hostname",
            column(94, n, 0.0, 0.0, |r| {
                format!(
                    "{}-{:02}.{}.example.com",
                    r.pick(&["web", "db", "cache"]),
                    r.range(1, 40),
                    r.pick(&["eu", "us"])
                )
            }),
            &[],
        ),
        case(
            "account_number",
            column(95, n, 0.0, 0.0, |r| {
                format!("{}{}", r.range(1, 9), r.digits(9))
            }),
            &[],
        ),
        case(
            "otp_secret",
            column(96, n, 0.0, 0.0, |r| {
                r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32)
            }),
            &[K::GenericToken],
        ),
        case(
            "amount_cents",
            column(82, n, 0.0, 0.0, |r| r.range(100, 9_999_999).to_string()),
            &[],
        ),
    ];
    // --- JSON documents with nested personal data
    cases.push(Case {
        column: "profile",
        values: column(90, n, 0.05, 0.0, json_doc),
        expect: vec![
            (K::Email, Some("$.contact.email")),
            (K::Phone, Some("$.contact.phone")),
            (K::CardNumber, Some("$.payment.card")),
            (K::Iban, Some("$.payment.iban")),
            (K::BirthDate, Some("$.dob")),
            (K::IpAddress, Some("$.last_login_ip")),
        ],
    });
    cases.push(Case {
        column: "events",
        values: column(91, n, 0.0, 0.0, json_events),
        expect: vec![(K::IpAddress, Some("$[*].ip"))],
    });
    cases.push(Case {
        column: "integration_config",
        values: column(92, n, 0.0, 0.0, json_secrets),
        expect: vec![
            (K::ApiKey, Some("$.aws.access_key_id")),
            (K::GenericToken, Some("$.aws.secret_access_key")),
            (K::PlaintextPassword, Some("$.db_password")),
        ],
    });
    cases
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[test]
fn precision_and_recall_over_labelled_columns() {
    let cases = labelled_set();
    assert!(
        cases.len() >= 40,
        "labelled set has {} columns",
        cases.len()
    );
    let mut per_kind: BTreeMap<ValueKind, Counts> = BTreeMap::new();
    let mut problems = Vec::new();
    for c in &cases {
        let findings = classify(c.column, &c.values);
        let predicted: BTreeSet<(ValueKind, Option<String>)> = findings
            .iter()
            .map(|f| (f.kind, f.json_path.clone()))
            .collect();
        let expected: BTreeSet<(ValueKind, Option<String>)> = c
            .expect
            .iter()
            .map(|(k, p)| (*k, p.map(str::to_owned)))
            .collect();
        for p in &predicted {
            if expected.contains(p) {
                per_kind.entry(p.0).or_default().tp += 1;
            } else {
                per_kind.entry(p.0).or_default().fp += 1;
                problems.push(format!("FP {:<20} {:?} {:?}", c.column, p.0, p.1));
            }
        }
        for e in expected.difference(&predicted) {
            per_kind.entry(e.0).or_default().fn_ += 1;
            problems.push(format!("FN {:<20} {:?} {:?}", c.column, e.0, e.1));
        }
    }
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    println!(
        "\n{:<20} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "category", "TP", "FP", "FN", "precision", "recall"
    );
    for (kind, c) in &per_kind {
        println!(
            "{:<20} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            kind.id(),
            c.tp,
            c.fp,
            c.fn_,
            ratio(c.tp, c.tp + c.fp),
            ratio(c.tp, c.tp + c.fn_)
        );
        tp += c.tp;
        fp += c.fp;
        fn_ += c.fn_;
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    println!(
        "{:<20} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "overall", tp, fp, fn_, precision, recall
    );
    println!(
        "columns: {} ({} negative)",
        cases.len(),
        cases.iter().filter(|c| c.expect.is_empty()).count()
    );
    for p in &problems {
        println!("{p}");
    }
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}

#[test]
fn no_value_ever_appears_in_output() {
    for c in labelled_set() {
        let findings = classify(c.column, &c.values);
        let debug = format!("{findings:?}");
        let json = serde_json::to_string(&findings).unwrap();
        for v in c.values.iter().flatten() {
            if v.len() < 6 {
                continue;
            }
            assert!(
                !debug.contains(v.as_str()),
                "{}: value leaked into Debug",
                c.column
            );
            assert!(
                !json.contains(v.as_str()),
                "{}: value leaked into JSON",
                c.column
            );
        }
        // JSON leaves must not leak either.
        for v in c.values.iter().flatten() {
            if let Ok(doc) = serde_json::from_str::<serde_json::Value>(v) {
                let mut stack = vec![&doc];
                while let Some(node) = stack.pop() {
                    match node {
                        serde_json::Value::String(s) if s.len() >= 6 => {
                            assert!(!debug.contains(s.as_str()))
                        }
                        serde_json::Value::Array(a) => stack.extend(a),
                        serde_json::Value::Object(o) => stack.extend(o.values()),
                        _ => {}
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Specific behaviours
// ---------------------------------------------------------------------------------------------

#[test]
fn strong_validators_tolerate_junk_weak_ones_do_not() {
    // 30 % junk: still a card column (strong, ≥ 0.6) …
    let cards = column(200, 60, 0.0, 0.3, card);
    assert_eq!(
        kinds(&classify("col", &cards)),
        vec![(ValueKind::CardNumber, Protection::Plaintext)]
    );
    // … but not a phone column (weak, ≥ 0.8).
    let phones = column(201, 60, 0.0, 0.3, phone);
    assert!(kinds(&classify("col", &phones)).is_empty());
    // Confidence grows with the ratio.
    let clean = classify("col", &column(202, 60, 0.0, 0.0, card));
    let dirty = classify("col", &cards);
    assert!(clean[0].confidence > dirty[0].confidence);
    // A supporting name raises confidence.
    let named = classify("card_number", &column(202, 60, 0.0, 0.0, card));
    assert!(named[0].confidence > clean[0].confidence);
}

#[test]
fn evidence_counts_and_never_values() {
    let vals = column(210, 50, 0.2, 0.0, email);
    let non_null = vals.iter().flatten().count();
    let f = classify("email", &vals);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].evidence.validator, "email");
    assert_eq!(f[0].evidence.sampled, 50);
    assert_eq!(f[0].evidence.non_null, non_null);
    assert_eq!(f[0].evidence.matched, non_null);
    assert!((f[0].evidence.ratio() - 1.0).abs() < 1e-9);
    assert!(f[0].confidence > 0.9 && f[0].confidence <= 0.99);
}

#[test]
fn hashed_and_encrypted_columns_are_protected() {
    let f = classify("password", &column(220, 40, 0.0, 0.0, bcrypt));
    assert_eq!(
        kinds(&f),
        vec![(ValueKind::PasswordHash, Protection::Hashed)]
    );
    assert_eq!(f[0].evidence.validator, "bcrypt");

    let mixed = classify(
        "password",
        &column(221, 40, 0.0, 0.0, |r| {
            if r.chance(0.5) {
                bcrypt(r)
            } else {
                argon2(r)
            }
        }),
    );
    assert_eq!(
        kinds(&mixed),
        vec![(ValueKind::PasswordHash, Protection::Hashed)]
    );
    assert_eq!(mixed[0].evidence.validator, "password-hash (mixed schemes)");

    let enc = classify("ssn_enc", &column(222, 40, 0.0, 0.0, pgcrypto_sym));
    assert_eq!(
        kinds(&enc),
        vec![(ValueKind::Encrypted, Protection::Encrypted)]
    );
    assert_eq!(enc[0].evidence.validator, "pgcrypto-openpgp");

    // Unsalted digests: hashed in a password column, nothing in a checksum column, a low
    // confidence guess under a neutral name.
    let md5 = column(223, 40, 0.0, 0.0, |r| sha_hex(r, 32));
    assert_eq!(
        kinds(&classify("pw", &md5)),
        vec![(ValueKind::PasswordHash, Protection::Hashed)]
    );
    assert!(classify("etag", &md5).is_empty());
    let neutral = classify("h", &md5);
    assert_eq!(
        kinds(&neutral),
        vec![(ValueKind::PasswordHash, Protection::Hashed)]
    );
    assert!(neutral[0].confidence <= 0.5);
}

#[test]
fn masked_values_keep_their_kind() {
    for (name, gen, kind) in [
        (
            "card",
            masked_card as fn(&mut Rng) -> String,
            ValueKind::CardNumber,
        ),
        ("ssn", masked_ssn, ValueKind::Ssn),
        ("email", masked_email, ValueKind::Email),
        ("phone", masked_phone, ValueKind::Phone),
    ] {
        let f = classify(name, &column(230, 40, 0.0, 0.0, gen));
        assert_eq!(kinds(&f), vec![(kind, Protection::Masked)], "{name}");
    }
    // Half masked, half clear: the clear half is reported on its own, most exposed first.
    let half = column(231, 60, 0.0, 0.0, |r| {
        if r.chance(0.5) {
            card(r)
        } else {
            masked_card(r)
        }
    });
    let f = classify("card", &half);
    assert_eq!(
        kinds(&f),
        vec![
            (ValueKind::CardNumber, Protection::Plaintext),
            (ValueKind::CardNumber, Protection::Masked)
        ]
    );
}

#[test]
fn plaintext_passwords_need_a_password_name() {
    let vals = column(240, 40, 0.0, 0.0, plaintext_password);
    assert_eq!(
        kinds(&classify("password", &vals)),
        vec![(ValueKind::PlaintextPassword, Protection::Plaintext)]
    );
    assert!(kinds(&classify("nickname", &vals)).is_empty());
    // Mostly hashed with a few legacy plaintext rows: both are reported.
    let legacy = column(241, 60, 0.0, 0.0, |r| {
        if r.chance(0.85) {
            bcrypt(r)
        } else {
            plaintext_password(r)
        }
    });
    let f = kinds(&classify("password", &legacy));
    assert!(f.contains(&(ValueKind::PasswordHash, Protection::Hashed)));
    assert!(f.contains(&(ValueKind::PlaintextPassword, Protection::Plaintext)));
}

#[test]
fn numbers_that_are_not_personal_data() {
    // Nine-digit numbers: an SSN guess only when the name is neutral, and then a weak one.
    let nine = column(250, 50, 0.0, 0.0, |r| ssn(r, false));
    assert!(classify("zip", &nine).is_empty());
    assert!(classify("order_id", &nine).is_empty());
    let neutral = classify("value", &nine);
    assert_eq!(
        kinds(&neutral),
        vec![(ValueKind::Ssn, Protection::Plaintext)]
    );
    assert!(neutral[0].confidence <= 0.5);
    let named = classify("ssn", &nine);
    assert!(named[0].confidence > 0.8);
    // Bare ten-digit numbers are phones only under a phone name.
    let ten = column(251, 50, 0.0, 0.0, |r| {
        format!("{}{}{}", r.range(201, 989), r.range(200, 999), r.digits(4))
    });
    assert!(classify("value", &ten).is_empty());
    assert_eq!(
        kinds(&classify("phone", &ten)),
        vec![(ValueKind::Phone, Protection::Plaintext)]
    );
    // Sequential 16-digit ids starting with 4 are not Visa cards.
    let mut i = 4_000_000_000_000_000u64;
    let seq = column(252, 50, 0.0, 0.0, move |_| {
        i += 7;
        luhn_complete(&i.to_string()[..15])
    });
    assert!(classify("value", &seq).is_empty());
}

#[test]
fn versions_are_not_ip_addresses_unless_named() {
    let versions = column(260, 50, 0.0, 0.0, |r| {
        format!(
            "{}.{}.{}.{}",
            r.range(1, 12),
            r.range(0, 20),
            r.range(0, 9),
            r.range(0, 99)
        )
    });
    assert!(classify("build", &versions).is_empty());
    assert!(classify("v", &versions).is_empty());
    let lan = column(261, 50, 0.0, 0.0, |r| {
        format!("10.0.{}.{}", r.range(0, 9), r.range(1, 60))
    });
    assert!(
        classify("v", &lan).is_empty(),
        "small private addresses look like versions without a name"
    );
    assert_eq!(
        kinds(&classify("host_ip", &lan)),
        vec![(ValueKind::IpAddress, Protection::Plaintext)]
    );
}

#[test]
fn uuids_are_never_tokens() {
    let ids = column(270, 50, 0.0, 0.0, uuid);
    assert!(classify("token", &ids).is_empty());
    let compact = column(271, 50, 0.0, 0.0, |r| uuid(r).replace('-', ""));
    assert!(classify("session_token", &compact).is_empty());
}

#[test]
fn birth_dates_need_the_right_shape_or_name() {
    let births = column(280, 50, 0.0, 0.0, |r| dob(r, 0));
    let neutral = classify("d1", &births);
    assert_eq!(
        kinds(&neutral),
        vec![(ValueKind::BirthDate, Protection::Plaintext)]
    );
    assert!(neutral[0].confidence <= 0.6);
    assert!(classify("created_on", &births).is_empty());
    assert!(classify("hire_date", &births).is_empty());
    let named = classify("dob", &births);
    assert!(named[0].confidence > 0.8);
    // Recent dates are not birth dates under a neutral name.
    let recent = column(281, 50, 0.0, 0.0, |r| {
        format!(
            "{}-{:02}-{:02}",
            r.range(2020, 2025),
            r.range(1, 5),
            r.range(1, 28)
        )
    });
    assert!(classify("d1", &recent).is_empty());
}

#[test]
fn json_documents_report_key_paths() {
    let docs = column(290, 40, 0.0, 0.0, json_doc);
    let f = classify("profile", &docs);
    let paths: BTreeSet<(&str, ValueKind)> = f
        .iter()
        .filter_map(|f| Some((f.json_path.as_deref()?, f.kind)))
        .collect();
    assert!(paths.contains(&("$.contact.email", ValueKind::Email)));
    assert!(paths.contains(&("$.payment.card", ValueKind::CardNumber)));
    assert!(
        !f.iter().any(|f| f.json_path.is_none()),
        "the documents themselves are not values"
    );
    let found = f
        .iter()
        .find(|f| f.json_path.as_deref() == Some("$.contact.email"))
        .unwrap();
    assert_eq!(found.evidence.non_null, 40);
    assert_eq!(found.evidence.sampled, 40);
    // Keys that are data are not printed.
    let keyed = column(291, 20, 0.0, 0.0, |r| {
        serde_json::json!({ email(r): { "phone": phone(r) } }).to_string()
    });
    let f = classify("by_email", &keyed);
    assert!(f
        .iter()
        .all(|f| f.json_path.as_deref().is_some_and(|p| !p.contains('@'))));
    assert!(f
        .iter()
        .any(|f| f.json_path.as_deref() == Some("$.*.phone") && f.kind == ValueKind::Phone));
}

#[test]
fn postgres_arrays_contribute_their_elements() {
    let vals = column(310, 30, 0.1, 0.0, |r| {
        let n = r.range(1, 3);
        let items: Vec<String> = (0..n).map(|_| format!("\"{}\"", phone(r))).collect();
        format!("{{{}}}", items.join(","))
    });
    let f = classify("phones", &vals);
    assert_eq!(kinds(&f), vec![(ValueKind::Phone, Protection::Plaintext)]);
    assert!(f[0].evidence.non_null > vals.iter().flatten().count());
    assert_eq!(f[0].json_path, None);
}

#[test]
fn opaque_values_fold_into_one_finding() {
    // Base64 ciphertexts of lengths divisible by 3 often have no `+`, `/` or `=`: those
    // values look like tokens, and are folded into the ciphertext finding.
    let blobs = column(300, 60, 0.0, 0.0, |r| b64(&r.bytes(45), false, true));
    let f = classify("data", &blobs);
    assert_eq!(
        kinds(&f),
        vec![(ValueKind::Encrypted, Protection::Encrypted)]
    );
    assert_eq!(f[0].evidence.matched, 60);
}

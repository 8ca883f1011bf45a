//! Pure value validators.
//!
//! Every function here looks at one value (already converted to text) and answers a yes/no
//! question about its *shape and checksum*. Nothing here allocates more than a decoded copy of
//! the value, nothing reads the clock, and nothing ever formats the value into a message.
//!
//! Validators do not trim: the caller ([`crate::classify`]) trims surrounding whitespace once.
//! Where a format allows internal separators (cards, IBANs, phone numbers) they are documented
//! on the function.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::hint::NameHint;

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// True when every character of `s` is the same one (and for the empty string).
pub(crate) fn all_same_char(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(first) => it.all(|c| c == first),
        None => true,
    }
}

fn entropy_from_counts(counts: impl Iterator<Item = usize>, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .filter(|&c| c > 0)
        .map(|c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Shannon entropy of the characters of `s`, in bits per character.
pub fn shannon_entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_insert(0) += 1;
        n += 1;
    }
    entropy_from_counts(counts.into_values(), n)
}

/// Shannon entropy of a byte string, in bits per byte.
pub(crate) fn byte_entropy(bytes: &[u8]) -> f64 {
    let mut counts = [0usize; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    entropy_from_counts(counts.iter().copied(), bytes.len())
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Decodes an even-length hex string.
pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some((hex_val(*hi)? << 4) | hex_val(*lo)?),
            _ => None,
        })
        .collect()
}

/// Decodes at most `max_bytes` bytes from the start of an even-length hex string.
fn hex_decode_prefix(s: &str, max_bytes: usize) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) || !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let take = (max_bytes * 2).min(b.len());
    hex_decode(s.get(..take)?)
}

fn b64_value(c: u8, url: bool) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' if !url => Some(62),
        b'/' if !url => Some(63),
        b'-' if url => Some(62),
        b'_' if url => Some(63),
        _ => None,
    }
}

fn is_b64url_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Decodes base64 (`url == false`: `+/`, `url == true`: `-_`). Padding is optional but, when
/// present, must be at most two `=` at the end of a multiple-of-four string.
pub(crate) fn base64_decode(s: &str, url: bool) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if pad > 2 || (pad > 0 && !bytes.len().is_multiple_of(4)) {
        return None;
    }
    let data = bytes.get(..bytes.len() - pad)?;
    if data.is_empty() || data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in data {
        acc = (acc << 6) | u32::from(b64_value(c, url)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Standard or URL-safe base64, whichever decodes; ASCII whitespace (line breaks from
/// PostgreSQL's `encode(..., 'base64')`) is ignored.
fn base64_decode_any(s: &str) -> Option<Vec<u8>> {
    let compact: String;
    let s = if s.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        compact.as_str()
    } else {
        s
    };
    base64_decode(s, false).or_else(|| base64_decode(s, true))
}

/// Splits digits separated by single, consistent separators (one of `seps`) into a digit
/// vector. Leading/trailing/doubled separators and mixed separators are rejected.
fn digits_in_groups(s: &str, seps: &[u8]) -> Option<Vec<u8>> {
    let mut digits = Vec::with_capacity(s.len());
    let mut sep_used: Option<u8> = None;
    let mut prev_digit = false;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            digits.push(b - b'0');
            prev_digit = true;
        } else if seps.contains(&b) {
            if !prev_digit || sep_used.is_some_and(|u| u != b) {
                return None;
            }
            sep_used = Some(b);
            prev_digit = false;
        } else {
            return None;
        }
    }
    if !prev_digit {
        return None;
    }
    Some(digits)
}

fn digits_value(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |acc, &x| acc * 10 + u32::from(x))
}

fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | 'X' | 'x' | '#' | '•' | '●')
}

// ---------------------------------------------------------------------------------------------
// Payment cards
// ---------------------------------------------------------------------------------------------

/// Luhn (mod 10) checksum over a digit vector (most significant first).
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
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
    sum.is_multiple_of(10)
}

/// Known issuer identification number (IIN) ranges with the lengths each scheme issues.
fn card_iin_known(d: &[u8]) -> bool {
    let n = d.len();
    let p = |k: usize| d.get(..k).map(digits_value).unwrap_or(0);
    let (p1, p2, p3, p4) = (p(1), p(2), p(3), p(4));
    let visa = p1 == 4 && matches!(n, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16;
    let amex = (p2 == 34 || p2 == 37) && n == 15;
    let discover = (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3)) && (16..=19).contains(&n);
    let jcb = (3528..=3589).contains(&p4) && (16..=19).contains(&n);
    let diners = ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095)
        && (14..=19).contains(&n);
    let unionpay = p2 == 62 && (16..=19).contains(&n);
    let maestro = (p2 == 50 || (56..=69).contains(&p2)) && (12..=19).contains(&n);
    visa || mastercard || amex || discover || jcb || diners || unionpay || maestro
}

/// Payment card number (PAN): 13–19 digits, optionally grouped with single spaces or dashes
/// (one kind of separator), Luhn-valid, with a known IIN prefix and a length that scheme
/// issues. All-same-digit strings are rejected.
pub fn is_card_number(s: &str) -> bool {
    let Some(digits) = digits_in_groups(s, b" -") else {
        return false;
    };
    (13..=19).contains(&digits.len())
        && !digits.iter().all(|&d| Some(&d) == digits.first())
        && luhn_valid(&digits)
        && card_iin_known(&digits)
}

/// Masked card number: 13–19 positions (spaces/dashes between groups ignored), a run of at
/// least four identical mask characters (`*`, `X`, `x`, `#`, `•`), at most the first six
/// digits (starting 2–6) and exactly the last four digits visible:
/// `************1234`, `XXXX-XXXX-XXXX-1234`, `4111 11** **** 1111`.
pub fn is_masked_card(s: &str) -> bool {
    if s.starts_with([' ', '-']) || s.ends_with([' ', '-']) || s.contains("  ") {
        return false;
    }
    let chars: Vec<char> = s.chars().filter(|&c| c != ' ' && c != '-').collect();
    if !(13..=19).contains(&chars.len()) {
        return false;
    }
    let Some((prefix, mask, suffix)) = split_masked(&chars) else {
        return false;
    };
    prefix <= 6
        && suffix == 4
        && mask >= 4
        && (prefix == 0 || chars.first().is_some_and(|c| ('2'..='6').contains(c)))
}

/// Splits `digits* mask+ digits*` into (prefix digits, mask run, suffix digits); the mask run
/// must use a single mask character.
fn split_masked(chars: &[char]) -> Option<(usize, usize, usize)> {
    let prefix = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = chars.get(prefix..)?;
    let mask_char = *rest.first()?;
    if !is_mask_char(mask_char) {
        return None;
    }
    let mask = rest.iter().take_while(|&&c| c == mask_char).count();
    let tail = rest.get(mask..)?;
    if !tail.iter().all(char::is_ascii_digit) {
        return None;
    }
    Some((prefix, mask, tail.len()))
}

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

/// IBAN lengths per country (SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// ISO 7064 mod-97 over an IBAN already rearranged (BBAN + country + check digits).
fn mod97(chars: impl Iterator<Item = u8>) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in chars {
        rem = match c {
            b'0'..=b'9' => (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(c - b'A' + 10)) % 97,
            _ => return None,
        };
    }
    Some(rem)
}

/// IBAN: two-letter country code, two check digits, alphanumeric BBAN; total length as the
/// country's registry entry says; ISO 7064 mod-97 remainder 1. Single spaces between groups
/// are allowed (print format); lowercase is accepted.
pub fn is_iban(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return false;
    }
    let compact: Vec<u8> = s
        .bytes()
        .filter(|&b| b != b' ')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (Some(head), Some(bban)) = (compact.get(..4), compact.get(4..)) else {
        return false;
    };
    let [c1, c2, k1, k2] = [head[0], head[1], head[2], head[3]];
    let well_formed = c1.is_ascii_uppercase()
        && c2.is_ascii_uppercase()
        && k1.is_ascii_digit()
        && k2.is_ascii_digit()
        && bban.iter().all(u8::is_ascii_alphanumeric);
    if !well_formed {
        return false;
    }
    let country = [c1, c2];
    let Some(&(_, len)) = IBAN_LENGTHS
        .iter()
        .find(|(cc, _)| cc.as_bytes() == country.as_slice())
    else {
        return false;
    };
    if compact.len() != len {
        return false;
    }
    mod97(bban.iter().chain(head.iter()).copied()) == Some(1)
}

// ---------------------------------------------------------------------------------------------
// US SSN
// ---------------------------------------------------------------------------------------------

fn ssn_parts_valid(area: u32, group: u32, serial: u32) -> bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// SSN in the `AAA-GG-SSSS` form: area not 000, 666 or 900–999; group not 00; serial not
/// 0000; all-same-digit placeholders (`111-11-1111`) rejected.
pub fn is_ssn_formatted(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || b.get(3) != Some(&b'-') || b.get(6) != Some(&b'-') {
        return false;
    }
    let digits: Vec<u8> = b
        .iter()
        .filter(|&&c| c != b'-')
        .map(|c| c.wrapping_sub(b'0'))
        .collect();
    digits.len() == 9 && digits.iter().all(|&d| d <= 9) && ssn_digits_valid(&digits)
}

/// SSN as nine plain digits, same rules as [`is_ssn_formatted`]. On its own this is a weak
/// signal (most nine-digit numbers pass); classification only uses it when the column name
/// does not contradict.
pub fn is_ssn_plain(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && b.iter().all(u8::is_ascii_digit)
        && ssn_digits_valid(&b.iter().map(|c| c - b'0').collect::<Vec<u8>>())
}

fn ssn_digits_valid(d: &[u8]) -> bool {
    let (Some(a), Some(g), Some(s)) = (d.get(0..3), d.get(3..5), d.get(5..9)) else {
        return false;
    };
    !d.iter().all(|&x| Some(&x) == d.first())
        && ssn_parts_valid(digits_value(a), digits_value(g), digits_value(s))
}

/// Either SSN form.
pub fn is_ssn(s: &str) -> bool {
    is_ssn_formatted(s) || is_ssn_plain(s)
}

/// Masked SSN: `XXX-XX-1234`, `***-**-1234` or `*****1234` (one mask character throughout).
pub fn is_masked_ssn(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let (masked, digits): (Vec<char>, &[char]) = match c.len() {
        11 if c.get(3) == Some(&'-') && c.get(6) == Some(&'-') => (
            c.iter().take(7).filter(|&&x| x != '-').copied().collect(),
            c.get(7..).unwrap_or(&[]),
        ),
        9 => (
            c.iter().take(5).copied().collect(),
            c.get(5..).unwrap_or(&[]),
        ),
        _ => return false,
    };
    masked.len() == 5
        && masked.first().is_some_and(|&m| is_mask_char(m))
        && all_same_char(&masked.iter().collect::<String>())
        && digits.len() == 4
        && digits.iter().all(char::is_ascii_digit)
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

struct PhoneShape {
    /// Digit count of each group, and whether the group was in parentheses.
    groups: Vec<(usize, bool)>,
    digits: Vec<u8>,
    dot: bool,
    dash: bool,
}

fn phone_shape(body: &str) -> Option<PhoneShape> {
    let mut groups = Vec::new();
    let mut digits = Vec::new();
    let mut cur = 0usize;
    let mut in_paren = false;
    let mut paren_seen = false;
    let mut prev: Option<char> = None;
    let (mut dot, mut dash) = (false, false);
    for c in body.chars() {
        match c {
            '0'..='9' => {
                cur += 1;
                digits.push(c as u8 - b'0');
            }
            '(' => {
                if in_paren || paren_seen || cur != 0 || matches!(prev, Some('-' | '.')) {
                    return None;
                }
                in_paren = true;
            }
            ')' => {
                if !in_paren || cur == 0 {
                    return None;
                }
                groups.push((cur, true));
                cur = 0;
                in_paren = false;
                paren_seen = true;
            }
            ' ' | '-' | '.' => {
                if in_paren {
                    return None;
                }
                if cur > 0 {
                    groups.push((cur, false));
                    cur = 0;
                } else if prev != Some(')') {
                    return None;
                }
                dot |= c == '.';
                dash |= c == '-';
            }
            _ => return None,
        }
        prev = Some(c);
    }
    if in_paren {
        return None;
    }
    if cur > 0 {
        groups.push((cur, false));
    } else if prev != Some(')') {
        return None;
    }
    Some(PhoneShape {
        groups,
        digits,
        dot,
        dash,
    })
}

/// Phone number. Accepted:
///
/// * E.164 / international: `+` then 8–15 digits, first digit 1–9, optionally grouped with
///   spaces, dashes, dots or one pair of parentheses (`+44 20 7946 0958`, `+14155550134`);
///   `00` instead of `+` likewise (`0044 20 7946 0958`).
/// * National with a trunk `0` and separators, 9–12 digits (`030 1234567`, `06-12345678`,
///   `01 23 45 67 89`).
/// * North American `NXX-NXX-XXXX` with separators or parentheses, optional leading `1`
///   (`(555) 234-5678`, `1-415-555-0134`).
///
/// Rejected: anything without `+` and without separators (plain integers, see
/// [`is_phone_digits`]), calendar dates, dotted quads (IPs, versions), the SSN shape
/// `ddd-dd-dddd`, letters, slashes and colons.
pub fn is_phone(s: &str) -> bool {
    if !(7..=32).contains(&s.len()) {
        return false;
    }
    let (plus, body) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return false;
    }
    let Some(shape) = phone_shape(body) else {
        return false;
    };
    let d = shape.digits.len();
    let lens: Vec<usize> = shape.groups.iter().map(|g| g.0).collect();
    if shape.dot && lens.len() >= 4 && !plus {
        return false;
    }
    if plus {
        return (8..=15).contains(&d) && shape.digits.first().is_some_and(|&x| x != 0);
    }
    if lens.len() < 2 || lens.iter().any(|&l| l > 8) || is_calendar_date(s) {
        return false;
    }
    if shape.dash && lens == [3, 2, 4] {
        return false; // SSN shape
    }
    let first = shape.digits.first().copied().unwrap_or(0);
    let second = shape.digits.get(1).copied().unwrap_or(0);
    if first == 0 && second == 0 {
        let third = shape.digits.get(2).copied().unwrap_or(0);
        return third != 0 && (8..=15).contains(&(d - 2));
    }
    if first == 0 {
        return (9..=12).contains(&d) && shape.groups.iter().all(|g| !g.1 || g.0 <= 5);
    }
    // North American numbering plan.
    let (area_at, paren_ok) = match lens.as_slice() {
        [3, 3, 4] => (0usize, shape.groups.iter().skip(1).all(|g| !g.1)),
        [1, 3, 3, 4] if first == 1 => (
            1usize,
            shape.groups.iter().enumerate().all(|(i, g)| !g.1 || i == 1),
        ),
        _ => return false,
    };
    let area_first = shape.digits.get(area_at).copied().unwrap_or(0);
    let exchange_first = shape.digits.get(area_at + 3).copied().unwrap_or(0);
    paren_ok && (2..=9).contains(&area_first) && (2..=9).contains(&exchange_first)
}

/// Phone number stored as bare digits (9–15, not all the same digit). Every integer id of
/// that length passes, so classification only uses this when the column name says phone.
pub fn is_phone_digits(s: &str) -> bool {
    let t = s.strip_prefix('+').unwrap_or(s);
    (9..=15).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) && !all_same_char(t)
}

/// Masked phone number: optional `+`, up to four visible leading digits, a run of at least
/// four identical mask characters, then 2–4 visible digits (`+49 *** ****567`,
/// `(***) ***-4567`). Without `+` the masked number must have 10–12 positions so it does not
/// collide with masked SSNs (9) or cards (13+).
pub fn is_masked_phone(s: &str) -> bool {
    let (plus, body) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let chars: Vec<char> = body
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let total_ok = if plus {
        (8..=16).contains(&chars.len())
    } else {
        (10..=12).contains(&chars.len())
    };
    let Some((prefix, mask, suffix)) = split_masked(&chars) else {
        return false;
    };
    total_ok && prefix <= 4 && mask >= 4 && (2..=4).contains(&suffix) && (!plus || prefix >= 1)
}

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b)
}

fn is_email_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| is_atext(b) || b == b'.')
}

/// DNS host name with at least two labels; labels of letters, digits and hyphens not starting
/// or ending with a hyphen (1–63 each); alphabetic top-level label of at least two letters.
pub fn is_domain(d: &str) -> bool {
    if d.is_empty() || d.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = d.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Email address, a practical RFC 5322 subset: dot-atom local part (no leading, trailing or
/// consecutive dots, at most 64 octets), `@`, a domain per [`is_domain`], at most 254 octets
/// in total. Quoted local parts and address literals are not accepted.
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 {
        return false;
    }
    match s.rsplit_once('@') {
        Some((local, domain)) => is_email_local(local) && is_domain(domain),
        None => false,
    }
}

/// Masked email: a local part containing `*` (`j***@example.com`, `***@example.com`,
/// `j.d***e@example.com`), and a valid domain, possibly itself masked (`j***@e*****.com`).
pub fn is_masked_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if !local.contains('*') || !is_email_local(local) {
        return false;
    }
    is_domain(domain) || (domain.contains('*') && is_domain(&domain.replace('*', "x")))
}

// ---------------------------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------------------------

fn split_cidr(s: &str, max: u8) -> Option<&str> {
    match s.split_once('/') {
        Some((addr, prefix)) => {
            let ok = (1..=3).contains(&prefix.len())
                && prefix.bytes().all(|b| b.is_ascii_digit())
                && prefix.parse::<u8>().is_ok_and(|p| p <= max);
            ok.then_some(addr)
        }
        None => Some(s),
    }
}

/// Parses a dotted quad strictly: four decimal octets 0–255 without leading zeros.
pub(crate) fn parse_ipv4_strict(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for slot in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if p.len() > 1 && p.starts_with('0') {
            return None;
        }
        *slot = p.parse::<u8>().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    // Cross-check with the standard library's parser.
    (Ipv4Addr::from_str(s).ok()?.octets() == out).then_some(out)
}

/// IPv4 address (four octets 0–255, no leading zeros beyond `0`), optional `/0`–`/32`.
pub fn is_ipv4(s: &str) -> bool {
    split_cidr(s, 32).is_some_and(|a| parse_ipv4_strict(a).is_some())
}

/// IPv6 address as `std::net::Ipv6Addr` parses it (including `::ffff:1.2.3.4`), optional
/// `/0`–`/128`. Zone identifiers (`%eth0`) are not accepted.
pub fn is_ipv6(s: &str) -> bool {
    split_cidr(s, 128).is_some_and(|a| a.contains(':') && Ipv6Addr::from_str(a).is_ok())
}

/// IPv4 or IPv6 address.
pub fn is_ip_address(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

/// A dotted quad that reads more like a four-part version number than an address: first
/// octet below 32 and every other octet below 100 (`1.2.3.4`, `12.1.0.2`). Classification
/// only treats a column of these as IP addresses when its name says so.
pub(crate) fn ipv4_version_like(s: &str) -> bool {
    let addr = s.split_once('/').map_or(s, |(a, _)| a);
    parse_ipv4_strict(addr).is_some_and(|o| o[0] < 32 && o[1] < 100 && o[2] < 100 && o[3] < 100)
}

// ---------------------------------------------------------------------------------------------
// JWT and API keys
// ---------------------------------------------------------------------------------------------

/// JSON Web Token (JWS compact form): three base64url segments separated by dots, the first
/// decoding to a JSON object with a string `"alg"` member and the second decoding as base64url.
/// The signature segment may be empty (`alg: none`).
pub fn is_jwt(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if h.len() < 10 || p.is_empty() {
        return false;
    }
    if ![h, p, sig].iter().all(|x| x.bytes().all(is_b64url_char)) {
        return false;
    }
    let Some(header) = base64_decode(h, true) else {
        return false;
    };
    if base64_decode(p, true).is_none() {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(&header) {
        Ok(serde_json::Value::Object(m)) => m.get("alg").is_some_and(serde_json::Value::is_string),
        _ => false,
    }
}

fn has_letter_and_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_alphabetic()) && s.bytes().any(|b| b.is_ascii_digit())
}

/// AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) + 16 uppercase letters/digits.
pub fn is_aws_access_key_id(s: &str) -> bool {
    s.len() == 20
        && (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// GitHub token: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 (or more) letters/digits, or a
/// fine-grained `github_pat_` token.
pub fn is_github_token(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("github_pat_") {
        return (40..=255).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    }
    let classic = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"];
    classic.iter().any(|p| {
        s.strip_prefix(p).is_some_and(|rest| {
            (36..=251).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    })
}

/// Slack token: `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` + at least 10 characters of
/// letters, digits and dashes including digits.
pub fn is_slack_token(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 15
        && s.starts_with("xox")
        && matches!(b.get(3), Some(b'b' | b'a' | b'p' | b'r' | b's'))
        && b.get(4) == Some(&b'-')
        && s.get(5..).is_some_and(|rest| {
            rest.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && rest.bytes().any(|c| c.is_ascii_digit())
        })
}

/// Stripe secret or restricted key: `sk_live_`, `rk_live_`, `sk_test_`, `rk_test_` + at
/// least 16 letters/digits. (Publishable `pk_` keys are not secrets and are not matched.)
pub fn is_stripe_secret_key(s: &str) -> bool {
    ["sk_live_", "rk_live_", "sk_test_", "rk_test_"]
        .iter()
        .any(|p| {
            s.strip_prefix(p).is_some_and(|rest| {
                (16..=247).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
            })
        })
}

/// Google API key: `AIza` + 35 characters of `[A-Za-z0-9_-]`.
pub fn is_google_api_key(s: &str) -> bool {
    s.len() == 39 && s.starts_with("AIza") && s.bytes().all(is_b64url_char)
}

/// OpenAI-style secret key: `sk-` + at least 20 characters of `[A-Za-z0-9_-]` mixing
/// letters and digits (`sk-proj-...` included).
pub fn is_openai_style_key(s: &str) -> bool {
    s.strip_prefix("sk-").is_some_and(|rest| {
        (20..=256).contains(&rest.len())
            && rest.bytes().all(is_b64url_char)
            && has_letter_and_digit(rest)
    })
}

/// Which vendor-specific API key shape `s` has, if any.
pub fn api_key_vendor(s: &str) -> Option<&'static str> {
    if is_aws_access_key_id(s) {
        Some("aws-access-key-id")
    } else if is_github_token(s) {
        Some("github-token")
    } else if is_slack_token(s) {
        Some("slack-token")
    } else if is_stripe_secret_key(s) {
        Some("stripe-secret-key")
    } else if is_google_api_key(s) {
        Some("google-api-key")
    } else if is_openai_style_key(s) {
        Some("openai-style-key")
    } else {
        None
    }
}

/// Any vendor-specific API key shape (AWS, GitHub, Slack, Stripe, Google, OpenAI-style).
pub fn is_api_key(s: &str) -> bool {
    api_key_vendor(s).is_some()
}

/// UUID: `8-4-4-4-12` hex with dashes (any version, optional braces), or 32 hex digits whose
/// version nibble is 1–8 and variant nibble 8–b. UUIDs are identifiers, never secrets.
pub fn is_uuid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(s);
    let b = s.as_bytes();
    match b.len() {
        36 => b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        }),
        32 => {
            is_hex(s)
                && b.get(12).is_some_and(|c| (b'1'..=b'8').contains(c))
                && b.get(16).is_some_and(|c| b"89abAB".contains(c))
        }
        _ => false,
    }
}

/// Generic high-entropy token — a weaker, vendor-neutral validator. 24–512 characters of
/// `[A-Za-z0-9_-/+=]` (`=` only as trailing padding), mixing letters and digits, Shannon
/// entropy ≥ 3.5 bits/char, frequent letter↔digit alternation (at least one switch per 12
/// characters, minimum 2), not a UUID, not a path (`/` first or `//`), and not a slug
/// (mostly purely alphabetic or purely numeric words joined by `-`, `_` or `/`), not a
/// MongoDB ObjectId (24 lowercase hex digits) and not base64-encoded prose.
pub fn is_generic_token(s: &str) -> bool {
    let n = s.len();
    if !(24..=512).contains(&n) {
        return false;
    }
    let body = s.trim_end_matches('=');
    if n - body.len() > 2 {
        return false;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/' | b'+'))
    {
        return false;
    }
    if !has_letter_and_digit(body) || is_uuid(s) || body.starts_with('/') || body.contains("//") {
        return false;
    }
    // MongoDB ObjectId: 24 lowercase hex digits, an identifier.
    if n == 24
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return false;
    }
    // Base64-encoded prose is text, not a secret.
    if decodes_to_prose(s) {
        return false;
    }
    if shannon_entropy(body) < 3.5 {
        return false;
    }
    // Letter/digit alternation, ignoring symbols.
    let mut switches = 0usize;
    let mut last: Option<bool> = None;
    for b in body.bytes() {
        let class = if b.is_ascii_digit() {
            Some(true)
        } else if b.is_ascii_alphabetic() {
            Some(false)
        } else {
            None
        };
        if let Some(c) = class {
            if last.is_some_and(|l| l != c) {
                switches += 1;
            }
            last = Some(c);
        }
    }
    if switches < 2.max(n.div_ceil(12)) {
        return false;
    }
    // Slugs and identifiers: `release-2024-final-build`, `user_profile_v2_backup`.
    let segments: Vec<&str> = body
        .split(['-', '_', '/'])
        .filter(|x| !x.is_empty())
        .collect();
    if segments.len() >= 3 {
        let wordy = segments
            .iter()
            .filter(|seg| {
                seg.bytes().all(|b| b.is_ascii_alphabetic())
                    || seg.bytes().all(|b| b.is_ascii_digit())
            })
            .count();
        if wordy * 3 >= segments.len() * 2 {
            return false;
        }
    }
    true
}

/// Base64 that decodes to printable ASCII text with spaces (encoded prose, not a secret).
fn decodes_to_prose(s: &str) -> bool {
    base64_decode_any(s).is_some_and(|b| {
        let printable = b
            .iter()
            .filter(|&&c| (0x20..0x7f).contains(&c) || c == b'\n')
            .count();
        let spaces = b.iter().filter(|&&c| c == b' ').count();
        printable * 20 >= b.len() * 19 && spaces >= 2
    })
}

// ---------------------------------------------------------------------------------------------
// Password hashes
// ---------------------------------------------------------------------------------------------

fn is_crypt64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'/'
}

fn all_crypt64(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_crypt64)
}

fn all_b64ish(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'.' | b'=' | b'-' | b'_')
        })
}

/// bcrypt: `$2a$`, `$2b$`, `$2y$` (or `$2x$`), a two-digit cost 04–31, `$`, then 53
/// characters of the bcrypt alphabet (22 salt + 31 hash).
pub fn is_bcrypt(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 60
        && b.first() == Some(&b'$')
        && b.get(1) == Some(&b'2')
        && matches!(b.get(2), Some(b'a' | b'b' | b'y' | b'x'))
        && b.get(3) == Some(&b'$')
        && b.get(6) == Some(&b'$')
        && s.get(4..6)
            .and_then(|c| c.parse::<u8>().ok())
            .is_some_and(|c| (4..=31).contains(&c))
        && s.get(7..).is_some_and(all_crypt64)
}

/// Argon2 PHC string: `$argon2id$`, `$argon2i$` or `$argon2d$`, optional `v=NN$`, parameters
/// `m=..,t=..,p=..`, then a base64 salt (≥ 8 chars) and hash (≥ 16 chars).
pub fn is_argon2(s: &str) -> bool {
    let parts: Vec<&str> = s.split('$').collect();
    let (variant, rest) = match parts.as_slice() {
        ["", variant, rest @ ..] => (*variant, rest),
        _ => return false,
    };
    if !matches!(variant, "argon2id" | "argon2i" | "argon2d") {
        return false;
    }
    let rest = match rest {
        [v, tail @ ..] if v.starts_with("v=") => {
            if !v
                .get(2..)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                return false;
            }
            tail
        }
        tail => tail,
    };
    let [params, salt, hash] = rest else {
        return false;
    };
    phc_params_ok(params, &["m", "t", "p"])
        && salt.len() >= 8
        && hash.len() >= 16
        && all_b64ish(salt)
        && all_b64ish(hash)
}

/// `k=digits` comma-separated parameters, all `required` keys present.
fn phc_params_ok(params: &str, required: &[&str]) -> bool {
    let mut seen = Vec::new();
    for kv in params.split(',') {
        let Some((k, v)) = kv.split_once('=') else {
            return false;
        };
        if v.is_empty() {
            return false;
        }
        seen.push(k);
    }
    required.iter().all(|r| seen.contains(r))
}

/// scrypt: passlib PHC `$scrypt$ln=..,r=..,p=..$salt$hash`, libsodium/crypt `$7$`
/// (`$7$` + ≥ 11 parameter/salt chars + `$` + 43 hash chars), and Werkzeug
/// `scrypt:N:r:p$salt$hash`.
pub fn is_scrypt(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("$scrypt$") {
        let parts: Vec<&str> = rest.split('$').collect();
        return matches!(parts.as_slice(), [params, salt, hash]
            if phc_params_ok(params, &["ln", "r", "p"]) && all_b64ish(salt) && hash.len() >= 16 && all_b64ish(hash));
    }
    if let Some(rest) = s.strip_prefix("$7$") {
        return matches!(rest.rsplit_once('$'), Some((params, hash))
            if params.len() >= 11 && all_crypt64(params) && hash.len() == 43 && all_crypt64(hash));
    }
    werkzeug_hash(s, "scrypt:")
}

/// yescrypt (modern `/etc/shadow`): `$y$` or `$gy$`, parameters, salt, 43-char hash.
pub fn is_yescrypt(s: &str) -> bool {
    let rest = s.strip_prefix("$y$").or_else(|| s.strip_prefix("$gy$"));
    rest.is_some_and(|r| {
        let parts: Vec<&str> = r.split('$').collect();
        matches!(parts.as_slice(), [params, salt, hash]
            if all_crypt64(params) && all_crypt64(salt) && hash.len() == 43 && all_crypt64(hash))
    })
}

/// Werkzeug `method:params$salt$hash` with a hex hash.
fn werkzeug_hash(s: &str, prefix: &str) -> bool {
    let Some(rest) = s.strip_prefix(prefix) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('$').collect();
    matches!(parts.as_slice(), [params, salt, hash]
        if !params.is_empty()
            && params.bytes().all(|b| b.is_ascii_alphanumeric() || b == b':')
            && !salt.is_empty()
            && salt.bytes().all(|b| b.is_ascii_alphanumeric())
            && hash.len() >= 32
            && is_hex(hash))
}

/// PBKDF2: Django `pbkdf2_sha256$iterations$salt$hash` (also `pbkdf2_sha1`), passlib
/// `$pbkdf2-sha256$rounds$salt$hash` (also `$pbkdf2$`, `-sha1`, `-sha512`), Werkzeug
/// `pbkdf2:sha256:iterations$salt$hash`.
pub fn is_pbkdf2(s: &str) -> bool {
    let django = ["pbkdf2_sha256$", "pbkdf2_sha1$", "pbkdf2_sha512$"];
    let passlib = [
        "$pbkdf2-sha256$",
        "$pbkdf2-sha512$",
        "$pbkdf2-sha1$",
        "$pbkdf2$",
    ];
    let rest = django
        .iter()
        .chain(passlib.iter())
        .find_map(|p| s.strip_prefix(p));
    if let Some(rest) = rest {
        let parts: Vec<&str> = rest.split('$').collect();
        return matches!(parts.as_slice(), [iter, salt, hash]
            if !iter.is_empty() && iter.bytes().all(|b| b.is_ascii_digit())
                && all_b64ish(salt) && hash.len() >= 16 && all_b64ish(hash));
    }
    werkzeug_hash(s, "pbkdf2:")
}

/// SHA-crypt and MD5-crypt: `$6$[rounds=N$]salt$hash` (86-char hash), `$5$...` (43),
/// `$1$salt$hash` (22); salts of at most 16 (8 for `$1$`) crypt-alphabet characters.
pub fn is_sha_crypt(s: &str) -> bool {
    let (rest, hash_len, salt_max) = if let Some(r) = s.strip_prefix("$6$") {
        (r, 86, 16)
    } else if let Some(r) = s.strip_prefix("$5$") {
        (r, 43, 16)
    } else if let Some(r) = s.strip_prefix("$1$") {
        (r, 22, 8)
    } else {
        return false;
    };
    let rest = match rest.strip_prefix("rounds=") {
        Some(r) => match r.split_once('$') {
            Some((n, tail)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => tail,
            _ => return false,
        },
        None => rest,
    };
    match rest.split_once('$') {
        Some((salt, hash)) => {
            salt.len() <= salt_max
                && (salt.is_empty() || all_crypt64(salt))
                && hash.len() == hash_len
                && all_crypt64(hash)
        }
        None => false,
    }
}

/// PostgreSQL SCRAM verifier: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
/// with base64 salt (≥ 8 bytes) and 32-byte keys.
pub fn is_scram_sha_256(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("SCRAM-SHA-256$") else {
        return false;
    };
    let Some((iter_salt, keys)) = rest.split_once('$') else {
        return false;
    };
    let (Some((iters, salt)), Some((stored, server))) =
        (iter_salt.split_once(':'), keys.split_once(':'))
    else {
        return false;
    };
    !iters.is_empty()
        && iters.bytes().all(|b| b.is_ascii_digit())
        && base64_decode(salt, false).is_some_and(|b| b.len() >= 8)
        && base64_decode(stored, false).is_some_and(|b| b.len() == 32)
        && base64_decode(server, false).is_some_and(|b| b.len() == 32)
}

/// PostgreSQL legacy MD5 password: `md5` + 32 lowercase hex digits.
pub fn is_pg_md5(s: &str) -> bool {
    s.len() == 35
        && s.strip_prefix("md5").is_some_and(|h| {
            h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// Bare hex digest of 32/40/64/128 characters (MD5, SHA-1, SHA-256, SHA-512): hex only,
/// a single letter case, containing both letters and digits, not a compact UUID. This means
/// "hashed, unsalted" — it says nothing about whether the input was a password.
pub fn is_hex_digest(s: &str) -> bool {
    matches!(s.len(), 32 | 40 | 64 | 128)
        && is_hex(s)
        && has_letter_and_digit(s)
        && !(s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase()))
        && !is_uuid(s)
}

/// Which salted password-hash scheme `s` is in, if any. Django's `algorithm$` wrappers
/// (`argon2$argon2id$...`, `bcrypt$$2b$...`, `bcrypt_sha256$$2b$...`) are unwrapped.
pub fn password_hash_scheme(s: &str) -> Option<&'static str> {
    if let Some(inner) = s.strip_prefix("argon2$argon2") {
        // Django stores `argon2` + the PHC string without its leading `$`.
        return is_argon2(&format!("$argon2{inner}")).then_some("argon2");
    }
    for wrapper in ["bcrypt_sha256$", "bcrypt$"] {
        if let Some(inner) = s.strip_prefix(wrapper) {
            if inner.starts_with('$') {
                return password_hash_scheme(inner);
            }
        }
    }
    if is_bcrypt(s) {
        Some("bcrypt")
    } else if is_argon2(s) {
        Some("argon2")
    } else if is_scrypt(s) {
        Some("scrypt")
    } else if is_yescrypt(s) {
        Some("yescrypt")
    } else if is_pbkdf2(s) {
        Some("pbkdf2")
    } else if is_sha_crypt(s) {
        Some(if s.starts_with("$1$") {
            "md5-crypt"
        } else {
            "sha-crypt"
        })
    } else if is_scram_sha_256(s) {
        Some("scram-sha-256")
    } else if is_pg_md5(s) {
        Some("postgres-md5")
    } else {
        None
    }
}

/// Any salted / key-stretched password hash format known to [`password_hash_scheme`]
/// (bare hex digests are separate: [`is_hex_digest`]).
pub fn is_password_hash(s: &str) -> bool {
    password_hash_scheme(s).is_some()
}

// ---------------------------------------------------------------------------------------------
// Plaintext passwords
// ---------------------------------------------------------------------------------------------

/// Account-state markers stored in password columns instead of a password.
fn is_locked_marker(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "disabled"
            | "locked"
            | "nologin"
            | "invalid"
            | "unusable"
            | "none"
            | "null"
            | "n/a"
            | "notset"
            | "not-set"
    ) {
        return true;
    }
    // Django's unusable password: "!" + 40 random characters.
    s.len() == 41
        && s.starts_with('!')
        && s.get(1..)
            .is_some_and(|r| r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// True when the column (or JSON key) name says it holds passwords.
pub fn is_password_column_name(name: &str) -> bool {
    NameHint::new(name).is_password()
}

/// A value that could be a password typed by a person: 6–64 characters, no whitespace or
/// control characters, and not a password hash, hex digest, encrypted value, JWT, UUID or
/// account-lock marker. Only meaningful together with a password-like column name.
pub fn is_plaintext_password_candidate(s: &str) -> bool {
    let n = s.chars().count();
    (6..=64).contains(&n)
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !is_password_hash(s)
        && !is_hex_digest(s)
        && !is_encrypted(s)
        && !is_opaque_ciphertext(s)
        && !is_jwt(s)
        && !is_uuid(s)
        && !is_locked_marker(s)
}

/// A column named like a password whose values are mostly (≥ 60 % of at least 5 non-null
/// values, or all of fewer) plaintext candidates rather than hashes: "plaintext passwords".
pub fn looks_like_plaintext_passwords(name_hint: &str, values: &[Option<&str>]) -> bool {
    if !is_password_column_name(name_hint) {
        return false;
    }
    let non_null: Vec<&str> = values
        .iter()
        .filter_map(|v| v.map(str::trim))
        .filter(|v| !v.is_empty())
        .collect();
    let matched = non_null
        .iter()
        .filter(|v| is_plaintext_password_candidate(v))
        .count();
    if non_null.is_empty() {
        return false;
    }
    if non_null.len() < 5 {
        matched == non_null.len()
    } else {
        matched as f64 / non_null.len() as f64 >= 0.6
    }
}

// ---------------------------------------------------------------------------------------------
// Dates of birth
// ---------------------------------------------------------------------------------------------

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_ymd(y: i32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn num(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    ((min_len..=max_len).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses a calendar date: ISO `YYYY-MM-DD`, or day-first / month-first with `/`
/// (`DD/MM/YYYY`, `MM/DD/YYYY`) or `.` (`DD.MM.YYYY`). Only a real calendar date is
/// accepted (leap years included). When both `/` readings are valid the day-first reading is
/// returned; the year — all that age checks need — is the same either way.
pub fn parse_calendar_date(s: &str) -> Option<(i32, u32, u32)> {
    if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-') {
        let y = num(s.get(0..4)?, 4, 4)?;
        let m = num(s.get(5..7)?, 2, 2)?;
        let d = num(s.get(8..10)?, 2, 2)?;
        let y = i32::try_from(y).ok()?;
        return valid_ymd(y, m, d).then_some((y, m, d));
    }
    for sep in ['/', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if let [a, b, y] = parts.as_slice() {
            let (a, b, y) = (num(a, 1, 2)?, num(b, 1, 2)?, num(y, 4, 4)?);
            let y = i32::try_from(y).ok()?;
            if valid_ymd(y, b, a) {
                return Some((y, b, a));
            }
            if sep == '/' && valid_ymd(y, a, b) {
                return Some((y, a, b));
            }
            return None;
        }
    }
    None
}

/// True for any date [`parse_calendar_date`] accepts.
pub fn is_calendar_date(s: &str) -> bool {
    parse_calendar_date(s).is_some()
}

/// Age in whole years on `today` of someone born on `date`; `None` if `date` is after today.
pub(crate) fn age_on(date: (i32, u32, u32), today: (i32, u32, u32)) -> Option<i32> {
    if (date.0, date.1, date.2) > today {
        return None;
    }
    let mut age = today.0 - date.0;
    if (date.1, date.2) > (today.1, today.2) {
        age -= 1;
    }
    Some(age)
}

/// Date of birth: a calendar date per [`parse_calendar_date`] for which the age on `today`
/// (year, month, day — passed in, the crate never reads the clock) is 0–120.
pub fn is_birth_date(s: &str, today: (i32, u32, u32)) -> bool {
    parse_birth_date(s)
        .and_then(|d| age_on(d, today))
        .is_some_and(|age| (0..=120).contains(&age))
}

/// Parses a date of birth: anything [`parse_calendar_date`] accepts, plus an ISO date
/// followed by a *midnight* time (`1990-02-28 00:00:00`, `1990-02-28T00:00:00.000Z`,
/// `… 00:00:00+02`), as ORMs store dates in timestamp columns. Other times of day are
/// events, not birth dates.
pub(crate) fn parse_birth_date(s: &str) -> Option<(i32, u32, u32)> {
    parse_calendar_date(strip_midnight(s))
}

fn strip_midnight(s: &str) -> &str {
    let (Some(date), Some(rest)) = (s.get(..10), s.get(10..)) else {
        return s;
    };
    if rest.is_empty() {
        return s;
    }
    let Some(rest) = rest
        .strip_prefix([' ', 'T'])
        .and_then(|r| r.strip_prefix("00:00:00"))
    else {
        return s;
    };
    let rest = rest
        .strip_prefix('.')
        .map_or(rest, |r| r.trim_start_matches('0'));
    let tz_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() <= 6
            && rest.starts_with(['+', '-'])
            && rest.get(1..).is_some_and(|t| {
                !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b':')
            }));
    if tz_ok {
        date
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Encrypted values
// ---------------------------------------------------------------------------------------------

/// ASCII-armoured OpenPGP message (`pgp_sym_encrypt` + `armor()`, `gpg --armor`).
pub fn is_pgp_armored(s: &str) -> bool {
    s.starts_with("-----BEGIN PGP MESSAGE-----")
}

/// OpenPGP binary message starting with a session-key packet — what pgcrypto's
/// `pgp_sym_encrypt` (tag 3, symmetric-key encrypted session key: `0xC3`, old format
/// `0x8C`–`0x8E`) and `pgp_pub_encrypt` (tag 1, public-key encrypted session key: `0xC1`,
/// old format `0x84`–`0x86`) produce. The packet's version byte is checked too.
pub(crate) fn is_openpgp_session_start(b: &[u8]) -> bool {
    let Some(&first) = b.first() else {
        return false;
    };
    if first & 0x80 == 0 {
        return false;
    }
    let (tag, body) = if first & 0x40 != 0 {
        let tag = first & 0x3f;
        let off = match b.get(1) {
            Some(0..=191) => 2,
            Some(192..=223) => 3,
            Some(255) => 6,
            _ => return false,
        };
        (tag, off)
    } else {
        let tag = (first >> 2) & 0x0f;
        let off = match first & 0x03 {
            0 => 2,
            1 => 3,
            2 => 5,
            _ => return false,
        };
        (tag, off)
    };
    let Some(&version) = b.get(body) else {
        return false;
    };
    match tag {
        3 => match version {
            4 => b.get(body + 1).is_some_and(|alg| (1..=13).contains(alg)),
            5 | 6 => true,
            _ => false,
        },
        1 => matches!(version, 3 | 6),
        _ => false,
    }
}

const AGE_HEADER: &[u8] = b"age-encryption.org/v1";

/// pgcrypto output as PostgreSQL prints `bytea` (`\x` + hex; the `\x` may be missing when
/// the caller used `encode(.., 'hex')`), or `encode(.., 'base64')`, starting with an OpenPGP
/// session-key packet. At least 20 bytes.
pub fn is_pgcrypto_message(s: &str) -> bool {
    let hex = s.strip_prefix("\\x").unwrap_or(s);
    if hex.len() >= 40 && is_hex(hex) {
        return hex_decode_prefix(hex, 16).is_some_and(|b| is_openpgp_session_start(&b));
    }
    s.len() >= 28
        && base64_decode_any(s).is_some_and(|b| b.len() >= 20 && is_openpgp_session_start(&b))
}

/// age-encrypted file: the `age-encryption.org/v1` header as text, the armoured
/// `-----BEGIN AGE ENCRYPTED FILE-----`, or a `bytea` (`\x` hex) starting with the header.
pub fn is_age_encrypted(s: &str) -> bool {
    if s.as_bytes().starts_with(AGE_HEADER) || s.starts_with("-----BEGIN AGE ENCRYPTED FILE-----") {
        return true;
    }
    s.strip_prefix("\\x")
        .and_then(|h| hex_decode_prefix(h, AGE_HEADER.len()))
        .is_some_and(|b| b == AGE_HEADER)
}

/// Fernet token: base64url beginning `gAAAAA` (version byte 0x80 + a timestamp), decoding to
/// 1 + 8 + 16 + 16·k + 32 bytes (version, timestamp, IV, AES-CBC blocks, HMAC).
pub fn is_fernet_token(s: &str) -> bool {
    s.starts_with("gAAAAA")
        && s.len() >= 96
        && base64_decode(s, true)
            .is_some_and(|b| b.first() == Some(&0x80) && b.len() >= 73 && (b.len() - 57) % 16 == 0)
}

/// Any recognised encryption container (PGP armour, pgcrypto, age, Fernet).
pub fn is_encrypted(s: &str) -> bool {
    encryption_scheme(s).is_some()
}

/// Which encryption container `s` is, if any.
pub fn encryption_scheme(s: &str) -> Option<&'static str> {
    if is_pgp_armored(s) {
        Some("pgp-armor")
    } else if is_age_encrypted(s) {
        Some("age")
    } else if is_fernet_token(s) {
        Some("fernet")
    } else if is_pgcrypto_message(s) {
        Some("pgcrypto-openpgp")
    } else {
        None
    }
}

/// Magic numbers of common file formats (images, PDFs, archives).
fn has_file_magic(b: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"%PDF",
        b"PK\x03\x04",
        b"\x1f\x8b",
        b"RIFF",
        b"\x00\x00\x00\x18ftyp",
        b"\x00\x00\x00\x20ftyp",
        b"BZh",
        b"\xfd7zXZ",
    ];
    MAGICS.iter().any(|m| b.starts_with(m))
}

/// Base64 text that decodes to a file with a well-known magic number (an image, PDF, …).
pub(crate) fn is_base64_file_blob(s: &str) -> bool {
    s.len() >= 16 && base64_decode_any(s).is_some_and(|b| has_file_magic(&b))
}

/// "Looks like ciphertext": base64 (standard or URL-safe) of at least 32 bytes that uses
/// base64's symbols (`+`, `/`, `-`, `_` or `=` padding — bare alphanumerics are treated as
/// tokens), decodes to high-entropy bytes (≥ 0.85·log2(n), capped at 7 bits/byte) of which at
/// least a quarter are non-printable, and is not a known file format. A weak signal: it means
/// "encrypted or hashed (opaque)".
pub fn is_opaque_ciphertext(s: &str) -> bool {
    if s.len() < 43 {
        return false;
    }
    let has_b64_symbol =
        s.bytes().any(|b| matches!(b, b'+' | b'/' | b'-' | b'_')) || s.ends_with('=');
    if !has_b64_symbol {
        return false;
    }
    let Some(bytes) = base64_decode_any(s) else {
        return false;
    };
    let n = bytes.len();
    if n < 32 || has_file_magic(&bytes) {
        return false;
    }
    let max_bits = (n.min(256) as f64).log2();
    let needed = (0.85 * max_bits).min(7.0);
    let non_printable = bytes
        .iter()
        .filter(|&&b| !(0x20..0x7f).contains(&b))
        .count();
    byte_entropy(&bytes) >= needed && non_printable * 4 >= n
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn b64encode(bytes: &[u8], url: bool, pad: bool) -> String {
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
            let chars = chunk.len() + 1;
            for i in 0..4 {
                if i < chars {
                    out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else if pad {
                    out.push('=');
                }
            }
        }
        out
    }

    fn pseudo_random(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn base64_roundtrip() {
        for len in 0..40 {
            let data = pseudo_random(len, 7 + len as u64);
            for url in [false, true] {
                for pad in [false, true] {
                    let enc = b64encode(&data, url, pad);
                    if len == 0 {
                        assert!(base64_decode(&enc, url).is_none());
                    } else {
                        assert_eq!(base64_decode(&enc, url).unwrap(), data, "len {len}");
                    }
                }
            }
        }
        assert!(base64_decode("abc===", false).is_none());
        assert!(base64_decode("a", false).is_none());
        assert!(base64_decode("ab!d", false).is_none());
    }

    #[test]
    fn cards() {
        for ok in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "6200000000000005",
            "4222222222222",
        ] {
            assert!(is_card_number(ok), "{ok}");
        }
        for bad in [
            "4111111111111112",     // Luhn
            "0000000000000000",     // all same / no IIN
            "4444444444444444",     // all same
            "1234567812345670",     // Luhn-valid, unknown IIN
            "411111111111",         // too short
            "4111 1111-1111 1111",  // mixed separators
            "4111  1111 1111 1111", // double separator
            " 4111111111111111",    // leading separator
            "4111111111111111 ",    // trailing separator
            "5105105105105100000",  // Mastercard with 19 digits
            "37828224631000",       // Amex length 14
            "4111a11111111111",     // letter
        ] {
            assert!(!is_card_number(bad), "{bad}");
        }
    }

    #[test]
    fn masked_cards() {
        for ok in [
            "************1234",
            "XXXX-XXXX-XXXX-1234",
            "4111 11** **** 1111",
            "xxxxxxxxxxx0005",
        ] {
            assert!(is_masked_card(ok), "{ok}");
        }
        for bad in [
            "****1234",
            "************12345",
            "4111111111111111",
            "1111 11** **** 1111",
            "**-**1234***",
        ] {
            assert!(!is_masked_card(bad), "{bad}");
        }
    }

    #[test]
    fn ibans() {
        for ok in [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "GB82 WEST 1234 5698 7654 32",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
            "CH9300762011623852957",
            "NO9386011117947",
            "BE68539007547034",
            "gb82west12345698765432",
        ] {
            assert!(is_iban(ok), "{ok}");
        }
        for bad in [
            "DE89370400440532013001",       // checksum
            "DE8937040044053201300",        // length for DE
            "XX89370400440532013000",       // unknown country
            "GB82WEST1234569876543!",       // character
            "DE89  3704 0044 0532 0130 00", // double space
            "89DE370400440532013000",       // order
            "",
        ] {
            assert!(!is_iban(bad), "{bad}");
        }
    }

    #[test]
    fn ssns() {
        for ok in ["123-45-6789", "078-05-1120", "899-99-9999", "001-01-0001"] {
            assert!(is_ssn_formatted(ok), "{ok}");
            assert!(is_ssn_plain(&ok.replace('-', "")), "{ok}");
        }
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-12-3456",
            "123-00-4567",
            "123-45-0000",
            "111-11-1111",
            "123-456-789",
            "12-345-6789",
            "123 45 6789",
            "123-45-678a",
        ] {
            assert!(!is_ssn_formatted(bad), "{bad}");
        }
        for bad in [
            "000123456",
            "666123456",
            "12345678",
            "1234567890",
            "111111111",
            "12345678a",
        ] {
            assert!(!is_ssn_plain(bad), "{bad}");
        }
        assert!(is_ssn("123456789") && is_ssn("123-45-6789"));
    }

    #[test]
    fn masked_ssns() {
        for ok in ["XXX-XX-1234", "***-**-1234", "xxx-xx-6789", "*****1234"] {
            assert!(is_masked_ssn(ok), "{ok}");
        }
        for bad in [
            "XXX-XX-XXXX",
            "123-45-6789",
            "X*X-XX-1234",
            "XX-XXX-1234",
            "****1234",
        ] {
            assert!(!is_masked_ssn(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "+14155550134",
            "+44 20 7946 0958",
            "+49 30 1234567",
            "+1 (415) 555-0134",
            "+33 1 23 45 67 89",
            "(555) 234-5678",
            "555-234-5678",
            "555.234.5678",
            "1-415-555-0134",
            "030 1234567",
            "06-12345678",
            "01 23 45 67 89",
            "0044 20 7946 0958",
            "020 7946 0958",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "12345",
            "1234567",
            "4155550134",        // plain digits: needs a name hint
            "2024-01-15",        // date
            "15.01.2024",        // date
            "01/15/2024",        // date
            "192.168.100.100",   // IP
            "010.001.002.003",   // dotted quad
            "1.2.3.4",           // version
            "123-45-6789",       // SSN shape
            "078-05-1120",       // SSN shape with trunk-like 0
            "+0123456789",       // E.164 cannot start with 0
            "+1234567",          // too short
            "+1234567890123456", // too long
            "(555 234-5678",     // unbalanced
            "555--234-5678",     // double separator
            "155-234-5678",      // NANP area code starting 1
            "12:30:45",
            "ORD-2024-000123",
            "12345-6789", // ZIP+4
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
        assert!(is_phone_digits("4155550134"));
        assert!(is_phone_digits("+4915112345678"));
        assert!(!is_phone_digits("12345678"));
        assert!(!is_phone_digits("5555555555"));
    }

    #[test]
    fn masked_phones() {
        for ok in [
            "+49 *** ****567",
            "(***) ***-4567",
            "******4567",
            "+1 ***-***-4567",
        ] {
            assert!(is_masked_phone(ok), "{ok}");
        }
        for bad in [
            "*****1234",
            "************1234",
            "+***1234",
            "+49 30 1234567",
            "***-***-****",
        ] {
            assert!(!is_masked_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "alice@example.com",
            "first.last+tag@mail.example.co.uk",
            "o'brien@example.ie",
            "x@y.io",
            "user_name-1@sub-domain.example.org",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("a@{}.com", "b.".repeat(130));
        for bad in [
            "alice",
            "alice@example",
            "alice@@example.com",
            ".alice@example.com",
            "alice.@example.com",
            "al..ice@example.com",
            "alice@-example.com",
            "alice@example-.com",
            "alice@example.c",
            "alice@example.c0m",
            "alice@exa_mple.com",
            "alice smith@example.com",
            "@example.com",
            long_local.as_str(),
            long_total.as_str(),
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn masked_emails() {
        for ok in [
            "j***@example.com",
            "***@example.com",
            "j.d***e@example.co.uk",
            "j***@e*****.com",
        ] {
            assert!(is_masked_email(ok), "{ok}");
        }
        for bad in [
            "john@example.com",
            "j***@example",
            "j***",
            "j**..*@example.com",
        ] {
            assert!(!is_masked_email(bad), "{bad}");
        }
    }

    #[test]
    fn ips() {
        for ok in [
            "192.168.1.1",
            "0.0.0.0",
            "255.255.255.255",
            "10.0.0.0/8",
            "8.8.8.8",
        ] {
            assert!(is_ipv4(ok), "{ok}");
            assert!(is_ip_address(ok), "{ok}");
        }
        for bad in [
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4/33",
            "1.2.3.4/",
            "a.b.c.d",
            "1..2.3",
        ] {
            assert!(!is_ipv4(bad), "{bad}");
        }
        for ok in [
            "::1",
            "2001:db8::1",
            "fe80::1ff:fe23:4567:890a",
            "::ffff:192.0.2.1",
            "2001:db8::/32",
        ] {
            assert!(is_ipv6(ok), "{ok}");
        }
        for bad in [
            "12:30:45",
            "00:1a:2b:3c:4d:5e",
            "2001:db8::1/129",
            "2001:db8:::1",
            "fe80::1%eth0",
        ] {
            assert!(!is_ipv6(bad), "{bad}");
        }
        assert!(ipv4_version_like("1.2.3.4"));
        assert!(ipv4_version_like("12.1.0.2"));
        assert!(!ipv4_version_like("192.168.1.1"));
        assert!(!ipv4_version_like("10.0.0.200"));
    }

    const JWT_IO: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    #[test]
    fn jwts() {
        assert!(is_jwt(JWT_IO));
        let unsecured = format!(
            "{}.{}.",
            b64encode(br#"{"alg":"none"}"#, true, false),
            b64encode(br#"{"sub":"1"}"#, true, false)
        );
        assert!(is_jwt(&unsecured));
        let no_alg = format!(
            "{}.{}.sig",
            b64encode(br#"{"typ":"JWT"}"#, true, false),
            b64encode(br#"{"sub":"1"}"#, true, false)
        );
        assert!(!is_jwt(&no_alg));
        let not_json = format!(
            "{}.eyJzdWIiOiIxIn0.sig",
            b64encode(b"hello world!", true, false)
        );
        assert!(!is_jwt(&not_json));
        assert!(!is_jwt("a.b.c"));
        assert!(!is_jwt("www.example.com"));
        assert!(!is_jwt(&JWT_IO.replacen('.', "+", 1)));
        assert!(!is_jwt(&format!("{JWT_IO}.extra")));
    }

    #[test]
    fn api_keys() {
        let cases = [
            ("AKIAIOSFODNN7EXAMPLE", "aws-access-key-id"),
            ("ASIAY34FZKBOKMUTVV7A", "aws-access-key-id"),
            ("ghp_1234567890abcdefghijABCDEFGHIJ123456", "github-token"),
            ("gho_16C7e42F292c6912E7710c838347Ae178B4a", "github-token"),
            (
                "github_pat_11ABCDEFG0123456789abc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW",
                "github-token",
            ),
            ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack-token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe-secret-key"),
            ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "stripe-secret-key"),
            ("AIzaSyA1234567890abcdefghijklmnopqrstuv", "google-api-key"),
            ("sk-proj-abc123DEF456ghi789JKL012mno", "openai-style-key"),
        ];
        for (ok, vendor) in cases {
            assert_eq!(api_key_vendor(ok), Some(vendor), "{ok}");
            assert!(is_api_key(ok));
        }
        for bad in [
            "AKIAIOSFODNN7EXAMPL",                      // 19
            "AKIAiosfodnn7example",                     // lowercase
            "ghp_123",                                  // short
            "ghx_1234567890abcdefghijABCDEFGHIJ123456", // prefix
            "xoxz-123456789012",                        // slack type
            "pk_live_4eC39HqLyjWDarjtT1zdp7dc",         // publishable
            "sk_live_short",
            "AIzaSy",
            "sk-abc",
            "sk-abcdefghijklmnopqrstuvwxyz", // no digits
        ] {
            assert!(!is_api_key(bad), "{bad}");
        }
    }

    #[test]
    fn generic_tokens() {
        for ok in [
            "Zx8kP2mQ9vL4nR7tB1wY5cH3jF6dG0sA",
            "k8s3j2h4g5f6d7s8a9q0w1e2r3t4y5u6",
            "a1B2-c3D4_e5F6-g7H8_i9J0-k1L2m3N4",
        ] {
            assert!(is_generic_token(ok), "{ok}");
        }
        // base64 of random bytes (a session secret) is a token.
        assert!(is_generic_token(&b64encode(
            &pseudo_random(30, 5),
            false,
            true
        )));
        for bad in [
            "550e8400-e29b-41d4-a716-446655440000", // UUID
            "short1234",
            "release-2024-final-build-candidate", // slug
            "user_profile_v2_backup_table_2024",  // identifier
            "/usr/local/lib/python3/site-packages",
            "aaaaaaaaaaaaaaaaaaaaaaaa1111111111", // low entropy / few switches
            "abcdefghijklmnopqrstuvwxyzabcdefgh", // no digits
            "Lorem ipsum dolor sit amet 12345",   // spaces
            "abc123==de456fgh789ijk012lmn",       // padding in the middle
            "507f1f77bcf86cd799439011",           // MongoDB ObjectId
            "VGhpcyBpcyBhIHBsYWluIHNlbnRlbmNlIDEyMw==", // base64("This is a plain sentence 123")
        ] {
            assert!(!is_generic_token(bad), "{bad}");
        }
    }

    #[test]
    fn uuids_and_digests() {
        assert!(is_uuid("550e8400-e29b-41d4-a716-446655440000"));
        assert!(is_uuid("{550E8400-E29B-41D4-A716-446655440000}"));
        assert!(is_uuid("550e8400e29b41d4a716446655440000"));
        assert!(!is_uuid("550e8400-e29b-41d4-a716-44665544000g"));
        assert!(!is_uuid("550e8400e29b41d4a716446655440000aa"));

        assert!(is_hex_digest("5f4dcc3b5aa765d61d8327deb882cf99")); // md5("password")
        assert!(is_hex_digest("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8")); // sha1
        assert!(is_hex_digest(&"ab12".repeat(16))); // 64
        assert!(is_hex_digest(&"CD34".repeat(32))); // 128
        assert!(!is_hex_digest("5f4dcc3b5aa765d61d8327deb882cf9")); // 31
        assert!(!is_hex_digest("5F4dcc3b5aa765d61d8327deb882cf99")); // mixed case
        assert!(!is_hex_digest("12345678901234567890123456789012")); // digits only
        assert!(!is_hex_digest("550e8400e29b41d4a716446655440000")); // compact UUID
        assert!(!is_hex_digest("5f4dcc3b5aa765d61d8327deb882cfzz"));
    }

    #[test]
    fn password_hashes() {
        let cases = [
            ("$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "bcrypt"),
            ("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "bcrypt"),
            ("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "argon2"),
            ("$argon2i$m=4096,t=3,p=1$c29tZXNhbHQxMjM$aGFzaGhhc2hoYXNoaGFzaA", "argon2"),
            ("argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "argon2"),
            ("$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", "scrypt"),
            (
                "$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D",
                "scrypt",
            ),
            ("$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", "yescrypt"),
            (
                "pbkdf2_sha256$260000$Xc7WqxkH8YhOqJ2HbK1vZs$Dbo0WfG0S3Rj+kf5/vIWtT5qK4U3qf8xGc7B9Yp+w3s=",
                "pbkdf2",
            ),
            ("$pbkdf2-sha256$29000$N2YuJUSoVep9jxGCkAIghA$JhJOLwVyw/0MdcszBgeGyS.5MWu8/ZX76fGo6XRgxJM", "pbkdf2"),
            (
                "pbkdf2:sha256:600000$SaltSalt$0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "pbkdf2",
            ),
            (
                "$6$rounds=5000$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/",
                "sha-crypt",
            ),
            ("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "sha-crypt"),
            ("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", "md5-crypt"),
            (
                "SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "scram-sha-256",
            ),
            ("md5a3556571e93b0d20722ba62be61e8c2d", "postgres-md5"),
        ];
        for (ok, scheme) in cases {
            assert_eq!(password_hash_scheme(ok), Some(scheme), "{ok}");
            assert!(is_password_hash(ok));
        }
        for bad in [
            "$2b$12$tooshort",
            "$2b$99$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", // cost
            "$2c$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", // variant
            "$argon2x$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$argon2id$v=19$m=65536,t=3$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", // no p
            "pbkdf2_sha256$abc$salt$hash",
            "$6$salt$short",
            "$1$waytoolongsalt$qjXMvbEw8oaL.CzflDugX/",
            "SCRAM-SHA-256$4096:c2FsdA==$short:short",
            "md5a3556571e93b0d20722ba62be61e8c2",  // 31 hex
            "md5A3556571E93B0D20722BA62BE61E8C2D", // uppercase
            "5f4dcc3b5aa765d61d8327deb882cf99",    // bare digest is separate
            "hunter2",
        ] {
            assert!(!is_password_hash(bad), "{bad}");
        }
    }

    #[test]
    fn plaintext_passwords() {
        for ok in [
            "hunter22",
            "Summer2024!",
            "correct-horse-battery",
            "P@ssw0rd",
        ] {
            assert!(is_plaintext_password_candidate(ok), "{ok}");
        }
        for bad in [
            "abc",
            "has space in it",
            "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "md5a3556571e93b0d20722ba62be61e8c2d",
            "disabled",
            "!abcdefghijABCDEFGHIJ0123456789abcdefghij",
            "550e8400-e29b-41d4-a716-446655440000",
        ] {
            assert!(!is_plaintext_password_candidate(bad), "{bad}");
        }
        let plain = [
            Some("hunter22"),
            Some("Summer2024!"),
            Some("letmein99"),
            None,
            Some("qwerty123"),
            Some("dragon77"),
        ];
        assert!(looks_like_plaintext_passwords("password", &plain));
        assert!(looks_like_plaintext_passwords("userPassword", &plain));
        assert!(!looks_like_plaintext_passwords("nickname", &plain));
        let hashed = [Some("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"); 6];
        assert!(!looks_like_plaintext_passwords("password", &hashed));
        assert!(is_password_column_name("pwd_hash"));
        assert!(is_password_column_name("passwd"));
        assert!(!is_password_column_name("passport_no"));
    }

    #[test]
    fn dates() {
        let today = (2025, 6, 15);
        for ok in [
            "1990-02-28",
            "2000-02-29",
            "28/02/1990",
            "02/28/1990",
            "05/06/1990",
            "15.01.1984",
            "2025-06-15",
            "1905-06-15",
        ] {
            assert!(is_birth_date(ok, today), "{ok}");
        }
        for bad in [
            "1990-02-30", // invalid day
            "1900-02-29", // not a leap year
            "1990-13-01", // month
            "2025-06-16", // tomorrow
            "1904-06-14", // 121 years
            "13/13/1990", // neither reading valid
            "1990/02/28", // year-first with slashes
            "90-02-28",   // two-digit year
            "1990-2-28",  // ISO needs two digits
            "2024-01-15T10:30:00",
            "1990-02-28 10:30:00", // an event, not a birth date
            "1990-02-28 00:00:00.5",
            "1990-02-28 00:00:00 junk",
            "31.02.1990",
        ] {
            assert!(!is_birth_date(bad, today), "{bad}");
        }
        for ok in [
            "1990-02-28 00:00:00",
            "1990-02-28T00:00:00Z",
            "1990-02-28 00:00:00.000+02",
            "1990-02-28 00:00:00-05:00",
        ] {
            assert!(is_birth_date(ok, today), "{ok}");
        }
        assert_eq!(parse_calendar_date("25/12/1990"), Some((1990, 12, 25)));
        assert_eq!(parse_calendar_date("12/25/1990"), Some((1990, 12, 25)));
        assert_eq!(age_on((1990, 6, 16), today), Some(34));
        assert_eq!(age_on((1990, 6, 15), today), Some(35));
    }

    fn pgp_sym_bytes() -> Vec<u8> {
        // c3 0d 04 07 03 02 <salt 8> <count> then a SEIPD packet.
        let mut b = vec![0xc3, 0x0d, 0x04, 0x07, 0x03, 0x02];
        b.extend(pseudo_random(9, 3));
        b.extend([0xd2, 0x3a, 0x01]);
        b.extend(pseudo_random(57, 5));
        b
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn encrypted_values() {
        assert!(is_pgp_armored(
            "-----BEGIN PGP MESSAGE-----\n\nww0EBwMC...\n-----END PGP MESSAGE-----"
        ));
        let sym = pgp_sym_bytes();
        assert!(is_pgcrypto_message(&format!("\\x{}", hex(&sym))));
        assert!(is_pgcrypto_message(&hex(&sym)));
        assert!(is_pgcrypto_message(&b64encode(&sym, false, true)));
        // Public-key: new format c1 with two-octet length, version 3.
        let mut pubk = vec![0xc1, 0xc1, 0x4c, 0x03];
        pubk.extend(pseudo_random(60, 9));
        assert!(is_pgcrypto_message(&format!("\\x{}", hex(&pubk))));
        // Old-format equivalents.
        for first in [0x8c, 0x8d, 0x84, 0x85] {
            let mut b = vec![first];
            if first & 1 == 1 {
                b.push(0x00);
            }
            b.push(0x0d);
            b.push(if first & 0x08 != 0 { 0x04 } else { 0x03 });
            b.push(0x09);
            b.extend(pseudo_random(40, 11));
            assert!(is_pgcrypto_message(&format!("\\x{}", hex(&b))), "{first:x}");
        }
        // Near misses: wrong tag, wrong version, too short, not hex.
        let mut wrong_tag = sym.clone();
        wrong_tag[0] = 0xcb; // literal data
        assert!(!is_pgcrypto_message(&format!("\\x{}", hex(&wrong_tag))));
        let mut wrong_ver = sym.clone();
        wrong_ver[2] = 0x09;
        assert!(!is_pgcrypto_message(&format!("\\x{}", hex(&wrong_ver))));
        assert!(!is_pgcrypto_message("\\xc30d0407"));
        assert!(!is_pgcrypto_message(&format!("\\x{}zz", hex(&sym))));

        assert!(is_age_encrypted(
            "age-encryption.org/v1\n-> X25519 abc\n--- def\n"
        ));
        assert!(is_age_encrypted(
            "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n"
        ));
        assert!(is_age_encrypted(&format!("\\x{}0a2d3e", hex(AGE_HEADER))));
        assert!(!is_age_encrypted("age-encryption.org/v2"));

        let mut fernet = vec![0x80, 0, 0, 0, 0, 0x65, 0x43, 0x21, 0x10];
        fernet.extend(pseudo_random(16 + 32 + 32, 13));
        let token = b64encode(&fernet, true, true);
        assert!(token.starts_with("gAAAAA"));
        assert!(is_fernet_token(&token));
        let mut bad_len = fernet.clone();
        bad_len.push(1);
        assert!(!is_fernet_token(&b64encode(&bad_len, true, true)));
        assert!(!is_fernet_token("gAAAAAshort"));

        assert_eq!(encryption_scheme(&token), Some("fernet"));
        assert_eq!(encryption_scheme("plain text"), None);
    }

    #[test]
    fn opaque_ciphertext() {
        for n in [32usize, 48, 64, 200, 1000] {
            let mut data = pseudo_random(n, 17 + n as u64);
            data[0] = 0x9e;
            let enc = b64encode(&data, false, true);
            if enc.bytes().any(|b| matches!(b, b'+' | b'/' | b'=')) {
                assert!(is_opaque_ciphertext(&enc), "{n}");
            }
        }
        assert!(is_opaque_ciphertext(&b64encode(
            &pseudo_random(32, 99),
            false,
            true
        )));
        // Printable text, even base64'd, is not ciphertext.
        assert!(!is_opaque_ciphertext(&b64encode(
            b"The quick brown fox jumps over the lazy dog again",
            false,
            true
        )));
        // A PNG is a file, not ciphertext.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(pseudo_random(64, 1));
        let png64 = b64encode(&png, false, true);
        assert!(!is_opaque_ciphertext(&png64));
        assert!(is_base64_file_blob(&png64));
        // Bare alphanumerics are tokens, not ciphertext.
        assert!(!is_opaque_ciphertext(
            "Zx8kP2mQ9vL4nR7tB1wY5cH3jF6dG0sAZx8kP2mQ9vL4"
        ));
        assert!(!is_opaque_ciphertext("short+/=="));
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!((byte_entropy(&[0, 1, 2, 3, 4, 5, 6, 7]) - 3.0).abs() < 1e-9);
    }
}

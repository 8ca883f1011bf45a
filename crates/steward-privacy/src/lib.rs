//! Value-based personal-data detection for `steward privacy --sample N`.
//!
//! Given the sampled values of one column (as text, fetched by the caller), decide which
//! kind of personal or secret data the column holds, how it is protected, with what
//! confidence and on what evidence. The crate does no IO and never reads the clock (the
//! date-of-birth check takes `today` as a parameter).
//!
//! # What is detected
//!
//! | kind | validator | strength |
//! |---|---|---|
//! | payment card number | 13–19 digits, Luhn, known IIN range and length | strong |
//! | IBAN | country length table, ISO 7064 mod-97 | strong |
//! | email address | RFC 5322 dot-atom subset, DNS labels, alphabetic TLD | strong |
//! | JSON web token | three base64url segments, header is JSON with `"alg"` | strong |
//! | API key | AWS `AKIA`/`ASIA`, GitHub `ghp_`…/`github_pat_`, Slack `xox?-`, Stripe `sk_live_`…, Google `AIza`, `sk-` | strong |
//! | password hash (salted) | bcrypt, argon2, scrypt, yescrypt, PBKDF2 (Django/passlib/Werkzeug), sha/md5-crypt, SCRAM-SHA-256, PostgreSQL `md5` | strong |
//! | encrypted value | PGP armour, pgcrypto OpenPGP packets in `bytea` (`\x…`), age, Fernet | strong |
//! | US SSN | `AAA-GG-SSSS` with area/group/serial rules | medium |
//! | IP address | strict IPv4 / `std::net::Ipv6Addr`, optional CIDR | medium |
//! | masked card / SSN / email / phone | `************1234`, `XXX-XX-1234`, `j***@example.com`, `(***) ***-4567` | medium |
//! | plaintext password | 6–64 non-blank characters, not a hash, in a column *named* like a password | medium |
//! | phone number | E.164, `00` international, trunk-`0` national, NANP — always with `+` or separators | weak |
//! | date of birth | ISO (also at midnight in a timestamp) / `DD/MM/YYYY` / `MM/DD/YYYY` / `DD.MM.YYYY`, real date, age 0–120 | weak |
//! | high-entropy token | ≥ 24 chars, ≥ 3.5 bits/char, letters and digits alternating | weak |
//! | SSN as nine bare digits, bare hex digests, opaque base64 ciphertext | see [`validate`] | weak |
//!
//! JSON/JSONB values are parsed and walked; each string or number leaf is classified under the
//! name of its key, and findings are reported per key path (`$.contact.email`,
//! `$.phones[*]`).
//!
//! # Thresholds, and why
//!
//! * **Minimum sample.** At least [`classify::MIN_NON_NULL`] (5) non-null values. With fewer,
//!   every value must match and the confidence is multiplied by `0.5 + 0.1·n`. Blank
//!   strings count as null.
//! * **Minimum match ratio** (`matched / non_null`): 0.6 for strong validators, 0.7 for
//!   medium, 0.8 for weak. Checksums almost never pass by accident (Luhn: 10 %, mod-97: ~1 %),
//!   so a column that is 60 % valid cards is a card column with some junk; a shape like
//!   "digits with separators" is shared with too many other things to accept less than 80 %.
//!   A column mixing several validators of one kind gets the count-weighted threshold.
//! * **Confidence** = base (0.95 / 0.85 / 0.7) × (0.8 + 0.2 × how far the ratio is above the
//!   threshold), then halfway to 1 when the column name agrees, then the small-sample factor,
//!   capped at 0.99 and rounded to two decimals.
//! * **Names are hints, never findings.** A supporting name raises confidence and unlocks
//!   phone numbers stored as bare digits. A contradicting name (`id`, `zip`, `order_no`,
//!   `created_on`, `version`, `checksum`, …) vetoes the weak shapes (birth dates, IPs,
//!   generic tokens, opaque ciphertext, nine-digit SSNs) and raises the ratio required of the
//!   others to 0.9.
//! * **One label per value, one finding per kind and protection.** Each value gets the first
//!   matching label from most to least specific (encryption container, password hash, JWT,
//!   vendor key, masked forms, email, IBAN, card, SSN, IP, date, phone, hex digest, opaque
//!   ciphertext, plaintext password, generic token). The ratio threshold applies to the kind
//!   as a whole; each protection carrying ≥ 20 % of the kind's matches gets its own finding
//!   with its own counts (a half-masked card column yields a plaintext and a masked finding).
//!   Opaque ciphertext and generic tokens are folded together (the larger side wins), since
//!   a quarter of real base64 ciphertexts contain no `+`, `/` or `=`.
//! * **Legacy plaintext in a hashed password column** is reported separately (confidence
//!   0.5) once it reaches two values and 5 % of the column.
//!
//! # False positives deliberately avoided
//!
//! * Integer ids, order numbers, epoch timestamps: plain digit strings are never phones
//!   without a phone-ish name; nine-digit SSNs need a name that does not contradict and stay
//!   at confidence ≤ 0.5 without a supporting one; columns of integers packed in a narrow
//!   range (sequences) are never cards, SSNs or phones.
//! * Zip codes (5 digits, ZIP+4 `12345-6789`) match nothing; dates are rejected by the
//!   phone validator; the SSN shape `ddd-dd-dddd` is not a phone.
//! * Dates that are not birth dates: without a birth-ish name, a date column must look like
//!   birth dates (median age 14–100, spread ≥ 10 years), its name must not be an event
//!   (`created`, `order`, `_at`, `_on`, …), and confidence stays ≤ 0.6.
//! * Version strings: `1.2.3` is not an address; four-part versions (`1.2.3.4`, `12.1.0.2`)
//!   are valid IPv4 syntax, so a column where most dotted quads have a first octet < 32 and
//!   all others < 100 is only an IP column if its name says so.
//! * UUIDs are never tokens, hashes or anything else; slugs, paths, lorem ipsum, product names
//!   and hex colours fail the token rules (alternation, no spaces, length).
//! * Bare hex digests (32/40/64/128) are "hashed, unsalted": a password hash in a password
//!   column, a token in a token column, nothing in a `checksum`/`etag`/`sha256` column, and
//!   a low-confidence (≤ 0.5) password hash otherwise.
//!
//! # Known limitations
//!
//! * Whole values only: free text that *contains* an email or card number is not scanned.
//! * Phone numbers without `+`, `00`, a trunk `0` or the NANP shape (e.g. Spanish
//!   `612 34 56 78`) are missed unless stored as bare digits under a phone-ish name.
//! * Opaque identifiers that look random (Stripe object ids such as `pi_3Mtw…`, hashids)
//!   under a neutral name are reported as generic tokens; a contradicting name (`…_id`,
//!   `ref`, `request`, `salt`, …) suppresses them.
//! * Nine-digit numbers under a neutral name are a low-confidence SSN guess; randomly issued
//!   nine-digit ids cannot be told apart from SSNs by value alone.
//! * Masked IBANs and masked dates are not recognised; non-US national ids are out of scope.
//! * Values longer than 64 KiB are only checked for encryption containers.
//!
//! # Values never leave this crate
//!
//! No function returns, formats or logs a sampled value. [`ValueFinding`] holds a kind, a
//! protection, a confidence, [`Evidence`] (validator name and counts) and, for JSON, a key
//! path built from key *names* — keys that themselves look like data are replaced by `*`.
//! There are no error types that could carry a value. `Debug` output of every public type
//! is therefore safe to log.

pub mod classify;
mod hint;
mod json;
pub mod validate;

pub use classify::{classify_column, Evidence, Protection, ValueFinding, ValueKind, MIN_NON_NULL};

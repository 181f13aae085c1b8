//! Microsoft identity error codes, as Microsoft's troubleshooting pages explain them.
//!
//! Look a code up in whatever spelling you have: hex in any case, with or without
//! `0x`, signed or unsigned decimal, a symbolic name, a string code, or a sign-in
//! error's number without its `AADSTS`. [`lookup`] gives the likeliest code;
//! [`lookup_all`] every code a spelling may stand for.
//!
//! ```
//! let code = errcat_codes::lookup("0x801c03ed").unwrap();
//! assert_eq!(code.code(), "0x801C03ED");
//! assert_eq!(errcat_codes::lookup("-2145647635"), Some(code));
//! assert_eq!(errcat_codes::lookup(" dsreg_e_directory_failure ").unwrap().code(), "0x801C03F2");
//! for context in code.contexts() {
//!     let _ = (context.document(), context.locale(), context.conditions().count());
//! }
//! ```
//!
//! The data is static sorted tables of little-endian `u32` rows over one text
//! blob: values and name hashes are found through a bucket index on their top bits,
//! then a short scan. No allocation, no dependencies, `no_std`. Enable the `serde`
//! feature to serialise.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[rustfmt::skip]
mod data;
mod names;

use core::fmt;

use names::{name_hash, sign_in_key, sign_in_number, upper_words};

pub use data::{DATA_VERSION, SCHEMA_VERSION, SOURCE_DIGEST};

/// A table of fixed-width rows of little-endian `u32`s, in one byte string.
#[derive(Clone, Copy)]
struct Table {
    bytes: &'static [u8],
    width: usize,
}

impl Table {
    const fn new(bytes: &'static [u8], width: usize) -> Self {
        Table { bytes, width }
    }

    fn len(self) -> usize {
        self.bytes.len() / (4 * self.width)
    }

    /// Column `col` of row `row`; 0 past the end (the generator never points there).
    fn get(self, row: usize, col: usize) -> u32 {
        let at = (row * self.width + col) * 4;
        match self.bytes.get(at..at + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => 0,
        }
    }
}

const STRINGS: Table = Table::new(data::STRINGS, 2);
const LISTS: Table = Table::new(data::LISTS, 1);
const CODES: Table = Table::new(data::CODES, 7);
const CONTEXTS: Table = Table::new(data::CONTEXTS, 11);
const CONDITIONS: Table = Table::new(data::CONDITIONS, 8);
const LINKS: Table = Table::new(data::LINKS, 2);
const BY_VALUE: Table = Table::new(data::BY_VALUE, 2);
const VALUE_BUCKETS: Table = Table::new(data::VALUE_BUCKETS, 1);
const BY_NAME: Table = Table::new(data::BY_NAME, 4);
const NAME_BUCKETS: Table = Table::new(data::NAME_BUCKETS, 1);
const BY_SIGN_IN: Table = Table::new(data::BY_SIGN_IN, 2);
const SIGN_IN_BUCKETS: Table = Table::new(data::SIGN_IN_BUCKETS, 1);

fn text(id: u32) -> Option<&'static str> {
    let id = id as usize;
    if id >= STRINGS.len() {
        return None;
    }
    let (start, len) = (STRINGS.get(id, 0) as usize, STRINGS.get(id, 1) as usize);
    data::TEXT.get(start..start + len)
}

fn text_or_empty(id: u32) -> &'static str {
    text(id).unwrap_or("")
}

fn strings(start: u32, len: u32) -> impl ExactSizeIterator<Item = &'static str> + Clone {
    (start..start + len).map(|i| text_or_empty(LISTS.get(i as usize, 0)))
}

/// One error code and everything the pages say of it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Code {
    row: usize,
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("code", &self.code())
            .field("value", &self.value())
            .finish_non_exhaustive()
    }
}

impl Code {
    fn col(&self, col: usize) -> u32 {
        CODES.get(self.row, col)
    }

    /// Canonical text: `0x` + 8 upper-case hex digits, a decimal-only code such as
    /// `12002`, or a string code as written (`CONTACT_SUPPORT`, `AADSTS50126`).
    pub fn code(&self) -> &'static str {
        text_or_empty(self.col(0))
    }

    /// The numeric value of a numeric code.
    pub fn value(&self) -> Option<u32> {
        (self.col(2) & 1 == 1).then_some(self.col(1))
    }

    /// Symbolic names the pages give it, e.g. `DSREG_E_DIRECTORY_FAILURE`.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        strings(self.col(3), self.col(4))
    }

    /// Every place a page describes it.
    pub fn contexts(&self) -> impl ExactSizeIterator<Item = Context> + Clone {
        let start = self.col(5) as usize;
        (start..start + self.col(6) as usize).map(|row| Context { row })
    }

    /// The HRESULT fields of a numeric code.
    pub fn hresult(&self) -> Option<Hresult> {
        self.value().map(Hresult::from)
    }
}

/// Whether a page lists the code as an error or says it is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An error.
    Error,
    /// A message the page says is not an error.
    Warning,
}

/// One place a page describes a code: a document, locale and section.
#[derive(Clone, Copy)]
pub struct Context {
    row: usize,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("document", &self.document())
            .field("locale", &self.locale())
            .field("revision", &self.revision())
            .finish_non_exhaustive()
    }
}

impl Context {
    fn col(&self, col: usize) -> u32 {
        CONTEXTS.get(self.row, col)
    }

    /// The document id, e.g. `windows-hello-pin-errors`.
    pub fn document(&self) -> &'static str {
        text_or_empty(self.col(0))
    }

    /// Lower-case BCP 47 locale, e.g. `en-us`.
    pub fn locale(&self) -> &'static str {
        text_or_empty(self.col(1))
    }

    /// The heading path down to the table.
    pub fn section(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        strings(self.col(2), self.col(3))
    }

    /// Error, or a message the page says is not an error.
    pub fn kind(&self) -> Kind {
        if self.col(4) == 1 {
            Kind::Warning
        } else {
            Kind::Error
        }
    }

    /// The revision these conditions come from.
    pub fn revision(&self) -> &'static str {
        text_or_empty(self.col(5))
    }

    /// The revision the code first appeared in here.
    pub fn first_seen(&self) -> &'static str {
        text_or_empty(self.col(6))
    }

    /// The revision its guidance here last changed in.
    pub fn last_changed(&self) -> &'static str {
        text_or_empty(self.col(7))
    }

    /// The first revision that no longer lists it, if one does not.
    pub fn withdrawn_in(&self) -> Option<&'static str> {
        text(self.col(8))
    }

    /// The situations the page describes, in row order.
    pub fn conditions(&self) -> impl ExactSizeIterator<Item = Condition> + Clone {
        let start = self.col(9) as usize;
        (start..start + self.col(10) as usize).map(|row| Condition { row })
    }
}

/// One situation a page describes for a code.
#[derive(Clone, Copy)]
pub struct Condition {
    row: usize,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("message", &self.message())
            .field("mitigation", &self.mitigation())
            .finish_non_exhaustive()
    }
}

impl Condition {
    fn col(&self, col: usize) -> u32 {
        CONDITIONS.get(self.row, col)
    }

    /// Alternatives, any of which leads here.
    pub fn causes(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        strings(self.col(0), self.col(1))
    }

    /// The error message, where the page has one.
    pub fn message(&self) -> Option<&'static str> {
        text(self.col(2))
    }

    /// What to do; `None` where the page gives nothing.
    pub fn mitigation(&self) -> Option<&'static str> {
        text(self.col(3))
    }

    /// Links from the row.
    pub fn links(&self) -> impl ExactSizeIterator<Item = Link> + Clone {
        let start = self.col(4) as usize;
        (start..start + self.col(5) as usize).map(|row| Link {
            text: text_or_empty(LINKS.get(row, 0)),
            url: text_or_empty(LINKS.get(row, 1)),
        })
    }

    /// The source file of the row, relative to the dataset's root.
    pub fn source_file(&self) -> &'static str {
        text_or_empty(self.col(6))
    }

    /// The 1-based line of the row in its source file.
    pub fn source_line(&self) -> u32 {
        self.col(7)
    }
}

/// A link, kept out of the prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// The linked text.
    pub text: &'static str,
    /// The target, as the page wrote it.
    pub url: &'static str,
}

/// The fields of a 32-bit HRESULT, as `err.exe` splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hresult {
    /// Bit 31: the code reports a failure.
    pub failure: bool,
    /// Bit 30: reserved; set in NTSTATUS-style values such as `0xC000006D`.
    pub reserved: bool,
    /// Bit 29: defined by a customer rather than Microsoft.
    pub customer: bool,
    /// Bit 28: an NTSTATUS mapped into an HRESULT.
    pub nt: bool,
    /// Bits 16-26.
    pub facility: u16,
    /// Bits 0-15.
    pub code: u16,
}

impl From<u32> for Hresult {
    fn from(value: u32) -> Self {
        Hresult {
            failure: value & 0x8000_0000 != 0,
            reserved: value & 0x4000_0000 != 0,
            customer: value & 0x2000_0000 != 0,
            nt: value & 0x1000_0000 != 0,
            facility: ((value >> 16) & 0x7FF) as u16,
            code: (value & 0xFFFF) as u16,
        }
    }
}

impl Hresult {
    /// The `FACILITY_*` name from `winerror.h`, for the common facilities.
    pub fn facility_name(&self) -> Option<&'static str> {
        Some(match self.facility {
            0 => "FACILITY_NULL",
            1 => "FACILITY_RPC",
            2 => "FACILITY_DISPATCH",
            3 => "FACILITY_STORAGE",
            4 => "FACILITY_ITF",
            7 => "FACILITY_WIN32",
            8 => "FACILITY_WINDOWS",
            9 => "FACILITY_SECURITY",
            10 => "FACILITY_CONTROL",
            11 => "FACILITY_CERT",
            12 => "FACILITY_INTERNET",
            13 => "FACILITY_MEDIASERVER",
            14 => "FACILITY_MSMQ",
            15 => "FACILITY_SETUPAPI",
            16 => "FACILITY_SCARD",
            17 => "FACILITY_COMPLUS",
            25 => "FACILITY_HTTP",
            40 => "FACILITY_TPM_SERVICES",
            41 => "FACILITY_TPM_SOFTWARE",
            _ => return None,
        })
    }

    /// For `FACILITY_WIN32` failures, the Win32 error the HRESULT wraps (`0x80072EE2` → 12002).
    pub fn win32(&self) -> Option<u32> {
        (self.failure && self.facility == 7 && !self.customer && !self.reserved)
            .then_some(u32::from(self.code))
    }
}

/// Every code, sorted by its canonical text.
pub fn codes() -> impl ExactSizeIterator<Item = Code> + Clone {
    (0..CODES.len()).map(|row| Code { row })
}

/// Rows `[start, end)` of a table sorted by a key whose top `bits` pick the bucket.
fn bucket(buckets: Table, bits: u32, top: u64) -> (usize, usize) {
    let b = (top >> (64 - bits)) as usize;
    (buckets.get(b, 0) as usize, buckets.get(b + 1, 0) as usize)
}

/// Finds a code by its numeric value.
pub fn lookup_value(value: u32) -> Option<Code> {
    let (start, end) = bucket(VALUE_BUCKETS, data::VALUE_BITS, u64::from(value) << 32);
    (start..end)
        .find(|&row| BY_VALUE.get(row, 0) == value)
        .map(|row| Code {
            row: BY_VALUE.get(row, 1) as usize,
        })
}

/// Finds a code in any spelling: `0x801c03ed`, `0X801C03ED`, `801C03ED`,
/// `-2145647635`, `2149319661`, `DSREG_E_DIRECTORY_FAILURE`, `AADSTS50126`,
/// `CONTACT_SUPPORT`, `12002`, or a sign-in error's number alone, `50126`, as the
/// sign-in service's error responses (`"error_codes": [50126]`) and sign-in logs
/// give it, where no code has that number. Names match case-insensitively;
/// surrounding whitespace is ignored.
pub fn lookup(spelling: &str) -> Option<Code> {
    let s = spelling.trim();
    let first = *s.as_bytes().first()?;
    // Names start with a letter; numbers with a digit or a sign.
    if !(first.is_ascii_digit() || first == b'-') {
        if let Some(code) = lookup_name(s) {
            return Some(code);
        }
    }
    (numbers(s).into_iter().flatten().find_map(lookup_value)).or_else(|| sign_in_error(s))
}

/// Every code a spelling may stand for, each once, most likely first: `lookup`'s
/// answer is the first. A name two codes share (a warning and an error, say) gives
/// both; digits give the code of their decimal value, then of their hex value, then
/// the sign-in error they number.
///
/// ```
/// let all: Vec<_> = errcat_codes::lookup_all("DSREG_E_DIRECTORY_FAILURE").collect();
/// assert_eq!(all.first().copied(), errcat_codes::lookup("DSREG_E_DIRECTORY_FAILURE"));
/// assert_eq!(errcat_codes::lookup_all("NOT_A_CODE").count(), 0);
/// ```
pub fn lookup_all(spelling: &str) -> impl Iterator<Item = Code> + Clone + '_ {
    let s = spelling.trim();
    let named = s
        .bytes()
        .next()
        .is_some_and(|first| !(first.is_ascii_digit() || first == b'-'));
    let names = named.then(|| named_codes(s)).into_iter().flatten();
    let values = numbers(s).into_iter().flatten().filter_map(lookup_value);
    let found = names.chain(values).chain(sign_in_error(s));
    let earlier = found.clone();
    found
        .enumerate()
        .filter(move |&(i, code)| !earlier.clone().take(i).any(|c| c == code))
        .map(|(_, code)| code)
}

/// The sign-in service's code that `digits` number: `50126` is `AADSTS50126`. The
/// number is looked up in a table of its own, not spelled out and hashed as a name;
/// digits a number would not write (`050126`) find nothing.
#[inline(never)]
fn sign_in_error(digits: &str) -> Option<Code> {
    let number = sign_in_number(digits)?;
    let key = sign_in_key(number);
    let (start, end) = bucket(SIGN_IN_BUCKETS, data::SIGN_IN_BITS, key);
    (start..end)
        .find(|&row| BY_SIGN_IN.get(row, 0) == number)
        .map(|row| Code {
            row: BY_SIGN_IN.get(row, 1) as usize,
        })
}

/// `eq_ignore_ascii_case`, eight bytes at a time.
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && upper_words(a.as_bytes()).eq(upper_words(b.as_bytes()))
}

// Kept out of `lookup`, whose numeric spellings are otherwise slowed by it.
#[inline(never)]
fn lookup_name(name: &str) -> Option<Code> {
    named_codes(name).next()
}

/// The codes with this name, in the name table's order.
fn named_codes(name: &str) -> impl Iterator<Item = Code> + Clone + '_ {
    let hash = name_hash(name);
    let (start, end) = bucket(NAME_BUCKETS, data::NAME_BITS, hash);
    let (lo, hi) = (hash as u32, (hash >> 32) as u32);
    (start..end)
        .filter(move |&row| {
            BY_NAME.get(row, 0) == lo
                && BY_NAME.get(row, 1) == hi
                && same_name(text_or_empty(BY_NAME.get(row, 2)), name)
        })
        .map(|row| Code {
            row: BY_NAME.get(row, 3) as usize,
        })
}

/// The values a numeric spelling may stand for, most likely first: decimal digits
/// read as decimal, then as bare hex.
fn numbers(s: &str) -> [Option<u32>; 2] {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return [parse_hex(hex), None];
    }
    if let Some(digits) = s.strip_prefix('-') {
        let magnitude = parse_decimal(digits).filter(|&m| m <= 1 << 31);
        return [magnitude.map(|m| (m as i32).wrapping_neg() as u32), None];
    }
    [parse_decimal(s), parse_hex(s)]
}

fn parse_hex(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

fn parse_decimal(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(feature = "serde")]
mod serde_impls {
    use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

    use super::{Code, Condition, Context, Kind, Link};

    struct Seq<I>(I);

    impl<I, T> Serialize for Seq<I>
    where
        I: Iterator<Item = T> + Clone,
        T: Serialize,
    {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(None)?;
            for item in self.0.clone() {
                seq.serialize_element(&item)?;
            }
            seq.end()
        }
    }

    impl Serialize for Code {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct("Code", 4)?;
            s.serialize_field("code", self.code())?;
            s.serialize_field("value", &self.value())?;
            s.serialize_field("names", &Seq(self.names()))?;
            s.serialize_field("contexts", &Seq(self.contexts()))?;
            s.end()
        }
    }

    impl Serialize for Context {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct("Context", 9)?;
            s.serialize_field("document", self.document())?;
            s.serialize_field("locale", self.locale())?;
            s.serialize_field("section", &Seq(self.section()))?;
            s.serialize_field("kind", &self.kind())?;
            s.serialize_field("revision", self.revision())?;
            s.serialize_field("first_seen", self.first_seen())?;
            s.serialize_field("last_changed", self.last_changed())?;
            s.serialize_field("withdrawn_in", &self.withdrawn_in())?;
            s.serialize_field("conditions", &Seq(self.conditions()))?;
            s.end()
        }
    }

    impl Serialize for Kind {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(match self {
                Kind::Error => "error",
                Kind::Warning => "warning",
            })
        }
    }

    impl Serialize for Condition {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct("Condition", 6)?;
            s.serialize_field("causes", &Seq(self.causes()))?;
            s.serialize_field("message", &self.message())?;
            s.serialize_field("mitigation", &self.mitigation())?;
            s.serialize_field("links", &Seq(self.links()))?;
            s.serialize_field("source_file", self.source_file())?;
            s.serialize_field("source_line", &self.source_line())?;
            s.end()
        }
    }

    impl Serialize for Link {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct("Link", 2)?;
            s.serialize_field("text", self.text)?;
            s.serialize_field("url", self.url)?;
            s.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_eq_ignore_ascii_case_does() {
        let names = [
            "",
            "a",
            "A",
            "@",
            "`",
            "[",
            "{",
            "SynthError10009",
            "synTHerror10009",
            "SynthError1000",
            "DSREG_E_DIRECTORY_FAILURE",
            "dsreg_e_directory_failure",
            "dsreg_e_directory_failurf",
            "Ä_name",
            "ä_NAME",
            "ä_name",
        ];
        for a in names {
            for b in names {
                assert_eq!(same_name(a, b), a.eq_ignore_ascii_case(b), "{a} {b}");
            }
        }
    }

    #[test]
    fn tables_stay_sorted_and_whole() {
        let hash = |row| u64::from(BY_NAME.get(row, 1)) << 32 | u64::from(BY_NAME.get(row, 0));
        assert!((1..BY_VALUE.len()).all(|r| BY_VALUE.get(r - 1, 0) <= BY_VALUE.get(r, 0)));
        assert!((1..BY_NAME.len()).all(|r| hash(r - 1) <= hash(r)));
        let key = |row| sign_in_key(BY_SIGN_IN.get(row, 0));
        assert!((1..BY_SIGN_IN.len()).all(|r| key(r - 1) <= key(r)));
        for row in 0..BY_SIGN_IN.len() {
            let code = Code {
                row: BY_SIGN_IN.get(row, 1) as usize,
            };
            let digits = code.code().strip_prefix("AADSTS").unwrap_or_default();
            assert_eq!(sign_in_number(digits), Some(BY_SIGN_IN.get(row, 0)));
        }
        for row in 0..BY_NAME.len() {
            assert_eq!(hash(row), name_hash(text_or_empty(BY_NAME.get(row, 2))));
        }
        assert!((1..CODES.len())
            .all(|r| text_or_empty(CODES.get(r - 1, 0)) < text_or_empty(CODES.get(r, 0))));
        for table in [
            STRINGS, LISTS, CODES, CONTEXTS, CONDITIONS, LINKS, BY_VALUE, BY_NAME, BY_SIGN_IN,
        ] {
            assert_eq!(table.bytes.len() % (4 * table.width), 0);
        }
        assert_eq!(VALUE_BUCKETS.len(), (1 << data::VALUE_BITS) + 1);
        assert_eq!(NAME_BUCKETS.len(), (1 << data::NAME_BITS) + 1);
        assert_eq!(
            VALUE_BUCKETS.get(1 << data::VALUE_BITS, 0) as usize,
            BY_VALUE.len()
        );
        assert_eq!(
            NAME_BUCKETS.get(1 << data::NAME_BITS, 0) as usize,
            BY_NAME.len()
        );
        assert_eq!(SIGN_IN_BUCKETS.len(), (1 << data::SIGN_IN_BITS) + 1);
        assert_eq!(
            SIGN_IN_BUCKETS.get(1 << data::SIGN_IN_BITS, 0) as usize,
            BY_SIGN_IN.len()
        );
    }

    #[test]
    fn every_code_finds_itself() {
        for code in codes() {
            assert_eq!(lookup(code.code()), Some(code), "{}", code.code());
            for name in code.names() {
                assert!(lookup_all(name).any(|c| c == code), "{name}");
            }
        }
    }

    /// `lookup` answers with the first of `lookup_all`'s codes, and `lookup_all`
    /// names no code twice, for every spelling of every code.
    #[test]
    fn lookup_is_the_first_of_lookup_all() {
        extern crate std;
        use std::{format, vec, vec::Vec};
        for code in codes() {
            let mut spellings = vec![format!(" {} ", code.code())];
            spellings.extend(code.names().map(|n| n.to_ascii_lowercase()));
            if let Some(v) = code.value() {
                spellings.extend([format!("{v}"), format!("{v:X}"), format!("0x{v:x}")]);
                spellings.push(format!("{}", v as i32));
            }
            if let Some(digits) = code.code().strip_prefix("AADSTS") {
                spellings.push(digits.into());
            }
            for s in &spellings {
                let all: Vec<Code> = lookup_all(s).collect();
                assert_eq!(all.first().copied(), lookup(s), "{s}");
                assert!(all.contains(&code), "{s}");
                let once = all.iter().enumerate().all(|(i, c)| !all[..i].contains(c));
                assert!(once, "{s}");
            }
        }
    }

    #[test]
    fn hresult_fields() {
        let h = Hresult::from(0x8007_2EE2);
        assert!(h.failure && !h.customer);
        assert_eq!((h.facility, h.code), (7, 0x2EE2));
        assert_eq!(h.facility_name(), Some("FACILITY_WIN32"));
        assert_eq!(h.win32(), Some(12002));
        assert_eq!(Hresult::from(0xC000_006D).win32(), None);
    }

    #[test]
    fn numbers_read_every_spelling() {
        assert_eq!(numbers("-2145647635"), [Some(0x801C_03ED), None]);
        assert_eq!(numbers("2149319661"), [Some(0x801C_03ED), None]);
        assert_eq!(numbers("801C03ED"), [None, Some(0x801C_03ED)]);
        assert_eq!(numbers("-2147483649"), [None, None]);
        assert_eq!(numbers("0x1FFFFFFFF"), [None, None]);
    }
}

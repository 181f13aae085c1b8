//! The `errcat-codes` crate: its manifest, its API (copied verbatim from
//! `codes_lib.rs`) and its data tables.
//!
//! Tables are rows of little-endian `u32`s, each table one byte-string literal, over
//! one text blob: they compile in well under a second at 50k codes, where arrays of
//! literals, `phf` or a `match` take seconds. Every string is stored once and named
//! by its index in `STRINGS`.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};

use crate::catalog::Catalog;
use crate::model::EntryKind;

use super::{Versions, HEADER};

const NONE: u32 = u32::MAX;

/// The crate's API, the same for every dataset.
pub const LIB_RS: &str = include_str!("codes_lib.rs");
const NAMES_RS: &str = include_str!("codes_names.rs");

#[path = "codes_names.rs"]
mod names;
use names::name_hash;

pub fn cargo_toml() -> String {
    format!(
        r#"# {HEADER}
[package]
name = "errcat-codes"
version = "0.1.0"
edition = "2021"
rust-version = "1.70"
description = "Microsoft identity error codes with the causes and mitigations Microsoft's troubleshooting pages give, as static no_std tables"
license = "MIT OR Apache-2.0"
keywords = ["hresult", "error-codes", "entra", "windows-hello", "no-std"]
categories = ["no-std", "no-std::no-alloc", "development-tools::debugging"]
readme = "README.md"

[features]
default = []
serde = ["dep:serde"]

[dependencies]
serde = {{ version = "1", optional = true, default-features = false }}
"#
    )
}

pub fn readme(versions: &Versions, codes: usize) -> String {
    format!(
        "<!-- {HEADER} -->\n# errcat-codes\n\n\
         {codes} Microsoft identity error codes, with the causes and mitigations that \
         Microsoft's troubleshooting pages give for each, in every document and locale \
         errcat reads.\n\n\
         ```rust\nlet code = errcat_codes::lookup(\"0x801c03ed\").unwrap();\n\
         for context in code.contexts() {{\n    println!(\"{{}} ({{}}): {{:?}}\", context.document(), context.locale(), context.conditions().next().map(|c| c.mitigation()));\n}}\n```\n\n\
         - `lookup` gives the likeliest code for a spelling; `lookup_all` every code it may \
         stand for (a name two codes share, digits read as decimal and as hex).\n\
         - `no_std`, no allocation, no dependencies by default; `serde` feature to serialise.\n\
         - Dataset `{}`, schema `{}`, sources `{}`.\n",
        versions.dataset, versions.schema, versions.source_digest
    )
}

pub fn lib_rs() -> String {
    format!("// {HEADER}\n{LIB_RS}")
}

/// The crate's `names.rs`: how the name table hashes and compares names.
pub fn names_rs() -> String {
    format!("// {HEADER}\n{NAMES_RS}")
}

#[derive(Default)]
struct Tables<'a> {
    text: String,
    strings: Vec<[u32; 2]>,
    index: HashMap<&'a str, u32, BuildHasherDefault<Fx>>,
    lists: Vec<u32>,
    codes: Vec<[u32; 7]>,
    contexts: Vec<[u32; 11]>,
    conditions: Vec<[u32; 8]>,
    links: Vec<[u32; 2]>,
}

/// FxHash's rotate, xor and multiply, a word at a time: the strings interned are
/// the catalogue's own, with no adversary for SipHash to stand against, and SipHash
/// was the largest single cost of building the tables.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let mut tail = [0; 8];
        tail[..words.remainder().len()].copy_from_slice(words.remainder());
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<'a> Tables<'a> {
    fn string(&mut self, s: &'a str) -> u32 {
        if let Some(&id) = self.index.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push([self.text.len() as u32, s.len() as u32]);
        self.text.push_str(s);
        self.index.insert(s, id);
        id
    }

    fn optional(&mut self, s: Option<&'a str>) -> u32 {
        s.map_or(NONE, |s| self.string(s))
    }

    fn list(&mut self, items: impl IntoIterator<Item = &'a str>) -> [u32; 2] {
        let ids: Vec<u32> = items.into_iter().map(|s| self.string(s)).collect();
        let start = self.lists.len() as u32;
        self.lists.extend(&ids);
        [start, ids.len() as u32]
    }
}

/// `data.rs` for a catalogue.
pub fn data_rs(catalog: &Catalog, versions: &Versions) -> String {
    CrateTables::of(catalog).data_rs(versions)
}

/// The crate's tables for a catalogue: all of `data.rs` but the version constants,
/// so that they can be rendered before the dataset version is known.
pub struct CrateTables {
    codes: usize,
    tables: String,
}

impl CrateTables {
    pub fn of(catalog: &Catalog) -> Self {
        CrateTables {
            codes: catalog.codes.len(),
            tables: tables(catalog),
        }
    }

    /// How many codes the tables hold.
    pub fn codes(&self) -> usize {
        self.codes
    }

    /// `data.rs`: the version constants, then the tables.
    pub fn data_rs(&self, versions: &Versions) -> String {
        let mut out = String::with_capacity(self.tables.len() + 1024);
        let _ = writeln!(out, "// {HEADER}");
        let _ = writeln!(
            out,
            "//! The tables behind the API; see `lib.rs` for their layout.\n"
        );
        let _ = writeln!(
            out,
            "/// The dataset this crate carries; it changes whenever the data does."
        );
        let _ = writeln!(
            out,
            "pub const DATA_VERSION: &str = {:?};",
            versions.dataset
        );
        let _ = writeln!(out, "/// The version of the data's shape (semver).");
        let _ = writeln!(
            out,
            "pub const SCHEMA_VERSION: &str = {:?};",
            versions.schema
        );
        let _ = writeln!(out, "/// SHA-256 over the sources the data was built from.");
        let _ = writeln!(
            out,
            "pub const SOURCE_DIGEST: &str = {:?};",
            versions.source_digest
        );
        out.push_str(&self.tables);
        out
    }
}

fn tables(catalog: &Catalog) -> String {
    let mut t = Tables::default();
    let mut by_value = Vec::new();
    let mut by_name: Vec<(&str, u32)> = Vec::new();
    let mut by_sign_in: Vec<(u64, u32, u32)> = Vec::new();
    for (index, record) in catalog.codes.iter().enumerate() {
        let index = index as u32;
        let code = t.string(&record.code);
        let names = t.list(record.names.iter().map(String::as_str));
        let contexts_start = t.contexts.len() as u32;
        for context in &record.contexts {
            let conditions_start = t.conditions.len() as u32;
            for condition in &context.conditions {
                let causes = t.list(condition.causes.iter().map(String::as_str));
                let message = t.optional(condition.message.as_deref());
                let mitigation = t.optional(condition.mitigation.as_deref());
                let links_start = t.links.len() as u32;
                for link in &condition.links {
                    let pair = [t.string(&link.text), t.string(&link.url)];
                    t.links.push(pair);
                }
                let file = t.string(&condition.source.file);
                t.conditions.push([
                    causes[0],
                    causes[1],
                    message,
                    mitigation,
                    links_start,
                    condition.links.len() as u32,
                    file,
                    condition.source.line as u32,
                ]);
            }
            let row = [t.string(&context.document), t.string(&context.locale)];
            let section = t.list(context.section.iter().map(String::as_str));
            let revision = t.string(&context.revision);
            let first_seen = t.string(&context.first_seen);
            let last_changed = t.string(&context.last_changed);
            let withdrawn_in = t.optional(context.withdrawn_in.as_deref());
            t.contexts.push([
                row[0],
                row[1],
                section[0],
                section[1],
                u32::from(context.kind == EntryKind::Warning),
                revision,
                first_seen,
                last_changed,
                withdrawn_in,
                conditions_start,
                context.conditions.len() as u32,
            ]);
        }
        t.codes.push([
            code,
            record.value.unwrap_or(0),
            u32::from(record.value.is_some()),
            names[0],
            names[1],
            contexts_start,
            record.contexts.len() as u32,
        ]);
        match record.value {
            Some(value) => by_value.push([value, index]),
            None => by_name.push((record.code.as_str(), index)),
        }
        let digits = record.code.strip_prefix("AADSTS");
        if let Some(number) = digits.and_then(names::sign_in_number) {
            by_sign_in.push((names::sign_in_key(number), number, index));
        }
        by_name.extend(record.names.iter().map(|n| (n.as_str(), index)));
    }
    by_value.sort_unstable();
    let value_bits = bucket_bits(by_value.len());
    let value_buckets = buckets(
        by_value.iter().map(|&[v, _]| u64::from(v) << 32),
        value_bits,
    );
    by_sign_in.sort_unstable();
    let sign_in_bits = bucket_bits(by_sign_in.len());
    let sign_in_buckets = buckets(by_sign_in.iter().map(|&(k, _, _)| k), sign_in_bits);
    let by_sign_in: Vec<[u32; 2]> = (by_sign_in.iter())
        .map(|&(_, number, index)| [number, index])
        .collect();
    let mut by_name: Vec<(u64, u32, u32)> = by_name
        .iter()
        .map(|(name, index)| (name_hash(name), t.string(name), *index))
        .collect();
    by_name.sort_unstable();
    by_name.dedup();
    let name_bits = bucket_bits(by_name.len());
    let name_buckets = buckets(by_name.iter().map(|&(h, _, _)| h), name_bits);
    let by_name: Vec<[u32; 4]> = by_name
        .iter()
        .map(|&(h, id, index)| [h as u32, (h >> 32) as u32, id, index])
        .collect();

    let mut out = String::with_capacity(t.text.len() * 2 + 64 * t.strings.len());
    let _ = writeln!(out, "pub(crate) static TEXT: &str = {:?};", t.text);
    let _ = writeln!(out, "pub(crate) const VALUE_BITS: u32 = {value_bits};");
    let _ = writeln!(out, "pub(crate) const NAME_BITS: u32 = {name_bits};");
    let _ = writeln!(out, "pub(crate) const SIGN_IN_BITS: u32 = {sign_in_bits};");
    table(&mut out, "STRINGS", t.strings.iter().flatten());
    table(&mut out, "LISTS", t.lists.iter());
    table(&mut out, "CODES", t.codes.iter().flatten());
    table(&mut out, "CONTEXTS", t.contexts.iter().flatten());
    table(&mut out, "CONDITIONS", t.conditions.iter().flatten());
    table(&mut out, "LINKS", t.links.iter().flatten());
    table(&mut out, "BY_VALUE", by_value.iter().flatten());
    table(&mut out, "VALUE_BUCKETS", value_buckets.iter());
    table(&mut out, "BY_NAME", by_name.iter().flatten());
    table(&mut out, "NAME_BUCKETS", name_buckets.iter());
    table(&mut out, "BY_SIGN_IN", by_sign_in.iter().flatten());
    table(&mut out, "SIGN_IN_BUCKETS", sign_in_buckets.iter());
    out
}

/// Writes `static NAME: &[u8] = b"…";`: the `u32`s little-endian, in one byte
/// string. One literal type-checks in no time where an array of 50k rows takes
/// seconds.
fn table<'a>(out: &mut String, name: &str, values: impl Iterator<Item = &'a u32>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let _ = writeln!(out, "pub(crate) static {name}: &[u8] = b\"\\");
    let mut column = 0;
    for value in values {
        for byte in value.to_le_bytes() {
            out.push_str("\\x");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        column += 1;
        if column == 24 {
            out.push_str("\\\n");
            column = 0;
        }
    }
    out.push_str("\";\n");
}

/// Bits of a bucket index for `n` rows: about one row a bucket, 4 to 16 bits.
fn bucket_bits(n: usize) -> u32 {
    (usize::BITS - n.max(1).leading_zeros()).clamp(4, 16)
}

/// For keys sorted ascending, the first row of each bucket of their top `bits`,
/// and the row count last.
fn buckets(keys: impl Iterator<Item = u64>, bits: u32) -> Vec<u32> {
    let count = 1usize << bits;
    let mut starts = vec![0u32; count + 1];
    let mut rows = 0u32;
    for key in keys {
        let b = (key >> (64 - bits)) as usize;
        starts[b + 1] += 1;
        rows += 1;
    }
    for b in 0..count {
        starts[b + 1] += starts[b];
    }
    debug_assert_eq!(starts[count], rows);
    starts
}

#[cfg(test)]
mod tests {
    use super::names::{upper8, word};
    use super::*;

    fn upper_bytewise(word: u64) -> u64 {
        u64::from_le_bytes(word.to_le_bytes().map(|b| b.to_ascii_uppercase()))
    }

    #[test]
    fn every_byte_goes_upper_case_in_every_lane_beside_any_neighbour() {
        for byte in 0..=255u64 {
            for lane in 0..8 {
                for fill in [0, 0x60, 0x7b, 0x80, 0xff] {
                    let others = (0x0101_0101_0101_0101 * fill) & !(0xff << (8 * lane));
                    let word = others | (byte << (8 * lane));
                    assert_eq!(upper8(word), upper_bytewise(word), "{word:016x}");
                }
            }
        }
    }

    /// The hash as first written: the upper-cased bytes padded with zeros to whole
    /// words, word by word.
    fn padded_hash(name: &str) -> u64 {
        let mut bytes = name.to_ascii_uppercase().into_bytes();
        bytes.resize(bytes.len().div_ceil(8) * 8, 0);
        bytes.chunks(8).fold(name.len() as u64, |hash, chunk| {
            (hash.rotate_left(26) ^ word(chunk)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
    }

    proptest::proptest! {
        #[test]
        fn a_name_hashes_as_its_padded_words_do(name in "\\PC{0,40}") {
            proptest::prop_assert_eq!(name_hash(&name), padded_hash(&name));
        }

        #[test]
        fn eight_bytes_go_upper_case_as_each_one_does(word: u64) {
            proptest::prop_assert_eq!(upper8(word), upper_bytewise(word));
        }

        #[test]
        fn a_name_hashes_alike_in_any_ascii_case(name in "[ -~é]{0,40}") {
            proptest::prop_assert_eq!(
                name_hash(&name.to_ascii_lowercase()),
                name_hash(&name.to_ascii_uppercase())
            );
        }
    }
}

//! `sources/manifest.yaml`: which files make up the dataset, and in what order.
//!
//! Revision order is manifest order, per document and locale: real pages keep a
//! stale `ms.date` when their content changes, so dates never order revisions.
//! Every id and label becomes part of a path under `sources/` and `generated/`, so
//! validation refuses anything that could step outside them.

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// The manifest's file name inside `sources/`.
pub const FILE_NAME: &str = "manifest.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Hosts a fetch may follow redirects to, besides the upstreams' own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_hosts: Vec<String>,
    /// Where `cargo xtask fetch` looks for new revisions.
    #[serde(default)]
    pub upstreams: Vec<Upstream>,
    /// The source files, oldest first within each document and locale.
    pub sources: Vec<SourceEntry>,
}

/// A live page to refresh from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub document: String,
    pub locale: String,
    pub format: Format,
    pub url: String,
    /// Validators from the last fetch, sent back as `If-None-Match` / `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub document: String,
    pub revision: String,
    pub locale: String,
    pub format: Format,
    /// Path relative to `sources/`: `<document>/<revision>.<locale>.<ext>`.
    pub file: String,
    /// The page's own date (`ms.date`), where it has one.
    #[serde(default)]
    pub date: Option<String>,
    /// Where the file was captured from, where known.
    #[serde(default)]
    pub url: Option<String>,
    /// SHA-256 of the file's bytes (CRLF line endings read as LF), lower-case hex.
    pub sha256: String,
    /// When `cargo xtask fetch` captured it (RFC 3339), for fetched files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SourceEntry {
    /// The chain it belongs to: its document, in its locale.
    pub fn chain(&self) -> (&str, &str) {
        (&self.document, &self.locale)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: {message}", location(*line))]
    Yaml {
        line: Option<usize>,
        message: String,
    },
    #[error("sources[{index}].{field}: {message}")]
    Field {
        index: usize,
        field: &'static str,
        message: String,
    },
    #[error("upstreams[{index}].{field}: {message}")]
    UpstreamField {
        index: usize,
        field: &'static str,
        message: String,
    },
}

/// The manifest parsed one source entry at a time: the YAML loader holds every event
/// of the document it parses, about ten times the text, and the manifest grows with
/// every revision. The entries stand alone, so a long manifest's are parsed on
/// several threads: the parser reads about 40 MB/s, and everything else waits for
/// the manifest. None unless everything parses this way (see [`Splitter`]); then the
/// whole document is parsed at once, which also gives errors their lines.
fn by_entry(text: &str) -> Option<Manifest> {
    let mut splitter = Splitter::default();
    let mut items = Vec::new();
    for line in text.split_inclusive('\n') {
        items.extend(splitter.line(line).ok()?);
    }
    let (last, head) = splitter.finish().ok()?;
    items.extend(last);
    let mut manifest = parse_head(&head)?;
    manifest.sources = parse_items(&items, crate::threads())?;
    Some(manifest)
}

/// The manifest without its entries, from what [`Splitter`] leaves of it; None unless
/// it parses with an empty `sources:` list.
pub(crate) fn parse_head(head: &str) -> Option<Manifest> {
    serde_yaml::from_str(head)
        .ok()
        .filter(|m: &Manifest| m.sources.is_empty())
}

/// Entries a thread is worth starting for.
pub(crate) const PER_THREAD: usize = 256;

/// The entries [`Splitter`] gave, parsed each on its own, on up to `threads` threads;
/// None unless each is one entry that stands alone.
pub(crate) fn parse_items(items: &[String], threads: usize) -> Option<Vec<SourceEntry>> {
    let threads = threads.min(items.len().div_ceil(PER_THREAD));
    crate::parallel_map(items, threads, |item| {
        let mut one: Vec<SourceEntry> = serde_yaml::from_str(item).ok()?;
        (one.len() == 1).then(|| one.pop()).flatten()
    })
    .into_iter()
    .collect()
}

/// Splits a manifest, fed a line at a time, into the items of its `sources:` list
/// (or another top-level list, [`Splitter::of`]), each a one-item sequence of its own
/// lines (comments and blank lines after an item go with it), and the rest, with an
/// empty list in the list's place. Gives up ([`NotSplit`]) unless the list is a block
/// sequence under its top-level line (`sources:`).
#[derive(Debug)]
pub(crate) struct Splitter {
    /// The list's key.
    list: &'static str,
    head: String,
    item: String,
    state: Split,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::of("sources")
    }
}

#[derive(Debug, Default, Clone, Copy)]
enum Split {
    /// Before the list's line.
    #[default]
    Before,
    /// After it, before its first item.
    Opening,
    /// In the list, whose items start `- ` this far in.
    Items { indent: usize },
    /// After the list.
    After,
}

/// The manifest is not in the shape [`Splitter`] reads: parse it whole.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotSplit;

impl Splitter {
    /// A splitter of the top-level list under `list:`.
    pub(crate) fn of(list: &'static str) -> Self {
        Splitter {
            list,
            head: String::new(),
            item: String::new(),
            state: Split::default(),
        }
    }

    /// Takes the next line, with its line ending; an item it ends, if any.
    pub(crate) fn line(&mut self, line: &str) -> Result<Option<String>, NotSplit> {
        let filler = {
            let t = line.trim();
            t.is_empty() || t.starts_with('#')
        };
        let indent = line.len() - line.trim_start_matches(' ').len();
        let starts_item = |at: usize| indent == at && line[at..].starts_with("- ");
        match self.state {
            Split::Before if line.trim_end().strip_suffix(':') == Some(self.list) => {
                self.head.push_str(self.list);
                self.head.push_str(": []\n");
                self.state = Split::Opening;
            }
            Split::Before | Split::After => self.head.push_str(line),
            Split::Opening if filler => {}
            Split::Opening if line[indent..].starts_with("- ") => {
                self.item.push_str(line);
                self.state = Split::Items { indent };
            }
            Split::Opening => return Err(NotSplit),
            Split::Items { indent: at } if starts_item(at) => {
                return Ok(Some(std::mem::replace(&mut self.item, line.to_owned())));
            }
            Split::Items { indent: at } if filler || indent > at => self.item.push_str(line),
            Split::Items { .. } => {
                self.head.push_str(line);
                self.state = Split::After;
                return Ok(Some(std::mem::take(&mut self.item)));
            }
        }
        Ok(None)
    }

    /// The last item, if the list runs to the end, and the rest of the manifest.
    pub(crate) fn finish(self) -> Result<(Option<String>, String), NotSplit> {
        match self.state {
            Split::Before | Split::Opening => Err(NotSplit),
            Split::Items { .. } => Ok((Some(self.item), self.head)),
            Split::After => Ok((None, self.head)),
        }
    }
}

/// The items of a manifest's top-level list `list` (`sources`, `upstreams`) as
/// [`Splitter`] reads them, each with the line it starts on; None for a manifest in
/// any other shape. For errors, which name the line of the item they are about.
pub(crate) fn entry_texts(text: &str, list: &'static str) -> Option<Vec<(usize, String)>> {
    let mut splitter = Splitter::of(list);
    let mut items = Vec::new();
    // An item is handed over on the line after its last: it starts as many lines
    // before that one as it has.
    let first_line = |item: &str, next: usize| next - item.split_inclusive('\n').count();
    let mut next = 1;
    for line in text.split_inclusive('\n') {
        if let Some(item) = splitter.line(line).ok()? {
            items.push((first_line(&item, next), item));
        }
        next += 1;
    }
    if let Some(item) = splitter.finish().ok()?.0 {
        items.push((first_line(&item, next), item));
    }
    Some(items)
}

/// The line that gives `key` in an entry's text starting on line `first`.
pub(crate) fn key_line(item: &str, first: usize, key: &str) -> Option<usize> {
    fn key_of(line: &str) -> Option<&str> {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").unwrap_or(line);
        line.split_once(':').map(|(key, _)| key.trim())
    }
    let at = item.lines().position(|line| key_of(line) == Some(key))?;
    Some(first + at)
}

/// The line of `list[index]` (`sources[3]`, `upstreams[0]`) that gives `field`, or
/// else the item's first line.
pub fn field_line(text: &str, list: &'static str, index: usize, field: &str) -> Option<usize> {
    let items = entry_texts(text, list)?;
    let (first, item) = items.get(index)?;
    key_line(item, *first, field).or(Some(*first))
}

fn location(line: Option<usize>) -> String {
    line.map_or_else(|| "manifest".to_owned(), |l| format!("line {l}"))
}

impl Manifest {
    /// Parses and validates.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let manifest = match by_entry(text) {
            Some(manifest) => manifest,
            None => serde_yaml::from_str(text).map_err(|e| ManifestError::Yaml {
                line: e.location().map(|l| l.line()),
                message: e.to_string(),
            })?,
        };
        manifest.validate()?;
        Ok(manifest)
    }

    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).unwrap_or_default();
        format!(
            "# The sources errcat builds from: one entry per file, oldest first within each\n\
             # document and locale. `cargo xtask fetch` appends to it; edit by hand with care.\n{body}"
        )
    }

    pub fn validate(&self) -> Result<(), ManifestError> {
        let mut validator = Validator::default();
        for entry in &self.sources {
            validator.entry(entry)?;
        }
        validator.finish(&self.upstreams).map(drop)
    }
}

/// Validates a manifest's entries as they come, in order, keeping of each only its
/// [`Keys`]: every entry is checked on its own as it comes, and against the others
/// at the end, so that the first wrong entry in manifest order is the one named.
#[derive(Debug)]
pub struct Validator {
    keys: Keys,
    /// How many entries were checked.
    checked: usize,
    /// Whether the entries are checked against each other, their keys kept.
    across: bool,
}

impl Default for Validator {
    fn default() -> Self {
        Validator {
            keys: Keys::default(),
            checked: 0,
            across: true,
        }
    }
}

impl Validator {
    /// Checks each entry on its own only, and keeps no keys: for a manifest whose
    /// very bytes passed every check before, as one a regen recorded.
    pub fn each_alone() -> Self {
        Validator {
            across: false,
            ..Validator::default()
        }
    }

    /// Checks the next entry.
    pub fn entry(&mut self, entry: &SourceEntry) -> Result<(), ManifestError> {
        if let Err(wrong) = check_entry(self.checked, entry) {
            // An entry before it that repeats an earlier one comes first.
            return Err(self.repeated().unwrap_or(wrong));
        }
        self.checked += 1;
        if self.across {
            self.keys.push(entry);
        }
        Ok(())
    }

    /// Checks the entries against each other, and the upstreams; the entries' keys.
    pub fn finish(self, upstreams: &[Upstream]) -> Result<Keys, ManifestError> {
        if let Some(repeated) = self.repeated() {
            return Err(repeated);
        }
        for (index, u) in upstreams.iter().enumerate() {
            let field = |field: &'static str, message: String| ManifestError::UpstreamField {
                index,
                field,
                message,
            };
            check_segment(&u.document).map_err(|m| field("document", m))?;
            check_locale(&u.locale).map_err(|m| field("locale", m))?;
            if !(u.url.starts_with("https://") || u.url.starts_with("http://")) {
                return Err(field("url", format!("`{}` is not an http(s) URL", u.url)));
            }
        }
        Ok(self.keys)
    }

    /// The first entry, in manifest order, whose document, revision and locale an
    /// earlier one has.
    fn repeated(&self) -> Option<ManifestError> {
        // `document/revision.locale`, which checked entries' files start with.
        let key = |i: usize| {
            let file = self.keys.file(i);
            file.rsplit_once('.').map_or(file, |(key, _)| key)
        };
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
        let index = order
            .windows(2)
            .filter(|w| key(w[0]) == key(w[1]))
            .map(|w| w[1])
            .min()?;
        let (document, rest) = key(index).split_once('/').unwrap_or_default();
        let (revision, locale) = rest.rsplit_once('.').unwrap_or_default();
        Some(ManifestError::Field {
            index,
            field: "revision",
            message: format!("{document} {revision} {locale} is listed twice"),
        })
    }
}

/// Checks an entry on its own.
fn check_entry(index: usize, s: &SourceEntry) -> Result<(), ManifestError> {
    let field = |field: &'static str, message: String| ManifestError::Field {
        index,
        field,
        message,
    };
    check_segment(&s.document).map_err(|m| field("document", m))?;
    check_segment(&s.revision).map_err(|m| field("revision", m))?;
    check_locale(&s.locale).map_err(|m| field("locale", m))?;
    let prefix = format!("{}/{}.{}.", s.document, s.revision, s.locale);
    let ext = s.file.strip_prefix(&prefix).unwrap_or_default();
    if ext.is_empty() || !ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(field(
            "file",
            format!("`{}` must be `{prefix}<ext>`", s.file),
        ));
    }
    if let Some(date) = s.date.as_deref().filter(|d| !is_calendar_date(d)) {
        return Err(field(
            "date",
            format!("`{date}` is not a day of the calendar as YYYY-MM-DD"),
        ));
    }
    if s.sha256.len() != 64
        || !s
            .sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(field(
            "sha256",
            "must be 64 lower-case hex digits".to_owned(),
        ));
    }
    Ok(())
}

/// Whether `date` is a day of the calendar, written `YYYY-MM-DD`: the changelog
/// shows it, and the feed stamps and orders its entries by it.
pub fn is_calendar_date(date: &str) -> bool {
    let [year, month, day] = date.split('-').collect::<Vec<_>>()[..] else {
        return false;
    };
    let number = |text: &str, width: usize| {
        (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&day)
}

/// What a manifest's entries are checked against each other by, and what its source
/// digest is made of: each entry's file and SHA-256, in manifest order, in one text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Keys {
    text: String,
    /// Where each entry's file ends, and its SHA-256.
    ends: Vec<(usize, usize)>,
}

impl Keys {
    /// The keys of `entries`, in their order.
    pub fn of(entries: &[SourceEntry]) -> Keys {
        let mut keys = Keys::default();
        for entry in entries {
            keys.push(entry);
        }
        keys
    }

    fn push(&mut self, entry: &SourceEntry) {
        self.text.push_str(&entry.file);
        let file = self.text.len();
        self.text.push_str(&entry.sha256);
        self.ends.push((file, self.text.len()));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn start(&self, i: usize) -> usize {
        i.checked_sub(1).map_or(0, |before| self.ends[before].1)
    }

    fn file(&self, i: usize) -> &str {
        &self.text[self.start(i)..self.ends[i].0]
    }

    fn sha256(&self, i: usize) -> &str {
        &self.text[self.ends[i].0..self.ends[i].1]
    }

    /// Each entry's file and SHA-256, sorted.
    pub fn by_file(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let pair = |i: usize| (self.file(i), self.sha256(i));
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by(|&a, &b| pair(a).cmp(&pair(b)));
        order.into_iter().map(pair)
    }
}

/// A document id or revision label: one safe path segment.
pub fn check_segment(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 100
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        })
        && !value.contains("..");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` must be 1-100 of a-z, 0-9, `-`, `_`, `.`, start with a letter or digit, and hold no `..`"
        ))
    }
}

/// A lower-case BCP 47 tag such as `en-us` or `ja-jp`.
pub fn check_locale(value: &str) -> Result<(), String> {
    let mut parts = value.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    let rest_ok = parts.all(|p| {
        (2..=8).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if lang_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a lower-case BCP 47 tag such as `en-us`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Result<Manifest, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    #[test]
    fn entry_by_entry_parses_what_the_whole_document_says() {
        let real = include_str!("../sources/manifest.yaml");
        let expected = whole(real).unwrap();
        assert_eq!(by_entry(real).as_ref(), Some(&expected));
        let items = real.split_once("\nsources:\n").unwrap().1;
        let indented: String = items.lines().map(|l| format!("  {l}\n")).collect();
        let variants = [
            real.replace('\n', "\r\n"),
            real.replace("\n- document:", "\n\n# a comment\n- document:"),
            format!(
                "{}\nsources:\n{indented}",
                real.split_once("\nsources:\n").unwrap().0
            ),
            format!("sources:\n{items}allowed_hosts:\n- example.org\n"),
            format!("# head\nsources:\n\n  # first\n{indented}\n# tail\n"),
        ];
        for text in &variants {
            let expected = whole(text).unwrap();
            assert!(!expected.sources.is_empty());
            assert_eq!(by_entry(text).as_ref(), Some(&expected), "{text}");
            assert_eq!(Manifest::parse(text).unwrap(), expected);
        }
    }

    #[test]
    fn a_long_manifest_parses_in_order_on_every_thread() {
        let real = include_str!("../sources/manifest.yaml");
        let (head, items) = real.split_once("\nsources:\n").unwrap();
        // Enough entries for several threads, each copy under its own revisions.
        let copies: String = (0..200)
            .map(|i| items.replace("  revision: ", &format!("  revision: c{i}-")))
            .collect();
        let text = format!("{head}\nsources:\n{copies}");
        let expected = whole(&text).unwrap();
        assert!(expected.sources.len() > 2 * 256);
        assert_eq!(by_entry(&text).as_ref(), Some(&expected));
        // One entry that does not stand alone sends the whole document to the
        // whole-document parser, wherever it falls.
        let at = text.rfind("  format: ").unwrap();
        let mut shared = text.clone();
        shared.insert_str(at + "  format: ".len(), "*undefined ");
        assert!(by_entry(&shared).is_none());
    }

    #[test]
    fn anything_else_is_parsed_whole_with_its_errors_lines() {
        let real = include_str!("../sources/manifest.yaml");
        // Not a block sequence under a bare `sources:` line, or entries that do not
        // stand alone: parsed whole, to the same result.
        let shared = real
            .replacen("  format: legacy\n", "  format: &f legacy\n", 1)
            .replacen("  format: legacy\n", "  format: *f\n", 1);
        let flow = "sources: [{document: d, revision: r, locale: en-us, format: markdown, file: d/r.en-us.md, sha256: x}]\n";
        let commented = real.replace("\nsources:\n", "\nsources: # the files\n");
        for text in [shared.as_str(), flow, commented.as_str()] {
            assert!(by_entry(text).is_none(), "{text}");
            assert_eq!(
                Manifest::parse(text).ok(),
                whole(text).ok().filter(|m| m.validate().is_ok())
            );
        }
        assert!(Manifest::parse(&shared).is_ok());
        // A broken entry: the error names the line the whole document puts it on.
        let broken = real.replacen("  locale: ja-jp\n", "  locale: [ja-jp\n", 1);
        let line = whole(&broken).unwrap_err().location().unwrap().line();
        match Manifest::parse(&broken) {
            Err(ManifestError::Yaml { line: Some(l), .. }) => assert_eq!(l, line),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn segments_cannot_climb_out() {
        for bad in [
            "..",
            "../x",
            "/etc",
            "a/b",
            "",
            "A",
            "a..b",
            "\u{2024}\u{2024}",
            "ｘ",
        ] {
            assert!(check_segment(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_segment("2018-05-05").is_ok());
    }

    fn entry(document: &str, revision: &str, file: &str) -> String {
        format!(
            "sources:\n  - document: {document}\n    revision: {revision}\n    locale: en-us\n    format: legacy\n    file: {file}\n    sha256: {}\n",
            "a".repeat(64)
        )
    }

    #[test]
    fn paths_cannot_leave_sources() {
        for (text, field) in [
            (entry("d", "r", "../../etc/passwd"), "sources[0].file"),
            (entry("d", "r", "/etc/passwd"), "sources[0].file"),
            (entry("d", "r", "d/r.en-us.md/../../x"), "sources[0].file"),
            (entry("d", "'../r'", "d/r.en-us.md"), "sources[0].revision"),
            (entry("'ｄ'", "r", "d/r.en-us.md"), "sources[0].document"),
            (
                entry(r#""d\u0000""#, "r", "d/r.en-us.md"),
                "sources[0].document",
            ),
        ] {
            let err = Manifest::parse(&text).unwrap_err().to_string();
            assert!(err.starts_with(field), "{err}");
        }
        assert!(Manifest::parse(&entry("d", "r", "d/r.en-us.md")).is_ok());
    }

    #[test]
    fn the_first_wrong_entry_is_named_whether_wrong_alone_or_repeated() {
        let item = |revision: &str, locale: &str| {
            format!(
                "  - document: d\n    revision: {revision}\n    locale: {locale}\n    format: legacy\n    file: d/{revision}.{locale}.txt\n    sha256: {}\n",
                "a".repeat(64)
            )
        };
        let (r1, r2, bad) = (item("r1", "en-us"), item("r2", "en-us"), item("r3", "EN"));
        for (items, named) in [
            ([&r1, &r2, &r1, &bad], "sources[2].revision"),
            ([&r1, &bad, &r2, &r1], "sources[1].locale"),
            ([&r1, &r2, &r2, &r1], "sources[2].revision"),
        ] {
            let text = format!("sources:\n{}", items.map(String::as_str).concat());
            let err = Manifest::parse(&text).unwrap_err().to_string();
            assert!(err.starts_with(named), "{err}");
        }
    }

    /// A date is a day of the calendar: the feed stamps and orders its entries by it.
    #[test]
    fn dates_are_days_of_the_calendar() {
        for good in ["2018-05-05", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2017-13-45",
            "2018-02-29",
            "1900-02-29",
            "2018-04-31",
            "2018-00-10",
            "2018-5-5",
            "05/05/2018",
            "2018-05-05T00:00:00Z",
            "+018-05-05",
            "２０１８-05-05",
            "",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
        let text = entry("d", "r", "d/r.en-us.md")
            .replace("    sha256:", "    date: 2018-02-30\n    sha256:");
        let err = Manifest::parse(&text).unwrap_err().to_string();
        assert!(err.starts_with("sources[0].date: `2018-02-30`"), "{err}");
    }

    /// The real manifest with a blank line and a comment before every item of its
    /// lists, and it parsed.
    fn commented_manifest() -> (String, Manifest) {
        let real = include_str!("../sources/manifest.yaml");
        let text = real.replace("\n- document:", "\n\n# a comment\n- document:");
        let manifest = Manifest::parse(&text).unwrap();
        (text, manifest)
    }

    /// An entry's field is found on its line, wherever the entry is and whatever
    /// comments and blank lines come between the entries.
    #[test]
    fn a_field_is_found_on_its_line() {
        let (text, manifest) = commented_manifest();
        let lines: Vec<&str> = text.lines().collect();
        for (index, source) in manifest.sources.iter().enumerate() {
            for (field, value) in [("file", &source.file), ("sha256", &source.sha256)] {
                let line = field_line(&text, "sources", index, field).unwrap();
                assert_eq!(lines[line - 1].trim(), format!("{field}: {value}"));
            }
            // A field the entry does not give: its first line.
            let first = field_line(&text, "sources", index, "no-such-field").unwrap();
            assert!(
                lines[first - 1].starts_with("- document:"),
                "{}",
                lines[first - 1]
            );
        }
        assert_eq!(
            field_line(&text, "sources", manifest.sources.len(), "file"),
            None
        );
    }

    /// An upstream's field is found on its line too, past comments and blank lines.
    #[test]
    fn an_upstreams_field_is_found_on_its_line() {
        let (text, manifest) = commented_manifest();
        let lines: Vec<&str> = text.lines().collect();
        assert!(manifest.upstreams.len() > 1);
        for (index, upstream) in manifest.upstreams.iter().enumerate() {
            let line = field_line(&text, "upstreams", index, "url").unwrap();
            assert_eq!(lines[line - 1].trim(), format!("url: {}", upstream.url));
            let line = field_line(&text, "upstreams", index, "document").unwrap();
            assert_eq!(
                lines[line - 1],
                format!("- document: {}", upstream.document)
            );
        }
        assert_eq!(
            field_line(&text, "upstreams", manifest.upstreams.len(), "url"),
            None
        );
    }

    #[test]
    fn errors_name_the_field() {
        let text = "sources:\n  - document: ../up\n    revision: r\n    locale: en-us\n    format: legacy\n    file: x\n    sha256: x\n";
        let err = Manifest::parse(text).unwrap_err().to_string();
        assert!(err.starts_with("sources[0].document:"), "{err}");
    }
}

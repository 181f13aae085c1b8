//! The manifest as regen and check stream it. The manifest lists every revision, so
//! it grows with them: it is read an entry at a time, and each entry checked and
//! handed on. Regen writes each to a temporary file and holds its place there until
//! the worker that folds its chain reads it back.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;

use crate::cache::FoldKey;
use crate::emit::{self, spill::Spill};
use crate::manifest::{self, Keys, Manifest, ManifestError, SourceEntry, Splitter, Validator};
use crate::regen::{io_error, RegenError};

/// A checked manifest, its entries in a temporary file.
pub struct Listing {
    /// The chains, in (document, locale) order.
    pub chains: Vec<Chain>,
    /// [`emit::source_digest`] of the manifest.
    pub source_digest: String,
    entries: Mutex<Spill>,
    /// Where each entry is in `entries`, in manifest order.
    places: Vec<Range<u64>>,
}

impl Listing {
    /// Reads and checks the manifest at `path`, as [`Manifest::parse`] would, to the
    /// same errors, parsing on up to `threads` threads.
    pub fn read(path: &Path, threads: usize) -> Result<Listing, RegenError> {
        let mut building = Building::new()?;
        let keys = read_entries(path, threads, &mut |first, entries| {
            if first < building.places.len() {
                // The manifest is being read again, whole.
                building = Building::new()?;
            }
            entries
                .into_iter()
                .try_for_each(|entry| building.add(entry))
        })?;
        Ok(building.finish(&keys))
    }

    /// The entry at `index`, read back.
    pub fn entry(&self, index: usize) -> Result<SourceEntry, RegenError> {
        let bytes = crate::lock(&self.entries)
            .read(self.places[index].clone())
            .map_err(RegenError::Spill)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| RegenError::Spill(io::Error::new(io::ErrorKind::InvalidData, e)))
    }
}

/// What `each` is handed: the index of a batch's first entry, and the batch.
pub type Batch<'a> = dyn FnMut(usize, Vec<SourceEntry>) -> Result<(), RegenError> + 'a;

/// Reads and checks the manifest at `path`, as [`Manifest::parse`] would, to the
/// same errors, and hands its entries to `each` in manifest order a batch at a time,
/// as they are parsed on up to `threads` threads; the entries' keys.
///
/// Each entry is checked on its own before it is handed over, and against the
/// others only once every entry is read, so nothing `each` does should outlast an
/// error. A manifest that turns out not to split an entry at a time is parsed whole,
/// and its entries are handed over again from the first.
pub fn read_entries(path: &Path, threads: usize, each: &mut Batch) -> Result<Keys, RegenError> {
    read_with(path, threads, Validator::default(), each)
}

/// [`read_entries`] for a manifest whose very bytes passed every check before, as
/// one a regen recorded: each entry is checked on its own only, and nothing is kept
/// of it once it is handed over.
pub fn read_recorded_entries(
    path: &Path,
    threads: usize,
    each: &mut Batch,
) -> Result<(), RegenError> {
    read_with(path, threads, Validator::each_alone(), each).map(drop)
}

fn read_with(
    path: &Path,
    threads: usize,
    validator: Validator,
    each: &mut Batch,
) -> Result<Keys, RegenError> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    if let Some(keys) = by_entry(path, BufReader::new(file), threads, validator, each)? {
        return Ok(keys);
    }
    // Parsed whole, which also gives errors their lines.
    let text = fs::read_to_string(path).map_err(io_error(path))?;
    let manifest = Manifest::parse(&text).map_err(manifest_error(path))?;
    let keys = Keys::of(&manifest.sources);
    each(0, manifest.sources)?;
    Ok(keys)
}

/// [`read_entries`] a line at a time, the entries parsed a batch at a time; None
/// unless the manifest is in the shape [`Splitter`] reads and each entry stands
/// alone.
fn by_entry(
    path: &Path,
    mut reader: impl BufRead,
    threads: usize,
    validator: Validator,
    each: &mut Batch,
) -> Result<Option<Keys>, RegenError> {
    // Entries parsed at a time: enough to share among the threads, few enough to
    // hold.
    let batch = manifest::PER_THREAD * threads.max(1);
    let mut checked = Checked {
        validator,
        handed: 0,
        wrong: None,
    };
    let mut splitter = Splitter::default();
    let mut items = Vec::with_capacity(batch);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(io_error(path))? == 0 {
            break;
        }
        let Ok(item) = splitter.line(&line) else {
            return Ok(None);
        };
        items.extend(item);
        if items.len() == batch {
            if !checked.hand_over(&items, threads, each)? {
                return Ok(None);
            }
            items.clear();
        }
    }
    let Ok((last, head)) = splitter.finish() else {
        return Ok(None);
    };
    items.extend(last);
    if !checked.hand_over(&items, threads, each)? {
        return Ok(None);
    }
    let Some(head) = manifest::parse_head(&head) else {
        return Ok(None);
    };
    match checked.wrong {
        Some(wrong) => Err(wrong),
        None => checked.validator.finish(&head.upstreams),
    }
    .map(Some)
    .map_err(manifest_error(path))
}

/// The entries read so far, checked each on its own.
struct Checked {
    validator: Validator,
    handed: usize,
    /// The first wrong entry. Reading goes on past it, since an entry that does not
    /// stand alone sends the whole manifest to the whole-document parser, whose
    /// errors come first.
    wrong: Option<ManifestError>,
}

impl Checked {
    /// Parses and checks the items a [`Splitter`] gave, and hands them to `each`
    /// while every entry so far is right; false unless each item is one entry that
    /// stands alone.
    fn hand_over(
        &mut self,
        items: &[String],
        threads: usize,
        each: &mut Batch,
    ) -> Result<bool, RegenError> {
        let Some(entries) = manifest::parse_items(items, threads) else {
            return Ok(false);
        };
        if self.wrong.is_some() {
            return Ok(true);
        }
        if let Err(wrong) = entries.iter().try_for_each(|e| self.validator.entry(e)) {
            self.wrong = Some(wrong);
            return Ok(true);
        }
        let first = self.handed;
        self.handed += entries.len();
        each(first, entries)?;
        Ok(true)
    }
}

/// A document in one locale, and its entries' indices, in manifest order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub document: String,
    pub locale: String,
    pub entries: Vec<usize>,
    /// What its fold depends on, a `cache::FoldKey` digest taken as its entries were
    /// read.
    pub fold_key: String,
}

/// A listing being built, an entry at a time, in manifest order.
struct Building {
    chains: BTreeMap<String, BTreeMap<String, (Vec<usize>, FoldKey)>>,
    entries: Spill,
    places: Vec<Range<u64>>,
}

impl Building {
    fn new() -> Result<Self, RegenError> {
        Ok(Building {
            chains: BTreeMap::new(),
            entries: Spill::new().map_err(RegenError::Spill)?,
            places: Vec::new(),
        })
    }

    fn add(&mut self, entry: SourceEntry) -> Result<(), RegenError> {
        let json = serde_json::to_string(&entry).map_err(|e| RegenError::Spill(e.into()))?;
        let place = self.entries.push(&json).map_err(RegenError::Spill)?;
        let index = self.places.len();
        self.places.push(place);
        let (entries, key) = self
            .chains
            .entry(entry.document.clone())
            .or_default()
            .entry(entry.locale.clone())
            .or_default();
        entries.push(index);
        key.add(&entry);
        Ok(())
    }

    fn finish(self, keys: &Keys) -> Listing {
        Listing {
            chains: self
                .chains
                .into_iter()
                .flat_map(|(document, locales)| {
                    locales
                        .into_iter()
                        .map(move |(locale, (entries, key))| Chain {
                            document: document.clone(),
                            locale,
                            entries,
                            fold_key: key.finish(),
                        })
                })
                .collect(),
            source_digest: emit::source_digest_of(keys),
            entries: Mutex::new(self.entries),
            places: self.places,
        }
    }
}

/// An error in the manifest at `path`, read again to find its line: the entries
/// were read a piece at a time, and none is kept.
fn manifest_error(path: &Path) -> impl FnOnce(ManifestError) -> RegenError + '_ {
    move |source| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        RegenError::manifest(path, &text, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(text: &str, threads: usize) -> Result<Listing, RegenError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::manifest::FILE_NAME);
        fs::write(&path, text).unwrap();
        Listing::read(&path, threads)
    }

    fn real() -> &'static str {
        include_str!("../sources/manifest.yaml")
    }

    /// The real manifest's entries 200 times over, each copy under revisions of its
    /// own: every chain's entries spread over the whole file.
    fn long() -> String {
        let (head, items) = real().split_once("\nsources:\n").unwrap();
        let copies: String = (0..200)
            .map(|i| {
                items
                    .replace("  revision: ", &format!("  revision: c{i}-"))
                    .lines()
                    .map(|line| match line.strip_prefix("  file: ") {
                        Some(file) => {
                            format!("  file: {}\n", file.replacen('/', &format!("/c{i}-"), 1))
                        }
                        None => format!("{line}\n"),
                    })
                    .collect::<String>()
            })
            .collect();
        format!("{head}\nsources:\n{copies}")
    }

    /// [`long`] with an entry near the end that does not stand alone: it names an
    /// anchor the first entry sets.
    fn late_alias() -> String {
        let mut text = long().replacen("  format: legacy\n", "  format: &f legacy\n", 1);
        let at = text.rfind("  format: legacy\n").unwrap();
        text.replace_range(at..at + "  format: legacy\n".len(), "  format: *f\n");
        text
    }

    #[test]
    fn a_listing_holds_what_the_whole_manifest_does() {
        let real = real();
        let items = real.split_once("\nsources:\n").unwrap().1;
        let indented: String = items.lines().map(|l| format!("  {l}\n")).collect();
        let texts = [
            real.to_owned(),
            long(),
            real.replace('\n', "\r\n"),
            real.replace("\n- document:", "\n\n# a comment\n- document:"),
            format!("sources:\n{items}allowed_hosts:\n- example.org\n"),
            format!("# head\nsources:\n\n  # first\n{indented}\n# tail\n"),
            // Not in the shape read an entry at a time: parsed whole.
            real.replacen("  format: legacy\n", "  format: &f legacy\n", 1)
                .replacen("  format: legacy\n", "  format: *f\n", 1),
            real.replace("\nsources:\n", "\nsources: # the files\n"),
            late_alias(),
        ];
        for text in &texts {
            let manifest = Manifest::parse(text).unwrap();
            for threads in [1, 3] {
                let listing = listed(text, threads).unwrap();
                let entries: Vec<SourceEntry> = (0..manifest.sources.len())
                    .map(|i| listing.entry(i).unwrap())
                    .collect();
                assert_eq!(entries, manifest.sources);
                assert_eq!(listing.places.len(), manifest.sources.len());
                let chains = crate::regen::chains(&manifest.sources);
                assert_eq!(listing.chains.len(), chains.len());
                for (listed, entries) in listing.chains.iter().zip(chains) {
                    let first = &manifest.sources[entries[0]];
                    assert_eq!(listed.entries, entries);
                    assert_eq!(first.chain(), (&*listed.document, &*listed.locale));
                    let mut key = FoldKey::default();
                    entries.iter().for_each(|&i| key.add(&manifest.sources[i]));
                    assert_eq!(listed.fold_key, key.finish());
                }
                assert_eq!(listing.source_digest, emit::source_digest(&manifest));
                // Read as a recorded manifest, entry by entry, the same entries.
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(crate::manifest::FILE_NAME);
                fs::write(&path, text).unwrap();
                let mut recorded = Vec::new();
                read_recorded_entries(&path, threads, &mut |first, entries| {
                    recorded.truncate(first);
                    recorded.extend(entries);
                    Ok(())
                })
                .unwrap();
                assert_eq!(recorded, manifest.sources);
            }
        }
    }

    /// A recorded manifest's entries are not checked against each other, since its
    /// bytes passed that check when they were recorded; each still is on its own.
    #[test]
    fn a_recorded_manifest_is_checked_an_entry_at_a_time() {
        let real = real();
        let first_entry = real.find("\nsources:\n").unwrap() + "\nsources:\n".len();
        let repeated = format!("{real}{}", &real[first_entry..]);
        let wrong = real.replacen("  sha256: ", "  sha256: X", 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::manifest::FILE_NAME);
        let read = |text: &str| {
            fs::write(&path, text).unwrap();
            read_recorded_entries(&path, 1, &mut |_, _| Ok(()))
        };
        assert!(Manifest::parse(&repeated).is_err());
        assert!(read(&repeated).is_ok());
        let expected = Manifest::parse(&wrong).unwrap_err().to_string();
        match read(&wrong) {
            Err(RegenError::Manifest { source, .. }) => assert_eq!(source.to_string(), expected),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn entries_come_in_order_and_again_from_the_first_when_the_manifest_is_read_whole() {
        for (text, again) in [(long(), false), (late_alias(), true)] {
            let expected = Manifest::parse(&text).unwrap().sources;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(crate::manifest::FILE_NAME);
            fs::write(&path, &text).unwrap();
            let mut handed: Vec<(usize, Vec<SourceEntry>)> = Vec::new();
            let keys = read_entries(&path, 1, &mut |first, entries| {
                handed.push((first, entries));
                Ok(())
            })
            .unwrap();
            assert_eq!(keys, Keys::of(&expected));
            let last_pass = handed.iter().rposition(|(first, _)| *first == 0).unwrap();
            assert_eq!(last_pass > 0, again, "{} batches", handed.len());
            let mut entries = Vec::new();
            for (first, batch) in handed.drain(last_pass..) {
                assert_eq!(first, entries.len());
                entries.extend(batch);
            }
            assert_eq!(entries, expected);
        }
    }

    #[test]
    fn a_listing_refuses_what_the_whole_manifest_does_with_the_same_error() {
        let real = real();
        let long = long();
        let first_entry = real.find("\nsources:\n").unwrap() + "\nsources:\n".len();
        let repeated = format!("{real}{}", &real[first_entry..]);
        // The `n`th entry in en-us, its locale made wrong.
        let bad_locale = |text: &str, n: usize| {
            let sources = text.find("\nsources:\n").unwrap();
            let at = sources
                + text[sources..]
                    .match_indices("  locale: en-us\n")
                    .nth(n)
                    .unwrap()
                    .0;
            format!(
                "{}  locale: EN{}",
                &text[..at],
                &text[at + "  locale: en-us".len()..]
            )
        };
        let texts = [
            bad_locale(real, 2),
            bad_locale(&long, 700),
            repeated.clone(),
            // A repeat before a wrong entry is named first, and a wrong entry before
            // a repeat.
            bad_locale(&repeated, 7),
            bad_locale(&repeated, 1),
            // A wrong entry, then an entry that does not stand alone, which sends
            // the whole manifest to the whole-document parser.
            {
                let mut text = bad_locale(&long, 3);
                let last_format = text.rfind("  format: ").unwrap() + "  format: ".len();
                text.insert_str(last_format, "*undefined ");
                text
            },
            {
                let at = real.rfind("  locale: ja-jp\n").unwrap() + "  locale: ".len();
                format!("{}[{}", &real[..at], &real[at..])
            },
            real.replacen("  url: https://raw.", "  url: ftp://raw.", 1),
            real.replacen("  sha256: ", "  sha256: X", 1),
            "sources: []\nsources: []\n".to_owned(),
        ];
        for text in &texts {
            let expected = Manifest::parse(text).unwrap_err().to_string();
            for threads in [1, 3] {
                match listed(text, threads) {
                    Err(RegenError::Manifest { source, .. }) => {
                        assert_eq!(source.to_string(), expected)
                    }
                    Err(other) => panic!("{other}"),
                    Ok(_) => panic!("accepted: {expected}"),
                }
            }
        }
    }
}

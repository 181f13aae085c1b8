//! The manifest as regen streams it. The manifest lists every revision, so it grows
//! with them: it is read an entry at a time, each entry checked and written to a
//! temporary file, and what is held of it until the worker that folds its chain
//! reads it back is its place there.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::ops::Range;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::emit::{self, spill::Spill};
use crate::manifest::{self, Manifest, ManifestError, SourceEntry, Splitter, Upstream, Validator};
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
        let file = fs::File::open(path).map_err(io_error(path))?;
        match Self::by_entry(path, BufReader::new(file), threads)? {
            Some(listing) => Ok(listing),
            // Not in the shape that parses an entry at a time: parsed whole, which
            // also gives errors their lines.
            None => {
                let text = fs::read_to_string(path).map_err(io_error(path))?;
                let manifest = Manifest::parse(&text).map_err(manifest_error(path))?;
                let mut builder = Builder::new()?;
                for entry in manifest.sources {
                    builder.add(entry)?;
                }
                builder.finish(path, &manifest.upstreams)
            }
        }
    }

    /// The listing read a line at a time, its entries parsed a batch at a time; None
    /// unless the manifest is in the shape [`Splitter`] reads and each entry stands
    /// alone.
    fn by_entry(
        path: &Path,
        mut reader: impl BufRead,
        threads: usize,
    ) -> Result<Option<Listing>, RegenError> {
        // Entries parsed at a time: enough to share among the threads, few enough
        // to hold.
        let batch = manifest::PER_THREAD * threads.max(1);
        let mut builder = Builder::new()?;
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
                if !builder.add_items(&items, threads)? {
                    return Ok(None);
                }
                items.clear();
            }
        }
        let Ok((last, head)) = splitter.finish() else {
            return Ok(None);
        };
        items.extend(last);
        if !builder.add_items(&items, threads)? {
            return Ok(None);
        }
        let Some(head) = manifest::parse_head(&head) else {
            return Ok(None);
        };
        builder.finish(path, &head.upstreams).map(Some)
    }

    /// The entry at `index`, read back.
    pub fn entry(&self, index: usize) -> Result<SourceEntry, RegenError> {
        let bytes = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read(self.places[index].clone())
            .map_err(RegenError::Spill)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| RegenError::Spill(io::Error::new(io::ErrorKind::InvalidData, e)))
    }
}

/// A document in one locale, and its entries' indices, in manifest order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub document: String,
    pub locale: String,
    pub entries: Vec<usize>,
}

/// A listing being built, an entry at a time, in manifest order.
struct Builder {
    validator: Validator,
    chains: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
    entries: Spill,
    places: Vec<Range<u64>>,
    /// The first wrong entry. Reading goes on past it, since an entry that does not
    /// stand alone sends the whole manifest to the whole-document parser, whose
    /// errors come first.
    wrong: Option<ManifestError>,
}

impl Builder {
    fn new() -> Result<Self, RegenError> {
        Ok(Builder {
            validator: Validator::default(),
            chains: BTreeMap::new(),
            entries: Spill::new().map_err(RegenError::Spill)?,
            places: Vec::new(),
            wrong: None,
        })
    }

    /// Parses and adds the items a [`Splitter`] gave; false unless each is one entry
    /// that stands alone.
    fn add_items(&mut self, items: &[String], threads: usize) -> Result<bool, RegenError> {
        let Some(entries) = manifest::parse_items(items, threads) else {
            return Ok(false);
        };
        for entry in entries {
            self.add(entry)?;
        }
        Ok(true)
    }

    fn add(&mut self, entry: SourceEntry) -> Result<(), RegenError> {
        if self.wrong.is_some() {
            return Ok(());
        }
        if let Err(wrong) = self.validator.entry(&entry) {
            self.wrong = Some(wrong);
            return Ok(());
        }
        let json = serde_json::to_string(&entry).map_err(|e| RegenError::Spill(e.into()))?;
        let place = self.entries.push(&json).map_err(RegenError::Spill)?;
        let index = self.places.len();
        self.places.push(place);
        self.chains
            .entry(entry.document)
            .or_default()
            .entry(entry.locale)
            .or_default()
            .push(index);
        Ok(())
    }

    fn finish(self, path: &Path, upstreams: &[Upstream]) -> Result<Listing, RegenError> {
        let keys = match self.wrong {
            Some(wrong) => Err(wrong),
            None => self.validator.finish(upstreams),
        }
        .map_err(manifest_error(path))?;
        Ok(Listing {
            chains: self
                .chains
                .into_iter()
                .flat_map(|(document, locales)| {
                    locales.into_iter().map(move |(locale, entries)| Chain {
                        document: document.clone(),
                        locale,
                        entries,
                    })
                })
                .collect(),
            source_digest: emit::source_digest_of(&keys),
            entries: Mutex::new(self.entries),
            places: self.places,
        })
    }
}

fn manifest_error(path: &Path) -> impl FnOnce(ManifestError) -> RegenError + '_ {
    move |source| RegenError::Manifest {
        path: path.to_owned(),
        source,
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
                }
                assert_eq!(listing.source_digest, emit::source_digest(&manifest));
            }
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

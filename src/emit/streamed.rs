//! The changelog's three files, rendered pair by pair into a spill as regen folds
//! each chain, so that regen holds where each change's text is but never the text:
//! a chain's memory grows with its length by a few ranges a revision, not by its
//! history (`tests/memory.rs`). Byte for byte what the in-memory renderers give
//! (`tests/regen.rs`).

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::{Mutex, MutexGuard};

use crate::catalog::Conflict;
use crate::diff::{DocumentChanges, DocumentCodes, DocumentTitle, RevisionChanges, SOURCE_LOCALE};
use crate::model::Revision;

use super::changelog::{self as render, ATOM_TAIL};
use super::spill::{Piece, Pieces, Spill};
use super::{indent_into, open_envelope, pretty, Digest, Versions};

/// The compared pairs of the chains being folded, rendered, and their revisions'
/// code sets: each worker appends every pair as soon as it has compared it, and
/// every code set as soon as it has its revision, so that a chain's history waits
/// on disk, not in memory, until [`ChangelogSpill::add`] copies it out.
pub struct PairSpill(Mutex<Spill>);

impl PairSpill {
    pub fn new() -> io::Result<Self> {
        Ok(PairSpill(Mutex::new(Spill::new()?)))
    }

    fn lock(&self) -> MutexGuard<'_, Spill> {
        crate::lock(&self.0)
    }
}

/// Where one compared pair's `revisions` element and Markdown are in the
/// [`PairSpill`].
struct SpilledPair {
    json: Range<u64>,
    markdown: Range<u64>,
}

/// An Atom entry in a spill: its timestamp, its pair's place in its chain, and
/// its range.
type AtomEntry = (String, usize, Range<u64>);

/// The last pair's renderings and the last code set's line, kept to render the
/// next into.
#[derive(Default)]
struct Rendered {
    json: String,
    markdown: String,
    atom: String,
    timestamp: String,
    set: String,
}

/// What a chain's fold handed over for one of its revisions, as the record of the
/// fold keeps it (`cache::FoldRecord`): [`ChainChanges::replay`] hands it over again.
pub struct Recorded<'a> {
    pub title: Cow<'a, str>,
    /// Its code set's line.
    pub set: Cow<'a, str>,
    /// When a revision came before it, their pair's renderings: its `revisions`
    /// element, its Markdown, its Atom entry, and the entry's timestamp.
    pub pair: Option<[Cow<'a, str>; 4]>,
}

/// What one chain (a document in one locale) hands over.
pub struct ChainChanges {
    pub document: String,
    pub locale: String,
    /// Its pairs in the [`PairSpill`], oldest first.
    pairs: Vec<SpilledPair>,
    /// Its newest pairs' Atom entries in the [`PairSpill`]: no more than twice what
    /// the feed carries.
    atom: Vec<AtomEntry>,
    rendered: Rendered,
    /// Each revision's codes in the [`PairSpill`], a line each, in manifest order.
    sets: Vec<Range<u64>>,
    /// Its revisions' best title.
    title: DocumentTitle,
}

impl ChainChanges {
    pub fn new(document: String, locale: String) -> Self {
        ChainChanges {
            document,
            locale,
            pairs: Vec::new(),
            atom: Vec::new(),
            rendered: Rendered::default(),
            sets: Vec::new(),
            title: DocumentTitle::default(),
        }
    }

    /// Takes in the title of the chain's revision at `index` in the manifest.
    pub fn add_title(&mut self, index: usize, title: &str) {
        self.title.add(index, &self.locale, title);
    }

    /// Writes the label and codes of the chain's next revision to `spill`, for drift:
    /// a document's code sets wait there until its last chain is in.
    pub fn add_set(&mut self, spill: &PairSpill, revision: &Revision) -> io::Result<()> {
        let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
        self.rendered.set =
            serde_json::to_string(&(&revision.revision, codes)).map_err(io::Error::other)?;
        self.push_set(spill)
    }

    fn push_set(&mut self, spill: &PairSpill) -> io::Result<()> {
        self.sets.push(spill.lock().push(&self.rendered.set)?);
        Ok(())
    }

    /// Renders the chain's next compared pair into `spill`.
    pub fn add_pair(&mut self, spill: &PairSpill, pair: &RevisionChanges) -> io::Result<()> {
        let rendered = &mut self.rendered;
        // An element of `documents[].revisions`, four levels deep.
        rendered.json.clear();
        rendered.json.push_str("        ");
        indent_into(&mut rendered.json, &pretty(pair), "        ");
        rendered.markdown.clear();
        render::pair_md(&mut rendered.markdown, pair, render::FROM_GENERATED);
        rendered.atom.clear();
        render::atom_entry(&mut rendered.atom, pair);
        rendered.timestamp = render::timestamp(pair.new.date.as_deref());
        self.push_pair(spill)
    }

    fn push_pair(&mut self, spill: &PairSpill) -> io::Result<()> {
        let rendered = &self.rendered;
        let (json, markdown, atom) = {
            let mut spill = spill.lock();
            (
                spill.push(&rendered.json)?,
                spill.push(&rendered.markdown)?,
                spill.push(&rendered.atom)?,
            )
        };
        let timestamp = rendered.timestamp.clone();
        self.atom.push((timestamp, self.pairs.len(), atom));
        self.pairs.push(SpilledPair { json, markdown });
        if self.atom.len() >= 2 * render::FEED_ENTRIES {
            newest_of_chain(&mut self.atom);
        }
        Ok(())
    }

    /// What the last [`Self::add_set`], and the [`Self::add_pair`] before it when
    /// the revision had one, handed over, for the record of the fold.
    pub fn recorded<'a>(&'a self, title: &'a str, paired: bool) -> Recorded<'a> {
        let rendered = &self.rendered;
        Recorded {
            title: Cow::Borrowed(title),
            set: Cow::Borrowed(&rendered.set),
            pair: paired.then(|| {
                [
                    &rendered.json,
                    &rendered.markdown,
                    &rendered.atom,
                    &rendered.timestamp,
                ]
                .map(|text| Cow::Borrowed(text.as_str()))
            }),
        }
    }

    /// Hands over again what [`Self::recorded`] kept of a revision: its pair, if it
    /// had one, then its code set.
    pub fn replay(&mut self, spill: &PairSpill, recorded: Recorded) -> io::Result<()> {
        if let Some([json, markdown, atom, timestamp]) = recorded.pair {
            let rendered = &mut self.rendered;
            rendered.json = json.into_owned();
            rendered.markdown = markdown.into_owned();
            rendered.atom = atom.into_owned();
            rendered.timestamp = timestamp.into_owned();
            self.push_pair(spill)?;
        }
        self.rendered.set = recorded.set.into_owned();
        self.push_set(spill)
    }
}

/// Keeps the feed's entries of one chain's `atom`: the newest, newest first, and
/// on a tie the later pair first, as the changelog lists them.
fn newest_of_chain(atom: &mut Vec<AtomEntry>) {
    atom.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    atom.truncate(render::FEED_ENTRIES);
}

/// One chain's pairs in the spill, newest first as the changelog lists them: its
/// `revisions` elements joined by commas, and its Markdown, one range each.
struct SpilledChain {
    translated: bool,
    json: Range<u64>,
    markdown: Range<u64>,
    /// Its newest pairs' Atom entries and their timestamps, newest first: no more
    /// than the feed carries.
    atom: Vec<(String, Range<u64>)>,
}

struct Document {
    document: String,
    title: String,
    /// Its chains with pairs, in changelog order: en-us first.
    chains: Vec<(Range<u64>, Range<u64>)>,
}

/// The document whose chains are still arriving.
struct Open {
    document: String,
    title: DocumentTitle,
    /// Each chain's locale, and its code sets in the changelog's spill.
    sets: Vec<(String, Range<u64>)>,
    chains: Vec<SpilledChain>,
}

/// Takes chains in (document, locale) order, each chain's pairs oldest first.
pub struct ChangelogSpill {
    spill: Spill,
    documents: Vec<Document>,
    /// Each document's drift, where it has any: its `drift` elements joined by
    /// commas, and its Markdown lines.
    drift: Vec<(Range<u64>, Range<u64>)>,
    /// The newest pairs' Atom entries and timestamps so far, in changelog order on
    /// a tie: never more than twice what the feed carries.
    atom: Vec<(String, Range<u64>)>,
    open: Option<Open>,
}

impl ChangelogSpill {
    pub fn new() -> io::Result<Self> {
        Ok(ChangelogSpill {
            spill: Spill::new()?,
            documents: Vec::new(),
            drift: Vec::new(),
            atom: Vec::new(),
            open: None,
        })
    }

    /// Takes in the next chain, copying its pairs, newest first, and its code sets
    /// out of `pairs`.
    pub fn add(&mut self, chain: ChainChanges, pairs: &PairSpill) -> io::Result<()> {
        if self
            .open
            .as_ref()
            .is_some_and(|open| open.document != chain.document)
        {
            self.close()?;
        }
        let open = self.open.get_or_insert_with(|| Open {
            document: chain.document.clone(),
            title: DocumentTitle::default(),
            sets: Vec::new(),
            chains: Vec::new(),
        });
        open.title.merge(chain.title);
        let translated = chain.locale != SOURCE_LOCALE;
        let mut from = pairs.lock();
        let sets = self.spill.join_from(&mut from, chain.sets, "\n")?;
        open.sets.push((chain.locale, sets));
        if chain.pairs.is_empty() {
            return Ok(());
        }
        let newest_first = || chain.pairs.iter().rev();
        let json =
            self.spill
                .join_from(&mut from, newest_first().map(|p| p.json.clone()), ",\n")?;
        let markdown =
            self.spill
                .join_from(&mut from, newest_first().map(|p| p.markdown.clone()), "")?;
        let mut kept = chain.atom;
        newest_of_chain(&mut kept);
        let mut atom = Vec::with_capacity(kept.len());
        for (timestamp, _, range) in kept {
            atom.push((timestamp, self.spill.join_from(&mut from, [range], "")?));
        }
        open.chains.push(SpilledChain {
            translated,
            json,
            markdown,
            atom,
        });
        Ok(())
    }

    /// The open document is complete: its title, its pairs in changelog order, its
    /// locale drift. The same rules as [`crate::diff::assemble`] and
    /// [`crate::diff::drift`].
    fn close(&mut self) -> io::Result<()> {
        let Some(mut open) = self.open.take() else {
            return Ok(());
        };
        let title = open.title.title();
        let mut codes = DocumentCodes::new(&open.document);
        for (locale, range) in open.sets {
            self.spill.read_lines(range, |line| {
                let (revision, set): (String, Vec<String>) =
                    serde_json::from_slice(line).map_err(io::Error::other)?;
                codes.add(&locale, &revision, set.iter().map(String::as_str));
                Ok(())
            })?;
        }
        let drift = codes.drift();
        if !drift.is_empty() {
            let json = self.spill.join(
                drift.iter().map(|drift| {
                    // An element of `drift`, two levels deep.
                    let mut json = String::from("    ");
                    indent_into(&mut json, &pretty(drift), "    ");
                    json
                }),
                ",\n",
            )?;
            let markdown = self.spill.join(
                drift.iter().map(|drift| {
                    let mut line = String::new();
                    render::drift_md(&mut line, drift);
                    line
                }),
                "",
            )?;
            self.drift.push((json, markdown));
        }
        // The source locale's chain first, then the translations' in reverse locale
        // order: what reversing every pair, then moving the source's first, gives.
        open.chains.reverse();
        open.chains.sort_by_key(|chain| chain.translated);
        let mut chains = Vec::with_capacity(open.chains.len());
        for chain in open.chains {
            self.atom.extend(chain.atom);
            if self.atom.len() >= 2 * render::FEED_ENTRIES {
                newest(&mut self.atom);
            }
            chains.push((chain.json, chain.markdown));
        }
        self.documents.push(Document {
            document: open.document,
            title,
            chains,
        });
        Ok(())
    }

    /// Every chain is in: the changelog's body, whose digest the dataset version
    /// needs, and what renders the three files once that version is known.
    pub fn finish(mut self, conflicts: &[Conflict]) -> io::Result<StreamedChangelog> {
        self.close()?;
        let file = self.spill.finish()?;
        let mut json = vec![Piece::Text("{\n  \"documents\": [".to_owned())];
        for (i, document) in self.documents.iter().enumerate() {
            let head = DocumentChanges {
                document: document.document.clone(),
                title: document.title.clone(),
                revisions: Vec::new(),
            };
            let mut alone = String::from(if i == 0 { "\n    " } else { ",\n    " });
            indent_into(&mut alone, &pretty(&head), "    ");
            if document.chains.is_empty() {
                json.push(Piece::Text(alone));
                continue;
            }
            // `"revisions": []` opens for the pairs.
            let at = alone.rfind("[]").unwrap_or(alone.len());
            let (open, close) = alone.split_at(at + 1);
            json.push(Piece::Text(format!("{open}\n")));
            for (j, (pairs, _)) in document.chains.iter().enumerate() {
                if j > 0 {
                    json.push(Piece::Static(",\n"));
                }
                json.push(Piece::Spilled(pairs.clone()));
            }
            json.push(Piece::Text(format!("\n      {close}")));
        }
        json.push(Piece::Static(if self.documents.is_empty() {
            "],\n  \"drift\": ["
        } else {
            "\n  ],\n  \"drift\": ["
        }));
        for (i, (drift, _)) in self.drift.iter().enumerate() {
            json.push(Piece::Static(if i == 0 { "\n" } else { ",\n" }));
            json.push(Piece::Spilled(drift.clone()));
        }
        let mut tail = String::from(if self.drift.is_empty() { "]" } else { "\n  ]" });
        tail.push_str(",\n  \"conflicts\": ");
        indent_into(&mut tail, &pretty(conflicts), "  ");
        tail.push_str("\n}");
        json.push(Piece::Text(tail));
        let digest = Pieces::digest(Some(&file), &json)?;

        let mut markdown = Vec::new();
        for document in &self.documents {
            let mut head = String::new();
            render::document_md(
                &mut head,
                &document.document,
                &document.title,
                document.chains.is_empty(),
            );
            markdown.push(Piece::Text(head));
            markdown.extend(
                document
                    .chains
                    .iter()
                    .map(|(_, pairs)| Piece::Spilled(pairs.clone())),
            );
        }
        if !self.drift.is_empty() {
            markdown.push(Piece::Text(render::DRIFT_HEAD.to_owned()));
            markdown.extend(
                self.drift
                    .iter()
                    .map(|(_, line)| Piece::Spilled(line.clone())),
            );
            markdown.push(Piece::Static("\n"));
        }
        markdown.push(Piece::Text(render::conflicts_md(conflicts)));
        let mut atom = self.atom;
        newest(&mut atom);
        Ok(StreamedChangelog {
            file,
            json,
            digest,
            markdown,
            atom,
        })
    }
}

/// Keeps the feed's entries of `atom`, given in changelog order: the newest, newest
/// first, and in that order on a tie. What it drops, no entry after it could bring
/// back.
fn newest(atom: &mut Vec<(String, Range<u64>)>) {
    atom.sort_by(|a, b| b.0.cmp(&a.0));
    atom.truncate(render::FEED_ENTRIES);
}

/// The changelog, spilled: its three files once the versions are known.
pub struct StreamedChangelog {
    file: File,
    json: Vec<Piece>,
    digest: Digest,
    markdown: Vec<Piece>,
    /// Newest first, in changelog order on a tie.
    atom: Vec<(String, Range<u64>)>,
}

impl StreamedChangelog {
    /// The digest of `changelog.json`'s body.
    pub fn digest(&self) -> Digest {
        self.digest
    }

    /// `changelog.json`, `CHANGELOG.md` and `changelog.atom`, each as a reader.
    pub fn files(&self, versions: &Versions) -> [(&'static str, Pieces<'_>); 3] {
        // The envelope goes where the body's `{\n` was; the file ends in a newline.
        let mut first = self.json.first().cloned();
        if let Some(Piece::Text(first)) = &mut first {
            // It opens `"documents"`, always.
            open_envelope(versions, first);
        }
        let json = first
            .into_iter()
            .chain(self.json.iter().skip(1).cloned())
            .chain([Piece::Static("\n")]);
        let markdown = std::iter::once(Piece::Text(render::markdown_head(versions)))
            .chain(self.markdown.iter().cloned());
        let updated = self
            .atom
            .first()
            .map_or_else(|| render::timestamp(None), |(t, _)| t.clone());
        let atom = std::iter::once(Piece::Text(render::atom_head(&updated, versions)))
            .chain(self.atom.iter().map(|(_, r)| Piece::Spilled(r.clone())))
            .chain([Piece::Static(ATOM_TAIL)]);
        [
            ("changelog.json", Pieces::new(Some(&self.file), json)),
            ("CHANGELOG.md", Pieces::new(Some(&self.file), markdown)),
            ("changelog.atom", Pieces::new(Some(&self.file), atom)),
        ]
    }
}

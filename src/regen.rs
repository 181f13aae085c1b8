//! The file-system edge of `cargo xtask regen` and `cargo xtask check`: read the
//! manifest and sources, stream the pipeline's files into a [`Sink`] that writes
//! `generated/` or compares with it. Sources go through a content-addressed ingest
//! cache under `target/errcat-cache/`, which also keeps what each chain's fold
//! produced.
//!
//! Writing is two-phase: every changed file is first written beside its target as a
//! temporary file; only when the whole pipeline has succeeded are they renamed into
//! place. A failure anywhere before that removes the temporaries and leaves
//! `generated/` as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::cache::{self, Cache};
use crate::catalog::{self, Catalog};
use crate::diff::{self, Changelog};
use crate::emit::spill::{Pieces, Spill};
use crate::emit::streamed::{ChainChanges, ChangelogSpill, PairSpill, Recorded};
use crate::emit::{self, Files, HEADER};
use crate::listing::{Chain, Listing};
use crate::manifest::{Manifest, ManifestError, SourceEntry};
use crate::model::Revision;
use crate::paths::{PathLog, Sorted};
use crate::stale;
use crate::{record, IngestError, Source};

pub use crate::stale::{describe, Change, ChangeKind, Excerpt, Report, EXCERPTS, LISTED};

pub const SOURCES: &str = "sources";
pub const GENERATED: &str = "generated";
/// What the pipeline produced when regen or check last ran it, under a dataset's root.
pub const CHECK_RECORD: &str = "target/errcat-cache/checked";

#[derive(Debug, thiserror::Error)]
pub enum RegenError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}{}: {source}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Manifest {
        path: PathBuf,
        /// The line of the entry's field the error is about, where it is found.
        line: Option<usize>,
        source: ManifestError,
    },
    #[error("{file}: sha256 is {actual} but {} says {expected}; a source changed without its manifest entry", manifest_at(*line))]
    Digest {
        file: String,
        expected: String,
        actual: String,
        /// The line of the manifest that gives the file's digest, where it is found.
        line: Option<usize>,
    },
    #[error("a temporary file for the manifest's entries, the changelog or the data files: {0}")]
    Spill(io::Error),
    #[error("{file}{}: {source}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Ingest {
        file: String,
        line: Option<usize>,
        source: IngestError,
    },
}

impl RegenError {
    /// An error in the manifest at `path`, whose text is `text`: about a field of a
    /// source or an upstream, it names the line that gives the field.
    pub(crate) fn manifest(path: &Path, text: &str, source: ManifestError) -> Self {
        let line = match &source {
            ManifestError::Field { index, field, .. } => {
                crate::manifest::field_line(text, "sources", *index, field)
            }
            ManifestError::UpstreamField { index, field, .. } => {
                crate::manifest::field_line(text, "upstreams", *index, field)
            }
            _ => None,
        };
        RegenError::Manifest {
            path: path.to_owned(),
            line,
            source,
        }
    }
}

/// Where in the manifest an entry is, for an error about it.
fn manifest_at(line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{SOURCES}/{}:{line}", crate::manifest::FILE_NAME),
        None => "the manifest".to_owned(),
    }
}

/// The line of the manifest under `root` that gives the `sha256` of the entry whose
/// `file` is `file`, or else its `file` line; looked up only for an error, so the
/// manifest is read again. Its entries are the items [`crate::manifest::Splitter`]
/// reads, each parsed on its own; None for a manifest in any other shape.
fn digest_line(root: &Path, file: &str) -> Option<usize> {
    let text = fs::read_to_string(root.join(SOURCES).join(crate::manifest::FILE_NAME)).ok()?;
    crate::manifest::entry_texts(&text, "sources")?
        .into_iter()
        .find_map(|(first, item)| {
            let entry: Vec<BTreeMap<String, serde_yaml::Value>> =
                serde_yaml::from_str(&item).ok()?;
            if entry.first()?.get("file")?.as_str()? != file {
                return None;
            }
            let line = |key| crate::manifest::key_line(&item, first, key);
            line("sha256").or_else(|| line("file"))
        })
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> RegenError + '_ {
    move |source| RegenError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The manifest and every revision it lists, ingested.
#[derive(Debug)]
pub struct Dataset {
    pub manifest: Manifest,
    pub revisions: Vec<Revision>,
}

/// SHA-256 of a source as the manifest records it: CRLF line endings read as LF, so
/// a checkout that converts line endings still matches.
pub fn content_digest(bytes: &[u8]) -> String {
    if bytes.contains(&b'\r') {
        let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
        crate::sha256_hex(text.as_bytes())
    } else {
        crate::sha256_hex(bytes)
    }
}

pub fn read_manifest(root: &Path) -> Result<Manifest, RegenError> {
    let path = root.join(SOURCES).join(crate::manifest::FILE_NAME);
    let text = fs::read_to_string(&path).map_err(io_error(&path))?;
    Manifest::parse(&text).map_err(|source| RegenError::manifest(&path, &text, source))
}

/// Reads and ingests one source the manifest lists, without the cache.
pub fn ingest_source(root: &Path, entry: &SourceEntry) -> Result<Revision, RegenError> {
    let (bytes, _) = read_source(root, entry)?;
    ingest_entry(entry, &bytes)
}

/// How a load went: how many sources were ingested and how many came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadStats {
    pub ingested: usize,
    pub cached: usize,
}

pub use crate::cache::CACHE_DIR;

/// How to load: threads to ingest on, and whether to use the cache.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub threads: usize,
    pub cache: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            threads: crate::threads(),
            cache: true,
        }
    }
}

pub fn load(root: &Path) -> Result<Dataset, RegenError> {
    load_with(root, LoadOptions::default()).map(|(dataset, _)| dataset)
}

/// Loads every source, on `threads` threads, through the cache when asked.
pub fn load_with(root: &Path, options: LoadOptions) -> Result<(Dataset, LoadStats), RegenError> {
    let manifest = read_manifest(root)?;
    let cache = options.cache.then(|| Cache::new(root));
    let chains = chains(&manifest.sources);
    let results = crate::parallel_map(&chains, options.threads, |chain| {
        let entries = chain.iter().map(|&i| Ok((i, &manifest.sources[i])));
        let mut loaded = Vec::with_capacity(chain.len());
        cache::load_chain(root, entries, cache.as_ref(), |_, one| {
            loaded.push((one.index, one.revision, one.cached));
            Ok(())
        })
        .map(|_| loaded)
    });
    let mut stats = LoadStats::default();
    let mut revisions: Vec<Option<Revision>> = (0..manifest.sources.len()).map(|_| None).collect();
    for result in results {
        for (index, revision, cached) in result? {
            if cached {
                stats.cached += 1;
            } else {
                stats.ingested += 1;
            }
            revisions[index] = Some(revision);
        }
    }
    let revisions = revisions.into_iter().flatten().collect();
    Ok((
        Dataset {
            manifest,
            revisions,
        },
        stats,
    ))
}

/// Reads a source the manifest lists and checks it against its digest; the bytes
/// and their digest.
pub(crate) fn read_source(
    root: &Path,
    entry: &SourceEntry,
) -> Result<(Vec<u8>, String), RegenError> {
    read_checked(root, entry).map_err(|mut error| {
        if let RegenError::Digest { line, .. } = &mut error {
            *line = digest_line(root, &entry.file);
        }
        error
    })
}

/// Whether a source is still the bytes its manifest entry names.
pub(crate) fn source_matches(root: &Path, entry: &SourceEntry) -> bool {
    read_checked(root, entry).is_ok()
}

/// [`read_source`], its errors without the manifest's line.
fn read_checked(root: &Path, entry: &SourceEntry) -> Result<(Vec<u8>, String), RegenError> {
    let relative = format!("{SOURCES}/{}", entry.file);
    let path = root.join(&relative);
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let digest = check_digest(&relative, entry, &bytes)?;
    Ok((bytes, digest))
}

/// Ingests a source's bytes as its manifest entry says.
pub(crate) fn ingest_entry(entry: &SourceEntry, bytes: &[u8]) -> Result<Revision, RegenError> {
    ingest_checked(&format!("{SOURCES}/{}", entry.file), entry, bytes)
}

fn check_digest(relative: &str, entry: &SourceEntry, bytes: &[u8]) -> Result<String, RegenError> {
    let actual = content_digest(bytes);
    if actual != entry.sha256 {
        return Err(RegenError::Digest {
            file: relative.to_owned(),
            expected: entry.sha256.clone(),
            actual,
            line: None,
        });
    }
    Ok(actual)
}

fn ingest_checked(
    relative: &str,
    entry: &SourceEntry,
    bytes: &[u8],
) -> Result<Revision, RegenError> {
    let mut source = Source::new(&entry.document, &entry.revision, relative);
    source.format = Some(entry.format);
    source.locale = Some(entry.locale.clone());
    crate::ingest_bytes(bytes, source).map_err(|source| RegenError::Ingest {
        file: relative.to_owned(),
        line: source.line(),
        source,
    })
}

impl Dataset {
    pub fn catalog(&self) -> Catalog {
        catalog::build(&self.revisions)
    }

    /// Revisions in manifest order, each with its date.
    pub fn dated(&self) -> Vec<diff::Dated<'_>> {
        self.revisions
            .iter()
            .zip(&self.manifest.sources)
            .map(|(r, s)| (r, s.date.as_deref()))
            .collect()
    }

    pub fn changelog(&self, catalog: &Catalog) -> Changelog {
        diff::changelog(&self.dated(), catalog)
    }

    /// The reviewers' HTML page.
    pub fn report(&self) -> String {
        let digest = emit::source_digest(&self.manifest);
        emit::report::html(&self.dated(), &self.catalog(), &digest)
    }

    /// Every file under `generated/`, in memory.
    pub fn outputs(&self) -> Files {
        let catalog = self.catalog();
        let changelog = self.changelog(&catalog);
        emit::outputs(&self.manifest, &self.revisions, &catalog, &changelog)
    }
}

/// Receives each generated file as soon as it is complete, from any of the threads
/// that write them: [`stream`] hands files on from up to `threads` threads at once,
/// in no set order.
pub trait Sink: Sync {
    fn file(&self, path: String, contents: String) -> Result<(), RegenError>;

    /// A file too large to hold, as a reader. By default it is read whole.
    fn file_from(&self, path: String, contents: &mut dyn Read) -> Result<(), RegenError> {
        let mut text = String::new();
        contents
            .read_to_string(&mut text)
            .map_err(io_error(&Path::new(GENERATED).join(&path)))?;
        self.file(path, text)
    }
}

impl Sink for Mutex<Files> {
    fn file(&self, path: String, contents: String) -> Result<(), RegenError> {
        crate::lock(self).insert(path, contents);
        Ok(())
    }
}

/// Passes every file on and records its SHA-256: what the pipeline produced,
/// whatever the disk holds by the time anyone looks.
struct Digesting<'s> {
    inner: &'s dyn Sink,
    record: Mutex<record::Recorder>,
}

impl Digesting<'_> {
    fn add(&self, path: &str, digest: &str) {
        crate::lock(&self.record).add(path, digest);
    }
}

impl Sink for Digesting<'_> {
    fn file(&self, path: String, contents: String) -> Result<(), RegenError> {
        self.add(&path, &crate::sha256_hex(contents.as_bytes()));
        self.inner.file(path, contents)
    }

    fn file_from(&self, path: String, contents: &mut dyn Read) -> Result<(), RegenError> {
        use sha2::Digest as _;
        struct Hashing<'r> {
            inner: &'r mut dyn Read,
            hasher: sha2::Sha256,
        }
        impl Read for Hashing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.inner.read(buf)?;
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
        }
        let mut hashing = Hashing {
            inner: contents,
            hasher: sha2::Sha256::new(),
        };
        self.inner.file_from(path.clone(), &mut hashing)?;
        // Whatever the sink left unread is part of the file too.
        io::copy(&mut hashing, &mut io::sink())
            .map_err(io_error(&Path::new(GENERATED).join(&path)))?;
        self.add(&path, &crate::hex(&hashing.hasher.finalize()));
        Ok(())
    }
}

/// The manifest's chains (a document in one locale), in (document, locale) order,
/// each its entries' indices, in manifest order.
pub(crate) fn chains(sources: &[SourceEntry]) -> Vec<Vec<usize>> {
    crate::group_by(0..sources.len(), |&a, &b| {
        sources[a].chain().cmp(&sources[b].chain())
    })
}

/// What one chain (a document in one locale) contributes, folded revision by
/// revision so that only two revisions are ever held; each compared pair and each
/// revision's code set leave as text in the pair spill, each data file as a record
/// in the spill of data files.
struct ChainFold {
    catalog: catalog::Chain,
    changes: ChainChanges,
    /// Its data files' share of the dataset version.
    dataset: emit::DatasetDigest,
}

impl ChainFold {
    /// Appends `entry`'s data file to the spill of data files, and takes it into the
    /// chain's share of the dataset version.
    fn data_file(
        &mut self,
        spill: &Mutex<Spill>,
        entry: &SourceEntry,
        body: &str,
        digest: &[u8],
    ) -> Result<(), RegenError> {
        let path = emit::data_path_of(&entry.document, &entry.revision, &entry.locale);
        DataFiles::append(&mut crate::lock(spill), &path, body).map_err(RegenError::Spill)?;
        self.dataset.add(&path, digest);
        Ok(())
    }
}

/// The spill of data files read back, a (path, body) at a time, in the order the
/// chains' workers appended them: each thread of the second pass holds one data
/// file at a time, and nothing is held per revision. Only finding where the next
/// file is takes the lock; its path and body are read outside it, at their offsets.
struct DataFiles {
    file: fs::File,
    len: u64,
    next: Mutex<u64>,
}

impl DataFiles {
    /// The head of each record: its path's length and its body's.
    const HEAD: usize = 16;

    /// Appends a data file's record: its path's length and its body's, eight bytes
    /// each, then the path, then the body.
    fn append(spill: &mut Spill, path: &str, body: &str) -> io::Result<()> {
        let mut head = [0; Self::HEAD];
        head[..8].copy_from_slice(&(path.len() as u64).to_le_bytes());
        head[8..].copy_from_slice(&(body.len() as u64).to_le_bytes());
        spill.push_bytes(&head)?;
        spill.push(path)?;
        spill.push(body)?;
        Ok(())
    }

    fn new(file: fs::File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(DataFiles {
            file,
            len,
            next: Mutex::new(0),
        })
    }

    fn next_file(&self) -> io::Result<Option<(String, String)>> {
        let malformed =
            || io::Error::new(io::ErrorKind::InvalidData, "a malformed data-file record");
        let (at, path, body) = {
            let mut next = crate::lock(&self.next);
            if *next >= self.len {
                return Ok(None);
            }
            let mut head = [0; Self::HEAD];
            read_at(&self.file, &mut head, *next)?;
            let [path, body] = [&head[..8], &head[8..]]
                .map(|len| u64::from_le_bytes(len.try_into().expect("eight bytes")));
            let at = *next + Self::HEAD as u64;
            let end = (at.checked_add(path))
                .and_then(|end| end.checked_add(body))
                .filter(|&end| end <= self.len)
                .ok_or_else(malformed)?;
            *next = end;
            (at, path, body)
        };
        let read = |at: u64, len: u64| -> io::Result<String> {
            let mut bytes = vec![0; usize::try_from(len).map_err(|_| malformed())?];
            read_at(&self.file, &mut bytes, at)?;
            String::from_utf8(bytes).map_err(|_| malformed())
        };
        Ok(Some((read(at, path)?, read(at + path, body)?)))
    }
}

/// Fills `buf` from `file` at `offset`, without moving a cursor other threads share.
fn read_at(file: &fs::File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let (mut buf, mut offset) = (buf, offset);
        while !buf.is_empty() {
            match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}

fn fold_chain(
    root: &Path,
    chain: &Chain,
    listing: &Listing,
    cache: Option<&Cache>,
    data_files: &Mutex<Spill>,
    pairs: &PairSpill,
) -> Result<ChainFold, RegenError> {
    let mut fold = ChainFold {
        catalog: catalog::Chain::default(),
        changes: ChainChanges::new(chain.document.clone(), chain.locale.clone()),
        dataset: emit::DatasetDigest::default(),
    };
    // Its entries are read back one at a time, as they are loaded.
    let entries = chain.entries.iter().map(|&i| Ok((i, listing.entry(i)?)));
    let mut record = None;
    if let Some(cache) = cache {
        let path = cache.fold_path(&chain.document, &chain.locale);
        match cache::FoldRecord::open(&path, &chain.fold_key) {
            Some(found) => {
                replay_chain(root, entries, cache, found, &mut fold, data_files, pairs)?;
                return Ok(fold);
            }
            None => record = cache::FoldWriter::create(&path, &chain.fold_key),
        }
    }
    let mut previous: Option<(Revision, Option<String>)> = None;
    cache::load_chain(root, entries, cache, |entry, loaded: cache::Loaded| {
        let revision = loaded.revision;
        fold.data_file(data_files, entry, &loaded.body, &loaded.digest)?;
        drop(loaded.body);
        fold.catalog.add(&revision);
        let date = entry.date.clone();
        if let Some((old, old_date)) = &previous {
            let pair = diff::revisions(old, &revision, (old_date.as_deref(), date.as_deref()));
            fold.changes
                .add_pair(pairs, &pair)
                .map_err(RegenError::Spill)?;
        }
        fold.changes
            .add_set(pairs, &revision)
            .map_err(RegenError::Spill)?;
        if let Some(record) = &mut record {
            write_recorded(
                record,
                &fold.changes.recorded(&revision.title, previous.is_some()),
            );
        }
        fold.changes.add_title(loaded.index, &revision.title);
        previous = Some((revision, date));
        Ok(())
    })?;
    // The chain's share of the catalogue lives on, and was allocated piece by piece
    // between each revision's transient allocations. Copied together once the last
    // revision is gone, it no longer pins the holes they left in the worker's heap:
    // at 360 revisions a document and 2 threads, 1.4 MB less peak RSS.
    drop(previous);
    fold.catalog = fold.catalog.clone();
    if let Some(mut record) = record {
        if let Ok(share) = serde_json::to_string(&fold.catalog) {
            record.piece(&share);
            record.commit();
        }
    }
    Ok(fold)
}

/// Hands over again what a chain's last fold handed over, as its record keeps it,
/// while its data files go to the spill as a fold sends them: the sources are read
/// and checked, and each body comes from the pack, unparsed.
fn replay_chain(
    root: &Path,
    entries: impl Iterator<Item = Result<(usize, SourceEntry), RegenError>>,
    cache: &Cache,
    mut record: cache::FoldRecord,
    fold: &mut ChainFold,
    data_files: &Mutex<Spill>,
    pairs: &PairSpill,
) -> Result<(), RegenError> {
    cache::load_chain(
        root,
        entries,
        Some(cache),
        |entry, loaded: cache::Loaded<()>| {
            fold.data_file(data_files, entry, &loaded.body, &loaded.digest)?;
            let recorded = read_recorded(&mut record)?;
            fold.changes.add_title(loaded.index, &recorded.title);
            fold.changes
                .replay(pairs, recorded)
                .map_err(RegenError::Spill)?;
            Ok(())
        },
    )?;
    let share = record.piece()?;
    let catalog: catalog::Chain = serde_json::from_str(&share).map_err(|e| record.error(e))?;
    drop(share);
    // Copied together, as a fold's is.
    fold.catalog = catalog.clone();
    Ok(())
}

/// A revision's part of the record of its chain's fold: its title, its code set, and
/// `-`, or `+` and its pair's four renderings.
fn write_recorded(record: &mut cache::FoldWriter, recorded: &Recorded) {
    record.piece(&recorded.title);
    record.piece(&recorded.set);
    match &recorded.pair {
        None => record.piece("-"),
        Some(pair) => {
            record.piece("+");
            for text in pair {
                record.piece(text);
            }
        }
    }
}

fn read_recorded(record: &mut cache::FoldRecord) -> Result<Recorded<'static>, RegenError> {
    let title = record.piece()?.into();
    let set = record.piece()?.into();
    let pair = match record.piece()?.as_str() {
        "-" => None,
        "+" => Some([
            record.piece()?.into(),
            record.piece()?.into(),
            record.piece()?.into(),
            record.piece()?.into(),
        ]),
        other => return Err(record.error(format!("not a pair's mark: {other:?}"))),
    };
    Ok(Recorded { title, set, pair })
}

/// Runs the whole pipeline and hands every file of `generated/` to `sink`, holding
/// the catalogue but neither the revisions nor the changes: the first pass folds each
/// chain two revisions at a time, spilling each revision's data-file body and code
/// set and each compared pair as text to temporary files; the second, once the
/// dataset version is known, reads the data files and the changelog's files back
/// from them and hands them to `sink` on every thread. Through the cache, a chain
/// none of whose entries changed since its last fold is replayed from the record of
/// that fold instead.
pub fn stream(root: &Path, options: LoadOptions, sink: &dyn Sink) -> Result<(), RegenError> {
    let path = root.join(SOURCES).join(crate::manifest::FILE_NAME);
    let listing = Listing::read(&path, options.threads)?;
    let cache = options.cache.then(|| Cache::new(root));
    let cache = cache.as_ref();
    let data_files = Mutex::new(Spill::new().map_err(RegenError::Spill)?);
    let pairs = PairSpill::new().map_err(RegenError::Spill)?;
    let mut changes = ChangelogSpill::new().map_err(RegenError::Spill)?;
    let merger = catalog::Merger::default();
    let mut dataset = emit::DatasetDigest::default();
    crate::parallel_each(
        &listing.chains,
        options.threads,
        |chain| {
            let fold = fold_chain(root, chain, &listing, cache, &data_files, &pairs)?;
            merger.add(fold.catalog);
            Ok((fold.changes, fold.dataset))
        },
        |fold: Result<_, RegenError>| {
            let (chain_changes, chain_dataset) = fold?;
            dataset.merge(chain_dataset);
            changes
                .add(chain_changes, &pairs)
                .map_err(RegenError::Spill)
        },
    )?;
    // What the second pass needs of each revision is in the spill of data files,
    // and every pair and code set has been copied out of the pair spill.
    let source_digest = listing.source_digest.clone();
    drop(listing);
    drop(pairs);
    let data_files = crate::unlocked(data_files)
        .finish()
        .map_err(RegenError::Spill)?;
    give_back_free_memory();
    let catalog = merger.finish(options.threads);
    // Everything that needs the catalogue, at once: the changelog's conflicts, the
    // crate's tables and `catalog.json`, which the dataset version needs.
    let ((changelog, tables), (catalog_body, catalog_digest)) = emit::both(
        options.threads > 1,
        || {
            let changelog = changes.finish(&catalog.conflicts);
            (changelog, emit::codes::CrateTables::of(&catalog))
        },
        || emit::catalog_pieces(&catalog, options.threads),
    );
    let changelog = changelog.map_err(RegenError::Spill)?;
    dataset.add("catalog.json", &catalog_digest);
    dataset.add("changelog.json", &changelog.digest());
    let versions = emit::versions(source_digest, dataset);

    // Every file goes to the sink. The data files are most of the bytes, and the
    // first pass left them in one temporary file, read back a file at a time by
    // whichever thread is free. On one thread they go first; on more, this thread
    // writes the rest while the others take the data files, then joins them. The
    // catalogue's memory came from the fold's threads' heaps, which glibc hands on to
    // threads started later and not to this one: on more than one thread, the first
    // of the others frees it before its data files. Freed by this thread beside
    // them, it waited on their heaps' locks, three times as long as it takes alone.
    let data = DataFiles::new(data_files).map_err(RegenError::Spill)?;
    let stop = AtomicBool::new(false);
    let write_data = || -> Result<(), RegenError> {
        while !stop.load(Ordering::Relaxed) {
            let next = data.next_file().map_err(RegenError::Spill)?;
            let Some((path, body)) = next else {
                return Ok(());
            };
            sink.file(path, emit::envelope(&versions, body))?;
        }
        Ok(())
    };
    let write_rest = || -> Result<(), RegenError> {
        for (path, mut pieces) in changelog.files(&versions) {
            sink.file_from(path.to_owned(), &mut pieces)?;
        }
        let catalog_file = emit::envelope_pieces(&versions, catalog_body);
        sink.file_from(
            "catalog.json".to_owned(),
            &mut Pieces::new(None, catalog_file),
        )?;
        let mut result = Ok(());
        emit::finish(&versions, &tables, &mut |path, contents| {
            if result.is_ok() {
                result = sink.file(path, contents);
            }
        });
        result
    };
    // The first error stops every thread at its next data file.
    let halting = |written: Result<(), RegenError>| {
        written.inspect_err(|_| stop.store(true, Ordering::Relaxed))
    };
    let mut catalog = Some(catalog);
    let written = std::thread::scope(|scope| {
        let others: Vec<_> = (1..options.threads)
            .map(|_| {
                let catalog = catalog.take();
                scope.spawn(|| {
                    drop(catalog);
                    halting(write_data())
                })
            })
            .collect();
        let mine = if others.is_empty() {
            write_data().and_then(|()| write_rest())
        } else {
            halting(write_rest()).and_then(|()| halting(write_data()))
        };
        others.into_iter().fold(mine, |first, other| {
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            first.and(other)
        })
    });
    drop(catalog);
    written
}

/// Returns the free pages of every malloc heap to the system. The fold frees what it
/// allocated for each revision inside the workers' heaps, and the catalogue's files
/// render after it on other threads, which reuse little of that memory: left resident,
/// it was part of the peak, and at two threads it grew with the number of revisions
/// folded (BENCHMARKS.md, "What memory grows with").
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives free memory back; it takes the allocator's locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Reads the sources and renders everything, writing nothing.
pub fn generate(root: &Path) -> Result<Files, RegenError> {
    generate_with(root, LoadOptions::default())
}

/// [`generate`] with `options`: [`stream`] into memory.
pub fn generate_with(root: &Path, options: LoadOptions) -> Result<Files, RegenError> {
    let files = Mutex::new(Files::new());
    stream(root, options, &files)?;
    Ok(crate::unlocked(files))
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The first [`LISTED`] files written, by path.
    pub updated: Vec<String>,
    /// How many files were written, and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// The generated files removed, by path.
    pub removed: Vec<String>,
}

/// Suffix of the temporaries written in the first phase.
pub const TEMP_SUFFIX: &str = ".regen-tmp";

/// Stages each changed file beside its target; [`Stager::commit`] renames them all
/// into place and removes generated files no longer produced.
pub struct Stager {
    base: PathBuf,
    logs: Mutex<Logs>,
}

/// What a stager keeps of the files it was handed.
#[derive(Default)]
struct Logs {
    /// Every file produced, by its path under `generated/`.
    produced: PathLog,
    /// Those whose temporary waits beside them to be renamed into place.
    staged: PathLog,
    bytes: u64,
}

impl Stager {
    pub fn new(root: &Path) -> Self {
        Stager {
            base: root.join(GENERATED),
            logs: Mutex::default(),
        }
    }

    /// Logs a file produced, and when it was `staged`, the bytes of the temporary
    /// that waits beside it.
    fn produced(&self, path: &str, staged: Option<u64>) -> Result<(), RegenError> {
        let mut logs = crate::lock(&self.logs);
        logs.produced.push(path).map_err(RegenError::Spill)?;
        if let Some(bytes) = staged {
            logs.staged.push(path).map_err(RegenError::Spill)?;
            logs.bytes += bytes;
        }
        Ok(())
    }

    /// Removes every temporary: `generated/` stays as it was.
    pub fn abort(self) {
        let logs = crate::unlocked(self.logs);
        for path in logs
            .staged
            .sorted()
            .into_iter()
            .flatten()
            .map_while(Result::ok)
        {
            let _ = fs::remove_file(temp_path(&self.base.join(path)));
        }
    }

    pub fn commit(self) -> Result<Written, RegenError> {
        let logs = crate::unlocked(self.logs);
        let mut written = Written {
            files: logs.staged.len(),
            bytes: logs.bytes,
            ..Written::default()
        };
        for path in logs.staged.sorted().map_err(RegenError::Spill)? {
            let path = path.map_err(RegenError::Spill)?;
            let target = self.base.join(&path);
            fs::rename(temp_path(&target), &target).map_err(io_error(&target))?;
            if written.updated.len() < LISTED {
                written.updated.push(path);
            }
        }
        let mut removed = Vec::new();
        let produced = logs.produced.sorted().map_err(RegenError::Spill)?;
        each_extra(&self.base, produced, &mut |path, relative| {
            removed.push((path, relative))
        })
        .map_err(RegenError::Spill)?;
        for (path, _) in &removed {
            fs::remove_file(path).map_err(io_error(path))?;
        }
        written.removed = removed.into_iter().map(|(_, relative)| relative).collect();
        Ok(written)
    }
}

impl Sink for Stager {
    fn file(&self, path: String, contents: String) -> Result<(), RegenError> {
        let target = self.base.join(&path);
        if fs::read(&target).is_ok_and(|on_disk| on_disk == contents.as_bytes()) {
            return self.produced(&path, None);
        }
        let parent = target.parent().unwrap_or(&self.base).to_owned();
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let temp = temp_path(&target);
        // Staged before it is written, so that a failure part-way removes it too.
        self.produced(&path, Some(contents.len() as u64))?;
        fs::write(&temp, contents).map_err(io_error(&temp))
    }

    /// Writes the temporary as it reads, comparing with the file on disk.
    fn file_from(&self, path: String, contents: &mut dyn Read) -> Result<(), RegenError> {
        let target = self.base.join(&path);
        let parent = target.parent().unwrap_or(&self.base).to_owned();
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let temp = temp_path(&target);
        let file = fs::File::create(&temp).map_err(io_error(&temp))?;
        let mut out = io::BufWriter::new(file);
        let mut bytes = 0;
        let written = stale::read_comparing(contents, &target, false, &mut |chunk| {
            bytes += chunk.len() as u64;
            out.write_all(chunk)
        })
        .and_then(|(differs, _)| out.flush().map(|()| differs.is_none()));
        drop(out);
        match written {
            Ok(true) => {
                fs::remove_file(&temp).map_err(io_error(&temp))?;
                self.produced(&path, None)
            }
            Ok(false) => self.produced(&path, Some(bytes)).inspect_err(|_| {
                let _ = fs::remove_file(&temp);
            }),
            Err(e) => {
                let _ = fs::remove_file(&temp);
                Err(io_error(&target)(e))
            }
        }
    }
}

/// Runs `produce` into a stager; commits when it succeeds, aborts when it fails.
fn staged(
    root: &Path,
    produce: impl FnOnce(&mut Stager) -> Result<(), RegenError>,
) -> Result<Written, RegenError> {
    let mut stager = Stager::new(root);
    match produce(&mut stager) {
        Ok(()) => stager.commit(),
        Err(e) => {
            stager.abort();
            Err(e)
        }
    }
}

/// Streams the pipeline into `sink`, recording each file's digest as it passes; the
/// record, to be put in place once the files are.
fn stream_digested(root: &Path, sink: &dyn Sink) -> Result<record::Recorder, RegenError> {
    let sink = Digesting {
        inner: sink,
        record: Mutex::new(record::Recorder::new(root)),
    };
    stream(root, LoadOptions::default(), &sink)?;
    Ok(crate::unlocked(sink.record))
}

/// `cargo xtask regen`: streams the pipeline into `generated/`, all or nothing, and
/// records what it produced for the next check.
pub fn regen(root: &Path) -> Result<Written, RegenError> {
    // `generated/` is what the pipeline last produced from these very sources.
    if record::unchanged(root, crate::threads()) {
        return Ok(Written::default());
    }
    let mut record = None;
    let written = staged(root, |stager| {
        record = Some(stream_digested(root, stager)?);
        Ok(())
    })?;
    if let Some(record) = record {
        record.finish(root);
    }
    Ok(written)
}

/// Writes `files` under `root/generated/`, touching only what changed, and removes
/// generated files that are no longer produced. All or nothing for the writes.
pub fn write(root: &Path, files: &Files) -> Result<Written, RegenError> {
    staged(root, |stager| {
        for (path, contents) in files {
            stager.file(path.clone(), contents.clone())?;
        }
        Ok(())
    })
}

fn temp_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(TEMP_SUFFIX);
    target.with_file_name(name)
}

/// Compares each file with `generated/` as it comes, keeping of the files that
/// differ the first by path and excerpts of the first few.
pub struct Checker {
    base: PathBuf,
    found: Mutex<Found>,
}

/// What a checker keeps of the files it was handed.
#[derive(Default)]
struct Found {
    report: Report,
    /// The first [`LISTED`] files that differ, by path.
    listed: BTreeMap<String, ChangeKind>,
    seen: PathLog,
}

impl Found {
    /// Counts a file that differs, and keeps it among `listed` while it is among
    /// the first [`LISTED`] by path.
    fn differs(&mut self, path: String, kind: ChangeKind) {
        self.report.differing += 1;
        stale::keep_first(&mut self.listed, LISTED, path, kind);
    }
}

impl Checker {
    pub fn new(root: &Path) -> Self {
        Checker {
            base: root.join(GENERATED),
            found: Mutex::default(),
        }
    }

    /// The differences, the first by path, and excerpts of the first stale files.
    /// Generated files on disk that regen no longer writes count; files without the
    /// generated header are not ours to judge.
    pub fn finish(self) -> Result<Report, RegenError> {
        let mut found = crate::unlocked(self.found);
        let seen = std::mem::take(&mut found.seen);
        let seen = seen.sorted().map_err(RegenError::Spill)?;
        each_extra(&self.base, seen, &mut |_, path| {
            found.differs(path, ChangeKind::Extra)
        })
        .map_err(RegenError::Spill)?;
        let Found {
            mut report, listed, ..
        } = found;
        report.changes = (listed.into_iter())
            .map(|(path, kind)| Change { path, kind })
            .collect();
        Ok(report)
    }
}

impl Sink for Checker {
    fn file(&self, path: String, contents: String) -> Result<(), RegenError> {
        self.file_from(path, &mut contents.as_bytes())
    }

    /// Compares as it reads, keeping an excerpt of a stale file only while it is
    /// among the first by path. Files compared at once on other threads may take
    /// an excerpt that turns out not to be among the first; it is dropped then.
    fn file_from(&self, path: String, contents: &mut dyn Read) -> Result<(), RegenError> {
        let excerpt = {
            let mut found = crate::lock(&self.found);
            found.seen.push(&path).map_err(RegenError::Spill)?;
            found.report.wants_excerpt(&path)
        };
        let target = self.base.join(&path);
        let (differs, excerpt) = stale::read_comparing(contents, &target, excerpt, &mut |_| Ok(()))
            .map_err(io_error(&target))?;
        let Some(kind) = differs else {
            return Ok(());
        };
        let mut found = crate::lock(&self.found);
        if let Some(excerpt) = excerpt {
            found.report.keep_excerpt(path.clone(), excerpt);
        }
        found.differs(path, kind);
        Ok(())
    }
}

/// `cargo xtask check`: streams the pipeline against `generated/`, writing nothing
/// there. When the last regen or check recorded what the pipeline produces for this
/// build and these sources, and `generated/` is byte for byte that, reading the
/// bytes is enough.
pub fn check(root: &Path) -> Result<Report, RegenError> {
    if record::unchanged(root, crate::threads()) {
        return Ok(Report::default());
    }
    let checker = Checker::new(root);
    stream_digested(root, &checker)?.finish(root);
    checker.finish()
}

/// Compares `files` with `root/generated/`.
pub fn compare(root: &Path, files: &Files) -> Result<Report, RegenError> {
    let checker = Checker::new(root);
    for (path, contents) in files {
        checker.file(path.clone(), contents.clone())?;
    }
    checker.finish()
}

/// Hands each file under `base` that carries the generated header to `each`, with
/// its path relative to `base`, in the byte order of those paths.
fn each_generated(base: &Path, each: &mut dyn FnMut(PathBuf, String)) {
    each_file_under(base, base, &mut |path, relative| {
        let head = fs::File::open(&path).and_then(|mut file| read_header(&mut file));
        if matches!(head, Ok(Some(_))) {
            each(path, relative);
        }
    });
}

/// Hands each generated file under `base` whose path is not among `produced`, which
/// comes in byte order, to `extra`.
fn each_extra(
    base: &Path,
    produced: Sorted,
    extra: &mut dyn FnMut(PathBuf, String),
) -> io::Result<()> {
    let mut produced = produced.peekable();
    let mut failed = None;
    each_generated(base, &mut |path, relative| {
        while let Some(next) = produced.next_if(|next| match next {
            Ok(next) => *next < relative,
            Err(_) => true,
        }) {
            if let Err(e) = next {
                failed.get_or_insert(e);
            }
        }
        if produced
            .next_if(|next| next.as_ref().is_ok_and(|next| *next == relative))
            .is_none()
        {
            extra(path, relative);
        }
    });
    failed.map_or(Ok(()), Err)
}

/// Hands every file under `dir` but those in `target/` folders to `each`, with its
/// path relative to `base`, `/`-separated, in the byte order of those paths.
pub(crate) fn each_file_under(base: &Path, dir: &Path, each: &mut dyn FnMut(PathBuf, String)) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    // A folder's paths all start with its name and a `/`, so sorting on that sorts
    // them among the files beside it.
    let mut entries: Vec<(String, PathBuf, bool)> = entries
        .flatten()
        .filter_map(|entry| {
            let kind = entry.file_type().ok()?;
            let mut key = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() {
                if key == "target" {
                    return None;
                }
                key.push('/');
            } else if !kind.is_file() {
                return None;
            }
            Some((key, entry.path(), kind.is_dir()))
        })
        .collect();
    entries.sort_unstable();
    for (_, path, is_dir) in entries {
        if is_dir {
            each_file_under(base, &path, each);
        } else if let Ok(relative) = path.strip_prefix(base) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            each(path, relative);
        }
    }
}

/// How far into a file the generated header may stand.
const HEADER_WITHIN: usize = 400;

/// Reads a file's first bytes, no more than the generated header may stand within:
/// them, when they carry it.
pub(crate) fn read_header(file: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::with_capacity(HEADER_WITHIN);
    file.take(HEADER_WITHIN as u64).read_to_end(&mut head)?;
    Ok(String::from_utf8_lossy(&head)
        .contains(HEADER)
        .then_some(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spilled(files: &[(String, String)]) -> fs::File {
        let mut spill = Spill::new().unwrap();
        for (path, body) in files {
            DataFiles::append(&mut spill, path, body).unwrap();
        }
        spill.finish().unwrap()
    }

    /// Two threads reading the one spill at once take every file exactly once,
    /// whole: the offsets move under the lock, the reads happen outside it.
    #[test]
    fn data_files_read_back_on_two_threads_are_each_read_once() {
        let files: Vec<(String, String)> = (0..500)
            .map(|i| {
                (
                    format!("data/d{i}/r.en-us.json"),
                    format!("é{i}\n").repeat(i % 40),
                )
            })
            .collect();
        let data = DataFiles::new(spilled(&files)).unwrap();
        let read = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    while let Some(file) = data.next_file().unwrap() {
                        crate::lock(&read).push(file);
                    }
                });
            }
        });
        let mut read = crate::unlocked(read);
        read.sort();
        let mut files = files;
        files.sort();
        assert_eq!(read, files);
    }

    /// The manifest's line for a file's digest is its own entry's `sha256` line,
    /// whichever way the entry quotes its `file` or orders its fields, and not a line
    /// that only mentions the file; its `file` line when the entry gives no digest.
    #[test]
    fn the_line_of_a_files_digest_is_in_its_own_entry() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join(SOURCES)).unwrap();
        let manifest = root.path().join(SOURCES).join(crate::manifest::FILE_NAME);
        let entries = [
            "sources:",
            "- document: a",
            "  note: see a/r1.en-us.md",
            "  file: a/r1.en-us.md",
            "  sha256: 01",
            "- sha256: 02",
            "  file: 'a/r2.en-us.md'",
            "- document: a",
            "  file: \"a/r3.en-us.md\"",
            "- file: a/r4.en-us.md",
            "  sha256: 04",
        ];
        fs::write(&manifest, entries.join("\n")).unwrap();
        let lines = [
            "a/r1.en-us.md",
            "a/r2.en-us.md",
            "a/r3.en-us.md",
            "a/r4.en-us.md",
            "a/r5.en-us.md",
        ]
        .map(|file| digest_line(root.path(), file));
        assert_eq!(lines, [Some(5), Some(6), Some(9), Some(11), None]);
    }

    /// A record cut short is an error, not a short file or a read past the end.
    #[test]
    fn a_data_file_record_cut_short_is_an_error() {
        let files = [("data/a.json".to_owned(), "{}".to_owned())];
        for cut in 1..=2 + DataFiles::HEAD as u64 + 10 {
            let file = spilled(&files);
            let whole = file.metadata().unwrap().len();
            if cut > whole {
                break;
            }
            file.set_len(whole - cut).unwrap();
            let data = DataFiles::new(file).unwrap();
            let error = data.next_file().expect_err("a record cut short");
            assert!(
                matches!(
                    error.kind(),
                    io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
                ),
                "{cut} bytes cut: {error}"
            );
        }
    }
}

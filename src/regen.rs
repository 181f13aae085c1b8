//! The file-system edge of `cargo xtask regen` and `cargo xtask check`: read the
//! manifest and sources, stream the pipeline's files into a [`Sink`] that writes
//! `generated/` or compares with it. Sources go through a content-addressed ingest
//! cache under `target/errcat-cache/`.
//!
//! Writing is two-phase: every changed file is first written beside its target as a
//! temporary file; only when the whole pipeline has succeeded are they renamed into
//! place. A failure anywhere before that removes the temporaries and leaves
//! `generated/` as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::catalog::{self, Catalog};
use crate::diff::{self, Changelog};
use crate::emit::{self, Files, HEADER};
use crate::manifest::{Manifest, ManifestError, SourceEntry};
use crate::model::Revision;
use crate::{IngestError, Source};

pub const SOURCES: &str = "sources";
pub const GENERATED: &str = "generated";

#[derive(Debug, thiserror::Error)]
pub enum RegenError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: {source}", path.display())]
    Manifest {
        path: PathBuf,
        source: ManifestError,
    },
    #[error("{file}: sha256 is {actual} but the manifest says {expected}; a source changed without its manifest entry")]
    Digest {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("{file}{}: {source}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Ingest {
        file: String,
        line: Option<usize>,
        source: IngestError,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> RegenError + '_ {
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
    Manifest::parse(&text).map_err(|source| RegenError::Manifest { path, source })
}

/// Reads and ingests one source the manifest lists, without the cache.
pub fn ingest_source(root: &Path, entry: &SourceEntry) -> Result<Revision, RegenError> {
    load_source(root, entry, None).map(|loaded| loaded.revision)
}

/// How a load went: how many sources were ingested and how many came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadStats {
    pub ingested: usize,
    pub cached: usize,
}

/// Where the ingest cache lives under a dataset's root.
pub const CACHE_DIR: &str = "target/errcat-cache";

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
    let results = crate::parallel_map(&manifest.sources, options.threads, |entry| {
        load_source(root, entry, cache.as_ref())
    });
    let mut stats = LoadStats::default();
    let mut revisions = Vec::with_capacity(results.len());
    for result in results {
        let loaded = result?;
        if loaded.cached {
            stats.cached += 1;
        } else {
            stats.ingested += 1;
        }
        revisions.push(loaded.revision);
    }
    Ok((
        Dataset {
            manifest,
            revisions,
        },
        stats,
    ))
}

/// Source digest → canonical revision, under `target/errcat-cache/`. A key covers
/// the bytes, the source's identity in the manifest, and the build of errcat that
/// ingested it, so an entry is never stale. An entry is the revision's data-file
/// body (its pretty JSON), so that regen's second pass can copy it rather than
/// parse and print it again.
struct Cache {
    dir: PathBuf,
}

impl Cache {
    fn new(root: &Path) -> Self {
        Cache {
            dir: root.join(CACHE_DIR),
        }
    }

    fn path(&self, entry: &SourceEntry, digest: &str) -> PathBuf {
        let key = crate::sha256_hex(
            format!(
                "{digest}\n{}\n{}\n{}\n{}\n{}\n{}",
                entry.document,
                entry.revision,
                entry.locale,
                entry.format.as_str(),
                entry.file,
                env!("ERRCAT_BUILD_ID")
            )
            .as_bytes(),
        );
        self.dir.join(format!("{key}.json"))
    }

    /// The revision at `path` and the text it was read from.
    fn get(&self, path: &Path) -> Option<(Revision, String)> {
        let text = fs::read_to_string(path).ok()?;
        let revision = serde_json::from_str(&text).ok()?;
        Some((revision, text))
    }

    /// The body at `path`, only when it is the one whose digest is `digest`.
    fn body(&self, path: &Path, digest: &emit::Digest) -> Option<String> {
        let text = fs::read_to_string(path).ok()?;
        (emit::digest(&text) == *digest).then_some(text)
    }

    /// Best effort: a cache that cannot be written only costs time.
    fn put(&self, path: &Path, body: &str) {
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let temp = path.with_extension(format!("tmp{}", std::process::id()));
        if fs::write(&temp, body).is_ok() && fs::rename(&temp, path).is_err() {
            let _ = fs::remove_file(&temp);
        }
    }
}

/// One source, loaded.
struct Loaded {
    revision: Revision,
    /// Its data-file body, when loading produced it: a fresh ingest renders it for
    /// the cache; a cache hit gives the text it was read from, unchecked.
    body: Option<String>,
    /// Came from the cache.
    cached: bool,
    /// Its cache entry, when there is a cache.
    entry: Option<PathBuf>,
}

/// One source, from the cache when its entry is there.
fn load_source(
    root: &Path,
    entry: &SourceEntry,
    cache: Option<&Cache>,
) -> Result<Loaded, RegenError> {
    let relative = format!("{SOURCES}/{}", entry.file);
    let path = root.join(&relative);
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let digest = check_digest(&relative, entry, &bytes)?;
    let at = cache.map(|c| c.path(entry, &digest));
    if let (Some(cache), Some(at)) = (cache, &at) {
        if let Some((revision, text)) = cache.get(at) {
            return Ok(Loaded {
                revision,
                body: Some(text),
                cached: true,
                entry: Some(at.clone()),
            });
        }
    }
    let revision = ingest_checked(&relative, entry, &bytes)?;
    let body = match (cache, &at) {
        (Some(cache), Some(at)) => {
            let body = emit::pretty(&revision);
            cache.put(at, &body);
            Some(body)
        }
        _ => None,
    };
    Ok(Loaded {
        revision,
        body,
        cached: false,
        entry: at,
    })
}

fn check_digest(relative: &str, entry: &SourceEntry, bytes: &[u8]) -> Result<String, RegenError> {
    let actual = content_digest(bytes);
    if actual != entry.sha256 {
        return Err(RegenError::Digest {
            file: relative.to_owned(),
            expected: entry.sha256.clone(),
            actual,
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

/// Receives each generated file as soon as it is complete.
pub trait Sink {
    fn file(&mut self, path: String, contents: String) -> Result<(), RegenError>;
}

impl Sink for Files {
    fn file(&mut self, path: String, contents: String) -> Result<(), RegenError> {
        self.insert(path, contents);
        Ok(())
    }
}

/// What one chain (a document in one locale) contributes, folded revision by
/// revision so that only two revisions are ever held.
struct ChainFold {
    catalog: catalog::Chain,
    pairs: Vec<diff::RevisionChanges>,
    sets: Vec<(usize, diff::CodeSet)>,
    titles: Vec<(usize, diff::Title)>,
    data: Vec<DataFile>,
}

/// A revision's data file, as the first pass leaves it for the second.
struct DataFile {
    /// Index in the manifest.
    index: usize,
    path: String,
    digest: emit::Digest,
    /// The cache entry holding its body, when there is a cache.
    entry: Option<PathBuf>,
}

fn fold_chain(
    root: &Path,
    manifest: &Manifest,
    indices: &[usize],
    cache: Option<&Cache>,
) -> Result<ChainFold, RegenError> {
    let mut fold = ChainFold {
        catalog: catalog::Chain::default(),
        pairs: Vec::new(),
        sets: Vec::new(),
        titles: Vec::new(),
        data: Vec::new(),
    };
    let mut previous: Option<(Revision, Option<&str>)> = None;
    for &i in indices {
        let entry = &manifest.sources[i];
        let Loaded {
            revision,
            body: loaded_body,
            cached,
            entry: at,
        } = load_source(root, entry, cache)?;
        // A fresh ingest has just rendered its body; a cache hit is rendered again
        // and the entry rewritten when its text is not exactly that body.
        let body = match loaded_body {
            Some(body) if !cached => body,
            loaded_body => {
                let body = emit::pretty(&revision);
                if let (Some(cache), Some(at)) = (cache, &at) {
                    if loaded_body.as_deref() != Some(body.as_str()) {
                        cache.put(at, &body);
                    }
                }
                body
            }
        };
        fold.data.push(DataFile {
            index: i,
            path: emit::data_path(&revision),
            digest: emit::digest(&body),
            entry: at,
        });
        drop(body);
        fold.catalog.add(&revision);
        let date = entry.date.as_deref();
        if let Some((old, old_date)) = &previous {
            fold.pairs
                .push(diff::revisions(old, &revision, (*old_date, date)));
        }
        fold.sets.push((i, diff::CodeSet::of(&revision)));
        let title = (
            revision.document.clone(),
            revision.locale.clone(),
            revision.title.clone(),
        );
        fold.titles.push((i, title));
        previous = Some((revision, date));
    }
    Ok(fold)
}

/// Runs the whole pipeline and hands every file of `generated/` to `sink`, holding
/// the catalogue and the changelog but never all the revisions: the first pass folds
/// each chain two revisions at a time; the second writes the data files a few at a
/// time, copying each body from the cache (checked against the first pass's digest)
/// or, without a cache entry, loading and rendering it again.
pub fn stream(root: &Path, options: LoadOptions, sink: &mut dyn Sink) -> Result<(), RegenError> {
    let manifest = read_manifest(root)?;
    let cache = options.cache.then(|| Cache::new(root));
    let cache = cache.as_ref();
    let mut by_chain: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, source) in manifest.sources.iter().enumerate() {
        by_chain
            .entry((&source.document, &source.locale))
            .or_default()
            .push(i);
    }
    let chains: Vec<Vec<usize>> = by_chain.into_values().collect();
    let folds = crate::parallel_map(&chains, options.threads, |indices| {
        fold_chain(root, &manifest, indices, cache)
    });
    let (mut parts, mut pairs, mut sets, mut titles, mut data) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for fold in folds {
        let fold = fold?;
        parts.push(fold.catalog);
        pairs.extend(fold.pairs);
        sets.extend(fold.sets);
        titles.extend(fold.titles);
        data.extend(fold.data);
    }
    sets.sort_by_key(|(i, _)| *i);
    titles.sort_by_key(|(i, _)| *i);
    let sets: Vec<diff::CodeSet> = sets.into_iter().map(|(_, s)| s).collect();
    let titles: Vec<diff::Title> = titles.into_iter().map(|(_, t)| t).collect();
    let catalog = catalog::merge(parts);
    let changelog = diff::assemble(
        pairs,
        &titles,
        diff::drift_of(&sets),
        catalog.conflicts.clone(),
    );
    let (catalog_body, changelog_body) = emit::bodies_of(&catalog, &changelog, options.threads);
    let mut digests: Vec<(String, emit::Digest)> =
        data.iter().map(|f| (f.path.clone(), f.digest)).collect();
    digests.push(("catalog.json".to_owned(), emit::digest(&catalog_body)));
    digests.push(("changelog.json".to_owned(), emit::digest(&changelog_body)));
    let versions = emit::versions(&manifest, digests);

    // The data files go to the sink while the remaining files render beside them.
    let (rest, written) = emit::both(
        options.threads > 1,
        || {
            let mut rest = Vec::new();
            emit::finish(
                &versions,
                (catalog_body, &catalog),
                (changelog_body, &changelog),
                &mut |path, contents| rest.push((path, contents)),
            );
            rest
        },
        || -> Result<(), RegenError> {
            for chunk in data.chunks(options.threads.max(1) * 4) {
                let rendered = crate::parallel_map(chunk, options.threads, |file| {
                    let cached = cache
                        .zip(file.entry.as_deref())
                        .and_then(|(cache, at)| cache.body(at, &file.digest));
                    let body = match cached {
                        Some(body) => body,
                        None => {
                            let loaded = load_source(root, &manifest.sources[file.index], None)?;
                            emit::pretty(&loaded.revision)
                        }
                    };
                    Ok::<_, RegenError>((file.path.clone(), emit::envelope(&versions, body)))
                });
                for file in rendered {
                    let (path, contents) = file?;
                    sink.file(path, contents)?;
                }
            }
            Ok(())
        },
    );
    written?;
    for (path, contents) in rest {
        sink.file(path, contents)?;
    }
    Ok(())
}

/// Reads the sources and renders everything, writing nothing.
pub fn generate(root: &Path) -> Result<Files, RegenError> {
    let mut files = Files::new();
    stream(root, LoadOptions::default(), &mut files)?;
    Ok(files)
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub updated: Vec<String>,
    pub removed: Vec<String>,
}

/// Suffix of the temporaries written in the first phase.
pub const TEMP_SUFFIX: &str = ".regen-tmp";

/// Stages each changed file beside its target; [`Stager::commit`] renames them all
/// into place and removes generated files no longer produced.
pub struct Stager {
    base: PathBuf,
    staged: Vec<(PathBuf, PathBuf, String)>,
    seen: BTreeSet<String>,
}

impl Stager {
    pub fn new(root: &Path) -> Self {
        Stager {
            base: root.join(GENERATED),
            staged: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Removes every temporary: `generated/` stays as it was.
    pub fn abort(self) {
        for (temp, _, _) in &self.staged {
            let _ = fs::remove_file(temp);
        }
    }

    pub fn commit(self) -> Result<Written, RegenError> {
        let mut written = Written::default();
        for (temp, target, path) in self.staged {
            fs::rename(&temp, &target).map_err(io_error(&target))?;
            written.updated.push(path);
        }
        written.updated.sort();
        let mut on_disk = BTreeMap::new();
        list_generated(&self.base, &self.base, &mut on_disk);
        for path in on_disk.into_keys() {
            if !self.seen.contains(&path) {
                let file = self.base.join(&path);
                fs::remove_file(&file).map_err(io_error(&file))?;
                written.removed.push(path);
            }
        }
        Ok(written)
    }
}

impl Sink for Stager {
    fn file(&mut self, path: String, contents: String) -> Result<(), RegenError> {
        let target = self.base.join(&path);
        self.seen.insert(path.clone());
        if fs::read(&target).is_ok_and(|on_disk| on_disk == contents.as_bytes()) {
            return Ok(());
        }
        let parent = target.parent().unwrap_or(&self.base).to_owned();
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let temp = temp_path(&target);
        fs::write(&temp, contents).map_err(io_error(&temp))?;
        self.staged.push((temp, target, path));
        Ok(())
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

/// `cargo xtask regen`: streams the pipeline into `generated/`, all or nothing.
pub fn regen(root: &Path) -> Result<Written, RegenError> {
    staged(root, |stager| stream(root, LoadOptions::default(), stager))
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

/// One file that differs between what regen would write and what is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to `generated/`.
    pub path: String,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not on disk yet.
    Missing,
    /// On disk, with other contents.
    Stale,
    /// A generated file regen would no longer write.
    Extra,
}

/// Compares each file with `generated/` as it comes, keeping only the wanted
/// contents of the files that differ.
pub struct Checker {
    base: PathBuf,
    changes: Vec<Change>,
    wanted: Files,
    seen: BTreeSet<String>,
}

impl Checker {
    pub fn new(root: &Path) -> Self {
        Checker {
            base: root.join(GENERATED),
            changes: Vec::new(),
            wanted: Files::new(),
            seen: BTreeSet::new(),
        }
    }

    /// The differences, and what regen would write for the files that differ.
    /// Generated files on disk that regen no longer writes count; files without
    /// the generated header are not ours to judge.
    pub fn finish(mut self) -> (Vec<Change>, Files) {
        let mut on_disk = BTreeMap::new();
        list_generated(&self.base, &self.base, &mut on_disk);
        for path in on_disk.into_keys() {
            if !self.seen.contains(&path) {
                self.changes.push(Change {
                    path,
                    kind: ChangeKind::Extra,
                });
            }
        }
        (self.changes, self.wanted)
    }
}

impl Sink for Checker {
    fn file(&mut self, path: String, contents: String) -> Result<(), RegenError> {
        self.seen.insert(path.clone());
        let kind = match fs::read(self.base.join(&path)) {
            Ok(on_disk) if on_disk == contents.as_bytes() => return Ok(()),
            Ok(_) => ChangeKind::Stale,
            Err(_) => ChangeKind::Missing,
        };
        self.changes.push(Change {
            path: path.clone(),
            kind,
        });
        self.wanted.insert(path, contents);
        Ok(())
    }
}

/// `cargo xtask check`: streams the pipeline against `generated/`, writing nothing.
pub fn check(root: &Path) -> Result<(Vec<Change>, Files), RegenError> {
    let mut checker = Checker::new(root);
    stream(root, LoadOptions::default(), &mut checker)?;
    Ok(checker.finish())
}

/// Compares `files` with `root/generated/`.
pub fn compare(root: &Path, files: &Files) -> Vec<Change> {
    let mut checker = Checker::new(root);
    for (path, contents) in files {
        let _ = checker.file(path.clone(), contents.clone());
    }
    checker.finish().0
}

/// Files under `dir` that carry the generated header, by path relative to `base`.
fn list_generated(base: &Path, dir: &Path, out: &mut BTreeMap<String, ()>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if entry.file_name() != "target" {
                list_generated(base, &path, out);
            }
        } else if kind.is_file() && is_generated(&path) {
            if let Ok(relative) = path.strip_prefix(base) {
                let relative = relative.to_string_lossy().replace('\\', "/");
                out.insert(relative, ());
            }
        }
    }
}

fn is_generated(path: &Path) -> bool {
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    let head = &bytes[..bytes.len().min(400)];
    String::from_utf8_lossy(head).contains(HEADER)
}

/// A readable account of what is stale: each file, and a unified diff of the first
/// differing ones.
pub fn describe(root: &Path, files: &Files, changes: &[Change], max_diff_lines: usize) -> String {
    let mut out = String::new();
    let mut budget = max_diff_lines;
    for change in changes {
        let label = match change.kind {
            ChangeKind::Missing => "missing",
            ChangeKind::Stale => "stale",
            ChangeKind::Extra => "no longer generated",
        };
        out.push_str(&format!("{GENERATED}/{}: {label}\n", change.path));
        if change.kind != ChangeKind::Stale || budget == 0 {
            continue;
        }
        let on_disk =
            fs::read_to_string(root.join(GENERATED).join(&change.path)).unwrap_or_default();
        let wanted = files
            .get(&change.path)
            .map(String::as_str)
            .unwrap_or_default();
        let diff = similar::TextDiff::from_lines(on_disk.as_str(), wanted);
        let unified = diff
            .unified_diff()
            .context_radius(2)
            .header("on disk", "regen would write")
            .to_string();
        for line in unified.lines().take(budget) {
            out.push_str("    ");
            match line.char_indices().nth(160) {
                Some((cut, _)) => {
                    out.push_str(&line[..cut]);
                    out.push('…');
                }
                None => out.push_str(line),
            }
            out.push('\n');
            budget -= 1;
        }
    }
    out
}

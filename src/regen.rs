//! The file-system edge of `cargo xtask regen` and `cargo xtask check`: read the
//! manifest and sources, run the pipeline in memory, then write `generated/` or
//! compare it.
//!
//! Writing is two-phase: every changed file is first written beside its target as a
//! temporary file; only when all of them exist are they renamed into place. A
//! failure in the first phase removes the temporaries and leaves `generated/` as it
//! was; a failure while reading or ingesting happens before anything is written.

use std::collections::BTreeMap;
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
    load_source(root, entry, None).map(|(revision, _)| revision)
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
        let (revision, from_cache) = result?;
        if from_cache {
            stats.cached += 1;
        } else {
            stats.ingested += 1;
        }
        revisions.push(revision);
    }
    Ok((
        Dataset {
            manifest,
            revisions,
        },
        stats,
    ))
}

/// Source digest → canonical revision, as JSON files under `target/errcat-cache/`.
/// A key covers the bytes, the source's identity in the manifest, and the build of
/// errcat that ingested it, so an entry is never stale.
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

    fn get(&self, path: &Path) -> Option<Revision> {
        let bytes = fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Best effort: a cache that cannot be written only costs time.
    fn put(&self, path: &Path, revision: &Revision) {
        let Ok(json) = serde_json::to_vec(revision) else {
            return;
        };
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let temp = path.with_extension(format!("tmp{}", std::process::id()));
        if fs::write(&temp, json).is_ok() && fs::rename(&temp, path).is_err() {
            let _ = fs::remove_file(&temp);
        }
    }
}

/// One source, from the cache when its entry is there; true when it was.
fn load_source(
    root: &Path,
    entry: &SourceEntry,
    cache: Option<&Cache>,
) -> Result<(Revision, bool), RegenError> {
    let relative = format!("{SOURCES}/{}", entry.file);
    let path = root.join(&relative);
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let digest = check_digest(&relative, entry, &bytes)?;
    let cached = cache.map(|c| c.path(entry, &digest));
    if let (Some(cache), Some(at)) = (cache, &cached) {
        if let Some(revision) = cache.get(at) {
            return Ok((revision, true));
        }
    }
    let revision = ingest_checked(&relative, entry, &bytes)?;
    if let (Some(cache), Some(at)) = (cache, &cached) {
        cache.put(at, &revision);
    }
    Ok((revision, false))
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

/// Reads the sources and renders everything, writing nothing.
pub fn generate(root: &Path) -> Result<Files, RegenError> {
    Ok(load(root)?.outputs())
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub updated: Vec<String>,
    pub removed: Vec<String>,
}

/// Suffix of the temporaries written in the first phase.
pub const TEMP_SUFFIX: &str = ".regen-tmp";

/// Writes `files` under `root/generated/`, touching only what changed, and removes
/// generated files that are no longer produced. All or nothing for the writes.
pub fn write(root: &Path, files: &Files) -> Result<Written, RegenError> {
    let base = root.join(GENERATED);
    let changes = compare(root, files);
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let staging = (|| {
        for change in &changes {
            let Some(contents) = files.get(&change.path) else {
                continue;
            };
            let target = base.join(&change.path);
            let parent = target.parent().unwrap_or(&base);
            fs::create_dir_all(parent).map_err(io_error(parent))?;
            let temp = temp_path(&target);
            fs::write(&temp, contents).map_err(io_error(&temp))?;
            staged.push((temp, target));
        }
        Ok(())
    })();
    if let Err(e) = staging {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    let mut written = Written::default();
    for (temp, target) in &staged {
        fs::rename(temp, target).map_err(io_error(target))?;
    }
    for change in changes {
        if files.contains_key(&change.path) {
            written.updated.push(change.path);
        } else {
            let path = base.join(&change.path);
            fs::remove_file(&path).map_err(io_error(&path))?;
            written.removed.push(change.path);
        }
    }
    Ok(written)
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

/// Compares `files` with `root/generated/`. Files there that regen did not write
/// (no generated header) are left out: they are not ours to judge.
pub fn compare(root: &Path, files: &Files) -> Vec<Change> {
    let base = root.join(GENERATED);
    let mut changes = Vec::new();
    for (path, contents) in files {
        match fs::read(base.join(path)) {
            Ok(on_disk) if on_disk == contents.as_bytes() => {}
            Ok(_) => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Stale,
            }),
            Err(_) => changes.push(Change {
                path: path.clone(),
                kind: ChangeKind::Missing,
            }),
        }
    }
    let mut on_disk = BTreeMap::new();
    list_generated(&base, &base, &mut on_disk);
    for path in on_disk.into_keys() {
        if !files.contains_key(&path) {
            changes.push(Change {
                path,
                kind: ChangeKind::Extra,
            });
        }
    }
    changes
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

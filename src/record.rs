//! What the pipeline produced the last time regen or check ran it, so that a check or
//! a regen on the same inputs costs no more than reading the bytes: when this build, the
//! manifest and every source are what they were, regen would write the same files,
//! and when `generated/` holds exactly those, the pipeline need not run.
//!
//! The record lives beside the ingest cache, [`CHECK_RECORD`](regen::CHECK_RECORD):
//! `errcat-checked 1`, the build, the manifest's SHA-256, then one line per file the
//! pipeline produced, its SHA-256 and its path, in any order. The digests are taken
//! from the pipeline's output as it goes to `generated/`, never read back from the
//! disk, so a file edited while a check runs is not recorded as checked. Writing the
//! record is best effort; a record that is missing, unreadable or from another build
//! only means a full check.

use std::fs;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use crate::cache::Beside;
use crate::emit::DatasetDigest;
use crate::listing;
use crate::manifest::FILE_NAME;
use crate::regen::{self, CHECK_RECORD, GENERATED, SOURCES};

const MAGIC: &str = "errcat-checked 1";

/// True when `generated/` is known to be what regen writes from the tree as it is:
/// the record is this build's, for this manifest, every source is still what the
/// manifest says, and the generated files are exactly the recorded ones.
pub fn unchanged(root: &Path, threads: usize) -> bool {
    let Ok(record) = fs::File::open(root.join(CHECK_RECORD)) else {
        return false;
    };
    // A line that cannot be read ends the record, which then names too few files.
    let mut lines = io::BufReader::new(record).lines().map_while(Result::ok);
    let head = [MAGIC, env!("ERRCAT_BUILD_ID")];
    if lines.by_ref().take(2).ne(head) {
        return false;
    }
    let Some(manifest) = lines.next() else {
        return false;
    };
    let is_recorded = || manifest_digest(root).as_deref() == Some(manifest.as_str());
    if !is_recorded() {
        return false;
    }
    // Every source is still the bytes its manifest entry names, the manifest read an
    // entry at a time, and still the one recorded once it is read. Being the one
    // recorded, it passed every check: each entry is checked on its own, and nothing
    // kept of it.
    let mut sources = true;
    let read = listing::read_recorded_entries(
        &root.join(SOURCES).join(FILE_NAME),
        threads,
        &mut |_, entries| {
            sources = sources
                && crate::parallel_map(&entries, threads, |entry| {
                    regen::source_matches(root, entry)
                })
                .into_iter()
                .all(|ok| ok);
            Ok(())
        },
    );
    if read.is_err() || !sources || !is_recorded() {
        return false;
    }
    // The generated files are exactly the recorded ones: as many, and the same paths
    // with the same digests, taken in as a sum that any order of them gives alike.
    let mut recorded = (0, DatasetDigest::default());
    for line in lines {
        let Some((digest, path)) = line.split_once(' ') else {
            return false;
        };
        recorded.0 += 1;
        recorded.1.add(path, digest.as_bytes());
    }
    recorded == generated(root, threads)
}

/// Writes the record as the pipeline's files pass, a line each, to a temporary file
/// beside it, so that nothing is held per file; [`Recorder::finish`] puts it in
/// place. Dropped unfinished, as when the pipeline fails, it leaves nothing.
pub struct Recorder {
    /// There is a record only when the manifest could be read as the run began.
    file: Option<Beside>,
    /// The manifest's digest as the pipeline began.
    manifest: Option<String>,
}

impl Recorder {
    /// Call before the pipeline reads the manifest.
    pub fn new(root: &Path) -> Self {
        let manifest = manifest_digest(root);
        let file = manifest.as_ref().and_then(|manifest| {
            let mut file = Beside::create(&root.join(CHECK_RECORD))?;
            file.write(format!("{MAGIC}\n{}\n{manifest}\n", env!("ERRCAT_BUILD_ID")).as_bytes());
            Some(file)
        });
        Recorder { file, manifest }
    }

    /// One file the pipeline produced, and its SHA-256 as hex.
    pub fn add(&mut self, path: &str, digest: &str) {
        if let Some(file) = &mut self.file {
            file.write(format!("{digest} {path}\n").as_bytes());
        }
    }

    /// Puts the record in place, only if the manifest is still the one the pipeline
    /// began with, or the record would pair new inputs with the outputs of old ones.
    pub fn finish(mut self, root: &Path) {
        if let Some(file) = self.file.take() {
            if manifest_digest(root) == self.manifest {
                file.commit();
            }
        }
    }
}

/// The manifest's digest as it is now, read a block at a time: it grows with every
/// revision.
pub fn manifest_digest(root: &Path) -> Option<String> {
    use sha2::Digest as _;
    let mut file = fs::File::open(root.join(SOURCES).join(FILE_NAME)).ok()?;
    let mut hasher = sha2::Sha256::new();
    io::copy(&mut file, &mut hasher).ok()?;
    Some(crate::hex(&hasher.finalize()))
}

/// How many files under `generated/` carry the generated header, and the sum of
/// their paths with their SHA-256s, as the record's lines are taken in. The files are
/// digested a batch at a time, on `threads` threads, as the walk finds them.
fn generated(root: &Path, threads: usize) -> (usize, DatasetDigest) {
    /// Files digested at a time.
    const BATCH: usize = 1024;
    let mut found = (0, DatasetDigest::default());
    let mut take = |batch: &mut Vec<(PathBuf, String)>| {
        let digests = crate::parallel_map(batch, threads, |(path, _)| {
            generated_digest(path).ok().flatten()
        });
        for ((_, relative), digest) in batch.drain(..).zip(digests) {
            if let Some(digest) = digest {
                found.0 += 1;
                found.1.add(&relative, digest.as_bytes());
            }
        }
    };
    let base = root.join(GENERATED);
    let mut batch = Vec::with_capacity(BATCH);
    regen::each_file_under(&base, &base, &mut |path, relative| {
        batch.push((path, relative));
        if batch.len() == BATCH {
            take(&mut batch);
        }
    });
    take(&mut batch);
    found
}

/// The SHA-256 of a file with the generated header, read a block at a time, not
/// whole: `catalog.json` alone is megabytes. None without the header.
fn generated_digest(path: &Path) -> io::Result<Option<String>> {
    use sha2::Digest as _;
    let mut file = io::BufReader::with_capacity(1 << 16, fs::File::open(path)?);
    let Some(head) = regen::read_header(&mut file)? else {
        return Ok(None);
    };
    let mut hasher = sha2::Sha256::new();
    hasher.update(&head);
    io::copy(&mut file, &mut hasher)?;
    Ok(Some(crate::hex(&hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::CACHE_DIR;

    #[test]
    fn a_manifest_that_changed_while_the_pipeline_ran_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(SOURCES)).unwrap();
        fs::write(root.join(SOURCES).join(FILE_NAME), "sources: []\n").unwrap();
        let temporaries = || fs::read_dir(root.join(CACHE_DIR)).unwrap().count();
        let mut recorder = Recorder::new(root);
        recorder.add("catalog.json", "00");
        fs::write(root.join(SOURCES).join(FILE_NAME), "sources: []\n# new\n").unwrap();
        recorder.finish(root);
        assert!(!root.join(CHECK_RECORD).exists());
        assert_eq!(temporaries(), 0, "the temporary file is gone");
        // A pipeline that fails leaves nothing either.
        let mut recorder = Recorder::new(root);
        recorder.add("catalog.json", "00");
        drop(recorder);
        assert_eq!(temporaries(), 0);
        let mut recorder = Recorder::new(root);
        recorder.add("catalog.json", "00");
        recorder.add("data/d/r.en-us.json", "01");
        recorder.finish(root);
        let record = fs::read_to_string(root.join(CHECK_RECORD)).unwrap();
        assert!(
            record.ends_with("\n00 catalog.json\n01 data/d/r.en-us.json\n"),
            "{record}"
        );
        assert_eq!(temporaries(), 1, "the record alone");
    }
}

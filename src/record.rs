//! What the pipeline produced the last time regen or check ran it, so that a check on
//! the same inputs costs no more than reading the bytes: when this build, the
//! manifest and every source are what they were, regen would write the same files,
//! and when `generated/` holds exactly those, the pipeline need not run.
//!
//! The record lives beside the ingest cache, [`CHECK_RECORD`](regen::CHECK_RECORD):
//! `errcat-checked 1`, the build, the manifest's SHA-256, then one line per file the
//! pipeline produced, its SHA-256 and its path. The digests are taken from the
//! pipeline's output as it goes to `generated/`, never read back from the disk, so a
//! file edited while a check runs is not recorded as checked. Writing the record is
//! best effort; a record that is missing, unreadable or from another build only means
//! a full check.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::cache::CACHE_DIR;
use crate::manifest::FILE_NAME;
use crate::regen::{self, CHECK_RECORD, GENERATED, SOURCES};

const MAGIC: &str = "errcat-checked 1";

/// True when `generated/` is known to be what regen writes from the tree as it is:
/// the record is this build's, for this manifest, every source is still what the
/// manifest says, and the generated files are exactly the recorded ones.
pub fn unchanged(root: &Path, threads: usize) -> bool {
    let Ok(text) = fs::read_to_string(root.join(CHECK_RECORD)) else {
        return false;
    };
    let mut lines = text.lines();
    let head = [MAGIC, env!("ERRCAT_BUILD_ID")];
    if lines.by_ref().take(2).ne(head) {
        return false;
    }
    if lines.next() != manifest_digest(root).as_deref() {
        return false;
    }
    let Ok(manifest) = regen::read_manifest(root) else {
        return false;
    };
    // Every source is still the bytes its manifest entry names.
    let sources = crate::parallel_map(&manifest.sources, threads, |entry| {
        regen::read_source(root, entry).is_ok()
    });
    if !sources.into_iter().all(|ok| ok) {
        return false;
    }
    let recorded: Option<BTreeMap<&str, &str>> = lines
        .map(|line| line.split_once(' ').map(|(digest, path)| (path, digest)))
        .collect();
    let on_disk = generated(root, threads);
    recorded.is_some_and(|recorded| {
        recorded.len() == on_disk.len()
            && on_disk
                .iter()
                .all(|(path, digest)| recorded.get(path.as_str()) == Some(&digest.as_str()))
    })
}

/// Records what the pipeline produced, file by file, for the tree as it is now.
pub fn write(root: &Path, produced: &BTreeMap<String, String>) {
    let Some(manifest) = manifest_digest(root) else {
        return;
    };
    let mut text = format!("{MAGIC}\n{}\n{manifest}\n", env!("ERRCAT_BUILD_ID"));
    for (path, digest) in produced {
        text.push_str(&format!("{digest} {path}\n"));
    }
    let target = root.join(CHECK_RECORD);
    let mut temp = target.clone().into_os_string();
    temp.push(format!(".tmp{}", std::process::id()));
    let temp = std::path::PathBuf::from(temp);
    let done = fs::create_dir_all(root.join(CACHE_DIR))
        .and_then(|()| fs::write(&temp, text))
        .and_then(|()| fs::rename(&temp, &target));
    if done.is_err() {
        let _ = fs::remove_file(&temp);
    }
}

fn manifest_digest(root: &Path) -> Option<String> {
    let bytes = fs::read(root.join(SOURCES).join(FILE_NAME)).ok()?;
    Some(crate::sha256_hex(&bytes))
}

/// Every generated file under `generated/` (those with the generated header), by
/// path, with its SHA-256.
fn generated(root: &Path, threads: usize) -> BTreeMap<String, String> {
    let base = root.join(GENERATED);
    let mut files = Vec::new();
    regen::files_under(&base, &base, &mut files);
    crate::parallel_map(&files, threads, |(path, relative)| {
        let bytes = fs::read(path).ok()?;
        regen::has_header(&bytes).then(|| (relative.clone(), crate::sha256_hex(&bytes)))
    })
    .into_iter()
    .flatten()
    .collect()
}

//! What the integration tests share: the workspace's own dataset, and scratch
//! datasets grown from it.

use std::fs;
use std::path::PathBuf;

use errcat::manifest::Manifest;

mod tree;
pub use tree::copy_tree;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch dataset whose two en-us chains each gain `extra` revisions, taking the
/// bytes of the chain's own sources in turn: dated a year apart in pairs, so that
/// timestamps tie, with every fifth undated.
pub fn long_history(extra: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("sources"), &dir.path().join("sources"));
    let manifest_path = dir.path().join("sources/manifest.yaml");
    let mut manifest = Manifest::parse(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    for document in ["windows-hello-pin-errors", "mfa-nps-extension-errors"] {
        let first: Vec<_> = manifest
            .sources
            .iter()
            .filter(|s| s.document == document && s.locale == "en-us")
            .cloned()
            .collect();
        for k in 0..extra {
            let mut entry = first[k % first.len()].clone();
            let ext = entry.file.rsplit('.').next().unwrap().to_owned();
            entry.revision = format!("r{k:03}");
            let file = format!("{document}/{}.en-us.{ext}", entry.revision);
            let sources = dir.path().join("sources");
            fs::copy(sources.join(&entry.file), sources.join(&file)).unwrap();
            entry.file = file;
            entry.date = (k % 5 != 4).then(|| format!("{}-03-01", 2030 + k / 2));
            manifest.sources.push(entry);
        }
    }
    fs::write(&manifest_path, manifest.to_yaml()).unwrap();
    dir
}

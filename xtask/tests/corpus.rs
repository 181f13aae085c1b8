//! The generated corpus: through both pipelines, the streamed regen (changes spilled
//! and read back, data bodies copied from the cache) writes what the in-memory
//! pipeline renders, on many documents, locales and revisions; made again where it
//! is, it rewrites nothing that did not change; and it never replaces the dataset's
//! own sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use errcat::regen::{self, LoadOptions};

mod common;

#[test]
fn streamed_and_in_memory_pipelines_agree_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["corpus", "--scale", "2", "--revisions", "5", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (dataset, _) = regen::load_with(
        dir.path(),
        LoadOptions {
            threads: 2,
            cache: false,
        },
    )
    .unwrap();
    let in_memory = dataset.outputs();
    let changelog = &in_memory["changelog.json"];
    // What makes the comparison worth having: several documents, translated chains
    // with pairs of their own, drift, and feed entries on more than one date.
    let value: serde_json::Value = serde_json::from_str(changelog).unwrap();
    let documents = value["documents"].as_array().unwrap();
    assert!(documents.len() > 5);
    assert!(documents.iter().any(|d| d["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["locale"] != "en-us")));
    assert!(!value["drift"].as_array().unwrap().is_empty());
    let atom = &in_memory["changelog.atom"];
    let mut dates: Vec<&str> = atom
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<updated>"))
        .collect();
    dates.dedup();
    assert!(dates.len() > 2);

    for threads in [1, 2, 3] {
        for cache in [false, true] {
            let streamed =
                regen::generate_with(dir.path(), LoadOptions { threads, cache }).unwrap();
            assert_eq!(
                streamed.keys().collect::<Vec<_>>(),
                in_memory.keys().collect::<Vec<_>>()
            );
            for (path, text) in &streamed {
                assert!(
                    text == &in_memory[path],
                    "{path} differs ({threads} threads, cache {cache})"
                );
            }
        }
    }
}

/// Every file under `root`, relative to it, with its bytes and when it was written.
fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    common::files_under(root)
        .into_iter()
        .map(|path| {
            let written = fs::metadata(&path).unwrap().modified().unwrap();
            let bytes = fs::read(&path).unwrap();
            (path.strip_prefix(root).unwrap().to_owned(), bytes, written)
        })
        .collect()
}

fn corpus(scale: &str, revisions: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "corpus",
            "--scale",
            scale,
            "--revisions",
            revisions,
            "--out",
        ])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_corpus_is_never_written_over_the_dataset_it_grows_from() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("sources/manifest.yaml");
    fs::create_dir_all(kept.parent().unwrap()).unwrap();
    fs::write(&kept, "sources: []\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(dir.path())
        .args(["corpus", "--scale", "1", "--out"])
        .arg(dir.path().join("."))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("dataset's own sources"), "{stderr}");
    assert_eq!(fs::read_to_string(&kept).unwrap(), "sources: []\n");
}

#[test]
fn a_corpus_made_again_in_place_rewrites_nothing_and_drops_what_it_no_longer_has() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    corpus("2", "3", dir.path());
    let first = files(&sources);
    // Past the file system's clock tick, so that a file written again would show.
    std::thread::sleep(Duration::from_millis(50));
    corpus("2", "3", dir.path());
    assert_eq!(files(&sources), first, "nothing rewritten");

    // Fewer documents and revisions in the same place: what a fresh corpus holds,
    // nothing more.
    corpus("1", "2", dir.path());
    let fresh = tempfile::tempdir().unwrap();
    corpus("1", "2", fresh.path());
    let contents = |files: Vec<(PathBuf, Vec<u8>, SystemTime)>| {
        files
            .into_iter()
            .map(|(p, b, _)| (p, b))
            .collect::<Vec<_>>()
    };
    let again = contents(files(&sources));
    assert!(again.len() < first.len());
    assert_eq!(again, contents(files(&fresh.path().join("sources"))));
    // No document directory is left empty.
    for entry in fs::read_dir(&sources).unwrap() {
        let path = entry.unwrap().path();
        assert!(!path.is_dir() || fs::read_dir(&path).unwrap().next().is_some());
    }
}

#[test]
fn bad_arguments_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let out = dir.path().to_str().unwrap();
    // Under a root with no sources, a bad argument that got through would fail at
    // once instead of running a whole bench.
    let missing = dir.path().join("missing");
    let root = ["--root", missing.to_str().unwrap()];
    for (args, flag) in [
        (vec!["corpus", "--scale", "0", "--out", out], "--scale"),
        (
            vec!["corpus", "--revisions", "0", "--out", out],
            "--revisions",
        ),
        (vec!["bench", "--scale", "0"], "--scale"),
        (vec!["bench", "--runs", "0"], "--runs"),
        (vec!["bench", "--crate-codes", "0"], "--crate-codes"),
    ] {
        let stderr = run(&[&root[..], &args].concat());
        assert!(
            stderr.contains(&format!("invalid value '0' for '{flag}")),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);

    // A file where the corpus's directory should be: the error names it.
    let file = dir.path().join("taken");
    fs::write(&file, "not a directory").unwrap();
    let stderr = run(&["corpus", "--scale", "1", "--out", file.to_str().unwrap()]);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a directory");
}

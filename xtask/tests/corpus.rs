//! The generated corpus through both pipelines: the streamed regen (changes spilled
//! and read back, data bodies copied from the cache) writes what the in-memory
//! pipeline renders, on many documents, locales and revisions.

use std::process::Command;

use errcat::regen::{self, LoadOptions};

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
            let mut streamed = errcat::emit::Files::new();
            regen::stream(dir.path(), LoadOptions { threads, cache }, &mut streamed).unwrap();
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

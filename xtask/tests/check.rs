//! `cargo xtask check` and `regen` as CI runs them, on a scratch copy of the dataset.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../tests/common/tree.rs"]
mod tree;
use tree::copy_tree;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn xtask(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn check_passes_on_fresh_output_and_fails_on_a_hand_edit() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&workspace().join("sources"), &dir.path().join("sources"));
    copy_tree(
        &workspace().join("generated"),
        &dir.path().join("generated"),
    );
    let ok = xtask(&["check"], dir.path());
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let data = dir.path().join("generated/errcat-codes/src/data.rs");
    let text = fs::read_to_string(&data).unwrap();
    fs::write(&data, text.replacen("pub const", "pub  const", 1)).unwrap();
    let stale = xtask(&["check"], dir.path());
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("generated/errcat-codes/src/data.rs: stale"),
        "{stderr}"
    );
    assert!(
        stderr.contains("run `cargo xtask regen` and commit"),
        "{stderr}"
    );

    let regen = xtask(&["regen"], dir.path());
    assert!(regen.status.success());
    assert!(
        String::from_utf8_lossy(&regen.stdout).contains("wrote generated/errcat-codes/src/data.rs")
    );
    assert_eq!(xtask(&["check"], dir.path()).status.code(), Some(0));
}

#[test]
fn a_bad_source_fails_regen_with_its_name_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&workspace().join("sources"), &dir.path().join("sources"));
    copy_tree(
        &workspace().join("generated"),
        &dir.path().join("generated"),
    );
    let manifest = dir.path().join("sources/manifest.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replacen("locale: en-us", "locale: EN_US", 1),
    )
    .unwrap();
    let out = xtask(&["regen"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let what = "upstreams[0].locale: `EN_US` is not a lower-case BCP 47 tag";
    // Named with the line that gives the field.
    let line = 1 + text
        .lines()
        .position(|l| l.contains("locale: en-us"))
        .unwrap();
    assert!(
        stderr.contains(&format!("manifest.yaml:{line}: {what}")),
        "{stderr}"
    );
    assert_eq!(stderr.matches(what).count(), 1, "said once: {stderr}");
}

#[test]
fn a_missing_manifest_is_named_with_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    for task in ["regen", "check"] {
        let out = xtask(&[task], dir.path());
        assert_eq!(out.status.code(), Some(1), "{task}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let manifest = dir.path().join("sources/manifest.yaml");
        assert!(
            stderr.starts_with(&format!("error: {}: ", manifest.display())),
            "{task}: {stderr}"
        );
        assert_eq!(
            stderr.matches("(os error 2)").count(),
            1,
            "{task}: {stderr}"
        );
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn unknown_commands_print_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: cargo xtask"));
}

//! The generated crate built from a catalogue of the test's own, with a probe
//! program that depends on it as a downstream tool does.

use std::path::Path;
use std::process::Command;

use errcat::catalog::Catalog;
use errcat::emit::{self, Versions};

/// Writes the crate for `catalog` and a probe whose `main.rs` is `main` into a
/// temporary folder, runs the probe offline, and returns what it printed.
pub fn run_probe(catalog: &Catalog, versions: &Versions, main: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let write = |path: &Path, contents: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    let krate = dir.join("errcat-codes");
    write(&krate.join("Cargo.toml"), &emit::codes::cargo_toml());
    write(&krate.join("README.md"), "x");
    write(&krate.join("src/lib.rs"), &emit::codes::lib_rs());
    write(&krate.join("src/names.rs"), &emit::codes::names_rs());
    write(
        &krate.join("src/data.rs"),
        &emit::codes::data_rs(catalog, versions),
    );
    let probe = dir.join("probe");
    write(
        &probe.join("Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\nerrcat-codes = { path = \"../errcat-codes\" }\n",
    );
    write(&probe.join("src/main.rs"), main);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["run", "--quiet", "--offline", "--manifest-path"])
        .arg(probe.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

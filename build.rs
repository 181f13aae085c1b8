//! Fingerprints the library's source and the versions of what it is built with
//! (`Cargo.toml`, `Cargo.lock`), so that the ingest cache never serves a revision
//! built by other code, a parser upgrade included: a cache entry's key includes
//! this id.

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut paths = Vec::new();
    files(Path::new("src"), &mut paths);
    paths.sort();
    // Outside this workspace there may be no lock file; then the sources alone.
    paths.extend(["Cargo.toml", "Cargo.lock"].map(PathBuf::from));
    // FNV-1a: enough to tell builds apart; nothing here is secret.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in paths {
        for byte in path
            .to_string_lossy()
            .bytes()
            .chain(fs::read(&path).unwrap_or_default())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=ERRCAT_BUILD_ID={hash:016x}");
}

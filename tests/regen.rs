//! `generated/` is fresh, deterministic, written atomically, and enough for a
//! downstream crate. A plain `cargo test` catches stale output, as `cargo xtask
//! check` does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use errcat::manifest::Manifest;
use errcat::regen::{self, ChangeKind};

mod common;
use common::{copy_tree, long_history, root};

/// The ingest cache's packs.
fn cache_entries(root: &Path) -> Vec<PathBuf> {
    fs::read_dir(root.join(regen::CACHE_DIR))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "pack"))
        .collect()
}

/// What `run` gives, and whether it ran the pipeline: the pipeline leaves the ingest
/// cache's packs, which are removed first.
fn ran_the_pipeline<T>(root: &Path, run: impl FnOnce() -> T) -> (T, bool) {
    for pack in cache_entries(root) {
        fs::remove_file(pack).unwrap();
    }
    let out = run();
    (out, !cache_entries(root).is_empty())
}

/// Changes one source and its manifest digest, as fetch would.
fn touch_source(root: &Path, file: &str) {
    let path = root.join("sources").join(file);
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("Contact support", "Contact Support");
    fs::write(&path, &text).unwrap();
    let manifest_path = root.join("sources/manifest.yaml");
    let mut manifest = Manifest::parse(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest
        .sources
        .iter_mut()
        .find(|s| s.file == file)
        .unwrap()
        .sha256 = errcat::sha256_hex(text.as_bytes());
    fs::write(&manifest_path, manifest.to_yaml()).unwrap();
}

/// A scratch dataset: a copy of `sources/` and `generated/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("sources"), &dir.path().join("sources"));
    copy_tree(&root().join("generated"), &dir.path().join("generated"));
    dir
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generated_files_are_fresh() {
    let files = regen::generate(&root()).expect("regen runs on the embedded sources");
    let report = regen::compare(&root(), &files).unwrap();
    assert!(
        report.is_empty(),
        "generated/ is stale: run `cargo xtask regen` and commit\n{}",
        regen::describe(&root(), &report, 40)
    );
}

#[test]
fn every_generated_file_says_so_and_carries_its_versions() {
    let files = regen::generate(&root()).unwrap();
    let dataset = errcat_codes::DATA_VERSION;
    for (path, text) in &files {
        if path.ends_with(".json") {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(json["generated_by"], errcat::emit::HEADER, "{path}");
            assert_eq!(json["schema_version"], errcat::SCHEMA_VERSION, "{path}");
            assert_eq!(json["dataset_version"], dataset, "{path}");
        } else {
            let first = text.lines().next().unwrap_or_default();
            assert!(first.contains(errcat::emit::HEADER), "{path}: {first}");
        }
    }
    assert!(files.contains_key("data/windows-hello-pin-errors/2018-05-05.en-us.json"));
    assert!(files["errcat-codes/src/data.rs"].contains(dataset));
}

#[test]
fn data_files_match_their_schemas_top_level() {
    let files = regen::generate(&root()).unwrap();
    for (path, schema) in [
        ("catalog.json", "schema/catalog.schema.json"),
        (
            "data/entra-hybrid-join-troubleshooting/2024-11-25.en-us.json",
            "schema/revision.schema.json",
        ),
    ] {
        let data: serde_json::Value = serde_json::from_str(&files[path]).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&files[schema]).unwrap();
        let mut keys: Vec<&String> = data.as_object().unwrap().keys().collect();
        let mut declared: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        keys.sort();
        declared.sort();
        assert_eq!(keys, declared, "{path}");
        for required in schema["required"].as_array().unwrap() {
            assert!(
                data.get(required.as_str().unwrap()).is_some(),
                "{path}: {required}"
            );
        }
    }
}

#[test]
fn two_regens_give_the_same_bytes() {
    let a = regen::generate(&root()).unwrap();
    let b = regen::generate(&root()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn interleaving_the_manifest_changes_no_byte() {
    let dir = scratch();
    let path = dir.path().join("sources/manifest.yaml");
    let mut manifest = Manifest::parse(&fs::read_to_string(&path).unwrap()).unwrap();
    // Revision order within a document and locale is the manifest's meaning; the
    // order of documents and locales around it is not.
    manifest.sources.reverse();
    manifest.upstreams.reverse();
    let pin_en: Vec<_> = manifest
        .sources
        .iter()
        .filter(|s| s.document == "windows-hello-pin-errors" && s.locale == "en-us")
        .cloned()
        .collect();
    manifest
        .sources
        .retain(|s| !(s.document == "windows-hello-pin-errors" && s.locale == "en-us"));
    let mut chronological = pin_en;
    chronological.reverse();
    manifest.sources.splice(1..1, chronological);
    fs::write(&path, manifest.to_yaml()).unwrap();
    assert_eq!(
        regen::generate(dir.path()).unwrap(),
        regen::generate(&root()).unwrap()
    );
}

#[test]
fn crlf_sources_change_no_byte() {
    let dir = scratch();
    for entry in Manifest::parse(&fs::read_to_string(root().join("sources/manifest.yaml")).unwrap())
        .unwrap()
        .sources
    {
        let path = dir.path().join("sources").join(&entry.file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    }
    let manifest = dir.path().join("sources/manifest.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace('\n', "\r\n")).unwrap();
    assert_eq!(
        regen::generate(dir.path()).unwrap(),
        regen::generate(&root()).unwrap()
    );
}

#[test]
fn a_hand_edited_file_is_stale() {
    let dir = scratch();
    let files = regen::generate(dir.path()).unwrap();
    assert!(regen::compare(dir.path(), &files).unwrap().is_empty());
    let edited = dir.path().join("generated/catalog.json");
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replacen("Sign out", "Sign off", 1)).unwrap();
    fs::remove_file(dir.path().join("generated/schema/revision.schema.json")).unwrap();
    let report = regen::compare(dir.path(), &files).unwrap();
    let kinds: Vec<(&str, ChangeKind)> = report
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("catalog.json", ChangeKind::Stale),
            ("schema/revision.schema.json", ChangeKind::Missing)
        ]
    );
    let report = regen::describe(dir.path(), &report, 40);
    assert!(report.contains("-") && report.contains("Sign off") && report.contains("Sign out"));
    regen::write(dir.path(), &files).unwrap();
    assert!(regen::compare(dir.path(), &files).unwrap().is_empty());
}

#[test]
fn a_generated_file_no_longer_produced_is_removed_and_others_are_left_alone() {
    let dir = scratch();
    let files = regen::generate(dir.path()).unwrap();
    let orphan = dir.path().join("generated/data/gone/old.en-us.json");
    fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    fs::write(
        &orphan,
        format!("{{\"generated_by\": \"{}\"}}\n", errcat::emit::HEADER),
    )
    .unwrap();
    let mine = dir.path().join("generated/NOTES.txt");
    fs::write(&mine, "not generated\n").unwrap();
    let written = regen::write(dir.path(), &files).unwrap();
    assert_eq!(written.removed, ["data/gone/old.en-us.json"]);
    assert!(!orphan.exists());
    assert!(mine.exists());
}

/// Regen and check find the generated files no longer produced by walking
/// `generated/` and the paths produced, both in byte order. A folder's name that
/// another's starts with (`foo`, `foo-bar`, `foo.d`) sorts apart from its files'
/// paths (`foo-bar/…` before `foo/…`): walked in any other order, files still
/// produced would count as no longer produced, and be removed.
#[test]
fn only_files_no_longer_produced_are_removed_whatever_their_names_sort_beside() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated");
    let body = |path: &str| {
        format!(
            "{{\"generated_by\": \"{}\", \"path\": \"{path}\"}}\n",
            errcat::emit::HEADER
        )
    };
    let produced = [
        "a.json",
        "data/foo/a.json",
        "data/foo-bar/a.json",
        "data/foo.d/a.json",
        "data/foo.json",
        "data/foo/b/c.json",
        "data/foo0/a.json",
    ];
    let gone = [
        "a-.json",
        "data/foo-bar/b.json",
        "data/foo/a.json.old",
        "data/foo/b.json",
        "data/foo/b/c/d.json",
        "data/foo.d.json",
        "z/a.json",
    ];
    for path in produced.iter().chain(&gone) {
        let file = generated.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, body(path)).unwrap();
    }
    let files: errcat::emit::Files = produced.iter().map(|p| (p.to_string(), body(p))).collect();
    let report = regen::compare(dir.path(), &files).unwrap();
    let mut extra: Vec<&str> = report.changes.iter().map(|c| c.path.as_str()).collect();
    assert!(report.changes.iter().all(|c| c.kind == ChangeKind::Extra));
    let mut expected = gone.to_vec();
    expected.sort();
    extra.sort();
    assert_eq!(extra, expected);
    let written = regen::write(dir.path(), &files).unwrap();
    assert_eq!(written.files, 0);
    assert_eq!(written.removed, expected);
    for path in produced {
        assert!(generated.join(path).exists(), "{path} was removed");
    }
    for path in gone {
        assert!(!generated.join(path).exists(), "{path} was left");
    }
}

#[test]
fn a_failed_ingest_leaves_generated_unchanged() {
    let dir = scratch();
    let before = snapshot(&dir.path().join("generated"));
    let source = dir
        .path()
        .join("sources/mfa-nps-extension-errors/2017-07-14.en-us.txt");
    fs::write(&source, b"tampered\n").unwrap();
    let err = regen::generate(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("sources/mfa-nps-extension-errors/2017-07-14.en-us.txt: sha256 is"),
        "{err}"
    );
    // It names the manifest's line with the file's digest, where the fix goes.
    let manifest = fs::read_to_string(dir.path().join("sources/manifest.yaml")).unwrap();
    let file_line = (manifest.lines())
        .position(|l| l.contains("2017-07-14.en-us.txt"))
        .unwrap();
    let line = 1
        + file_line
        + (manifest.lines().skip(file_line))
            .position(|l| l.trim_start().starts_with("sha256:"))
            .unwrap();
    assert!(
        err.contains(&format!("but sources/manifest.yaml:{line} says ")),
        "{err}"
    );
    assert_eq!(snapshot(&dir.path().join("generated")), before);
}

/// A wrong field of a manifest entry is named with the line that gives it, by regen
/// and by check alike, and nothing is written.
#[test]
fn a_wrong_manifest_field_names_its_line() {
    let dir = scratch();
    let before = snapshot(&dir.path().join("generated"));
    let path = dir.path().join("sources/manifest.yaml");
    let manifest = fs::read_to_string(&path).unwrap();
    let line_at = |at: usize| 1 + manifest[..at].matches('\n').count();
    // The second entry's date: a day no calendar has.
    let sources = manifest.find("\nsources:\n").unwrap();
    let second = sources
        + manifest[sources..]
            .match_indices("\n- document:")
            .nth(1)
            .unwrap()
            .0;
    let at = second + manifest[second..].find("  date: ").unwrap();
    let line = line_at(at);
    let end = at + manifest[at..].find('\n').unwrap();
    fs::write(
        &path,
        format!(
            "{}  date: '2018-02-30'{}",
            &manifest[..at],
            &manifest[end..]
        ),
    )
    .unwrap();
    let expected = format!("manifest.yaml:{line}: sources[1].date: `2018-02-30` is not a day");
    let err = regen::regen(dir.path()).unwrap_err().to_string();
    assert!(err.contains(&expected), "{err}");
    let err = regen::check(dir.path()).unwrap_err().to_string();
    assert!(err.contains(&expected), "{err}");
    // An upstream's field, too.
    let line = line_at(manifest.find("  url: https://").unwrap());
    fs::write(
        &path,
        manifest.replacen("  url: https://", "  url: ftp://", 1),
    )
    .unwrap();
    let err = regen::regen(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(&format!("manifest.yaml:{line}: upstreams[0].url: `ftp://")),
        "{err}"
    );
    assert_eq!(snapshot(&dir.path().join("generated")), before);
}

#[test]
fn a_write_that_fails_part_way_leaves_generated_unchanged() {
    let dir = scratch();
    let mut files = regen::generate(dir.path()).unwrap();
    for text in files.values_mut() {
        text.push('\n');
    }
    let before = snapshot(&dir.path().join("generated"));
    // The last file's temporary cannot be created: a directory stands in its way.
    let (last, _) = files.iter().next_back().unwrap();
    let blocker = dir
        .path()
        .join("generated")
        .join(format!("{last}{}", regen::TEMP_SUFFIX));
    fs::create_dir_all(blocker.join("in-the-way")).unwrap();
    assert!(regen::write(dir.path(), &files).is_err());
    fs::remove_dir_all(&blocker).unwrap();
    assert_eq!(snapshot(&dir.path().join("generated")), before);
}

/// The same for regen as it streams, on as many threads as the machine gives: a
/// data file and `catalog.json` fail, whichever threads write them, and every
/// other file may already be staged beside its target when they do.
#[test]
fn a_streamed_regen_that_fails_part_way_leaves_generated_unchanged() {
    let dir = scratch();
    let generated = dir.path().join("generated");
    let files = regen::generate(dir.path()).unwrap();
    // Every file on disk differs from what regen writes, so regen stages them all.
    for path in files.keys() {
        fs::write(generated.join(path), "{}\n").unwrap();
    }
    let before = snapshot(&generated);
    let data = files.keys().find(|p| p.starts_with("data/")).unwrap();
    let blockers: Vec<PathBuf> = [data.as_str(), "catalog.json"]
        .iter()
        .map(|path| generated.join(format!("{path}{}", regen::TEMP_SUFFIX)))
        .collect();
    for blocker in &blockers {
        fs::create_dir_all(blocker.join("in-the-way")).unwrap();
    }
    let err = regen::regen(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(data.as_str()) || err.contains("catalog.json"),
        "{err}"
    );
    for blocker in &blockers {
        fs::remove_dir_all(blocker).unwrap();
    }
    assert_eq!(snapshot(&generated), before, "no file replaced, none left");
}

/// A file the sink refuses stops the second pass on every thread, and its error is
/// the one that comes out, whichever thread wrote it.
#[test]
fn a_file_the_sink_refuses_fails_the_stream_on_any_number_of_threads() {
    struct Refusing(String);
    impl regen::Sink for Refusing {
        fn file(&self, path: String, _: String) -> Result<(), regen::RegenError> {
            if path != self.0 {
                return Ok(());
            }
            Err(regen::RegenError::Io {
                path: PathBuf::from(path),
                source: std::io::Error::other("refused"),
            })
        }
    }
    let dir = scratch();
    let files = regen::generate(dir.path()).unwrap();
    let data: Vec<&String> = files.keys().filter(|p| p.starts_with("data/")).collect();
    for refused in [data[0], data[data.len() - 1], &"catalog.json".to_owned()] {
        for threads in [1, 2, 3] {
            let options = regen::LoadOptions {
                threads,
                cache: true,
            };
            let err = regen::stream(dir.path(), options, &Refusing(refused.clone()))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(refused.as_str()) && err.contains("refused"),
                "{err}"
            );
        }
    }
}

/// On two threads, files reach the sink from both at once. Writing them was one
/// thread's work: 40–43 ms of a cold `cargo xtask regen` at scale 10, on one thread
/// and on two alike (BENCHMARKS.md, "`cargo xtask regen` on a fresh clone").
#[test]
fn files_reach_the_sink_from_two_threads_at_once() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Condvar;
    use std::time::{Duration, Instant};
    /// Holds each file until another arrives while it is held, or until a
    /// deadline: then nothing waits again, and the test fails instead of hanging.
    #[derive(Default)]
    struct Meeting {
        in_hand: Mutex<usize>,
        arrived: Condvar,
        met: AtomicBool,
        gave_up: AtomicBool,
        files: Mutex<errcat::emit::Files>,
    }
    impl regen::Sink for Meeting {
        fn file(&self, path: String, contents: String) -> Result<(), regen::RegenError> {
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut in_hand = self.in_hand.lock().unwrap();
            *in_hand += 1;
            if *in_hand > 1 {
                self.met.store(true, Ordering::SeqCst);
                self.arrived.notify_all();
            }
            while !self.met.load(Ordering::SeqCst) && !self.gave_up.load(Ordering::SeqCst) {
                let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                    self.gave_up.store(true, Ordering::SeqCst);
                    break;
                };
                in_hand = self.arrived.wait_timeout(in_hand, left).unwrap().0;
            }
            *in_hand -= 1;
            drop(in_hand);
            self.files.lock().unwrap().insert(path, contents);
            Ok(())
        }
    }
    let dir = scratch();
    let options = regen::LoadOptions {
        threads: 2,
        cache: false,
    };
    let meeting = Meeting::default();
    regen::stream(dir.path(), options, &meeting).unwrap();
    assert!(
        meeting.met.load(Ordering::SeqCst),
        "no two files were in the sink at once"
    );
    let files = meeting.files.into_inner().unwrap();
    assert_same_files(&files, &regen::generate(dir.path()).unwrap(), "met");
}

#[test]
fn a_downstream_crate_depends_on_the_generated_crate_by_path() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root().join("target/downstream");
    let out = Command::new(cargo)
        .args(["run", "--quiet", "--offline", "--manifest-path"])
        .arg(root().join("tests/downstream/Cargo.toml"))
        .args([
            "--",
            "0x801c03ed",
            "DSREG_E_DIRECTORY_FAILURE",
            "-2145647635",
            "nope",
        ])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "0x801c03ed -> 0x801C03ED [] in 2 contexts",
            "DSREG_E_DIRECTORY_FAILURE -> 0x801C03F2 [DSREG_E_DIRECTORY_FAILURE] in 3 contexts",
            "-2145647635 -> 0x801C03ED [] in 2 contexts",
            "nope -> unknown",
        ]
    );
}

#[test]
fn touching_one_source_reingests_only_that_source() {
    use errcat::regen::{load_with, LoadOptions, LoadStats};
    let dir = scratch();
    let options = LoadOptions {
        threads: 2,
        cache: true,
    };
    let (first, stats) = load_with(dir.path(), options).unwrap();
    assert_eq!(
        stats,
        LoadStats {
            ingested: 5,
            cached: 0
        }
    );
    let (again, stats) = load_with(dir.path(), options).unwrap();
    assert_eq!(
        stats,
        LoadStats {
            ingested: 0,
            cached: 5
        }
    );
    assert_eq!(first.revisions, again.revisions);

    touch_source(dir.path(), "mfa-nps-extension-errors/2017-07-14.en-us.txt");
    let (touched, stats) = load_with(dir.path(), options).unwrap();
    assert_eq!(
        stats,
        LoadStats {
            ingested: 1,
            cached: 4
        }
    );
    assert_ne!(touched.revisions[4], first.revisions[4]);

    // A corrupt entry is rebuilt, not trusted; the result equals a cold load.
    for entry in cache_entries(dir.path()) {
        fs::write(entry, b"{ not json").unwrap();
    }
    let (rebuilt, stats) = load_with(dir.path(), options).unwrap();
    assert_eq!(stats.ingested, 5);
    let cold = load_with(
        dir.path(),
        LoadOptions {
            threads: 1,
            cache: false,
        },
    )
    .unwrap()
    .0;
    assert_eq!(rebuilt.revisions, cold.revisions);
}

#[test]
fn a_check_on_what_regen_left_reads_only_the_bytes_until_something_changes() {
    let dir = scratch();
    let root = dir.path();
    let check_ran_the_pipeline = || ran_the_pipeline(root, || regen::check(root).unwrap().changes);
    let kinds = |changes: &[regen::Change]| -> Vec<(String, ChangeKind)> {
        changes.iter().map(|c| (c.path.clone(), c.kind)).collect()
    };
    regen::regen(root).unwrap();
    assert!(root.join(regen::CHECK_RECORD).exists());
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));

    // A hand edit to a generated file: the record no longer holds.
    let catalog = root.join("generated/catalog.json");
    let original = fs::read(&catalog).unwrap();
    fs::write(&catalog, [&original[..], b" "].concat()).unwrap();
    for _ in 0..2 {
        // The record holds what the pipeline produced, never what the disk held.
        let (changes, ran) = check_ran_the_pipeline();
        assert!(ran);
        assert_eq!(
            kinds(&changes),
            [("catalog.json".to_owned(), ChangeKind::Stale)]
        );
    }
    fs::write(&catalog, &original).unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));

    // A generated file regen does not write.
    let extra = root.join("generated/data/extra.json");
    fs::copy(&catalog, &extra).unwrap();
    let (changes, ran) = check_ran_the_pipeline();
    assert!(ran);
    assert_eq!(
        kinds(&changes),
        [("data/extra.json".to_owned(), ChangeKind::Extra)]
    );
    fs::remove_file(&extra).unwrap();

    // A generated file gone.
    let data = fs::read_dir(root.join("generated/data/mfa-nps-extension-errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let bytes = fs::read(&data).unwrap();
    fs::remove_file(&data).unwrap();
    let (changes, ran) = check_ran_the_pipeline();
    assert!(ran);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].kind, ChangeKind::Missing);
    fs::write(&data, bytes).unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));

    // A file of the maintainers' own, without the generated header, is not regen's.
    let notes = root.join("generated/NOTES.txt");
    fs::write(&notes, "kept by hand\n").unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));
    fs::remove_file(&notes).unwrap();

    // A source changed behind its manifest's back is still an error.
    let source = root.join("sources/mfa-nps-extension-errors/2017-07-14.en-us.txt");
    let bytes = fs::read(&source).unwrap();
    fs::write(&source, [&bytes[..], b"\n"].concat()).unwrap();
    let err = regen::check(root).unwrap_err().to_string();
    assert!(err.contains("2017-07-14.en-us.txt: sha256 is"), "{err}");
    fs::write(&source, &bytes).unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));

    // A new revision of a source, with its manifest digest: generated/ is stale,
    // and the record must not say otherwise.
    touch_source(root, "mfa-nps-extension-errors/2017-07-14.en-us.txt");
    let (changes, ran) = check_ran_the_pipeline();
    assert!(ran);
    assert!(
        changes.iter().any(|c| c.path == "catalog.json"),
        "{changes:?}"
    );
    regen::regen(root).unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));

    // A record that cannot be read, or is from another build, is not trusted; the
    // check writes it anew.
    let record = root.join(regen::CHECK_RECORD);
    let text = fs::read_to_string(&record).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1] = "another build";
    fs::write(&record, lines.join("\n") + "\n").unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), true));
    // The same record: its files' lines come in the order the files passed.
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[3..].sort();
        lines
    };
    assert_eq!(sorted(&fs::read_to_string(&record).unwrap()), sorted(&text));
    fs::write(&record, "garbled").unwrap();
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), true));
    assert_eq!(check_ran_the_pipeline(), (Vec::new(), false));
}

#[test]
fn a_regen_on_what_regen_left_writes_nothing_until_something_changes() {
    let dir = scratch();
    let root = dir.path();
    let regen_ran_the_pipeline = || ran_the_pipeline(root, || regen::regen(root).unwrap());
    regen::regen(root).unwrap();
    assert_eq!(regen_ran_the_pipeline(), (regen::Written::default(), false));

    // A hand edit is put right, and so is a generated file regen no longer writes.
    let catalog = root.join("generated/catalog.json");
    let original = fs::read(&catalog).unwrap();
    fs::write(&catalog, b"{}").unwrap();
    let extra = root.join("generated/data/extra.json");
    fs::write(&extra, &original).unwrap();
    let (written, ran) = regen_ran_the_pipeline();
    assert!(ran);
    assert_eq!(written.updated, ["catalog.json"]);
    assert_eq!(written.removed, ["data/extra.json"]);
    assert_eq!(fs::read(&catalog).unwrap(), original);
    assert_eq!(regen_ran_the_pipeline(), (regen::Written::default(), false));

    // A new revision of a source is regenerated.
    touch_source(root, "mfa-nps-extension-errors/2017-07-14.en-us.txt");
    let (written, ran) = regen_ran_the_pipeline();
    assert!(ran);
    assert!(written.updated.contains(&"catalog.json".to_owned()));
    assert_eq!(regen_ran_the_pipeline(), (regen::Written::default(), false));
}

/// Streamed on one thread and on two, with the cache or without it, `root` gives
/// the files `in_memory` holds, byte for byte.
fn assert_streams_as_in_memory(root: &Path, in_memory: &errcat::emit::Files, cache: bool) {
    for threads in [1, 2] {
        let options = regen::LoadOptions { threads, cache };
        let streamed = regen::generate_with(root, options).unwrap();
        assert_same_files(&streamed, in_memory, &format!("on {threads} threads"));
    }
}

/// The same files, byte for byte.
fn assert_same_files(streamed: &errcat::emit::Files, in_memory: &errcat::emit::Files, how: &str) {
    assert_eq!(
        streamed.keys().collect::<Vec<_>>(),
        in_memory.keys().collect::<Vec<_>>()
    );
    for (path, text) in streamed {
        assert!(text == &in_memory[path], "{path} differs {how}");
    }
}

#[test]
fn streaming_regen_writes_what_the_in_memory_pipeline_renders() {
    let streamed = regen::generate(&root()).unwrap();
    let in_memory = regen::load(&root()).unwrap().outputs();
    assert_same_files(&streamed, &in_memory, "streamed");
    // Without the cache, the bodies come from a fresh ingest; the bytes do not change.
    let uncached = regen::generate_with(
        &root(),
        regen::LoadOptions {
            threads: 1,
            cache: false,
        },
    )
    .unwrap();
    assert_eq!(uncached, streamed);
}

#[test]
fn cache_entries_are_checked_before_their_text_is_copied() {
    let dir = scratch();
    let options = regen::LoadOptions {
        threads: 2,
        cache: true,
    };
    let stream = || regen::generate_with(dir.path(), options).unwrap();
    let cold = stream();
    // One pack per chain: three documents, one of them also in ja-jp.
    let packs = cache_entries(dir.path());
    assert_eq!(packs.len(), 4);
    let contents: Vec<Vec<u8>> = packs.iter().map(|p| fs::read(p).unwrap()).collect();
    // Each holds its chain's data-file bodies.
    let holds = |pack: &[u8], text: &str| pack.windows(text.len()).any(|w| w == text.as_bytes());
    for (path, file) in cold.iter().filter(|(path, _)| path.starts_with("data/")) {
        let body = &file[file.find(",\n  \"document\"").unwrap() + 2..file.len() - 1];
        assert!(contents.iter().any(|p| holds(p, body)), "{path}");
    }
    // Entries that still parse but are not the bytes written, so not what their
    // revision renders to: the same length, with a tab for a space of indentation.
    let untidy = |pack: &Path| {
        let mut bytes = fs::read(pack).unwrap();
        let mut changed = 0;
        for i in 0..bytes.len() - 2 {
            if bytes[i..i + 3] == *b"\n  " {
                bytes[i + 1] = b'\t';
                changed += 1;
            }
        }
        assert!(changed > 0);
        fs::write(pack, bytes).unwrap();
    };
    for pack in &packs {
        untidy(pack);
    }
    assert_eq!(stream(), cold);
    for pack in &packs {
        assert!(!holds(&fs::read(pack).unwrap(), "\n\t "), "rewritten");
    }

    // When a pack cannot be rewritten (a directory where its temporary would go),
    // its revisions are rendered again for the data files.
    for pack in &packs {
        untidy(pack);
        let mut temp = pack.file_name().unwrap().to_os_string();
        temp.push(format!(".tmp{}", std::process::id()));
        fs::create_dir(pack.with_file_name(temp)).unwrap();
    }
    assert_eq!(stream(), cold);
    for pack in &packs {
        assert!(holds(&fs::read(pack).unwrap(), "\n\t "), "left as it was");
    }

    // A pack that changes between the passes (another regen, a hand) cannot reach an
    // output: the second pass reads back what the first spilled, never a pack.
    for pack in &packs {
        let mut temp = pack.file_name().unwrap().to_os_string();
        temp.push(format!(".tmp{}", std::process::id()));
        fs::remove_dir(pack.with_file_name(temp)).unwrap();
    }
    assert_eq!(stream(), cold);
    struct Tamper<'a> {
        files: Mutex<errcat::emit::Files>,
        packs: &'a [PathBuf],
        untidy: &'a (dyn Fn(&Path) + Sync),
    }
    impl regen::Sink for Tamper<'_> {
        fn file(&self, path: String, contents: String) -> Result<(), regen::RegenError> {
            let mut files = self.files.lock().unwrap();
            if path.starts_with("data/") && files.is_empty() {
                for pack in self.packs {
                    (self.untidy)(pack);
                }
            }
            files.insert(path, contents);
            Ok(())
        }
    }
    let tamper = Tamper {
        files: Mutex::default(),
        packs: &packs,
        untidy: &untidy,
    };
    // The packs are tampered with as the first data file reaches the sink, after the
    // first pass read every one of them.
    let one = regen::LoadOptions {
        threads: 1,
        cache: true,
    };
    regen::stream(dir.path(), one, &tamper).unwrap();
    assert!(holds(&fs::read(&packs[0]).unwrap(), "\n\t "), "tampered");
    assert_eq!(tamper.files.into_inner().unwrap(), cold);
}

#[test]
fn the_catalogue_is_merged_the_same_on_any_number_of_threads() {
    use errcat::catalog::{Chain, Merger};
    let dataset = regen::load(&root()).unwrap();
    let merged = |threads| {
        let merger = Merger::default();
        for revisions in errcat::group_by(&dataset.revisions, |a, b| a.chain().cmp(&b.chain())) {
            let mut chain = Chain::default();
            for revision in revisions {
                chain.add(revision);
            }
            merger.add(chain);
        }
        merger.finish(threads)
    };
    let one = merged(1);
    assert!(one.conflicts.len() > 1);
    for threads in 2..=7 {
        assert!(merged(threads) == one, "{threads} threads");
    }
}

#[test]
fn the_catalogue_is_the_same_whatever_order_its_chains_are_merged_in() {
    use errcat::catalog::{Chain, Merger};
    let dataset = regen::load(&root()).unwrap();
    let chains: Vec<Chain> = errcat::group_by(&dataset.revisions, |a, b| a.chain().cmp(&b.chain()))
        .into_iter()
        .map(|revisions| {
            let mut chain = Chain::default();
            for revision in revisions {
                chain.add(revision);
            }
            chain
        })
        .collect();
    assert!(chains.len() > 2);
    let merged = |order: &mut dyn Iterator<Item = &Chain>| {
        let merger = Merger::default();
        order.for_each(|chain| merger.add(chain.clone()));
        merger.finish(1)
    };
    let in_order = merged(&mut chains.iter());
    assert!(in_order.conflicts.len() > 1);
    assert!(merged(&mut chains.iter().rev()) == in_order, "reversed");
    let middle_first = chains[1..].iter().chain(&chains[..1]);
    assert!(merged(&mut middle_first.into_iter()) == in_order, "rotated");
}

#[test]
fn the_catalogue_renders_the_same_on_any_number_of_threads() {
    let dataset = regen::load(&root()).unwrap();
    let mut catalog = dataset.catalog();
    assert!(!catalog.conflicts.is_empty());
    // Text JSON must escape: line breaks, quotes, a lone `{`.
    catalog.codes[0]
        .names
        .push("A\nB \"{\" \\ \u{2028}".to_owned());
    let whole = errcat::emit::pretty(&catalog);
    for threads in 1..=5 {
        assert!(errcat::emit::pretty_catalog(&catalog, threads) == whole);
        let (pieces, digest) = errcat::emit::catalog_pieces(&catalog, threads);
        assert!(pieces.concat() == whole);
        assert_eq!(digest, errcat::emit::digest(&whole));
    }
    // Enveloped in pieces, as regen writes it: the same file as enveloped whole.
    let versions = errcat::emit::Versions {
        schema: "1".to_owned(),
        dataset: "d".to_owned(),
        source_digest: "s".to_owned(),
        generator: "g".to_owned(),
    };
    let mut file = String::new();
    let (pieces, _) = errcat::emit::catalog_pieces(&catalog, 3);
    std::io::Read::read_to_string(
        &mut errcat::emit::spill::Pieces::new(
            None,
            errcat::emit::envelope_pieces(&versions, pieces),
        ),
        &mut file,
    )
    .unwrap();
    assert!(file == errcat::emit::envelope(&versions, whole.clone()));
    for body in ["{}", "{\n}", ""] {
        let mut file = String::new();
        std::io::Read::read_to_string(
            &mut errcat::emit::spill::Pieces::new(
                None,
                errcat::emit::envelope_pieces(&versions, vec![body.to_owned()]),
            ),
            &mut file,
        )
        .unwrap();
        assert_eq!(file, errcat::emit::envelope(&versions, body.to_owned()));
    }
    // A body that is not pretty keeps its members, whatever whitespace follows `{`.
    for body in ["{\"a\":1}", "{ \"a\": 1 }"] {
        let file = errcat::emit::envelope(&versions, body.to_owned());
        let value: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(value["a"], 1, "{file}");
        assert_eq!(value["dataset_version"], "d", "{file}");
    }
    catalog.conflicts.clear();
    let whole = errcat::emit::pretty(&catalog);
    assert!(errcat::emit::pretty_catalog(&catalog, 3) == whole);
    catalog.codes.truncate(1);
    let whole = errcat::emit::pretty(&catalog);
    assert!(errcat::emit::pretty_catalog(&catalog, 3) == whole);
    catalog.codes.clear();
    let whole = errcat::emit::pretty(&catalog);
    assert!(errcat::emit::pretty_catalog(&catalog, 3) == whole);
    let (pieces, digest) = errcat::emit::catalog_pieces(&catalog, 3);
    assert!(pieces.concat() == whole);
    assert_eq!(digest, errcat::emit::digest(&whole));
}

#[test]
fn the_changelog_files_are_checked_and_written_as_streams() {
    let dir = scratch();
    let wanted = regen::generate(dir.path()).unwrap();
    let generated = dir.path().join("generated");
    let markdown = generated.join("CHANGELOG.md");
    let text = fs::read_to_string(&markdown).unwrap();
    let at = text.rfind("Sign out").unwrap();
    fs::write(
        &markdown,
        format!("{}Sign off{}", &text[..at], &text[at + 8..]),
    )
    .unwrap();
    let atom = generated.join("changelog.atom");
    let text = fs::read_to_string(&atom).unwrap();
    fs::write(&atom, &text[..text.len() - 1]).unwrap();
    fs::remove_file(generated.join("changelog.json")).unwrap();

    let report = regen::check(dir.path()).unwrap();
    let kinds: Vec<(&str, ChangeKind)> = report
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("CHANGELOG.md", ChangeKind::Stale),
            ("changelog.atom", ChangeKind::Stale),
            ("changelog.json", ChangeKind::Missing),
        ]
    );
    // Of each stale file, what regen would write from a little before its change on.
    let excerpts: Vec<&str> = report.excerpts.keys().map(String::as_str).collect();
    assert_eq!(excerpts, ["CHANGELOG.md", "changelog.atom"]);
    for (path, excerpt) in &report.excerpts {
        let wanted = wanted[path].as_bytes();
        let from = usize::try_from(excerpt.offset).unwrap();
        assert_eq!(
            &wanted[from..from + excerpt.wanted.len()],
            excerpt.wanted,
            "{path}"
        );
        let line = wanted[..from].iter().filter(|&&b| b == b'\n').count();
        assert_eq!(excerpt.line, line, "{path}");
    }
    assert!(String::from_utf8_lossy(&report.excerpts["CHANGELOG.md"].wanted).contains("Sign out"));
    let report = regen::describe(dir.path(), &report, 40);
    for line in [
        "generated/changelog.json: missing",
        "generated/CHANGELOG.md: stale",
        "generated/changelog.atom: stale",
        "-</feed>",
    ] {
        assert!(report.contains(line), "{report}");
    }

    let written = regen::regen(dir.path()).unwrap();
    assert_eq!(
        written.updated,
        ["CHANGELOG.md", "changelog.atom", "changelog.json"]
    );
    assert!(regen::check(dir.path()).unwrap().is_empty());
    assert!(regen::regen(dir.path()).unwrap().updated.is_empty());
    let leftovers: Vec<_> = fs::read_dir(&generated)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(regen::TEMP_SUFFIX))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_feed_holds_the_newest_pairs_streamed_as_in_memory() {
    use errcat::emit::changelog::FEED_ENTRIES;
    let dir = long_history(FEED_ENTRIES);
    let in_memory = regen::load(dir.path()).unwrap().outputs();
    let atom = &in_memory["changelog.atom"];
    let updated: Vec<&str> = atom
        .lines()
        .filter(|l| l.starts_with("    <updated>"))
        .collect();
    assert_eq!(updated.len(), FEED_ENTRIES, "the feed is bounded");
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // Two chains of a hundred pairs each: the newest come from both, and the
    // undated, which sort as the oldest, from neither.
    let newest = format!(
        "    <updated>{}-03-01T00:00:00Z</updated>",
        2030 + (FEED_ENTRIES - 2) / 2
    );
    assert_eq!(updated[0], newest);
    assert!(atom.contains("windows-hello-pin-errors en-us: r097 → r098"));
    assert!(atom.contains("mfa-nps-extension-errors en-us: r097 → r098"));
    assert!(!atom.contains("1970-01-01"), "{atom}");
    // CHANGELOG.md still has every pair, the undated too.
    let markdown = &in_memory["CHANGELOG.md"];
    assert!(
        markdown.contains("### en-us: `r003` → `r004`\n"),
        "{markdown}"
    );
    assert_eq!(
        markdown.matches("### en-us: `r0").count(),
        2 * (FEED_ENTRIES - 1)
    );
    assert_streams_as_in_memory(dir.path(), &in_memory, true);
}

/// A chain keeps no more Atom entries than twice the feed while it folds: past that,
/// the newest stay, ties in changelog order, as the in-memory feed has them.
#[test]
fn a_chain_longer_than_twice_the_feed_streams_as_in_memory() {
    use errcat::emit::changelog::FEED_ENTRIES;
    let dir = long_history(2 * FEED_ENTRIES + 7);
    let in_memory = regen::load(dir.path()).unwrap().outputs();
    assert_streams_as_in_memory(dir.path(), &in_memory, false);
}

#[cfg(unix)]
#[test]
fn a_chain_none_of_whose_entries_changed_is_not_folded_again() {
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;

    let dir = scratch();
    let root = dir.path();
    let stream = |cache: bool| {
        let options = regen::LoadOptions { threads: 2, cache };
        regen::generate_with(root, options).unwrap()
    };
    // Each fold's record, by the inode it was renamed into place as: a record that is
    // written again is a new file.
    let records = || -> BTreeMap<PathBuf, u64> {
        fs::read_dir(root.join(regen::CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "fold"))
            .map(|path| {
                let inode = fs::metadata(&path).unwrap().ino();
                (path, inode)
            })
            .collect()
    };
    let record_of = |document: &str, locale: &str| {
        let name = errcat::sha256_hex(format!("{document}\n{locale}").as_bytes());
        root.join(regen::CACHE_DIR)
            .join(format!("{}.fold", &name[..32]))
    };
    let refolded = |before: &BTreeMap<PathBuf, u64>| -> Vec<PathBuf> {
        let after = records();
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>()
        );
        before
            .iter()
            .filter(|(path, inode)| after[*path] != **inode)
            .map(|(path, _)| path.clone())
            .collect()
    };

    let cold = stream(false);
    assert_eq!(stream(true), cold);
    // One record per chain: three documents, one of them also in ja-jp.
    let written = records();
    assert_eq!(written.len(), 4);
    // Nothing changed: every chain is replayed from its record, to the same files.
    assert_eq!(stream(true), cold);
    assert_eq!(refolded(&written), Vec::<PathBuf>::new());

    // A source changed: its chain alone is folded again.
    touch_source(root, "mfa-nps-extension-errors/2017-07-14.en-us.txt");
    let written = records();
    let touched = stream(true);
    assert_ne!(touched, cold);
    assert_eq!(touched, stream(false));
    assert_eq!(
        refolded(&written),
        [record_of("mfa-nps-extension-errors", "en-us")]
    );

    // A date changed: the changelog dates each pair by it, so its chain is folded
    // again, and the feed's entry moves.
    let manifest_path = root.join("sources/manifest.yaml");
    let mut manifest = Manifest::parse(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let entry = manifest
        .sources
        .iter_mut()
        .find(|s| s.file == "windows-hello-pin-errors/2018-05-05.en-us.md")
        .unwrap();
    entry.date = Some("2018-05-06".to_owned());
    fs::write(&manifest_path, manifest.to_yaml()).unwrap();
    let written = records();
    let redated = stream(true);
    assert_ne!(redated["changelog.atom"], touched["changelog.atom"]);
    assert_eq!(redated, stream(false));
    assert_eq!(
        refolded(&written),
        [record_of("windows-hello-pin-errors", "en-us")]
    );

    // A record cut off, or edited, is not trusted: every chain is folded again, to
    // the files a run without the cache gives.
    for path in written.keys() {
        let bytes = fs::read(path).unwrap();
        fs::write(path, &bytes[..bytes.len() - 2]).unwrap();
    }
    let written = records();
    assert_eq!(stream(true), redated);
    assert_eq!(refolded(&written).len(), 4);
    for path in written.keys() {
        // The first byte of the first revision's title, after the record's first line
        // and the title's length.
        let mut bytes = fs::read(path).unwrap();
        let mut ends = (0..bytes.len()).filter(|&i| bytes[i] == b'\n');
        let at = ends.nth(1).unwrap() + 1;
        bytes[at] = if bytes[at] == b'X' { b'Y' } else { b'X' };
        fs::write(path, bytes).unwrap();
    }
    let written = records();
    assert_eq!(stream(true), redated);
    assert_eq!(refolded(&written).len(), 4);
}

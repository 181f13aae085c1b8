//! `errcat ingest` as a user runs it: JSON Lines out, diagnostics and errors on
//! stderr, exit status 2 for unusable input, the other files still ingested.

use std::process::Command;

fn errcat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_errcat"))
        .args(args)
        .output()
        .expect("errcat runs")
}

#[test]
fn ingests_every_source_cleanly() {
    let files: Vec<String> = errcat::manifest::Manifest::parse(
        &std::fs::read_to_string("sources/manifest.yaml").unwrap(),
    )
    .unwrap()
    .sources
    .iter()
    .map(|s| format!("sources/{}", s.file))
    .collect();
    let args: Vec<&str> = std::iter::once("ingest")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = errcat(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let revisions: Vec<errcat::Revision> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a revision"))
        .collect();
    assert_eq!(revisions.len(), 5);
    let ja = revisions.iter().find(|r| r.locale == "ja-jp").unwrap();
    assert_eq!(ja.document, "windows-hello-pin-errors");
    assert_eq!(ja.revision, "undated-entra");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(
        "sources/windows-hello-pin-errors/undated-passport.en-us.txt:79: duplicate-row: "
    ));
}

#[test]
fn unusable_files_are_named_and_the_rest_still_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    };
    let empty = write("empty.md", b"");
    let binary = write("binary.txt", b"Hex | Cause |\n---|---|\n0x1 | \xff\xfe |\n");
    let yaml = write(
        "broken.md",
        b"---\ntitle: [unclosed\nms.date: 1\n---\n# T\n",
    );
    let no_table = write("prose.md", b"# Title\n\nJust prose.\n");
    let good = write(
        "good.md",
        b"# T\n\n| Hex | Cause |\n|---|---|\n| 0x80090005 | bad |\n",
    );
    let missing = dir.path().join("missing.md").to_string_lossy().into_owned();
    let out = errcat(&["ingest", &empty, &binary, &yaml, &no_table, &missing, &good]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("errcat: {empty}: the file is empty")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("errcat: {binary}:3: not UTF-8")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("errcat: {yaml}:3: broken YAML frontmatter: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("flow sequence at line 2 column 8"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("errcat: {no_table}: no code table")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("errcat: {missing}: cannot read")),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("0x80090005"));
}

#[test]
fn format_and_locale_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt");
    std::fs::write(
        &path,
        "# T\n\n| Hex | Cause |\n|---|---|\n| 0x80090005 | bad |\n",
    )
    .unwrap();
    let path = path.to_string_lossy().into_owned();
    let out = errcat(&[
        "ingest",
        "--format",
        "markdown",
        "--locale",
        "ja-jp",
        "--document",
        "d",
        &path,
    ]);
    assert!(out.status.success());
    let revision: errcat::Revision = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(revision.format, errcat::Format::Markdown);
    assert_eq!(revision.locale, "ja-jp");
    assert_eq!(revision.document, "d");
    let out = errcat(&["ingest", "--locale", "JA_JP", &path]);
    assert_eq!(out.status.code(), Some(2));
}

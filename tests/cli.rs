//! `errcat ingest` as a user runs it: JSON Lines out, diagnostics and errors on
//! stderr, exit status 2 for unusable input, the other files still ingested.

use std::process::Command;

fn errcat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_errcat"))
        .args(args)
        .output()
        .expect("errcat runs")
}

/// `errcat explain` over `text`, as a file: its report, and the report's headings,
/// one a code found.
fn explain(text: &str) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    std::fs::write(&log, text).unwrap();
    let out = errcat(&["explain", &log.to_string_lossy()]);
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    let headings = (report.lines())
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(str::to_owned)
        .collect();
    (report, headings)
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

#[test]
fn explain_reads_dsregcmd_output() {
    let (report, headings) = explain(
        "     DRS Discovery Test : FAIL [0x801c0021/0x80072ee2]\n\
         \x20         Client ErrorCode : 0x801c03f2\n\
         \x20         Server ErrorCode : DirectoryError\n\
         \x20 Server Error Description : AADSTS50126: Error validating credentials\n\
         \x20           Attempt Status : 0xc000006d\n\
         \x20                HTTP Error : 0x80070005 and -2147024891 and AADSTS99999\n\
         \x20              HTTP status : 400 (AADSTS99999)\n\
         \x20           Correlation ID : aaaa0000-bb11-2222-33cc-444444dddddd\n\
         Synchronization Engine returned an error hr=800700CE, FEEDFACE DEADBEEF\n\
         \x20                HTTP Error : 0x0\n",
    );
    assert_eq!(
        headings,
        [
            "0x801C0021  DSREG_AUTOJOIN_DISC_FAILED",
            "0x80072EE2  WININET_E_TIMEOUT",
            "0x801C03F2  DSREG_E_DIRECTORY_FAILURE",
            "DirectoryError",
            "AADSTS50126",
            "0xC000006D  STATUS_LOGON_FAILURE",
            "0x80070005  unknown to the catalogue",
            "AADSTS99999  unknown to the catalogue",
            // An HRESULT without its `0x`; not a GUID's part, nor a word of hex
            // letters alone.
            "800700CE  unknown to the catalogue",
            // Where nothing failed.
            "0x0  no error: zero is success (S_OK, ERROR_SUCCESS)",
        ]
    );
    assert!(
        report
            .contains("800700CE  unknown to the catalogue\n  seen on line 9\n  HRESULT 0x800700CE"),
        "{report}"
    );
    assert!(
        report.contains("wraps Win32 error 12002: 12002 in the catalogue (ERROR_WINHTTP_TIMEOUT)")
    );
    assert!(report.contains("HRESULT 0x80070005: failure, FACILITY_WIN32 (7), code 5 (0x0005)"));
    assert!(report.contains("mitigation: To acquire a fresh PRT"));
    // Seen twice on one line (`0x80070005 and -2147024891`): one line, two spellings.
    assert!(
        report.contains("\n  seen as 0x80070005 or -2147024891 on line 6\n"),
        "{report}"
    );
    // An unknown code seen in one spelling is not spelt out again.
    assert!(
        report.contains("\n  seen on line 6, and on line 7\n"),
        "{report}"
    );
    // A code seen again, in another spelling, names the lines it was seen on, and
    // its spellings; one that differs only in case is not another.
    // Each line twice over, in two spellings: still one line each.
    let lines: String = (0..14)
        .map(|i| {
            format!(
                "hr {} and {}\n",
                ["0x801c03f2", "-2145647630"][i % 2],
                "0x801C03F2"
            )
        })
        .collect();
    let (report, _) = explain(&lines);
    assert!(
        report.contains(
            "seen as 0x801c03f2 or -2145647630 on line 1, and on lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more\n"
        ),
        "{report}"
    );

    // However many spellings, ten besides the first are listed.
    let lines: String = (0..13)
        .map(|zeros| format!("x -{}2147024891\n", "0".repeat(zeros)))
        .collect();
    let (report, _) = explain(&lines);
    assert!(
        report.contains(" or -00000000002147024891 and 2 more spellings on line 1,"),
        "{report}"
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_errcat"))
        .arg("explain")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"nothing to see, 400 and 1006\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "no error codes found\n"
    );
}

/// A sign-in log and an error response give the sign-in service's code by its
/// number alone. A number the line does not call an error's or a code's is not
/// one, nor is one that is part of a time, an address or a version.
#[test]
fn explain_finds_a_sign_in_error_by_its_number() {
    let (report, headings) = explain(
        "Sign-in error code: 50126\n\"error_codes\": [70011, 50126]\n\
         2024-11-25 12:30:45.50034 connect to 10.0.0.1:50155, port 50034\n\
         Windows 10.0.50126.1 and ErrorCode 50126.\n",
    );
    assert_eq!(headings, ["AADSTS50126"], "{report}");
    assert!(
        report.contains("AADSTS50126\n  seen as 50126 on line 1, and on lines 2, 4\n"),
        "{report}"
    );
    assert!(report.contains("message: Error validating credentials"));
}

/// A number of four to seven digits is a process id, a port, a time or a size as
/// often as an error: it is one only where the word before it says so.
#[test]
fn explain_reads_a_short_number_only_where_the_line_calls_it_an_error() {
    let (report, headings) = explain(
        "pid=12002 port 12002 took 12002 ms, 12002 bytes\n\
         WinHttpSendRequest failed: 12002\n\
         ERROR_WINHTTP_TIMEOUT (12002), hr=12002\n",
    );
    assert_eq!(headings, ["12002  ERROR_WINHTTP_TIMEOUT"], "{report}");
    assert!(
        report.contains("\n  seen as 12002 or ERROR_WINHTTP_TIMEOUT on line 2, and on line 3\n"),
        "{report}"
    );
}

#[test]
fn diff_compares_a_legacy_dump_with_a_markdown_revision() {
    let old = "sources/windows-hello-pin-errors/undated-passport.en-us.txt";
    let new = "sources/windows-hello-pin-errors/2018-05-05.en-us.md";
    let out = errcat(&["diff", old, new]);
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("**Rows merged** (1)"), "{md}");
    assert!(md.contains("~~Log out and then log in again~~ → **Sign out and then sign in again**"));
    // Links lead to the files as they were named, from where the command ran.
    assert!(
        md.contains(&format!("[{old}]({old}) → [{new}]({new})")),
        "{md}"
    );
    assert!(
        md.contains(&format!("[new L58]({new}?plain=1#L58)")),
        "{md}"
    );
    assert!(!md.contains("](../"), "{md}");

    let out = errcat(&["diff", "--format", "json", old, new]);
    let pair: errcat::diff::RevisionChanges = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pair.old.revision, "undated-passport");

    let terminal = errcat(&["diff", "--format", "terminal", old, new]);
    assert!(String::from_utf8_lossy(&terminal.stdout).contains("\x1b[9;31mcancelled\x1b[0m"));

    assert_eq!(
        errcat(&["diff", "--fail-on", "code-withdrawn", old, new])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        errcat(&["diff", "--fail-on", "code-added", old, new])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        errcat(&["diff", "--fail-on", "terminology", old, new])
            .status
            .code(),
        Some(1)
    );
    let bad = errcat(&["diff", "--fail-on", "everything", old, new]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown kind `everything`"));
    let missing = errcat(&["diff", old, "nowhere.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nowhere.md: cannot read"));
}

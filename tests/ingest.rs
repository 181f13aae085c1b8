//! Each reconciliation, pinned on the real seed it comes from, and row conservation
//! on every source in the manifest.

use std::path::Path;

use errcat::manifest::Manifest;
use errcat::model::{DiagnosticKind, EntryKind, Revision};
use errcat::{Entry, Format, Source};

const PIN_LEGACY: &str = "windows-hello-pin-errors/undated-passport.en-us.txt";
const PIN_2018: &str = "windows-hello-pin-errors/2018-05-05.en-us.md";
const PIN_JA: &str = "windows-hello-pin-errors/undated-entra.ja-jp.txt";
const HYBRID: &str = "entra-hybrid-join-troubleshooting/2024-11-25.en-us.md";
const NPS: &str = "mfa-nps-extension-errors/2017-07-14.en-us.txt";

fn manifest() -> Manifest {
    let text = std::fs::read_to_string("sources/manifest.yaml").expect("sources/manifest.yaml");
    Manifest::parse(&text).expect("the manifest is valid")
}

/// Ingests a source as the pipeline does: identity and format from the manifest.
fn ingest(file: &str) -> Revision {
    let manifest = manifest();
    let entry = manifest
        .sources
        .iter()
        .find(|s| s.file == file)
        .unwrap_or_else(|| panic!("{file} is not in the manifest"));
    let path = format!("sources/{file}");
    let bytes = std::fs::read(&path).expect("source file");
    let mut source = Source::new(&entry.document, &entry.revision, &path);
    source.format = Some(entry.format);
    source.locale = Some(entry.locale.clone());
    errcat::ingest_bytes(&bytes, source).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn entries<'a>(revision: &'a Revision, code: &str) -> Vec<&'a Entry> {
    revision.entries.iter().filter(|e| e.code == code).collect()
}

fn one<'a>(revision: &'a Revision, code: &str) -> &'a Entry {
    let found = entries(revision, code);
    assert_eq!(found.len(), 1, "{code}: {found:#?}");
    found[0]
}

fn has_diagnostic(revision: &Revision, kind: DiagnosticKind, line: usize) -> bool {
    revision
        .diagnostics
        .iter()
        .any(|d| d.kind == kind && d.line == line)
}

#[test]
fn every_row_of_every_source_is_an_entry_condition_or_a_diagnostic() {
    let manifest = manifest();
    assert_eq!(manifest.sources.len(), 5);
    for source in &manifest.sources {
        let revision = ingest(&source.file);
        assert!(revision.stats.rows > 0, "{}: no rows", source.file);
        assert_eq!(revision.stats.rows, revision.stats.row_lines.len());
        assert_eq!(
            revision.lost_rows(),
            Vec::<usize>::new(),
            "{}: rows vanished",
            source.file
        );
        assert_eq!(revision.stats.entries, revision.entries.len());
        assert_eq!(revision.stats.diagnostics, revision.diagnostics.len());
    }
}

#[test]
fn rows_seen_match_a_count_made_by_hand() {
    // Counted with grep over the sources: table lines that start a code row.
    for (file, rows) in [
        (PIN_LEGACY, 46),
        (PIN_2018, 50),
        (PIN_JA, 53),
        (HYBRID, 50),
        (NPS, 38),
    ] {
        assert_eq!(ingest(file).stats.rows, rows, "{file}");
    }
}

#[test]
fn legacy_rows_broken_across_lines_are_rejoined() {
    let legacy = ingest(PIN_LEGACY);
    let first = &one(&legacy, "0x801C03ED").conditions[0];
    assert_eq!(first.source.line, 30);
    assert_eq!(
        first.mitigation.as_deref(),
        Some("Unjoin the device from Azure Active Directory (Azure AD) and rejoin")
    );
    let ja = ingest(PIN_JA);
    let tpm = &one(&ja, "0x80090029").conditions[0];
    assert!(tpm
        .mitigation
        .as_deref()
        .is_some_and(|m| m.ends_with("[操作] ウィンドウで、[TPM を準備する] を選択する。")));
    let switch = &one(&ja, "0x801C0451").conditions[0];
    assert!(switch
        .mitigation
        .as_deref()
        .is_some_and(|m| m.starts_with("%LOCALAPPDATA%\\Packages\\")));
}

#[test]
fn legacy_frontmatter_table_becomes_metadata() {
    let legacy = ingest(PIN_LEGACY);
    let meta = &legacy.metadata;
    assert_eq!(
        meta["title"],
        "Microsoft Passport errors during PIN creation (Windows 10)"
    );
    assert_eq!(meta["ms.assetid"], "DFEFE22C-4FEF-4FD9-BFC4-9B419C339502");
    assert_eq!(meta["keywords"], "");
    assert_eq!(meta["author"], "jdeckerMS");
    assert_eq!(
        legacy.title,
        "Microsoft Passport errors during PIN creation"
    );
    assert_eq!(legacy.steps.len(), 5);
    assert!(legacy.steps[1].starts_with("Log out, log in"));

    let nps = ingest(NPS);
    assert_eq!(nps.metadata["ms.date"], "07/14/2017");
    assert_eq!(nps.metadata["ms.author"], "joflore");
    assert_eq!(
        nps.metadata["title"],
        "Troubleshoot error codes for the Azure MFA NPS extension | Microsoft Docs"
    );
    // Two empty values were dropped by the scrape; the page says so.
    assert!(has_diagnostic(
        &nps,
        DiagnosticKind::FrontmatterMisaligned,
        1
    ));
}

#[test]
fn markdown_frontmatter_and_steps() {
    let md = ingest(PIN_2018);
    assert_eq!(md.metadata["ms.date"], "05/05/2018");
    assert_eq!(md.metadata["ms.collection"][1], "highpri");
    assert_eq!(md.title, "Windows Hello errors during PIN creation");
    assert_eq!(md.steps.len(), 4);
    assert_eq!(
        md.steps[1],
        "Sign out, sign in, and try to create the PIN again."
    );
    assert_eq!(md.format, Format::Markdown);
}

#[test]
fn duplicate_rows_of_one_code_merge_into_one_entry() {
    let legacy = ingest(PIN_LEGACY);
    let ed = one(&legacy, "0x801C03ED");
    assert_eq!(ed.conditions.len(), 2);
    assert_eq!(
        ed.conditions[1].causes,
        ["The request sent to the server was invalid."]
    );
    assert_eq!(one(&legacy, "0x801C044D").conditions.len(), 2);
    let f1 = one(&legacy, "0x801C03F1");
    assert_eq!(f1.conditions.len(), 1);
    assert!(has_diagnostic(&legacy, DiagnosticKind::DuplicateRow, 79));
}

#[test]
fn an_empty_code_cell_continues_the_code_above() {
    for file in [PIN_2018, PIN_JA] {
        let revision = ingest(file);
        let entry = one(&revision, "0x801C044D");
        assert_eq!(entry.conditions.len(), 2, "{file}");
        assert!(revision
            .diagnostics
            .iter()
            .all(|d| d.kind != DiagnosticKind::UnparsedRow));
    }
    let ja = ingest(PIN_JA);
    assert_eq!(
        one(&ja, "0x801C044D").conditions[1].causes,
        ["ユーザー トークンを取得できません。"]
    );
}

#[test]
fn or_alternatives_split_into_causes() {
    let md = ingest(PIN_2018);
    let causes = &one(&md, "0x801C03ED").conditions[0].causes;
    assert_eq!(causes.len(), 5);
    assert_eq!(
        causes[4],
        "User does not have permissions to join to Azure AD."
    );
    let legacy = ingest(PIN_LEGACY);
    assert_eq!(one(&legacy, "0x801C03ED").conditions[0].causes.len(), 3);
    let ja = ingest(PIN_JA);
    assert_eq!(one(&ja, "0x801C03ED").conditions[0].causes.len(), 5);
}

#[test]
fn several_codes_in_one_cell_share_the_condition() {
    let hybrid = ingest(HYBRID);
    let logon = one(&hybrid, "0xC000006D");
    let wrong = one(&hybrid, "0xC000006A");
    assert_eq!(logon.names, ["STATUS_LOGON_FAILURE"]);
    assert_eq!(wrong.names, ["STATUS_WRONG_PASSWORD"]);
    assert_eq!(logon.conditions, wrong.conditions);
    for code in ["0xC000023C", "0xC00000BE", "0xC00000C4"] {
        assert_eq!(one(&hybrid, code).conditions[0].source.line, 437);
    }
    for (code, name) in [
        ("12002", "ERROR_WINHTTP_TIMEOUT"),
        ("12007", "ERROR_WINHTTP_NAME_NOT_RESOLVED"),
        ("12029", "ERROR_WINHTTP_CANNOT_CONNECT"),
        ("12030", "ERROR_WINHTTP_CONNECTION_ERROR"),
    ] {
        let entry = one(&hybrid, code);
        assert_eq!(entry.value, Some(code.parse().unwrap()));
        assert_eq!(entry.names, [name]);
    }
    let nps = ingest(NPS);
    assert_eq!(
        one(&nps, "InvalidFormat").conditions,
        one(&nps, "StrongAuthenticationServiceInvalidParameter").conditions
    );
}

#[test]
fn hex_in_any_case_folds_to_one_code() {
    let md = ingest(PIN_2018);
    assert_eq!(one(&md, "0x80072F0C").value, Some(0x8007_2F0C));
    assert_eq!(one(&md, "0x801C004D").names, ["DSREG_NO_DEFAULT_ACCOUNT"]);
    let legacy = ingest(PIN_LEGACY);
    one(&legacy, "0x80072F0C");
    assert!(md.entries.iter().all(|e| !e.code.starts_with("0X")));
}

#[test]
fn hex_decimal_pairs_are_checked_and_the_hex_wins() {
    let hybrid = ingest(HYBRID);
    let mismatches: Vec<_> = hybrid
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::HexDecimalMismatch)
        .collect();
    assert_eq!(mismatches.len(), 1, "{mismatches:#?}");
    assert_eq!(mismatches[0].line, 441);
    let entry = one(&hybrid, "0xC00484C1");
    assert_eq!(entry.names, ["AAD_CLOUDAP_E_WSTRUST_SAML_TOKENS_ARE_EMPTY"]);
    assert_eq!(one(&hybrid, "0x801C03F2").value, Some(0x801C_03F2));
}

#[test]
fn one_code_in_two_sections_keeps_each_sections_condition() {
    let hybrid = ingest(HYBRID);
    for code in ["0x80072EE2", "0x801C001D"] {
        let found = entries(&hybrid, code);
        assert_eq!(found.len(), 2, "{code}");
        assert_ne!(found[0].section, found[1].section);
        assert_ne!(found[0].conditions[0].causes, found[1].conditions[0].causes);
    }
    assert_eq!(
        entries(&hybrid, "0x80072EE2")[0].section,
        [
            "Troubleshoot join failures",
            "Step 4: Check for possible causes and resolutions",
            "Discover phase",
            "Network errors"
        ]
    );
    // The NPS dump lost its headings: both tables' rows stay, as two conditions.
    let nps = ingest(NPS);
    let pin = one(&nps, "OathCodePinIncorrect");
    assert_eq!(pin.conditions.len(), 2);
    assert_eq!(
        pin.conditions[0].message.as_deref(),
        Some("Wrong code and pin entered.")
    );
    assert_eq!(pin.conditions[1].message, None);
}

#[test]
fn code_blocks_other_tables_and_wide_hex_are_not_entries() {
    let text = std::fs::read_to_string(format!("sources/{HYBRID}")).unwrap();
    let mut fenced = Vec::new();
    let mut open = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            match open.take() {
                Some(start) => fenced.push(start..=i + 1),
                None => open = Some(i + 1),
            }
        }
    }
    assert!(fenced.len() >= 5);
    let hybrid = ingest(HYBRID);
    for entry in &hybrid.entries {
        for condition in &entry.conditions {
            assert!(
                !fenced.iter().any(|r| r.contains(&condition.source.line)),
                "{} read from a code block",
                entry.code
            );
        }
    }
    for not_a_code in ["DomainJoined", "WorkplaceJoined", "AzureAdJoined"] {
        assert!(entries(&hybrid, not_a_code).is_empty());
    }
    let nps = ingest(NPS);
    assert!(nps.entries.iter().all(|e| !e.code.starts_with("0x")));
}

#[test]
fn malformed_rows_are_recovered_with_a_diagnostic() {
    let nps = ingest(NPS);
    let request = one(&nps, "REQUEST_FORMAT_ERROR");
    assert_eq!(
        request.conditions[0].message.as_deref(),
        Some("Radius Request missing mandatory Radius userName\\Identifier attribute.Verify that NPS is receiving RADIUS requests")
    );
    assert!(request.conditions[0]
        .mitigation
        .as_deref()
        .is_some_and(|m| m.starts_with("This error usually reflects an installation issue.")));
    assert!(has_diagnostic(&nps, DiagnosticKind::MergedCells, 26));
    one(&nps, "MFAPinNotSetup");
    assert!(has_diagnostic(&nps, DiagnosticKind::MissingCells, 68));
}

#[test]
fn tables_the_page_says_are_not_errors_hold_warnings() {
    let nps = ingest(NPS);
    for code in [
        "OathCodeIncorrect",
        "SMSAuthFailedMaxAllowedCodeRetryReached",
        "SMSAuthFailedWrongCodeEntered",
    ] {
        assert_eq!(one(&nps, code).kind, EntryKind::Warning, "{code}");
    }
    assert_eq!(one(&nps, "AccessDenied").kind, EntryKind::Error);
    assert_eq!(one(&nps, "InvalidSession").kind, EntryKind::Error);
}

#[test]
fn unknown_mitigation_is_null_and_links_leave_the_prose() {
    let md = ingest(PIN_2018);
    assert_eq!(one(&md, "0x80090020").conditions[0].mitigation, None);
    let tpm = &one(&md, "0x80090031").conditions[0];
    assert_eq!(tpm.links.len(), 2);
    assert_eq!(tpm.links[1].text, "Clear-TPM");
    assert_eq!(
        tpm.links[1].url,
        "/powershell/module/trustedplatformmodule/clear-tpm"
    );
    assert!(!tpm.mitigation.as_deref().unwrap_or_default().contains("]("));
    let legacy = ingest(PIN_LEGACY);
    let old_tpm = &one(&legacy, "0x80090031").conditions[0];
    assert_eq!(
        old_tpm.links[0].url,
        "http://go.microsoft.com/fwlink/p/?LinkId=619969"
    );
}

#[test]
fn two_captures_of_the_ja_page_give_one_answer() {
    let html_path = "tests/fixtures/windows-hello-pin-errors.ja-jp.html";
    let bytes = std::fs::read(html_path).unwrap();
    let html = errcat::ingest_bytes(
        &bytes,
        Source::new("windows-hello-pin-errors", "html", html_path),
    )
    .unwrap();
    assert_eq!(html.format, Format::Html);
    assert_eq!(html.locale, "ja-jp");
    assert_eq!(html.title, "PIN 作成時の Windows Hello エラー");
    assert_eq!(
        html.metadata["ms.assetid"],
        "DFEFE22C-4FEF-4FD9-BFC4-9B419C339502"
    );
    assert!(html.metadata.contains_key("ms.date"));
    let text = ingest(PIN_JA);
    // Row lines and links differ between the captures (the text dump lost its
    // links); everything else must be the same.
    let strip = |r: &Revision| -> Vec<Entry> {
        r.entries
            .iter()
            .cloned()
            .map(|mut e| {
                for c in &mut e.conditions {
                    c.source.line = 0;
                    c.source.file.clear();
                    c.links.clear();
                }
                e
            })
            .collect()
    };
    assert_eq!(strip(&html), strip(&text));
    assert_eq!(html.steps, text.steps);
    // The page's footer table is not article content.
    assert!(entries(&html, "0x80070005").is_empty());
    assert!(one(&html, "0x80090031").conditions[0].links.len() == 2);
}

#[test]
fn the_manifest_records_each_files_digest() {
    for source in manifest().sources {
        let bytes = std::fs::read(Path::new("sources").join(&source.file)).unwrap();
        assert_eq!(errcat::sha256_hex(&bytes), source.sha256, "{}", source.file);
    }
}

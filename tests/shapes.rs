//! Shapes real revisions come in, taken without special-casing any file.

use errcat::model::{DiagnosticKind, EntryKind};
use errcat::{Format, Revision, Source};

/// Every row was read as it stands: nothing to report.
fn assert_no_diagnostics(revision: &Revision) {
    assert!(
        revision.diagnostics.is_empty(),
        "{:?}",
        revision.diagnostics
    );
}

/// What was reported, as its kind and line.
fn diagnosed(revision: &Revision) -> Vec<(DiagnosticKind, usize)> {
    (revision.diagnostics.iter())
        .map(|d| (d.kind, d.line))
        .collect()
}

/// Each entry's code with its names.
fn names(revision: &Revision) -> Vec<(&str, String)> {
    (revision.entries.iter())
        .map(|e| (e.code.as_str(), e.names.join(" ")))
        .collect()
}

fn markdown(text: &str) -> Revision {
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    errcat::ingest_text(text, source).expect("ingests")
}

/// A localized HTML page, as the docs site serves it in Japanese.
fn japanese_html(text: &str) -> Revision {
    let mut source = Source::new("doc", "rev", "doc/rev.ja-jp.html");
    source.format = Some(Format::Html);
    errcat::ingest_text(text, source).expect("ingests")
}

const RAW_HTML_TABLE: &str = r#"---
title: Old revision
ms.date: 01/02/2017
---
# Windows Hello errors during PIN creation

## <a name="mitigations"></a>Error mitigations

<table>
<colgroup><col width="20%" /><col width="40%" /><col width="40%" /></colgroup>
<thead>
<tr class="header"><th align="left">Hex</th><th align="left">Cause</th><th align="left">Mitigation</th></tr>
</thead>
<tbody>
<tr class="odd"><td align="left">0x801C03ED</td>
<td align="left"><p>Multi-factor authentication is required for a &#39;ProvisionKey&#39; operation, but was not performed</p>
<p>-or-</p>
<p>Token was not found in the Authorization header</p></td>
<td align="left">Unjoin the device from Azure Active Directory (Azure AD) and rejoin. See <a href="https://example.test/x?a=1&amp;b=2">the guide</a>.</td>
</tr>
<tr class="even"><td align="left">0x80090036</td><td align="left">User cancelled an interactive dialog</td><td align="left">User will be asked to try again</td></tr>
</tbody>
</table>
"#;

#[test]
fn raw_html_tables_inside_markdown() {
    let revision = markdown(RAW_HTML_TABLE);
    assert_eq!(revision.entries.len(), 2);
    let first = &revision.entries[0];
    assert_eq!(first.code, "0x801C03ED");
    assert_eq!(first.section, ["Error mitigations"]);
    let condition = &first.conditions[0];
    assert_eq!(condition.causes.len(), 2);
    assert_eq!(
        condition.causes[0],
        "Multi-factor authentication is required for a 'ProvisionKey' operation, but was not performed"
    );
    assert_eq!(condition.links[0].url, "https://example.test/x?a=1&b=2");
    assert_eq!(condition.source.line, 15);
    assert_eq!(revision.entries[1].conditions[0].source.line, 21);
    assert_eq!(revision.metadata["ms.date"], "01/02/2017");
}

const SPANNED_TABLE: &str = r#"# Errors

<table>
<tr><th>Hex</th><th>Cause</th><th>Mitigation</th></tr>
<tr><td>0x80090005</td><td>Bad key</td><td rowspan="2">Reset the PIN.</td></tr>
<tr><td>0x80090006</td><td>Bad signature</td></tr>
<tr><td rowspan="2">0x80090016</td><td>Keyset does not exist</td><td>Re-enroll.</td></tr>
<tr><td>Key not found</td><td>Re-create the container.</td></tr>
<tr><td>0x8009000F</td><td colspan="2">Object already exists; delete it first.</td></tr>
</table>
"#;

/// Cells that span rows stand in each row they span, as a browser lays them out:
/// a mitigation shared by two codes is both codes' mitigation, and a code that spans
/// two rows has two conditions. A cell that spans columns is read once, in its first
/// column. Nothing is reported missing.
#[test]
fn html_cells_that_span_rows_or_columns_are_laid_out_on_the_grid() {
    let revision = markdown(SPANNED_TABLE);
    /// A condition as its causes and its mitigation.
    type Read<'a> = (Vec<&'a str>, Option<&'a str>);
    let read: Vec<(&str, Vec<Read>)> = revision
        .entries
        .iter()
        .map(|entry| {
            let conditions = entry.conditions.iter();
            let conditions = conditions.map(|c| {
                let causes = c.causes.iter().map(String::as_str).collect();
                (causes, c.mitigation.as_deref())
            });
            (entry.code.as_str(), conditions.collect())
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x80090005",
                vec![(vec!["Bad key"], Some("Reset the PIN."))]
            ),
            (
                "0x80090006",
                vec![(vec!["Bad signature"], Some("Reset the PIN."))]
            ),
            (
                "0x80090016",
                vec![
                    (vec!["Keyset does not exist"], Some("Re-enroll.")),
                    (vec!["Key not found"], Some("Re-create the container.")),
                ]
            ),
            (
                "0x8009000F",
                vec![(vec!["Object already exists; delete it first."], None)]
            ),
        ]
    );
    assert_no_diagnostics(&revision);
}

/// A header in two rows, the upper one spanning: the lower names the columns.
#[test]
fn an_html_header_in_two_rows_names_the_columns_of_the_lower() {
    let revision = markdown(
        r#"# Errors

<table>
<thead>
<tr><th rowspan="2">Hex</th><th colspan="2">What to do</th></tr>
<tr><th>Cause</th><th>Mitigation</th></tr>
</thead>
<tbody>
<tr><td>0x80090005</td><td>Bad key</td><td>Reset the PIN.</td></tr>
</tbody>
</table>
"#,
    );
    assert_no_diagnostics(&revision);
    assert_eq!(revision.entries.len(), 1);
    let condition = &revision.entries[0].conditions[0];
    assert_eq!(condition.causes, ["Bad key"]);
    assert_eq!(condition.mitigation.as_deref(), Some("Reset the PIN."));
}

const BULLETED: &str = r#"# Troubleshoot

## Join phase

- **DSREG_E_DIRECTORY_FAILURE** (0x801c03f2/-2145647630)
  - Reason: Received an error response from DRS with ErrorCode: "DirectoryError".
  - Resolution: Refer to the server error code for possible reasons and resolutions.
- **TPM_E_PCP_INTERNAL_ERROR** (0x80290407/-2144795641)
  - Reason: Generic TPM error.
  - Resolution: Disable TPM on devices with this error.
"#;

#[test]
fn bulleted_code_entries_become_rows() {
    let revision = markdown(BULLETED);
    assert_eq!(revision.stats.rows, 2);
    let entry = &revision.entries[0];
    assert_eq!(entry.code, "0x801C03F2");
    assert_eq!(entry.names, ["DSREG_E_DIRECTORY_FAILURE"]);
    assert_eq!(entry.section, ["Join phase"]);
    let condition = &entry.conditions[0];
    assert_eq!(
        condition.causes,
        ["Received an error response from DRS with ErrorCode: \"DirectoryError\"."]
    );
    assert_eq!(
        condition.mitigation.as_deref(),
        Some("Refer to the server error code for possible reasons and resolutions.")
    );
    assert_eq!(condition.source.line, 5);
    assert_eq!(revision.entries[1].conditions[0].source.line, 8);
}

/// An entry that gives a label twice keeps the text of both.
#[test]
fn a_label_given_twice_in_an_entry_keeps_both_texts() {
    let revision = markdown(
        "# T\n\n- **0x801C03F2**\n  - Reason: The directory failed.\n  \
         - Resolution: Retry.\n  - Resolution: Then rejoin.\n",
    );
    assert_no_diagnostics(&revision);
    let condition = &revision.entries[0].conditions[0];
    assert_eq!(condition.causes, ["The directory failed."]);
    assert_eq!(condition.mitigation.as_deref(), Some("Retry. Then rejoin."));
}

/// One entry written on a line of its own, or one with labels and no code, does not
/// turn a list of entries back into prose: the others are still entries, the line is
/// a row of its code cell, and the item with no code is reported at its line, not
/// read as more of the entry above it.
#[test]
fn an_entry_on_one_line_stays_in_its_list_of_entries() {
    let revision = markdown(&format!(
        "{BULLETED}- **0x80090011**: The container or key was not found.\n\
         - **Unknown failure**\n  - Reason: Something else.\n"
    ));
    let codes: Vec<(&str, Option<&str>, usize)> = revision
        .entries
        .iter()
        .map(|e| {
            let c = &e.conditions[0];
            (e.code.as_str(), c.message.as_deref(), c.source.line)
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("0x801C03F2", None, 5),
            ("0x80290407", None, 8),
            (
                "0x80090011",
                Some("The container or key was not found."),
                11
            ),
        ]
    );
    let diagnostics = diagnosed(&revision);
    assert_eq!(diagnostics, [(DiagnosticKind::UnparsedRow, 12)]);
    assert!(revision.entries.iter().all(|e| e.conditions.len() == 1));
    // A list of prose with labels and no code at all stays prose.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    let prose = "# T\n\n- Windows 10\n  - Version: 1607\n- Windows 11\n  - Version: 21H2\n";
    let prose = errcat::ingest_text(prose, source);
    assert!(
        matches!(prose, Err(errcat::IngestError::NoCodeTable)),
        "{prose:?}"
    );
}

#[test]
fn crlf_mixed_endings_and_a_bom_change_nothing_but_bytes() {
    let lf = markdown(RAW_HTML_TABLE);
    let crlf_text = format!("\u{feff}{}", RAW_HTML_TABLE.replace('\n', "\r\n"));
    let crlf = markdown(&crlf_text);
    assert_eq!(lf.entries, crlf.entries);
    assert_eq!(lf.metadata, crlf.metadata);
    let mixed: String = RAW_HTML_TABLE
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i % 2 == 0 {
                l.replace('\n', "\r\n")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert_eq!(markdown(&mixed).entries, lf.entries);
}

#[test]
fn gfm_rows_missing_their_closing_pipe_and_escapes() {
    let text = "# T\n\n## Errors\n\n| Hex | Cause | Mitigation |\n|---|---|---|\n| 0x80090005 | NTE\\_BAD\\_DATA | Rejoin.\n| 0x8009002A | NTE\\_NO\\_MEMORY | Close programs &amp; retry. |\n";
    let revision = markdown(text);
    assert_eq!(revision.entries[0].conditions[0].causes, ["NTE_BAD_DATA"]);
    assert_eq!(revision.entries[0].names, ["NTE_BAD_DATA"]);
    assert_eq!(
        revision.entries[1].conditions[0].mitigation.as_deref(),
        Some("Close programs & retry.")
    );
}

#[test]
fn a_metadata_pair_further_down_is_prose_not_frontmatter() {
    let text = "---\ntitle: T\n---\n# T\n\n## Errors\n\n| Hex | Cause |\n|---|---|\n| 0x80090005 | bad |\n\n---\nnot: metadata\n---\n";
    let revision = markdown(text);
    assert_eq!(revision.metadata.len(), 1);
    assert_eq!(revision.entries.len(), 1);
}

/// A table or a code's heading between two horizontal rules is read: Markdown's
/// metadata blocks are frontmatter only where a page opens with one.
#[test]
fn what_stands_between_two_rules_is_read() {
    let text = "---\ntitle: T\n---\n# T\n\nIntro.\n\n---\n| Error | Cause |\n|---|---|\n\
                | 0x801C03ED | Bad. |\n\n---\n\n| Error | Cause |\n|---|---|\n\
                | 0x801C03EE | Worse. |\n\n---\n## 0x801C03EF\n\nWorst.\n\n---\n";
    let revision = markdown(text);
    assert_eq!(revision.metadata.len(), 1);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0x801C03ED", "0x801C03EE", "0x801C03EF"]);
    assert_eq!(revision.stats.row_lines, [11, 17, 20]);
    assert_no_diagnostics(&revision);
}

/// A code's text under no label comes first under its heading, and its causes keep
/// that order, whatever order the labels first came in on the page.
#[test]
fn a_codes_causes_keep_the_pages_order() {
    let revision = markdown(
        "# Errors\n\n## 0x801C03ED\n\n**Cause:** The token was not found.\n\n\
         ## 0x801C03EE\n\nThe device is not joined.\n\n**Cause:** The join failed.\n\n\
         **Resolution:** Join it.\n",
    );
    assert_no_diagnostics(&revision);
    let causes: Vec<&Vec<String>> = (revision.entries.iter())
        .map(|e| &e.conditions[0].causes)
        .collect();
    assert_eq!(
        causes,
        [
            &vec!["The token was not found.".to_owned()],
            &vec![
                "The device is not joined.".to_owned(),
                "The join failed.".to_owned()
            ],
        ]
    );
    let fix = revision.entries[1].conditions[0].mitigation.as_deref();
    assert_eq!(fix, Some("Join it."));
}

/// The NPS extension's page gives two event messages in its code column, in bold,
/// each opening with the acronym `NPS`: not a code, so each row is reported with
/// its line instead of both becoming a code `NPS`.
#[test]
fn an_event_message_in_the_code_column_is_no_code() {
    let text = "# T\n\n| Error code | Troubleshooting steps |\n| --- | --- |\n\
        | **HTTP_CONNECT_ERROR** | Verify that you can reach the service. |\n\
        | **NPS Extension for Microsoft Entra multifactor authentication (AccessReject):** <br> \
        NPS Extension only performs Secondary Auth for Radius requests in AccessAccept State. | \
        This error usually reflects an authentication failure in AD. |\n\
        | **REQUEST_FORMAT_ERROR** <br> Radius Request missing mandatory Radius userName\\Identifier \
        attribute. | This error usually reflects an installation issue. |\n";
    let revision = markdown(text);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["HTTP_CONNECT_ERROR", "REQUEST_FORMAT_ERROR"]);
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::UnparsedRow, 6),
            (DiagnosticKind::MergedCells, 7)
        ]
    );
}

/// The sign-up errors page lists its codes as bullets that open with the code and
/// its message (`- **50058**: User is authenticated…`), with its description in
/// items under it and no labels; a second list is of codes the page says are not
/// errors.
const SIGN_UP_ERRORS: &str = r#"# How to troubleshoot Microsoft Entra sign-up errors

The following error codes are associated with sign-up events, but this list isn't exhaustive:

- **50058**: User is authenticated but not yet signed in.
  - This error code appears for sign-in attempts when the user didn't complete the sign-in process.
  - In some of these situations, the User ID shows up like "00000000-0000-0000".

- **500121**: User didn't complete the MFA prompt.

- **AADSTS50181**: Unable to validate the OTP.

The following error codes indicate expected interruptions that occur because of the interactive nature of the sign-up process, rather than actual errors:

- **1002013**: User is prompted to enter Email One-Time-Passcode.
  - This is an expected part of the signup flow.

- **50140**: User is prompted with option to 'Keep me signed in'.

Lists that are not of codes:

- 2023: Released.
- 2024: Updated.

- **IPv4**: one address.
- **IPv6**: another.

- **PowerShell**: run it.
- **Graph**: call it.
"#;

#[test]
fn a_list_of_codes_with_their_messages_is_a_code_table() {
    let revision = markdown(SIGN_UP_ERRORS);
    assert_no_diagnostics(&revision);
    let read: Vec<(&str, EntryKind, Option<&str>, &[String])> = (revision.entries.iter())
        .map(|e| {
            let c = &e.conditions[0];
            (e.code.as_str(), e.kind, c.message.as_deref(), &c.causes[..])
        })
        .collect();
    let none: &[String] = &[];
    assert_eq!(
        read,
        [
            (
                "50058",
                EntryKind::Error,
                Some("User is authenticated but not yet signed in."),
                &[
                    "This error code appears for sign-in attempts when the user didn't \
                     complete the sign-in process."
                        .to_owned(),
                    "In some of these situations, the User ID shows up like \
                     \"00000000-0000-0000\"."
                        .to_owned()
                ][..]
            ),
            (
                "500121",
                EntryKind::Error,
                Some("User didn't complete the MFA prompt."),
                none
            ),
            (
                "AADSTS50181",
                EntryKind::Error,
                Some("Unable to validate the OTP."),
                none
            ),
            (
                "1002013",
                EntryKind::Warning,
                Some("User is prompted to enter Email One-Time-Passcode."),
                &["This is an expected part of the signup flow.".to_owned()][..]
            ),
            (
                "50140",
                EntryKind::Warning,
                Some("User is prompted with option to 'Keep me signed in'."),
                none
            ),
        ]
    );
}

/// Microsoft Entra Connect's sync errors page heads each error with its name alone
/// (`### InvalidSoftMatch`), and its sub-headings name it again (`#### Fix the
/// InvalidSoftMatch error`).
const SYNC_ERRORS: &str = r#"# Understanding errors during Microsoft Entra synchronization

## Data mismatch errors

### InvalidHardMatch

#### Description

* An InvalidHardMatch error occurs when there's an attempt to hard match objects.

#### Example scenarios for an InvalidHardMatch error

* DirSync has been disabled and re-enabled on the tenant.

#### Fix the InvalidHardMatch error

We advise customers to enable the feature.

### InvalidSoftMatch

#### Description

* The soft match finds a matching object with another immutableId.

#### Fix the InvalidSoftMatch error

1. Identify the duplicated **proxyAddresses**.
1. Remove the duplicated value.

## Next steps

* [Microsoft Entra Connect Sync](how-to-connect-sync-whatis.md)

## Tools

### PowerShell

If you see a PowerShell error, run it again.
"#;

#[test]
fn headings_that_name_an_error_in_camel_case_are_its_rows() {
    let revision = markdown(SYNC_ERRORS);
    assert_no_diagnostics(&revision);
    let read: Vec<(&str, &[String], Option<&str>)> = (revision.entries.iter())
        .map(|e| {
            let c = &e.conditions[0];
            (e.code.as_str(), &c.causes[..], c.mitigation.as_deref())
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "InvalidHardMatch",
                &[
                    "An InvalidHardMatch error occurs when there's an attempt to hard match \
                     objects."
                        .to_owned(),
                    "DirSync has been disabled and re-enabled on the tenant.".to_owned()
                ][..],
                Some("We advise customers to enable the feature.")
            ),
            (
                "InvalidSoftMatch",
                &["The soft match finds a matching object with another immutableId.".to_owned()][..],
                // The next steps, a heading above the errors', are not its fix.
                Some("Identify the duplicated proxyAddresses. Remove the duplicated value.")
            ),
        ]
    );
    // Two names with `or` between are two codes with one text.
    let revision = markdown(
        "# T\n\n## LargeObject or ExceededAllowedLength\n\n### Description\n\n\
         An attribute exceeds the allowed size.\n\n\
         ### Fix the LargeObject or ExceededAllowedLength error\n\nRemove values.\n",
    );
    let read: Vec<(&str, Option<&str>)> = (revision.entries.iter())
        .map(|e| (e.code.as_str(), e.conditions[0].mitigation.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            ("LargeObject", Some("Remove values.")),
            ("ExceededAllowedLength", Some("Remove values."))
        ]
    );
    // A Japanese page calls it an エラー.
    let revision = markdown(
        "# T\n\n### InvalidSoftMatch\n\n#### 説明\n\nソフト一致が失敗しました。\n\n\
         #### InvalidSoftMatch エラーの修正\n\n重複した値を削除します。\n",
    );
    let read: Vec<(&str, Option<&str>)> = (revision.entries.iter())
        .map(|e| (e.code.as_str(), e.conditions[0].mitigation.as_deref()))
        .collect();
    assert_eq!(
        read,
        [("InvalidSoftMatch", Some("重複した値を削除します。"))]
    );
    // A page whose headings share one line names only the heading that is named.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.html");
    source.format = Some(Format::Html);
    let html = "<html><body><h1>T</h1><h3>InvalidSoftMatch</h3>\
        <h4>Fix the InvalidSoftMatch error</h4><p>Remove it.</p>\
        <h3>LargeObject</h3><p>Prose.</p></body></html>";
    let revision = errcat::ingest_text(html, source).expect("ingests");
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["InvalidSoftMatch"]);
    // With no heading under it that calls it an error, a name is no error's.
    let unnamed = SYNC_ERRORS.replace("Fix the InvalidSoftMatch error", "Fix it");
    let codes: Vec<String> = (markdown(&unnamed).entries.into_iter())
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["InvalidHardMatch"]);
}

/// A page's `Next steps` ends a run of code headings, above them or at their level,
/// though its words name a fix: its links are not the last code's.
#[test]
fn next_steps_are_not_the_last_codes_fix() {
    for text in [
        "# T\n\n## Errors\n\n### 0x80180014\n\n#### Resolution\n\nUnblock the device.\n\n\
         ## Next steps\n\n- [Enroll devices](enroll.md)\n",
        "# T\n\n## 0x80180014\n\n**Cause:** Blocked.\n\n**Resolution:** Unblock the device.\n\n\
         ## Next steps\n\n- [Enroll devices](enroll.md)\n",
    ] {
        let revision = markdown(text);
        assert_no_diagnostics(&revision);
        let fix = revision.entries[0].conditions[0].mitigation.as_deref();
        assert_eq!(fix, Some("Unblock the device."), "{text}");
    }
}

#[test]
fn a_continuation_with_nothing_above_is_reported() {
    let text = "# T\n\n| Hex | Cause |\n|---|---|\n|  | orphan |\n| 0x1 | a |\n";
    let revision = markdown(text);
    assert_eq!(revision.entries.len(), 1);
    assert!(revision
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::OrphanContinuation && d.line == 5));
}

#[test]
fn out_of_range_codes_are_diagnosed_not_entered() {
    let text =
        "# T\n\n| Hex | Cause |\n|---|---|\n| 0x1FFFFFFFF | too wide |\n| 4294967296 | too big |\n";
    let revision = markdown(text);
    assert!(revision.entries.is_empty());
    let kinds = diagnosed(&revision);
    assert!(kinds.contains(&(DiagnosticKind::CodeOutOfRange, 5)));
    assert!(kinds.contains(&(DiagnosticKind::CodeOutOfRange, 6)));
    assert!(kinds.contains(&(DiagnosticKind::UnparsedRow, 5)));
}

/// A `Message` column that holds only symbols, as Windows Update's reference and
/// Windows upgrade's result codes give them, names the codes: the symbol is not also
/// their message. One where a symbol leads a message keeps it as the message.
#[test]
fn a_message_column_of_symbols_names_the_codes() {
    let text = "# T\n\n| Error code | Message | Description |\n|---|---|---|\n| 0x8024A000 | `WU_E_AU_NOSERVICE` | Automatic Updates was unable to service requests. |\n| 0xC1900210 | MOSETUP_E_COMPAT_SCANONLY | Setup did not find any compat issue |\n\n| Error code | Message | Description |\n|---|---|---|\n| 0x80090030 | NTE_DEVICE_NOT_READY: The device is not ready. | Restart. |\n";
    let revision = markdown(text);
    assert_no_diagnostics(&revision);
    type Read<'a> = (&'a str, Vec<&'a str>, Option<&'a str>, Vec<&'a str>);
    let read: Vec<Read> = (revision.entries.iter())
        .map(|e| {
            let c = &e.conditions[0];
            (
                e.code.as_str(),
                e.names.iter().map(String::as_str).collect(),
                c.message.as_deref(),
                c.causes.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x8024A000",
                vec!["WU_E_AU_NOSERVICE"],
                None,
                vec!["Automatic Updates was unable to service requests."]
            ),
            (
                "0xC1900210",
                vec!["MOSETUP_E_COMPAT_SCANONLY"],
                None,
                vec!["Setup did not find any compat issue"]
            ),
            (
                "0x80090030",
                vec!["NTE_DEVICE_NOT_READY"],
                Some("NTE_DEVICE_NOT_READY: The device is not ready."),
                vec!["Restart."]
            ),
        ]
    );
}

/// Text after a list in a cell (`…</li></ul>Contact the tenant admin.`, as the
/// sign-in errors' reference writes it) starts its own sentence: it is not glued to
/// the last item's words, in a pipe table's cell or an HTML page's.
#[test]
fn text_after_a_list_in_a_cell_is_not_more_of_its_last_item() {
    let cell = "CertificateValidationFailed - Validation failed:<ul><li>No issuing certificate</li><li>No expected CrlSegment</li></ul>Contact the tenant admin.";
    let pipes = markdown(&format!(
        "# T\n\n| Error | Description |\n|---|---|\n| AADSTS50017 | {cell} |\n"
    ));
    let html = japanese_html(&format!(
        "<html><body><h1>T</h1><table><tr><th>Error</th><th>Description</th></tr><tr><td>AADSTS50017</td><td>{cell}</td></tr></table></body></html>"
    ));
    for revision in [pipes, html] {
        let causes = &revision.entries[0].conditions[0].causes;
        assert_eq!(
            causes,
            &["CertificateValidationFailed - Validation failed: No issuing certificate No expected CrlSegment Contact the tenant admin."]
        );
    }
    // So with any block a cell's inline HTML opens or closes.
    let blocks = markdown(
        "# T\n\n| Error | Description |\n|---|---|\n| AADSTS1 | <p>First.</p>Second |\n\
         | AADSTS2 | Lead<div>Block</div>After |\n| AADSTS3 | Text<h3>Head</h3>more |\n",
    );
    let causes: Vec<&str> = (blocks.entries.iter())
        .map(|e| e.conditions[0].causes[0].as_str())
        .collect();
    assert_eq!(
        causes,
        ["First. Second", "Lead Block After", "Text Head more"]
    );
}

/// The provisioning service's codes are names (`TooManyRequests`), and among them
/// some are plain words (`Timeout`, `Conflict`): in a table whose code column holds
/// names alone, these are codes too, each of a list its own, in any language's page.
#[test]
fn plain_words_among_named_codes_are_codes() {
    let text = "# Bereitstellungsprotokolle\n\n## Fehlercodes\n\n|Fehlercode|BESCHREIBUNG|\n|---|---|\n\
                |Conflict, EntryConflict|Korrigieren Sie die Attributwerte.|\n\
                |TooManyRequests|Die Ziel-App ist überlastet.|\n\
                |InsufficientRights, MethodNotAllowed, NotPermitted, Unauthorized| Nicht autorisiert.|\n\
                |Timeout |Die Antwort hat zu lange gedauert.|\n\n\
                | Status | Description |\n|---|---|\n| Enabled | On. |\n| Disabled | Off. |\n| NotConfigured | Unset. |\n";
    let revision = markdown(text);
    let codes: Vec<(&str, usize)> = (revision.entries.iter())
        .map(|e| (e.code.as_str(), e.conditions[0].source.line))
        .collect();
    assert_eq!(
        codes,
        [
            ("Conflict", 7),
            ("EntryConflict", 7),
            ("TooManyRequests", 8),
            ("InsufficientRights", 9),
            ("MethodNotAllowed", 9),
            ("NotPermitted", 9),
            ("Unauthorized", 9),
            ("Timeout", 10),
            ("NotConfigured", 16),
        ]
    );
    let unauthorized = &revision.entries[6].conditions[0];
    assert_eq!(
        (
            unauthorized.message.as_deref(),
            unauthorized.causes.as_slice()
        ),
        (None, &["Nicht autorisiert.".to_owned()][..])
    );
    // A column of words most of which are no code's keeps them rows that are none.
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::UnparsedRow, 14),
            (DiagnosticKind::UnparsedRow, 15)
        ]
    );
    // A translation that translated a code (`Tidsgräns`) leaves the other names
    // codes, and that row reported.
    let translated = markdown(
        "# T\n\n|Felkod|Beskrivning|\n|---|---|\n|Conflict, EntryConflict|Korrigera.|\n\
         |TooManyRequests|Överbelastad.|\n|Tidsgräns |Tog för lång tid.|\n",
    );
    let codes: Vec<&str> = translated.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["Conflict", "EntryConflict", "TooManyRequests"]);
    assert_eq!(diagnosed(&translated), [(DiagnosticKind::UnparsedRow, 7)]);
}

/// One symbol beside several codes names each of them (`TIME_OUT_ERRORS` over
/// three timeouts, in Windows Update's common errors); one number beside several
/// still pairs with none.
#[test]
fn one_symbol_beside_several_codes_names_them_all() {
    let text = "# T\n\n| Error Code | Message | Description |\n|---|---|---|\n| 0x80072EFD <br>0x80072EFE <br>0x80D02002 | TIME_OUT_ERRORS | The operation timed out |\n| 0x8007000D | ERROR_INVALID_DATA | Invalid data. |\n\n| Hex | Decimal | Description |\n|---|---|---|\n| 0x80090032<br>0x80090033 | -2146893774 | Two codes. |\n";
    let revision = markdown(text);
    assert_eq!(
        names(&revision),
        [
            ("0x80072EFD", "TIME_OUT_ERRORS".to_owned()),
            ("0x80072EFE", "TIME_OUT_ERRORS".to_owned()),
            ("0x80D02002", "TIME_OUT_ERRORS".to_owned()),
            ("0x8007000D", "ERROR_INVALID_DATA".to_owned()),
            ("0x80090032", String::new()),
            ("0x80090033", String::new()),
        ]
    );
    for entry in &revision.entries[..3] {
        let condition = &entry.conditions[0];
        assert_eq!(condition.causes, ["The operation timed out"]);
        assert_eq!(
            (
                condition.message.as_deref(),
                condition.mitigation.as_deref()
            ),
            (None, None)
        );
    }
    assert_eq!(
        diagnosed(&revision),
        [(DiagnosticKind::UnpairedSpellings, 10)]
    );
}

/// An `Error Name` column in words is each error's title, its message: not a part
/// of the fix run into the solution's words. One of symbols names the codes.
#[test]
fn an_error_name_in_words_is_the_message() {
    let text = "# Errors\n\n| Error Code | Error Name | Description | Solution |\n|---|---|---|---|\n| 1045 | Access Denied | Invalid username or password | Check credentials |\n\n| Error Code | Error Name | Description |\n|---|---|---|\n| 0x80131500 | CERT_E_CERTIFICATE_NOT_FOUND | The certificate file was not found |\n";
    let revision = markdown(text);
    assert_no_diagnostics(&revision);
    let denied = &revision.entries[0];
    let condition = &denied.conditions[0];
    assert_eq!(denied.code, "1045");
    assert_eq!(condition.message.as_deref(), Some("Access Denied"));
    assert_eq!(condition.causes, ["Invalid username or password"]);
    assert_eq!(condition.mitigation.as_deref(), Some("Check credentials"));
    let cert = &revision.entries[1];
    assert_eq!(cert.names, ["CERT_E_CERTIFICATE_NOT_FOUND"]);
    assert_eq!(cert.conditions[0].message, None);
}

/// A heading that opens with a product's name and version (`## WebView2 failure`) is
/// no code's: the codes are in the tables under it, each in its `<details>` section.
#[test]
fn a_product_and_its_version_in_a_heading_is_no_code() {
    let text = "# Teams crashes\n\n## WebView2 failure\n\nCheck the exit codes.\n\n<details>\n\n<summary><b>General process exit codes</b></summary>\n\n| Exit code | Symbolic name | Description |\n| --- | --- | --- |\n| 1 | RESULT_CODE_KILLED | The process was terminated. |\n\n</details>\n\n## Win32 errors\n\n| Error code | Symbolic name | Description |\n| --- | --- | --- |\n| -1073741515 | STATUS_DLL_NOT_FOUND | A DLL is missing. |\n";
    let revision = markdown(text);
    assert_no_diagnostics(&revision);
    let found: Vec<(&str, Vec<&str>)> = (revision.entries.iter())
        .map(|e| {
            (
                e.code.as_str(),
                e.section.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("1", vec!["WebView2 failure", "General process exit codes"]),
            ("0xC0000135", vec!["Win32 errors"]),
        ]
    );
}

/// `0x8007002`, an HRESULT a digit short as Windows upgrade's error table gives it, is
/// kept as written, and said to be short at its row's line.
#[test]
fn an_hresult_a_digit_short_is_kept_and_reported() {
    let text = "# T\n\n<table>\n<tr><th>Code</th><th>Cause</th></tr>\n<tr>\n<td>0x8007002 </td>\n<td>Upgrades through Configuration Manager.</td>\n</tr>\n<tr><td>0x80070002</td><td>A file is missing.</td></tr>\n</table>\n";
    let revision = markdown(text);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0x08007002", "0x80070002"]);
    assert_eq!(diagnosed(&revision), [(DiagnosticKind::ShortHresult, 5)]);
}

/// A localized page that writes its codes in full width, or a decimal with a typeset
/// minus, gives the codes an English page gives: rows, not unparsed rows.
#[test]
fn full_width_codes_on_a_localized_page_are_its_entries() {
    let mut source = Source::new("doc", "rev", "doc/rev.ja-jp.html");
    source.format = Some(Format::Html);
    source.locale = Some("ja-jp".to_owned());
    let html = "<html><body><h1>エラー</h1><table>\
        <tr><th>コード</th><th>原因</th><th>対処方法</th></tr>\
        <tr><td>０ｘ８００９０００５</td><td>キーが無効です</td><td>PIN をリセットします。</td></tr>\
        <tr><td>ＤＳＲＥＧ＿Ｅ＿ＤＩＲＥＣＴＯＲＹ＿ＦＡＩＬＵＲＥ（０ｘ８０１ｃ０３ｅｄ／−２１４５６４７６３５）</td>\
        <td>ディレクトリ エラー</td><td>再試行します。</td></tr>\
        </table></body></html>";
    let revision = errcat::ingest_text(html, source).expect("ingests");
    let read: Vec<(&str, &[String])> = revision
        .entries
        .iter()
        .map(|e| (e.code.as_str(), e.names.as_slice()))
        .collect();
    let names = ["DSREG_E_DIRECTORY_FAILURE".to_owned()];
    assert_eq!(read, [("0x80090005", &[][..]), ("0x801C03ED", &names[..])]);
    assert_no_diagnostics(&revision);
    let revision = markdown("# T\n\n| Code | Message |\n|---|---|\n| −2145647635 | 失敗 |\n");
    assert_eq!(revision.entries[0].code, "0x801C03ED");
    assert_no_diagnostics(&revision);
}

/// A table whose codes are not in its first column, under a header that names
/// them, is read as if they were: each row an entry, the other columns by their
/// headers. It used to be taken for prose, and its codes were lost.
#[test]
fn codes_in_a_later_column_are_the_tables_codes() {
    let revision = markdown(
        "# T\n\n| Error message | Error code | Fix |\n|---|---|---|\n\
         | Bad key | 0x80090005 | Reset the PIN. |\n| | 0x80090036 | Try again. |\n\
         | Denied | AccessDenied | Ask an admin. |\n",
    );
    let read: Vec<(&str, Option<&str>, Option<&str>)> = revision
        .entries
        .iter()
        .map(|e| {
            let c = &e.conditions[0];
            (
                e.code.as_str(),
                c.message.as_deref(),
                c.mitigation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("0x80090005", Some("Bad key"), Some("Reset the PIN.")),
            ("0x80090036", None, Some("Try again.")),
            ("AccessDenied", Some("Denied"), Some("Ask an admin.")),
        ]
    );
    assert_no_diagnostics(&revision);
}

/// Small numbers in a first column with no code header number steps, not errors;
/// beside a column headed as codes they leave that column the codes. Words under a
/// `Status` header are not codes either.
#[test]
fn a_numbered_steps_table_is_not_a_code_table() {
    let revision = markdown(
        "# T\n\n| Error code | Fix |\n|---|---|\n| 0x80090005 | Reset the PIN. |\n\n\
         | Step | What to do |\n|---|---|\n| 1 | Open Settings. |\n| 2 | Reset the PIN. |\n\n\
         | # | Error code | Fix |\n|---|---|---|\n| 1 | 0x80090036 | Try again. |\n\n\
         | | |\n|---|---|\n| 12002 | The request timed out. |\n\n\
         | Step | Status |\n|---|---|\n| 1 | OK |\n| 2 | OK |\n",
    );
    let codes: Vec<(&str, usize)> = revision
        .entries
        .iter()
        .map(|e| (e.code.as_str(), e.conditions[0].source.line))
        .collect();
    assert_eq!(
        codes,
        [("0x80090005", 5), ("0x80090036", 14), ("12002", 18)]
    );
    assert_no_diagnostics(&revision);
}

/// A row that repeats a code its table already gave, with every other cell empty, as
/// Intune's app errors repeat `0x87D13B6F`, adds no condition and is reported; the
/// same code listed bare in another table keeps that row, the table it is in being
/// what it says.
#[test]
fn a_code_repeated_with_empty_cells_is_kept_once() {
    let revision = markdown(
        "# T\n\n| Hex | Decimal | Message | Description |\n|---|---|---|---|\n\
         | 0x87D13B6F | -2016330897 | Your connection to Intune timed out. | A timeout. |\n\
         | 0x87D13B6F | -2016330897 |  |   |\n\n\
         | Error code | Message |\n|---|---|\n| 0x87D13B6F |  |\n",
    );
    let lines: Vec<usize> = (revision.entries.iter())
        .flat_map(|e| e.conditions.iter().map(|c| c.source.line))
        .collect();
    assert_eq!(lines, [5, 10]);
    assert_eq!(diagnosed(&revision), [(DiagnosticKind::DuplicateRow, 6)]);
}

/// A table of events' IDs (`| Event ID | Description |` over `10014`) lists what a
/// log records, not errors, in English or in a translation; one that gives an error
/// code beside the event is read by that code.
#[test]
fn an_event_id_table_is_not_a_code_table() {
    let revision = markdown(
        "# T\n\n| Error code | Fix |\n|---|---|\n| 0x80090005 | Reset the PIN. |\n\n\
         |Event ID|Description|\n|---|---|\n|10014|Password change passed|\n|30002|Password change rejected|\n\n\
         | イベント ID | 説明 |\n|---|---|\n| 10015 | パスワードの設定に成功しました |\n\n\
         | Event ID | Error code | Description |\n|---|---|---|\n| 304 | 0x801C001D | Join failed. |\n",
    );
    let codes: Vec<(&str, usize)> = (revision.entries.iter())
        .map(|e| (e.code.as_str(), e.conditions[0].source.line))
        .collect();
    assert_eq!(codes, [("0x80090005", 5), ("0x801C001D", 18)]);
    assert_no_diagnostics(&revision);
}

/// A column that only numbers the rows says where a row stands, not what its code
/// means: it is neither the cause nor the mitigation. A `Step` column of words is
/// still the mitigation.
#[test]
fn a_column_of_step_numbers_is_not_the_codes_text() {
    let revision = markdown(
        "# T\n\n| Step | Error code | What to do |\n|---|---|---|\n\
         | 1 | 0x80090005 | Reset the PIN. |\n| 2. | 0x80090036 | Try again. |\n\n\
         | # | Error code | Fix |\n|---|---|---|\n| 1 | 0x80090011 | Sign in again. |\n\n\
         | Error code | Cause | Step |\n|---|---|---|\n| 0x80090016 | The key is gone. | Run `certutil`. |\n",
    );
    let read: Vec<(&str, Vec<&str>, Option<&str>)> = revision
        .entries
        .iter()
        .map(|e| {
            let c = &e.conditions[0];
            (
                e.code.as_str(),
                c.causes.iter().map(String::as_str).collect(),
                c.mitigation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("0x80090005", vec![], Some("Reset the PIN.")),
            ("0x80090036", vec![], Some("Try again.")),
            ("0x80090011", vec![], Some("Sign in again.")),
            (
                "0x80090016",
                vec!["The key is gone."],
                Some("Run certutil.")
            ),
        ]
    );
    assert_no_diagnostics(&revision);
}

/// Columns that give the code again, as a decimal or a symbolic name, are its
/// spellings: the names become the code's, the numbers are checked against it, and
/// neither is read as the row's text, even where the names come first. A `Name`
/// column of prose is the row's message.
#[test]
fn decimal_and_symbolic_name_columns_spell_the_code_again() {
    type Read<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, Option<&'a str>);
    let revision = markdown(
        "# T\n\n| Hex | Decimal | Symbolic name | Description |\n|---|---|---|---|\n\
         | 0x801C03ED<br>0x801C03EE | -2145647635<br>-2145647634 | DSREG_E_A<br>DSREG_E_B | Two at once. |\n\
         | 0x80090030 | -2146893775 | NTE_DEVICE_NOT_READY | Off by one. |\n\
         | 0x80090031 | -2146893775 | NTE_X, NTE_Y | Two names. |\n\
         | 0x80090032<br>0x80090033 | | NTE_P<br>NTE_Q<br>NTE_R | Three names. |\n\
         | 0x80090036 | — | N/A | None given. |\n\n\
         | Code | Name | Fix |\n|---|---|---|\n| 0x80090034 | The device is not ready | Wait. |\n\n\
         | Symbolic name | Hex | Description |\n|---|---|---|\n| NTE_FIRST | 0x80090035 | Names first. |\n",
    );
    let read: Vec<Read> = revision
        .entries
        .iter()
        .map(|e| {
            let c = &e.conditions[0];
            (
                e.code.as_str(),
                e.names.iter().map(String::as_str).collect(),
                c.causes.iter().map(String::as_str).collect(),
                c.mitigation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("0x801C03ED", vec!["DSREG_E_A"], vec!["Two at once."], None),
            ("0x801C03EE", vec!["DSREG_E_B"], vec!["Two at once."], None),
            (
                "0x80090030",
                vec!["NTE_DEVICE_NOT_READY"],
                vec!["Off by one."],
                None
            ),
            (
                "0x80090031",
                vec!["NTE_X", "NTE_Y"],
                vec!["Two names."],
                None
            ),
            (
                "0x80090032",
                vec![],
                vec!["Three names."],
                Some("NTE_P NTE_Q NTE_R")
            ),
            (
                "0x80090033",
                vec![],
                vec!["Three names."],
                Some("NTE_P NTE_Q NTE_R")
            ),
            ("0x80090036", vec![], vec!["None given."], None),
            ("0x80090034", vec![], vec![], Some("Wait.")),
            ("0x80090035", vec!["NTE_FIRST"], vec!["Names first."], None),
        ]
    );
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::HexDecimalMismatch, 6),
            (DiagnosticKind::UnpairedSpellings, 8),
        ]
    );
    let named = revision.entries.iter().find(|e| e.code == "0x80090034");
    let message = named.and_then(|e| e.conditions[0].message.as_deref());
    assert_eq!(message, Some("The device is not ready"));
}

/// A code cell's label, a footnote's superscript mark and names in parentheses after
/// the number are not the code: the number is, in pipe tables and raw HTML alike.
#[test]
fn labels_footnote_marks_and_named_numbers_leave_the_code_whole() {
    let pipes = "# T\n\n| Error code | Cause |\n|---|---|\n\
                 | HRESULT 0x801C03F5 | Labelled. |\n\
                 | 0x801C03EF<sup>1</sup> | Marked. |\n\
                 | 0x801C03F0 (DSREG_E_X) | Named. |\n\
                 | 0x801C03F4 / -2145647628 | Twice. |\n";
    let html = "# T\n\n<table>\n<tr><th>Error code</th><th>Cause</th></tr>\n\
                <tr><td>HRESULT 0x801C03F5</td><td>Labelled.</td></tr>\n\
                <tr><td>0x801C03EF<sup>1</sup></td><td>Marked.</td></tr>\n\
                <tr><td>0x801C03F0 (DSREG_E_X)</td><td>Named.</td></tr>\n\
                <tr><td>0x801C03F4 / -2145647628</td><td>Twice.</td></tr>\n</table>\n";
    for text in [pipes, html] {
        let revision = markdown(text);
        let read: Vec<(&str, Vec<&str>, Option<&str>)> = revision
            .entries
            .iter()
            .map(|e| {
                let names = e.names.iter().map(String::as_str).collect();
                (e.code.as_str(), names, e.conditions[0].message.as_deref())
            })
            .collect();
        assert_eq!(
            read,
            [
                ("0x801C03F5", vec![], None),
                ("0x801C03EF", vec![], Some("1")),
                ("0x801C03F0", vec!["DSREG_E_X"], None),
                ("0x801C03F4", vec![], None),
            ],
            "{text}"
        );
        // The footnote's mark is kept, as text beside the code.
        let kinds: Vec<DiagnosticKind> = revision.diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [DiagnosticKind::MergedCells], "{text}");
    }
}

/// A table with no header row keeps its first row: where the header would be, a
/// code is a row, in every format.
#[test]
fn a_table_without_a_header_keeps_its_first_row() {
    let ingest = |file: &str, format: Format, text: &str| {
        let mut source = Source::new("doc", "rev", file);
        source.format = Some(format);
        let revision = errcat::ingest_text(text, source).expect("ingests");
        assert!(
            revision.diagnostics.is_empty(),
            "{file}: {:?}",
            revision.diagnostics
        );
        revision
            .entries
            .iter()
            .map(|e| {
                let c = &e.conditions[0];
                (e.code.clone(), c.mitigation.clone(), c.source.line)
            })
            .collect::<Vec<_>>()
    };
    let read = |first: usize, second: usize| {
        vec![
            ("0x80090006".to_owned(), Some("Retry.".to_owned()), first),
            (
                "0x80090007".to_owned(),
                Some("Re-enroll.".to_owned()),
                second,
            ),
        ]
    };
    let markdown = "# T\n\n| 0x80090006 | Bad signature | Retry. |\n|---|---|---|\n\
                    | 0x80090007 | Bad key | Re-enroll. |\n";
    assert_eq!(
        ingest("doc/rev.en-us.md", Format::Markdown, markdown),
        read(3, 5)
    );
    let legacy = "T\n0x80090006 | Bad signature | Retry. |\n---|---|---|\n\
                  0x80090007 | Bad key | Re-enroll. |\n";
    assert_eq!(
        ingest("doc/rev.en-us.txt", Format::Legacy, legacy),
        read(2, 4)
    );
    let html = "<html><body><h1>T</h1>\n<table>\n\
                <tr><td>0x80090006</td><td>Bad signature</td><td>Retry.</td></tr>\n\
                <tr><td>0x80090007</td><td>Bad key</td><td>Re-enroll.</td></tr>\n\
                </table></body></html>";
    assert_eq!(ingest("doc/rev.en-us.html", Format::Html, html), read(3, 4));
}

/// A code cell broken over lines with `<br>`: the name's pair on the next line, a
/// lone `-or-` between two codes, a code with its decimal after it.
#[test]
fn a_code_cell_over_several_lines_reads_as_on_one() {
    let revision = markdown(
        "# T\n\n| Error code | Cause |\n|---|---|\n\
         | **DSREG_E_DIRECTORY_FAILURE**<br>(0x801c03f2/-2145647630) | Directory error |\n\
         | 0x80090005<br>-or-<br>0x80090006 | Two codes |\n\
         | `0x80090007` (-2146893817) | A code and its decimal |\n",
    );
    let read: Vec<(&str, &[String], Option<&str>)> = revision
        .entries
        .iter()
        .map(|e| {
            let message = e.conditions[0].message.as_deref();
            (e.code.as_str(), e.names.as_slice(), message)
        })
        .collect();
    let name = ["DSREG_E_DIRECTORY_FAILURE".to_owned()];
    assert_eq!(
        read,
        [
            ("0x801C03F2", &name[..], None),
            ("0x80090005", &[][..], None),
            ("0x80090006", &[][..], None),
            ("0x80090007", &[][..], None),
        ]
    );
    assert_no_diagnostics(&revision);
}

/// A docs include pulls text from another file, which is not read: the page says
/// where, so that codes missing from the revision can be traced to it.
#[test]
fn an_include_is_reported_not_silently_skipped() {
    let revision = markdown(
        "# T\n\n| Error code | Fix |\n|---|---|\n| 0x80090005 | Reset |\n\n\
         [!INCLUDE [more errors](includes/more-errors.md)]\n\n\
         [!include[](../includes/other.md)]\n\n\
         An [!INCLUDE] in running text is prose.\n",
    );
    let reported: Vec<(DiagnosticKind, usize, &str)> = revision
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.line, d.message.as_str()))
        .collect();
    let message = |path: &str| {
        format!("the page includes `{path}` here; another file, not read: codes it holds are not in this revision")
    };
    assert_eq!(
        reported,
        [
            (
                DiagnosticKind::IncludeNotRead,
                7,
                message("includes/more-errors.md").as_str()
            ),
            (
                DiagnosticKind::IncludeNotRead,
                9,
                message("../includes/other.md").as_str()
            ),
        ]
    );
    assert_eq!(revision.entries.len(), 1);
    // A page whose codes are all in the file it includes says so, not only that it
    // has no code table.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    let only = "# T\n\n[!INCLUDE [errors](includes/errors.md)]\n";
    match errcat::ingest_text(only, source) {
        Err(e @ errcat::IngestError::OnlyIncluded { .. }) => {
            assert_eq!(e.line(), Some(3));
            assert!(e.to_string().contains("`includes/errors.md`"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

/// What a page's entries say, one tuple a condition: code, section, causes, message,
/// mitigation, link urls and line.
type Said<'a> = (
    &'a str,
    Vec<&'a str>,
    Vec<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Vec<&'a str>,
    usize,
);

fn said(revision: &Revision) -> Vec<Said<'_>> {
    let mut out = Vec::new();
    for entry in &revision.entries {
        for c in &entry.conditions {
            out.push((
                entry.code.as_str(),
                entry.section.iter().map(String::as_str).collect(),
                c.causes.iter().map(String::as_str).collect(),
                c.message.as_deref(),
                c.mitigation.as_deref(),
                c.links.iter().map(|l| l.url.as_str()).collect(),
                c.source.line,
            ));
        }
    }
    out
}

/// A condition's code, causes, message and fix.
type Says<'a> = (&'a str, Vec<&'a str>, Option<&'a str>, Option<&'a str>);

/// Each condition's code, causes, message and fix: what a row says of its code.
fn what_rows_say(revision: &Revision) -> Vec<Says<'_>> {
    (said(revision).into_iter())
        .map(|(code, _, causes, message, fix, ..)| (code, causes, message, fix))
        .collect()
}

/// Each condition's code, causes, fix and line: what a row of a table gives.
fn causes_and_fixes(revision: &Revision) -> Vec<(&str, Vec<&str>, Option<&str>, usize)> {
    (said(revision).into_iter())
        .map(|(code, _, causes, _, fix, _, line)| (code, causes, fix, line))
        .collect()
}

const CODE_HEADINGS: &str = "---
title: Enrollment errors
---
# Troubleshoot enrollment

## Overview

Read this first.

## Error 0x80180014: The device is blocked

**Cause:** An administrator blocked the device.

### Resolution

1. Open the [admin center](https://example.test/admin).
2. Unblock the device.

## 0x801C0003 This user isn't authorized to enroll

The user isn't in the [allowed group](https://example.test/group).

**Resolution**

Add the user to the group.

## Error hr 0x8007064C

- Cause: The device is already enrolled.
- Resolution: Unenroll it first.

It may also log these warnings, which aren't errors:

| Error code | Cause |
|---|---|
| 0x8007064D | Enrolled twice. |

## More information

### Other errors

| Error code | Cause |
|---|---|
| 0x80090016 | Keyset does not exist. |
";

/// A page that gives each code a heading of its own holds a code table in all but
/// form: each heading is a row, the text under its labels the row's cells, and the
/// sections stand where the headings did.
#[test]
fn codes_under_headings_of_their_own_are_read_as_a_table() {
    let revision = markdown(CODE_HEADINGS);
    assert_no_diagnostics(&revision);
    assert_eq!(
        said(&revision),
        [
            (
                "0x80180014",
                vec![],
                vec!["An administrator blocked the device."],
                Some("The device is blocked"),
                Some("Open the admin center. Unblock the device."),
                vec!["https://example.test/admin"],
                10,
            ),
            (
                "0x801C0003",
                vec![],
                vec!["The user isn't in the allowed group."],
                Some("This user isn't authorized to enroll"),
                Some("Add the user to the group."),
                vec!["https://example.test/group"],
                19,
            ),
            (
                "0x8007064C",
                vec![],
                vec!["The device is already enrolled."],
                None,
                Some("Unenroll it first. It may also log these warnings, which aren't errors:"),
                vec![],
                27,
            ),
            // A table inside a code's section stands under its heading, and the
            // paragraph before it, the code's text, is the table's lead-in as well.
            (
                "0x8007064D",
                vec!["Error hr 0x8007064C"],
                vec!["Enrolled twice."],
                None,
                None,
                vec![],
                36,
            ),
            (
                "0x80090016",
                vec!["More information", "Other errors"],
                vec!["Keyset does not exist."],
                None,
                None,
                vec![],
                44,
            ),
        ]
    );
    assert_eq!(revision.stats.row_lines, [10, 19, 27, 36, 44]);
    let kinds: Vec<EntryKind> = revision.entries.iter().map(|e| e.kind).collect();
    use EntryKind::{Error, Warning};
    assert_eq!(kinds, [Error, Error, Error, Warning, Error]);

    // The same page as HTML, in Japanese, with full-width label colons.
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main>
<h1>登録のトラブルシューティング</h1>
<h2>エラー</h2>
<h3>エラー 0x80180014: デバイスがブロックされています</h3>
<p><strong>原因：</strong>管理者がデバイスをブロックしました。</p>
<h4>解決策</h4>
<ol><li><a href="https://example.test/admin">管理センター</a>を開きます。</li><li>ブロックを解除します。</li></ol>
<h3>0x801c0003</h3>
<p>ユーザーは登録を許可されていません。</p>
<h2>関連情報</h2>
<p>他のページ。</p>
</main></body></html>"#;
    let revision = japanese_html(html);
    assert_no_diagnostics(&revision);
    assert_eq!(
        said(&revision),
        [
            (
                "0x80180014",
                vec!["エラー"],
                vec!["管理者がデバイスをブロックしました。"],
                Some("デバイスがブロックされています"),
                Some("管理センターを開きます。 ブロックを解除します。"),
                vec!["https://example.test/admin"],
                4,
            ),
            (
                "0x801C0003",
                vec!["エラー"],
                vec!["ユーザーは登録を許可されていません。"],
                None,
                None,
                vec![],
                8,
            ),
        ]
    );

    // Headings that only hold a word, a small number, or a year or version are not
    // codes; a decimal after a label is.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    let prose = "# T\n\n## Step 4\n\nRun it.\n\n## PowerShell\n\nCause: none.\n\n\
                 ## 2024 updates\n\nNew.\n\n## 1809\n\nOld.\n";
    let prose = errcat::ingest_text(prose, source);
    assert!(
        matches!(prose, Err(errcat::IngestError::NoCodeTable)),
        "{prose:?}"
    );
    let labelled = markdown("# T\n\n## Error 1603\n\nCause: The install failed.\n");
    assert_eq!(said(&labelled)[0].0, "1603");
    // A title that names a code is still the page's title.
    let titled =
        markdown("# Error 0x80070005\n\n| Code | Fix |\n|---|---|\n| 0x80070005 | Retry. |\n");
    assert_eq!(titled.title, "Error 0x80070005");
    assert_eq!(said(&titled)[0].4, Some("Retry."));
}

/// Support articles give each problem Symptoms, Cause and Resolution: the symptom
/// is what the user sees, the message, not a step of the fix.
#[test]
fn symptoms_are_what_the_user_sees() {
    let sections = markdown(
        "# T\n\n## Error 0x80180014\n\n### Symptoms\n\nYou see \"Your device is blocked.\"\n\n\
         ### Cause\n\nAn administrator blocked it.\n\n### Resolution\n\nUnblock it.\n",
    );
    let table = markdown(
        "# T\n\n| Error | Symptom | Cause | Resolution |\n|---|---|---|---|\n\
         | 0x80180014 | You see \"Your device is blocked.\" | An administrator blocked it. | Unblock it. |\n",
    );
    for revision in [sections, table] {
        assert_no_diagnostics(&revision);
        let (_, _, causes, message, mitigation, _, _) = said(&revision).remove(0);
        assert_eq!(causes, ["An administrator blocked it."]);
        assert_eq!(message, Some("You see \"Your device is blocked.\""));
        assert_eq!(mitigation, Some("Unblock it."));
    }
}

/// A scraped page flattens its headings to one level: under a code's heading, a
/// `Cause` or `Resolution` heading at the same level is still one of its labels, and
/// a line with no closing stop, which the scrape also takes for a heading, is still
/// its text.
#[test]
fn a_scraped_page_keeps_a_codes_resolution_under_it() {
    let read = |text: &str| {
        let mut source = Source::new("doc", "rev", "doc/rev.en-us.txt");
        source.format = Some(Format::Legacy);
        let revision = errcat::ingest_text(text, source).expect("ingests");
        assert_no_diagnostics(&revision);
        let read: Vec<String> = said(&revision)
            .into_iter()
            .map(|(code, _, causes, _, fix, _, _)| format!("{code} {causes:?} {fix:?}"))
            .collect();
        read
    };
    let stopped = "Troubleshoot enrollment\n\nError 0x80180014\n\nCause: An admin blocked it.\n\n\
                   Resolution\n\nUnblock it.\n\nError 0x80180015\n\n\
                   Cause: No license.\n\nResolution\n\nAssign one.\n";
    assert_eq!(
        read(stopped),
        [
            r#"0x80180014 ["An admin blocked it."] Some("Unblock it.")"#,
            r#"0x80180015 ["No license."] Some("Assign one.")"#,
        ]
    );
    // A label heading with no text under it yet gives way to the next label.
    assert_eq!(
        read("T\n\nError 0x80180014\n\nResolution\n\nCause\n\nNo license\n"),
        [r#"0x80180014 ["No license"] None"#]
    );
    // A label heading's words are a sentence of their own, which a stop ends.
    assert_eq!(
        read(&stopped.replace(".\n", "\n")),
        [
            r#"0x80180014 ["An admin blocked it."] Some("Unblock it")"#,
            r#"0x80180015 ["No license."] Some("Assign one")"#,
        ]
    );
}

/// The items nested in a list item are more of its text: the causes under a
/// `Cause:` item in a code's section, the sub-steps of a step.
#[test]
fn nested_items_are_more_of_their_items_text() {
    let revision = markdown(
        "# T\n\n## Fix it\n\n1. Open the console.\n   - As an administrator.\n2. Rejoin.\n\n\
         | Error code | Cause |\n|---|---|\n| 0x80180014 | Blocked. |\n\n\
         ## Error 0x80180015\n\n- Cause:\n  - The user is not licensed.\n  - The license expired.\n\
         - Resolution: Assign one.\n",
    );
    assert_no_diagnostics(&revision);
    assert_eq!(
        revision.steps,
        ["Open the console. As an administrator.", "Rejoin."]
    );
    let (code, _, causes, _, mitigation, _, _) = said(&revision).remove(1);
    assert_eq!(code, "0x80180015");
    assert_eq!(
        causes,
        ["The user is not licensed.", "The license expired."]
    );
    assert_eq!(mitigation, Some("Assign one."));
}

/// A command to run, in a code block under a code's resolution, is part of the
/// resolution, whatever it holds; a code block elsewhere is still read as nothing.
#[test]
fn a_command_under_a_codes_resolution_is_part_of_it() {
    let md = markdown(
        "# T\n\n```\nError: 0x80180001 in a sample\n```\n\n## Error 0x80180014\n\n\
         **Resolution:** Run this command:\n\n```console\ndsregcmd /leave\n\
         Error: 0x80180099\n```\n\nThen restart.\n",
    );
    let html = r#"<!DOCTYPE html><html><body><main><h1>T</h1>
<pre><code>Error: 0x80180001 in a sample</code></pre>
<h2>Error 0x80180014</h2>
<p><strong>Resolution:</strong> Run this command:</p>
<pre><code>dsregcmd /leave
Error: 0x80180099</code></pre>
<p>Then restart.</p>
</main></body></html>"#;
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.html");
    source.format = Some(Format::Html);
    let html = errcat::ingest_text(html, source).expect("ingests");
    for revision in [md, html] {
        assert_no_diagnostics(&revision);
        let read = said(&revision);
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].0, "0x80180014");
        assert_eq!(
            read[0].4,
            Some("Run this command: dsregcmd /leave Error: 0x80180099 Then restart.")
        );
    }

    // So is one in a step of it, as a line of the step.
    let steps = markdown(
        "# T\n\n## Error 0x80180014\n\n### Resolution\n\n1. Run this command:\n\n\
         \x20  ```cmd\n   whoami /upn\n   ```\n\n1. Sign in again.\n",
    );
    assert_eq!(
        said(&steps)[0].4,
        Some("Run this command: whoami /upn Sign in again.")
    );
    // In a list of codes, a command's output under one is its text, and gives no
    // code of its own.
    let entries = markdown(
        "# T\n\n- **0x80180014**: Blocked.\n\n  ```\n  0x80180099 Access denied\n  ```\n\n\
         - **0x80180015**: Not allowed.\n",
    );
    let read: Vec<_> = said(&entries).into_iter().map(|s| (s.0, s.2)).collect();
    assert_eq!(
        read,
        [
            ("0x80180014", vec!["0x80180099 Access denied"]),
            ("0x80180015", vec![]),
        ]
    );
}

const MESSAGE_LINES: &str = r#"---
title: Enrollment errors
---
# Troubleshoot enrollment

Read this first.

## Error 8018000a: The device is already enrolled.

Error 8018000a: "Something went wrong. The device is already enrolled."

**Cause:** Another user enrolled it.

**Solution:** Remove the other account.

## This account is not allowed on this phone.

Error: "This account is not allowed on this phone."

**Cause:** No license.

## Something went wrong.

Error 80180026: "Something went wrong. Confirm your sign-in information."
Error 0x80180003: "This user is not authorized to enroll."

**Cause:** Automatic enrollment is on.

**Solution:** Turn it off.

## The software cannot be installed.

Error: "The software cannot be installed, 0x80cf4017."

**Cause:** The client is out of date.

## Securing your hardware (Failed: 0x800705b4).

Error 800705b4:

> Securing your hardware (Failed: 0x800705b4)

**Cause:** There is no TPM 2.0.

## Something went wrong. Error Code 80070774.

Error 0x80070774: Something went wrong. Confirm your sign-in information.

This happens before the device restarts.

**Cause:** The user was assigned.
"#;

/// A problem headed in words alone may give its code in the lines that tell what
/// the reader sees, before its cause: Intune's `Auto MDM Enroll: Failed`. A code
/// named only in the cause, or in a section with no cause or fix, or mistyped in
/// a log excerpt, or under a bold line of its own, is no heading's.
#[test]
fn a_heading_in_words_takes_its_code_from_what_the_reader_sees() {
    let revision = markdown(
        "# Troubleshoot enrollment\n\n\
         ## Auto MDM Enroll: Failed\n\n\
         When you enroll by Group Policy, you see these issues:\n\n\
         - The task's last result is **Event 76 Auto MDM Enroll: Failed (Unknown Win32 \
         Error code: 0x8018002b)**\n\
         - This event is logged:\n\n\
         ```output\nDescription: Auto MDM Enroll: Failed (Unknown Win32 Error code: \
         0x80180002b)\n```\n\n\
         **Cause:** The UPN has a non-routable domain.\n\n\
         **Solution:** Add a routable UPN suffix.\n\n\
         ## Enrollment stops\n\n**ERROR_X_Y**\n\n0x801C03D0\n\n**Cause:** The key is gone.\n\n\
         ## Collect logs\n\nThe log may show error code 0x80070057.\n\nSend it to us.\n\n\
         ## Sync fails\n\n**Cause:** The service returns error code 0x80070005.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, _, line)| (code, causes, message, fix, line))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x8018002B",
                vec![
                    "When you enroll by Group Policy, you see these issues: The task's last \
                 result is Event 76 Auto MDM Enroll: Failed (Unknown Win32 Error code: \
                 0x8018002b) This event is logged: Description: Auto MDM Enroll: Failed \
                 (Unknown Win32 Error code: 0x80180002b)",
                    "The UPN has a non-routable domain."
                ],
                Some("Auto MDM Enroll: Failed"),
                Some("Add a routable UPN suffix."),
                3,
            ),
            ("0x801C03D0", vec!["The key is gone."], None, None, 20)
        ]
    );
}

/// Support articles head a problem with the error as the user sees it, and give
/// its code in that heading's words (`Securing your hardware (Failed:
/// 0x800705b4)`) or in the line under it (`Error 80180026: "Something went
/// wrong…"`). That line is the code's message, not a label of its text; two such
/// lines in a row are two codes of one problem.
#[test]
fn a_heading_in_the_errors_words_takes_its_code_from_the_line_under_it() {
    let revision = markdown(MESSAGE_LINES);
    assert_no_diagnostics(&revision);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, _, line)| (code, causes, message, fix, line))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x8018000A",
                vec!["Another user enrolled it."],
                Some("\"Something went wrong. The device is already enrolled.\""),
                Some("Remove the other account."),
                8,
            ),
            (
                "0x80180026",
                vec!["Automatic enrollment is on."],
                Some("\"Something went wrong. Confirm your sign-in information.\""),
                Some("Turn it off."),
                22,
            ),
            (
                "0x80180003",
                vec!["Automatic enrollment is on."],
                Some("\"This user is not authorized to enroll.\""),
                Some("Turn it off."),
                24,
            ),
            (
                "0x80CF4017",
                vec!["The client is out of date."],
                Some("\"The software cannot be installed, 0x80cf4017.\""),
                None,
                31,
            ),
            (
                "0x800705B4",
                vec!["There is no TPM 2.0."],
                // The heading's words, which the message gives in full, once.
                Some("Securing your hardware (Failed: 0x800705b4)"),
                None,
                37,
            ),
            (
                "0x80070774",
                // Text under no label, the code's description, is a cause too,
                // before the labelled causes that follow it on the page.
                vec![
                    "This happens before the device restarts.",
                    "The user was assigned."
                ],
                // The heading's last sentence only labels the code again.
                Some("Something went wrong. Confirm your sign-in information."),
                None,
                45,
            ),
        ]
    );
    assert_eq!(revision.stats.row_lines, [8, 22, 24, 31, 37, 45]);

    // A heading that names two codes inside its words gives both; one that is only
    // a label and a code has no words of its own to give as a message.
    let both = markdown(
        "# T\n\n### Terminal error code 1007 and exit code -2145648574\n\n\
         The extension can't query the tenant.\n\n### Exit code -2145648607\n\n\
         The extension can't reach the endpoint.\n",
    );
    assert_no_diagnostics(&both);
    let read: Vec<_> = said(&both)
        .into_iter()
        .map(|(code, _, causes, message, _, _, _)| (code, causes, message))
        .collect();
    let heading = Some("Terminal error code 1007 and exit code -2145648574");
    let tenant = vec!["The extension can't query the tenant."];
    assert_eq!(
        read,
        [
            ("1007", tenant.clone(), heading),
            ("0x801C0042", tenant, heading),
            (
                "0x801C0021",
                vec!["The extension can't reach the endpoint."],
                None
            ),
        ]
    );

    // Opened by its label, a heading that names a second code after the first gives
    // both as well: the second is no message.
    let opened = markdown(
        "# T

### Error code 1007 and exit code -2145648574

         The extension can't query the tenant.
",
    );
    assert_no_diagnostics(&opened);
    let read: Vec<_> = said(&opened)
        .into_iter()
        .map(|(code, _, _, message, _, _, _)| (code, message))
        .collect();
    let heading = Some("Error code 1007 and exit code -2145648574");
    assert_eq!(read, [("1007", heading), ("0x801C0042", heading)]);
}

/// Under a code's heading, a table that names only what its columns hold
/// (`| Cause | Resolution |`) is the code's text: each row a condition of the code.
#[test]
fn a_table_of_a_codes_own_text_gives_its_conditions() {
    let md = markdown(
        "# T\n\n## Error 0x80180014\n\nThe device can't enroll.\n\n\
         | Cause | Resolution |\n|---|---|\n| Enrollment is blocked. | Unblock it. |\n\
         | The user has no license. | Assign one. |\n\n\
         | Setting | Value |\n|---|---|\n| Scope | All |\n",
    );
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>エラー 0x80180014</h2>
<p>The device can't enroll.</p>
<table><tr><th>原因</th><th>解決策</th></tr>
<tr><td>Enrollment is blocked.</td><td>Unblock it.</td></tr>
<tr><td>The user has no license.</td><td>Assign one.</td></tr></table>
<table><tr><th>Setting</th><th>Value</th></tr><tr><td>Scope</td><td>All</td></tr></table>
</main></body></html>"#;
    let html = japanese_html(html);
    for (revision, lines) in [(md, [3, 10]), (html, [2, 6])] {
        assert_no_diagnostics(&revision);
        let read = causes_and_fixes(&revision);
        assert_eq!(
            read,
            [
                (
                    "0x80180014",
                    vec!["The device can't enroll.", "Enrollment is blocked."],
                    Some("Unblock it."),
                    lines[0],
                ),
                // The table of settings after it lists no codes: it is the code's
                // text too, under no label, which stands first.
                (
                    "0x80180014",
                    vec!["Scope: All", "The user has no license."],
                    Some("Assign one."),
                    lines[1],
                ),
            ]
        );
    }
}

/// A table of errors may tell in its first cell what goes wrong and name the codes
/// inside it (`… contains error 32009 with the text …`, `hr=800700CE`, `Error:
/// 'AADSTS50059: …`): those are the row's codes and the cell their message. A row
/// that names none is reported with its line, as before.
#[test]
fn a_first_cell_that_names_its_codes_inside_gives_them() {
    let revision = markdown(
        "# T\n\n## Common errors\n\n| Error | Solution |\n| --- | --- |\n\
         | The event log contains error 32009 with the text \"Error getting auth token.\" | Use a cloud account. |\n\
         | You see \"Synchronization Engine returned an error hr=800700CE\" after the unlock. | Shorten the password. |\n\
         | The log contains error 6329 with the text \"0x8023061f (Password sync is off)\". | Enable it again. |\n\
         | After a while, users can't reset their passwords. | Restart the service. |\n\
         | The year 2024 and version 1809 of the tool. | Nothing. |\n\
         | `Registration failed. Error: 'AADSTS50059: No tenant-identifying information found.` | Use a work account. |\n",
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, _, message, fix, _, line)| (code, message.is_some(), fix, line))
        .collect();
    assert_eq!(
        read,
        [
            ("32009", true, Some("Use a cloud account."), 7),
            ("0x800700CE", true, Some("Shorten the password."), 8),
            ("6329", true, Some("Enable it again."), 9),
            ("0x8023061F", true, Some("Enable it again."), 9),
            ("AADSTS50059", true, Some("Use a work account."), 12),
        ]
    );
    assert_eq!(
        said(&revision)[0].3,
        Some("The event log contains error 32009 with the text \"Error getting auth token.\"")
    );
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::UnparsedRow, 10),
            (DiagnosticKind::UnparsedRow, 11),
        ]
    );
}

/// A page may put each code's text in a section the reader opens, `<details>`,
/// titled by its codes in a `<summary>`: each summary is a code's heading, a level
/// under the heading it stands beneath, whether the page is Markdown or HTML.
#[test]
fn details_titled_by_codes_are_their_rows() {
    let md = markdown(
        "# T\n\n## Checklist\n\n### Step 3: Find the error\n\n#### Status codes\n\n\
         <details>\n\
         <summary>STATUS_LOGON_FAILURE (-1073741715&nbsp;/&nbsp;0xc000006d),<br/>\n\
         STATUS_WRONG_PASSWORD (-1073741718&nbsp;/&nbsp;0xc000006a)</summary>\n\n\
         ##### Cause\n\n- The device can't connect.\n- The service said 400.\n\n\
         ##### Solution\n\nCheck the proxy.\n</details>\n\n\
         <details>\n<summary>AAD_CLOUDAP_E_EMPTY (-1073445695&nbsp;/&nbsp;0xc00484c1&nbsp;/&nbsp;0x800484c1)</summary>\n\n\
         ##### Cause\n\nThe endpoint failed.\n\n##### More details\n\nThe proxy strips it.\n</details>\n\n\
         #### Server codes\n\n\
         <details>\n<summary>AADSTS50155: Device authentication failed</summary>\n\n\
         ##### Cause\n\nThe device is deleted.\n\n##### Solution\n\nRegister it again.\n</details>\n\n\
         <details>\n<summary>How the flow works</summary>\n\nThe flow.\n</details>\n\n\
         ### Step 4: Collect the logs\n\nRun the script.\n",
    );
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>Checklist</h2>
<h3>Step 3: Find the error</h3>
<h4>Status codes</h4>
<details><summary>STATUS_LOGON_FAILURE (-1073741715&nbsp;/&nbsp;0xc000006d),<br>
STATUS_WRONG_PASSWORD (-1073741718&nbsp;/&nbsp;0xc000006a)</summary>
<h5>Cause</h5><ul><li>The device can't connect.</li><li>The service said 400.</li></ul>
<h5>Solution</h5><p>Check the proxy.</p></details>
<details><summary>AAD_CLOUDAP_E_EMPTY (-1073445695&nbsp;/&nbsp;0xc00484c1&nbsp;/&nbsp;0x800484c1)</summary>
<h5>Cause</h5><p>The endpoint failed.</p><h5>More details</h5><p>The proxy strips it.</p></details>
<h4>Server codes</h4>
<details><summary>AADSTS50155: Device authentication failed</summary>
<h5>Cause</h5><p>The device is deleted.</p>
<h5>Solution</h5><p>Register it again.</p></details>
<details><summary>How the flow works</summary><p>The flow.</p></details>
<h3>Step 4: Collect the logs</h3>
<p>Run the script.</p>
</main></body></html>"#;
    let html = japanese_html(html);
    for (revision, lines) in [(md, [10, 24, 38]), (html, [5, 9, 12])] {
        assert_no_diagnostics(&revision);
        assert_eq!(revision.stats.row_lines, lines);
        let read: Vec<_> = (revision.entries.iter())
            .flat_map(|e| {
                let names = e.names.join(" ");
                let section = e.section.last().cloned().unwrap_or_default();
                e.conditions.iter().map(move |c| {
                    (
                        e.code.clone(),
                        names.clone(),
                        section.clone(),
                        c.causes.join(" | "),
                        c.message.clone(),
                        c.mitigation.clone(),
                    )
                })
            })
            .collect();
        let row = |code: &str,
                   name: &str,
                   section: &str,
                   causes: &str,
                   message: Option<&str>,
                   fix: Option<&str>| {
            (
                code.to_owned(),
                name.to_owned(),
                section.to_owned(),
                causes.to_owned(),
                message.map(str::to_owned),
                fix.map(str::to_owned),
            )
        };
        let connect = "The device can't connect. | The service said 400.";
        let proxy = Some("Check the proxy.");
        assert_eq!(
            read,
            [
                row(
                    "0xC000006D",
                    "STATUS_LOGON_FAILURE",
                    "Status codes",
                    connect,
                    None,
                    proxy
                ),
                row(
                    "0xC000006A",
                    "STATUS_WRONG_PASSWORD",
                    "Status codes",
                    connect,
                    None,
                    proxy
                ),
                row(
                    "0xC00484C1",
                    "AAD_CLOUDAP_E_EMPTY",
                    "Status codes",
                    "The endpoint failed.",
                    None,
                    // A heading inside the section is under its summary, whatever
                    // level the page gave it, and titles its part of the text.
                    Some("More details: The proxy strips it.")
                ),
                row(
                    "0x800484C1",
                    "AAD_CLOUDAP_E_EMPTY",
                    "Status codes",
                    "The endpoint failed.",
                    None,
                    // A heading inside the section is under its summary, whatever
                    // level the page gave it, and titles its part of the text.
                    Some("More details: The proxy strips it.")
                ),
                // A section beside them titled by no code is not the last code's
                // text, nor is the next step of the page, above the codes' level,
                // though its heading starts with `Step 4:`.
                row(
                    "AADSTS50155",
                    "",
                    "Server codes",
                    "The device is deleted.",
                    Some("Device authentication failed"),
                    Some("Register it again."),
                ),
            ]
        );
    }
}

/// A support article about one error titles the page with its code and gives it
/// no heading of its own: where nothing else on the page lists codes, the title is
/// the code's heading and the page its section, up to the page's closing links.
#[test]
fn a_page_about_one_error_is_its_codes_section() {
    let md = markdown(
        "---\ntitle: Error AADSTS50057\nms.date: 12/25/2023\n---\n\n\
         # Error AADSTS50057 - User account is disabled\n\n\
         This article discusses how to resolve the \"AADSTS50057\" error.\n\n\
         The article helps you to resolve it.\n\n\
         ## Summary\n\nA sign-in fails.\n\n## Symptoms\n\nUsers see this message:\n\n> AADSTS50057: The user account is disabled.\n\n\
         ## Cause\n\nThe user object is disabled on the resource tenant.\n\n\
         > [!NOTE]\n> Only admins see why.\n\n> [!VIDEO https://example.test/v]\n\n\
         ## Solution\n\n| Scenario | Action |\n|--|--|\n\
         | Disabled on purpose. | Do nothing. |\n| Disabled by mistake. | Re-enable it. |\n\n\
         ## Next steps\n\nSee [the codes](https://example.test/codes).\n",
    );
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main>
<h1>エラー AADSTS50057 - User account is disabled</h1>
<p>Use this article to resolve the "AADSTS50057" error.</p><p>この記事では、このエラーを解決する方法について説明します。</p>
<h2>概要</h2>
<p>A sign-in fails.</p>
<h2>症状</h2>
<p>Users see this message:</p>
<blockquote><p>AADSTS50057: The user account is disabled.</p></blockquote>
<h2>原因</h2>
<p>The user object is disabled on the resource tenant.</p>
<blockquote><p>Only admins see why.</p></blockquote>
<h2>解決策</h2>
<table><tr><th>Scenario</th><th>Action</th></tr>
<tr><td>Disabled on purpose.</td><td>Do nothing.</td></tr>
<tr><td>Disabled by mistake.</td><td>Re-enable it.</td></tr></table>
<h2>関連コンテンツ</h2>
<p>See <a href="https://example.test/codes">the codes</a>.</p>
</main></body></html>"#;
    let html = japanese_html(html);
    for (revision, title, line) in [
        (md, "Error AADSTS50057 - User account is disabled", 6),
        (html, "エラー AADSTS50057 - User account is disabled", 2),
    ] {
        assert_no_diagnostics(&revision);
        assert_eq!(revision.title, title);
        assert_eq!(revision.stats.row_lines, [line]);
        assert_eq!(
            said(&revision),
            [(
                "AADSTS50057",
                vec![],
                // A summary of the problem is the code's description; the page
                // speaking of itself is not. A note is text of the section it
                // stands in, without its mark; a video is none.
                vec![
                    "A sign-in fails.",
                    "The user object is disabled on the resource tenant. Only admins see why.",
                ],
                Some(
                    "User account is disabled. Users see this message: \
                     The user account is disabled."
                ),
                Some("Disabled on purpose. Do nothing. Disabled by mistake. Re-enable it."),
                vec![],
                line,
            )]
        );
    }

    // A page whose title names a code and whose table lists codes is no page about
    // one error: the table's rows are its codes, and the title is only its title.
    let titled = markdown(
        "# Error 0x80070005\n\nAccess is denied.\n\n\
         | Code | Fix |\n|---|---|\n| 0x80070005 | Retry. |\n| 0x80070006 | Reopen. |\n",
    );
    let codes: Vec<_> = said(&titled).into_iter().map(|s| (s.0, s.4)).collect();
    assert_eq!(
        codes,
        [
            ("0x80070005", Some("Retry.")),
            ("0x80070006", Some("Reopen."))
        ]
    );
    // An include stands for another file's text, reported where it stands: it is
    // not the text of the code above it.
    let included = markdown(
        "# T\n\n## Error 0x80180014\n\nBlocked.\n\n[!INCLUDE [help](../includes/help.md)]\n",
    );
    assert_eq!(said(&included)[0].2, ["Blocked."]);
    assert_eq!(diagnosed(&included), [(DiagnosticKind::IncludeNotRead, 7)]);
    // A title that names no code leaves a page with no codes as it was.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    let untitled = "# Sign-in fails\n\n## Cause\n\nThe user is disabled.\n";
    let untitled = errcat::ingest_text(untitled, source);
    assert!(
        matches!(untitled, Err(errcat::IngestError::NoCodeTable)),
        "{untitled:?}"
    );
}

/// A table under a code's heading that lists no codes (`| Setting | Value |`) is
/// the code's text, a line a row, and the code's section goes on after it: the
/// labels below it are still the code's.
#[test]
fn a_table_that_lists_no_codes_is_the_text_of_the_code_above_it() {
    let md = markdown(
        "# T\n\n## Error 0x80180014\n\nThe device can't enroll.\n\n\
         | Setting | Value | Note |\n|---|---|---|\n\
         | Scope | [All](https://example.test/scope) | Default |\n\n\
         ### Resolution\n\nUnblock the device.\n\n## Error 0x801C0003\n\nThe user isn't allowed.\n",
    );
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>エラー 0x80180014</h2>
<p>The device can't enroll.</p>
<table><tr><th>Setting</th><th>Value</th><th>Note</th></tr>
<tr><td>Scope</td><td><a href="https://example.test/scope">All</a></td><td>Default</td></tr></table>
<h3>解決策</h3>
<p>Unblock the device.</p>
<h2>エラー 0x801C0003</h2>
<p>The user isn't allowed.</p>
</main></body></html>"#;
    let html = japanese_html(html);
    for revision in [md, html] {
        assert_no_diagnostics(&revision);
        let read: Vec<_> = said(&revision)
            .into_iter()
            .map(|(code, _, causes, _, fix, links, _)| (code, causes, fix, links))
            .collect();
        assert_eq!(
            read,
            [
                (
                    "0x80180014",
                    vec!["The device can't enroll. Scope: All Default"],
                    Some("Unblock the device."),
                    vec!["https://example.test/scope"],
                ),
                ("0x801C0003", vec!["The user isn't allowed."], None, vec![]),
            ]
        );
    }

    // A table inside a list item comes after the items before it.
    let nested = markdown(
        "# T\n\n## Error 0x80180014\n\n### Resolution\n\n1. Check the chain.\n\n\
         2. Check the keys.\n\n    | Certificate | Key |\n    |---|---|\n    | Root | Its own. |\n",
    );
    assert_eq!(
        said(&nested)[0].4,
        Some("Check the chain. Check the keys. Root: Its own.")
    );
}

/// The sign-in service's reference opens each code's description with the code's
/// name in camel case, set off by a dash, or by a colon or a bare dash in some
/// translations: the name a log gives, which finds the code. A text that opens
/// with any capitalised word, or a number's text, names nothing.
#[test]
fn a_string_codes_description_opens_with_its_name() {
    let revision = markdown(
        "# T\n\n| Error | Description |\n|---|---|\n\
         | AADSTS50126 | InvalidUserNameOrPassword - Error validating credentials. |\n\
         | AADSTS50127 | BrokerAppNotInstalled–ユーザーはアプリを必要とします。 |\n\
         | AADSTS50125 | PasswordResetRegistrationRequiredInterrupt: Sign-in was interrupted. |\n\
         | AADSTS50057 | UserDisabled |\n\
         | AADSTS700016 | UnauthorizedClient_DoesNotMatchRequest - The app wasn't found. |\n\
         | AADSTS700054 | Response_type 'id_token' isn't enabled for the application. |\n\
         | AADSTS50128 | Invalid domain name - No tenant information was found. |\n\
         | AADSTS90002 | The tenant wasn't found. |\n\
         | AADSTS50000 | AADSTS50000 - There's an issue with the sign-in service. |\n\
         | 0x80070005 | PowerShell - Run it as an administrator. |\n",
    );
    assert_no_diagnostics(&revision);
    let names: Vec<(&str, Vec<&str>)> = (revision.entries.iter())
        .map(|e| {
            (
                e.code.as_str(),
                e.names.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("AADSTS50126", vec!["InvalidUserNameOrPassword"]),
            ("AADSTS50127", vec!["BrokerAppNotInstalled"]),
            (
                "AADSTS50125",
                vec!["PasswordResetRegistrationRequiredInterrupt"]
            ),
            ("AADSTS50057", vec!["UserDisabled"]),
            (
                "AADSTS700016",
                vec!["UnauthorizedClient_DoesNotMatchRequest"]
            ),
            ("AADSTS700054", vec![]),
            ("AADSTS50128", vec![]),
            ("AADSTS90002", vec![]),
            ("AADSTS50000", vec![]),
            ("0x80070005", vec![]),
        ]
    );
    // The text keeps the name: it is what the page says.
    let cause = &revision.entries[0].conditions[0].causes[0];
    assert_eq!(
        cause,
        "InvalidUserNameOrPassword - Error validating credentials."
    );
}

/// The Directory Sync tool's troubleshooting page numbers its problems `## Error 1:
/// …`, `## Error 2: …`: a count, not codes 1 and 2. A heading with an error's number
/// that does not go on with such a run still gives it, and the page's table's
/// `Details` are each error's text.
#[test]
fn numbered_problems_are_no_codes() {
    let revision = markdown(
        "# Troubleshoot the Directory Sync tool\n\n\
         ## Error 1: The computer must be joined to a domain\n\n\
         **Cause:** It is in a workgroup.\n\n\
         ## Error 2: The tool is already installed\n\n\
         **Cause:** An installation is pending.\n\n\
         ## Error 5: Access is denied\n\n\
         **Cause:** The account lacks the right.\n\n\
         ## Other error messages\n\n\
         |Error name|Details|Source|Resolution|\n|---|---|---|---|\n\
         |DirSyncAlreadyInstalled|The Directory Sync tool is already installed.|Event Viewer|\
         Uninstall all earlier versions.|\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (said(&revision).into_iter())
        .map(|(code, _, _, message, fix, _, _)| (code, message, fix))
        .collect();
    assert_eq!(
        read,
        [
            ("5", Some("Access is denied"), None),
            (
                "DirSyncAlreadyInstalled",
                Some("The Directory Sync tool is already installed."),
                Some("Uninstall all earlier versions.")
            ),
        ]
    );
    // One such heading alone counts nothing: Win32's error 1 is a code.
    let revision = markdown(
        "# T\n\n## Error 1: Incorrect function\n\n**Cause:** The call is not supported.\n",
    );
    assert_no_diagnostics(&revision);
    assert_eq!(revision.entries[0].code, "1");
}

/// Entra Connect's table of the system errors a remote procedure call returns gives
/// each one's number (a link to Win32's list), its hex and symbolic name, and the
/// system's text for it: the number is the code, the hex and the name its
/// spellings, the text its message.
#[test]
fn a_system_error_table_gives_the_errors_own_text() {
    let revision = markdown(
        "# RPC errors\n\n\
         | Error ID | Hexadecimal error representation | Error symbolic name | Error descriptive text\n\
         |:-----------:|:-----------:|:-----------:|:-----------:|  \n\
         | [1722](/windows/win32/debug/system-error-codes--1700-3999-) | 0x6BA | \
         RPC_S_SERVER_UNAVAILABLE | The RPC server is unavailable. |\n\
         | [5](/windows/win32/debug/system-error-codes--0-499-) | 0x5 | ERROR_ACCESS_DENIED| \
         Access is denied. |\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (revision.entries.iter())
        .map(|e| {
            let c = &e.conditions[0];
            (
                e.code.as_str(),
                e.names.clone(),
                c.causes.len(),
                c.message.as_deref(),
                c.links.len(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "1722",
                vec!["RPC_S_SERVER_UNAVAILABLE".to_owned()],
                0,
                Some("The RPC server is unavailable."),
                1
            ),
            (
                "5",
                vec!["ERROR_ACCESS_DENIED".to_owned()],
                0,
                Some("Access is denied."),
                1
            ),
        ]
    );
}

/// The B2C error code reference gives each code's message and, under `Notes`, the
/// articles that say what to do, or that the code is deprecated: what a reader is
/// sent to do, not why the error happened. So is a column of `Remediation`.
#[test]
fn a_notes_column_is_the_fix() {
    let revision = markdown(
        "# Error codes: Azure Active Directory B2C\n\n\
         | Error code | Message | Notes |\n| ---------- | ------- | ----- |\n\
         | `AADB2C90002` | The CORS resource '{0}' returned a 404 not found. | \
         [Hosting the page content](customize-ui-with-html.md#hosting-the-page-content) |\n\
         | `AADB2C90016` | The requested client assertion type '{0}' does not match. | deprecated |\n\
         | `AADB2C90048` | An unhandled exception has occurred on the server. |\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (said(&revision).into_iter())
        .map(|(code, _, causes, _, fix, links, _)| (code, causes, fix, links))
        .collect();
    let link = "customize-ui-with-html.md#hosting-the-page-content";
    assert_eq!(
        read,
        [
            (
                "AADB2C90002",
                vec![],
                Some("Hosting the page content"),
                vec![link]
            ),
            ("AADB2C90016", vec![], Some("deprecated"), vec![]),
            ("AADB2C90048", vec![], None, vec![]),
        ]
    );
    // A `Remediation` column beside the message is the fix too, not the first
    // free role.
    let revision = markdown(
        "# Storage account errors\n\n| Error code | Message | Remediation |\n|---|---|---|\n\
         | `BlobContainerUrlMissing` | The container URL wasn't given. | Set the URL. |\n",
    );
    assert_no_diagnostics(&revision);
    let c = &revision.entries[0].conditions[0];
    assert!(c.causes.is_empty());
    assert_eq!(c.mitigation.as_deref(), Some("Set the URL."));
}

/// Conditional Access lists its sign-in error codes (`53003`, which is
/// `AADSTS53003`) beside their error strings, names in camel case
/// (`BlockedByConditionalAccess`), which find the code as a symbolic name does, and
/// one in words, which is its code's text. A column of messages under the same
/// header is text.
#[test]
fn an_error_string_column_names_its_codes() {
    let revision = markdown(
        "# T\n\n| Sign-in Error Code | Error String |\n| --- | --- |\n\
         | 53000 | DeviceNotCompliant |\n| 53003 | BlockedByConditionalAccess |\n\
         | 53009 | Application needs to enforce Intune protection policies |\n\n\
         ## Other\n\n| Error code | Error string |\n| --- | --- |\n\
         | 53004 | Proof up is blocked. |\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (revision.entries.iter())
        .map(|e| {
            (
                e.code.as_str(),
                e.names.clone(),
                e.conditions[0].causes.clone(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("AADSTS53000", vec!["DeviceNotCompliant".to_owned()], vec![]),
            (
                "AADSTS53003",
                vec!["BlockedByConditionalAccess".to_owned()],
                vec![]
            ),
            (
                "AADSTS53009",
                vec![],
                vec!["Application needs to enforce Intune protection policies".to_owned()]
            ),
            ("53004", vec![], vec!["Proof up is blocked.".to_owned()]),
        ]
    );
}

/// A code's heading whose code is mistyped is still a code's: its section is not
/// passed over as prose, but reported with its line, as a table's row would be.
#[test]
fn a_mistyped_code_in_a_heading_is_reported_with_its_line() {
    let revision = markdown(
        "# Enrollment errors\n\n## 0x80180014\n\n**Cause:** The device is blocked.\n\n\
         ## 0x80180002b\n\n**Cause:** The account is not licensed.\n\n\
         ## Error 0x8018002a\n\n**Cause:** Already enrolled.\n",
    );
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0x80180014", "0x8018002A"]);
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::CodeOutOfRange, 7),
            (DiagnosticKind::UnparsedRow, 7),
        ]
    );
    // A year or a version opening a heading is still no code.
    let revision =
        markdown("# Errors\n\n## 0x80180014\n\nBlocked.\n\n## 99999999999 devices\n\nText.\n");
    assert_eq!(revision.entries.len(), 1);
    assert_no_diagnostics(&revision);
    // A page about one error that mistypes it in its title, an HRESULT without its
    // `0x` and with a digit too many, is reported at its title: it was refused as a
    // page that lists no code.
    let revision = markdown(
        "# 80180002b error during Group Policy-based auto-enrollment\n\n\
         ## Cause\n\nThe device was joined to another tenant.\n\n## Solution\n\nRejoin it.\n",
    );
    assert!(revision.entries.is_empty());
    assert_eq!(diagnosed(&revision), [(DiagnosticKind::UnparsedRow, 1)]);
    let revision =
        markdown("# Errors\n\n## 0x80180014\n\nBlocked.\n\n## 123456789 devices\n\nText.\n");
    assert_no_diagnostics(&revision);
    // So is a line that gives the error after a mistyped code: reported with its
    // line, while the text under it stays the code's above.
    let revision = markdown(
        "# T\n\n## 0x80180014\n\nError 0x80180002b: \"Something went wrong.\"\n\n\
         **Cause:** Blocked.\n",
    );
    assert_eq!(revision.entries.len(), 1);
    assert_eq!(revision.entries[0].conditions[0].causes, ["Blocked."]);
    assert_eq!(
        diagnosed(&revision),
        [
            (DiagnosticKind::CodeOutOfRange, 5),
            (DiagnosticKind::UnparsedRow, 5),
        ]
    );
}

/// A code's heading above the open sections ends them, even where a label heading
/// waits for its text (a Markdown `-` under `原因:` makes it one).
#[test]
fn a_code_heading_above_a_waiting_label_is_a_row_of_its_own() {
    let revision = markdown(
        "# T\n\n### 0x801C03EA\n\n原因:\n-\n## Securing your hardware (Failed: 0x801C03EB)\n\nText.\n",
    );
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0x801C03EA", "0x801C03EB"]);
    assert_eq!(revision.stats.row_lines, [3, 7]);
}

/// Older revisions give each error of a list a bold line instead of a heading
/// (`**STATUS_LOGON_FAILURE** (-1073741715/ 0xc000006d)`), then its `Reason(s):`
/// and `Resolution:`, with bold lines that name no code over some runs of them.
#[test]
fn bold_lines_that_give_codes_are_their_rows() {
    let md = markdown(
        "# T\n\n## Overview\n\n**AADSTS50126** is the code most users see.\n\n\
         ### Step 3: Find the error\n\n\
         **STATUS_LOGON_FAILURE** (-1073741715/ 0xc000006d)\n\n\
         **STATUS_WRONG_PASSWORD** (-1073741718/ 0xc000006a)\n\n\
         Reason(s):\n- The device can't connect.\n- The service said 400.\n\n\
         Resolution:\n- Check the proxy.\n\n---\n\n\
         **AAD_CLOUDAP_E_EMPTY** (--1073445695/ 0xc00484c1)\n\n\
         Reason(s):\n- The endpoint failed.\n\n---\n\n\
         **Common server error codes:**\n\n\
         **AADSTS50155: Device authentication failed**\n\n\
         Reason:\n- The device is deleted.\n\nResolution :\n- Register it again.\n\n---\n\n\
         ### Step 4: Collect logs\n\n**Regular logs**\n\nRun the script.\n",
    );
    let html = r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>Overview</h2>
<p><strong>AADSTS50126</strong> is the code most users see.</p>
<h3>Step 3: Find the error</h3>
<p><strong>STATUS_LOGON_FAILURE</strong> (-1073741715/ 0xc000006d)</p>
<p><strong>STATUS_WRONG_PASSWORD</strong> (-1073741718/ 0xc000006a)</p>
<p>Reason(s):</p><ul><li>The device can't connect.</li><li>The service said 400.</li></ul>
<p>Resolution:</p><ul><li>Check the proxy.</li></ul><hr>
<p><strong>AAD_CLOUDAP_E_EMPTY</strong> (--1073445695/ 0xc00484c1)</p>
<p>Reason(s):</p><ul><li>The endpoint failed.</li></ul><hr>
<p><strong>Common server error codes:</strong></p>
<p><strong>AADSTS50155: Device authentication failed</strong></p>
<p>Reason:</p><ul><li>The device is deleted.</li></ul>
<p>Resolution :</p><ul><li>Register it again.</li></ul><hr>
<h3>Step 4: Collect logs</h3>
<p><strong>Regular logs</strong></p><p>Run the script.</p>
</main></body></html>"#;
    let html = japanese_html(html);
    for (revision, lines) in [(md, [9, 11, 22, 31]), (html, [5, 6, 9, 12])] {
        let mismatch = (DiagnosticKind::HexDecimalMismatch, lines[2]);
        assert_eq!(diagnosed(&revision), [mismatch]);
        assert_eq!(revision.stats.row_lines, lines);
        let read: Vec<_> = (revision.entries.iter())
            .flat_map(|e| {
                let section = e.section.join(" › ");
                e.conditions.iter().map(move |c| {
                    let fix = c.mitigation.clone().unwrap_or_default();
                    let message = c.message.clone().unwrap_or_default();
                    let said = [c.causes.join(" | "), message, fix];
                    (e.code.clone(), e.names.join(" "), section.clone(), said)
                })
            })
            .collect();
        let row = |code: &str, name: &str, section: &str, said: [&str; 3]| {
            let said = said.map(str::to_owned);
            let section = format!("Overview › Step 3: Find the error{section}");
            (code.to_owned(), name.to_owned(), section, said)
        };
        let connect = [
            "The device can't connect. | The service said 400.",
            "",
            "Check the proxy.",
        ];
        let deleted = [
            "The device is deleted.",
            "Device authentication failed",
            "Register it again.",
        ];
        assert_eq!(
            read,
            [
                row("0xC000006D", "STATUS_LOGON_FAILURE", "", connect),
                row("0xC000006A", "STATUS_WRONG_PASSWORD", "", connect),
                row(
                    "0xC00484C1",
                    "AAD_CLOUDAP_E_EMPTY",
                    "",
                    ["The endpoint failed.", "", ""]
                ),
                row("AADSTS50155", "", " › Common server error codes", deleted),
            ]
        );
    }
}

/// Among errors given as bold lines, one the page has no code for is the next
/// error, not the text of the code above it; the codes after it stand where the
/// ones before it do.
#[test]
fn a_bold_line_of_an_error_with_no_code_ends_the_codes_text() {
    let revision = markdown(
        "# T\n\n## Sign-in errors\n\n\
         **Error: AADSTS700016 - Application not found**\n\nCheck the client ID.\n\n\
         **Error: Federated credential subject mismatch**\n\nThe subject must match.\n\n\
         **Error: AADSTS50126 - Invalid credentials**\n\nThe password is wrong.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (revision.entries.iter())
        .flat_map(|e| {
            (e.conditions.iter()).map(|c| {
                let causes = c.causes.join(" | ");
                (
                    e.code.as_str(),
                    e.section.join(" › "),
                    causes,
                    c.mitigation.clone(),
                )
            })
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "AADSTS700016",
                "Sign-in errors".to_owned(),
                "Check the client ID.".to_owned(),
                None
            ),
            (
                "AADSTS50126",
                "Sign-in errors".to_owned(),
                "The password is wrong.".to_owned(),
                None
            ),
        ]
    );
}

/// A reference page lists each error as its symbol in bold over a line of its
/// number alone, inside HTML it lays out as a definition list; an error with no
/// number is its symbol.
#[test]
fn bold_symbols_over_their_numbers_are_their_rows() {
    let md = markdown(
        "# Error Messages\n\nThe values below are returned by **GetLastError**.\n\n<dl> <dt>\n\n\
         <span id=\"ERROR_WINHTTP_TIMEOUT\"></span>**ERROR\\_WINHTTP\\_TIMEOUT**\n\
         </dt> <dd> <dl> <dt>\n\n12002\n</dt> <dt>\n\n\n\nThe request has timed out.\n\n\n\
         </dt> </dl> </dd> <dt>\n\n**ERROR\\_WINHTTP\\_NO\\_KEY**\n</dt> <dd> <dl> <dt>\n\n\n\n\
         The certificate has no private key.\n\n\n</dt> </dl> </dd> <dt>\n\n\
         **ERROR\\_WINHTTP\\_CANNOT\\_CONNECT**\n</dt> <dd> <dl> <dt>\n\n0x00002F1D\n</dt> <dt>\n\n\
         Returned if connection to the server failed.\n\n</dt> </dl> </dd> </dl>\n\n\
         ## Requirements\n\n| Requirement | Value |\n|---|---|\n| Header | winhttp.h |\n",
    );
    let html = japanese_html(
        r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>Error Messages</h1>
<p>The values below are returned by <strong>GetLastError</strong>.</p>
<dl> <dt>
<span id="ERROR_WINHTTP_TIMEOUT"></span><strong>ERROR_WINHTTP_TIMEOUT</strong>
</dt> <dd> <dl> <dt>
<p>12002</p>
</dt> <dt>
<p>The request has timed out.</p>
</dt> </dl> </dd> <dt><strong>ERROR_WINHTTP_NO_KEY</strong></dt> <dd> <dl> <dt>
<p>The certificate has no private key.</p>
</dt> </dl> </dd> <dt><strong>ERROR_WINHTTP_CANNOT_CONNECT</strong></dt>
<dd> <dl> <dt>0x00002F1D</dt> <dt>Returned if connection to the server failed.</dt> </dl> </dd> </dl>
<h2>Requirements</h2>
<table><tr><th>Requirement</th><th>Value</th></tr><tr><td>Header</td><td>winhttp.h</td></tr></table>
</main></body></html>"#,
    );
    for (revision, lines) in [(md, [7, 20, 30]), (html, [3, 9, 11])] {
        assert_no_diagnostics(&revision);
        let read: Vec<_> = (revision.entries.iter())
            .flat_map(|e| {
                let name = e.names.join(" ");
                (e.conditions.iter())
                    .map(move |c| (e.code.as_str(), name.clone(), c.causes.join(" | ")))
            })
            .collect();
        let row = |code, name: &str, cause: &str| (code, name.to_owned(), cause.to_owned());
        assert_eq!(
            read,
            [
                row(
                    "12002",
                    "ERROR_WINHTTP_TIMEOUT",
                    "The request has timed out."
                ),
                row(
                    "ERROR_WINHTTP_NO_KEY",
                    "",
                    "The certificate has no private key."
                ),
                row(
                    "0x00002F1D",
                    "ERROR_WINHTTP_CANNOT_CONNECT",
                    "Returned if connection to the server failed."
                ),
            ]
        );
        assert_eq!(revision.stats.row_lines, lines);
    }
}

/// A heading's short number is an error's where the words before it say so (`Exit
/// code 51`); after other words it stays the heading's text.
#[test]
fn a_short_number_after_words_that_say_so_is_a_code() {
    let revision = markdown(
        "# T\n\n## Troubleshoot deployment problems\n\n\
         ### Exit code -2145648607\n\nThe extension can't reach the endpoint.\n\n\
         ### Exit code 51\n\nThe extension isn't supported on this operating system.\n\n\
         ### Error 5: Access denied\n\nRun it as an administrator.\n\n\
         ### Code 7\n\nA sample of the script.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (revision.entries.iter())
        .flat_map(|e| (e.conditions.iter()).map(|c| (e.code.as_str(), c.causes.join(" | "))))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x801C0021",
                "The extension can't reach the endpoint.".to_owned()
            ),
            (
                "51",
                "The extension isn't supported on this operating system.".to_owned()
            ),
            ("5", "Run it as an administrator.".to_owned()),
        ]
    );
}

/// A code's section may name its symbol in a sentence (`Exit code -2145648607
/// translates to DSREG_AUTOJOIN_DISC_FAILED`): the symbol is the name of the code
/// it follows, and of no other code beside it.
#[test]
fn a_sentence_that_gives_a_codes_symbol_names_that_code() {
    let revision = markdown(
        "# T\n\n## Troubleshoot deployment problems\n\n\
         ### Terminal error code 1007 and exit code -2145648574\n\n\
         Terminal error code 1007 and exit code -2145648574 translate to \
         `DSREG_E_MSI_TENANTID_UNAVAILABLE`. The extension can't query the tenant.\n\n\
         ### Exit code -2145648607\n\n\
         Exit code -2145648607 translates to `DSREG_AUTOJOIN_DISC_FAILED`.\n\n\
         **STATUS_A** (-1073741715/ 0xc000006d)\n\n**STATUS_B** (-1073741718/ 0xc000006a)\n\n\
         Status -1073741718 translates to STATUS_WRONG_PASSWORD, and 12345 translates to \
         NO_SUCH_CODE.\n",
    );
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [
            ("1007", String::new()),
            ("0x801C0042", "DSREG_E_MSI_TENANTID_UNAVAILABLE".to_owned()),
            ("0x801C0021", "DSREG_AUTOJOIN_DISC_FAILED".to_owned()),
            ("0xC000006D", "STATUS_A".to_owned()),
            ("0xC000006A", "STATUS_B STATUS_WRONG_PASSWORD".to_owned()),
        ]
    );
}

/// A command's output in a code block under a bulleted entry (`Error: 0x80180099`)
/// reads as a label's line but is none: it is the entry's text, and the list stays
/// a list of entries, though it holds one.
#[test]
fn a_commands_output_in_an_entry_is_no_label() {
    let revision = markdown(
        "# T\n\n## Errors\n\n\
         - **DSREG_E_X** (0x80180099/-2145910631)\n\n  ```\n  Error: 0x80180099\n  ```\n\n\
         \x20  - Reason: The device is not joined.\n   - Resolution: Join it again.\n\
         - **DSREG_E_Y** (0x8018009A/-2145910630)\n   - Reason: Another reason.\n\
         \x20  - Resolution: Another fix.\n\n## One more\n\n\
         - **DSREG_E_Z** (0x8018009B/-2145910629)\n\n  ```\n  Error: 0x8018009B\n  ```\n\n\
         \x20  - Reason: A third reason.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = (revision.entries.iter())
        .flat_map(|e| {
            (e.conditions.iter())
                .map(|c| (e.code.as_str(), c.causes.join(" | "), c.mitigation.clone()))
        })
        .collect();
    let fix = |text: &str| Some(text.to_owned());
    assert_eq!(
        read,
        [
            (
                "0x80180099",
                "Error: 0x80180099 | The device is not joined.".to_owned(),
                fix("Join it again.")
            ),
            (
                "0x8018009A",
                "Another reason.".to_owned(),
                fix("Another fix.")
            ),
            (
                "0x8018009B",
                "Error: 0x8018009B | A third reason.".to_owned(),
                None
            ),
        ]
    );
}

/// A page may give one error several causes, each numbered and with its own fix
/// (`## Cause 1: …` over `### Solution for cause 1`, or `**Cause 2:**` over
/// `**Resolution:**`): each cause and its fix is a condition of the code, from its
/// label's line. What comes before the first cause stays with the first.
#[test]
fn each_numbered_cause_is_a_condition_of_its_own() {
    let page = markdown(
        "# Error AADSTS50000 - There was an error issuing a token\n\n\
         ## Symptoms\n\nThe user sees the error.\n\n\
         ## Cause 1: The password is out of sync\n\nIt happens in hybrid setups.\n\n\
         ### Solution for cause 1\n\nReset the password.\n\n\
         ## Cause 2: A parameter is wrong\n\n\
         ### Solution for cause 2\n\n- Check the client ID.\n- Check the scope.\n\n\
         ## Next steps\n\nRead more.\n",
    );
    let bold = markdown(
        "# Enrollment errors\n\n## Error 0x80180014\n\nEnrollment fails.\n\n\
         **Cause 1:** The device is blocked.\n\n**Resolution:** Unblock it.\n\n\
         **Cause 2:** The user has too many devices.\n\n**Resolution:** Remove one.\n\n\
         ## Error 0x80180018\n\n**Cause:** No license.\n\n**Cause:** Or an expired one.\n\n\
         **Example 1:** A trial.\n\n**Example 2:** A lapsed plan.\n\n\
         **Resolution:** Assign one.\n",
    );
    let read = |revision: &Revision| -> Vec<(String, Vec<String>, Option<String>, usize)> {
        assert_no_diagnostics(revision);
        said(revision)
            .into_iter()
            .map(|(code, _, causes, _, fix, _, line)| {
                let causes = causes.into_iter().map(str::to_owned).collect();
                (code.to_owned(), causes, fix.map(str::to_owned), line)
            })
            .collect()
    };
    let owned = |code: &str, causes: &[&str], fix: &str, line: usize| {
        let causes = causes.iter().map(|c| c.to_string()).collect();
        (code.to_owned(), causes, Some(fix.to_owned()), line)
    };
    assert_eq!(
        read(&page),
        [
            owned(
                "AADSTS50000",
                &["The password is out of sync. It happens in hybrid setups."],
                "Reset the password.",
                1,
            ),
            owned(
                "AADSTS50000",
                &["A parameter is wrong."],
                "Check the client ID. Check the scope.",
                15,
            ),
        ]
    );
    assert_eq!(page.stats.row_lines, [1, 15]);
    // A cause that is not numbered adds to the one before it, as it always did, and
    // so do numbered examples.
    assert_eq!(
        read(&bold),
        [
            owned(
                "0x80180014",
                &["Enrollment fails.", "The device is blocked."],
                "Unblock it.",
                3,
            ),
            owned(
                "0x80180014",
                &["The user has too many devices."],
                "Remove one.",
                11
            ),
            owned(
                "0x80180018",
                &[
                    "No license. Or an expired one.",
                    "A trial.",
                    "A lapsed plan."
                ],
                "Assign one.",
                15,
            ),
        ]
    );
}

/// A support article may title the page with what it does before the error's label
/// (`# Troubleshoot error SSPR_009: …`, `# Troubleshoot error code 8023062C: …`):
/// the code is the page's, a string code as a number, and the words after the
/// code are its message, not the article's verb. An include written on the line
/// under a paragraph's last one is no text of it, and is reported at its own line.
#[test]
fn a_title_that_troubleshoots_an_error_names_its_code() {
    let page = |title: &str| {
        markdown(&format!(
            "# {title}\n\n\
             ## Symptoms\n\nThe reset fails.\n\n\
             ## Cause\n\nSSPR for administrators is off.\n\n\
             ## Solution\n\nTurn it on.\n\
             For more information, see [the guide](/guide)\n\
             [!INCLUDE [Azure Help Support](../includes/azure-help-support.md)]\n"
        ))
    };
    for (title, code, message) in [
        (
            "Troubleshoot error SSPR_009: Administrators can't reset their password",
            "SSPR_009",
            "Administrators can't reset their password. The reset fails.",
        ),
        (
            "Troubleshoot error code 8023062C: Insecure password reset or change",
            "0x8023062C",
            "Insecure password reset or change. The reset fails.",
        ),
        (
            "Resolving error 0x80070005 - Access is denied",
            "0x80070005",
            "Access is denied. The reset fails.",
        ),
    ] {
        let revision = page(title);
        assert_eq!(
            diagnosed(&revision),
            [(DiagnosticKind::IncludeNotRead, 15)],
            "{title}"
        );
        assert_eq!(
            said(&revision),
            [(
                code,
                vec![],
                vec!["SSPR for administrators is off."],
                Some(message),
                Some("Turn it on. For more information, see the guide"),
                vec!["/guide"],
                1,
            )],
            "{title}"
        );
    }
    // Other words before an error's label are no verb of troubleshooting: such a
    // title names no code of the page's own, and a page with nothing else lists none.
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
    source.format = Some(Format::Markdown);
    let unread = errcat::ingest_text(
        "# Understand error SSPR_009: Administrators can't reset\n\n## Cause\n\nOff.\n",
        source,
    );
    assert!(unread.is_err(), "{unread:?}");
}

/// An article moved from the old knowledge base gives, under its title, the product
/// it was written for and its old number: the page's metadata, as its frontmatter
/// is, and no text of the error it is about.
#[test]
fn an_articles_knowledge_base_lines_are_its_metadata() {
    let md = markdown(
        "# Error 1789 after you enter credentials\n\n\
         _Original product version:_ &nbsp; Microsoft Entra ID, Microsoft Intune  \n\
         _Original KB number:_ &nbsp; 2508225\n\n\
         ## Cause\n\nThe computer can't authenticate.\n\n\
         ## Resolution\n\nRestart the computer.\n",
    );
    let mut source = Source::new("doc", "rev", "doc/rev.en-us.html");
    source.format = Some(Format::Html);
    let html = errcat::ingest_text(
        "<html><body><main><h1>Error 1789 after you enter credentials</h1>\n\
         <p><em>Original product version:</em>&nbsp; Microsoft Entra ID, Microsoft Intune<br>\n\
         <em>Original KB number:</em>&nbsp; 2508225</p>\n\
         <h2>Cause</h2>\n<p>The computer can't authenticate.</p>\n\
         <h2>Resolution</h2>\n<p>Restart the computer.</p></main></body></html>",
        source,
    )
    .expect("ingests");
    for revision in [md, html] {
        assert_no_diagnostics(&revision);
        let said: Vec<_> = said(&revision)
            .into_iter()
            .map(|s| (s.0, s.2, s.4))
            .collect();
        assert_eq!(
            said,
            [(
                "1789",
                vec!["The computer can't authenticate."],
                Some("Restart the computer.")
            )]
        );
        let metadata = |key: &str| revision.metadata.get(key).and_then(|v| v.as_str());
        assert_eq!(
            metadata("original_product_version"),
            Some("Microsoft Entra ID, Microsoft Intune")
        );
        assert_eq!(metadata("original_kb_number"), Some("2508225"));
    }
    // Under the summary they are the page's too; a sentence that opens with the
    // words is a section's text.
    let later = markdown(
        "# Error 1789 after you enter credentials\n\n## Summary\n\nA wizard fails.\n\n\
         _Original KB number:_ &nbsp; 2508225\n\n## Cause\n\n\
         Original KB number: 2508225 is the older article.\n\n## Resolution\n\nRestart.\n",
    );
    assert_eq!(
        later.metadata.get("original_kb_number"),
        Some(&serde_json::json!("2508225"))
    );
    let (_, _, causes, _, fix, ..) = &said(&later)[0];
    assert!(
        (causes.iter().copied().chain(*fix))
            .any(|text| text.contains("Original KB number: 2508225 is the older article.")),
        "{causes:?} {fix:?}"
    );
}

/// A page about one error may name its code only in the title its frontmatter
/// declares (`title: … fails with error code 1603`), its own title in the error's
/// words: the page is that code's section still. Under its symptoms, a quoted log's
/// line that opens with words and a colon (`Action startTime: …`) is more of the
/// log, not a label of its own.
#[test]
fn a_page_whose_declared_title_names_its_error_is_its_codes_section() {
    let page = |declared: &str| {
        let mut source = Source::new("doc", "rev", "doc/rev.en-us.md");
        source.format = Some(Format::Markdown);
        errcat::ingest_text(
            &format!(
                "---\ntitle: {declared}\n---\n\
                 # Error when upgrading: Unable to install the service\n\n\
                 ## Symptoms\n\nThe event log shows:\n\n\
                 > Error during sync engine upgrade.\n>\n\
                 > Action startTime: DetectServiceAccount.\n\n\
                 ## Cause\n\nThe account was set up by its UPN.\n\n\
                 ## Resolution\n\nSet the account by its SAM account name.\n"
            ),
            source,
        )
    };
    let read = page("Microsoft Entra Connect upgrade fails with error code 1603").expect("ingests");
    assert_no_diagnostics(&read);
    assert_eq!(
        read.title,
        "Error when upgrading: Unable to install the service"
    );
    assert_eq!(
        said(&read),
        [(
            "1603",
            vec![],
            vec!["The account was set up by its UPN."],
            Some(
                "Error when upgrading: Unable to install the service. The event log shows: \
                 Error during sync engine upgrade. Action startTime: DetectServiceAccount."
            ),
            Some("Set the account by its SAM account name."),
            vec![],
            4,
        )]
    );
    // A declared title that names no code leaves the page with none.
    assert!(page("Microsoft Entra Connect upgrade fails").is_err());
}

/// Under `## Cause`, a sub-heading that names no role (`### How the issue occurs`)
/// and a list of what a response holds (`- **TokenType**: …`) are more of the cause:
/// they were read as labels of their own, and so as the fix.
#[test]
fn a_causes_sub_heading_and_labelled_lines_are_the_cause() {
    let page = markdown(
        "# AADSTS7500514 - A supported type of SAML response was not found\n\n\
         ## Cause\n\nThe response holds no SAML version.\n\n\
         ### How the issue occurs\n\nMSAL reads the token type:\n\n\
         - **SAML Assertion**: major version = 1\n- **TokenType**: `urn:saml:1.0`\n\n\
         ## Solution\n\nConfigure the token type.\n\n\
         ### For administrators\n\nCheck the connection.\n",
    );
    assert_no_diagnostics(&page);
    let said: Vec<_> = said(&page).into_iter().map(|s| (s.2, s.4)).collect();
    assert_eq!(
        said,
        [(
            vec![
                "The response holds no SAML version. How the issue occurs. \
                 MSAL reads the token type: SAML Assertion: major version = 1 \
                 TokenType: urn:saml:1.0"
            ],
            // Under a fix, a sub-heading is a part of it, with its title.
            Some("Configure the token type. For administrators: Check the connection.")
        )]
    );
}

/// An error's name in camel case, which the section writes beside its number (`The
/// 806 - ZtdDeviceAlreadyAssigned and 808 - ZtdDeviceAssignedToOtherTenant errors`,
/// `ZtdDeviceAlreadyAssigned (806)`), is that code's name, so that a log's name finds
/// it; a name beside another number names nothing.
#[test]
fn a_name_written_beside_a_sections_code_is_its_name() {
    let page = markdown(
        "# Error 806 or 808 when you import Windows Autopilot device CSV files\n\n\
         ## Symptoms\n\n> Error code:  \n> 808 - **ZtdDeviceAssignedToOtherTenant**\n\n\
         ## Cause\n\nThe **806 - ZtdDeviceAlreadyAssigned** errors occur if a device is \
         registered, and PowerShell (5) reports it.\n\n\
         ## Solution\n\nRemove the record.\n",
    );
    assert_no_diagnostics(&page);
    assert_eq!(
        names(&page),
        [
            ("806", "ZtdDeviceAlreadyAssigned".to_owned()),
            ("808", "ZtdDeviceAssignedToOtherTenant".to_owned())
        ]
    );
}

/// A page about one error ends with a pointer to the other codes under `## More
/// information`: the page's, not the code's fix. Under a code's own heading among
/// others, a `More information` section is that code's.
#[test]
fn more_information_on_a_page_about_one_error_is_the_pages() {
    // The heading as the page's translations write it.
    let more = [
        "More information",
        "詳細情報",
        "Weitere Informationen",
        "Plus d'informations",
        "Más información",
        "Ulteriori informazioni",
        "Mais informações",
        "Meer informatie",
        "详细信息",
        "詳細資訊",
        "추가 정보",
        "Дополнительные сведения",
        "Więcej informacji",
        "Mer information",
        "Daha fazla bilgi",
        "Další informace",
        "További információ",
        // The sign-in service's support articles point to the codes' reference.
        "AADSTS error code reference",
        "Resources",
        "リソース",
        "Ressourcen",
    ];
    let one = |more: &str| {
        markdown(&format!(
            "# Error AADSTS50011 - Redirect URI mismatch\n\n## Cause\n\nThe URIs differ.\n\n\
             ## Resolution\n\nAdd the redirect URI.\n\n## {more}\n\n\
             For a full list of error codes, see [the codes](https://example.test/codes).\n"
        ))
    };
    let many = markdown(
        "# T\n\n## Error 0x801C03ED\n\n### Cause\n\nThe device is gone.\n\n\
         ### More information\n\nRejoin it from Settings.\n\n\
         ## Error 0x801C03EE\n\n### Cause\n\nThe token is stale.\n",
    );
    assert_no_diagnostics(&many);
    let fixes = |revision: &Revision| -> Vec<Option<String>> {
        (revision.entries.iter())
            .flat_map(|e| e.conditions.iter().map(|c| c.mitigation.clone()))
            .collect()
    };
    for more in more {
        let one = one(more);
        assert_no_diagnostics(&one);
        let fix = Some("Add the redirect URI.".to_owned());
        assert_eq!(fixes(&one), [fix], "{more}");
    }
    assert_eq!(
        fixes(&many),
        [Some("Rejoin it from Settings.".to_owned()), None]
    );
}

/// A sentence with a web address in its first words (`See https://…`) is no label:
/// it stays under the label above it.
#[test]
fn a_web_address_is_no_label() {
    let revision = markdown(
        "# T\n\n## Error 0x801C03ED\n\n### Resolution\n\nRejoin the device.\n\n\
         See https://aka.ms/rejoin for the steps.\n",
    );
    assert_no_diagnostics(&revision);
    let fixes: Vec<_> = (revision.entries.iter())
        .flat_map(|e| e.conditions.iter().map(|c| c.mitigation.clone()))
        .collect();
    let fix = "Rejoin the device. See https://aka.ms/rejoin for the steps.";
    assert_eq!(fixes, [Some(fix.to_owned())]);
}

/// The Japanese page writes the label into the words before a code (`終了コード
/// -2145648607`, exit code) and names the code's symbol without spelling the code
/// again (`この終了コードは DSREG_AUTOJOIN_DISC_FAILED に変換されます`).
#[test]
fn a_japanese_exit_code_and_its_symbol_are_read() {
    let html = japanese_html(
        r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>デプロイに関する問題のトラブルシューティング</h2>
<h3>問題 2:拡張機能のインストールは、終了コード -2145648607 で失敗しました。</h3>
<p>エンドポイントに到達できないため、この終了コードは <code>DSREG_AUTOJOIN_DISC_FAILED</code> に変換されます。</p>
<h3>問題 3:拡張機能のインストールは、終了コード -2145648574 で失敗しました。</h3>
<p>終了コード -2145648574 は <code>DSREG_E_MSI_TENANTID_UNAVAILABLE</code> に変換されます。</p>
<h3>問題 4:バージョン 2145 で失敗しました。</h3>
<p>更新します。</p>
<h3>問題 5:拡張機能のインストールは、終了コード 51 で失敗しました。</h3>
<p>終了コード 51 は "この拡張機能はサポートされていません" に変換されます。</p>
<h3>AADSTS50011: Reply URL mismatch</h3>
<p>このエラーは ERROR_X に変換されます。</p>
</main></body></html>"#,
    );
    assert_no_diagnostics(&html);
    assert_eq!(
        names(&html),
        [
            ("0x801C0021", "DSREG_AUTOJOIN_DISC_FAILED".to_owned()),
            ("0x801C0042", "DSREG_E_MSI_TENANTID_UNAVAILABLE".to_owned()),
            // A short number after the words for exit code is one too.
            ("51", String::new()),
            // A string code is never spelled as a symbol's number: no code is made.
            ("AADSTS50011", String::new()),
        ]
    );
}

/// The password reset page's table of errors a user sees: each error is an enum's
/// name set equal to its number (`TenantSSPRFlagDisabled = 9`), the text the user
/// reads, and the technical details the page shows, which open with the code the
/// user pastes (`SSPR_0009: …`). The number is the code, both spellings its names,
/// and the technical details its message: no fix.
#[test]
fn a_name_set_equal_to_its_number_is_that_numbers_name() {
    let md = markdown(
        "# T\n\n## SSPR errors that a user might see\n\n\
         | Error | Details | Technical details |\n| --- | --- | --- |\n\
         | TenantSSPRFlagDisabled = 9 | Your administrator has disabled password reset. | \
         SSPR_0009: We've detected that password reset hasn't been enabled. |\n\
         | WritebackNotEnabled = 10 |Writeback isn't enabled. | SSPR_0010: We've detected \
         that password writeback hasn't been enabled.|\n\
         | OnPremisesSuccessCloudFailure | We've reset your password. | Password reset was \
         successful on-premises. |\n",
    );
    let html = japanese_html(
        r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>T</h1>
<h2>ユーザーに表示される可能性がある SSPR エラー</h2>
<table><thead><tr><th>エラー</th><th>詳細</th><th>技術的な詳細</th></tr></thead><tbody>
<tr><td>TenantSSPRFlagDisabled = 9</td><td>管理者がパスワードのリセットを無効にしています。</td><td>SSPR_0009: パスワードのリセットが有効になっていません。</td></tr>
<tr><td>WritebackNotEnabled = 10</td><td>ライトバックが有効になっていません。</td><td>SSPR_0010: パスワード ライトバックが有効になっていません。</td></tr>
<tr><td>OnPremisesSuccessCloudFailure</td><td>パスワードはリセットされました。</td><td>オンプレミスでのパスワード リセットは成功しました。</td></tr>
</tbody></table></main></body></html>"#,
    );
    for revision in [md, html] {
        assert_no_diagnostics(&revision);
        assert_eq!(
            names(&revision),
            [
                ("9", "TenantSSPRFlagDisabled SSPR_0009".to_owned()),
                ("10", "WritebackNotEnabled SSPR_0010".to_owned()),
                ("OnPremisesSuccessCloudFailure", String::new()),
            ]
        );
        for entry in &revision.entries {
            let condition = &entry.conditions[0];
            assert_eq!(condition.causes.len(), 1, "{}", entry.code);
            assert!(condition.message.is_some(), "{}", entry.code);
            assert_eq!(condition.mitigation, None, "{}", entry.code);
        }
        let message = revision.entries[0].conditions[0].message.as_deref();
        assert!(message.is_some_and(|m| m.starts_with("SSPR_0009: ")));
    }
}

/// A translated page heads its columns, its closing section and its list of codes
/// that are not errors in its own words. Each translation below reads as the English
/// page does: the code column found by its name though it holds no number; its
/// message, its fix and, past a column no word names, its cause; a table of codes and
/// troubleshooting steps alone, those steps the fix; the codes of the section that
/// says they are not errors, warnings; the closing section's links, even a level below
/// the last code's heading, nobody's fix.
#[test]
fn a_translated_page_names_its_columns_in_its_own_words() {
    // Error code, cause, error message, troubleshooting steps, messages that aren't
    // errors, next steps, the label of a code heading's fix, and error.
    let translations = [
        [
            "Error code",
            "Cause",
            "Error message",
            "Troubleshooting steps",
            "Messages that aren't errors",
            "Next steps",
            "Resolution",
            "Error",
        ],
        [
            "Fehlercode",
            "Ursache",
            "Fehlermeldung",
            "Schritte zur Problembehandlung",
            "Meldungen, die keine Fehler sind",
            "Nächste Schritte",
            "Lösung",
            "Fehler",
        ],
        [
            "Code d’erreur",
            "Raison",
            "Message d’erreur",
            "Étapes de résolution des problèmes",
            "Messages qui ne sont pas des erreurs",
            "Étapes suivantes",
            "Résolution",
            "Erreur",
        ],
        [
            "Código de error",
            "Causa",
            "Mensaje de error",
            "Pasos para solucionar problemas",
            "Mensajes que no son errores",
            "Pasos siguientes",
            "Solución",
            "Error",
        ],
        [
            "Codice errore",
            "Motivo",
            "Messaggio di errore",
            "Passaggi per la risoluzione dei problemi",
            "Messaggi che non sono errori",
            "Passaggi successivi",
            "Soluzione",
            "Errore",
        ],
        [
            "Código de erro",
            "Causa",
            "Mensagem de erro",
            "Etapas de solução de problemas",
            "Mensagens que não são erros",
            "Próximas etapas",
            "Solução",
            "Erro",
        ],
        [
            "Foutcode",
            "Oorzaak",
            "Foutbericht",
            "Stappen voor probleemoplossing",
            "Berichten die geen fouten zijn",
            "Volgende stappen",
            "Oplossing",
            "Fout",
        ],
        [
            "错误代码",
            "原因",
            "错误消息",
            "故障排除步骤",
            "不是错误的消息",
            "后续步骤",
            "解决方法",
            "错误",
        ],
        [
            "錯誤碼",
            "原因",
            "錯誤訊息",
            "疑難排解步驟",
            "不是錯誤的訊息",
            "後續步驟",
            "解決方法",
            "錯誤",
        ],
        // The NPS extension page's own words in ja-jp.
        [
            "エラー コード",
            "原因",
            "エラー メッセージ",
            "トラブルシューティングの手順",
            "ユーザーに表示されるエラー以外のメッセージ",
            "次の手順",
            "解決策",
            "エラー",
        ],
        // The NPS extension page's own words in zh-cn.
        [
            "错误代码",
            "原因",
            "错误消息",
            "疑难解答步骤",
            "用户可能会遇到的不属于错误的消息",
            "后续步骤",
            "解决方法",
            "错误",
        ],
        // The NPS extension page's own words in zh-tw.
        [
            "錯誤碼",
            "原因",
            "錯誤訊息",
            "疑難排解步驟",
            "使用者收到的訊息可能不是錯誤訊息",
            "接下來的步驟",
            "解決方法",
            "錯誤",
        ],
        [
            "오류 코드",
            "원인",
            "오류 메시지",
            "문제 해결 단계",
            "오류가 아닌 메시지",
            "다음 단계",
            "해결 방법",
            "오류",
        ],
        [
            "Код ошибки",
            "Причина",
            "Сообщение об ошибке",
            "Действия по устранению неполадок",
            "Сообщения, которые не являются ошибками",
            "Дальнейшие действия",
            "Решение",
            "Ошибка",
        ],
        // The NPS extension page's own words in ru-ru, where the lead says the codes
        // are not errors.
        [
            "Код ошибки",
            "Причина",
            "Сообщение об ошибке",
            "Рекомендуемые действия",
            "Эти не ошибки конфигурации, а предупреждения",
            "Дальнейшие действия",
            "Решение",
            "Ошибка",
        ],
        // The NPS extension page's own words in pl-pl, sv-se, tr-tr and cs-cz. Swedish
        // heads a code column `Felkod`: `fel` alone is inside too many of its words
        // (`felsökning`, and German `Feld`) to name one.
        [
            "Kod błędu",
            "Przyczyna",
            "Komunikat o błędzie",
            "Kroki rozwiązywania problemów",
            "Komunikaty, które mogą napotkać użytkownicy, którzy nie są błędami",
            "Następne kroki",
            "Rozwiązanie",
            "Błąd",
        ],
        [
            "Felkod",
            "Orsak",
            "Felmeddelande",
            "Felsökningsanvisningar",
            "Meddelanden som användarna kan stöta på som inte är fel",
            "Nästa steg",
            "Lösning",
            "Felkod",
        ],
        [
            "Hata kodu",
            "Neden",
            "Hata iletisi",
            "Sorun giderme adımları",
            "Kullanıcılarınızın hata olmayan bir şekilde karşılaşabilecekleri iletiler",
            "Sonraki adımlar",
            "Çözüm",
            "Hata",
        ],
        [
            "Kód chyby",
            "Příčina",
            "Chybová zpráva",
            "Postup při řešení potíží",
            "Zprávy, že uživatelé setkat, která nejsou chyby",
            "Další postup",
            "Řešení",
            "Chyba",
        ],
        // The NPS extension page's own words in hu-hu, whose heading lost the words
        // and whose lead says the codes are not errors.
        [
            "Hibakód",
            "Kiváltó ok",
            "Hibaüzenet",
            "Hibaelhárítási lépések",
            "Ezek nem hibák a konfiguráció termékében",
            "Következő lépések",
            "Megoldás",
            "Hiba",
        ],
    ];
    for words in translations {
        let [code, cause, message, steps, not_errors, next, fix, error] = words;
        let header =
            format!("| {code} | {message} | {steps} | ID | {cause} |\n|---|---|---|---|---|\n");
        let revision = markdown(&format!(
            "# T\n\n## Errors\n\n{header}\
             | AccessDenied | The tenant has no access. | Check the domain. | | A new tenant. |\n\n\
             | {error} | {steps} |\n|---|---|\n| CONTACT_SUPPORT | Contact support. |\n\n\
             ## {not_errors}\n\n{header}\
             | OathCodeIncorrect | Wrong code. | Try again. | | A typo. |\n\n\
             ## 0x80180014\n\n### {fix}\n\nUnblock the device.\n\n\
             ### {next}\n\n- [Enroll devices](enroll.md)\n"
        ));
        assert_no_diagnostics(&revision);
        let read: Vec<_> = (revision.entries.iter())
            .map(|e| {
                let c = &e.conditions[0];
                let causes = c.causes.join(" | ");
                (
                    e.code.as_str(),
                    e.kind,
                    causes,
                    c.message.as_deref(),
                    c.mitigation.as_deref(),
                )
            })
            .collect();
        let error = |code, cause: &str, message, fix| {
            (code, EntryKind::Error, cause.to_owned(), message, Some(fix))
        };
        assert_eq!(
            read,
            [
                error(
                    "AccessDenied",
                    "A new tenant.",
                    Some("The tenant has no access."),
                    "Check the domain."
                ),
                error("CONTACT_SUPPORT", "", None, "Contact support."),
                (
                    "OathCodeIncorrect",
                    EntryKind::Warning,
                    "A typo.".to_owned(),
                    Some("Wrong code."),
                    Some("Try again.")
                ),
                error("0x80180014", "", None, "Unblock the device."),
            ],
            "{words:?}"
        );
    }
}

/// The NPS extension page's messages that are not errors, in Polish, Swedish,
/// Turkish, Czech and Hungarian, head their fix as the actions the page recommends,
/// and the B2C page's Polish translation heads its messages `Wiadomość`: each column
/// is what its words say, not a cause by its place.
#[test]
fn a_translated_recommendation_is_the_fix() {
    let headers = [
        ["Kod błędu", "Komunikat o błędzie", "Zalecane czynności"],
        ["Felkod", "Felmeddelande", "Rekommenderade åtgärder"],
        ["Hata kodu", "Hata iletisi", "Önerilen adımlar"],
        ["Kód chyby", "Chybová zpráva", "Doporučené kroky"],
        ["Hibakód", "Hibaüzenet", "Javasolt lépések"],
        ["Kod błędu", "Wiadomość", "Zalecane czynności"],
    ];
    for words in headers {
        let [code, message, fix] = words;
        let revision = markdown(&format!(
            "# T\n\n## Messages\n\n| {code} | {message} | {fix} |\n|---|---|---|\n\
             | OathCodeIncorrect | Wrong code. | Try again. |\n"
        ));
        assert_no_diagnostics(&revision);
        let c = &revision.entries[0].conditions[0];
        assert!(c.causes.is_empty(), "{words:?}");
        assert_eq!(c.message.as_deref(), Some("Wrong code."), "{words:?}");
        assert_eq!(c.mitigation.as_deref(), Some("Try again."), "{words:?}");
    }
}

/// A fix in parts, each under a sub-heading of its own that names no role (`### For
/// users`, `### For application developers`), or a pipe table's column beside the
/// fix's (`| Related article |`), keeps each part's title: it says whom the part is
/// for. A title that ends a sentence needs no colon.
#[test]
fn each_part_of_a_fix_keeps_its_title() {
    let page = markdown(
        "# Error AADSTS50173 - The provided grant has expired\n\n\
         ## Cause\n\nThe refresh token was revoked.\n\n\
         ## Resolution\n\nFollow the applicable steps.\n\n\
         ### For users\n\nSign out and sign in again.\n\n\
         ### For application developers\n\nTo fix this, handle the error in MSAL.\n",
    );
    let table = markdown(
        "# Errors\n\n| Code | Cause | Fix | Related article | Disable it. |\n\
         |---|---|---|---|---|\n\
         | 0x80180026 | The agent is installed. | Pick a method. | Duplicate attributes | Sign in. |\n",
    );
    for (revision, fix) in [
        (
            &page,
            "Follow the applicable steps. For users: Sign out and sign in again. \
             For application developers: To fix this, handle the error in MSAL.",
        ),
        (
            &table,
            "Pick a method. Related article: Duplicate attributes. Disable it. Sign in.",
        ),
    ] {
        assert_no_diagnostics(revision);
        let fixes: Vec<_> = said(revision).into_iter().map(|s| s.4).collect();
        assert_eq!(fixes, [Some(fix)]);
    }
}

/// A support article that gives one cause after another writes each cause's fix in
/// its own text, with no heading for it (`To resolve this issue, follow these
/// steps:`): the fix starts there, and stays the fix of that cause alone.
#[test]
fn a_fix_written_inside_a_causes_text_is_the_fix() {
    let page = markdown(
        "# Error AADSTS50017 - Validation of the certificate failed\n\n\
         ## Cause 1: Certificate chain failures\n\n\
         The error occurs when a CA certificate is missing.\n\n\
         To resolve this issue, follow these steps:\n\n\
         1. Upload the issuing certificate.\n\
         2. Check the SKI value.\n\n\
         ## Cause 2: Invalid certificates\n\n\
         A certificate lacks its policy extensions.\n\n\
         To resolve this error, validate the extensions.\n\n\
         ## Cause 3: A revoked certificate\n\n\
         To learn more, see the revocation list.\n\n\
         ## Cause 4: An unsupported control\n\n\
         The [control](https://example.com/a) isn't supported. To resolve the error, remove \
         the [control](https://example.com/b) from the policy.\n",
    );
    assert_no_diagnostics(&page);
    let read: Vec<_> = (said(&page).into_iter())
        .map(|(_, _, causes, _, fix, _, _)| (causes, fix))
        .collect();
    let links: Vec<_> = (said(&page).into_iter()).map(|said| said.5).collect();
    // Cut in two, the paragraph's links are still its condition's.
    assert_eq!(links[3], ["https://example.com/a", "https://example.com/b"]);
    assert_eq!(
        read,
        [
            (
                vec![
                    "Certificate chain failures. The error occurs when a CA certificate is missing."
                ],
                Some(
                    "To resolve this issue, follow these steps: Upload the issuing certificate. \
                     Check the SKI value."
                )
            ),
            (
                vec!["Invalid certificates. A certificate lacks its policy extensions."],
                Some("To resolve this error, validate the extensions.")
            ),
            (
                vec!["A revoked certificate. To learn more, see the revocation list."],
                None
            ),
            // Or a later sentence of a paragraph, whose sentences before it stay.
            (
                vec!["An unsupported control. The control isn't supported."],
                Some("To resolve the error, remove the control from the policy.")
            ),
        ]
    );
    for (opening, a_fix) in [
        ("To fix this problem, restart.", true),
        ("To work around the issue, restart.", true),
        ("to resolve these errors, restart.", true),
        ("To address it, restart.", true),
        ("To resolve, restart.", false),
        ("To fixate the pin, restart.", false),
        ("To resolve items in the queue, restart.", false),
        ("To fix theming, restart.", false),
        ("Tools to resolve this issue exist.", false),
    ] {
        let page = markdown(&format!(
            "# Error AADSTS50017 - Validation failed\n\n## Cause\n\nA CA is missing.\n\n{opening}\n"
        ));
        let fix = said(&page)[0].4;
        assert_eq!(fix == Some(opening), a_fix, "{opening}: {fix:?}");
    }
}

/// Under `## Symptoms`, the line that quotes the error's message is more of the
/// symptoms, and the text after it stays there too: it was read as the first cause.
#[test]
fn the_text_after_a_quoted_message_stays_under_its_label() {
    let page = markdown(
        "# Error AADSTS50020 - User account does not exist in tenant\n\n\
         ## Symptoms\n\nThe sign-in fails with this message:\n\n\
         > AADSTS50020: User account does not exist.\n\n\
         The home tenant's logs show error 90072 instead.\n\n\
         ## Cause 1: Personal accounts\n\nYou are in the default tenant.\n\n\
         ### Solution: Create an account\n\nCreate one.\n",
    );
    let plain = markdown(
        "# Errors\n\n## Error AADSTS50020\n\nAADSTS50020: User account does not exist.\n\n\
         A guest user signs in to the wrong tenant.\n",
    );
    for revision in [&page, &plain] {
        assert_no_diagnostics(revision);
    }
    let read = |revision: &Revision| -> Vec<(Vec<String>, Option<String>)> {
        (said(revision).into_iter())
            .map(|(_, _, causes, message, ..)| {
                let causes = causes.into_iter().map(str::to_owned).collect();
                (causes, message.map(str::to_owned))
            })
            .collect()
    };
    assert_eq!(
        read(&page),
        [(
            vec!["Personal accounts. You are in the default tenant.".to_owned()],
            Some(
                "User account does not exist in tenant. The sign-in fails with this message: \
                 User account does not exist. The home tenant's logs show error 90072 instead."
                    .to_owned()
            )
        )]
    );
    // Under no label, the text after the message line is the code's description.
    assert_eq!(
        read(&plain),
        [(
            vec!["A guest user signs in to the wrong tenant.".to_owned()],
            Some("User account does not exist.".to_owned())
        )]
    );
}

/// A `code` column beside the code's own (`| HTTP Status Code | code | message |`,
/// as the Verified ID reference gives the service's errors) names each code; only
/// where each of its cells is one such word.
#[test]
fn a_second_code_column_names_the_code() {
    let table = |second: &str| {
        markdown(&format!(
            "# Errors\n\n|HTTP Status Code |code |message |\n|---|---|---|\n\
             | 400 | badRequest |The request is invalid.|\n\
             | 401 | {second} |The resource requires authentication|\n"
        ))
    };
    let read = |revision: &Revision| -> Vec<(String, Vec<String>, Vec<String>)> {
        assert_no_diagnostics(revision);
        (revision.entries.iter())
            .map(|e| {
                let causes = e.conditions[0].causes.clone();
                (e.code.clone(), e.names.clone(), causes)
            })
            .collect()
    };
    let owned = |code: &str, names: &[&str], causes: &[&str]| {
        let own = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
        (code.to_owned(), own(names), own(causes))
    };
    assert_eq!(
        read(&table("unauthorized")),
        [
            owned("400", &["badRequest"], &[]),
            owned("401", &["unauthorized"], &[]),
        ]
    );
    // A cell in words makes the column text, as before: its causes.
    assert_eq!(
        read(&table("not authorized")),
        [
            owned("400", &[], &["badRequest"]),
            owned("401", &[], &["not authorized"]),
        ]
    );
}

/// Windows Update's common errors: an `**Applies to**` list over the lead-in, and
/// cells that say there is nothing to say.
const APPLIES_TO_THEN_TABLE: &str = "\
---
title: Windows Update common errors and mitigation
---
# Windows Update common errors and mitigation

**Applies to**

-   Windows 10
-   Windows 11

The following table provides information about common errors.

| Error Code | Message | Description | Mitigation |
|---|---|---|---|
| 0x80200053 | BG_E_VALIDATION_FAILED | NA | Ensure that there are no firewalls that filter downloads. |
| 0x80070422 | | This issue occurs when the Windows Update service is not running. | Check the service. |
| 0x80200054 | — | N/A | - |
";

#[test]
fn what_a_page_applies_to_is_not_the_section_of_its_table() {
    let revision = markdown(APPLIES_TO_THEN_TABLE);
    assert_no_diagnostics(&revision);
    assert_eq!(
        revision.metadata.get("applies_to"),
        Some(&serde_json::json!(["Windows 10", "Windows 11"]))
    );
    let sections: Vec<&[String]> = (revision.entries.iter())
        .map(|e| e.section.as_slice())
        .collect();
    assert_eq!(sections, [&[] as &[String]; 3]);
}

#[test]
fn a_cell_that_says_none_says_nothing() {
    let revision = markdown(APPLIES_TO_THEN_TABLE);
    let read = what_rows_say(&revision);
    assert_eq!(
        read,
        [
            (
                "0x80200053",
                vec![],
                Some("BG_E_VALIDATION_FAILED"),
                Some("Ensure that there are no firewalls that filter downloads."),
            ),
            (
                "0x80070422",
                vec!["This issue occurs when the Windows Update service is not running."],
                None,
                Some("Check the service."),
            ),
            ("0x80200054", vec![], None, None),
        ]
    );
}

/// A support article whose title gives the error in words, and whose symptoms quote
/// the message with its code; its knowledge-base lines run on in one paragraph.
const CODE_IN_THE_QUOTED_SYMPTOM: &str = "\
---
title: '\"Your credential could not be verified\" error when logging on to Windows by using WHFB'
---
# \"Your credential could not be verified\" error when logging on to Windows by using WHFB

This article introduces how to fix the error \"Your credential could not be verified\".

_Applies to:_ Windows 10, Windows 11
_Original KB number:_ 4519735

## Symptom

When you try to sign in by using WHFB Certificate or Key Trust, it fails with one of the following error messages:

> Your Credential could not be verified

> Something went wrong and your PIN isn't available (status: 0xc00000bb, substatus:0x0). Click to set up your PIN again.

## Cause

This issue occurs because the issuing CA certificate is missing in the NTAuth store.

## Resolution

1. Open the **Certificate Authority** snap-in.
2. Wait for the Active Directory replication to complete.
";

#[test]
fn a_code_quoted_under_the_symptoms_is_the_pages_error() {
    let revision = markdown(CODE_IN_THE_QUOTED_SYMPTOM);
    assert_no_diagnostics(&revision);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0xC00000BB"]);
    let condition = &revision.entries[0].conditions[0];
    assert_eq!(
        condition.causes,
        ["This issue occurs because the issuing CA certificate is missing in the NTAuth store."]
    );
    let message = condition.message.as_deref().unwrap_or_default();
    assert!(
        message.ends_with("your PIN isn't available (status: 0xc00000bb, substatus:0x0). Click to set up your PIN again."),
        "{message}"
    );
    assert_eq!(
        condition.mitigation.as_deref(),
        Some(
            "Open the Certificate Authority snap-in. Wait for the Active Directory replication \
             to complete."
        )
    );
}

#[test]
fn knowledge_base_lines_that_run_on_are_each_the_pages() {
    let revision = markdown(CODE_IN_THE_QUOTED_SYMPTOM);
    assert_eq!(
        revision.metadata.get("applies_to"),
        Some(&serde_json::json!(["Windows 10", "Windows 11"]))
    );
    assert_eq!(revision.metadata["original_kb_number"], "4519735");
}

#[test]
fn a_product_keeps_its_version_in_what_the_page_applies_to() {
    let revision = markdown(
        "# Event 1098: Error: 0xCAA5001C Token broker operation failed in Windows 10\n\n\
         _Applies to:_ &nbsp; Windows 10, version 1903, Windows 10, version 1809, Windows \
         Server 2019  \n_Original KB number:_ &nbsp; 3196528\n\n\
         ## Cause\n\nPermissions are missing on the PSR registry key.\n\n\
         ## Resolution\n\nTake ownership of the key.\n",
    );
    assert_eq!(
        revision.metadata.get("applies_to"),
        Some(&serde_json::json!([
            "Windows 10, version 1903",
            "Windows 10, version 1809",
            "Windows Server 2019"
        ]))
    );
    assert_eq!(revision.metadata["original_kb_number"], "3196528");
    assert_eq!(revision.entries[0].code, "0xCAA5001C");
}

#[test]
fn a_code_column_headed_dec_spells_the_code_again() {
    let revision = markdown(
        "# Intune app installation error reference\n\n\
         ## iOS and iPadOS app installation errors\n\n\
         | Error   code (Hex) | Error code (Dec) | Error   message/code | Description |\n\
         |---|---|---|---|\n\
         | 0x87D11388 | -2016341112 | iOS/iPadOS   device is currently busy.  | The device was locked. |\n\
         | 0x87D13B9E | 2016330850 | Can't enforce app uninstall setting. | The setting does not match. |\n",
    );
    let read: Vec<_> = (said(&revision).into_iter())
        .map(|(code, _, _, message, fix, ..)| (code, message, fix))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x87D11388",
                Some("iOS/iPadOS device is currently busy."),
                None
            ),
            (
                "0x87D13B9E",
                Some("Can't enforce app uninstall setting."),
                None
            ),
        ]
    );
    // The decimal is checked against the code, and the one that does not fit it is
    // reported at its row.
    assert_eq!(
        diagnosed(&revision),
        [(DiagnosticKind::HexDecimalMismatch, 8)]
    );
}

/// MDM enrollment's SOAP faults: the HRESULT, without its `0x`, in the last column,
/// after the fault's namespace, its subcode and its symbol; a later table opens
/// with the subcode.
const SOAP_FAULTS: &str = "\
# Mobile device enrollment

## Enrollment error messages

| Namespace | Subcode | Error | Description | HRESULT |
|---|---|---|---|---|
| s: | MessageFormat | MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR | Message format is bad | 80180001 |
| s: | EnrollmentServer | MENROLL_E_DEVICE_CONFIGMGRSERVER_ERROR | | 80180005 |
| a: | InternalServiceFault | MENROLL_E_DEVICE_INTERNALSERVICE_ERROR | The server hit an unexpected issue | 80180006 |

In Windows 10, version 1507, we added the deviceenrollmentserviceerror element.

| Subcode | Error | Description | HRESULT |
|---|---|---|---|
| DeviceCapReached | MENROLL_E_DEVICECAPREACHED | User already enrolled in too many devices. | 80180013 |
| UserLicense | MENROLL_E_USERLICENSE | License of user is in bad state. | 80180018 |
";

#[test]
fn a_later_column_of_numbers_is_the_code_before_one_of_names() {
    let revision = markdown(SOAP_FAULTS);
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [
            (
                "0x80180001",
                "MessageFormat MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR".to_owned()
            ),
            (
                "0x80180005",
                "EnrollmentServer MENROLL_E_DEVICE_CONFIGMGRSERVER_ERROR".to_owned()
            ),
            (
                "0x80180006",
                "InternalServiceFault MENROLL_E_DEVICE_INTERNALSERVICE_ERROR".to_owned()
            ),
            (
                "0x80180013",
                "DeviceCapReached MENROLL_E_DEVICECAPREACHED".to_owned()
            ),
            ("0x80180018", "UserLicense MENROLL_E_USERLICENSE".to_owned()),
        ]
    );
    let first = &revision.entries[0].conditions[0];
    assert_eq!(first.causes, ["Message format is bad"]);
    // The namespace is kept, after its header; it is no fix.
    assert_eq!(first.mitigation.as_deref(), Some("Namespace: s:"));
    let last = &revision.entries[4].conditions[0];
    assert_eq!(last.causes, ["License of user is in bad state."]);
    assert_eq!(last.mitigation, None);
}

/// Win32's reference of MDM registration errors, machine-translated into Italian:
/// the bold name of each error is spaced or translated word by word, and the
/// anchor before it still gives the symbol.
const TRANSLATED_SYMBOLS: &str = r#"---
title: Valori di errore di registrazione MDM (MDMRegistration.h)
ms.contentlocale: it-IT
---
# <a name="mdm-registration-error-values"></a>Valori di errore di registrazione MDM

I valori di errore seguenti sono relativi alla registrazione MDM.

<dl> <dt>

<span id="MENROLL_E_DEVICE_AUTHENTICATION_ERROR"></span><span id="menroll_e_device_authentication_error"></span>**ERRORE DI \_ AUTENTICAZIONE DEL DISPOSITIVO MENROLL E \_ \_ \_**
</dt> <dd> <dl> <dt>

0x80180002
</dt> <dt>



Il server non è riuscito ad autenticare l'utente.


</dt> </dl> </dd> <dt>

<span id="MENROLL_E_USERLICENSE"></span><span id="menroll_e_userlicense"></span>**MENROLL \_ E \_ USERLICENSE**
</dt> <dd> <dl> <dt>

0x80180018
</dt> <dt>



La licenza dell'utente è in uno stato non valido.


</dt> </dl> </dd> </dl>
"#;

#[test]
fn an_anchor_gives_the_symbol_a_translation_garbled() {
    let revision = markdown(TRANSLATED_SYMBOLS);
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [
            (
                "0x80180002",
                "MENROLL_E_DEVICE_AUTHENTICATION_ERROR".to_owned()
            ),
            ("0x80180018", "MENROLL_E_USERLICENSE".to_owned()),
        ]
    );
    assert_eq!(
        revision.entries[1].conditions[0].causes,
        ["La licenza dell'utente è in uno stato non valido."]
    );
}

#[test]
fn an_anchor_gives_the_symbol_in_a_localized_html_page_too() {
    let revision = japanese_html(
        r#"<!DOCTYPE html><html lang="ja-jp"><body><main><h1>MDM 登録エラー値</h1>
<dl> <dt>
<p><span id="MENROLL_E_USERLICENSE"></span><span id="menroll_e_userlicense"></span><strong>MENROLL _ E _ USERLICENSE</strong></p>
</dt> <dd> <dl> <dt>
<p>0x80180018</p>
</dt> <dt>
<p>ユーザーのライセンスが不適切な状態で、登録がブロックされています。</p>
</dt> </dl> </dd> </dl>
</main></body></html>"#,
    );
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [("0x80180018", "MENROLL_E_USERLICENSE".to_owned())]
    );
}

/// A troubleshooting article that opens with its summary and a checklist, names its
/// codes in a list under `## Symptoms: …` beside the events' tables, then gives its
/// cause under `## Cause: …` with a sub-heading, and its workarounds.
const SYMPTOMS_AFTER_A_SUMMARY: &str = "\
# Troubleshoot Windows Hello for Business sign-in on captive-portal Wi-Fi

## Summary

Windows Hello for Business with cloud trust sign-in can fail on captive-portal Wi-Fi networks.

## Troubleshooting checklist

1. Attempt to sign in on the captive-portal Wi-Fi network and note the behavior.

## Symptoms: Event ID 4625 and Event ID 7001

* The following events appear in Event Viewer:

  | Field | Value |
  |-------|-------|
  | Event ID | 4625 |
  | Status | 0xC000005E |

* Internal failure codes might include:
  * 0xC0070022
  * 0xC000005E

## Cause: timeout mismatch between CloudAP and Windows Hello for Business

This issue occurs because of a timing mismatch.

### Windows Hello for Business ticket timeout

The cached ticket expires after 120 seconds.

## Potential quick workarounds

### Workaround 1: Switch to Airplane mode before signing in

Switch to airplane mode before signing in.
";

#[test]
fn the_codes_under_a_later_symptoms_heading_are_the_pages_errors() {
    let revision = markdown(SYMPTOMS_AFTER_A_SUMMARY);
    assert_no_diagnostics(&revision);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["0xC0070022", "0xC000005E"]);
    // Without a cause or a fix after them, the symptoms name no page's error: the
    // page is not about them, and only the prose of their own section names them.
    let no_cause = SYMPTOMS_AFTER_A_SUMMARY.split("## Cause").next().unwrap();
    let revision = markdown(no_cause);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, section, causes, message, ..)| (code, section, causes.len(), message))
        .collect();
    let symptoms = vec!["Symptoms: Event ID 4625 and Event ID 7001"];
    assert_eq!(
        read,
        [
            ("0xC0070022", symptoms.clone(), 6, None),
            ("0xC000005E", symptoms, 6, None)
        ]
    );
}

#[test]
fn a_labelled_cause_heading_keeps_its_sub_headings() {
    let revision = markdown(SYMPTOMS_AFTER_A_SUMMARY);
    let condition = &revision.entries[0].conditions[0];
    let cause = condition.causes.last().unwrap();
    assert!(
        cause.ends_with(
            "Windows Hello for Business ticket timeout. The cached ticket expires after 120 seconds."
        ),
        "{cause}"
    );
    let fix = condition.mitigation.as_deref().unwrap_or_default();
    assert!(!fix.contains("ticket"), "{fix}");
    assert!(
        fix.ends_with("Switch to airplane mode before signing in."),
        "{fix}"
    );
}

#[test]
fn symbols_a_title_names_among_its_words_are_the_pages_errors() {
    let revision = markdown(
        "# Kerberos generates KDC_ERR_S_PRINCIPAL_UNKNOWN or KDC_ERR_PRINCIPAL_NOT_UNIQUE error\n\n\
         The client is requesting access to a service that Kerberos can't identify.\n\n\
         ## Reconfigure the SPN as necessary\n\nRemove the SPN from the wrong account.\n",
    );
    assert_no_diagnostics(&revision);
    let codes: Vec<&str> = revision.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "KDC_ERR_S_PRINCIPAL_UNKNOWN",
            "KDC_ERR_PRINCIPAL_NOT_UNIQUE"
        ]
    );
    let condition = &revision.entries[1].conditions[0];
    assert_eq!(
        condition.causes,
        ["The client is requesting access to a service that Kerberos can't identify."]
    );
    assert_eq!(
        condition.mitigation.as_deref(),
        Some("Remove the SPN from the wrong account.")
    );
}

#[test]
fn headings_that_name_only_the_titles_code_are_its_sections() {
    let revision = markdown(
        "# Error 0x80090022 NTE_SILENT_CONTEXT when CEP/CES autoenrollment using KBR fails\n\n\
         Initial enrollment works, but the key-based renewal fails.\n\n\
         ## Misleading error \"0x80090022 NTE_SILENT_CONTEXT\" is reported on the client\n\n\
         The relevant error is 0x803d0013, reported before it in the log.\n\n\
         ## Unsupported validity period in the certificate template\n\n\
         Set the template's validity period to at least five days.\n",
    );
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [("0x80090022", "NTE_SILENT_CONTEXT".to_owned())]
    );
    let text: Vec<String> = (revision.entries[0].conditions.iter())
        .flat_map(|c| c.causes.iter().cloned().chain(c.mitigation.clone()))
        .collect();
    assert!(
        text.iter().any(|t| t.contains("Initial enrollment works")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("at least five days")),
        "{text:?}"
    );
}

#[test]
fn small_return_codes_under_a_code_header_keep_their_symbols_as_names() {
    // USMT's return codes: the number first, its symbol after, a message and a fix
    // for each, and the rows that add a message to the code above with no number.
    let revision = markdown(
        "# Return Codes\n\n\
         ## Troubleshooting Return Codes\n\n\
         <table>\n\
         <thead><tr><th>Return code value</th><th>Return code</th><th>Error message</th>\
         <th>Troubleshooting, mitigation, workarounds</th><th>Category</th></tr></thead>\n\
         <tbody>\n\
         <tr><td><p>0</p></td><td><p>USMT_SUCCESS</p></td><td><p>Successful run</p></td>\
         <td><p>Not applicable</p></td><td><p>Success or Cancel</p></td></tr>\n\
         <tr><td><p>11</p></td><td><p>USMT_INVALID_PARAMETERS</p></td>\
         <td><p>/key and /keyfile both specified</p></td><td><p>Review the log.</p></td>\
         <td><p></p></td></tr>\n\
         <tr><td><p></p></td><td><p></p></td><td><p>Command line option is not valid</p></td>\
         <td><p>Review the log.</p></td><td><p>Invalid Command Lines</p></td></tr>\n\
         </tbody>\n</table>\n",
    );
    assert_eq!(
        names(&revision),
        [
            ("0", "USMT_SUCCESS".to_owned()),
            ("11", "USMT_INVALID_PARAMETERS".to_owned())
        ]
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, _, _)| (code, causes, message, fix))
        .collect();
    // `Not applicable` says there is no fix; a category is no cause, and is kept
    // after its header.
    assert_eq!(
        read,
        [
            (
                "0",
                vec![],
                Some("Successful run"),
                Some("Category: Success or Cancel")
            ),
            (
                "11",
                vec![],
                Some("/key and /keyfile both specified"),
                Some("Review the log.")
            ),
            (
                "11",
                vec![],
                Some("Command line option is not valid"),
                Some("Review the log. Category: Invalid Command Lines")
            ),
        ]
    );
    assert_eq!(diagnosed(&revision), []);
}

/// Windows upgrade's resolution procedures: a table for layout whose cells hold
/// tables of one column each, a label over its value, written in Markdown with
/// blank lines between its tags, so that `<br><table>` and a numbered step read as
/// Markdown of their own.
const FIELDS_TABLE: &str = "# Resolution procedures\n\n\
## 0xC1900101\n\n\
See the following general troubleshooting procedures:\n\n\
<table border=\"1\">\n\n\
<tr><td>\n\n\
<table>\n<tr><td><B>Code</B>\n<tr><td>0xC1900101 - 0x20004</B>\n</table>\n\n\
<br><table>\n<tr><td><b>Cause</b>\n<tr><td>Setup failed in the SAFE_OS phase.\n\
<br>This is generally caused by out-of-date drivers.\n</table>\n</td>\n\n\
<td>\n\n\
<table>\n<tr><td><b>Mitigation</b>\n<tr><td>Uninstall antivirus applications.\n\
<br>Update drivers and BIOS.\n</table>\n</td>\n</tr>\n\n\
<tr><td>\n\n\
<table>\n<tr><td><B>Code</B>\n<tr><td>0xC1900101 - 0x4000D</B>\n</table>\n\n\
<br><table>\n<tr><td><b>Cause</b>\n<tr><td>A rollback occurred.\n</table>\n</td>\n\n\
<td>\n\n\
<table>\n<tr><td><b>Mitigation</b>\n<tr><td>\nTry these steps:<br>\n\n\
1. Make sure you have enough disk space.<br>\n\
2. Check with [your hardware vendor](vendor.md) for any BIOS updates.\n</p>\n</table>\n</td>\n</tr>\n\
</table>\n";

/// The same layout opened in a paragraph (`<br><table border="1">`, as Windows
/// upgrade's `0x800xxxxx` procedures open it): the parser reads its first line as a
/// paragraph and the next as HTML of its own, and the table is still one table, its
/// causes and fixes kept.
#[test]
fn a_table_a_paragraph_opens_is_one_table() {
    let text = FIELDS_TABLE.replace("<table border=\"1\">", "<br><table border=\"1\">");
    let opened = markdown(&text);
    let fixes = |revision: &Revision| -> Vec<(String, Option<String>)> {
        (revision.entries.iter())
            .flat_map(|e| &e.conditions)
            .map(|c| (c.causes.join(" "), c.mitigation.clone()))
            .collect()
    };
    assert_eq!(fixes(&opened), fixes(&markdown(FIELDS_TABLE)));
    assert_eq!(fixes(&opened).len(), 3);
    assert_eq!(diagnosed(&opened), diagnosed(&markdown(FIELDS_TABLE)));
}

#[test]
fn a_table_laid_out_of_labelled_tables_reads_as_labelled_rows() {
    let revision = markdown(FIELDS_TABLE);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .filter(|(_, section, ..)| !section.is_empty())
        .map(|(code, _, causes, message, fix, links, line)| {
            (code, causes, message, fix, links, line)
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "0xC1900101",
                vec!["Setup failed in the SAFE_OS phase. This is generally caused by out-of-date drivers."],
                Some("0x20004"),
                Some("Uninstall antivirus applications. Update drivers and BIOS."),
                vec![],
                9
            ),
            (
                "0xC1900101",
                vec!["A rollback occurred."],
                Some("0x4000D"),
                // The Markdown inside the HTML reads as the HTML it stands for: a
                // list of steps, a link.
                Some(
                    "Try these steps: Make sure you have enough disk space. Check with your \
                     hardware vendor for any BIOS updates."
                ),
                vec!["vendor.md"],
                33
            ),
        ]
    );
    assert_eq!(diagnosed(&revision), []);
}

#[test]
fn tables_laid_out_side_by_side_are_read_each_on_its_own() {
    // Windows upgrade's extend codes: a titled table of phases, then two tables of
    // operations side by side in the cells of another, titled across them. Their
    // short hex values number a code's parts, not codes; the result codes above
    // them are the page's codes.
    let revision = markdown(
        "# Upgrade error codes\n\n\
         ## Result codes\n\n\
         | Result code | Message  | Description |\n\
         | --- | --- | --- |\n\
         | 0xC1900210 | MOSETUP_E_COMPAT_SCANONLY | Setup did not find any compat issue |\n\n\
         ## Extend codes\n\n\
         <table cellspacing=\"0\" cellpadding=\"0\">\n\
         <tr><td colspan=\"2\" align=\"center\"><b>Extend code: phase</b></td>\n\
         <tr><td><b>Hex</b><td><b>Phase</b>\n\
         <tr><td>0<td>SP_EXECUTION_UNKNOWN\n\
         <tr><td>1<td>SP_EXECUTION_DOWNLEVEL\n\
         </table>\n\n\n\
         <table border=\"0\">\n\
         <tr><td colspan=\"2\" align=\"center\"><B>Extend code: operation</B></td>\n\
         <tr><td>\n<table>\n\
         <tr><td><b>Hex</b><td><span><b>Operation</b>\n\
         <tr><td><span>9<td><span>SP_EXECUTION_OP_PREPARE_ROLLBACK\n\
         <tr><td><span>A<td><span>SP_EXECUTION_OP_PREPARE_FIRST_BOOT\n\
         </table>\n</td>\n<td>\n<table>\n\
         <tr><td><b>Hex</b><td><b>Operation</b>\n\
         <tr><td><span>10<td><span>SP_EXECUTION_OP_ADD_DRIVER\n\
         <tr><td><span>1A<td><span>SP_EXECUTION_OP_BEGIN_FIRST_BOOT\n\
         </table>\n</td>\n</tr>\n</table>\n\n\
         ## Other errors\n\n\
         <table><tr><td colspan=\"2\"><b>Errors by phase</b></td></tr>\n\
         <tr><td><table><tr><th>Code</th><th>Cause</th></tr>\n\
         <tr><td>0x80070070</td><td>The disk is full.</td></tr></table></td>\n\
         <td><table><tr><th>Code</th><th>Cause</th></tr>\n\
         <tr><td>0xC1900107</td><td>A cleanup is pending.</td></tr></table></td></tr>\n\
         </table>\n",
    );
    assert_eq!(
        names(&revision),
        [
            ("0xC1900210", "MOSETUP_E_COMPAT_SCANONLY".to_owned()),
            ("0x80070070", String::new()),
            ("0xC1900107", String::new())
        ]
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .skip(1)
        .map(|(code, section, causes, ..)| (code, section, causes))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x80070070",
                vec!["Other errors", "Errors by phase"],
                vec!["The disk is full."]
            ),
            (
                "0xC1900107",
                vec!["Other errors", "Errors by phase"],
                vec!["A cleanup is pending."]
            )
        ]
    );
    assert_eq!(diagnosed(&revision), []);
}

#[test]
fn an_html_table_left_open_in_a_list_item_ends_with_the_item() {
    let revision = markdown(
        "# Errors\n\n\
         - Read the log.\n\n  <table><tr><td>x\n\n\
         - Restart.\n\n\
         ## Codes\n\n\
         | Code | Cause |\n|---|---|\n| 0x80070005 | Access is denied. |\n",
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, section, causes, ..)| (code, section, causes))
        .collect();
    assert_eq!(
        read,
        [("0x80070005", vec!["Codes"], vec!["Access is denied."])]
    );
}

#[test]
fn a_page_with_no_code_table_gives_the_codes_its_sections_name() {
    // Troubleshooting Windows Autopilot: tables of events and registry values, no
    // code table, and a section for each kind of failure whose prose names its code.
    let page = "# Troubleshooting Windows Autopilot\n\n\
         ## Windows Autopilot deployment\n\n\
         | Event ID | Type | Description |\n|---|---|---|\n\
         | 171 | Error | AutoPilotManager failed to set TPM identity confirmed. HRESULT=[error code]. |\n\n\
         ### Troubleshooting Azure AD Join issues\n\n\
         The most common issue is related to Azure AD permissions.\n\n\
         Error code 801C0003 will typically be reported on an error page titled \"Something \
         went wrong.\"  This error means that the Azure AD join failed.\n\n\
         ### Troubleshooting Intune enrollment issues\n\n\
         Common issues include missing licenses.\n\n\
         Error code 80180018 will typically be reported on an error page.\n\n\
         ### Autopilot reset\n\n\
         If the reset fails, see the reset guide. Windows 10 version 1809 and above.\n";
    let revision = markdown(page);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, section, causes, message, fix, _, line)| {
            (code, section, causes.len(), message, fix, line)
        })
        .collect();
    assert_eq!(
        read,
        [
            // A heading whose prose names the code is a topic, not the error's
            // words: it is the code's section, and gives no message.
            (
                "0x801C0003",
                vec![
                    "Windows Autopilot deployment",
                    "Troubleshooting Azure AD Join issues"
                ],
                1,
                None,
                None,
                9
            ),
            (
                "0x80180018",
                vec![
                    "Windows Autopilot deployment",
                    "Troubleshooting Intune enrollment issues"
                ],
                1,
                None,
                None,
                15
            ),
        ]
    );
    // Each section's prose is all kept, the line that names the code with it.
    let causes = &revision.entries[0].conditions[0].causes[0];
    assert!(causes.starts_with("The most common issue"), "{causes}");
    assert!(causes.ends_with("the Azure AD join failed."), "{causes}");
    assert_eq!(diagnosed(&revision), []);
}

#[test]
fn the_message_a_paragraph_introduces_is_the_message() {
    // Windows activation's error codes: each code's section says "you see this
    // error message:" over the message, quoted, before its labelled causes.
    let revision = markdown(
        "# Troubleshoot Windows activation error codes\n\n\
         ## Summary of error codes\n\n\
         |Error code |Error message |Activation type|\n|---|---|---|\n\
         |[0x80070005](#0x80070005-access-denied) |Access denied. |MAK<br />KMS client |\n\n\
         ### 0x80070005 Access denied\n\n\
         The full text of this error message is:\n\n\
         > Access denied. The requested action requires elevated privileges.\n\n\
         **Cause:**\n\n\
         User Account Control (UAC) prohibits activation processes.\n\n\
         ### 0x8007007b DNS name doesn't exist\n\n\
         When you try to activate Windows, you receive the following error message:\n\n\
         > DNS name does not exist.\n\n\
         This issue occurs if the KMS client can't find the SRV records.\n\n\
         **Solution:**\n\n\
         Check DNS.\n",
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, _, line)| (code, causes, message, fix, line))
        .collect();
    assert_eq!(
        read,
        [
            // An activation type is no cause: it says what the code applies to.
            (
                "0x80070005",
                vec![],
                Some("Access denied."),
                Some("Activation type: MAK, KMS client"),
                7
            ),
            (
                "0x80070005",
                vec!["User Account Control (UAC) prohibits activation processes."],
                Some("Access denied. The requested action requires elevated privileges."),
                None,
                9
            ),
            // What the user was doing is a cause, and so is the text after the
            // message.
            (
                "0x8007007B",
                vec![
                    "When you try to activate Windows, you receive the following error \
                     message: This issue occurs if the KMS client can't find the SRV records."
                ],
                Some("DNS name doesn't exist. DNS name does not exist."),
                Some("Check DNS."),
                19
            ),
        ]
    );
}

/// A heading written in HTML (`<h2 id="0x800xxxxx">`) titles the codes below it as
/// one written in Markdown would, and a family of codes in it names no code.
#[test]
fn a_heading_written_in_html_titles_the_codes_below_it() {
    let revision = markdown(
        "# Resolution procedures\n\n\
         <h2 id=\"0x800xxxxx\">0x800xxxxx</h2>\n\n\
         | Code | Cause | Mitigation |\n| --- | --- | --- |\n\
         | 0x80040005 | A driver caused a problem. | Update the driver. |\n\n\
         <h3 id=\"drivers\">Drivers</h3>\n\n\
         These codes come from drivers.\n\n\
         <details>\n<summary>Driver codes</summary>\n\n\
         | Code | Cause | Mitigation |\n| --- | --- | --- |\n\
         | 0x80073BC3 | A file is missing. | Repair the install. |\n\n\
         </details>\n\n\
         ## Other result codes\n\n\
         | Code | Cause | Mitigation |\n| --- | --- | --- |\n\
         | 0x80073B92 | The partition is too small. | Make it larger. |\n",
    );
    assert_no_diagnostics(&revision);
    let sections: Vec<(&str, Vec<&str>)> = (revision.entries.iter())
        .map(|e| {
            let section = e.section.iter().map(String::as_str).collect();
            (e.code.as_str(), section)
        })
        .collect();
    assert_eq!(
        sections,
        [
            ("0x80040005", vec!["0x800xxxxx"]),
            // The summary stands below the HTML heading before it.
            ("0x80073BC3", vec!["0x800xxxxx", "Drivers", "Driver codes"]),
            ("0x80073B92", vec!["Other result codes"]),
        ]
    );
}

/// What a step says after the list nested in it (`Replace <TenantID> …` under the
/// commands it lists) follows that list, as the reader sees it.
#[test]
fn a_steps_words_after_its_nested_list_follow_the_list() {
    let revision = markdown(
        "# Sign in to a virtual machine\n\n\
         ## Exit code -2145648607\n\n\
         Exit code -2145648607 translates to `DSREG_AUTOJOIN_DISC_FAILED`.\n\n\
         1. Verify that the endpoints are reachable:\n\n   \
            - `curl https://login.example.test/`\n   \
            - `curl https://registration.example.test/`\n\n   \
            Replace `<TenantID>` with the tenant's ID.\n\n\
         1. Change the DNS server.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, ..)| (code, causes))
        .collect();
    assert_eq!(
        read,
        [(
            "0x801C0021",
            vec![
                "Exit code -2145648607 translates to DSREG_AUTOJOIN_DISC_FAILED. Verify that \
                 the endpoints are reachable: curl https://login.example.test/ curl \
                 https://registration.example.test/ Replace <TenantID> with the tenant's ID. \
                 Change the DNS server."
            ]
        )]
    );
}

/// A note after a code entry's labels continues the last of them; it is not run
/// into the entry's code.
#[test]
fn a_note_after_a_code_entrys_labels_continues_the_last() {
    let revision = markdown(
        "# Errors\n\n## Logon errors\n\n\
         - **STATUS_LOGON_FAILURE** (-1073741715/0xc000006d)\n  \
           - Reason(s): The password is wrong.\n  \
           - Resolution: Type it again.\n\n  \
           This error is common.\n\n\
         - **STATUS_ACCOUNT_DISABLED** (-1073741710/0xc0000072)\n  \
           - Reason(s): The account is disabled.\n  \
           - Resolution: Enable it.\n",
    );
    assert_no_diagnostics(&revision);
    let read = what_rows_say(&revision);
    assert_eq!(
        read,
        [
            (
                "0xC000006D",
                vec!["The password is wrong."],
                None,
                Some("Type it again. This error is common.")
            ),
            (
                "0xC0000072",
                vec!["The account is disabled."],
                None,
                Some("Enable it.")
            ),
        ]
    );
}

/// Sub-headings that name a part of a code's section and the code again (`### Cause
/// of Error 0x80310059`) are that part's labels, not more of the code's sections.
#[test]
fn a_label_heading_that_restates_its_code_labels_the_codes_text() {
    let revision = markdown(
        "# BitLocker cannot encrypt a drive: known issues\n\n\
         ## Error 0x80310059: BitLocker is already performing an operation on this drive\n\n\
         ### Cause of Error 0x80310059\n\n\
         Group policy settings cause this issue.\n\n\
         ### Resolution for Error 0x80310059\n\n\
         Delete the policy entries.\n\n\
         ## Error 0x80310060: BitLocker cannot use Secure Boot for integrity\n\n\
         ### Cause of Error 0x80310060\n\n\
         The TPM is not ready.\n\n\
         ### Resolution for Error 0x80310060\n\n\
         Prepare the TPM.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, ..)| (code, message, causes, fix))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x80310059",
                Some("BitLocker is already performing an operation on this drive"),
                vec!["Group policy settings cause this issue."],
                Some("Delete the policy entries.")
            ),
            (
                "0x80310060",
                Some("BitLocker cannot use Secure Boot for integrity"),
                vec!["The TPM is not ready."],
                Some("Prepare the TPM.")
            ),
        ]
    );
}

/// A topic's section that opens by listing the errors it is about (`Errors
/// 0x80245003, 0x80070514 … are caused by …`, `Errors: 0x80072ee2, …`) gives each of
/// them its text, on a page that heads other codes' sections too; its heading stays
/// in their section path.
#[test]
fn a_section_that_opens_by_listing_its_errors_gives_them_its_text() {
    let revision = markdown(
        "# Troubleshoot software update scan failures\n\n\
         ## Summary\n\nThere are several reasons that a scan could fail.\n\n\
         ## Scan failures due to missing or corrupted components\n\n\
         Errors 0x80245003, 0x80070514, and 0x80248011 are caused by missing or corrupted \
         components.\n\n\
         Run the Windows Update Troubleshooter.\n\n\
         ## Scan failures related to HTTP time-out or authentication\n\n\
         Errors: 0x80072ee2 or 0x80244017 (HTTP Status 401)\n\n\
         Verify connectivity with the WSUS computer.\n\n\
         ## Scan fails with error 0x80072f0c\n\n\
         A certificate is required to complete client authentication.\n\n\
         ## Group Policy overrides the WSUS configuration\n\n\
         Error reporting is on by default. Set the policy again.\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, section, causes, message, ..)| (code, section, causes.len(), message))
        .collect();
    let components = vec!["Scan failures due to missing or corrupted components"];
    let http = vec!["Scan failures related to HTTP time-out or authentication"];
    assert_eq!(
        read,
        [
            ("0x80245003", components.clone(), 1, None),
            ("0x80070514", components.clone(), 1, None),
            ("0x80248011", components, 1, None),
            ("0x80072EE2", http.clone(), 1, None),
            ("0x80244017", http, 1, None),
            (
                "0x80072F0C",
                vec![],
                1,
                Some("Scan fails with error 0x80072f0c")
            ),
        ]
    );
    let causes = &revision.entries[0].conditions[0].causes;
    assert!(
        causes[0].ends_with("Run the Windows Update Troubleshooter."),
        "{causes:?}"
    );
}

/// A column of source, as Windows' MDM enrollment codes quote it (`"idErrorX", //
/// MENROLL_E_X`), names each code by the symbol in its comment, and keeps the
/// words before the comment as its column's; a code given as a quoted name among
/// the numbers is a string code. A link's `//` keeps its column whole.
#[test]
fn a_column_of_source_names_each_code_by_its_comment() {
    let revision = markdown(
        "# MDM enrollment error codes\n\n\
         |Code|ID|Error message|\n|--- |--- |--- |\n\
         |0x80180001|\"idErrorServerConnectivity\", // MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR|\
         There was an error communicating with the server.|\n\
         |\"rejectedTermsOfUse\"|\"idErrorRejectedTermsOfUse\"|Your organization requires \
         that you agree to the Terms of Use.|\n\
         |0x801c000F|\"idErrorDeviceRequiresReboot\" // DSREG_E_DEVICE_REQUIRES_REBOOT|\
         A reboot is required to complete device registration.|\n",
    );
    assert_no_diagnostics(&revision);
    assert_eq!(
        names(&revision),
        [
            (
                "0x80180001",
                "MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR".to_owned()
            ),
            ("rejectedTermsOfUse", String::new()),
            ("0x801C000F", "DSREG_E_DEVICE_REQUIRES_REBOOT".to_owned()),
        ]
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, causes, message, fix, ..)| (code, causes.len(), message, fix))
        .collect();
    assert_eq!(
        read,
        [
            (
                "0x80180001",
                0,
                Some("There was an error communicating with the server."),
                Some("ID: \"idErrorServerConnectivity\"")
            ),
            (
                "rejectedTermsOfUse",
                0,
                Some("Your organization requires that you agree to the Terms of Use."),
                Some("ID: \"idErrorRejectedTermsOfUse\"")
            ),
            (
                "0x801C000F",
                0,
                Some("A reboot is required to complete device registration."),
                Some("ID: \"idErrorDeviceRequiresReboot\"")
            ),
        ]
    );

    let linked = markdown(
        "# Errors\n\n| Code | Cause | Fix |\n|---|---|---|\n\
         | 0x80180001 | The server failed. // NOT_A_COMMENT_E_X | See https://aka.ms/X_E_Y |\n",
    );
    let (_, _, causes, _, fix, ..) = said(&linked)[0].clone();
    assert_eq!(causes, ["The server failed. // NOT_A_COMMENT_E_X"]);
    assert_eq!(fix, Some("See https://aka.ms/X_E_Y"));
}

/// A Markdown table's row broken across lines (`…|The APNs service … |` and then
/// `Renew the APNs certificate, …|`, with no leading pipe): the line's one cell is
/// the rest of the cell above, not a row of its own. A line that gives a code
/// there is a row still.
#[test]
fn a_pipe_tables_row_broken_across_lines_continues_its_last_cell() {
    let revision = markdown(
        "# iOS enrollment errors\n\n\
         |Error code|Issue|Resolution|\n|---|---|---|\n\
         |0x87D1FDE8|The certificate is not valid.|The APNs service contacts devices.| \n\
         Renew the APNs certificate.<br/>**Important:** Don't *replace* it.|\n\
         |0x87D1FDE9|The device cap is reached.|Remove a device.|\n\
         0x87D1FDEA|\n",
    );
    let read = causes_and_fixes(&revision);
    assert_eq!(
        read,
        [
            (
                "0x87D1FDE8",
                vec!["The certificate is not valid."],
                Some(
                    "The APNs service contacts devices. Renew the APNs certificate. \
                     Important: Don't replace it."
                ),
                5
            ),
            (
                "0x87D1FDE9",
                vec!["The device cap is reached."],
                Some("Remove a device."),
                7
            ),
            ("0x87D1FDEA", vec![], None, 8),
        ]
    );
}

/// A heading whose last sentence only labels its code again (`## Something went
/// wrong. Error Code 80070774.`) says nothing the message under it does not: the
/// message is given once. A heading with words of its own keeps them.
#[test]
fn a_headings_code_label_after_the_message_says_nothing_more() {
    let revision = markdown(
        "# Windows enrollment errors\n\n\
         ## Something went wrong. Error Code 80070774.\n\n\
         Error 0x80070774: Something went wrong. Confirm you are using the correct \
         sign-in information.\n\n\
         **Cause:** The device timed out.\n\n\
         ## Enrollment failed. Error Code 80180014.\n\n\
         Error 0x80180014: Something went wrong.\n\n\
         **Cause:** Windows MDM enrollment is disabled.\n",
    );
    assert_no_diagnostics(&revision);
    let messages: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, _, _, message, ..)| (code, message))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "0x80070774",
                Some(
                    "Something went wrong. Confirm you are using the correct sign-in information."
                )
            ),
            (
                "0x80180014",
                Some("Enrollment failed. Error Code 80180014. Something went wrong.")
            ),
        ]
    );
}

/// A table already as wide as the reconciler reads keeps its columns: a column of
/// source is split only while a column is left for its comments.
#[test]
fn a_column_of_source_is_split_only_within_the_column_cap() {
    let table = |columns: usize| {
        let header = vec!["H"; columns - 2].join("|");
        let rule = vec!["---"; columns].join("|");
        let blanks = vec!["x"; columns - 2].join("|");
        markdown(&format!(
            "# T\n\n|Code|ID|{header}|\n|{rule}|\n\
             |0x80180001|\"idErrorServerConnectivity\", // MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR|{blanks}|\n"
        ))
    };
    let names = |revision: &Revision| revision.entries[0].names.clone();
    assert_eq!(
        names(&table(errcat::reconcile::MAX_COLUMNS - 1)),
        ["MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR"]
    );
    assert!(names(&table(errcat::reconcile::MAX_COLUMNS)).is_empty());
}

/// A code column headed as the sign-in logs' field (`Sign-in error code`, `Kod
/// błędu logowania`, `登录错误代码`) numbers the sign-in service's codes: `81001`
/// is `AADSTS81001`, the code a user-facing table on the same page gives with its
/// prefix. A number too short to be one (`1326`) is read as written, and so are
/// the numbers of a column headed as codes alone.
#[test]
fn a_sign_in_error_code_column_numbers_the_sign_in_services_codes() {
    let page = |header: &str| {
        markdown(&format!(
            "# Troubleshoot Seamless SSO\n\n\
             |{header}|Sign-in failure reason|Resolution\n| --- | --- | ---\n\
             | 81001 | User's Kerberos ticket is too large. | Reduce the user's group memberships.\n\
             | 50144 | The password has expired. | Reset the password.\n\
             | 50126<br>INVALID_USER_NAME_OR_PASSWORD | The password is wrong. | Retry.\n\
             | 1326 | The user name or password is incorrect. | Retry.\n"
        ))
    };
    let codes = |revision: &Revision| {
        (revision.entries.iter())
            .map(|e| (e.code.clone(), e.value, e.names.join(" ")))
            .collect::<Vec<_>>()
    };
    let sign_in = vec![
        ("AADSTS81001".to_owned(), None, String::new()),
        ("AADSTS50144".to_owned(), None, String::new()),
        (
            "AADSTS50126".to_owned(),
            None,
            "INVALID_USER_NAME_OR_PASSWORD".to_owned(),
        ),
        ("1326".to_owned(), Some(1326), String::new()),
    ];
    for header in [
        "Sign-in error code",
        "Kod błędu logowania",
        "登录错误代码",
        "サインイン エラー コード",
    ] {
        let revision = page(header);
        assert_no_diagnostics(&revision);
        assert_eq!(codes(&revision), sign_in, "{header}");
    }
    assert_eq!(
        codes(&page("Error code")),
        [
            ("81001".to_owned(), Some(81001), String::new()),
            ("50144".to_owned(), Some(50144), String::new()),
            (
                "50126".to_owned(),
                Some(50126),
                "INVALID_USER_NAME_OR_PASSWORD".to_owned()
            ),
            ("1326".to_owned(), Some(1326), String::new()),
        ]
    );
}

/// A table of events' IDs whose descriptions quote the errors the events record
/// (`Exit Code: 0x80072EE7.`) gives those errors, each with its row's text and the
/// event's ID kept as a part; an event that quotes no error (`Server returned http
/// status 404.`, `Ticket Options: 0x40810010.`) is no code.
#[test]
fn errors_an_event_table_quotes_are_codes() {
    let revision = markdown(
        "# Can't perform a Workplace Join\n\n## Resolution\n\n\
         |Event ID|Description|Resolution|\n|---|---|---|\n\
         |103|Workplace Join discovery failed. Server returned http status 404.|KB 3045386 |\n\
         |102|Workplace Join discovery failed.<br/><br/>Exit Code: 0x80072EE7.<br/><br/>\
         The server name or address could not be resolved.|KB 3045385 |\n\
         |102|Workplace Join discovery failed.<br/><br/>Exit Code: 0x80072F19.|KB 3045384 |\n\
         |4771|Kerberos pre-authentication failed. Ticket Options: 0x40810010.|Check it. |\n",
    );
    assert_no_diagnostics(&revision);
    let read = causes_and_fixes(&revision);
    assert_eq!(
        read,
        [
            (
                "0x80072EE7",
                vec![
                    "Workplace Join discovery failed. Exit Code: 0x80072EE7. \
                     The server name or address could not be resolved."
                ],
                Some("Event ID: 102. KB 3045385"),
                8
            ),
            (
                "0x80072F19",
                vec!["Workplace Join discovery failed. Exit Code: 0x80072F19."],
                Some("Event ID: 102. KB 3045384"),
                9
            ),
        ]
    );
}

/// A translated topic's section that opens by listing its errors does so in its own
/// language (`Fehler 0x80245003, …`, `Ошибки: 0x80072EE2 …`, `Errores 0x8024401C …`);
/// a word that only begins like one (`Fehlerbehebung 0x…`) lists none.
#[test]
fn a_translated_section_that_lists_its_errors_gives_them_its_text() {
    let revision = markdown(
        "# Scanfehler\n\n## Übersicht\n\nEin Scan kann aus mehreren Gründen fehlschlagen.\n\n\
         ## Fehlende Komponenten\n\n\
         Fehler 0x80245003 und 0x80070514 werden durch fehlende Komponenten verursacht.\n\n\
         ## Zeitüberschreitung\n\nОшибки: 0x80072EE2 или 0x80244017\n\n\
         ## Proxy\n\nErrores 0x8024401C y 0x80244022 se deben al proxy.\n\n\
         ## Andere\n\nFehlerbehebung 0x80070005 ist hier beschrieben.\n",
    );
    let read: Vec<_> = said(&revision)
        .into_iter()
        .map(|(code, section, ..)| (code, section))
        .collect();
    assert_eq!(
        read,
        [
            ("0x80245003", vec!["Fehlende Komponenten"]),
            ("0x80070514", vec!["Fehlende Komponenten"]),
            ("0x80072EE2", vec!["Zeitüberschreitung"]),
            ("0x80244017", vec!["Zeitüberschreitung"]),
            ("0x8024401C", vec!["Proxy"]),
            ("0x80244022", vec!["Proxy"]),
        ]
    );
}

/// A section's list of errors may break its line after the opening word (`<p>エラー:
/// <br>0x80072ee2 または 0x80244017</p>`): the codes are still its.
#[test]
fn a_list_of_errors_broken_after_its_opening_word_gives_them() {
    let html = japanese_html(
        "<html lang=\"ja-jp\"><body><main><h1>スキャンの失敗</h1>\
         <h2>概要</h2><p>スキャンが失敗する理由はいくつかあります。</p>\
         <h2>タイムアウト</h2><p>エラー:<br>0x80072ee2 または 0x80244017</p>\
         <p>WSUS コンピューターとの接続を確認します。</p>\
         <h2>エラー 0x80072f0c でスキャンが失敗する</h2><p>証明書が必要です。</p>\
         </main></body></html>",
    );
    let codes: Vec<_> = said(&html).into_iter().map(|s| s.0).collect();
    assert_eq!(codes, ["0x80072EE2", "0x80244017", "0x80072F0C"]);
}

/// A row numbered as an event whose message quotes the HRESULT it records
/// (`6329 | BAIL: MMS(4924) 0x80230619: …`, `hr=80230402`) gives that error as well,
/// with the row's text and none of the number's names. A number that is no HRESULT
/// (`MMS(3040)`, `0x40810010`) gives nothing, and neither does a code column that
/// already gives HRESULTs, nor a description that quotes one.
#[test]
fn an_events_message_names_the_error_it_records() {
    let revision = markdown(
        "# Password writeback\n\n## ADSync\n\n\
         | Code | Name or message | Description |\n| --- | --- | --- |\n\
         | 6329 | BAIL: MMS(4924) 0x80230619: \"A restriction prevents the password.\" | \
         The password is too young. |\n\
         | 6329 | MMS(3040): The server doesn't contain the control 0x40810010. | Enable it. |\n\
         | 8023042 | Synchronization Engine returned an error hr=80230402. | Remove duplicates. |\n\
         | 6330 | ERROR_PASSWORD_RESTRICTION: BAIL 0x8007052D | Seen as 0x80230626 in traces. |\n\n\
         ## Client\n\n| Error code | Message | Cause |\n|---|---|---|\n\
         | 0x801C03ED | DSREG_E_DIRECTORY_FAILURE: also 0x80070005 | The directory failed. |\n",
    );
    assert_no_diagnostics(&revision);
    let read: Vec<(&str, Option<&str>, usize)> = said(&revision)
        .into_iter()
        .map(|(code, _, _, message, _, _, line)| (code, message, line))
        .collect();
    let restriction = Some("BAIL: MMS(4924) 0x80230619: \"A restriction prevents the password.\"");
    let duplicates = Some("Synchronization Engine returned an error hr=80230402.");
    assert_eq!(
        read,
        [
            ("6329", restriction, 7),
            (
                "6329",
                Some("MMS(3040): The server doesn't contain the control 0x40810010."),
                8
            ),
            ("0x80230619", restriction, 7),
            ("8023042", duplicates, 9),
            ("0x80230402", duplicates, 9),
            (
                "6330",
                Some("ERROR_PASSWORD_RESTRICTION: BAIL 0x8007052D"),
                10
            ),
            (
                "0x8007052D",
                Some("ERROR_PASSWORD_RESTRICTION: BAIL 0x8007052D"),
                10
            ),
            (
                "0x801C03ED",
                Some("DSREG_E_DIRECTORY_FAILURE: also 0x80070005"),
                16
            ),
        ]
    );
    let named: Vec<_> = (names(&revision).into_iter())
        .filter(|(_, names)| !names.is_empty())
        .collect();
    assert_eq!(
        named,
        [
            ("6330", "ERROR_PASSWORD_RESTRICTION".to_owned()),
            ("0x801C03ED", "DSREG_E_DIRECTORY_FAILURE".to_owned())
        ]
    );
}

/// A translation heads a column that names each code in its own words (`名前または
/// メッセージ`, `Nom`, `Имя`): its names (`PasswordResetStart`) are the codes' names
/// there as under `Name or message`, and not their message.
#[test]
fn a_translated_name_column_names_the_codes() {
    for header in [
        "Name or message",
        "名前またはメッセージ",
        "Nom ou message",
        "Nombre o mensaje",
        "Имя или сообщение",
        "名称或消息",
        "이름 또는 메시지",
        "Nazwa lub komunikat",
    ] {
        let revision = markdown(&format!(
            "# T\n\n## Events\n\n| Code | {header} | Description |\n| --- | --- | --- |\n\
             | 31001 | PasswordResetStart | The first event. |\n\
             | 31014 | OffboardingEventFail | The offboarding failed. |\n"
        ));
        assert_eq!(
            names(&revision),
            [
                ("31001", "PasswordResetStart".to_owned()),
                ("31014", "OffboardingEventFail".to_owned()),
            ],
            "{header}"
        );
        let messages = what_rows_say(&revision).into_iter().map(|said| said.2);
        assert!(messages.eq([None, None]), "{header}");
    }
}

/// A translation heads a column of the error's text `Details` or `Error name` in its
/// own words (`| Felkod | Information | Scenario | Lösning |`, as the Swedish cloud
/// sync reference does, `エラー名`, `Fehlername`): the message, as under the English
/// headers, and not one more part of the fix.
#[test]
fn a_translated_details_column_is_the_message() {
    for header in [
        "Details | Scenario | Resolution",
        "Information | Scenario | Lösning",
        "詳細 | シナリオ | 解決方法",
        "Error name | Description | Resolution",
        "エラー名 | 説明 | 解決方法",
        "Fehlername | Beschreibung | Lösung",
        "Nazwa błędu | Opis | Rozwiązanie",
    ] {
        let revision = markdown(&format!(
            "# T\n\n## Errors\n\n| Error code | {header} |\n| --- | --- | --- | --- |\n\
             | 0x80070005 | Access is denied. | The account has no right. | Grant it. |\n"
        ));
        let read = what_rows_say(&revision);
        assert_eq!(
            read,
            [(
                "0x80070005",
                vec!["The account has no right."],
                Some("Access is denied."),
                Some("Grant it.")
            )],
            "{header}"
        );
    }
}

/// The self-service password reset guide's table of what a user sees, as its
/// translations head it (`| Fel | Information | Teknisk information |` in Swedish,
/// `| Błąd | Szczegóły | Szczegóły techniczne |` in Polish): a code table whose
/// technical details are the message and whose details are the cause, as in English.
#[test]
fn a_translated_technical_details_column_is_the_message() {
    for header in [
        "Error | Details | Technical details",
        "Fel | Information | Teknisk information",
        "Błąd | Szczegóły | Szczegóły techniczne",
        "Chyba | Podrobnosti | Technické podrobnosti",
        "Hiba | Részletek | Technikai részletek",
        "Hata | Ayrıntılar | Teknik Ayrıntılar",
        "Erro | Detalhes | Detalhes técnicos",
    ] {
        let revision = markdown(&format!(
            "# T\n\n## Errors\n\n| {header} |\n| --- | --- | --- |\n\
             | TenantSSPRFlagDisabled = 9 | Contact your admin. | SSPR_0009: Reset is off. |\n"
        ));
        assert_eq!(
            what_rows_say(&revision),
            [(
                "9",
                vec!["Contact your admin."],
                Some("SSPR_0009: Reset is off."),
                None
            )],
            "{header}"
        );
    }
}

/// A translation's words for a message (`Nazwa lub wiadomości`, the Polish password
/// writeback guide's) and for a description, a scenario or an example (`Opis`,
/// `Beskrivning`, `Açıklama`) give their columns the roles the English ones do,
/// wherever they stand: an event's message that quotes an HRESULT gives it, and a
/// description before a cause column is a cause, not the fix.
#[test]
fn translated_message_and_description_headers_read_as_the_english_ones() {
    let page = |header: &str| {
        markdown(&format!(
            "# T\n\n## Events\n\n| {header} |\n| --- | --- | --- |\n\
             | 6329 | BAIL: MMS(4924) 0x80230619: A restriction. | Too young. |\n"
        ))
    };
    let message = "BAIL: MMS(4924) 0x80230619: A restriction.";
    for header in [
        "Code | Name or message | Description",
        "Kod | Nazwa lub wiadomości | Opis",
    ] {
        let said = |code| (code, vec!["Too young."], Some(message), None);
        let revision = page(header);
        assert_eq!(
            what_rows_say(&revision),
            [said("6329"), said("0x80230619")],
            "{header}"
        );
    }
    for header in [
        "Code | Description | Cause",
        "Kod | Opis | Przyczyna",
        "Kod | Beskrivning | Orsak",
        "Kod | Açıklama | Neden",
    ] {
        let revision = page(header);
        let causes = vec![message, "Too young."];
        assert_eq!(
            what_rows_say(&revision),
            [("6329", causes, None, None)],
            "{header}"
        );
    }
}

/// Numbered examples in a translation (`**Beispiel 2:**`, `**Przykład 2:**`) add to
/// the cause before them, as `**Example 2:**` does: they are not numbered causes,
/// each a condition of its own.
#[test]
fn a_translated_numbered_example_is_not_a_cause_of_its_own() {
    for (cause, example, fix) in [
        ("Cause", "Example", "Resolution"),
        ("Ursache", "Beispiel", "Lösung"),
        ("Przyczyna", "Przykład", "Rozwiązanie"),
        ("Orsak", "Exempel", "Lösning"),
        ("Neden", "Örnek", "Çözüm"),
        ("Příčina", "Příklad", "Řešení"),
    ] {
        let revision = markdown(&format!(
            "# Errors\n\n## Error 0x80180018\n\n**{cause}:** No license.\n\n\
             **{example} 1:** A trial.\n\n**{example} 2:** A lapsed plan.\n\n\
             **{fix}:** Assign one.\n"
        ));
        assert_eq!(
            causes_and_fixes(&revision),
            [(
                "0x80180018",
                vec!["No license.", "A trial.", "A lapsed plan."],
                Some("Assign one."),
                3
            )],
            "{example}"
        );
    }
}

/// Each alert under a heading of its own (`## AADDS100: Missing directory`) with its
/// `### Alert message` and `### Resolution`, as Domain Services' alerts page gives
/// them: the alert message is the message in Dutch (`Waarschuwings bericht`, as the
/// Dutch page writes it, or `Waarschuwingsbericht`) as in English, not the cause.
#[test]
fn a_translated_alert_message_heading_is_the_message() {
    for (message, fix) in [
        ("Alert message", "Resolution"),
        ("Waarschuwings bericht", "Oplossing"),
        ("Waarschuwingsbericht", "Oplossing"),
        ("Warnmeldung", "Lösung"),
        ("Komunikat alertu", "Rozwiązanie"),
    ] {
        let revision = markdown(&format!(
            "# Alerts\n\nIntro.\n\n## AADDS100: Missing directory\n\n### {message}\n\n\
             *The directory may have been deleted.*\n\n### {fix}\n\nRecreate the domain.\n"
        ));
        let read = what_rows_say(&revision);
        assert_eq!(
            read,
            [(
                "AADDS100",
                vec![],
                Some("Missing directory. The directory may have been deleted."),
                Some("Recreate the domain.")
            )],
            "{message}"
        );
    }
}

/// A translated support article gives the error as the user sees it under a heading
/// in its words, after the language's own label (`Fehler: „…, 0x80cf4017."`,
/// `Błąd: …`): that line is the code's message, as `Error: …` is, not a part of the
/// fix. Where the word is the same in the plural and codes open the line (`Fehler:
/// 0x80072ee2, 0x8024401C`), it lists the section's errors, as `Errors: …` does.
#[test]
fn a_translated_error_line_under_a_heading_is_the_message() {
    for (error, cause) in [
        ("Error", "Cause"),
        ("Fehler", "Ursache"),
        ("Erreur", "Cause"),
        ("Erreur ", "Cause"),
        ("Błąd", "Przyczyna"),
        ("Hata", "Neden"),
        ("Ошибка", "Причина"),
        ("错误", "原因"),
    ] {
        let revision = markdown(&format!(
            "# T\n\n## Overview\n\nIntro.\n\n## The software cannot be installed.\n\n\
             {error}: \"The software cannot be installed, 0x80cf4017.\"\n\n\
             **{cause}:** The client is out of date.\n"
        ));
        assert_eq!(
            what_rows_say(&revision),
            [(
                "0x80CF4017",
                vec!["The client is out of date."],
                Some("\"The software cannot be installed, 0x80cf4017.\""),
                None
            )],
            "{error}"
        );
    }
    for errors in ["Errors", "Fehler", "错误"] {
        let revision = markdown(&format!(
            "# T\n\n## Overview\n\nIntro.\n\n## Time-outs\n\n\
             {errors}: 0x80072ee2, 0x8024401C\n\nVerify the connection.\n"
        ));
        let read: Vec<_> = (said(&revision).into_iter())
            .map(|(code, section, ..)| (code, section))
            .collect();
        assert_eq!(
            read,
            [
                ("0x80072EE2", vec!["Time-outs"]),
                ("0x8024401C", vec!["Time-outs"])
            ],
            "{errors}"
        );
    }
}

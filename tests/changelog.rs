//! The changelog reviewers read: pinned on the PIN page's revisions and on small
//! revisions written for the case.

use std::path::Path;

use errcat::diff::{self, ChangeKind, SpanOp};
use errcat::{Format, Revision, Source};

fn dataset() -> errcat::regen::Dataset {
    errcat::regen::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn revision<'a>(ds: &'a errcat::regen::Dataset, label: &str) -> &'a Revision {
    ds.revisions.iter().find(|r| r.revision == label).unwrap()
}

fn markdown(label: &str, text: &str) -> Revision {
    let mut source = Source::new("doc", label, &format!("doc/{label}.en-us.md"));
    source.format = Some(Format::Markdown);
    errcat::ingest_text(text, source).unwrap()
}

fn codes_of(changes: &diff::RevisionChanges, kind: ChangeKind) -> Vec<String> {
    changes
        .changes
        .iter()
        .filter(|c| c.kind == kind)
        .filter_map(|c| c.code.clone())
        .collect()
}

#[test]
fn pin_page_from_passport_to_2018() {
    let ds = dataset();
    let pair = diff::revisions(
        revision(&ds, "undated-passport"),
        revision(&ds, "2018-05-05"),
        (None, Some("2018-05-05")),
    );
    let mut added = codes_of(&pair, ChangeKind::CodeAdded);
    added.sort();
    assert_eq!(
        added,
        [
            "0x80070057",
            "0x800706D9",
            "0x80090010",
            "0x80090029",
            "0x801C004D",
            "0x801C03F2"
        ]
    );
    assert!(codes_of(&pair, ChangeKind::CodeWithdrawn).is_empty());

    // Two rows of 0x801C03ED became one: one merge, not a removal and an addition.
    assert_eq!(
        codes_of(&pair, ChangeKind::ConditionsMerged),
        ["0x801C03ED"]
    );
    let touching: Vec<_> = pair
        .changes
        .iter()
        .filter(|c| c.code.as_deref() == Some("0x801C03ED"))
        .collect();
    assert_eq!(touching.len(), 1);
    assert_eq!(touching[0].old_lines, [30, 54]);
    assert_eq!(touching[0].new_lines, [73]);

    // The rename is found, reported once, and not repeated by the entries it touched.
    let renames: Vec<_> = pair
        .terminology
        .iter()
        .filter(|r| r.from == "Log out and then log in again")
        .collect();
    assert_eq!(renames.len(), 1);
    assert_eq!(renames[0].to, "Sign out and then sign in again");
    assert!(renames[0].codes.len() >= 8, "{:?}", renames[0].codes);
    // Renamed with its first letter lowered (`sign out and then sign in again.`):
    // the rename's still, and nothing more than editorial is left of it.
    assert!(renames[0].codes.iter().any(|c| c == "0x801C03EC"));
    let lowered = (pair.changes.iter())
        .find(|c| c.code.as_deref() == Some("0x801C03EC"))
        .unwrap();
    assert_eq!(lowered.kind, ChangeKind::Editorial);
    let deleted: Vec<&str> = (lowered.words.iter())
        .filter(|s| s.op == SpanOp::Delete)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(deleted, ["Sign"], "the rename is not shown again");
    let mitigations = codes_of(&pair, ChangeKind::MitigationChanged);
    for code in &renames[0].codes {
        assert!(!mitigations.contains(code), "{code} repeats the rename");
    }
    assert!(pair
        .terminology
        .iter()
        .any(|r| r.from == "Passport" && r.to == "Windows Hello for Business"));

    // Real wording changes stay, word by word.
    let cancelled = pair
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::CauseChanged && c.code.as_deref() == Some("0x80090036"))
        .unwrap();
    assert!(cancelled
        .words
        .iter()
        .any(|s| s.op == SpanOp::Delete && s.text == "cancelled"));
    assert!(cancelled
        .words
        .iter()
        .any(|s| s.op == SpanOp::Insert && s.text == "canceled"));
    assert!(pair
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::MetadataChanged && c.field.as_deref() == Some("title")));
    assert!(pair
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::StepRemoved));
}

#[test]
fn the_ja_page_drifts_from_the_2018_en_us_revision() {
    let ds = dataset();
    let refs: Vec<&Revision> = ds.revisions.iter().collect();
    let drift = diff::drift(&refs);
    assert_eq!(drift.len(), 1);
    let ja = &drift[0];
    assert_eq!(ja.locale, "ja-jp");
    assert_eq!(ja.likely_translates.as_deref(), Some("2018-05-05"));
    assert_eq!(
        ja.only_here,
        ["0x80072F8F", "0x801C0451", "0xC00000BB", "0xCAA30193"]
    );
    assert_eq!(ja.missing, ["0x800706D9"]);
}

const BASE: &str = "# Page\n\n## Errors\n\n| Hex | Cause | Mitigation |\n|---|---|---|\n| 0x80090005 | Bad data | Rejoin the device |\n| 0x80090011 | Key not found | Reboot the device |\n";

#[test]
fn punctuation_markup_and_case_only_is_editorial() {
    let old = markdown("a", BASE);
    let new = markdown(
        "b",
        &BASE
            .replace("Bad data", "Bad  data.")
            .replace("Rejoin the device", "**Rejoin** the device.")
            .replace("Reboot the device", "reboot the Device"),
    );
    let pair = diff::revisions(&old, &new, (None, None));
    assert!(!pair.changes.is_empty());
    assert!(
        pair.changes.iter().all(|c| c.kind == ChangeKind::Editorial),
        "{:#?}",
        pair.changes
    );
    assert!(pair.terminology.is_empty());
    assert_eq!(codes_of(&pair, ChangeKind::Editorial).len(), 3);
}

#[test]
fn codes_added_withdrawn_and_moved() {
    let old = markdown("a", BASE);
    let new = markdown(
        "b",
        &BASE
            .replace("| 0x80090011 | Key not found | Reboot the device |\n", "")
            .replace("## Errors", "## Errors\n\n| Hex | Cause |\n|---|---|\n| 0x8009000F | Key exists |\n\n## Other errors"),
    );
    let pair = diff::revisions(&old, &new, (None, None));
    assert_eq!(codes_of(&pair, ChangeKind::CodeAdded), ["0x8009000F"]);
    assert_eq!(codes_of(&pair, ChangeKind::CodeWithdrawn), ["0x80090011"]);
    assert_eq!(codes_of(&pair, ChangeKind::SectionMoved), ["0x80090005"]);
}

/// A code with several conditions that loses one from the middle, or gains one, is
/// reported as that condition withdrawn or added: the others pair with themselves,
/// whatever their places, and only what changed in them is reported.
#[test]
fn a_condition_withdrawn_from_the_middle_leaves_the_others_paired() {
    const FIVE: &str = "# T\n\n## Error AADSTS50000\n\n\
         ## Cause 1: The password is out of sync\n\n### Solution for cause 1\n\nReset it.\n\n\
         ## Cause 2: A parameter is wrong\n\n### Solution for cause 2\n\nCheck the ID.\n\n\
         ## Cause 3: Consent is missing\n\n### Solution for cause 3\n\nGrant it.\n\n\
         ## Cause 4: A symmetric key signs\n\n### Solution for cause 4\n\nUse a certificate.\n\n\
         ## Cause 5: No delegated permission\n\n### Solution for cause 5\n\nExpose one.\n";
    let four = FIVE
        .replace(
            "## Cause 3: Consent is missing\n\n### Solution for cause 3\n\nGrant it.\n\n",
            "",
        )
        .replace("Reset it.", "Reset it, then sign in.");
    let (five, four) = (markdown("a", FIVE), markdown("b", &four));
    assert_eq!(five.entries[0].conditions.len(), 5);
    assert_eq!(four.entries[0].conditions.len(), 4);
    for (old, new, kind, gone) in [
        (&five, &four, ChangeKind::ConditionWithdrawn, true),
        (&four, &five, ChangeKind::ConditionAdded, false),
    ] {
        let pair = diff::revisions(old, new, (None, None));
        let changes: Vec<_> = pair
            .changes
            .iter()
            .map(|c| (c.kind, c.field.clone()))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    kind,
                    Some(if gone { "5 rows → 4" } else { "4 rows → 5" }.to_owned())
                ),
                (
                    ChangeKind::MitigationChanged,
                    Some("mitigation, row 1".to_owned())
                ),
            ],
            "{:#?}",
            pair.changes
        );
        let moved = &pair.changes[0];
        let text = if gone { &moved.old } else { &moved.new };
        assert_eq!(
            text.as_deref(),
            Some("cause: Consent is missing.; mitigation: Grant it.")
        );
        assert_eq!((moved.old.is_some(), moved.new.is_some()), (gone, !gone));
    }
}

/// Conditions gone from the head of a code's list and new at its tail are each
/// reported as what they are, beside the ones that kept their match.
#[test]
fn conditions_withdrawn_and_added_in_one_revision_are_each_reported() {
    let page = |causes: &[u32]| {
        let rows: String = (causes.iter())
            .map(|n| format!("| 0x80090011 | Cause {n} | Fix {n} |\n"))
            .collect();
        format!("# T\n\n## Errors\n\n| Code | Cause | Fix |\n|---|---|---|\n{rows}")
    };
    let old = markdown("a", &page(&[1, 2, 3, 4]));
    let new = markdown("b", &page(&[2, 3, 4, 5, 6]));
    let pair = diff::revisions(&old, &new, (None, None));
    let changes: Vec<_> = (pair.changes.iter())
        .map(|c| {
            let field = c.field.as_deref();
            (c.kind, field, c.old.as_deref(), c.new.as_deref())
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                ChangeKind::ConditionAdded,
                Some("4 rows → 5"),
                None,
                Some("cause: Cause 5; mitigation: Fix 5 | cause: Cause 6; mitigation: Fix 6")
            ),
            (
                ChangeKind::ConditionWithdrawn,
                Some("4 rows → 5"),
                Some("cause: Cause 1; mitigation: Fix 1"),
                None
            ),
        ],
        "{:#?}",
        pair.changes
    );
    let (added, withdrawn) = (&pair.changes[0], &pair.changes[1]);
    assert_eq!((added.old_lines.len(), added.new_lines.len()), (0, 2));
    assert_eq!(
        (withdrawn.old_lines.len(), withdrawn.new_lines.len()),
        (1, 0)
    );
}

/// A rename is found in conditions paired across a withdrawn one as in any others.
#[test]
fn a_rename_is_found_beside_a_withdrawn_condition() {
    const OLD: &str = "# T\n\n## Errors\n\n| Code | Cause | Fix |\n|---|---|---|\n\
         | 0x80090011 | Key lost | Sign in to Azure AD again |\n\
         | 0x80090011 | Key stale | Ask the Azure AD admin |\n\
         | 0x80090011 | Key locked | Reboot |\n\
         | 0x80090016 | Keyset lost | Rejoin Azure AD |\n\
         | 0x80090016 | Keyset stale | Reboot |\n\
         | 0x80090016 | Keyset locked | Check Azure AD Connect |\n";
    let new = OLD
        .replace(
            "| 0x80090011 | Key lost | Sign in to Azure AD again |\n",
            "",
        )
        .replace("| 0x80090016 | Keyset stale | Reboot |\n", "")
        .replace("Azure AD", "Microsoft Entra ID");
    let pair = diff::revisions(&markdown("a", OLD), &markdown("b", &new), (None, None));
    let renames: Vec<_> = (pair.terminology.iter())
        .map(|r| (r.from.as_str(), r.to.as_str(), r.codes.clone()))
        .collect();
    assert_eq!(
        renames,
        [(
            "Azure AD",
            "Microsoft Entra ID",
            vec!["0x80090011".to_owned(), "0x80090016".to_owned()]
        )]
    );
    assert_eq!(
        codes_of(&pair, ChangeKind::MitigationChanged),
        Vec::<String>::new()
    );
}

#[test]
fn japanese_word_diffs_stay_readable() {
    let spans = diff::words(
        "サインアウトし、もう一度サインインする。",
        "サインアウトして、もう一度サインインしてください。",
    );
    let kept: String = spans
        .iter()
        .filter(|s| s.op == SpanOp::Equal)
        .map(|s| s.text.as_str())
        .collect();
    assert!(
        kept.contains("サインアウト") && kept.contains("もう一度"),
        "{spans:?}"
    );
    let inserted: usize = spans
        .iter()
        .filter(|s| s.op == SpanOp::Insert)
        .map(|s| s.text.chars().count())
        .sum();
    assert!(inserted <= 8, "{spans:?}");
    // Deterministic: the same diff every time.
    assert_eq!(
        spans,
        diff::words(
            "サインアウトし、もう一度サインインする。",
            "サインアウトして、もう一度サインインしてください。",
        )
    );
}

#[test]
fn fingerprints_are_stable_and_follow_content() {
    let ds = dataset();
    let a = ds.changelog(&ds.catalog());
    let b = ds.changelog(&ds.catalog());
    assert_eq!(a, b);
    let ids: Vec<&str> = a
        .documents
        .iter()
        .flat_map(|d| &d.revisions)
        .flat_map(|r| &r.changes)
        .map(|c| c.id.as_str())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids collide");

    // Relabelling a revision keeps its changes' ids: approvals carry forward.
    let old = markdown("a", BASE);
    let new = markdown("b", &BASE.replace("Key not found", "Key missing"));
    let mut relabelled = new.clone();
    relabelled.revision = "renamed".to_owned();
    let first = diff::revisions(&old, &new, (None, None));
    let second = diff::revisions(&old, &relabelled, (None, None));
    assert_eq!(first.changes[0].id, second.changes[0].id);
    let other = diff::revisions(
        &old,
        &markdown("b", &BASE.replace("Key not found", "Key gone")),
        (None, None),
    );
    assert_ne!(first.changes[0].id, other.changes[0].id);
}

#[test]
fn hostile_text_cannot_break_the_markdown() {
    let old = markdown("a", BASE);
    let mut new = old.clone();
    new.entries[1].conditions[0].causes =
        vec!["Key | <script>alert(1)</script> **x** `y`\n| --- |".to_owned()];
    let pair = diff::revisions(&old, &new, (None, None));
    let mut md = String::new();
    errcat::emit::changelog::pair_md(&mut md, &pair, errcat::emit::changelog::FROM_GENERATED);
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("&lt;script&gt;"));
    assert!(md.contains("Key \\|"));
    for line in md.lines().filter(|l| l.starts_with("- ")) {
        assert!(!line.contains(" | "), "an unescaped pipe: {line}");
    }
}

/// A sentence repeated across entries that differs by one phrase is that phrase
/// renamed: the rename reads `Azure AD` → `Microsoft Entra ID`, not the whole
/// sentence twice over. A sentence rewritten in more than one place stays whole.
#[test]
fn a_phrase_renamed_inside_repeated_sentences_is_the_rename() {
    let table = |mitigation: &str, other: &str| {
        format!(
            "# Page\n\n## Errors\n\n| Hex | Cause | Mitigation |\n|---|---|---|\n\
             | 0x80090005 | Bad data | {mitigation} |\n| 0x80090011 | Key not found | {mitigation} |\n\
             | 0x80090016 | Keyset missing | {other} |\n| 0x80090036 | Cancelled | {other} |\n"
        )
    };
    let old = markdown(
        "a",
        &table(
            "Unjoin the device from Azure AD and rejoin.",
            "Log out and then log in again.",
        ),
    );
    let new = markdown(
        "b",
        &table(
            "Unjoin the device from Microsoft Entra ID and rejoin.",
            "Sign out and then sign in again.",
        ),
    );
    let pair = diff::revisions(&old, &new, (None, None));
    let renames: Vec<(&str, &str, Vec<&str>)> = pair
        .terminology
        .iter()
        .map(|r| {
            let codes = r.codes.iter().map(String::as_str).collect();
            (r.from.as_str(), r.to.as_str(), codes)
        })
        .collect();
    assert_eq!(
        renames,
        [
            (
                "Log out and then log in again",
                "Sign out and then sign in again",
                vec!["0x80090016", "0x80090036"]
            ),
            (
                "Azure AD",
                "Microsoft Entra ID",
                vec!["0x80090005", "0x80090011"]
            ),
        ]
    );
    assert!(pair.changes.is_empty(), "{:#?}", pair.changes);
}

/// Words replaced with only a space between them are one replacement in the diff.
#[test]
fn a_phrase_replaced_word_by_word_reads_as_one_change() {
    let read = |old: &str, new: &str| -> Vec<(SpanOp, String)> {
        let spans = diff::words(old, new);
        spans.into_iter().map(|s| (s.op, s.text)).collect()
    };
    assert_eq!(
        read(
            "Unjoin the device from Azure AD and rejoin.",
            "Unjoin the device from Microsoft Entra ID and rejoin.",
        ),
        [
            (SpanOp::Equal, "Unjoin the device from ".to_owned()),
            (SpanOp::Delete, "Azure AD".to_owned()),
            (SpanOp::Insert, "Microsoft Entra ID".to_owned()),
            (SpanOp::Equal, " and rejoin.".to_owned()),
        ]
    );
    // A space at either end of a change stays kept text.
    assert_eq!(
        read("Try again.", "Try again later."),
        [
            (SpanOp::Equal, "Try again".to_owned()),
            (SpanOp::Insert, " later".to_owned()),
            (SpanOp::Equal, ".".to_owned()),
        ]
    );
}

/// Two sections of two codes each, under a page title.
const TWO_SECTIONS: &str = "# Page\n\n## Errors\n\n| Hex | Cause |\n|---|---|\n\
    | 0x80090005 | Bad data |\n| 0x80090011 | Key not found |\n\n## Other errors\n\n\
    | Hex | Cause |\n|---|---|\n| 0x8009000F | Key exists |\n| 0x80090016 | Keyset missing |\n";

/// A change as its kind, field, old and new text.
type Shown<'a> = (
    ChangeKind,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// The changes, each shown as its kind, field, old and new text.
fn kinds(pair: &diff::RevisionChanges) -> Vec<Shown<'_>> {
    (pair.changes.iter())
        .map(|c| {
            (
                c.kind,
                c.field.as_deref(),
                c.old.as_deref(),
                c.new.as_deref(),
            )
        })
        .collect()
}

#[test]
fn a_renamed_heading_is_one_change_not_a_move_per_code() {
    let old = markdown("a", TWO_SECTIONS);
    let new = markdown(
        "b",
        &TWO_SECTIONS.replace("## Errors", "## Enrollment errors"),
    );
    let pair = diff::revisions(&old, &new, (None, None));
    assert_eq!(
        kinds(&pair),
        [(
            ChangeKind::SectionRenamed,
            Some("section of 0x80090005, 0x80090011"),
            Some("Errors"),
            Some("Enrollment errors"),
        )]
    );
    assert_eq!(pair.changes[0].section, ["Enrollment errors"]);
    assert_eq!(pair.changes[0].old_lines, [7]);
}

#[test]
fn a_section_that_splits_or_merges_is_not_renamed() {
    let old = markdown("a", TWO_SECTIONS);
    // The two sections become one under a new heading: each code moved.
    let merged = markdown(
        "b",
        &TWO_SECTIONS
            .replace("## Errors", "## All errors")
            .replace("\n\n## Other errors\n\n| Hex | Cause |\n|---|---|\n", "\n"),
    );
    let pair = diff::revisions(&old, &merged, (None, None));
    assert_eq!(
        codes_of(&pair, ChangeKind::SectionMoved),
        ["0x80090005", "0x80090011", "0x8009000F", "0x80090016"]
    );
    assert!(!pair
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::SectionRenamed));
    // One code of a section goes to a new heading, the other to an old one.
    let split = markdown(
        "c",
        &TWO_SECTIONS.replace(
            "| 0x80090011 | Key not found |\n",
            "\n## Key errors\n\n| Hex | Cause |\n|---|---|\n| 0x80090011 | Key not found |\n",
        ),
    );
    let pair = diff::revisions(&old, &split, (None, None));
    assert_eq!(codes_of(&pair, ChangeKind::SectionMoved), ["0x80090011"]);
    assert!(!pair
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::SectionRenamed));
}

//! The catalogue across revisions: first seen, last changed, withdrawn, conflicts.

use errcat::catalog;
use errcat::{Format, Revision, Source};

fn page(document: &str, label: &str, rows: &str) -> Revision {
    let text =
        format!("# T\n\n## Errors\n\n| Error code | Cause | Mitigation |\n|---|---|---|\n{rows}");
    let mut source = Source::new(document, label, &format!("{document}/{label}.en-us.md"));
    source.format = Some(Format::Markdown);
    errcat::ingest_text(&text, source).unwrap()
}

#[test]
fn codes_are_never_deleted_and_withdrawals_are_marked() {
    let a = page("d", "a", "| 0x1 | one | fix |\n| 0x2 | two | fix |\n");
    let b = page("d", "b", "| 0x1 | one | fix |\n");
    let c = page("d", "c", "| 0x1 | one, reworded | fix |\n");
    let catalog = catalog::build([&a, &b, &c]);
    let one = catalog
        .codes
        .iter()
        .find(|c| c.code == "0x00000001")
        .unwrap();
    let context = &one.contexts[0];
    assert_eq!(
        (context.first_seen.as_str(), context.last_changed.as_str()),
        ("a", "c")
    );
    assert_eq!(context.revision, "c");
    assert_eq!(context.withdrawn_in, None);
    let two = catalog
        .codes
        .iter()
        .find(|c| c.code == "0x00000002")
        .unwrap();
    assert_eq!(two.contexts[0].withdrawn_in.as_deref(), Some("b"));
    assert_eq!(two.contexts[0].revision, "a");

    let back = page(
        "d",
        "d",
        "| 0x1 | one, reworded | fix |\n| 0x2 | two | fix |\n",
    );
    let catalog = catalog::build([&a, &b, &c, &back]);
    let two = catalog
        .codes
        .iter()
        .find(|c| c.code == "0x00000002")
        .unwrap();
    assert_eq!(two.contexts[0].withdrawn_in, None);
    assert_eq!(two.contexts[0].last_changed, "d");
}

#[test]
fn a_shared_symbolic_name_is_one_meaning_and_none_is_a_conflict() {
    let pin = page("pin", "a", "| 0x80090031 | NTE_AUTHENTICATION_IGNORED | Reboot |\n| 0x801C03F2 | Key registration failed | Sync |\n");
    let join = page(
        "join",
        "a",
        "| **NTE_AUTHENTICATION_IGNORED** (0x80090031/-2146893775) | TPM is locked out | Wait |\n| **DSREG_E_DIRECTORY_FAILURE** (0x801c03f2/-2145647630) | DirectoryError | Check |\n",
    );
    let catalog = catalog::build([&pin, &join]);
    let conflicts: Vec<&str> = catalog.conflicts.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(conflicts, ["0x801C03F2"]);
    assert_eq!(catalog.conflicts[0].meanings.len(), 2);
}

#[test]
fn the_seeds_conflicts_include_the_documented_ones() {
    let dataset = errcat::regen::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let catalog = dataset.catalog();
    let conflicts: Vec<&str> = catalog.conflicts.iter().map(|c| c.code.as_str()).collect();
    assert!(conflicts.contains(&"0x801C03F2"), "{conflicts:?}");
    assert!(conflicts.contains(&"0x80072F8F"), "{conflicts:?}");
    assert!(
        !conflicts.contains(&"0x80090031"),
        "NTE_AUTHENTICATION_IGNORED means the same on both pages"
    );
}

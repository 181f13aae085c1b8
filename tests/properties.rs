//! Property tests, a short run inside CI: arbitrary bytes and mutated real sources
//! never panic and always keep row conservation; lookup never panics and finds
//! every code by its own spelling. Longer runs: the fuzz targets in `fuzz/`.

use errcat::diff::SpanOp;
use errcat::{Format, Source};
use proptest::prelude::*;

fn check(bytes: &[u8], format: Format) -> Result<(), TestCaseError> {
    let mut source = Source::new("d", "r", "d/r.en-us.x");
    source.format = Some(format);
    if let Ok(revision) = errcat::ingest_bytes(bytes, source) {
        prop_assert_eq!(
            revision.lost_rows(),
            Vec::<usize>::new(),
            "row conservation broke"
        );
        prop_assert_eq!(revision.stats.rows, revision.stats.row_lines.len());
    }
    Ok(())
}

/// `text`, made of `parts` one a line from `first_line` on, keeps its rows, and each
/// part that opens with one of `headings` and names a code is a row.
fn code_headings_are_rows(
    text: &str,
    format: Format,
    parts: &[String],
    headings: &[&str],
    first_line: usize,
) -> Result<(), TestCaseError> {
    check(text.as_bytes(), format)?;
    let file = match format {
        Format::Html => "d/r.ja-jp.html",
        _ => "d/r.en-us.md",
    };
    let mut source = Source::new("d", "r", file);
    source.format = Some(format);
    let headings: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, part)| {
            headings.iter().any(|h| part.starts_with(h)) && part.contains("0x801C03")
        })
        .map(|(i, _)| i + first_line)
        .collect();
    match errcat::ingest_text(text, source) {
        Ok(revision) => {
            for line in headings {
                prop_assert!(
                    revision.stats.row_lines.contains(&line),
                    "line {line}:\n{text}"
                );
            }
        }
        Err(e) => prop_assert!(headings.is_empty(), "{e}:\n{text}"),
    }
    Ok(())
}

const SEEDS: &[(&str, Format)] = &[
    (
        "sources/windows-hello-pin-errors/undated-passport.en-us.txt",
        Format::Legacy,
    ),
    (
        "sources/windows-hello-pin-errors/2018-05-05.en-us.md",
        Format::Markdown,
    ),
    (
        "sources/windows-hello-pin-errors/undated-entra.ja-jp.txt",
        Format::Legacy,
    ),
    (
        "sources/entra-hybrid-join-troubleshooting/2024-11-25.en-us.md",
        Format::Markdown,
    ),
    (
        "sources/mfa-nps-extension-errors/2017-07-14.en-us.txt",
        Format::Legacy,
    ),
    (
        "tests/fixtures/windows-hello-pin-errors.ja-jp.html",
        Format::Html,
    ),
];

/// A real source with a few of its lines deleted, duplicated, swapped or cut.
fn mutated() -> impl Strategy<Value = (Vec<u8>, Format)> {
    (
        0..SEEDS.len(),
        prop::collection::vec(
            (
                0u8..4,
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            ),
            1..8,
        ),
    )
        .prop_map(|(seed, edits)| {
            let (path, format) = SEEDS[seed];
            let text = std::fs::read_to_string(path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            for (op, a, b) in edits {
                if lines.is_empty() {
                    break;
                }
                let (i, j) = (a.index(lines.len()), b.index(lines.len()));
                match op {
                    0 => {
                        lines.remove(i);
                    }
                    1 => {
                        let copy = lines[i].clone();
                        lines.insert(j, copy);
                    }
                    2 => lines.swap(i, j),
                    _ => {
                        let cut = b.index(lines[i].len() + 1);
                        let mut end = cut;
                        while !lines[i].is_char_boundary(end) {
                            end -= 1;
                        }
                        lines[i].truncate(end);
                    }
                }
            }
            (lines.join("\n").into_bytes(), format)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for format in [Format::Legacy, Format::Markdown, Format::Html] {
            check(&bytes, format)?;
        }
    }

    #[test]
    fn table_shaped_noise_keeps_every_row(
        rows in prop::collection::vec("[0-9a-fA-FxX|*<>`\\-_ ]{0,40}", 0..40)
    ) {
        let text = format!("# T\n\n| Hex | Cause | Fix |\n|---|---|---|\n{}\n", rows.join("\n"));
        check(text.as_bytes(), Format::Markdown)?;
        let text = format!("Hex | Cause | Fix |\n---|---|---|\n{}\n", rows.join("\n"));
        check(text.as_bytes(), Format::Legacy)?;
    }

    /// Among headings, labelled paragraphs, lines that give a code, lists, stray
    /// table lines, rules and the underlines that make a paragraph a heading, errors'
    /// names and the headings that call them errors, every heading that gives a code,
    /// at its start or inside its words, or mistypes one, is a row, and no row is
    /// lost.
    #[test]
    fn every_code_heading_is_a_row(
        parts in prop::collection::vec(prop_oneof![
            "#{2,4} (Error |Error hr |エラー )?0x801C03[EF][0-9A-F]( [a-z ]{0,12})?",
            "#{2,4} [A-Za-z ]{1,12} \\(Failed: 0x801C03[EF][0-9A-F]\\)\\.?",
            "#{2,4} [A-Za-z ]{0,12}",
            "#{2,4} (Error )?0x801C03[EF][0-9A-F]{2}",
            "#{2,4} (InvalidSoftMatch|LargeObject or ExceededAllowedLength|Next steps)",
            "#{3,5} Fix the (InvalidSoftMatch|LargeObject or ExceededAllowedLength) error",
            "Error (0x)?801C03[EF][0-9A-F]: \"[a-z ]{0,12}\"",
            "Error: \"[a-z ]{0,12}, 0x801C03F[0-9]\\.\"",
            "\\| (Cause|Resolution) \\| (Cause|Resolution) \\|",
            "\\|---\\|---\\|",
            "(Cause|Resolution|Note|原因)[:：] [a-z ]{0,20}",
            "[a-z .]{0,30}",
            "- [A-Za-z: ]{0,20}",
            "\\*\\*[A-Za-z]{0,10}:?\\*\\*",
            "\\*\\*STATUS_X\\*\\* \\(-?[0-9]{0,3} ?/ ?0x801C03D[0-9]\\)",
            "[-=]{1,3}",
            "\\| 0x801C03F[0-9] \\| [a-z]{0,5} \\|",
            "",
        ], 0..40)
    ) {
        let text = format!("# T\n\n{}\n", parts.join("\n"));
        code_headings_are_rows(&text, Format::Markdown, &parts, &["#"], 3)?;
    }

    /// The same in a localized HTML page: every heading that gives a code is a row,
    /// and so is every `<summary>`, bold line or reference page's term that does.
    #[test]
    fn every_html_code_heading_is_a_row(
        parts in prop::collection::vec(prop_oneof![
            "<h[2-4]>(Error |エラー )?0x801C03[EF][0-9A-F]( [a-z ]{0,12})?</h[2-4]>",
            "<h[2-4]>[A-Za-z ]{1,12} \\(Failed: 0x801C03[EF][0-9A-F]\\)</h[2-4]>",
            "<h[2-4]>[A-Za-z ]{0,12}</h[2-4]>",
            "<h[2-4]>(Cause|Resolution|原因|解決策)</h[2-4]>",
            "<p>Error (0x)?801C03[EF][0-9A-F]: \"[a-z ]{0,12}\"</p>",
            "<p>(Cause|Resolution|Note|原因)[:：] [a-z ]{0,20}</p>",
            "<p>[a-z .]{0,30}</p>",
            "<p><strong>[A-Za-z]{0,10}:?</strong></p>",
            "<ul><li>[A-Za-z: ]{0,20}</li></ul>",
            "<table><tr><th>(Cause|Error)</th><th>Resolution</th></tr>\
             <tr><td>[a-z0-9x]{0,10}</td><td>[a-z]{0,5}</td></tr></table>",
            "<pre>0x801C03F[0-9] [a-z]{0,5}</pre>",
            "<details><summary>(STATUS_X \\(-?[0-9]{0,3} ?/ ?0x801C03E[0-9]\\)|[A-Za-z ]{0,12})</summary>",
            "</details>",
            "<h[2-4]>Step [0-9]: [a-z ]{0,12}</h[2-4]>",
            "<p><strong>(STATUS_X|Error: AADSTS50155)</strong> \\(-?[0-9]{0,3} ?/ ?0x801C03D[0-9]\\)</p>",
            "<dl><dt><span id=\"x\"></span><strong>ERROR_X_Y</strong></dt><dd><dl>\
             <dt>0x801C03D[0-9]</dt><dt>[a-z ]{0,12}</dt></dl></dd></dl>",
            "",
        ], 0..30)
    ) {
        let text = format!("<html><body><h1>T</h1>\n{}\n</body></html>\n", parts.join("\n"));
        let headings = ["<h", "<details>", "<p><strong>", "<dl>"];
        code_headings_are_rows(&text, Format::Html, &parts, &headings, 2)?;
    }

    #[test]
    fn mutated_real_sources_never_panic((bytes, format) in mutated()) {
        check(&bytes, format)?;
    }

    /// A word diff gives back both texts: its kept and deleted spans the old, its
    /// kept and inserted spans the new, however its changes are joined.
    #[test]
    fn a_word_diff_rebuilds_both_texts(
        old in prop::collection::vec(prop::sample::select(vec!["a", "b", "cc", "dd"]), 0..10),
        new in prop::collection::vec(prop::sample::select(vec!["a", "b", "cc", "dd"]), 0..10),
    ) {
        let (old, new) = (old.join(" "), new.join(" "));
        let spans = errcat::diff::words(&old, &new);
        let side = |skip: SpanOp| -> String {
            spans.iter().filter(|s| s.op != skip).map(|s| s.text.as_str()).collect()
        };
        // Shown as one replacement, the two texts stand whole with a space between.
        let whole = matches!(
            spans.as_slice(),
            [d, e, i] if d.op == SpanOp::Delete && d.text == old && e.op == SpanOp::Equal
                && e.text == " " && i.op == SpanOp::Insert && i.text == new
        );
        if !whole {
            prop_assert_eq!(side(SpanOp::Insert), old);
            prop_assert_eq!(side(SpanOp::Delete), new);
        }
    }

    /// Any text: no panic, and `lookup` answers with `lookup_all`'s first code.
    #[test]
    fn lookup_never_panics(spelling in "\\PC{0,40}") {
        let first = errcat_codes::lookup_all(&spelling).next();
        prop_assert_eq!(errcat_codes::lookup(&spelling), first);
    }

    /// Digits of any length, as a sign-in error's number or not: what a number
    /// finds, its own spelling finds again.
    #[test]
    fn a_number_finds_only_what_its_code_finds(digits in "[0-9]{0,14}") {
        if let Some(code) = errcat_codes::lookup(&digits) {
            prop_assert_eq!(errcat_codes::lookup(code.code()), Some(code));
        }
    }
}

#[test]
fn every_code_is_found_by_every_spelling_it_has() {
    for code in errcat_codes::codes() {
        assert_eq!(errcat_codes::lookup(code.code()), Some(code));
        assert_eq!(
            errcat_codes::lookup(&code.code().to_ascii_lowercase()),
            Some(code),
            "{}",
            code.code()
        );
        // A sign-in error's number alone finds it, unless a code has that number.
        if let Some(digits) = code.code().strip_prefix("AADSTS") {
            let found = errcat_codes::lookup(digits);
            assert!(
                found == Some(code) || found.is_some_and(|c| c.value().is_some()),
                "{digits} found {:?}",
                found.map(|c| c.code())
            );
        }
        if let Some(value) = code.value() {
            if code.code().starts_with("0x") {
                assert_eq!(
                    errcat_codes::lookup(&(value as i32).to_string()).map(|c| c.value()),
                    Some(Some(value))
                );
                assert_eq!(
                    errcat_codes::lookup(&value.to_string()).map(|c| c.value()),
                    Some(Some(value))
                );
            }
        }
    }
}

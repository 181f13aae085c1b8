//! Hostile sizes and shapes take bounded time and memory and get a clear diagnostic.
//! (Time is not asserted here; `cargo xtask bench` measures.)

use errcat::model::DiagnosticKind;
use errcat::{Format, IngestError, Revision, Source};

fn ingest(text: &str, format: Format) -> Result<Revision, IngestError> {
    let mut source = Source::new("d", "r", "d/r.en-us.x");
    source.format = Some(format);
    errcat::ingest_text(text, source)
}

fn conserved(revision: &Revision) {
    assert_eq!(revision.lost_rows(), Vec::<usize>::new(), "rows vanished");
}

#[test]
fn a_source_over_the_size_cap_is_refused_with_its_size() {
    let big = "x".repeat(errcat::ingest::MAX_SOURCE_BYTES + 1);
    let err = ingest(&big, Format::Legacy).unwrap_err();
    assert!(matches!(err, IngestError::TooLarge { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{} bytes is over the {} byte limit for one source",
            errcat::ingest::MAX_SOURCE_BYTES + 1,
            errcat::ingest::MAX_SOURCE_BYTES
        )
    );
}

#[test]
fn a_table_of_100k_rows_keeps_every_row() {
    let mut legacy = String::from("Hex | Cause | Mitigation |\n---|---|---|\n");
    let mut markdown = String::from("# T\n\n| Hex | Cause | Mitigation |\n|---|---|---|\n");
    for i in 0..100_000u32 {
        legacy.push_str(&format!(
            "0x{:08X} | cause {i} | fix {i} |\n",
            0x8000_0000 + i
        ));
        markdown.push_str(&format!(
            "| 0x{:08X} | cause {i} | fix {i} |\n",
            0x8000_0000 + i
        ));
    }
    for (text, format) in [(&legacy, Format::Legacy), (&markdown, Format::Markdown)] {
        let revision = ingest(text, format).unwrap();
        assert_eq!(revision.stats.rows, 100_000);
        assert_eq!(revision.entries.len(), 100_000);
        conserved(&revision);
    }
}

#[test]
fn deep_nesting_is_read_without_exhausting_the_stack() {
    let depth = 20_000;
    let html = format!(
        "<html><body><main><table><tr><th>Hex</th><th>Cause</th></tr><tr><td>0x80090005</td><td>ok</td></tr></table>{}<p>deep</p>{}</main></body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let revision = ingest(&html, Format::Html).unwrap();
    assert_eq!(revision.entries.len(), 1);
    assert!(revision
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::NestingTooDeep));

    let cell = format!(
        "<html><body><table><tr><th>Hex</th><th>Cause</th></tr><tr><td>0x80090005</td><td>{}cause{}</td></tr></table></body></html>",
        "<span>".repeat(depth),
        "</span>".repeat(depth)
    );
    let revision = ingest(&cell, Format::Html).unwrap();
    assert_eq!(revision.entries[0].conditions[0].causes, ["cause"]);

    let markdown = format!(
        "# T\n\n{}\n\n| Hex | Cause |\n|---|---|\n| 0x80090005 | ok |\n",
        (0..5_000)
            .map(|i| format!("{}- item", "  ".repeat(i % 50)))
            .collect::<Vec<_>>()
            .join("\n")
            + &">".repeat(depth)
    );
    let revision = ingest(&markdown, Format::Markdown).unwrap();
    assert_eq!(revision.entries.len(), 1);
}

#[test]
fn a_cell_of_10_mb_is_cut_with_a_diagnostic() {
    let huge = "word ".repeat(2 << 20);
    let text = format!("Hex | Cause |\n---|---|\n0x80090005 | {huge} |\n");
    let revision = ingest(&text, Format::Legacy).unwrap();
    let cause = &revision.entries[0].conditions[0].causes[0];
    assert!(cause.len() <= errcat::reconcile::MAX_CELL_BYTES);
    let truncated: Vec<_> = revision
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Truncated)
        .collect();
    assert_eq!(truncated.len(), 1);
    assert_eq!(truncated[0].line, 3);
    assert!(truncated[0].message.contains("cell 2 holds"));
}

/// A list of entries, or a run of code headings, with a new label on every entry
/// makes no table as wide as it is long: past the first `MAX_LABELS` labels, an
/// entry's text joins its last cell, label and all, with a warning.
#[test]
fn labels_past_the_cap_make_no_columns() {
    let n = 2_000;
    let mut bullets = String::from("# T\n\n");
    let mut headings = String::from("# T\n\n");
    for i in 0..n {
        let code = 0x8000_0000u32 + i as u32;
        bullets.push_str(&format!("- **0x{code:08X}**\n  - Label{i}: text {i}\n"));
        headings.push_str(&format!("## Error 0x{code:08X}\n\nLabel{i}: text {i}\n\n"));
    }
    for text in [bullets, headings] {
        let revision = ingest(&text, Format::Markdown).unwrap();
        conserved(&revision);
        assert_eq!(revision.entries.len(), n);
        let extra = revision
            .diagnostics
            .iter()
            .filter(|d| d.kind == DiagnosticKind::ExtraCells)
            .count();
        assert_eq!(extra, n - errcat::ingest::MAX_LABELS);
        let last = &revision.entries[n - 1].conditions[0];
        let kept = format!("Label{}: text {}", n - 1, n - 1);
        assert_eq!(last.mitigation.as_deref(), Some(kept.as_str()));
    }
}

/// A header of thousands of columns is read as its first `MAX_COLUMNS`: the names
/// past them join its last, as a row's cells past them join its last cell, so no
/// row is padded to the header's width and no column is looked down thousands of
/// times.
#[test]
fn a_header_of_thousands_of_columns_is_read_as_its_first_64() {
    let n = 2_000;
    let max = errcat::reconcile::MAX_COLUMNS;
    let names: Vec<String> = (0..n).map(|i| format!("Fix {i}")).collect();
    let full: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let code = |i: usize| format!("0x{:08X}", 0x8000_0000 + i);
    let mut legacy = format!(
        "Hex | {} |\n{}|\n",
        names[1..].join(" | "),
        "---|".repeat(n)
    );
    legacy.push_str(&format!("{} | {} |\n", code(0), full[1..].join(" | ")));
    let mut html = format!(
        "<html><body><table><tr><th>Hex</th><th>{}</th></tr>\n",
        names[1..].join("</th><th>")
    );
    html.push_str(&format!(
        "<tr><td>{}</td><td>{}</td></tr>\n",
        code(0),
        full[1..].join("</td><td>")
    ));
    for i in 1..n {
        legacy.push_str(&format!("{} |\n", code(i)));
        html.push_str(&format!("<tr><td>{}</td></tr>\n", code(i)));
    }
    html.push_str("</table></body></html>");
    // With no header row, the first row sets the width.
    let headerless = html.replacen(
        &format!(
            "<tr><th>Hex</th><th>{}</th></tr>\n",
            names[1..].join("</th><th>")
        ),
        "",
        1,
    );
    let tables = [
        (legacy, Format::Legacy),
        (html, Format::Html),
        (headerless, Format::Html),
    ];
    for (text, format) in tables {
        let revision = ingest(&text, format).unwrap();
        conserved(&revision);
        assert_eq!(revision.entries.len(), n);
        let wide = format!(
            "the table has {n} columns; it is read as its first {max}, and each row's cells past them join its last"
        );
        assert!(
            revision.diagnostics.iter().any(|d| d.message == wide),
            "{format:?}"
        );
        let short = format!("the row has 1 of {max} cells; the missing ones are read as empty");
        let padded = revision
            .diagnostics
            .iter()
            .filter(|d| d.message == short)
            .count();
        assert_eq!(padded, n - 1, "{format:?}");
        // The full row keeps the text of every cell past the first 64.
        let mitigation = revision.entries[0].conditions[0]
            .mitigation
            .as_deref()
            .unwrap();
        assert!(mitigation.ends_with(&format!("c{}", n - 1)), "{format:?}");
    }
}

/// Lines that each give a code, one right after another, share the text under
/// them, but no more than `MAX_SHARED` do: thousands of them make no copy of the
/// text for each.
#[test]
fn code_lines_in_a_row_share_their_text_within_a_cap() {
    let n = 2_000u32;
    let mut page = String::from("# T\n\n## Something went wrong.\n\n");
    for i in 0..n {
        page.push_str(&format!("Error 0x{:08X}: Failed {i}.\n\n", 0x8000_0000 + i));
    }
    for i in 0..n {
        page.push_str(&format!("Cause: reason {i}.\n\n"));
    }
    let revision = ingest(&page, Format::Markdown).unwrap();
    conserved(&revision);
    assert_eq!(revision.entries.len(), n as usize);
    let shared: Vec<&str> = (revision.entries.iter())
        .filter(|e| !e.conditions[0].causes.is_empty())
        .map(|e| e.code.as_str())
        .collect();
    // Each run of `MAX_SHARED` lines is one group; the text goes to the last.
    let max = errcat::reconcile::MAX_SHARED as u32;
    let last = (n - 1) / max * max;
    let expected: Vec<String> = (last..n)
        .map(|i| format!("0x{:08X}", 0x8000_0000 + i))
        .collect();
    assert_eq!(shared, expected);
    assert!(shared.len() <= 16, "{} codes share one text", shared.len());
    let message = |at: usize| revision.entries[at].conditions[0].message.as_deref();
    assert_eq!(message(0), Some("Something went wrong. Failed 0."));
    assert_eq!(message(1), Some("Failed 1."));
}

/// A section's text that names its code thousands of times, a different name each
/// time (`806 - NameN`, `0x80070005 translates to NAME_N`), gives the code at most
/// `MAX_TEXT_NAMES` names: each name was a line of the row's code cell, read again
/// for the next, and 4,000 of them took 25 s on a 68 KB page.
#[test]
fn names_a_sections_text_gives_a_code_are_capped() {
    let n = 2_000;
    let max = errcat::reconcile::MAX_TEXT_NAMES;
    let camel: Vec<String> = (0..n)
        .map(|i| format!("806 - Name{}Error", word(i)))
        .collect();
    let symbols: Vec<String> = (0..n)
        .map(|i| format!("0x80070005 translates to NAME_{i}."))
        .collect();
    for (title, text) in [
        ("# Error 806 fails", camel.join(" ")),
        ("# Error 0x80070005 fails", symbols.join(" ")),
    ] {
        let page = format!("{title}\n\n## Cause\n\n{text}\n\n## Solution\n\nFix it.\n");
        let revision = ingest(&page, Format::Markdown).unwrap();
        conserved(&revision);
        assert_eq!(revision.entries.len(), 1, "{title}");
        let names = &revision.entries[0].names;
        assert_eq!(names.len(), max, "{title}");
    }
}

/// A word of letters alone for `i`, so that each name is a camel-case one.
fn word(i: usize) -> String {
    let mut i = i;
    let mut out = String::from("A");
    loop {
        out.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return out;
        }
    }
}

/// A row gives at most `MAX_ROW_CODES` codes, each with a copy of its text, and
/// reports the others at its line: uncapped, a 121 KB page of one row naming 5,000
/// codes beside a long fix wrote 307 MB of JSON. The cap holds for codes in the code
/// cell, named in a first cell's words, quoted by an event's message, and given by a
/// heading.
#[test]
fn a_rows_codes_are_capped_with_a_diagnostic() {
    let max = errcat::reconcile::MAX_ROW_CODES;
    let n = 2_000;
    let codes: Vec<String> = (0..n)
        .map(|i| format!("0x{:08X}", 0x8000_0000u32 + i))
        .collect();
    let listed = codes.join(", ");
    let fix = "Restart the device and try again. ".repeat(100);
    let pages = [
        format!("# T\n\n| Error code | Solution |\n|---|---|\n| {listed} | {fix} |\n"),
        format!("# T\n\n| Error | Solution |\n|---|---|\n| The log contains {listed}. | {fix} |\n"),
        format!("# T\n\n| Code | Message | Description |\n|---|---|---|\n| 6329 | BAIL {listed} | {fix} |\n"),
        format!("# T\n\n## Error {listed}\n\n**Cause:** {fix}\n"),
    ];
    for page in pages {
        let revision = ingest(&page, Format::Markdown).unwrap();
        conserved(&revision);
        let line = revision.entries[0].conditions[0].source.line;
        assert_eq!(revision.entries.len(), max, "{}", &page[..60]);
        let capped: Vec<&str> = (revision.diagnostics.iter())
            .filter(|d| d.kind == DiagnosticKind::Truncated && d.line == line)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(capped.len(), 1, "{capped:?}");
        assert!(
            capped[0].contains(&format!("the first {max} are read")),
            "{}",
            capped[0]
        );
        assert!(capped[0].contains(&codes[n as usize - 1]), "{}", capped[0]);
    }
}

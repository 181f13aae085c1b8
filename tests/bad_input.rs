//! The bad-input catalogue: each malformed input with the exact error or
//! diagnostics a user sees. Pinned as one reviewed snapshot.

use std::fmt::Write;

use errcat::Source;

/// (what, file name, bytes).
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let table = "| Hex | Cause |\n|---|---|\n| 0x80090005 | Bad data |\n";
    vec![
        ("an empty file", "empty.md", Vec::new()),
        ("only whitespace", "blank.txt", b"  \n\t\n".to_vec()),
        ("a file that is only frontmatter", "front.md", b"---\ntitle: T\nms.date: 01/01/2020\n---\n".to_vec()),
        ("broken YAML", "broken.md", format!("---\ntitle: [unclosed\n---\n# T\n\n{table}").into_bytes()),
        ("frontmatter that is not a mapping", "list.md", format!("---\n- a\n- b\n---\n# T\n\n{table}").into_bytes()),
        ("invalid UTF-8", "latin1.txt", b"Hex | Cause |\n---|---|\n0x80090005 | caf\xe9 |\n".to_vec()),
        ("a BOM", "bom.md", format!("\u{feff}# T\n\n{table}").into_bytes()),
        ("CRLF line endings", "crlf.md", format!("# T\r\n\r\n{}", table.replace('\n', "\r\n")).into_bytes()),
        ("mixed CR, LF and CRLF", "mixed.txt", b"Hex | Cause |\r\n---|---|\r0x80090005 | a |\n0x80090011 | b |\r\n".to_vec()),
        ("unclosed HTML", "page.html", b"<html><body><table><tr><th>Hex<th>Cause<tr><td>0x80090005<td>Bad <b>data".to_vec()),
        ("HTML with no table", "prose.html", b"<html><body><main><p>Nothing here.</p></main></body></html>".to_vec()),
        ("a table with zero cells in a row", "zero.txt", b"Hex | Cause | Fix |\n---|---|---|\n|\n0x80090005 | a | b |\n".to_vec()),
        ("a row with too many cells", "wide.txt", b"Hex | Cause |\n---|---|\n0x80090005 | a | extra | more |\n".to_vec()),
        ("a row with too few cells", "narrow.txt", b"Hex | Cause | Fix |\n---|---|---|\n0x80090005 | a |\n".to_vec()),
        ("a code out of range", "wide-hex.md", b"# T\n\n| Hex | Cause |\n|---|---|\n| 0x1FFFFFFFF | too wide |\n".to_vec()),
        ("a hex code with digits that are not hex", "bad-hex.md", b"# T\n\n| Hex | Cause |\n|---|---|\n| 0x8009ZZ05 | a |\n| **X_Y** (0xZZ) | b |\n".to_vec()),
        ("a decimal over 32 bits", "wide-dec.md", b"# T\n\n| Code | Cause |\n|---|---|\n| **X_Y** (0x80090005/-4294967296) | a |\n| 99999999999 | b |\n".to_vec()),
        ("a row with no code", "nocode.md", b"# T\n\n| Error code | Cause |\n|---|---|\n| see below | a |\n".to_vec()),
        ("an empty code cell at the top", "orphan.md", b"# T\n\n| Hex | Cause |\n|---|---|\n|  | a |\n".to_vec()),
        ("a duplicated row", "dup.txt", b"Hex | Cause |\n---|---|\n0x80090005 | a |\n0x80090005 | a |\n".to_vec()),
        ("prose only", "prose.md", b"# Title\n\nNo table at all.\n".to_vec()),
    ]
}

fn render(what: &str, name: &str, bytes: &[u8]) -> String {
    let mut out = format!("## {what} ({name})\n");
    match errcat::ingest_bytes(bytes, Source::new("d", "r", name)) {
        Err(e) => {
            let at = e.line().map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(out, "error: {name}{at}: {e}");
        }
        Ok(revision) => {
            let _ = writeln!(
                out,
                "{} format, {} rows, {} entries, codes: {}",
                revision.format.as_str(),
                revision.stats.rows,
                revision.entries.len(),
                revision
                    .entries
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            for d in &revision.diagnostics {
                let _ = writeln!(out, "{name}:{}: {}: {}", d.line, d.kind.as_str(), d.message);
            }
        }
    }
    out
}

#[test]
fn bad_input_catalogue() {
    let mut text = String::new();
    for (what, name, bytes) in cases() {
        text.push_str(&render(what, name, &bytes));
        text.push('\n');
    }
    insta::assert_snapshot!("bad_input_catalogue", text);
}

//! Hostile text passes through every output exactly and inertly: the generated
//! crate compiles and returns the exact strings, JSON stays valid, the Markdown
//! changelog cannot break its tables or inject HTML, the Atom feed stays XML.
//! (The HTML report's rendering is checked in a browser: `tests/report.rs`.)

use errcat::catalog::{Catalog, CodeRecord, Context};
use errcat::emit::{self, Versions};
use errcat::model::{Condition, EntryKind, Link, SourceRef};

#[path = "common/krate.rs"]
mod krate;

/// Quotes, backslashes, `"#`, `*/`, `{}`, NUL and controls, bidi overrides, a very
/// long line, emoji and combining marks.
fn hostile() -> Vec<String> {
    vec![
        r##"quote " and ' and \ backslash \" and "# raw-string end"##.to_owned(),
        "*/ /* comment end {} {{}} {0} ${x} `tick`".to_owned(),
        "nul \0 bell \u{7} esc \u{1b}[31m del \u{7f} cr \r lf \n tab \t".to_owned(),
        "bidi \u{202e}desrever\u{202c} \u{2066}isolate\u{2069} \u{200f}".to_owned(),
        "long ".repeat(40_000),
        "emoji 👩‍💻🏳️‍🌈 and combining e\u{301}\u{302}\u{303} and a lone \u{301}".to_owned(),
        "| table | break |\n|---|---|\n<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** [link](javascript:alert(3)) &amp;".to_owned(),
        "]]> <!-- --> </content> <?xml?>".to_owned(),
    ]
}

fn catalog() -> Catalog {
    let texts = hostile();
    let codes = texts
        .iter()
        .enumerate()
        .map(|(i, text)| CodeRecord {
            code: if i == 0 {
                format!("Evil\"#{i}")
            } else {
                format!("0x{:08X}", 0x8000_0000 + i)
            },
            value: (i != 0).then_some(0x8000_0000 + i as u32),
            names: vec![format!(
                "NAME_{i}_{}",
                text.chars().take(20).collect::<String>()
            )],
            contexts: vec![Context {
                document: "hostile".to_owned(),
                locale: "en-us".to_owned(),
                section: vec![text.clone()],
                kind: EntryKind::Error,
                names: Vec::new(),
                revision: "r1".to_owned(),
                first_seen: "r1".to_owned(),
                last_changed: "r1".to_owned(),
                withdrawn_in: None,
                conditions: vec![Condition {
                    causes: vec![text.clone(), format!("second {text}")],
                    message: Some(text.clone()),
                    mitigation: Some(text.clone()),
                    links: vec![Link {
                        text: text.clone(),
                        url: text.clone(),
                    }],
                    source: SourceRef {
                        file: "sources/hostile/r1.en-us.md".to_owned(),
                        line: 7,
                    },
                }],
            }],
        })
        .collect();
    let mut codes: Vec<CodeRecord> = codes;
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    Catalog {
        codes,
        conflicts: Vec::new(),
    }
}

#[test]
fn the_generated_crate_compiles_and_returns_the_exact_strings() {
    let catalog = catalog();
    let versions = Versions {
        schema: errcat::SCHEMA_VERSION.to_owned(),
        dataset: "hostile\"#".to_owned(),
        source_digest: "0".repeat(64),
        generator: "errcat test */".to_owned(),
    };
    // Prints every string as hex, so that nothing is lost on the way to the test.
    let main = r#"fn hex(s: &str) -> String { s.bytes().map(|b| format!("{b:02x}")).collect() }
fn main() {
    println!("{}", hex(errcat_codes::DATA_VERSION));
    for code in errcat_codes::codes() {
        let ctx = code.contexts().next().unwrap();
        let cond = ctx.conditions().next().unwrap();
        let link = cond.links().next().unwrap();
        let found = errcat_codes::lookup(code.code()).map(|c| c.code()) == Some(code.code());
        println!("{} {} {} {} {} {} {} {} {}", hex(code.code()), found, hex(ctx.section().next().unwrap()),
            hex(cond.causes().next().unwrap()), hex(cond.message().unwrap()), hex(cond.mitigation().unwrap()),
            hex(link.text), hex(link.url), hex(code.names().next().unwrap()));
    }
}
"#;
    let stdout = krate::run_probe(&catalog, &versions, main);
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let mut lines = stdout.lines();
    assert_eq!(lines.next().unwrap(), hex("hostile\"#"));
    for (record, line) in catalog.codes.iter().zip(lines) {
        let c = &record.contexts[0].conditions[0];
        let expected = format!(
            "{} true {} {} {} {} {} {} {}",
            hex(&record.code),
            hex(&record.contexts[0].section[0]),
            hex(&c.causes[0]),
            hex(c.message.as_deref().unwrap()),
            hex(c.mitigation.as_deref().unwrap()),
            hex(&c.links[0].text),
            hex(&c.links[0].url),
            hex(&record.names[0]),
        );
        assert!(line == expected, "{} came back changed", record.code);
    }
}

#[test]
fn json_stays_valid_and_exact() {
    let catalog = catalog();
    let text = emit::pretty(&catalog);
    let back: Catalog = serde_json::from_str(&text).unwrap();
    assert_eq!(back, catalog);
    assert!(
        !text.contains('\0') && !text.contains('\u{1b}'),
        "raw control characters in JSON"
    );
}

#[test]
fn the_changelog_cannot_break_its_tables_or_inject_html() {
    let catalog = catalog();
    let conflicts = catalog
        .codes
        .iter()
        .map(|c| errcat::catalog::Conflict {
            code: c.code.clone(),
            reason: "test".to_owned(),
            meanings: vec![errcat::catalog::Meaning {
                document: "d".to_owned(),
                locale: "en-us".to_owned(),
                names: c.names.clone(),
                summary: c.contexts[0].conditions[0].causes[0].clone(),
            }],
        })
        .collect();
    let changelog = errcat::diff::Changelog {
        documents: Vec::new(),
        drift: Vec::new(),
        conflicts,
    };
    let versions = Versions {
        schema: "1".to_owned(),
        dataset: "d".to_owned(),
        source_digest: "s".to_owned(),
        generator: "g".to_owned(),
    };
    let md = errcat::emit::changelog::markdown(&changelog, &versions);
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(table.len(), catalog.codes.len(), "a row broke the table");
    for row in table {
        let unescaped_pipes = row
            .match_indices('|')
            .filter(|(i, _)| !row[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped_pipes, 5, "{row:.200}");
    }
    let body = md.split_once('\n').map_or("", |(_, rest)| rest);
    for tag in ["<script", "<img", "<!--", "</content"] {
        assert!(!body.contains(tag), "{tag} reached the Markdown");
    }
    assert!(!md.contains('\0') && !md.contains('\u{1b}'));

    let atom = errcat::emit::changelog::atom(&changelog, &versions);
    assert!(!atom.contains('\0') && !atom.contains('\u{1b}'));
    assert_eq!(
        errcat::emit::changelog::xml_escape("a<b>&\"'\0"),
        "a&lt;b&gt;&amp;&quot;&apos;\u{fffd}"
    );
}

//! The changelog for people: `CHANGELOG.md` (GitHub-flavoured Markdown) and an Atom
//! feed. Every piece of source text is escaped, so a cause holding `|`, `<script>` or
//! `**` renders as the text it is and cannot break a table, a list or the feed.

use std::fmt::Write;

use crate::catalog::Conflict;
use crate::diff::{Change, ChangeKind, Changelog, Drift, RevisionChanges, Span, SpanOp};

use super::{Versions, HEADER};

/// Escapes text for Markdown: punctuation that could start markup is
/// backslash-escaped, `<`, `>` and `&` become entities, and line breaks spaces.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '|' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push_str("&#xFFFD;"),
            c if c.is_control() => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Word spans as Markdown: deletions ~~struck~~, insertions **bold**, with the
/// whitespace at a span's edges kept outside its markers so that they render.
pub fn md_words(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        let marker = match span.op {
            SpanOp::Equal => {
                out.push_str(&md_escape(&span.text));
                continue;
            }
            SpanOp::Delete => "~~",
            SpanOp::Insert => "**",
        };
        let inner = span.text.trim();
        if inner.is_empty() {
            out.push_str(&md_escape(&span.text));
            continue;
        }
        let lead = &span.text[..span.text.len() - span.text.trim_start().len()];
        let trail = &span.text[span.text.trim_end().len()..];
        out.push_str(lead);
        out.push_str(marker);
        out.push_str(&md_escape(inner));
        out.push_str(marker);
        out.push_str(trail);
    }
    out
}

/// Where `CHANGELOG.md` finds the sources: its links lead from `generated/` up to
/// the paths the manifest gives, relative to the repository's root.
pub const FROM_GENERATED: &str = "../";

/// A link to a source line that renders on GitHub; `root` leads from where the
/// Markdown is read to where `source` is relative to.
fn line_link(label: &str, root: &str, source: &str, line: usize) -> String {
    format!("[{label}]({root}{source}?plain=1#L{line})")
}

fn lines_md(change: &Change, pair: &RevisionChanges, root: &str) -> String {
    let mut links: Vec<String> = change
        .old_lines
        .iter()
        .map(|&l| line_link(&format!("old L{l}"), root, &pair.old.source, l))
        .collect();
    links.extend(
        change
            .new_lines
            .iter()
            .map(|&l| line_link(&format!("new L{l}"), root, &pair.new.source, l)),
    );
    if links.is_empty() {
        String::new()
    } else {
        format!(" ({})", links.join(", "))
    }
}

fn change_md(out: &mut String, change: &Change, pair: &RevisionChanges, root: &str) {
    out.push_str("- ");
    if let Some(code) = &change.code {
        let _ = write!(out, "`{}`", code.replace('`', "'"));
    }
    let mut place: Vec<String> = change.section.iter().map(|s| md_escape(s)).collect();
    if let Some(field) = &change.field {
        place.push(md_escape(field));
    }
    if !place.is_empty() {
        if change.code.is_some() {
            out.push_str(" · ");
        }
        out.push_str(&place.join(" › "));
    }
    out.push_str(": ");
    if !change.words.is_empty() {
        out.push_str(&md_words(&change.words));
    } else {
        match (&change.old, &change.new) {
            (Some(old), Some(new)) => {
                let _ = write!(out, "~~{}~~ → **{}**", md_escape(old), md_escape(new));
            }
            (Some(old), None) => out.push_str(&md_escape(old)),
            (None, Some(new)) => out.push_str(&md_escape(new)),
            (None, None) => {}
        }
    }
    out.push_str(&lines_md(change, pair, root));
    let _ = writeln!(out, " <sub>`{}`</sub>", change.id);
}

/// One revision pair as Markdown, as the changelog shows it. Its links to the
/// sources start with `root`: [`FROM_GENERATED`] in the changelog, nothing where the
/// sources are named as they are read from, as `errcat diff` names them.
pub fn pair_md(out: &mut String, pair: &RevisionChanges, root: &str) {
    let date = pair
        .new
        .date
        .as_deref()
        .map(|d| format!(" ({})", md_escape(d)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "### {}: `{}` → `{}`{date}\n",
        md_escape(&pair.locale),
        pair.old.revision,
        pair.new.revision
    );
    let _ = writeln!(
        out,
        "[{}]({root}{}) → [{}]({root}{}) · id `{}`\n",
        md_escape(&pair.old.source),
        pair.old.source,
        md_escape(&pair.new.source),
        pair.new.source,
        pair.id
    );
    if pair.terminology.is_empty() && pair.changes.is_empty() {
        out.push_str("No changes.\n\n");
        return;
    }
    if !pair.terminology.is_empty() {
        out.push_str("**Terminology**, each rename reported once:\n\n");
        for rename in &pair.terminology {
            let codes: Vec<String> = rename.codes.iter().map(|c| format!("`{c}`")).collect();
            let _ = writeln!(
                out,
                "- ~~{}~~ → **{}**: {} entries ({}) <sub>`{}`</sub>",
                md_escape(&rename.from),
                md_escape(&rename.to),
                rename.codes.len(),
                codes.join(", "),
                rename.id
            );
        }
        out.push('\n');
    }
    for kind in ChangeKind::ALL {
        let changes: Vec<&Change> = pair.changes.iter().filter(|c| c.kind == kind).collect();
        if changes.is_empty() {
            continue;
        }
        if kind == ChangeKind::Editorial {
            let _ = writeln!(
                out,
                "<details><summary>{} ({}): whitespace, punctuation, markup or case only</summary>\n",
                kind.title(),
                changes.len()
            );
        } else {
            let _ = writeln!(out, "**{}** ({}):\n", kind.title(), changes.len());
        }
        for change in changes {
            change_md(out, change, pair, root);
        }
        out.push('\n');
        if kind == ChangeKind::Editorial {
            out.push_str("</details>\n\n");
        }
    }
}

pub fn markdown(changelog: &Changelog, versions: &Versions) -> String {
    let mut out = markdown_head(versions);
    markdown_body_into(&mut out, changelog);
    out
}

/// `CHANGELOG.md` after its head, which alone needs the versions.
pub fn markdown_body(changelog: &Changelog) -> String {
    let mut out = String::new();
    markdown_body_into(&mut out, changelog);
    out
}

fn markdown_body_into(out: &mut String, changelog: &Changelog) {
    for document in &changelog.documents {
        document_md(
            out,
            &document.document,
            &document.title,
            document.revisions.is_empty(),
        );
        for pair in &document.revisions {
            pair_md(out, pair, FROM_GENERATED);
        }
    }
    out.push_str(&markdown_tail(&changelog.drift, &changelog.conflicts));
}

/// `CHANGELOG.md` up to its first document.
pub fn markdown_head(versions: &Versions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!-- {HEADER} -->\n# Changelog\n");
    let _ = writeln!(
        out,
        "How the guidance for each error code changed between revisions and locales, newest \
         first. Dataset `{}`, schema `{}`. Also as [JSON](changelog.json); the newest {} \
         pairs as an [Atom feed](changelog.atom).\n",
        versions.dataset, versions.schema, FEED_ENTRIES
    );
    out
}

/// A document's heading in `CHANGELOG.md`; its pairs follow.
pub fn document_md(out: &mut String, document: &str, title: &str, alone: bool) {
    let _ = writeln!(out, "## {} (`{}`)\n", md_escape(title), document);
    if alone {
        out.push_str("One revision so far: nothing to compare.\n\n");
    }
}

/// `CHANGELOG.md` after its last document: locale drift and conflicts.
pub fn markdown_tail(drift: &[Drift], conflicts: &[Conflict]) -> String {
    let mut out = String::new();
    if !drift.is_empty() {
        out.push_str(DRIFT_HEAD);
        for drift in drift {
            drift_md(&mut out, drift);
        }
        out.push('\n');
    }
    out.push_str(&conflicts_md(conflicts));
    out
}

/// Opens the locale drift section, when there is drift.
pub const DRIFT_HEAD: &str = "## Locale drift\n\n";

/// One translated revision's drift, as a line of `CHANGELOG.md`.
pub fn drift_md(out: &mut String, drift: &Drift) {
    let codes = |list: &[String]| {
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(
        out,
        "- `{}` {} `{}` most likely translates en-us `{}` ({} codes shared). \
         Only in {}: {}. Missing from {}: {}.",
        drift.document,
        md_escape(&drift.locale),
        drift.revision,
        drift.likely_translates.as_deref().unwrap_or("(none)"),
        drift.shared,
        md_escape(&drift.locale),
        codes(&drift.only_here),
        md_escape(&drift.locale),
        codes(&drift.missing),
    );
}

/// The conflicts section of `CHANGELOG.md`, when there are conflicts.
pub fn conflicts_md(conflicts: &[Conflict]) -> String {
    let mut out = String::new();
    if !conflicts.is_empty() {
        out.push_str("## Codes that mean different things in different documents\n\n");
        out.push_str("| code | document | names | what it says |\n|---|---|---|---|\n");
        for conflict in conflicts {
            for meaning in &conflict.meanings {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` ({}) | {} | {} |",
                    conflict.code,
                    meaning.document,
                    md_escape(&meaning.locale),
                    md_escape(&meaning.names.join(", ")),
                    md_escape(&meaning.summary)
                );
            }
        }
        out.push('\n');
    }
    out
}

/// Escapes text for XML 1.0 content and attributes; characters XML cannot hold
/// become U+FFFD.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `2018-05-05` as an RFC 3339 instant; undated revisions sort first.
pub fn timestamp(date: Option<&str>) -> String {
    match date {
        Some(d) if d.len() == 10 && d.as_bytes()[4] == b'-' => format!("{d}T00:00:00Z"),
        _ => "1970-01-01T00:00:00Z".to_owned(),
    }
}

/// How many entries the feed carries: the newest. A feed is fetched whole on every
/// poll and read for what is new; the whole history is in `CHANGELOG.md` and
/// `changelog.json`.
pub const FEED_ENTRIES: usize = 100;

/// The feed: the [`FEED_ENTRIES`] newest pairs, newest first, in changelog order on
/// a tie.
pub fn atom(changelog: &Changelog, versions: &Versions) -> String {
    let pairs: Vec<&RevisionChanges> = changelog
        .documents
        .iter()
        .flat_map(|d| &d.revisions)
        .collect();
    let updated = pairs
        .iter()
        .map(|p| timestamp(p.new.date.as_deref()))
        .max()
        .unwrap_or_else(|| timestamp(None));
    let mut out = atom_head(&updated, versions);
    let mut sorted = pairs;
    sorted.sort_by_key(|p| std::cmp::Reverse(timestamp(p.new.date.as_deref())));
    for pair in sorted.into_iter().take(FEED_ENTRIES) {
        atom_entry(&mut out, pair);
    }
    out.push_str(ATOM_TAIL);
    out
}

/// What closes the feed.
pub const ATOM_TAIL: &str = "</feed>\n";

/// The feed up to its first entry; `updated` is its newest entry's timestamp.
pub fn atom_head(updated: &str, versions: &Versions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!-- {HEADER} -->");
    let _ = writeln!(out, "<feed xmlns=\"http://www.w3.org/2005/Atom\">");
    let _ = writeln!(out, "  <id>urn:errcat:changelog</id>");
    let _ = writeln!(
        out,
        "  <title>errcat: how the error-code guidance changed</title>"
    );
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">errcat</generator>",
        xml_escape(env!("CARGO_PKG_VERSION"))
    );
    let _ = writeln!(
        out,
        "  <subtitle>dataset {}</subtitle>",
        xml_escape(&versions.dataset)
    );
    out
}

/// One pair as a feed entry.
pub fn atom_entry(out: &mut String, pair: &RevisionChanges) {
    let mut summary = String::new();
    for rename in &pair.terminology {
        let _ = writeln!(
            summary,
            "terminology: \"{}\" → \"{}\" ({} entries)",
            rename.from,
            rename.to,
            rename.codes.len()
        );
    }
    for kind in ChangeKind::ALL {
        let codes: Vec<&str> = pair
            .changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.code.as_deref().or(c.field.as_deref()).unwrap_or("page"))
            .collect();
        if !codes.is_empty() {
            let _ = writeln!(summary, "{}: {}", kind.as_str(), codes.join(", "));
        }
    }
    let _ = writeln!(out, "  <entry>");
    let _ = writeln!(out, "    <id>urn:errcat:{}</id>", xml_escape(&pair.id));
    let _ = writeln!(
        out,
        "    <title>{} {}: {} → {}</title>",
        xml_escape(&pair.document),
        xml_escape(&pair.locale),
        xml_escape(&pair.old.revision),
        xml_escape(&pair.new.revision)
    );
    let _ = writeln!(
        out,
        "    <updated>{}</updated>",
        timestamp(pair.new.date.as_deref())
    );
    let _ = writeln!(out, "    <author><name>errcat</name></author>");
    let _ = writeln!(
        out,
        "    <content type=\"text\">{}</content>",
        xml_escape(&summary)
    );
    let _ = writeln!(out, "  </entry>");
}

/// One revision pair for a terminal: deletions red and struck, insertions green
/// and bold.
pub fn pair_ansi(pair: &RevisionChanges) -> String {
    const DEL: &str = "\x1b[9;31m";
    const INS: &str = "\x1b[1;32m";
    const DIM: &str = "\x1b[2m";
    const BOLD: &str = "\x1b[1m";
    const RESET: &str = "\x1b[0m";
    // Source text must not drive the terminal.
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{BOLD}{} {}: {} → {}{RESET}",
        clean(&pair.document),
        clean(&pair.locale),
        clean(&pair.old.revision),
        clean(&pair.new.revision)
    );
    for rename in &pair.terminology {
        let _ = writeln!(
            out,
            "  terminology: {DEL}{}{RESET} → {INS}{}{RESET} ({} entries)",
            clean(&rename.from),
            clean(&rename.to),
            rename.codes.len()
        );
    }
    for change in &pair.changes {
        let mut place = change.code.clone().unwrap_or_default();
        for part in change.section.iter().chain(change.field.iter()) {
            if !place.is_empty() {
                place.push_str(" › ");
            }
            place.push_str(part);
        }
        let _ = write!(
            out,
            "  {DIM}{}{RESET} {}: ",
            change.kind.as_str(),
            clean(&place)
        );
        if change.words.is_empty() {
            if let Some(old) = &change.old {
                let _ = write!(out, "{DEL}{}{RESET} ", clean(old));
            }
            if let Some(new) = &change.new {
                let _ = write!(out, "{INS}{}{RESET}", clean(new));
            }
        }
        for span in &change.words {
            let text = clean(&span.text);
            let _ = match span.op {
                SpanOp::Equal => write!(out, "{text}"),
                SpanOp::Delete => write!(out, "{DEL}{text}{RESET}"),
                SpanOp::Insert => write!(out, "{INS}{text}{RESET}"),
            };
        }
        out.push('\n');
    }
    out
}

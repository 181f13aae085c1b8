//! Word diffs on Unicode word boundaries, the phrases they replace, and the key
//! that tells an editorial change from a real one.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::{Span, SpanOp};

/// Below this share of kept text, a word diff is shown as one replacement: a
/// rewritten sentence reads better whole than as a soup of small edits.
const MIN_KEPT: f64 = 0.4;

/// Word diff on Unicode word boundaries, with runs of one kind joined.
pub fn words(old: &str, new: &str) -> Vec<Span> {
    let spans = word_spans(old, new);
    let kept: usize = spans
        .iter()
        .filter(|s| s.op == SpanOp::Equal && !s.text.trim().is_empty())
        .map(|s| s.text.chars().count())
        .sum();
    let longest = old.chars().count().max(new.chars().count()).max(1);
    if (kept as f64) / (longest as f64) >= MIN_KEPT || old.is_empty() || new.is_empty() {
        return joined_across_spaces(spans);
    }
    vec![
        Span {
            op: SpanOp::Delete,
            text: old.to_owned(),
        },
        Span {
            op: SpanOp::Equal,
            text: " ".to_owned(),
        },
        Span {
            op: SpanOp::Insert,
            text: new.to_owned(),
        },
    ]
}

/// Replacements that only a space keeps apart read as one: `Azure AD` replaced by
/// `Microsoft Entra ID`, not `Azure` by `Microsoft Entra` and `AD` by `ID`. Both
/// texts keep the space, so only replacements join (deleted and inserted text on
/// both sides of it); a run of changes is its deleted text, then its inserted text.
fn joined_across_spaces(spans: Vec<Span>) -> Vec<Span> {
    // Most diffs have no space between two changes: they stay as they are.
    let spaced = spans.windows(3).any(|w| {
        w[0].op != SpanOp::Equal
            && w[1].op == SpanOp::Equal
            && w[2].op != SpanOp::Equal
            && w[1].text.trim().is_empty()
    });
    if !spaced {
        return spans;
    }
    enum Run {
        Kept(String),
        Changed(String, String),
    }
    let replaces = |run: &Run| matches!(run, Run::Changed(d, i) if !d.is_empty() && !i.is_empty());
    let mut runs: Vec<Run> = Vec::new();
    for span in spans {
        match (span.op, runs.last_mut()) {
            (SpanOp::Equal, _) => runs.push(Run::Kept(span.text)),
            (SpanOp::Delete, Some(Run::Changed(deleted, _))) => deleted.push_str(&span.text),
            (SpanOp::Insert, Some(Run::Changed(_, inserted))) => inserted.push_str(&span.text),
            (SpanOp::Delete, _) => runs.push(Run::Changed(span.text, String::new())),
            (SpanOp::Insert, _) => runs.push(Run::Changed(String::new(), span.text)),
        }
    }
    let mut joined: Vec<Run> = Vec::with_capacity(runs.len());
    let mut runs = runs.into_iter().peekable();
    while let Some(run) = runs.next() {
        if let (Run::Kept(space), Some(last)) = (&run, joined.last_mut()) {
            if space.trim().is_empty() && replaces(last) && runs.peek().is_some_and(replaces) {
                if let (
                    Run::Changed(deleted, inserted),
                    Some(Run::Changed(more_deleted, more_inserted)),
                ) = (last, runs.next())
                {
                    deleted.extend([space.as_str(), &more_deleted]);
                    inserted.extend([space.as_str(), &more_inserted]);
                }
                continue;
            }
        }
        joined.push(run);
    }
    let mut out = Vec::with_capacity(joined.len());
    for run in joined {
        match run {
            Run::Kept(text) => out.push(Span {
                op: SpanOp::Equal,
                text,
            }),
            Run::Changed(deleted, inserted) => {
                for (op, text) in [(SpanOp::Delete, deleted), (SpanOp::Insert, inserted)] {
                    if !text.is_empty() {
                        out.push(Span { op, text });
                    }
                }
            }
        }
    }
    out
}

pub(super) fn word_spans(old: &str, new: &str) -> Vec<Span> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_unicode_words(old, new);
    let mut spans: Vec<Span> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => SpanOp::Equal,
            ChangeTag::Delete => SpanOp::Delete,
            ChangeTag::Insert => SpanOp::Insert,
        };
        let text = change.value();
        match spans.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => spans.push(Span {
                op,
                text: text.to_owned(),
            }),
        }
    }
    spans
}

/// The replaced phrases of a word diff: each (old, new) run between kept words.
pub(super) fn hunks(spans: &[Span]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut old, mut new) = (String::new(), String::new());
    for span in spans {
        match span.op {
            SpanOp::Delete => old.push_str(&span.text),
            SpanOp::Insert => new.push_str(&span.text),
            SpanOp::Equal if span.text.trim().is_empty() && !(old.is_empty() && new.is_empty()) => {
                old.push_str(&span.text);
                new.push_str(&span.text);
            }
            SpanOp::Equal => {
                flush_hunk(&mut old, &mut new, &mut out);
            }
        }
    }
    flush_hunk(&mut old, &mut new, &mut out);
    out
}

fn flush_hunk(old: &mut String, new: &mut String, out: &mut Vec<(String, String)>) {
    let (o, n) = (old.trim(), new.trim());
    if !o.is_empty() && !n.is_empty() && editorial_key(o) != editorial_key(n) {
        out.push((o.to_owned(), n.to_owned()));
    }
    old.clear();
    new.clear();
}

/// Text with whitespace and punctuation removed and case folded: equal keys differ
/// only editorially (`Log out.` and `log out`).
pub fn editorial_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        match c.is_ascii() {
            true => key.push(c.to_ascii_lowercase()),
            false => key.extend(c.to_lowercase()),
        }
    }
    key
}

//! Terminology renames: replacements that recur across the entries of one
//! revision pair, sentence-level first, then phrase by phrase.

use std::collections::{BTreeMap, BTreeSet};

use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::words::{editorial_key, hunks, word_spans};
use super::RENAME_MIN_ENTRIES;

/// Sentences of a text, without their closing punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => chars.peek().is_none_or(|(_, next)| next.is_whitespace()),
            _ => false,
        };
        if boundary {
            out.push(text[start..end].trim());
            start = end;
        }
    }
    out.push(text[start..].trim());
    out.into_iter()
        .map(|s| s.trim_end_matches(['.', '。', '!', '?', '！', '？']))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Two texts of one owner (a code, the steps, the title) to look for renames in.
pub(super) struct TextPair {
    owner: String,
    old: String,
    new: String,
}

impl TextPair {
    pub(super) fn new(owner: &str, old: String, new: String) -> Self {
        TextPair {
            owner: owner.to_owned(),
            old,
            new,
        }
    }
}

fn sentence_candidates(pair: &TextPair) -> Vec<(String, String)> {
    let old = sentences(&pair.old);
    let new = sentences(&pair.new);
    let old_keys: Vec<String> = old.iter().map(|s| editorial_key(s)).collect();
    let new_keys: Vec<String> = new.iter().map(|s| editorial_key(s)).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        if let DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } = op
        {
            if old_len == new_len {
                for k in 0..old_len {
                    out.push((old[old_index + k].to_owned(), new[new_index + k].to_owned()));
                }
            }
        }
    }
    out
}

/// Picks the replacements that recur across entries, sentence-level first. A
/// recurring sentence that differs by one phrase is that phrase renamed (`Azure AD`
/// → `Microsoft Entra ID`), not the sentence rewritten.
pub(super) fn find_renames(pairs: &[TextPair]) -> Vec<(String, String)> {
    let sentences = pick(
        pairs
            .iter()
            .map(|p| (p.owner.clone(), sentence_candidates(p))),
    );
    let mut renames: Vec<(String, String)> = Vec::with_capacity(sentences.len());
    for (old, new) in sentences {
        let renamed = match hunks(&word_spans(&old, &new)).as_slice() {
            [phrase] => phrase.clone(),
            _ => (old, new),
        };
        if !renames.contains(&renamed) {
            renames.push(renamed);
        }
    }
    // Longest first again, so that a sentence is replaced before a word inside it.
    renames.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    let residual: Vec<TextPair> = pairs
        .iter()
        .map(|p| TextPair {
            owner: p.owner.clone(),
            old: apply(&renames, &p.old),
            new: p.new.clone(),
        })
        .collect();
    let words_level = pick(
        residual
            .iter()
            .filter(|p| p.old != p.new)
            .map(|p| (p.owner.clone(), hunks(&word_spans(&p.old, &p.new)))),
    );
    renames.extend(words_level);
    renames
}

fn pick(
    candidates: impl Iterator<Item = (String, Vec<(String, String)>)>,
) -> Vec<(String, String)> {
    let mut owners: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (owner, found) in candidates {
        for candidate in found {
            owners.entry(candidate).or_default().insert(owner.clone());
        }
    }
    let mut picked: Vec<((String, String), usize)> = owners
        .into_iter()
        .filter(|(_, o)| o.len() >= RENAME_MIN_ENTRIES)
        .map(|(k, o)| (k, o.len()))
        .collect();
    // Longest first, so that a sentence is replaced before a word inside it.
    picked.sort_by(|a, b| b.0 .0.len().cmp(&a.0 .0.len()).then(a.0.cmp(&b.0)));
    picked.into_iter().map(|(k, _)| k).collect()
}

pub(super) fn apply(renames: &[(String, String)], text: &str) -> String {
    let mut out = text.to_owned();
    for (from, to) in renames {
        if out.contains(from.as_str()) {
            out = out.replace(from.as_str(), to);
        }
    }
    out
}

//! A code's conditions across two revisions: which old one each new one is, what
//! changed between two, and how a list of them reads as one line.

use std::borrow::Cow;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::ChangeKind;
use crate::model::Condition;

/// What two conditions in the same place say differently, field by field: the kind
/// of change, the field's name, the old text and the new. Most rows are unchanged,
/// so the fields are compared before any text is built.
pub(super) fn changed_fields<'c>(
    a: &'c Condition,
    b: &'c Condition,
) -> Vec<(ChangeKind, &'static str, Cow<'c, str>, Cow<'c, str>)> {
    let mut changed = Vec::new();
    if a.causes != b.causes {
        let (x, y) = (a.causes.join(" -or- "), b.causes.join(" -or- "));
        if x != y {
            changed.push((ChangeKind::CauseChanged, "causes", x.into(), y.into()));
        }
    }
    for (kind, name, x, y) in [
        (
            ChangeKind::MessageChanged,
            "message",
            &a.message,
            &b.message,
        ),
        (
            ChangeKind::MitigationChanged,
            "mitigation",
            &a.mitigation,
            &b.mitigation,
        ),
    ] {
        let (x, y) = (x.as_deref().unwrap_or(""), y.as_deref().unwrap_or(""));
        if x != y {
            changed.push((kind, name, x.into(), y.into()));
        }
    }
    changed
}

/// Rows merged into one, or one split into several: an entry's conditions compared
/// as a whole, not field by field.
pub(super) fn merged_or_split(n_old: usize, n_new: usize) -> bool {
    n_old != n_new && (n_old == 1 || n_new == 1)
}

/// Which old condition of an entry each new one is, as index pairs in order: each
/// the one at its place where the counts agree (`aligned` is `None`, and `n` the
/// count), else as [`paired_conditions`] aligned them.
pub(super) fn condition_pairs(
    n: usize,
    aligned: Option<&[(usize, usize)]>,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    let by_place = aligned.is_none().then(|| (0..n).map(|i| (i, i)));
    let aligned = aligned.into_iter().flatten().copied();
    by_place.into_iter().flatten().chain(aligned)
}

/// Where the counts of an entry's conditions differ, which old condition each new
/// one is: a condition pairs with the one that has its causes (its message where it
/// has none, its fix where it has neither), and the rest by their places between
/// those. A cause withdrawn from the middle of five leaves the other four paired
/// with themselves, not each with the one after it, whatever was rewritten in their
/// fixes.
pub(super) fn paired_conditions(old: &[Condition], new: &[Condition]) -> Vec<(usize, usize)> {
    fn key(c: &Condition) -> (&[String], Option<&str>, Option<&str>) {
        match (c.causes.is_empty(), c.message.as_deref()) {
            (false, _) => (&c.causes, None, None),
            (true, Some(message)) => (&[], Some(message), None),
            (true, None) => (&[], None, c.mitigation.as_deref()),
        }
    }
    let old_keys: Vec<_> = old.iter().map(key).collect();
    let new_keys: Vec<_> = new.iter().map(key).collect();
    let mut pairs = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => pairs.extend((0..len).map(|k| (old_index + k, new_index + k))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => pairs.extend((0..old_len.min(new_len)).map(|k| (old_index + k, new_index + k))),
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }
    pairs
}

/// A condition list as one line of text, for merged and split rows.
pub(super) fn render_conditions(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| {
            let mut parts = Vec::new();
            if !c.causes.is_empty() {
                parts.push(format!("cause: {}", c.causes.join(" -or- ")));
            }
            if let Some(m) = &c.message {
                parts.push(format!("message: {m}"));
            }
            if let Some(m) = &c.mitigation {
                parts.push(format!("mitigation: {m}"));
            }
            parts.join("; ")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

pub(super) fn lines(conditions: &[Condition]) -> Vec<usize> {
    conditions.iter().map(|c| c.source.line).collect()
}

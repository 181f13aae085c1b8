//! How the guidance changed: canonical revisions compared, not raw text.
//!
//! A document's revisions are chained per locale in manifest order. Entries match by
//! code, then by section. Every change has a stable kebab-case kind and a
//! fingerprint derived from its document, code, kind and content, so two runs give
//! the same ids and a reviewer's approval can be carried forward.
//!
//! Terminology renames are found, not listed: a replacement that recurs across at
//! least [`RENAME_MIN_ENTRIES`] entries of one revision pair is reported once, with
//! the codes it touched, and those entries do not repeat it. Changes to whitespace,
//! punctuation, markup or case only are `editorial`. Word diffs split on Unicode word
//! boundaries (UAX #29), so Japanese, which puts no spaces between words, still
//! diffs by word and character rather than by whole sentence.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::catalog::{Catalog, Conflict};
use crate::model::{Condition, Entry, Revision};

mod conditions;
mod drift;
mod renames;
mod words;

use conditions::{
    changed_fields, condition_pairs, lines, merged_or_split, paired_conditions, render_conditions,
};
pub use drift::{drift, DocumentCodes};
use renames::{apply, find_renames, TextPair};
pub use words::{editorial_key, words};

/// A replacement seen in this many entries of one revision pair is terminology.
pub const RENAME_MIN_ENTRIES: usize = 2;

/// The locale translations are compared against.
pub const SOURCE_LOCALE: &str = "en-us";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changelog {
    /// Sorted by document id.
    pub documents: Vec<DocumentChanges>,
    /// Each localized revision against the en-us revisions of its document.
    pub drift: Vec<Drift>,
    /// Codes that documents give different meanings.
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentChanges {
    pub document: String,
    /// The title of its newest revision.
    pub title: String,
    /// Newest first.
    pub revisions: Vec<RevisionChanges>,
}

/// What changed from one revision to the next in one locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionChanges {
    pub id: String,
    pub document: String,
    pub locale: String,
    pub old: RevisionRef,
    pub new: RevisionRef,
    /// Renames applied across many entries, each reported once.
    pub terminology: Vec<Rename>,
    /// Grouped by kind in [`ChangeKind`] order.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionRef {
    pub revision: String,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rename {
    pub id: String,
    pub from: String,
    pub to: String,
    /// The codes whose text it changed, sorted; `(steps)` and `(title)` for those.
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    CodeAdded,
    CodeWithdrawn,
    /// Several rows of a code became one: its conditions compared as a whole.
    ConditionsMerged,
    /// One row of a code became several.
    ConditionsSplit,
    /// A condition new beside the code's others, which each kept their match.
    ConditionAdded,
    /// A condition gone from beside the code's others, which each kept their match.
    ConditionWithdrawn,
    SectionMoved,
    /// A section whose codes all moved, together, to a section new in its place: a
    /// heading renamed, or translated where a locale is compared with another.
    SectionRenamed,
    NamesChanged,
    CauseChanged,
    MessageChanged,
    MitigationChanged,
    StepAdded,
    StepRemoved,
    StepChanged,
    MetadataChanged,
    Editorial,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 17] = [
        ChangeKind::CodeAdded,
        ChangeKind::CodeWithdrawn,
        ChangeKind::ConditionsMerged,
        ChangeKind::ConditionsSplit,
        ChangeKind::ConditionAdded,
        ChangeKind::ConditionWithdrawn,
        ChangeKind::SectionMoved,
        ChangeKind::SectionRenamed,
        ChangeKind::NamesChanged,
        ChangeKind::CauseChanged,
        ChangeKind::MessageChanged,
        ChangeKind::MitigationChanged,
        ChangeKind::StepAdded,
        ChangeKind::StepRemoved,
        ChangeKind::StepChanged,
        ChangeKind::MetadataChanged,
        ChangeKind::Editorial,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::CodeAdded => "code-added",
            ChangeKind::CodeWithdrawn => "code-withdrawn",
            ChangeKind::ConditionsMerged => "conditions-merged",
            ChangeKind::ConditionsSplit => "conditions-split",
            ChangeKind::ConditionAdded => "condition-added",
            ChangeKind::ConditionWithdrawn => "condition-withdrawn",
            ChangeKind::SectionMoved => "section-moved",
            ChangeKind::SectionRenamed => "section-renamed",
            ChangeKind::NamesChanged => "names-changed",
            ChangeKind::CauseChanged => "cause-changed",
            ChangeKind::MessageChanged => "message-changed",
            ChangeKind::MitigationChanged => "mitigation-changed",
            ChangeKind::StepAdded => "step-added",
            ChangeKind::StepRemoved => "step-removed",
            ChangeKind::StepChanged => "step-changed",
            ChangeKind::MetadataChanged => "metadata-changed",
            ChangeKind::Editorial => "editorial",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A heading for a group of changes of this kind.
    pub fn title(self) -> &'static str {
        match self {
            ChangeKind::CodeAdded => "Codes added",
            ChangeKind::CodeWithdrawn => "Codes withdrawn",
            ChangeKind::ConditionsMerged => "Rows merged",
            ChangeKind::ConditionsSplit => "Rows split",
            ChangeKind::ConditionAdded => "Conditions added",
            ChangeKind::ConditionWithdrawn => "Conditions withdrawn",
            ChangeKind::SectionMoved => "Moved to another section",
            ChangeKind::SectionRenamed => "Sections renamed",
            ChangeKind::NamesChanged => "Symbolic names changed",
            ChangeKind::CauseChanged => "Causes changed",
            ChangeKind::MessageChanged => "Messages changed",
            ChangeKind::MitigationChanged => "Mitigations changed",
            ChangeKind::StepAdded => "Steps added",
            ChangeKind::StepRemoved => "Steps removed",
            ChangeKind::StepChanged => "Steps changed",
            ChangeKind::MetadataChanged => "Page metadata changed",
            ChangeKind::Editorial => "Editorial changes",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    pub kind: ChangeKind,
    /// The code, for changes to an entry.
    pub code: Option<String>,
    /// The section in the new revision (the old one for a withdrawn code).
    pub section: Vec<String>,
    /// What the field was for a change, e.g. `title`, `applies_to`, `step 2`.
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The word diff from old to new, where both exist.
    pub words: Vec<Span>,
    pub old_lines: Vec<usize>,
    pub new_lines: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpanOp {
    Equal,
    Delete,
    Insert,
}

/// A run of words a diff kept, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub op: SpanOp,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub document: String,
    pub locale: String,
    pub revision: String,
    /// The en-us revision whose codes it shares most (Jaccard), latest on a tie.
    pub likely_translates: Option<String>,
    pub shared: usize,
    /// Codes only the translation has.
    pub only_here: Vec<String>,
    /// Codes the en-us revision has and the translation lacks.
    pub missing: Vec<String>,
}

/// Stable id: the first 16 hex digits of SHA-256 over the parts.
fn fingerprint(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
        text.push('\u{1f}');
    }
    crate::sha256_hex(text.as_bytes())[..16].to_owned()
}

/// One revision pair being compared.
struct Pair<'a> {
    old: &'a Revision,
    new: &'a Revision,
    renames: Vec<(String, String)>,
    /// Each rename's new term in lower case: a new text that has it in any case
    /// counts for the rename.
    folded_terms: Vec<String>,
    rename_codes: Vec<BTreeSet<String>>,
    /// Old sections renamed, each to its new path ([`renamed_sections`]).
    sections: BTreeMap<&'a [String], &'a [String]>,
    changes: Vec<Change>,
}

/// What a text change turned out to be.
enum Outcome {
    Same,
    /// Whitespace, punctuation, markup or case: the old text to show against the new.
    Editorial(String),
    Renamed,
    Changed(String),
}

impl<'a> Pair<'a> {
    fn classify(&mut self, owner: &str, old: &str, new: &str) -> Outcome {
        if old == new {
            return Outcome::Same;
        }
        let renamed = apply(&self.renames, old);
        if renamed != old {
            // The new text may open a sentence with the new term, or run it on.
            let folded = new.to_lowercase();
            for (i, ((from, _), to)) in self.renames.iter().zip(&self.folded_terms).enumerate() {
                if old.contains(from.as_str()) && folded.contains(to.as_str()) {
                    self.rename_codes[i].insert(owner.to_owned());
                }
            }
        }
        if renamed == new {
            Outcome::Renamed
        } else if editorial_key(old) == editorial_key(new) {
            Outcome::Editorial(old.to_owned())
        } else if editorial_key(&renamed) == editorial_key(new) {
            // What is left once the rename, reported on its own, is made.
            Outcome::Editorial(renamed)
        } else {
            Outcome::Changed(renamed)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn text_change(
        &mut self,
        kind: ChangeKind,
        code: Option<&str>,
        section: &[String],
        field: Option<String>,
        old: &str,
        new: &str,
        lines: (Vec<usize>, Vec<usize>),
    ) {
        let owner = code
            .unwrap_or(field.as_deref().unwrap_or_default())
            .to_owned();
        let (kind, shown_old) = match self.classify(&owner, old, new) {
            Outcome::Same | Outcome::Renamed => return,
            Outcome::Editorial(shown) => (ChangeKind::Editorial, shown),
            Outcome::Changed(renamed) => (kind, renamed),
        };
        let words = words(&shown_old, new);
        self.push(Change {
            id: String::new(),
            kind,
            code: code.map(str::to_owned),
            section: section.to_vec(),
            field,
            old: Some(old.to_owned()),
            new: Some(new.to_owned()),
            words,
            old_lines: lines.0,
            new_lines: lines.1,
        });
    }

    fn push(&mut self, mut change: Change) {
        let section = change.section.join("\u{1e}");
        change.id = fingerprint(&[
            &self.new.document,
            &self.new.locale,
            change.code.as_deref().unwrap_or_default(),
            &section,
            change.field.as_deref().unwrap_or_default(),
            change.kind.as_str(),
            change.old.as_deref().unwrap_or_default(),
            change.new.as_deref().unwrap_or_default(),
        ]);
        self.changes.push(change);
    }

    /// The word diff of rows merged or split: causes, then mitigations, each side's
    /// rows joined, so that the diff lines up field by field.
    fn rows_words(&self, old: &[Condition], new: &[Condition]) -> Vec<Span> {
        let join = |rows: &[Condition], field: fn(&Condition) -> String| {
            rows.iter()
                .map(field)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" -or- ")
        };
        let causes = |c: &Condition| c.causes.join(" -or- ");
        let mitigation = |c: &Condition| c.mitigation.clone().unwrap_or_default();
        let mut spans = vec![Span {
            op: SpanOp::Equal,
            text: "causes: ".to_owned(),
        }];
        spans.extend(words(
            &apply(&self.renames, &join(old, causes)),
            &join(new, causes),
        ));
        spans.push(Span {
            op: SpanOp::Equal,
            text: " · mitigations: ".to_owned(),
        });
        spans.extend(words(
            &apply(&self.renames, &join(old, mitigation)),
            &join(new, mitigation),
        ));
        spans
    }

    fn entry_change(&mut self, kind: ChangeKind, entry: &Entry, old_side: bool) {
        let text = render_conditions(&entry.conditions);
        let lines = lines(&entry.conditions);
        let (old, new, old_lines, new_lines) = if old_side {
            (Some(text), None, lines, Vec::new())
        } else {
            (None, Some(text), Vec::new(), lines)
        };
        self.push(Change {
            id: String::new(),
            kind,
            code: Some(entry.code.clone()),
            section: entry.section.clone(),
            field: None,
            old,
            new,
            words: Vec::new(),
            old_lines,
            new_lines,
        });
    }

    /// A change to a whole field of an entry (its section, its names), word-diffed.
    fn field_change(
        &mut self,
        kind: ChangeKind,
        field: &str,
        old: &Entry,
        new: &Entry,
        texts: (String, String),
    ) {
        let (o, n) = texts;
        self.push(Change {
            id: String::new(),
            kind,
            code: Some(new.code.clone()),
            section: new.section.clone(),
            field: Some(field.to_owned()),
            words: words(&o, &n),
            old: Some(o),
            new: Some(n),
            old_lines: lines(&old.conditions),
            new_lines: lines(&new.conditions),
        });
    }

    fn entries(&mut self, old: &Entry, new: &Entry) {
        let code = new.code.as_str();
        let renamed = self.sections.get(old.section.as_slice()) == Some(&new.section.as_slice());
        if (old.section != new.section && !renamed) || old.kind != new.kind {
            let texts = (old.section.join(" › "), new.section.join(" › "));
            self.field_change(ChangeKind::SectionMoved, "section", old, new, texts);
        }
        if old.names != new.names {
            let texts = (old.names.join(", "), new.names.join(", "));
            self.field_change(ChangeKind::NamesChanged, "names", old, new, texts);
        }
        let (n_old, n_new) = (old.conditions.len(), new.conditions.len());
        if merged_or_split(n_old, n_new) {
            let kind = if n_old > n_new {
                ChangeKind::ConditionsMerged
            } else {
                ChangeKind::ConditionsSplit
            };
            let (o, n) = (
                render_conditions(&old.conditions),
                render_conditions(&new.conditions),
            );
            let words = self.rows_words(&old.conditions, &new.conditions);
            self.push(Change {
                id: String::new(),
                kind,
                code: Some(code.to_owned()),
                section: new.section.clone(),
                field: Some(format!("{n_old} rows → {n_new}")),
                words,
                old: Some(o),
                new: Some(n),
                old_lines: lines(&old.conditions),
                new_lines: lines(&new.conditions),
            });
            return;
        }
        let aligned = (n_old != n_new).then(|| paired_conditions(&old.conditions, &new.conditions));
        for (i, j) in condition_pairs(n_old, aligned.as_deref()) {
            let (a, b) = (&old.conditions[i], &new.conditions[j]);
            for (kind, name, x, y) in changed_fields(a, b) {
                let field = (n_new > 1).then(|| format!("{name}, row {}", j + 1));
                let row = (vec![a.source.line], vec![b.source.line]);
                self.text_change(kind, Some(code), &new.section, field, &x, &y, row);
            }
        }
        let Some(pairs) = aligned else {
            return;
        };
        let (mut old_paired, mut new_paired) = (vec![false; n_old], vec![false; n_new]);
        for &(i, j) in &pairs {
            (old_paired[i], new_paired[j]) = (true, true);
        }
        let field = format!("{n_old} rows → {n_new}");
        for (kind, conditions, paired) in [
            (ChangeKind::ConditionWithdrawn, &old.conditions, &old_paired),
            (ChangeKind::ConditionAdded, &new.conditions, &new_paired),
        ] {
            let unpaired: Vec<Condition> = (conditions.iter().zip(paired))
                .filter(|&(_, &p)| !p)
                .map(|(c, _)| c.clone())
                .collect();
            if unpaired.is_empty() {
                continue;
            }
            let these = (Some(render_conditions(&unpaired)), lines(&unpaired));
            let ((old_text, old_lines), (new_text, new_lines)) = match kind {
                ChangeKind::ConditionWithdrawn => (these, (None, Vec::new())),
                _ => ((None, Vec::new()), these),
            };
            self.push(Change {
                id: String::new(),
                kind,
                code: Some(code.to_owned()),
                section: new.section.clone(),
                field: Some(field.clone()),
                words: Vec::new(),
                old: old_text,
                new: new_text,
                old_lines,
                new_lines,
            });
        }
    }
}

/// The sections of `old` whose every entry that `new` keeps is in one section of
/// `new`, where `old` had no such section and `new` no longer has the old one, each
/// with its new path: a heading renamed, or translated. Two that became one are
/// not renamed, nor is one whose entries went their separate ways.
fn renamed_sections<'r>(
    old: &'r Revision,
    new: &'r Revision,
    matched: &[(&'r Entry, &'r Entry)],
) -> BTreeMap<&'r [String], &'r [String]> {
    // Most revisions move no code.
    if matched.iter().all(|(o, n)| o.section == n.section) {
        return BTreeMap::new();
    }
    let sections = |r: &'r Revision| -> BTreeSet<&'r [String]> {
        r.entries.iter().map(|e| e.section.as_slice()).collect()
    };
    let (old_sections, new_sections) = (sections(old), sections(new));
    let mut to: BTreeMap<&[String], Option<&[String]>> = BTreeMap::new();
    for (o, n) in matched {
        let target = to.entry(&o.section).or_insert(Some(&n.section));
        if *target != Some(n.section.as_slice()) {
            *target = None;
        }
    }
    let mut targets: BTreeMap<&[String], usize> = BTreeMap::new();
    for target in to.values().flatten() {
        *targets.entry(target).or_default() += 1;
    }
    (to.into_iter())
        .filter_map(|(from, to)| Some((from, to?)))
        .filter(|&(from, to)| {
            from != to
                && targets[to] == 1
                && !new_sections.contains(from)
                && !old_sections.contains(to)
        })
        .collect()
}

/// Each renamed section once, with the codes it holds, in place of a move per code.
fn section_renames(pair: &mut Pair<'_>, matched: &[(&Entry, &Entry)]) {
    let renames: Vec<(&[String], &[String])> = pair
        .sections
        .iter()
        .map(|(&from, &to)| (from, to))
        .collect();
    for (from, to) in renames {
        let first_line = |e: &Entry| e.conditions.first().map_or(0, |c| c.source.line);
        let mut moved: Vec<&(&Entry, &Entry)> = (matched.iter())
            .filter(|(o, n)| o.section == from && n.section == to)
            .collect();
        moved.sort_by_key(|(o, _)| first_line(o));
        let codes: Vec<&str> = moved.iter().map(|(o, _)| o.code.as_str()).collect();
        // Where the section's rows begin on each side.
        let old_lines = moved.iter().map(|(o, _)| first_line(o)).min();
        let new_lines = moved.iter().map(|(_, n)| first_line(n)).min();
        let (old, new) = (from.join(" › "), to.join(" › "));
        pair.push(Change {
            id: String::new(),
            kind: ChangeKind::SectionRenamed,
            code: None,
            section: to.to_vec(),
            field: Some(format!("section of {}", codes.join(", "))),
            words: words(&old, &new),
            old: Some(old),
            new: Some(new),
            old_lines: old_lines.into_iter().collect(),
            new_lines: new_lines.into_iter().collect(),
        });
    }
}

/// Old and new entries paired by code, then by section; the rest are added or withdrawn.
fn match_entries<'r>(
    old: &'r Revision,
    new: &'r Revision,
) -> (Vec<(&'r Entry, &'r Entry)>, Vec<&'r Entry>, Vec<&'r Entry>) {
    let mut by_code: BTreeMap<&str, (Vec<&Entry>, Vec<&Entry>)> = BTreeMap::new();
    for e in &old.entries {
        by_code.entry(&e.code).or_default().0.push(e);
    }
    for e in &new.entries {
        by_code.entry(&e.code).or_default().1.push(e);
    }
    let (mut matched, mut withdrawn, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for (mut olds, mut news) in by_code.into_values() {
        olds.retain(|o| {
            match news
                .iter()
                .position(|n| n.section == o.section && n.kind == o.kind)
            {
                Some(at) => {
                    matched.push((*o, news.remove(at)));
                    false
                }
                None => true,
            }
        });
        let paired = olds.len().min(news.len());
        for (o, n) in olds.drain(..paired).zip(news.drain(..paired)) {
            matched.push((o, n));
        }
        withdrawn.extend(olds);
        added.extend(news);
    }
    (matched, withdrawn, added)
}

fn revision_ref(revision: &Revision, date: Option<&str>) -> RevisionRef {
    RevisionRef {
        revision: revision.revision.clone(),
        source: revision.source.clone(),
        title: revision.title.clone(),
        date: date.map(str::to_owned),
    }
}

/// What changed from `old` to `new`. `dates` gives each revision's date, where known.
pub fn revisions(
    old: &Revision,
    new: &Revision,
    dates: (Option<&str>, Option<&str>),
) -> RevisionChanges {
    let (matched, withdrawn, added) = match_entries(old, new);
    let mut texts = Vec::new();
    for (o, n) in &matched {
        // The conditions compared field by field, as `entries` pairs them.
        let (n_old, n_new) = (o.conditions.len(), n.conditions.len());
        if merged_or_split(n_old, n_new) {
            continue;
        }
        let aligned = (n_old != n_new).then(|| paired_conditions(&o.conditions, &n.conditions));
        for (i, j) in condition_pairs(n_old, aligned.as_deref()) {
            for (_, _, x, y) in changed_fields(&o.conditions[i], &n.conditions[j]) {
                texts.push(TextPair::new(&n.code, x.into_owned(), y.into_owned()));
            }
        }
    }
    for (a, b) in old.steps.iter().zip(&new.steps) {
        texts.push(TextPair::new("(steps)", a.clone(), b.clone()));
    }
    texts.push(TextPair::new(
        "(title)",
        old.title.clone(),
        new.title.clone(),
    ));
    let renames = find_renames(&texts);
    let mut pair = Pair {
        old,
        new,
        rename_codes: vec![BTreeSet::new(); renames.len()],
        folded_terms: renames.iter().map(|(_, to)| to.to_lowercase()).collect(),
        renames,
        sections: renamed_sections(old, new, &matched),
        changes: Vec::new(),
    };
    section_renames(&mut pair, &matched);
    for entry in &added {
        pair.entry_change(ChangeKind::CodeAdded, entry, false);
    }
    for entry in &withdrawn {
        pair.entry_change(ChangeKind::CodeWithdrawn, entry, true);
    }
    for (o, n) in &matched {
        pair.entries(o, n);
    }
    steps(&mut pair);
    metadata(&mut pair);
    let mut changes = std::mem::take(&mut pair.changes);
    let mut position: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, entry) in new.entries.iter().chain(&old.entries).enumerate() {
        position.entry(entry.code.as_str()).or_insert(i);
    }
    changes.sort_by_key(|c| {
        (
            c.kind,
            c.code
                .as_deref()
                .and_then(|code| position.get(code).copied())
                .unwrap_or(usize::MAX),
        )
    });
    let terminology = pair
        .renames
        .iter()
        .zip(&pair.rename_codes)
        .filter(|(_, codes)| !codes.is_empty())
        .map(|((from, to), codes)| Rename {
            id: fingerprint(&[&new.document, &new.locale, "terminology", from, to]),
            from: from.clone(),
            to: to.clone(),
            codes: codes.iter().cloned().collect(),
        })
        .collect();
    RevisionChanges {
        id: fingerprint(&[&new.document, &new.locale, &old.revision, &new.revision]),
        document: new.document.clone(),
        locale: new.locale.clone(),
        old: revision_ref(old, dates.0),
        new: revision_ref(new, dates.1),
        terminology,
        changes,
    }
}

fn steps(pair: &mut Pair<'_>) {
    let (old, new) = (pair.old, pair.new);
    let key = |renames: &[(String, String)], s: &str| editorial_key(&apply(renames, s));
    let old_keys: Vec<String> = old.steps.iter().map(|s| key(&pair.renames, s)).collect();
    let new_keys: Vec<String> = new.steps.iter().map(|s| key(&[], s)).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                for (i, j) in old_range.zip(new_range) {
                    let field = Some(format!("step {}", j + 1));
                    pair.text_change(
                        ChangeKind::StepChanged,
                        None,
                        &[],
                        field,
                        &old.steps[i],
                        &new.steps[j],
                        (Vec::new(), Vec::new()),
                    );
                }
            }
            _ => {
                let common = old_range.len().min(new_range.len());
                for k in 0..old_range.len().max(new_range.len()) {
                    let (i, j) = (old_range.start + k, new_range.start + k);
                    let (o, n) = (
                        old.steps.get(i).filter(|_| k < old_range.len()),
                        new.steps.get(j).filter(|_| k < new_range.len()),
                    );
                    match (o, n) {
                        (Some(o), Some(n)) if k < common => pair.text_change(
                            ChangeKind::StepChanged,
                            None,
                            &[],
                            Some(format!("step {}", j + 1)),
                            o,
                            n,
                            (Vec::new(), Vec::new()),
                        ),
                        (Some(o), _) => step_edge(pair, ChangeKind::StepRemoved, i, Some(o), None),
                        (_, Some(n)) => step_edge(pair, ChangeKind::StepAdded, j, None, Some(n)),
                        (None, None) => {}
                    }
                }
            }
        }
    }
}

fn step_edge(
    pair: &mut Pair<'_>,
    kind: ChangeKind,
    index: usize,
    old: Option<&String>,
    new: Option<&String>,
) {
    pair.push(Change {
        id: String::new(),
        kind,
        code: None,
        section: Vec::new(),
        field: Some(format!("step {}", index + 1)),
        old: old.cloned(),
        new: new.cloned(),
        words: Vec::new(),
        old_lines: Vec::new(),
        new_lines: Vec::new(),
    });
}

/// The metadata reviewers follow: title, applies-to, author.
fn metadata(pair: &mut Pair<'_>) {
    let (old, new) = (pair.old, pair.new);
    pair.text_change(
        ChangeKind::MetadataChanged,
        None,
        &[],
        Some("title".to_owned()),
        &old.title,
        &new.title,
        (Vec::new(), Vec::new()),
    );
    for key in ["applies_to", "author"] {
        let text = |r: &Revision| match r.metadata.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let (o, n) = (text(old), text(new));
        pair.text_change(
            ChangeKind::MetadataChanged,
            None,
            &[],
            Some(key.to_owned()),
            &o,
            &n,
            (Vec::new(), Vec::new()),
        );
    }
}

/// A revision with its date, where known.
pub type Dated<'a> = (&'a Revision, Option<&'a str>);

/// Revisions grouped per document and locale, in that order, each chain in manifest
/// order.
pub fn chains<'r, 'a>(revisions: &'r [Dated<'a>]) -> Vec<Vec<&'r Dated<'a>>> {
    crate::group_by(revisions, |a, b| a.0.chain().cmp(&b.0.chain()))
}

/// The changelog of a dataset: revisions in manifest order, each with its date.
pub fn changelog(revisions: &[Dated<'_>], catalog: &Catalog) -> Changelog {
    let chains = chains(revisions);
    let pairs: Vec<(&Dated<'_>, &Dated<'_>)> = chains
        .iter()
        .flat_map(|chain| chain.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let compared = crate::parallel_map(&pairs, crate::threads(), |(old, new)| {
        self::revisions(old.0, new.0, (old.1, new.1))
    });
    let mut titles: BTreeMap<String, DocumentTitle> = BTreeMap::new();
    for (index, (r, _)) in revisions.iter().enumerate() {
        let title = titles.entry(r.document.clone()).or_default();
        title.add(index, &r.locale, &r.title);
    }
    // A document's drift is its own: each is worked out on the next free thread.
    let documents = crate::group_by(revisions.iter().map(|(revision, _)| *revision), |a, b| {
        a.document.cmp(&b.document)
    });
    let drift = crate::parallel_map(&documents, crate::threads(), |document| drift(document))
        .into_iter()
        .flatten()
        .collect();
    assemble(compared, titles, drift, catalog.conflicts.clone())
}

/// A document's title: its newest en-us revision's, or where no en-us revision has
/// one, its earliest revision's in any locale. Its revisions may come in any order,
/// each with its manifest index: only the best title so far is kept, so that a long
/// history adds nothing to what is held.
#[derive(Debug, Default)]
pub struct DocumentTitle {
    source: Option<(usize, String)>,
    translated: Option<(usize, String)>,
}

impl DocumentTitle {
    /// Takes in the title of the revision at `index` in the manifest.
    pub fn add(&mut self, index: usize, locale: &str, title: &str) {
        if !title.is_empty() {
            self.offer(locale == SOURCE_LOCALE, index, || title.to_owned());
        }
    }

    /// Takes in every title `other` took.
    pub fn merge(&mut self, other: DocumentTitle) {
        for (source, kept) in [(true, other.source), (false, other.translated)] {
            if let Some((index, title)) = kept {
                self.offer(source, index, || title);
            }
        }
    }

    pub fn title(self) -> String {
        self.source
            .or(self.translated)
            .map(|(_, title)| title)
            .unwrap_or_default()
    }

    /// Keeps the title of the revision at `index` if it comes before the one kept:
    /// the newest in en-us (`source`), the earliest in any other locale.
    fn offer(&mut self, source: bool, index: usize, title: impl FnOnce() -> String) {
        let slot = if source {
            &mut self.source
        } else {
            &mut self.translated
        };
        let before = slot
            .as_ref()
            .is_none_or(|(kept, _)| if source { index > *kept } else { index < *kept });
        if before {
            *slot = Some((index, title()));
        }
    }
}

/// The changelog from compared pairs (chains in (document, locale) order, each in
/// manifest order) and each document's title.
pub fn assemble(
    compared: Vec<RevisionChanges>,
    titles: BTreeMap<String, DocumentTitle>,
    drift: Vec<Drift>,
    conflicts: Vec<Conflict>,
) -> Changelog {
    let mut documents: BTreeMap<String, DocumentChanges> = titles
        .into_iter()
        .map(|(document, title)| {
            let changes = DocumentChanges {
                document: document.clone(),
                title: title.title(),
                revisions: Vec::new(),
            };
            (document, changes)
        })
        .collect();
    for pair in compared {
        if let Some(doc) = documents.get_mut(pair.document.as_str()) {
            doc.revisions.push(pair);
        }
    }
    let mut documents: Vec<DocumentChanges> = documents.into_values().collect();
    for doc in &mut documents {
        // Newest first: later in its chain, then by locale.
        doc.revisions.reverse();
        doc.revisions.sort_by_key(|r| r.locale != SOURCE_LOCALE);
    }
    Changelog {
        documents,
        drift,
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Taken in any order, or in parts merged, a document's title is its newest
        /// en-us title, else its earliest title in any locale; an empty title never
        /// counts.
        #[test]
        fn a_documents_title_is_the_same_in_any_order(
            titles in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["en-us", "de-de", "ja-jp"]),
                    proptest::sample::select(vec!["", "A", "B", "C"]),
                ),
                0..12,
            ),
        ) {
            let nonempty = || titles.iter().filter(|(_, t)| !t.is_empty());
            let expected = nonempty()
                .rfind(|(l, _)| *l == SOURCE_LOCALE)
                .or_else(|| nonempty().next())
                .map_or("", |(_, t)| *t);
            let mut forward = DocumentTitle::default();
            let mut backward = DocumentTitle::default();
            let (mut even, mut odd) = (DocumentTitle::default(), DocumentTitle::default());
            for (i, (locale, title)) in titles.iter().enumerate() {
                forward.add(i, locale, title);
                if i % 2 == 0 { &mut even } else { &mut odd }.add(i, locale, title);
            }
            for (i, (locale, title)) in titles.iter().enumerate().rev() {
                backward.add(i, locale, title);
            }
            odd.merge(even);
            proptest::prop_assert_eq!(forward.title(), expected);
            proptest::prop_assert_eq!(backward.title(), expected);
            proptest::prop_assert_eq!(odd.title(), expected);
        }
    }
}

//! The catalogue: every code across documents, locales and revisions, keyed by code.
//!
//! Revisions are chained per document and locale in manifest order. A code's
//! *context* is one place a page gives it (document, locale, section, kind); the
//! catalogue keeps each context's latest conditions, the revision it first appeared
//! in, the one it last changed in, and `withdrawn_in` once the latest revision of its
//! document no longer has it. Codes are never deleted. Not for diffs: see `diff`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::model::{Condition, EntryKind, Revision};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Sorted by code.
    pub codes: Vec<CodeRecord>,
    /// Codes whose documents give them different meanings.
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub code: String,
    pub value: Option<u32>,
    /// Every symbolic name any context gives, sorted.
    pub names: Vec<String>,
    /// Sorted by document, locale, section, kind.
    pub contexts: Vec<Context>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    pub document: String,
    pub locale: String,
    pub section: Vec<String>,
    pub kind: EntryKind,
    pub names: Vec<String>,
    /// The revision the conditions below come from: the latest that has this context.
    pub revision: String,
    pub first_seen: String,
    pub last_changed: String,
    /// The first revision of the document (in this locale) that no longer has it.
    pub withdrawn_in: Option<String>,
    pub conditions: Vec<Condition>,
}

/// One code that two documents describe differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub code: String,
    pub reason: String,
    /// What each document says, one line each.
    pub meanings: Vec<Meaning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meaning {
    pub document: String,
    pub locale: String,
    pub names: Vec<String>,
    pub summary: String,
}

/// Builds the catalogue from revisions in manifest order, folding the chains on
/// every thread.
pub fn build<'a>(revisions: impl IntoIterator<Item = &'a Revision>) -> Catalog {
    let chains = crate::group_by(revisions, |a, b| a.chain().cmp(&b.chain()));
    let threads = crate::threads();
    let merger = Merger::default();
    crate::parallel_map(&chains, threads, |chain| {
        let mut fold = Chain::default();
        for revision in chain {
            fold.add(revision);
        }
        merger.add(fold);
    });
    merger.finish(threads)
}

/// One document in one locale, folded revision by revision in manifest order: the
/// catalogue's share of a chain, held without the revisions themselves. Kept as
/// JSON in the record of the chain's fold.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Chain {
    codes: BTreeMap<String, ChainCode>,
    /// Revisions folded so far: the mark of the latest.
    folded: u32,
}

/// One code of a chain: its value, every name any revision gave it, and its
/// contexts, each with the mark of the last revision that had it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChainCode {
    value: Option<u32>,
    names: Vec<String>,
    contexts: Vec<(u32, Context)>,
}

impl Chain {
    /// Folds in the chain's next revision. Most entries repeat the revision
    /// before, so nothing is copied for them but the revision's label.
    pub fn add(&mut self, revision: &Revision) {
        self.folded += 1;
        let mark = self.folded;
        for entry in &revision.entries {
            let code = match self.codes.get_mut(entry.code.as_str()) {
                Some(code) => code,
                None => self
                    .codes
                    .entry(entry.code.clone())
                    .or_insert_with(|| ChainCode {
                        value: entry.value,
                        names: Vec::new(),
                        contexts: Vec::new(),
                    }),
            };
            // Each revision repeats the names: keep one of each, or a chain's
            // memory would grow with its revisions.
            for name in &entry.names {
                if !code.names.contains(name) {
                    code.names.push(name.clone());
                }
            }
            let found = code.contexts.iter_mut().find(|(_, c)| {
                c.section == entry.section
                    && c.kind == entry.kind
                    && c.document == revision.document
                    && c.locale == revision.locale
            });
            match found {
                Some((seen, context)) => {
                    *seen = mark;
                    // Equal conditions are the same content; rows that only moved
                    // lines are too, but their places are the latest revision's.
                    let equal = context.conditions == entry.conditions;
                    if !(equal || same_conditions(&context.conditions, &entry.conditions))
                        || context.names != entry.names
                        || context.withdrawn_in.is_some()
                    {
                        context.last_changed.clone_from(&revision.revision);
                    }
                    if !equal {
                        context.conditions.clone_from(&entry.conditions);
                    }
                    if context.names != entry.names {
                        context.names.clone_from(&entry.names);
                    }
                    context.revision.clone_from(&revision.revision);
                    context.withdrawn_in = None;
                }
                None => code.contexts.push((
                    mark,
                    Context {
                        document: revision.document.clone(),
                        locale: revision.locale.clone(),
                        section: entry.section.clone(),
                        kind: entry.kind,
                        names: entry.names.clone(),
                        revision: revision.revision.clone(),
                        first_seen: revision.revision.clone(),
                        last_changed: revision.revision.clone(),
                        withdrawn_in: None,
                        conditions: entry.conditions.clone(),
                    },
                )),
            }
        }
        for code in self.codes.values_mut() {
            for (seen, context) in &mut code.contexts {
                if *seen != mark && context.withdrawn_in.is_none() {
                    context.withdrawn_in = Some(revision.revision.clone());
                }
            }
        }
    }
}

/// The catalogue, merged chain by chain while later chains are still being folded,
/// by the thread that folded each: merging frees most of a chain's share, and a
/// thread frees what it allocated without waiting on another thread's allocator
/// (BENCHMARKS.md, "Machine"). The chains may come in any order: `finish` sorts each
/// code's names and contexts, and the contexts of a chain are all of its document
/// and locale.
#[derive(Debug, Default)]
pub struct Merger {
    codes: Mutex<BTreeMap<String, CodeRecord>>,
}

impl Merger {
    pub fn add(&self, chain: Chain) {
        let mut codes = crate::lock(&self.codes);
        for (code, folded) in chain.codes {
            let record = match codes.get_mut(&code) {
                Some(record) => record,
                None => codes.entry(code.clone()).or_insert(CodeRecord {
                    code,
                    value: folded.value,
                    names: Vec::new(),
                    contexts: Vec::new(),
                }),
            };
            record.names.extend(folded.names);
            record
                .contexts
                .extend(folded.contexts.into_iter().map(|(_, context)| context));
        }
    }

    /// The catalogue: each code's names and contexts in order, and its conflicts,
    /// worked out on up to `threads` threads.
    pub fn finish(self, threads: usize) -> Catalog {
        let mut codes: Vec<CodeRecord> = crate::unlocked(self.codes).into_values().collect();
        // A run of codes a thread, each with the conflicts found in it.
        let run = codes.len().div_ceil(threads.max(1)).max(1);
        let mut runs: Vec<(&mut [CodeRecord], Vec<Conflict>)> =
            codes.chunks_mut(run).map(|run| (run, Vec::new())).collect();
        crate::parallel_for_each(&mut runs, threads, |(records, conflicts)| {
            for record in records.iter_mut() {
                record.names.sort();
                record.names.dedup();
                record.contexts.sort_by(|a, b| {
                    (&a.document, &a.locale, &a.section, a.kind).cmp(&(
                        &b.document,
                        &b.locale,
                        &b.section,
                        b.kind,
                    ))
                });
                conflicts.extend(conflict(record));
            }
        });
        let conflicts = runs.into_iter().flat_map(|(_, found)| found).collect();
        Catalog { codes, conflicts }
    }
}

/// Same conditions, wherever their rows were.
fn same_conditions(a: &[Condition], b: &[Condition]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_content(y))
}

/// A code is in conflict when two documents give it and share no symbolic name for it:
/// translations of one document are one meaning, and a shared name says the pages
/// mean the same error.
fn conflict(record: &CodeRecord) -> Option<Conflict> {
    let mut by_document: BTreeMap<&str, (BTreeSet<&str>, &Context)> = BTreeMap::new();
    for context in &record.contexts {
        let slot = by_document
            .entry(context.document.as_str())
            .or_insert_with(|| (BTreeSet::new(), context));
        slot.0.extend(context.names.iter().map(String::as_str));
        if context.locale == crate::reconcile::DEFAULT_LOCALE && slot.1.locale != context.locale {
            slot.1 = context;
        }
    }
    if by_document.len() < 2 {
        return None;
    }
    let name_sets: Vec<&BTreeSet<&str>> = by_document.values().map(|(n, _)| n).collect();
    let shared = name_sets
        .iter()
        .skip(1)
        .all(|names| !names.is_disjoint(name_sets[0]) && !names.is_empty());
    if shared {
        return None;
    }
    let meanings = by_document
        .values()
        .map(|(names, context)| Meaning {
            document: context.document.clone(),
            locale: context.locale.clone(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            summary: summary(context),
        })
        .collect();
    Some(Conflict {
        code: record.code.clone(),
        reason: "documents give it without a shared symbolic name".to_owned(),
        meanings,
    })
}

/// The first thing a context says: a cause, else the message, else the mitigation.
fn summary(context: &Context) -> String {
    context
        .conditions
        .iter()
        .find_map(|c| {
            c.causes
                .first()
                .cloned()
                .or_else(|| c.message.clone())
                .or_else(|| c.mitigation.clone())
        })
        .unwrap_or_default()
}

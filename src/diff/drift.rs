//! Locale drift: which codes each translation has that its en-us source lacks, and
//! the reverse.

use std::collections::{BTreeMap, HashMap};

use super::{Drift, SOURCE_LOCALE};
use crate::model::Revision;

/// The code sets of one document's revisions, for drift. Each set is a bitset over
/// the codes any revision of the document lists, so that a long history holds a
/// few words a revision, and comparing two revisions is counting bits.
#[derive(Debug)]
pub struct DocumentCodes {
    document: String,
    /// Each code any revision lists, with its number in the order first seen.
    numbers: HashMap<String, usize>,
    /// Each revision, in manifest order: its locale, its label, and its codes, a bit
    /// each at its number.
    revisions: Vec<(String, String, Vec<u64>)>,
}

/// One revision's codes among its document's, one bit each.
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn new(words: Vec<u64>) -> Self {
        let len = words.iter().map(|w| w.count_ones() as usize).sum();
        Bits { words, len }
    }

    fn has(words: &[u64], code: usize) -> bool {
        words
            .get(code / 64)
            .is_some_and(|word| word & (1 << (code % 64)) != 0)
    }

    fn set(words: &mut Vec<u64>, code: usize) {
        if words.len() <= code / 64 {
            words.resize(code / 64 + 1, 0);
        }
        words[code / 64] |= 1 << (code % 64);
    }

    fn shared(&self, other: &Bits) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

impl DocumentCodes {
    pub fn new(document: &str) -> Self {
        DocumentCodes {
            document: document.to_owned(),
            numbers: HashMap::new(),
            revisions: Vec::new(),
        }
    }

    /// The next revision, in manifest order, and its codes.
    pub fn add<'a>(
        &mut self,
        locale: &str,
        revision: &str,
        codes: impl IntoIterator<Item = &'a str>,
    ) {
        let mut words = Vec::new();
        for code in codes {
            let number = match self.numbers.get(code) {
                Some(&number) => number,
                None => {
                    let number = self.numbers.len();
                    self.numbers.insert(code.to_owned(), number);
                    number
                }
            };
            Bits::set(&mut words, number);
        }
        self.revisions
            .push((locale.to_owned(), revision.to_owned(), words));
    }

    /// Compares each localized revision with the en-us revisions: with the one whose
    /// codes it shares most (Jaccard), the latest on a tie. Sorted by locale, then
    /// revision.
    pub fn drift(self) -> Vec<Drift> {
        // The codes in order, and each code's number in that order.
        let mut codes: Vec<(String, usize)> = self.numbers.into_iter().collect();
        codes.sort_unstable();
        let mut rank = vec![0; codes.len()];
        for (at, (_, first_seen)) in codes.iter().enumerate() {
            rank[*first_seen] = at;
        }
        // Each set renumbered in code order, so that walking its bits walks its codes
        // in order.
        let revisions: Vec<(String, String, Bits)> = self
            .revisions
            .into_iter()
            .map(|(locale, revision, first_seen)| {
                let mut words = vec![0; codes.len().div_ceil(64)];
                for (number, &at) in rank.iter().enumerate() {
                    if Bits::has(&first_seen, number) {
                        Bits::set(&mut words, at);
                    }
                }
                (locale, revision, Bits::new(words))
            })
            .collect();
        let sources: Vec<&(String, String, Bits)> = revisions
            .iter()
            .filter(|(locale, _, _)| locale == SOURCE_LOCALE)
            .collect();
        let none = Bits {
            words: Vec::new(),
            len: 0,
        };
        let mut out = Vec::new();
        for (locale, revision, bits) in revisions.iter().filter(|r| r.0 != SOURCE_LOCALE) {
            let mut best: Option<(&str, &Bits, f64)> = None;
            for (_, source, theirs) in &sources {
                let shared = bits.shared(theirs);
                let union = (bits.len + theirs.len - shared).max(1) as f64;
                let score = shared as f64 / union;
                if best.as_ref().is_none_or(|(_, _, s)| score >= *s) {
                    best = Some((source, theirs, score));
                }
            }
            let theirs = best.map_or(&none, |(_, theirs, _)| theirs);
            let mut drift = Drift {
                document: self.document.clone(),
                locale: locale.clone(),
                revision: revision.clone(),
                likely_translates: best.map(|(source, _, _)| source.to_owned()),
                shared: 0,
                only_here: Vec::new(),
                missing: Vec::new(),
            };
            for (at, (code, _)) in codes.iter().enumerate() {
                match (Bits::has(&bits.words, at), Bits::has(&theirs.words, at)) {
                    (true, true) => drift.shared += 1,
                    (true, false) => drift.only_here.push(code.clone()),
                    (false, true) => drift.missing.push(code.clone()),
                    (false, false) => {}
                }
            }
            out.push(drift);
        }
        out.sort_by(|a, b| (&a.locale, &a.revision).cmp(&(&b.locale, &b.revision)));
        out
    }
}

/// Compares each localized revision with the en-us revisions of its document; sorted
/// by document, locale and revision.
pub fn drift(revisions: &[&Revision]) -> Vec<Drift> {
    let mut documents: BTreeMap<&str, DocumentCodes> = BTreeMap::new();
    for revision in revisions {
        documents
            .entry(&revision.document)
            .or_insert_with(|| DocumentCodes::new(&revision.document))
            .add(
                &revision.locale,
                &revision.revision,
                revision.entries.iter().map(|e| e.code.as_str()),
            );
    }
    documents
        .into_values()
        .flat_map(DocumentCodes::drift)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Drift as its rules say, over sets of strings.
    fn drift_by_the_rules(revisions: &[(String, String, Vec<String>)]) -> Vec<Drift> {
        let set = |codes: &[String]| codes.iter().cloned().collect::<BTreeSet<String>>();
        let mut out = Vec::new();
        for (locale, revision, codes) in revisions.iter().filter(|r| r.0 != SOURCE_LOCALE) {
            let ours = set(codes);
            let mut best: Option<(&String, BTreeSet<String>, f64)> = None;
            for (_, source, theirs) in revisions.iter().filter(|r| r.0 == SOURCE_LOCALE) {
                let theirs = set(theirs);
                let shared = ours.intersection(&theirs).count() as f64;
                let score = shared / ours.union(&theirs).count().max(1) as f64;
                if best.as_ref().is_none_or(|(_, _, s)| score >= *s) {
                    best = Some((source, theirs, score));
                }
            }
            let theirs = best.as_ref().map(|b| b.1.clone()).unwrap_or_default();
            out.push(Drift {
                document: "d".to_owned(),
                locale: locale.clone(),
                revision: revision.clone(),
                likely_translates: best.map(|b| b.0.clone()),
                shared: ours.intersection(&theirs).count(),
                only_here: ours.difference(&theirs).cloned().collect(),
                missing: theirs.difference(&ours).cloned().collect(),
            });
        }
        out.sort_by(|a, b| (&a.locale, &a.revision).cmp(&(&b.locale, &b.revision)));
        out
    }

    proptest::proptest! {
        #[test]
        fn drift_over_bitsets_is_drift_over_sets_of_strings(
            revisions in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["en-us", "de-de", "ja-jp"]),
                    proptest::collection::vec("[0-9A-F]{1,2}", 0..80),
                ),
                0..12,
            ),
        ) {
            let revisions: Vec<(String, String, Vec<String>)> = revisions
                .into_iter()
                .enumerate()
                .map(|(i, (locale, codes))| (locale.to_owned(), format!("r{i}"), codes))
                .collect();
            let mut codes = DocumentCodes::new("d");
            for (locale, revision, set) in &revisions {
                codes.add(locale, revision, set.iter().map(String::as_str));
            }
            proptest::prop_assert_eq!(codes.drift(), drift_by_the_rules(&revisions));
        }
    }
}

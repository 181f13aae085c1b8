//! What a check finds when `generated/` is not what regen would write: each file
//! that differs, and, for the first few stale ones, an excerpt of what regen would
//! write around their first difference. However large the files and however many
//! differ, a check holds no more of their contents than those excerpts.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use similar::{ChangeTag, TextDiff};

use crate::regen::GENERATED;

/// One file that differs between what regen would write and what is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Relative to `generated/`.
    pub path: String,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not on disk yet.
    Missing,
    /// On disk, with other contents.
    Stale,
    /// A generated file regen would no longer write.
    Extra,
}

/// How many stale files a check keeps an excerpt of, the first by path: more than a
/// report of a few dozen lines shows, since each diff takes four of them at least.
pub const EXCERPTS: usize = 16;
/// Lines of context around each change a report shows.
const CONTEXT: usize = 2;
/// How many lines an excerpt runs on after the line of its first difference.
const LINES_AFTER: usize = 1000;
/// The most bytes an excerpt holds before its first difference, and after it.
const BYTES_BEFORE: u64 = 4 << 10;
const BYTES_AFTER: usize = 128 << 10;

/// What regen would write around the first difference of a stale file. The file on
/// disk and what regen would write agree up to that difference, so the excerpt
/// starts at the same place in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The number of the line it starts in, from 0.
    pub line: usize,
    /// Its first byte's offset in the file.
    pub offset: u64,
    /// What regen would write from `offset`: the few lines before the first
    /// difference and up to `LINES_AFTER` lines after it.
    pub wanted: Vec<u8>,
    /// Whether what regen would write goes on after `wanted`.
    pub cut: bool,
}

/// How many of the files a regen writes, or a check finds different, are named: the
/// first by path. After any source changes every file carries a new dataset version,
/// and a list of them all would be as long as the dataset.
pub const LISTED: usize = 200;

/// What a check found: the files that differ, and excerpts of the first [`EXCERPTS`]
/// stale ones.
#[derive(Debug, Default)]
pub struct Report {
    /// The first [`LISTED`] files that differ, by path.
    pub changes: Vec<Change>,
    /// How many files differ.
    pub differing: usize,
    pub excerpts: BTreeMap<String, Excerpt>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.differing == 0
    }

    /// Whether an excerpt of `path` would be kept.
    pub(crate) fn wants_excerpt(&self, path: &str) -> bool {
        self.excerpts.len() < EXCERPTS
            || self
                .excerpts
                .last_key_value()
                .is_some_and(|(last, _)| path < last.as_str())
    }

    /// Keeps `excerpt` of `path` if it is among the first [`EXCERPTS`] by path.
    pub(crate) fn keep_excerpt(&mut self, path: String, excerpt: Excerpt) {
        keep_first(&mut self.excerpts, EXCERPTS, path, excerpt);
    }
}

/// Puts `path` in `map`, which keeps the first `n` paths it is given.
pub(crate) fn keep_first<V>(map: &mut BTreeMap<String, V>, n: usize, path: String, value: V) {
    map.insert(path, value);
    if map.len() > n {
        map.pop_last();
    }
}

/// The bytes two streams agree on so far.
struct Agreed {
    len: u64,
    /// Line breaks among them.
    lines: usize,
    /// Where the last lines start, up to [`CONTEXT`] + 1 of them, the last the line
    /// the agreement ends in.
    starts: VecDeque<u64>,
}

impl Agreed {
    fn new() -> Self {
        Agreed {
            len: 0,
            lines: 0,
            starts: VecDeque::from([0]),
        }
    }

    fn pass(&mut self, bytes: &[u8]) {
        self.lines += bytes.iter().filter(|&&b| b == b'\n').count();
        // The lines that start in `bytes`, of the last few, found from its end.
        let mut starts = Vec::with_capacity(CONTEXT + 1);
        let mut rest = bytes;
        while starts.len() <= CONTEXT {
            let Some(at) = rest.iter().rposition(|&b| b == b'\n') else {
                break;
            };
            starts.push(self.len + at as u64 + 1);
            rest = &rest[..at];
        }
        for start in starts.into_iter().rev() {
            self.starts.push_back(start);
            if self.starts.len() > CONTEXT + 1 {
                self.starts.pop_front();
            }
        }
        self.len += bytes.len() as u64;
    }

    /// Where an excerpt of a difference right after the agreement starts: [`CONTEXT`]
    /// lines before it, but no more than [`BYTES_BEFORE`] back (inside the line, if
    /// it is that long). Its line's number and its offset.
    fn excerpt_start(&self) -> (usize, u64) {
        let first = self.lines + 1 - self.starts.len();
        self.starts
            .iter()
            .enumerate()
            .find(|&(_, &start)| self.len - start <= BYTES_BEFORE)
            .map_or_else(
                || (self.lines, self.len - BYTES_BEFORE),
                |(i, &start)| (first + i, start),
            )
    }
}

/// An excerpt being taken from a stream, from its first difference on.
struct Taking {
    excerpt: Excerpt,
    cap: usize,
    lines_after: usize,
}

impl Taking {
    /// Starts with what the file on disk holds of the excerpt before the difference.
    fn new(agreed: &Agreed, on_disk: BufReader<File>) -> io::Result<Self> {
        let (line, offset) = agreed.excerpt_start();
        let mut wanted = vec![0; (agreed.len - offset) as usize];
        let mut file = on_disk.into_inner();
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(&mut wanted)?;
        Ok(Taking {
            cap: wanted.len() + BYTES_AFTER,
            excerpt: Excerpt {
                line,
                offset,
                wanted,
                cut: false,
            },
            lines_after: 0,
        })
    }

    fn take(&mut self, mut bytes: &[u8]) {
        let wanted = &mut self.excerpt.wanted;
        while !bytes.is_empty() && !self.excerpt.cut {
            if self.lines_after > LINES_AFTER || wanted.len() == self.cap {
                self.excerpt.cut = true;
                break;
            }
            let line = bytes
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |at| at + 1);
            let n = line.min(self.cap - wanted.len());
            wanted.extend_from_slice(&bytes[..n]);
            if bytes[n - 1] == b'\n' {
                self.lines_after += 1;
            }
            bytes = &bytes[n..];
        }
    }
}

/// Reads `bytes.len()` bytes, or fewer at the end of `from`: how many.
fn read_up_to(from: &mut impl Read, bytes: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < bytes.len() {
        match from.read(&mut bytes[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads `contents` to its end, handing each chunk to `each`, and tells how it
/// differs from the file at `target`: not at all (`None`), [`ChangeKind::Missing`]
/// when there is no such file, else [`ChangeKind::Stale`]. When both differ and
/// `excerpt` is set, also returns what `contents` holds around their first
/// difference.
pub(crate) fn read_comparing(
    contents: &mut dyn Read,
    target: &Path,
    excerpt: bool,
    each: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<(Option<ChangeKind>, Option<Excerpt>)> {
    let opened = File::open(target);
    let differs = match &opened {
        Err(e) if e.kind() == io::ErrorKind::NotFound => ChangeKind::Missing,
        _ => ChangeKind::Stale,
    };
    let mut on_disk = opened.ok().map(BufReader::new);
    let mut agreed = Agreed::new();
    let mut taking: Option<Taking> = None;
    let (mut ours, mut theirs) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = contents.read(&mut ours)?;
        if n == 0 {
            break;
        }
        let chunk = &ours[..n];
        each(chunk)?;
        let Some(mut disk) = on_disk.take() else {
            if let Some(taking) = taking.as_mut() {
                taking.take(chunk);
            }
            continue;
        };
        let got = read_up_to(&mut disk, &mut theirs[..n])?;
        let same = chunk
            .iter()
            .zip(&theirs[..got])
            .take_while(|(a, b)| a == b)
            .count();
        if excerpt {
            agreed.pass(&chunk[..same]);
        }
        if same == n {
            on_disk = Some(disk);
        } else if excerpt {
            let mut started = Taking::new(&agreed, disk)?;
            started.take(&chunk[same..]);
            taking = Some(started);
        }
    }
    if let Some(mut disk) = on_disk {
        // Equal so far; equal only if the file on disk ends here too.
        if read_up_to(&mut disk, &mut theirs[..1])? == 0 {
            return Ok((None, None));
        }
        if excerpt {
            taking = Some(Taking::new(&agreed, disk)?);
        }
    }
    Ok((Some(differs), taking.map(|taking| taking.excerpt)))
}

/// What the file at `path` holds where `excerpt` stands: as many lines as it, from
/// the same offset; and whether the file goes on after them.
fn on_disk(path: &Path, excerpt: &Excerpt) -> io::Result<(Vec<u8>, bool)> {
    let wanted = &excerpt.wanted;
    let lines = wanted.iter().filter(|&&b| b == b'\n').count()
        + usize::from(!wanted.is_empty() && !wanted.ends_with(b"\n"));
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(excerpt.offset))?;
    let limit = BYTES_BEFORE as usize + BYTES_AFTER;
    let mut reader = BufReader::new(file).take(limit as u64);
    let mut bytes = Vec::new();
    for _ in 0..lines {
        if reader.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
    }
    let more = !reader.fill_buf()?.is_empty() || reader.limit() == 0;
    Ok((bytes, more))
}

/// A unified diff of an excerpt of a file on disk (`old`) and of what regen would
/// write (`new`), numbered from `first_line`. A hunk that reaches where either
/// excerpt was cut may owe its changes to the cut, so none is shown after the first.
fn excerpt_diff(
    old: &str,
    old_cut: bool,
    new: &str,
    new_cut: bool,
    first_line: usize,
) -> Vec<String> {
    let diff = TextDiff::from_lines(old, new);
    let (old_len, new_len) = (diff.old_len(), diff.new_len());
    let span = |start: usize, len: usize| match len {
        0 => format!("{},0", first_line + start),
        1 => format!("{}", first_line + start + 1),
        _ => format!("{},{len}", first_line + start + 1),
    };
    let mut lines = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        let (Some(head), Some(tail)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = head.old_range().start..tail.old_range().end;
        let new_range = head.new_range().start..tail.new_range().end;
        let at_cut = (old_cut && old_range.end + CONTEXT >= old_len)
            || (new_cut && new_range.end + CONTEXT >= new_len);
        if i == 0 {
            lines.push("--- on disk".to_owned());
            lines.push("+++ regen would write".to_owned());
            if at_cut {
                lines.push("(this change runs on past the excerpt compared)".to_owned());
            }
        } else if at_cut {
            lines.push("…".to_owned());
            break;
        }
        lines.push(format!(
            "@@ -{} +{} @@",
            span(old_range.start, old_range.len()),
            span(new_range.start, new_range.len())
        ));
        for op in group {
            for change in diff.iter_changes(op) {
                let (sign, cut) = match change.tag() {
                    ChangeTag::Delete => ('-', old_cut),
                    ChangeTag::Insert => ('+', new_cut),
                    ChangeTag::Equal => (' ', old_cut || new_cut),
                };
                let text = change.value();
                lines.push(format!("{sign}{}", text.strip_suffix('\n').unwrap_or(text)));
                if change.missing_newline() && !cut {
                    lines.push("\\ No newline at end of file".to_owned());
                }
            }
        }
    }
    lines
}

/// A readable account of what is stale: each file, and a unified diff of the first
/// differing ones around their first difference, in at most `max_diff_lines` lines.
pub fn describe(root: &Path, report: &Report, max_diff_lines: usize) -> String {
    let mut out = String::new();
    let mut budget = max_diff_lines;
    for change in &report.changes {
        let label = match change.kind {
            ChangeKind::Missing => "missing",
            ChangeKind::Stale => "stale",
            ChangeKind::Extra => "no longer generated",
        };
        out.push_str(&format!("{GENERATED}/{}: {label}\n", change.path));
        let excerpt = report.excerpts.get(&change.path);
        let (Some(excerpt), true) = (excerpt, budget > 0) else {
            continue;
        };
        let path = root.join(GENERATED).join(&change.path);
        let (old, old_cut) = on_disk(&path, excerpt).unwrap_or_default();
        let lines = excerpt_diff(
            &String::from_utf8_lossy(&old),
            old_cut,
            &String::from_utf8_lossy(&excerpt.wanted),
            excerpt.cut,
            excerpt.line,
        );
        for line in lines.iter().take(budget) {
            out.push_str("    ");
            match line.char_indices().nth(160) {
                Some((cut, _)) => {
                    out.push_str(&line[..cut]);
                    out.push('…');
                }
                None => out.push_str(line),
            }
            out.push('\n');
            budget -= 1;
        }
    }
    if let Some(more) = report.differing.checked_sub(report.changes.len()) {
        if more > 0 {
            out.push_str(&format!("… and {more} more files\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares `ours` with `on_disk` (none: no file), checking every chunk is handed
    /// on and that an excerpt is what `ours` holds around the first difference.
    fn compared(dir: &Path, ours: &[u8], on_disk: Option<&[u8]>) -> (bool, Option<Excerpt>) {
        let target = dir.join("f");
        match on_disk {
            Some(bytes) => std::fs::write(&target, bytes).unwrap(),
            None => {
                let _ = std::fs::remove_file(&target);
            }
        }
        let mut seen = Vec::new();
        let (differs, excerpt) = read_comparing(&mut &ours[..], &target, true, &mut |chunk| {
            seen.extend_from_slice(chunk);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ours, "every chunk is handed on");
        let same = differs.is_none();
        let Some(disk) = on_disk else {
            assert!(differs == Some(ChangeKind::Missing) && excerpt.is_none());
            return (same, excerpt);
        };
        assert_eq!(same, disk == ours);
        assert!(same || differs == Some(ChangeKind::Stale));
        if let Some(excerpt) = &excerpt {
            let first = ours.iter().zip(disk).take_while(|(a, b)| a == b).count();
            let from = usize::try_from(excerpt.offset).unwrap();
            let to = from + excerpt.wanted.len();
            assert!(from <= first && first - from <= BYTES_BEFORE as usize);
            assert_eq!(excerpt.wanted, ours[from..to]);
            assert_eq!(
                excerpt.line,
                ours[..from].iter().filter(|&&b| b == b'\n').count()
            );
            assert!(
                to > first || to == ours.len(),
                "the excerpt holds the difference"
            );
            assert!(to - first <= BYTES_AFTER);
            assert_eq!(excerpt.cut, to < ours.len());
        }
        (same, excerpt)
    }

    #[test]
    fn streamed_contents_are_compared_with_the_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        // A line break every 251 bytes, and longer than a chunk.
        let ours: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(compared(dir, &ours, Some(&ours)), (true, None));
        assert!(!compared(dir, &ours, None).0);
        for at in [3, 70_000, 150_000, 199_999] {
            let mut changed = ours.clone();
            changed[at] ^= 1;
            let (same, excerpt) = compared(dir, &ours, Some(&changed));
            assert!(!same && excerpt.is_some(), "a byte changed at {at}");
        }
        let mut longer = ours.clone();
        longer.push(b'\n');
        for disk in [&ours[..ours.len() - 1], &longer, b""] {
            let (same, excerpt) = compared(dir, &ours, Some(disk));
            assert!(!same && excerpt.is_some());
        }
        // Lines longer than an excerpt may reach back.
        let long_lines = vec![b'x'; 100_000];
        let mut changed = long_lines.clone();
        changed[90_000] = b'y';
        let (_, excerpt) = compared(dir, &long_lines, Some(&changed));
        assert_eq!(excerpt.unwrap().offset, 90_000 - BYTES_BEFORE);
    }

    fn numbered(lines: impl IntoIterator<Item = String>) -> Vec<u8> {
        lines
            .into_iter()
            .flat_map(|l| format!("{l}\n").into_bytes())
            .collect()
    }

    /// Reports what `ours` changes in the file on disk, `disk`.
    fn described(disk: &[u8], ours: &[u8], budget: usize) -> (String, Report) {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join(GENERATED).join("f.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, disk).unwrap();
        let (differs, excerpt) =
            read_comparing(&mut &ours[..], &path, true, &mut |_| Ok(())).unwrap();
        assert_eq!(differs, Some(ChangeKind::Stale));
        let mut report = Report::default();
        report.keep_excerpt("f.json".to_owned(), excerpt.unwrap());
        report.changes.push(Change {
            path: "f.json".to_owned(),
            kind: ChangeKind::Stale,
        });
        report.differing = 1;
        (describe(root.path(), &report, budget), report)
    }

    #[test]
    fn a_report_shows_the_first_difference_where_it_stands_in_a_long_file() {
        let disk = numbered((1..=100_000).map(|i| format!("line {i}")));
        let ours = numbered((1..=100_000).map(|i| match i {
            50_000 => "LINE 50000".to_owned(),
            60_000 => "LINE 60000".to_owned(),
            _ => format!("line {i}"),
        }));
        let (text, report) = described(&disk, &ours, 40);
        let expected = "generated/f.json: stale\n    --- on disk\n    +++ regen would write\n    \
            @@ -49998,5 +49998,5 @@\n     line 49998\n     line 49999\n    -line 50000\n    \
            +LINE 50000\n     line 50001\n     line 50002\n";
        assert_eq!(text, expected);
        let excerpt = &report.excerpts["f.json"];
        assert!(
            excerpt.cut && excerpt.wanted.len() < 20_000,
            "only an excerpt is kept"
        );

        // Lines inserted, fewer than the excerpt holds: shown as inserted, and the
        // lines after them as the same.
        let ours = numbered(
            (1..=100_000)
                .map(|i| format!("line {i}"))
                .take(10)
                .chain((1..=300).map(|i| format!("new {i}")))
                .chain((11..=100_000).map(|i| format!("line {i}"))),
        );
        let (text, _) = described(&disk, &ours, 1_000);
        assert!(text.contains("@@ -9,4 +9,304 @@\n     line 9\n     line 10\n    +new 1\n"));
        assert!(text.contains("    +new 300\n     line 11\n     line 12\n"));
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("    -") && l != "    --- on disk"),
            "nothing is shown removed:\n{text}"
        );
        assert!(
            text.ends_with("    …\n"),
            "what the cut leaves is not shown"
        );

        // A change that runs on past the excerpt says so.
        let ours = numbered((1..=100_000).map(|i| format!("LINE {i}")));
        let (text, _) = described(&disk, &ours, 5);
        assert!(text.contains("(this change runs on past the excerpt compared)"));
        assert_eq!(text.lines().count(), 6, "{text}");
    }

    #[test]
    fn a_file_that_ends_early_or_late_is_told_apart() {
        let (text, _) = described(b"a\nb\n</feed>", b"a\nb\n</feed>\n", 40);
        assert!(text.contains("-</feed>\n    \\ No newline at end of file\n    +</feed>\n"));
    }

    #[test]
    fn only_the_first_stale_files_by_path_keep_an_excerpt() {
        let excerpt = Excerpt {
            line: 0,
            offset: 0,
            wanted: Vec::new(),
            cut: false,
        };
        let mut report = Report::default();
        for i in (0..100).rev().chain(100..200) {
            let path = format!("data/{i:03}.json");
            if report.wants_excerpt(&path) {
                report.keep_excerpt(path, excerpt.clone());
            }
        }
        let kept: Vec<&str> = report.excerpts.keys().map(String::as_str).collect();
        let first: Vec<String> = (0..EXCERPTS).map(|i| format!("data/{i:03}.json")).collect();
        assert_eq!(kept, first);
    }
}

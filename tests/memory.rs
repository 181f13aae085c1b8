//! What a streamed regen holds for each revision of a chain while it folds the
//! chain, and for each entry of the manifest. Heap bytes, counted by this test
//! binary's allocator: deterministic, unlike resident memory or time, which only the
//! bench measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use errcat::regen::{self, RegenError, Sink};

mod common;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(live, Ordering::SeqCst);
}

fn shrank(by: usize) {
    LIVE.fetch_sub(by, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Reads every file to its end and keeps nothing.
struct Discard;

impl Sink for Discard {
    fn file(&self, _: String, _: String) -> Result<(), RegenError> {
        Ok(())
    }

    fn file_from(&self, _: String, contents: &mut dyn Read) -> Result<(), RegenError> {
        io::copy(contents, &mut io::sink()).expect("a spilled file reads back");
        Ok(())
    }
}

/// One test at a time: the counts are the whole process's, so each test holds this
/// from its first allocation to its last.
fn alone() -> MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The most heap `f` holds at once, above what was live before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = f();
    (PEAK.load(Ordering::SeqCst) - before, out)
}

/// The most heap a one-thread regen of [`common::long_history`] holds at once, above
/// what was live before it: uncached, or replaying every chain from the record of
/// its fold that a regen before it left in the cache.
fn peak_heap(extra: usize, replayed: bool) -> usize {
    let dir = common::long_history(extra);
    let options = regen::LoadOptions {
        threads: 1,
        cache: replayed,
    };
    if replayed {
        regen::stream(dir.path(), options, &Discard).unwrap();
    }
    peak_of(|| regen::stream(dir.path(), options, &Discard).unwrap()).0
}

/// A chain's compared pairs are rendered into a spill as they are compared, not
/// held until the chain is done: what grows with a chain's length is its index
/// (its entries, each revision's codes), not its history's text. Held
/// until their chain was done, the pairs added about 44 KB a revision to this peak.
/// What a revision adds now, about 70 bytes, is its chain's ranges of its pair and
/// its code set in the spill (about 27 bytes, in vectors that double), and what the
/// manifest's listing and its document's drift keep of it: its place, its label and
/// its bits in the document's code sets.
/// With the whole manifest held parsed it was 1.1 KB; with the code sets read back
/// as strings for drift, 0.8 KB; with each chain's entries read back at once, 0.45
/// KB; with every revision's title held until its document was done, 0.18 KB.
/// Replayed from the records of the chains' folds, which hand each revision's pair
/// over a piece at a time, it was about 50 bytes, and reads about 100 since the
/// second pass stopped holding a 64 KiB read buffer: that lowered the short
/// history's peak by 37.5 KB and left the long one's as it was.
#[test]
fn a_longer_history_adds_only_its_index_to_the_peak() {
    let _alone = alone();
    const BUDGET_PER_REVISION: usize = 120;
    let (short, long) = (50, 450);
    let added = 2 * (long - short);
    for replayed in [false, true] {
        let (low, high) = (peak_heap(short, replayed), peak_heap(long, replayed));
        let per_revision = high.saturating_sub(low) / added;
        assert!(
            per_revision <= BUDGET_PER_REVISION,
            "replayed: {replayed}: {added} more revisions raised the peak from {low} to \
             {high} bytes: {per_revision} a revision, over the budget of {BUDGET_PER_REVISION}"
        );
    }
}

/// A parallel map puts its results in order where they are, so that a long
/// manifest's parsed entries, say, are never held twice.
#[test]
fn a_parallel_map_holds_its_results_once() {
    let _alone = alone();
    const ITEMS: usize = 50_000;
    let items: Vec<u64> = (0..ITEMS as u64).collect();
    let (peak, results) = peak_of(|| errcat::parallel_map(&items, 2, |&i| [i; 8]));
    assert!(results.iter().enumerate().all(|(i, r)| r[7] == i as u64));
    // What the threads hand over: each result with its index.
    let handed_over = ITEMS * std::mem::size_of::<(usize, [u64; 8])>();
    assert!(
        peak <= handed_over + handed_over / 10,
        "{peak} bytes at the peak for {handed_over} handed over"
    );
}

/// A manifest of `entries` entries over fifty chains, in turn, so that each chain's
/// entries spread over the whole file.
fn long_manifest(entries: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(errcat::manifest::FILE_NAME);
    let mut text = String::from("upstreams: []\nsources:\n");
    for i in 0..entries {
        let (document, revision) = (format!("doc-{:02}", i % 50), format!("r{i:06}"));
        text.push_str(&format!(
            "- document: {document}\n  revision: {revision}\n  locale: en-us\n  format: legacy\n  \
             file: {document}/{revision}.en-us.txt\n  date: 2020-01-01\n  url: null\n  sha256: {:064x}\n",
            i
        ));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The manifest lists every revision, so it grows with them. Regen reads it an entry
/// at a time and holds of each entry its place in a temporary file and what checking
/// the entries against each other needs: a tenth of what the entries take parsed.
#[test]
fn a_longer_manifest_adds_only_each_entrys_place_to_what_regen_holds_of_it() {
    let _alone = alone();
    const BUDGET_PER_ENTRY: usize = 256;
    let (short, long) = (2_000, 20_000);
    let per_entry = |read: &dyn Fn(&std::path::Path) -> usize| {
        let (_short_dir, short_path) = long_manifest(short);
        let (_long_dir, long_path) = long_manifest(long);
        let (low, high) = (read(&short_path), read(&long_path));
        high.saturating_sub(low) / (long - short)
    };
    let listed = per_entry(&|path| {
        let (peak, listing) = peak_of(|| errcat::listing::Listing::read(path, 1).unwrap());
        assert_eq!(listing.chains.len(), 50);
        peak
    });
    assert!(
        listed <= BUDGET_PER_ENTRY,
        "reading the manifest held {listed} bytes an entry, over the budget of {BUDGET_PER_ENTRY}"
    );
    // A check of a tree whose record holds this very manifest reads it as recorded:
    // each entry checked on its own, nothing kept of it.
    let recorded = per_entry(&|path| {
        let mut read = 0;
        let (peak, ()) = peak_of(|| {
            errcat::listing::read_recorded_entries(path, 1, &mut |_, entries| {
                read += entries.len();
                Ok(())
            })
            .unwrap()
        });
        assert!(read >= short);
        peak
    });
    assert!(
        recorded <= 8,
        "reading a recorded manifest held {recorded} bytes an entry"
    );
    // What the budget is measured against: the manifest parsed whole.
    let parsed = per_entry(&|path| {
        let text = std::fs::read_to_string(path).unwrap();
        peak_of(|| errcat::manifest::Manifest::parse(&text).unwrap()).0
    });
    assert!(
        parsed > 2 * BUDGET_PER_ENTRY,
        "parsed whole, the manifest held only {parsed} bytes an entry"
    );
}

/// After any source changes, every generated file is stale: each carries the dataset
/// version. A check of such a tree keeps each file's path and whether it is stale or
/// missing, and excerpts of the first few, but never a file whole. Keeping what regen
/// would write of each stale file, as it did, holds 42 KB a revision here, and held
/// 639 MB in all at 120 revisions a document of the bench's corpus.
#[test]
fn a_check_of_a_stale_tree_keeps_no_file_whole() {
    let _alone = alone();
    const BUDGET_PER_REVISION: usize = 1_000;
    let peak = |extra: usize| {
        let dir = common::long_history(extra);
        regen::regen(dir.path()).unwrap();
        let path = dir.path().join("sources").join(errcat::manifest::FILE_NAME);
        let mut manifest =
            errcat::manifest::Manifest::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        manifest.sources[0].date = Some("1999-12-31".to_owned());
        std::fs::write(&path, manifest.to_yaml()).unwrap();
        let (peak, report) = peak_of(|| regen::check(dir.path()).unwrap());
        let stale = report.differing;
        assert!(stale > 2 * extra, "{stale} files stale");
        assert_eq!(report.changes.len(), stale.min(regen::LISTED));
        assert!(!report.excerpts.is_empty() && report.excerpts.len() <= regen::EXCERPTS);
        peak
    };
    let (short, long) = (50, 450);
    let (low, high) = (peak(short), peak(long));
    let per_revision = high.saturating_sub(low) / (2 * (long - short));
    assert!(
        per_revision <= BUDGET_PER_REVISION,
        "{} more revisions raised the check's peak from {low} to {high} bytes: {per_revision} \
         a revision, over the budget of {BUDGET_PER_REVISION}",
        2 * (long - short)
    );
}

/// What regen's writer and check's comparer keep of every file they pass: its path,
/// in a temporary file, read back in order when they are done. Each kept the paths
/// in a tree, about a hundred bytes a file: 2.5–3.2 MB of a cold regen's peak at 360
/// revisions a document.
#[test]
fn writing_or_checking_more_files_adds_no_path_to_what_is_held() {
    use errcat::regen::Sink;
    let _alone = alone();
    const BUDGET_PER_FILE: usize = 16;
    let path = |i: usize| format!("data/document-{:03}/r{i:06}.en-us.json", i % 100);
    let contents = |i: usize| {
        format!(
            "{{\"generated_by\": \"{}\", \"i\": {i}}}\n",
            errcat::emit::HEADER
        )
    };
    let peaks = |files: usize| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (written, wrote) = peak_of(|| {
            let stager = regen::Stager::new(root);
            for i in 0..files {
                stager.file(path(i), contents(i)).unwrap();
            }
            stager.commit().unwrap()
        });
        assert_eq!(wrote.files, files);
        // Every file is stale for the check: one in three changed, the rest gone.
        let (checked, report) = peak_of(|| {
            let checker = regen::Checker::new(root);
            for i in (0..files).step_by(3) {
                checker.file(path(i), contents(i + 1)).unwrap();
            }
            checker.finish().unwrap()
        });
        assert_eq!(report.differing, files);
        assert_eq!(report.changes.len(), regen::LISTED);
        (written, checked)
    };
    // Both more than a run of paths sorted in memory.
    let (few, many) = (5_000, 15_000);
    let ((written_few, checked_few), (written_many, checked_many)) = (peaks(few), peaks(many));
    for (what, low, high) in [
        ("writing", written_few, written_many),
        ("checking", checked_few, checked_many),
    ] {
        let per_file = high.saturating_sub(low) / (many - few);
        assert!(
            per_file <= BUDGET_PER_FILE,
            "{what} {} more files raised the peak from {low} to {high} bytes: {per_file} a file, \
             over the budget of {BUDGET_PER_FILE}",
            many - few
        );
    }
}

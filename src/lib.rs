//! errcat turns Microsoft's identity troubleshooting pages into a reconciled,
//! versioned catalogue of error codes.
//!
//! Data flows one way: sources → [`ingest`] → [`reconcile`] → canonical
//! [`model::Revision`]s. Every stage takes a value and returns a value; files and
//! the network live at the edges (the `errcat` CLI and `xtask`).
//!
//! ```
//! let text = "Hex | Cause | Mitigation |\n---|---|---|\n0x801C03ED | Bad request | Sign out |\n";
//! let revision = errcat::ingest_text(text, errcat::Source::new("pin", "r1", "pin.txt")).unwrap();
//! assert_eq!(revision.entries[0].code, "0x801C03ED");
//! assert_eq!(revision.entries[0].value, Some(0x801C_03ED));
//! ```

mod cache;
pub mod catalog;
pub mod code;
pub mod diff;
pub mod emit;
pub mod ingest;
pub mod listing;
pub mod manifest;
pub mod model;
mod paths;
pub mod reconcile;
mod record;
pub mod regen;
mod stale;
pub mod text;

pub use ingest::IngestError;
pub use model::{Condition, Diagnostic, Entry, Format, Revision};

/// The version of the shape of everything errcat emits. Semver: a major bump for a
/// breaking change to field names or meanings.
pub const SCHEMA_VERSION: &str = "1.2.0";

/// What the caller knows of a source before reading it.
#[derive(Debug, Clone)]
pub struct Source {
    pub document: String,
    pub revision: String,
    /// The path recorded in conditions and diagnostics.
    pub path: String,
    /// `None`: detect from the name and content.
    pub format: Option<Format>,
    /// `None`: what the page declares, else `en-us`.
    pub locale: Option<String>,
}

impl Source {
    pub fn new(document: &str, revision: &str, path: &str) -> Self {
        Self {
            document: document.to_owned(),
            revision: revision.to_owned(),
            path: path.to_owned(),
            format: None,
            locale: None,
        }
    }
}

/// Ingests text; a BOM and CR line endings are handled as in files.
pub fn ingest_text(text: &str, source: Source) -> Result<Revision, IngestError> {
    ingest_bytes(text.as_bytes(), source)
}

/// Ingests source bytes: decode, parse in the source's shape, reconcile.
pub fn ingest_bytes(bytes: &[u8], source: Source) -> Result<Revision, IngestError> {
    let text = ingest::decode(bytes)?;
    let format = source
        .format
        .unwrap_or_else(|| ingest::detect_format(&source.path, &text));
    let page = ingest::page(format, &text)?;
    let origin = reconcile::Origin {
        document: source.document,
        revision: source.revision,
        locale: source.locale,
        source: source.path,
        format,
    };
    match reconcile::revision(page, &origin, reconcile::LookIn::Tables) {
        // A page that lists no codes may still name one in a section's prose; it is
        // read again for them, so that only such pages pay for it.
        Err(IngestError::NoCodeTable) => {
            let page = ingest::page(format, &text)?;
            reconcile::revision(page, &origin, reconcile::LookIn::Prose)
        }
        read => read,
    }
}

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// Threads the pipeline's parallel stages use: `ERRCAT_THREADS` when set to a
/// positive number, else every core.
pub fn threads() -> usize {
    std::env::var("ERRCAT_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The value behind `mutex`, whether or not a thread panicked holding it: a panic
/// reaches the caller anyway, through the scope that joins its thread.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The value `mutex` held, once no thread holds it, as [`lock`] takes it.
pub(crate) fn unlocked<T>(mutex: std::sync::Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `items` in groups of those `order` finds equal: the groups in that order, each
/// keeping the order it was given. Revisions become chains (a document in one
/// locale) or documents this way, in one order wherever they are grouped.
pub fn group_by<T>(
    items: impl IntoIterator<Item = T>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<Vec<T>> {
    let mut items: Vec<T> = items.into_iter().collect();
    // Stable, so each group keeps the order it was given.
    items.sort_by(&order);
    let mut groups: Vec<Vec<T>> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some(group) if order(&group[0], &item).is_eq() => group.push(item),
            _ => groups.push(vec![item]),
        }
    }
    groups
}

/// Maps in order on up to `threads` scoped threads, each taking the next item.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                let result = f(item);
                lock(&done).push((i, result));
            });
        }
    });
    // Put in order where they are: the results are never held twice.
    let mut done = unlocked(done);
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Runs `f` on every item in place, on up to `threads` scoped threads, each taking
/// an equal run of items.
pub fn parallel_for_each<T: Send>(items: &mut [T], threads: usize, f: impl Fn(&mut T) + Sync) {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter_mut().for_each(f);
    }
    let f = &f;
    std::thread::scope(|scope| {
        for run in items.chunks_mut(items.len().div_ceil(threads)) {
            scope.spawn(move || run.iter_mut().for_each(f));
        }
    });
}

/// Like [`parallel_map`], but hands each result to `consume`, in order, as soon as
/// it and every result before it are done; workers stay at most a few items ahead
/// of `consume`, so only those few results are ever held. Stops at `consume`'s
/// first error.
pub fn parallel_each<T: Sync, R: Send, E>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, PoisonError};

    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().try_for_each(|item| consume(f(item)));
    }
    let window = threads * 2;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let consumed = Mutex::new(0usize);
    let turn = Condvar::new();
    // Wakes the waiting workers when one panics or `consume` fails, so that the
    // channel closes and the panic or error comes out instead of a hang.
    let halt = || {
        stop.store(true, Ordering::SeqCst);
        let _guard = lock(&consumed);
        turn.notify_all();
    };
    struct OnPanic<F: Fn()>(F);
    impl<F: Fn()> Drop for OnPanic<F> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                (self.0)();
            }
        }
    }
    let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (f, next, stop, consumed, turn, halt) = (&f, &next, &stop, &consumed, &turn, &halt);
            scope.spawn(move || {
                let _guard = OnPanic(halt);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else {
                        return;
                    };
                    let mut done = lock(consumed);
                    while i >= *done + window && !stop.load(Ordering::SeqCst) {
                        done = turn.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(done);
                    if stop.load(Ordering::SeqCst) || tx.send((i, f(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                want += 1;
                if result.is_ok() {
                    result = consume(r);
                    if result.is_err() {
                        halt();
                    }
                }
                *lock(&consumed) = want;
                turn.notify_all();
            }
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::{group_by, parallel_each};

    #[test]
    fn groups_come_in_order_and_keep_the_order_given() {
        let items = [("b", 1), ("a", 2), ("c", 3), ("a", 4), ("b", 5), ("a", 6)];
        let groups = group_by(items, |x, y| x.0.cmp(y.0));
        assert_eq!(
            groups,
            [
                vec![("a", 2), ("a", 4), ("a", 6)],
                vec![("b", 1), ("b", 5)],
                vec![("c", 3)],
            ]
        );
        assert!(group_by(Vec::<u8>::new(), u8::cmp).is_empty());
    }

    #[test]
    fn parallel_each_consumes_in_order() {
        let items: Vec<u64> = (0..500).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let result: Result<(), ()> = parallel_each(
                &items,
                threads,
                |&i| {
                    // Uneven work, so that results arrive out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                    i * 2
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            );
            assert_eq!(result, Ok(()));
            assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn parallel_each_stops_at_the_first_error() {
        let items: Vec<u64> = (0..10_000).collect();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = 0;
        let result = parallel_each(
            &items,
            4,
            |&i| {
                calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                i
            },
            |i| {
                seen += 1;
                if i == 20 {
                    Err(i)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err(20));
        assert_eq!(seen, 21);
        // Workers stay a window ahead of the consumer, then stop.
        assert!(calls.load(std::sync::atomic::Ordering::SeqCst) < 100);
    }

    #[test]
    fn a_panic_in_a_worker_comes_out_instead_of_a_hang() {
        let items: Vec<u64> = (0..1_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            parallel_each(
                &items,
                3,
                |&i| {
                    assert!(i != 5, "item five");
                    i
                },
                |_| Ok::<(), ()>(()),
            )
        });
        assert!(outcome.is_err());
    }
}

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

pub mod catalog;
pub mod code;
pub mod diff;
pub mod emit;
pub mod ingest;
pub mod manifest;
pub mod model;
pub mod reconcile;
pub mod regen;
pub mod text;

pub use ingest::IngestError;
pub use model::{Condition, Diagnostic, Entry, Format, Revision};

/// The version of the shape of everything errcat emits. Semver: a major bump for a
/// breaking change to field names or meanings.
pub const SCHEMA_VERSION: &str = "1.0.0";

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
    reconcile::revision(page, &origin)
}

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
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
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let done = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                let result = f(item);
                if let Ok(mut done) = done.lock() {
                    done.push((i, result));
                }
            });
        }
    });
    for (i, result) in done.into_inner().unwrap_or_default() {
        slots[i] = Some(result);
    }
    slots.into_iter().flatten().collect()
}

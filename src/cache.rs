//! The ingest cache, so that regen re-ingests only what changed: one pack file per
//! chain (a document in one locale) under `target/errcat-cache/`, holding each
//! revision's data-file body (its pretty JSON) under a key that covers the source's
//! bytes, its identity in the manifest and the build of errcat that ingested it, so
//! an entry is never stale. A pack per chain rather than a file per source: creating
//! thousands of small files costs more than ingesting them.
//!
//! A pack is `errcat-pack 2\n`, then entries: a 32-byte key, the body's length as a
//! little-endian `u64`, the body's SHA-256, the body. Packs are replaced whole
//! (written beside, then renamed), best effort: a cache that cannot be written only
//! costs time. Whatever is read back is checked: a body must have the digest written
//! beside it, which the dataset version needs anyway, and must parse, or the source
//! is ingested again. A body with its digest is what this build rendered from these
//! bytes, so it is not rendered again to be checked.
//!
//! Beside each pack is the record of the chain's last fold ([`FoldRecord`]): what
//! folding its revisions handed on, under a key that covers every entry of the chain.
//! A chain none of whose entries changed is replayed from it: its sources are still
//! read and checked, and its bodies taken from the pack, but no revision is parsed,
//! compared or folded into the catalogue again.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::emit::{self, Digest};
use crate::manifest::SourceEntry;
use crate::model::Revision;
use crate::regen::{self, RegenError};

/// Where the ingest cache lives under a dataset's root.
pub const CACHE_DIR: &str = "target/errcat-cache";

const MAGIC: &[u8] = b"errcat-pack 2\n";

/// An entry's key, length and digest.
const HEADER: u64 = 32 + 8 + 32;

type Key = [u8; 32];

/// Where a revision's body is in its chain's pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Location {
    offset: u64,
    len: u64,
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(root: &Path) -> Self {
        Cache {
            dir: root.join(CACHE_DIR),
        }
    }

    /// The pack of the chain `entry` belongs to.
    pub fn pack_path(&self, entry: &SourceEntry) -> PathBuf {
        self.chain_path(&entry.document, &entry.locale, "pack")
    }

    /// The record of the last fold of a document's chain in `locale`: see
    /// [`FoldRecord`].
    pub fn fold_path(&self, document: &str, locale: &str) -> PathBuf {
        self.chain_path(document, locale, "fold")
    }

    fn chain_path(&self, document: &str, locale: &str, extension: &str) -> PathBuf {
        let name = crate::sha256_hex(format!("{document}\n{locale}").as_bytes());
        self.dir.join(format!("{}.{extension}", &name[..32]))
    }

    fn key(entry: &SourceEntry, digest: &str) -> Key {
        use sha2::Digest as _;
        sha2::Sha256::digest(
            format!(
                "{digest}\n{}\n{}\n{}\n{}\n{}\n{}",
                entry.document,
                entry.revision,
                entry.locale,
                entry.format.as_str(),
                entry.file,
                env!("ERRCAT_BUILD_ID")
            )
            .as_bytes(),
        )
        .into()
    }
}

/// A body read back, only when it is text with the digest written for it.
fn checked(bytes: Vec<u8>, digest: &Digest) -> Option<String> {
    let text = String::from_utf8(bytes).ok()?;
    (emit::digest(&text) == *digest).then_some(text)
}

fn read_at(file: &mut File, at: Location) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(at.offset)).ok()?;
    let mut bytes = vec![0; usize::try_from(at.len).ok()?];
    file.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// A pack as found on disk: its entries' places and digests. Anything after the
/// last whole entry, or a file that is not a pack, counts for nothing.
struct Pack {
    file: File,
    index: HashMap<Key, (Location, Digest)>,
}

impl Pack {
    fn open(path: &Path) -> Option<Pack> {
        let mut file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut magic = [0; MAGIC.len()];
        file.read_exact(&mut magic).ok()?;
        if magic != MAGIC {
            return None;
        }
        let mut index = HashMap::new();
        let mut at = MAGIC.len() as u64;
        let mut header = [0; HEADER as usize];
        while at + HEADER <= size {
            file.seek(SeekFrom::Start(at)).ok()?;
            file.read_exact(&mut header).ok()?;
            let (key, rest) = header.split_at(32);
            let (len, digest) = rest.split_at(8);
            let len = u64::from_le_bytes(len.try_into().ok()?);
            let offset = at + HEADER;
            if len > size - offset {
                break;
            }
            let place = (Location { offset, len }, digest.try_into().ok()?);
            index.insert(key.try_into().ok()?, place);
            at = offset + len;
        }
        Some(Pack { file, index })
    }

    /// The entry under `key`: its place, the digest written beside it, its bytes.
    fn get(&mut self, key: &Key) -> Option<(Location, Digest, Vec<u8>)> {
        let (at, digest) = *self.index.get(key)?;
        read_at(&mut self.file, at).map(|bytes| (at, digest, bytes))
    }
}

/// Where a file under the cache is written before it is renamed over `target`; the
/// process id keeps runs at the same time apart.
fn temp_beside(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_os_string();
    name.push(format!(".tmp{}", std::process::id()));
    PathBuf::from(name)
}

/// A file under the cache, written beside its place and renamed into it once
/// complete, best effort: what cannot be written only costs time. After a write
/// fails, nothing more is written and the file is not put in place; dropped before
/// [`Beside::commit`], it leaves nothing.
pub(crate) struct Beside {
    temp: PathBuf,
    target: PathBuf,
    /// `None` once a write has failed.
    out: Option<BufWriter<File>>,
}

impl Beside {
    /// `None` when its folder or its temporary cannot be created.
    pub(crate) fn create(target: &Path) -> Option<Self> {
        fs::create_dir_all(target.parent()?).ok()?;
        let temp = temp_beside(target);
        let out = BufWriter::new(File::create(&temp).ok()?);
        Some(Beside {
            temp,
            target: target.to_owned(),
            out: Some(out),
        })
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        if let Some(out) = &mut self.out {
            if out.write_all(bytes).is_err() {
                self.out = None;
            }
        }
    }

    /// Puts the file in place, unless a write failed; true when it is.
    pub(crate) fn commit(mut self) -> bool {
        let Some(out) = self.out.take() else {
            return false;
        };
        let placed = out.into_inner().is_ok() && fs::rename(&self.temp, &self.target).is_ok();
        if placed {
            self.temp = PathBuf::new();
        }
        placed
    }
}

impl Drop for Beside {
    fn drop(&mut self) {
        self.out = None;
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A new pack, written beside the old one and renamed over it when complete.
/// Dropped uncommitted, or after a write failed, it leaves the old one as it was.
struct PackWriter {
    file: Beside,
    len: u64,
}

impl PackWriter {
    fn create(target: &Path) -> Option<Self> {
        let mut file = Beside::create(target)?;
        file.write(MAGIC);
        Some(PackWriter {
            file,
            len: MAGIC.len() as u64,
        })
    }

    fn push(&mut self, key: &Key, digest: &Digest, body: &[u8]) -> Location {
        self.file.write(key);
        self.file.write(&(body.len() as u64).to_le_bytes());
        self.file.write(digest);
        self.file.write(body);
        let at = Location {
            offset: self.len + HEADER,
            len: body.len() as u64,
        };
        self.len = at.offset + at.len;
        at
    }

    /// True when the new pack is in place.
    fn commit(self) -> bool {
        self.file.commit()
    }
}

/// What a caller of [`load_chain`] takes of each revision: the revision itself, or
/// `()` for its data-file body alone, which a hit then gives without parsing it.
pub trait Take: Sized {
    /// From a body read back from the pack; `None` when it does not parse.
    fn from_body(body: &str) -> Option<Self>;
    /// From a revision just ingested.
    fn from_revision(revision: Revision) -> Self;
}

impl Take for Revision {
    fn from_body(body: &str) -> Option<Self> {
        serde_json::from_str(body).ok()
    }

    fn from_revision(revision: Revision) -> Self {
        revision
    }
}

impl Take for () {
    fn from_body(_: &str) -> Option<Self> {
        Some(())
    }

    fn from_revision(_: Revision) -> Self {}
}

/// What a chain's fold depends on, in order: each entry's key, which covers its
/// source's digest as the manifest records it (the source is still read and checked
/// against it), its identity and the build, and its date, which reaches the
/// changelog through each compared pair.
#[derive(Default)]
pub struct FoldKey(sha2::Sha256);

impl FoldKey {
    pub fn add(&mut self, entry: &SourceEntry) {
        use sha2::Digest as _;
        self.0.update(Cache::key(entry, &entry.sha256));
        match &entry.date {
            Some(date) => self.0.update(format!("date {date}\n")),
            None => self.0.update(b"undated\n"),
        }
    }

    pub fn finish(self) -> String {
        use sha2::Digest as _;
        crate::hex(&self.0.finalize())
    }
}

/// The record of a chain's last fold, so that a chain none of whose entries changed
/// is not folded again: a line `errcat-fold 1 KEY`, then what the fold produced as
/// pieces of text, each its length in bytes on a line and then its bytes, then a line
/// `end DIGEST`, the SHA-256 of everything before it. Written beside its place and
/// renamed into it, best effort. Read back only whole and under the key asked for,
/// so a record cut off, edited or left by another build or other entries counts for
/// nothing.
const FOLD_MAGIC: &str = "errcat-fold 1 ";
const FOLD_END: &str = "end ";

/// A fold's record being written; removed unless committed.
pub struct FoldWriter {
    file: Beside,
    hasher: sha2::Sha256,
}

impl FoldWriter {
    pub fn create(target: &Path, key: &str) -> Option<Self> {
        let mut writer = FoldWriter {
            file: Beside::create(target)?,
            hasher: sha2::Sha256::default(),
        };
        writer.write(format!("{FOLD_MAGIC}{key}\n").as_bytes());
        Some(writer)
    }

    fn write(&mut self, bytes: &[u8]) {
        use sha2::Digest as _;
        self.file.write(bytes);
        self.hasher.update(bytes);
    }

    /// Appends a piece of text.
    pub fn piece(&mut self, text: &str) {
        self.write(format!("{}\n", text.len()).as_bytes());
        self.write(text.as_bytes());
    }

    /// Ends the record and puts it in place.
    pub fn commit(self) {
        use sha2::Digest as _;
        let FoldWriter { mut file, hasher } = self;
        let digest = crate::hex(&hasher.finalize());
        file.write(format!("{FOLD_END}{digest}\n").as_bytes());
        file.commit();
    }
}

/// A fold's record read back, a piece at a time.
pub struct FoldRecord {
    path: PathBuf,
    reader: BufReader<File>,
}

/// A line before a piece, with the piece's length, or the record's last, with its
/// digest.
enum Head {
    Piece(u64),
    End(String),
}

/// Longer than any head: a damaged record is not read into memory whole in search
/// of a line break.
const HEAD_MAX: u64 = 128;

fn read_head(reader: &mut impl BufRead) -> Option<Head> {
    let mut line = String::new();
    reader.take(HEAD_MAX).read_line(&mut line).ok()?;
    let line = line.strip_suffix('\n')?;
    match line.strip_prefix(FOLD_END) {
        Some(digest) => Some(Head::End(digest.to_owned())),
        None => line.parse().ok().map(Head::Piece),
    }
}

impl FoldRecord {
    /// The record at `path`, when it is whole and was written under `key`.
    pub fn open(path: &Path, key: &str) -> Option<FoldRecord> {
        use sha2::Digest as _;
        let mut reader = BufReader::new(File::open(path).ok()?);
        let mut magic = String::new();
        (&mut reader).take(HEAD_MAX).read_line(&mut magic).ok()?;
        if magic.strip_suffix('\n')?.strip_prefix(FOLD_MAGIC)? != key {
            return None;
        }
        let mut hasher = sha2::Sha256::new();
        hasher.update(magic.as_bytes());
        loop {
            match read_head(&mut reader)? {
                Head::Piece(len) => {
                    hasher.update(format!("{len}\n").as_bytes());
                    let copied = io::copy(&mut (&mut reader).take(len), &mut hasher);
                    if copied.ok()? != len {
                        return None;
                    }
                }
                Head::End(digest) => {
                    let whole = digest == crate::hex(&hasher.finalize());
                    if !(whole && reader.fill_buf().ok()?.is_empty()) {
                        return None;
                    }
                    break;
                }
            }
        }
        let mut file = reader.into_inner();
        file.seek(SeekFrom::Start(magic.len() as u64)).ok()?;
        Some(FoldRecord {
            path: path.to_owned(),
            reader: BufReader::new(file),
        })
    }

    /// The record's next piece; an error naming the record once its pieces are out.
    pub fn piece(&mut self) -> Result<String, RegenError> {
        let Some(Head::Piece(len)) = read_head(&mut self.reader) else {
            return Err(self.error("the fold's record ends too soon"));
        };
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        (&mut self.reader)
            .take(len)
            .read_to_end(&mut bytes)
            .map_err(|e| self.error(e))?;
        String::from_utf8(bytes).map_err(|e| self.error(e))
    }

    /// An error naming the record, for a piece the caller could not read.
    pub fn error(&self, message: impl std::fmt::Display) -> RegenError {
        RegenError::Io {
            path: self.path.clone(),
            source: io::Error::other(message.to_string()),
        }
    }
}

/// One revision of a chain, loaded.
pub struct Loaded<R = Revision> {
    /// Its index in the manifest.
    pub index: usize,
    pub revision: R,
    /// Its data-file body, as the revision renders it.
    pub body: String,
    /// The body's SHA-256.
    pub digest: Digest,
    /// Came from the cache rather than a fresh ingest.
    pub cached: bool,
}

/// Loads a chain's revisions (its manifest entries with their indices, oldest first,
/// taken one at a time) through its pack and hands each, with its entry, to `each`
/// in order. When an entry was missing or not what its revision renders to, the pack
/// is written anew with every revision of the chain.
pub fn load_chain<E: Borrow<SourceEntry>, R: Take>(
    root: &Path,
    entries: impl IntoIterator<Item = Result<(usize, E), RegenError>>,
    cache: Option<&Cache>,
    mut each: impl FnMut(&SourceEntry, Loaded<R>) -> Result<(), RegenError>,
) -> Result<(), RegenError> {
    let mut entries = entries.into_iter().peekable();
    let pack_path = match entries.peek() {
        None => return Ok(()),
        Some(Ok((_, first))) => cache.map(|c| c.pack_path(first.borrow())),
        // Comes out of the first turn of the loop.
        Some(Err(_)) => None,
    };
    let mut old = pack_path.as_deref().and_then(Pack::open);
    let mut writer: Option<PackWriter> = None;
    let mut tried = false;
    // The entries found before the first one to write, to copy into the new pack.
    let mut before: Vec<(Key, Digest, Location)> = Vec::new();
    let result = (|| {
        for next in entries {
            let (index, entry) = next?;
            let entry = entry.borrow();
            let (bytes, digest) = regen::read_source(root, entry)?;
            let key = Cache::key(entry, &digest);
            let hit = old.as_mut().and_then(|pack| {
                let (at, digest, bytes) = pack.get(&key)?;
                let text = checked(bytes, &digest)?;
                let revision = R::from_body(&text)?;
                Some((revision, text, digest, at))
            });
            let (revision, body, digest, place) = match hit {
                Some((revision, text, digest, at)) => (revision, text, digest, Some(at)),
                None => {
                    let revision = regen::ingest_entry(entry, &bytes)?;
                    let body = emit::pretty(&revision);
                    let digest = emit::digest(&body);
                    (R::from_revision(revision), body, digest, None)
                }
            };
            let cached = place.is_some();
            if let (Some(path), false, None) = (&pack_path, tried, place) {
                // The first entry to write: start the new pack with those before it.
                tried = true;
                writer = PackWriter::create(path);
                if let (Some(w), Some(pack)) = (writer.as_mut(), old.as_mut()) {
                    for (key, digest, at) in &before {
                        if let Some(bytes) = read_at(&mut pack.file, *at) {
                            w.push(key, digest, &bytes);
                        }
                    }
                }
            }
            match (writer.as_mut(), place) {
                (Some(w), _) => {
                    w.push(&key, &digest, body.as_bytes());
                }
                (None, Some(at)) if !tried => before.push((key, digest, at)),
                _ => {}
            }
            each(
                entry,
                Loaded {
                    index,
                    revision,
                    body,
                    digest,
                    cached,
                },
            )?;
        }
        Ok(())
    })();
    match (result, writer) {
        // A new pack dropped uncommitted leaves nothing.
        (Err(e), _) => Err(e),
        (Ok(()), Some(w)) => {
            // Read through `old` no more: the new pack replaces it.
            drop(old);
            w.commit();
            Ok(())
        }
        (Ok(()), None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> SourceEntry {
        crate::manifest::Manifest::parse(
            "sources:\n- document: doc\n  revision: r1\n  locale: en-us\n  format: markdown\n  file: doc/r1.en-us.md\n  sha256: 0000000000000000000000000000000000000000000000000000000000000000\n",
        )
        .unwrap()
        .sources
        .remove(0)
    }

    #[test]
    fn a_fold_record_gives_back_its_pieces_only_whole_and_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/chain.fold");
        let pieces = ["title", "", "two\nlines\n", "end 0", "ja: 日本語", "12"];
        let mut writer = FoldWriter::create(&path, "k1").unwrap();
        for piece in pieces {
            writer.piece(piece);
        }
        writer.commit();
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);

        let mut record = FoldRecord::open(&path, "k1").unwrap();
        for piece in pieces {
            assert_eq!(record.piece().unwrap(), piece);
        }
        let error = record.piece().unwrap_err().to_string();
        assert!(
            error.contains("chain.fold") && error.contains("ends too soon"),
            "{error}"
        );

        assert!(FoldRecord::open(&path, "k2").is_none());
        let bytes = fs::read(&path).unwrap();
        let mut broken: Vec<Vec<u8>> = vec![
            bytes[..bytes.len() - 1].to_vec(),
            [&bytes[..], b"more"].concat(),
        ];
        for at in [20, bytes.len() / 2, bytes.len() - 3] {
            let mut edited = bytes.clone();
            edited[at] ^= 1;
            broken.push(edited);
        }
        for bytes in broken {
            fs::write(&path, bytes).unwrap();
            assert!(FoldRecord::open(&path, "k1").is_none());
        }

        // A record given up on leaves nothing behind.
        let mut writer = FoldWriter::create(&path, "k3").unwrap();
        writer.piece("half");
        drop(writer);
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
        assert!(FoldRecord::open(&path, "k3").is_none());
    }

    #[test]
    fn a_pack_gives_back_its_bodies_and_nothing_it_does_not_hold() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let entry = entry();
        let path = cache.pack_path(&entry);
        let mut writer = PackWriter::create(&path).unwrap();
        let bodies = ["{\n  \"a\": 1\n}", "", "{\n  \"b\": \"é\"\n}"];
        let keys: Vec<Key> = (0u8..3).map(|i| [i; 32]).collect();
        let places: Vec<Location> = keys
            .iter()
            .zip(bodies)
            .map(|(key, body)| {
                let digest = emit::digest(body);
                writer.push(key, &digest, body.as_bytes())
            })
            .collect();
        assert!(writer.commit());

        let mut pack = Pack::open(&path).unwrap();
        for ((key, body), at) in keys.iter().zip(bodies).zip(&places) {
            let found = Some((*at, emit::digest(body), body.as_bytes().to_vec()));
            assert_eq!(pack.get(key), found);
            let bytes = body.as_bytes().to_vec();
            assert_eq!(checked(bytes, &emit::digest(body)).as_deref(), Some(body));
        }
        assert_eq!(pack.get(&[9; 32]), None);
        // A body whose digest is not the one written beside it is not given.
        let (_, _, bytes) = pack.get(&keys[0]).unwrap();
        assert_eq!(checked(bytes, &emit::digest("{}")), None);

        // A cut-off pack keeps its whole entries; a file that is not a pack, none.
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let pack = Pack::open(&path).unwrap();
        assert_eq!(pack.index.len(), 2);
        fs::write(&path, b"{ not a pack").unwrap();
        assert!(Pack::open(&path).is_none());
    }
}

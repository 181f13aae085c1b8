//! `cargo xtask corpus --scale N --out DIR`: a large corpus grown deterministically
//! from the real sources, with its manifest. Each scale unit copies every real page
//! (and the ja-jp HTML capture) into a document of its own, then evolves it through
//! several revisions: terminology edits, reordered rows, codes withdrawn and restored;
//! Markdown and legacy pages also get a translation. Not committed: it is rebuilt.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use errcat::manifest::{Manifest, SourceEntry};
use errcat::model::Format;

/// Revisions per document, by default.
pub const REVISIONS: usize = 4;

/// Renames applied one per revision, as the real pages did.
const RENAMES: &[(&str, &str)] = &[
    ("Sign out", "Log off"),
    ("Azure AD", "Microsoft Entra ID"),
    ("the device", "the computer"),
    ("Windows Hello for Business", "Windows Hello"),
    ("Microsoft Entra", "Azure Active Directory"),
];

#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
}

struct Base {
    document: String,
    format: Format,
    locale: String,
    text: String,
}

fn bases(workspace: &Path) -> anyhow::Result<Vec<Base>> {
    let manifest = errcat::regen::read_manifest(workspace)?;
    let mut bases = Vec::new();
    for source in &manifest.sources {
        let path = workspace.join("sources").join(&source.file);
        let text = fs::read_to_string(&path).with_context(|| path.display().to_string())?;
        bases.push(Base {
            document: source.document.clone(),
            format: source.format,
            locale: source.locale.clone(),
            text,
        });
    }
    let html = workspace.join("tests/fixtures/windows-hello-pin-errors.ja-jp.html");
    bases.push(Base {
        document: "windows-hello-pin-errors-html".to_owned(),
        format: Format::Html,
        locale: "ja-jp".to_owned(),
        text: fs::read_to_string(&html).with_context(|| html.display().to_string())?,
    });
    Ok(bases)
}

/// xorshift64*: deterministic, seeded per document.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// A line that is one row of a code table, in Markdown or a legacy dump.
fn is_code_row(line: &str) -> bool {
    let t = line.trim_start();
    (t.starts_with("| 0x") || t.starts_with("| **") || t.starts_with("0x") || t.starts_with("0X"))
        && t.contains(" | ")
}

/// The next revision of a page: one rename, and for tables written as lines, a
/// swapped pair of rows and one row withdrawn while the row withdrawn last time
/// comes back where it was. Pages keep their size and the catalogue its codes and
/// sections, so that more revisions mean more history and nothing else.
fn evolve(
    text: &str,
    format: Format,
    rng: &mut Rng,
    step: usize,
    parked: &mut Option<(usize, String)>,
) -> String {
    let (from, to) = RENAMES[step % RENAMES.len()];
    let text = text.replace(from, to);
    if format == Format::Html {
        return text;
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    if let Some((at, row)) = parked.take() {
        lines.insert(at.min(lines.len()), row);
    }
    let rows: Vec<usize> = (0..lines.len())
        .filter(|&i| is_code_row(&lines[i]))
        .collect();
    if rows.len() < 4 {
        return lines.join("\n");
    }
    let a = rows[rng.below(rows.len() - 1)];
    if is_code_row(&lines[a + 1]) {
        lines.swap(a, a + 1);
    }
    let gone = rows[rng.below(rows.len())];
    *parked = Some((gone, lines.remove(gone)));
    lines.join("\n")
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Markdown => "md",
        Format::Html => "html",
        Format::Legacy => "txt",
    }
}

/// Writes `bytes` to `path` unless it holds them already.
fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| parent.display().to_string())?;
    }
    fs::write(path, bytes).with_context(|| path.display().to_string())
}

/// Removes every file under `dir` that is not in `keep`, and the directories that
/// leaves empty.
fn remove_others(dir: &Path, keep: &HashSet<PathBuf>) -> anyhow::Result<()> {
    let context = || dir.display().to_string();
    for entry in fs::read_dir(dir).with_context(context)? {
        let path = entry.with_context(context)?.path();
        if path.is_dir() {
            remove_others(&path, keep)?;
            let empty = fs::read_dir(&path).map(|mut d| d.next().is_none());
            if empty.with_context(|| path.display().to_string())? {
                fs::remove_dir(&path).with_context(|| path.display().to_string())?;
            }
        } else if !keep.contains(&path) {
            fs::remove_file(&path).with_context(|| path.display().to_string())?;
        }
    }
    Ok(())
}

/// Writes the corpus for `scale`, with `revisions` revisions per document, under
/// `out` (`out/sources/…`, with its manifest). A file already holding what it should
/// is left alone, and files of an earlier corpus there are removed: regenerating
/// the bench's corpora frees and creates no file when nothing changed (see
/// `bench::aside` for why that matters), and a cache there stays valid, its entries
/// being keyed by the sources' bytes.
pub fn generate(
    workspace: &Path,
    scale: usize,
    revisions: usize,
    out: &Path,
) -> anyhow::Result<Summary> {
    // The dataset's own sources would be removed as files the corpus does not have.
    if fs::canonicalize(out).is_ok_and(|out| fs::canonicalize(workspace).is_ok_and(|w| w == out)) {
        anyhow::bail!(
            "{}: the corpus would replace the dataset's own sources; give --out another directory",
            out.display()
        );
    }
    let bases = bases(workspace)?;
    let sources = out.join("sources");
    let mut written = HashSet::new();
    let mut manifest = Manifest {
        allowed_hosts: Vec::new(),
        upstreams: Vec::new(),
        sources: Vec::new(),
    };
    let mut summary = Summary::default();
    for unit in 0..scale {
        for (b, base) in bases.iter().enumerate() {
            let document = format!("{}-{b}-{unit:04}", base.document);
            let mut rng = Rng::new((unit * 131 + b) as u64 + 7);
            let mut text = base.text.clone();
            let mut parked = None;
            let mut locales = vec![base.locale.clone()];
            if base.format != Format::Html {
                locales.push("de-de".to_owned());
            }
            for step in 0..revisions.max(1) {
                if step > 0 {
                    text = evolve(&text, base.format, &mut rng, step, &mut parked);
                }
                let revision = format!("r{step}");
                // A revision a month, on a day of the document's own.
                let date = format!(
                    "{:04}-{:02}-{:02}",
                    2016 + step / 12,
                    step % 12 + 1,
                    1 + (unit * 7 + b) % 28
                );
                // The translation lags: it exists from the second revision on.
                for locale in locales.iter().filter(|l| **l == base.locale || step > 0) {
                    let file = format!("{document}/{revision}.{locale}.{}", extension(base.format));
                    let path = sources.join(&file);
                    write_if_changed(&path, text.as_bytes())?;
                    written.insert(path);
                    summary.files += 1;
                    summary.bytes += text.len() as u64;
                    manifest.sources.push(SourceEntry {
                        document: document.clone(),
                        revision: revision.clone(),
                        locale: locale.clone(),
                        format: base.format,
                        file,
                        date: Some(date.clone()),
                        url: None,
                        sha256: errcat::regen::content_digest(text.as_bytes()),
                        fetched: None,
                        note: None,
                    });
                }
            }
        }
    }
    manifest.validate()?;
    let manifest_path = sources.join(errcat::manifest::FILE_NAME);
    write_if_changed(&manifest_path, manifest.to_yaml().as_bytes())?;
    written.insert(manifest_path);
    remove_others(&sources, &written)?;
    Ok(summary)
}

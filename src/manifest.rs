//! `sources/manifest.yaml`: which files make up the dataset, and in what order.
//!
//! Revision order is manifest order, per document and locale: real pages keep a
//! stale `ms.date` when their content changes, so dates never order revisions.
//! Every id and label becomes part of a path under `sources/` and `generated/`, so
//! validation refuses anything that could step outside them.

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// The manifest's file name inside `sources/`.
pub const FILE_NAME: &str = "manifest.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Hosts a fetch may follow redirects to, besides the upstreams' own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_hosts: Vec<String>,
    /// Where `cargo xtask fetch` looks for new revisions.
    #[serde(default)]
    pub upstreams: Vec<Upstream>,
    /// The source files, oldest first within each document and locale.
    pub sources: Vec<SourceEntry>,
}

/// A live page to refresh from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub document: String,
    pub locale: String,
    pub format: Format,
    pub url: String,
    /// Validators from the last fetch, sent back as `If-None-Match` / `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub document: String,
    pub revision: String,
    pub locale: String,
    pub format: Format,
    /// Path relative to `sources/`: `<document>/<revision>.<locale>.<ext>`.
    pub file: String,
    /// The page's own date (`ms.date`), where it has one.
    #[serde(default)]
    pub date: Option<String>,
    /// Where the file was captured from, where known.
    #[serde(default)]
    pub url: Option<String>,
    /// SHA-256 of the file's bytes (CRLF line endings read as LF), lower-case hex.
    pub sha256: String,
    /// When `cargo xtask fetch` captured it (RFC 3339), for fetched files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SourceEntry {
    /// The chain it belongs to: its document, in its locale.
    pub fn chain(&self) -> (&str, &str) {
        (&self.document, &self.locale)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: {message}", location(*line))]
    Yaml {
        line: Option<usize>,
        message: String,
    },
    #[error("sources[{index}].{field}: {message}")]
    Field {
        index: usize,
        field: &'static str,
        message: String,
    },
    #[error("upstreams[{index}].{field}: {message}")]
    UpstreamField {
        index: usize,
        field: &'static str,
        message: String,
    },
}

/// The manifest parsed one source entry at a time: the YAML loader holds every event
/// of the document it parses, about ten times the text, and the manifest grows with
/// every revision. The entries stand alone, so a long manifest's are parsed on
/// several threads: the parser reads about 40 MB/s, and everything else waits for
/// the manifest. None unless everything parses this way (the `sources:` list a
/// block sequence under a top-level `sources:` line, each entry standing alone);
/// then the whole document is parsed at once, which also gives errors their lines.
fn by_entry(text: &str) -> Option<Manifest> {
    /// Entries a thread is worth starting for.
    const PER_THREAD: usize = 256;
    let (head, entries) = split_sources(text)?;
    let mut manifest: Manifest = serde_yaml::from_str(&head).ok()?;
    if !manifest.sources.is_empty() {
        return None;
    }
    let threads = crate::threads().min(entries.len().div_ceil(PER_THREAD));
    let parsed = crate::parallel_map(&entries, threads, |entry| {
        let mut one: Vec<SourceEntry> = serde_yaml::from_str(entry).ok()?;
        (one.len() == 1).then(|| one.pop()).flatten()
    });
    manifest.sources = parsed.into_iter().collect::<Option<_>>()?;
    Some(manifest)
}

/// The manifest with an empty `sources:` list in place of its own, and that list's
/// items, each a one-item sequence of its own lines (comments and blank lines after
/// an item go with it).
fn split_sources(text: &str) -> Option<(String, Vec<&str>)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let key = lines.iter().position(|(_, l)| l.trim_end() == "sources:")?;
    let is_filler = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    };
    let first = lines[key + 1..].iter().find(|(_, l)| !is_filler(l))?.1;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let marker = format!("{}- ", " ".repeat(indent));
    if !first.starts_with(&marker) {
        return None;
    }
    let mut starts = Vec::new();
    let mut end = lines.len();
    for (i, (_, line)) in lines.iter().enumerate().skip(key + 1) {
        let deeper = line.len() - line.trim_start_matches(' ').len() > indent;
        if line.starts_with(&marker) {
            starts.push(i);
        } else if !(is_filler(line) || deeper) {
            end = i;
            break;
        }
    }
    let offset = |i: usize| lines.get(i).map_or(text.len(), |(at, _)| *at);
    let entries = starts
        .iter()
        .enumerate()
        .map(|(n, &i)| &text[offset(i)..offset(starts.get(n + 1).copied().unwrap_or(end))])
        .collect();
    let head = format!(
        "{}sources: []\n{}",
        &text[..offset(key)],
        &text[offset(end)..]
    );
    Some((head, entries))
}

fn location(line: Option<usize>) -> String {
    line.map_or_else(|| "manifest".to_owned(), |l| format!("line {l}"))
}

impl Manifest {
    /// Parses and validates.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let manifest = match by_entry(text) {
            Some(manifest) => manifest,
            None => serde_yaml::from_str(text).map_err(|e| ManifestError::Yaml {
                line: e.location().map(|l| l.line()),
                message: e.to_string(),
            })?,
        };
        manifest.validate()?;
        Ok(manifest)
    }

    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).unwrap_or_default();
        format!(
            "# The sources errcat builds from: one entry per file, oldest first within each\n\
             # document and locale. `cargo xtask fetch` appends to it; edit by hand with care.\n{body}"
        )
    }

    pub fn validate(&self) -> Result<(), ManifestError> {
        let mut seen = std::collections::HashSet::new();
        for (index, s) in self.sources.iter().enumerate() {
            let field = |field: &'static str, message: String| ManifestError::Field {
                index,
                field,
                message,
            };
            check_segment(&s.document).map_err(|m| field("document", m))?;
            check_segment(&s.revision).map_err(|m| field("revision", m))?;
            check_locale(&s.locale).map_err(|m| field("locale", m))?;
            let prefix = format!("{}/{}.{}.", s.document, s.revision, s.locale);
            let ext = s.file.strip_prefix(&prefix).unwrap_or_default();
            if ext.is_empty() || !ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(field(
                    "file",
                    format!("`{}` must be `{prefix}<ext>`", s.file),
                ));
            }
            if s.sha256.len() != 64
                || !s
                    .sha256
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            {
                return Err(field(
                    "sha256",
                    "must be 64 lower-case hex digits".to_owned(),
                ));
            }
            if !seen.insert((&s.document, &s.revision, &s.locale)) {
                return Err(field(
                    "revision",
                    format!("{} {} {} is listed twice", s.document, s.revision, s.locale),
                ));
            }
        }
        for (index, u) in self.upstreams.iter().enumerate() {
            let field = |field: &'static str, message: String| ManifestError::UpstreamField {
                index,
                field,
                message,
            };
            check_segment(&u.document).map_err(|m| field("document", m))?;
            check_locale(&u.locale).map_err(|m| field("locale", m))?;
            if !(u.url.starts_with("https://") || u.url.starts_with("http://")) {
                return Err(field("url", format!("`{}` is not an http(s) URL", u.url)));
            }
        }
        Ok(())
    }
}

/// A document id or revision label: one safe path segment.
pub fn check_segment(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 100
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        })
        && !value.contains("..");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` must be 1-100 of a-z, 0-9, `-`, `_`, `.`, start with a letter or digit, and hold no `..`"
        ))
    }
}

/// A lower-case BCP 47 tag such as `en-us` or `ja-jp`.
pub fn check_locale(value: &str) -> Result<(), String> {
    let mut parts = value.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    let rest_ok = parts.all(|p| {
        (2..=8).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if lang_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a lower-case BCP 47 tag such as `en-us`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Result<Manifest, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    #[test]
    fn entry_by_entry_parses_what_the_whole_document_says() {
        let real = include_str!("../sources/manifest.yaml");
        let expected = whole(real).unwrap();
        assert_eq!(by_entry(real).as_ref(), Some(&expected));
        let items = real.split_once("\nsources:\n").unwrap().1;
        let indented: String = items.lines().map(|l| format!("  {l}\n")).collect();
        let variants = [
            real.replace('\n', "\r\n"),
            real.replace("\n- document:", "\n\n# a comment\n- document:"),
            format!(
                "{}\nsources:\n{indented}",
                real.split_once("\nsources:\n").unwrap().0
            ),
            format!("sources:\n{items}allowed_hosts:\n- example.org\n"),
            format!("# head\nsources:\n\n  # first\n{indented}\n# tail\n"),
        ];
        for text in &variants {
            let expected = whole(text).unwrap();
            assert!(!expected.sources.is_empty());
            assert_eq!(by_entry(text).as_ref(), Some(&expected), "{text}");
            assert_eq!(Manifest::parse(text).unwrap(), expected);
        }
    }

    #[test]
    fn a_long_manifest_parses_in_order_on_every_thread() {
        let real = include_str!("../sources/manifest.yaml");
        let (head, items) = real.split_once("\nsources:\n").unwrap();
        // Enough entries for several threads, each copy under its own revisions.
        let copies: String = (0..200)
            .map(|i| items.replace("  revision: ", &format!("  revision: c{i}-")))
            .collect();
        let text = format!("{head}\nsources:\n{copies}");
        let expected = whole(&text).unwrap();
        assert!(expected.sources.len() > 2 * 256);
        assert_eq!(by_entry(&text).as_ref(), Some(&expected));
        // One entry that does not stand alone sends the whole document to the
        // whole-document parser, wherever it falls.
        let at = text.rfind("  format: ").unwrap();
        let mut shared = text.clone();
        shared.insert_str(at + "  format: ".len(), "*undefined ");
        assert!(by_entry(&shared).is_none());
    }

    #[test]
    fn anything_else_is_parsed_whole_with_its_errors_lines() {
        let real = include_str!("../sources/manifest.yaml");
        // Not a block sequence under a bare `sources:` line, or entries that do not
        // stand alone: parsed whole, to the same result.
        let shared = real
            .replacen("  format: legacy\n", "  format: &f legacy\n", 1)
            .replacen("  format: legacy\n", "  format: *f\n", 1);
        let flow = "sources: [{document: d, revision: r, locale: en-us, format: markdown, file: d/r.en-us.md, sha256: x}]\n";
        let commented = real.replace("\nsources:\n", "\nsources: # the files\n");
        for text in [shared.as_str(), flow, commented.as_str()] {
            assert!(by_entry(text).is_none(), "{text}");
            assert_eq!(
                Manifest::parse(text).ok(),
                whole(text).ok().filter(|m| m.validate().is_ok())
            );
        }
        assert!(Manifest::parse(&shared).is_ok());
        // A broken entry: the error names the line the whole document puts it on.
        let broken = real.replacen("  locale: ja-jp\n", "  locale: [ja-jp\n", 1);
        let line = whole(&broken).unwrap_err().location().unwrap().line();
        match Manifest::parse(&broken) {
            Err(ManifestError::Yaml { line: Some(l), .. }) => assert_eq!(l, line),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn segments_cannot_climb_out() {
        for bad in [
            "..",
            "../x",
            "/etc",
            "a/b",
            "",
            "A",
            "a..b",
            "\u{2024}\u{2024}",
            "ｘ",
        ] {
            assert!(check_segment(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_segment("2018-05-05").is_ok());
    }

    fn entry(document: &str, revision: &str, file: &str) -> String {
        format!(
            "sources:\n  - document: {document}\n    revision: {revision}\n    locale: en-us\n    format: legacy\n    file: {file}\n    sha256: {}\n",
            "a".repeat(64)
        )
    }

    #[test]
    fn paths_cannot_leave_sources() {
        for (text, field) in [
            (entry("d", "r", "../../etc/passwd"), "sources[0].file"),
            (entry("d", "r", "/etc/passwd"), "sources[0].file"),
            (entry("d", "r", "d/r.en-us.md/../../x"), "sources[0].file"),
            (entry("d", "'../r'", "d/r.en-us.md"), "sources[0].revision"),
            (entry("'ｄ'", "r", "d/r.en-us.md"), "sources[0].document"),
            (
                entry(r#""d\u0000""#, "r", "d/r.en-us.md"),
                "sources[0].document",
            ),
        ] {
            let err = Manifest::parse(&text).unwrap_err().to_string();
            assert!(err.starts_with(field), "{err}");
        }
        assert!(Manifest::parse(&entry("d", "r", "d/r.en-us.md")).is_ok());
    }

    #[test]
    fn errors_name_the_field() {
        let text = "sources:\n  - document: ../up\n    revision: r\n    locale: en-us\n    format: legacy\n    file: x\n    sha256: x\n";
        let err = Manifest::parse(text).unwrap_err().to_string();
        assert!(err.starts_with("sources[0].document:"), "{err}");
    }
}

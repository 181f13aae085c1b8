//! Ingesters: one per source shape, each turning text into a [`Page`].
//!
//! A [`Page`] is the document's outline in reading order: headings, paragraphs,
//! lists and tables whose cells are already plain [`CellText`]. Every quirk of a
//! shape (flattened rows, GFM pipes, HTML cells) stops here; what a heading path,
//! a step or a code row *means* is decided once, in [`crate::reconcile`].
//! No I/O happens here: bytes in, value out.

use std::collections::BTreeMap;

use crate::model::{Diagnostic, DiagnosticKind, Format, Level};
use crate::text::{CellText, PieceKind};

pub mod html;
pub mod legacy;
pub mod markdown;

/// A document's outline, in reading order.
#[derive(Debug, Default)]
pub struct Page {
    /// Frontmatter, as key → value.
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// A locale the page declares itself (`<html lang>`), lower-case.
    pub locale: Option<String>,
    pub blocks: Vec<Block>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files the page includes (`[!INCLUDE]`) and does not hold, each with the
    /// line that includes it.
    pub includes: Vec<(usize, String)>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// A heading. `level` 1 is the page title. A pseudo-heading is a paragraph that is
    /// only bold text (`**Network errors**:`), which the pages use as a sub-heading,
    /// perhaps with an aside in parentheses after it (`**STATUS_X** (0x…)`).
    Heading {
        level: u8,
        text: String,
        pseudo: bool,
        line: usize,
    },
    Paragraph {
        cell: CellText,
        line: usize,
    },
    /// A top-level list: each item's text, the items nested in it as pieces of it.
    List {
        items: Vec<CellText>,
        line: usize,
    },
    /// A code block or `<pre>` outside any list or table (`dsregcmd /status` output,
    /// a command to run): never a table, and read only as the text of a code's
    /// section, its lines joined.
    Code {
        text: String,
        line: usize,
    },
    /// Any table; whether it is a code table is decided later.
    Table(Table),
}

#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub line: usize,
    pub rows: Vec<Row>,
    /// Each cell stands under the column its label names, as in a list of entries
    /// written as bullets or a heading for each code: an empty cell is a label not
    /// given, never a cell that a scrape moved.
    pub labelled: bool,
    /// For a table the reconciler made of code headings, the headings' level: the
    /// table stands where they did, so it closes the sections at that level.
    pub level: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The 1-based line the row starts on.
    pub line: usize,
    pub cells: Vec<CellText>,
    /// The row as written, for diagnostics that must carry it.
    pub raw: String,
}

/// A top-level list item as an ingester reads it: its own text, and the items of
/// the list nested in it.
#[derive(Debug)]
pub struct ListItem {
    pub line: usize,
    pub head: CellText,
    pub nested: Vec<CellText>,
    pub raw: String,
}

/// Turns a top-level list into a block. A list of code entries
/// (`- **SYMBOL** (0x…/-…)` with nested `- Reason: …` / `- Resolution: …` items) is a
/// code table written as bullets, and becomes one: a column per label. An entry
/// written on one line (`- **0x80090011**: Container not found.`) among them is a
/// row of its code cell alone; an item with labels and no code is a row too. So is
/// a list whose every item opens with an error's code set off from its message
/// (`- **50058**: User is authenticated but not yet signed in.`), whatever is
/// nested under them: items under no label are the code's description.
pub fn list_block(items: Vec<ListItem>, line: usize) -> Block {
    let has_code = |cell: &crate::code::CodeCell| !cell.codes.is_empty();
    // A command's output among the labels (`Error: 0x…` in a code block) is no label,
    // and leaves the entry an entry.
    let command = |n: &CellText| n.pieces.first().is_some_and(|p| p.kind == PieceKind::Code);
    let labelled = |item: &ListItem| {
        !item.nested.is_empty() && item.nested.iter().all(|n| label(n).is_some() || command(n))
    };
    let opens_with_code = |cell: &crate::code::CodeCell| {
        has_code(cell) && cell.codes.iter().all(listed_code) && !cell.rest_is_merged
    };
    let is_entries = {
        // Each item's head read as a code cell once, for every test.
        let heads: Vec<_> = (items.iter())
            .map(|item| (item, crate::code::scan_cell(item.head.segments())))
            .collect();
        // One entry in shape makes the list a table: each other item is a row of it,
        // which the reconciler reports where it gives no code.
        (heads
            .iter()
            .any(|(item, cell)| has_code(cell) && labelled(item))
            && (heads.iter())
                .all(|(item, cell)| labelled(item) || (item.nested.is_empty() && has_code(cell))))
            || (items.len() > 1 && heads.iter().all(|(_, cell)| opens_with_code(cell)))
    };
    if !is_entries {
        // An item's nested items are more of its text (`- Cause:` over the causes).
        let items = items.into_iter().map(|item| {
            let mut cell = item.head;
            for nested in item.nested {
                append_cell(&mut cell, nested, PieceKind::Item);
            }
            cell
        });
        return Block::List {
            items: items.collect(),
            line,
        };
    }
    let mut header = vec!["Error code".to_owned()];
    let described = (items.iter().flat_map(|i| &i.nested)).any(|n| label(n).is_none());
    if described {
        header.push(DESCRIPTION.to_owned());
    }
    for (name, _) in items.iter().flat_map(|i| &i.nested).filter_map(label) {
        if header.len() > MAX_LABELS {
            break;
        }
        if !header.iter().any(|h| h == name) {
            header.push(name.to_owned());
        }
    }
    let rows = items
        .into_iter()
        .map(|item| {
            let mut cells = vec![CellText::default(); header.len()];
            cells[0] = item.head;
            for nested in item.nested {
                let Some((name, _)) = label(&nested) else {
                    append_cell(&mut cells[1], nested, PieceKind::Item);
                    continue;
                };
                // A label past the last column stays whole, in a cell after it.
                let Some(column) = header.iter().position(|h| h == name) else {
                    cells.push(nested);
                    continue;
                };
                match split_label(nested) {
                    Ok((_, body)) => append_cell(&mut cells[column], body, PieceKind::Paragraph),
                    Err(nested) => cells.push(nested),
                }
            }
            Row {
                line: item.line,
                cells,
                raw: item.raw,
            }
        })
        .collect();
    Block::Table(Table {
        header,
        line,
        rows,
        labelled: true,
        level: None,
    })
}

/// A code that opens a list item as an error's does: a hex, a decimal of five
/// digits or more, a symbolic name, or capitals and three digits or more
/// (`AADSTS50058`). No year, step or version (`2024: …`, `IPv6: …`), and no word in
/// camel case (`PowerShell: …`).
fn listed_code(code: &crate::code::ParsedCode) -> bool {
    let name = &code.code;
    match code.value {
        Some(_) => name.starts_with("0x") || name.trim_start_matches('-').len() >= 5,
        None => {
            let digits = name.trim_start_matches(|c: char| c.is_ascii_uppercase());
            crate::code::is_symbol(name)
                || (digits.len() >= 3
                    && digits.len() < name.len()
                    && digits.bytes().all(|b| b.is_ascii_digit()))
        }
    }
}

/// The column of a code's text under no label, in a list of entries or under a
/// code's heading.
pub(crate) const DESCRIPTION: &str = "Description";

/// The most labels that a list of entries, or a run of code headings, makes columns
/// of. Real pages use a handful; text under any other label stays whole in a cell
/// after the last column, which the reconciler joins to the last cell with a
/// warning, so that no page makes a table of as many columns as it has rows.
pub const MAX_LABELS: usize = 32;

/// `after`, the start of the text after a paragraph's bold text, may still be an
/// aside in parentheses ([`pseudo_title`]): a reader stops at the first word that
/// is not.
pub(crate) fn may_be_aside(after: &str) -> bool {
    let after = after
        .trim_start()
        .trim_start_matches([':', '：'])
        .trim_start();
    after.is_empty() || after.starts_with('(')
}

/// The title of a paragraph that is a pseudo-heading: its bold text `bold`, with
/// `after`, the text after it, where that is only an aside in parentheses, as a
/// page gives an error's numbers beside its name (`**STATUS_LOGON_FAILURE**
/// (-1073741715/ 0xc000006d)`). A trailing colon is no part of it. None where
/// there is no bold text, or other text after it.
pub(crate) fn pseudo_title(bold: &str, after: &str) -> Option<String> {
    let trimmed = |text: &str| text.trim().trim_end_matches([':', '：']).trim().to_owned();
    let (bold, after) = (trimmed(bold), trimmed(after));
    let aside = after.is_empty() || (after.starts_with('(') && after.ends_with(')'));
    if bold.is_empty() || !aside {
        return None;
    }
    let title = if after.is_empty() {
        bold
    } else {
        format!("{bold} {after}")
    };
    Some(crate::text::clean(&title))
}

/// Appends `cell` to `to`. Its first piece starts a `kind` piece where `to` has
/// text already, and always when it is a list item, so that a cell of items reads
/// as one.
pub(crate) fn append_cell(to: &mut CellText, mut cell: CellText, kind: PieceKind) {
    if let Some(first) = cell.pieces.first_mut() {
        if !to.is_empty() || kind == PieceKind::Item {
            first.kind = kind;
        }
    }
    to.pieces.append(&mut cell.pieces);
    to.links.append(&mut cell.links);
}

/// `Reason: text` → (`Reason`, `text`). A label is a few words before a colon, in
/// ASCII or full width (`原因：`), the last perhaps in a plural of either number
/// (`Reason(s):`).
pub(crate) fn label(cell: &CellText) -> Option<(&str, &str)> {
    let first = cell.pieces.first().filter(|p| p.kind != PieceKind::Code)?;
    label_of(&first.text)
}

/// The label a line of text opens with, as [`label`] reads a cell's first line.
pub(crate) fn label_of(text: &str) -> Option<(&str, &str)> {
    // A label is a few words: its colon is within the line's first 256 bytes, and
    // a long line is not searched to its end.
    let mut end = text.len().min(256);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    // Each colon found on its own, by the byte search one character allows.
    let at = match (head.find(':'), head.find('：')) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let (name, rest) = text.split_at(at);
    let body = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
    // `See https://…` names an address, and `Rename the C:\Windows\…` a path, not
    // a label.
    if body.starts_with(['/', '\\']) {
        return None;
    }
    let words = name.split_whitespace().count();
    let bare = name.trim_end().strip_suffix("(s)").unwrap_or(name);
    ((1..=3).contains(&words) && bare.chars().all(|c| c.is_alphanumeric() || c == ' '))
        .then(|| (name.trim(), body.trim()))
}

/// A labelled cell (`Reason: text`) split into its label and the cell without it;
/// a cell with no label is given back.
pub(crate) fn split_label(mut cell: CellText) -> Result<(String, CellText), CellText> {
    let Some((name, body)) = label(&cell) else {
        return Err(cell);
    };
    let (name, body) = (name.to_owned(), body.to_owned());
    cell.pieces[0].text = body;
    cell.pieces.retain(|p| !p.text.is_empty());
    Ok((name, cell))
}

impl Page {
    pub fn diagnose(&mut self, level: Level, kind: DiagnosticKind, line: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            level,
            kind,
            line,
            message,
        });
    }
}

/// Byte offset → 1-based line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Input that cannot be ingested at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the file is empty")]
    Empty,
    #[error("not UTF-8: invalid byte at offset {offset}")]
    NotUtf8 { line: usize, offset: usize },
    #[error("broken YAML frontmatter: {message}")]
    Frontmatter { line: usize, message: String },
    #[error("no code table: nothing here lists error codes")]
    NoCodeTable,
    #[error("no code table here: its text comes from `{file}`, which is another file, not read")]
    OnlyIncluded { line: usize, file: String },
    #[error("{bytes} bytes is over the {cap} byte limit for one source")]
    TooLarge { bytes: usize, cap: usize },
}

/// The largest source errcat reads: far above any real page, small enough that a
/// hostile download cannot exhaust memory.
pub const MAX_SOURCE_BYTES: usize = 32 << 20;

impl IngestError {
    /// The 1-based line the error is on, where it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            IngestError::NotUtf8 { line, .. }
            | IngestError::Frontmatter { line, .. }
            | IngestError::OnlyIncluded { line, .. } => Some(*line),
            IngestError::Empty | IngestError::NoCodeTable | IngestError::TooLarge { .. } => None,
        }
    }
}

/// Decodes source bytes: UTF-8 only, a leading BOM dropped, CRLF and lone CR made LF.
pub fn decode(bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(IngestError::TooLarge {
            bytes: bytes.len(),
            cap: MAX_SOURCE_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        IngestError::NotUtf8 {
            line: 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count(),
            offset,
        }
    })?;
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    })
}

/// Guesses the shape of a source from its name and its first bytes.
pub fn detect_format(name: &str, text: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Format::Markdown;
    }
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return Format::Html;
    }
    let head: String = text.trim_start().chars().take(512).collect();
    let head_lower = head.to_ascii_lowercase();
    if head_lower.starts_with("<!doctype html") || head_lower.starts_with("<html") {
        return Format::Html;
    }
    if head.starts_with("---\n") || head.starts_with("# ") {
        return Format::Markdown;
    }
    Format::Legacy
}

/// Ingests decoded text in the given shape.
pub fn page(format: Format, text: &str) -> Result<Page, IngestError> {
    match format {
        Format::Legacy => Ok(legacy::ingest(text)),
        Format::Markdown => markdown::ingest(text),
        Format::Html => Ok(html::ingest(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::label_of;

    #[test]
    fn a_label_is_a_few_words_before_a_colon_not_an_address_or_a_path() {
        assert_eq!(label_of("Reason(s): text"), Some(("Reason(s)", "text")));
        assert_eq!(label_of("原因：テキスト"), Some(("原因", "テキスト")));
        assert_eq!(label_of("See https://example.test/a"), None);
        assert_eq!(
            label_of("Rename the C:\\Windows\\SoftwareDistribution folder."),
            None
        );
        assert_eq!(label_of("Open the D:/logs folder."), None);
    }
}

//! Legacy table dumps: text scraped from old HTML pages.
//!
//! Tables are ` | `-separated lines under a `---|---|` rule, and a row may break
//! across lines: cells are counted against the header to rejoin it, and a line that
//! does not end in `|` leaves its last cell open for the next line. A flattened
//! frontmatter table at the top is rebuilt into metadata. Other lines become
//! headings (short lines with no closing punctuation), list items (`- x`, or a lone
//! `-` before the item) and paragraphs. Not for Markdown: `#` means nothing here.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Block, Page, Row, Table};
use crate::code;
use crate::model::{DiagnosticKind, Level};
use crate::text::{self, CellBuilder, CellText};

/// Ingests a legacy dump. Never fails: what cannot be read becomes diagnostics.
pub fn ingest(text: &str) -> Page {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut page = Page::default();
    let mut i = frontmatter(&lines, &mut page);
    let mut have_title = false;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
        } else if is_table_start(&lines, i) {
            let (table, next) = table(&lines, i);
            page.blocks.push(Block::Table(table));
            i = next;
        } else if line == "-" || line.starts_with("- ") {
            let (items, next) = list(&lines, i);
            page.blocks.push(Block::List { items, line: i + 1 });
            i = next;
        } else if looks_like_heading(line) {
            page.blocks.push(Block::Heading {
                level: if have_title { 2 } else { 1 },
                text: plain(line),
                pseudo: false,
                line: i + 1,
            });
            have_title = true;
            i += 1;
        } else {
            page.blocks.push(Block::Paragraph {
                cell: cell_text(line),
                line: i + 1,
            });
            i += 1;
        }
    }
    page
}

fn plain(line: &str) -> String {
    cell_text(line).joined()
}

/// A table header is a line with a `|` followed by a `---|---` rule.
fn is_table_start(lines: &[&str], i: usize) -> bool {
    lines[i].contains('|') && lines.get(i + 1).is_some_and(|l| is_rule(l))
}

fn is_rule(line: &str) -> bool {
    let line = line.trim();
    line.contains("---")
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '-' | '|' | ':' | ' ' | '\t'))
}

/// A short line that does not end a sentence: `Error mitigations`, `Where is the error code?`.
fn looks_like_heading(line: &str) -> bool {
    const SENTENCE_ENDS: &[char] = &['.', '。', ':', '：', ';', ',', '、', '!', '！', '|'];
    line.chars().count() <= 80
        && !line.ends_with(SENTENCE_ENDS)
        && line.chars().any(char::is_alphabetic)
        && !line.contains("://")
}

/// Splits a table line into trimmed cells. The second value is true where the line
/// does not end in `|`, so that its last cell goes on on the next line.
fn split_cells(line: &str, leading_pipe: bool) -> (Vec<String>, bool) {
    let mut line = line.trim();
    if leading_pipe && line.len() > 1 {
        line = line.strip_prefix('|').unwrap_or(line);
    }
    let closed = line.ends_with('|') && !line.ends_with("\\|");
    if closed {
        line = &line[..line.len() - 1];
    }
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut pieces = line.split('|').peekable();
    while let Some(piece) = pieces.next() {
        match piece.strip_suffix('\\') {
            // `\|` is a pipe inside the cell.
            Some(escaped) if pieces.peek().is_some() => {
                current.push_str(escaped);
                current.push('|');
            }
            _ => {
                current.push_str(piece);
                cells.push(current.trim().to_owned());
                current.clear();
            }
        }
    }
    (cells, !closed)
}

fn cell_text(raw: &str) -> CellText {
    let mut cell = CellBuilder::new();
    cell.text_with_markdown_links(&text::unescape_underscores(raw));
    cell.finish()
}

/// Reads a table starting at its header line; returns it and the next line to read.
fn table(lines: &[&str], start: usize) -> (Table, usize) {
    let header_line = lines[start].trim();
    let leading_pipe = header_line.starts_with('|') && header_line.len() > 1;
    let (mut header, _) = split_cells(header_line, leading_pipe);
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let columns = header.len().max(1);
    let mut rows = Vec::new();
    let mut pending = PendingRow::default();
    let mut i = start + 2;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            match resumes_after_blank(lines, i, leading_pipe, &pending, columns) {
                Some(next) => {
                    i = next;
                    continue;
                }
                None => break,
            }
        }
        if (!line.contains('|') && !pending.open) || is_table_start(lines, i) {
            break;
        }
        if !line.contains('|') {
            pending.continue_cell(line, lines[i]);
            i += 1;
            continue;
        }
        let (mut cells, open) = split_cells(line, leading_pipe);
        if pending.started() {
            let complete = pending.cells.len() >= columns;
            let new_row = starts_with_code(&cells) && (complete || !pending.open);
            if new_row {
                rows.push(pending.finish());
            } else if pending.open {
                let first = cells.remove(0);
                pending.continue_cell(&first, "");
                pending.raw.push('\n');
                pending.raw.push_str(lines[i]);
            } else {
                pending.raw.push('\n');
                pending.raw.push_str(lines[i]);
            }
        }
        if !pending.started() {
            pending.line = i + 1;
            pending.raw = lines[i].to_owned();
        }
        pending.cells.extend(cells);
        pending.open = open;
        if pending.cells.len() >= columns && !open {
            rows.push(pending.finish());
        }
        i += 1;
    }
    if pending.started() {
        rows.push(pending.finish());
    }
    let table = Table {
        header,
        line: start + 1,
        rows,
        labelled: false,
        level: None,
    };
    (table, i)
}

/// Where a table goes on after the blank lines at `blank`, if it does: at the next
/// line with cells, where that line starts a row with a code, or carries on a row the
/// blank lines broke before all its cells came. Scraped text breaks a cell's
/// paragraphs with blank lines; anything else after them ends the table.
fn resumes_after_blank(
    lines: &[&str],
    blank: usize,
    leading_pipe: bool,
    pending: &PendingRow,
    columns: usize,
) -> Option<usize> {
    let next = (blank..lines.len()).find(|&j| !lines[j].trim().is_empty())?;
    let line = lines[next].trim();
    if !line.contains('|') || is_table_start(lines, next) {
        return None;
    }
    let broken = pending.started() && (pending.open || pending.cells.len() < columns);
    (broken || starts_with_code(&split_cells(line, leading_pipe).0)).then_some(next)
}

fn starts_with_code(cells: &[String]) -> bool {
    cells
        .first()
        .is_some_and(|c| !code::scan_cell([c.as_str()]).codes.is_empty())
}

#[derive(Default)]
struct PendingRow {
    line: usize,
    cells: Vec<String>,
    open: bool,
    raw: String,
}

impl PendingRow {
    fn started(&self) -> bool {
        self.line != 0
    }

    /// Text that goes on the open last cell.
    fn continue_cell(&mut self, text: &str, raw_line: &str) {
        match self.cells.last_mut() {
            Some(last) => {
                if !last.is_empty() && !text.is_empty() {
                    last.push(' ');
                }
                last.push_str(text);
            }
            None => self.cells.push(text.to_owned()),
        }
        if !raw_line.is_empty() {
            self.raw.push('\n');
            self.raw.push_str(raw_line);
        }
    }

    fn finish(&mut self) -> Row {
        let pending = std::mem::take(self);
        Row {
            line: pending.line,
            cells: pending.cells.iter().map(|c| cell_text(c)).collect(),
            raw: pending.raw,
        }
    }
}

/// A list of `- item` lines, or of lone `-` lines each followed by its item. An
/// item's text runs on until the next `-` where another one follows.
fn list(lines: &[&str], start: usize) -> (Vec<CellText>, usize) {
    let mut items = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(item) = line.strip_prefix("- ") {
            items.push(cell_text(item));
            i += 1;
        } else if line == "-" {
            let body_start = i + 1;
            let next_dash = (body_start..lines.len())
                .take_while(|&j| !is_table_start(lines, j))
                .find(|&j| lines[j].trim() == "-" || lines[j].trim().starts_with("- "));
            let body_end = match next_dash {
                Some(j) => j,
                None => (body_start + 1).min(lines.len()),
            };
            let body: Vec<&str> = lines[body_start..body_end]
                .iter()
                .map(|l| l.trim())
                .collect();
            items.push(cell_text(&body.join(" ")));
            i = body_end;
        } else {
            break;
        }
    }
    (items, i)
}

/// A flattened frontmatter table at the top of the dump: a header row of keys, a rule,
/// then the values, broken over lines. Returns the first line after it.
fn frontmatter(lines: &[&str], page: &mut Page) -> usize {
    const PREAMBLE_LINES: usize = 4;
    let Some(start) = (0..lines.len().min(PREAMBLE_LINES + 1)).find(|&i| is_table_start(lines, i))
    else {
        return 0;
    };
    let (header, _) = split_cells(lines[start], false);
    let keys: Vec<String> = header.into_iter().filter(|k| !k.is_empty()).collect();
    if !keys.iter().any(|k| k.eq_ignore_ascii_case("title")) {
        return 0;
    }
    let mut value_lines = Vec::new();
    let mut i = start + 2;
    // The values run on until a line without a closing `|`, or a table's header.
    while i < lines.len() && lines[i].trim_end().ends_with('|') && !is_table_start(lines, i) {
        value_lines.push(lines[i].trim());
        i += 1;
    }
    let cells: Vec<String> = value_lines
        .iter()
        .flat_map(|l| split_cells(l, false).0)
        .collect();
    let per_line: Vec<String> = value_lines
        .iter()
        .map(|l| l.trim_end_matches('|').trim().to_owned())
        .collect();
    let (values, aligned) = if cells.len() == keys.len() {
        (cells, true)
    } else if per_line.len() == keys.len() {
        (per_line, true)
    } else {
        (per_line, false)
    };
    let mut metadata = BTreeMap::new();
    let placed = align(&keys, &values);
    for (key, value) in &placed {
        metadata.insert(key.clone(), Value::String(text::clean(value)));
    }
    if !aligned {
        let missing: Vec<&str> = keys
            .iter()
            .filter(|k| !metadata.contains_key(*k))
            .map(String::as_str)
            .collect();
        page.diagnose(
            Level::Warning,
            DiagnosticKind::FrontmatterMisaligned,
            start + 1,
            format!(
                "{} values for {} keys: values were matched in order, dates to the date key; \
                 left without a value: {}",
                values.len(),
                keys.len(),
                missing.join(", ")
            ),
        );
    }
    page.metadata = metadata;
    i
}

/// Matches values to keys in order; a date value anchors to the first key named
/// `*date*`, and the values after it fill the keys after it.
fn align(keys: &[String], values: &[String]) -> Vec<(String, String)> {
    let date_value = values.iter().position(|v| is_date(v));
    let date_key = keys
        .iter()
        .position(|k| k.to_ascii_lowercase().contains("date"));
    let mut placed = Vec::new();
    match (date_value, date_key) {
        (Some(v), Some(k)) if values.len() != keys.len() => {
            placed.extend(keys[..k].iter().cloned().zip(values[..v].iter().cloned()));
            placed.extend(keys[k..].iter().cloned().zip(values[v..].iter().cloned()));
        }
        _ => placed.extend(keys.iter().cloned().zip(values.iter().cloned())),
    }
    placed
}

/// `07/14/2017` or `2017-07-14`.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split(['/', '-']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_cells_continue_on_the_next_line() {
        let page = ingest("A | B | C |\n---|---|---|\nx | y | half\nrest |\n");
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells[2].joined(), "half rest");
    }

    #[test]
    fn short_rows_take_cells_from_the_next_line_until_a_code_starts() {
        let page =
            ingest("Hex | Cause | Fix |\n---|---|---|\n0x1 | a |\nb |\n0x2 | c |\n0x3 | d | e |\n");
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        let widths: Vec<usize> = table.rows.iter().map(|r| r.cells.len()).collect();
        assert_eq!(widths, [3, 2, 3]);
    }

    /// Blank lines inside a table, as scraped text leaves between a cell's
    /// paragraphs or between rows, neither end it nor lose a row; after a complete
    /// row, a line that starts no code row ends it.
    #[test]
    fn blank_lines_inside_a_table_do_not_end_it() {
        let page = ingest(
            "Hex | Cause | Mitigation |\n---|---|---|\n0x801C03ED | First paragraph\n\n\
             second paragraph | Rejoin |\n\n0x80090036 | Cancelled | Try again |\n\n\
             Some note | with a pipe |\n",
        );
        let Block::Table(table) = &page.blocks[0] else {
            panic!("{:?}", page.blocks);
        };
        let rows: Vec<(usize, Vec<String>)> = table
            .rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(CellText::joined).collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    3,
                    vec![
                        "0x801C03ED".into(),
                        "First paragraph second paragraph".into(),
                        "Rejoin".into()
                    ]
                ),
                (
                    7,
                    vec!["0x80090036".into(), "Cancelled".into(), "Try again".into()]
                ),
            ]
        );
        assert!(
            matches!(&page.blocks[1], Block::Paragraph { line: 9, .. }),
            "{:?}",
            page.blocks
        );
    }

    /// A code table right under the flattened frontmatter is a table, not more
    /// values of the frontmatter.
    #[test]
    fn a_table_right_under_the_frontmatter_is_a_table() {
        let page = ingest(
            "title | description |\n---|---|\nPIN errors | Errors during PIN creation |\n\
             Hex | Cause | Mitigation |\n---|---|---|\n0x80090005 | Bad key | Reset |\n",
        );
        assert_eq!(page.metadata["title"], "PIN errors");
        assert_eq!(page.metadata["description"], "Errors during PIN creation");
        let Some(Block::Table(table)) = page.blocks.first() else {
            panic!("{:?}", page.blocks);
        };
        assert_eq!((table.line, table.rows.len()), (4, 1));
        assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
    }

    #[test]
    fn escaped_pipes_stay_in_their_cell() {
        let (cells, open) = split_cells(r"| a \| b | c\\|d | e\ |", true);
        assert_eq!(cells, [r"a | b", r"c\|d", r"e\"]);
        assert!(!open);
        // A line that ends in an escaped pipe is not closed: its last cell goes on.
        let (cells, open) = split_cells(r"x | y \|", false);
        assert_eq!(cells, ["x", "y |"]);
        assert!(open);
        // A backslash with no pipe after it is text.
        assert_eq!(split_cells("\\", false), (vec!["\\".to_owned()], true));
    }

    /// The cells a character at a time: what `split_cells` must agree with.
    fn split_by_chars(line: &str) -> Vec<String> {
        let mut cells = Vec::new();
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'|') => {
                    current.push('|');
                    chars.next();
                }
                '|' => cells.push(std::mem::take(&mut current).trim().to_owned()),
                _ => current.push(c),
            }
        }
        cells.push(current.trim().to_owned());
        cells
    }

    proptest::proptest! {
        #[test]
        fn cells_split_as_character_by_character(line in r"[a| \\é]{0,30}") {
            let (cells, _) = split_cells(&line, false);
            let mut trimmed = line.trim();
            if trimmed.ends_with('|') && !trimmed.ends_with("\\|") {
                trimmed = &trimmed[..trimmed.len() - 1];
            }
            proptest::prop_assert_eq!(cells, split_by_chars(trimmed));
        }
    }
}

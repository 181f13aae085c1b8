//! From a page's outline to a canonical [`Revision`]: sections, steps, and the code
//! rows reconciled into one entry per code per section, with nothing lost.
//!
//! Every row of every code table ends as a condition of an entry or as a diagnostic
//! naming its line (row conservation). What the rows mean is decided here once for
//! all three source shapes; how they were written was settled by the ingesters.
//!
//! The page is read in order, in three steps: `sections` makes each run of code
//! headings a table, as the page would have written it (`headings` says which
//! headings give codes); `columns` says which tables list codes and what each of
//! their columns holds; `rows` makes each row a condition of its code's entry, or
//! a diagnostic.

mod columns;
mod headings;
mod rows;
mod sections;

use crate::ingest::{Block, IngestError, Page};
use crate::model::{DiagnosticKind, EntryKind, Format, Level, Revision, Stats};
use crate::text::CellText;

use columns::{
    cap_columns, code_column, codes_first, errors_in_events, is_code_table, says_not_errors,
    settle_header, split_comments,
};
use headings::{title_codes, CodeLine};
use rows::Builder;
use sections::code_sections;

pub use columns::MAX_COLUMNS;
pub use rows::{MAX_CELL_BYTES, MAX_ROW_CODES};
pub use sections::{MAX_SHARED, MAX_TEXT_NAMES};

/// Where a source came from, as the caller knows it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub document: String,
    pub revision: String,
    /// Overrides whatever the page declares.
    pub locale: Option<String>,
    /// The path recorded in every condition's `source.file`.
    pub source: String,
    pub format: Format,
}

/// The locale used when neither the caller nor the page names one.
pub const DEFAULT_LOCALE: &str = "en-us";

/// Where a page's codes are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookIn {
    /// In its tables, its headings and bold lines, and the lines that label them.
    Tables,
    /// Also in the prose of its sections: a heading whose own paragraphs name a code
    /// (`Error code 801C0003 will typically be reported …`) is that code's. Prose
    /// names numbers freely, so only a page with no other codes is read so.
    Prose,
}

/// Builds the revision, or fails where the page holds no code table at all.
pub fn revision(mut page: Page, origin: &Origin, look_in: LookIn) -> Result<Revision, IngestError> {
    let prose = look_in == LookIn::Prose;
    // A page about one error (`# Error AADSTS50017 - Validation of given certificate
    // failed`, then its symptoms, causes and fixes) lists no codes but its title's:
    // where nothing else on it does, the title is that code's heading and the page
    // its section.
    let migrated = kb_lines(&mut page.blocks);
    let declared = page.metadata.get("title").and_then(|v| v.as_str());
    let about_one = title_codes(&page.blocks, declared).map(|codes| (codes, page.blocks.clone()));
    let mut reading = read(code_sections(page.blocks, None, prose), &origin.source);
    // A page whose headings name only its title's codes, in their words (`##
    // Misleading error "0x80090022 NTE_SILENT_CONTEXT" is reported …` under `# Error
    // 0x80090022 NTE_SILENT_CONTEXT when …`), is about those codes all the same: its
    // sections are its causes and fixes, not a code's each.
    let only_the_titles = |reading: &Reading<'_>, codes: &CodeLine| {
        let entries = &reading.builder.entries;
        !reading.code_table
            && !entries.is_empty()
            && entries.iter().all(|e| codes.codes.contains(&e.code))
    };
    if let Some((codes, blocks)) = about_one {
        if reading.steps.is_none() || only_the_titles(&reading, &codes) {
            reading = read(code_sections(blocks, Some(codes), prose), &origin.source);
        }
    }
    let Reading {
        builder,
        title,
        steps,
        applies_to,
        ..
    } = reading;
    let Some(steps) = steps else {
        // A page whose codes are all in a file it includes says which.
        return Err(match page.includes.into_iter().next() {
            Some((line, file)) => IngestError::OnlyIncluded { line, file },
            None => IngestError::NoCodeTable,
        });
    };
    let mut metadata = page.metadata;
    for (key, value) in migrated {
        metadata.entry(key.to_owned()).or_insert(value);
    }
    if let Some(items) = applies_to {
        metadata.insert(
            "applies_to".to_owned(),
            serde_json::Value::Array(items.into_iter().map(serde_json::Value::String).collect()),
        );
    }
    let mut diagnostics = page.diagnostics;
    diagnostics.extend(builder.diagnostics);
    diagnostics.sort_by_key(|d| d.line);
    let entries = builder.entries;
    let stats = Stats {
        rows: builder.row_lines.len(),
        row_lines: builder.row_lines,
        entries: entries.len(),
        conditions: entries.iter().map(|e| e.conditions.len()).sum(),
        diagnostics: diagnostics.len(),
    };
    let locale = origin
        .locale
        .clone()
        .or(page.locale)
        .or_else(|| {
            metadata
                .get("ms.locale")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| DEFAULT_LOCALE.to_owned())
        .to_ascii_lowercase();
    let title = title
        .or_else(|| {
            metadata
                .get("title")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| origin.document.clone());
    Ok(Revision {
        document: origin.document.clone(),
        revision: origin.revision.clone(),
        locale,
        title,
        format: origin.format,
        source: origin.source.clone(),
        metadata,
        steps,
        entries,
        diagnostics,
        stats,
    })
}

/// The lines of an article that came from the old knowledge base (`_Original
/// product version:_ &nbsp; Microsoft Entra ID` over `_Original KB number:_ &nbsp;
/// 2508225`, or `_Applies to:_ Windows 10, Windows 11` over the number, under its
/// title or its summary): the page's, as its frontmatter is, and no text of the
/// error it is about. The first paragraph that is only such lines, its number only
/// digits, is taken out of the blocks, as metadata keys and values; what it applies
/// to is a list, as under an `Applies to` heading.
fn kb_lines(blocks: &mut Vec<Block>) -> Vec<(&'static str, serde_json::Value)> {
    let found = blocks.iter().position(|block| {
        matches!(block, Block::Paragraph { cell, .. }
            if !cell.pieces.is_empty() && cell.pieces.iter().all(|p| kb_fields(&p.text).is_some()))
    });
    let Some(Block::Paragraph { cell, .. }) = found.map(|at| blocks.remove(at)) else {
        return Vec::new();
    };
    (cell
        .pieces
        .iter()
        .filter_map(|p| kb_fields(&p.text))
        .flatten())
    .map(|(key, value)| {
        let value = match key {
            "applies_to" => (products(value).filter(|p| !p.is_empty()))
                .map(serde_json::Value::from)
                .collect(),
            _ => value.into(),
        };
        (key, value)
    })
    .collect()
}

/// The products a line lists, each with its version: `Windows 10, version 1903,
/// Windows 10, version 1809` is two, as a comma before a lower-case word goes on
/// with the product before it.
fn products(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        let mut from = 0;
        while let Some(at) = rest[from..].find(", ").map(|at| from + at) {
            if rest[at + 2..].starts_with(|c: char| !c.is_lowercase()) {
                end = at;
                break;
            }
            from = at + 2;
        }
        let item = rest[..end].trim();
        rest = rest.get(end + 2..).unwrap_or_default();
        Some(item)
    })
}

/// The knowledge-base fields a line gives, keyed, where it is only such fields: one
/// after another, as a paragraph's lines run on (`Applies to: Windows 10 Original KB
/// number: 4519735`).
fn kb_fields(line: &str) -> Option<Vec<(&'static str, &str)>> {
    const LABELS: [(&str, &str); 3] = [
        ("original product version:", "original_product_version"),
        ("original kb number:", "original_kb_number"),
        ("applies to:", "applies_to"),
    ];
    // Most lines open with no label: told apart without a copy.
    let opens = |&(label, _): &(&str, &str)| {
        (line.get(..label.len())).is_some_and(|head| head.eq_ignore_ascii_case(label))
    };
    if !LABELS.iter().any(opens) {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let mut starts: Vec<(usize, &str, &str)> = (LABELS.iter())
        .flat_map(|&(label, key)| {
            lower
                .match_indices(label)
                .map(move |(at, _)| (at, label, key))
        })
        .collect();
    starts.sort_unstable();
    if starts.first()?.0 != 0 {
        return None;
    }
    let ends = starts
        .iter()
        .skip(1)
        .map(|&(at, ..)| at)
        .chain([line.len()]);
    (starts.iter().zip(ends))
        .map(|(&(at, label, key), end)| {
            let value = line[at + label.len()..end].trim();
            let number = key != "original_kb_number" || value.bytes().all(|b| b.is_ascii_digit());
            (!value.is_empty() && number).then_some((key, value))
        })
        .collect()
}

/// What reading a page's blocks in order gives.
struct Reading<'a> {
    builder: Builder<'a>,
    title: Option<String>,
    /// The steps before the first code table, once one is found: none if no table is.
    steps: Option<Vec<String>>,
    applies_to: Option<Vec<String>>,
    /// A code table the page wrote as one, not one made of its code headings.
    code_table: bool,
}

/// Reads the blocks in order: the title, the outline, and every code table.
fn read(blocks: Vec<Block>, source: &str) -> Reading<'_> {
    let mut builder = Builder::new(source);
    let mut outline = Outline::default();
    let mut title = None;
    let mut lead = String::new();
    let mut last_list: Option<(Vec<String>, Vec<String>)> = None;
    let mut steps: Option<Vec<String>> = None;
    let mut applies_to: Option<Vec<String>> = None;
    let mut code_table = false;
    for block in blocks {
        match block {
            Block::Heading {
                level: 1,
                text,
                pseudo: false,
                ..
            } if title.is_none() => {
                title = Some(text);
                outline = Outline::default();
                lead.clear();
            }
            Block::Heading {
                level,
                text,
                pseudo,
                ..
            } => {
                if pseudo {
                    outline.pseudo(text);
                } else {
                    outline.heading(level, text);
                }
                lead.clear();
            }
            Block::Paragraph { cell, .. } => {
                for piece in &cell.pieces {
                    lead.push(' ');
                    lead.push_str(&piece.text);
                }
            }
            // Never a table, and no lead-in to one: as if it were not there.
            Block::Code { .. } => {}
            Block::List { items, .. } => {
                let items: Vec<String> = items.iter().map(CellText::joined).collect();
                let path = outline.path();
                if path
                    .last()
                    .is_some_and(|h| h.eq_ignore_ascii_case("applies to"))
                {
                    applies_to.get_or_insert_with(|| items.clone());
                    // What the page applies to is all that heading holds: a table
                    // after the list belongs to the section around it.
                    outline.leave();
                }
                last_list = Some((path, items));
            }
            Block::Table(mut table) => {
                if let Some(level) = table.level {
                    outline.close(level);
                }
                let section = outline.path();
                settle_header(&mut table);
                let wide = cap_columns(&mut table);
                if let Some(column) = code_column(&table) {
                    codes_first(&mut table, column);
                }
                let mut gives_codes = is_code_table(&table);
                if !gives_codes {
                    if let Some(errors) = errors_in_events(&table).filter(is_code_table) {
                        table = errors;
                        gives_codes = true;
                    }
                }
                if gives_codes {
                    split_comments(&mut table);
                    code_table |= table.level.is_none();
                    if steps.is_none() {
                        steps = Some(match last_list.take() {
                            Some((path, items)) if path == section => items,
                            _ => Vec::new(),
                        });
                    }
                    let kind = if says_not_errors(&lead, &section) {
                        EntryKind::Warning
                    } else {
                        EntryKind::Error
                    };
                    if let Some(columns) = wide {
                        builder.diagnose(
                            Level::Warning,
                            DiagnosticKind::ExtraCells,
                            table.line,
                            format!(
                                "the table has {columns} columns; it is read as its first \
                                 {MAX_COLUMNS}, and each row's cells past them join its last"
                            ),
                        );
                    }
                    builder.table(table, section, kind);
                }
                lead.clear();
            }
        }
    }
    Reading {
        builder,
        title,
        steps,
        applies_to,
        code_table,
    }
}

/// The heading path as the page goes. Bold-only paragraphs (`**Network errors**:`)
/// are sub-headings; those under one heading are siblings even where real headings
/// came between them, so `Discover phase › Network errors` does not nest under the
/// `Earlier Windows 10 versions` heading that merely preceded it.
#[derive(Default)]
struct Outline {
    stack: Vec<Heading>,
    root_pseudo_level: Option<u8>,
}

struct Heading {
    level: u8,
    text: String,
    /// The level this heading's bold sub-headings take.
    pseudo_level: Option<u8>,
}

impl Outline {
    fn heading(&mut self, level: u8, text: String) {
        self.close(level);
        self.stack.push(Heading {
            level,
            text,
            pseudo_level: None,
        });
    }

    fn pseudo(&mut self, text: String) {
        let level = match self.stack.iter().rposition(|h| h.pseudo_level.is_some()) {
            Some(owner) => {
                self.stack.truncate(owner + 1);
                self.stack[owner].pseudo_level.unwrap_or(1)
            }
            None => match self.stack.last_mut() {
                Some(top) => *top.pseudo_level.insert(top.level + 1),
                // Under the page title, whose level is 1.
                None => *self.root_pseudo_level.get_or_insert(2),
            },
        };
        while self.stack.last().is_some_and(|h| h.level >= level) {
            self.stack.pop();
        }
        self.stack.push(Heading {
            level,
            text,
            pseudo_level: None,
        });
    }

    /// Ends the innermost section.
    fn leave(&mut self) {
        self.stack.pop();
    }

    /// Ends the sections at `level` and below.
    fn close(&mut self, level: u8) {
        while self.stack.last().is_some_and(|h| h.level >= level) {
            self.stack.pop();
        }
    }

    fn path(&self) -> Vec<String> {
        self.stack.iter().map(|h| h.text.clone()).collect()
    }
}

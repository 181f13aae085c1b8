//! From a page's outline to a canonical [`Revision`]: sections, steps, and the code
//! rows reconciled into one entry per code per section, with nothing lost.
//!
//! Every row of every code table ends as a condition of an entry or as a diagnostic
//! naming its line (row conservation). What the rows mean is decided here once for
//! all three source shapes; how they were written was settled by the ingesters.

use std::collections::{HashMap, HashSet};

use crate::code::{self, ParsedCode};
use crate::ingest::{
    append_cell, label, label_of, split_label, Block, IngestError, Page, Row, Table, DESCRIPTION,
    MAX_LABELS,
};
use crate::model::{
    Condition, Diagnostic, DiagnosticKind, Entry, EntryKind, Format, Level, Link, Revision,
    SourceRef, Stats,
};
use crate::text::{CellText, Piece, PieceKind};

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

/// Builds the revision, or fails where the page holds no code table at all.
pub fn revision(page: Page, origin: &Origin) -> Result<Revision, IngestError> {
    // A page about one error (`# Error AADSTS50017 - Validation of given certificate
    // failed`, then its symptoms, causes and fixes) lists no codes but its title's:
    // where nothing else on it does, the title is that code's heading and the page
    // its section.
    let about_one = title_gives_codes(&page.blocks).then(|| page.blocks.clone());
    let mut reading = read(code_sections(page.blocks, false), &origin.source);
    if let (None, Some(blocks)) = (&reading.steps, about_one) {
        reading = read(code_sections(blocks, true), &origin.source);
    }
    let Reading {
        builder,
        title,
        steps,
        applies_to,
    } = reading;
    let Some(steps) = steps else {
        // A page whose codes are all in a file it includes says which.
        return Err(match page.includes.into_iter().next() {
            Some((line, file)) => IngestError::OnlyIncluded { line, file },
            None => IngestError::NoCodeTable,
        });
    };
    let mut metadata = page.metadata;
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

/// What reading a page's blocks in order gives.
struct Reading<'a> {
    builder: Builder<'a>,
    title: Option<String>,
    /// The steps before the first code table, once one is found: none if no table is.
    steps: Option<Vec<String>>,
    applies_to: Option<Vec<String>>,
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
                if is_code_table(&table) {
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
    }
}

/// The page's title, its first heading of level 1, reads as a code's heading.
fn title_gives_codes(blocks: &[Block]) -> bool {
    let title = (blocks.iter().filter_map(page_heading)).find(|&(level, ..)| level == 1);
    title.and_then(|(_, text, _)| title_codes(text)).is_some()
}

/// The codes a page's title gives as a code's heading would, where it gives any.
fn title_codes(text: &str) -> Option<CodeLine> {
    heading_codes(text).filter(|line| !line.codes.is_empty())
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

/// A page that gives each code a heading of its own (`## Error 0x801C03ED`, then
/// `**Cause:** …` and a `### Resolution` with its steps) holds a code table in all
/// but form, and becomes one: each run of such headings is a table with a row a
/// heading, labelled as a list of entries is, with a column for each label its text
/// came under: a paragraph's or list item's own (`Cause: …`), or a sub-heading's. A
/// label holds for the text after it; text before any is the code's description. A
/// section ends at the next heading as high as its own, at a table that lists codes,
/// or at the page's closing links. The page's title is one only on a page about one
/// error (`about_one`). A bold line that gives codes (`**STATUS_LOGON_FAILURE**
/// (-1073741715/ 0xc000006d)`) is such a heading, a level below the one above it.
fn code_sections(blocks: Vec<Block>, about_one: bool) -> Vec<Block> {
    let headings = Headings {
        named: named_headings(&blocks),
        numbered: numbered_errors(&blocks),
    };
    let mut out = Vec::with_capacity(blocks.len());
    let mut open: Option<Sections> = None;
    let mut blocks = blocks.into_iter();
    let mut title = about_one;
    // The level of the last heading outside the sections, and whether a bold line
    // came after it: a bold line that gives codes stands a level below either.
    let (mut depth, mut under_bold) = (1, false);
    while let Some(block) = blocks.next() {
        let block = with_its_number(block, &mut blocks);
        let block = match &mut open {
            // A bold line over the bold lines of codes after it (`**Common server
            // error codes:**`) heads them, as a heading between the sections would.
            Some(_) if heads_bold_codes(&block, blocks.as_slice().first()) => {
                out.extend(open.take().map(Sections::finish));
                block
            }
            Some(sections) => match sections.take(block, &headings) {
                Ok(()) => continue,
                Err(block) => {
                    // A table inside a code's section stands under its heading.
                    let ended = open.take().map(|sections| match block {
                        Block::Table(_) => sections.before_table(),
                        _ => [Some(sections.finish()), None, None],
                    });
                    out.extend(ended.into_iter().flatten().flatten());
                    block
                }
            },
            None => block,
        };
        if let Block::Heading {
            level,
            pseudo: false,
            ..
        } = &block
        {
            (depth, under_bold) = ((*level).max(1), false);
        }
        let codes = match &block {
            // On a page about one error, the title is its code's heading, and stays
            // the page's title too.
            Block::Heading {
                level: 1,
                text,
                pseudo: false,
                line,
            } if std::mem::take(&mut title) => {
                let codes = title_codes(text);
                if codes.is_some() {
                    out.push(Block::Heading {
                        level: 1,
                        text: text.clone(),
                        pseudo: false,
                        line: *line,
                    });
                }
                codes
            }
            // A heading below the title gives its codes in its words, in the line
            // under it, or in the lines that tell what the reader sees before its
            // cause; one that numbers the page's problems gives none.
            Block::Heading {
                level,
                text,
                pseudo: false,
                line,
            } if *level > 1 && !headings.numbered.contains(line) => {
                code_heading(text, *line, &headings)
                    .or_else(|| match blocks.as_slice().first() {
                        // A heading in the error's words, over the line that gives its code.
                        Some(Block::Paragraph { cell, .. }) => {
                            message_line(cell).map(|line| line.over(text))
                        }
                        _ => None,
                    })
                    .or_else(|| told_codes(*level, blocks.as_slice()).map(|line| line.over(text)))
            }
            // A bold line that is a code's heading in all but form.
            Block::Heading {
                text, pseudo: true, ..
            } => bold_codes(text),
            _ => None,
        };
        match (block, codes) {
            (
                Block::Heading {
                    level,
                    text,
                    line,
                    pseudo,
                },
                Some(codes),
            ) => {
                let level = if pseudo {
                    depth + 1 + u8::from(under_bold)
                } else {
                    level
                };
                let mut sections = Sections::new(level, line);
                sections.heading(level, text, line, codes);
                sections.bold = pseudo;
                open = Some(sections);
            }
            (block, _) => {
                // A bold line that gives an error with no code is one of the codes'
                // lines, not a sub-heading over them.
                under_bold |= matches!(&block, Block::Heading { text, pseudo: true, .. }
                    if !gives_an_error(text));
                out.push(block);
            }
        }
    }
    out.extend(open.map(Sections::finish));
    out
}

/// `block` is a bold line that names no code nor role, right over a bold line that
/// gives codes: a sub-heading over a run of them.
fn heads_bold_codes(block: &Block, next: Option<&Block>) -> bool {
    fn bold(block: Option<&Block>) -> Option<&str> {
        match block {
            Some(Block::Heading {
                text, pseudo: true, ..
            }) => Some(text),
            _ => None,
        }
    }
    bold(Some(block)).is_some_and(|text| bold_codes(text).is_none() && !names_role(text))
        && bold(next).is_some_and(|text| bold_codes(text).is_some())
}

/// The codes a bold line gives as a code's heading: those it gives as any heading
/// does ([`written_codes`]), or the symbol it is alone (`**DSREG_E_DIRECTORY_FAILURE**`,
/// as reference pages list the errors that have no number).
fn bold_codes(text: &str) -> Option<CodeLine> {
    // Every code has a digit or an underscore, in ASCII or in full width: most bold
    // lines (`**Network errors**`) need no reading.
    if !(text.bytes()).any(|b| b.is_ascii_digit() || b == b'_' || !b.is_ascii()) {
        return None;
    }
    written_codes(text).or_else(|| {
        code::is_symbol(text).then(|| CodeLine {
            cell: text.to_owned(),
            codes: vec![text.to_owned()],
        })
    })
}

/// A bold symbol over a line that is only its number (`**ERROR_WINHTTP_TIMEOUT**`,
/// then `12002`), as reference pages list errors: one bold line, `ERROR_WINHTTP_TIMEOUT
/// (12002)`. Any other block is given back as it is.
fn with_its_number(block: Block, blocks: &mut std::vec::IntoIter<Block>) -> Block {
    let Block::Heading {
        level,
        text,
        pseudo: true,
        line,
    } = block
    else {
        return block;
    };
    let number = match blocks.as_slice().first() {
        Some(Block::Paragraph { cell, .. }) if code::is_symbol(&text) => {
            let number = cell.joined();
            let number = number.trim();
            let parses = if number.starts_with("0x") || number.starts_with("0X") {
                code::parse_hex(number).is_ok()
            } else {
                code::parse_decimal(number).is_ok()
            };
            parses.then(|| number.to_owned())
        }
        _ => None,
    };
    let text = match number {
        Some(number) => {
            blocks.next();
            format!("{text} ({number})")
        }
        None => text,
    };
    Block::Heading {
        level,
        text,
        pseudo: true,
        line,
    }
}

/// A heading or a line read as a row's code cell.
struct CodeLine {
    /// The text of the row's code cell.
    cell: String,
    /// The codes it gives, as the catalogue keys them.
    codes: Vec<String>,
}

impl CodeLine {
    /// Codes found inside a text, as a cell that lists them; none gives none.
    fn listing(codes: Vec<String>) -> Option<CodeLine> {
        (!codes.is_empty()).then(|| CodeLine {
            cell: codes.join(", "),
            codes,
        })
    }

    /// The codes as the code cell of a row whose text is `text`.
    fn over(self, text: &str) -> CodeLine {
        CodeLine {
            cell: format!("{}: {text}", self.cell),
            codes: self.codes,
        }
    }
}

/// The lines of the headings that are an error's name alone, in camel case, or two
/// such names with `or` between: the sync errors a page explains one by one (`###
/// InvalidSoftMatch`, then `#### Fix the InvalidSoftMatch error`). Such a heading
/// names an error where a heading under it, before the next heading as high, calls
/// it one (`… InvalidSoftMatch error`, `… InvalidSoftMatch エラー…`): `### PowerShell`
/// over a paragraph that mentions "a PowerShell error" names none.
/// Keyed by line and text: an HTML page may give several headings on one line.
fn named_headings(blocks: &[Block]) -> HashSet<(usize, String)> {
    let mut named = HashSet::new();
    for (at, block) in blocks.iter().enumerate() {
        let Some((level, text, line)) = page_heading(block) else {
            continue;
        };
        let name = text.trim();
        if level < 2 || !name.split(" or ").all(code::is_camel_name) {
            continue;
        }
        let called = [format!("{name} error"), format!("{name} エラー")];
        let calls = |text: &str| called.iter().any(|c| text.contains(c.as_str()));
        let mut section = (blocks[at + 1..].iter())
            .take_while(|b| page_heading(b).is_none_or(|(l, ..)| l > level));
        let calls_it_an_error =
            section.any(|b| matches!(b, Block::Heading { text, .. } if calls(text)));
        if calls_it_an_error {
            named.insert((line, name.to_owned()));
        }
    }
    named
}

/// The codes a section gives for an error its heading names in words alone, in the
/// lines that tell what the reader sees, before its cause or fix: Intune's `## Auto
/// MDM Enroll: Failed`, over "the last run result … is as follows: **Event 76 Auto
/// MDM Enroll: Failed (Unknown Win32 Error code: 0x8018002b)**", then **Cause:**.
/// Only codes [`code::named_codes`] finds, and only where a cause or fix follows.
/// `level` is the heading's, and `section` what follows it.
fn told_codes(level: u8, section: &[Block]) -> Option<CodeLine> {
    // Up to the first label of a cause or fix: past no other heading, a bold line
    // that may be the next code's, nor table.
    let mut role = None;
    for (at, block) in section.iter().enumerate() {
        let is_role = match block {
            Block::Heading {
                level: l,
                pseudo: false,
                ..
            } if *l <= level => break,
            Block::Table(_) => break,
            Block::Heading { text, .. } => names_role(text.trim_end_matches([':', '：'])),
            Block::Paragraph { cell, .. } => match label(cell) {
                Some((name, _)) => names_role(name),
                None => continue,
            },
            _ => continue,
        };
        // A bold line or a sub-heading ends the lines that tell what the reader
        // sees, a label of a cause or fix or not; a paragraph under another label
        // (`Event ID: 76`) is one of them.
        if is_role || matches!(block, Block::Heading { .. }) {
            role = is_role.then_some(at);
            break;
        }
    }
    let role = role?;
    let lines = section[..role].iter().flat_map(|block| match block {
        Block::Paragraph { cell, .. } => std::slice::from_ref(cell),
        Block::List { items, .. } => items.as_slice(),
        _ => &[],
    });
    let mut codes: Vec<String> = Vec::new();
    for line in lines {
        for code in code::named_codes(&line.joined()) {
            if !codes.contains(&code.code) {
                codes.push(code.code);
            }
        }
    }
    CodeLine::listing(codes)
}

/// A heading of the page's own, not a bold line: its level, text and line.
fn page_heading(block: &Block) -> Option<(u8, &str, usize)> {
    match block {
        Block::Heading {
            level,
            text,
            pseudo: false,
            line,
        } => Some((*level, text, *line)),
        _ => None,
    }
}

/// What a page's headings are, found from the whole page before its sections are read.
struct Headings {
    /// Headings that are an error's name ([`named_headings`]).
    named: HashSet<(usize, String)>,
    /// The lines of headings that number the page's problems ([`numbered_errors`]).
    numbered: HashSet<usize>,
}

/// The lines of headings that number a page's problems rather than give their codes:
/// `## Error 1: The computer must be joined to a domain`, `## Error 2: …`, a run at
/// one level that counts up from 1. A heading alone (`Error 5: Access is denied`), or
/// one that does not go on with the count, gives its code.
fn numbered_errors(blocks: &[Block]) -> HashSet<usize> {
    let mut numbered = HashSet::new();
    // Per level, the run being counted: its headings' lines.
    let mut runs: Vec<(u8, Vec<usize>)> = Vec::new();
    let mut close = |run: Vec<usize>| {
        if run.len() > 1 {
            numbered.extend(run);
        }
    };
    for block in blocks {
        let Some((level, text, line)) = page_heading(block) else {
            continue;
        };
        let Some(n) = error_number(text) else {
            continue;
        };
        let at = runs.iter().position(|&(l, _)| l == level);
        match at {
            Some(at) if runs[at].1.len() + 1 == n => runs[at].1.push(line),
            _ => {
                if let Some(at) = at {
                    close(runs.swap_remove(at).1);
                }
                if n == 1 {
                    runs.push((level, vec![line]));
                }
            }
        }
    }
    runs.into_iter().for_each(|(_, run)| close(run));
    numbered
}

/// The small number a heading opens with after `Error` (`Error 2: …`, `Error 3.`).
fn error_number(text: &str) -> Option<usize> {
    let rest = text.trim_start();
    let rest = rest
        .get(..6)
        .filter(|w| w.eq_ignore_ascii_case("error "))
        .map(|_| &rest[6..])?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = &rest[digits..];
    let ends = after.is_empty() || after.starts_with([':', '.', ' ']);
    if !(1..=3).contains(&digits) || !ends {
        return None;
    }
    rest[..digits].parse().ok()
}

/// The codes a heading on `line` gives, in either way a heading gives them: as a
/// code cell ([`heading_codes`]) or as an error's name ([`named_code`]); none where
/// it numbers the page's problems ([`numbered_errors`]).
fn code_heading(text: &str, line: usize, headings: &Headings) -> Option<CodeLine> {
    if headings.numbered.contains(&line) {
        return None;
    }
    heading_codes(text).or_else(|| named_code(text, line, &headings.named))
}

/// The codes a heading on `line` names in its own words ([`named_headings`]): one,
/// or two with `or` between (`LargeObject or ExceededAllowedLength`).
fn named_code(text: &str, line: usize, named: &HashSet<(usize, String)>) -> Option<CodeLine> {
    let name = text.trim();
    let named = !named.is_empty() && named.contains(&(line, name.to_owned()));
    named.then(|| CodeLine {
        cell: name.to_owned(),
        codes: name.split(" or ").map(str::to_owned).collect(),
    })
}

/// A heading gives a code when it reads as a code cell whose every code is an
/// error's number (`0x801C03ED`, `-2145647635`) or a string code with one
/// (`AADSTS50126`): a heading that is only a word, `PowerShell` or `Step 4`, is
/// not one. A decimal counts only after a label (`Error 1603`): one that opens the
/// heading is as often a year or a version (`2024 updates`, `1809`). A heading that
/// gives the error's words first and its code after them (`Securing your hardware
/// (Failed: 0x800705b4)`) gives those [`code::named_codes`] finds: the whole heading
/// is then their text.
fn heading_codes(text: &str) -> Option<CodeLine> {
    written_codes(text).or_else(|| named_codes(text).map(|line| line.over(text)))
}

/// The codes a heading gives as a code cell, [`heading_codes`] without the codes
/// it may name inside its words: a bold line's, which reads as a code's heading
/// only where it is one in form (`**AADSTS50155: Device authentication failed**`).
fn written_codes(text: &str) -> Option<CodeLine> {
    let labelled = text.starts_with(char::is_alphabetic);
    // Words that say a number is an error's (`Exit code 51`) make a decimal of any
    // length one; after other words, a short one is as often a step or a count.
    let says_code = [
        "error code",
        "exit code",
        "error",
        "エラー コード",
        "エラーコード",
        "エラー",
    ]
    .iter()
    .any(|words| {
        let after = text.get(words.len()..).filter(|_| {
            text.get(..words.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(words))
        });
        after.is_some_and(|after| after.starts_with([' ', ':', '：']))
    });
    let scanned = code::scan_cell([text]);
    // A spelling beside a code that does not fit it (`(--1073445695/ 0xc00484c1)`)
    // leaves the code as it is, and is reported with the row.
    let kept = |(kind, _): &(DiagnosticKind, String)| kind == &DiagnosticKind::HexDecimalMismatch;
    let gives_codes = !scanned.codes.is_empty()
        && scanned.problems.iter().all(kept)
        && scanned.codes.iter().all(|c| match c.value {
            Some(_) if c.code.starts_with("0x") => true,
            Some(_) => labelled && (c.is_error_number() || says_code),
            None => c.code.bytes().any(|b| b.is_ascii_digit()),
        });
    // A code the heading means but mistypes (`0x80180002b`, nine digits) makes it a
    // code's heading still: its section is a row whose code cannot be read, which
    // is reported with its line as a table's would be, not prose that no one sees.
    let mistyped = scanned.codes.is_empty()
        && !scanned.problems.is_empty()
        && (labelled || text.starts_with("0x") || text.starts_with("0X"))
        && (scanned.problems.iter()).all(|(kind, _)| {
            matches!(
                kind,
                DiagnosticKind::MalformedCode | DiagnosticKind::CodeOutOfRange
            )
        });
    if mistyped {
        return Some(CodeLine {
            cell: text.to_owned(),
            codes: Vec::new(),
        });
    }
    if !gives_codes {
        return None;
    }
    // A title after the codes with no colon between (`0x801C03ED The device is not
    // joined`) is a heading's way of writing it, not two cells run together: it is
    // read as if a colon set it off.
    let cell = match text.strip_suffix(scanned.rest.as_str()) {
        Some(codes) if scanned.rest_is_merged => format!("{}: {}", codes.trim_end(), scanned.rest),
        _ => text.to_owned(),
    };
    let codes = scanned.codes.into_iter().map(|c| c.code).collect();
    Some(CodeLine { cell, codes })
}

/// A line that gives an error as the user sees it, after its code: `Error 80180026:
/// "Something went wrong…"`, or after `Error:` with the code inside it (`Error: "The
/// software cannot be installed, 0x80cf4017."`). Its label read as a code cell.
fn message_line(cell: &CellText) -> Option<CodeLine> {
    let (name, body) = label(cell)?;
    if let Some(line) = code_label(name) {
        return Some(line);
    }
    if !is_error_label(name) {
        return None;
    }
    named_codes(body)
}

/// A line that gives an error after its label (`Error: Subject mismatch`).
fn gives_an_error(text: &str) -> bool {
    label_of(text).is_some_and(|(name, body)| is_error_label(name) && !body.is_empty())
}

/// A label that says an error follows it (`Error: …`).
fn is_error_label(name: &str) -> bool {
    ["error", "エラー"]
        .iter()
        .any(|w| name.eq_ignore_ascii_case(w))
}

/// The codes a text names inside it ([`code::named_codes`]), where it names any, as
/// a code cell.
fn named_codes(text: &str) -> Option<CodeLine> {
    CodeLine::listing(
        code::named_codes(text)
            .into_iter()
            .map(|c| c.code)
            .collect(),
    )
}

/// A label that is only an error's numbers, after a word that says so (`Error
/// 80180026`, `HRESULT 0x80180014`); not a name such as `Step2` or `Label7`.
fn code_label(name: &str) -> Option<CodeLine> {
    let numbers = |line: &CodeLine| {
        line.cell == name
            && (line.codes.iter()).all(|c| c.starts_with("0x") || c.parse::<i64>().is_ok())
    };
    heading_codes(name).filter(numbers)
}

/// The most codes whose lines, one after another, share the text under them: real
/// pages give two or three; each shares a copy.
pub const MAX_SHARED: usize = 8;

/// A run of code headings being read into a table.
struct Sections {
    level: u8,
    line: usize,
    header: Vec<String>,
    /// Each row, its cells by column as far as it has any, and the text under labels
    /// past [`MAX_LABELS`], each a cell after the last column.
    rows: Vec<(Row, Vec<CellText>)>,
    /// The column unlabelled text goes to.
    column: Option<usize>,
    /// The last code heading: its level, text and line.
    heading: (u8, String, usize),
    /// The codes the last row gives.
    codes: Vec<String>,
    /// The first of the rows that the text under them belongs to: the last, and
    /// those whose lines came right before it with nothing between but their
    /// messages.
    group: usize,
    /// The last row has had nothing under it yet but its message.
    bare: bool,
    /// The block before this one, where it was a paragraph, with its line.
    lead: Option<(CellText, usize)>,
    /// A label heading at the sections' own level, as a scrape flattens them, has
    /// had no text under it yet: a line with no closing stop, which the scrape made
    /// a heading too, is its text.
    awaiting: bool,
    /// The last row is a bold line's, not a heading's: the codes' lines here are
    /// bold lines.
    bold: bool,
}

impl Sections {
    const MESSAGE: &'static str = "Message";

    fn new(level: u8, line: usize) -> Self {
        Sections {
            level,
            line,
            header: vec!["Error code".to_owned()],
            rows: Vec::new(),
            column: None,
            heading: (level, String::new(), line),
            codes: Vec::new(),
            group: 0,
            bare: false,
            lead: None,
            awaiting: false,
            bold: false,
        }
    }

    /// A row for a code heading.
    fn heading(&mut self, level: u8, text: String, line: usize, codes: CodeLine) {
        self.heading = (level, text.clone(), line);
        self.row(text, line, CellText::line(codes.cell), codes.codes);
    }

    /// A row for a heading or a line that gives codes: `raw` as written, `cell` read
    /// as a code cell.
    fn row(&mut self, raw: String, line: usize, cell: CellText, codes: Vec<String>) {
        let row = Row {
            line,
            cells: vec![cell],
            raw,
        };
        self.group = self.rows.len();
        self.rows.push((row, Vec::new()));
        self.column = None;
        self.awaiting = false;
        self.codes = codes;
        self.bare = true;
        self.bold = false;
    }

    /// A paragraph: a line that gives a code ([`message_line`]), or else text. Such
    /// lines that Markdown ran into one paragraph are each a line of their own.
    fn paragraph(&mut self, mut cell: CellText, line: usize) {
        if let Some(first) = cell.pieces.first() {
            self.translated_names(&first.text);
        }
        let Some(codes) = message_line(&cell).or_else(|| self.own_line(&cell)) else {
            return self.text(cell, PieceKind::Paragraph);
        };
        let mut more = Vec::new();
        if let Some(first) = cell.pieces.first_mut() {
            let mut starts = Vec::new();
            let mut from = 0;
            while let Some(at) = next_code_line(&first.text[from..]) {
                from += at;
                starts.push(from);
            }
            for (at, end) in starts
                .iter()
                .zip(starts.iter().skip(1).chain([&first.text.len()]))
            {
                more.push(CellText::line(first.text[*at..*end].trim_end().to_owned()));
            }
            let end = starts.first().map_or(first.text.len(), |&at| at);
            first.text.truncate(first.text[..end].trim_end().len());
        }
        self.message(cell, line, codes);
        for cell in more {
            match message_line(&cell) {
                Some(codes) => self.message(cell, line, codes),
                None => self.text(cell, PieceKind::Paragraph),
            }
        }
    }

    /// A sentence that gives one of the rows' codes its symbol (`Exit code -2145648607
    /// translates to DSREG_AUTOJOIN_DISC_FAILED`, `この終了コードは
    /// DSREG_AUTOJOIN_DISC_FAILED に変換されます`): the symbol is that code's name, a
    /// line of its row's code cell, `DSREG_AUTOJOIN_DISC_FAILED (-2145648607)`, which
    /// the cell's reading joins to the code it spells again. A sentence that spells
    /// no code (`この終了コード`, this exit code) names the row's, where it has one.
    fn translated_names(&mut self, text: &str) {
        let symbol = |word: &str| {
            let word = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            code::is_symbol(word).then(|| word.to_owned())
        };
        let mut named: Vec<(String, Option<String>)> = Vec::new();
        for (at, said) in text.match_indices(" translate") {
            let after = &text[at + said.len()..];
            let after = ["s to ", " to "].iter().find_map(|w| after.strip_prefix(w));
            let first = after.and_then(|after| after.split_whitespace().next());
            if let Some(symbol) = first.and_then(symbol) {
                let spelling = text[..at].rsplit(' ').next().map(str::to_owned);
                named.push((symbol, spelling));
            }
        }
        for (at, _) in text.match_indices("に変換") {
            let mut words = text[..at].split_whitespace().rev();
            if let Some(symbol) = words.next().and_then(symbol) {
                let spelling = words.find(|w| *w != "は").map(|w| w.trim_end_matches('は'));
                named.push((symbol, spelling.map(str::to_owned)));
            }
        }
        for (symbol, spelling) in named {
            let spelled = spelling.as_deref().map(|s| code::scan_cell([s]).codes);
            let (code, spelling) = match (spelled.as_deref(), self.codes.as_slice()) {
                (Some([code]), _) => (code.code.clone(), spelling.unwrap_or_default()),
                // A number only: `SYMBOL (AADSTS50011)` would read as two codes.
                (_, [own])
                    if self.rows.len() - self.group == 1
                        && (own.starts_with("0x") || own.parse::<i64>().is_ok()) =>
                {
                    (own.clone(), own.clone())
                }
                _ => continue,
            };
            for (row, _) in &mut self.rows[self.group..] {
                let gives = |cell: &CellText| {
                    let codes = code::scan_cell(cell.segments()).codes;
                    codes.iter().any(|c| c.code == code)
                };
                if gives(&row.cells[0]) {
                    let name = CellText::line(format!("{symbol} ({spelling})"));
                    append_cell(&mut row.cells[0], name, PieceKind::Line);
                }
            }
        }
    }

    /// A line labelled with the last row's own codes, in any spelling a code cell
    /// takes (`AADSTS50017: Validation of given certificate failed.`): its message.
    /// Only a number makes a label a code line of its own ([`message_line`]); a
    /// string code does where it is the one the row is about.
    fn own_line(&self, cell: &CellText) -> Option<CodeLine> {
        let (name, _) = label(cell)?;
        let line = heading_codes(name).filter(|line| line.cell == name)?;
        (!line.codes.is_empty() && line.codes == self.codes).then_some(line)
    }

    /// A line that gives the error as the user sees it ([`message_line`]): the next
    /// code's row where it gives another code, else this code's message. The text
    /// after it is the code's description again, unless the line is only a label,
    /// whose message follows it.
    fn message(&mut self, cell: CellText, line: usize, codes: CodeLine) {
        let (raw, body) = match split_label(cell) {
            Ok((_, body)) => (body.joined(), body),
            Err(cell) => (cell.joined(), cell),
        };
        if codes.codes != self.codes {
            let written = format!("{}: {raw}", codes.cell);
            let mut row = CellText::line(written.clone());
            row.links = body.links;
            self.next_row(written, line, row, codes.codes);
            return;
        }
        let column = self.column(Self::MESSAGE);
        let holds = body.is_empty();
        let last = self.rows.len().saturating_sub(1);
        self.append_from(last, column, body, PieceKind::Paragraph);
        self.column = column.filter(|_| holds);
    }

    /// A row after the last for a line that gives other codes: it shares the text under
    /// it with the rows right before it that have had nothing under them yet but their
    /// messages, as [`MAX_SHARED`] lets it.
    fn next_row(&mut self, raw: String, line: usize, cell: CellText, codes: Vec<String>) {
        let group = self.group;
        let joins = self.bare && self.rows.len() - group < MAX_SHARED;
        self.row(raw, line, cell, codes);
        if joins {
            self.group = group;
        }
    }

    /// A bold line that gives codes, as a heading of the sections' own level would
    /// (`**STATUS_WRONG_PASSWORD** (-1073741718/ 0xc000006a)`): under a heading
    /// that gives the same codes, its message; else the next row, which shares the text
    /// under it with the rows right before it that have had none yet: a page writes
    /// such lines one after another over the text they share.
    fn bold_line(&mut self, text: String, line: usize, codes: CodeLine) {
        if !self.bold && codes.codes == self.codes {
            return self.message(CellText::line(text), line, codes);
        }
        self.heading = (self.level, text.clone(), line);
        self.next_row(text, line, CellText::line(codes.cell), codes.codes);
        self.bold = true;
    }

    /// The column a label names, made when it is new; none once [`MAX_LABELS`] are.
    fn column(&mut self, label: &str) -> Option<usize> {
        let label = label.trim().trim_end_matches([':', '：']).trim();
        // `Fix the InvalidSoftMatch error` under each code's heading is one column,
        // `Fix the error`, for every code.
        let stripped = without_codes(label, &self.codes);
        let label: &str = &stripped;
        match self
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(label))
        {
            Some(at) => Some(at),
            // A code's text under no label comes before any label's: its column
            // stands first, whenever it is made, so that its causes keep the page's
            // order beside a label's causes.
            None if self.header.len() <= MAX_LABELS && label == DESCRIPTION => {
                self.header.insert(1, label.to_owned());
                for (row, _) in &mut self.rows {
                    if row.cells.len() > 1 {
                        row.cells.insert(1, CellText::default());
                    }
                }
                self.column = self.column.map(|at| if at >= 1 { at + 1 } else { at });
                Some(1)
            }
            None if self.header.len() <= MAX_LABELS => {
                self.header.push(label.to_owned());
                Some(self.header.len() - 1)
            }
            None => None,
        }
    }

    /// The column text under no label of its own goes to: the last label's, or the
    /// code's description.
    fn open_column(&mut self) -> Option<usize> {
        self.column.or_else(|| self.column(DESCRIPTION))
    }

    /// Appends text to the current rows' cells in `column`, or where there is no
    /// column for it, as a cell after the last.
    fn append(&mut self, column: Option<usize>, cell: CellText, kind: PieceKind) {
        self.bare = false;
        self.append_from(self.group, column, cell, kind);
    }

    /// Appends text to the rows from `first` on, as [`Sections::append`] does.
    fn append_from(
        &mut self,
        first: usize,
        column: Option<usize>,
        cell: CellText,
        kind: PieceKind,
    ) {
        self.awaiting = false;
        let Some(((last, last_extra), earlier)) = self.rows[first..].split_last_mut() else {
            return;
        };
        let put = |row: &mut Row, extra: &mut Vec<CellText>, cell: CellText| match column {
            Some(column) => {
                if row.cells.len() <= column {
                    row.cells.resize(column + 1, CellText::default());
                }
                append_cell(&mut row.cells[column], cell, kind);
            }
            None => extra.push(cell),
        };
        for (row, extra) in earlier {
            put(row, extra, cell.clone());
        }
        put(last, last_extra, cell);
    }

    /// A paragraph or list item: under its own label, or else the one above it, and
    /// that label stays for the text below. Past [`MAX_LABELS`], a new label's text
    /// stays whole, label and all, in a cell after the last column.
    fn text(&mut self, cell: CellText, kind: PieceKind) {
        // A label alone names the text after it only where it names a role (`Cause:`
        // over the causes); `Run this command:` over a command is a step's text.
        let named = label(&cell).filter(|(name, body)| !body.is_empty() || names_role(name));
        let (column, cell) = match named.map(|(name, _)| name.to_owned()) {
            Some(name) => {
                self.column = self.column(&name);
                match self.column {
                    Some(column) => {
                        let body = split_label(cell).map_or_else(|cell| cell, |(_, body)| body);
                        (Some(column), body)
                    }
                    None => (None, cell),
                }
            }
            None => (self.open_column(), cell),
        };
        self.append(column, cell, kind);
    }

    /// Takes a block into the open sections, or gives it back where they end.
    fn take(&mut self, block: Block, headings: &Headings) -> Result<(), Block> {
        let lead = self.lead.take();
        match block {
            // Bound by reference, so that a heading these sections do not take is
            // given back whole.
            Block::Heading {
                level,
                ref text,
                pseudo,
                line,
            } => {
                // The page's closing links end the sections, at whatever level:
                // under a page about one error, its sections are its title's, and so
                // is its pointer to the other codes (`## More information`).
                let pages_own = self.level == 1 && is_more_information(text);
                if !pseudo && (closes_page(text) || pages_own) {
                    return Err(block);
                }
                let cell = CellText::line(text.clone());
                // A label with its text (`Cause: The user is not licensed`), which a
                // scrape makes a heading where the line has no closing stop.
                // Not above the sections, where `Step 4: Collect the logs` is the
                // page's next part.
                let labelled = (pseudo || level >= self.level)
                    && label(&cell)
                        .is_some_and(|(name, body)| !body.is_empty() && names_role(name));
                if pseudo && !labelled {
                    if let Some(codes) = bold_codes(text) {
                        self.bold_line(text.clone(), line, codes);
                        return Ok(());
                    }
                    // Among codes' bold lines, a line that gives an error the page
                    // has no code for (`**Error: Subject mismatch**`) is no code's
                    // text, but the next error's.
                    if self.bold && gives_an_error(text) {
                        return Err(block);
                    }
                }
                let codes = (!pseudo)
                    .then(|| code_heading(text, line, headings))
                    .flatten();
                if let Some(codes) = codes {
                    // A code's heading above these sections ends them and opens its
                    // own, whatever label waited for its text.
                    if level < self.level {
                        return Err(block);
                    }
                    self.heading(level, text.clone(), line, codes);
                } else if labelled {
                    self.text(cell, PieceKind::Paragraph);
                } else if pseudo || level > self.level || (level == self.level && names_role(text))
                {
                    self.column = self.column(text);
                    if self.column.is_none() {
                        self.append(None, cell, PieceKind::Paragraph);
                    }
                    self.awaiting = self.column.is_some() && !pseudo && level <= self.level;
                } else if self.awaiting {
                    self.text(cell, PieceKind::Paragraph);
                } else {
                    return Err(block);
                }
            }
            // The page speaking of itself (`This article describes how to …`),
            // which a page about one error opens with, is no code's text.
            Block::Paragraph { cell, .. } if speaks_of_the_page(&cell) => {}
            Block::Paragraph { cell, line } => {
                self.lead = Some((cell.clone(), line));
                self.paragraph(cell, line);
            }
            Block::List { items, .. } => {
                for item in items {
                    self.text(item, PieceKind::Item);
                }
            }
            // A command or output under a label is that label's text, whatever it
            // holds: never a label of its own.
            Block::Code { text, .. } => {
                let column = self.open_column();
                self.append(column, CellText::line(text), PieceKind::Paragraph);
            }
            Block::Table(mut table) => {
                settle_header(&mut table);
                if gives_a_codes_text(&table) {
                    self.conditions(table);
                    return Ok(());
                }
                if !lists_codes(&table) {
                    self.table_text(table);
                    return Ok(());
                }
                self.lead = lead;
                return Err(Block::Table(table));
            }
        }
        Ok(())
    }

    /// A table of a code's own text under its heading (`| Cause | Resolution |`): a
    /// condition of the code each row, as in a code table, whose cells are text under
    /// their columns' names. The first row goes on the code's own text; the others
    /// are the code's again, each from its own line.
    fn conditions(&mut self, table: Table) {
        let Table { header, rows, .. } = table;
        for (at, row) in rows.into_iter().enumerate() {
            if at > 0 {
                let group: Vec<(String, CellText)> = (self.rows[self.group..].iter())
                    .map(|(row, _)| (row.raw.clone(), row.cells[0].clone()))
                    .collect();
                let first = self.rows.len();
                for (raw, cell) in group {
                    self.row(raw, row.line, cell, self.codes.clone());
                }
                self.group = first;
            }
            for (name, cell) in header.iter().zip(row.cells) {
                let column = self.column(name);
                self.append(column, cell, PieceKind::Paragraph);
            }
        }
        self.column = None;
    }

    /// A table that lists no codes (`| Certificate type | Characteristic |`) is text
    /// of the code it stands under, as a list there would be: a line a row, its first
    /// cell then the others (`Root CA certificate: It has its own SKI.`).
    fn table_text(&mut self, table: Table) {
        let column = self.open_column();
        for row in table.rows {
            let mut text = String::new();
            let mut links = Vec::new();
            let cells = row.cells.into_iter().filter(|cell| !cell.is_empty());
            for (at, cell) in cells.enumerate() {
                // A first cell that ends a sentence needs no colon after it.
                let stopped = text.ends_with(['.', ':', '!', '?', '。', '：']);
                text.push_str(match at {
                    0 => "",
                    1 if !stopped => ": ",
                    _ => " ",
                });
                text.push_str(&cell.joined());
                links.extend(cell.links);
            }
            if !text.is_empty() {
                let kind = PieceKind::Item;
                let pieces = vec![Piece { kind, text }];
                self.append(column, CellText { pieces, links }, kind);
            }
        }
    }

    /// Ends the sections before a table, which stands under the last code's heading.
    /// The paragraph right before the table is the code's text and the table's
    /// lead-in both, as it would be before any table: it says whether the table's
    /// codes are errors at all.
    fn before_table(mut self) -> [Option<Block>; 3] {
        let (level, text, line) = std::mem::take(&mut self.heading);
        let heading = Some(Block::Heading {
            level,
            text,
            pseudo: false,
            line,
        });
        let lead = self
            .lead
            .take()
            .map(|(cell, line)| Block::Paragraph { cell, line });
        [Some(self.finish()), heading, lead]
    }

    fn finish(self) -> Block {
        let columns = self.header.len();
        let rows = self
            .rows
            .into_iter()
            .map(|(mut row, extra)| {
                row.cells.resize(columns, CellText::default());
                row.cells.extend(extra);
                row
            })
            .collect();
        Block::Table(Table {
            header: self.header,
            line: self.line,
            rows,
            labelled: true,
            level: Some(self.level),
        })
    }
}

/// A label with the codes it names left out (`Fix the InvalidSoftMatch error` under
/// that code's heading is `Fix the error`).
fn without_codes<'a>(label: &'a str, codes: &[String]) -> std::borrow::Cow<'a, str> {
    let named = |word: &str| (codes.iter()).any(|c| c.eq_ignore_ascii_case(word));
    if !label.split_whitespace().any(named) {
        return label.into();
    }
    let words: Vec<&str> = label.split_whitespace().filter(|w| !named(w)).collect();
    words.join(" ").into()
}

/// Where a line that gives an error after its code runs on into another's line
/// (`Error 0x801c0003: "…" Error 80180003: "…"`), the second's offset.
fn next_code_line(text: &str) -> Option<usize> {
    text.match_indices(" Error ").find_map(|(at, _)| {
        let line = &text[at + 1..];
        // A label is a few words: no need to look further for its colon.
        let near = line.char_indices().nth(40).map_or(line.len(), |(at, _)| at);
        let colon = line[..near].find(':')?;
        code_label(&line[..colon]).map(|_| at + 1)
    })
}

/// A table that gives no codes but a code's text: each of its columns names what it
/// holds (`| Cause | Resolution |`).
fn gives_a_codes_text(table: &Table) -> bool {
    !table.header.is_empty()
        && table.header.iter().all(|h| names_role(h))
        && !is_code_table(table)
        && code_column(table).is_none()
}

/// A table read as one of codes: its first column names them or gives numbers, or a
/// later one holds them ([`code_column`]).
fn lists_codes(table: &Table) -> bool {
    is_code_table(table) || code_column(table).is_some()
}

/// Words in a table's lead-in or headings that mark its codes as not errors.
const NOT_ERRORS: &[&str] = &[
    "aren't errors",
    "aren\u{2019}t errors",
    "are not errors",
    "intentional warnings",
    "that aren't errors",
    "rather than actual errors",
    "not actual errors",
    "エラーではありません",
    "エラーではない",
    "エラー以外",
    "keine fehler",
    "ne sont pas des erreurs",
    "no son errores",
    "non sono errori",
    "não são erros",
    "geen fouten",
    "不是错误",
    "不属于错误",
    "不是錯誤",
    "不屬於錯誤",
    "오류가 아닌",
    "не являются ошибками",
    "не ошибки",
    "nie są błędami",
    "inte är fel",
    "hata olmayan",
    "nejsou chyby",
    "nem hibák",
];

fn says_not_errors(lead: &str, section: &[String]) -> bool {
    let mut text = lead.to_lowercase();
    for heading in section {
        text.push(' ');
        text.push_str(&heading.to_lowercase());
    }
    holds_any(&text, NOT_ERRORS)
}

/// `text` holds one of `words`. The lists hold the words of many languages, and a
/// header is short: a word whose first or last byte the text lacks is not searched
/// for.
fn holds_any(text: &str, words: &[&str]) -> bool {
    let mut bytes = [0u64; 4];
    for b in text.bytes() {
        bytes[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    let has =
        |b: Option<&u8>| b.is_some_and(|&b| bytes[usize::from(b >> 6)] & (1 << (b & 63)) != 0);
    (words.iter()).any(|word| {
        let w = word.as_bytes();
        has(w.first()) && has(w.last()) && text.contains(word)
    })
}

/// A column's header names it as one of codes.
fn names_codes(header: &str) -> bool {
    let header = header.to_lowercase();
    holds_any(&header, CODE_HEADERS)
}

/// Header words of a code column.
const CODE_HEADERS: &[&str] = &[
    "code",
    "hex",
    "error",
    "hresult",
    "status",
    "コード",
    "16 進",
    "16進",
    "エラー",
    "fehler",
    "erreur",
    "código",
    "codice",
    "erro",
    "fout",
    "代码",
    "代碼",
    "错误",
    "錯誤",
    "코드",
    "오류",
    "код",
    "ошибк",
    "kod",
    "błąd",
    "hata",
    "chyb",
    "hiba",
];

/// Settles which of a table's rows names its columns. A table whose header gives a
/// code has no header: its first line is its first row (`| 0x80090005 | Bad key |
/// Reset |` over the `|---|` rule), read like the others under columns with no
/// names. A table with no header row (an HTML table without `<th>`) takes its first
/// row as one, unless that row gives a code.
fn settle_header(table: &mut Table) {
    if table.header.is_empty() {
        if let Some(first) = table.rows.first() {
            let opening = first.cells.first().into_iter().flat_map(CellText::segments);
            table.header = if gives_code(opening) {
                vec![String::new(); first.cells.len()]
            } else {
                table
                    .rows
                    .remove(0)
                    .cells
                    .iter()
                    .map(CellText::joined)
                    .collect()
            };
        }
        return;
    }
    if !gives_code(table.header.first().map(String::as_str)) {
        return;
    }
    let unnamed = vec![String::new(); table.header.len()];
    let header = std::mem::replace(&mut table.header, unnamed);
    let cells = header.iter().map(|name| {
        let mut cell = crate::text::CellBuilder::new();
        cell.text(name);
        cell.finish()
    });
    let row = Row {
        line: table.line,
        cells: cells.collect(),
        raw: header.join(" | "),
    };
    table.rows.insert(0, row);
}

/// The most columns a table is read with. Real code tables have a handful; a header
/// of thousands would make every row as wide, and every look down a column as long
/// as the table.
pub const MAX_COLUMNS: usize = 64;

/// Joins a header's names past [`MAX_COLUMNS`] to its last one, as a row's cells
/// past its columns join its last cell; where it did, how many columns there were.
fn cap_columns(table: &mut Table) -> Option<usize> {
    let columns = table.header.len();
    if columns <= MAX_COLUMNS {
        return None;
    }
    let rest = table.header.split_off(MAX_COLUMNS);
    let last = &mut table.header[MAX_COLUMNS - 1];
    for name in rest.iter().filter(|name| !name.is_empty()) {
        last.push_str(" | ");
        last.push_str(name);
    }
    Some(columns)
}

/// A later column that holds a table's codes where its first does not: its header
/// names a code column and most of its cells give a code (`| Description | Error
/// code | Fix |`, `| Error message | Error code |`). `None` where the first column
/// holds codes, or no column does.
fn code_column(table: &Table) -> Option<usize> {
    if table.header.is_empty() {
        return None;
    }
    let headed_as_codes = |column: usize| names_codes(&table.header[column]);
    // Any code in the first column; in a later one, only what reads as an error's
    // code whatever its header: a number, a symbol (`DSREG_E_…`), or a name with
    // digits (`AADSTS50126`), not a word such as `OK` under `Status`.
    let has_code = |row: &Row, column: usize| {
        row.cells.get(column).is_some_and(|c| {
            code::scan_cell(c.segments())
                .codes
                .iter()
                .any(|code| match column {
                    0 => code.value.is_none() || code.is_error_number(),
                    _ => {
                        code.is_error_number()
                            || code::is_symbol(&code.code)
                            || (code.value.is_none()
                                && code.code.bytes().any(|b| b.is_ascii_digit()))
                    }
                })
        })
    };
    let most = |column: usize| {
        let with_codes = table.rows.iter().filter(|row| has_code(row, column));
        with_codes.count() * 2 > table.rows.len()
    };
    let later = || (1..table.header.len()).find(|&column| headed_as_codes(column) && most(column));
    // Most tables head their first column as codes and give one in their first row:
    // one cell read, not the column.
    if headed_as_codes(0) {
        return match table.rows.iter().any(|row| has_code(row, 0)) {
            true => None,
            false => later(),
        };
    }
    if !most(0) {
        return later();
    }
    // Under another header, a first column of names alone (`| Symbolic name | Hex
    // |`) yields to a later column of codes.
    later().filter(|_| !first_column_numbers(table))
}

/// Most of a table's rows give an error's number in their first cell.
fn first_column_numbers(table: &Table) -> bool {
    let numeric = (table.rows.iter())
        .filter(|row| (row.cells.first()).is_some_and(|c| gives_code(c.segments())));
    !table.rows.is_empty() && numeric.count() * 2 > table.rows.len()
}

/// A cell, given as its segments, holds an error's number.
fn gives_code<'a>(segments: impl IntoIterator<Item = &'a str>) -> bool {
    (code::scan_cell(segments).codes.iter()).any(ParsedCode::is_error_number)
}

/// Moves `column` to the front of the header and of every row that reaches it, so
/// that the table reads as one whose codes come first.
fn codes_first(table: &mut Table, column: usize) {
    table.header[..=column].rotate_right(1);
    for row in &mut table.rows {
        if let Some(cells) = row.cells.get_mut(..=column) {
            cells.rotate_right(1);
        }
    }
}

/// A code table names its first column as one, or lists numeric codes in it.
fn is_code_table(table: &Table) -> bool {
    let named = table.header.first().is_some_and(|h| names_codes(h));
    named || first_column_numbers(table)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Cause,
    Message,
    Mitigation,
    /// The row's place in a numbered procedure (`| Step |` over 1, 2, 3): where the
    /// table is, not what the code means.
    Order,
    /// The code again, in other spellings: its decimal value or its symbolic name
    /// (`| Hex | Decimal | Symbolic name |`). Checked against the code and taken as
    /// its names, not as text.
    Spelling,
}

/// Words in a header that make its column the message, the mitigation or a cause,
/// in the languages the docs are translated into most (Japanese, then German,
/// French, Spanish, Italian, Portuguese, Dutch, Chinese, Korean, Russian, Polish,
/// Swedish, Turkish, Czech, Hungarian): a page's translation heads its columns in
/// its own words (`Fehlermeldung`, `Schritte zur Problembehandlung`), and columns
/// left unnamed fill cause, then mitigation.
const MESSAGE: &[&str] = &[
    "message",
    "symptom",
    "technical details",
    "descriptive text",
    "メッセージ",
    "症状",
    "技術的な詳細",
    "meldung",
    "nachricht",
    "technische details",
    "symptôme",
    "détails techniques",
    "mensaje",
    "síntoma",
    "detalles técnicos",
    "messaggio",
    "sintomo",
    "dettagli tecnici",
    "mensagem",
    "sintoma",
    "detalhes técnicos",
    "foutbericht",
    "melding",
    "symptoom",
    "消息",
    "訊息",
    "症狀",
    "메시지",
    "증상",
    "сообщение",
    "симптом",
    "komunikat",
    "wiadomość",
    "meddelande",
    "ileti",
    "zpráv",
    "üzenet",
];
const MITIGATION: &[&str] = &[
    "mitigation",
    "resolution",
    "step",
    "fix",
    "solution",
    "recommend",
    "what to do",
    "workaround",
    "remediat",
    "note",
    "軽減",
    "解決",
    "対処",
    "手順",
    "修正",
    "lösung",
    "behebung",
    "schritte",
    "abhilfe",
    "risikominderung",
    "problemumgehung",
    "empfohlen",
    "résolution",
    "atténuation",
    "étapes",
    "contournement",
    "recommand",
    "resolución",
    "solución",
    "mitigación",
    "pasos",
    "recomendad",
    "risoluzione",
    "soluzione",
    "mitigazione",
    "passaggi",
    "consigliat",
    "resolução",
    "solução",
    "mitigação",
    "etapas",
    "passos",
    "oplossing",
    "stappen",
    "beperking",
    "aanbevolen",
    "解决",
    "缓解",
    "緩解",
    "风险降低",
    "風險降低",
    "步骤",
    "步驟",
    "建议",
    "建議",
    "해결",
    "완화",
    "단계",
    "권장",
    "решение",
    "устранение",
    "действия",
    "рекоменд",
    "rozwiąz",
    "zalecan",
    "lösning",
    "felsökning",
    "rekommender",
    "çözüm",
    "adım",
    "řešení",
    "doporučen",
    "megoldás",
    "lépés",
];
const CAUSE: &[&str] = &[
    "cause",
    "reason",
    "description",
    "summary",
    "scenario",
    "example",
    "原因",
    "理由",
    "説明",
    "概要",
    "ursache",
    "grund",
    "beschreibung",
    "szenario",
    "beispiel",
    "zusammenfassung",
    "raison",
    "scénario",
    "exemple",
    "résumé",
    "causa",
    "motivo",
    "descripción",
    "descrizione",
    "descrição",
    "escenario",
    "cenário",
    "ejemplo",
    "esempio",
    "exemplo",
    "oorzaak",
    "reden",
    "beschrijving",
    "voorbeeld",
    "说明",
    "說明",
    "描述",
    "摘要",
    "원인",
    "이유",
    "설명",
    "요약",
    "причин",
    "описание",
    "przyczyn",
    "orsak",
    "neden",
    "příčin",
    "kiváltó ok",
];

/// A page's closing heading (`Next steps`, `Related content`), whose links are the
/// page's, not the last code's, though its words may name a fix's.
fn closes_page(heading: &str) -> bool {
    const CLOSING: &[&str] = &[
        "next steps",
        "next step",
        "related content",
        "related articles",
        "see also",
        "additional resources",
        "次のステップ",
        "次の手順",
        "関連コンテンツ",
        "関連項目",
        "nächste schritte",
        "verwandte inhalte",
        "zugehörige inhalte",
        "siehe auch",
        "zusätzliche ressourcen",
        "étapes suivantes",
        "prochaines étapes",
        "contenu connexe",
        "voir aussi",
        "ressources supplémentaires",
        "pasos siguientes",
        "próximos pasos",
        "contenido relacionado",
        "consulte también",
        "recursos adicionales",
        "passaggi successivi",
        "contenuto correlato",
        "vedere anche",
        "risorse aggiuntive",
        "próximas etapas",
        "próximos passos",
        "conteúdo relacionado",
        "confira também",
        "recursos adicionais",
        "volgende stappen",
        "gerelateerde inhoud",
        "zie ook",
        "后续步骤",
        "相关内容",
        "另请参阅",
        "後續步驟",
        "接下來的步驟",
        "接下来的步骤",
        "相關內容",
        "另請參閱",
        "다음 단계",
        "관련 콘텐츠",
        "참고 항목",
        "дальнейшие действия",
        "следующие шаги",
        "связанное содержимое",
        "см. также",
        "następne kroki",
        "nästa steg",
        "sonraki adımlar",
        "další postup",
        "következő lépések",
    ];
    let heading = heading.trim().to_lowercase();
    CLOSING.contains(&heading.as_str())
}

/// A heading over what a page adds at its end (`More information`, `References`):
/// on a page about one error, the page's, not its code's.
fn is_more_information(heading: &str) -> bool {
    const MORE: &[&str] = &[
        "more information",
        "references",
        "reference",
        "詳細情報",
        "weitere informationen",
        "referenzen",
        "informations supplémentaires",
        "plus d'informations",
        "plus d’informations",
        "références",
        "más información",
        "referencias",
        "ulteriori informazioni",
        "riferimenti",
        "mais informações",
        "referências",
        "meer informatie",
        "详细信息",
        "更多信息",
        "詳細資訊",
        "其他資訊",
        "추가 정보",
        "дополнительные сведения",
        "więcej informacji",
        "mer information",
        "daha fazla bilgi",
        "další informace",
        "további információ",
    ];
    MORE.contains(&heading.trim().to_lowercase().as_str())
}

/// A heading of a few words that names what a column holds (`Cause`, `Resolution`):
/// inside a code's section, a label even at the section's own level, as a scraped
/// page flattens its headings.
fn names_role(heading: &str) -> bool {
    if heading.split_whitespace().nth(3).is_some() {
        return false;
    }
    let heading = heading.to_lowercase();
    [MESSAGE, MITIGATION, CAUSE]
        .iter()
        .any(|words| holds_any(&heading, words))
}

/// A paragraph in which the page speaks of itself: `This article describes …`, `Use
/// this article to …`.
fn speaks_of_the_page(cell: &CellText) -> bool {
    cell.pieces.first().is_some_and(|first| {
        ["This article ", "Use this article "]
            .iter()
            .any(|words| first.text.starts_with(words))
    })
}

/// What each column holds, by its header, and for a column that numbers the rows or
/// spells the codes again by its cells too; unknown headers fill cause, then
/// mitigation, and `Details` the message first where no column is named so.
fn roles(header: &[String], rows: &[Row]) -> Vec<Role> {
    let has = holds_any;
    let mut roles: Vec<Option<Role>> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.to_lowercase();
            if i == 0 {
                Some(Role::Code)
            } else if is_order(&h, rows, i) {
                Some(Role::Order)
            } else if is_spelling(&h, rows, i) {
                Some(Role::Spelling)
            } else if has(&h, MESSAGE) {
                Some(Role::Message)
            } else if has(&h, MITIGATION) {
                Some(Role::Mitigation)
            } else if has(&h, CAUSE) {
                Some(Role::Cause)
            } else {
                None
            }
        })
        .collect();
    for i in 0..roles.len() {
        if roles[i].is_none() {
            let taken = |r: Role| roles.contains(&Some(r));
            // `Details` are the error's text where no column is named its message
            // (`| Error name | Details | Source | Resolution |`), and beside one
            // (`| Details | Technical details |`) the words a user reads of it.
            let details = header[i].trim().eq_ignore_ascii_case("details");
            roles[i] = Some(if details && !taken(Role::Message) {
                Role::Message
            } else if !taken(Role::Cause) {
                Role::Cause
            } else {
                Role::Mitigation
            });
        }
    }
    roles
        .into_iter()
        .map(|r| r.unwrap_or(Role::Mitigation))
        .collect()
}

/// A column that numbers the rows: headed as a step or a number, and holding
/// nothing but small whole numbers.
fn is_order(header: &str, rows: &[Row], column: usize) -> bool {
    const ORDER: &[&str] = &["step", "#", "no", "no.", "number", "order", "手順"];
    ORDER.contains(&header.trim())
        && rows.iter().any(|row| row.cells.len() > column)
        && rows.iter().all(|row| {
            row.cells.get(column).is_none_or(|cell| {
                let text = cell.joined();
                let number = text.trim_end_matches('.');
                text.is_empty()
                    || (!number.is_empty()
                        && number.len() <= 3
                        && number.bytes().all(|b| b.is_ascii_digit()))
            })
        })
}

/// A column that gives each row's code again: headed as a decimal value or a
/// symbolic name or error string, and holding numbers and code-like names in most
/// of its cells. A cell in words among them (Conditional Access's `53009 |
/// Application needs to enforce Intune protection policies`) is its row's text.
fn is_spelling(header: &str, rows: &[Row], column: usize) -> bool {
    const SPELLING: &[&str] = &[
        "decimal", "symbol", "name", "constant", "string", "10 進", "10進",
    ];
    let header = header.trim();
    let filled = || {
        (rows.iter())
            .filter_map(|row| row.cells.get(column))
            .filter(|cell| !cell.is_empty())
    };
    if !(header == "dec" || SPELLING.iter().any(|w| header.contains(w))) {
        return false;
    }
    let spelled = filled().filter(|cell| spells(cell)).count();
    spelled > 0 && spelled * 2 > filled().count()
}

/// Every word of a cell is a spelling of a code ([`is_spelling_word`]).
fn spells(cell: &CellText) -> bool {
    spelling_words(cell).all(is_spelling_word)
}

/// A number or a code-like name.
fn is_spelling_word(word: &str) -> bool {
    code::number_word(word).is_some() || code::is_code_identifier(word)
}

/// The words of a spelling cell: `-2145647635`, `DSREG_E_A`; the `,`, `/` and `-or-`
/// between them are not words, and a cell that says there is none (`—`, `N/A`) has
/// none.
fn spelling_words(cell: &CellText) -> impl Iterator<Item = &str> {
    const NONE: &[&str] = &["-", "–", "—", "n/a", "none"];
    cell.segments()
        .filter(|segment| {
            !NONE
                .iter()
                .any(|none| segment.trim().eq_ignore_ascii_case(none))
        })
        .flat_map(|segment| segment.split(|c: char| c.is_whitespace() || c == ',' || c == '/'))
        .map(|word| word.trim_matches(|c: char| matches!(c, '(' | ')' | ';' | '.' | '`' | '*')))
        .filter(|word| !word.is_empty() && *word != "-or-" && *word != "or")
}

struct Builder<'a> {
    file: &'a str,
    entries: Vec<Entry>,
    /// Each (section, kind) a table was in; a row refers to it by its place here.
    sections: Vec<(Vec<String>, EntryKind)>,
    /// code → (section, entry) for every section the code has an entry in.
    index: HashMap<String, Vec<(usize, usize)>>,
    diagnostics: Vec<Diagnostic>,
    row_lines: Vec<usize>,
}

impl<'a> Builder<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            entries: Vec::new(),
            sections: Vec::new(),
            index: HashMap::new(),
            diagnostics: Vec::new(),
            row_lines: Vec::new(),
        }
    }

    fn diagnose(&mut self, level: Level, kind: DiagnosticKind, line: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            level,
            kind,
            line,
            message,
        });
    }

    fn table(&mut self, table: Table, section: Vec<String>, kind: EntryKind) {
        let roles = roles(&table.header, &table.rows);
        let columns = roles.len().max(1);
        let section = match self
            .sections
            .iter()
            .position(|s| s.0 == section && s.1 == kind)
        {
            Some(at) => at,
            None => {
                self.sections.push((section, kind));
                self.sections.len() - 1
            }
        };
        self.entries.reserve(table.rows.len());
        let mut above: Vec<ParsedCode> = Vec::new();
        for row in table.rows {
            self.row_lines.push(row.line);
            if let Some(codes) = self.row(row, columns, &roles, table.labelled, section, &above) {
                above = codes;
            }
        }
    }

    /// Reconciles one row; returns its codes for the continuation rows below it.
    fn row(
        &mut self,
        row: Row,
        columns: usize,
        roles: &[Role],
        labelled: bool,
        section: usize,
        above: &[ParsedCode],
    ) -> Option<Vec<ParsedCode>> {
        let line = row.line;
        let mut cells = row.cells;
        if cells.iter().all(CellText::is_empty) {
            self.unparsed(line, &row.raw, "the row is empty");
            return None;
        }
        if cells.len() < columns {
            self.diagnose(
                Level::Warning,
                DiagnosticKind::MissingCells,
                line,
                format!(
                    "the row has {} of {columns} cells; the missing ones are read as empty",
                    cells.len()
                ),
            );
            cells.resize(columns, CellText::default());
        }
        if cells.len() > columns {
            let extra: Vec<CellText> = cells.split_off(columns);
            if extra.iter().any(|c| !c.is_empty()) {
                let message = if labelled {
                    format!(
                        "labels past the first {MAX_LABELS} of these entries have no column; \
                         their text joins the last cell, label and all"
                    )
                } else {
                    format!(
                        "the row has {} cells for {columns} columns; the extra text joins the last cell",
                        columns + extra.len()
                    )
                };
                self.diagnose(Level::Warning, DiagnosticKind::ExtraCells, line, message);
                if let Some(last) = cells.last_mut() {
                    for cell in extra {
                        last.pieces.extend(cell.pieces);
                        last.links.extend(cell.links);
                    }
                }
            }
        }
        for (column, cell) in cells.iter_mut().enumerate() {
            if let Some(size) = cap_cell(cell) {
                self.diagnose(
                    Level::Warning,
                    DiagnosticKind::Truncated,
                    line,
                    format!(
                        "cell {} holds {size} bytes; kept the first {MAX_CELL_BYTES}",
                        column + 1
                    ),
                );
            }
        }
        let scanned = code::scan_cell(cells[0].segments());
        for (problem, message) in &scanned.problems {
            self.diagnose(Level::Warning, *problem, line, message.clone());
        }
        let (mut codes, rest, continues) = if !scanned.codes.is_empty() {
            if scanned.rest_is_merged {
                self.diagnose(
                    Level::Warning,
                    DiagnosticKind::MergedCells,
                    line,
                    format!(
                        "`{}` and the text after it share one cell; the text is read as the message",
                        scanned.codes[0].code
                    ),
                );
            }
            (scanned.codes, scanned.rest, false)
        } else if cells[0].is_empty() {
            (above.to_vec(), String::new(), true)
        } else if !labelled
            && cells.len() > 1
            && cells[cells.len() - 1].is_empty()
            && scanned.problems.is_empty()
        {
            // A scrape that pushed the empty code cell to the end of the row.
            cells.pop();
            cells.insert(0, CellText::default());
            (above.to_vec(), String::new(), true)
        } else if let Some(named) = (scanned.problems.is_empty())
            .then(|| code::named_codes(&cells[0].joined()))
            .filter(|named| !named.is_empty())
        {
            // A first cell that tells what goes wrong and names its codes inside
            // (`The event log contains error 32009 with the text …`): those codes,
            // the cell their message.
            (named, cells[0].joined(), false)
        } else {
            if scanned.problems.is_empty() {
                self.unparsed(line, &row.raw, "no error code in the first cell");
            } else {
                self.unparsed(line, &row.raw, "its code cannot be read");
            }
            return None;
        };
        if codes.is_empty() {
            self.diagnose(
                Level::Error,
                DiagnosticKind::OrphanContinuation,
                line,
                format!(
                    "the code cell is empty and no code above it to continue: {}",
                    row.raw.trim()
                ),
            );
            return None;
        }
        let (unpaired, described) = self.read_spellings(&cells, roles, &mut codes, line);
        let mut condition = condition(
            &cells,
            roles,
            rest,
            SourceRef {
                file: self.file.to_owned(),
                line,
            },
        );
        if !unpaired.is_empty() {
            let text = condition.mitigation.take().into_iter().chain(unpaired);
            condition.mitigation = Some(text.collect::<Vec<_>>().join(" "));
        }
        // As a column of such cells is read: the causes, before the row's others.
        if !described.is_empty() {
            condition.causes.splice(0..0, described);
        }
        let mut names = parsed_names(&codes, &condition).into_iter();
        if let Some((last, before)) = codes.split_last() {
            for parsed in before {
                let names = names.next().unwrap_or_default();
                self.add(parsed, names, section, condition.clone());
            }
            let names = names.next().unwrap_or_default();
            self.add(last, names, section, condition);
        }
        (!continues).then_some(codes)
    }

    /// Reads the row's spelling columns into its codes: a number is checked against
    /// its code's value, a name becomes one of its names. A cell pairs with the codes
    /// when it gives one spelling per code, or the row has one code; the text of a
    /// cell that does not is returned, to be kept as the row's, and so is a cell in
    /// words, as the row's description.
    fn read_spellings(
        &mut self,
        cells: &[CellText],
        roles: &[Role],
        codes: &mut [ParsedCode],
        line: usize,
    ) -> (Vec<String>, Vec<String>) {
        let (mut unpaired, mut words_only) = (Vec::new(), Vec::new());
        for (cell, role) in cells.iter().zip(roles) {
            if *role != Role::Spelling || cell.is_empty() {
                continue;
            }
            let words: Vec<&str> = spelling_words(cell).collect();
            if !words.iter().all(|word| is_spelling_word(word)) {
                words_only.extend(cell.alternatives());
                continue;
            }
            if codes.len() != 1 && codes.len() != words.len() {
                self.diagnose(
                    Level::Warning,
                    DiagnosticKind::UnpairedSpellings,
                    line,
                    format!(
                        "`{}` gives {} for the row's {} codes; read as text",
                        cell.joined(),
                        match words.len() {
                            1 => "1 spelling".to_owned(),
                            n => format!("{n} spellings"),
                        },
                        codes.len()
                    ),
                );
                unpaired.push(cell.joined());
                continue;
            }
            for (at, word) in words.into_iter().enumerate() {
                let code = &mut codes[at.min(codes.len() - 1)];
                let problem = match (code::number_word(word), code.value) {
                    (Some(number), Some(value)) => {
                        code::spelling_problem(&code.code, value, word, number)
                    }
                    (Some(_), None) => Some((
                        DiagnosticKind::HexDecimalMismatch,
                        format!(
                            "{}: `{word}` is a number, but the code is not one; keeping the code",
                            code.code
                        ),
                    )),
                    (None, _) => {
                        if !code.names.iter().any(|name| name == word) {
                            code.names.push(word.to_owned());
                        }
                        None
                    }
                };
                if let Some((kind, message)) = problem {
                    self.diagnose(Level::Warning, kind, line, message);
                }
            }
        }
        (unpaired, words_only)
    }

    fn unparsed(&mut self, line: usize, raw: &str, why: &str) {
        self.diagnose(
            Level::Error,
            DiagnosticKind::UnparsedRow,
            line,
            format!("{why}: {}", raw.trim()),
        );
    }

    /// Adds a row's condition to the code's entry in `section` (a place in
    /// `sections`), opening the entry on the code's first row there.
    fn add(
        &mut self,
        parsed: &ParsedCode,
        names: Vec<String>,
        section: usize,
        condition: Condition,
    ) {
        let slots = match self.index.get_mut(parsed.code.as_str()) {
            Some(slots) => slots,
            None => self.index.entry(parsed.code.clone()).or_default(),
        };
        let at = match slots.iter().find(|(s, _)| *s == section) {
            Some(&(_, at)) => at,
            None => {
                let (path, kind) = &self.sections[section];
                self.entries.push(Entry {
                    code: parsed.code.clone(),
                    value: parsed.value,
                    names: Vec::new(),
                    section: path.clone(),
                    kind: *kind,
                    conditions: Vec::new(),
                });
                slots.push((section, self.entries.len() - 1));
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[at];
        for name in names {
            if !entry.names.contains(&name) {
                entry.names.push(name);
            }
        }
        if let Some(first) = entry.conditions.iter().find(|c| c.same_content(&condition)) {
            let message = format!(
                "{} repeats the row on line {} word for word; kept once",
                parsed.code, first.source.line
            );
            let line = condition.source.line;
            self.diagnose(Level::Warning, DiagnosticKind::DuplicateRow, line, message);
        } else {
            entry.conditions.push(condition);
        }
    }
}

/// The most text one cell keeps; real cells hold a few hundred bytes.
pub const MAX_CELL_BYTES: usize = 64 << 10;

/// Cuts a cell to [`MAX_CELL_BYTES`] at a character boundary; returns its size
/// when it had to.
fn cap_cell(cell: &mut CellText) -> Option<usize> {
    let size: usize = cell.pieces.iter().map(|p| p.text.len()).sum();
    if size <= MAX_CELL_BYTES {
        return None;
    }
    let mut budget = MAX_CELL_BYTES;
    cell.pieces.retain_mut(|piece| {
        if budget == 0 {
            return false;
        }
        if piece.text.len() > budget {
            let mut cut = budget;
            while !piece.text.is_char_boundary(cut) {
                cut -= 1;
            }
            piece.text.truncate(cut);
        }
        budget -= piece.text.len();
        !piece.text.is_empty()
    });
    Some(size)
}

fn condition(cells: &[CellText], roles: &[Role], rest: String, source: SourceRef) -> Condition {
    let mut causes = Vec::new();
    let mut message: Vec<String> = Vec::new();
    let mut mitigation: Vec<String> = Vec::new();
    let mut links: Vec<Link> = cells[0].links.clone();
    for (cell, role) in cells.iter().zip(roles).skip(1) {
        for link in &cell.links {
            if !links.contains(link) {
                links.push(link.clone());
            }
        }
        if cell.is_empty() {
            continue;
        }
        match role {
            Role::Cause => causes.extend(cell.alternatives()),
            Role::Message => message.push(cell.joined()),
            Role::Mitigation | Role::Code => mitigation.push(cell.joined()),
            Role::Order | Role::Spelling => {}
        }
    }
    // A heading's words that the message gives in full say nothing more.
    let said = rest.trim_end_matches(['.', '。']);
    if !said.is_empty() && !message.iter().any(|m| m.contains(said)) {
        message.insert(0, rest);
    }
    let join = |parts: Vec<String>| (!parts.is_empty()).then(|| parts.join(" "));
    Condition {
        causes,
        message: join(message),
        mitigation: join(mitigation),
        links,
        source,
    }
}

/// The names each of a row's codes is given: its own, and for a row of one code,
/// those its cause or message implies.
fn parsed_names(codes: &[ParsedCode], condition: &Condition) -> Vec<Vec<String>> {
    let mut names: Vec<Vec<String>> = codes.iter().map(|c| c.names.clone()).collect();
    if let ([only], [code]) = (names.as_mut_slice(), codes) {
        only.extend(implied_names(condition, code.value.is_none()));
    }
    names
}

/// Symbolic names a cause or message gives as the whole text or its lead:
/// `NTE_BAD_DATA`, `DSREG_NO_DEFAULT_ACCOUNT: NGC provisioning …`. A string code's
/// text may open with its name in camel case instead, as the sign-in service's
/// (`AADSTS50126`) do: `InvalidUserNameOrPassword - Error validating credentials`.
fn implied_names(condition: &Condition, string_code: bool) -> Vec<String> {
    condition
        .causes
        .iter()
        .chain(condition.message.iter())
        .filter_map(|text| {
            let lead = text.split(':').next().unwrap_or(text).trim();
            let lead = lead.trim_end_matches('.');
            if code::is_symbol(lead) {
                return Some(lead.to_owned());
            }
            string_code
                .then(|| camel_name(text))
                .flatten()
                .map(str::to_owned)
        })
        .collect()
}

/// A name in camel case that opens a text, alone or set off from the rest by a
/// colon or a dash (`SelectUserAccount - This is an interrupt…`,
/// `BrokerAppNotInstalled–…`), as a translation may set it. Its words may be
/// joined by an underscore (`UnauthorizedClient_DoesNotMatchRequest`).
fn camel_name(text: &str) -> Option<&str> {
    let end = (text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))).unwrap_or(text.len());
    let (name, after) = text.split_at(end);
    let capitals = name.bytes().filter(u8::is_ascii_uppercase).count();
    let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
        && capitals >= 2
        && name.bytes().any(|b| b.is_ascii_lowercase());
    let after = after.trim_start();
    let set_off =
        after.is_empty() || after.starts_with([':', '：']) || after.starts_with(code::DASHES);
    (camel && set_off).then_some(name)
}

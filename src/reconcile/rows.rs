//! Each row of a code table made a condition of its code's entry, or a diagnostic
//! naming its line: its codes read and checked, its cells capped, the code's other
//! spellings and names taken from their columns and its text, and a row that
//! repeats another kept once.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use crate::code::{self, ParsedCode};
use crate::ingest::{Row, Table, MAX_LABELS};
use crate::model::{
    Condition, Diagnostic, DiagnosticKind, Entry, EntryKind, Level, Link, SourceRef,
};
use crate::text::{CellText, PieceKind};

use super::columns::{
    is_name_word, is_spelling_word, name_list, names_are_codes, names_sign_in_codes,
    quoted_hresults, quoted_name, roles, spelling_words, Role,
};
use super::headings::code_label;

/// How a table's code cells read, told from the table as a whole.
struct TableReading<'t> {
    /// Each cell stands under the column its label names ([`Table::labelled`]).
    labelled: bool,
    /// The codes are names in plain words ([`names_are_codes`]).
    names: bool,
    /// The code column's header.
    header: &'t str,
    /// Whether that header names the sign-in service's numbers
    /// ([`names_sign_in_codes`]), told once a row gives a number it could name.
    sign_in: OnceCell<bool>,
}

impl TableReading<'_> {
    fn sign_in(&self) -> bool {
        *(self.sign_in).get_or_init(|| names_sign_in_codes(self.header))
    }
}

/// A number as the sign-in service's codes take it, as `81001` numbers
/// `AADSTS81001`: five to seven digits, no leading zero. Fewer digits are a
/// Windows error's (`1326`), whatever a header calls them.
fn is_sign_in_number(code: &str) -> bool {
    (5..=7).contains(&code.len())
        && !code.starts_with('0')
        && code.bytes().all(|b| b.is_ascii_digit())
}

/// The entries a page's code tables give, built a row at a time, and what their
/// rows needed said of them.
pub(super) struct Builder<'a> {
    file: &'a str,
    pub(super) entries: Vec<Entry>,
    /// Each (section, kind) a table was in; a row refers to it by its place here.
    sections: Vec<(Vec<String>, EntryKind)>,
    /// code → (section, entry) for every section the code has an entry in.
    index: HashMap<String, Vec<(usize, usize)>>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The first line of every code table row, in order.
    pub(super) row_lines: Vec<usize>,
    /// The line of the table being read: conditions from here on are its rows'.
    table_line: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn new(file: &'a str) -> Self {
        Self {
            file,
            entries: Vec::new(),
            sections: Vec::new(),
            index: HashMap::new(),
            diagnostics: Vec::new(),
            row_lines: Vec::new(),
            table_line: 0,
        }
    }

    pub(super) fn diagnose(
        &mut self,
        level: Level,
        kind: DiagnosticKind,
        line: usize,
        message: String,
    ) {
        self.diagnostics.push(Diagnostic {
            level,
            kind,
            line,
            message,
        });
    }

    pub(super) fn table(&mut self, table: Table, section: Vec<String>, kind: EntryKind) {
        let roles = roles(&table.header, &table.rows);
        let read = TableReading {
            labelled: table.labelled,
            names: names_are_codes(&table),
            header: table.header.first().map_or("", String::as_str),
            sign_in: OnceCell::new(),
        };
        self.table_line = table.line;
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
            if let Some(codes) = self.row(row, (&table.header, &roles), &read, section, &above) {
                above = codes;
            }
        }
    }

    /// Reconciles one row; returns its codes for the continuation rows below it.
    fn row(
        &mut self,
        row: Row,
        (header, roles): (&[String], &[Role]),
        read: &TableReading,
        section: usize,
        above: &[ParsedCode],
    ) -> Option<Vec<ParsedCode>> {
        let line = row.line;
        let columns = roles.len().max(1);
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
        // Text that overflows into an empty last cell is not under that column's title.
        let mut untitled = None;
        if cells.len() > columns {
            let extra: Vec<CellText> = cells.split_off(columns);
            if extra.iter().any(|c| !c.is_empty()) {
                if roles.last() == Some(&Role::Part) && cells.last().is_some_and(CellText::is_empty)
                {
                    untitled = Some(roles.len() - 1);
                }
                let message = if read.labelled {
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
        let mut scanned = code::scan_cell(cells[0].segments());
        // In a table of codes that are names, a name in plain words is one too.
        let unread = scanned.codes.is_empty() || !scanned.rest.is_empty();
        if let Some(names) = (read.names && unread)
            .then(|| name_list(&cells[0]))
            .flatten()
        {
            scanned = code::CodeCell {
                codes: names.into_iter().map(ParsedCode::string).collect(),
                ..code::CodeCell::default()
            };
        } else if let Some(name) = (scanned.codes.is_empty())
            .then(|| quoted_name(&cells[0]))
            .flatten()
        {
            // Among numbers, a code that is a name given as source gives a string
            // (`"rejectedTermsOfUse"` beside `0x80180019`, in Windows' MDM
            // enrollment codes): the quotes say it is the code as written.
            scanned = code::CodeCell {
                codes: vec![ParsedCode::string(name)],
                ..code::CodeCell::default()
            };
        }
        for code in &mut scanned.codes {
            if is_sign_in_number(&code.code) && read.sign_in() {
                let names = std::mem::take(&mut code.names);
                *code = ParsedCode::string(&format!("AADSTS{}", code.code));
                code.names = names;
            }
        }
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
        } else if !read.labelled
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
        if codes.len() > MAX_ROW_CODES {
            self.cap_codes(line, &mut codes, 0);
        }
        let (unpaired, described) = self.read_spellings(&cells, roles, &mut codes, line);
        let mut row_roles = Cow::Borrowed(roles);
        if let Some(at) = untitled {
            row_roles.to_mut()[at] = Role::Mitigation;
        }
        let mut condition = condition(
            &cells,
            (header, &row_roles),
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
        let mut quoted = match continues {
            false => quoted_errors(&cells, &row_roles, &codes),
            true => Vec::new(),
        };
        if codes.len() + quoted.len() > MAX_ROW_CODES {
            self.cap_codes(line, &mut quoted, codes.len());
        }
        let count = codes.len() + quoted.len();
        let mut condition = Some(condition);
        let each = (codes
            .iter()
            .map(|code| (code, names.next().unwrap_or_default())))
        .chain(quoted.iter().map(|code| (code, Vec::new())));
        for (at, (parsed, names)) in each.enumerate() {
            let condition = match at + 1 == count {
                true => condition.take(),
                false => condition.clone(),
            };
            if let Some(condition) = condition {
                self.add(parsed, names, section, condition);
            }
        }
        (!continues).then_some(codes)
    }

    /// Reads the row's spelling columns into its codes: a number is checked against
    /// its code's value, a name becomes one of its names. A cell pairs with the codes
    /// when it gives one spelling per code, or the row has one code, or it is one
    /// name, which every code of the row is given; the text of a
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
            if !matches!(role, Role::Spelling | Role::Name) || cell.is_empty() {
                continue;
            }
            let words: Vec<&str> = spelling_words(cell).collect();
            let spelled = |word: &&str| match role {
                Role::Name => is_spelling_word(word) || is_name_word(word),
                _ => is_spelling_word(word),
            };
            if !words.iter().all(spelled) {
                words_only.extend(cell.alternatives());
                continue;
            }
            // One name over several codes (`TIME_OUT_ERRORS` beside three
            // timeouts, in Windows Update's common errors) names them all.
            if let [name] = words[..] {
                if codes.len() > 1 && code::number_word(name).is_none() {
                    codes.iter_mut().for_each(|code| code.add_name(name));
                    continue;
                }
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
                        code.add_name(word);
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

    /// Keeps no more of a row's codes than [`MAX_ROW_CODES`] allows, `before` of them
    /// kept already, and reports the others by the row's line.
    fn cap_codes(&mut self, line: usize, codes: &mut Vec<ParsedCode>, before: usize) {
        let room = MAX_ROW_CODES.saturating_sub(before);
        if codes.len() <= room {
            return;
        }
        let past = codes.split_off(room);
        let (first, last) = (&past[0].code, &past[past.len() - 1].code);
        let message = format!(
            "the row gives {} codes; the first {MAX_ROW_CODES} are read, each with the row's \
             text, and the other {} ({first} … {last}) are not",
            before + room + past.len(),
            past.len(),
        );
        self.diagnose(Level::Warning, DiagnosticKind::Truncated, line, message);
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
        let says_nothing = condition.causes.is_empty()
            && condition.message.is_none()
            && condition.mitigation.is_none()
            && condition.links.is_empty();
        // A row that gives a code its table already gave and nothing else (Intune's
        // app errors list `0x87D13B6F` a second time, its cells empty) adds no
        // condition. In another table, being listed there is what it says.
        let table_line = self.table_line;
        let earlier = (entry.conditions.iter()).find(|c| c.source.line >= table_line);
        if let Some(first) = earlier.filter(|_| says_nothing) {
            let message = format!(
                "{} repeats the code of the row on line {} with no text of its own; kept once",
                parsed.code, first.source.line
            );
            let line = condition.source.line;
            self.diagnose(Level::Warning, DiagnosticKind::DuplicateRow, line, message);
        } else if let Some(first) = entry.conditions.iter().find(|c| c.same_content(&condition)) {
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

/// The most codes one row gives, each with a copy of the row's text: real rows give
/// up to eleven. Uncapped, a 121 KB page of one row naming 5,000 codes beside a long
/// fix wrote 307 MB of JSON.
pub const MAX_ROW_CODES: usize = 32;

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

pub(super) fn condition(
    cells: &[CellText],
    (header, roles): (&[String], &[Role]),
    rest: String,
    source: SourceRef,
) -> Condition {
    let mut causes = Vec::new();
    let mut message: Vec<String> = Vec::new();
    let mut mitigation: Vec<String> = Vec::new();
    // Where the last of the fix's texts is a titled part (`Event ID: 304`).
    let mut after_part = false;
    let mut links: Vec<Link> = cells[0].links.clone();
    for ((cell, role), title) in cells.iter().zip(roles).zip(header).skip(1) {
        for link in &cell.links {
            if !links.contains(link) {
                links.push(link.clone());
            }
        }
        if cell.says_nothing() {
            continue;
        }
        let fix = match role {
            Role::Cause => {
                causes.extend(cell.alternatives());
                continue;
            }
            Role::Message => {
                message.push(cell.joined());
                continue;
            }
            Role::Mitigation | Role::Code => cell.joined(),
            Role::Part => titled(title, listed(cell)),
            Role::Order | Role::Spelling | Role::Name => continue,
        };
        // A part's words end where the next text begins (`Event ID: 304.`, then
        // `Check the SCP.`), not run into it.
        if let Some(last) = mitigation.last_mut().filter(|_| after_part) {
            stop(last);
        }
        after_part = *role == Role::Part;
        mitigation.push(fix);
    }
    // A heading's words that the message gives in full say nothing more, nor does
    // a last sentence that only labels a code again (`Something went wrong. Error
    // Code 80070774.` over `Something went wrong. Confirm …`).
    let said = rest.trim_end_matches(['.', '。']);
    let given = |said: &str| message.iter().any(|m| m.contains(said));
    let relabelled = || match said.rsplit_once(". ") {
        Some((before, last)) if !before.trim().is_empty() && code_label(last.trim()).is_some() => {
            given(before)
        }
        _ => false,
    };
    let said_already = said.is_empty() || given(said) || (!message.is_empty() && relabelled());
    if !said_already {
        let mut rest = rest;
        if !message.is_empty() {
            stop(&mut rest);
        }
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

/// A part of a fix after its title, set off by a colon where the title does not end
/// a sentence or a label already.
/// A part's text: lines that each name one thing (`MAK<br />KMS client`) as a list,
/// `MAK, KMS client`; sentences and paragraphs as they run.
fn listed(cell: &CellText) -> String {
    let names = cell.pieces.len() > 1
        && (cell.pieces.iter()).all(|piece| {
            piece.kind == PieceKind::Line
                && !piece
                    .text
                    .ends_with(['.', ':', ';', ',', '!', '?', '。', '：'])
        });
    match names {
        true => (cell.pieces.iter().map(|piece| piece.text.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        false => cell.joined(),
    }
}

/// A full stop after Latin words that have none; text in Japanese, say, keeps its own.
pub(super) fn stop(text: &mut String) {
    let open = |c: char| c.is_ascii_alphanumeric() || matches!(c, ')' | '"' | '\'' | '`');
    if text.ends_with(open) {
        text.push('.');
    }
}

fn titled(title: &str, text: String) -> String {
    let title = title.trim();
    match title.ends_with(['.', ':', '!', '?', '。', '：', '！', '？']) {
        true => format!("{title} {text}"),
        false => format!("{title}: {text}"),
    }
}

/// The HRESULTs a row numbered as an event or a Win32 error quotes in its message
/// (`6329 | BAIL: MMS(4924) 0x80230619: "A restriction prevents …"`, an ADSync
/// event in the password writeback guide): each an error the row explains, and the
/// code a reader has in hand. They take none of the row's names, which are the
/// number's. A row whose codes are HRESULTs or names already is left as it is.
fn quoted_errors(cells: &[CellText], roles: &[Role], codes: &[ParsedCode]) -> Vec<ParsedCode> {
    let numbered = codes
        .iter()
        .all(|c| c.value.is_some() && !c.code.starts_with("0x"));
    let mut quoted: Vec<ParsedCode> = Vec::new();
    if !numbered {
        return quoted;
    }
    for (cell, _) in cells
        .iter()
        .zip(roles)
        .filter(|(_, r)| **r == Role::Message)
    {
        for code in quoted_hresults(&cell.joined()) {
            let known = |c: &ParsedCode| c.value == code.value;
            if !codes.iter().any(known) && !quoted.iter().any(known) {
                quoted.push(code);
            }
        }
    }
    quoted
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

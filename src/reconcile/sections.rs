//! A page that gives each code a heading of its own holds a code table in all but
//! form: each run of such headings, and the text under each by the label it came
//! under, is read into a table, which [`super::rows`] then reads as any other. A run
//! ends at a heading as high as its own, at a table that lists codes, or at the
//! page's closing links.

use crate::code;
use crate::ingest::{append_cell, label, split_label, Block, Row, Table, DESCRIPTION, MAX_LABELS};
use crate::text::{CellText, Piece, PieceKind};

use super::columns::{
    gives_a_codes_text, lists_codes, named_role, names_role, numbers_a_cause, opens_a_fix,
    settle_header, Role,
};
use super::headings::{
    bold_codes, code_heading, code_label, gives_an_error, heading_codes, heads_bold_codes,
    listed_errors, message_line, named_headings, numbered_errors, prose_codes, told_codes,
    CodeLine, Headings,
};

/// The column a fix opened inside another label's text goes to.
const FIX: &str = "Resolution";

/// A page that gives each code a heading of its own (`## Error 0x801C03ED`, then
/// `**Cause:** …` and a `### Resolution` with its steps) holds a code table in all
/// but form, and becomes one: each run of such headings is a table with a row a
/// heading, labelled as a list of entries is, with a column for each label its text
/// came under: a paragraph's or list item's own (`Cause: …`), or a sub-heading's. A
/// label holds for the text after it; text before any is the code's description. A
/// section ends at the next heading as high as its own, at a table that lists codes,
/// or at the page's closing links. The page's title is one only on a page about one
/// error (`about_one`, its codes). A bold line that gives codes (`**STATUS_LOGON_FAILURE**
/// (-1073741715/ 0xc000006d)`) is such a heading, a level below the one above it.
pub(super) fn code_sections(
    blocks: Vec<Block>,
    about_one: Option<CodeLine>,
    prose: bool,
) -> Vec<Block> {
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
        let mut in_prose = false;
        let codes = match &block {
            // On a page about one error, the title is its code's heading, and stays
            // the page's title too.
            Block::Heading {
                level: 1,
                text,
                pseudo: false,
                line,
            } if title.is_some() => {
                out.push(Block::Heading {
                    level: 1,
                    text: text.clone(),
                    pseudo: false,
                    line: *line,
                });
                title.take()
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
                    .or_else(|| {
                        let section = blocks.as_slice();
                        let codes = (listed_errors(section))
                            .or_else(|| prose.then(|| prose_codes(section)).flatten());
                        in_prose = codes.is_some();
                        codes
                    })
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
                let mut level = if pseudo {
                    depth + 1 + u8::from(under_bold)
                } else {
                    level
                };
                // A heading whose prose names the code is a topic, not the error's
                // words (`### Troubleshooting Azure AD Join issues`): it stays a
                // heading over the code's section, in the code's section path, and
                // the code's row stands under it with no message of its own.
                if in_prose {
                    out.push(Block::Heading {
                        level,
                        text: text.clone(),
                        pseudo: false,
                        line,
                    });
                    level += 1;
                }
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

/// Where a fix opens in a paragraph: at its start (`To resolve this issue, follow
/// these steps:`), or at a later sentence of its first line (`This scenario isn't
/// supported. To resolve the error, …`).
fn fix_at(cell: &CellText) -> Option<usize> {
    let text = &cell.pieces.first()?.text;
    let sentences = text.match_indices(". ").map(|(at, _)| at + 2);
    std::iter::once(0)
        .chain(sentences)
        .find(|&at| opens_a_fix(&text[at..]))
}

/// A paragraph cut at `at` in its first line: the sentences before, and the rest
/// with the paragraph's other lines. The links stay with the first part: a
/// condition keeps every link of its cells, in the page's order.
fn split_cell(mut cell: CellText, at: usize) -> (CellText, CellText) {
    let first = &mut cell.pieces[0];
    let rest = Piece {
        kind: first.kind,
        text: first.text.split_off(at),
    };
    let kept = first.text.trim_end().len();
    first.text.truncate(kept);
    let mut pieces = vec![rest];
    pieces.extend(cell.pieces.drain(1..));
    let links = Vec::new();
    (cell, CellText { pieces, links })
}

/// A heading's words as the first sentence of the text under it (`## Cause 2: The
/// account type is unsupported`, then `If your app …`): with a full stop where the
/// heading has none, so that its words do not run into the next sentence.
fn stopped(mut cell: CellText) -> CellText {
    if let Some(last) = cell.pieces.last_mut() {
        super::rows::stop(&mut last.text);
    }
    cell
}

/// The most codes whose lines, one after another, share the text under them: real
/// pages give two or three; each shares a copy.
pub const MAX_SHARED: usize = 8;

/// The most names a section's text gives one code beside its number: real pages give
/// one. Each is a line of the row's code cell, read again for the next name.
pub const MAX_TEXT_NAMES: usize = 8;

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
    /// The last rows' text has had a cause the page numbers (`## Cause 1: …`).
    numbered: bool,
    /// The column the last label heading opened, and that heading's level.
    label_heading: Option<(usize, u8)>,
    /// The last paragraph introduced the error's message (`you see this error
    /// message:`): the block after it is the message, and the text after that goes
    /// back to this column.
    quoted: Option<Option<usize>>,
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
            numbered: false,
            label_heading: None,
            quoted: None,
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
        self.numbered = false;
    }

    /// The last rows' codes again, each a row from `line`: a further condition of
    /// theirs, which the text from here on is.
    fn again(&mut self, line: usize) {
        let group: Vec<(String, CellText)> = (self.rows[self.group..].iter())
            .map(|(row, _)| (row.raw.clone(), row.cells[0].clone()))
            .collect();
        let first = self.rows.len();
        for (raw, cell) in group {
            self.row(raw, line, cell, self.codes.clone());
        }
        self.group = first;
    }

    /// A page that gives an error several causes, each numbered and with its own fix
    /// (`## Cause 1: …`, `### Solution for cause 1`, `## Cause 2: …`), gives it a
    /// condition for each: a numbered cause after another starts the next condition,
    /// from the line of its label. The text before the first stays with the first.
    fn numbered_cause(&mut self, label: &str, line: usize) {
        if numbers_a_cause(label) && std::mem::replace(&mut self.numbered, true) {
            self.again(line);
            self.numbered = true;
        }
    }

    /// A paragraph: a line that gives a code ([`message_line`]), or else text. Such
    /// lines that Markdown ran into one paragraph are each a line of their own.
    fn paragraph(&mut self, mut cell: CellText, line: usize) {
        if let Some(first) = cell.pieces.first() {
            self.translated_names(&first.text);
        }
        for piece in &cell.pieces {
            self.camel_names(&piece.text);
        }
        let Some(codes) = message_line(&cell).or_else(|| self.own_line(&cell)) else {
            return self.text(cell, PieceKind::Paragraph, line);
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
                None => self.text(cell, PieceKind::Paragraph, line),
            }
        }
    }

    /// A name in camel case that the text writes beside one of the rows' codes
    /// (`The 806 - ZtdDeviceAlreadyAssigned and 808 - ZtdDeviceAssignedToOtherTenant
    /// errors`, `ZtdDeviceAlreadyAssigned (806)`), as the errors' own messages give
    /// them: that code's name, a line of its row's code cell, `ZtdDeviceAlreadyAssigned
    /// = 806`, which the cell's reading joins to the code.
    fn camel_names(&mut self, text: &str) {
        if self.rows.len() <= self.group || !text.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        fn bare(word: &str) -> &str {
            word.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut named: Vec<(&str, &str)> = Vec::new();
        for (at, pair) in words.windows(2).enumerate() {
            // `ZtdDeviceAlreadyAssigned (806)`
            if let Some(number) = pair[1].strip_prefix('(').and_then(|w| w.split(')').next()) {
                if code::is_camel_name(bare(pair[0])) {
                    named.push((bare(pair[0]), number));
                }
            }
            // `806 - ZtdDeviceAlreadyAssigned`
            let dash = pair[1].chars().all(|c| code::DASHES.contains(&c)) && !pair[1].is_empty();
            if let (true, Some(name)) = (dash, words.get(at + 2)) {
                if code::is_camel_name(bare(name)) {
                    named.push((bare(name), bare(pair[0])));
                }
            }
        }
        for (name, number) in named {
            self.name_code(number, name, || format!("{name} = {number}"));
        }
    }

    /// Gives `name` to `code` in each of the rows whose code cell gives it, as a line
    /// of that cell (`line`), which the cell's reading joins to the code. A code that
    /// has the name, or [`MAX_TEXT_NAMES`] names, takes none: a page that names a code
    /// thousands of times would have its cell read again for each.
    fn name_code(&mut self, code: &str, name: &str, line: impl Fn() -> String) {
        for (row, _) in &mut self.rows[self.group..] {
            let codes = code::scan_cell(row.cells[0].segments()).codes;
            let takes = codes.iter().any(|c| {
                c.code.eq_ignore_ascii_case(code)
                    && c.names.len() < MAX_TEXT_NAMES
                    && !c.names.iter().any(|n| n == name)
            });
            if takes {
                append_cell(&mut row.cells[0], CellText::line(line()), PieceKind::Line);
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
            self.name_code(&code, &symbol, || format!("{symbol} ({spelling})"));
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
        // Under a label that names the message (`## Symptoms`), the line is more of
        // it, in the page's order. A label alone holds for the text after it; a line
        // with its message does not, and the text after it goes on under the label it
        // came under, or where it came under none, the code's description.
        let before = self.column;
        let column = match before {
            Some(at) if self.label_role(at) == Some(Role::Message) => Some(at),
            _ => self.column(Self::MESSAGE),
        };
        let holds = body.is_empty();
        let last = self.rows.len().saturating_sub(1);
        self.append_from(last, column, body, PieceKind::Paragraph);
        self.column = if holds { column } else { before };
    }

    /// What the label of the column at `at` names its text, by its words.
    fn label_role(&self, at: usize) -> Option<Role> {
        named_role(&self.header.get(at)?.to_lowercase())
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
    /// stays whole, label and all, in a cell after the last column. `line` is the
    /// block's, where a numbered cause's condition starts.
    fn text(&mut self, cell: CellText, kind: PieceKind, line: usize) {
        // In a code's text before any label, or in its causes, a paragraph that
        // introduces the message the user sees sends the block after it to the
        // message. An introduction that says nothing else (`When you receive this
        // error, you see this error message:`) is no cause; one that tells what the
        // user was doing (`When you try to activate Windows, you receive …`) is.
        let introduces =
            kind == PieceKind::Paragraph && self.in_a_cause_only() && introduces_the_message(&cell);
        if !(introduces && only_introduces(&cell)) {
            self.labelled_text(cell, kind, line);
        }
        self.after_the_message();
        if introduces && self.in_a_cause_only() {
            self.quoted = Some(self.column);
            self.column = self.column(Self::MESSAGE);
        }
    }

    /// Text after the message a paragraph introduced goes back where the text before
    /// it went, unless a label sent it elsewhere.
    fn after_the_message(&mut self) {
        if let Some(before) = self.quoted.take() {
            if self
                .column
                .is_some_and(|at| self.label_role(at) == Some(Role::Message))
            {
                self.column = before;
            }
        }
    }

    fn labelled_text(&mut self, cell: CellText, kind: PieceKind, line: usize) {
        // A label alone names the text after it only where it names a role (`Cause:`
        // over the causes); `Run this command:` over a command is a step's text.
        // Under the symptoms or a cause, a line with a label that names no role
        // (`Action startTime: DetectServiceAccount.` in a quoted log, `**TokenType**:
        // …` in a list of what a response holds) is more of that text, label and all.
        let in_a_cause = self.column.is_some_and(|at| self.tells_a_cause(at));
        let named = label(&cell)
            .filter(|(name, body)| names_role(name) || (!body.is_empty() && !in_a_cause));
        let (column, cell) = match named.map(|(name, _)| name.to_owned()) {
            Some(name) => {
                self.numbered_cause(&name, line);
                self.column = self.column(&name);
                match self.column {
                    Some(column) => {
                        let body = split_label(cell).map_or_else(|cell| cell, |(_, body)| body);
                        (Some(column), body)
                    }
                    None => (None, cell),
                }
            }
            // A fix inside a cause's or a symptom's text, under no heading of its own.
            None => {
                let fix = (kind == PieceKind::Paragraph).then(|| fix_at(&cell));
                match fix.flatten().filter(|_| self.in_a_cause()) {
                    None => (self.open_column(), cell),
                    Some(0) => {
                        self.column = self.column(FIX);
                        (self.column, cell)
                    }
                    Some(at) => {
                        let (before, fix) = split_cell(cell, at);
                        let column = self.open_column();
                        self.append(column, before, kind);
                        self.column = self.column(FIX);
                        (self.column, fix)
                    }
                }
            }
        };
        self.append(column, cell, kind);
    }

    /// Whether the open label is a cause's or the symptoms' and a heading above
    /// `level` gave it.
    fn under_a_cause_heading(&self, level: u8) -> bool {
        self.label_heading.is_some_and(|(column, above)| {
            self.column == Some(column) && level > above && self.tells_a_cause(column)
        })
    }

    /// Whether the open label is a cause's or a symptom's, or there is none: where a
    /// fix may open. Under a fix's label, or a part of one (`### For users`), words
    /// that open a fix are more of that fix.
    fn in_a_cause(&self) -> bool {
        self.column.is_none_or(|at| self.tells_a_cause(at))
    }

    /// Whether unlabelled text goes to a cause, and not to the symptoms.
    fn in_a_cause_only(&self) -> bool {
        (self.column).is_none_or(|at| self.label_role(at) == Some(Role::Cause))
    }

    /// Whether the column at `at` holds a cause or the symptoms, by its label's words.
    fn tells_a_cause(&self, at: usize) -> bool {
        matches!(self.label_role(at), Some(Role::Cause | Role::Message))
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
                // A sub-heading that names a part of its code's section and the code
                // again (`### Cause of Error 0x80310059` under `## Error 0x80310059:
                // …`) is that part's label, not the code's next section.
                let restated = |codes: &CodeLine| {
                    level > self.level
                        && (codes.codes.iter()).all(|code| self.codes.contains(code))
                        && names_role(&without_codes(text, &self.codes))
                };
                let codes = codes.filter(|codes| !restated(codes));
                if let Some(codes) = codes {
                    // A code's heading above these sections ends them and opens its
                    // own, whatever label waited for its text.
                    if level < self.level {
                        return Err(block);
                    }
                    self.heading(level, text.clone(), line, codes);
                } else if labelled {
                    // `## Cause: timeout mismatch …` gives its sub-headings to the cause
                    // as `## Cause` does; a numbered cause (`## Cause 1: …`) has its own
                    // solution's and verification's under it.
                    let numbered =
                        label(&cell).is_some_and(|(name, _)| name.contains(char::is_numeric));
                    self.text(stopped(cell), PieceKind::Paragraph, line);
                    if !pseudo && !numbered {
                        self.label_heading = self.column.map(|column| (column, level));
                    }
                } else if !pseudo && self.under_a_cause_heading(level) && !names_role(text) {
                    // A sub-heading under the symptoms' or a cause's own heading
                    // (`### How the issue occurs` under `## Cause`) is more of that
                    // text, its words the first sentence; under a fix's, a part of
                    // the fix with its title.
                    let column = self.column;
                    self.append(column, stopped(cell), PieceKind::Paragraph);
                } else if pseudo || level > self.level || (level == self.level && names_role(text))
                {
                    self.numbered_cause(text, line);
                    self.column = self.column(text);
                    self.label_heading = (self.column)
                        .filter(|_| !pseudo)
                        .map(|column| (column, level));
                    if self.column.is_none() {
                        self.append(None, cell, PieceKind::Paragraph);
                    }
                    self.awaiting = self.column.is_some() && !pseudo && level <= self.level;
                } else if self.awaiting {
                    self.text(cell, PieceKind::Paragraph, line);
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
            Block::List { items, line } => {
                for item in items {
                    self.text(item, PieceKind::Item, line);
                }
            }
            // A command or output under a label is that label's text, whatever it
            // holds: never a label of its own.
            Block::Code { text, .. } => {
                let column = self.open_column();
                self.append(column, CellText::line(text), PieceKind::Paragraph);
                self.after_the_message();
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
                self.again(row.line);
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
        "resources",
        "aadsts error code reference",
        "リソース",
        "ressourcen",
        "ressources",
        "recursos",
        "risorse",
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

/// A paragraph in which the page speaks of itself: `This article describes …`, `Use
/// this article to …`.
fn speaks_of_the_page(cell: &CellText) -> bool {
    cell.pieces.first().is_some_and(|first| {
        [
            "This article ",
            "The article ",
            "Use this article ",
            "This topic ",
            "この記事",
            "Dieser Artikel ",
            "In diesem Artikel ",
            "Cet article ",
            "Este artículo ",
            "Questo articolo ",
            "Este artigo ",
            "Dit artikel ",
            "本文",
            "이 문서",
            "В этой статье ",
            "W tym artykule ",
            "Den här artikeln ",
            "Bu makale",
            "Tento článek ",
            "Ez a cikk ",
        ]
        .iter()
        .any(|words| first.text.starts_with(words))
    })
}

/// An introduction of the message that tells nothing of its own: one sentence that
/// says only that the error already named shows it (`When you receive this error,
/// you see …`, `The full text of this error message is:`).
fn only_introduces(cell: &CellText) -> bool {
    let text = cell.joined().to_lowercase();
    let text = text.trim_end().trim_end_matches([':', '：']);
    if text.contains(['.', '!', '?']) {
        return false;
    }
    let when = text
        .strip_prefix("when you ")
        .and_then(|rest| rest.split(',').next());
    let names_it = when.is_some_and(|when| {
        let mut words = when.split_whitespace();
        let verb = words.next();
        matches!(
            verb,
            Some("receive" | "encounter" | "get" | "see" | "experience")
        ) && words.next() == Some("this")
            && matches!(words.next(), Some("error" | "issue" | "problem"))
            && words.next().is_none()
    });
    names_it || text.starts_with("the full text of this error")
}

/// A paragraph that ends by introducing the error's message, as support articles
/// do before they quote it: `When you receive this error, you see this error
/// message:`, `You receive the following error:`.
fn introduces_the_message(cell: &CellText) -> bool {
    let Some(last) = cell.pieces.last() else {
        return false;
    };
    let text = last.text.trim_end();
    if !text.ends_with([':', '：']) {
        return false;
    }
    let sentence = text
        .rsplit(['.', '!', '?'])
        .next()
        .unwrap_or(text)
        .to_lowercase();
    [
        "error message",
        "following error",
        "following message",
        "message is",
        "message reads",
    ]
    .iter()
    .any(|words| sentence.contains(words))
}

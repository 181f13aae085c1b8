//! Markdown with YAML frontmatter: the docs' GitHub sources.
//!
//! pulldown-cmark does the parsing (GFM tables, inline HTML as events); this module
//! maps its events onto a [`Page`]. Raw HTML blocks that hold a `<table>` go through
//! the HTML ingester's walker, so a table reads the same however it was written.
//! Fenced and indented code blocks are never tables: the `dsregcmd` samples hold
//! codes and `|` box lines. One on its own becomes a [`Block::Code`], the text of a
//! code's section where it stands in one; inside a list or table it is skipped.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use super::{list_block, Block, IngestError, LineIndex, ListItem, Page, Row, Table};
use crate::code;
use crate::model::{DiagnosticKind, Level};
use crate::text::{CellBuilder, CellText, Piece, PieceKind};

/// Ingests a Markdown source. Fails only on broken frontmatter.
pub fn ingest(text: &str) -> Result<Page, IngestError> {
    let lines = LineIndex::new(text);
    let mut walker = Walker::new(text, &lines);
    // The metadata extension reads a `---` pair anywhere after a blank line as
    // metadata, and would take a table or a heading between two rules with it: it
    // reads only the frontmatter, and the page after it is parsed without it.
    let body = frontmatter_end(text);
    let frontmatter = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(&text[..body], frontmatter).into_offset_iter() {
        walker.event(event, range)?;
    }
    // GFM's alerts (`> [!NOTE]`) are read as such, so their marks are not text.
    let page = Parser::new_ext(&text[body..], Options::ENABLE_TABLES | Options::ENABLE_GFM);
    for (event, range) in page.into_offset_iter() {
        walker.event(event, range.start + body..range.end + body)?;
    }
    walker.flush_html();
    Ok(walker.page)
}

/// Where the YAML frontmatter that opens a page ends, as the metadata extension
/// reads one: a `---` line, a first line that is neither blank nor the end, and a
/// `---` or `...` line that closes it. 0 where the page does not open with one. Its
/// lines end as [`super::decode`] leaves them, in `\n`.
fn frontmatter_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return 0;
    };
    let opens = first.strip_prefix("---");
    if !opens.is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_whitespace())) {
        return 0;
    }
    let closes = |line: &str| {
        let rest = (line
            .strip_prefix("---")
            .or_else(|| line.strip_prefix("...")))
        .map(|rest| rest.trim_start_matches(' '));
        matches!(rest, Some("" | "\n" | "\r\n" | "\r"))
    };
    let mut end = first.len();
    for (at, line) in lines.enumerate() {
        end += line.len();
        if at == 0 && (line.trim().is_empty() || closes(line)) {
            return 0;
        }
        if closes(line) {
            return end;
        }
    }
    0
}

/// A paragraph being read; it may turn out to be a pseudo-heading (`**Network errors**:`).
#[derive(Default)]
struct Paragraph {
    cell: CellBuilder,
    line: usize,
    strong_depth: usize,
    strong_text: String,
    /// The text after the bold text.
    after: String,
    /// Text before the bold, or bold again after other text: no pseudo-heading.
    mixed: bool,
    /// The symbol an anchor before any text names (`<span id="MENROLL_E_USERLICENSE">`),
    /// as reference pages set one before each error's bold name.
    anchor: Option<String>,
}

struct OpenItem {
    line: usize,
    raw: String,
    head: CellBuilder,
    nested_done: Vec<CellText>,
    nested: Option<CellBuilder>,
}

#[derive(Default)]
struct OpenTable {
    header: Vec<String>,
    rows: Vec<Row>,
    row: Vec<CellText>,
    row_line: usize,
    row_raw: String,
    cell: Option<CellBuilder>,
    line: usize,
    /// The header row opens with a pipe, as the rows written after it do.
    piped: bool,
}

impl OpenTable {
    /// Ends a body row. A row of one cell on a line without the leading pipe the
    /// rest of the table writes, which names no code, is the last cell of the row
    /// above broken across lines (`|AccountNotOnboarded|…|The APNs service … |` and
    /// then `Renew the APNs certificate, …|`, in Intune's iOS enrollment errors):
    /// its text joins that cell, as a legacy dump's continued line does.
    fn end_row(&mut self) {
        let cells = std::mem::take(&mut self.row);
        let raw = std::mem::take(&mut self.row_raw);
        let broken = self.piped
            && !raw.trim_start().starts_with('|')
            && cells.iter().skip(1).all(CellText::is_empty)
            && cells
                .first()
                .is_some_and(|cell| code::scan_cell(cell.segments()).codes.is_empty());
        let above = (self.rows.last_mut().filter(|_| broken)).and_then(|row| {
            let at = row.cells.iter().rposition(|cell| !cell.is_empty())?;
            Some((row, at))
        });
        let Some((row, at)) = above else {
            self.rows.push(Row {
                line: self.row_line,
                cells,
                raw,
            });
            return;
        };
        let Some(cell) = cells.into_iter().next() else {
            return;
        };
        let last = &mut row.cells[at];
        last.pieces.extend(cell.pieces.into_iter().map(|mut piece| {
            piece.kind = PieceKind::Paragraph;
            piece
        }));
        last.links.extend(cell.links);
        row.raw.push('\n');
        row.raw.push_str(&raw);
    }
}

struct Walker<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    page: Page,
    heading: Option<(u8, CellBuilder, usize)>,
    paragraph: Option<Paragraph>,
    list_depth: usize,
    list_line: usize,
    items: Vec<ListItem>,
    /// The tables inside the open list's items.
    list_tables: Vec<Block>,
    item: Option<OpenItem>,
    table: Option<OpenTable>,
    html: Option<RawHtml>,
    skip: Skip,
    skip_depth: usize,
    /// Where headings stand among the `<details>` sections the page opens.
    details: super::html::Details,
}

/// A run of raw HTML blocks, joined until Markdown comes between them.
struct RawHtml {
    /// Where it starts in the page.
    start: usize,
    text: String,
    /// Where the last of it ends in the page.
    end: usize,
    /// `<table>`s it opens that it has not closed.
    open_tables: usize,
    /// Markdown blocks and spans inside it, opened and not yet closed.
    depth: usize,
}

impl RawHtml {
    fn new(start: usize) -> Self {
        RawHtml {
            start,
            text: String::new(),
            end: start,
            open_tables: 0,
            depth: 0,
        }
    }

    /// Adds `html`, which the `page` gives from `start` to `end`, counting the tables
    /// it opens and closes. The line breaks between it and what came before (blank
    /// lines, or the markers of the container it stands in) are kept, so that its
    /// lines stay the page's.
    fn push(&mut self, page: &str, html: &str, start: usize, end: usize) {
        if start > self.end {
            let lines = page[self.end..start].matches('\n').count();
            self.text.extend(std::iter::repeat_n('\n', lines));
        }
        self.text.push_str(html);
        self.end = self.end.max(end);
        let tags = |tag: &[u8]| {
            let html = html.as_bytes();
            (html.iter().enumerate())
                .filter(|&(at, &b)| {
                    b == b'<'
                        && (html[at..].get(..tag.len()))
                            .is_some_and(|t| t.eq_ignore_ascii_case(tag))
                })
                .count()
        };
        let opened = tags(b"<table");
        let closed = tags(b"</table");
        self.open_tables = (self.open_tables + opened).saturating_sub(closed);
    }

    /// Whether `event` is Markdown inside the HTML: inside a table the HTML opened
    /// and has not closed, what the parser took for Markdown (`<br><table>` reads as
    /// a paragraph, `1. Step<br>` as a list) is the table's, as a browser reads the
    /// page. A heading ends the table, and so does the end of a list or item the
    /// HTML stands in.
    fn holds(&self, event: &Event<'_>) -> bool {
        match event {
            _ if self.open_tables == 0 && self.depth == 0 => false,
            Event::Start(Tag::Heading { .. }) => self.depth > 0,
            Event::Start(_) => true,
            _ => self.depth > 0,
        }
    }

    /// Adds a Markdown event inside the HTML as the HTML it stands for.
    fn absorb(&mut self, page: &str, event: Event<'_>, range: std::ops::Range<usize>) {
        let mut html = String::new();
        let (start, end) = match event {
            Event::Start(tag) => {
                self.depth += 1;
                match tag {
                    Tag::Paragraph | Tag::Heading { .. } => html.push_str("<p>"),
                    Tag::List(Some(_)) => html.push_str("<ol>"),
                    Tag::List(None) => html.push_str("<ul>"),
                    Tag::Item => html.push_str("<li>"),
                    Tag::BlockQuote(_) => html.push_str("<blockquote>"),
                    Tag::CodeBlock(_) => html.push_str("<pre>"),
                    Tag::Emphasis => html.push_str("<em>"),
                    Tag::Strong => html.push_str("<strong>"),
                    Tag::Link { dest_url, .. } => {
                        html.push_str("<a href=\"");
                        escape(&mut html, &dest_url);
                        html.push_str("\">");
                    }
                    _ => {}
                }
                (range.start, range.start)
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                html.push_str(match tag {
                    TagEnd::Paragraph | TagEnd::Heading(_) => "</p>",
                    TagEnd::List(true) => "</ol>",
                    TagEnd::List(false) => "</ul>",
                    TagEnd::Item => "</li>",
                    TagEnd::BlockQuote(_) => "</blockquote>",
                    TagEnd::CodeBlock => "</pre>",
                    TagEnd::Emphasis => "</em>",
                    TagEnd::Strong => "</strong>",
                    TagEnd::Link => "</a>",
                    _ => "",
                });
                (range.end, range.end)
            }
            Event::Text(text) | Event::Code(text) => {
                escape(&mut html, &text);
                (range.start, range.end)
            }
            Event::InlineHtml(raw) | Event::Html(raw) => {
                html.push_str(&raw);
                (range.start, range.end)
            }
            Event::SoftBreak => {
                html.push('\n');
                (range.start, range.end)
            }
            Event::HardBreak => {
                html.push_str("<br>\n");
                (range.start, range.end)
            }
            _ => (range.start, range.end),
        };
        self.push(page, &html, start, end);
    }
}

/// A tag that opens a table.
fn opens_table(html: &str) -> bool {
    (html.get(..6)).is_some_and(|tag| tag.eq_ignore_ascii_case("<table"))
}

/// Whether lower-cased `html` opens a heading, `<h1>` to `<h6>`.
fn has_heading(html: &str) -> bool {
    html.match_indices("<h").any(|(at, _)| {
        let tag = &html.as_bytes()[at + 2..];
        matches!(tag.first(), Some(b'1'..=b'6'))
            && !tag.get(1).is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Appends `text` to `html`, its markup characters escaped.
fn escape(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}

/// What the events being skipped are.
#[derive(Clone, PartialEq, Eq)]
enum Skip {
    /// Images, and code blocks inside tables: nothing in them is read.
    Content,
    /// A code block on its own, from its line: its text, for a [`Block::Code`].
    Code(usize, String),
    /// A code block inside a list item: its text, a line of the item's.
    ItemCode(String),
    /// The YAML frontmatter, the only metadata block the parser is asked to read.
    Frontmatter,
}

impl<'t> Walker<'t> {
    fn new(text: &'t str, lines: &'t LineIndex) -> Self {
        Self {
            text,
            lines,
            page: Page::default(),
            heading: None,
            paragraph: None,
            list_depth: 0,
            list_line: 0,
            items: Vec::new(),
            list_tables: Vec::new(),
            item: None,
            table: None,
            html: None,
            skip: Skip::Content,
            skip_depth: 0,
            details: super::html::Details::under(1),
        }
    }

    /// Inline content goes to a paragraph of the page's own, not a list's or a table's.
    fn in_paragraph(&self) -> bool {
        self.paragraph.is_some()
            && self.table.is_none()
            && self.item.is_none()
            && self.heading.is_none()
    }

    /// Where inline content goes now: a table cell, a list item, a heading or a paragraph.
    fn sink(&mut self) -> Option<&mut CellBuilder> {
        if let Some(table) = &mut self.table {
            return table.cell.as_mut();
        }
        if let Some(open) = &mut self.item {
            return Some(open.nested.as_mut().unwrap_or(&mut open.head));
        }
        if let Some((_, cell, _)) = &mut self.heading {
            return Some(cell);
        }
        self.paragraph.as_mut().map(|p| &mut p.cell)
    }

    fn event(
        &mut self,
        event: Event<'_>,
        range: std::ops::Range<usize>,
    ) -> Result<(), IngestError> {
        if !matches!(
            event,
            Event::Html(_) | Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
        ) {
            match &mut self.html {
                Some(html) if html.holds(&event) => {
                    html.absorb(self.text, event, range);
                    return Ok(());
                }
                _ => self.flush_html(),
            }
        }
        if self.skip_depth > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_)) => {
                    self.skip_depth += 1
                }
                Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                    self.skip_depth -= 1;
                    if self.skip_depth == 0 {
                        match std::mem::replace(&mut self.skip, Skip::Content) {
                            Skip::Code(line, text) => {
                                let text = crate::text::clean(&text);
                                if !text.is_empty() {
                                    self.page.blocks.push(Block::Code { text, line });
                                }
                            }
                            Skip::ItemCode(text) => self.item_code(&text),
                            _ => {}
                        }
                    }
                }
                Event::Text(t) => match &mut self.skip {
                    Skip::Frontmatter => self.frontmatter(&t, range.start)?,
                    Skip::Code(_, text) | Skip::ItemCode(text) => text.push_str(&t),
                    Skip::Content => {}
                },
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => {
                if let Some(p) = &mut self.paragraph {
                    if p.strong_depth > 0 {
                        p.strong_text.push_str(&text);
                    } else if !p.strong_text.is_empty() {
                        if !p.mixed {
                            p.after.push_str(&text);
                            p.mixed = !super::may_be_aside(&p.after);
                        }
                    } else if !text.trim().is_empty() {
                        p.mixed = true;
                    }
                }
                if let Some(sink) = self.sink() {
                    sink.text(&text);
                }
            }
            // An include on a line of its own right under a paragraph's last line
            // (`… SDK](/x)` over `[!INCLUDE [help](help.md)]`) stands apart from it,
            // as the site renders it: it is no text of the paragraph's.
            Event::SoftBreak if self.in_paragraph() && opens_include(&self.text[range.end..]) => {
                self.end(TagEnd::Paragraph);
                self.start(Tag::Paragraph, range.end..range.end);
            }
            Event::SoftBreak => {
                if let Some(sink) = self.sink() {
                    sink.text(" ");
                }
            }
            Event::HardBreak => {
                if let Some(sink) = self.sink() {
                    sink.split(PieceKind::Line);
                }
            }
            // A paragraph that opens a table (`<br><table border="1">`, the next line
            // `<tr>…`, which the parser reads as HTML of its own) is the table's from
            // there on, as a browser reads it: the paragraph's end is the HTML's.
            Event::InlineHtml(html) if self.in_paragraph() && opens_table(&html) => {
                self.end(TagEnd::Paragraph);
                let mut raw = RawHtml::new(range.start);
                raw.push(self.text, &html, range.start, range.end);
                raw.depth = 1;
                self.html = Some(raw);
            }
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::Html(html) => {
                (self.html.get_or_insert_with(|| RawHtml::new(range.start))).push(
                    self.text,
                    &html,
                    range.start,
                    range.end,
                );
            }
            _ => {}
        }
        Ok(())
    }

    fn frontmatter(&mut self, yaml: &str, offset: usize) -> Result<(), IngestError> {
        let first_line = self.lines.line(offset);
        let parsed: Value = serde_yaml::from_str(yaml).map_err(|e| IngestError::Frontmatter {
            line: first_line + e.location().map_or(0, |l| l.line().saturating_sub(1)),
            message: shift_lines(&e.to_string(), first_line - 1),
        })?;
        match parsed {
            Value::Object(map) => self.page.metadata = map.into_iter().collect(),
            Value::Null => {}
            other => {
                return Err(IngestError::Frontmatter {
                    line: first_line,
                    message: format!("expected a mapping of keys to values, found {other}"),
                })
            }
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        let line = self.lines.line(range.start);
        match tag {
            Tag::MetadataBlock(_) => {
                self.skip_depth = 1;
                self.skip = Skip::Frontmatter;
            }
            Tag::CodeBlock(_) if self.list_depth == 0 && self.table.is_none() => {
                self.skip_depth = 1;
                self.skip = Skip::Code(line, String::new());
            }
            // A command in a step (`1. Run the following command:` over `netsh …`)
            // is a line of the step.
            Tag::CodeBlock(_) if self.table.is_none() => {
                self.skip_depth = 1;
                self.skip = Skip::ItemCode(String::new());
            }
            Tag::Image { .. } | Tag::CodeBlock(_) => {
                self.skip_depth = 1;
                self.skip = Skip::Content;
            }
            Tag::Heading { level, .. } if self.table.is_none() && self.list_depth == 0 => {
                self.heading = Some((heading_level(level), CellBuilder::new(), line));
            }
            Tag::Paragraph => {
                if self.list_depth == 0 && self.table.is_none() {
                    self.paragraph = Some(Paragraph {
                        line,
                        ..Paragraph::default()
                    });
                } else if let Some(sink) = self.sink() {
                    sink.split(PieceKind::Paragraph);
                }
            }
            Tag::Strong => {
                if let Some(p) = &mut self.paragraph {
                    if p.strong_depth == 0 && !p.after.trim().is_empty() {
                        p.mixed = true;
                    }
                    p.strong_depth += 1;
                }
            }
            Tag::List(_) => {
                self.list_depth += 1;
                if self.list_depth == 1 {
                    self.list_line = line;
                }
            }
            Tag::Item => match self.list_depth {
                1 => {
                    self.item = Some(OpenItem {
                        line,
                        raw: self.text[range].trim_end().to_owned(),
                        head: CellBuilder::new(),
                        nested_done: Vec::new(),
                        nested: None,
                    })
                }
                2 => {
                    if let Some(open) = &mut self.item {
                        if let Some(last) = open.nested.replace(CellBuilder::new()) {
                            open.nested_done.push(last.finish());
                        }
                    }
                }
                _ => {}
            },
            Tag::Table(_) => {
                self.table = Some(OpenTable {
                    line,
                    ..OpenTable::default()
                })
            }
            Tag::TableRow | Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.row_line = line;
                    table.row_raw = self.text[range].trim_end().to_owned();
                }
            }
            Tag::TableCell => {
                if let Some(table) = &mut self.table {
                    table.cell = Some(CellBuilder::new());
                }
            }
            Tag::Link { dest_url, .. } => {
                if let Some(sink) = self.sink() {
                    sink.link_start(&dest_url);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, cell, line)) = self.heading.take() {
                    self.page.blocks.push(Block::Heading {
                        level: self.details.heading(level),
                        text: cell.finish().joined(),
                        pseudo: false,
                        line,
                    });
                }
            }
            TagEnd::Paragraph => {
                if let Some(p) = self.paragraph.take() {
                    let cell = p.cell.finish();
                    let text = cell.joined();
                    if let Some(include) = include_target(&text, &cell) {
                        self.page.includes.push((p.line, include.clone()));
                        self.page.diagnose(
                            Level::Warning,
                            DiagnosticKind::IncludeNotRead,
                            p.line,
                            format!(
                                "the page includes `{include}` here; another file, not read: \
                                 codes it holds are not in this revision"
                            ),
                        );
                    }
                    // A docs extension (`[!INCLUDE …]`, `[!VIDEO …]`) stands for
                    // what the site puts there, and is no text of the page's.
                    if is_extension(&text) {
                        return;
                    }
                    let title = (!p.mixed)
                        .then(|| super::pseudo_title(&p.strong_text, &p.after))
                        .flatten()
                        // The bold name under a symbol's anchor is that symbol, however
                        // a translation spaced or translated its words (`**MENROLL \_ E
                        // \_ USERLICENSE**`, `**ERRORE DI \_ AUTENTICAZIONE …**`).
                        .map(|title| p.anchor.clone().unwrap_or(title));
                    let block = match title {
                        Some(text) => Block::Heading {
                            level: 0,
                            text,
                            pseudo: true,
                            line: p.line,
                        },
                        None => Block::Paragraph { cell, line: p.line },
                    };
                    self.page.blocks.push(block);
                }
            }
            TagEnd::Strong => {
                if let Some(p) = &mut self.paragraph {
                    p.strong_depth = p.strong_depth.saturating_sub(1);
                }
            }
            // A nested item is finished by the next one or by its item's end: what
            // the item says after its nested list (`Replace <TenantID> …` under the
            // commands it lists) follows the last of them, not the item's first words.
            TagEnd::Item if self.list_depth == 1 => {
                if let Some(mut open) = self.item.take() {
                    if let Some(last) = open.nested.take() {
                        open.nested_done.push(last.finish());
                    }
                    self.items.push(ListItem {
                        line: open.line,
                        head: open.head.finish(),
                        nested: open.nested_done,
                        raw: open.raw,
                    });
                }
            }
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    let items = std::mem::take(&mut self.items);
                    self.page.blocks.push(list_block(items, self.list_line));
                    self.page.blocks.append(&mut self.list_tables);
                }
            }
            TagEnd::TableCell => {
                if let Some(table) = &mut self.table {
                    if let Some(cell) = table.cell.take() {
                        table.row.push(cell.finish());
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.piped = table.row_raw.trim_start().starts_with('|');
                    table.header = table.row.drain(..).map(|c| c.joined()).collect();
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    table.end_row();
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    let table = Block::Table(Table {
                        header: table.header,
                        line: table.line,
                        rows: table.rows,
                        labelled: false,
                        level: None,
                    });
                    // A table inside a list item stands after the list, whose items
                    // before it are read first.
                    match self.list_depth {
                        0 => self.page.blocks.push(table),
                        _ => self.list_tables.push(table),
                    }
                }
            }
            TagEnd::Link => {
                if let Some(sink) = self.sink() {
                    sink.link_end();
                }
            }
            _ => {}
        }
    }

    /// A code block inside a list item: a line of the nested item it stands in, or
    /// an item nested in the top-level one of its own, never its head, which may be a
    /// code cell that no command's output should add codes to.
    fn item_code(&mut self, text: &str) {
        let text = crate::text::clean(text);
        let Some(open) = self.item.as_mut().filter(|_| !text.is_empty()) else {
            return;
        };
        match &mut open.nested {
            Some(nested) => {
                nested.split(PieceKind::Code);
                nested.text(&text);
            }
            None => open.nested_done.push(CellText {
                pieces: vec![Piece {
                    kind: PieceKind::Code,
                    text,
                }],
                links: Vec::new(),
            }),
        }
    }

    /// Inline tags inside cells and paragraphs: breaks, blocks, list items, links.
    fn inline_html(&mut self, html: &str) {
        let Some(tag) = super::html::parse_tag(html) else {
            return;
        };
        if let (Some(p), Some(id)) = (&mut self.paragraph, &tag.id) {
            let first = p.strong_text.is_empty() && !p.mixed;
            if first && tag.name == "span" && crate::code::is_symbol(id) {
                p.anchor.get_or_insert_with(|| id.clone());
            }
        }
        let Some(sink) = self.sink() else {
            return;
        };
        match (tag.name.as_str(), tag.closing) {
            ("br", _) => sink.split(PieceKind::Line),
            // A superscript is a footnote's mark, not more of the word before it.
            ("sup", false) => sink.text(" "),
            ("li", false) => sink.split(PieceKind::Item),
            ("a", false) => sink.link_start(tag.href.as_deref().unwrap_or_default()),
            ("a", true) => sink.link_end(),
            // A block's words are their own, as an HTML page's cell reads them: text
            // after a list or a paragraph is no more of its last words (`…</li></ul>
            // Contact the tenant admin.`, `<p>First.</p>Second`).
            ("ul" | "ol", true) => sink.split(PieceKind::Paragraph),
            ("ul" | "ol" | "li", _) => sink.split(PieceKind::Line),
            (name, closing) if super::html::BLOCKS.contains(&name) => sink.split(match closing {
                false => PieceKind::Paragraph,
                true => PieceKind::Line,
            }),
            _ => {}
        }
    }

    /// A raw HTML block ended: its tables (and anything else) join the page.
    fn flush_html(&mut self) {
        let Some(RawHtml {
            start, text: html, ..
        }) = self.html.take()
        else {
            return;
        };
        let lower = html.to_ascii_lowercase();
        // A table, a heading (`<h2 id="0x800xxxxx">`), or the summary that titles a
        // `<details>` section, is read as the HTML page's would be; the Markdown
        // between a `<details>` and its close is inside it.
        if lower.contains("<table") || lower.contains("<summary") || has_heading(&lower) {
            let base_line = self.lines.line(start);
            let fragment = super::html::fragment(&html, base_line, &mut self.details);
            self.page.blocks.extend(fragment.blocks);
            self.page.diagnostics.extend(fragment.diagnostics);
        }
        let opened = lower.matches("<details").count();
        let closed = lower.matches("</details").count();
        self.details.tags(opened, closed);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Rewrites the YAML parser's `line N` (relative to the frontmatter) as file lines.
fn shift_lines(message: &str, offset: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// A paragraph that is only a docs extension: `[!INCLUDE [name](path)]`, `[!VIDEO
/// url]`, `[!div class="nextstepaction"]`.
fn is_extension(text: &str) -> bool {
    let text = text.trim();
    text.starts_with("[!") && text.ends_with(']')
}

/// `text` opens with a docs include (`[!INCLUDE [name](path)]`).
fn opens_include(text: &str) -> bool {
    (text.trim_start().get(..9)).is_some_and(|head| head.eq_ignore_ascii_case("[!include"))
}

/// The file a docs include paragraph (`[!INCLUDE [name](path)]`) names.
fn include_target(text: &str, cell: &CellText) -> Option<String> {
    if !opens_include(text) {
        return None;
    }
    Some(
        cell.links
            .first()
            .map_or_else(|| text.trim().to_owned(), |l| l.url.clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::{frontmatter_end, has_heading};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag};

    /// Where the metadata extension, reading the whole page, ends the block it
    /// finds at the page's start, with the closing line's end.
    fn extension_end(text: &str) -> usize {
        let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        match Parser::new_ext(text, options).into_offset_iter().next() {
            Some((Event::Start(Tag::MetadataBlock(_)), range)) if range.start == 0 => {
                let rest = &text[range.end..];
                range.end
                    + ["\r\n", "\n", "\r"]
                        .iter()
                        .find(|e| rest.starts_with(*e))
                        .map_or(0, |e| e.len())
            }
            _ => 0,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The frontmatter ends where the extension would end it.
        #[test]
        fn frontmatter_ends_where_the_extension_ends_it(
            lines in prop::collection::vec(prop_oneof![
                Just("---"), Just("--- "), Just("----"), Just(" ---"), Just("..."),
                Just(""), Just("  "), Just("title: T"), Just("# T"), Just("| a | b |"),
            ], 0..8),
            endings in prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n")], 8),
        ) {
            let text: String = lines.iter().zip(&endings).map(|(l, e)| format!("{l}{e}")).collect();
            prop_assert_eq!(frontmatter_end(&text), extension_end(&text), "{:?}", text);
        }
    }

    #[test]
    fn a_page_that_opens_with_frontmatter_is_read_after_it() {
        let text = "---\ntitle: T\n---\n# T\n";
        assert_eq!(frontmatter_end(text), 17);
        assert_eq!(frontmatter_end("# T\n\n---\ntitle: T\n---\n"), 0);
        assert_eq!(frontmatter_end("---\n\ntitle: T\n---\n"), 0);
        assert_eq!(frontmatter_end("---\ntitle: T\n"), 0);
    }

    #[test]
    fn headings_are_told_from_other_tags() {
        for html in ["<h2 id=\"a\">A</h2>", "<p>x</p><h6>y</h6>"] {
            assert!(has_heading(html), "{html}");
        }
        for html in ["<head>", "<hr>", "<h10>", "<h7>", "<p>h2</p>", "<h"] {
            assert!(!has_heading(html), "{html}");
        }
    }
}

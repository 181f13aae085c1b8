//! HTML: learn.microsoft.com article pages, and raw `<table>` blocks inside Markdown.
//!
//! scraper parses; this module walks the article body only (`<main>`, else
//! `<article>`, else `<body>`), skipping navigation, footers, scripts and code
//! samples. Cells keep their `<br>`, `<p>` and `<li>` structure as [`CellText`]
//! pieces. scraper keeps no source positions, so lines are found by matching each
//! element to the n-th `<tag` of its name in the source text.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::{list_block, Block, LineIndex, ListItem, Page, Row, Table};
use crate::code;
use crate::text::{CellBuilder, CellText, PieceKind};

/// Metadata kept from `<meta name=…>`.
const META_KEYS: &[&str] = &[
    "description",
    "ms.assetid",
    "ms.author",
    "author",
    "ms.date",
    "ms.locale",
    "ms.service",
    "ms.topic",
    "title",
];

/// Ingests a whole HTML page. Never fails: html5ever recovers from any markup.
pub fn ingest(text: &str) -> Page {
    let doc = Html::parse_document(text);
    let mut page = Page::default();
    let root = doc.root_element();
    let meta_locale = select_first(root, "meta[name=\"ms.locale\"]")
        .and_then(|m| m.attr("content"))
        .map(str::to_owned);
    page.locale = root
        .attr("lang")
        .map(str::to_owned)
        .or(meta_locale)
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty());
    if let Ok(selector) = Selector::parse("meta[name]") {
        for meta in root.select(&selector) {
            let (Some(name), Some(content)) = (meta.attr("name"), meta.attr("content")) else {
                continue;
            };
            if META_KEYS.contains(&name) {
                page.metadata
                    .insert(name.to_owned(), Value::String(crate::text::clean(content)));
            }
        }
    }
    if !page.metadata.contains_key("title") {
        if let Some(title) = select_first(root, "title") {
            let title = crate::text::clean(&title.text().collect::<String>());
            if !title.is_empty() {
                page.metadata
                    .insert("title".to_owned(), Value::String(title));
            }
        }
    }
    let body = ["main", "article", "body"]
        .iter()
        .find_map(|s| select_first(root, s))
        .unwrap_or(root);
    let mut walker = Walker {
        lines: TagLines::new(text, root, 0),
        blocks: Vec::new(),
        depth: 0,
        too_deep: None,
        details: Details::under(1),
    };
    walker.walk(body);
    walker.finish(&mut page);
    page
}

/// Blocks from an HTML fragment that starts on `base_line` of its file, where the
/// page's outline stands at `details`. A heading the fragment gives outside any
/// section moves the outline on, as one written in Markdown would.
pub(crate) fn fragment(html: &str, base_line: usize, details: &mut Details) -> Page {
    let doc = Html::parse_fragment(html);
    let root = doc.root_element();
    let mut walker = Walker {
        lines: TagLines::new(html, root, base_line.saturating_sub(1)),
        blocks: Vec::new(),
        depth: 0,
        too_deep: None,
        details: *details,
    };
    walker.walk(root);
    // The sections the fragment opens are counted by the page that holds it.
    details.outer = walker.details.outer;
    let mut page = Page::default();
    walker.finish(&mut page);
    page
}

fn select_first<'a>(root: ElementRef<'a>, selector: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse(selector).ok()?;
    root.select(&selector).next()
}

/// One tag as inline Markdown HTML gives it: `<br>`, `</a>`, `<a href="…">`.
#[derive(Debug, PartialEq, Eq)]
pub struct InlineTag {
    pub name: String,
    pub closing: bool,
    pub href: Option<String>,
    pub id: Option<String>,
}

/// Reads the name, closing slash, `href` and `id` of one inline tag.
pub fn parse_tag(html: &str) -> Option<InlineTag> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let href = attribute(&inner[name_end..], "href").map(|v| decode_entities(&v));
    let id = attribute(&inner[name_end..], "id");
    Some(InlineTag {
        name,
        closing,
        href,
        id,
    })
}

fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(wanted) {
        let at = from + found;
        from = at + wanted.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let quote = value.chars().next()?;
        return Some(if quote == '"' || quote == '\'' {
            let body = &value[1..];
            body[..body.find(quote).unwrap_or(body.len())].to_owned()
        } else {
            value[..value.find(char::is_whitespace).unwrap_or(value.len())].to_owned()
        });
    }
    None
}

/// The entities that occur in attribute values written by hand.
fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Lines of elements, by matching the n-th element of a name to the n-th `<name` in
/// the source. Only the names whose lines are reported are indexed.
struct TagLines {
    lines: HashMap<NodeId, usize>,
}

const LINED: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "tr", "summary", "dt", "dd",
];

/// Where headings stand among the `<details>` sections a page opens: the level of
/// the last heading outside any, and how many the walk is inside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Details {
    outer: u8,
    depth: usize,
}

impl Details {
    /// Outside any section, under a heading of `level`.
    pub(crate) fn under(level: u8) -> Self {
        Details {
            outer: level,
            depth: 0,
        }
    }

    /// `opened` sections begin and `closed` end.
    pub(crate) fn tags(&mut self, opened: usize, closed: usize) {
        self.depth = (self.depth + opened).saturating_sub(closed);
    }

    /// A heading's level in the outline: as written outside any section, and inside
    /// one below its summary, whatever level the page wrote (`##### More details` in
    /// a section titled by a summary under a `####`), so that all it holds is the
    /// summary's.
    pub(crate) fn heading(&mut self, level: u8) -> u8 {
        if self.depth == 0 {
            self.outer = level;
            return level;
        }
        level.max(self.summary() + 1)
    }

    /// The level of a `<summary>`'s heading: below the last heading outside.
    fn summary(&self) -> u8 {
        self.outer.max(1) + 1
    }
}

impl TagLines {
    fn new(source: &str, root: ElementRef<'_>, line_offset: usize) -> Self {
        let index = LineIndex::new(source);
        let offsets = tag_offsets(source);
        let mut seen = [0usize; LINED.len()];
        let mut lines = HashMap::new();
        for node in root.descendants() {
            let Some(element) = ElementRef::wrap(node) else {
                continue;
            };
            let name = element.value().name();
            let Some(k) = LINED.iter().position(|&n| n == name) else {
                continue;
            };
            if let Some(&offset) = offsets[k].get(seen[k]) {
                lines.insert(node.id(), line_offset + index.line(offset));
            }
            seen[k] += 1;
        }
        Self { lines }
    }

    fn line(&self, element: ElementRef<'_>) -> usize {
        self.lines.get(&element.id()).copied().unwrap_or(0)
    }
}

/// Offsets of the start tags (`<name`, the name in any letter case, then white
/// space, `>` or `/`) outside `<!-- … -->` comments of each of [`LINED`], in order:
/// `[k]` for `LINED[k]`. One pass over the `<`s.
fn tag_offsets(source: &str) -> [Vec<usize>; LINED.len()] {
    let bytes = source.as_bytes();
    let mut out: [Vec<usize>; LINED.len()] = Default::default();
    let mut from = 0;
    while let Some(found) = source[from..].find('<') {
        let at = from + found;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            from = source[at + 4..]
                .find("-->")
                .map_or(bytes.len(), |i| at + 4 + i + 3);
            continue;
        }
        from = at + 1;
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if !matches!(rest.get(len), Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            continue;
        }
        let name = &rest[..len];
        if let Some(k) = LINED
            .iter()
            .position(|n| n.as_bytes().eq_ignore_ascii_case(name))
        {
            out[k].push(at);
        }
    }
    out
}

struct Walker {
    lines: TagLines,
    blocks: Vec<Block>,
    depth: usize,
    /// The line of the first element found nested too deep.
    too_deep: Option<usize>,
    /// Where headings stand among `<details>` sections.
    details: Details,
}

/// Elements nested deeper than this are read as plain text: real articles nest a
/// dozen levels, and the walk must not exhaust the stack on hostile markup.
pub const MAX_DEPTH: usize = 96;

/// Elements whose content is never article prose.
const SKIPPED: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "template", "noscript", "form",
    "button", "svg", "img", "head", "title", "meta",
];

impl Walker {
    fn finish(self, page: &mut Page) {
        page.blocks = self.blocks;
        if let Some(line) = self.too_deep {
            page.diagnose(
                crate::model::Level::Warning,
                crate::model::DiagnosticKind::NestingTooDeep,
                line,
                format!("markup nests deeper than {MAX_DEPTH} levels; below that it is read as plain text"),
            );
        }
    }

    fn walk(&mut self, element: ElementRef<'_>) {
        if self.depth >= MAX_DEPTH {
            self.too_deep.get_or_insert(self.lines.line(element));
            let text = crate::text::clean(&element.text().collect::<String>());
            if !text.is_empty() {
                self.blocks.push(Block::Paragraph {
                    cell: CellText::line(text),
                    line: self.lines.line(element),
                });
            }
            return;
        }
        self.depth += 1;
        self.walk_children(element);
        self.depth -= 1;
    }

    fn walk_children(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) if !text.trim().is_empty() => self.blocks.push(Block::Paragraph {
                    cell: CellText::line(crate::text::clean(text)),
                    line: self.lines.line(element),
                }),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef<'_>) {
        let name = element.value().name();
        if SKIPPED.contains(&name) || element.attr("hidden").is_some() {
            return;
        }
        let line = self.lines.line(element);
        if name == "pre" {
            let text = crate::text::clean(&element.text().collect::<String>());
            if !text.is_empty() {
                self.blocks.push(Block::Code { text, line });
            }
            return;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                self.blocks.push(Block::Heading {
                    level: self.details.heading(level),
                    text: cell(element, false).joined(),
                    pseudo: false,
                    line,
                });
            }
            "details" => {
                self.details.tags(1, 0);
                self.walk(element);
                self.details.tags(0, 1);
            }
            // A section the reader opens (`<details>`) is titled by its summary, a
            // heading a level below the one it stands under: `<summary>
            // STATUS_LOGON_FAILURE (-1073741715 / 0xc000006d)</summary>` is a code's.
            "summary" => {
                let text = cell(element, false).joined();
                if !text.is_empty() {
                    self.blocks.push(Block::Heading {
                        level: self.details.summary(),
                        text,
                        pseudo: false,
                        line,
                    });
                }
            }
            "p" => self.paragraph(element, line),
            // A term or its definition with no blocks inside is a paragraph: reference
            // pages give each error as `<dt><strong>ERROR_WINHTTP_TIMEOUT</strong></dt>`
            // over `<dd><dl><dt>12002</dt>…`.
            "dt" | "dd" if !has_blocks(element) => self.paragraph(element, line),
            "ul" | "ol" => {
                let items = element
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|li| li.value().name() == "li")
                    .map(|li| ListItem {
                        line: self.lines.line(li),
                        head: cell(li, true),
                        nested: nested_items(li),
                        raw: li.text().collect::<String>(),
                    })
                    .collect();
                self.blocks.push(list_block(items, line));
            }
            "table" => match layout(element) {
                Layout::Data { caption } => {
                    if let Some(caption) = caption {
                        self.paragraph(caption, self.lines.line(caption));
                    }
                    let table = self.table(element, caption);
                    self.blocks.push(Block::Table(table));
                }
                Layout::Fields => {
                    let table = self.fields(element);
                    self.blocks.push(Block::Table(table));
                }
                Layout::Tables { caption } => {
                    if let Some(caption) = caption {
                        self.paragraph(caption, self.lines.line(caption));
                    }
                    let captioned = caption.and_then(|c| c.parent()).map(|row| row.id());
                    for row in own_rows(element).filter(|row| Some(row.id()) != captioned) {
                        for cell in own_cells(row) {
                            self.walk(cell);
                        }
                    }
                }
            },
            _ => self.walk(element),
        }
    }

    /// A table laid out of fields, each a table of one column whose first row is its
    /// label ([`Layout::Fields`]): a row of the table each row, a column each label,
    /// as a list of labelled entries would be.
    fn fields(&self, table: ElementRef<'_>) -> Table {
        let mut header: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for row in own_rows(table) {
            let mut cells: Vec<CellText> = Vec::new();
            let mut raw = Vec::new();
            for field in own_cells(row).flat_map(|c| tables_in(c, table)) {
                let mut field_rows = own_rows(field).filter_map(|r| own_cells(r).next());
                let Some(label) = field_rows.next() else {
                    continue;
                };
                let label = cell(label, false).joined();
                let mut value = CellBuilder::new();
                for (at, value_cell) in field_rows.enumerate() {
                    if at > 0 {
                        value.split(PieceKind::Line);
                    }
                    feed(value_cell, &mut value, false, 0);
                }
                let value = value.finish();
                raw.push(format!("{label}: {}", value.joined()));
                let column = match header.iter().position(|name| *name == label) {
                    Some(column) => column,
                    None => {
                        header.push(label);
                        header.len() - 1
                    }
                };
                if cells.len() <= column {
                    cells.resize(column + 1, CellText::default());
                }
                cells[column] = value;
            }
            if !cells.is_empty() {
                rows.push(Row {
                    line: self.lines.line(row),
                    cells,
                    raw: raw.join(" | "),
                });
            }
        }
        for row in &mut rows {
            row.cells.resize(header.len(), CellText::default());
        }
        Table {
            header,
            line: self.lines.line(table),
            rows,
            labelled: true,
            level: None,
        }
    }

    /// A paragraph, or a pseudo-heading where it is only bold text ([`bold_only`]).
    fn paragraph(&mut self, element: ElementRef<'_>, line: usize) {
        let cell = cell(element, false);
        if cell.is_empty() {
            return;
        }
        self.blocks.push(match bold_only(element) {
            Some(title) => Block::Heading {
                level: 0,
                text: title,
                pseudo: true,
                line,
            },
            None => Block::Paragraph { cell, line },
        });
    }

    /// The table, without the row of its `caption` cell where it has one.
    fn table(&self, table: ElementRef<'_>, caption: Option<ElementRef<'_>>) -> Table {
        let captioned = caption.and_then(|c| c.parent()).map(|row| row.id());
        let rows: Vec<ElementRef<'_>> = own_rows(table)
            .filter(|row| Some(row.id()) != captioned)
            .collect();
        let mut header = Vec::new();
        let mut body = Vec::new();
        let mut spans = Spans::default();
        // Whether the last header row had a cell that spans.
        let mut head_spans = false;
        for row in &rows {
            let cells: Vec<ElementRef<'_>> = own_cells(*row).collect();
            let in_head = row
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "thead");
            let all_th = !cells.is_empty() && cells.iter().all(|c| c.value().name() == "th");
            let texts: Vec<CellText> = cells.iter().map(|c| cell(*c, false)).collect();
            let raw = texts
                .iter()
                .map(CellText::joined)
                .collect::<Vec<_>>()
                .join(" | ");
            let row_spans: Vec<(usize, usize)> = cells.iter().map(|c| span_of(*c)).collect();
            let spanning = row_spans.iter().any(|&span| span != (1, 1));
            let placed = spans.row(row_spans, texts);
            // The first row of `<th>`s, or of `<thead>`, is the header, and so is each
            // `<thead>` row or row of `<th>`s under a header row whose cells span:
            // each names the columns the ones above it span.
            let heads = if header.is_empty() {
                in_head || body.is_empty() && all_th
            } else {
                body.is_empty() && (in_head || all_th && head_spans)
            };
            if heads {
                head_spans = spanning;
                let names = placed.iter().map(CellText::joined);
                if header.len() < placed.len() {
                    header.resize(placed.len(), String::new());
                }
                for (name, below) in header.iter_mut().zip(names) {
                    if !below.is_empty() {
                        *name = below;
                    }
                }
                continue;
            }
            body.push(Row {
                line: self.lines.line(*row),
                cells: placed,
                raw,
            });
        }
        // A table with no header row of its own is left without one: the reconciler
        // decides whether its first row names the columns.
        Table {
            header,
            line: self.lines.line(table),
            rows: body,
            labelled: false,
            level: None,
        }
    }
}

/// The most columns and rows a cell may span, as HTML caps them.
const MAX_COLSPAN: usize = 1_000;
const MAX_ROWSPAN: usize = 65_534;
/// The most columns a row is laid out to, whatever its cells' spans add up to.
const MAX_COLUMNS: usize = 1_000;

/// A cell's `colspan` and `rowspan`: 1 where missing or not a number, and within
/// what HTML allows (a `rowspan` of 0, to the end of the table, spans every row).
fn span_of(cell: ElementRef<'_>) -> (usize, usize) {
    let read = |name: &str, max: usize, zero: usize| match cell.value().attr(name) {
        Some(value) => match value.trim().parse::<usize>() {
            Ok(0) => zero,
            Ok(n) => n.min(max),
            Err(_) => 1,
        },
        None => 1,
    };
    (
        read("colspan", MAX_COLSPAN, 1),
        read("rowspan", MAX_ROWSPAN, MAX_ROWSPAN),
    )
}

/// Lays a table's cells out on its grid, as a browser does: a cell that spans rows
/// stands in the rows below it too, at its columns, so that a fix shared by two
/// codes belongs to both; a cell that spans columns gives its text to the first and
/// leaves the others empty, so that no text is read twice.
#[derive(Default)]
struct Spans {
    /// For each column, the cell that a row above carries into it, and for how many
    /// more rows.
    carried: Vec<Option<(usize, CellText)>>,
}

impl Spans {
    /// The row's cells at their columns, given with each one's (colspan, rowspan).
    fn row(&mut self, spans: Vec<(usize, usize)>, texts: Vec<CellText>) -> Vec<CellText> {
        if spans.iter().all(|&span| span == (1, 1)) && self.carried.iter().all(Option::is_none) {
            return texts;
        }
        let mut placed = Vec::new();
        let mut cells = spans.into_iter().zip(texts);
        loop {
            let column = placed.len();
            if column >= MAX_COLUMNS {
                break;
            }
            if let Some(Some((rows, text))) = self.carried.get_mut(column) {
                placed.push(text.clone());
                *rows -= 1;
                if *rows == 0 {
                    self.carried[column] = None;
                }
                continue;
            }
            let Some(((columns, rows), text)) = cells.next() else {
                // Cells carried into columns past the row's own.
                if self.carried[column.min(self.carried.len())..]
                    .iter()
                    .any(Option::is_some)
                {
                    placed.push(CellText::default());
                    continue;
                }
                break;
            };
            let columns = columns.min(MAX_COLUMNS - column);
            for (k, text) in std::iter::once(text)
                .chain(std::iter::repeat_with(CellText::default))
                .take(columns)
                .enumerate()
            {
                if rows > 1 {
                    if self.carried.len() <= column + k {
                        self.carried.resize(column + k + 1, None);
                    }
                    self.carried[column + k] = Some((rows - 1, text.clone()));
                }
                placed.push(text);
            }
        }
        placed
    }
}

/// How a `<table>` is laid out.
enum Layout<'a> {
    /// A table of data, perhaps under a first row of one cell across it that titles
    /// it (`Extend code: phase` over `| Hex | Phase |`): that cell.
    Data { caption: Option<ElementRef<'a>> },
    /// Fields laid out in cells: each cell holds tables of one column, a label over
    /// its value (`Code` over `0xC1900101 - 0x20004`, `Cause` over the cause).
    Fields,
    /// Tables laid out side by side: each cell holds tables of their own, perhaps
    /// under a title across them (that cell).
    Tables { caption: Option<ElementRef<'a>> },
}

fn layout(table: ElementRef<'_>) -> Layout<'_> {
    let mut rows = own_rows(table).peekable();
    // A first row of one cell that spans the columns of the rows below, with no
    // table in it: a title.
    let caption = rows.peek().and_then(|row| {
        let mut cells = own_cells(*row);
        let first = cells.next()?;
        let title = cells.next().is_none()
            && first.value().name() == "td"
            && span_of(first).0 > 1
            && tables_in(first, table).next().is_none();
        title.then_some(first)
    });
    if caption.is_some() {
        rows.next();
    }
    let mut laid_out = false;
    let mut fields = true;
    for row in rows {
        for cell in own_cells(row) {
            let mut tables = tables_in(cell, table).peekable();
            if tables.peek().is_none() {
                if is_empty(cell) {
                    continue;
                }
                return Layout::Data { caption };
            }
            // Text beside the tables makes the cell one of data.
            let outside = cell.descendants().any(|node| match node.value() {
                Node::Text(text) => {
                    !text.trim().is_empty()
                        && (node.ancestors().filter_map(ElementRef::wrap))
                            .find(|a| a.value().name() == "table")
                            .is_some_and(|t| t.id() == table.id())
                }
                _ => false,
            });
            if outside {
                return Layout::Data { caption };
            }
            laid_out = true;
            fields &= tables.all(|inner| {
                let mut inner_rows = own_rows(inner);
                inner_rows.clone().count() >= 2 && inner_rows.all(|r| own_cells(r).count() == 1)
            });
        }
    }
    match (laid_out, fields && caption.is_none()) {
        (false, _) => Layout::Data { caption },
        (true, true) => Layout::Fields,
        (true, false) => Layout::Tables { caption },
    }
}

/// A table's own rows, not those of the tables nested in it.
fn own_rows(table: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> + Clone {
    (table.descendants().filter_map(ElementRef::wrap))
        .filter(move |e| e.value().name() == "tr" && nearest_table(*e) == Some(table.id()))
}

/// A row's cells.
fn own_cells(row: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    (row.children().filter_map(ElementRef::wrap))
        .filter(|c| matches!(c.value().name(), "td" | "th"))
}

/// The tables nested in a cell of `table`, and not in one of them.
fn tables_in<'a>(
    cell: ElementRef<'a>,
    table: ElementRef<'a>,
) -> impl Iterator<Item = ElementRef<'a>> {
    (cell.descendants().filter_map(ElementRef::wrap))
        .filter(move |e| e.value().name() == "table" && nearest_table(*e) == Some(table.id()))
}

fn nearest_table(element: ElementRef<'_>) -> Option<NodeId> {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
        .map(|t| t.id())
}

/// The title of a paragraph that is only bold text, with an optional trailing colon
/// or an aside in parentheses after it ([`super::pseudo_title`]).
fn bold_only(p: ElementRef<'_>) -> Option<String> {
    let mut title = None;
    let mut after = String::new();
    // The symbol an anchor before the bold text names, as in the Markdown.
    let mut anchor = None;
    for child in p.children() {
        match child.value() {
            Node::Element(e) if matches!(e.name(), "strong" | "b") && title.is_none() => {
                let strong = ElementRef::wrap(child)?;
                title = Some(strong.text().collect::<String>());
            }
            Node::Comment(_) => {}
            // An anchor the page links to (`<span id="…"></span>`) holds no text.
            Node::Element(e) if ElementRef::wrap(child).is_some_and(|e| is_empty(e)) => {
                if let Some(id) = e
                    .attr("id")
                    .filter(|id| title.is_none() && code::is_symbol(id))
                {
                    anchor.get_or_insert_with(|| id.to_owned());
                }
            }
            Node::Text(t) if title.is_none() => {
                if !t.trim().is_empty() {
                    return None;
                }
            }
            Node::Text(t) => {
                after.push_str(t);
                if !super::may_be_aside(&after) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let title = super::pseudo_title(&title?, &after)?;
    Some(anchor.unwrap_or(title))
}

/// `element` holds no text, only perhaps white space.
fn is_empty(element: ElementRef<'_>) -> bool {
    element.text().all(|t| t.trim().is_empty())
}

/// `element` holds a block of its own: a paragraph, list, table or the like.
fn has_blocks(element: ElementRef<'_>) -> bool {
    let block = |name: &str| BLOCKS.contains(&name) || matches!(name, "ul" | "ol" | "details");
    (element.descendants().filter_map(ElementRef::wrap))
        .any(|e| e.id() != element.id() && block(e.value().name()))
}

/// Items of the lists nested directly in a list item.
fn nested_items(li: ElementRef<'_>) -> Vec<CellText> {
    li.children()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches!(e.value().name(), "ul" | "ol"))
        .flat_map(|list| {
            list.children()
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "li")
                .map(|item| cell(item, false))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The text of an element as cell pieces; `skip_lists` leaves nested lists out.
fn cell(element: ElementRef<'_>, skip_lists: bool) -> CellText {
    let mut builder = CellBuilder::new();
    feed(element, &mut builder, skip_lists, 0);
    builder.finish()
}

/// Tags whose text a cell reads apart from what stands around it: a paragraph's
/// words are not more of the words before or after them.
pub(super) const BLOCKS: &[&str] = &[
    "p",
    "div",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
];

fn feed(element: ElementRef<'_>, cell: &mut CellBuilder, skip_lists: bool, depth: usize) {
    if depth >= MAX_DEPTH {
        cell.text(&element.text().collect::<String>());
        return;
    }
    let feed = |child, cell: &mut CellBuilder, skip_lists| feed(child, cell, skip_lists, depth + 1);
    for child in element.children() {
        match child.value() {
            Node::Text(text) => cell.text(text),
            Node::Element(e) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                match e.name() {
                    "br" => cell.split(PieceKind::Line),
                    // A superscript is a footnote's mark, not more of the word before it.
                    "sup" => {
                        cell.text(" ");
                        feed(child, cell, skip_lists);
                    }
                    name if BLOCKS.contains(&name) => {
                        cell.split(PieceKind::Paragraph);
                        feed(child, cell, skip_lists);
                        cell.split(PieceKind::Line);
                    }
                    "li" => {
                        cell.split(PieceKind::Item);
                        feed(child, cell, skip_lists);
                    }
                    "ul" | "ol" if skip_lists => {}
                    // Text after a list is no more of its last item.
                    "ul" | "ol" => {
                        feed(child, cell, skip_lists);
                        cell.split(PieceKind::Paragraph);
                    }
                    "a" => {
                        cell.link_start(e.attr("href").unwrap_or_default());
                        feed(child, cell, skip_lists);
                        cell.link_end();
                    }
                    name if SKIPPED.contains(&name) => {}
                    _ => feed(child, cell, skip_lists),
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_tags_are_read() {
        let tag = parse_tag("<a name=\"x\" href='/a?b=1&amp;c=2'>").unwrap();
        assert_eq!(tag.name, "a");
        assert_eq!(tag.href.as_deref(), Some("/a?b=1&c=2"));
        assert!(parse_tag("</LI>").unwrap().closing);
        assert_eq!(parse_tag("<br/>").unwrap().name, "br");
    }

    /// Offsets of `<name` start tags outside comments, found by one scan of the
    /// lower-cased text for each name.
    fn tag_offsets_by_name(source: &str) -> Vec<Vec<usize>> {
        let lower = source.to_ascii_lowercase();
        let mut comments = Vec::new();
        let mut from = 0;
        while let Some(start) = lower[from..].find("<!--").map(|i| from + i) {
            let end = lower[start + 4..]
                .find("-->")
                .map_or(lower.len(), |i| start + 4 + i + 3);
            comments.push(start..end);
            from = end;
        }
        let inside = |at: usize| {
            comments
                .iter()
                .any(|c: &std::ops::Range<usize>| c.contains(&at))
        };
        LINED
            .iter()
            .map(|name| {
                let needle = format!("<{name}");
                lower
                    .match_indices(&needle)
                    .map(|(at, _)| at)
                    .filter(|&at| !inside(at))
                    .filter(|&at| {
                        let next = lower[at + needle.len()..].chars().next();
                        matches!(next, Some(c) if c.is_ascii_whitespace() || c == '>' || c == '/')
                    })
                    .collect()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn one_pass_finds_the_tags_each_names_scan_finds(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "/", " ", "\n", "!--", "--", "-->", "<!--", "p", "P", "tr", "TR",
                    "track", "h1", "h10", "li", "table", "é", "x", "=\"a\"",
                ]),
                0..40,
            ),
        ) {
            let source = pieces.concat();
            let found: Vec<Vec<usize>> = tag_offsets(&source).into_iter().collect();
            proptest::prop_assert_eq!(found, tag_offsets_by_name(&source));
        }
    }

    /// Spans that are not numbers, zero, or past what HTML allows are read as HTML
    /// reads them, and never lay a row out wider than the cap.
    #[test]
    fn odd_spans_are_read_within_bounds() {
        let page = fragment(
            "<table><tr><th>Hex</th><th>Cause</th></tr>\
             <tr><td rowspan=\"x\">0x1</td><td colspan=\"999999\">a</td></tr>\
             <tr><td rowspan=\"0\">0x2</td><td>b</td></tr>\
             <tr><td>c</td></tr>\
             <tr><td>d</td></tr></table>",
            1,
            &mut Details::under(1),
        );
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        let rows: Vec<Vec<String>> = (table.rows.iter())
            .map(|row| row.cells.iter().map(CellText::joined).collect())
            .collect();
        assert_eq!(rows[0].len(), MAX_COLUMNS);
        assert_eq!(rows[0][..2], ["0x1", "a"]);
        assert!(rows[0][2..].iter().all(String::is_empty));
        // A rowspan of 0 spans to the table's end; "x" spans one row.
        assert_eq!(
            rows[1..],
            [vec!["0x2", "b"], vec!["0x2", "c"], vec!["0x2", "d"]]
        );
    }

    /// Only a header whose cells span takes the row of `<th>`s below it as more of
    /// the header: in a table of `<th>`s alone, the rows below the first are rows.
    #[test]
    fn rows_of_th_under_a_plain_header_are_rows() {
        let page = fragment(
            "<table><tr><th>Hex</th><th>Cause</th></tr><tr><th>0x1</th><th>a</th></tr>\
             <tr><th>0x2</th><th>b</th></tr></table>",
            1,
            &mut Details::under(1),
        );
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        assert_eq!(table.header, ["Hex", "Cause"]);
        assert_eq!(table.rows.len(), 2);
    }

    /// Block elements inside a cell keep their text apart, as a browser shows it:
    /// a table nested in a code cell does not glue its words to the code.
    #[test]
    fn blocks_inside_a_cell_keep_their_text_apart() {
        let page = fragment(
            "<table><tr><th>Hex</th><th>Cause</th></tr><tr><td>0x1<table><tr><td>x</td>\
             <td>y</td></tr></table></td><td><blockquote>q</blockquote><h4>h</h4>\
             <pre>p</pre><dl><dt>t</dt><dd>d</dd></dl></td></tr></table>",
            1,
            &mut Details::under(1),
        );
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        let pieces = |cell: &CellText| -> Vec<String> {
            cell.pieces.iter().map(|piece| piece.text.clone()).collect()
        };
        assert_eq!(pieces(&table.rows[0].cells[0]), ["0x1", "x", "y"]);
        assert_eq!(pieces(&table.rows[0].cells[1]), ["q", "h", "p", "t", "d"]);
    }

    #[test]
    fn rows_know_their_lines() {
        let page = fragment(
            "<table>\n<tr><th>Hex</th><th>Cause</th></tr>\n<tr><td>0x1</td><td>a<br>b</td></tr>\n</table>",
            10, &mut Details::under(1),
        );
        let Block::Table(table) = &page.blocks[0] else {
            panic!("no table")
        };
        assert_eq!(table.header, ["Hex", "Cause"]);
        assert_eq!(table.rows[0].line, 12);
        assert_eq!(table.rows[0].cells[1].pieces.len(), 2);
    }
}

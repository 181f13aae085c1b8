//! Plain text out of marked-up cells: the one place where whitespace, Unicode form,
//! escapes, line breaks, list items and links inside a cell are settled.
//!
//! Each ingester walks its own markup and feeds a [`CellBuilder`]; what comes out is
//! the same [`CellText`] whatever the source shape, so `-or-` splitting and link
//! handling are written once.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::model::Link;

/// Collapses whitespace runs to one space, trims, and puts the text in NFC.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    if !text.is_ascii() {
        text.split_whitespace().for_each(push);
        return nfc(out);
    }
    // Most cells are ASCII, and ASCII text is NFC as it stands: look at bytes, the
    // six that `char::is_whitespace` knows below 128. Most are clean already: one
    // space between words and no other white space, which whole-slice scans find
    // faster than a byte-by-byte walk.
    let bytes = text.as_bytes();
    let controls = bytes.iter().fold(false, |any, &byte| any | (byte < b' '));
    if !controls
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !text.contains("  ")
    {
        out.push_str(text);
        return out;
    }
    let mut start = None;
    for (i, byte) in text.bytes().enumerate() {
        let space = matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        match (space, start) {
            (false, None) => start = Some(i),
            (true, Some(from)) => {
                push(&text[from..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        push(&text[from..]);
    }
    out
}

/// NFC, without copying text that is already NFC.
pub fn nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// Undoes the `\_` escape that survives into scraped text (`NTE\_BAD\_DATA`). Other
/// backslashes stay: in scraped text they are far more often Windows paths
/// (`Accounts\*.*\`) than Markdown escapes.
pub fn unescape_underscores(text: &str) -> Cow<'_, str> {
    if text.contains("\\_") {
        Cow::Owned(text.replace("\\_", "_"))
    } else {
        Cow::Borrowed(text)
    }
}

/// How a piece of a cell began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// The start of the cell, or after a `<br>`.
    Line,
    /// A `<p>` paragraph.
    Paragraph,
    /// A `<li>` list item.
    Item,
    /// A command or its output, from a code block: text as written, never a label.
    Code,
}

/// One piece of a cell, cut at a line break, paragraph or list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

/// Whether a cell's or segment's whole text is a placeholder for nothing.
pub(crate) fn says_none(text: &str) -> bool {
    const NONE: &[&str] = &["-", "–", "—", "n/a", "na", "n.a", "none", "not applicable"];
    let text = text.trim().trim_end_matches('.');
    NONE.iter().any(|none| text.eq_ignore_ascii_case(none))
}

/// A cell's text, in pieces, with its links set apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellText {
    pub pieces: Vec<Piece>,
    pub links: Vec<Link>,
}

impl CellText {
    /// A cell of one line of text, already clean.
    pub fn line(text: String) -> Self {
        let pieces = (!text.is_empty()).then_some(Piece {
            kind: PieceKind::Line,
            text,
        });
        CellText {
            pieces: pieces.into_iter().collect(),
            links: Vec::new(),
        }
    }

    /// The whole cell as one line of plain text.
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&piece.text);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Whether the cell is empty or only says it has nothing to say: `—`, `N/A`,
    /// `NA`, `None`.
    pub fn says_nothing(&self) -> bool {
        match self.pieces.as_slice() {
            [] => true,
            [piece] => says_none(&piece.text),
            _ => false,
        }
    }

    /// The cell's pieces as text, one segment each, as a code cell is scanned.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().map(|p| p.text.as_str())
    }

    /// The alternatives a cause cell lists. A cell that opens with a list gives one
    /// cause per item, as does one whose lead-in says the cause is one of the items
    /// below it (`This error occurs for one of the following reasons:`); otherwise
    /// `-or-` (or the localized `- または -`) divides them, whether it stood in its
    /// own paragraph, between `<br>`s or inline.
    pub fn alternatives(&self) -> Vec<String> {
        let opens_list = |pieces: &[Piece]| pieces.first().map(|p| p.kind) == Some(PieceKind::Item);
        let pieces = match self.pieces.split_first() {
            Some((lead, items)) if opens_list(items) && names_one_of(&lead.text) => items,
            _ => &self.pieces[..],
        };
        if opens_list(pieces) {
            let mut items: Vec<String> = Vec::new();
            for piece in pieces {
                match (piece.kind, items.last_mut()) {
                    (PieceKind::Item, _) | (_, None) => items.push(piece.text.clone()),
                    (_, Some(last)) => {
                        last.push(' ');
                        last.push_str(&piece.text);
                    }
                }
            }
            return items;
        }
        split_or(&self.joined())
    }
}

/// A lead-in that says only that what follows it are alternatives: `This error
/// occurs for one of the following reasons:`, `One of the following conditions is
/// true:`, `この問題は、次のいずれかの理由で発生します:`. One that opens with other
/// words (`AuthenticationFailed - Authentication failed for one of the following
/// reasons:`) says more than that, and its cell is one cause.
fn names_one_of(lead: &str) -> bool {
    let lead = lead.trim_end();
    lead.ends_with([':', '：']) && {
        let lead = lead.to_lowercase();
        let opens = [
            "this ",
            "these ",
            "one of ",
            "any of ",
            "この",
            "次のいずれか",
        ];
        let says = [
            "one of the following",
            "any of the following",
            "次のいずれか",
        ];
        opens.iter().any(|words| lead.starts_with(words))
            && says.iter().any(|words| lead.contains(words))
    }
}

/// Splits text at `-or-` alternatives: ` -or- `, its translations (`- または -`,
/// `-ou-`, `-oder-`), and a bare `または` that stands between two sentences.
pub fn split_or(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    // Every separator begins with one of these.
    for (i, _) in text.match_indices(['-', 'ま']) {
        if i < start {
            continue;
        }
        if let Some(len) = or_separator_at(text, i) {
            parts.push(text[start..i].trim());
            start = i + len;
        }
    }
    parts.push(text[start..].trim());
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The length of an alternatives separator starting at `i`, if one does.
fn or_separator_at(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let at_word_start = i == 0 || text[..i].ends_with(' ');
    if !at_word_start {
        // `。 または ` keeps its full stop with the sentence before it.
        return None;
    }
    let ends_word = |len: usize| rest.len() == len || rest[len..].starts_with(' ');
    const SEPARATORS: [&str; 7] = [
        "-or-",
        "- または -",
        "-または-",
        "-ou-",
        "- ou -",
        "-oder-",
        "- oder -",
    ];
    for sep in SEPARATORS {
        if rest
            .get(..sep.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(sep))
            && ends_word(sep.len())
        {
            return Some(sep.len());
        }
    }
    let bare = "または";
    if rest.starts_with(bare) && ends_word(bare.len()) && text[..i].trim_end().ends_with('。') {
        return Some(bare.len());
    }
    None
}

/// Accumulates a cell's text as an ingester walks its markup.
#[derive(Debug, Default)]
pub struct CellBuilder {
    pieces: Vec<Piece>,
    current: String,
    kind: Option<PieceKind>,
    open_links: Vec<(String, usize)>,
    links: Vec<Link>,
}

impl CellBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// Ends the current piece; the next one starts as `kind`.
    pub fn split(&mut self, kind: PieceKind) {
        self.flush();
        self.kind = Some(kind);
    }

    pub fn link_start(&mut self, url: &str) {
        self.open_links
            .push((url.trim().to_owned(), self.current.len()));
    }

    pub fn link_end(&mut self) {
        if let Some((url, start)) = self.open_links.pop() {
            let text = clean(self.current.get(start..).unwrap_or_default());
            if !url.is_empty() {
                self.links.push(Link { text, url });
            }
        }
    }

    /// Text with Markdown links `[text](url)` in it, as legacy dumps keep them.
    pub fn text_with_markdown_links(&mut self, text: &str) {
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let Some((label, url, consumed)) = markdown_link(&rest[open..]) else {
                self.text(&rest[..open + 1]);
                rest = &rest[open + 1..];
                continue;
            };
            self.text(&rest[..open]);
            self.link_start(url);
            self.text(label);
            self.link_end();
            rest = &rest[open + consumed..];
        }
        self.text(rest);
    }

    fn flush(&mut self) {
        let text = clean(&self.current);
        // Open links keep offsets into `current`; close them against this piece.
        while !self.open_links.is_empty() {
            self.link_end();
        }
        self.current.clear();
        if !text.is_empty() {
            self.pieces.push(Piece {
                kind: self.kind.unwrap_or(PieceKind::Line),
                text,
            });
        }
        self.kind = Some(PieceKind::Line);
    }

    pub fn finish(mut self) -> CellText {
        self.flush();
        CellText {
            pieces: self.pieces,
            links: self.links,
        }
    }
}

/// `[label](url)` at the start of `text`: the label, the url and the bytes consumed.
fn markdown_link(text: &str) -> Option<(&str, &str, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    if label.contains('[') || label.contains(']') {
        return None;
    }
    let after = &text[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    if url.trim().contains(char::is_whitespace) {
        return None;
    }
    Some((label, url, close + 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace_and_composes() {
        assert_eq!(clean("  a \t b\n c  "), "a b c");
        assert_eq!(clean("e\u{301}"), "\u{e9}");
        assert_eq!(clean("\u{3000}あ\u{a0} い "), "あ い");
        assert_eq!(clean(" \t\r\n\x0b\x0c"), "");
    }

    proptest::proptest! {
        /// The ASCII path splits where `char::is_whitespace` does.
        #[test]
        fn clean_is_split_whitespace_joined(text in "[ a-c\t\n\r\x0b\x0c\x1c\x1f.é\u{a0}\u{3000}]{0,40}") {
            let words: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(clean(&text), nfc(words.join(" ")));
        }
    }

    #[test]
    fn or_splits_inline_and_localized() {
        assert_eq!(split_or("a -or- b -OR- c"), ["a", "b", "c"]);
        assert_eq!(
            split_or("あ。 - または - い。 または う"),
            ["あ。", "い。", "う"]
        );
        assert_eq!(
            split_or("a -ou- b - oder - c -Oder- d"),
            ["a", "b", "c", "d"]
        );
        assert_eq!(split_or("either or neither"), ["either or neither"]);
        assert_eq!(split_or("ou -ou-vert oder-"), ["ou -ou-vert oder-"]);
        assert_eq!(
            split_or("削除するか、またはユーザー"),
            ["削除するか、またはユーザー"]
        );
    }

    #[test]
    fn list_cells_give_one_cause_per_item() {
        let mut b = CellBuilder::new();
        b.split(PieceKind::Item);
        b.text("one");
        b.split(PieceKind::Line);
        b.text("note");
        b.split(PieceKind::Item);
        b.text("two");
        assert_eq!(b.finish().alternatives(), ["one note", "two"]);
    }

    #[test]
    fn a_lead_in_that_says_one_of_gives_its_items() {
        let cell = |lead: &str| {
            let mut b = CellBuilder::new();
            b.text(lead);
            b.split(PieceKind::Item);
            b.text("The issuer is wrong.");
            b.split(PieceKind::Item);
            b.text("Consent is missing.");
            b.finish().alternatives()
        };
        assert_eq!(
            cell("This error typically occurs for one of the following reasons:"),
            ["The issuer is wrong.", "Consent is missing."]
        );
        assert_eq!(
            cell("One of the following conditions is true:"),
            ["The issuer is wrong.", "Consent is missing."]
        );
        // A lead-in that names the error as well, or items that are all true
        // together, make one cause.
        assert_eq!(
            cell("AuthenticationFailed - Authentication failed for one of the following reasons:"),
            [
                "AuthenticationFailed - Authentication failed for one of the following reasons: \
              The issuer is wrong. Consent is missing."
            ]
        );
        assert_eq!(
            cell("This error occurs when all of the following are true:"),
            ["This error occurs when all of the following are true: The issuer is wrong. Consent is missing."]
        );
    }

    #[test]
    fn markdown_links_leave_the_prose() {
        let mut b = CellBuilder::new();
        b.text_with_markdown_links("Reboot, [reset the TPM]( http://x/y) or [z](u).");
        let cell = b.finish();
        assert_eq!(cell.joined(), "Reboot, reset the TPM or z.");
        assert_eq!(cell.links[0].url, "http://x/y");
        assert_eq!(cell.links[0].text, "reset the TPM");
    }
}

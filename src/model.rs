//! The canonical model every stage shares: one [`Revision`] per source file.
//!
//! JSON is the model's public form, so every field name here is a contract:
//! renaming one is a breaking change to `generated/` and bumps
//! [`SCHEMA_VERSION`](crate::SCHEMA_VERSION)'s major number. Format quirks never reach
//! this module; the ingesters resolve them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One revision of one document in one locale, as reconciled from one source file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// Stable document id, e.g. `windows-hello-pin-errors`.
    pub document: String,
    /// Revision label, e.g. `2018-05-05`. Order comes from the manifest, not from the label.
    pub revision: String,
    /// Lower-case BCP 47 tag: `en-us`, `ja-jp`.
    pub locale: String,
    /// The page's own heading, else its metadata title.
    pub title: String,
    /// The shape the source came in.
    pub format: Format,
    /// The path of the source file, as given to the ingester.
    pub source: String,
    /// Frontmatter key → value. YAML lists stay lists. `applies_to` holds the
    /// items listed under an "Applies to" heading, where the page has one;
    /// `original_product_version` and `original_kb_number` the lines under the title
    /// of an article moved from the old knowledge base, where it gives them.
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// The ordered generic mitigation steps given before the code tables.
    pub steps: Vec<String>,
    /// One entry per code per section, in document order.
    pub entries: Vec<Entry>,
    /// What the ingester recovered from, or could not, each with its line.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Revision {
    /// The chain it belongs to: its document, in its locale.
    pub fn chain(&self) -> (&str, &str) {
        (&self.document, &self.locale)
    }

    /// Rows that are neither a condition's line nor a diagnostic's: empty when row
    /// conservation holds, as it must for every source.
    pub fn lost_rows(&self) -> Vec<usize> {
        let kept: std::collections::HashSet<usize> = self
            .entries
            .iter()
            .flat_map(|e| &e.conditions)
            .map(|c| c.source.line)
            .chain(self.diagnostics.iter().map(|d| d.line))
            .collect();
        self.stats
            .row_lines
            .iter()
            .copied()
            .filter(|line| !kept.contains(line))
            .collect()
    }
}

/// The three source shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Text scraped from an old HTML page: flattened tables, rows broken across lines.
    Legacy,
    /// Markdown with YAML frontmatter: the docs' GitHub sources.
    Markdown,
    /// A learn.microsoft.com article page.
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Legacy => "legacy",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "legacy" => Ok(Format::Legacy),
            "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            other => Err(format!(
                "unknown format `{other}` (expected legacy, markdown or html)"
            )),
        }
    }
}

/// Everything one section of a page says about one code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Canonical text: `0x` + 8 upper-case hex digits, a decimal-only code such as
    /// `12002`, or a string code as written (`CONTACT_SUPPORT`, `AADSTS50126`).
    pub code: String,
    /// The numeric value of a numeric code; `null` for string codes.
    pub value: Option<u32>,
    /// Symbolic names given with the code, e.g. `DSREG_E_DIRECTORY_FAILURE`.
    pub names: Vec<String>,
    /// Heading path from below the page title down to the table.
    pub section: Vec<String>,
    pub kind: EntryKind,
    /// One per situation the page describes, in row order.
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    Error,
    /// The page says these are not errors.
    Warning,
}

/// One situation a page describes for a code: one table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Alternatives, any of which leads here (`-or-` splits them).
    pub causes: Vec<String>,
    /// The error message, where the table has such a column.
    pub message: Option<String>,
    /// `null` where the page gives none.
    pub mitigation: Option<String>,
    /// Links found in the row, kept out of the prose.
    pub links: Vec<Link>,
    pub source: SourceRef,
}

impl Condition {
    /// Same content, wherever it came from.
    pub fn same_content(&self, other: &Condition) -> bool {
        self.causes == other.causes
            && self.message == other.message
            && self.mitigation == other.mitigation
            && self.links == other.links
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// Where a row came from: the source file and the 1-based line of the row's start.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRef {
    pub file: String,
    pub line: usize,
}

/// Something an ingester met and recovered from, or could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    pub kind: DiagnosticKind,
    /// 1-based line in the source file.
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Warning,
    Error,
}

/// Stable ids for diagnostics. Serialised in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// A row identical to an earlier row of the same code and section.
    DuplicateRow,
    /// A `(hex/decimal)` pair that disagrees, or a malformed decimal; the hex wins.
    HexDecimalMismatch,
    /// A row that could not be read as a code row; the message carries its text.
    UnparsedRow,
    /// A row with fewer cells than its header; recovered with the cells it has.
    MissingCells,
    /// A row with more non-empty cells than its header; the extra text joins the last cell.
    ExtraCells,
    /// A code cell that also held text; the code was split off.
    MergedCells,
    /// A row with an empty code cell and no code above it to continue.
    OrphanContinuation,
    /// A hex or decimal code that does not fit in 32 bits.
    CodeOutOfRange,
    /// A code written as a hex number whose digits are not all hex, such as
    /// `0x8009ZZ05`; not read as a code.
    MalformedCode,
    /// A flattened frontmatter table whose values do not line up with its keys.
    FrontmatterMisaligned,
    /// A source that holds no code table at all.
    NoCodeTable,
    /// A cell cut at the size cap.
    Truncated,
    /// Markup nested deeper than the cap; what lies below is read as plain text.
    NestingTooDeep,
    /// A docs include (`[!INCLUDE [name](path)]`): its text is another file, not read,
    /// so codes it holds are not in this revision.
    IncludeNotRead,
    /// A cell of a column that spells the codes again (a decimal or a symbolic name)
    /// with neither one spelling per code nor a single code to give them to; its
    /// text is kept as the row's.
    UnpairedSpellings,
    /// A hex code of seven digits whose first sets the failure bit (`0x8007002`): an
    /// HRESULT one digit short, which one no one can tell. Read as written.
    ShortHresult,
}

impl DiagnosticKind {
    /// The kebab-case id, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::DuplicateRow => "duplicate-row",
            DiagnosticKind::HexDecimalMismatch => "hex-decimal-mismatch",
            DiagnosticKind::UnparsedRow => "unparsed-row",
            DiagnosticKind::MissingCells => "missing-cells",
            DiagnosticKind::ExtraCells => "extra-cells",
            DiagnosticKind::MergedCells => "merged-cells",
            DiagnosticKind::OrphanContinuation => "orphan-continuation",
            DiagnosticKind::CodeOutOfRange => "code-out-of-range",
            DiagnosticKind::MalformedCode => "malformed-code",
            DiagnosticKind::FrontmatterMisaligned => "frontmatter-misaligned",
            DiagnosticKind::NoCodeTable => "no-code-table",
            DiagnosticKind::Truncated => "truncated",
            DiagnosticKind::NestingTooDeep => "nesting-too-deep",
            DiagnosticKind::IncludeNotRead => "include-not-read",
            DiagnosticKind::UnpairedSpellings => "unpaired-spellings",
            DiagnosticKind::ShortHresult => "short-hresult",
        }
    }
}

/// Counts that let a reader check row conservation at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Rows seen in code tables.
    pub rows: usize,
    /// The first line of every such row, in order.
    pub row_lines: Vec<usize>,
    pub entries: usize,
    pub conditions: usize,
    pub diagnostics: usize,
}

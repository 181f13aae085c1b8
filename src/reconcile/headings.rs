//! Which headings, and which bold lines, give codes: in their own words (`##
//! Error 0x801C03ED`), as an error's name the section calls an error, in the line
//! under them, or in the lines that tell what the reader sees before a cause. What
//! follows such a heading is read in [`super::sections`].

use std::collections::HashSet;

use crate::code;
use crate::ingest::{label, label_of, Block};
use crate::model::DiagnosticKind;
use crate::text::CellText;

use super::columns::{named_role, names_role, names_the_message, Role};

/// The codes of a page about one error, where its title, its first heading of level
/// 1, gives them as a code's heading would; or where the title gives none but the
/// title its frontmatter declares names them (`title: Microsoft Entra Connect upgrade
/// fails with error code 1603` over `# Error when upgrading Microsoft Entra Connect:
/// Unable to install the synchronization service`), as a heading in the error's
/// words over them.
pub(super) fn title_codes(blocks: &[Block], declared: Option<&str>) -> Option<CodeLine> {
    let (_, title, _) = (blocks.iter().filter_map(page_heading)).find(|&(level, ..)| level == 1)?;
    // A title that mistypes its code (`# 80180002b error during …`) gives none, and is
    // that code's heading still: the page's section is a row whose code cannot be read.
    heading_codes(title)
        .or_else(|| named_symbols(title).map(|line| line.over(title)))
        .or_else(|| {
            let after = blocks.iter().position(|b| page_heading(b).is_some())? + 1;
            told_codes(1, &blocks[after..]).map(|line| line.over(title))
        })
        .or_else(|| symptoms_codes(blocks).map(|line| line.over(title)))
        .or_else(|| named_codes(declared?).map(|line| line.over(title)))
}

/// The symbols a title names among its words (`# Kerberos generates
/// KDC_ERR_S_PRINCIPAL_UNKNOWN or KDC_ERR_PRINCIPAL_NOT_UNIQUE error`), each once: a
/// name of capital letters joined by underscores is an error's wherever it stands.
/// A code with digits (`SSPR_009`) is one only where a title labels it, as a number.
fn named_symbols(title: &str) -> Option<CodeLine> {
    let mut codes: Vec<String> = Vec::new();
    for word in title.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let letters = !word.contains(|c: char| c.is_ascii_digit());
        if letters && code::is_symbol(word) && !codes.iter().any(|c| c == word) {
            codes.push(word.to_owned());
        }
    }
    CodeLine::listing(codes)
}

/// The codes the lines under a page's symptoms heading name, where a heading of a
/// cause or fix follows it: a troubleshooting article that opens with a summary or a
/// checklist, then `## Symptoms: Event ID 4625 and Event ID 7001` over "Internal
/// failure codes might include: 0xC0070022, 0xC000005E" and the events' tables,
/// then `## Cause: …`. Only codes [`code::named_codes`] finds.
fn symptoms_codes(blocks: &[Block]) -> Option<CodeLine> {
    fn heads(text: &str) -> &str {
        text.split([':', '：']).next().unwrap_or(text).trim()
    }
    let (at, level) = blocks.iter().enumerate().find_map(|(at, block)| {
        let (level, text, _) = page_heading(block)?;
        (level > 1 && names_the_symptoms(heads(text))).then_some((at, level))
    })?;
    let end = (blocks[at + 1..].iter())
        .position(|b| page_heading(b).is_some_and(|(l, ..)| l <= level))
        .map_or(blocks.len(), |end| at + 1 + end);
    let fix_or_cause_follows = blocks[end..].iter().any(|block| {
        page_heading(block).is_some_and(|(l, text, _)| {
            l == level && label_role(heads(text)).is_some_and(|r| r != Role::Message)
        })
    });
    if !fix_or_cause_follows {
        return None;
    }
    lines_codes(&blocks[at + 1..end])
}

/// The role a label names (`Cause`, `Symptoms`, `Solution for cause 2`), as
/// [`names_role`] tells one: in three words at most.
fn label_role(label: &str) -> Option<Role> {
    (label.split_whitespace().nth(3).is_none())
        .then(|| named_role(&label.to_lowercase()))
        .flatten()
}

/// A label that names what the reader sees (`Symptom`, `Symptoms:`, `症状`), and no
/// cause or fix.
fn names_the_symptoms(label: &str) -> bool {
    // A role's label is three words at most: most headings are read no further.
    label.split_whitespace().nth(3).is_none() && names_the_message(&label.to_lowercase())
}

/// `block` is a bold line that names no code nor role, right over a bold line that
/// gives codes: a sub-heading over a run of them.
pub(super) fn heads_bold_codes(block: &Block, next: Option<&Block>) -> bool {
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
pub(super) fn bold_codes(text: &str) -> Option<CodeLine> {
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

pub(super) struct CodeLine {
    /// The text of the row's code cell.
    pub(super) cell: String,
    /// The codes it gives, as the catalogue keys them.
    pub(super) codes: Vec<String>,
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
    pub(super) fn over(self, text: &str) -> CodeLine {
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
pub(super) fn named_headings(blocks: &[Block]) -> HashSet<(usize, String)> {
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
/// MDM Enroll: Failed (Unknown Win32 Error code: 0x8018002b)**", then **Cause:**; or
/// a page's title, over `## Symptom` and the message quoted there ("Something went
/// wrong and your PIN isn't available (status: 0xc00000bb, …)"), then `## Cause`.
/// Only codes [`code::named_codes`] finds, and only where a cause or fix follows.
/// `level` is the heading's, and `section` what follows it.
pub(super) fn told_codes(level: u8, section: &[Block]) -> Option<CodeLine> {
    // Up to the first label of a cause or fix: past no other heading but the
    // symptoms', a bold line that may be the next code's, nor table.
    let mut role = None;
    for (at, block) in section.iter().enumerate() {
        let label = match block {
            Block::Heading {
                level: l,
                pseudo: false,
                ..
            } if *l <= level => break,
            Block::Table(_) => break,
            Block::Heading { text, .. } => text.trim_end_matches([':', '：']),
            Block::Paragraph { cell, .. } => match label(cell) {
                Some((name, _)) => name,
                None => continue,
            },
            _ => continue,
        };
        let is_role = match label_role(label) {
            Some(Role::Message) => continue,
            role => role.is_some(),
        };
        // A bold line or a sub-heading ends the lines that tell what the reader
        // sees, a label of a cause or fix or not; a paragraph under another label
        // (`Event ID: 76`) is one of them.
        if is_role || matches!(block, Block::Heading { .. }) {
            role = is_role.then_some(at);
            break;
        }
    }
    lines_codes(&section[..role?])
}

/// How many errors a word for "error" says follow it, as a label (`Error: …`).
#[derive(Clone, Copy, PartialEq)]
enum Count {
    One,
    Many,
    /// The same word in the singular and the plural (`Fehler`, `错误`).
    Either,
}

/// `Error` and `Errors` in the languages errcat reads, each with how many it says.
/// Capitalised where the capital is not ASCII: a match ignores ASCII case only.
/// `エラー` says either, but has been read as one error since errcat first read
/// Japanese.
const ERROR_WORDS: &[(&str, Count)] = &[
    ("errors", Count::Many),
    ("error", Count::One),
    ("エラー", Count::One),
    ("fehler", Count::Either),
    ("erreurs", Count::Many),
    ("erreur", Count::One),
    ("errores", Count::Many),
    ("errori", Count::Many),
    ("errore", Count::One),
    ("erros", Count::Many),
    ("erro", Count::One),
    ("fouten", Count::Many),
    ("fout", Count::One),
    ("错误", Count::Either),
    ("錯誤", Count::Either),
    ("오류", Count::Either),
    ("Ошибки", Count::Many),
    ("Ошибка", Count::One),
    ("błędy", Count::Many),
    ("błąd", Count::One),
    ("fel", Count::Either),
    ("hatalar", Count::Many),
    ("hata", Count::One),
    ("chyby", Count::Many),
    ("chyba", Count::One),
    ("hibák", Count::Many),
    ("hiba", Count::One),
];

/// The codes a section's first paragraph lists after the word `Errors` (`Errors
/// 0x80245003, 0x80070514, … are caused by missing or corrupted components.`,
/// `Errors: 0x80072ee2, 0x8024401C, …`, `Fehler 0x80245003, …`): the errors its
/// heading, a topic's, is about, on any page, in any of the languages errcat reads.
/// The first code must be an HRESULT written out, as no count or step is.
pub(super) fn listed_errors(section: &[Block]) -> Option<CodeLine> {
    let Some(Block::Paragraph { cell, .. }) = section.first() else {
        return None;
    };
    let text = cell.joined();
    // The HRESULT comes within the first words, or the paragraph lists none.
    let head = &text.as_bytes()[..text.len().min(24)];
    if !(head.windows(2)).any(|w| w[0] == b'0' && matches!(w[1], b'x' | b'X')) {
        return None;
    }
    let rest = ERROR_WORDS.iter().find_map(|&(word, _)| {
        let rest = after_opening(&text, word)?;
        let rest = rest.strip_prefix([':', '：']).unwrap_or(rest);
        rest.starts_with(char::is_whitespace).then_some(rest)
    })?;
    opens_with_hresult(rest)
        .then(|| named_codes(&text))
        .flatten()
}

/// What follows `words` where `text` opens with them, in any case.
fn after_opening<'t>(text: &'t str, words: &str) -> Option<&'t str> {
    let head = text.get(..words.len())?;
    head.eq_ignore_ascii_case(words)
        .then(|| &text[words.len()..])
}

/// The codes a heading's own paragraphs and lists name, up to the next heading or
/// table: what a page that lists no codes says of one in its prose.
pub(super) fn prose_codes(section: &[Block]) -> Option<CodeLine> {
    let end = (section.iter())
        .position(|b| matches!(b, Block::Heading { .. } | Block::Table(_)))
        .unwrap_or(section.len());
    lines_codes(&section[..end])
}

/// The codes the paragraphs and list items of `blocks` name ([`code::named_codes`]),
/// each once, as a code cell.
fn lines_codes(blocks: &[Block]) -> Option<CodeLine> {
    let lines = blocks.iter().flat_map(|block| match block {
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
pub(super) fn page_heading(block: &Block) -> Option<(u8, &str, usize)> {
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
pub(super) struct Headings {
    /// Headings that are an error's name ([`named_headings`]).
    pub(super) named: HashSet<(usize, String)>,
    /// The lines of headings that number the page's problems ([`numbered_errors`]).
    pub(super) numbered: HashSet<usize>,
}

/// The lines of headings that number a page's problems rather than give their codes:
/// `## Error 1: The computer must be joined to a domain`, `## Error 2: …`, a run at
/// one level that counts up from 1. A heading alone (`Error 5: Access is denied`), or
/// one that does not go on with the count, gives its code.
pub(super) fn numbered_errors(blocks: &[Block]) -> HashSet<usize> {
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
pub(super) fn code_heading(text: &str, line: usize, headings: &Headings) -> Option<CodeLine> {
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
/// (`AADSTS50126`): a heading that is only a word, `PowerShell` or `Step 4`, or
/// opens with a product's name and version (`WebView2 failure`), is not one. A
/// decimal counts only after a label (`Error 1603`): one that opens the heading is
/// as often a year or a version (`2024 updates`, `1809`). A heading that
/// gives the error's words first and its code after them (`Securing your hardware
/// (Failed: 0x800705b4)`) gives those [`code::named_codes`] finds: the whole heading
/// is then their text. A heading that says what it does to the error before naming
/// it (`Troubleshoot error SSPR_009: …`, `Troubleshoot error code 8023062C: …`) gives
/// it as one that opens with its label does: the words after the code are its text.
pub(super) fn heading_codes(text: &str) -> Option<CodeLine> {
    (written_codes(text).or_else(|| written_codes(after_the_verb(text)?)))
        .or_else(|| named_codes(text).map(|line| line.over(text)))
}

/// The rest of a heading that opens with a word that says it troubleshoots the error
/// it labels next (`Troubleshoot error …`), where it does.
fn after_the_verb(text: &str) -> Option<&str> {
    const VERBS: [&str; 6] = [
        "troubleshoot",
        "troubleshooting",
        "fix",
        "fixing",
        "resolve",
        "resolving",
    ];
    let (verb, rest) = text.split_once(' ')?;
    let rest = rest.trim_start();
    let labelled = after_opening(rest, "error ").is_some();
    (labelled && VERBS.iter().any(|v| verb.eq_ignore_ascii_case(v))).then_some(rest)
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
        after_opening(text, words).is_some_and(|after| after.starts_with([' ', ':', '：']))
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
            None => c.code.bytes().any(|b| b.is_ascii_digit()) && !code::is_versioned_name(&c.code),
        });
    // A code the heading means but mistypes (`0x80180002b`, nine digits) makes it a
    // code's heading still: its section is a row whose code cannot be read, which
    // is reported with its line as a table's would be, not prose that no one sees.
    // A family of codes (`0x800xxxxx`) titles the codes below it and is no code's.
    let mistyped = scanned.codes.is_empty()
        && !scanned.problems.is_empty()
        && (labelled || text.starts_with("0x") || text.starts_with("0X"))
        && !(text.split_whitespace()).any(code::is_code_family)
        && (scanned.problems.iter()).all(|(kind, _)| {
            matches!(
                kind,
                DiagnosticKind::MalformedCode | DiagnosticKind::CodeOutOfRange
            )
        });
    // An HRESULT without its `0x` and with a digit too many (`80180002b error during
    // …`) opens the heading as one with its `0x` would; a year or a version has no
    // hex letter.
    let bare_hex = || {
        text.split_whitespace().next().is_some_and(|word| {
            word.len() == 9
                && word.bytes().all(|b| b.is_ascii_hexdigit())
                && word.bytes().any(|b| b.is_ascii_alphabetic())
                && code::opens_as_failure(word)
        })
    };
    let mistyped = mistyped || (scanned.codes.is_empty() && bare_hex());
    if mistyped {
        return Some(CodeLine {
            cell: text.to_owned(),
            codes: Vec::new(),
        });
    }
    // Words after the codes that name more of them (`Error code 1007 and exit code
    // -2145648574`) make it a heading that names its codes in its words.
    if !gives_codes || !code::named_codes(&scanned.rest).is_empty() {
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
pub(super) fn message_line(cell: &CellText) -> Option<CodeLine> {
    let (name, body) = label(cell)?;
    if let Some(line) = code_label(name) {
        return Some(line);
    }
    if !is_error_label(name, body) {
        return None;
    }
    named_codes(body)
}

/// A line that gives an error after its label (`Error: Subject mismatch`).
pub(super) fn gives_an_error(text: &str) -> bool {
    label_of(text).is_some_and(|(name, body)| is_error_label(name, body) && !body.is_empty())
}

/// A label that says one error follows it (`Error: …`, `Erreur : …`, `Błąd: …`), in
/// the singular: a plural (`Errors: 0x80072ee2, …`) opens a list of errors
/// ([`listed_errors`]). A word the same in both (`Fehler`, `错误`) says one error
/// only where no code opens the text after it.
fn is_error_label(name: &str, body: &str) -> bool {
    let count = (ERROR_WORDS.iter())
        .find_map(|&(word, count)| name.eq_ignore_ascii_case(word).then_some(count));
    match count {
        Some(Count::One) => true,
        Some(Count::Either) => !opens_with_hresult(body),
        Some(Count::Many) | None => false,
    }
}

/// The text's first word is an HRESULT written out (`0x80072ee2,`).
fn opens_with_hresult(text: &str) -> bool {
    let first = text.split([' ', ',', '、']).find(|word| !word.is_empty());
    first.is_some_and(|word| code::is_hresult_form(word) && code::parse_hex(word).is_ok())
}

/// The codes a text names inside it ([`code::named_codes`]), where it names any, as
/// a code cell.
pub(super) fn named_codes(text: &str) -> Option<CodeLine> {
    CodeLine::listing(
        code::named_codes(text)
            .into_iter()
            .map(|c| c.code)
            .collect(),
    )
}

/// A label that is only an error's numbers, after a word that says so (`Error
/// 80180026`, `HRESULT 0x80180014`); not a name such as `Step2` or `Label7`.
pub(super) fn code_label(name: &str) -> Option<CodeLine> {
    let numbers = |line: &CodeLine| {
        line.cell == name
            && (line.codes.iter()).all(|c| c.starts_with("0x") || c.parse::<i64>().is_ok())
    };
    heading_codes(name).filter(numbers)
}

//! Parsing and normalising error codes, in every spelling the pages use.
//!
//! A code cell may hold `0x801C03ED`, `0X80072F0C`, `**NAME** (0xhex/-decimal)`,
//! `(decimal/ hex)`, a decimal-only code such as `12002`, a string code such as
//! `CONTACT_SUPPORT` or `AADSTS50126: message`, or several of these at once.
//! This module finds them; it knows nothing of tables or formats.

use crate::model::DiagnosticKind;

/// A code as the catalogue keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCode {
    /// Canonical text; see [`crate::model::Entry::code`].
    pub code: String,
    pub value: Option<u32>,
    pub names: Vec<String>,
}

impl ParsedCode {
    /// A string code as written (`AADSTS50126`, `TooManyRequests`), with no names yet.
    pub fn string(code: &str) -> Self {
        ParsedCode {
            code: code.to_owned(),
            value: None,
            names: Vec::new(),
        }
    }

    /// Gives the code `name`, unless it has it already.
    pub fn add_name(&mut self, name: &str) {
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_owned());
        }
    }

    /// A numeric code that reads as an error's number: hex, or a decimal of four
    /// digits or more. `1`, `2`, `3` where a table has no header to say so number
    /// steps far more often than they name errors.
    pub fn is_error_number(&self) -> bool {
        self.value.is_some()
            && (self.code.starts_with("0x") || self.code.trim_start_matches('-').len() >= 4)
    }
}

/// What a code cell held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CodeCell {
    pub codes: Vec<ParsedCode>,
    /// Text that followed the codes, e.g. the message after `AADSTS50126:`.
    pub rest: String,
    /// True where the text followed with no `:` to set it off: two cells run together.
    pub rest_is_merged: bool,
    pub problems: Vec<(DiagnosticKind, String)>,
}

/// `0x` + 8 upper-case hex digits.
pub fn canonical_hex(value: u32) -> String {
    format!("0x{value:08X}")
}

/// Canonical text for a numeric code: hex for HRESULT-like values, decimal for small
/// positive ones (WinHTTP `12002` stays `12002`).
pub fn canonical_numeric(value: u32, written_as_hex: bool) -> String {
    if written_as_hex || value >= 0x8000_0000 {
        canonical_hex(value)
    } else {
        value.to_string()
    }
}

/// Why a number is not a 32-bit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    OutOfRange,
    Malformed,
}

/// Parses `0x…` in any case. More than 32 significant bits is out of range.
pub fn parse_hex(text: &str) -> Result<u32, NumberError> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or(NumberError::Malformed)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NumberError::Malformed);
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 8 {
        return Err(NumberError::OutOfRange);
    }
    u32::from_str_radix(
        if significant.is_empty() {
            "0"
        } else {
            significant
        },
        16,
    )
    .map_err(|_| NumberError::Malformed)
}

/// Parses a decimal code: signed 32-bit (HRESULTs written negative) or unsigned 32-bit.
pub fn parse_decimal(text: &str) -> Result<u32, NumberError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::Malformed);
    }
    let magnitude: u64 = if digits.len() > 12 {
        return Err(NumberError::OutOfRange);
    } else {
        digits.parse().map_err(|_| NumberError::Malformed)?
    };
    if negative {
        if magnitude > 1 << 31 {
            return Err(NumberError::OutOfRange);
        }
        Ok((-(magnitude as i64)) as i32 as u32)
    } else {
        u32::try_from(magnitude).map_err(|_| NumberError::OutOfRange)
    }
}

/// An identifier that reads as a code or symbol rather than as a word: it has an
/// underscore, a digit, or a capital after its first letter (`AccessDenied`,
/// `CONTACT_SUPPORT`, `AADSTS50126`), and no other punctuation.
pub fn is_code_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || word.len() < 2 {
        return false;
    }
    let mut marked = false;
    for c in chars {
        if !(c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
        marked |= c == '_' || c.is_ascii_digit() || c.is_ascii_uppercase();
    }
    marked
}

/// An error's name in camel case and nothing else (`InvalidSoftMatch`,
/// `AttributeValueMustBeUnique`): letters only, a capital first and another after
/// a small letter.
pub fn is_camel_name(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(u8::is_ascii_alphabetic)
        && bytes
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// A name in words with a number after it (`WebView2`, `Win32`, `OAuth2`, `IPv6`):
/// small letters, no underscore, and digits only at its end. Products and protocols
/// are named so; codes that carry letters and a number are written in capitals
/// (`AADSTS50126`, `IDX10501`) or with an underscore (`SSPR_009`).
pub fn is_versioned_name(word: &str) -> bool {
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    letters.len() < word.len()
        && letters.bytes().all(|b| b.is_ascii_alphabetic())
        && letters.bytes().any(|b| b.is_ascii_lowercase())
}

/// A family of HRESULTs written with its last digits left open (`0x800xxxxx`,
/// `0x8024XXXX`): a title over the codes it covers, never one code.
pub fn is_code_family(word: &str) -> bool {
    let Some(digits) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) else {
        return false;
    };
    let known = digits.trim_end_matches(['x', 'X']);
    digits.len() == 8 && known.len() < 8 && known.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A word of capitals alone (`NPS`, `TPM`): an acronym, which no page writes a
/// code as without a digit or an underscore in it.
fn is_acronym(code: &ParsedCode) -> bool {
    code.value.is_none() && code.code.bytes().all(|b| b.is_ascii_uppercase())
}

/// A code written as a name with a digit or an underscore in it (`AADSTS50017`,
/// `IDX10501`, `E_FAIL`): after a label, the code the label names. A word such as
/// `Type` or `ID` is not one.
fn is_string_code(word: &str) -> bool {
    is_code_identifier(word) && word.bytes().any(|b| b.is_ascii_digit() || b == b'_')
}

/// A sign-in service error code: `AADSTS` and its number (`AADSTS50059`).
pub fn is_sign_in_code(word: &str) -> bool {
    word.strip_prefix("AADSTS")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An upper-case symbolic name such as `NTE_BAD_DATA` or `DSREG_E_DIRECTORY_FAILURE`.
pub fn is_symbol(word: &str) -> bool {
    word.contains('_')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Reads the codes in one segment of a code cell (cells split at `<br>` give several).
pub fn scan_segment(segment: &str, out: &mut CodeCell) {
    let mut cursor = Cursor { s: segment, pos: 0 };
    let codes_before = out.codes.len();
    // A line of its own between two codes' lines: `0x80090005<br>-or-<br>0x80090006`.
    if !out.codes.is_empty() && is_separator(segment) {
        return;
    }
    // A code's other spellings on the line after it: `**NAME**<br>(0x…/-…)`.
    cursor.other_spellings(out);
    // A number's symbolic name on the line after it: `2149056536 (0x80180018)<br>
    // MENROLL_E_USERLICENSE`, as `0x80004005 E_FAIL` gives it on one line.
    if cursor.pos == 0 {
        if let Some(last) = out.codes.last_mut().filter(|c| c.value.is_some()) {
            let name = narrowed(segment.trim());
            if is_symbol(&name) {
                last.add_name(&name);
                return;
            }
        }
    }
    cursor.skip_label();
    let mut first = true;
    loop {
        cursor.skip_space();
        let before = cursor.pos;
        if !first && !cursor.eat_separator() {
            cursor.pos = before;
            break;
        }
        cursor.skip_space();
        let Some(code) = cursor.code(out) else {
            cursor.pos = before;
            break;
        };
        if let Some(code) = code {
            out.codes.push(code);
            // `0x80090007 (-2146893817)`: the same code as a decimal.
            cursor.other_spellings(out);
            // `0x80004005 E_FAIL`: its name, bare.
            cursor.bare_name(out);
        }
        first = false;
    }
    cursor.skip_space();
    let mut rest = &segment[cursor.pos..];
    // A code cell's closing punctuation (`0x80090005.`) is not text run into it.
    if !out.codes.is_empty()
        && rest
            .chars()
            .all(|c| matches!(narrow(c), '.' | ',' | ';' | '。' | '、'))
    {
        rest = "";
    }
    let mut merged = !rest.is_empty();
    // A colon, or a dash with a space after it, sets the text off from the codes:
    // `0x801C03EE: The device…`, `0x801C03EE - The device…`.
    let set_off = rest.strip_prefix([':', '：']).or_else(|| {
        (out.codes.len() > codes_before)
            .then(|| rest.strip_prefix(DASHES))
            .flatten()
            .filter(|after| after.starts_with(char::is_whitespace))
    });
    if let Some(stripped) = set_off {
        rest = stripped.trim_start();
        merged = false;
    }
    // An acronym with words run on after it (`NPS Extension for …`) opens a
    // sentence: no code is read from it.
    if merged && out.codes.len() == codes_before + 1 && is_acronym(&out.codes[codes_before]) {
        out.codes.truncate(codes_before);
        rest = segment.trim();
        merged = false;
    }
    // Words every code's line repeats (`0x80073BC3 - 0x20009<br>0x80073B92 -
    // 0x20009`, the setup phase each failed in) are said once.
    if !rest.is_empty() && out.rest != rest {
        if !out.rest.is_empty() {
            out.rest.push(' ');
        }
        out.rest.push_str(rest);
        out.rest_is_merged |= merged && !out.codes.is_empty();
    }
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// A label before a number (`Error: 0x801C03F1`, `HRESULT 0x801C03F5`), or two
    /// (`Error hr 0x8007064C`), or before a string code (`Error AADSTS50017`,
    /// `Error code: E_FAIL`), consumed only where such a code follows: the code is
    /// the code, not the label.
    fn skip_label(&mut self) {
        let before = self.pos;
        for _ in 0..2 {
            if !self.take_label() {
                break;
            }
            let word = narrowed(self.word());
            if number_word(&word).is_some() || is_string_code(&word) {
                return;
            }
        }
        self.pos = before;
    }

    /// One label and the space or colon after it, in English or as a translated page
    /// writes it (`Fehlercode 0x80180014`, `Code d'erreur : 0x80180014`).
    fn take_label(&mut self) -> bool {
        const LABELS: [&str; 44] = [
            "error code",
            "exit code",
            "code d'erreur",
            "code d’erreur",
            "código de error",
            "código de erro",
            "codice di errore",
            "codice errore",
            "код ошибки",
            "오류 코드",
            "error",
            "hresult",
            "hr",
            "code",
            "status",
            "win32",
            "エラー コード",
            "エラーコード",
            "エラー",
            "コード",
            "fehlercode",
            "fehler",
            "erreur",
            "errore",
            "erro",
            "foutcode",
            "fout",
            "错误代码",
            "错误",
            "錯誤碼",
            "錯誤",
            "오류",
            "ошибка",
            "код",
            "kod błędu",
            "błąd",
            "felkod",
            "fel",
            "hata kodu",
            "hata",
            "kód chyby",
            "chyba",
            "hibakód",
            "hiba",
        ];
        // The ASCII letters a label opens with, as bits.
        const OPENINGS: u128 = {
            let (mut bits, mut i) = (0u128, 0);
            while i < LABELS.len() {
                let byte = LABELS[i].as_bytes()[0];
                if byte.is_ascii() {
                    bits |= 1 << byte;
                }
                i += 1;
            }
            bits
        };
        let rest = self.rest();
        // Most cells open with a number or a name, and no label opens so.
        let Some(&byte) = rest.as_bytes().first() else {
            return false;
        };
        if byte.is_ascii() && OPENINGS & (1 << byte.to_ascii_lowercase()) == 0 {
            return false;
        }
        let Some(first) = rest.chars().next().and_then(|c| c.to_lowercase().next()) else {
            return false;
        };
        for label in LABELS {
            if !label.starts_with(first) {
                continue;
            }
            let labelled = rest
                .get(..label.len())
                .is_some_and(|r| match label.is_ascii() {
                    true => r.eq_ignore_ascii_case(label),
                    false => r.chars().flat_map(char::to_lowercase).eq(label.chars()),
                });
            if !labelled {
                continue;
            }
            let after = &rest[label.len()..];
            // `hr=800700CE`, as logs write it, is labelled as with a colon.
            // `Error - AADSTS75011 …`, as titles write it, is labelled as with a
            // colon; `Error -2145647635` is a negative number after its label.
            let colon = after.trim_start().starts_with([':', '：', '='])
                || (after.starts_with(' ')
                    && (after.trim_start().strip_prefix(DASHES))
                        .is_some_and(|rest| rest.starts_with(char::is_whitespace)));
            if colon || after.starts_with(char::is_whitespace) {
                self.pos += label.len();
                self.skip_space();
                if colon {
                    self.pos += self.rest().chars().next().map_or(0, char::len_utf8);
                    self.skip_space();
                }
                return true;
            }
        }
        false
    }

    /// Spaces, and a dash that stands between two words (`0x80004005 - E_FAIL`).
    fn skip_dash(&mut self) {
        self.skip_space();
        let rest = self.rest();
        let after = rest.strip_prefix(DASHES).filter(|r| r.starts_with(' '));
        if let Some(after) = after {
            self.pos += rest.len() - after.len();
            self.skip_space();
        }
    }

    /// A symbolic name right after a number, with no parentheses: `0x80004005
    /// E_FAIL`, `0x80004005 - E_FAIL`. Consumed as the number's name.
    fn bare_name(&mut self, out: &mut CodeCell) {
        let before = self.pos;
        self.skip_dash();
        let written = self.word();
        let name = narrowed(written);
        match out.codes.last_mut() {
            Some(last) if last.value.is_some() && is_symbol(&name) => {
                self.pos += written.len();
                last.add_name(&name);
            }
            _ => self.pos = before,
        }
    }

    /// One of the [`SEPARATORS`] between two codes; a word with the space after it.
    fn eat_separator(&mut self) -> bool {
        let rest = self.rest();
        for sep in SEPARATORS {
            if !rest
                .get(..sep.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(sep))
            {
                continue;
            }
            // A word in a script that spaces its words needs the space after it;
            // Japanese runs the next code on (`または**StrongAuthentication…**`).
            let word = sep.chars().all(|c| c.is_alphabetic() && c < '\u{3000}');
            if !word || rest[sep.len()..].starts_with(' ') {
                self.pos += sep.len() + usize::from(word);
                return true;
            }
        }
        false
    }

    /// The word at the cursor, as written: letters, digits, `_` and `-`, in ASCII or
    /// in the widths [`narrow`] reads.
    fn word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest
            .find(|c: char| {
                let c = narrow(c);
                !(c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .unwrap_or(rest.len());
        &rest[..end]
    }

    /// One code at the cursor: `Some(Some(code))`, `Some(None)` for a number that is
    /// out of range (reported), `None` where no code starts here.
    fn code(&mut self, out: &mut CodeCell) -> Option<Option<ParsedCode>> {
        let written = self.word();
        let (written_len, word) = (written.len(), narrowed(written));
        if word.is_empty() {
            return None;
        }
        // The hyphens after a word (`0x80070003- 0x20007`, `NAME-`) set it off, as a
        // dash with spaces would, and stay unread, in whatever width.
        let ident = word.trim_end_matches('-');
        let hyphens = || {
            self.rest()[..written_len]
                .chars()
                .rev()
                .take_while(|&c| narrow(c) == '-')
                .map(char::len_utf8)
                .sum::<usize>()
        };
        if ident.len() < word.len() {
            if let Some(Ok(value)) = number_word(ident) {
                self.pos += written_len - hyphens();
                return Some(numeric(ident, Ok(value), Vec::new(), out));
            }
        }
        if let Some(number) = number_word(&word) {
            self.pos += written_len;
            return Some(numeric(&word, number, Vec::new(), out));
        }
        if !is_code_identifier(ident) {
            return None;
        }
        self.pos += written_len - hyphens();
        let after_ident = self.pos;
        self.skip_space();
        if let Some(group) = self.paren_group() {
            if let Some(code) = pair(ident, &narrowed(group), out) {
                return Some(code);
            }
        }
        // `TenantSSPRFlagDisabled = 9`: a name set equal to its number, as an enum
        // declares it, and as `NAME (9)` gives it.
        self.pos = after_ident;
        self.skip_space();
        if let Some(after) = self.rest().strip_prefix(['=', '＝']) {
            self.pos += self.rest().len() - after.len();
            self.skip_space();
            if let Some(code) = self.named_number(ident, out) {
                return Some(code);
            }
        }
        // `E_FAIL 0x80004005`, `E_FAIL - 0x80004005`: a name, then its number bare.
        if is_symbol(ident) {
            self.pos = after_ident;
            self.skip_dash();
            if let Some(code) = self.named_number(ident, out) {
                return Some(code);
            }
        }
        self.pos = after_ident;
        Some(Some(ParsedCode::string(ident)))
    }

    /// The number at the cursor, consumed as the code `name` names: `Some(None)` for
    /// one out of range (reported), `None` where no number starts here.
    fn named_number(&mut self, name: &str, out: &mut CodeCell) -> Option<Option<ParsedCode>> {
        let written = self.word();
        let word = narrowed(written);
        let number = number_word(&word)?;
        self.pos += written.len();
        Some(numeric(&word, number, vec![name.to_owned()], out))
    }

    /// `( … )` after the cell's last code that spells it otherwise, consumed: a
    /// name's `(hex/decimal)`, which makes it that number's name, or a number's own
    /// `(decimal)` or `(hex)`, checked against it. Anything else is left unread.
    fn other_spellings(&mut self, out: &mut CodeCell) {
        let before = self.pos;
        self.skip_space();
        let (Some(group), Some(last)) = (self.paren_group(), out.codes.last()) else {
            self.pos = before;
            return;
        };
        let group = narrowed(group).into_owned();
        match last.value {
            // A name whose pair is on another line; a group with no number in it
            // leaves the name a string code.
            None => {
                let name = last.code.clone();
                // A string code's name in camel case: `AADSTS76021
                // (ApplicationRequiresSignedRequests)`.
                if is_string_code(&name) && is_camel_name(group.trim()) {
                    if let Some(last) = out.codes.last_mut() {
                        last.add_name(group.trim());
                    }
                    return;
                }
                match pair(&name, &group, out) {
                    Some(code) => {
                        out.codes.pop();
                        out.codes.extend(code);
                    }
                    None => self.pos = before,
                }
            }
            // The number's own other spellings, and its names: `(-2146893817)`,
            // `(DSREG_E_X)`, `(NTE_BAD_KEY/-2146893821)`.
            Some(value) => {
                let parts: Vec<&str> = group.split('/').map(str::trim).collect();
                let numbers: Vec<(&str, Result<u32, NumberError>)> = parts
                    .iter()
                    .filter_map(|part| number_word(part).map(|n| (*part, n)))
                    .collect();
                let names: Vec<&str> = parts.iter().copied().filter(|p| is_symbol(p)).collect();
                let spells_it = numbers.iter().all(|(part, _)| could_spell(part, value));
                if numbers.len() + names.len() != parts.len() || !spells_it {
                    self.pos = before;
                    return;
                }
                let code = last.code.clone();
                for (part, number) in numbers {
                    out.problems
                        .extend(spelling_problem(&code, value, part, number));
                }
                if let Some(last) = out.codes.last_mut() {
                    for name in names {
                        last.add_name(name);
                    }
                }
            }
        }
    }

    /// `( … )` right at the cursor, in either width, consumed; its inside returned.
    fn paren_group(&mut self) -> Option<&str> {
        let rest = &self.s[self.pos..];
        let inner = rest.strip_prefix(['(', '（'])?;
        let close = inner.find([')', '）'])?;
        let closer = inner[close..].chars().next().map_or(1, char::len_utf8);
        self.pos += rest.len() - inner.len() + close + closer;
        Some(&inner[..close])
    }
}

/// Whether `written`, a number in parentheses after the code `value`, can be one of
/// its spellings: a hex number, or a decimal with about as many digits as the code's
/// own decimal, signed or not. A typo in a spelling drops or adds a digit at most;
/// `0x80090016 (1809)` gives a Windows version beside the code, not its decimal.
fn could_spell(written: &str, value: u32) -> bool {
    if written.starts_with("0x") || written.starts_with("0X") || is_bare_hresult(written) {
        return true;
    }
    let digits = |n: u64| n.checked_ilog10().map_or(1, |log| log as usize + 1);
    let length = written.trim_start_matches('-').len();
    let signed = u64::from((value as i32).unsigned_abs());
    [digits(signed), digits(u64::from(value))]
        .iter()
        .any(|&own| length.abs_diff(own) <= 1)
}

/// The ASCII character `c` stands for where a page writes a code in another width:
/// the full-width forms of a Japanese or Chinese page (`０ｘ８００９０００５`), the
/// minus sign `−` of typeset numbers, the ideographic space. Everything else is
/// itself.
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{2212}' => '-',
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// `text` with every character [`narrow`]ed; ASCII, as nearly every code is, as it
/// is.
fn narrowed(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().map(narrow).collect())
    }
}

/// The dashes that stand between a code and its name or text: `0x80004005 - E_FAIL`.
pub(crate) const DASHES: [char; 3] = ['-', '–', '—'];

/// What joins two codes in a cell: `,`, `/`, `-or-`, and the words `or` and `and`
/// and theirs in the languages the docs are translated into most (`**InvalidFormat**
/// oder **…**`, `または`), which need a space after them where their script spaces its
/// words (`or 0x…`, not `order`); `，` and `／` in full width.
const SEPARATORS: [&str; 28] = [
    ",",
    "/",
    "-or-",
    "or",
    "and",
    "，",
    "／",
    "または",
    "と",
    "oder",
    "und",
    "ou",
    "et",
    "o",
    "y",
    "e",
    "of",
    "en",
    "или",
    "и",
    "或",
    "和",
    "또는",
    "lub",
    "eller",
    "veya",
    "nebo",
    "vagy",
];

/// A segment that only joins two codes' lines: one of the [`SEPARATORS`] alone.
fn is_separator(segment: &str) -> bool {
    let word = narrowed(segment.trim()).into_owned();
    SEPARATORS.iter().any(|sep| word.eq_ignore_ascii_case(sep))
}

/// What is wrong with `written`, another spelling of `code` whose value is `value`,
/// read as `number`: a different number, or none that fits. The code is kept.
pub fn spelling_problem(
    code: &str,
    value: u32,
    written: &str,
    number: Result<u32, NumberError>,
) -> Option<(DiagnosticKind, String)> {
    let message = match number {
        Ok(n) if n == value => return None,
        Ok(n) => format!(
            "{code}: `{written}` is {} but the code is {}; keeping the code{}",
            canonical_hex(n),
            canonical_hex(value),
            sign_slip(written, value)
        ),
        Err(_) => format!(
            "{code}: `{written}` is not a 32-bit number; keeping the code{}",
            sign_slip(written, value)
        ),
    };
    Some((DiagnosticKind::HexDecimalMismatch, message))
}

/// Where a decimal that does not spell `value` would with one minus sign, a sign
/// slipped (`2146893802` for `-2146893802`, `--1073445695`): what the reader needs
/// to fix the page, said after the problem.
fn sign_slip(written: &str, value: u32) -> String {
    let digits = written.trim_start_matches('-');
    [format!("-{digits}"), digits.to_owned()]
        .into_iter()
        .find(|spelled| spelled != written && parse_decimal(spelled) == Ok(value))
        .map(|spelled| format!(" (`{spelled}` would spell it)"))
        .unwrap_or_default()
}

/// A word that is written as a number: hex, a decimal with at most one sign, or an
/// HRESULT's eight hex digits without their `0x` (`8018000a`, `80070005`), whose
/// first digit sets the failure bit: pages and logs write them so, and no error's
/// decimal is eight digits from 80000000 up.
pub fn number_word(word: &str) -> Option<Result<u32, NumberError>> {
    if word.starts_with("0x") || word.starts_with("0X") {
        return Some(parse_hex(word));
    }
    if is_bare_hresult(word) {
        return Some(u32::from_str_radix(word, 16).map_err(|_| NumberError::Malformed));
    }
    let digits = word.strip_prefix('-').unwrap_or(word);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(parse_decimal(word));
    }
    None
}

/// Eight hex digits whose first sets the failure bit: an HRESULT without its `0x`.
pub fn is_bare_hresult(word: &str) -> bool {
    word.len() == 8 && word.bytes().all(|b| b.is_ascii_hexdigit()) && opens_as_failure(word)
}

/// `0x` and eight characters: an HRESULT written out, where they are its hex digits.
pub fn is_hresult_form(word: &str) -> bool {
    word.len() == 10 && (word.starts_with("0x") || word.starts_with("0X"))
}

/// Hex digits whose first, as an HRESULT's first, sets the failure bit (`8` to `F`).
pub fn opens_as_failure(digits: &str) -> bool {
    matches!(
        digits.as_bytes().first(),
        Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
    )
}

/// Seven hex digits whose first sets the failure bit, as an HRESULT's first does: a
/// digit lost from `0x8007002X`, not a small code written with no leading zero.
fn looks_short(digits: &str) -> bool {
    digits.len() == 7 && opens_as_failure(digits)
}

fn numeric(
    written: &str,
    number: Result<u32, NumberError>,
    names: Vec<String>,
    out: &mut CodeCell,
) -> Option<ParsedCode> {
    match number {
        Ok(value) => {
            let hex = written.starts_with("0x") || written.starts_with("0X");
            if hex && looks_short(&written[2..]) {
                out.problems.push((
                    DiagnosticKind::ShortHresult,
                    format!(
                        "`{written}` has seven hex digits, one short of an HRESULT; read as written, {}",
                        canonical_hex(value)
                    ),
                ));
            }
            Some(ParsedCode {
                code: canonical_numeric(value, hex),
                value: Some(value),
                names,
            })
        }
        Err(NumberError::OutOfRange) => {
            out.problems.push((
                DiagnosticKind::CodeOutOfRange,
                format!("`{written}` does not fit in 32 bits; not read as a code"),
            ));
            None
        }
        Err(NumberError::Malformed) => {
            out.problems.push((
                DiagnosticKind::MalformedCode,
                format!("`{written}` is not a hex number; not read as a code"),
            ));
            None
        }
    }
}

/// `NAME (hex/decimal)`, `NAME (decimal/ hex)` or `NAME (decimal)`. `None` where the
/// group holds no number, so that the name is read as a string code instead.
fn pair(name: &str, group: &str, out: &mut CodeCell) -> Option<Option<ParsedCode>> {
    let parts: Vec<&str> = group.split('/').map(str::trim).collect();
    let hex: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| p.starts_with("0x") || p.starts_with("0X"))
        .collect();
    let others: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !(p.starts_with("0x") || p.starts_with("0X")))
        .collect();
    let names = vec![name.to_owned()];
    if let Some(&hex_text) = hex.first() {
        let hex_value = parse_hex(hex_text);
        let Ok(value) = hex_value else {
            return Some(numeric(hex_text, hex_value, names, out));
        };
        for decimal in others {
            match parse_decimal(decimal) {
                Ok(d) if d == value => {}
                Ok(d) => out.problems.push((
                    DiagnosticKind::HexDecimalMismatch,
                    format!(
                        "{name}: decimal {decimal} is {} but hex is {}; keeping the hex{}",
                        canonical_hex(d),
                        canonical_hex(value),
                        sign_slip(decimal, value)
                    ),
                )),
                Err(_) => out.problems.push((
                    DiagnosticKind::HexDecimalMismatch,
                    format!(
                        "{name}: `{decimal}` is not a 32-bit decimal; keeping the hex {}{}",
                        canonical_hex(value),
                        sign_slip(decimal, value)
                    ),
                )),
            }
        }
        let first = ParsedCode {
            code: canonical_hex(value),
            value: Some(value),
            names,
        };
        // A name given as two hex values (`(-1073445695 / 0xc00484c1 / 0x800484c1)`,
        // an NTSTATUS and the HRESULT a log may show instead) is both codes.
        let mut more = Vec::new();
        for &text in &hex[1..] {
            match parse_hex(text) {
                Ok(other) if other == value => {}
                Ok(other) => more.push(ParsedCode {
                    code: canonical_hex(other),
                    value: Some(other),
                    names: first.names.clone(),
                }),
                Err(_) => out.problems.push((
                    DiagnosticKind::MalformedCode,
                    format!("{name}: `{text}` is not a 32-bit hex code"),
                )),
            }
        }
        let Some(last) = more.pop() else {
            return Some(Some(first));
        };
        out.codes.push(first);
        out.codes.extend(more);
        return Some(Some(last));
    }
    match others.as_slice() {
        [decimal] => number_word(decimal).map(|n| numeric(decimal, n, names, out)),
        _ => None,
    }
}

/// The codes a line of text names somewhere in it rather than opens with, each once:
/// written as an HRESULT (`0x` and eight hex digits), as in `Securing your hardware
/// (Failed: 0x800705b4)`, or as an error's number after a label, as in `Something
/// went wrong. Error Code 80070774.` or `Terminal error code 1007 and exit code
/// -2145648574`. Prose names numbers too freely for any other spelling to count.
pub fn named_codes(text: &str) -> Vec<ParsedCode> {
    let text = narrowed(text);
    let mut found: Vec<ParsedCode> = Vec::new();
    // Most headings and lines name no number at all.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    let mut after_word = false;
    // Where the two words before this one start: a label is one or two words.
    let mut before: [Option<usize>; 2] = [None; 2];
    for (at, c) in text.char_indices() {
        let in_word = c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let starts = in_word && !after_word;
        after_word = in_word;
        if !starts {
            continue;
        }
        let earlier = before;
        before = [before[1], Some(at)];
        let word = Cursor { s: &text, pos: at }.word();
        if is_sign_in_code(word) {
            // The sign-in service's prefix says what the word is, wherever it stands
            // (`… Error: 'AADSTS50059: No tenant-identifying information …`).
            if !found.iter().any(|c| c.code == word) {
                found.push(ParsedCode::string(word));
            }
            continue;
        }
        let Some(Ok(value)) = number_word(word) else {
            continue;
        };
        let hresult = is_hresult_form(word);
        let labelled = || {
            earlier.into_iter().flatten().any(|from| {
                let mut cursor = Cursor {
                    s: &text,
                    pos: from,
                };
                cursor.skip_label();
                cursor.pos == at
            })
        };
        let code = ParsedCode {
            code: canonical_numeric(value, hresult),
            value: Some(value),
            names: Vec::new(),
        };
        // A Japanese label runs on from the words before it (`終了コード -2145648607`,
        // exit code): it ends the text before the number.
        let before = text[..at].trim_end();
        let japanese = || ["コード", "エラー"].iter().any(|l| before.ends_with(l));
        // Words that say the number is an error's make a short one an error's too
        // (`fails with exit code 51`, `終了コード 51 で失敗`); after `code` or `error`
        // alone it is as often a step's, a count's or a version's.
        let says_code = || {
            const SAYS: [&str; 5] = [
                "exit code",
                "error code",
                "終了コード",
                "エラー コード",
                "エラーコード",
            ];
            SAYS.iter().any(|words| {
                let start = before.len().saturating_sub(words.len());
                let said = (before.get(start..)).is_some_and(|t| t.eq_ignore_ascii_case(words));
                // `terror code 5` says nothing: an English word starts where a word does.
                said && (!words.is_ascii() || !before[..start].ends_with(char::is_alphanumeric))
            })
        };
        let short = code.value.is_some() && !code.is_error_number() && !word.starts_with('-');
        let counts =
            hresult || code.is_error_number() && (labelled() || japanese()) || short && says_code();
        if !counts {
            continue;
        }
        if !found.iter().any(|c| c.value == code.value) {
            found.push(code);
        }
    }
    found
}

/// Reads every code in a cell given as its line segments. A code the cell gives twice
/// (`0x801C03F4 / -2145647628`) is one code, with the names of both.
pub fn scan_cell<'a>(segments: impl IntoIterator<Item = &'a str>) -> CodeCell {
    let mut out = CodeCell::default();
    for segment in segments {
        scan_segment(segment, &mut out);
    }
    let mut next = 1;
    while next < out.codes.len() {
        let code = &out.codes[next].code;
        match out.codes[..next].iter().position(|c| c.code == *code) {
            Some(first) => {
                for name in out.codes.remove(next).names {
                    if !out.codes[first].names.contains(&name) {
                        out.codes[first].names.push(name);
                    }
                }
            }
            None => next += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        scan_cell([text])
            .codes
            .into_iter()
            .map(|c| c.code)
            .collect()
    }

    #[test]
    fn hex_in_any_case_folds_to_one_code() {
        assert_eq!(codes("0X80072F0C"), ["0x80072F0C"]);
        assert_eq!(codes("0x80072f0c"), ["0x80072F0C"]);
        assert_eq!(codes("0x801c004D"), ["0x801C004D"]);
    }

    #[test]
    fn a_dash_run_on_after_a_number_sets_it_off() {
        // Windows upgrade's `0x80070003- 0x20007`: a result code and its extend code.
        let cell = scan_cell(["0x80070003- 0x20007"]);
        assert_eq!(cell.codes[0].code, "0x80070003");
        assert_eq!(
            (cell.rest.as_str(), cell.rest_is_merged),
            ("0x20007", false)
        );
        assert!(cell.problems.is_empty(), "{:?}", cell.problems);
        // A number the dash does not end is malformed still.
        assert_eq!(codes("0x8007ZZ03-"), Vec::<String>::new());
    }

    #[test]
    fn decimal_is_read_as_signed_32_bit() {
        assert_eq!(parse_decimal("-2145647635"), Ok(0x801C_03ED));
        assert_eq!(parse_decimal("2149319661"), Ok(0x801C_03ED));
        assert_eq!(parse_decimal("-2147483649"), Err(NumberError::OutOfRange));
        assert_eq!(parse_decimal("4294967296"), Err(NumberError::OutOfRange));
        assert_eq!(parse_decimal("--1"), Err(NumberError::Malformed));
    }

    #[test]
    fn named_pairs_in_either_order() {
        let cell = scan_cell(["DSREG_SERVER_BUSY (0x801c0025/-2145648603)"]);
        assert_eq!(cell.codes[0].code, "0x801C0025");
        assert_eq!(cell.codes[0].names, ["DSREG_SERVER_BUSY"]);
        assert!(cell.problems.is_empty());
        let cell = scan_cell(["STATUS_LOGON_FAILURE (-1073741715/ 0xc000006d)"]);
        assert_eq!(cell.codes[0].code, "0xC000006D");
        assert!(cell.problems.is_empty());
    }

    #[test]
    fn a_mismatched_pair_keeps_the_hex_and_says_so() {
        let cell = scan_cell(["X_Y (--1073445695/ 0xc00484c1)"]);
        assert_eq!(cell.codes[0].code, "0xC00484C1");
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
        let cell = scan_cell(["X_Y (0x801c0025/-2145648604)"]);
        assert_eq!(cell.codes[0].code, "0x801C0025");
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
    }

    /// A decimal a minus sign from the code's says which spelling would match.
    #[test]
    fn a_slipped_sign_is_named() {
        let said = |text: &str| scan_cell([text]).problems[0].1.clone();
        let dropped = said("NTE_BAD_KEYSET (0x80090016/2146893802)");
        assert!(
            dropped.ends_with(" (`-2146893802` would spell it)"),
            "{dropped}"
        );
        let doubled = said("X_Y (--1073445695/ 0xc00484c1)");
        assert!(
            doubled.ends_with(" (`-1073445695` would spell it)"),
            "{doubled}"
        );
        // A decimal that is wrong in its digits names no spelling.
        let digits = said("X_Y (0x801c0025/-2145648604)");
        assert!(!digits.contains("would spell"), "{digits}");
        let (_, column) =
            spelling_problem("0x80090016", 0x8009_0016, "2146893802", Ok(2_146_893_802))
                .expect("a mismatch");
        assert!(
            column.ends_with(" (`-2146893802` would spell it)"),
            "{column}"
        );
    }

    #[test]
    fn a_number_too_short_to_spell_the_code_is_text() {
        // A version beside an HRESULT is not its decimal: no mismatch, and the
        // number stays in the cell's text.
        let cell = scan_cell(["0x80090016 (1809)"]);
        assert_eq!(cell.codes[0].code, "0x80090016");
        assert_eq!(cell.problems, []);
        assert_eq!(cell.rest, "(1809)");
        // A digit dropped from the decimal is still a spelling gone wrong.
        let cell = scan_cell(["0x801C03ED (-214564763)"]);
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
        assert_eq!(cell.rest, "");
        // A small code's decimal is short, and checked.
        assert_eq!(scan_cell(["0x00000005 (5)"]).problems, []);
        let cell = scan_cell(["0x00000005 (50)"]);
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
        // The unsigned decimal, and the eight hex digits without `0x`, still spell it.
        assert_eq!(scan_cell(["0x801C03ED (2149319661)"]).problems, []);
        assert_eq!(scan_cell(["0x801C03ED (801c03ed)"]).problems, []);
        let cell = scan_cell(["0x801C03ED (801c03ee)"]);
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
    }

    #[test]
    fn an_acronym_that_opens_a_sentence_is_no_code() {
        let cell = scan_cell(["NPS Extension for Microsoft Entra (AccessReject):"]);
        assert_eq!(cell.codes, []);
        assert_eq!(
            cell.rest,
            "NPS Extension for Microsoft Entra (AccessReject):"
        );
        assert!(!cell.rest_is_merged);
        // A code with a digit or an underscore, or in camel case, is still one,
        // with the text run on after it.
        assert_eq!(
            codes("REQUEST_FORMAT_ERROR Radius Request missing"),
            ["REQUEST_FORMAT_ERROR"]
        );
        assert_eq!(codes("AADSTS50126 Error validating"), ["AADSTS50126"]);
        assert_eq!(codes("AccessDenied Caller tenant"), ["AccessDenied"]);
        // Alone, or set off from its text, it is read as before.
        assert_eq!(codes("NPS"), ["NPS"]);
        assert_eq!(codes("NPS: the extension"), ["NPS"]);
    }

    #[test]
    fn an_hresult_without_its_0x_is_hex() {
        assert_eq!(codes("8018000a"), ["0x8018000A"]);
        assert_eq!(codes("80070005"), ["0x80070005"]);
        assert_eq!(
            codes("Error 8018000a: Something went wrong"),
            ["0x8018000A"]
        );
        assert_eq!(scan_cell(["80070005 (-2147024891)"]).problems, []);
        // Eight digits without the failure bit are a decimal, as before.
        assert_eq!(codes("12345678"), ["12345678"]);
        // Given beside its 0x spelling, it is the same code, not a mismatch.
        assert!(scan_cell(["0x80070005 (80070005)"]).problems.is_empty());
    }

    #[test]
    fn a_label_before_a_number_is_not_the_code() {
        assert_eq!(codes("Error: 0x801C03F1"), ["0x801C03F1"]);
        assert_eq!(codes("HRESULT 0x801c03f5"), ["0x801C03F5"]);
        assert_eq!(codes("Error code 12002"), ["12002"]);
        assert_eq!(codes("hr: -2145647635"), ["0x801C03ED"]);
        assert_eq!(codes("エラー: 0x801C03F0"), ["0x801C03F0"]);
        assert_eq!(codes("エラー コード：0x801C03F0"), ["0x801C03F0"]);
        assert_eq!(codes("Error hr 0x8007064c"), ["0x8007064C"]);
        assert_eq!(codes("Error code: HRESULT 0x801C03F5"), ["0x801C03F5"]);
        // With no number after it, a label-like word is what the cell gives.
        assert_eq!(codes("HRESULT"), ["HRESULT"]);
        assert_eq!(codes("ERROR_WINHTTP_TIMEOUT (12002)"), ["12002"]);
        assert!(scan_cell(["Error: 0x801C03F1"]).rest.is_empty());
        // A log's `hr=` is a label too.
        assert_eq!(codes("hr=800700CE"), ["0x800700CE"]);
        assert_eq!(codes("Error=0x80070005"), ["0x80070005"]);
        // Nor before a string code.
        assert_eq!(codes("Error AADSTS50017"), ["AADSTS50017"]);
        assert_eq!(codes("Error code: E_FAIL"), ["E_FAIL"]);
        let cell = scan_cell(["Error AADSTS50057 - User account is disabled"]);
        assert_eq!(cell.codes[0].code, "AADSTS50057");
        assert_eq!(cell.rest, "User account is disabled");
        // As translated pages write it.
        for text in [
            "Fehlercode 0x801C03F0",
            "Fehler: 0x801C03F0",
            "Code d'erreur : 0x801C03F0",
            "Erreur 0x801C03F0",
            "Código de error: 0x801C03F0",
            "Codice errore 0x801C03F0",
            "Foutcode 0x801C03F0",
            "错误代码：0x801C03F0",
            "錯誤碼 0x801C03F0",
            "오류 코드: 0x801C03F0",
            "Код ошибки: 0x801C03F0",
            "Kod błędu: 0x801C03F0",
            "Błąd: 0x801C03F0",
            "Felkod 0x801C03F0",
            "Fel: 0x801C03F0",
            "Hata kodu: 0x801C03F0",
            "Hata: 0x801C03F0",
            "Kód chyby: 0x801C03F0",
            "Chyba: 0x801C03F0",
            "Hibakód: 0x801C03F0",
            "Hiba: 0x801C03F0",
        ] {
            assert_eq!(codes(text), ["0x801C03F0"], "{text}");
            assert!(scan_cell([text]).rest.is_empty(), "{text}");
        }
        // A word after the label that is no code leaves the label the cell's text.
        assert!(codes("Error Type 114").is_empty());
        assert!(codes("Error ID 4625").is_empty());
    }

    #[test]
    fn names_in_parentheses_after_a_number_are_its_names() {
        let cell = scan_cell(["0x801C03F0 (DSREG_E_X)"]);
        assert_eq!(cell.codes[0].code, "0x801C03F0");
        assert_eq!(cell.codes[0].names, ["DSREG_E_X"]);
        assert!(cell.rest.is_empty() && cell.problems.is_empty());
        let cell = scan_cell(["0x80090016 (NTE_BAD_KEYSET/-2146893802)"]);
        assert_eq!(cell.codes[0].names, ["NTE_BAD_KEYSET"]);
        assert!(cell.problems.is_empty());
        let cell = scan_cell(["0x80090016 (NTE_BAD_KEYSET/-2146893801)"]);
        assert_eq!(cell.problems[0].0, DiagnosticKind::HexDecimalMismatch);
        // A name given two hex values is both codes, each with the name.
        let cell = scan_cell(["AAD_CLOUDAP_E_X (-1073445695 / 0xc00484c1 / 0x800484c1)"]);
        let codes: Vec<_> = (cell.codes.iter())
            .map(|c| (c.code.as_str(), c.names.clone()))
            .collect();
        assert_eq!(
            codes,
            [
                ("0xC00484C1", vec!["AAD_CLOUDAP_E_X".to_owned()]),
                ("0x800484C1", vec!["AAD_CLOUDAP_E_X".to_owned()]),
            ]
        );
        assert!(cell.problems.is_empty() && cell.rest.is_empty());
        let cell = scan_cell(["AAD_CLOUDAP_E_X (0xc00484c1 / 0x800484c1z)"]);
        assert_eq!(cell.codes[0].code, "0xC00484C1");
        assert_eq!(cell.problems[0].0, DiagnosticKind::MalformedCode);
        // Words in the parentheses are not names: they stay the cell's text.
        let cell = scan_cell(["0x80090016 (see below)"]);
        assert!(cell.codes[0].names.is_empty());
        assert_eq!(cell.rest, "(see below)");
    }

    #[test]
    fn families_of_codes_are_told_from_codes() {
        for word in ["0x800xxxxx", "0x8024XXXX", "0XC1900xxx", "0xxxxxxxxx"] {
            assert!(is_code_family(word), "{word}");
        }
        for word in [
            "0x80070005",
            "0x800xxxx",
            "0x800xxxxxx",
            "0x80g0xxxx",
            "800xxxxx",
        ] {
            assert!(!is_code_family(word), "{word}");
        }
    }

    #[test]
    fn names_with_a_version_are_told_from_string_codes() {
        for word in ["WebView2", "Win32", "OAuth2", "IPv6", "Office365"] {
            assert!(is_versioned_name(word), "{word}");
        }
        for word in [
            "AADSTS50126",
            "IDX10501",
            "SSPR_009",
            "WebView",
            "2fa",
            "E_FAIL",
        ] {
            assert!(!is_versioned_name(word), "{word}");
        }
    }

    #[test]
    fn words_each_codes_line_repeats_are_said_once() {
        let cell = scan_cell([
            "0x80073BC3 - 0x20009",
            "0x8007002E - 0x20009",
            "0x80073B92 - 0x20009",
        ]);
        assert_eq!(cell.codes.len(), 3);
        assert_eq!(cell.rest, "0x20009");
        // Different words, or the same words inside longer ones, are each kept.
        let cell = scan_cell(["0x80073BC3 - 0x20009", "0x80073B92 - 0x3000D"]);
        assert_eq!(cell.rest, "0x20009 0x3000D");
        let cell = scan_cell(["0x80073BC3 - Setup failed", "0x80073B92 - failed"]);
        assert_eq!(cell.rest, "Setup failed failed");
        let cell = scan_cell(["0x80073BC3 - A", "0x80073B92 - B", "0x80073B93 - A"]);
        assert_eq!(cell.rest, "A B A");
    }

    #[test]
    fn an_hresult_a_digit_short_is_read_as_written_and_reported() {
        let cell = scan_cell(["0x8007002"]);
        let codes: Vec<_> = cell.codes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["0x08007002"]);
        assert_eq!(cell.problems.len(), 1);
        assert_eq!(cell.problems[0].0, DiagnosticKind::ShortHresult);
        assert!(
            cell.problems[0].1.contains("`0x8007002`"),
            "{:?}",
            cell.problems
        );
        // Seven digits that do not open as an HRESULT, or eight, are codes as they are.
        for text in [
            "0x0800702",
            "0x1234567",
            "0x80070002",
            "0xC00D36C4",
            "0x8007",
        ] {
            assert!(scan_cell([text]).problems.is_empty(), "{text}");
        }
    }

    #[test]
    fn a_bare_name_beside_its_number_is_its_name() {
        for text in [
            "0x80004005 E_FAIL",
            "0x80004005 - E_FAIL",
            "E_FAIL 0x80004005",
            "E_FAIL — -2147467259",
        ] {
            let cell = scan_cell([text]);
            assert_eq!(cell.codes.len(), 1, "{text}");
            assert_eq!(cell.codes[0].code, "0x80004005", "{text}");
            assert_eq!(cell.codes[0].names, ["E_FAIL"], "{text}");
            assert!(cell.rest.is_empty() && !cell.rest_is_merged, "{text}");
        }
        // Two codes, each with its name.
        let cell = scan_cell(["0x80004005 E_FAIL, 0x80070005 E_ACCESSDENIED"]);
        let named: Vec<(&str, &[String])> = (cell.codes.iter())
            .map(|c| (c.code.as_str(), c.names.as_slice()))
            .collect();
        assert_eq!(
            named,
            [
                ("0x80004005", &["E_FAIL".to_owned()][..]),
                ("0x80070005", &["E_ACCESSDENIED".to_owned()][..]),
            ]
        );
        // A string code with text after it stays a string code.
        assert_eq!(
            codes("CONTACT_SUPPORT Contact support"),
            ["CONTACT_SUPPORT"]
        );
        // A word that is not a symbol stays the cell's text.
        assert_eq!(scan_cell(["0x80004005 Unspecified"]).rest, "Unspecified");
    }

    #[test]
    fn a_name_set_equal_to_its_number_is_that_numbers_name() {
        for (text, code, name) in [
            ("TenantSSPRFlagDisabled = 9", "9", "TenantSSPRFlagDisabled"),
            ("WritebackNotEnabled=10", "10", "WritebackNotEnabled"),
            ("E_FAIL = 0x80004005", "0x80004005", "E_FAIL"),
            ("UserNotLicensed ＝ １２", "12", "UserNotLicensed"),
        ] {
            let cell = scan_cell([text]);
            assert_eq!(cell.codes.len(), 1, "{text}");
            assert_eq!(cell.codes[0].code, code, "{text}");
            assert_eq!(cell.codes[0].names, [name], "{text}");
            assert!(cell.rest.is_empty() && !cell.rest_is_merged, "{text}");
        }
        // Set equal to no number, the name stays a string code and the rest its text.
        let cell = scan_cell(["OnPremisesSuccessCloudFailure = see below"]);
        assert_eq!(cell.codes[0].code, "OnPremisesSuccessCloudFailure");
        assert_eq!(cell.rest, "= see below");
    }

    #[test]
    fn a_dash_after_the_codes_sets_their_text_off() {
        for text in [
            "0x801C03EE - The device was deleted.",
            "0x801C03EE – The device was deleted.",
        ] {
            let cell = scan_cell([text]);
            assert_eq!(cell.rest, "The device was deleted.", "{text}");
            assert!(!cell.rest_is_merged, "{text}");
        }
        // Not a dash that sets text off: a separator between codes, and a line of
        // text under the code's.
        assert_eq!(
            codes("0x80090005 -or- 0x80090006"),
            ["0x80090005", "0x80090006"]
        );
        let cell = scan_cell(["0x80090005", "- see below"]);
        assert_eq!(cell.rest, "- see below");
    }

    #[test]
    fn a_code_given_twice_in_a_cell_is_one_code() {
        assert_eq!(codes("0x801C03F4 / -2145647628"), ["0x801C03F4"]);
        let cell = scan_cell(["DSREG_A (0x801C03F4)", "0x801c03f4 (DSREG_B)"]);
        assert_eq!(cell.codes.len(), 1);
        assert_eq!(cell.codes[0].names, ["DSREG_A", "DSREG_B"]);
        // Two numbers that differ are two codes.
        assert_eq!(
            codes("0x801C03F4 / -2145647627"),
            ["0x801C03F4", "0x801C03F5"]
        );
    }

    #[test]
    fn decimal_only_codes_stay_decimal() {
        let cell = scan_cell(["ERROR_WINHTTP_TIMEOUT (12002)"]);
        assert_eq!(cell.codes[0].code, "12002");
        assert_eq!(cell.codes[0].value, Some(12002));
    }

    #[test]
    fn a_numbers_name_on_the_line_after_it_is_its_name() {
        let read = |segments: &[&str]| -> Vec<(String, Vec<String>)> {
            let cell = scan_cell(segments.iter().copied());
            cell.codes.into_iter().map(|c| (c.code, c.names)).collect()
        };
        assert_eq!(
            read(&["2149056536 (0x80180018)", "MENROLL_E_USERLICENSE"]),
            [(
                "0x80180018".to_owned(),
                vec!["MENROLL_E_USERLICENSE".to_owned()]
            )]
        );
        // A string code on the next line is a code of its own.
        assert_eq!(
            read(&["AADSTS50126", "CONTACT_SUPPORT"]),
            [
                ("AADSTS50126".to_owned(), vec![]),
                ("CONTACT_SUPPORT".to_owned(), vec![])
            ]
        );
    }

    #[test]
    fn a_dash_after_a_label_sets_it_off_as_a_colon_does() {
        let read = |text: &str| {
            let cell = scan_cell([text]);
            let codes: Vec<String> = cell.codes.into_iter().map(|c| c.code).collect();
            (codes, cell.rest)
        };
        assert_eq!(
            read("Error - AADSTS75011 Authentication method mismatch"),
            (
                vec!["AADSTS75011".to_owned()],
                "Authentication method mismatch".to_owned()
            )
        );
        assert_eq!(
            read("Error – 0x801C03ED: The device is gone"),
            (
                vec!["0x801C03ED".to_owned()],
                "The device is gone".to_owned()
            )
        );
        // A minus sign is the number's.
        assert_eq!(read("Error -2145647635").0, ["0x801C03ED"]);
        // A dash before words is no label's.
        assert_eq!(read("Error - the device is gone").0, Vec::<String>::new());
    }

    #[test]
    fn a_string_codes_camel_name_in_parentheses_is_its_name() {
        let cell = scan_cell(["AADSTS76021 (ApplicationRequiresSignedRequests) with SAML"]);
        let codes: Vec<_> = (cell.codes.iter())
            .map(|c| (c.code.as_str(), c.names.clone()))
            .collect();
        assert_eq!(
            codes,
            [(
                "AADSTS76021",
                vec!["ApplicationRequiresSignedRequests".to_owned()]
            )]
        );
        assert_eq!(cell.rest, "with SAML");
        // Words in parentheses are no name.
        let cell = scan_cell(["AADSTS76021 (signed requests)"]);
        assert!(cell.codes[0].names.is_empty(), "{:?}", cell.codes);
    }

    #[test]
    fn string_codes_and_alternatives() {
        assert_eq!(
            codes("InvalidFormat or StrongAuthenticationServiceInvalidParameter"),
            [
                "InvalidFormat",
                "StrongAuthenticationServiceInvalidParameter"
            ]
        );
        // As the translations join them; Japanese runs the next code on.
        assert_eq!(
            codes("InvalidFormat またはStrongAuthenticationServiceInvalidParameter"),
            [
                "InvalidFormat",
                "StrongAuthenticationServiceInvalidParameter"
            ]
        );
        for or in [
            "oder",
            "ou",
            "o",
            "of",
            "или",
            "または",
            "或",
            "또는",
            "lub",
            "eller",
            "veya",
            "nebo",
            "vagy",
        ] {
            let text = format!("InvalidFormat {or} StrongAuthenticationServiceInvalidParameter");
            let cell = scan_cell([text.as_str()]);
            assert_eq!(cell.codes.len(), 2, "{text}");
            assert!(cell.rest.is_empty(), "{text}");
        }
        assert_eq!(
            codes("0x80090005 ou 0x80090006"),
            ["0x80090005", "0x80090006"]
        );
        // A word that only opens like one is no separator.
        assert_eq!(codes("0x80090005 ouvert 0x80090006"), ["0x80090005"]);
        assert_eq!(codes("0x80090005 илиX"), ["0x80090005"]);
        let cell = scan_cell(["AADSTS50126: Error validating credentials."]);
        assert_eq!(cell.codes[0].code, "AADSTS50126");
        assert_eq!(cell.rest, "Error validating credentials.");
        assert!(!cell.rest_is_merged);
    }

    /// Punctuation that closes a code cell is not text run into it.
    #[test]
    fn a_code_cells_closing_punctuation_is_not_its_text() {
        for text in ["0x80090005.", "0x80090005,", "0x80090005 ;", "0x80090005。"] {
            let cell = scan_cell([text]);
            assert_eq!(cell.codes.len(), 1, "{text}");
            assert_eq!(cell.rest, "", "{text}");
            assert!(!cell.rest_is_merged, "{text}");
        }
        // Without a code before it, it is what the cell says.
        assert_eq!(scan_cell(["."]).rest, ".");
    }

    #[test]
    fn text_run_into_the_code_cell_is_split_off() {
        let cell = scan_cell(["REQUEST_FORMAT_ERROR Radius Request missing"]);
        assert_eq!(cell.codes[0].code, "REQUEST_FORMAT_ERROR");
        assert_eq!(cell.rest, "Radius Request missing");
        assert!(cell.rest_is_merged);
    }

    #[test]
    fn words_and_wide_numbers_are_not_codes() {
        assert!(codes("Unknown").is_empty());
        assert!(codes("ユーザー トークン").is_empty());
        let cell = scan_cell(["0xffffffffffffffff"]);
        assert!(cell.codes.is_empty());
        assert_eq!(cell.problems[0].0, DiagnosticKind::CodeOutOfRange);
    }

    /// Codes written in full width, or with a typeset minus, are the codes their
    /// ASCII spelling gives; the text after them keeps its own characters.
    #[test]
    fn full_width_and_typeset_codes_read_as_their_ascii() {
        for (written, ascii) in [
            ("０ｘ８００９０００６", "0x80090006"),
            ("０Ｘ８０１Ｃ０３ＥＤ", "0x801C03ED"),
            ("−2145647635", "-2145647635"),
            ("－２１４５６４７６３５", "-2145647635"),
            (
                "ＤＳＲＥＧ＿Ｅ＿ＤＩＲＥＣＴＯＲＹ＿ＦＡＩＬＵＲＥ（０ｘ８０１ｃ０３ｅｄ／−２１４５６４７６３５）",
                "DSREG_E_DIRECTORY_FAILURE (0x801c03ed/-2145647635)",
            ),
            ("０ｘ８００９０００５，０ｘ８００９０００６", "0x80090005, 0x80090006"),
            ("０ｘ８００９０００５。", "0x80090005."),
        ] {
            let (wide, narrow) = (scan_cell([written]), scan_cell([ascii]));
            assert!(!narrow.codes.is_empty(), "{ascii}");
            assert_eq!(wide.codes, narrow.codes, "{written}");
            assert_eq!(wide.problems, narrow.problems, "{written}");
            assert_eq!((wide.rest, wide.rest_is_merged), (String::new(), false));
        }
        // A hyphen left off a name stays as it was written.
        let cell = scan_cell(["ＣＯＮＴＡＣＴ＿ＳＵＰＰＯＲＴ－"]);
        assert_eq!(cell.codes[0].code, "CONTACT_SUPPORT");
        assert_eq!(cell.rest, "－");
        let cell = scan_cell(["ＡＡＤＳＴＳ５０１２６：資格情報の検証中にエラーが発生しました。"]);
        assert_eq!(cell.codes[0].code, "AADSTS50126");
        assert_eq!(cell.rest, "資格情報の検証中にエラーが発生しました。");
        assert!(!cell.rest_is_merged);
        // Text is not a code in any width.
        assert!(codes("ユーザー　トークン").is_empty());
        assert!(codes("（注）").is_empty());
    }

    /// A cell split over lines (`<br>`) reads as it would on one: a name's pair on
    /// the line after it, a lone `-or-` between two codes, a code's own decimal after
    /// it. Only a number that disagrees is reported.
    #[test]
    fn a_codes_spellings_over_several_lines_are_one_code() {
        /// The cell's lines, its codes with their names, its text, its problems.
        type Case<'a> = (
            &'a [&'a str],
            &'a [(&'a str, &'a [&'a str])],
            &'a str,
            usize,
        );
        let cases: [Case; 7] = [
            (
                &["DSREG_E_DIRECTORY_FAILURE", "(0x801c03f2/-2145647630)"],
                &[("0x801C03F2", &["DSREG_E_DIRECTORY_FAILURE"])],
                "",
                0,
            ),
            (
                &["0x80090005", "-or-", "0x80090006"],
                &[("0x80090005", &[]), ("0x80090006", &[])],
                "",
                0,
            ),
            (&["0x80090007 (-2146893817)"], &[("0x80090007", &[])], "", 0),
            (
                &["ERROR_WINHTTP_TIMEOUT", "(12002)"],
                &[("12002", &["ERROR_WINHTTP_TIMEOUT"])],
                "",
                0,
            ),
            // A decimal that is another code is reported; the code stays.
            (&["0x80090007 (-2146893818)"], &[("0x80090007", &[])], "", 1),
            // Words in brackets are the cell's text, as before.
            (
                &["CONTACT_SUPPORT", "(see below)"],
                &[("CONTACT_SUPPORT", &[])],
                "(see below)",
                0,
            ),
            (
                &["0x80090005 (see below)"],
                &[("0x80090005", &[])],
                "(see below)",
                0,
            ),
        ];
        for (segments, codes, rest, problems) in cases {
            let cell = scan_cell(segments.iter().copied());
            let read: Vec<(&str, Vec<&str>)> = cell
                .codes
                .iter()
                .map(|c| {
                    (
                        c.code.as_str(),
                        c.names.iter().map(String::as_str).collect(),
                    )
                })
                .collect();
            let expected: Vec<(&str, Vec<&str>)> =
                codes.iter().map(|(c, n)| (*c, n.to_vec())).collect();
            assert_eq!(read, expected, "{segments:?}");
            assert_eq!(cell.rest, rest, "{segments:?}");
            assert_eq!(cell.problems.len(), problems, "{segments:?}");
        }
    }

    /// `0x` and digits that are not hex is a malformed code, not a wide one.
    #[test]
    fn a_hex_code_with_other_digits_is_malformed_not_wide() {
        for text in ["0x8009ZZ05", "0x", "X_Y (0xZZ)"] {
            let cell = scan_cell([text]);
            assert!(cell.codes.is_empty(), "{text}: {:?}", cell.codes);
            assert_eq!(cell.problems.len(), 1, "{text}: {:?}", cell.problems);
            assert_eq!(cell.problems[0].0, DiagnosticKind::MalformedCode, "{text}");
        }
    }

    /// A code named inside a line, not at its start, counts where it is an HRESULT or
    /// follows a label.
    #[test]
    fn a_line_names_codes_inside_it() {
        let named =
            |text: &str| -> Vec<String> { named_codes(text).into_iter().map(|c| c.code).collect() };
        for (text, codes) in [
            (
                "Securing your hardware (Failed: 0x800705b4).",
                &["0x800705B4"][..],
            ),
            (
                "Registering your device (Failed: 3, 0x801C03EA).",
                &["0x801C03EA"],
            ),
            (
                "Enrollment failed with error HRESULT = 0x80180022",
                &["0x80180022"],
            ),
            (
                "Something went wrong. Error Code 80070774.",
                &["0x80070774"],
            ),
            ("Error 0x80180014 again: 0x80180014", &["0x80180014"]),
            (
                "デバイスの登録に失敗しました（０ｘ８０１８００１４）",
                &["0x80180014"],
            ),
            ("コード0x80180014で失敗", &["0x80180014"]),
            // A short number after words that say it is an error's, and only there.
            ("The extension fails with exit code 51", &["51"]),
            (
                "拡張機能のインストールは、終了コード 51 で失敗しました。",
                &["51"],
            ),
            ("Issue 3: Code 7, error code 8, terror code 9", &["8"]),
            ("手順 3: コード 7 で", &[]),
            (
                "Ein Fehler ist aufgetreten. Fehlercode 80070774.",
                &["0x80070774"],
            ),
            (
                "Un problème est survenu. Code d'erreur 80070774.",
                &["0x80070774"],
            ),
            (
                "Errors 0x80180014 and 0x80180015",
                &["0x80180014", "0x80180015"],
            ),
            (
                "Terminal error code 1007 and exit code -2145648574.",
                &["1007", "0x801C0042"],
            ),
            // A sign-in error's code anywhere: its prefix says what it is.
            (
                "Connector registration failed. Error: 'AADSTS50059: No tenant-identifying \
                 information found.",
                &["AADSTS50059"],
            ),
            (
                "Sign-in fails with AADSTS50126 or AADSTS50034",
                &["AADSTS50126", "AADSTS50034"],
            ),
            // Short hex, numbers without a label, a label without an error's
            // number, a code inside a word, a prefix without its number.
            ("Fails with 0x1F on Windows 10", &[]),
            ("AADSTS, AADSTS-50059, XAADSTS50059 and AADSTS50059a", &[]),
            ("Fixed in 1809 and 80070774", &[]),
            ("Error 42 after step 3", &[]),
            ("id0x80180014", &[]),
        ] {
            assert_eq!(named(text), codes, "{text}");
        }
    }
}

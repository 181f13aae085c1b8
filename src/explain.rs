//! `errcat explain`: finds every error code in any text (dsregcmd output, event
//! logs, NPS extension logs) and says what the catalogue knows of each.
//!
//! It reads the generated `errcat-codes` crate only, which keeps that crate honest
//! as the one thing a downstream tool needs.

use std::fmt::Write;

/// How many of the further lines a code was seen on are listed.
pub const ALSO_LISTED: usize = 10;

/// A code found in the text, with the first spelling and line it was seen at.
#[derive(Debug)]
pub struct Found {
    pub spelling: String,
    /// The first [`ALSO_LISTED`] of its other spellings, in the order they were first
    /// seen: `-2145647635` for a code first seen as `0x801c03ed`. Spellings that
    /// differ only in case are one.
    pub also_as: Vec<String>,
    /// How many other spellings it was seen in.
    pub also_as_count: usize,
    pub line: usize,
    /// The first [`ALSO_LISTED`] other lines it was seen on, in order.
    pub also: Vec<usize>,
    /// How many other lines it was seen on.
    pub also_count: usize,
    pub code: Option<errcat_codes::Code>,
    /// For an unknown numeric code, its value.
    pub value: Option<u32>,
}

/// Every code in `text`, once each, in order of first appearance, with the other
/// lines it appears on in any spelling. Known names and numbers are reported, a
/// number of fewer than eight digits (`12002`, or a sign-in error's number alone,
/// `50126`, as its `AADSTS` code) only where the word before it says it is an
/// error's, a code's or a failure's; unknown hex (with its `0x`, or an HRESULT's
/// eight digits without it, as in `hr=800700CE`), negative decimals and `AADSTS`
/// codes are reported as unknown; other words, small numbers and numbers that are
/// part of a time, an address or a version (`12:30:45.50126`, `10.0.0.1:50034`) are
/// not codes.
pub fn scan(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // The codes seen on the line being read, each counted once a line.
    let mut on_this_line: Vec<usize> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        on_this_line.clear();
        let bytes = line.as_bytes();
        let mut start = 0;
        while start < line.len() {
            let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            if !is_word(bytes[start]) {
                start += 1;
                continue;
            }
            let end = (start..line.len())
                .find(|&i| !is_word(bytes[i]))
                .unwrap_or(line.len());
            let negative =
                start > 0 && bytes[start - 1] == b'-' && (start < 2 || !is_word(bytes[start - 2]));
            let token = if negative {
                &line[start - 1..end]
            } else {
                &line[start..end]
            };
            // A word joined to others by hyphens is part of a GUID or a name
            // (`aaaa0000-bb11-…`), not an HRESULT written without its `0x`.
            let hyphenated = (start > 0 && bytes[start - 1] == b'-')
                || bytes.get(end).is_some_and(|&b| b == b'-');
            let number = token.bytes().all(|b| b.is_ascii_digit());
            if number && in_a_dotted_number(bytes, start, end) {
                start = end;
                continue;
            }
            // A number shorter than an HRESULT's eight hex digits (`12002`), and a
            // sign-in error's number alone (`50126`), is a code only where the line
            // says so: a port, a process id, a count or a size is as often four to
            // seven digits.
            let hit = classify(token, hyphenated).filter(|hit| {
                let sign_in = hit
                    .code
                    .is_some_and(|c| errcat::code::is_sign_in_code(c.code()));
                !(number && (sign_in || token.len() < 8)) || said_to_be_a_code(&line[..start])
            });
            if let Some(hit) = hit {
                let seen = found.iter().position(|f| match (f.code, hit.code) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => match (f.value, hit.value) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => f.spelling.eq_ignore_ascii_case(token),
                        _ => false,
                    },
                    _ => false,
                });
                let line = index + 1;
                if let Some(at) = seen {
                    let f = &mut found[at];
                    let spelt = |s: &String| s.eq_ignore_ascii_case(token);
                    if !spelt(&f.spelling) && !f.also_as.iter().any(spelt) {
                        f.also_as_count += 1;
                        if f.also_as.len() < ALSO_LISTED {
                            f.also_as.push(token.to_owned());
                        }
                    }
                }
                match seen {
                    Some(at) if on_this_line.contains(&at) => {}
                    Some(at) => {
                        on_this_line.push(at);
                        let f = &mut found[at];
                        f.also_count += 1;
                        if f.also.len() < ALSO_LISTED {
                            f.also.push(line);
                        }
                    }
                    None => {
                        on_this_line.push(found.len());
                        found.push(Found {
                            spelling: token.to_owned(),
                            line,
                            ..hit
                        });
                    }
                }
            }
            start = end;
        }
    }
    found
}

/// A number joined to other digits by `.` or `:` is part of a time, an address or a
/// version (`12:30:45.50126`, `10.0.0.1:50034`, `10.0.19045.1234`), not a code.
fn in_a_dotted_number(bytes: &[u8], start: usize, end: usize) -> bool {
    let digit = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    (start >= 2 && matches!(bytes[start - 1], b'.' | b':') && digit(start - 2))
        || (matches!(bytes.get(end), Some(b'.' | b':')) && digit(end + 1))
}

/// Whether the word before a number, past other numbers and punctuation, says it is
/// an error's, a code's or a failure's: `Sign-in error code: 50126`,
/// `"error_codes": [50126, 70011]`, `ErrorCode=50126`, `WinHttpSendRequest failed:
/// 12002`, `ERROR_WINHTTP_TIMEOUT (12002)`, `hr=12002`; not `pid=12002` or `port
/// 50126`.
fn said_to_be_a_code(before: &str) -> bool {
    let before = before.trim_end_matches(|c: char| !c.is_alphabetic());
    let word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["error", "code", "status", "result", "fail", "return"]
        .iter()
        .any(|w| word.contains(w))
        || ["hr", "err", "rc", "ret"].contains(&word.as_str())
}

fn classify(token: &str, hyphenated: bool) -> Option<Found> {
    let known = |code: Option<errcat_codes::Code>, value: Option<u32>| {
        Some(Found {
            spelling: String::new(),
            also_as: Vec::new(),
            also_as_count: 0,
            line: 0,
            also: Vec::new(),
            also_count: 0,
            code,
            value,
        })
    };
    let digits = token.strip_prefix('-').unwrap_or(token);
    let hex = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"));
    if let Some(hex) = hex {
        let value = (1..=8)
            .contains(&hex.len())
            .then(|| u32::from_str_radix(hex, 16).ok())
            .flatten()?;
        return known(errcat_codes::lookup_value(value), Some(value));
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let code = errcat_codes::lookup(token);
        if token.starts_with('-') && digits.len() >= 9 {
            let value = digits
                .parse::<i64>()
                .ok()
                .filter(|m| *m <= 1 << 31)
                .map(|m| (-m) as i32 as u32)?;
            return known(code, Some(value));
        }
        return code
            .filter(|_| digits.len() >= 4)
            .and_then(|c| known(Some(c), c.value()));
    }
    if let Some(code) = errcat_codes::lookup(token).filter(|_| token.len() >= 4) {
        return known(Some(code), code.value());
    }
    // An HRESULT without its `0x`, as logs write it (`hr=800700CE`): eight hex
    // digits, some of them digits, the first setting the failure bit.
    let bare_hresult = !hyphenated
        && errcat::code::is_bare_hresult(token)
        && token.bytes().any(|b| b.is_ascii_digit());
    if bare_hresult {
        let value = u32::from_str_radix(token, 16).ok()?;
        return known(errcat_codes::lookup_value(value), Some(value));
    }
    errcat::code::is_sign_in_code(token)
        .then(|| known(None, None))
        .flatten()
}

/// The report for what `scan` found.
pub fn render(found: &[Found]) -> String {
    let mut out = String::new();
    if found.is_empty() {
        out.push_str("no error codes found\n");
        return out;
    }
    for f in found {
        match f.code {
            Some(code) => known(&mut out, f, code),
            None => unknown(&mut out, f),
        }
        out.push('\n');
    }
    out
}

fn known(out: &mut String, f: &Found, code: errcat_codes::Code) {
    let names: Vec<&str> = code.names().collect();
    match names.is_empty() {
        true => out.push_str(code.code()),
        false => {
            let _ = write!(out, "{}  {}", code.code(), names.join(", "));
        }
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "  seen as {} on line {}{}",
        spellings(f),
        f.line,
        also(f)
    );
    if let Some(value) = code.value() {
        hresult(out, value);
    }
    for context in code.contexts() {
        let mut place = format!("{} ({})", context.document(), context.locale());
        for heading in context.section() {
            place.push_str(" › ");
            place.push_str(heading);
        }
        let withdrawn = context
            .withdrawn_in()
            .map(|r| format!(", withdrawn in {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {place} [revision {}{withdrawn}]",
            context.revision()
        );
        if context.kind() == errcat_codes::Kind::Warning {
            let _ = writeln!(out, "    the page says this is not an error");
        }
        for condition in context.conditions() {
            for cause in condition.causes() {
                let _ = writeln!(out, "    cause: {cause}");
            }
            if let Some(message) = condition.message() {
                let _ = writeln!(out, "    message: {message}");
            }
            match condition.mitigation() {
                Some(m) => {
                    let _ = writeln!(out, "    mitigation: {m}");
                }
                None => {
                    let _ = writeln!(out, "    mitigation: none given");
                }
            }
            for link in condition.links() {
                let _ = writeln!(out, "    link: {} <{}>", link.text, link.url);
            }
        }
    }
}

fn unknown(out: &mut String, f: &Found) {
    // `HTTP Error : 0x0`, as dsregcmd prints it where nothing failed.
    let what = match f.value {
        Some(0) => "no error: zero is success (S_OK, ERROR_SUCCESS)",
        _ => "unknown to the catalogue",
    };
    let _ = writeln!(out, "{}  {what}", f.spelling);
    // The heading gives the first spelling.
    let seen = match f.also_as.is_empty() {
        true => "seen".to_owned(),
        false => format!("seen as {}", spellings(f)),
    };
    let _ = writeln!(out, "  {seen} on line {}{}", f.line, also(f));
    if let Some(value) = f.value {
        hresult(out, value);
    }
}

/// The spellings a code was seen in: `0x801c03ed or -2145647635`.
fn spellings(f: &Found) -> String {
    let mut all = f.spelling.clone();
    for other in &f.also_as {
        all.push_str(" or ");
        all.push_str(other);
    }
    match f.also_as_count - f.also_as.len() {
        0 => {}
        1 => all.push_str(" and 1 more spelling"),
        more => {
            let _ = write!(all, " and {more} more spellings");
        }
    }
    all
}

/// The other lines a code was seen on, after its first: `, and on lines 4, 9`.
fn also(f: &Found) -> String {
    let listed: Vec<String> = f.also.iter().map(usize::to_string).collect();
    let more = f.also_count - f.also.len();
    match (listed.as_slice(), more) {
        ([], _) => String::new(),
        ([one], _) => format!(", and on line {one}"),
        (_, 0) => format!(", and on lines {}", listed.join(", ")),
        (_, more) => format!(", and on lines {} and {more} more", listed.join(", ")),
    }
}

fn hresult(out: &mut String, value: u32) {
    let h = errcat_codes::Hresult::from(value);
    if !h.failure {
        return;
    }
    let facility = h
        .facility_name()
        .map(|n| format!("{n} ({})", h.facility))
        .unwrap_or_else(|| format!("facility {}", h.facility));
    let mut flags = String::new();
    if h.customer {
        flags.push_str(", customer-defined");
    }
    if h.reserved {
        flags.push_str(", NTSTATUS-style");
    }
    let _ = writeln!(
        out,
        "  HRESULT 0x{value:08X}: failure, {facility}, code {} (0x{:04X}){flags}",
        h.code, h.code
    );
    if let Some(win32) = h.win32() {
        let also = errcat_codes::lookup_value(win32)
            .map(|c| {
                let names: Vec<&str> = c.names().collect();
                format!(": {} in the catalogue ({})", c.code(), names.join(", "))
            })
            .unwrap_or_default();
        let _ = writeln!(out, "  wraps Win32 error {win32}{also}");
    }
}

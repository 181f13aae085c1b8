//! What a table holds: whether it lists codes, which column gives them, and what
//! each other column holds (a cause, the message, a fix, the code spelt again, an
//! order), by its header's words in fifteen languages and by its cells; and whether
//! its lead-in says its codes are not errors.

use crate::code::{self, ParsedCode};
use crate::ingest::{Row, Table};
use crate::text::{says_none, CellText};

/// A table that gives no codes but a code's text: each of its columns names what it
/// holds (`| Cause | Resolution |`).
pub(super) fn gives_a_codes_text(table: &Table) -> bool {
    !table.header.is_empty()
        && table.header.iter().all(|h| names_role(h))
        && !is_code_table(table)
        && code_column(table).is_none()
}

/// A table read as one of codes: its first column names them or gives numbers, or a
/// later one holds them ([`code_column`]).
pub(super) fn lists_codes(table: &Table) -> bool {
    is_code_table(table) || code_column(table).is_some()
}

/// A first column headed `Hex` alone over a digit or two of hex and no `0x` (`| Hex
/// | Phase |` over `0` to `5`, `| Hex | Operation |` over `9`, `A`, `1A`): the
/// values of a code's parts, such as Windows Setup's phases, not codes.
fn numbers_parts(table: &Table) -> bool {
    let hex_alone = (table.header.first()).is_some_and(|h| h.trim().eq_ignore_ascii_case("hex"));
    let mut filled = (table.rows.iter())
        .filter_map(|row| row.cells.first())
        .filter(|cell| !cell.is_empty())
        .peekable();
    hex_alone
        && filled.peek().is_some()
        && filled.all(|cell| {
            let text = cell.joined();
            let text = text.trim();
            (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
        })
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

pub(super) fn says_not_errors(lead: &str, section: &[String]) -> bool {
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

/// A code column's header that names the sign-in service's codes, as the sign-in
/// logs' `Sign-in error code` field gives them (`81001`, which is `AADSTS81001`),
/// in the languages the Seamless SSO and pass-through authentication pages are
/// translated into.
pub(super) fn names_sign_in_codes(header: &str) -> bool {
    const SIGN_IN: &[&str] = &[
        "sign-in error code",
        "sign in error code",
        "signin error code",
        "anmeldefehler",
        "code d’erreur de connexion",
        "code d'erreur de connexion",
        "código de error de inicio de sesión",
        "código de erro de logon",
        "código de erro de início de sessão",
        "codice dell'errore di accesso",
        "codice errore di accesso",
        "foutcode voor aanmelding",
        "felkod för inloggning",
        "kod błędu logowania",
        "kód chyby přihlášení",
        "bejelentkezési hiba kódja",
        "bejelentkezési hibakód",
        "oturum açma hata kodu",
        "код ошибки входа",
        "サインイン エラー コード",
        "登录错误代码",
        "登入錯誤碼",
        "로그인 오류 코드",
    ];
    holds_any(&header.to_lowercase(), SIGN_IN)
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
    "fel",
    "hata",
    "chyb",
    "hiba",
];

/// Settles which of a table's rows names its columns. A table whose header gives a
/// code has no header: its first line is its first row (`| 0x80090005 | Bad key |
/// Reset |` over the `|---|` rule), read like the others under columns with no
/// names. A table with no header row (an HTML table without `<th>`) takes its first
/// row as one, unless that row gives a code.
pub(super) fn settle_header(table: &mut Table) {
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
pub(super) fn cap_columns(table: &mut Table) -> Option<usize> {
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
pub(super) fn code_column(table: &Table) -> Option<usize> {
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
    let numbers = |column: usize| {
        let with_numbers = (table.rows.iter())
            .filter(|row| (row.cells.get(column)).is_some_and(|c| gives_code(c.segments())));
        with_numbers.count() * 2 > table.rows.len()
    };
    // The first column gives names, and no number (`DeviceCapReached`).
    let names_only = || {
        (table.rows.iter())
            .filter_map(|row| row.cells.first())
            .all(|cell| {
                code::scan_cell(cell.segments())
                    .codes
                    .iter()
                    .all(|c| c.value.is_none())
            })
    };
    // Of the later columns headed as codes, one of numbers before one of symbols
    // (`| Subcode | Error | Description | HRESULT |` over `MENROLL_E_USERLICENSE` and
    // `80180018`): the symbols are the number's names.
    let later = || {
        let headed: Vec<usize> = (1..table.header.len())
            .filter(|&c| headed_as_codes(c) && most(c))
            .collect();
        (headed.iter().copied())
            .find(|&c| numbers(c))
            .or_else(|| headed.first().copied())
    };
    // Later columns headed as codes and as nothing else (`HRESULT`, not `Server error
    // message`): told by their headers alone.
    let code_headed = || {
        (1..table.header.len()).filter(|&c| {
            headed_as_codes(c) && named_role(&table.header[c].to_lowercase()).is_none()
        })
    };
    // Most tables head their first column as codes and give one in their first row:
    // one cell read, not the column.
    if headed_as_codes(0) {
        return match table.rows.iter().any(|row| has_code(row, 0)) {
            // Names first (`| Subcode | Error | Description | HRESULT |` over
            // `DeviceCapReached`) yield to a later column of numbers: told by the
            // headers first, then by the first column read again, where most stop at
            // a first cell that gives a number.
            true if code_headed().next().is_some() && names_only() => {
                code_headed().find(|&c| numbers(c))
            }
            true => None,
            // Small numbers under a code header (`| Return code value | Return code
            // |` over `11` and `USMT_INVALID_PARAMETERS`) are the codes, and a later
            // column of symbols their names; a later column of numbers still wins.
            false => later().filter(|&c| numbers(c) || !small_numbers(table, 0)),
        };
    }
    if !most(0) {
        return later();
    }
    // Under another header, a first column of names alone (`| Symbolic name | Hex
    // |`) yields to a later column of codes.
    later().filter(|_| !first_column_numbers(table))
}

/// A code cell that lists names alone, one to a line or set off by commas
/// (`Conflict, EntryConflict`, `Timeout`): each word ASCII letters, digits and
/// underscores, a capital first.
pub(super) fn name_list(cell: &CellText) -> Option<Vec<&str>> {
    let words: Vec<&str> = listed_words(cell).collect();
    (!words.is_empty() && words.iter().all(|w| is_listed_name(w))).then_some(words)
}

/// A code cell that is one name in double quotes and nothing else
/// (`"rejectedTermsOfUse"`): the name.
pub(super) fn quoted_name(cell: &CellText) -> Option<&str> {
    let [piece] = cell.pieces.as_slice() else {
        return None;
    };
    let name = (piece.text.trim())
        .strip_prefix(['"', '“'])?
        .strip_suffix(['"', '”'])?;
    (name.len() >= 2 && is_name_word(name)).then_some(name)
}

/// The words of a code cell, split at its lines and commas.
fn listed_words(cell: &CellText) -> impl Iterator<Item = &str> {
    (cell.segments())
        .flat_map(|line| line.split([',', '、', '，']))
        .map(str::trim)
        .filter(|word| !word.is_empty())
}

fn is_listed_name(word: &str) -> bool {
    word.len() >= 2
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A table whose codes are names, as the provisioning service's are
/// (`| Error code | Description |` over `TooManyRequests`, `Conflict, EntryConflict`
/// and `Timeout`): its first column is headed as codes and opens no cell with a
/// number, and most of its filled cells are a [`name_list`] with a name that reads as
/// a code (`TooManyRequests`, not `Timeout`). The plain words of such a cell are then
/// codes as well; a cell that is no list of names (a translation's `Tidsgräns`) is
/// read as any other.
pub(super) fn names_are_codes(table: &Table) -> bool {
    if !table.header.first().is_some_and(|h| names_codes(h)) {
        return false;
    }
    let (mut filled, mut coded) = (0, 0);
    for cell in (table.rows.iter()).filter_map(|row| row.cells.first()) {
        let Some(first) = cell.segments().next() else {
            continue;
        };
        // A table of numbers (`0x801C03ED`, `-2145647635`) is told at its first cell.
        if first.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            return false;
        }
        filled += 1;
        let (mut names, mut code) = (true, false);
        for word in listed_words(cell) {
            names &= is_listed_name(word);
            code |= names && code::is_code_identifier(word);
            if !names {
                break;
            }
        }
        coded += usize::from(names && code);
    }
    coded * 2 > filled
}

/// Every filled cell of `column` is a whole number, and some cell is filled.
fn small_numbers(table: &Table, column: usize) -> bool {
    let mut filled = (table.rows.iter())
        .filter_map(|row| row.cells.get(column))
        .filter(|cell| !cell.is_empty())
        .peekable();
    filled.peek().is_some()
        && filled.all(|cell| {
            let text = cell.joined();
            let text = text.trim();
            !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit())
        })
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
pub(super) fn codes_first(table: &mut Table, column: usize) {
    table.header[..=column].rotate_right(1);
    for row in &mut table.rows {
        if let Some(cells) = row.cells.get_mut(..=column) {
            cells.rotate_right(1);
        }
    }
}

/// Splits off into a column of its own, right after it, the comment a column's
/// cells end in where it names their code's symbol, as source quoted in a table
/// does (`"idErrorServerConnectivity", // MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR`, in
/// Windows' MDM enrollment codes): the new column, of symbols alone, is read as
/// the codes' names, and the words before the comment stay their column's text.
/// Every cell of the column that holds `//` must end in such a comment, so that a
/// link (`https://…`) or a path keeps its column whole; a table keeps to
/// [`MAX_COLUMNS`].
pub(super) fn split_comments(table: &mut Table) {
    let mut column = 1;
    while column < table.header.len() {
        let mut cells = (table.rows.iter()).filter_map(|row| row.cells.get(column));
        let commented = cells.clone().any(|cell| commented_symbol(cell).is_some());
        let split = commented
            && table.header.len() < MAX_COLUMNS
            && cells.all(|cell| {
                !cell.segments().any(|s| s.contains("//")) || commented_symbol(cell).is_some()
            });
        if split {
            table.header.insert(column + 1, String::new());
            for row in &mut table.rows {
                let Some(cell) = row.cells.get_mut(column) else {
                    continue;
                };
                let symbol = match commented_symbol(cell) {
                    Some((before, symbol)) => {
                        let symbol = CellText::line(symbol.to_owned());
                        cell.pieces[0].text.truncate(before);
                        cell.pieces.retain(|piece| !piece.text.is_empty());
                        symbol
                    }
                    None => CellText::default(),
                };
                row.cells.insert(column + 1, symbol);
            }
            column += 1;
        }
        column += 1;
    }
}

/// A cell of one line of source: at most one word (a quoted string, a name), then
/// a comment that names a symbol. The length of the word (a comma after it left
/// out), and the symbol. Prose before a comment (`The server failed. // X_E_Y`)
/// is not source.
fn commented_symbol(cell: &CellText) -> Option<(usize, &str)> {
    let [piece] = cell.pieces.as_slice() else {
        return None;
    };
    // Read from the end, as most cells end in no symbol at all (`.`, a word).
    let is_symbol_char = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
    if !piece
        .text
        .ends_with(|c: char| is_symbol_char(c) || c.is_whitespace())
    {
        return None;
    }
    let text = piece.text.trim_end();
    let start = text.trim_end_matches(is_symbol_char).len();
    let symbol = &text[start..];
    if !code::is_symbol(symbol) {
        return None;
    }
    let before = text[..start].trim_end().strip_suffix("//")?;
    let before = before.trim_end().trim_end_matches(',').trim_end();
    (!before.contains(char::is_whitespace)).then_some((before.len(), symbol))
}

/// A code table names its first column as one, or lists numeric codes in it under
/// a header that does not call them events' IDs: `| Event ID | Description |` over
/// `10014` lists what a log records, not errors.
pub(super) fn is_code_table(table: &Table) -> bool {
    let header = table.header.first();
    let named = header.is_some_and(|h| names_codes(h));
    let events = || header.is_some_and(|h| names_events(h));
    (named || (first_column_numbers(table) && !events())) && !numbers_parts(table)
}

/// A table of events' IDs whose rows quote the errors the events record (`| Event
/// ID | Description |` over `102 | Workplace Join discovery failed. Exit Code:
/// 0x80072EE7. …`, as the Workplace Join article gives them), as a table of those
/// errors: a column of the HRESULTs each row's text names comes first, under an
/// `Error code` header, and the event's ID is kept as a part of the row's text. A
/// row that quotes none records no error and is left out, as the events of a table
/// that quotes none are. `None` where the table lists no events or quotes no error.
pub(super) fn errors_in_events(table: &Table) -> Option<Table> {
    if !table.header.first().is_some_and(|h| names_events(h)) || table.header.len() < 2 {
        return None;
    }
    let quoted = |row: &Row| -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        for cell in row.cells.iter().skip(1) {
            for code in quoted_hresults(&cell.joined()) {
                if !codes.contains(&code.code) {
                    codes.push(code.code);
                }
            }
        }
        codes
    };
    let rows: Vec<Row> = (table.rows.iter())
        .filter_map(|row| {
            let codes = quoted(row);
            (!codes.is_empty()).then(|| Row {
                line: row.line,
                cells: std::iter::once(CellText::line(codes.join(", ")))
                    .chain(row.cells.iter().cloned())
                    .collect(),
                raw: row.raw.clone(),
            })
        })
        .collect();
    (!rows.is_empty() && table.header.len() < MAX_COLUMNS).then(|| Table {
        header: std::iter::once("Error code".to_owned())
            .chain(table.header.iter().cloned())
            .collect(),
        line: table.line,
        rows,
        labelled: table.labelled,
        level: table.level,
    })
}

/// The HRESULTs a text quotes, in the `0x` form or after a label (`hr=80230402`):
/// errors in their own right wherever they stand. A number that is no HRESULT
/// (`Ticket Options: 0x40810010`, `http status 404`) is not one.
pub(super) fn quoted_hresults(text: &str) -> impl Iterator<Item = ParsedCode> {
    code::named_codes(text).into_iter().filter(|code| {
        code.code.starts_with("0x") && code.value.is_some_and(|value| value >= 0x8000_0000)
    })
}

/// A header that names events, in the languages of [`MESSAGE`]'s words.
fn names_events(header: &str) -> bool {
    const EVENTS: &[&str] = &[
        "event",
        "イベント",
        "ereignis",
        "evento",
        "événement",
        "gebeurtenis",
        "事件",
        "이벤트",
        "событи",
        "zdarzeni",
        "händelse",
        "olay",
        "událost",
        "esemény",
    ];
    holds_any(&header.to_lowercase(), EVENTS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
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
    /// A second `code` column beside the code's own (`| HTTP Status Code | code |
    /// message |`): each cell one word that names the code (`badRequest`,
    /// `unauthorized`), taken as a spelling is.
    Name,
    /// One more part of the fix, under a header that names no role, beside a column
    /// that holds the fix (`### For users` and `### For application developers`
    /// under `## Resolution`): joined into the mitigation after its header, which
    /// says whom or what the part is for.
    Part,
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
    "bericht",
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
    "wiadomoś",
    "meddelande",
    "ileti",
    "zpráv",
    "üzenet",
    // `Technical details`, where the words above do not already hold it.
    "技术详细信息",
    "技術詳細資料",
    "기술 세부 정보",
    "технические сведения",
    "технические подробности",
    "szczegóły techniczne",
    "teknisk information",
    "tekniska detaljer",
    "teknik ayrıntılar",
    "technické podrobnosti",
    "technikai részletek",
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
    // Description, scenario, example and summary where the words above do not
    // already hold them: a column so headed is a cause wherever it stands.
    "シナリオ",
    "场景",
    "시나리오",
    "сценари",
    "пример",
    "сводка",
    "opis",
    "scenariusz",
    "przykład",
    "podsumowanie",
    "beskrivning",
    "exempel",
    "sammanfattning",
    "açıklama",
    "senaryo",
    "örnek",
    "özet",
    "scénář",
    "příklad",
    "shrnutí",
    "leírás",
    "forgatókönyv",
    "példa",
    "összefoglal",
    "samenvatting",
    "riepilogo",
    "resumen",
    "resumo",
];

/// A heading of a few words that names what a column holds (`Cause`, `Resolution`):
/// inside a code's section, a label even at the section's own level, as a scraped
/// page flattens its headings.
pub(super) fn names_role(heading: &str) -> bool {
    if heading.split_whitespace().nth(3).is_some() {
        return false;
    }
    let heading = heading.to_lowercase();
    [MESSAGE, MITIGATION, CAUSE]
        .iter()
        .any(|words| holds_any(&heading, words))
}

/// A paragraph that opens the fix inside a cause's or a symptom's text (`To resolve
/// this issue, follow these steps:`, `To fix the error, …`), as support articles
/// write one cause after another, each with its fix and no heading for it.
pub(super) fn opens_a_fix(text: &str) -> bool {
    const VERBS: &[&str] = &[
        "resolve ",
        "fix ",
        "solve ",
        "work around ",
        "mitigate ",
        "correct ",
        "remediate ",
        "address ",
    ];
    const OBJECTS: &[&str] = &["this", "these", "that", "the", "it"];
    let text = text.trim_start();
    // Most paragraphs are told apart by their first three bytes, without a copy.
    if !text
        .get(..3)
        .is_some_and(|to| to.eq_ignore_ascii_case("to "))
    {
        return false;
    }
    let head: String = text.chars().take(40).flat_map(char::to_lowercase).collect();
    head.strip_prefix("to ").is_some_and(|rest| {
        VERBS.iter().any(|verb| {
            let object = rest.strip_prefix(verb).map(|object| {
                let end = object.find(|c: char| !c.is_alphabetic());
                &object[..end.unwrap_or(object.len())]
            });
            object.is_some_and(|object| OBJECTS.contains(&object))
        })
    })
}

/// A label of a few words that names a cause and numbers it (`Cause 2`, `原因 2`,
/// `Scenario 3`): one of the causes a page gives one error, each with its own fix.
/// A numbered example (`Example 2`) is one more illustration of the same cause.
pub(super) fn numbers_a_cause(label: &str) -> bool {
    let label = label.trim().trim_end_matches([':', '：']);
    let lower = label.to_lowercase();
    names_role(label)
        && label
            .split_whitespace()
            .any(|word| word.bytes().all(|b| b.is_ascii_digit()))
        && named_role(&lower) == Some(Role::Cause)
        && !holds_any(&lower, EXAMPLE)
}

/// `Example`, in the languages of [`CAUSE`]'s words.
const EXAMPLE: &[&str] = &[
    "example",
    "例",
    "beispiel",
    "exemple",
    "ejemplo",
    "esempio",
    "exemplo",
    "voorbeeld",
    "예시",
    "пример",
    "przykład",
    "exempel",
    "örnek",
    "příklad",
    "példa",
];

/// Whether a lower-cased label's words name the message or the symptoms, as
/// [`named_role`] would first.
pub(super) fn names_the_message(label: &str) -> bool {
    holds_any(label, MESSAGE)
}

/// The role a lower-cased label's words name, if any: a message's words before a
/// fix's, a fix's before a cause's (`Solution for cause 2` is a fix).
pub(super) fn named_role(label: &str) -> Option<Role> {
    if holds_any(label, MESSAGE) {
        Some(Role::Message)
    } else if holds_any(label, MITIGATION) {
        Some(Role::Mitigation)
    } else if holds_any(label, CAUSE) {
        Some(Role::Cause)
    } else {
        None
    }
}

/// What each column holds, by its header, and for a column that numbers the rows or
/// spells the codes again by its cells too; unknown headers fill cause, then
/// mitigation, then parts of the fix, and `Details` the message first where no
/// column is named so.
pub(super) fn roles(header: &[String], rows: &[Row]) -> Vec<Role> {
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
            } else if is_name_column(&h, rows, i) {
                Some(Role::Name)
            } else {
                named_role(&h)
            }
        })
        .collect();
    for i in 0..roles.len() {
        if roles[i].is_none() {
            let taken = |r: Role| roles.contains(&Some(r));
            // `Details` are the error's text where no column is named its message
            // (`| Error name | Details | Source | Resolution |`), and beside one
            // (`| Details | Technical details |`) the words a user reads of it.
            let details = is_one_of(&header[i], DETAILS);
            // A column of one ASCII word a row (`| Namespace |` over `s:` and `a:`)
            // tells no cause nor fix: it is kept after its header, as a part of the
            // fix. (Japanese and Chinese write whole sentences with no space.)
            let cells = || (rows.iter()).filter_map(|row| row.cells.get(i));
            let is_one_word = |cell: &CellText| match cell.pieces.as_slice() {
                [] => true,
                [piece] => piece.text.is_ascii() && !piece.text.contains(char::is_whitespace),
                _ => false,
            };
            let one_word = !header[i].trim().is_empty()
                && cells().any(|cell| !cell.says_nothing())
                && cells().all(is_one_word);
            // An error's name in words (`| Error Name |` over `Access Denied`), where
            // its cells do not spell the code again, is its title: what the user
            // reads of it, as a message is.
            let named = is_one_of(&header[i], ERROR_NAME);
            roles[i] = Some(if (details || named) && !taken(Role::Message) {
                Role::Message
            } else if one_word || classifies(&header[i]) {
                Role::Part
            } else if !taken(Role::Cause) {
                Role::Cause
            } else if taken(Role::Mitigation) && !header[i].trim().is_empty() {
                Role::Part
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

/// `Details`, as the languages of [`MESSAGE`]'s words head the column (`| Felkod |
/// Information | Scenario | Lösning |` in the Swedish cloud sync reference).
const DETAILS: &[&str] = &[
    "details",
    "詳細",
    "détails",
    "detalles",
    "dettagli",
    "detalhes",
    "gegevens",
    "详细信息",
    "詳細資料",
    "세부 정보",
    "подробности",
    "сведения",
    "szczegóły",
    "information",
    "detaljer",
    "ayrıntılar",
    "podrobnosti",
    "részletek",
];

/// `Name` and `Error name`, as the languages of [`MESSAGE`]'s words head the column.
const ERROR_NAME: &[&str] = &[
    "name",
    "error name",
    "名前",
    "エラー名",
    "fehlername",
    "nom",
    "nom de l'erreur",
    "nombre",
    "nombre del error",
    "nome",
    "nome errore",
    "nome do erro",
    "naam",
    "foutnaam",
    "名称",
    "错误名称",
    "名稱",
    "錯誤名稱",
    "이름",
    "오류 이름",
    "имя",
    "название",
    "имя ошибки",
    "название ошибки",
    "nazwa",
    "nazwa błędu",
    "namn",
    "felnamn",
    "ad",
    "hata adı",
    "název",
    "název chyby",
    "név",
    "hiba neve",
];

/// The header is one of `words`, whole, whatever its case.
fn is_one_of(header: &str, words: &[&str]) -> bool {
    let header = header.trim().to_lowercase();
    words.contains(&header.as_str())
}

/// A header that sorts the rows into kinds (`| Category |` over `Fatal Errors`, `|
/// Activation type |` over `MAK`): its cells say what sort of code it is or what it
/// applies to, not why it happens, and are kept after the header as a part of the
/// fix.
fn classifies(header: &str) -> bool {
    const CLASS: &[&str] = &[
        "category",
        "severity",
        "カテゴリ",
        "分類",
        "重大度",
        "kategorie",
        "schweregrad",
        "catégorie",
        "gravité",
        "categoría",
        "gravedad",
        "categoria",
        "gravità",
        "gravidade",
        "categorie",
        "ernst",
        "类别",
        "類別",
        "严重性",
        "嚴重性",
        "범주",
        "심각도",
        "категори",
        "серьезность",
        "kategori",
        "allvarlighetsgrad",
        "önem",
        "závažnost",
        "kategória",
        "súlyosság",
        "種類",
        "类型",
        "類型",
        "유형",
    ];
    // A kind as a word of its own: `Activation type`, not `Prototype`.
    const KIND: &[&str] = &["type", "typ", "tipo", "тип", "tür", "típus"];
    let header = header.to_lowercase();
    holds_any(&header, CLASS)
        || header
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| KIND.contains(&word))
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

/// A column that gives each row's code again: headed as a decimal value (`Dec`,
/// `Error code (Dec)`) or a symbolic name or error string, and holding numbers and
/// code-like names in most of its cells; or holding symbols alone. A cell in words
/// among them (Conditional Access's `53009 | Application needs to enforce Intune
/// protection policies`) is its row's text.
fn is_spelling(header: &str, rows: &[Row], column: usize) -> bool {
    // The words for a name, a symbol, a constant and a decimal in the languages of
    // [`MESSAGE`]'s words: a translation heads the column in its own (`| コード |
    // 名前またはメッセージ |` over `31001 | PasswordResetStart`).
    const SPELLING: &[&str] = &[
        "decimal",
        "symbol",
        "name",
        "constant",
        "string",
        "10 進",
        "10進",
        "名前",
        "シンボル",
        "定数",
        "dezimal",
        "konstante",
        "décimal",
        "symbole",
        "nom",
        "nombre",
        "símbolo",
        "simbolo",
        "nome",
        "costante",
        "decimaal",
        "naam",
        "symbool",
        "名称",
        "名稱",
        "符号",
        "符號",
        "常量",
        "常數",
        "十进制",
        "十進位",
        "이름",
        "기호",
        "상수",
        "10진",
        "имя",
        "назван",
        "символ",
        "констант",
        "десятичн",
        "nazwa",
        "stała",
        "dziesiętn",
        "namn",
        "konstant",
        "adı",
        "sembol",
        "sabit",
        "ondalık",
        "název",
        "jméno",
        "desítkov",
        "név",
        "szimbólum",
        "állandó",
        "decimál",
    ];
    let header = header.trim();
    let filled = || {
        (rows.iter())
            .filter_map(|row| row.cells.get(column))
            .filter(|cell| !cell.is_empty())
    };
    // A column of symbols alone under a header that names no role of its own (`|
    // Error |` over `MENROLL_E_USERLICENSE`, beside the number), or names the
    // message (`| Message |` over `WU_E_AU_NOSERVICE`, as Windows Update's reference
    // heads them): the code's names, and no message but the name again.
    let symbol = |cell: &CellText| {
        let mut words = spelling_words(cell);
        words.next().is_some_and(code::is_symbol) && words.next().is_none()
    };
    if filled().next().is_some()
        && filled().all(symbol)
        && matches!(named_role(header), None | Some(Role::Message))
    {
        return true;
    }
    // `Dec` only as a word of its own: `Error code (Dec)`, not `Declined`.
    let dec = || {
        header
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "dec")
    };
    if !(dec() || holds_any(header, SPELLING)) {
        return false;
    }
    let spelled = filled().filter(|cell| spells(cell)).count();
    spelled > 0 && spelled * 2 > filled().count()
}

/// A column headed `code` (or `subcode`, as a SOAP fault's) beside the code's own
/// whose every filled cell is one word of ASCII letters, digits and underscores, a
/// letter first: the code's names.
fn is_name_column(header: &str, rows: &[Row], column: usize) -> bool {
    let mut filled = (rows.iter())
        .filter_map(|row| row.cells.get(column))
        .filter(|cell| !cell.is_empty())
        .peekable();
    matches!(header.trim(), "code" | "subcode") && filled.peek().is_some() && filled.all(one_name)
}

/// A cell that is one word a code may be named by, as a `code` column gives it.
fn one_name(cell: &CellText) -> bool {
    let mut words = spelling_words(cell);
    words.next().is_some_and(is_name_word) && words.next().is_none()
}

/// A word of ASCII letters, digits and underscores, a letter first.
pub(super) fn is_name_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Every word of a cell is a spelling of a code ([`is_spelling_word`]).
pub(super) fn spells(cell: &CellText) -> bool {
    spelling_words(cell).all(is_spelling_word)
}

/// A number or a code-like name.
pub(super) fn is_spelling_word(word: &str) -> bool {
    code::number_word(word).is_some() || code::is_code_identifier(word)
}

/// The words of a spelling cell: `-2145647635`, `DSREG_E_A`; the `,`, `/` and `-or-`
/// between them are not words, and a cell that says there is none (`—`, `N/A`) has
/// none.
pub(super) fn spelling_words(cell: &CellText) -> impl Iterator<Item = &str> {
    cell.segments()
        .filter(|segment| !says_none(segment))
        .flat_map(|segment| segment.split(|c: char| c.is_whitespace() || c == ',' || c == '/'))
        .map(|word| word.trim_matches(|c: char| matches!(c, '(' | ')' | ';' | '.' | '`' | '*')))
        .filter(|word| !word.is_empty() && *word != "-or-" && *word != "or")
}

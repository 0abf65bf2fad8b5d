//! What is wrong with a text the parser cannot read, said with how to fix it.

use std::ops::Range;

use saphyr_parser::ScanError;

use super::MAX_DEPTH;
use crate::diagnostics::Diagnostic;
use crate::model::{Span, SECRET_SETTINGS};

/// The first character YAML does not allow written as it is (control characters
/// but tab and line breaks, DEL, C1 controls but NEL, and the two non-characters
/// U+FFFE and U+FFFF), which PyYAML, and so the ADK, refuses; escaped in a
/// double-quoted text (`"\x07"`) they are fine.
pub(super) fn non_printable(text: &str) -> Option<Diagnostic> {
    let (offset, c) = text.char_indices().find(|&(_, c)| !is_printable(c))?;
    let code = u32::from(c);
    let utf16 = if c == '\0' { "; a file saved as UTF-16 shows as NUL bytes: save it as UTF-8" } else { "" };
    let message = format!("invalid YAML: the character U+{code:04X} may not be written in a YAML file; remove it, or write it escaped in a double-quoted text (`\"\\u{code:04X}\"`){utf16}");
    Some(Diagnostic::error(Span::after(&text[..offset]), message))
}

/// Whether YAML allows `c` written as it is (its `c-printable` set).
pub(crate) fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

pub(super) fn scan_error(error: &ScanError, text: &str) -> Diagnostic {
    let marker = error.marker();
    let info = error.info();
    let lines = yaml_lines(text);
    let line = lines.get(marker.line().saturating_sub(1)).copied().unwrap_or_default();
    let at_end = lines.len() < marker.line();
    // the byte the parser marks (it counts characters)
    let marked = text.char_indices().nth(marker.index()).map_or(text.len(), |(at, _)| at);
    // refused by the parser (which reads it when no stand-in could be), or read as a
    // stand-in out of place: starting a token, or in a tag or a block scalar's header
    let refused = info.contains("byte order mark");
    let mark = if refused { byte_order_mark_on_line(text, marked) } else { byte_order_mark_in_token(text, marked) };
    let byte_order_mark = refused || mark.is_some();
    // an escape in double quotes: where it is, and what is wrong with it
    let escape = if info.contains("invalid Unicode character escape") {
        no_character_escape(text, marked)
    } else if info.contains("unknown escape") || info.contains("hexadecimal") {
        bad_escape(text, marked).map(|at| (at, BACKSLASH_FIX.to_string()))
    } else if info.contains("quoted scalar") {
        escaped_closing_quote(text, marked)
    } else {
        None
    };
    // a line where a key was expected holds no `key: value` (the parser marks the
    // line after it, or the file's end): that line is the one to point at
    let no_key = info.contains("simple key").then(|| line_without_key(&lines, marker.line())).flatten();
    // a `- ` entry inside a `{ }` or `[ ]` a line above left open (the parser marks the entry)
    let left_open =
        info.contains("only valid inside a block").then(|| bracket_left_open(&lines, marker.line())).flatten();
    // the byte of its line the parser marks
    let marked_in_line = line.char_indices().nth(marker.col()).map_or(line.len(), |(at, _)| at);
    let value_fix = (!at_end).then(|| value_fix(line, info.contains("flow"), marked_in_line)).flatten();
    // `'Don't'`: the quote that ends the value early, which the parser calls double
    // whichever it is
    let early_quote = info.contains("trailing content after").then(|| quote_inside(line, marked_in_line)).flatten();
    let info = match &early_quote {
        Some((quote, _)) if *quote == '\'' => info.replace("double-quoted", "single-quoted"),
        _ => info.to_string(),
    };
    let info = info.as_str();
    let fix = match () {
        _ if escape.is_some() => escape.as_ref().map(|(_, fix)| fix.clone()).unwrap_or_default(),
        _ if no_key.is_some() => no_key.as_ref().map(|(_, fix)| fix.clone()).unwrap_or_default(),
        _ if left_open.is_some() => left_open.as_ref().map(|(_, fix)| fix.clone()).unwrap_or_default(),
        // invisible in an editor: the fix is to find it and remove it, not to quote
        _ if byte_order_mark => "remove the invisible character U+FEFF (a byte order mark) at this point: editors do not show it, and text copied from web pages or documents often carries it".to_string(),
        // the brackets nest past the parser's limit: no value to quote
        _ if info.contains("recursion limit") => format!("the YAML nests deeper than {MAX_DEPTH} levels here; flatten it"),
        // `resource: {id}/x`: a `{` or `[` starts a mapping or list, which ends too early;
        // `{ resource: /tickets/{id} }`: in a flow mapping, brackets and `: ` in a plain value are YAML's
        _ if value_fix.is_some() => value_fix.unwrap_or_default(),
        _ if early_quote.is_some() => early_quote.as_ref().map(|(_, fix)| fix.clone()).unwrap_or_default(),
        // the parser's words for an open bracket or quote say so already
        _ if at_end && !info.contains("flow") && !info.contains("quoted") => "the file ends inside something still open: close the `[`, `{` or quote opened before, or give the last key its value".to_string(),
        _ => syntax_fix(info).to_string(),
    };
    // the parser marks where the scalar or block it was reading starts, which may be
    // the line before the tab it complains of
    let tab = info.contains("tab").then(|| tab_complained_of(text, marked)).flatten();
    // past the last line, the marker names a line the file does not have: the end of
    // its last text is where the missing part goes
    let end_of_text = || Span::after(text.trim_end());
    let span = tab
        .or(escape.map(|(at, _)| at))
        .or(no_key.map(|(at, _)| at))
        .or(left_open.map(|(at, _)| at))
        .or(mark)
        .unwrap_or_else(|| if at_end { end_of_text() } else { Span::new(marker.line(), marker.col() + 1) });
    Diagnostic::error(span, format!("invalid YAML: {info}; {fix}"))
}

/// Where the tab is that the parser complains of, stopping at byte `marked` of
/// `text`: that character, a tab in the indentation of its line, or else the first
/// tab in the indentation of a line after it (the parser marks the start of a
/// scalar that a tab-indented line ends).
fn tab_complained_of(text: &str, marked: usize) -> Option<Span> {
    let line_start = text[..marked].rfind(['\r', '\n']).map_or(0, |at| at + 1);
    let indentation_tab = |line_start: usize| {
        let line = &text[line_start..];
        let indentation = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indentation.find('\t').map(|offset| line_start + offset)
    };
    let at = if text[marked..].starts_with('\t') {
        Some(marked)
    } else if let Some(at) = indentation_tab(line_start).filter(|&at| at < marked) {
        Some(at)
    } else {
        let line_starts = text[marked..].match_indices(['\r', '\n']).map(|(at, _)| marked + at + 1);
        line_starts.filter(|&start| start < text.len()).find_map(indentation_tab)
    }?;
    Some(Span::after(&text[..at]))
}

/// The byte offset of the first escape in the double-quoted text that starts at
/// byte `marked` of `text` (on any of its lines) that `is_wanted` says is the one
/// (given the text from its `\`); an escaped `\\` is no escape.
fn first_escape(text: &str, marked: usize, is_wanted: impl Fn(&str) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = opening_quote(text, marked)? + 1;
    loop {
        match bytes.get(at)? {
            b'"' => return None,
            b'\\' if is_wanted(&text[at..]) => return Some(at),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
}

/// How to write a backslash, or an escape, in double quotes.
const BACKSLASH_FIX: &str = "a `\\` in double quotes starts an escape (`\\x` takes two hex digits, `\\u` four, `\\U` eight: `\\u00e9`): write `\\\\` for a backslash, or quote the value with single quotes (`'C:\\Users'`)";

/// The first escape YAML does not read in the double-quoted text that starts at
/// byte `marked` of `text`: an unknown letter (`\d` of a regular expression) or
/// too few hex digits (`\U` of a Windows path, `\Users`).
fn bad_escape(text: &str, marked: usize) -> Option<Span> {
    let bad = |escape: &str| {
        let mut chars = escape[1..].chars();
        let digits = match chars.next() {
            // a backslash at the end of a line: the line break is escaped
            None | Some('\n' | '\r') => return false,
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            Some(letter) => return !"0abt\tnvfre \"/\\N_LP".contains(letter),
        };
        !chars.take(digits).filter(char::is_ascii_hexdigit).count().eq(&digits)
    };
    first_escape(text, marked, bad).map(|at| Span::after(&text[..at]))
}

/// The first `\u` or `\U` escape of no character (a UTF-16 surrogate, a code past
/// U+10FFFF) in the double-quoted text that starts at byte `marked` of `text`:
/// where it is, and how to write it (a surrogate pair, as JSON writes a character
/// past U+FFFF, in one `\U` escape).
fn no_character_escape(text: &str, marked: usize) -> Option<(Span, String)> {
    let at = first_escape(text, marked, |escape| {
        code_unit(escape).is_some_and(|(code, ..)| char::from_u32(code).is_none())
    })?;
    let (high, high_hex, length) = code_unit(&text[at..])?;
    if !(0xD800..0xE000).contains(&high) {
        let fix = format!("`{high_hex}` is past U+10FFFF, the last Unicode character: check its code");
        return Some((Span::after(&text[..at]), fix));
    }
    let low = text
        .get(at + length..)
        .and_then(code_unit)
        .filter(|&(low, ..)| (0xD800..0xDC00).contains(&high) && (0xDC00..0xE000).contains(&low));
    let pair = low.and_then(|(low, low_hex, _)| {
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map(|c| (c, low_hex))
    });
    let fix = match pair {
        Some((c, low_hex)) => format!(
            "YAML does not read `{high_hex}{low_hex}`, the two UTF-16 halves of `{c}` (as JSON escapes it): write it as one, `\\U{:08X}`, or write `{c}` itself",
            u32::from(c)
        ),
        None => format!("`{high_hex}` is half of a UTF-16 pair, no character on its own: write the character (or its `\\U` escape) instead"),
    };
    Some((Span::after(&text[..at]), fix))
}

/// The code of the `\u` or `\U` escape `escape` starts with, the escape as written,
/// and its length.
fn code_unit(escape: &str) -> Option<(u32, &str, usize)> {
    let length = match escape.get(..2)? {
        "\\u" => 6,
        "\\U" => 10,
        _ => return None,
    };
    let written = escape.get(..length)?;
    let code = u32::from_str_radix(&written[2..], 16).ok()?;
    Some((code, written, length))
}

/// A double-quoted text that starts at byte `marked` of `text` whose first `\"`
/// that ends the value as written (nothing but a comment or the end of a flow
/// collection after it) is no pair's second: an escaped quote the writer took for the
/// closing one (`"C:\temp\"`); where it is, and how to end the value with a backslash.
fn escaped_closing_quote(text: &str, marked: usize) -> Option<(Span, String)> {
    let quote = opening_quote(text, marked)?;
    let line = rest_of_line(text, quote);
    let escaped_quote = |at: usize| line[..=at].bytes().rev().take_while(|&byte| byte == b'\\').count() % 2 == 1;
    let ends_the_value = |at: usize| {
        let after = line[at + 2..].trim_start();
        after.is_empty() || after.starts_with(['#', ',', '}', ']'])
    };
    let escaped: Vec<usize> = line.match_indices("\\\"").map(|(at, _)| at).filter(|&at| escaped_quote(at)).collect();
    let position = escaped.iter().position(|&at| ends_the_value(at))?;
    // paired escaped quotes before it are meant (`\"hi\"`); an odd one out means the
    // closing quote was forgotten after it (`"the \"id\"`)
    if position % 2 == 1 {
        return None;
    }
    let at = escaped[position];
    let fix = "`\\\"` is an escaped quote, not the end of the value: write `\\\\` for a backslash before the closing quote (`\"C:\\\\temp\\\\\"`), or quote the value with single quotes (`'C:\\temp\\'`)";
    Some((Span::after(&text[..quote + at]), fix.to_string()))
}

/// Where a byte order mark (U+FEFF) is in the token that starts at byte `marked` of
/// `text`, when it starts the token or the token is a tag (`!!str`), an anchor or
/// alias (`*base`) or a block scalar's header (`|-`): a mark in a value is text, and
/// the error is elsewhere.
fn byte_order_mark_in_token(text: &str, marked: usize) -> Option<Span> {
    let token = &text[marked..];
    let token = &token[..token.find([' ', '\t', '\n', '\r']).unwrap_or(token.len())];
    if !token.starts_with(['\u{feff}', '!', '|', '>', '*', '&']) {
        return None;
    }
    token.find('\u{feff}').map(|offset| Span::after(&text[..marked + offset]))
}

/// Where the first byte order mark (U+FEFF) is from byte `marked` of `text` to
/// the end of its line.
fn byte_order_mark_on_line(text: &str, marked: usize) -> Option<Span> {
    rest_of_line(text, marked).find('\u{feff}').map(|offset| Span::after(&text[..marked + offset]))
}

/// Byte `marked` of `text`, when it is the `"` that opens a double-quoted text.
fn opening_quote(text: &str, marked: usize) -> Option<usize> {
    text[marked..].starts_with('"').then_some(marked)
}

/// The text of `text` from byte `from` to the end of its line.
fn rest_of_line(text: &str, from: usize) -> &str {
    let rest = &text[from..];
    &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
}

/// The lines of `text`, as YAML ends them: at `\n`, `\r\n`, or a `\r` alone (the
/// parser's line numbers count them so); a last line break starts no line.
pub(super) fn yaml_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        lines.push(&rest[..end]);
        let line_break = if rest[end..].starts_with("\r\n") { 2 } else { usize::from(end < rest.len()) };
        rest = &rest[end + line_break..];
    }
    lines
}

/// Where a `{` or `[` is, and how to fix it, that a line before line `marked`
/// (1-based) of `lines` opens and does not close: the nearest such line. A ` #`
/// starts a comment, which may be what hides the closing bracket.
fn bracket_left_open(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let (index, line, open) = lines[..marked.saturating_sub(1).min(lines.len())]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, line)| Some((index, *line, last_unclosed(line)?)))?;
    let comment = line[open..].find(" #").is_some();
    let fix = match comment {
        true => "a `#` after a blank starts a comment, which hides the rest of this line and the bracket that closes this `{` or `[`: quote the value that holds the `#`",
        false => "this `{` or `[` is not closed on its line, so the entries after it are read inside it: close it",
    };
    Some((Span::new(index + 1, line[..open].chars().count() + 1), fix.to_string()))
}

/// The byte of the last `{` or `[` that `line` opens and does not close, outside
/// quoted text and before a comment.
fn last_unclosed(line: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut value_starts = true;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') if previous == ' ' => break,
            (None, '"' | '\'') if value_starts => quote = Some(c),
            (None, '{' | '[') => open.push(at),
            (None, '}' | ']') => {
                open.pop();
            }
            _ => {}
        }
        value_starts = quote.is_none() && matches!(c, '{' | '[' | ',' | ':' | ' ');
        previous = c;
    }
    open.last().copied()
}

/// Where the text is, and how to fix it, that stands where a key was expected: the
/// last line with something on it before line `marked` (1-based) of `lines`, which
/// is a key glued to its value (`method:GET`) or text that is no `key: value` (the
/// lines of a `>` or `|` value not indented under its key).
fn line_without_key(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let (index, line) = lines[..marked.saturating_sub(1).min(lines.len())]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))?;
    let indented = line.trim_start();
    let text = indented.strip_prefix("- ").map_or(indented, str::trim_start);
    let column = line.chars().count() - text.chars().count() + 1;
    let text = text.split_once(" #").map_or(text, |(text, _comment)| text).trim_end();
    // `method:GET`, not a URL (`https://..`) written under its key
    let glued = text.split_once(':').filter(|(key, value)| {
        !key.is_empty() && !key.contains(char::is_whitespace) && !value.is_empty() && !value.starts_with([' ', '/'])
    });
    let fix = match glued {
        // the value is not shown: it may be a secret written where its reference goes
        Some((key, _)) => format!("put a space after `{key}:`"),
        None => "this line is no `key: value`: write it as one, or, if it goes on the value above (after `>` or `|`), indent it more than that value's key".to_string(),
    };
    Some((Span::new(index + 1, column), fix))
}

/// How to fix a value YAML reads otherwise than meant, on the line the parser marks
/// (byte `marked`): a value starting with a bracket that text follows, or a plain
/// value in a flow mapping holding brackets or `: `; a key written after either is
/// more likely a missing comma. A secret's value is not shown.
fn value_fix(line: &str, in_flow: bool, marked: usize) -> Option<String> {
    if let Some(BracketedValue { key, value, after, rest }) = flow_value_with_more(line, in_flow, marked) {
        let quote_it = match shown_quoted(key, value) {
            Some(quoted) => format!("quote it: `{key}: {quoted}{rest}`"),
            None => "quote the value".to_string(),
        };
        return Some(match key_starting(after) {
            // `environments: { live: {} } operations: []`
            Some(next) => format!("put a `,` before `{next}` if it is a key of its own; else a value starting with `{{` or `[` is a mapping or list in YAML: {quote_it}"),
            None => format!("a value starting with `{{` or `[` is a mapping or list in YAML; {quote_it}"),
        });
    }
    let PlainValue { key, value, unclosed } = plain_flow_value(line, in_flow, marked)?;
    if unclosed {
        return Some(format!(
            "a `{{` or `[` in the value of `{key}` is still open at the `,` after it: close it (`{{ticket_id}}`), or quote the value"
        ));
    }
    let quote_it = match shown_quoted(key, value) {
        Some(quoted) => format!("quote it: `{key}: {quoted}`"),
        None => "quote the value".to_string(),
    };
    // `username: agent password: x`
    Some(match value.split_once(": ").and_then(|(before, _)| before.rsplit_once(' ')) {
        Some((_, inner)) => format!("put a `,` before `{inner}` if it is a key of its own; else, in a `{{ }}` mapping or `[ ]` list, a value holding `: ` needs quotes: {quote_it}"),
        None => format!("in a `{{ }}` mapping or `[ ]` list, a value holding `{{`, `[` or `: ` needs quotes; {quote_it}"),
    })
}

/// `value`, the value of `key`, quoted to show in a fix; `None` when it is too long
/// to show, or may be a secret (a literal where a secret's reference goes).
fn shown_quoted(key: &str, value: &str) -> Option<String> {
    // a secret's setting written in the value too (`X{Key, value: abc }`)
    let holds_secret = SECRET_SETTINGS.iter().any(|setting| value.contains(&format!("{setting}:")));
    let shown = value.chars().count() <= SHOWN_VALUE_CHARS && !SECRET_SETTINGS.contains(&key) && !holds_secret;
    shown.then(|| quoted(value))
}

/// The key `text` starts with, when it starts `key: ` (or `key:` at its end).
fn key_starting(text: &str) -> Option<&str> {
    let (key, rest) = text.trim_start().split_once(':')?;
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    (is_key && (rest.is_empty() || rest.starts_with(' '))).then_some(key)
}

/// A value starting with `{` or `[` that text follows past the bracket closing it
/// (`resource: {id}/x`), which YAML reads as a mapping or list ending too early.
struct BracketedValue<'l> {
    key: &'l str,
    /// The value as written, the text after its bracket included.
    value: &'l str,
    /// The text after its bracket.
    after: &'l str,
    /// What follows the value on its line: in a flow mapping or list, from the `,` or
    /// bracket that ends the value on.
    rest: &'l str,
}

/// A `key: {` or `key: [` of a line whose bracket has closed: where its key and
/// value start, where its bracket closes, how deep in brackets the value is, and,
/// once known, where the value ends.
struct Candidate {
    key: Range<usize>,
    value: usize,
    close: usize,
    depth: usize,
    end: Option<usize>,
}

/// The value of `line` that starts with `{` or `[` and has text after its closing
/// bracket, where the parser marks the line (byte `marked`): a value the parser
/// stumbles inside of (a missing comma in one-line JSON) is no value to quote. A
/// mapping or list that nests others (`live: { auth: { .. } }`) is closed by its own
/// bracket, not the first; inside a flow mapping or list (`in_flow`), a value ends at
/// the next `,` or at the bracket that closes it. Quoted text is skipped, and the
/// line is read once, whatever its length.
fn flow_value_with_more(line: &str, in_flow: bool, marked: usize) -> Option<BracketedValue<'_>> {
    let line = line.split_once(" #").map_or(line, |(line, _comment)| line).trim_end();
    // the open brackets, each with the key it is the value of, if any
    let mut open: Vec<Option<(Range<usize>, usize)>> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    // candidates whose value has closed and whose end is not found yet, deepest last
    let mut ending: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    // a quote opens quoted text only where a value starts, not inside a word (`isn't`)
    let mut value_starts = true;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            // `''` is a quote inside single quotes
            (Some('\''), '\'') if chars.peek().is_some_and(|&(_, next)| next == '\'') => {
                chars.next();
            }
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if value_starts => quote = Some(c),
            (None, '{' | '[') => open.push(key_before(line, at).map(|key| (key, at))),
            (None, '}' | ']') => {
                // the values directly in the mapping or list it closes end here; a bracket
                // this line did not open closes the flow mapping or list the line is in
                if !open.is_empty() || in_flow {
                    end_at(
                        &mut candidates,
                        &mut ending,
                        open.len().saturating_sub(1) + usize::from(!open.is_empty()),
                        at,
                    );
                }
                let depth = open.len().saturating_sub(1);
                if let Some((key, value)) = open.pop().flatten() {
                    ending.push(candidates.len());
                    candidates.push(Candidate { key, value, close: at, depth, end: None });
                }
            }
            // a `,` ends the values beside it in a flow mapping or list (elsewhere it is text)
            (None, ',') if !open.is_empty() || in_flow => end_at(&mut candidates, &mut ending, open.len(), at),
            _ => {}
        }
        value_starts = quote.is_none() && matches!(c, '{' | '[' | ',' | ':' | ' ');
    }
    let found = candidates.iter().find(|candidate| {
        let end = candidate.end.unwrap_or(line.len());
        candidate.close < marked && marked <= end && !line[candidate.close + 1..end].trim().is_empty()
    })?;
    let value = line[found.value..found.end.unwrap_or(line.len())].trim_end();
    let rest = &line[found.value + value.len()..];
    let after = &line[found.close + 1..found.value + value.len()];
    Some(BracketedValue { key: &line[found.key.clone()], value, after, rest })
}

/// The quote and the fix of a quoted value that ends before the parser expects,
/// which marks `line` just after it (byte `marked`): a quote inside it (`'Don't
/// worry'`: the value as meant runs to the quote that a `,`, a closing bracket or
/// the line's end follows), or, after a blank, a missing comma (`"a" "b"`).
fn quote_inside(line: &str, marked: usize) -> Option<(char, String)> {
    let (close, quote) = line.get(..marked)?.trim_end().char_indices().last()?;
    if !matches!(quote, '\'' | '"') {
        return None;
    }
    if line[close + 1..].starts_with(char::is_whitespace) {
        // in a flow mapping (a JSON line, or one that opens a bracket before), another
        // value or key after a blank is one a comma should part from it
        let before = &line[..close];
        let in_flow = line.trim_start().starts_with('"')
            || before.matches(['{', '[']).count() > before.matches(['}', ']']).count();
        return in_flow.then(|| (quote, "put a `,` between this value and the next".to_string()));
    }
    let open = line[..close].rfind(quote)?;
    let ends_value = |at: usize| {
        let after = line[at + 1..].trim_start();
        after.is_empty() || after.starts_with([',', '}', ']']) || after.starts_with('#')
    };
    let last = line[close + 1..].match_indices(quote).map(|(at, _)| close + 1 + at).find(|&at| ends_value(at))?;
    let inner = &line[open + 1..last];
    let secret = key_before(line, open).is_some_and(|key| SECRET_SETTINGS.contains(&&line[key]));
    let fix = match quote {
        '\'' if secret => "a `'` inside single quotes is written twice (`''`)".to_string(),
        '\'' => format!("a `'` inside single quotes is written twice: `'{}'`", inner.replace('\'', "''")),
        _ if secret => "a `\"` inside double quotes is written `\\\"`".to_string(),
        _ => format!("a `\"` inside double quotes is written `\\\"`: `\"{}\"`", inner.replace('"', "\\\"")),
    };
    Some((quote, fix))
}

/// The key and the value as meant of a plain value in a flow mapping or list that
/// holds what YAML reads as its own there (`resource: /tickets/{id}`, `description:
/// Note: cached`), where the parser marks the line (byte `marked`): a value that
/// needs quotes. The value runs to the `,` or bracket that ends it, brackets it
/// opens itself included.
fn plain_flow_value(line: &str, in_flow: bool, marked: usize) -> Option<PlainValue<'_>> {
    let colon = line.get(..marked)?.rfind(": ")?;
    let key_start =
        line[..colon].rfind(|c: char| c.is_whitespace() || matches!(c, '{' | '[' | ',')).map_or(0, |at| at + 1);
    let key = &line[key_start..colon];
    let before = &line[..key_start];
    let opened = before.matches(['{', '[']).count() > before.matches(['}', ']']).count();
    let start = colon + 2 + (line[colon + 2..].len() - line[colon + 2..].trim_start().len());
    if key.is_empty() || !(in_flow || opened) || line[start..].starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let mut depth = 0usize;
    let mut end = line.len();
    let mut unclosed = false;
    for (at, c) in line[start..].char_indices() {
        match c {
            // a comment starts: the line's value ends before it
            '#' if line[..start + at].ends_with(' ') => {
                end = start + at;
                break;
            }
            ',' if depth > 0 => unclosed = true,
            '{' | '[' => depth += 1,
            '}' | ']' if depth == 0 => {
                end = start + at;
                break;
            }
            '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                end = start + at;
                break;
            }
            _ => {}
        }
    }
    let value = line[start..end].trim_end();
    let needs_quotes = value.contains(['{', '[', '}', ']']) || value.contains(": ");
    (needs_quotes && (start..=start + value.len()).contains(&marked)).then_some(PlainValue { key, value, unclosed })
}

/// A plain value in a flow mapping or list that needs quotes there.
struct PlainValue<'l> {
    key: &'l str,
    /// As meant: to the `,` or bracket that ends it, brackets it opens included.
    value: &'l str,
    /// Whether a bracket it opens is still open at a `,` (`/tickets/{id, next: ..`):
    /// more likely a bracket left open than a value to quote.
    unclosed: bool,
}

/// Ends at byte `at` the values in `ending` that are `depth` or more brackets deep.
fn end_at(candidates: &mut [Candidate], ending: &mut Vec<usize>, depth: usize, at: usize) {
    while let Some(&last) = ending.last() {
        if candidates[last].depth < depth {
            break;
        }
        candidates[last].end = Some(at);
        ending.pop();
    }
}

/// The key whose value a bracket at byte `at` of `line` starts (`resource: {`), if
/// it is one: a word, then `:` and blanks, before it.
fn key_before(line: &str, at: usize) -> Option<Range<usize>> {
    let before = &line[..at];
    let colon = before.trim_end();
    if colon.len() == before.len() || !colon.ends_with(':') {
        return None;
    }
    let key_end = colon.len() - 1;
    let key_start =
        line[..key_end].rfind(|c: char| c.is_whitespace() || matches!(c, '{' | '[' | ',')).map_or(0, |at| at + 1);
    (key_start < key_end).then_some(key_start..key_end)
}

/// `value` quoted for YAML: in `"..."`, or in `'...'` (only `'` doubled) when it
/// holds a `"` or `\`, which double quotes would need escaped.
pub(crate) fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// The longest value shown quoted in a fix: a longer one would make the line unreadable.
const SHOWN_VALUE_CHARS: usize = 120;

/// How to fix an alias whose anchor is not defined before it.
pub(super) const UNKNOWN_ANCHOR_FIX: &str =
    "define the anchor (`&name`) before the alias (`*name`), or write the value out";

/// How to fix the parser's complaint `info`, for the common ones.
fn syntax_fix(info: &str) -> &'static str {
    if info.contains("unprintable") {
        "remove the control character here; a file saved as UTF-16 shows as NUL bytes: save it as UTF-8"
    } else if info.contains("unknown anchor") {
        UNKNOWN_ANCHOR_FIX
    } else if info.contains("tab") {
        "indent with spaces, not tabs"
    } else if info.contains("may not precede") {
        "put a space after the `:`, before the `[` or `{`"
    } else if info.contains("flow") {
        "close the `[` or `{` opened before this point, with `,` between its items"
    } else if info.contains("mapping values are not allowed") {
        "quote a value that holds `: ` (`description: \"note: this\"`), or check this line's indentation"
    } else if info.contains("indentation in quoted scalar") {
        "the quoted value starting here goes on to the next lines: close its quote (a value that does go on must indent those lines more than its key)"
    } else if info.contains("hexadecimal") || info.contains("unknown escape") {
        BACKSLASH_FIX
    } else if info.contains("block scalar") && info.contains("comment or line break") {
        "the text of a `|` or `>` value starts on the next line, indented more than its key; a value on one line needs no `|` or `>`"
    } else if info.contains("did not find expected") || info.contains("block") || info.contains("indent") {
        "check this line's indentation against the lines above: YAML nests by indentation"
    } else if info.contains("unclosed") || info.contains("end of stream") || info.contains("while scanning a quoted") {
        "close the quote or bracket opened before this point"
    } else {
        "check the YAML syntax around this point (quote values with `:`, `#`, `{` or `[` in them)"
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_lines;

    #[test]
    fn lines_end_as_yaml_ends_them() {
        for text in ["", "\n", "a", "a\n", "a\r\nb", "a\r\n\r\nb\r\n", "a\n\nb\n"] {
            assert_eq!(yaml_lines(text), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
        assert_eq!(yaml_lines("a\rb\r\rc\r"), ["a", "b", "", "c"]);
    }
}

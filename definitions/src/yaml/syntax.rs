//! What is wrong with a text the parser cannot read, said with how to fix it.

use saphyr_parser::{Parser, ScanError};

use super::indentation::{dash_without_space, indented_into_value, misindented_key};
use super::line_fix::{
    bracket_left_open, in_secret_context, inside_bracket_indented_too_little, line_without_key, opened_above,
    quote_inside, slash_comment, tab_after_indicator, value_fix,
};
use super::MAX_DEPTH;
use crate::diagnostics::Diagnostic;
use crate::model::Span;

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

/// The fix for a byte order mark where YAML reads none.
const BYTE_ORDER_MARK_FIX: &str = "remove the invisible character U+FEFF (a byte order mark) at this point: editors do not show it, and text copied from web pages or documents often carries it";

/// The fix for a file that ends before what it opened is closed.
const ENDS_INSIDE_FIX: &str =
    "the file ends inside something still open: close the `[`, `{` or quote opened before, or give the last key its value";

/// The parser's `error` in `text`, pointed at the place to fix and said with the fix.
pub(super) fn scan_error(error: &ScanError, text: &str) -> Diagnostic {
    let marked = Marked::new(error, text);
    let byte_order_mark = marked.byte_order_mark();
    let placed = marked.placed_fix().filter(|_| !byte_order_mark.starts_line);
    let fix = marked.fix(placed.as_ref(), byte_order_mark.found);
    let span = marked.span(placed.map(|(at, _)| at), byte_order_mark.at);
    Diagnostic::error(span, marked.message(&fix))
}

/// The place in a text the parser marks, and what it says there: what each step
/// of [`scan_error`] reads.
struct Marked<'t> {
    text: &'t str,
    lines: Vec<&'t str>,
    /// The marked line's number (1-based), as the parser counts lines.
    line_number: usize,
    /// The marked column (0-based), in characters.
    column: usize,
    /// The marked line's text; empty past the last line.
    line: &'t str,
    /// Whether the parser marks past the last line.
    at_end: bool,
    /// The byte the parser marks (it counts characters).
    marked: usize,
    /// The byte of its line the parser marks.
    marked_in_line: usize,
    /// Whether a value there may be shown in a fix.
    shown: bool,
    /// What the parser says, in its words.
    parser_info: &'t str,
    /// What the message says the parser says: its words, with the quote of a
    /// single-quoted value named right.
    info: String,
}

/// A byte order mark (U+FEFF) the parser stumbled on.
struct ByteOrderMark {
    /// Whether there is one, where it is found or not.
    found: bool,
    /// Where it is, when found.
    at: Option<Span>,
    /// Whether it starts a line, and so is the cause of what the parser says.
    starts_line: bool,
}

impl<'t> Marked<'t> {
    fn new(error: &'t ScanError, text: &'t str) -> Self {
        let marker = error.marker();
        let lines = yaml_lines(text);
        let line = lines.get(marker.line().saturating_sub(1)).copied().unwrap_or_default();
        let marked_in_line = line.char_indices().nth(marker.col()).map_or(line.len(), |(at, _)| at);
        Marked {
            text,
            line_number: marker.line(),
            column: marker.col(),
            line,
            at_end: lines.len() < marker.line(),
            marked: text.char_indices().nth(marker.index()).map_or(text.len(), |(at, _)| at),
            marked_in_line,
            // a value of a secret's setting, or of an `auth:` or `tls:` block, is not shown in a fix
            shown: !in_secret_context(&lines, marker.line().saturating_sub(1), marked_in_line),
            parser_info: error.info(),
            info: info_naming_its_quote(error.info(), line, marked_in_line),
            lines,
        }
    }

    /// The byte order mark the parser stumbled on, if it did.
    fn byte_order_mark(&self) -> ByteOrderMark {
        // refused by the parser (which reads it when no stand-in could be), or read as a
        // stand-in out of place: starting a token, or in a tag or a block scalar's header
        let refused = self.parser_info.contains("byte order mark");
        // or at the start of a line, where joined files leave it: the cause of what the
        // parser says of that line or the next, before any fix for them
        let starting_line =
            (!refused).then(|| byte_order_mark_starting_line(self.text, &self.lines, self.line_number)).flatten();
        let at = if refused {
            byte_order_mark_on_line(self.text, self.marked)
        } else {
            byte_order_mark_in_token(self.text, self.marked).or(starting_line)
        };
        ByteOrderMark { found: refused || at.is_some(), at, starts_line: starting_line.is_some() }
    }

    /// A fix that comes with the place to point at, which the parser's marker misses:
    /// the first that applies.
    fn placed_fix(&self) -> Option<(Span, String)> {
        let escape = self.escape();
        let no_key = self.no_key();
        let left_open = self.left_open();
        let tab_after = self.tab_after();
        // a JavaScript comment: on the marked line, or a line above read as a value's start
        let slash = slash_comment(&self.lines, self.line_number, self.marked_in_line);
        let misindented = self.misindented();
        escape.or(slash).or(no_key).or(left_open).or(tab_after).or(misindented)
    }

    /// An escape in double quotes: where it is, and what is wrong with it.
    fn escape(&self) -> Option<(Span, String)> {
        let (info, text, marked) = (self.parser_info, self.text, self.marked);
        if info.contains("invalid Unicode character escape") {
            no_character_escape(text, marked)
        } else if info.contains("unknown escape") || info.contains("hexadecimal") {
            bad_escape(text, marked).map(|at| (at, BACKSLASH_FIX.to_string()))
        } else if info.contains("quoted scalar") {
            escaped_closing_quote(text, marked)
        } else {
            None
        }
    }

    /// A line where a key was expected holds no `key: value` (the parser marks the
    /// line after it, or the file's end): that line is the one to point at.
    fn no_key(&self) -> Option<(Span, String)> {
        let (lines, marked) = (&self.lines, self.line_number);
        self.parser_info
            .contains("simple key")
            .then(|| key_too_long(lines, marked).or_else(|| line_without_key(lines, marked)))
            .flatten()
    }

    /// A bracket left open, or closed where its lines are indented too little.
    fn left_open(&self) -> Option<(Span, String)> {
        let info = self.parser_info;
        // a `- ` entry inside a `{ }` or `[ ]` a line above left open (the parser marks the entry)
        // (or a line less indented than the bracket's, marked as if its indentation were wrong)
        let inside_flow = info.contains("only valid inside a block") || info == "invalid indentation";
        // (or one closed below, its lines indented too little)
        let indented_too_little = (info == "invalid indentation")
            .then(|| inside_bracket_indented_too_little(&self.lines, self.line_number))
            .flatten();
        indented_too_little.or_else(|| inside_flow.then(|| bracket_left_open(&self.lines, self.line_number)).flatten())
    }

    /// A tab after an indicator: YAML 1.2 reads a tab there as a space, but the parser
    /// refuses one before some values.
    fn tab_after(&self) -> Option<(Span, String)> {
        self.parser_info
            .contains("must be followed by a valid YAML whitespace")
            .then(|| tab_after_indicator(self.line, self.line_number, self.marked_in_line, self.shown))
            .flatten()
    }

    /// A `key:` in line with no key above it, or indented under a value and read as more of it
    /// (or a `-key:`, a `- ` without its space, the cause of either).
    fn misindented(&self) -> Option<(Span, String)> {
        let (info, lines, marked) = (&self.info, &self.lines, self.line_number);
        if info.contains("did not find expected key") || info.contains("did not find expected '-'") {
            dash_without_space(lines, marked).or_else(|| misindented_key(lines, marked, self.shown))
        } else if info.contains("mapping values are not allowed") {
            key_too_long(lines, marked)
                .or_else(|| dash_without_space(lines, marked))
                .or_else(|| indented_into_value(lines, marked, self.marked_in_line, self.shown))
        } else {
            None
        }
    }

    /// The fix to tell: the `placed` one, else the first of the others that applies
    /// (`byte_order_mark`: whether the parser stumbled on one).
    fn fix(&self, placed: Option<&(Span, String)>, byte_order_mark: bool) -> String {
        let info = self.info.as_str();
        let (value_fix, early_quote, alias_colon) = (self.value_fix(), self.early_quote(), self.alias_colon());
        placed
            .map(|(_, fix)| fix.clone())
            // invisible in an editor: the fix is to find it and remove it, not to quote
            .or_else(|| byte_order_mark.then(|| BYTE_ORDER_MARK_FIX.to_string()))
            // the brackets nest past the parser's limit: no value to quote
            .or_else(|| info.contains("recursion limit").then(nests_too_deep_fix))
            // the parser says a quoted value ended early: that, first
            .or(early_quote)
            .or(alias_colon)
            // `[a, , b]`: a `,` where an item goes
            .or_else(|| self.doubled_comma().then(|| DOUBLED_COMMA_FIX.to_string()))
            // `{ a: 1 }#note`: a `#` right after a bracket, a comma or a closing quote
            .or_else(|| info.contains("comments must be separated").then(|| GLUED_COMMENT_FIX.to_string()))
            // `resource: {id}/x`: a `{` or `[` starts a mapping or list, which ends too early;
            // `{ resource: /tickets/{id} }`: in a flow mapping, brackets and `: ` in a plain value are YAML's
            .or(value_fix)
            // a `{` or `[` left open lines above: where it is
            .or_else(|| info.contains("flow").then(|| opened_above(&self.lines, self.line_number, info)).flatten())
            // the parser's words for an open bracket or quote say so already
            .or_else(|| {
                (self.at_end && !info.contains("flow") && !info.contains("quoted")).then(|| ENDS_INSIDE_FIX.to_string())
            })
            .unwrap_or_else(|| syntax_fix(info).to_string())
    }

    /// The fix for the value at fault on the marked line.
    fn value_fix(&self) -> Option<String> {
        (!self.at_end)
            .then(|| value_fix(self.line, self.parser_info.contains("flow"), self.marked_in_line, self.shown))
            .flatten()
    }

    /// `'Don't'`: the quote that ends the value early.
    fn early_quote(&self) -> Option<String> {
        self.parser_info
            .contains("trailing content after")
            .then(|| quote_inside(self.line, self.marked_in_line, self.shown))
            .flatten()
    }

    /// `{*a: 1}`: the `:` read as part of the anchor's name.
    fn alias_colon(&self) -> Option<String> {
        self.info.contains("unknown anchor").then(|| alias_with_colon(self.text, self.marked)).flatten()
    }

    /// Whether the parser marks a `,` written where an item goes, after another (`[a, , b]`).
    fn doubled_comma(&self) -> bool {
        let (text, marked) = (self.text, self.marked);
        let after_comma = text[..marked].trim_end().ends_with(',');
        self.info.contains("did not find expected node content") && text[marked..].starts_with(',') && after_comma
    }

    /// Where to point: at the tab complained of, the `placed` fix's place, or the
    /// `byte_order_mark`, else where the parser marks.
    fn span(&self, placed: Option<Span>, byte_order_mark: Option<Span>) -> Span {
        // the parser marks where the scalar or block it was reading starts, which may be
        // the line before the tab it complains of
        let tab = self.info.contains("tab").then(|| tab_complained_of(self.text, self.marked)).flatten();
        tab.or(placed).or(byte_order_mark).unwrap_or_else(|| self.marker_span())
    }

    /// Where the parser marks.
    fn marker_span(&self) -> Span {
        // past the last line, the marker names a line the file does not have: the end of
        // its last text is where the missing part goes
        if self.at_end {
            Span::after(self.text.trim_end())
        } else {
            Span::new(self.line_number, self.column + 1)
        }
    }

    /// The message: what the parser says, with `fix`, but for a reserved indicator.
    fn message(&self, fix: &str) -> String {
        let info = &self.info;
        match reserved_indicator(info) {
            None => format!("invalid YAML: {info}; {fix}"),
            // a file as a chat answer wraps it, between ```yaml and ``` lines
            Some(_) if self.line.trim_start().starts_with("```") => MARKDOWN_FENCE.to_string(),
            Some(named) => format!(
                "invalid YAML: a key or value may not start with {named}, which YAML reserves; write it in double quotes"
            ),
        }
    }
}

/// The fix for brackets that nest past the parser's limit.
fn nests_too_deep_fix() -> String {
    format!("the YAML nests deeper than {MAX_DEPTH} levels, and the YAML reader gave up here, deeper still; flatten it")
}

/// The parser's `info` with the quote named right, for the value ending before byte
/// `marked_in_line` of `line`: it calls a quote double, whichever it is.
fn info_naming_its_quote(info: &str, line: &str, marked_in_line: usize) -> String {
    let single_quoted = line.get(..marked_in_line).is_some_and(|before| before.trim_end().ends_with('\''));
    match info.contains("trailing content after") && single_quoted {
        true => info.replace("double-quoted", "single-quoted"),
        false => info.to_string(),
    }
}

/// The fix for the alias that starts at byte `marked` of `text` when its name ends
/// in `:` (`{*a: 1}`) and the anchor without it is defined: YAML 1.2 reads the `:`
/// as part of the name, where PyYAML ends the name before it.
fn alias_with_colon(text: &str, marked: usize) -> Option<String> {
    let ends_name = |c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}');
    let name = text.get(marked..)?.strip_prefix('*')?;
    let name = &name[..name.find(ends_name).unwrap_or(name.len())];
    let anchor = name.strip_suffix(':').filter(|anchor| !anchor.is_empty())?;
    let defined = text
        .match_indices(&format!("&{anchor}"))
        .any(|(at, written)| text[at + written.len()..].chars().next().is_none_or(ends_name));
    defined.then(|| {
        format!("YAML reads the `:` right after an alias as part of its anchor's name (`{name}`); put a space before the `:` (`*{anchor} :`)")
    })
}

/// The longest key YAML reads: a key's text, quotes included, is at most 1024 characters.
const LONGEST_KEY: usize = 1024;

/// Where the key of line `marked` (1-based) of `lines` starts, and the fix, when it is
/// longer than YAML reads a key: the parser then says it expected a `:`, and marks
/// the line, not the key.
fn key_too_long(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let line = *lines.get(marked.checked_sub(1)?)?;
    let text = line.trim_start_matches([' ', '-']);
    let key_end = text
        .match_indices(':')
        .map(|(at, _)| at)
        .find(|&at| text[at + 1..].starts_with([' ', '\t']) || at + 1 == text.len())?;
    let length = text[..key_end].chars().count();
    (length > LONGEST_KEY).then(|| {
        let column = line[..line.len() - text.len()].chars().count() + 1;
        let fix = format!("this key is {length} characters long, and YAML reads a key of at most {LONGEST_KEY}: check what this line is meant to be");
        (Span::new(marked, column), fix)
    })
}

/// What a Markdown code fence's line (```` ```yaml ````) is told.
const MARKDOWN_FENCE: &str = "invalid YAML: this line is a Markdown code fence (```), as a chat answer or a README wraps a file; remove it, and the fence's other line if there is one";

/// The parser's "unexpected character" for `@`, a backtick or `%`, which YAML reserves to
/// start no plain value: the character as a message names it.
fn reserved_indicator(info: &str) -> Option<&'static str> {
    match info {
        "unexpected character: `@'" => Some("`@`"),
        "unexpected character: ``'" => Some("a backtick"),
        "unexpected character: `%'" => Some("`%`"),
        _ => None,
    }
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

/// Where a byte order mark (U+FEFF) starts line `marked` (1-based) of `lines` (the
/// lines of `text`) or one of the two above it, the last such, when it is what the
/// parser stumbled on: without it, the parser reads on past line `marked`. Files
/// joined by `cat`, each starting with one, leave it at the start of a line.
fn byte_order_mark_starting_line(text: &str, lines: &[&str], marked: usize) -> Option<Span> {
    let above = marked.saturating_sub(3)..marked.min(lines.len());
    let index = above.rev().find(|&index| lines[index].starts_with('\u{feff}'))?;
    // the line is a slice of `text`: where it starts there
    let start = lines[index].as_ptr() as usize - text.as_ptr() as usize;
    let without = [&text[..start], &text[start + '\u{feff}'.len_utf8()..]].concat();
    // the others as the parser reads them (`parse_within`)
    let without = match super::byte_order_mark_stand_in(&without) {
        Some(stand_in) if without.contains('\u{feff}') => {
            without.replace('\u{feff}', stand_in.encode_utf8(&mut [0; 4]))
        }
        _ => without,
    };
    let stumbles_again =
        Parser::new_from_str(&without).find_map(Result::err).is_some_and(|error| error.marker().line() <= marked);
    (!stumbles_again).then(|| Span::new(index + 1, 1))
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
    lines_with_breaks(text).map(|(line, _)| line).collect()
}

/// The lines of `text`, as [`yaml_lines`] splits them, each with the line break
/// that ends it (`""` for a last line without one).
pub(super) fn lines_with_breaks(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let line_break = if rest[end..].starts_with("\r\n") { 2 } else { usize::from(end < rest.len()) };
        let (line, line_break) = (&rest[..end], &rest[end..end + line_break]);
        rest = &rest[end + line_break.len()..];
        Some((line, line_break))
    })
}

/// How to fix a `#` written right after a bracket, a comma or a closing quote.
const GLUED_COMMENT_FIX: &str =
    "put a space before the `#` if it starts a comment, or write it inside the value's quotes if it is part of the value";

/// How to fix a `,` written where an item goes, after another.
const DOUBLED_COMMA_FIX: &str = "remove this `,`: two in a row leave an item out, which YAML (and JSON) refuses";

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
        "the quoted value starting here goes on to the next lines: if it ends on this line, close its quote; if it does go on, indent those lines more than its key"
    } else if info.contains("hexadecimal") || info.contains("unknown escape") {
        BACKSLASH_FIX
    } else if info.contains("block scalar") && info.contains("comment or line break") {
        "the text of a `|` or `>` value starts on the next line, indented more than its key; a value on one line needs no `|` or `>`"
    } else if info.contains("while scanning a tag") {
        "put a space after the tag (the `!` part of a value), or double-quote a value that starts with `!`"
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

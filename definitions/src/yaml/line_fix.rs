//! The fix of a line the parser stumbles on, read from the line itself: which value
//! YAML reads otherwise than meant (a bracket that ends it early, a quote inside
//! it, a key glued to it, a bracket left open), and how to write it instead.

use std::ops::Range;

use crate::advice::placement::{colon_after, key_missing_its_colon};
use crate::model::{every_setting, names_a_secret, Span, TLS_KEYS};

/// Where a `{` or `[` is, and how to fix it, that the lines up to line `marked`
/// (1-based) of `lines` open and do not close: the last such, on a line before it (a
/// bracket the marked line closes was closed, if not where YAML wants it). A ` #`
/// starts a comment, which may be what hides the closing bracket.
pub(super) fn bracket_left_open(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let (index, open) =
        still_open(&lines[..marked.min(lines.len())]).into_iter().rev().find(|&(index, _)| index + 1 < marked)?;
    let line = lines[index];
    // the bracket was read before the comment, if any
    let comment = without_comment(line).len() < line.len();
    let fix = match comment {
        true => "a `#` after a blank starts a comment, which hides the rest of this line and the bracket that closes this `{` or `[`: quote the value that holds the `#`",
        false => "this `{` or `[` is not closed on its line, so the entries after it are read inside it: close it",
    };
    Some((bracket_at(lines, (index, open)), fix.to_string()))
}

/// Where line `marked` (1-based) of `lines` goes on with a `{` or `[` that a line
/// above opened and that it or a line below closes, and the fix: YAML wants every
/// line inside it indented more than the key whose value it opens (PyYAML does not
/// check, so ADK files may be written so). `None` when a ` #` comment on the opening
/// line may hide its own closing bracket.
pub(super) fn inside_bracket_indented_too_little(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let line = lines.get(marked.checked_sub(1)?)?;
    let (bracket, _) = bracket_around(lines, marked)?;
    let opening = lines[bracket.0];
    if without_comment(opening).len() < opening.len() {
        return None;
    }
    let indentation = line.chars().take_while(|&c| c == ' ').count();
    Some((Span::new(marked, indentation + 1), goes_on_with(lines, bracket)))
}

/// The innermost `{` or `[` that a line above line `marked` (1-based) of `lines`
/// opens and that it or a line below closes: its line (0-based) and byte, and the
/// line (0-based) that closes it.
pub(super) fn bracket_around(lines: &[&str], marked: usize) -> Option<((usize, usize), usize)> {
    let &bracket = still_open(lines.get(..marked.checked_sub(1)?)?).last()?;
    Some((bracket, closed_at(lines, bracket)?))
}

/// Where the `{` or `[` at `bracket` (its line, 0-based, and byte) of `lines` is.
pub(super) fn bracket_at(lines: &[&str], (index, open): (usize, usize)) -> Span {
    Span::new(index + 1, lines[index][..open].chars().count() + 1)
}

/// The fix of a line inside the `{` or `[` at `bracket` (its line, 0-based, and
/// byte) of `lines`, indented too little for YAML to read it in it.
fn goes_on_with(lines: &[&str], bracket: (usize, usize)) -> String {
    let (index, open) = bracket;
    let (at, written) = (bracket_at(lines, bracket), &lines[index][open..open + 1]);
    format!("this line goes on with the `{written}` opened at line {}, column {}: indent it more than the key whose value that `{written}` opens", at.line, at.column)
}

/// The fix when the `{` or `[` the parser is inside, by its complaint `info`, was
/// opened on a line above line `marked` (1-based) of `lines`: where it was opened,
/// which the parser does not say (a `{` for a flow mapping, a `[` for a list), and
/// whether it is closed below, on lines too little indented.
pub(super) fn opened_above(lines: &[&str], marked: usize, info: &str) -> Option<String> {
    let wanted = match () {
        _ if info.contains("flow mapping") => Some('{'),
        _ if info.contains("flow sequence") => Some('['),
        _ => None,
    };
    let above = &lines[..marked.saturating_sub(1).min(lines.len())];
    let (index, open) = still_open(above)
        .into_iter()
        .rev()
        .find(|&(index, open)| wanted.is_none_or(|wanted| lines[index][open..].starts_with(wanted)))?;
    // closed further down, but by lines indented too little for YAML to read them in it
    let closed_below = closed_at(lines, (index, open)).is_some();
    if info.contains("indentation") && closed_below {
        return Some(goes_on_with(lines, (index, open)));
    }
    let (at, bracket) = (bracket_at(lines, (index, open)), &lines[index][open..open + 1]);
    Some(format!(
        "the `{bracket}` opened at line {}, column {} is still open: close it where its items end, with `,` between them",
        at.line, at.column
    ))
}

/// The line (0-based) and byte of each `{` and `[` that `lines` open and do not
/// close, in order, outside quoted text (which may go on over lines too) and before
/// comments: a flow mapping or list may go on over lines.
fn still_open(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut open: Vec<(usize, usize)> = Vec::new();
    brackets(lines, |index, at, c| match c {
        '{' | '[' => {
            open.push((index, at));
            true
        }
        _ => {
            open.pop();
            true
        }
    });
    open
}

/// The line (0-based) that closes the `{` or `[` at `bracket` (its line and byte) of
/// `lines`; `None` when none does.
fn closed_at(lines: &[&str], bracket: (usize, usize)) -> Option<usize> {
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut closed = None;
    brackets(lines, |index, at, c| match c {
        '{' | '[' => {
            open.push((index, at));
            true
        }
        _ => {
            closed = (open.pop() == Some(bracket)).then_some(index);
            closed.is_none()
        }
    });
    closed
}

/// Calls `each` with the line (0-based), byte and character of each bracket of
/// `lines` outside quoted text and comments, in order, while it returns `true`.
fn brackets(lines: &[&str], mut each: impl FnMut(usize, usize, char) -> bool) {
    // the quote a line starts inside of, opened on a line above
    let mut quote = None;
    for (index, line) in lines.iter().enumerate() {
        let mut outside = OutsideQuotes::inside(line, quote);
        for (at, c) in outside.by_ref() {
            match c {
                '{' | '[' | '}' | ']' if !each(index, at, c) => return,
                // a comment: the rest of the line
                '#' if at == 0 || line[..at].ends_with(char::is_whitespace) => break,
                _ => {}
            }
        }
        quote = outside.quote;
    }
}

/// The characters of a line outside quoted text, with their byte offsets. A quote
/// opens quoted text only where a value starts (not inside a word: `isn't`); `''`
/// inside single quotes and `\"` inside double quotes do not close it.
struct OutsideQuotes<'l> {
    chars: std::iter::Peekable<std::str::CharIndices<'l>>,
    quote: Option<char>,
    value_starts: bool,
}

impl<'l> OutsideQuotes<'l> {
    fn of(line: &'l str) -> Self {
        OutsideQuotes::inside(line, None)
    }

    /// The characters of `line` outside quoted text, when it starts inside the
    /// text of `quote`, opened on a line above.
    fn inside(line: &'l str, quote: Option<char>) -> Self {
        OutsideQuotes { chars: line.char_indices().peekable(), quote, value_starts: true }
    }
}

impl Iterator for OutsideQuotes<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        loop {
            let (at, c) = self.chars.next()?;
            let outside = match (self.quote, c) {
                (Some('"'), '\\') => {
                    self.chars.next();
                    false
                }
                (Some('\''), '\'') if self.chars.peek().is_some_and(|&(_, next)| next == '\'') => {
                    self.chars.next();
                    false
                }
                (Some(open), c) if c == open => {
                    self.quote = None;
                    false
                }
                (Some(_), _) => false,
                (None, '"' | '\'') if self.value_starts => {
                    self.quote = Some(c);
                    false
                }
                (None, _) => true,
            };
            self.value_starts = self.quote.is_none() && matches!(c, '{' | '[' | ',' | ':' | ' ');
            if outside {
                return Some((at, c));
            }
        }
    }
}

/// How to write a comment, for a `//` or `/*` (as JavaScript and JSON with comments
/// start one), which YAML reads as text.
pub(crate) const SLASH_COMMENT_FIX: &str =
    "`//` and `/* */` start no comment in YAML: start a comment with `#`, on a line of its own or after a space";

/// Whether `text` starts as a JavaScript comment does.
pub(crate) fn starts_slash_comment(text: &str) -> bool {
    text.starts_with("//") || text.starts_with("/*")
}

/// Where a `//` or `/*` comment is that the parser stumbles on, and how to fix it:
/// at byte `marked` of line `marked_line` (1-based) of `lines` (after a value:
/// `name: "a" // the API`), starting that line, or starting the last line with text
/// above it, which YAML reads as the start of a value that the next `key:` breaks.
pub(super) fn slash_comment(lines: &[&str], marked_line: usize, marked: usize) -> Option<(Span, String)> {
    let index = marked_line.saturating_sub(1).min(lines.len());
    let line = lines.get(index).copied().unwrap_or_default();
    let span = match line.get(marked..).is_some_and(starts_slash_comment) {
        true => Span::new(marked_line, line[..marked].chars().count() + 1),
        false => {
            let starting = |(index, line): (usize, &str)| {
                let text = line.trim_start();
                starts_slash_comment(text)
                    .then(|| Span::new(index + 1, line.chars().count() - text.chars().count() + 1))
            };
            let above = || last_text_line(&lines[..index]).and_then(starting);
            starting((index, line)).or_else(above)?
        }
    };
    Some((span, SLASH_COMMENT_FIX.to_string()))
}

/// Where the text is, and how to fix it, that stands where a key was expected: the
/// last line with something on it before line `marked` (1-based) of `lines`, which
/// is a key glued to its value (`method:GET`) or text that is no `key: value` (the
/// lines of a `>` or `|` value not indented under its key).
pub(super) fn line_without_key(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let (index, line) = last_text_line(&lines[..marked.saturating_sub(1).min(lines.len())])?;
    let indented = line.trim_start();
    let text = indented.strip_prefix("- ").map_or(indented, str::trim_start);
    let column = line.chars().count() - text.chars().count() + 1;
    let text = without_comment(text).trim_end();
    // `method:GET`, not a URL (`https://..`) written under its key
    let glued = text.split_once(':').filter(|(key, value)| {
        !key.is_empty() && !key.contains(char::is_whitespace) && !value.is_empty() && !value.starts_with([' ', '/'])
    });
    let fix = match (glued, key_missing_its_colon(text)) {
        // a space that is not one to YAML (a no-break space pasted from a document)
        (Some((key, value)), _) if value.starts_with(|c: char| !c.is_ascii() && c.is_whitespace()) => {
            let blank = value.chars().next().map_or(0, u32::from);
            format!("the character after `{key}:` is U+{blank:04X}, which YAML does not read as a space: replace it with a plain space")
        }
        // the value is not shown: it may be a secret written where its reference goes
        (Some((key, _)), _) => format!("put a space after `{key}:`"),
        (None, Some(key)) => colon_after(key),
        (None, None) => "this line is no `key: value`: write it as one, or, if it goes on the value above (after `>` or `|`), indent it more than that value's key".to_string(),
    };
    Some((Span::new(index + 1, column), fix))
}

/// Where the tab is between a `:` or `-` and the value at byte `marked` of `line`
/// (line `number`), which the parser refuses (`method:<tab>GET`), and the fix, which
/// names the key when it may be `shown`.
pub(super) fn tab_after_indicator(line: &str, number: usize, marked: usize, shown: bool) -> Option<(Span, String)> {
    let before = line.get(..marked)?;
    let indicator = before.trim_end_matches([' ', '\t']);
    let tab = indicator.len() + before[indicator.len()..].find('\t')?;
    let fix = match indicator.strip_suffix(':') {
        Some(key) if shown => {
            // the key alone: after the `{`, `[` or `,` before it on a line of flow style
            let key = key.rsplit(['{', '[', ',']).next().unwrap_or(key).trim_start();
            let key = key.strip_prefix("- ").map_or(key, str::trim_start);
            format!("write a space after `{key}:`, not a tab")
        }
        Some(_) => "write a space after the `:`, not a tab".to_string(),
        None if indicator.ends_with('-') => "write a space after the `-`, not a tab".to_string(),
        None => return None,
    };
    Some((Span::new(number, line[..tab].chars().count() + 1), fix))
}

/// Whether the value at byte `marked` of line `index` (0-based) of `lines` belongs to
/// a setting that takes a secret or to an `auth:` or `tls:` block, whose text no fix
/// shows: by its own key, the keys of the flow mappings and lists open around it on
/// its line, and the keys of the lines above that it is indented under (a value on
/// the line after its key included).
pub(super) fn in_secret_context(lines: &[&str], index: usize, marked: usize) -> bool {
    let Some(line) = lines.get(index) else { return false };
    // the keys of the lines above it is indented under, the outermost last
    let mut ancestors: Vec<&str> = Vec::new();
    let mut indent = indentation(line);
    for above in lines[..index].iter().rev() {
        let text = above.trim_start();
        if text.is_empty() || text.starts_with('#') || indentation(above) >= indent {
            continue;
        }
        indent = indentation(above);
        ancestors.push(text.trim_start_matches("- ").split(':').next().unwrap_or_default());
        if indent == 0 {
            break;
        }
    }
    let (open, current) = keys_open_at(line, marked);
    // a mocks file's values are test data, shown: under an `api_mocks:` block line
    let mocks = lines[..index].iter().any(|above| above.trim_end() == "api_mocks:")
        && ancestors.last().is_some_and(|&key| key == "api_mocks");
    if mocks {
        return false;
    }
    if open.iter().chain(&current).chain(&ancestors).any(|key| is_secret_key(key)) {
        return true;
    }
    // the line before, when a mapping it opens or its last key (`password:`) runs on here
    last_text_line(&lines[..index]).is_some_and(|(_, previous)| {
        let text = without_comment(previous);
        let (open, last) = keys_open_at(text, text.len());
        // `password:`, maybe with a tag or an anchor after it (`password: &pw`)
        let mut words = text.split_whitespace().rev().skip_while(|word| word.starts_with(['!', '&']));
        let runs_on = words.next().is_some_and(|word| word.ends_with(':'));
        open.iter().chain(last.iter().filter(|_| runs_on)).any(|key| is_secret_key(key))
    })
}

/// Whether the value of `key` may hold a secret: it names a secret's setting, or it is
/// a `tls:` block, whose lines may hold a PEM key pasted without its own key.
fn is_secret_key(key: &str) -> bool {
    names_a_secret(key) || key.trim().trim_matches(['"', '\'']).eq_ignore_ascii_case("tls")
}

/// `line` without its comment: from a `#` after a blank (outside quoted text) on.
pub(super) fn without_comment(line: &str) -> &str {
    let comment =
        OutsideQuotes::of(line).find(|&(at, c)| c == '#' && (at == 0 || line[..at].ends_with(char::is_whitespace)));
    comment.map_or(line, |(at, _)| &line[..at])
}

/// The last of `lines` that holds more than blanks or a comment, with its index.
pub(super) fn last_text_line<'l>(lines: &[&'l str]) -> Option<(usize, &'l str)> {
    let holds_text = |line: &&str| !line.trim().is_empty() && !line.trim_start().starts_with('#');
    lines.iter().copied().enumerate().rev().find(|(_, line)| holds_text(line))
}

/// How many `{` and `[` are open after `line`, `depth` being open before it: those
/// it opens less those it closes, outside quoted text and before a comment.
pub(super) fn flow_depth_after(line: &str, depth: usize) -> usize {
    OutsideQuotes::of(without_comment(line)).fold(depth, |depth, (_, c)| match c {
        '{' | '[' => depth + 1,
        '}' | ']' => depth.saturating_sub(1),
        _ => depth,
    })
}

/// How many of the `{` and `[` in `text` it leaves open (quoted text not told apart).
fn brackets_open_in(text: &str) -> usize {
    text.matches(['{', '[']).count().saturating_sub(text.matches(['}', ']']).count())
}

/// Where the key ends at byte `end` of `line` starts: after the blank, bracket or
/// comma before it (a blank may be more than one byte: U+0085, a no-break space).
fn key_start(line: &str, end: usize) -> usize {
    let before = line[..end].char_indices().rev().find(|&(_, c)| c.is_whitespace() || matches!(c, '{' | '[' | ','));
    before.map_or(0, |(at, c)| at + c.len_utf8())
}

/// The keys of `line` whose values are still open at byte `marked`: those of the
/// flow mappings and lists open there, and the key of the value it is in, if any.
/// Read once, outside quoted text.
fn keys_open_at(line: &str, marked: usize) -> (Vec<&str>, Option<&str>) {
    let mut open: Vec<Option<&str>> = Vec::new();
    let mut current: Option<&str> = None;
    // where the word being read starts: a key, if a `:` ends it
    let mut word = 0;
    for (at, c) in OutsideQuotes::of(line).take_while(|&(at, _)| at < marked) {
        match c {
            '{' | '[' => open.push(current.take()),
            '}' | ']' => {
                open.pop();
                current = None;
            }
            ',' => current = None,
            ':' => current = (word < at).then(|| &line[word..at]),
            _ => {}
        }
        if ends_word(c) {
            word = at + c.len_utf8();
        }
    }
    (open.into_iter().flatten().collect(), current)
}

/// Whether `c` ends a word that may be a key: a blank, a flow bracket, a `,` or a `:`.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '{' | '[' | ',' | ':')
}

/// How far `line` is indented, a `- ` counting as indentation for what follows it.
pub(super) fn indentation(line: &str) -> usize {
    let text = line.trim_start_matches([' ', '-']);
    line.len() - text.len()
}

/// Whether `text` writes a key whose value may be a secret (`.., value: abc }`): a
/// word a `:` ends, read once.
fn holds_secret_key(text: &str) -> bool {
    let mut word = 0;
    for (at, c) in text.char_indices() {
        if c == ':' && word < at && is_secret_key(&text[word..at]) {
            return true;
        }
        if ends_word(c) {
            word = at + c.len_utf8();
        }
    }
    false
}

/// How to fix a value YAML reads otherwise than meant, on the line the parser marks
/// (byte `marked`): a value starting with a bracket that text follows, or a plain
/// value in a flow mapping holding brackets or `: `; a key written after either is
/// more likely a missing comma. A secret's value is not shown.
pub(super) fn value_fix(line: &str, in_flow: bool, marked: usize, shown: bool) -> Option<String> {
    if let Some(BracketedValue { key, value, after, rest }) = flow_value_with_more(line, in_flow, marked) {
        let shown = shown && !is_secret_key(key) && !holds_secret_key(value) && !holds_secret_key(rest);
        let quote_it = match shown_quoted(value).filter(|_| shown) {
            Some(quoted) => format!("quote it: `{key}: {quoted}{rest}`"),
            None => "quote the value".to_string(),
        };
        return Some(match key_starting(after).filter(|&next| shown || is_known_key(next)) {
            // `environments: { live: {} } operations: []`: keys in the value, no text to quote
            Some(next) if holds_key(value.strip_suffix(after).unwrap_or(value)) => {
                let brackets = if value.starts_with('[') { "[ ]" } else { "{ }" };
                format!("put a `,` between the `{brackets}` value of `{key}` and `{next}`, a key of its own")
            }
            Some(next) => format!("put a `,` before `{next}` if it is a key of its own; else a value starting with `{{` or `[` is a mapping or list in YAML: {quote_it}"),
            None => format!("a value starting with `{{` or `[` is a mapping or list in YAML; {quote_it}"),
        });
    }
    let PlainValue { key, value, unclosed } = plain_flow_value(line, in_flow, marked)?;
    if unclosed {
        return Some(format!(
            "a `{{` or `[` in the value of `{key}` is still open where the mapping or list around it closes: close it (`{{ticket_id}}`), or quote the value"
        ));
    }
    let shown = shown && !is_secret_key(key) && !holds_secret_key(value);
    let quote_it = match shown_quoted(value).filter(|_| shown) {
        Some(quoted) => format!("quote it: `{key}: {quoted}`"),
        None => "quote the value".to_string(),
    };
    // `username: agent password: x` (the blank may be a no-break space, which YAML takes as text)
    Some(match value.split_once(": ").and_then(|(before, _)| before.rsplit_once(char::is_whitespace)).filter(|&(_, inner)| shown || is_known_key(inner)) {
        Some((_, inner)) => format!("put a `,` before `{inner}` if it is a key of its own; else, in a `{{ }}` mapping or `[ ]` list, a value holding `: ` needs quotes: {quote_it}"),
        None => format!("in a `{{ }}` mapping or `[ ]` list, a value holding `{{`, `[` or `: ` needs quotes (or a `,` is missing before a key of its own); {quote_it}"),
    })
}

/// Whether a bracketed value holds a key (`{ live: {} }`, `{"live":{}}`): a mapping
/// or list, not text that starts with a bracket (`{id}/x`).
fn holds_key(value: &str) -> bool {
    value.contains(": ") || value.contains("\":") || value.contains("':")
}

/// Whether `word` is a key of an `auth:` or `tls:` block, which a fix may name even
/// where it shows no value.
pub(super) fn is_known_key(word: &str) -> bool {
    every_setting().chain(TLS_KEYS.iter().copied()).any(|key| key == word)
}

/// `value` quoted to show in a fix; `None` when it is too long to show.
fn shown_quoted(value: &str) -> Option<String> {
    (value.chars().count() <= SHOWN_VALUE_CHARS).then(|| quoted(value))
}

/// The key `text` starts with, when it starts `key: ` (or `key:` at its end).
pub(super) fn key_starting(text: &str) -> Option<&str> {
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
    let line = without_comment(line).trim_end();
    // the open brackets, each with the key it is the value of, if any
    let mut open: Vec<Option<(Range<usize>, usize)>> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    // candidates whose value has closed and whose end is not found yet, deepest last
    let mut ending: Vec<usize> = Vec::new();
    for (at, c) in OutsideQuotes::of(line) {
        match c {
            '{' | '[' => open.push(key_before(line, at).map(|key| (key, at))),
            '}' | ']' => {
                // the values directly in the mapping or list it closes end here; a bracket
                // this line did not open closes the flow mapping or list the line is in
                if !open.is_empty() || in_flow {
                    end_at(&mut candidates, &mut ending, open.len(), at);
                }
                let depth = open.len().saturating_sub(1);
                if let Some((key, value)) = open.pop().flatten() {
                    ending.push(candidates.len());
                    candidates.push(Candidate { key, value, close: at, depth, end: None });
                }
            }
            // a `,` ends the values beside it in a flow mapping or list (elsewhere it is text)
            ',' if !open.is_empty() || in_flow => end_at(&mut candidates, &mut ending, open.len(), at),
            _ => {}
        }
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
pub(super) fn quote_inside(line: &str, marked: usize, shown: bool) -> Option<String> {
    let (close, quote) = line.get(..marked)?.trim_end().char_indices().last()?;
    if !matches!(quote, '\'' | '"') {
        return None;
    }
    let open = line[..close].rfind(quote)?;
    // in a flow mapping or list (a JSON line, or one that opens a bracket before the
    // value), a `,` or a closing bracket ends a value; elsewhere the line's end does
    let before = &line[..open];
    let in_flow = line.trim_start().starts_with(['"', '{', '[']) || brackets_open_in(before) > 0;
    let next = line[close + 1..].trim_start();
    // `"a" "b": ..`: another value, or a key, after a blank is a comma missing
    if in_flow
        && line[close + 1..].starts_with(char::is_whitespace)
        && (next.starts_with(['"', '\'']) || key_starting(next).is_some())
    {
        return Some("put a `,` between this value and the next".to_string());
    }
    let ends_value = |at: usize| {
        let after = line[at + 1..].trim_start();
        after.is_empty() || after.starts_with('#') || in_flow && after.starts_with([',', '}', ']'])
    };
    let last = line[close + 1..].match_indices(quote).map(|(at, _)| close + 1 + at).find(|&at| ends_value(at))?;
    let inner = &line[open + 1..last];
    let shown = shown && inner.chars().count() <= SHOWN_VALUE_CHARS;
    let fix = match quote {
        '\'' if !shown => "a `'` inside single quotes is written twice (`''`)".to_string(),
        '\'' => format!("a `'` inside single quotes is written twice: `'{}'`", inner.replace('\'', "''")),
        _ if !shown => "a `\"` inside double quotes is written `\\\"`".to_string(),
        _ => format!("a `\"` inside double quotes is written `\\\"`: `\"{}\"`", inner.replace('"', "\\\"")),
    };
    Some(fix)
}

/// The key and the value as meant of a plain value in a flow mapping or list that
/// holds what YAML reads as its own there (`resource: /tickets/{id}`, `description:
/// Note: cached`), where the parser marks the line (byte `marked`): a value that
/// needs quotes. The value runs to the `,` or bracket that ends it, brackets it
/// opens itself included.
fn plain_flow_value(line: &str, in_flow: bool, marked: usize) -> Option<PlainValue<'_>> {
    // a comment ends the value
    let line = without_comment(line);
    // the last `: ` outside quoted text before the marked byte
    let colon = OutsideQuotes::of(line)
        .take_while(|&(at, _)| at < marked)
        .filter(|&(at, c)| c == ':' && line[at + 1..].starts_with(' '))
        .last()?
        .0;
    let key_at = key_start(line, colon);
    let key = &line[key_at..colon];
    let opened = brackets_open_in(&line[..key_at]);
    let start = colon + 2 + (line[colon + 2..].len() - line[colon + 2..].trim_start().len());
    if key.is_empty() || !(in_flow || opened > 0) || line[start..].starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let mut depth = 0usize;
    let mut end = line.len();
    for (at, c) in line[start..].char_indices() {
        match c {
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
    // the value took the bracket that closes the mapping or list around it
    let closing_after = line[end..].matches(['}', ']']).count();
    let unclosed = depth > 0 || opened > closing_after;
    let needs_quotes = value.contains(['{', '[', '}', ']']) || value.contains(": ");
    (needs_quotes && (start..=start + value.len()).contains(&marked)).then_some(PlainValue { key, value, unclosed })
}

/// A plain value in a flow mapping or list that needs quotes there.
struct PlainValue<'l> {
    key: &'l str,
    /// As meant: to the `,` or bracket that ends it, brackets it opens included.
    value: &'l str,
    /// Whether a bracket it opens is still open where the mapping or list around it
    /// closes (`{ resource: /tickets/{id, next: .. }`): more likely a bracket left
    /// open than a value to quote.
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
    let key_start = key_start(line, key_end);
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

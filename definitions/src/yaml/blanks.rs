//! Tabs and Unicode line breaks where PyYAML, and so the ADK, refuses a file that
//! YAML 1.2 and the parser read, or reads it otherwise: PyYAML takes only a space
//! between tokens and in a plain value, and ends a line at U+0085, U+2028 and
//! U+2029, which the parser reads as text.

use saphyr_parser::ScalarStyle;

use crate::diagnostics::Diagnostic;
use crate::model::Span;

/// The characters a scalar's text spans (by character index, end excluded), and
/// how it is written: in quotes, as block text, or plain.
#[derive(Clone, Copy, Debug)]
pub(super) struct ScalarText {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) style: ScalarStyle,
}

/// How many lines [`unread_blanks`] tells of one by one; the rest are counted.
const LINES_TOLD: usize = 10;

/// Each line of `text` (whose scalars are `scalars`, in the order they are written)
/// holding a tab or a Unicode line break where PyYAML refuses one or reads it
/// otherwise than the parser: the first such character of the line, with what to do;
/// past [`LINES_TOLD`] lines, one problem that counts the others.
pub(super) fn unread_blanks(text: &str, scalars: &[ScalarText]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if !text.contains(['\t', '\u{85}', '\u{2028}', '\u{2029}']) {
        return problems;
    }
    let mut scalars = scalars.iter().peekable();
    let (mut line, mut column) = (1, 0);
    let (mut in_comment, mut line_told, mut more) = (false, false, 0);
    // where the first line not told of is, and what it would be told
    let mut untold = None;
    let mut previous = '\n';
    let mut characters = text.char_indices().enumerate().peekable();
    while let Some((index, (byte, character))) = characters.next() {
        column += 1;
        if matches!(character, '\n' | '\r') {
            if character == '\r' && characters.peek().is_some_and(|(_, (_, next))| *next == '\n') {
                continue;
            }
            (line, column, in_comment, line_told, previous) = (line + 1, 0, false, false, character);
            continue;
        }
        while scalars.next_if(|scalar| scalar.end <= index).is_some() {}
        let style = scalars.peek().filter(|scalar| scalar.start <= index).map(|scalar| scalar.style);
        if style.is_none() && character == '#' {
            in_comment = true;
        }
        let after = &text[byte + character.len_utf8()..];
        let problem = match (character, style) {
            ('\t', _) if in_comment => None,
            (
                '\t',
                Some(
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted | ScalarStyle::Literal | ScalarStyle::Folded,
                ),
            ) => None,
            ('\t', Some(ScalarStyle::Plain)) => Some(TAB_IN_PLAIN_VALUE.to_string()),
            ('\t', None) => Some(TAB_BETWEEN.to_string()),
            ('\u{85}' | '\u{2028}' | '\u{2029}', _) if !read_alike(character, style, in_comment, previous, after) => {
                Some(line_break(character))
            }
            _ => None,
        };
        previous = character;
        let Some(message) = problem.filter(|_| !line_told) else { continue };
        line_told = true;
        match problems.len() < LINES_TOLD {
            true => problems.push(Diagnostic::error(Span::new(line, column), message)),
            false => {
                untold.get_or_insert((Span::new(line, column), message));
                more += 1;
            }
        }
    }
    if let Some((at, message)) = untold {
        let message = match more {
            1 => message,
            _ => format!("invalid YAML: {more} more lines, from this one on, hold a tab or a Unicode line break where PyYAML (and so the ADK) refuses one; write spaces instead of tabs, and remove the others"),
        };
        problems.push(Diagnostic::error(at, message));
    }
    problems
}

/// Whether PyYAML reads the Unicode line break `character`, in a scalar written in
/// `style` (or in a comment, or neither), between `previous` and the text `after`
/// it, as the parser reads it: it ends a line there. In quotes, U+2028 and U+2029
/// between two characters that are neither blanks nor line breaks are kept as they
/// are (PyYAML drops the blanks beside them, and folds no line break after them),
/// where U+0085 is folded like a line break; at the end of a comment, it only ends
/// the comment. In block text, PyYAML's reading depends on the line and the
/// chomping, so none is read alike.
fn read_alike(character: char, style: Option<ScalarStyle>, in_comment: bool, previous: char, after: &str) -> bool {
    let line_rest = &after[..after.find(['\n', '\r']).unwrap_or(after.len())];
    let blank_or_break = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
    match style {
        _ if in_comment => line_rest.chars().all(|c| matches!(c, ' ' | '\u{85}' | '\u{2028}' | '\u{2029}')),
        Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => {
            matches!(character, '\u{2028}' | '\u{2029}')
                && !blank_or_break(previous)
                && !after.chars().next().is_some_and(blank_or_break)
        }
        _ => false,
    }
}

const TAB_BETWEEN: &str =
    "invalid YAML: a tab outside quotes and comments, which PyYAML (and so the ADK) refuses; write spaces instead";

const TAB_IN_PLAIN_VALUE: &str = "invalid YAML: a tab inside a value written without quotes, which PyYAML (and so the ADK) refuses; write a space, or double-quote the value and write the tab as `\\t`";

/// The problem of the Unicode line break `character` where PyYAML reads it otherwise.
fn line_break(character: char) -> String {
    let code = u32::from(character);
    let name = match character {
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        _ => "a next line, NEL",
    };
    format!("invalid YAML: the character U+{code:04X} ({name}), which PyYAML (and so the ADK) reads as a line break; remove it, or write it escaped in a double-quoted text (`\"\\u{code:04X}\"`)")
}

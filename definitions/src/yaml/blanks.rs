//! Tabs and Unicode line breaks where PyYAML, and so the ADK, refuses a file that
//! YAML 1.2 and the parser read: PyYAML takes only a space between tokens and in a
//! plain value, and ends a line at U+0085, U+2028 and U+2029, which only quotes keep.

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

/// Each line of `text` (whose scalars are `scalars`, in the order they are written)
/// holding a tab or a Unicode line break where PyYAML refuses one: the first such
/// character of the line, with what to do.
pub(super) fn unread_blanks(text: &str, scalars: &[ScalarText]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if !text.contains(['\t', '\u{85}', '\u{2028}', '\u{2029}']) {
        return problems;
    }
    let mut scalars = scalars.iter().peekable();
    let (mut line, mut column) = (1, 0);
    let (mut in_comment, mut line_told) = (false, false);
    let mut characters = text.chars().enumerate().peekable();
    while let Some((index, character)) = characters.next() {
        column += 1;
        if matches!(character, '\n' | '\r') {
            if character == '\r' && characters.peek().is_some_and(|(_, next)| *next == '\n') {
                continue;
            }
            (line, column, in_comment, line_told) = (line + 1, 0, false, false);
            continue;
        }
        while scalars.next_if(|scalar| scalar.end <= index).is_some() {}
        let style = scalars.peek().filter(|scalar| scalar.start <= index).map(|scalar| scalar.style);
        if style.is_none() && character == '#' {
            in_comment = true;
        }
        let quoted = matches!(style, Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted));
        let block = matches!(style, Some(ScalarStyle::Literal | ScalarStyle::Folded));
        let problem = match character {
            '\t' if quoted || block || in_comment => None,
            '\t' if style == Some(ScalarStyle::Plain) => Some(TAB_IN_PLAIN_VALUE.to_string()),
            '\t' => Some(TAB_BETWEEN.to_string()),
            '\u{85}' | '\u{2028}' | '\u{2029}' if !quoted => Some(line_break(character)),
            _ => None,
        };
        if let Some(message) = problem.filter(|_| !line_told) {
            line_told = true;
            problems.push(Diagnostic::error(Span::new(line, column), message));
        }
    }
    problems
}

const TAB_BETWEEN: &str =
    "invalid YAML: a tab outside quotes and comments, which PyYAML (and so the ADK) refuses; write spaces instead";

const TAB_IN_PLAIN_VALUE: &str = "invalid YAML: a tab inside a value written without quotes, which PyYAML (and so the ADK) refuses; write a space, or double-quote the value and write the tab as `\\t`";

/// The problem of the Unicode line break `character` outside quotes.
fn line_break(character: char) -> String {
    let code = u32::from(character);
    let name = match character {
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        _ => "next line",
    };
    format!("invalid YAML: the character U+{code:04X} ({name}), which PyYAML (and so the ADK) reads as a line break; remove it, or write it escaped in a double-quoted text (`\"\\u{code:04X}\"`)")
}

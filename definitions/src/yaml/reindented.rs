//! Lines inside a quoted value or a `{ }` or `[ ]` that goes on over lines,
//! indented no more than its key: PyYAML (and so the ADK) reads them, as it checks
//! no indentation there, where YAML 1.2 and the parser want them indented more.
//! Such lines are given the spaces the parser wants, and what is told of the text
//! is moved back to where it is written.

use std::collections::BTreeMap;

use saphyr_parser::ScanError;

use super::line_fix::{bracket_around, bracket_at};
use super::syntax::{lines_with_breaks, yaml_lines};
use super::{Node, NodeKind, Parsed};
use crate::diagnostics::Diagnostic;
use crate::model::Span;

/// The spaces added at the start of lines of a text.
#[derive(Debug, Default)]
pub(super) struct Reindented {
    /// How many, by line (from 1).
    added: BTreeMap<usize, usize>,
    /// Each quoted value or bracket whose lines were given spaces, with the parser's
    /// complaint about it, told as it is told without the spaces.
    reindented: Vec<(Construct, Diagnostic)>,
}

/// The spaces the lines of a quoted value or bracket lack ([`Reindented::lacking`]).
pub(super) struct Lacking {
    construct: Construct,
    /// How many, by line (from 1).
    spaces: Vec<(usize, usize)>,
}

/// A quoted value or a bracket whose lines lack spaces.
#[derive(Debug)]
struct Construct {
    /// Where it opens, in the text as written.
    opens_at: Span,
    /// Its last line (from 1).
    last: usize,
    /// Whether it is a quoted value, not a bracket.
    quoted: bool,
}

impl Reindented {
    /// `text` with the spaces added.
    pub(super) fn apply(&self, text: &str) -> String {
        let mut reindented = String::with_capacity(text.len() + self.added.values().sum::<usize>());
        for (number, (line, line_break)) in (1..).zip(lines_with_breaks(text)) {
            if let Some(&added) = self.added.get(&number) {
                reindented.extend(std::iter::repeat_n(' ', added));
            }
            reindented.push_str(line);
            reindented.push_str(line_break);
        }
        reindented
    }

    /// The spaces that would let the parser read on past `error`, its complaint
    /// about `text` (this text reindented as it is): those the lines inside the
    /// quoted value or the bracket it complains of lack. `None` when it complains of
    /// something else, or no line there lacks spaces.
    pub(super) fn lacking(&self, error: &ScanError, text: &str) -> Option<Lacking> {
        let (info, marker) = (error.info(), error.marker());
        let lines = yaml_lines(text);
        let quoted = info.contains("invalid indentation in quoted scalar");
        let (opens_at, opening, last) = if quoted {
            // marked at its opening quote
            let last = closing_quote_line(&lines, marker.line(), marker.col())?;
            (Span::new(marker.line(), marker.col() + 1), marker.line(), last)
        } else if info.contains("invalid indentation in flow construct") || info == "invalid indentation" {
            // marked at a line inside the bracket
            bracket_lines(&lines, marker.line())?
        } else {
            return None;
        };
        let wanted = key_column(lines[opening - 1]) + 1;
        let spaces: Vec<(usize, usize)> = (opening + 1..=last)
            .filter_map(|line| {
                let text = lines[line - 1];
                let indentation = text.len() - text.trim_start_matches(' ').len();
                // blank lines are read whatever their indentation
                (indentation < wanted && !text.trim().is_empty()).then(|| (line, wanted - indentation))
            })
            .collect();
        let construct = Construct { opens_at: self.written(opens_at), last, quoted };
        (!spaces.is_empty()).then_some(Lacking { construct, spaces })
    }

    /// Adds the spaces `lacking`, of the construct the parser complained of as
    /// `told` (where it is written).
    pub(super) fn add(&mut self, lacking: Lacking, told: Diagnostic) {
        for (line, spaces) in lacking.spaces {
            *self.added.entry(line).or_default() += spaces;
        }
        self.reindented.push((lacking.construct, told));
    }

    /// The complaint about the quoted value given spaces whose last line is that of
    /// `span`: a problem there may be one of a quote left open, closed only by the
    /// quote of a later value.
    pub(super) fn quote_left_open_at(&self, span: Span) -> Option<Diagnostic> {
        let line = usize::try_from(span.line).ok()?;
        let (_, complaint) =
            self.reindented.iter().find(|(construct, _)| construct.quoted && construct.last == line)?;
        Some(complaint.clone())
    }

    /// A warning for each quoted value or bracket given spaces: read as PyYAML reads
    /// it, which other YAML tools refuse, and perhaps not as meant (a quote left open
    /// takes in the lines up to the next one).
    fn warnings(&self) -> Vec<Diagnostic> {
        let warning = |(construct, _): &(Construct, Diagnostic)| {
            let what = match construct.quoted {
                true => "the quoted value starting here",
                false => "the `{ }` or `[ ]` opened here",
            };
            let unless = match construct.quoted {
                true => ", or close the quote on this line if the value ends here",
                false => "",
            };
            Diagnostic::warning(
                construct.opens_at,
                format!(
                    "{what} goes on to line {}, on lines indented no more than its key: PyYAML (and so the ADK) reads them so, other YAML tools refuse them; indent them more than the key{unless}",
                    construct.last
                ),
            )
        };
        self.reindented.iter().map(warning).collect()
    }

    /// `span`, in the text reindented, where it is in the text as written.
    fn written(&self, span: Span) -> Span {
        let added = usize::try_from(span.line).ok().and_then(|line| self.added.get(&line));
        match added.and_then(|&added| u32::try_from(added).ok()) {
            Some(added) => Span { line: span.line, column: span.column.saturating_sub(added).max(1) },
            None => span,
        }
    }

    /// `parsed`, of the text reindented, with every position where it is written,
    /// and a warning for each quoted value or bracket given spaces.
    pub(super) fn restore(&self, parsed: &mut Parsed) {
        if let Some(root) = &mut parsed.root {
            self.restore_node(root);
        }
        for problem in &mut parsed.problems {
            self.restore_diagnostic(problem);
        }
        for span in &mut parsed.untyped {
            *span = self.written(*span);
        }
        parsed.problems.extend(self.warnings());
    }

    /// `diagnostic`, of the text reindented, where it is in the text as written.
    pub(super) fn restored(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        self.restore_diagnostic(&mut diagnostic);
        diagnostic
    }

    fn restore_diagnostic(&self, diagnostic: &mut Diagnostic) {
        diagnostic.span = self.written(diagnostic.span);
    }

    fn restore_node(&self, node: &mut Node) {
        node.span = self.written(node.span);
        match &mut node.kind {
            NodeKind::Scalar(scalar) => scalar.text_at = scalar.text_at.map(|at| self.written(at)),
            NodeKind::Sequence(items) => items.iter_mut().for_each(|item| self.restore_node(item)),
            NodeKind::Mapping(pairs) => pairs.iter_mut().for_each(|(key, value)| {
                self.restore_node(key);
                self.restore_node(value);
            }),
        }
    }
}

/// The last line (from 1) of the quoted value whose opening quote is at character
/// `column` (from 0) of line `line`; `None` when it is not closed.
fn closing_quote_line(lines: &[&str], line: usize, column: usize) -> Option<usize> {
    let first = lines.get(line.checked_sub(1)?)?;
    let (opened, quote) = first.char_indices().nth(column)?;
    if !matches!(quote, '"' | '\'') {
        return None;
    }
    let mut after_quote = opened + 1;
    for (index, text) in lines.iter().enumerate().skip(line - 1) {
        let mut chars = text[after_quote..].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                // an escape in double quotes, `''` in single ones
                '\\' if quote == '"' => {
                    chars.next();
                }
                '\'' if quote == '\'' && chars.next_if_eq(&'\'').is_some() => {}
                _ if c == quote => return Some(index + 1),
                _ => {}
            }
        }
        after_quote = 0;
    }
    None
}

/// Where the innermost `{` or `[` that a line above line `marked` (from 1) opens
/// and that it or a line below closes is, and its first and last lines (from 1).
fn bracket_lines(lines: &[&str], marked: usize) -> Option<(Span, usize, usize)> {
    let (bracket, closed) = bracket_around(lines, marked)?;
    Some((bracket_at(lines, bracket), bracket.0 + 1, closed + 1))
}

/// The column (from 0) of the key whose value a line starts: past its indentation
/// and the `- ` of list entries (`  - name: a` has its key at 4).
fn key_column(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    while let Some(entry) = rest.strip_prefix('-').filter(|entry| entry.starts_with(' ')) {
        rest = entry.trim_start_matches(' ');
    }
    line.len() - rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_given_their_spaces_and_positions_moved_back() {
        let mut reindented = Reindented::default();
        reindented.added.insert(2, 3);
        assert_eq!(reindented.apply("a: \"x\r\ny\"\rb: 1\n"), "a: \"x\r\n   y\"\rb: 1\n");
        assert_eq!(reindented.written(Span::new(2, 5)), Span::new(2, 2));
        assert_eq!(reindented.written(Span::new(2, 2)), Span::new(2, 1), "in the added spaces: the line's start");
        assert_eq!(reindented.written(Span::new(3, 5)), Span::new(3, 5));
    }

    #[test]
    fn a_quoted_value_spans_to_its_closing_quote() {
        let lines = ["a: \"x \\\" y", "z\" w", "b: 'it''s", "'"];
        assert_eq!(closing_quote_line(&lines, 1, 3), Some(2));
        assert_eq!(closing_quote_line(&lines, 3, 3), Some(4));
        assert_eq!(closing_quote_line(&lines[..1], 1, 3), None, "never closed");
        assert_eq!(closing_quote_line(&lines, 1, 0), None, "no quote there");
    }

    #[test]
    fn keys_are_found_past_list_dashes() {
        assert_eq!(key_column("description: x"), 0);
        assert_eq!(key_column("  - name: a"), 4);
        assert_eq!(key_column("- - [a,"), 4);
        assert_eq!(key_column("    -x: 1"), 4);
    }
}

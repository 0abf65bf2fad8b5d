//! Where a block scalar (`|`, `>`) starts. The parser marks one at its first line of
//! content, or, when it has none, at the token after it, lines below; a message about
//! the value points at its indicator instead, where PyYAML and an editor put it.

use crate::model::Span;

/// Where the block scalar without an anchor or a tag that the parser marks at
/// `marked` starts in `lines` (the text's lines as YAML ends them): at its `|` or
/// `>`, the first one after `after`, the end of the event before it (a key, a `-`,
/// the document's start), that is not in a comment; `marked` when there is none
/// before it. Only blanks, line breaks, comments and the indicators `:`, `-`, `?`
/// and `---` stand between the two. The text's byte order mark is stripped before
/// it is parsed (`yaml::parse_within`), so no line holds one.
pub(super) fn block_scalar_start(lines: &[&str], after: Span, marked: Span) -> Span {
    let first = after.line.max(1) as usize;
    for (index, line) in lines.iter().enumerate().skip(first - 1).take((marked.line as usize + 1).saturating_sub(first))
    {
        let from = if index + 1 == first { after.column.saturating_sub(1) as usize } else { 0 };
        // a `#` starts a comment at the start of a line or after a blank
        let mut after_blank = from == 0;
        for (column, c) in line.chars().enumerate().skip(from) {
            match c {
                '|' | '>' => return Span::new(index + 1, column + 1),
                '#' if after_blank => break,
                _ => after_blank = matches!(c, ' ' | '\t'),
            }
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indicator_is_the_first_after_the_event_before_outside_comments() {
        let lines = ["ops:", "  method: # a | comment", "", "    |", "  resource: /x"];
        // marked at the token after it (empty), or at its content
        assert_eq!(block_scalar_start(&lines, Span::new(2, 9), Span::new(5, 3)), Span::new(4, 5));
        let content = ["x: |", "  | a | b |"];
        assert_eq!(block_scalar_start(&content, Span::new(1, 2), Span::new(2, 3)), Span::new(1, 4));
        let item = ["- >-2", "   text"];
        assert_eq!(block_scalar_start(&item, Span::new(1, 1), Span::new(2, 3)), Span::new(1, 3));
        // none before the mark: the mark is kept
        assert_eq!(block_scalar_start(&["a:", "  text"], Span::new(1, 2), Span::new(2, 3)), Span::new(2, 3));
    }
}

//! Where a block scalar (`|`, `>`) starts. The parser marks one at its first line of
//! content, or, when it has none, at the token after it, lines below; a message about
//! the value points at its indicator instead, where PyYAML and an editor put it.

use crate::model::Span;

/// Where the block scalar that the parser marks at `marked` starts in `lines` (the
/// text's lines as YAML ends them): at its `|` or `>` on the nearest line above
/// that is neither blank nor a comment; `marked` itself when it already is on the
/// header line (after an anchor or a tag) or no header is found.
pub(super) fn block_scalar_start(lines: &[&str], marked: Span) -> Span {
    let line_number = marked.line as usize;
    let Some(line) = line_number.checked_sub(1).and_then(|index| lines.get(index)) else { return marked };
    let from_mark: String = line.chars().skip(marked.column.saturating_sub(1) as usize).collect();
    if from_mark.starts_with(['&', '!', '|', '>']) && header_indicator(&from_mark).is_some() {
        return marked;
    }
    let above = lines[..line_number - 1].iter().enumerate().rev();
    let mut written = above.filter(|(_, line)| !matches!(line.trim_start().chars().next(), None | Some('#')));
    match written.next() {
        Some((index, line)) => header_indicator(line).map_or(marked, |column| Span::new(index + 1, column + 1)),
        None => marked,
    }
}

/// The column (in characters, from 0) of the block scalar indicator that `line`
/// ends with: a `|` or `>` after a blank or at the start, then at most two of its
/// indentation and chomping indicators, then nothing but blanks and a comment.
fn header_indicator(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    (0..chars.len()).find(|&at| {
        if !matches!(chars[at], '|' | '>') || (at > 0 && !matches!(chars[at - 1], ' ' | '\t')) {
            return false;
        }
        let modifiers = chars[at + 1..].iter().take(2).take_while(|c| matches!(c, '0'..='9' | '+' | '-')).count();
        let rest = &chars[at + 1 + modifiers..];
        // a comment needs a blank before its `#`
        let blanks = rest.iter().take_while(|c| matches!(c, ' ' | '\t')).count();
        blanks == rest.len() || (blanks > 0 && rest[blanks] == '#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indicator_is_the_one_only_blanks_or_a_comment_follow() {
        assert_eq!(header_indicator("resource: |"), Some(10));
        assert_eq!(header_indicator("  text: >-2  # folded | kept"), Some(8));
        assert_eq!(header_indicator("\"a | b\": |+"), Some(9));
        assert_eq!(header_indicator("- |"), Some(2));
        assert_eq!(header_indicator("resource: /a|b"), None);
        assert_eq!(header_indicator("resource: |#not a comment"), None);
        assert_eq!(header_indicator("resource: a | b"), None);
    }

    #[test]
    fn a_mark_below_the_header_moves_up_to_it() {
        let lines = ["ops:", "  method: |", "", "  # note", "", "  resource: /x"];
        assert_eq!(block_scalar_start(&lines, Span::new(6, 3)), Span::new(2, 11));
        // already on the header, after an anchor
        let anchored = ["x: &a |", "  text"];
        assert_eq!(block_scalar_start(&anchored, Span::new(1, 4)), Span::new(1, 4));
        // no header above: the mark is kept
        assert_eq!(block_scalar_start(&["", "  text"], Span::new(2, 3)), Span::new(2, 3));
    }
}

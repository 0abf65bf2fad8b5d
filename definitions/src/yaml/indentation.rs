//! The fix of a line indented out of line with the keys above it: the parser reads
//! it as the rest of a value, or finds no mapping or list it can belong to. The fix
//! names the keys it could line up with, each with its line and column.

use super::line_fix::{
    flow_depth_after, in_secret_context, indentation as key_column, is_known_key, key_starting, last_text_line,
    without_comment,
};
use crate::model::Span;

/// A key or `- ` above the misindented line that it could line up with.
struct Level<'l> {
    /// 0-based column where it starts.
    column: usize,
    /// 0-based index of its line.
    index: usize,
    /// The key, if the level is a key's; none for a list's `- `.
    key: Option<&'l str>,
}

impl Level<'_> {
    /// How a fix names it, of `lines`: `` `name:` on line 7 (column 9)``; a key that
    /// may be a secret (in an `auth:` or `tls:` block, and no setting) by place alone.
    fn named(&self, lines: &[&str]) -> String {
        let (line, column) = (self.index + 1, self.column + 1);
        let shown = |key: &&str| is_known_key(key) || !in_secret_context(lines, self.index, self.column);
        match self.key.filter(shown) {
            Some(key) => format!("`{key}:` on line {line} (column {column})"),
            None => format!("the key on line {line} (column {column})"),
        }
    }
}

/// Where the line `marked` (1-based) of `lines` starts and how to fix it, when it is
/// a `key:` or a `- ` in line with no key or `- ` above it that it could belong to,
/// where the parser "did not find expected key" or `-`. A key in line with a list's
/// `- ` is told to line up with its entry's keys or to start an entry. The line's
/// key is named when `shown` or a setting; those above as [`Level::named`] says.
pub(super) fn misindented_key(lines: &[&str], marked: usize, shown: bool) -> Option<(Span, String)> {
    let index = marked.checked_sub(1)?;
    let line = *lines.get(index)?;
    let column = spaces_before(line);
    let structural = structural_lines(lines, index);
    // deeper than a line above that opens a mapping or list, it is the first key of it
    let (_, above) = last_structural_line(lines, &structural, index)?;
    if column >= key_column(above) && opens_block(above) {
        return None;
    }
    let levels = levels_above(lines, &structural, index);
    if line[column..].starts_with("- ") {
        return misindented_entry(lines, &levels, marked, column);
    }
    let key = block_key(&line[column..])?;
    let keys = || levels.iter().filter(|level| level.key.is_some());
    if keys().any(|level| level.column == column) {
        return None;
    }
    let deeper = keys().filter(|level| level.column > column).min_by_key(|level| level.column);
    let shallower = keys().filter(|level| level.column < column).max_by_key(|level| level.column);
    let this = match shown || is_known_key(key) {
        true => format!("`{key}:`"),
        false => "this key".to_string(),
    };
    let dash = levels.iter().find(|level| level.key.is_none() && level.column == column);
    let fix = match (dash, deeper) {
        (Some(dash), Some(entry_key)) => format!(
            "{this} lines up with the `- ` on line {} that starts an entry of a list, but starts no entry itself; YAML nests by indentation: indent it as {} to be a key of that entry, or write `- ` before it to start an entry",
            dash.index + 1,
            entry_key.named(lines)
        ),
        _ => {
            // the nearest key further in, then the nearest further out
            let mut keys = [deeper, shallower].into_iter().flatten().map(|level| level.named(lines));
            let first = keys.next()?;
            let or = keys.next().map(|second| format!(", or with {second}")).unwrap_or_default();
            format!(
                "{this} starts at column {}, in line with no key above it; YAML nests by indentation: line it up with {first} to be a key beside it{or}",
                column + 1
            )
        }
    };
    Some((Span::new(marked, column + 1), fix))
}

/// The fix of a list's entry on line `marked` of `lines` whose `- ` at `column` is
/// in line with no `- ` of the `levels` above it: to line up with the nearest `- `;
/// or, in line with a mapping's key, with no list further in that it may have
/// slipped out of, and starting no entry of ours (`- name:`, `- respond:`), to
/// drop the `- ` (`- live:` beside `sandbox:`).
fn misindented_entry(lines: &[&str], levels: &[Level<'_>], marked: usize, column: usize) -> Option<(Span, String)> {
    let dashes = levels.iter().filter(|level| level.key.is_none());
    if dashes.clone().any(|dash| dash.column == column) {
        return None;
    }
    let after_dash = lines[marked - 1][column + 1..].trim_start_matches(' ');
    let starts_entry = block_key(after_dash).is_some_and(|key| ENTRY_KEYS.contains(&key));
    let list_further_in = dashes.clone().any(|dash| dash.column > column);
    let key_in_line = levels.iter().find(|level| level.key.is_some() && level.column == column);
    if let (Some(key), false, false) = (key_in_line, starts_entry, list_further_in) {
        let fix = format!(
            "this entry's `- ` is in line with {}, a key of a mapping, and a mapping's keys take no `- `: remove it",
            key.named(lines)
        );
        return Some((Span::new(marked, column + 1), fix));
    }
    let nearest = dashes.min_by_key(|dash| dash.column.abs_diff(column))?;
    let fix = format!(
        "this entry's `- ` is at column {}, in line with no `- ` above it; YAML nests by indentation: line it up with the `- ` on line {} (column {}) to be an entry of that list",
        column + 1,
        nearest.index + 1,
        nearest.column + 1
    );
    Some((Span::new(marked, column + 1), fix))
}

/// Where the line `marked` (1-based) of `lines` starts and how to fix it, when the
/// parser refuses its `key:` (at byte `colon`) as a `: ` inside the value of the key
/// on the line above, which it is indented under: `resource: /x` then, one space
/// further in, `description: ...`, read as more of `/x`. Keys are named when
/// `shown` or settings.
pub(super) fn indented_into_value(lines: &[&str], marked: usize, colon: usize, shown: bool) -> Option<(Span, String)> {
    let index = marked.checked_sub(1)?;
    let line = *lines.get(index)?;
    let column = spaces_before(line);
    let key = block_key(&line[column..]).filter(|key| column + key.len() == colon)?;
    let (above_index, above) = last_text_line(&lines[..index])?;
    let above_column = key_column(above);
    let above_key = block_key(&above[above_column..])?;
    let value = above[above_column + above_key.len() + 1..].trim();
    let plain = !value.is_empty() && !value.starts_with(['|', '>', '{', '[', '"', '\'', '#', '&', '*', '!']);
    if !plain || column <= above_column {
        return None;
    }
    let named = |key: &str, or: &str| match shown || is_known_key(key) {
        true => format!("`{key}:`"),
        false => or.to_string(),
    };
    let (this, that) = (named(key, "this key"), named(above_key, "the key"));
    let fix = format!(
        "{this} is indented more than {that} on line {}, so YAML reads this line as more of that key's value; YAML nests by indentation: line it up with {that} (column {})",
        above_index + 1,
        above_column + 1
    );
    Some((Span::new(marked, column + 1), fix))
}

/// Where a list entry's `- ` lost its space and how to fix it, when the line
/// `marked` (1-based) of `lines`, or the line of text above it that it is indented
/// under, starts `-key:`: YAML reads `-key` as a key, so the lines under it nest
/// under no entry. Not in an `auth:` or `tls:` block, which holds no list, and
/// whose keys may be secrets.
pub(super) fn dash_without_space(lines: &[&str], marked: usize) -> Option<(Span, String)> {
    let index = marked.checked_sub(1)?;
    let line = *lines.get(index)?;
    let above = last_text_line(&lines[..index]).filter(|(_, above)| spaces_before(line) > spaces_before(above));
    std::iter::once((index, line)).chain(above).find_map(|(at, line)| {
        let column = spaces_before(line);
        let key = key_starting(&line[column..])?.strip_prefix('-')?;
        if key.is_empty() || key.starts_with('-') || in_secret_context(lines, at, column) {
            return None;
        }
        Some((Span::new(at + 1, column + 1), format!("{}; write `- {key}:`", unspaced_dash(key))))
    })
}

/// The keys a list entry of this format starts with: an API's or operation's
/// `name`, a mock rule's `respond`.
pub(crate) const ENTRY_KEYS: [&str; 2] = ["name", "respond"];

/// What a `-key:` is, `key` an entry's key after a `- ` that lost its space.
pub(crate) fn unspaced_dash(key: &str) -> String {
    format!("`-{key}:` has no space after its `-`, so YAML reads `-{key}` as a key, not as the `- ` that starts a list entry")
}

/// The keys and `- ` of the lines above line `index` that a line there could line
/// up with: going up, each line of the block structure (see [`structural_lines`])
/// less indented than all between it and `index`.
fn levels_above<'l>(lines: &[&'l str], structural: &[bool], index: usize) -> Vec<Level<'l>> {
    let mut levels = Vec::new();
    let mut below = usize::MAX;
    for (index, &line) in lines[..index].iter().enumerate().rev().filter(|&(index, _)| structural[index]) {
        let first = spaces_before(line);
        if first >= below {
            continue;
        }
        let column = key_column(line);
        let key = block_key(&line[column..]);
        // a line of a plain value going on is no level
        if key.is_none() && column == first {
            continue;
        }
        if key.is_some() && column < below {
            levels.push(Level { column, index, key });
        }
        let mut dash = first;
        while line[dash..].starts_with('-') && dash < column {
            levels.push(Level { column: dash, index, key: None });
            dash += 1 + spaces_before(&line[dash + 1..]);
        }
        // a list may stand in line with the key it is the value of
        below = if dash > first { first + 1 } else { first };
        if first == 0 {
            break;
        }
    }
    levels
}

/// Which of the lines before `end` hold text of the block structure: not blank, not
/// a comment, not a line of a `|` or `>` text, and not inside a `{ }` or `[ ]` that
/// a line before opened. Read once, forward.
fn structural_lines(lines: &[&str], end: usize) -> Vec<bool> {
    let mut structural = Vec::with_capacity(end);
    let mut depth = 0;
    let mut text = BlockText::None;
    for &line in &lines[..end] {
        let blank = line.trim().is_empty();
        let spaces = spaces_before(line);
        text = match text {
            // a text's lines are indented as its first, past its key's
            BlockText::Starts { over } if !blank && spaces > over => BlockText::Lines { indent: spaces },
            BlockText::Lines { indent } if !blank && spaces < indent => BlockText::None,
            BlockText::Starts { .. } if !blank => BlockText::None,
            text => text,
        };
        let holds_text = !blank && !line.trim_start().starts_with('#');
        let in_text = matches!(text, BlockText::Lines { .. });
        structural.push(holds_text && !in_text && depth == 0);
        if holds_text && !in_text {
            if let (0, Some(over)) = (depth, block_text_parent(line)) {
                text = BlockText::Starts { over };
            }
            depth = flow_depth_after(line, depth);
        }
    }
    structural
}

/// Where a `|` or `>` text is, reading lines forward.
#[derive(Clone, Copy)]
enum BlockText {
    /// In none.
    None,
    /// After its header: its first line, indented past `over`, sets its indentation.
    Starts { over: usize },
    /// Among its lines, each indented at least `indent` (or blank).
    Lines { indent: usize },
}

/// The column a text's lines are indented past, when `line` ends with a `|` or `>`
/// header (`key: |`, `- >-`, `key: |2`): its key's, or its `- `'s for a list entry.
fn block_text_parent(line: &str) -> Option<usize> {
    let (before, header) = split_last_word(line);
    let is_header =
        header.starts_with(['|', '>']) && header[1..].chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-'));
    match is_header {
        true if before.ends_with(':') => Some(key_column(line)),
        true if before.ends_with('-') => Some(spaces_before(line)),
        _ => None,
    }
}

/// Whether `line` ends with a key or `-` whose value is on the lines after it,
/// more indented: `environments:`, `- `, `defaults: &defaults`.
fn opens_block(line: &str) -> bool {
    let (before, last) = split_last_word(line);
    let end = if last.starts_with(['&', '!']) { before } else { last };
    end.ends_with(':') || end.ends_with('-')
}

/// `line` without its comment and trailing blanks, split before its last word:
/// `("key:", "|")` for `key: | # note`.
fn split_last_word(line: &str) -> (&str, &str) {
    let text = without_comment(line).trim_end();
    text.rsplit_once(' ').map_or(("", text), |(before, last)| (before.trim_end(), last))
}

/// The last of the lines before `index` that `structural` marks, with its index.
fn last_structural_line<'l>(lines: &[&'l str], structural: &[bool], index: usize) -> Option<(usize, &'l str)> {
    (0..index).rev().find(|&at| structural[at]).map(|at| (at, lines[at]))
}

/// The key `text` starts with as a key of a block mapping: `key:` or a quoted
/// `"key":`, then a blank or nothing; not `-key:`, a `- ` without its space, nor
/// a key after a blank YAML reads as text (a no-break space).
fn block_key(text: &str) -> Option<&str> {
    if text.starts_with(char::is_whitespace) {
        return None;
    }
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let (key, rest) = text[1..].split_once(quote)?;
        let rest = rest.strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(' ')).then_some(key);
    }
    key_starting(text).filter(|key| !key.starts_with('-'))
}

/// The spaces before `line`'s text.
fn spaces_before(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    #[test]
    fn a_key_between_two_levels_names_both() {
        let text = "api_integrations:\n- name: a\n  environments:\n    live:\n      base_url: https://a.example\n   operations: []\n";
        let (span, fix) = misindented_key(&lines(text), 6, true).unwrap();
        assert_eq!(span, Span::new(6, 4));
        assert!(fix.contains("`operations:` starts at column 4, in line with no key above it"), "{fix}");
        assert!(fix.ends_with("line it up with `live:` on line 4 (column 5) to be a key beside it, or with `environments:` on line 3 (column 3)"), "{fix}");
    }

    #[test]
    fn a_key_in_line_with_a_lists_dash_is_told_to_join_the_entry_or_start_one() {
        let text = "ops:\n  - name: b\n    method: GET\n  description: hi\n";
        let (_, fix) = misindented_key(&lines(text), 4, true).unwrap();
        assert!(fix.starts_with("`description:` lines up with the `- ` on line 2"), "{fix}");
        assert!(fix.contains("indent it as `method:` on line 3 (column 5)"), "{fix}");
    }

    #[test]
    fn an_entry_out_of_line_with_its_list_is_told_the_nearest_dash() {
        let text = "ops:\n  - name: b\n    method: GET\n - name: c\n";
        let (span, fix) = misindented_key(&lines(text), 4, true).unwrap();
        assert_eq!(span, Span::new(4, 2));
        assert!(fix.ends_with("line it up with the `- ` on line 2 (column 3) to be an entry of that list"), "{fix}");
        assert!(misindented_key(&lines("ops:\n  - name: b\n  - name: c\n"), 3, true).is_none());
    }

    #[test]
    fn a_list_in_line_with_its_key_leaves_that_key_a_level() {
        let text = "api:\n  operations:\n  - name: b\n    method: GET\n   resource: /x\n";
        let (_, fix) = misindented_key(&lines(text), 5, true).unwrap();
        assert!(fix.ends_with("line it up with `method:` on line 4 (column 5) to be a key beside it, or with `operations:` on line 2 (column 3)"), "{fix}");
    }

    #[test]
    fn a_key_after_a_no_break_space_is_left_to_the_parsers_words() {
        let text = "a:\n    b: 1\n   \u{a0}c: 2\n";
        assert!(misindented_key(&lines(text), 3, true).is_none());
    }

    #[test]
    fn a_text_header_or_a_key_followed_by_a_comment_is_read_as_without_it() {
        let text = "api:\n  description: | # the notes\n    Tickets\n      note: x\n   environments:\n";
        let (_, fix) = misindented_key(&lines(text), 5, true).unwrap();
        assert!(fix.ends_with("line it up with `description:` on line 2 (column 3) to be a key beside it"), "{fix}");
        let text = "api:\n  environments:  # where\n    live: {}\n";
        assert!(misindented_key(&lines(text), 3, true).is_none());
    }

    #[test]
    fn a_key_in_line_with_one_above_is_no_misindentation() {
        let text = "a:\n  b: 1\n  c: 2\n";
        assert!(misindented_key(&lines(text), 3, true).is_none());
    }

    #[test]
    fn keys_that_may_be_secrets_are_named_by_line_and_column_and_settings_by_name() {
        let text = "auth:\n    value: x\n  Kv4sWn8j: y\n";
        let (_, fix) = misindented_key(&lines(text), 3, false).unwrap();
        assert!(fix.starts_with("this key starts at column 3") && !fix.contains("Kv4sWn8j"), "{fix}");
        assert!(fix.contains("`value:` on line 2 (column 5)") && fix.contains("`auth:` on line 1 (column 1)"), "{fix}");
        // a key above, in an `auth:` block written quoted, is not shown either
        let text = "live:\n  \"auth\":\n    Kv4sWn8jQ: x\n   base_url: y\n";
        let (_, fix) = misindented_key(&lines(text), 4, true).unwrap();
        assert!(fix.contains("`auth:` on line 2 (column 3)") && !fix.contains("Kv4sWn8jQ"), "{fix}");
        let text = "auth:\n  password:\n    Kv4sWn8jQ: x\n   other: y\n";
        let (_, fix) = misindented_key(&lines(text), 4, false).unwrap();
        assert!(fix.contains("the key on line 3 (column 5)") && !fix.contains("Kv4sWn8jQ"), "{fix}");
    }

    #[test]
    fn lines_of_a_text_or_of_brackets_are_no_keys_to_line_up_with() {
        let text = "api:\n  description: |\n    Tickets\n      note: the old API\n   environments:\n";
        let (_, fix) = misindented_key(&lines(text), 5, true).unwrap();
        assert!(fix.ends_with("line it up with `description:` on line 2 (column 3) to be a key beside it"), "{fix}");
        let text = "api:\n  environments: {\n    live: { base_url: x } }\n   operations: []\n";
        let (_, fix) = misindented_key(&lines(text), 4, true).unwrap();
        assert!(fix.ends_with("line it up with `environments:` on line 2 (column 3) to be a key beside it"), "{fix}");
    }

    #[test]
    fn a_dash_without_its_space_is_found_on_the_marked_line_or_the_one_it_is_under() {
        let text = "ops:\n  -name: a\n\n    method: GET\n";
        let (span, fix) = dash_without_space(&lines(text), 4).unwrap();
        assert_eq!(span, Span::new(2, 3));
        assert!(fix.ends_with("write `- name:`"), "{fix}");
        assert_eq!(dash_without_space(&lines(text), 2).unwrap().0, Span::new(2, 3));
        // a line not indented under it is wrong in a way of its own
        assert!(dash_without_space(&lines("ops:\n  -name: a\n method: GET\n"), 3).is_none());
        // a `- ` with its space, a `--` and a `-` alone are other mistakes
        for text in ["ops:\n  - name: a\n", "ops:\n  --x: a\n", "ops:\n  -: a\n"] {
            assert!(dash_without_space(&lines(text), 2).is_none(), "{text:?}");
        }
    }

    #[test]
    fn an_entry_in_line_with_a_mappings_keys_drops_its_dash_unless_it_slipped_out_of_a_list() {
        let environment = "envs:\n  - name: a\n    sandbox:\n      url: x\n    - live:\n";
        let fix = |text: &str, index: usize| {
            let lines = lines(text);
            let structural = structural_lines(&lines, index);
            misindented_entry(&lines, &levels_above(&lines, &structural, index), index + 1, 4).map(|(_, fix)| fix)
        };
        assert!(fix(environment, 4).unwrap().ends_with("a mapping's keys take no `- `: remove it"));
        // an entry of ours, or one a list further in may have lost: line it up
        let entry = "envs:\n  - name: a\n    sandbox:\n      url: x\n    - name: b\n";
        assert!(fix(entry, 4).unwrap().contains("line it up with the `- ` on line 2 (column 3)"));
        let further_in = "envs:\n  - name: a\n    ops:\n      - name: b\n    - live:\n";
        assert!(fix(further_in, 4).unwrap().contains("line it up with the `- ` on line 4 (column 7)"));
    }

    #[test]
    fn a_key_indented_under_a_plain_value_is_told_it_is_read_as_that_value() {
        let text = "ops:\n  - resource: /x\n     description: hi\n";
        let (span, fix) = indented_into_value(&lines(text), 3, 16, true).unwrap();
        assert_eq!(span, Span::new(3, 6));
        assert!(fix.starts_with("`description:` is indented more than `resource:` on line 2"), "{fix}");
        assert!(fix.ends_with("line it up with `resource:` (column 5)"), "{fix}");
        // a value that holds `: ` on one line is another mistake
        assert!(indented_into_value(&lines("description: note: this\n"), 1, 17, true).is_none());
    }
}

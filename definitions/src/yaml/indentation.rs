//! The fix of a line indented out of line with the keys above it: the parser reads
//! it as the rest of a value, or finds no mapping or list it can belong to. The fix
//! names the keys it could line up with, each with its line and column.

use super::line_fix::is_known_key;
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
    /// How a fix names it: `` `name:` on line 7 (column 9)``.
    fn named(&self, shown: bool) -> String {
        let (line, column) = (self.index + 1, self.column + 1);
        match self.key.filter(|&key| shown || is_known_key(key)) {
            Some(key) => format!("`{key}:` on line {line} (column {column})"),
            None => format!("the key on line {line} (column {column})"),
        }
    }
}

/// Where the line `marked` (1-based) of `lines` starts and how to fix it, when it is
/// a `key:` indented in line with no key above it that it could belong to (the
/// parser "did not find expected key" or `-`). A line in line with a list's `- `
/// but without one is told to line up with its entry's keys or to start an entry.
/// Keys are named when `shown` or known settings, else only by line and column.
pub(super) fn misindented_key(lines: &[&str], marked: usize, shown: bool) -> Option<(Span, String)> {
    let index = marked.checked_sub(1)?;
    let line = *lines.get(index)?;
    let column = indentation(line);
    // deeper than the line above, it is the first key under that line's, or more of its value
    let (_, above) = lines[..index].iter().enumerate().rev().find(|(_, line)| holds_text(line))?;
    if column >= key_column(above) {
        return None;
    }
    let levels = levels_above(lines, index);
    if line[column..].starts_with("- ") {
        return misindented_entry(&levels, marked, column);
    }
    let key = key_of(&line[column..])?;
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
    let fix = match (dash, deeper, shallower) {
        (Some(dash), Some(entry_key), _) => format!(
            "{this} lines up with the `- ` on line {} that starts an entry of a list, but starts no entry itself; YAML nests by indentation: indent it as {} to be a key of that entry, or write `- ` before it to start an entry",
            dash.index + 1,
            entry_key.named(shown)
        ),
        (_, Some(deeper), Some(shallower)) => format!(
            "{this} starts at column {}, in line with no key above it; YAML nests by indentation: line it up with {} to be a key beside it, or with {}",
            column + 1,
            deeper.named(shown),
            shallower.named(shown)
        ),
        (_, Some(only), None) | (_, None, Some(only)) => format!(
            "{this} starts at column {}, in line with no key above it; YAML nests by indentation: line it up with {} to be a key beside it",
            column + 1,
            only.named(shown)
        ),
        (_, None, None) => return None,
    };
    Some((Span::new(marked, column + 1), fix))
}

/// The fix of a list's entry on line `marked` whose `- ` at `column` is in line
/// with no `- ` of the `levels` above it: the nearest one.
fn misindented_entry(levels: &[Level<'_>], marked: usize, column: usize) -> Option<(Span, String)> {
    let dashes = levels.iter().filter(|level| level.key.is_none());
    if dashes.clone().any(|dash| dash.column == column) {
        return None;
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
/// further in, `description: ...`, read as more of `/x`.
pub(super) fn indented_into_value(lines: &[&str], marked: usize, colon: usize, shown: bool) -> Option<(Span, String)> {
    let index = marked.checked_sub(1)?;
    let line = *lines.get(index)?;
    let column = indentation(line);
    let key = key_of(&line[column..]).filter(|key| column + key.len() == colon)?;
    let (above_index, above) = lines[..index].iter().enumerate().rev().find(|(_, line)| holds_text(line))?;
    let above_column = key_column(above);
    let above_key = key_of(&above[above_column..])?;
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

/// The keys and `- ` of the lines above line `index` that a line there could line
/// up with: going up, each line less indented than all between it and `index`.
fn levels_above<'l>(lines: &[&'l str], index: usize) -> Vec<Level<'l>> {
    let mut levels = Vec::new();
    let mut below = usize::MAX;
    for (index, &line) in lines[..index].iter().enumerate().rev().filter(|(_, line)| holds_text(line)) {
        let first = indentation(line);
        if first >= below {
            continue;
        }
        let column = key_column(line);
        let key = key_of(&line[column..]);
        // a line of a `|` text or of a flow list going on is no level
        if key.is_none() && column == first {
            continue;
        }
        if key.is_some() && column < below {
            levels.push(Level { column, index, key });
        }
        let mut dash = first;
        while line[dash..].starts_with('-') && dash < column {
            levels.push(Level { column: dash, index, key: None });
            dash += 1 + indentation(&line[dash + 1..]);
        }
        // a list may stand in line with the key it is the value of
        below = if dash > first { first + 1 } else { first };
        if first == 0 {
            break;
        }
    }
    levels
}

/// The key `text` starts with, when it starts `key:` followed by a blank or nothing.
fn key_of(text: &str) -> Option<&str> {
    let (key, rest) = text.split_once(':')?;
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    (is_key && (rest.is_empty() || rest.starts_with([' ', '#']))).then_some(key)
}

/// The spaces before `line`'s text.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column where `line`'s key or value starts, after its indentation and `- `.
fn key_column(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// Whether `line` holds more than blanks or a comment.
fn holds_text(line: &&str) -> bool {
    let text = line.trim();
    !text.is_empty() && !text.starts_with('#')
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
    fn a_key_in_line_with_one_above_is_no_misindentation() {
        let text = "a:\n  b: 1\n  c: 2\n";
        assert!(misindented_key(&lines(text), 3, true).is_none());
    }

    #[test]
    fn keys_not_shown_are_named_by_line_and_column_and_known_settings_by_name() {
        let text = "auth:\n    value: x\n  Kv4sWn8j: y\n";
        let (_, fix) = misindented_key(&lines(text), 3, false).unwrap();
        assert!(fix.starts_with("this key starts at column 3") && !fix.contains("Kv4sWn8j"), "{fix}");
        assert!(fix.contains("`value:` on line 2 (column 5)") && fix.contains("the key on line 1 (column 1)"), "{fix}");
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

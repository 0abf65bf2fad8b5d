//! Plain-text tables: columns padded to their widest cell.

use unicode_width::UnicodeWidthStr;

/// The widest a column is padded to: a longer cell (a 60-kilobyte resource, a level
/// no runtime writes) takes its own length on its own line, rather than padding
/// every row to it.
const MAX_WIDTH: usize = 64;

/// Lays out `rows` as lines, each cell padded to its column's width (at most
/// [`MAX_WIDTH`]), indented by `indent`.
///
/// The last cell of a row is not padded, nor counted in the widths when no row has
/// a cell after it, so a long last cell (a logged message) costs its own length
/// only; a line ends as its last cell does.
pub fn layout(rows: &[Vec<String>], indent: &str) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns.saturating_sub(1))
        .map(|c| rows.iter().filter_map(|row| row.get(c)).map(|cell| columns_of(cell).min(MAX_WIDTH)).max())
        .map(Option::unwrap_or_default)
        .collect();
    rows.iter().map(|row| line(row, &widths, indent)).collect()
}

/// How many terminal columns `text` takes, as a terminal shows it: two for a wide
/// East Asian character (`東`, `한`, a full-width `Ａ`) or an emoji, none for a
/// combining mark or a zero-width character.
fn columns_of(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn line(row: &[String], widths: &[usize], indent: &str) -> String {
    let mut line = indent.to_string();
    for (index, cell) in row.iter().enumerate() {
        if index + 1 == row.len() {
            line.push_str(cell);
        } else {
            // by hand: `format!`'s width stops at 65,535
            let padding = widths.get(index).copied().unwrap_or(0).saturating_sub(columns_of(cell));
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', padding + 2));
        }
    }
    // an empty last cell leaves no padding behind
    if row.last().is_some_and(String::is_empty) {
        line.truncate(line.trim_end().len());
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns_to_the_widest_cell() {
        let rows = vec![vec!["GET".to_string(), "a".to_string(), "x".to_string()], vec!["DELETE".into(), "bb".into()]];
        assert_eq!(layout(&rows, "  "), ["  GET     a   x", "  DELETE  bb"]);
    }

    #[test]
    fn a_last_cell_keeps_its_spaces_and_widens_nothing() {
        let rows = vec![vec!["a".to_string(), "total: ".to_string()], vec!["bb".into(), "x".repeat(1000)]];
        assert_eq!(layout(&rows, ""), ["a   total: ".to_string(), format!("bb  {}", "x".repeat(1000))]);
    }

    #[test]
    fn an_empty_last_cell_leaves_no_trailing_spaces() {
        let rows = vec![vec!["info".to_string(), String::new()], vec!["warning".into(), "x".into()]];
        assert_eq!(layout(&rows, ""), ["info", "warning  x"]);
    }

    #[test]
    fn a_cell_past_the_widest_padding_widens_only_its_own_line() {
        let long = "x".repeat(70_000);
        let rows = vec![vec![long.clone(), "a".to_string()], vec!["info".into(), "b".into()]];
        let lines = layout(&rows, "");
        assert_eq!(lines[0], format!("{long}  a"));
        assert_eq!(lines[1], format!("info{}  b", " ".repeat(MAX_WIDTH - 4)));
    }

    #[test]
    fn wide_east_asian_characters_take_two_columns() {
        let rows = vec![
            vec!["予約".to_string(), "a".to_string()],
            vec!["lang=日本語".into(), "b".into()],
            vec!["Zoë".into(), "c".into()],
            // decomposed: `e` and a combining diaeresis, `カ` and the voicing mark, Thai with a vowel mark
            vec!["Zoe\u{308}".into(), "d".into()],
            vec!["\u{30ab}\u{3099}".into(), "e".into()],
            vec!["\u{0e01}\u{0e34}".into(), "f".into()],
            // Devanagari with its vowel sign and anusvara: `हिं` is two columns
            vec!["\u{0939}\u{093f}\u{0902}".into(), "g".into()],
            // emoji outside the emoji blocks: an umbrella with rain, a hot beverage
            vec!["\u{2614}\u{2615}".into(), "h".into()],
        ];
        let lines = layout(&rows, "");
        assert_eq!(lines[..3], ["予約         a", "lang=日本語  b", "Zoë          c"]);
        assert_eq!(lines[3], "Zoe\u{308}          d");
        assert_eq!(lines[4], format!("\u{30ab}\u{3099}{}e", " ".repeat(11)));
        assert_eq!(lines[5], format!("\u{0e01}\u{0e34}{}f", " ".repeat(12)));
        assert_eq!(lines[6], format!("\u{0939}\u{093f}\u{0902}{}g", " ".repeat(11)));
        assert_eq!(lines[7], format!("\u{2614}\u{2615}{}h", " ".repeat(9)));
    }

    #[test]
    fn no_rows_no_lines() {
        assert!(layout(&[], "").is_empty());
    }
}

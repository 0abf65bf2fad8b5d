//! Plain-text tables: columns padded to their widest cell.

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

/// How many terminal columns `text` takes: two for a wide East Asian character (`東`,
/// `한`, a full-width `Ａ`, most emoji), none for a common combining mark (of Latin,
/// Cyrillic, Hebrew, Arabic, Devanagari, Thai, kana), one for the rest.
fn columns_of(text: &str) -> usize {
    text.chars().map(columns_of_char).sum()
}

fn columns_of_char(c: char) -> usize {
    const WIDE: [(u32, u32); 13] = [
        (0x1100, 0x115F),   // Hangul initial consonants
        (0x2E80, 0x303E),   // CJK radicals, punctuation
        (0x3041, 0x33FF),   // kana, CJK compatibility
        (0x3400, 0x4DBF),   // CJK extension A
        (0x4E00, 0x9FFF),   // CJK unified ideographs
        (0xA000, 0xA4CF),   // Yi
        (0xAC00, 0xD7A3),   // Hangul syllables
        (0xF900, 0xFAFF),   // CJK compatibility ideographs
        (0xFE30, 0xFE4F),   // CJK compatibility forms
        (0xFF00, 0xFF60),   // full-width forms
        (0xFFE0, 0xFFE6),   // full-width signs
        (0x1F300, 0x1FAFF), // emoji
        (0x20000, 0x3FFFD), // CJK extensions B and on
    ];
    // the common non-spacing marks (Latin, Cyrillic, Hebrew, Arabic, Devanagari, Thai,
    // kana voicing) and zero-width characters
    const NONE: [(u32, u32); 27] = [
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05BD),
        (0x05BF, 0x05BF),
        (0x05C1, 0x05C2),
        (0x05C4, 0x05C5),
        (0x05C7, 0x05C7),
        (0x0610, 0x061A),
        (0x064B, 0x065F),
        (0x0670, 0x0670),
        (0x06D6, 0x06DC),
        (0x0900, 0x0902),
        (0x093A, 0x093A),
        (0x093C, 0x093C),
        (0x0941, 0x0948),
        (0x094D, 0x094D),
        (0x0951, 0x0957),
        (0x0962, 0x0963),
        (0x0E31, 0x0E31),
        (0x0E34, 0x0E3A),
        (0x0E47, 0x0E4E),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x200B, 0x200F),
        (0x20D0, 0x20FF),
        (0x3099, 0x309A),
        (0xFE20, 0xFE2F),
    ];
    let code = u32::from(c);
    let within = |ranges: &[(u32, u32)]| ranges.iter().any(|&(first, last)| (first..=last).contains(&code));
    if within(&NONE) {
        0
    } else if within(&WIDE) {
        2
    } else {
        1
    }
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
        ];
        let lines = layout(&rows, "");
        assert_eq!(lines[..3], ["予約         a", "lang=日本語  b", "Zoë          c"]);
        assert_eq!(lines[3], "Zoe\u{308}          d");
        assert_eq!(lines[4], format!("\u{30ab}\u{3099}{}e", " ".repeat(11)));
        assert_eq!(lines[5], format!("\u{0e01}\u{0e34}{}f", " ".repeat(12)));
        assert_eq!(lines[6], format!("\u{0939}\u{093f}\u{0902}{}g", " ".repeat(11)));
    }

    #[test]
    fn no_rows_no_lines() {
        assert!(layout(&[], "").is_empty());
    }
}

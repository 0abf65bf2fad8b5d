//! Plain-text tables: columns padded to their widest cell.

/// Lays out `rows` as lines, each cell padded to its column's width, indented by `indent`.
///
/// The last cell of a row is not padded, nor counted in the widths when no row has
/// a cell after it, so a long last cell (a logged message) costs its own length
/// only; a line ends as its last cell does.
pub fn layout(rows: &[Vec<String>], indent: &str) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns.saturating_sub(1))
        .map(|c| rows.iter().filter_map(|row| row.get(c)).map(|cell| cell.chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter().map(|row| line(row, &widths, indent)).collect()
}

fn line(row: &[String], widths: &[usize], indent: &str) -> String {
    let mut line = indent.to_string();
    for (index, cell) in row.iter().enumerate() {
        if index + 1 == row.len() {
            line.push_str(cell);
        } else {
            let width = widths.get(index).copied().unwrap_or(0);
            line.push_str(&format!("{cell:<width$}  "));
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
    fn no_rows_no_lines() {
        assert!(layout(&[], "").is_empty());
    }
}

//! Plain-text tables: columns padded to their widest cell.

/// Lays out `rows` as lines, each cell padded to its column's width, indented by `indent`.
///
/// The last cell of a row is not padded, so lines carry no trailing spaces.
pub fn layout(rows: &[Vec<String>], indent: &str) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|row| row.get(c)).map(|cell| cell.chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter().map(|row| line(row, &widths, indent)).collect()
}

fn line(row: &[String], widths: &[usize], indent: &str) -> String {
    let cells: Vec<String> = row.iter().zip(widths).map(|(cell, &width)| format!("{cell:<width$}")).collect();
    format!("{indent}{}", cells.join("  ").trim_end())
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
    fn no_rows_no_lines() {
        assert!(layout(&[], "").is_empty());
    }
}

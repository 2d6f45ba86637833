//! Plain-text tables for a terminal: each column as wide as its widest cell on the screen (a
//! CJK character or an emoji takes two columns), two spaces between columns, no trailing
//! spaces. The run's summary and the instructor's room summary are both printed with it.

use textwrap::core::display_width;

/// How a column's cells sit in its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `rows` (the header first) as lines, each ending with a newline; `align` says how each
/// column, by index, is aligned.
pub fn format(rows: &[Vec<String>], align: impl Fn(usize) -> Align) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| display_width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, width))| {
                let padding = " ".repeat(width - display_width(cell));
                match align(column) {
                    Align::Left => format!("{cell}{padding}"),
                    Align::Right => format!("{padding}{cell}"),
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect()
    }

    #[test]
    fn columns_fit_their_widest_cell_and_align_as_told() {
        let table = format(
            &rows(&[
                &["case", "total"],
                &["greet-default", "1.20s"],
                &["tp", "12.05s"],
            ]),
            |column| {
                if column == 0 {
                    Align::Left
                } else {
                    Align::Right
                }
            },
        );
        assert_eq!(
            table,
            "case            total\n\
             greet-default   1.20s\n\
             tp             12.05s\n"
        );
    }

    #[test]
    fn wide_characters_take_two_columns_and_lines_end_without_spaces() {
        let table = format(
            &rows(&[&["learner", "1"], &["은상", "pass"], &["ana", ""]]),
            |_| Align::Left,
        );
        assert_eq!(table, "learner  1\n은상     pass\nana\n");
    }
}

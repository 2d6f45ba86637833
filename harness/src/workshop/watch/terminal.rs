//! The terminal while `watch` runs: raw mode (keys arrive one at a time, unechoed), the
//! alternate screen (the shell's screen comes back untouched), and the view redrawn in place,
//! cut to the window. Dropping [`Terminal`] restores everything, on an error or a panic too.

use std::io::{self, Stdout, Write};

use crossterm::{cursor, execute, queue, terminal};

use crate::workshop::watch::keys::HELP;

#[derive(Debug)]
pub struct Terminal {
    out: Stdout,
}

impl Terminal {
    pub fn enter() -> io::Result<Terminal> {
        terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(error) = execute!(out, terminal::EnterAlternateScreen, cursor::Hide) {
            let _ = terminal::disable_raw_mode();
            return Err(error);
        }
        Ok(Terminal { out })
    }

    /// The window's width, for wrapping.
    pub fn width(&self) -> usize {
        terminal::size().map_or(80, |(columns, _)| usize::from(columns))
    }

    /// Draws `lines` from the top, with the keys on the row before last (see [`paint`]); `dir`
    /// is the project folder as the learner typed it.
    pub fn draw(&mut self, lines: &[String], dir: &str) -> io::Result<()> {
        let rows = terminal::size().map_or(24, |(_, rows)| usize::from(rows));
        paint(&mut self.out, lines, rows, dir)?;
        self.out.flush()
    }
}

/// Paints a screen of `rows` rows: `lines` from the top, cut to fit, then the keys on the row
/// before last. The cursor waits on the last row, which is blank: should anything else write
/// to the terminal meanwhile (a child's progress bar), it writes there, never onto the keys,
/// and the next paint clears it.
pub fn paint(out: &mut impl Write, lines: &[String], rows: usize, dir: &str) -> io::Result<()> {
    let shown = fit(lines, rows.saturating_sub(3), dir);
    queue!(
        out,
        cursor::MoveTo(0, 0),
        terminal::Clear(terminal::ClearType::All)
    )?;
    // Raw mode does not turn `\n` into a carriage return and a line feed: write both.
    for line in &shown {
        write!(out, "{line}\r\n")?;
    }
    let row = |row: usize| u16::try_from(row).unwrap_or(u16::MAX);
    queue!(out, cursor::MoveTo(0, row(rows.saturating_sub(2))))?;
    write!(out, "{HELP}")?;
    queue!(out, cursor::MoveTo(0, row(rows.saturating_sub(1))))?;
    Ok(())
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = execute!(self.out, cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

/// The first lines of `lines` that fit in `rows`, the last one saying how many were left out and
/// how to see them (`check DIR`, with the folder as the learner typed it).
pub fn fit(lines: &[String], rows: usize, dir: &str) -> Vec<String> {
    if lines.len() <= rows {
        return lines.to_vec();
    }
    let kept = rows.saturating_sub(1);
    let mut shown = lines[..kept].to_vec();
    shown.push(format!(
        "… {} more lines (a taller window shows them; `pyo3-scaffold check {dir}` prints \
         them all)",
        lines.len() - kept
    ));
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_have_a_row_of_their_own_and_the_cursor_waits_below_them() {
        let lines: Vec<String> = (1..=40).map(|n| format!("line {n}")).collect();
        let mut screen = Vec::new();
        paint(&mut screen, &lines, 24, "my-ext").unwrap();
        let screen = String::from_utf8(screen).unwrap();
        // Rows 1 to 21 hold the view, row 23 the keys alone, and the cursor ends on row 24.
        assert_eq!(screen.matches("\r\n").count(), 21, "{screen:?}");
        assert!(
            screen.contains(&format!("\x1b[23;1H{HELP}\x1b[24;1H")),
            "{screen:?}"
        );
        assert!(screen.ends_with("\x1b[24;1H"), "{screen:?}");
        assert!(
            screen.contains(
                "… 20 more lines (a taller window shows them; `pyo3-scaffold check \
                             my-ext` prints them all)\r\n"
            ),
            "{screen:?}"
        );
    }

    #[test]
    fn what_does_not_fit_is_counted() {
        let lines: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
        assert_eq!(fit(&lines, 5, "."), lines);
        assert_eq!(
            fit(&lines, 3, "."),
            [
                "1",
                "2",
                "… 3 more lines (a taller window shows them; `pyo3-scaffold check .` prints \
                 them all)"
            ]
        );
    }
}

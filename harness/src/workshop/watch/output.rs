//! Where the view goes: a terminal redrawn in place, or, without one, plain text appended to
//! standard output, a whole checklist per check and only the answer to a key.

use std::io::Write;

use crate::workshop::watch::terminal::Terminal;
use crate::workshop::watch::view::View;

/// Printed after each checklist when there is no terminal.
pub const PLAIN_PROMPT: &str = "watching for saves; type h (hint), n (next), l (list), r (re-run) or q (quit) and Enter; \
     the end of input quits";

/// Where the view goes: a terminal redrawn in place, or plain text appended to stdout.
pub enum Output {
    Screen(Terminal),
    Plain,
}

impl Output {
    pub fn show(&mut self, view: &View) {
        match self {
            Output::Screen(terminal) => {
                let width = terminal.width();
                // Nothing to do about a terminal that cannot be written to: the loop goes on
                // and quitting still works.
                let _ = terminal.draw(&view.lines(width), &view.dir);
            }
            Output::Plain => {
                let mut out = std::io::stdout().lock();
                for line in view.lines(usize::MAX / 2) {
                    let _ = writeln!(out, "{line}");
                }
                let _ = writeln!(out, "\n{PLAIN_PROMPT}");
                let _ = out.flush();
            }
        }
    }

    pub fn say(&mut self, line: &str) {
        if let Output::Plain = self {
            println!("{line}");
        }
    }
}

impl Output {
    /// Redraws a terminal; plain output prints only whole checklists.
    pub fn show_if_screen(&mut self, view: &View) {
        if let Output::Screen(_) = self {
            self.show(view);
        }
    }

    /// Answers a key: a terminal redraws; plain output prints only the answer (the top with
    /// the hints, or the list once), not the checklist again.
    pub fn answer(&mut self, view: &mut View) {
        if let Output::Screen(_) = self {
            self.show(view);
            return;
        }
        let lines = view.lines(usize::MAX / 2);
        let top = lines
            .iter()
            .position(String::is_empty)
            .unwrap_or(lines.len());
        let shown = if view.listing {
            &lines[top + 1..]
        } else {
            &lines[..top]
        };
        let mut out = std::io::stdout().lock();
        for line in shown {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        view.listing = false;
    }
}

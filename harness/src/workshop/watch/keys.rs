//! The keys of `watch`, as rustlings has them, and the same letters typed as lines when there
//! is no terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// The next level of the current exercise's hints.
    Hint,
    /// Move on to the next unfinished exercise.
    Next,
    /// Show the exercises and how far each one is; again to go back to the checklist.
    List,
    /// Check again now, without waiting for a save.
    Recheck,
    Quit,
    /// Ctrl-C: stop the check under way and quit, as on an interrupt.
    Interrupt,
}

/// The line the screen ends with.
pub const HELP: &str = "h hint · n next exercise · l list · r re-run · q quit";

/// A key pressed in raw mode; `None` for keys that mean nothing here (and for releases).
pub fn from_key(key: KeyEvent) -> Option<Command> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Raw mode turns Ctrl-C and Ctrl-D into keys instead of a signal and an end of input.
        return match key.code {
            KeyCode::Char('c') => Some(Command::Interrupt),
            KeyCode::Char('d') => Some(Command::Quit),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Char(letter) => from_letter(letter),
        _ => None,
    }
}

/// A line typed on standard input when it is not a terminal: its first letter.
pub fn from_line(line: &str) -> Option<Command> {
    let mut letters = line.trim().chars();
    match (letters.next(), letters.next()) {
        (Some(letter), None) => from_letter(letter),
        _ => None,
    }
}

fn from_letter(letter: char) -> Option<Command> {
    Some(match letter.to_ascii_lowercase() {
        'h' => Command::Hint,
        'n' => Command::Next,
        'l' => Command::List,
        'r' | 'c' => Command::Recheck,
        'q' | 'x' => Command::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn letters_are_commands() {
        let none = KeyModifiers::NONE;
        let pressed: Vec<Option<Command>> = ['h', 'n', 'l', 'r', 'q', 'H', 'z']
            .into_iter()
            .map(|letter| from_key(key(KeyCode::Char(letter), none)))
            .collect();
        assert_eq!(
            pressed,
            [
                Some(Command::Hint),
                Some(Command::Next),
                Some(Command::List),
                Some(Command::Recheck),
                Some(Command::Quit),
                Some(Command::Hint),
                None
            ]
        );
    }

    #[test]
    fn ctrl_c_quits_and_a_release_is_nothing() {
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(
            from_key(key(KeyCode::Char('c'), ctrl)),
            Some(Command::Interrupt)
        );
        assert_eq!(from_key(key(KeyCode::Char('d'), ctrl)), Some(Command::Quit));
        assert_eq!(from_key(key(KeyCode::Char('h'), ctrl)), None);
        let mut release = key(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(from_key(release), None);
    }

    #[test]
    fn lines_are_commands_when_there_is_no_terminal() {
        assert_eq!(from_line("h\n"), Some(Command::Hint));
        assert_eq!(from_line("  q "), Some(Command::Quit));
        assert_eq!(from_line("hint"), None);
        assert_eq!(from_line(""), None);
    }
}

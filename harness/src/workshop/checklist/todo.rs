//! The `todo!()` a learner has not replaced yet, read from its panic message.

use std::fmt;

use serde::Serialize;

/// The message of a `todo!()` panic: `not yet implemented: exercise 1: greet "eunsang" ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// The exercise the `todo!()` names, when it follows the template's `exercise N: ` form.
    pub exercise: Option<u32>,
    /// What the `todo!()` says after `exercise N: ` (empty for a bare `todo!()`).
    pub text: String,
}

impl fmt::Display for Todo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exercise, self.text.is_empty()) {
            (Some(exercise), true) => write!(f, "not implemented yet (exercise {exercise})"),
            (Some(exercise), false) => {
                write!(
                    f,
                    "not implemented yet (exercise {exercise}: {})",
                    self.text
                )
            }
            (None, true) => write!(f, "not implemented yet (a todo!() with no message)"),
            (None, false) => write!(f, "not implemented yet ({})", self.text),
        }
    }
}

/// Reads the message of a panic raised by `todo!()` or `unimplemented!()`; `None` for any other
/// message.
pub fn parse_todo(message: &str) -> Option<Todo> {
    let rest = ["not yet implemented", "not implemented"]
        .into_iter()
        .find_map(|prefix| message.strip_prefix(prefix))?;
    let text = match rest.strip_prefix(": ") {
        Some(text) => text.trim(),
        None if rest.trim().is_empty() => "",
        None => return None,
    };
    let numbered = text.strip_prefix("exercise ").and_then(|rest| {
        let (number, text) = rest.split_once(':').unwrap_or((rest, ""));
        Some((number.trim().parse::<u32>().ok()?, text.trim()))
    });
    Some(match numbered {
        Some((exercise, text)) => Todo {
            exercise: Some(exercise),
            text: text.to_owned(),
        },
        None => Todo {
            exercise: None,
            text: text.to_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_messages_are_parsed() {
        assert_eq!(
            parse_todo("not yet implemented: exercise 1: greet \"eunsang\" with `greet`"),
            Some(Todo {
                exercise: Some(1),
                text: "greet \"eunsang\" with `greet`".into()
            })
        );
        assert_eq!(
            parse_todo("not yet implemented: exercise 12"),
            Some(Todo {
                exercise: Some(12),
                text: String::new()
            })
        );
        assert_eq!(
            parse_todo("not yet implemented"),
            Some(Todo {
                exercise: None,
                text: String::new()
            })
        );
        assert_eq!(
            parse_todo("not implemented: exercise four: later"),
            Some(Todo {
                exercise: None,
                text: "exercise four: later".into()
            })
        );
        assert_eq!(parse_todo("boom"), None);
        assert_eq!(parse_todo("not yet implementedness"), None);
    }

    #[test]
    fn todos_read_as_not_implemented_yet() {
        let todo = |message: &str| parse_todo(message).unwrap().to_string();
        assert_eq!(
            todo("not yet implemented: exercise 4: panic with \"boom\""),
            "not implemented yet (exercise 4: panic with \"boom\")"
        );
        assert_eq!(
            todo("not yet implemented: exercise 4"),
            "not implemented yet (exercise 4)"
        );
        assert_eq!(
            todo("not yet implemented"),
            "not implemented yet (a todo!() with no message)"
        );
        assert_eq!(
            todo("not implemented: later"),
            "not implemented yet (later)"
        );
    }
}

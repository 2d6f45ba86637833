//! The `todo!()` a learner has not replaced yet, read from its panic message, and placed at the
//! call in the learner's sources that printed it (see [`crate::workshop::todos`]).

use std::fmt;

use serde::Serialize;

use crate::workshop::todos::exercise_message;

/// The message of a `todo!()` panic: `not yet implemented: exercise 1: greet "eunsang" ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// The exercise the `todo!()` names, when it follows the template's `exercise N: ` form.
    pub exercise: Option<u32>,
    /// What the `todo!()` says after `exercise N: ` (empty for a bare `todo!()`).
    pub text: String,
    /// The call that printed it, when the learner's sources have it: `crates/python/src/message.rs`
    /// and the line of its `todo!(`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<TodoAt>,
}

/// Where a `todo!()` call stands in the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoAt {
    /// Relative to the project.
    pub file: String,
    /// Counted from 1.
    pub line: usize,
}

impl fmt::Display for Todo {
    /// A placed `todo!()` says where it is, not what it printed: a behaviour that needs
    /// exercise 3 may stop at exercise 2's constructor, whose message quotes the constructor's
    /// argument, not the behaviour's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exercise, &self.at, self.text.is_empty()) {
            (Some(exercise), Some(at), _) => write!(
                f,
                "not implemented yet: stops at exercise {exercise}'s todo!() ({}:{})",
                at.file, at.line
            ),
            (Some(exercise), None, true) => write!(f, "not implemented yet (exercise {exercise})"),
            (Some(exercise), None, false) => {
                write!(
                    f,
                    "not implemented yet (exercise {exercise}: {})",
                    self.text
                )
            }
            (None, _, true) => write!(f, "not implemented yet (a todo!() with no message)"),
            (None, _, false) => write!(f, "not implemented yet ({})", self.text),
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
    Some(match exercise_message(text) {
        Some((exercise, text)) => Todo {
            exercise: Some(exercise),
            text: text.to_owned(),
            at: None,
        },
        None => Todo {
            exercise: None,
            text: text.to_owned(),
            at: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(exercise: Option<u32>, text: &str) -> Option<Todo> {
        Some(Todo {
            exercise,
            text: text.into(),
            at: None,
        })
    }

    #[test]
    fn todo_messages_are_parsed() {
        assert_eq!(
            parse_todo("not yet implemented: exercise 1: greet \"eunsang\" with `greet`"),
            todo(Some(1), "greet \"eunsang\" with `greet`")
        );
        assert_eq!(
            parse_todo("not yet implemented: exercise 12"),
            todo(Some(12), "")
        );
        assert_eq!(parse_todo("not yet implemented"), todo(None, ""));
        assert_eq!(
            parse_todo("not implemented: exercise four: later"),
            todo(None, "exercise four: later")
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
        let mut placed = parse_todo("not yet implemented: exercise 2: keep \"x\"").unwrap();
        placed.at = Some(TodoAt {
            file: "crates/python/src/message.rs".into(),
            line: 27,
        });
        assert_eq!(
            placed.to_string(),
            "not implemented yet: stops at exercise 2's todo!() \
             (crates/python/src/message.rs:27)"
        );
    }
}

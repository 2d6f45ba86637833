//! Greetings, and the one rule a message must follow.

use std::fmt;

/// Greets `name` in the project's house style: `Hello, {name} !`.
///
/// The space before `!` is part of the format, so `greet("")` is `"Hello,  !"`.
pub fn greet(name: &str) -> String {
    format!("Hello, {name} !")
}

/// Greets every name in `names`, in order.
///
/// This is the CPU-bound batch that the Python module runs with the interpreter released: it
/// takes plain Rust data and touches no Python object.
pub fn greet_many<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    names.iter().map(|name| greet(name.as_ref())).collect()
}

/// A piece of text, as the Python class `Message` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    text: String,
}

impl Message {
    /// Creates a message holding `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    /// The text this message holds.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns `text` unchanged, or [`GreetError::EmptyText`] when it is empty.
    pub fn fail_if_empty<'a>(&self, text: &'a str) -> Result<&'a str, GreetError> {
        if text.is_empty() {
            Err(GreetError::EmptyText)
        } else {
            Ok(text)
        }
    }
}

/// Everything that can go wrong in this crate. The boundary crate maps each variant to the
/// Python exception a caller should catch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GreetError {
    /// A text that must not be empty was empty.
    EmptyText,
}

impl fmt::Display for GreetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyText => f.write_str("the text is empty: pass at least one character"),
        }
    }
}

impl std::error::Error for GreetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greet_keeps_the_space_before_the_bang() {
        assert_eq!(greet("eunsang"), "Hello, eunsang !");
        assert_eq!(greet(""), "Hello,  !");
    }

    #[test]
    fn greet_many_greets_in_order() {
        assert_eq!(
            greet_many(&["a", "b"]),
            vec!["Hello, a !".to_owned(), "Hello, b !".to_owned()]
        );
        assert_eq!(greet_many::<&str>(&[]), Vec::<String>::new());
    }

    #[test]
    fn message_holds_its_text() {
        assert_eq!(
            Message::new("Deep dive into Polars").text(),
            "Deep dive into Polars"
        );
    }

    #[test]
    fn fail_if_empty_returns_text_or_the_error() {
        let message = Message::new("anything");
        assert_eq!(message.fail_if_empty("x"), Ok("x"));
        assert_eq!(message.fail_if_empty(""), Err(GreetError::EmptyText));
        assert_eq!(
            GreetError::EmptyText.to_string(),
            "the text is empty: pass at least one character"
        );
    }
}

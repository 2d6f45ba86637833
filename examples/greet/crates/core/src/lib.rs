//! The greeting logic, in plain Rust: no PyO3 here, so it builds, tests and documents like
//! any other crate. The `python` crate next to this one is the only place that knows about
//! Python.

mod greeting;

pub use greeting::{GreetError, Message, greet, greet_many};

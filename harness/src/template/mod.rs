//! The template the command carries and what it makes: the files built into the binary
//! (`embedded`) and their `fingerprint`, the earlier templates it can update from (`history`),
//! the questions and `answers` (and those the command `filled` from the user's environment), the
//! `render` through cargo-generate, and the registry of styles (`style`).

pub mod answers;
pub mod embedded;
pub mod filled;
pub mod fingerprint;
pub mod history;
pub mod render;
pub mod style;

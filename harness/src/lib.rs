//! The pyo3-scaffold harness: every generated project goes
//! `render → venv → develop → pytest → probe → snapshot/compare`,
//! and a snapshot changes only when what Python sees changes.
//!
//! Each stage is a module named after it ([`render`], [`venv`], [`develop`], [`pytest`],
//! [`probe`], [`snapshot`] with [`normalize`] and [`compare`]); [`pipeline`] runs one case
//! through them and decides what a warm cache lets it skip. Every child process goes through
//! [`cmd`]; every failure is an [`error::Error`] with a hint. The commands themselves live in
//! [`cli`], [`matrix`], [`check`] and [`mod@bench`]; [`report`] writes what they found, and
//! [`checklist`] is what `check` tells a workshop learner.

pub mod answers;
pub mod bench;
pub mod cache;
pub mod check;
pub mod checklist;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod develop;
pub mod error;
pub mod interpreters;
pub mod interrupt;
pub mod matrix;
pub mod normalize;
pub mod pipeline;
pub mod probe;
pub mod progress;
pub mod project;
pub mod pytest;
pub mod python_version;
pub mod render;
pub mod report;
pub mod snapshot;
pub mod style;
pub mod tools;
pub mod tree;
pub mod venv;
pub mod version_tags;
pub mod wheel;

pub use error::{Error, Result};

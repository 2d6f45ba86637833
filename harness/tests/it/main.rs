//! Integration tests: the `pyo3-scaffold` binary, run the way users and CI run it.
//!
//! Gathered in one test binary (one link, one shared cache). Every test that builds a project
//! goes through the binary with a cache under the target folder, so `cargo clean` removes it
//! and nothing is written to the user's cache.

// A test reports a failure by panicking: an `unwrap` in a test or its helpers is an assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod benchmark;
mod book;
mod book_walk;
mod built;
mod check;
mod cli;
mod conformance;
// Unix only: file modes (a read-only tree), and signals sent to the harness.
#[cfg(unix)]
mod containment;
mod deliberate;
mod dev_check;
mod examples;
mod exercises;
mod faults;
mod generated;
mod install;
#[cfg(unix)]
mod interruption;
mod layouts;
mod matrix;
mod modules;
mod platform;
mod probing;
mod provenance;
mod python_versions;
mod real_text;
mod reset;
#[cfg(unix)]
mod runner;
mod sandbox;
mod shown_commands;
mod styles;
mod support;
mod update;
mod workflows;
mod workshop;

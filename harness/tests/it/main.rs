//! Integration tests: the `scaffold-harness` binary, run the way users and CI run it.
//!
//! Gathered in one test binary (one link, one shared cache). Every test that builds a project
//! goes through the binary with a cache under the target folder, so `cargo clean` removes it
//! and nothing is written to the user's cache.

mod bad_input;
mod book;
mod check;
mod cli;
mod containment;
mod examples;
mod faults;
mod generated;
mod interruption;
mod matrix;
mod python_versions;
mod sandbox;
mod support;
mod workshop;

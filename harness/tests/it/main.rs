//! Integration tests: the `pyo3-scaffold` binary, run the way users and CI run it.
//!
//! Gathered in one test binary (one link, one shared cache). Every test that builds a project
//! goes through the binary with a cache under the target folder, so `cargo clean` removes it
//! and nothing is written to the user's cache.

mod bad_input;
mod benchmark;
mod book;
mod book_walk;
mod built;
mod check;
mod cli;
mod containment;
mod examples;
mod exercises;
mod faults;
mod generated;
mod install;
mod interruption;
mod matrix;
mod provenance;
mod python_versions;
mod sandbox;
mod styles;
mod support;
mod workshop;

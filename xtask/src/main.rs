//! The repository's developer tasks, run through `just`: measurements of the harness and the
//! steps of its release, which belong to whoever works on it, not to the `pyo3-scaffold`
//! command users install.
//! `cargo run -p xtask -- --help` lists them.

mod bench;
mod version;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scaffold_harness::base::{cmd, interrupt};
use scaffold_harness::commands::GlobalArgs;
use scaffold_harness::exit;
use scaffold_harness::template::render;

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "pyo3-scaffold's developer tasks")]
struct Xtask {
    #[command(subcommand)]
    task: Task,

    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Measure the harness against the usual way and a bare cargo build; prints JSON with
    /// naive_s, harness_cold_s, harness_warm_s, multi_python_cold_s (every CPython of the range
    /// here), floor_s and extra_project_s (all in a fresh temporary cache; takes a few minutes)
    Bench(bench::BenchArgs),
    /// Set the command's version in harness/Cargo.toml (the first step of `just bump`, which
    /// then records it in the template and adds the template to the history)
    SetVersion {
        /// The new version, above the current one (e.g. 0.2.0)
        version: String,
    },
}

fn main() -> ExitCode {
    // SAFETY: this is the first thing `main` does, before the harness (or any library it uses)
    // starts a thread.
    unsafe { render::fix_environment() };
    let xtask = Xtask::parse();
    if let Err(error) = interrupt::install(cmd::kill_all) {
        eprintln!("warning: Ctrl-C will not clean up: {error}");
    }
    let result = match &xtask.task {
        Task::Bench(args) => bench::run(&xtask.global, args),
        Task::SetVersion { version } => version::run(version),
    };
    result.unwrap_or_else(|error| exit::report(&error))
}

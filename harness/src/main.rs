//! `pyo3-scaffold`: see `pyo3-scaffold --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // SAFETY: this is the first thing `main` does, before the harness (or any library it uses)
    // starts a thread.
    unsafe { scaffold_harness::template::render::fix_environment() };
    scaffold_harness::cli::main()
}

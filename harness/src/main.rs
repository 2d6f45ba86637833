//! `pyo3-scaffold`: see `pyo3-scaffold --help`.

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let (name, email) = scaffold_harness::template::render::FIXED_AUTHOR;
    // cargo-generate reads answers from CARGO_GENERATE_* variables; a render must depend on
    // the harness's arguments only.
    let leaked: Vec<OsString> = std::env::vars_os()
        .map(|(key, _)| key)
        .filter(|key| key.to_string_lossy().starts_with("CARGO_GENERATE_"))
        .collect();
    // SAFETY: changing the environment is unsound only while another thread may read it. This
    // is the first thing `main` does, before the harness (or any library it uses) starts a
    // thread.
    unsafe {
        std::env::set_var("CARGO_NAME", name);
        std::env::set_var("CARGO_EMAIL", email);
        for key in leaked {
            std::env::remove_var(key);
        }
    }
    scaffold_harness::cli::main()
}

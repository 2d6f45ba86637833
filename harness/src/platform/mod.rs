//! Everything that differs between Linux, macOS and Windows, and nothing else.
//!
//! Each thing has a Unix side (`unix.rs`) and a Windows side (`windows.rs`), with the same
//! names; the rest of the crate calls the names re-exported here and never asks which system it
//! runs on. `#[cfg(unix)]`, `#[cfg(windows)]`, `std::os::unix`, `std::os::windows` and `libc`
//! appear in this folder only (`tests/it/platform.rs` fails otherwise).
//!
//! | what | Unix | Windows |
//! | --- | --- | --- |
//! | a child's process tree ([`contain`], [`kill_tree`]) | its own process group | a job object |
//! | leftovers that left the tree ([`tagged_processes`], [`kill_process`]) | found by their environment in `/proc` (Linux; macOS cannot look) | cannot look: the job object is all there is |
//! | how a child ended ([`signal`], [`signal_name`], [`exit_code_text`], [`is_crash`]) | a signal, named (`SIGSEGV`) | an exit code; NTSTATUS codes in hex and named ([`ntstatus`]) |
//! | executable bits ([`is_executable`], [`executable_bits`], [`set_executable`]) | the mode's `x` bits | none: always off, setting them does nothing |
//! | symbolic links ([`symlink`]) | a symlink | a symlink, or a copy where making one needs a privilege |
//! | a venv ([`venv_bin`], [`exe_name`], [`site_packages`]) | `bin/python`, `lib/python3.X/site-packages` | `Scripts\python.exe`, `Lib\site-packages` |
//! | a native extension ([`EXTENSION_SUFFIX`]) | `.so` | `.pyd` |
//! | `PATH` ([`PATH_SEPARATOR`]) | `:` | `;` |
//! | the interpreter when none is named ([`DEFAULT_PYTHON`]) | `python3` | `python` |
//! | paths as text ([`portable_path`], [`canonicalize`]) | as they are | `/` between parts, without the `\\?\` prefix |
//!
//! Ctrl-C needs no side of its own: `ctrlc` (with `termination`) handles SIGINT, SIGTERM and
//! SIGHUP on Unix and the console's Ctrl-C, Ctrl-Break and close events on Windows.
//!
//! The build script reads executable bits too: `executable.rs` uses only `std`, so
//! `build.rs` includes it with `#[path]`, as it does the template's fingerprint.

use std::io;
use std::path::{Path, PathBuf};

mod executable;
pub mod ntstatus;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub use executable::{executable_bits, is_executable, set_executable};
pub use imp::{
    DEFAULT_PYTHON, EXTENSION_SUFFIX, PATH_SEPARATOR, PROCESS_TREE, contain, exit_code_text,
    is_crash, kill_process, kill_tree, signal, signal_name, site_packages, symlink,
    tagged_processes, venv_bin,
};

/// `name` as the file of a program: `python` on Unix, `python.exe` on Windows.
pub fn exe_name(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// `path` as text with `/` between its parts on every platform, and without Windows' `\\?\`
/// prefix: how records, reports (JSON, JUnit) and GitHub annotations write a path. (On Unix a
/// `\` is part of a file name, and stays.)
pub fn portable_path(path: &Path) -> String {
    dunce::simplified(path)
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

/// `path` made absolute, every link resolved, in the form users and Python write it: on Windows
/// `C:\x`, not the `\\?\C:\x` that `std::fs::canonicalize` gives (`dunce` drops the prefix where
/// that keeps the path's meaning). The error names the path.
pub fn canonicalize(path: &Path) -> io::Result<PathBuf> {
    Ok(dunce::simplified(&fs_err::canonicalize(path)?).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portable_path_has_forward_slashes() {
        let path: PathBuf = ["tests", "test_message.py"].iter().collect();
        assert_eq!(portable_path(&path), "tests/test_message.py");
    }

    #[test]
    fn canonicalize_resolves_and_names_the_path_it_could_not() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a");
        fs_err::create_dir(&inner).unwrap();
        let resolved = canonicalize(&inner.join("..").join("a")).unwrap();
        assert_eq!(resolved, canonicalize(&inner).unwrap());
        assert!(resolved.is_absolute());
        assert!(!resolved.to_string_lossy().starts_with(r"\\?\"));
        let missing = dir.path().join("missing");
        let error = canonicalize(&missing).unwrap_err();
        assert!(
            error.to_string().contains(&missing.display().to_string()),
            "{error}"
        );
    }
}

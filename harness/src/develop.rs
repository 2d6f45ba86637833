//! Stage 3: `maturin develop --uv`, building the extension into the case's venv.
//!
//! Every case built for one interpreter shares one `CARGO_TARGET_DIR`, so PyO3 and its macros
//! compile once for the whole matrix. cargo locks the folder while it compiles, but maturin then
//! copies the built library out of it; two builds of the same crate (a second harness run, or
//! two projects with one name) could swap their libraries in between. A lock per crate name
//! around the whole `maturin develop` closes that gap.

use std::path::Path;
use std::time::Duration;

use crate::cache::lock;
use crate::cmd::{Cmd, Output};
use crate::error::Result;
use crate::project::Project;
use crate::tools::{Uv, path_with};
use crate::venv;

pub struct Build<'a> {
    pub uv: &'a Uv,
    pub project: &'a Project,
    pub venv: &'a Path,
    pub target_dir: &'a Path,
    /// The lock file for this crate name in `target_dir`.
    pub lock_file: &'a Path,
    pub timeout: Duration,
}

pub fn develop(build: &Build<'_>) -> Result<Output> {
    let _lock = lock(build.lock_file)?;
    let bin = venv::bin(build.venv);
    Cmd::new(bin.join("maturin"))
        .args(["develop", "--uv"])
        .cwd(&build.project.root)
        .env("VIRTUAL_ENV", build.venv)
        .env("CARGO_TARGET_DIR", build.target_dir)
        // maturin finds uv, and the build scripts find the venv's Python, on PATH.
        .env("PATH", path_with(&[&bin, build.uv.dir()]))
        // Debug info makes every compile and link slower and nothing here reads it.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .timeout(build.timeout)
        .hint("the project does not build: the compiler's messages are in the stderr above")
        .run()
}

/// The seconds in cargo's `Finished `dev` profile [...] target(s) in 6.53s` line (or
/// `in 1m 05s`), the time the compiler took inside `maturin develop`.
pub fn cargo_seconds(output: &str) -> Option<f64> {
    let line = output
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with("Finished "))?;
    let (_, time) = line.rsplit_once(" in ")?;
    let time = time.trim();
    let (minutes, seconds) = match time.split_once("m ") {
        Some((minutes, seconds)) => (minutes.parse::<f64>().ok()?, seconds),
        None => (0.0, time),
    };
    let seconds: f64 = seconds.strip_suffix('s')?.parse().ok()?;
    Some(minutes * 60.0 + seconds)
}

#[cfg(test)]
mod tests {
    use super::cargo_seconds;

    #[test]
    fn reads_cargo_build_time() {
        let output = "   Compiling greet-core v0.1.0\n    Finished `dev` profile [unoptimized] target(s) in 6.53s\n📦 Built wheel\n";
        assert_eq!(cargo_seconds(output), Some(6.53));
        assert_eq!(
            cargo_seconds("    Finished `dev` profile [unoptimized] target(s) in 1m 05s\n"),
            Some(65.0)
        );
        assert_eq!(cargo_seconds("error: could not compile"), None);
    }
}

//! A project's lock files: `Cargo.lock` pins its Rust crates, `uv.lock` its Python packages,
//! and the project's CI runs every step `--locked` against them. `new` makes both
//! ([`make`]); `update` brings those a project has in line with its merged manifests
//! ([`refresh`]), changing no pin the manifests do not force it to change. Both need the
//! network.
//!
//! What refreshes a lock file, measured with cargo 1.95 and uv 0.11 on a project whose locked
//! `pyo3` 0.29.3 no longer met a `pyo3 = "0.30.1"` requirement: `cargo update --workspace`
//! moved pyo3 and its own crates to 0.30.1 and left every other pin as it was (an older
//! `libc` stayed), and `cargo … --locked` passed again; with nothing to change it rewrites not
//! a byte, whatever the lock file's format version. `uv lock` keeps the locked versions that
//! still satisfy the requirements.

use std::path::Path;
use std::time::Duration;

use crate::base::cmd::Cmd;
use crate::base::error::Result;
use crate::base::fault::Fault;
use crate::python::uv::Uv;

/// Locking resolves dependencies over the network: minutes on a slow link, never an hour.
pub const LOCK_LIMIT: Duration = Duration::from_secs(600);

/// The tool that writes a lock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Cargo,
    Uv,
}

/// One kind of lock file.
#[derive(Debug)]
pub struct LockFile {
    /// Its name at the project's root.
    pub file: &'static str,
    tool: Tool,
    /// The arguments that write it afresh.
    make: &'static [&'static str],
    /// The arguments that bring it in line with changed manifests, keeping every pin they
    /// still allow.
    refresh: &'static [&'static str],
}

/// Every lock file, in the order they are written.
pub const LOCK_FILES: &[LockFile] = &[
    LockFile {
        file: "Cargo.lock",
        tool: Tool::Cargo,
        make: &["generate-lockfile"],
        refresh: &["update", "--workspace"],
    },
    LockFile {
        file: "uv.lock",
        tool: Tool::Uv,
        make: &["lock"],
        refresh: &["lock"],
    },
];

impl LockFile {
    fn command(&self, uv: &Uv, args: &[&str], dir: &Path, hint: &str) -> Cmd {
        let program = match self.tool {
            Tool::Cargo => Cmd::new("cargo"),
            Tool::Uv => Cmd::new(&uv.path),
        };
        program
            .args(args)
            .cwd(dir)
            .timeout(LOCK_LIMIT)
            .fault(Fault::Environment)
            .hint(hint)
    }

    /// The command line that refreshes it, as a user types it.
    pub fn refresh_line(&self) -> String {
        let program = match self.tool {
            Tool::Cargo => "cargo",
            Tool::Uv => "uv",
        };
        format!("{program} {}", self.refresh.join(" "))
    }
}

/// Writes every lock file into the new project at `dir`; a failure carries `hint`.
pub fn make(dir: &Path, uv: &Uv, hint: &str) -> Result<()> {
    for lock in LOCK_FILES {
        lock.command(uv, lock.make, dir, hint).run()?;
    }
    Ok(())
}

/// The lock files the project at `dir` has.
pub fn present(dir: &Path) -> Vec<&'static LockFile> {
    LOCK_FILES
        .iter()
        .filter(|lock| dir.join(lock.file).is_file())
        .collect()
}

/// A lock file [`refresh`] changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub file: &'static str,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// Brings the lock files the project at `dir` has in line with its manifests, and returns
/// those whose bytes changed. A project without lock files gets none. A failure carries `hint`.
pub fn refresh(dir: &Path, uv: &Uv, hint: &str) -> Result<Vec<Refreshed>> {
    let mut changed = Vec::new();
    for lock in present(dir) {
        let path = dir.join(lock.file);
        let before = fs_err::read(&path)?;
        lock.command(uv, lock.refresh, dir, hint).run()?;
        let after = fs_err::read(&path)?;
        if after != before {
            changed.push(Refreshed {
                file: lock.file,
                before,
                after,
            });
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Never run: the project has no uv.lock.
    fn uv() -> Uv {
        Uv {
            path: "uv-is-not-run".into(),
        }
    }

    /// A Cargo project with no dependencies locks and refreshes without the network: enough to
    /// see that a manifest change reaches the lock file, and that no change writes nothing.
    #[test]
    fn a_manifest_change_reaches_the_cargo_lock_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manifest = |version: &str| {
            format!(
                "[package]\nname = \"locked\"\nversion = \"{version}\"\nedition = \"2021\"\n\n\
                 [lib]\npath = \"lib.rs\"\n"
            )
        };
        fs_err::write(root.join("Cargo.toml"), manifest("0.1.0")).unwrap();
        fs_err::write(root.join("lib.rs"), "").unwrap();
        assert!(refresh(root, &uv(), "").unwrap().is_empty(), "no lock file");
        assert!(!root.join("Cargo.lock").exists(), "a lock file was made");

        Cmd::new("cargo")
            .args(["generate-lockfile", "--offline"])
            .cwd(root)
            .run()
            .unwrap();
        assert_eq!(present(root).len(), 1);
        assert!(
            refresh(root, &uv(), "").unwrap().is_empty(),
            "nothing changed"
        );

        fs_err::write(root.join("Cargo.toml"), manifest("0.2.0")).unwrap();
        let refreshed = refresh(root, &uv(), "").unwrap();
        assert_eq!(refreshed.len(), 1);
        assert_eq!(refreshed[0].file, "Cargo.lock");
        let text = String::from_utf8(refreshed[0].after.clone()).unwrap();
        assert!(
            text.contains("name = \"locked\"\nversion = \"0.2.0\"\n"),
            "{text}"
        );
        Cmd::new("cargo")
            .args(["metadata", "--locked", "--offline", "--format-version", "1"])
            .cwd(root)
            .run()
            .unwrap();
    }

    #[test]
    fn the_refresh_lines_are_what_a_user_types() {
        let lines: Vec<String> = LOCK_FILES.iter().map(LockFile::refresh_line).collect();
        assert_eq!(lines, ["cargo update --workspace", "uv lock"]);
    }
}

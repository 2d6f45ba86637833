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
//!
//! A refresh can fail where the project itself is fine: offline, or in a copy of the project
//! that a path dependency outside it (`path = "../shared"`) does not reach. [`refresh`] then
//! leaves that lock file as it was and says why, for the caller to tell the user what to run.

use std::path::Path;
use std::time::Duration;

use crate::base::cmd::Cmd;
use crate::base::error::{Error, Result};
use crate::base::fault::Fault;
use crate::base::process_error::ProcessError;
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
#[derive(Debug, PartialEq, Eq)]
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
    fn command(&self, uv: &Uv, args: &[&str], dir: &Path) -> Cmd {
        let program = match self.tool {
            Tool::Cargo => Cmd::new("cargo"),
            Tool::Uv => Cmd::new(&uv.path),
        };
        program
            .args(args)
            .cwd(dir)
            .timeout(LOCK_LIMIT)
            .fault(Fault::Environment)
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
        lock.command(uv, lock.make, dir).hint(hint).run()?;
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

/// A lock file [`refresh`] could not bring in line, left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRefreshed {
    pub lock: &'static LockFile,
    /// Why, in one line: the tool's first error line (`error: failed to load manifest for
    /// workspace member…`), else how it ended.
    pub cause: String,
    /// Everything the tool said on stderr (its last few kilobytes).
    pub stderr: String,
}

/// What [`refresh`] did.
#[derive(Debug, Default)]
pub struct Refresh {
    /// The lock files whose bytes changed.
    pub changed: Vec<Refreshed>,
    /// The lock files it could not refresh: offline, or a path dependency it cannot reach.
    pub failed: Vec<NotRefreshed>,
}

/// Brings the `locks` of the project at `dir` in line with its manifests, each on its own: a
/// lock file whose tool fails is put back as it was and reported in [`Refresh::failed`], and
/// the others are still refreshed. Only an interruption or an unreadable lock file is an error.
pub fn refresh(dir: &Path, uv: &Uv, locks: &[&'static LockFile]) -> Result<Refresh> {
    let mut refresh = Refresh::default();
    for &lock in locks {
        let path = dir.join(lock.file);
        let before = fs_err::read(&path)?;
        let failure = match lock.command(uv, lock.refresh, dir).run() {
            Ok(_) => None,
            Err(Error::Process(error)) => Some((first_error_line(&error), error.stderr)),
            Err(error @ Error::Spawn { .. }) => Some((error.to_string(), String::new())),
            Err(error) => return Err(error),
        };
        if let Some((cause, stderr)) = failure {
            // A tool that failed half-way leaves nothing of its own behind.
            fs_err::write(&path, &before)?;
            refresh.failed.push(NotRefreshed {
                lock,
                cause,
                stderr,
            });
            continue;
        }
        let after = fs_err::read(&path)?;
        if after != before {
            refresh.changed.push(Refreshed {
                file: lock.file,
                before,
                after,
            });
        }
    }
    Ok(refresh)
}

/// The first line of a failed tool's stderr that says what went wrong (cargo's and uv's start
/// with `error:`, uv's resolver's with `×`), else its first line, else how it ended.
fn first_error_line(error: &ProcessError) -> String {
    let lines = || {
        error
            .stderr
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
    };
    lines()
        .find(|line| line.starts_with("error") || line.starts_with('×'))
        .or_else(|| lines().next())
        .map_or_else(
            || format!("`{}` ended with {}", error.command_line(), error.status),
            str::to_owned,
        )
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
        assert!(present(root).is_empty(), "no lock file");
        assert!(!root.join("Cargo.lock").exists(), "a lock file was made");

        Cmd::new("cargo")
            .args(["generate-lockfile", "--offline"])
            .cwd(root)
            .run()
            .unwrap();
        assert_eq!(present(root).len(), 1);
        assert!(
            refresh(root, &uv(), &present(root))
                .unwrap()
                .changed
                .is_empty(),
            "nothing changed"
        );

        fs_err::write(root.join("Cargo.toml"), manifest("0.2.0")).unwrap();
        let refreshed = refresh(root, &uv(), &present(root)).unwrap().changed;
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

    /// A path dependency the folder does not reach, as in a copy of a project whose
    /// dependency lives beside it: the failure is reported with cargo's first error line, and
    /// the lock file is left as it was.
    #[test]
    fn a_lock_file_that_cannot_be_refreshed_is_left_as_it_was_and_the_cause_named() {
        let dir = tempfile::tempdir().unwrap();
        let (root, shared) = (dir.path().join("app"), dir.path().join("shared"));
        let manifest = |name: &str, dependency: &str| {
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                 [lib]\npath = \"lib.rs\"\n\n[dependencies]\n{dependency}"
            )
        };
        for (folder, name, dependency) in [
            (&shared, "shared", ""),
            (&root, "app", "shared = { path = \"../shared\" }\n"),
        ] {
            fs_err::create_dir_all(folder).unwrap();
            fs_err::write(folder.join("Cargo.toml"), manifest(name, dependency)).unwrap();
            fs_err::write(folder.join("lib.rs"), "").unwrap();
        }
        Cmd::new("cargo")
            .args(["generate-lockfile", "--offline"])
            .cwd(&root)
            .run()
            .unwrap();
        let locked = fs_err::read(root.join("Cargo.lock")).unwrap();
        fs_err::remove_dir_all(&shared).unwrap();

        let refresh = refresh(&root, &uv(), &present(&root)).unwrap();
        assert!(refresh.changed.is_empty());
        assert_eq!(refresh.failed.len(), 1);
        assert_eq!(refresh.failed[0].lock.file, "Cargo.lock");
        let failed = &refresh.failed[0];
        assert!(failed.cause.starts_with("error: failed to "), "{failed:?}");
        assert!(!failed.cause.contains('\n'), "{failed:?}");
        assert!(
            failed
                .stderr
                .contains(&shared.join("Cargo.toml").display().to_string()),
            "{failed:?}"
        );
        assert_eq!(fs_err::read(root.join("Cargo.lock")).unwrap(), locked);
    }

    #[test]
    fn the_refresh_lines_are_what_a_user_types() {
        let lines: Vec<String> = LOCK_FILES.iter().map(LockFile::refresh_line).collect();
        assert_eq!(lines, ["cargo update --workspace", "uv lock"]);
    }
}

//! The project's lock files after a clean merge: the template changed its manifests (a newer
//! floor for pytest, a new dependency), and a project whose CI runs `--locked` fails until its
//! `Cargo.lock` and `uv.lock` follow. They are refreshed in the staged copy of the update
//! ([`crate::project::lockfiles::refresh`]), before it is verified, so that the verification
//! builds with the lock files that will be written, and they are written with the rest of the
//! update, all at once. A project without lock files gets none.
//!
//! A lock file that cannot be refreshed (offline, or a path dependency outside the project that
//! the staged copy does not reach) does not stop the update: it is written as `--no-lock`
//! writes it, that lock file left as it was, and a warning names the cause and what to run in
//! the project afterwards.

use std::path::Path;

use crate::base::error::Result;
use crate::commands::GlobalArgs;
use crate::project::lockfiles::{self, LockFile};
use crate::update::apply::Write;

/// The lock files an update of the project at `dir` brings in line: those it has, or none with
/// `no_lock` (then a note says which it leaves alone, and what brings them in line later).
pub fn chosen(no_lock: bool, dir: &Path) -> Vec<&'static LockFile> {
    let present = lockfiles::present(dir);
    if no_lock && !present.is_empty() {
        eprintln!(
            "note: --no-lock: {} left as they were; bring them in line with the merged manifests \
             with `{}` in the project",
            names(&present),
            commands(&present)
        );
        return Vec::new();
    }
    present
}

/// For `--check` and `--dry-run`, which refresh nothing: says that the update would refresh
/// the lock files the project at `dir` has, and that this needs the network.
pub fn say_would_relock(no_lock: bool, dir: &Path) {
    let present = lockfiles::present(dir);
    if !no_lock && !present.is_empty() {
        println!(
            "note: updating would also relock {} with `{}`, which needs the network (--no-lock \
             leaves them as they are)",
            names(&present),
            commands(&present)
        );
    }
}

/// `Cargo.lock and uv.lock`.
fn names(locks: &[&LockFile]) -> String {
    locks
        .iter()
        .map(|lock| lock.file)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `cargo update --workspace && uv lock`: what a user types to refresh `locks`.
pub fn commands(locks: &[&LockFile]) -> String {
    locks
        .iter()
        .map(|lock| lock.refresh_line())
        .collect::<Vec<_>>()
        .join(" && ")
}

/// What [`relock`] did.
#[derive(Debug, Default)]
pub struct Relocked {
    /// The lock files that changed, now in `writes`.
    pub changed: Vec<&'static str>,
    /// The lock files it could not refresh, left as they were.
    pub left: Vec<&'static LockFile>,
}

/// Refreshes `locks` in the staged copy at `staged` of the project at `project`, and adds those
/// that changed to `writes`. Those it cannot refresh are left as they were, with a warning.
pub fn relock(
    global: &GlobalArgs,
    locks: &[&'static LockFile],
    staged: &Path,
    project: &Path,
    writes: &mut Vec<Write>,
) -> Result<Relocked> {
    if locks.is_empty() {
        return Ok(Relocked::default());
    }
    eprintln!(
        "update: bringing {} in line with the merged manifests: {} (this needs the network; \
         --no-lock skips it)",
        names(locks),
        commands(locks).replace(" && ", ", then ")
    );
    let uv = global.uv()?;
    let refresh = lockfiles::refresh(staged, &uv, locks)?;
    for lock in &refresh.changed {
        writes.push(Write {
            path: lock.file.to_owned(),
            bytes: Some(lock.after.clone()),
        });
    }
    let left: Vec<&'static LockFile> = refresh.failed.iter().map(|failed| failed.lock).collect();
    if !left.is_empty() {
        // The tools name the staged copy; the user knows the project.
        let real = fs_err::canonicalize(project).unwrap_or_else(|_| project.to_owned());
        let copy = staged.display().to_string();
        for failed in &refresh.failed {
            eprintln!(
                "warning: {} left as it was: `{}` failed: {}{}",
                failed.lock.file,
                failed.lock.refresh_line(),
                failed.cause.replace(&copy, &real.display().to_string()),
                if reaches_out(&failed.stderr, staged) {
                    " (a path dependency outside the project: the copy of the project the \
                     update relocks in does not reach it)"
                } else {
                    ""
                }
            );
        }
        eprintln!(
            "warning: the update is written without relocking {}; once `{}` can run (online, \
             with every path dependency in place), run it in {}",
            names(&left),
            commands(&left),
            project.display()
        );
    }
    Ok(Relocked {
        changed: refresh.changed.iter().map(|lock| lock.file).collect(),
        left,
    })
}

/// True when a tool's `stderr` names a path beside the staged copy at `staged`, inside the
/// temporary folder that holds it: a path dependency outside the project (`../shared`), which
/// the copy does not have.
fn reaches_out(stderr: &str, staged: &Path) -> bool {
    let Some(scratch) = staged.parent() else {
        return false;
    };
    stderr
        .replace(&staged.display().to_string(), "")
        .contains(&scratch.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_beside_the_staged_copy_is_a_dependency_outside_the_project() {
        let staged = Path::new("/tmp/pyo3-scaffold-update-x/my-ext");
        assert!(reaches_out(
            "error: failed to load manifest for workspace member \
             `/tmp/pyo3-scaffold-update-x/my-ext/crates/core`\nCaused by:\n  failed to read \
             `/tmp/pyo3-scaffold-update-x/shared/Cargo.toml`",
            staged
        ));
        assert!(!reaches_out(
            "error: failed to get `pyo3` as a dependency of package \
             `my-ext-core v0.1.0 (/tmp/pyo3-scaffold-update-x/my-ext/crates/core)`",
            staged
        ));
        assert!(!reaches_out("error: offline", staged));
    }
}

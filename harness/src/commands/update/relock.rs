//! The project's lock files after a clean merge: the template changed its manifests (a newer
//! floor for pytest, a new dependency), and a project whose CI runs `--locked` fails until its
//! `Cargo.lock` and `uv.lock` follow. They are refreshed in the staged copy of the update
//! ([`crate::project::lockfiles::refresh`]), before it is verified, so that the verification
//! builds with the lock files that will be written, and they are written with the rest of the
//! update, all at once. A project without lock files gets none.

use std::path::Path;

use crate::base::error::Result;
use crate::commands::GlobalArgs;
use crate::project::lockfiles;
use crate::update::apply::Write;

/// Refreshes the lock files of the staged copy at `staged` and adds those that changed to
/// `writes`; returns their names. With `no_lock` it only says which ones it leaves alone.
pub fn relock(
    global: &GlobalArgs,
    no_lock: bool,
    staged: &Path,
    writes: &mut Vec<Write>,
) -> Result<Vec<&'static str>> {
    let present = lockfiles::present(staged);
    if present.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<&str> = present.iter().map(|lock| lock.file).collect();
    let lines: Vec<String> = present.iter().map(|lock| lock.refresh_line()).collect();
    if no_lock {
        eprintln!(
            "note: --no-lock: {} left as they were; bring them in line with the merged manifests \
             with `{}` in the project",
            names.join(" and "),
            lines.join(" && ")
        );
        return Ok(Vec::new());
    }
    eprintln!(
        "update: bringing {} in line with the merged manifests: {} (this needs the network; \
         --no-lock skips it)",
        names.join(" and "),
        lines.join(", then ")
    );
    let uv = global.uv()?;
    let hint = format!(
        "nothing was written. Offline? Run the same `pyo3-scaffold update` with --no-lock, then \
         `{}` in the project once online",
        lines.join(" && ")
    );
    let refreshed = lockfiles::refresh(staged, &uv, &hint)?;
    for lock in &refreshed {
        writes.push(Write {
            path: lock.file.to_owned(),
            bytes: Some(lock.after.clone()),
        });
    }
    Ok(refreshed.iter().map(|lock| lock.file).collect())
}

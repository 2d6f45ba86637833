//! Writing an update into the project folder, all or nothing: every file goes through a
//! temporary file beside it and a rename, and an error undoes what was written before it. Only
//! paths inside the folder are written, and none through a link that leads out of it.
//!
//! Nothing here waits or checks for Ctrl-C: the command checks before it starts writing, and the
//! writes take milliseconds.

use std::path::{Component, Path, PathBuf};

use crate::base::error::{Error, Result};

/// One file to write (`Some(bytes)`) or remove (`None`), by `/`-separated path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub path: String,
    pub bytes: Option<Vec<u8>>,
}

/// What was there before a write, to put back.
struct Undo {
    target: PathBuf,
    before: Option<(Vec<u8>, std::fs::Permissions)>,
}

/// The full path of `path` inside `root`, refused when it could end up outside: an absolute
/// path, a `..`, or a folder on the way that is a link leading out.
fn inside(root: &Path, path: &str) -> Result<PathBuf> {
    let outside = || {
        Error::Io(std::io::Error::other(format!(
            "{path}: refused, it would be written outside {}",
            root.display()
        )))
    };
    let relative = Path::new(path);
    if relative
        .components()
        .any(|part| !matches!(part, Component::Normal(_)))
    {
        return Err(outside());
    }
    let root = fs_err::canonicalize(root)?;
    let target = root.join(relative);
    // The deepest folder on the way that exists must still be inside the root.
    if let Some(existing) = target.ancestors().skip(1).find(|folder| folder.exists())
        && !fs_err::canonicalize(existing)?.starts_with(&root)
    {
        return Err(outside());
    }
    Ok(target)
}

/// Writes `writes` into `root`, all or nothing: on an error, every file written before it is
/// put back as it was, every file made is removed, and the error is returned.
pub fn apply(root: &Path, writes: &[Write]) -> Result<()> {
    let mut undo: Vec<Undo> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let result = writes
        .iter()
        .try_for_each(|write| apply_one(root, write, &mut undo, &mut made_dirs));
    if let Err(error) = result {
        for step in undo.iter().rev() {
            // Best effort: the first error is the one to report.
            let _ = match &step.before {
                Some((bytes, permissions)) => replace(&step.target, bytes, Some(permissions)),
                None => fs_err::remove_file(&step.target).map_err(Error::from),
            };
        }
        for dir in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(error);
    }
    Ok(())
}

fn apply_one(
    root: &Path,
    write: &Write,
    undo: &mut Vec<Undo>,
    made_dirs: &mut Vec<PathBuf>,
) -> Result<()> {
    let target = inside(root, &write.path)?;
    let before = match fs_err::symlink_metadata(&target) {
        Ok(metadata) if metadata.is_file() => {
            Some((fs_err::read(&target)?, metadata.permissions()))
        }
        Ok(_) => {
            return Err(Error::Io(std::io::Error::other(format!(
                "{}: not a file; the update leaves it alone",
                write.path
            ))));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error.into()),
    };
    match &write.bytes {
        Some(bytes) => {
            let parent = target.parent().unwrap_or(root);
            let missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|folder| !folder.exists())
                .map(Path::to_path_buf)
                .collect();
            fs_err::create_dir_all(parent)?;
            made_dirs.extend(missing.into_iter().rev());
            let permissions = before.as_ref().map(|(_, permissions)| permissions);
            replace(&target, bytes, permissions)?;
        }
        None if before.is_some() => fs_err::remove_file(&target)?,
        None => return Ok(()),
    }
    undo.push(Undo { target, before });
    Ok(())
}

/// Replaces `target` with `bytes` through a temporary file beside it: a reader sees the old
/// file or the new one, never half of one. `permissions` are the old file's, kept.
fn replace(target: &Path, bytes: &[u8], permissions: Option<&std::fs::Permissions>) -> Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let temporary = tempfile::Builder::new()
        .prefix(".pyo3-scaffold-update-")
        .tempfile_in(parent)?;
    fs_err::write(temporary.path(), bytes)?;
    if let Some(permissions) = permissions {
        fs_err::set_permissions(temporary.path(), permissions.clone())?;
    }
    temporary
        .persist(target)
        .map_err(|error| Error::Io(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &str, text: Option<&str>) -> Write {
        Write {
            path: path.into(),
            bytes: text.map(|text| text.as_bytes().to_vec()),
        }
    }

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                (
                    entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .display()
                        .to_string(),
                    fs_err::read_to_string(entry.path()).unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn writes_adds_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("a.txt"), "a\n").unwrap();
        fs_err::write(dir.path().join("gone.txt"), "x\n").unwrap();
        apply(
            dir.path(),
            &[
                write("a.txt", Some("A\n")),
                write("new/deep/b.txt", Some("b\n")),
                write("gone.txt", None),
            ],
        )
        .unwrap();
        assert_eq!(
            tree(dir.path()),
            [
                ("a.txt".to_owned(), "A\n".to_owned()),
                ("new/deep/b.txt".to_owned(), "b\n".to_owned()),
            ]
        );
    }

    #[test]
    fn an_error_part_way_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("a.txt"), "a\n").unwrap();
        fs_err::write(dir.path().join("gone.txt"), "x\n").unwrap();
        fs_err::create_dir(dir.path().join("folder")).unwrap();
        let before = tree(dir.path());
        let error = apply(
            dir.path(),
            &[
                write("a.txt", Some("A\n")),
                write("gone.txt", None),
                write("made/b.txt", Some("b\n")),
                // A folder where the update would write a file: the fourth write fails.
                write("folder", Some("not a folder\n")),
            ],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "folder: not a file; the update leaves it alone"
        );
        assert_eq!(tree(dir.path()), before);
        assert!(!dir.path().join("made").exists());
    }

    #[test]
    fn nothing_is_written_outside_the_folder() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        crate::platform::symlink(outside.path(), &dir.path().join("link")).unwrap();
        for path in ["../escape.txt", "/etc/escape.txt", "link/escape.txt"] {
            let error = apply(dir.path(), &[write(path, Some("x"))]).unwrap_err();
            assert!(error.to_string().contains("refused"), "{path}: {error}");
        }
        assert!(tree(outside.path()).is_empty());
    }
}

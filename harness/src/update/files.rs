//! A project tree in memory: every file of a render (or of a commit) by its `/`-separated path,
//! and one file of the project folder as the merge sees it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::error::Result;
use crate::project::tree;

/// Files by `/`-separated path relative to the project folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Every file under `root` (a fresh render), leaving out what a build writes.
pub fn read(root: &Path) -> Result<Files> {
    let mut files = Files::new();
    for entry in tree::sources(root)? {
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .map_err(std::io::Error::other)?;
        let path: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.insert(path.join("/"), fs_err::read(entry.path())?);
    }
    Ok(files)
}

/// A path of the project folder, as the merge sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectFile {
    /// Nothing there: never made, or deleted.
    Missing,
    /// A regular file's bytes.
    File(Vec<u8>),
    /// A folder or a symbolic link where the template has a file: the project's own, left
    /// alone.
    Other,
}

/// What is at `path` (`/`-separated) in the project folder `dir`.
pub fn project_file(dir: &Path, path: &str) -> Result<ProjectFile> {
    let full = dir.join(path);
    match fs_err::symlink_metadata(&full) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ProjectFile::Missing),
        // A parent that is a file, not a folder: nothing can be at the path.
        Err(error) if error.kind() == std::io::ErrorKind::NotADirectory => Ok(ProjectFile::Missing),
        Err(error) => Err(error.into()),
        Ok(metadata) if metadata.is_file() => Ok(ProjectFile::File(fs_err::read(&full)?)),
        Ok(_) => Ok(ProjectFile::Other),
    }
}

//! Which files in a plugin folder are plugins, and in which order they run.
//!
//! Deciding this in Rust keeps the rules in one tested place; loading and running the plugins is
//! the boundary crate's job, because that needs the Python interpreter.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// One plugin: a `.py` file directly inside the plugin folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginFile {
    /// The file name without `.py`; plugins run in the order of their names.
    pub name: String,
    /// The path of the file, inside the plugin folder.
    pub path: PathBuf,
}

/// Why a plugin folder could not be read.
#[derive(Debug)]
pub enum PluginDirError {
    /// The folder does not exist.
    NotFound(PathBuf),
    /// The path exists but is not a folder.
    NotADirectory(PathBuf),
    /// A plugin file is a link to a file outside the folder; only the folder's own files run.
    OutsideFolder {
        /// The link inside the folder.
        plugin: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A file name that is not valid UTF-8, so it cannot name a plugin.
    InvalidName(PathBuf),
    /// Reading the folder failed for another reason (permissions, I/O).
    Io {
        /// The path being read.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

impl fmt::Display for PluginDirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound(path) => write!(f, "plugin folder not found: {}", path.display()),
            Self::NotADirectory(path) => {
                write!(f, "plugin folder is not a folder: {}", path.display())
            }
            Self::OutsideFolder { plugin, target } => write!(
                f,
                "plugin {} links to {}, outside the plugin folder; copy the file in instead",
                plugin.display(),
                target.display()
            ),
            Self::InvalidName(path) => write!(
                f,
                "plugin file name is not valid UTF-8: {}; rename it",
                path.display()
            ),
            Self::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for PluginDirError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Lists the plugins in `dir`, sorted by name.
///
/// A plugin is a `*.py` file directly inside `dir` whose name does not start with `_` or `.`
/// (so `__init__.py` and editor droppings are skipped). Sub-folders are not searched. A plugin
/// that is a symbolic link must lead to a file inside `dir`.
pub fn plugin_files(dir: &Path) -> Result<Vec<PluginFile>, PluginDirError> {
    let folder = match dir.canonicalize() {
        Ok(folder) => folder,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(PluginDirError::NotFound(dir.to_path_buf()));
        }
        Err(source) => return Err(io_error(dir, source)),
    };
    if !folder.is_dir() {
        return Err(PluginDirError::NotADirectory(dir.to_path_buf()));
    }

    let mut plugins = Vec::new();
    for entry in folder.read_dir().map_err(|source| io_error(dir, source))? {
        let path = entry.map_err(|source| io_error(dir, source))?.path();
        let Some(file_name) = path.file_name() else {
            continue;
        };
        let Some(file_name) = file_name.to_str() else {
            return Err(PluginDirError::InvalidName(path));
        };
        let Some(name) = file_name.strip_suffix(".py") else {
            continue;
        };
        if name.is_empty() || name.starts_with(['_', '.']) {
            continue;
        }
        let target = path
            .canonicalize()
            .map_err(|source| io_error(&path, source))?;
        if target.parent() != Some(folder.as_path()) {
            return Err(PluginDirError::OutsideFolder {
                plugin: path,
                target,
            });
        }
        if target.is_file() {
            plugins.push(PluginFile {
                name: name.to_owned(),
                path,
            });
        }
    }
    plugins.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(plugins)
}

fn io_error(path: &Path, source: io::Error) -> PluginDirError {
    PluginDirError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(plugins: &[PluginFile]) -> Vec<&str> {
        plugins.iter().map(|plugin| plugin.name.as_str()).collect()
    }

    #[test]
    fn lists_python_files_sorted_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "b.py",
            "a.py",
            "__init__.py",
            "_private.py",
            ".hidden.py",
            "notes.txt",
        ] {
            fs::write(dir.path().join(file), "").unwrap();
        }
        fs::create_dir(dir.path().join("nested.py")).unwrap();

        let plugins = plugin_files(dir.path()).unwrap();

        assert_eq!(names(&plugins), ["a", "b"]);
        assert_eq!(plugins[0].path.file_name().unwrap(), "a.py");
    }

    #[test]
    fn an_empty_folder_has_no_plugins() {
        let dir = tempfile::tempdir().unwrap();
        assert!(plugin_files(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn a_missing_folder_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let error = plugin_files(&missing).unwrap_err();
        assert!(matches!(&error, PluginDirError::NotFound(path) if *path == missing));
        assert_eq!(
            error.to_string(),
            format!("plugin folder not found: {}", missing.display())
        );
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plugin.py");
        fs::write(&file, "").unwrap();
        let error = plugin_files(&file).unwrap_err();
        assert!(matches!(&error, PluginDirError::NotADirectory(path) if *path == file));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_folder_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("elsewhere.py");
        fs::write(&target, "").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("sneaky.py");
        std::os::unix::fs::symlink(&target, &link).unwrap();

        let error = plugin_files(dir.path()).unwrap_err();

        assert!(matches!(&error, PluginDirError::OutsideFolder { plugin, .. } if *plugin == link));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_the_folder_is_a_plugin() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("_shared.py"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("_shared.py"), dir.path().join("alias.py"))
            .unwrap();
        assert_eq!(names(&plugin_files(dir.path()).unwrap()), ["alias"]);
    }
}

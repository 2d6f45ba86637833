//! Project trees: copying one without its build products, fingerprinting its sources, and
//! comparing two of them file by file (a fresh render against `examples/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use walkdir::{DirEntry, WalkDir};

use crate::base::error::Result;
use crate::platform;

/// Folders that hold build products, environments or caches, never sources: left out of a
/// project's copy and fingerprint, and never a learner's edit to `watch`.
pub const SKIPPED_DIRS: &[&str] = &[
    "target",
    ".venv",
    "venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".tox",
    ".nox",
    "node_modules",
    "dist",
];

/// Files that are build products: the extension `maturin develop` puts next to the sources.
const SKIPPED_SUFFIXES: &[&str] = &[".so", ".pyd", ".dylib", ".pyc"];

/// True for an entry of a project tree that is not a source.
fn skipped(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if entry.depth() == 0 {
        return false;
    }
    if entry.file_type().is_dir() {
        SKIPPED_DIRS.contains(&name.as_ref()) || name.ends_with(".egg-info")
    } else {
        SKIPPED_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
    }
}

/// The sources of `root`, sorted by relative path.
pub(crate) fn sources(root: &Path) -> Result<Vec<DirEntry>> {
    let mut entries = Vec::new();
    for entry in WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !skipped(entry))
    {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.depth() > 0 {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// Copies the sources of `from` into `to` (which must not exist), leaving out build products.
/// Symlinks are copied as symlinks, so that a link pointing out of the project stays one (on a
/// Windows that refuses to make one, as a copy: [`platform::symlink`]).
pub fn copy_sources(from: &Path, to: &Path) -> Result<()> {
    fs_err::create_dir_all(to)?;
    for entry in sources(from)? {
        let relative = entry
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(relative);
        let kind = entry.file_type();
        if kind.is_symlink() {
            let link = fs_err::read_link(entry.path())?;
            platform::symlink(&link, &target)?;
        } else if kind.is_dir() {
            fs_err::create_dir_all(&target)?;
        } else {
            fs_err::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A hash of every source's relative path, kind, executable bits and content: equal
/// fingerprints mean nothing a build reads has changed.
pub fn fingerprint(root: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for entry in sources(root)? {
        let relative = entry
            .path()
            .strip_prefix(root)
            .map_err(std::io::Error::other)?;
        hasher.update(relative.as_os_str().as_encoded_bytes());
        hasher.update([0]);
        let kind = entry.file_type();
        if kind.is_symlink() {
            hasher.update(b"link\0");
            hasher.update(
                fs_err::read_link(entry.path())?
                    .as_os_str()
                    .as_encoded_bytes(),
            );
        } else if kind.is_dir() {
            hasher.update(b"dir\0");
        } else {
            let executable =
                platform::executable_bits(&entry.metadata().map_err(std::io::Error::other)?);
            hasher.update(format!("file {executable:o}\0").as_bytes());
            hasher.update(fs_err::read(entry.path())?);
        }
        hasher.update([0]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// How two trees differ, for one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeDifference {
    /// Only in the expected tree.
    Missing(PathBuf),
    /// Only in the actual tree.
    Unexpected(PathBuf),
    /// In both, with other contents; `diff` is a unified diff for text files.
    Changed { path: PathBuf, diff: String },
}

impl std::fmt::Display for TreeDifference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TreeDifference::Missing(path) => write!(f, "missing: {}", path.display()),
            TreeDifference::Unexpected(path) => write!(f, "unexpected: {}", path.display()),
            TreeDifference::Changed { path, diff } => {
                write!(f, "changed: {}\n{diff}", path.display())
            }
        }
    }
}

/// Compares the sources of two trees, leaving out files named in `ignored` (lock files a
/// local run leaves behind); empty when they are the same.
pub fn diff_trees(expected: &Path, actual: &Path, ignored: &[&str]) -> Result<Vec<TreeDifference>> {
    let files = |root: &Path| -> Result<BTreeMap<PathBuf, PathBuf>> {
        Ok(sources(root)?
            .into_iter()
            .filter(|entry| !entry.file_type().is_dir())
            .filter(|entry| !ignored.iter().any(|name| entry.file_name() == *name))
            .filter_map(|entry| {
                let relative = entry.path().strip_prefix(root).ok()?.to_owned();
                Some((relative, entry.into_path()))
            })
            .collect())
    };
    let expected_files = files(expected)?;
    let actual_files = files(actual)?;
    let mut differences = Vec::new();
    for (relative, path) in &expected_files {
        match actual_files.get(relative) {
            None => differences.push(TreeDifference::Missing(relative.clone())),
            Some(other) => {
                let (left, right) = (fs_err::read(path)?, fs_err::read(other)?);
                if left != right {
                    let diff = match (std::str::from_utf8(&left), std::str::from_utf8(&right)) {
                        (Ok(left), Ok(right)) => similar::TextDiff::from_lines(left, right)
                            .unified_diff()
                            .context_radius(2)
                            .header("expected", "actual")
                            .to_string(),
                        _ => "binary files differ\n".to_owned(),
                    };
                    differences.push(TreeDifference::Changed {
                        path: relative.clone(),
                        diff,
                    });
                }
            }
        }
    }
    for relative in actual_files.keys() {
        if !expected_files.contains_key(relative) {
            differences.push(TreeDifference::Unexpected(relative.clone()));
        }
    }
    Ok(differences)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(path, text).unwrap();
    }

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[workspace]\n");
        write(dir.path(), "python/pkg/__init__.py", "x = 1\n");
        write(dir.path(), "python/pkg/_pkg.abi3.so", "binary");
        write(dir.path(), "target/debug/junk", "junk");
        write(dir.path(), ".venv/bin/python", "");
        write(dir.path(), "tests/__pycache__/t.pyc", "");
        dir
    }

    #[test]
    fn copy_leaves_out_build_products() {
        let from = project();
        let to = tempfile::tempdir().unwrap();
        let dest = to.path().join("copy");
        copy_sources(from.path(), &dest).unwrap();
        let mut copied: Vec<String> = WalkDir::new(&dest)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| platform::portable_path(e.path().strip_prefix(&dest).unwrap()))
            .collect();
        copied.sort();
        assert_eq!(copied, ["Cargo.toml", "python/pkg/__init__.py"]);
    }

    #[test]
    fn fingerprint_ignores_build_products_and_sees_edits() {
        let dir = project();
        let before = fingerprint(dir.path()).unwrap();
        write(dir.path(), "target/debug/more", "junk");
        write(dir.path(), "python/pkg/_pkg.abi3.so", "rebuilt");
        assert_eq!(fingerprint(dir.path()).unwrap(), before);
        write(dir.path(), "python/pkg/__init__.py", "x = 2\n");
        assert_ne!(fingerprint(dir.path()).unwrap(), before);
    }

    #[test]
    fn fingerprint_sees_executable_bits_where_the_platform_has_them() {
        let dir = project();
        let script = dir.path().join("python/pkg/__init__.py");
        let before = fingerprint(dir.path()).unwrap();
        platform::set_executable(&script).unwrap();
        let recorded = platform::is_executable(&fs_err::metadata(&script).unwrap());
        // Unix records the bit, and the fingerprint changes; Windows has none to record.
        assert_eq!(fingerprint(dir.path()).unwrap() != before, recorded);
    }

    #[test]
    fn diff_trees_names_each_difference() {
        let expected = project();
        let actual = project();
        write(actual.path(), "Cargo.lock", "# local\n");
        assert_eq!(
            diff_trees(expected.path(), actual.path(), &["Cargo.lock"]).unwrap(),
            []
        );
        write(actual.path(), "python/pkg/__init__.py", "x = 2\n");
        write(actual.path(), "extra.txt", "new\n");
        fs_err::remove_file(actual.path().join("Cargo.toml")).unwrap();
        let differences = diff_trees(expected.path(), actual.path(), &["Cargo.lock"]).unwrap();
        assert_eq!(
            differences,
            [
                TreeDifference::Missing("Cargo.toml".into()),
                TreeDifference::Changed {
                    path: "python/pkg/__init__.py".into(),
                    diff: "--- expected\n+++ actual\n@@ -1 +1 @@\n-x = 1\n+x = 2\n".into(),
                },
                TreeDifference::Unexpected("extra.txt".into()),
            ]
        );
    }
}

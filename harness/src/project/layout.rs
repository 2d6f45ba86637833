//! Where a maturin project keeps its Python package, decided the way maturin decides it: the
//! folder named after the package inside `python-source` (the project's root when that is not
//! set) makes it a mixed project; without one, the native module is the whole package.
//!
//! ```text
//! pure Rust (`maturin new`)      mixed (`maturin new --mixed`)    mixed, package at the root
//!   Cargo.toml                     Cargo.toml                       Cargo.toml
//!   pyproject.toml                 pyproject.toml                   pyproject.toml
//!   src/lib.rs                     python/pkg/__init__.py           pkg/__init__.py
//!   tests/                         src/lib.rs                       src/lib.rs
//! ```
//!
//! The third is what `maturin new --mixed` wrote before `python-source` existed, and what many
//! projects still have. Its package folder lacks the extension until it is built in place
//! (`maturin develop`), and it stands first on `sys.path` when pytest runs from the root: see
//! [`crate::stages::build::place_in_source`].

use std::path::PathBuf;

use crate::project::Project;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// No Python package folder: the native module is the package.
    PureRust,
    /// A Python package folder, which the native module goes into.
    Mixed {
        /// The package's folder (`<root>/python/pkg`, `<root>/pkg`).
        package_dir: PathBuf,
        /// True when it sits at the project's root: the old mixed layout.
        at_root: bool,
    },
}

impl Project {
    /// The project's layout, read from its folder.
    pub fn layout(&self) -> Layout {
        let source = self
            .pyproject
            .maturin()
            .and_then(|maturin| maturin.python_source.as_deref())
            .filter(|source| !source.is_empty() && *source != ".");
        let source_dir = source.map_or_else(|| self.root.clone(), |dir| self.root.join(dir));
        let package_dir = source_dir.join(&self.package);
        if !package_dir.is_dir() {
            return Layout::PureRust;
        }
        let at_root = source_dir == self.root
            || fs_err::canonicalize(&source_dir).ok() == fs_err::canonicalize(&self.root).ok();
        Layout::Mixed {
            package_dir,
            at_root,
        }
    }

    /// The package folder at the project's root, if the project has one: the one that shadows
    /// the installed build.
    pub fn package_at_root(&self) -> Option<PathBuf> {
        match self.layout() {
            Layout::Mixed {
                package_dir,
                at_root: true,
            } => Some(package_dir),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(maturin: &str, folders: &[&str]) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("[project]\nname = \"my-pkg\"\n[tool.maturin]\n{maturin}");
        fs_err::write(dir.path().join("pyproject.toml"), text).unwrap();
        for folder in folders {
            fs_err::create_dir_all(dir.path().join(folder)).unwrap();
        }
        let project = Project::read(dir.path()).unwrap();
        (dir, project)
    }

    #[test]
    fn each_layout_is_told_by_its_package_folder() {
        let (_dir, pure) = project("", &["src", "tests"]);
        assert_eq!(pure.layout(), Layout::PureRust);
        assert_eq!(pure.package_at_root(), None);

        let (dir, mixed) = project("python-source = \"python\"\n", &["python/my_pkg"]);
        assert_eq!(
            mixed.layout(),
            Layout::Mixed {
                package_dir: dir.path().join("python/my_pkg"),
                at_root: false
            }
        );
        assert_eq!(mixed.package_at_root(), None);

        let (dir, old) = project("module-name = \"my_pkg._native\"\n", &["my_pkg"]);
        assert_eq!(old.package_at_root(), Some(dir.path().join("my_pkg")));
        let (dir, dotted) = project("python-source = \".\"\n", &["my_pkg"]);
        assert_eq!(dotted.package_at_root(), Some(dir.path().join("my_pkg")));

        // python-source names a folder without the package: pure Rust, as maturin reads it.
        let (_dir, elsewhere) = project("python-source = \"python\"\n", &["my_pkg"]);
        assert_eq!(elsewhere.layout(), Layout::PureRust);
    }
}

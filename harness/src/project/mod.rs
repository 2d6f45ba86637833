//! A maturin project as the harness reads it: its `pyproject.toml`, typed and read once
//! ([`pyproject`]), the names it builds, where its Python package lives ([`layout`]), what its
//! tests need installed ([`dependencies`]), where it came from ([`provenance`]), and its lock
//! files ([`lockfiles`]).

pub mod dependencies;
pub mod layout;
pub mod lockfiles;
pub mod provenance;
pub mod pyproject;
pub mod tree;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::project::dependencies::requirement_name;
use crate::project::provenance::Provenance;
use crate::project::pyproject::{CargoManifest, GroupEntry, PyProject};

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub root: PathBuf,
    /// `[project] name`, e.g. `my-ext`.
    pub name: String,
    /// The import name of the package, e.g. `my_ext` (first part of `module-name`).
    pub package: String,
    /// The native module's last part, e.g. `_my_ext`: also the cdylib's crate name, which is
    /// what collides in a shared target folder.
    pub native_module: String,
    /// Its `pyproject.toml`.
    pub pyproject: PyProject,
}

/// The import name maturin gives a project's module when nothing names it: the project's name
/// with `-` and `.` made `_` (`my-ext` -> `my_ext`), as the template's `crate_name` is.
pub fn import_name(project_name: &str) -> String {
    project_name.replace(['-', '.'], "_")
}

impl Project {
    /// Reads `root/pyproject.toml` (and, for the module's name, the crate's manifest); anything
    /// that is not a maturin project is refused.
    pub fn read(root: &Path) -> Result<Project> {
        let not_a_project = |reason: String| Error::NotAProject {
            dir: root.to_owned(),
            reason,
        };
        if !root.is_dir() {
            return Err(not_a_project("no such folder".into()));
        }
        let path = root.join("pyproject.toml");
        let text = match fs_err::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(not_a_project("it has no pyproject.toml".into()));
            }
            Err(error) => return Err(error.into()),
        };
        let mut project = Project::parse(&text).map_err(not_a_project)?;
        project.root = root.to_owned();
        if let Some(module) = project.module_from_cargo() {
            project.package = module.clone();
            project.native_module = module;
        }
        Ok(project)
    }

    /// Parses the text of a `pyproject.toml`; the error says what is missing.
    pub fn parse(text: &str) -> Result<Project, String> {
        let pyproject = PyProject::parse(text)?;
        let name = pyproject
            .project
            .as_ref()
            .and_then(|project| project.name.clone())
            .ok_or("pyproject.toml has no [project] name")?;
        if !pyproject.uses_maturin() {
            return Err(
                "pyproject.toml uses neither maturin as build backend nor [tool.maturin]".into(),
            );
        }
        let import_name = import_name(&name);
        let module_name = pyproject
            .maturin()
            .and_then(|maturin| maturin.module_name.clone())
            .unwrap_or_else(|| import_name.clone());
        let package = module_name
            .split('.')
            .next()
            .unwrap_or(&import_name)
            .to_owned();
        let native_module = module_name
            .rsplit('.')
            .next()
            .unwrap_or(&import_name)
            .to_owned();
        Ok(Project {
            root: PathBuf::new(),
            name,
            package,
            native_module,
            pyproject,
        })
    }

    /// The `[tool.pyo3-scaffold]` table of a project generated from the template.
    pub fn provenance(&self) -> Option<&Provenance> {
        self.pyproject.tool.scaffold.as_ref()
    }

    /// The `dev` group's requirement for `package` (e.g. `pytest` -> `pytest>=8`), looked for
    /// in the group and the groups it includes.
    pub fn dev_requirement(&self, package: &str) -> Option<&str> {
        self.group_requirements("dev", 0)
            .into_iter()
            .find(|requirement| {
                requirement_name(requirement).is_some_and(|name| name.as_ref() == package)
            })
    }

    /// A group's requirements with those of the groups it includes (a cycle, which
    /// [`Project::test_dependencies`] reports, is cut).
    fn group_requirements(&self, group: &str, depth: usize) -> Vec<&str> {
        let Some(entries) = self.pyproject.dependency_groups.get(group) else {
            return Vec::new();
        };
        if depth > self.pyproject.dependency_groups.len() {
            return Vec::new();
        }
        entries
            .iter()
            .flat_map(|entry| match entry {
                GroupEntry::Requirement(requirement) => vec![requirement.as_str()],
                GroupEntry::Include { include_group } => {
                    self.group_requirements(include_group, depth + 1)
                }
            })
            .collect()
    }

    /// The maturin to build with: the dev group's requirement, else the build system's, else
    /// any maturin.
    pub fn maturin_requirement(&self) -> &str {
        let build_requires = self
            .pyproject
            .build_system
            .iter()
            .flat_map(|system| &system.requires);
        self.dev_requirement("maturin")
            .or_else(|| {
                build_requires.map(String::as_str).find(|requirement| {
                    requirement_name(requirement).is_some_and(|name| name.as_ref() == "maturin")
                })
            })
            .unwrap_or("maturin")
    }

    /// The module maturin builds when `pyproject.toml` names none: the Rust library's name, as
    /// maturin takes it (see [`CargoManifest::library_name`]), from the manifest
    /// `[tool.maturin] manifest-path` names or `Cargo.toml`. `None` when the project names its
    /// module, or the manifest cannot be read (the `[project] name` then stands).
    fn module_from_cargo(&self) -> Option<String> {
        let maturin = self.pyproject.maturin();
        if maturin
            .and_then(|maturin| maturin.module_name.as_ref())
            .is_some()
        {
            return None;
        }
        let manifest = maturin
            .and_then(|maturin| maturin.manifest_path.as_deref())
            .unwrap_or("Cargo.toml");
        let text = fs_err::read_to_string(self.root.join(manifest)).ok()?;
        toml::from_str::<CargoManifest>(&text).ok()?.library_name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_template_layout() {
        let project = Project::parse(
            r#"
            [build-system]
            build-backend = "maturin"
            [project]
            name = "my-ext"
            [dependency-groups]
            dev = ["pytest>=8", { include-group = "build" }, { include-group = "lint" }]
            build = ["Maturin>=1.9.4,<2"]
            lint = ["ruff"]
            [tool.maturin]
            module-name = "my_ext._my_ext"
            python-source = "python"
            "#,
        )
        .unwrap();
        assert_eq!(project.name, "my-ext");
        assert_eq!(project.package, "my_ext");
        assert_eq!(project.native_module, "_my_ext");
        assert_eq!(
            project.dev_requirement("maturin"),
            Some("Maturin>=1.9.4,<2")
        );
        assert_eq!(project.dev_requirement("pytest"), Some("pytest>=8"));
        assert_eq!(project.dev_requirement("ruff"), Some("ruff"));
        assert_eq!(project.dev_requirement("mypy"), None);
        assert_eq!(project.provenance(), None);
    }

    #[test]
    fn a_plain_maturin_project_uses_its_name() {
        let project = Project::parse(
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"fast-thing\"\n",
        )
        .unwrap();
        assert_eq!(project.package, "fast_thing");
        assert_eq!(project.native_module, "fast_thing");
        assert_eq!(project.dev_requirement("pytest"), None);
        assert_eq!(project.maturin_requirement(), "maturin");
    }

    #[test]
    fn without_a_module_name_the_module_is_the_rust_library() {
        let root = tempfile::tempdir().unwrap();
        let pyproject =
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"rpds-py\"\n";
        fs_err::write(root.path().join("pyproject.toml"), pyproject).unwrap();
        // No manifest: the project's name stands.
        assert_eq!(Project::read(root.path()).unwrap().package, "rpds_py");
        fs_err::write(
            root.path().join("Cargo.toml"),
            "[package]\nname = \"rpds-py\"\n[lib]\nname = \"rpds\"\n",
        )
        .unwrap();
        let project = Project::read(root.path()).unwrap();
        assert_eq!(
            (project.package.as_str(), project.native_module.as_str()),
            ("rpds", "rpds")
        );
        // A crate without [lib] name: the crate's name, `-` as `_`.
        fs_err::create_dir_all(root.path().join("rust")).unwrap();
        fs_err::write(
            root.path().join("rust/Cargo.toml"),
            "[package]\nname = \"fast-core\"\n",
        )
        .unwrap();
        let moved = format!("{pyproject}[tool.maturin]\nmanifest-path = \"rust/Cargo.toml\"\n");
        fs_err::write(root.path().join("pyproject.toml"), moved).unwrap();
        assert_eq!(Project::read(root.path()).unwrap().package, "fast_core");
    }

    #[test]
    fn the_maturin_requirement_comes_from_the_project() {
        let build_only = "[build-system]\nrequires = [\"maturin>=1.9.4,<2\"]\n\
                          build-backend = \"maturin\"\n[project]\nname = \"x\"\n";
        let project = Project::parse(build_only).unwrap();
        assert_eq!(project.maturin_requirement(), "maturin>=1.9.4,<2");
        let with_dev = format!("{build_only}[dependency-groups]\ndev = [\"maturin==1.9.6\"]\n");
        let project = Project::parse(&with_dev).unwrap();
        assert_eq!(project.maturin_requirement(), "maturin==1.9.6");
    }

    #[test]
    fn a_generated_project_names_the_template_pinned_maturin() {
        // The template's hooks/versions.rhai is the one place the requirement is written; the
        // harness reads it back from what the template rendered.
        let hook = include_str!("../../../template/hooks/versions.rhai");
        let pinned = regex::Regex::new(r#"variable::set\("maturin_requirement", "([^"]+)"\)"#)
            .unwrap()
            .captures(hook)
            .expect("versions.rhai sets maturin_requirement")[1]
            .to_owned();
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/greet");
        let project = Project::read(Path::new(example)).unwrap();
        assert_eq!(project.maturin_requirement(), format!("maturin{pinned}"));
    }

    #[test]
    fn non_maturin_projects_are_refused_with_the_reason() {
        assert_eq!(
            Project::parse("[project]\nname = \"x\"\n").unwrap_err(),
            "pyproject.toml uses neither maturin as build backend nor [tool.maturin]"
        );
        assert_eq!(
            Project::parse("[tool.maturin]\n").unwrap_err(),
            "pyproject.toml has no [project] name"
        );
        assert!(
            Project::parse("not toml [")
                .unwrap_err()
                .starts_with("pyproject.toml is not valid TOML")
        );
    }

    #[test]
    fn a_missing_folder_is_not_a_project() {
        let error = Project::read(Path::new("/nonexistent/project")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/project is not a maturin project: no such folder"
        );
    }
}

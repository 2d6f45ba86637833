//! What the harness reads from a maturin project's `pyproject.toml`: its names, whether it
//! declares a `dev` dependency group, and where it came from (`[tool.pyo3-scaffold]`).

pub mod provenance;
pub mod tree;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::project::provenance::Provenance;

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
    /// The requirements in `[dependency-groups] dev` (e.g. `pytest>=8`), when the group exists:
    /// the venv installs the group, plus maturin and pytest when it lacks them.
    pub dev_group: Option<Vec<String>>,
    /// `[build-system] requires` (e.g. `maturin>=1.9.4,<2`): the maturin the project builds
    /// with, which the venv installs when the dev group does not name one.
    pub build_requires: Vec<String>,
    /// The `[tool.pyo3-scaffold]` table of a project generated from the template.
    pub provenance: Option<Provenance>,
}

impl Project {
    /// Reads `root/pyproject.toml`; anything that is not a maturin project is refused.
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
        if let Some(module) = module_from_cargo(root, &text) {
            project.package = module.clone();
            project.native_module = module;
        }
        Ok(project)
    }

    /// Parses the text of a `pyproject.toml`; the error says what is missing.
    pub fn parse(text: &str) -> Result<Project, String> {
        let document: toml::Table = toml::from_str(text)
            .map_err(|error| format!("pyproject.toml is not valid TOML: {error}"))?;
        let name = document
            .get("project")
            .and_then(|project| project.get("name"))
            .and_then(|name| name.as_str())
            .ok_or("pyproject.toml has no [project] name")?
            .to_owned();
        let maturin = document.get("tool").and_then(|tool| tool.get("maturin"));
        let build_backend = document
            .get("build-system")
            .and_then(|system| system.get("build-backend"))
            .and_then(|backend| backend.as_str());
        if maturin.is_none() && build_backend != Some("maturin") {
            return Err(
                "pyproject.toml uses neither maturin as build backend nor [tool.maturin]".into(),
            );
        }
        let import_name = name.replace(['-', '.'], "_");
        let module_name = maturin
            .and_then(|maturin| maturin.get("module-name"))
            .and_then(|module| module.as_str())
            .unwrap_or(&import_name)
            .to_owned();
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
        let dev_group = document
            .get("dependency-groups")
            .and_then(|groups| groups.get("dev"))
            .and_then(strings);
        let build_requires = document
            .get("build-system")
            .and_then(|system| system.get("requires"))
            .and_then(strings)
            .unwrap_or_default();
        Ok(Project {
            root: PathBuf::new(),
            name,
            package,
            native_module,
            dev_group,
            build_requires,
            provenance: Provenance::from_pyproject(&document),
        })
    }

    /// The dev group's requirement for `package` (e.g. `pytest` -> `pytest>=8`).
    pub fn dev_requirement(&self, package: &str) -> Option<&str> {
        self.dev_group
            .as_ref()?
            .iter()
            .find(|requirement| requirement_name(requirement) == package)
            .map(String::as_str)
    }
}

impl Project {
    /// The maturin to build with: the dev group's requirement, else the build system's, else
    /// any maturin.
    pub fn maturin_requirement(&self) -> &str {
        self.dev_requirement("maturin")
            .or_else(|| {
                self.build_requires
                    .iter()
                    .find(|requirement| requirement_name(requirement) == "maturin")
                    .map(String::as_str)
            })
            .unwrap_or("maturin")
    }
}

/// The module maturin builds when `pyproject.toml` names none: the Rust library's name, as
/// maturin takes it (`[lib] name`, else the crate's name with `-` as `_`), from the manifest
/// `[tool.maturin] manifest-path` names or `Cargo.toml`. `None` when the project names its
/// module, or the manifest cannot be read (the `[project] name` then stands).
fn module_from_cargo(root: &Path, pyproject: &str) -> Option<String> {
    let document: toml::Table = toml::from_str(pyproject).ok()?;
    let maturin = document.get("tool").and_then(|tool| tool.get("maturin"));
    if maturin
        .and_then(|maturin| maturin.get("module-name"))
        .is_some()
    {
        return None;
    }
    let manifest = maturin
        .and_then(|maturin| maturin.get("manifest-path"))
        .and_then(|path| path.as_str())
        .unwrap_or("Cargo.toml");
    let cargo: toml::Table =
        toml::from_str(&fs_err::read_to_string(root.join(manifest)).ok()?).ok()?;
    let lib_name = cargo
        .get("lib")
        .and_then(|lib| lib.get("name"))
        .and_then(|name| name.as_str());
    let crate_name = cargo
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(|name| name.as_str());
    lib_name.or(crate_name).map(|name| name.replace('-', "_"))
}

/// The strings of a TOML array (requirements), when `value` is an array; other items are skipped.
fn strings(value: &toml::Value) -> Option<Vec<String>> {
    let entries = value.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(toml::Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

/// The normalised package name of a requirement: `Maturin>=1.9,<2` -> `maturin`.
fn requirement_name(requirement: &str) -> String {
    requirement
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace(['_', '.'], "-")
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
            dev = ["pytest>=8", "Maturin>=1.9.4,<2", { include-group = "lint" }]
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
            project.dev_group,
            Some(vec!["pytest>=8".into(), "Maturin>=1.9.4,<2".into()])
        );
        assert_eq!(
            project.dev_requirement("maturin"),
            Some("Maturin>=1.9.4,<2")
        );
        assert_eq!(project.dev_requirement("pytest"), Some("pytest>=8"));
        assert_eq!(project.dev_requirement("ruff"), None);
        assert_eq!(project.provenance, None);
    }

    #[test]
    fn a_plain_maturin_project_uses_its_name() {
        let project = Project::parse(
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"fast-thing\"\n",
        )
        .unwrap();
        assert_eq!(project.package, "fast_thing");
        assert_eq!(project.native_module, "fast_thing");
        assert_eq!(project.dev_group, None);
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

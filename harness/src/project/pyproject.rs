//! The parts of a maturin project's manifests the harness reads, typed: `pyproject.toml`
//! (PEP 621's `[project]`, PEP 735's `[dependency-groups]`, `[build-system]`, `[tool.maturin]`
//! and `[tool.pyo3-scaffold]`) and the few `Cargo.toml` fields maturin takes the module's name
//! from. Each is parsed once, by [`crate::project::Project::read`]; every other table and key is
//! left alone, so a project may hold anything else.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::project::provenance::Provenance;

/// `pyproject.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PyProject {
    pub build_system: Option<BuildSystem>,
    pub project: Option<ProjectTable>,
    /// PEP 735: named lists of requirements, which may include other groups.
    #[serde(default)]
    pub dependency_groups: BTreeMap<String, Vec<GroupEntry>>,
    #[serde(default)]
    pub tool: Tool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BuildSystem {
    /// `maturin>=1.9.4,<2`: the maturin the project builds with.
    #[serde(default)]
    pub requires: Vec<String>,
    pub build_backend: Option<String>,
}

/// PEP 621's `[project]`, as far as the harness reads it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProjectTable {
    pub name: Option<String>,
    /// What the package needs at run time: installed beside it, since the harness installs its
    /// wheel without resolving dependencies.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// The extras: `test = ["pytest", "hypothesis"]`.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, Vec<String>>,
}

/// One entry of a dependency group: a requirement, or `{ include-group = "other" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum GroupEntry {
    Requirement(String),
    Include {
        #[serde(rename = "include-group")]
        include_group: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Tool {
    pub maturin: Option<Maturin>,
    /// Where a generated project came from (see [`crate::project::provenance`]).
    #[serde(rename = "pyo3-scaffold")]
    pub scaffold: Option<Provenance>,
}

/// `[tool.maturin]`, the keys that say where the module and its Python package are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Maturin {
    /// `my_ext._my_ext`: the package, then the native module inside it.
    pub module_name: Option<String>,
    /// The folder holding the Python package (`python`); the project's root when absent.
    pub python_source: Option<String>,
    /// The Rust crate's manifest, when it is not `Cargo.toml` at the root.
    pub manifest_path: Option<String>,
}

/// `Cargo.toml`: maturin names the module after the library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CargoManifest {
    pub package: Option<CargoName>,
    pub lib: Option<CargoName>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CargoName {
    pub name: Option<String>,
}

impl CargoManifest {
    /// The library's name as maturin takes it: `[lib] name`, else the crate's name, `-` as `_`.
    pub fn library_name(&self) -> Option<String> {
        let lib = self.lib.as_ref().and_then(|lib| lib.name.as_deref());
        let package = self.package.as_ref().and_then(|p| p.name.as_deref());
        lib.or(package).map(|name| name.replace('-', "_"))
    }
}

impl PyProject {
    /// Parses the text of a `pyproject.toml`; the error names the key that does not fit.
    pub fn parse(text: &str) -> Result<PyProject, String> {
        // Syntax first, then the keys read here: a table that does not parse and one whose
        // `dependencies` is a string are told apart.
        let table: toml::Table = toml::from_str(text)
            .map_err(|error| format!("pyproject.toml is not valid TOML: {error}"))?;
        PyProject::deserialize(table).map_err(|error| {
            format!(
                "pyproject.toml does not follow the format maturin and uv read: {}",
                error.to_string().trim_end()
            )
        })
    }

    pub fn maturin(&self) -> Option<&Maturin> {
        self.tool.maturin.as_ref()
    }

    /// True when maturin builds the project: its build backend, or a `[tool.maturin]` table.
    pub fn uses_maturin(&self) -> bool {
        self.maturin().is_some()
            || self
                .build_system
                .as_ref()
                .and_then(|system| system.build_backend.as_deref())
                == Some("maturin")
    }

    /// The extras, empty when the project declares none.
    pub fn extras(&self) -> &BTreeMap<String, Vec<String>> {
        static NONE: BTreeMap<String, Vec<String>> = BTreeMap::new();
        self.project
            .as_ref()
            .map_or(&NONE, |project| &project.optional_dependencies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_table_it_knows_and_leaves_the_rest() {
        let pyproject = PyProject::parse(
            r#"
            [build-system]
            requires = ["maturin>=1,<2"]
            build-backend = "maturin"
            [project]
            name = "rtoml"
            dependencies = ["typing_extensions>=4.6; python_version <= '3.11'"]
            optional-dependencies = { test = ["hypothesis"] }
            urls = { Homepage = "https://example.invalid" }
            [dependency-groups]
            dev = ["pytest>=8", { include-group = "lint" }]
            lint = ["ruff"]
            [tool.maturin]
            python-source = "python"
            module-name = "rtoml._rtoml"
            features = ["pyo3/extension-module"]
            [tool.ruff]
            line-length = 120
            "#,
        )
        .unwrap();
        assert!(pyproject.uses_maturin());
        let project = pyproject.project.as_ref().unwrap();
        assert_eq!(project.name.as_deref(), Some("rtoml"));
        assert_eq!(
            project.dependencies,
            ["typing_extensions>=4.6; python_version <= '3.11'"]
        );
        assert_eq!(pyproject.extras()["test"], ["hypothesis"]);
        assert_eq!(
            pyproject.dependency_groups["dev"],
            [
                GroupEntry::Requirement("pytest>=8".into()),
                GroupEntry::Include {
                    include_group: "lint".into()
                }
            ]
        );
        let maturin = pyproject.maturin().unwrap();
        assert_eq!(maturin.python_source.as_deref(), Some("python"));
        assert_eq!(maturin.module_name.as_deref(), Some("rtoml._rtoml"));
        assert_eq!(maturin.manifest_path, None);
    }

    #[test]
    fn a_key_of_the_wrong_type_is_named() {
        let error =
            PyProject::parse("[project]\nname = \"x\"\ndependencies = \"numpy\"\n").unwrap_err();
        assert!(
            error.starts_with("pyproject.toml does not follow the format maturin and uv read: ")
                && error.contains("dependencies"),
            "{error}"
        );
    }

    #[test]
    fn the_library_name_is_the_module_maturin_builds() {
        let manifest = |text: &str| toml::from_str::<CargoManifest>(text).unwrap();
        assert_eq!(
            manifest("[package]\nname = \"rpds-py\"\n[lib]\nname = \"rpds\"\n").library_name(),
            Some("rpds".into())
        );
        assert_eq!(
            manifest("[package]\nname = \"fast-core\"\n").library_name(),
            Some("fast_core".into())
        );
        assert_eq!(manifest("[workspace]\n").library_name(), None);
    }
}

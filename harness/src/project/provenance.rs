//! Where a generated project came from: the `[tool.pyo3-scaffold]` table of its
//! `pyproject.toml`, written by the template (`pyproject.toml.liquid`, from the variables its
//! `hooks/provenance.rhai` sets).
//!
//! ```toml
//! [tool.pyo3-scaffold]
//! style = "greet"
//! template-version = "0.1.0"
//! template-fingerprint = "0123456789ab"
//!
//! [tool.pyo3-scaffold.answers]
//! abi3 = true
//! ```
//!
//! `check` takes the style from here first, and guesses it from the project's files only for
//! projects made before the table existed.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The table's name under `[tool]`.
pub const TABLE: &str = "pyo3-scaffold";

/// The `[tool.pyo3-scaffold]` table of a project, read with the rest of its `pyproject.toml`
/// ([`crate::project::pyproject::PyProject`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    /// The template style it was rendered in (`greet`), as written: a newer template may know
    /// styles this harness does not.
    pub style: Option<String>,
    pub template_version: Option<String>,
    pub template_fingerprint: Option<String>,
    /// `[tool.pyo3-scaffold.answers]`: every answer the project was rendered with.
    #[serde(default)]
    pub answers: BTreeMap<String, toml::Value>,
}

impl Provenance {
    /// The `workshop` answer: whether the project is the exercise version of its style. `None`
    /// for a project rendered before the answer existed.
    pub fn workshop(&self) -> Option<bool> {
        self.answers.get("workshop").and_then(toml::Value::as_bool)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use regex::Regex;

    use super::*;
    use crate::project::Project;
    use crate::project::pyproject::PyProject;
    use crate::template::style::Style;
    use crate::template::{embedded, fingerprint};

    fn provenance(text: &str) -> Option<Provenance> {
        PyProject::parse(text).unwrap().tool.scaffold
    }

    #[test]
    fn reads_the_table() {
        let provenance = provenance(
            r#"
            [project]
            name = "my-ext"
            [tool.pyo3-scaffold]
            style = "text-processor"
            template-version = "0.1.0"
            template-fingerprint = "0123456789ab"
            [tool.pyo3-scaffold.answers]
            abi3 = false
            description = "A thing"
            workshop = true
            "#,
        )
        .unwrap();
        assert_eq!(provenance.style.as_deref(), Some("text-processor"));
        assert_eq!(provenance.template_version.as_deref(), Some("0.1.0"));
        assert_eq!(
            provenance.template_fingerprint.as_deref(),
            Some("0123456789ab")
        );
        assert_eq!(
            provenance.answers,
            BTreeMap::from([
                ("abi3".to_owned(), toml::Value::Boolean(false)),
                (
                    "description".to_owned(),
                    toml::Value::String("A thing".into())
                ),
                ("workshop".to_owned(), toml::Value::Boolean(true)),
            ])
        );
        assert_eq!(provenance.workshop(), Some(true));
    }

    #[test]
    fn a_project_without_the_table_has_no_provenance() {
        assert_eq!(provenance("[tool.maturin]\n[tool.other]\n"), None);
        let older = provenance("[tool.pyo3-scaffold]\nstyle = \"greet\"\n").unwrap();
        assert_eq!(older.workshop(), None);
    }

    #[test]
    fn the_recorded_style_comes_before_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let pyproject = |style: &str| {
            format!(
                "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"my-ext\"\n\
                 [tool.pyo3-scaffold]\nstyle = \"{style}\"\n"
            )
        };
        let project = |style: &str| {
            let mut project = Project::parse(&pyproject(style)).unwrap();
            project.root = dir.path().to_owned();
            project
        };
        // No style file at all: only the table can tell.
        assert_eq!(
            Style::detect(&project("text-processor")),
            Some(Style::parse("text-processor").unwrap())
        );
        // A greet file, yet the table says text-processor: the table wins.
        let package = dir.path().join("python/my_ext");
        fs_err::create_dir_all(&package).unwrap();
        fs_err::write(package.join("api.py"), "").unwrap();
        assert_eq!(
            Style::detect(&project("text-processor")),
            Some(Style::parse("text-processor").unwrap())
        );
        // A style this harness does not know, or no table: the files decide.
        assert_eq!(
            Style::detect(&project("fancy")),
            Some(Style::parse("greet").unwrap())
        );
        let mut untracked = project("greet");
        untracked.pyproject.tool.scaffold = None;
        assert_eq!(
            Style::detect(&untracked),
            Some(Style::parse("greet").unwrap())
        );
    }

    /// The template records its own version and fingerprint in `hooks/provenance.rhai`, so that
    /// `cargo generate` writes them too. They must be those of this build: with
    /// `SCAFFOLD_UPDATE_PROVENANCE=1` (what `just examples` sets) this test writes them instead.
    #[test]
    fn the_template_records_its_version_and_fingerprint() {
        let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        let hook = template.join(fingerprint::RECORDED_IN);
        let text = fs_err::read_to_string(&hook).unwrap();
        let setting =
            |name: &str| Regex::new(&format!(r#"variable::set\("{name}", "([^"]*)"\);"#)).unwrap();
        for name in ["template_version", "template_fingerprint"] {
            assert_eq!(
                setting(name).find_iter(&text).count(),
                1,
                "template/{} must set {name} once",
                fingerprint::RECORDED_IN
            );
        }
        let (version, fingerprint) = (env!("CARGO_PKG_VERSION"), embedded::FINGERPRINT);
        let expected = setting("template_fingerprint")
            .replace(
                &setting("template_version").replace(
                    &text,
                    format!(r#"variable::set("template_version", "{version}");"#),
                ),
                format!(r#"variable::set("template_fingerprint", "{fingerprint}");"#),
            )
            .into_owned();
        if expected != text && std::env::var_os("SCAFFOLD_UPDATE_PROVENANCE").is_some() {
            fs_err::write(&hook, &expected).unwrap();
            return;
        }
        assert_eq!(
            text,
            expected,
            "template/{} does not record this template's version {version} and fingerprint \
             {fingerprint}: run `just examples`, which updates it and re-renders examples/",
            fingerprint::RECORDED_IN
        );
    }
}

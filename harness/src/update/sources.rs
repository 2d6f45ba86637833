//! Where the two sides of an update come from: the new side is the template the command
//! carries (or `--template DIR`) rendered with the new answers; the base is the template the
//! project was made from, rendered with the recorded answers: out of the template history
//! built into the command, or an old template folder (`--base-template DIR`), or the project
//! itself at a commit that holds the untouched render (`--base REV`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::base::error::{Result, UpdateError};
use crate::project::provenance::Provenance;
use crate::project::pyproject::PyProject;
use crate::template::history::{self, Entry};
use crate::template::render::{self, Template};
use crate::template::style::Style;
use crate::update::answers;
use crate::update::files::{self, Files};
use crate::update::git;
use crate::update::plan::BaseKind;

/// A template as projects record it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateId {
    pub version: String,
    pub fingerprint: String,
}

impl TemplateId {
    /// What `provenance` records (`unknown` for what it lacks).
    pub fn recorded(provenance: &Provenance) -> TemplateId {
        let or_unknown = |value: &Option<String>| value.clone().unwrap_or_else(|| "unknown".into());
        TemplateId {
            version: or_unknown(&provenance.template_version),
            fingerprint: or_unknown(&provenance.template_fingerprint),
        }
    }

    /// `0.1.0 (2d8afceee2f7)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.version, self.fingerprint)
    }

    /// True when this version is above `other`'s, compared number by number (`0.10.0` is
    /// above `0.9.1`); versions that are not numbers compare as equal.
    pub fn is_newer_than(&self, other: &TemplateId) -> bool {
        let numbers = |version: &str| -> Option<Vec<u64>> {
            version.split('.').map(|part| part.parse().ok()).collect()
        };
        match (numbers(&self.version), numbers(&other.version)) {
            (Some(mine), Some(theirs)) => mine > theirs,
            _ => false,
        }
    }
}

/// What a render records about itself: its `pyproject.toml`'s `[tool.pyo3-scaffold]` table.
pub fn recorded_by(render: &Files) -> Option<Provenance> {
    let text = std::str::from_utf8(render.get("pyproject.toml")?).ok()?;
    PyProject::parse(text).ok()?.tool.scaffold
}

/// Renders `template` for the project `name` in `style` with `defines`, into memory.
pub fn render(
    template: &Template,
    style: Style,
    name: &str,
    defines: &[(String, String)],
) -> Result<Files> {
    let scratch = tempfile::Builder::new()
        .prefix("pyo3-scaffold-update-")
        .tempdir()?;
    let dest = scratch.path().join("project");
    render::render(
        template,
        &render::Request {
            style,
            name,
            defines,
        },
        &dest,
    )?;
    files::read(&dest)
}

/// Where the base comes from.
#[derive(Debug, Clone)]
pub enum Base {
    /// A template of the history built into the command.
    History(Entry),
    /// An old template folder.
    Folder(PathBuf),
    /// A commit of the project's repository holding the untouched render.
    Commit(String),
}

impl Base {
    /// The base for a project made from `recorded`, unless `--base` or `--base-template` names
    /// one: the new template itself when it is the same (only answers change), else the
    /// history's template with that fingerprint, or an error naming both options.
    pub fn choose(
        recorded: &TemplateId,
        current: (&TemplateId, &Path),
        rev: Option<&str>,
        folder: Option<&Path>,
    ) -> Result<Base> {
        if let Some(rev) = rev {
            return Ok(Base::Commit(rev.to_owned()));
        }
        if let Some(folder) = folder {
            return Ok(Base::Folder(folder.to_owned()));
        }
        // Only answers change: the base is the new template itself.
        if recorded.fingerprint == current.0.fingerprint {
            return Ok(Base::Folder(current.1.to_owned()));
        }
        if let Some(entry) = history::find(&recorded.fingerprint)? {
            return Ok(Base::History(entry));
        }
        let entries = history::entries()?;
        // A version this command knows with a fingerprint it does not: the template as it
        // stood between two releases, which only its own build or folder can render.
        let between_releases = recorded.version == current.0.version
            || entries
                .iter()
                .any(|entry| entry.version == recorded.version);
        Err(UpdateError::UnknownTemplate {
            recorded: recorded.label(),
            known: entries
                .iter()
                .map(Entry::label)
                .collect::<Vec<_>>()
                .join(", "),
            current: current.0.label(),
            between_releases,
        }
        .into())
    }

    /// How the conflict markers name the base.
    pub fn label(&self, recorded: &TemplateId) -> String {
        match self {
            Base::Commit(rev) => format!("{rev} (the project's commit)"),
            Base::History(_) | Base::Folder(_) => format!("template {}", recorded.label()),
        }
    }

    /// The base's files for the project folder `project` (named `name`, of `style`), rendered
    /// with the recorded `answers` where it is a template.
    pub fn files(
        &self,
        project: &Path,
        style: Style,
        name: &str,
        answers: &[(String, String)],
        timeout: Duration,
    ) -> Result<(Files, BaseKind)> {
        let render_folder = |dir: &Path| -> Result<Files> {
            let template = Template::folder(dir)?;
            let asked = answers::asked_by(answers, &template.dir)?;
            render(&template, style, name, &asked)
        };
        Ok(match self {
            Base::Commit(rev) => (git::tree_at(project, rev, timeout)?, BaseKind::Commit),
            Base::Folder(dir) => (render_folder(dir)?, BaseKind::Render),
            Base::History(entry) => {
                let scratch = tempfile::Builder::new()
                    .prefix("pyo3-scaffold-history-")
                    .tempdir()?;
                let dir = scratch.path().join("template");
                history::extract(entry, &dir)?;
                (render_folder(&dir)?, BaseKind::Render)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(version: &str) -> TemplateId {
        TemplateId {
            version: version.into(),
            fingerprint: format!("x{version}"),
        }
    }

    #[test]
    fn versions_compare_number_by_number() {
        assert!(id("0.10.0").is_newer_than(&id("0.9.1")));
        assert!(!id("0.1.0").is_newer_than(&id("0.1.0")));
        assert!(!id("0.1.0").is_newer_than(&id("0.2.0")));
        assert!(!id("unknown").is_newer_than(&id("0.2.0")));
    }

    #[test]
    fn an_unknown_fingerprint_names_the_ways_to_give_a_base() {
        let current = id("0.2.0");
        let choose = |recorded: &TemplateId| {
            Base::choose(recorded, (&current, Path::new("t")), None, None).unwrap_err()
        };
        let error = choose(&id("0.0.9"));
        // Every template of the history is named, the first release's among them.
        let held: Vec<String> = history::entries()
            .unwrap()
            .iter()
            .map(Entry::label)
            .collect();
        assert!(
            held.contains(&"0.1.0 (2d8afceee2f7)".to_owned()),
            "{held:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the project was made from template 0.0.9 (x0.0.9), which this pyo3-scaffold \
                 does not carry (its history holds {}; it makes 0.2.0 (x0.2.0))",
                held.join(", ")
            )
        );
        let hint = error.hint().unwrap();
        assert!(
            hint.contains("--base REV") && hint.contains("--base-template DIR"),
            "{hint}"
        );
        // A released version with another fingerprint, or this command's own version: a
        // development build made it.
        for version in ["0.1.0", "0.2.0"] {
            let recorded = TemplateId {
                version: version.into(),
                fingerprint: "0123456789ab".into(),
            };
            let error = choose(&recorded);
            assert!(
                error.to_string().ends_with(
                    "): a template between releases, made by a development build of \
                     pyo3-scaffold or from a template folder of its own"
                ),
                "{error}"
            );
            assert!(error.hint().unwrap().contains("--base-template DIR"));
        }
    }

    /// The history's first template, rendered with default answers, is the repository's
    /// example of that version: the render the first projects got.
    #[test]
    fn the_history_renders_the_project_its_version_made() {
        let entry = history::find("2d8afceee2f7").unwrap().unwrap();
        let base = Base::History(entry);
        let answers = [
            ("abi3".to_owned(), "true".to_owned()),
            ("ci".to_owned(), "true".to_owned()),
            (
                "description".to_owned(),
                "A Python extension module written in Rust with PyO3".to_owned(),
            ),
            ("workshop".to_owned(), "false".to_owned()),
        ];
        render::fix_environment_for_tests();
        let style = Style::parse("greet").unwrap();
        let (files, kind) = base
            .files(
                Path::new("."),
                style,
                "my-ext",
                &answers,
                Duration::from_secs(30),
            )
            .unwrap();
        assert_eq!(kind, BaseKind::Render);
        let recorded = recorded_by(&files).unwrap();
        assert_eq!(
            recorded.template_fingerprint.as_deref(),
            Some("2d8afceee2f7")
        );
        assert!(
            files.contains_key("python/my_ext/api.py"),
            "{:?}",
            files.keys()
        );
    }
}

//! The workshop runner around the checklist: the exercises and their hints in levels
//! ([`crate::workshop::catalog`]), the `todo!()`s left in a project ([`todos`]), the learner's
//! progress ([`progress`]), putting an exercise back or showing its solution ([`patch`]),
//! results for instructors in Exercism's format ([`results`], [`summary`]), the project's own
//! names in everything a learner reads ([`names`]), and the proof of the exercises themselves
//! for their authors ([`dev_check`]). `watch` ([`crate::workshop::watch`]) re-checks on every
//! save; the commands are in [`crate::commands`].

pub mod catalog;
pub mod checklist;
pub mod dev_check;
pub mod names;
pub mod official_tests;
pub mod patch;
pub mod progress;
pub mod results;
pub mod summary;
pub mod todos;
pub mod watch;

use std::path::{Path, PathBuf};

pub use crate::base::error::WorkshopError;

use crate::project::Project;
use crate::project::provenance::Provenance;
use crate::template::render::{self, Template};
use crate::template::style::Style;

/// The two renders of the template a project's exercises are patched from: the exercise
/// version and the complete one, under the project's name, in a temporary folder.
#[derive(Debug)]
pub struct Renders {
    _dir: tempfile::TempDir,
    pub exercise: PathBuf,
    pub solution: PathBuf,
}

impl Renders {
    /// Renders both versions of `style` for a project called `name`.
    pub fn make(template: &Template, style: Style, name: &str) -> crate::Result<Renders> {
        let dir = tempfile::Builder::new()
            .prefix("scaffold-harness-workshop-")
            .tempdir()?;
        let exercise = dir.path().join("exercise").join(name);
        let solution = dir.path().join("solution").join(name);
        let workshop = [("workshop".to_owned(), "true".to_owned())];
        for (dest, defines) in [(&exercise, &workshop[..]), (&solution, &[][..])] {
            let request = render::Request {
                style,
                name,
                defines,
            };
            render::render(template, &request, dest)?;
        }
        Ok(Renders {
            _dir: dir,
            exercise,
            solution,
        })
    }

    /// Every exercise body, with its reference body.
    pub fn regions(&self) -> crate::Result<Vec<patch::Region>> {
        patch::regions(&self.exercise, &self.solution)
    }
}

/// True for a workshop project, the exercise version of its style: its `[tool.pyo3-scaffold]`
/// table says so (`workshop = true`), or, for a project rendered before the table held that
/// answer, an exercise's `todo!()` is left in it. Only a workshop project is checked as a
/// learner's: the checklist, the exercises and the official tests are nothing to a maintainer.
pub fn is_workshop(project: &Project) -> bool {
    match project.provenance().and_then(Provenance::workshop) {
        Some(answer) => answer,
        None => todos::in_project(&project.root).is_ok_and(|todos| !todos.is_empty()),
    }
}

/// Checks that `number` is an exercise of `style`'s project.
pub fn exercise_of(
    style: Style,
    number: u32,
) -> Result<&'static catalog::CatalogEntry, WorkshopError> {
    let ours = catalog::of_style(style);
    ours.iter()
        .find(|exercise| exercise.number == number)
        .copied()
        .ok_or_else(|| WorkshopError::NoSuchExercise {
            number,
            style: style.to_string(),
            available: ours
                .iter()
                .map(|exercise| exercise.number.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The project in `dir` and its style, for a workshop command: a folder that is no project, or
/// one of no known style, is a usage error of `command`.
pub fn project_and_style(command: &'static str, dir: &Path) -> crate::Result<(Project, Style)> {
    let usage = |error: crate::Error| crate::Error::Usage {
        command,
        message: match error.hint() {
            Some(hint) => format!("{error}; {hint}"),
            None => error.to_string(),
        },
    };
    let project = Project::read(dir).map_err(usage)?;
    let style = Style::detect(&project).ok_or_else(|| {
        usage(crate::Error::UnknownStyle {
            dir: dir.to_owned(),
            styles: Style::names(),
        })
    })?;
    Ok((project, style))
}

//! What can go wrong in the workshop commands, each with the data to act on and a hint.

use std::path::PathBuf;

use crate::base::fault::Fault;

#[derive(Debug, thiserror::Error)]
pub enum WorkshopError {
    #[error("there is no exercise {number} in a {style} project (its exercises: {available})")]
    NoSuchExercise {
        number: u32,
        style: String,
        available: String,
    },

    #[error("cannot {action}: {file} {reason}; nothing was changed")]
    PatchRefused {
        /// `reset exercise 1`, `show the solution of exercise 1`.
        action: String,
        file: String,
        reason: String,
    },

    #[error(
        "{} is not a workshop project: its pyproject.toml {reason}, so `{command}` would \
         replace real code; nothing was changed",
        dir.display()
    )]
    NotAWorkshop {
        command: &'static str,
        dir: PathBuf,
        /// What its `[tool.pyo3-scaffold]` table says instead of `workshop = true`.
        reason: String,
    },

    #[error(
        "cannot {action}: {} changed outside the exercises' bodies, from the workshop render and \
         from the last commit if there is one; nothing was changed",
        files.join(", ")
    )]
    EditedOutside {
        action: String,
        /// The files, relative to the project.
        files: Vec<String>,
    },

    #[error("exercise {exercise} does not pass yet, so its solution stays hidden")]
    NotPassedYet {
        exercise: u32,
        /// The project folder as the learner typed it, shell-quoted.
        dir: String,
    },

    #[error("{} is not an Exercism results.json (version 3): {message}", path.display())]
    Results { path: PathBuf, message: String },

    #[error("no results files in {}", path.display())]
    NoResults { path: PathBuf },

    #[error("the workshop progress file {} is unreadable: {message}", path.display())]
    Progress { path: PathBuf, message: String },
}

impl WorkshopError {
    pub fn fault(&self) -> Fault {
        match self {
            WorkshopError::Progress { .. } => Fault::Environment,
            _ => Fault::Failure,
        }
    }

    /// True for a problem with what the user typed, told as a usage error (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            WorkshopError::NoSuchExercise { .. }
                | WorkshopError::NotAWorkshop { .. }
                | WorkshopError::EditedOutside { .. }
                | WorkshopError::Results { .. }
                | WorkshopError::NoResults { .. }
        )
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            WorkshopError::NoSuchExercise { .. } => {
                "the book's workshop chapter lists which exercise is in which project".into()
            }
            WorkshopError::PatchRefused { .. } => "copy your version aside, then restore the \
                 file from a fresh render of the exercise version (`pyo3-scaffold new` into \
                 another folder, with the same style and `-d workshop=true`), or edit the \
                 exercise's body back to its `todo!()` by hand"
                .into(),
            WorkshopError::NotAWorkshop { .. } => "reset and solution work on projects made \
                 with `-d workshop=true`; check the folder name"
                .into(),
            WorkshopError::EditedOutside { .. } => "commit your changes first (`git add -A && git \
                 commit`, after `git init` in a project without a repository), or pass --force: \
                 each file is saved in the cache before it is replaced, and the message says \
                 where"
                .into(),
            WorkshopError::NotPassedYet { dir, .. } => format!(
                "make it pass first (`pyo3-scaffold watch {dir}` shows what is left), or pass \
                 --force to see the solution now"
            ),
            WorkshopError::Results { .. } => {
                "write it with `check DIR --results FILE`; the schema is \
                 harness/workshop/results-v3.schema.json"
                    .into()
            }
            WorkshopError::NoResults { .. } => {
                "pass results files, or folders holding `*.json` files written by \
                 `check DIR --results FILE`"
                    .into()
            }
            WorkshopError::Progress { .. } => {
                "delete it to start the progress record afresh".into()
            }
        })
    }
}

impl WorkshopError {
    /// The error as `command` reports it: a problem with what the user typed is a usage error.
    /// A refusal to patch says, on a line of its own, how to go ahead.
    pub fn for_command(self, command: &'static str) -> super::Error {
        if !self.is_usage() {
            return self.into();
        }
        let message = match (&self, self.hint()) {
            (
                WorkshopError::NotAWorkshop { .. } | WorkshopError::EditedOutside { .. },
                Some(hint),
            ) => format!("{self}\nhint: {hint}"),
            _ => self.to_string(),
        };
        super::Error::Usage { command, message }
    }
}

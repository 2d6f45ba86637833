//! `pyo3-scaffold exercises DIR`: the workshop exercises left in a project, one line each
//! (`N  file:line  title`), found by [`crate::workshop::todos`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::{Error, Result};
use crate::project::Project;
use crate::workshop::WorkshopError;
use crate::workshop::patch::guard;
use crate::workshop::todos;

#[derive(Debug, Args)]
pub struct ExercisesArgs {
    /// The project folder
    pub dir: PathBuf,
}

/// Prints one line per exercise left; says so on stderr when none is left.
pub fn run(args: &ExercisesArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    // As `check` and `watch` say it: a folder that is no project has no exercises to list, and
    // "every exercise is done" would be a lie.
    let project = match Project::read(dir) {
        Ok(project) => project,
        Err(error) => {
            return Err(Error::Usage {
                command: "exercises",
                message: format!(
                    "{error}; pass the folder of a project rendered with -d workshop=true"
                ),
            });
        }
    };
    let exercises = todos::in_project(dir)?;
    for exercise in &exercises {
        println!("{exercise}");
    }
    if exercises.is_empty() {
        let why = match guard::require_workshop("exercises", &project) {
            Ok(()) => "every exercise is done".to_owned(),
            Err(WorkshopError::NotAWorkshop { reason, .. }) => {
                format!("it is not a workshop project (its pyproject.toml {reason})")
            }
            Err(other) => other.to_string(),
        };
        eprintln!(
            "no `todo!(\"exercise N: ...\")` left in {}: {why}",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

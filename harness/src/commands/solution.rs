//! `pyo3-scaffold solution DIR --exercise N`: the reference solution of exercise N as a diff
//! against the learner's code, once the progress record says it passed (or with `--force`).
//! It writes nothing, and refuses a project that is not a workshop render.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::cmd::shell_word;
use crate::base::error::Result;
use crate::commands::GlobalArgs;
use crate::workshop::patch::{self, guard};
use crate::workshop::progress::LearnerProgress;
use crate::workshop::{self, Renders, WorkshopError};

#[derive(Debug, Args)]
pub struct SolutionArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The exercise whose reference solution to show
    #[arg(long, value_name = "N")]
    pub exercise: u32,
    /// Show it even though the exercise has not passed yet
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: &SolutionArgs) -> Result<ExitCode> {
    let (project, style) = workshop::project_and_style("solution", &args.dir)?;
    guard::require_workshop("solution", &project).map_err(|error| error.for_command("solution"))?;
    workshop::exercise_of(style, args.exercise).map_err(|error| error.for_command("solution"))?;
    if !args.force {
        let file = LearnerProgress::path(&global.cache()?, &args.dir, &project.name);
        if !LearnerProgress::load(&file)?.ever_passed(args.exercise) {
            return Err(WorkshopError::NotPassedYet {
                exercise: args.exercise,
                dir: shell_word(&args.dir.to_string_lossy()).into_owned(),
            }
            .into());
        }
    }
    let regions = Renders::make(&global.template()?, style, &project.name)?.regions()?;
    let diff = patch::solution_diff(&args.dir, &regions, args.exercise)
        .map_err(|error| error.for_command("solution"))?;
    if diff.is_empty() {
        println!(
            "your exercise {} is the reference solution, line for line",
            args.exercise
        );
    } else {
        print!("{diff}");
    }
    Ok(ExitCode::SUCCESS)
}

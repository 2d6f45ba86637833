//! `pyo3-scaffold reset DIR --exercise N`: exercise N's bodies back to their `todo!()`, the
//! rest of the learner's code as it is (see [`crate::workshop::patch`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::Result;
use crate::commands::GlobalArgs;
use crate::workshop::{self, Renders, patch};

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The exercise whose bodies go back to their `todo!()`
    #[arg(long, value_name = "N")]
    pub exercise: u32,
}

pub fn run(global: &GlobalArgs, args: &ResetArgs) -> Result<ExitCode> {
    let (project, style) = workshop::project_and_style("reset", &args.dir)?;
    workshop::exercise_of(style, args.exercise).map_err(|error| error.for_command("reset"))?;
    let regions = Renders::make(&global.template()?, style, &project)?.regions()?;
    let patched = patch::reset(&args.dir, &regions, args.exercise)
        .map_err(|error| error.for_command("reset"))?;
    let changed: Vec<String> = patched
        .iter()
        .filter(|file| file.old != file.new)
        .map(|file| file.file.display().to_string())
        .collect();
    if changed.is_empty() {
        println!(
            "exercise {} is at its start already: nothing to reset",
            args.exercise
        );
        return Ok(ExitCode::SUCCESS);
    }
    patch::write(&args.dir, &patched)?;
    println!(
        "exercise {} is back to its todo!() in {}; the rest of your code is as it was",
        args.exercise,
        changed.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

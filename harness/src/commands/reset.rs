//! `pyo3-scaffold reset DIR --exercise N`: exercise N's bodies back to their `todo!()`, the
//! rest of the learner's code as it is (see [`crate::workshop::patch`]).
//!
//! It refuses, writing nothing, where it could destroy work: on a project that is not a
//! workshop render, and (without `--force`) on a file with edits outside the exercises' bodies
//! that git does not have. What it replaces is saved in the cache first, and it says where.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::Result;
use crate::commands::GlobalArgs;
use crate::workshop::patch::{self, Pick, guard, saved};
use crate::workshop::{self, Renders, WorkshopError};

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The exercise whose bodies go back to their `todo!()`
    #[arg(long, value_name = "N")]
    pub exercise: u32,
    /// Reset even though a file it replaces was edited outside the exercises' bodies since the
    /// last commit (the file is saved in the cache first)
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: &ResetArgs) -> Result<ExitCode> {
    let for_reset = |error: WorkshopError| error.for_command("reset");
    let (project, style) = workshop::project_and_style("reset", &args.dir)?;
    guard::require_workshop("reset", &project).map_err(for_reset)?;
    workshop::exercise_of(style, args.exercise).map_err(for_reset)?;
    let renders = Renders::make(&global.template()?, style, &project.name)?;
    let regions = renders.regions()?;
    let patched =
        patch::patch(&args.dir, &regions, args.exercise, Pick::Todo).map_err(for_reset)?;
    let changed: Vec<&PathBuf> = patched
        .iter()
        .filter(|file| file.old != file.new)
        .map(|file| &file.file)
        .collect();
    if changed.is_empty() {
        println!(
            "exercise {} is at its start already: nothing to reset",
            args.exercise
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !args.force {
        let edited = guard::edited_outside(&args.dir, &regions, &renders.exercise, &changed)?;
        if !edited.is_empty() {
            return Err(for_reset(WorkshopError::EditedOutside {
                action: format!("reset exercise {}", args.exercise),
                files: edited
                    .iter()
                    .map(|file| file.display().to_string())
                    .collect(),
            }));
        }
    }
    let kept = saved::save(
        &global.cache()?,
        &args.dir,
        &project.name,
        &format!("reset-{}", args.exercise),
        &patched,
    )?;
    patch::write(&args.dir, &patched)?;
    let files: Vec<String> = changed
        .iter()
        .map(|file| file.display().to_string())
        .collect();
    println!(
        "exercise {} is back to its todo!() in {}; the rest of your code is as it was\n\
         your version before the reset is saved in {}",
        args.exercise,
        files.join(", "),
        kept.display()
    );
    Ok(ExitCode::SUCCESS)
}

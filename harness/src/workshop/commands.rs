//! The workshop's commands, from arguments to output and exit code: `watch`, `reset`,
//! `solution` and `summary`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::cli::{Cli, Failure, TimeoutArg, exit_code};
use crate::error::{Class, Error};
use crate::matrix::Setup;
use crate::pipeline::Settings;
use crate::project::Project;
use crate::render::Template;
use crate::style::Style;
use crate::watch::{self, Ending, checker::Checker};
use crate::workshop::progress::LearnerProgress;
use crate::workshop::{self, Renders, WorkshopError, patch, summary};

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The project folder (a greet or text-processor project, usually the exercise version)
    pub dir: PathBuf,
    /// Build for this interpreter (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The exercise whose bodies go back to their `todo!()`
    #[arg(long, value_name = "N")]
    pub exercise: u32,
}

#[derive(Debug, Args)]
pub struct SolutionArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The exercise whose reference solution to show
    #[arg(long, value_name = "N")]
    pub exercise: u32,
    /// Show it even though the exercise does not pass yet
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Results files written by `check DIR --results FILE`, or folders holding them
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

type Outcome = std::result::Result<ExitCode, Failure>;

/// The project in `dir` and its style; a folder that is neither is the user's mistake.
fn project(command: &'static str, dir: &Path) -> std::result::Result<(Project, Style), Failure> {
    workshop::project_and_style(dir).map_err(|error| {
        let hint = error
            .hint()
            .map(|hint| format!("; {hint}"))
            .unwrap_or_default();
        Failure::Usage(command, format!("{error}{hint}"))
    })
}

fn workshop_failure(command: &'static str, error: WorkshopError) -> Failure {
    if error.is_usage() {
        Failure::Usage(command, error.to_string())
    } else {
        Failure::Error(error.into())
    }
}

pub fn run_watch(cli: &Cli, setup: Setup, args: &WatchArgs) -> Outcome {
    let (_, style) = project("watch", &args.dir)?;
    let pythons: Vec<String> = args.python.iter().cloned().collect();
    let (pythons, uv) = setup.tools(&pythons)?;
    let settings = Settings {
        cache: setup.cache.clone(),
        uv,
        timeout: args.timeout.duration(),
        keep: false,
    };
    let checker = Checker::new(
        &args.dir,
        style,
        settings,
        pythons[0].clone(),
        cli.template.clone(),
    )?;
    Ok(match watch::run(&checker, true)? {
        Ending::Quit { complete: true } => ExitCode::SUCCESS,
        Ending::Quit { complete: false } => exit_code(Class::Failure),
        Ending::Interrupted => exit_code(Class::Interrupted),
    })
}

/// The project, after checking that `exercise` is one of its style's.
fn project_with(
    command: &'static str,
    dir: &Path,
    exercise: u32,
) -> std::result::Result<(Project, Style), Failure> {
    let (project, style) = project(command, dir)?;
    workshop::exercise_of(style, exercise).map_err(|error| workshop_failure(command, error))?;
    Ok((project, style))
}

/// Every exercise body of the project's style, from two renders under the project's name.
fn regions(
    cli: &Cli,
    project: &Project,
    style: Style,
) -> std::result::Result<Vec<patch::Region>, Failure> {
    let template = Template::locate(cli.template.as_deref())?;
    let renders = Renders::make(&template, style, project)?;
    Ok(renders.regions()?)
}

pub fn run_reset(cli: &Cli, args: &ResetArgs) -> Outcome {
    let (project, style) = project_with("reset", &args.dir, args.exercise)?;
    let regions = regions(cli, &project, style)?;
    let patched = patch::reset(&args.dir, &regions, args.exercise)
        .map_err(|error| workshop_failure("reset", error))?;
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
    patch::write(&args.dir, &patched).map_err(Error::from)?;
    println!(
        "exercise {} is back to its todo!() in {}; the rest of your code is as it was",
        args.exercise,
        changed.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_solution(cli: &Cli, setup: Setup, args: &SolutionArgs) -> Outcome {
    let (project, style) = project_with("solution", &args.dir, args.exercise)?;
    if !args.force {
        let file = LearnerProgress::path(&setup.cache, &args.dir, &project.name);
        let progress = LearnerProgress::load(&file).map_err(Error::from)?;
        if !progress.ever_passed(args.exercise) {
            return Err(Failure::Error(
                WorkshopError::NotPassedYet {
                    exercise: args.exercise,
                }
                .into(),
            ));
        }
    }
    let regions = regions(cli, &project, style)?;
    let diff = patch::solution_diff(&args.dir, &regions, args.exercise)
        .map_err(|error| workshop_failure("solution", error))?;
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

pub fn run_summary(args: &SummaryArgs) -> Outcome {
    let files = summary::files(&args.paths).map_err(|error| workshop_failure("summary", error))?;
    let rows = files
        .iter()
        .map(|file| summary::read(file))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| workshop_failure("summary", error))?;
    print!("{}", summary::table(&rows));
    Ok(ExitCode::SUCCESS)
}

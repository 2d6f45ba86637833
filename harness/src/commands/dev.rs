//! `pyo3-scaffold dev check`: for the people who write the workshop's exercises, the proof that
//! every exercise fails before it is solved, that its reference solution makes exactly its tests
//! pass, and that the catalogue, the `todo!()`s, the hints and the markers agree (see
//! [`crate::workshop::dev_check`]). Kept out of the learner's `--help` listing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::base::error::{Error, Fault, Result};
use crate::commands::{GlobalArgs, Pythons, TimeoutArg};
use crate::exit;
use crate::pipeline::Quiet;
use crate::template::style::Style;
use crate::workshop::catalog::Catalog;
use crate::workshop::dev_check::{self, Request};

#[derive(Debug, Args)]
pub struct DevArgs {
    #[command(subcommand)]
    pub command: DevCommand,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Prove the workshop's exercises: each fails before it is solved, each reference solution
    /// makes exactly its tests pass and keeps the earlier ones passing, and the catalogue, the
    /// todo!()s, the hints and the pytest markers agree (builds each style's exercise version
    /// once per exercise; takes minutes)
    #[command(after_help = exit::HELP)]
    Check(DevCheckArgs),
}

#[derive(Debug, Args)]
pub struct DevCheckArgs {
    /// Only this style's exercises (repeatable; default: every style with exercises)
    #[arg(long = "style", value_name = "S")]
    pub styles: Vec<Style>,
    /// The exercise catalogue to check (default: the one built in, harness/workshop/exercises.toml)
    #[arg(long, value_name = "FILE")]
    pub exercises: Option<PathBuf>,
    /// Build for this interpreter (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

pub fn run(global: &GlobalArgs, args: &DevArgs) -> Result<ExitCode> {
    match &args.command {
        DevCommand::Check(args) => check(global, args),
    }
}

/// Prints each step on stderr and each problem on stdout; exits 1 when there is one.
fn check(global: &GlobalArgs, args: &DevCheckArgs) -> Result<ExitCode> {
    let catalog = match &args.exercises {
        Some(file) => Catalog::read(file).map_err(|message| Error::Usage {
            command: "dev",
            message: format!("--exercises {}: {message}", file.display()),
        })?,
        None => Catalog::embedded().clone(),
    };
    let template = global.template()?;
    let pythons = Pythons::named(&Vec::from_iter(args.python.clone()));
    let (settings, pythons) = global.settings(&pythons, args.timeout.duration(), false)?;
    let say = |line: &str| eprintln!("dev check: {line}");
    let problems = dev_check::run(&Request {
        settings: &settings,
        python: &pythons[0],
        template: &template,
        catalog: &catalog,
        styles: &args.styles,
        observer: &Quiet,
        say: &say,
    })?;
    if crate::base::interrupt::requested() {
        return Ok(exit::code(Fault::Interrupted));
    }
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!("every exercise checks out");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s) with the exercises", problems.len());
        Ok(exit::code(Fault::Failure))
    }
}

//! `pyo3-scaffold summary PATH…`: results files written by `check DIR --results FILE`, one per
//! learner, as a table of learners by exercises (see [`crate::workshop::summary`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::Result;
use crate::workshop::summary;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Results files written by `check DIR --results FILE`, or folders holding them
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: &SummaryArgs) -> Result<ExitCode> {
    let files = summary::files(&args.paths).map_err(|error| error.for_command("summary"))?;
    let rows = files
        .iter()
        .map(|file| summary::read(file))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|error| error.for_command("summary"))?;
    print!("{}", summary::table(&rows));
    Ok(ExitCode::SUCCESS)
}

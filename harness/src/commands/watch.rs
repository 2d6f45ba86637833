//! `pyo3-scaffold watch DIR`: the checklist again on every save, with the next exercise and
//! its hints at the top (see [`crate::workshop::watch`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::{Fault, Result};
use crate::commands::{GlobalArgs, Pythons, TimeoutArg};
use crate::exit;
use crate::workshop;
use crate::workshop::watch::{self, Ending, checker::Checker};

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The project folder (a project of one of the styles, usually the exercise version)
    pub dir: PathBuf,
    /// Build for this interpreter (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

/// Exits with 0 when the last checklist was complete, 1 when it was not, 130 on Ctrl-C.
pub fn run(global: &GlobalArgs, args: &WatchArgs) -> Result<ExitCode> {
    let (_, style) = workshop::project_and_style("watch", &args.dir)?;
    let pythons = Pythons::named(&Vec::from_iter(args.python.clone()));
    let (settings, pythons) = global.settings(&pythons, args.timeout.duration(), false)?;
    let checker = Checker::new(
        &args.dir,
        style,
        settings,
        pythons[0].clone(),
        global.template.as_deref(),
    )?;
    Ok(match watch::run(&checker, true)? {
        Ending::Quit { complete: true } => ExitCode::SUCCESS,
        Ending::Quit { complete: false } => exit::code(Fault::Failure),
        Ending::Interrupted => {
            eprintln!(
                "interrupted: the check under way stopped before it finished; your progress \
                 does not count it"
            );
            exit::code(Fault::Interrupted)
        }
    })
}

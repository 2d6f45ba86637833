//! `pyo3-scaffold styles`: the template's styles, one name a line, from the registry
//! ([`crate::template::style::REGISTRY`]); `just examples` loops over them.

use std::process::ExitCode;

use clap::Args;

use crate::template::style::Style;

#[derive(Debug, Args)]
pub struct StylesArgs {
    /// Follow each name with a tab and its one-line description
    #[arg(long)]
    pub about: bool,
}

pub fn run(args: &StylesArgs) -> ExitCode {
    print!("{}", listing(args.about));
    ExitCode::SUCCESS
}

fn listing(about: bool) -> String {
    Style::ALL
        .iter()
        .map(|style| match about {
            true => format!("{style}\t{}\n", style.about()),
            false => format!("{style}\n"),
        })
        .collect()
}

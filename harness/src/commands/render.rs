//! `pyo3-scaffold render STYLE DEST`: the template rendered into a new folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::base::error::{Error, Result};
use crate::commands::GlobalArgs;
use crate::template::render;
use crate::template::style::Style;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The project's style
    pub style: Style,
    /// The folder to create
    pub dest: PathBuf,
    /// Answer a template question, e.g. -d abi3=false (repeatable)
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE", value_parser = render::parse_define)]
    pub defines: Vec<(String, String)>,
    /// Replace DEST if it exists (only once the new render succeeded)
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: &RenderArgs) -> Result<ExitCode> {
    // DEST and the answers are the user's input: a problem with either is a usage error.
    let usage = |message: String| Error::Usage {
        command: "render",
        message,
    };
    let existing = match args.force {
        true => render::Existing::Replace,
        false => render::Existing::RefuseUnlessForced,
    };
    let name = render::destination(&args.dest, existing).map_err(usage)?;
    let template = global.template()?;
    let request = render::Request {
        style: args.style,
        name,
        defines: &args.defines,
    };
    match render::render_replacing(&template, &request, &args.dest) {
        Ok(()) => {}
        Err(Error::Refused { message }) => return Err(usage(message)),
        Err(error) => return Err(error),
    }
    eprintln!(
        "rendered a {} project named {name} into {}",
        args.style,
        args.dest.display()
    );
    Ok(ExitCode::SUCCESS)
}

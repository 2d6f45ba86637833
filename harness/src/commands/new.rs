//! `pyo3-scaffold new my-ext`: a new project in `./my-ext`, rendered from the template built into
//! the binary, so that starting a project needs neither cargo-generate nor a clone of this
//! repository. The same render as `render` (same answers, name checks and refusals), and the
//! same bytes as `cargo generate --name my-ext --vcs none` with the same answers.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::commands::GlobalArgs;
use crate::error::{Error, Result};
use crate::render::{self, Existing};
use crate::style::Style;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create; its name is the project name (e.g. my-ext)
    pub path: PathBuf,
    /// The project's style
    #[arg(long, value_name = "S", default_value = "greet")]
    pub style: Style,
    /// Answer a template question, e.g. -d abi3=false (repeatable)
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE", value_parser = render::parse_define)]
    pub defines: Vec<(String, String)>,
}

/// Renders the project, or says why not before anything is written.
pub fn run(global: &GlobalArgs, args: &NewArgs) -> Result<ExitCode> {
    let usage = |message: String| Error::Usage {
        command: "new",
        message,
    };
    let name = render::destination(&args.path, Existing::Refuse).map_err(usage)?;
    let template = global.template()?;
    let request = render::Request {
        style: args.style,
        name,
        defines: &args.defines,
    };
    match render::render(&template, &request, &args.path) {
        Ok(()) => {}
        Err(Error::Refused { message }) => return Err(usage(message)),
        Err(error) => return Err(error),
    }
    let shown = args.path.display();
    let cd = shell_escape::escape(args.path.to_string_lossy());
    eprintln!(
        "created a {} project named {name} in {shown}\nnext: cd {cd} && uv run pytest",
        args.style
    );
    Ok(ExitCode::SUCCESS)
}

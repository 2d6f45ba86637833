//! `pyo3-scaffold new my-ext`: a new project in `./my-ext`, rendered from the template built into
//! the binary, so that starting a project needs neither cargo-generate nor a clone of this
//! repository. The same render as `render` (same answers, name checks and refusals), and the
//! same bytes as `cargo generate --name my-ext --vcs none` with the same answers, plus two
//! things a project its owner can commit and publish as it is needs:
//!
//! - the author: answered from git's `user.name` and `user.email` (as cargo-generate would),
//!   unless `-d author=...` says otherwise ([`crate::template::filled`]); renders elsewhere get
//!   a fixed one;
//! - its lock files: `cargo generate-lockfile`, then `uv lock`, so that the project's first
//!   commit pins every Rust crate and Python tool. That needs the network; `--no-lock` skips it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::base::cmd::shell_word;
use crate::base::error::{Error, Result};
use crate::commands::GlobalArgs;
use crate::project::lockfiles;
use crate::template::answers::Questions;
use crate::template::filled;
use crate::template::render::{self, Existing};
use crate::template::style::Style;

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
    /// Write no Cargo.lock and uv.lock (which needs the network); make them later in the
    /// project with `cargo generate-lockfile && uv lock`
    #[arg(long)]
    pub no_lock: bool,
}

/// Renders the project and locks its dependencies, or says why not. Nothing is written when
/// an answer is refused; when locking fails, the new project is removed again.
pub fn run(global: &GlobalArgs, args: &NewArgs) -> Result<ExitCode> {
    let usage = |message: String| Error::Usage {
        command: "new",
        message,
    };
    let name = render::destination(&args.path, Existing::Refuse).map_err(usage)?;
    let template = global.template()?;
    let mut defines = args.defines.clone();
    // An empty author would credit this binary's fixed one: git is asked instead.
    let questions = Questions::read(&template.dir)?;
    filled::fill_open(filled::FILLERS, &questions.answerable(), &mut defines).map_err(usage)?;
    let request = render::Request {
        style: args.style,
        name,
        defines: &defines,
    };
    match render::render(&template, &request, &args.path) {
        Ok(()) => {}
        Err(Error::Refused { message }) => return Err(usage(message)),
        Err(error) => return Err(error),
    }
    if !args.no_lock {
        eprintln!(
            "locking the dependencies of {}: cargo generate-lockfile, then uv lock (this needs \
             the network; --no-lock skips it)",
            args.path.display()
        );
        if let Err(error) = lock(global, &args.path) {
            // Half a project is worse than none: the same `new` with --no-lock starts afresh.
            fs_err::remove_dir_all(&args.path)?;
            return Err(error);
        }
    }
    eprintln!(
        "created a {} project named {name} in {}\nnext: {}",
        args.style,
        args.path.display(),
        next_step(&args.path, &args.defines)
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo generate-lockfile`, then `uv lock`, in the new project at `dir`.
fn lock(global: &GlobalArgs, dir: &Path) -> Result<()> {
    let uv = global.uv()?;
    let hint = format!(
        "{} was removed again. Offline? Run the same `pyo3-scaffold new` with --no-lock, and \
         `cargo generate-lockfile && uv lock` in the project once online",
        dir.display()
    );
    lockfiles::make(dir, &uv, &hint)
}

/// What to run first in the new project: its tests, or for a workshop project, whose tests fail
/// until the exercises are done, the workshop's checklist.
fn next_step(path: &Path, defines: &[(String, String)]) -> String {
    let path = path.to_string_lossy();
    let quoted = shell_word(&path);
    let workshop = defines
        .iter()
        .any(|(key, value)| key == "workshop" && value == "true");
    if workshop {
        format!(
            "pyo3-scaffold watch {quoted}   (the next exercise and the checklist; `exercises {quoted}` lists them)"
        )
    } else {
        format!("cd {quoted} && just test   (or, without just: uv run pytest)")
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::next_step;

    #[test]
    fn a_project_starts_with_its_tests_and_a_workshop_with_its_checklist() {
        let defines = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect()
        };
        assert_eq!(
            next_step(Path::new("my ext"), &defines(&[("abi3", "false")])),
            "cd 'my ext' && just test   (or, without just: uv run pytest)"
        );
        assert_eq!(
            next_step(Path::new("my-ext"), &defines(&[("workshop", "false")])),
            "cd my-ext && just test   (or, without just: uv run pytest)"
        );
        assert_eq!(
            next_step(
                Path::new("workshop/my-ext"),
                &defines(&[("workshop", "true")])
            ),
            "pyo3-scaffold watch workshop/my-ext   (the next exercise and the checklist; \
             `exercises workshop/my-ext` lists them)"
        );
    }
}

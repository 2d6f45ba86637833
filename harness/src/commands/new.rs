//! `pyo3-scaffold new my-ext`: a new project in `./my-ext`, rendered from the template built into
//! the binary, so that starting a project needs neither cargo-generate nor a clone of this
//! repository. The same render as `render` (same answers, name checks and refusals), and the
//! same bytes as `cargo generate --name my-ext --vcs none` with the same answers, plus two
//! things a project its owner can commit and publish as it is needs:
//!
//! - the author: answered from git's `user.name` and `user.email` (as cargo-generate would),
//!   unless `-d author=...` says otherwise; renders elsewhere get a fixed one;
//! - its lock files: `cargo generate-lockfile`, then `uv lock`, so that the project's first
//!   commit pins every Rust crate and Python tool. That needs the network; `--no-lock` skips it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::base::cmd::Cmd;
use crate::base::error::{Error, Result};
use crate::base::fault::Fault;
use crate::commands::GlobalArgs;
use crate::python::interpreter::{DEFAULT_PYTHON, Python};
use crate::python::uv::Uv;
use crate::template::answers::Questions;
use crate::template::render::{self, Existing};
use crate::template::style::Style;

/// The template question `new` answers from git when the user does not.
const AUTHOR: &str = "author";

/// Locking resolves every dependency over the network: minutes on a slow link, never an hour.
const LOCK_LIMIT: Duration = Duration::from_secs(600);

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
    let asks_author = Questions::read(&template.dir)?
        .answerable()
        .contains(&AUTHOR);
    // An empty answer would credit this binary's fixed author: git is asked instead.
    let answered = |(key, value): &(String, String)| key == AUTHOR && !value.is_empty();
    if asks_author && !defines.iter().any(answered) {
        defines.retain(|(key, _)| key != AUTHOR);
        defines.push((AUTHOR.to_owned(), git_author()?));
    }
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

/// Who the project credits, found the way cargo-generate finds it for `cargo generate` (this
/// command's own renders get a fixed author, so that they do not depend on who runs them):
/// `GIT_AUTHOR_NAME` or `GIT_COMMITTER_NAME`, else git's `user.name`, else `USER`; with the
/// matching email when there is one.
fn git_author() -> Result<String> {
    let from_env = |names: &[&str]| {
        names
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .map(|value| value.trim().to_owned())
            .find(|value| !value.is_empty())
    };
    let name = from_env(&["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"])
        .or_else(|| git_config("user.name"))
        .or_else(|| from_env(&["USER", "USERNAME"]))
        .unwrap_or_default();
    let email =
        from_env(&["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"]).or_else(|| git_config("user.email"));
    let author = author(&name, email.as_deref());
    if author.is_empty() {
        return Err(Error::Usage {
            command: "new",
            message: "cannot tell who the author is: git has no user.name and USER is not set; \
                      set git's (`git config --global user.name \"Your Name\"`), or pass \
                      -d author=\"Your Name <you@example.com>\""
                .into(),
        });
    }
    Ok(author)
}

/// `git config --get KEY`, or `None` when git is missing or the key is not set.
fn git_config(key: &str) -> Option<String> {
    let output = Cmd::new("git")
        .args(["config", "--get", key])
        .timeout(Duration::from_secs(30))
        .output()
        .ok()?;
    let value = output.stdout.trim();
    (output.status.success() && !value.is_empty()).then(|| value.to_owned())
}

/// The `author` answer: `Name <email>`, or `Name`. Characters the template cannot write into a
/// TOML string or an author field (quotes, backslashes, angle brackets) are left out.
fn author(name: &str, email: Option<&str>) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| !matches!(c, '"' | '\\' | '<' | '>') && !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let name = clean(name);
    match email.map(clean) {
        Some(email) if email.contains('@') && !email.contains(char::is_whitespace) => {
            format!("{name} <{email}>")
        }
        _ => name,
    }
}

/// `cargo generate-lockfile`, then `uv lock`, in the new project at `dir`.
fn lock(global: &GlobalArgs, dir: &Path) -> Result<()> {
    // The interpreter is only needed to install uv, when there is none; `uv lock` finds one of
    // the project's range itself.
    let cache = global.cache()?;
    let python = Python::find(DEFAULT_PYTHON)?;
    let uv = Uv::find(&cache, &python, !global.no_bootstrap)?;
    let hint = format!(
        "{} was removed again. Offline? Run the same `pyo3-scaffold new` with --no-lock, and \
         `cargo generate-lockfile && uv lock` in the project once online",
        dir.display()
    );
    let steps = [
        Cmd::new("cargo").arg("generate-lockfile"),
        Cmd::new(&uv.path).arg("lock"),
    ];
    for step in steps {
        step.cwd(dir)
            .timeout(LOCK_LIMIT)
            .fault(Fault::Environment)
            .hint(hint.clone())
            .run()?;
    }
    Ok(())
}

/// What to run first in the new project: its tests, or for a workshop project, whose tests fail
/// until the exercises are done, the workshop's checklist.
fn next_step(path: &Path, defines: &[(String, String)]) -> String {
    let path = path.to_string_lossy();
    let quoted = shlex::try_quote(&path).unwrap_or(std::borrow::Cow::Borrowed(&path));
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

    use super::{author, next_step};

    #[test]
    fn the_author_answer_is_name_and_email_in_the_template_s_form() {
        assert_eq!(
            author("Ada Lovelace", Some("ada@example.org")),
            "Ada Lovelace <ada@example.org>"
        );
        assert_eq!(author(" Zoë O'Brien ", None), "Zoë O'Brien");
        // What a TOML string or an author field cannot hold is left out; an email that is not
        // one is left out whole.
        assert_eq!(
            author("Ada \"Countess\" <L>", Some("<ada@example.org>")),
            "Ada Countess L <ada@example.org>"
        );
        assert_eq!(author("Ada", Some("not an email")), "Ada");
        assert_eq!(author("Ada", Some("")), "Ada");
    }

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

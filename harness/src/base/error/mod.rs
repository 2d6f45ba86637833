//! The harness's one error type.
//!
//! Every variant carries the data a reader needs to act (a path, a command line, a case) and
//! [`Error::hint`] says what to do about it. [`Error::class`] decides the exit code: the project
//! under test misbehaved, or the harness itself could not do its job.

use std::path::PathBuf;

pub use crate::base::fault::Fault;
use crate::base::process_error::ProcessError;

mod update;
mod workshop;
pub use update::UpdateError;
pub use workshop::WorkshopError;

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the template was not found at {}", path.display())]
    TemplateNotFound { path: PathBuf },

    #[error("cargo-generate could not render {name} ({style}): {message}")]
    Render {
        style: String,
        name: String,
        message: String,
    },

    #[error("{} already exists", path.display())]
    DestinationExists { path: PathBuf },

    /// An argument the command cannot use, found after clap parsed it; printed the way clap
    /// prints its own usage errors.
    #[error("{message}")]
    Usage {
        command: &'static str,
        message: String,
    },

    /// An answer the template does not accept, refused before anything was written: by the
    /// harness against the template's declared questions, or by one of the template's hooks.
    #[error("{message}")]
    Refused { message: String },

    #[error("{} is unusable: {message}", path.display())]
    TemplateConfig { path: PathBuf, message: String },

    #[error("no Python interpreter found for `{requested}`: {detail}")]
    PythonNotFound { requested: String, detail: String },

    #[error(
        "`{requested}` is CPython {version}, outside the supported range ({})",
        crate::base::python_version::SUPPORTED.describe()
    )]
    PythonOutOfRange { requested: String, version: String },

    #[error("maturin built no wheel that CPython {python} can install (in {})", dir.display())]
    NoFittingWheel { dir: PathBuf, python: String },

    #[error("the reference is unreadable: {message}")]
    BadReference { message: String },

    #[error("uv was not found (looked at $UV, then PATH, then {})", cached.display())]
    UvNotFound { cached: PathBuf },

    #[error("{program} could not be started: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Process(Box<ProcessError>),

    #[error("interrupted")]
    Interrupted,

    #[error(transparent)]
    Io(#[from] std::io::Error),

    #[error("{} is not a maturin project: {reason}", dir.display())]
    NotAProject { dir: PathBuf, reason: String },

    #[error("the test dependencies of {} cannot be resolved: {message}", dir.display())]
    TestDependencies { dir: PathBuf, message: String },

    #[error("cannot tell the style of {}: it looks like neither {}", dir.display(), or_list(styles, "nor"))]
    UnknownStyle {
        dir: PathBuf,
        /// The styles it could have been (the registry's, [`crate::template::style::Style::names`]).
        styles: Vec<&'static str>,
    },

    #[error(
        "the probe printed no usable JSON: {message}{}",
        crate::base::process_error::tails(stdout_tail, stderr_tail)
    )]
    ProbeOutput {
        message: String,
        stdout_tail: String,
        stderr_tail: String,
    },

    #[error("pytest's JUnit report {} is unreadable: {message}", path.display())]
    Junit { path: PathBuf, message: String },

    #[error("no committed snapshot named `{name}`")]
    NoReference { name: String },

    #[error("{} is not a record written by `check --record`: {message}", path.display())]
    Record { path: PathBuf, message: String },

    #[error(transparent)]
    Workshop(#[from] WorkshopError),

    #[error(transparent)]
    Update(#[from] UpdateError),

    #[error("--against-git {rev}: {message}")]
    Baseline { rev: String, message: String },
}

impl Error {
    pub fn fault(&self) -> Fault {
        match self {
            Error::Interrupted => Fault::Interrupted,
            Error::Workshop(error) => error.fault(),
            Error::Update(error) => error.fault(),
            // A child that failed or timed out is the project's doing; ProcessError knows
            // which children are tooling (uv) and says so itself.
            Error::Process(process) => process.fault,
            Error::Render { .. }
            | Error::Refused { .. }
            | Error::ProbeOutput { .. }
            | Error::Junit { .. }
            | Error::NoFittingWheel { .. }
            | Error::BadReference { .. } => Fault::Failure,
            // The command line refuses a DIR that is not a project before any case runs; past
            // that point, a project that cannot be read (a rendered or copied one whose
            // pyproject.toml is missing or broken) is the project's failure.
            Error::NoReference { .. }
            | Error::NotAProject { .. }
            | Error::TestDependencies { .. } => Fault::Failure,
            Error::Usage { .. } | Error::DestinationExists { .. } => Fault::Usage,
            Error::TemplateNotFound { .. }
            | Error::TemplateConfig { .. }
            | Error::PythonNotFound { .. }
            | Error::PythonOutOfRange { .. }
            | Error::UvNotFound { .. }
            | Error::Spawn { .. }
            | Error::Io(_)
            | Error::UnknownStyle { .. }
            | Error::Record { .. }
            | Error::Baseline { .. } => Fault::Environment,
        }
    }

    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::TemplateNotFound { .. } => {
                "pass --template DIR (or set SCAFFOLD_TEMPLATE) to a folder holding cargo-generate.toml, or neither to use the template built into pyo3-scaffold".into()
            }
            Error::Render { .. } => {
                "the template refused the answers or failed to render; the message above is cargo-generate's".into()
            }
            Error::Refused { .. } | Error::Usage { .. } => return None,
            Error::Workshop(error) => return error.hint(),
            Error::Update(error) => return error.hint(),
            Error::TemplateConfig { .. } => {
                "fix the template's cargo-generate.toml, or pass --template DIR to another template".into()
            }
            Error::DestinationExists { .. } => {
                "choose a new folder, or pass --force to replace it".into()
            }
            Error::PythonNotFound { .. } => format!(
                "install {}, or pass --python /path/to/python",
                crate::base::python_version::SUPPORTED.describe()
            ),
            Error::PythonOutOfRange { .. } => {
                "pass --python with an interpreter in the range, or --all-pythons to use every one this machine has".into()
            }
            Error::BadReference { .. } => {
                "fix the version tag the message names: `  [python >=3.13]` at a line's end".into()
            }
            Error::NoFittingWheel { .. } => {
                "check the project's pyo3 features: an abi3 floor above this interpreter, or a build for another one".into()
            }
            Error::UvNotFound { .. } => {
                "install uv (`pip install uv`, or see https://docs.astral.sh/uv/), set UV=/path/to/uv, or drop --no-bootstrap so the harness installs it into its cache".into()
            }
            Error::Spawn { .. } => "check that the program is installed and on PATH".into(),
            Error::Process(process) => return process.hint.clone(),
            Error::Interrupted => return None,
            Error::Io(_) => return None,
            Error::NotAProject { .. } => {
                "a maturin project has a pyproject.toml with a [project] name and maturin as its build backend".into()
            }
            Error::TestDependencies { .. } => {
                "--with-group and --with-extra name groups of [dependency-groups] and extras of [project.optional-dependencies]; a group may include others, but not itself".into()
            }
            Error::UnknownStyle { styles, .. } => {
                format!(
                    "pass --style {}, or --style none to check the API only",
                    styles.join("|")
                )
            }
            Error::ProbeOutput { .. } => {
                "the probe's stderr above names the last scenario it started".into()
            }
            Error::Junit { .. } => "run the project's pytest by hand to see what it printed".into(),
            Error::NoReference { .. } => {
                "run `cargo insta test -p scaffold-harness` and review the new snapshot with `cargo insta review`".into()
            }
            Error::Record { .. } => {
                "write the file again with `pyo3-scaffold check DIR --record FILE`".into()
            }
            Error::Baseline { .. } => {
                "name a branch, tag or commit of DIR's repository (`git log --oneline` lists them), or compare with a record: --record FILE, then --against FILE".into()
            }
        })
    }
}

/// `a, b nor c`: `names` joined for a sentence with `conjunction` before the last.
pub fn or_list(names: &[&str], conjunction: &str) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => names.join(""),
    }
}

impl From<ProcessError> for Error {
    fn from(error: ProcessError) -> Self {
        Error::Process(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_style_names_every_style_it_could_have_been() {
        let error = Error::UnknownStyle {
            dir: "/p".into(),
            styles: vec!["a", "b", "c"],
        };
        assert_eq!(
            error.to_string(),
            "cannot tell the style of /p: it looks like neither a, b nor c"
        );
        assert_eq!(
            error.hint().unwrap(),
            "pass --style a|b|c, or --style none to check the API only"
        );
        assert_eq!(
            or_list(&["greet", "text-processor"], "or"),
            "greet or text-processor"
        );
        assert_eq!(or_list(&["greet"], "or"), "greet");
    }
}

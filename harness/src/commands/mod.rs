//! The commands, one module each: its arguments (clap derive) and its flow from arguments to
//! output and exit code. [`crate::cli`] only parses and dispatches.

pub mod check;
pub mod dev;
pub mod exercises;
pub mod matrix;
pub mod new;
pub mod render;
pub mod reset;
pub mod solution;
pub mod styles;
pub mod summary;
pub mod update;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::base::cache::{CACHE_ENV, Cache};
use crate::base::error::{Error, Result};
use crate::base::python_version::SUPPORTED;
use crate::pipeline::{CaseReport, Settings, Verdict};
use crate::python::interpreter::{DEFAULT_PYTHON, Python};
use crate::python::interpreters;
use crate::python::uv::Uv;
use crate::report;
use crate::template::render::{TEMPLATE_ENV, Template};

/// The options every command takes, wherever they stand on the command line.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The template folder, the one holding cargo-generate.toml (default: the one built in)
    #[arg(long, global = true, env = TEMPLATE_ENV, hide_env_values = true, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// The harness cache (venvs, the shared target folder, uv when bootstrapped)
    #[arg(long, global = true, env = CACHE_ENV, hide_env_values = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Fail when uv is missing, instead of installing it into the cache
    #[arg(long, global = true)]
    pub no_bootstrap: bool,
}

impl GlobalArgs {
    pub fn template(&self) -> Result<Template> {
        Template::locate(self.template.as_deref())
    }

    pub fn cache(&self) -> Result<Cache> {
        Cache::open(self.cache_dir.clone().unwrap_or_else(Cache::default_root))
    }

    /// uv, for a command that only locks with it: the interpreter is needed only to install
    /// uv when there is none (`uv lock` finds one of the project's range itself).
    pub fn uv(&self) -> Result<Uv> {
        let python = Python::find(DEFAULT_PYTHON)?;
        Uv::find(&self.cache()?, &python, !self.no_bootstrap)
    }

    /// The settings every case of a run shares, in the cache the options name, and the
    /// requested interpreters (see [`find_tools`]).
    pub fn settings(
        &self,
        pythons: &Pythons,
        timeout: Duration,
        keep: bool,
    ) -> Result<(Settings, Vec<Python>)> {
        let cache = self.cache()?;
        let (pythons, uv) = find_tools(&cache, pythons, !self.no_bootstrap)?;
        let settings = Settings {
            cache,
            uv,
            timeout,
            keep,
            builder: Settings::builder_of(&pythons),
        };
        Ok((settings, pythons))
    }
}

/// The interpreters a command runs for: the ones named, and with `all` every CPython of the
/// supported range this machine has.
#[derive(Debug, Clone, Default, Args)]
pub struct Pythons {
    /// Build for this interpreter (repeatable; default: python3). It must be in the supported
    /// range: CPython 3.11 to 3.15, or the free-threaded 3.14t and 3.15t
    #[arg(long = "python", value_name = "PATH")]
    pub named: Vec<String>,
    /// Also every CPython of the supported range this machine has, one per version (uv's
    /// list, PATH, pyenv); each is named on stderr
    #[arg(long = "all-pythons")]
    pub all: bool,
}

impl Pythons {
    /// Only the named interpreters (none: python3).
    pub fn named(named: &[String]) -> Pythons {
        Pythons {
            named: named.to_vec(),
            all: false,
        }
    }
}

/// Finds each requested interpreter (deduplicated; `python3` when none is given and not `all`,
/// so the list is never empty) and uv, installing uv into `cache` when `bootstrap` allows it.
/// With `all`, every CPython of the supported range the machine has comes after the named ones
/// (see [`crate::python::interpreters`]). An interpreter outside the range is refused.
pub fn find_tools(cache: &Cache, pythons: &Pythons, bootstrap: bool) -> Result<(Vec<Python>, Uv)> {
    let requested: Vec<String> = if pythons.named.is_empty() && !pythons.all {
        vec![DEFAULT_PYTHON.to_owned()]
    } else {
        pythons.named.clone()
    };
    let mut found: Vec<Python> = Vec::new();
    for name in &requested {
        let python = Python::find(name)?;
        python.require_supported()?;
        if !found.iter().any(|other| other.key == python.key) {
            found.push(python);
        }
    }
    // uv is needed to ask for its list; a bootstrap (when needed) runs with the first named
    // interpreter, or python3.
    let bootstrap_python = match found.first() {
        Some(python) => python.clone(),
        None => Python::find(DEFAULT_PYTHON)?,
    };
    let uv = Uv::find(cache, &bootstrap_python, bootstrap)?;
    if pythons.all {
        let discovered = interpreters::discover(&interpreters::Places::from_env(Some(&uv)));
        for (python, origin) in discovered.pythons {
            let same_version = |other: &Python| other.python_version() == python.python_version();
            if !found.iter().any(same_version) {
                eprintln!(
                    "interpreter: CPython {} at {} (found in {})",
                    python.version,
                    python.executable.display(),
                    origin.as_str()
                );
                found.push(python);
            }
        }
        for (path, version) in discovered.outside {
            eprintln!(
                "interpreter: CPython {version} at {} passed over: outside the supported range \
                 ({})",
                path.display(),
                SUPPORTED.describe()
            );
        }
        if found.is_empty() {
            return Err(Error::PythonNotFound {
                requested: "--all-pythons".into(),
                detail: format!(
                    "no CPython of the supported range ({}) on this machine",
                    SUPPORTED.describe()
                ),
            });
        }
    }
    Ok((found, uv))
}

#[derive(Debug, Clone, Args)]
pub struct TimeoutArg {
    /// Per-stage time limit; a stage past it has its whole process tree killed
    #[arg(long, value_name = "SECS", default_value_t = 900, value_parser = parse_timeout)]
    pub timeout: u64,
}

/// A time limit in whole seconds, at least one.
fn parse_timeout(text: &str) -> std::result::Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err(
            "a limit of 0 seconds would stop every stage at once: give 1 or more \
                      (the default is 900)"
                .to_owned(),
        ),
        Ok(seconds) => Ok(seconds),
        Err(_) => Err(format!("'{text}' is not a whole number of seconds")),
    }
}

impl TimeoutArg {
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.timeout)
    }
}

/// Prints the details of every failed case and the summary table, and writes the reports.
pub fn finish(reports: &[CaseReport], json: Option<&Path>, junit: Option<&Path>) -> Result<()> {
    for details in reports.iter().filter_map(report::case_details) {
        println!("{details}");
    }
    // A failed case's details already say where its work folder is.
    for passed in reports.iter().filter(|r| r.verdict() == Verdict::Passed) {
        if let Some(dir) = &passed.work_dir {
            println!("{}: work folder kept: {}", passed.case, dir.display());
        }
    }
    print!("{}", report::summary_table(reports));
    if let Some(path) = json {
        report::write(path, &report::json_lines(reports)?)?;
    }
    if let Some(path) = junit {
        report::write(path, &report::junit("scaffold-harness", reports)?)?;
    }
    Ok(())
}

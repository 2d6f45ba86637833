//! The commands, one module each: its arguments (clap derive) and its flow from arguments to
//! output and exit code. [`crate::cli`] only parses and dispatches.

pub mod bench;
pub mod check;
pub mod exercises;
pub mod matrix;
pub mod new;
pub mod render;
pub mod reset;
pub mod solution;
pub mod styles;
pub mod summary;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::cache::{CACHE_ENV, Cache};
use crate::error::Result;
use crate::pipeline::{CaseReport, Settings, Verdict};
use crate::render::{TEMPLATE_ENV, Template};
use crate::report;
use crate::tools::{DEFAULT_PYTHON, Python, Uv};

/// The options every command takes, wherever they stand on the command line.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The template folder, the one holding cargo-generate.toml (default: the one built in)
    #[arg(long, global = true, env = TEMPLATE_ENV, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// The harness cache (venvs, the shared target folder, uv when bootstrapped)
    #[arg(long, global = true, env = CACHE_ENV, value_name = "DIR")]
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

    /// The settings every case of a run shares, in the cache the options name, and the
    /// requested interpreters (see [`find_tools`]).
    pub fn settings(
        &self,
        pythons: &[String],
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
        };
        Ok((settings, pythons))
    }
}

/// Finds each requested interpreter (deduplicated; `python3` when none is given, so the list is
/// never empty) and uv, installing uv into `cache` when `bootstrap` allows it.
pub fn find_tools(cache: &Cache, pythons: &[String], bootstrap: bool) -> Result<(Vec<Python>, Uv)> {
    let requested: Vec<String> = if pythons.is_empty() {
        vec![DEFAULT_PYTHON.to_owned()]
    } else {
        pythons.to_vec()
    };
    let mut found: Vec<Python> = Vec::new();
    for name in &requested {
        let python = Python::find(name)?;
        if !found.iter().any(|other| other.key == python.key) {
            found.push(python);
        }
    }
    let uv = Uv::find(cache, &found[0], bootstrap)?;
    Ok((found, uv))
}

#[derive(Debug, Clone, Args)]
pub struct TimeoutArg {
    /// Per-stage time limit; a stage past it has its whole process group killed
    #[arg(long, value_name = "SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
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

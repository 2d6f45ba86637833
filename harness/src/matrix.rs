//! `scaffold-harness matrix`: every style × variant of the template through the pipeline,
//! compared with the committed snapshots.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::cache::Cache;
use crate::error::{Error, Result};
use crate::interpreters;
use crate::pipeline::{self, CaseReport, Job, Reference, Settings, Source};
use crate::progress::Progress;
use crate::python_version::SUPPORTED;
use crate::render::Template;
use crate::snapshot;
use crate::style::{self, Shard, Style};
use crate::tools::{Python, Uv};

/// What every command needs to know about where things are.
#[derive(Debug, Clone)]
pub struct Setup {
    pub cache: Cache,
    /// Install uv into the cache when it is missing.
    pub bootstrap: bool,
}

impl Setup {
    /// Finds each requested interpreter (deduplicated; `python3` when none is given and
    /// `all_pythons` is off, so the list is never empty) and uv. With `all_pythons`, every
    /// CPython of the supported range the machine has comes after the requested ones (see
    /// [`crate::interpreters`]). An interpreter outside the range is refused.
    pub fn tools(&self, pythons: &[String], all_pythons: bool) -> Result<(Vec<Python>, Uv)> {
        let requested: Vec<String> = if pythons.is_empty() && !all_pythons {
            vec![crate::tools::DEFAULT_PYTHON.to_owned()]
        } else {
            pythons.to_vec()
        };
        let mut found: Vec<Python> = Vec::new();
        for name in &requested {
            let python = Python::find(name)?;
            python.require_supported()?;
            if !found.iter().any(|other| other.key == python.key) {
                found.push(python);
            }
        }
        // uv is needed to ask for its list; the bootstrap (when needed) runs with the first
        // requested interpreter, or python3.
        let bootstrap_python = match found.first() {
            Some(python) => python.clone(),
            None => Python::find(crate::tools::DEFAULT_PYTHON)?,
        };
        let uv = Uv::find(&self.cache, &bootstrap_python, self.bootstrap)?;
        if all_pythons {
            let discovered = interpreters::discover(&interpreters::Places::from_env(Some(&uv)));
            for (python, origin) in discovered.pythons {
                let same_version =
                    |other: &Python| other.python_version() == python.python_version();
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
                    "interpreter: CPython {version} at {} passed over: outside the supported range ({})",
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
}

#[derive(Debug, Clone)]
pub struct Options {
    pub styles: Vec<Style>,
    pub jobs: usize,
    pub shard: Option<Shard>,
    pub keep: bool,
    pub timeout: Duration,
}

/// The jobs of the matrix (this shard's), each compared with its committed snapshot.
pub fn jobs(template: &Template, pythons: &[Python], options: &Options) -> Vec<Job> {
    let several = pythons.len() > 1;
    let jobs: Vec<Job> = style::matrix(&options.styles)
        .into_iter()
        .flat_map(|case| {
            pythons.iter().map(move |python| {
                let name = snapshot::name(&case);
                let reference = match snapshot::committed(&name) {
                    Ok(text) => Reference::Text {
                        text: text.to_owned(),
                        skip: Vec::new(),
                        labels: (format!("{name}.snap"), "this run".to_owned()),
                    },
                    Err(_) => Reference::Missing { name },
                };
                Job {
                    // With several interpreters, a case runs once for each; say which.
                    id: if several {
                        format!("{}@{}", case.id(), interpreter_label(python, pythons))
                    } else {
                        case.id()
                    },
                    source: Source::Template {
                        template: template.clone(),
                        case,
                    },
                    python: python.clone(),
                    probe_style: case.style.to_string(),
                    reference,
                }
            })
        })
        .collect();
    match options.shard {
        Some(shard) => shard.select(jobs),
        None => jobs,
    }
}

/// How a case's id names its interpreter: `3.12`, `3.14t`; the full key when two interpreters
/// of the run share a version.
fn interpreter_label(python: &Python, pythons: &[Python]) -> String {
    let version = python.python_version();
    let shared = pythons
        .iter()
        .filter(|other| other.python_version() == version)
        .count()
        > 1;
    match version {
        Some(version) if !shared => version.to_string(),
        _ => python.key.clone(),
    }
}

/// Runs `jobs` on up to `parallel` threads; reports come back in the jobs' order.
///
/// They run grouped by interpreter, in the order the interpreters first appear: builds for one
/// interpreter then follow each other in the shared target folder, and PyO3 is recompiled for
/// a version-specific build only when the interpreter changes, not at every case.
pub fn run_jobs(
    settings: &Settings,
    jobs: &[Job],
    parallel: usize,
    progress: &Progress,
) -> Vec<CaseReport> {
    let mut interpreters: Vec<&str> = Vec::new();
    for job in jobs {
        if !interpreters.contains(&job.python.key.as_str()) {
            interpreters.push(&job.python.key);
        }
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&index| {
        interpreters
            .iter()
            .position(|key| *key == jobs[index].python.key)
    });
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Option<CaseReport>>> = Mutex::new(vec![None; jobs.len()]);
    let workers = parallel.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&index) = order.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let job = &jobs[index];
                    let report = pipeline::run(settings, job, progress);
                    progress.finished(&report);
                    if let Ok(mut reports) = reports.lock() {
                        reports[index] = Some(report);
                    }
                }
            });
        }
    });
    reports
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

//! `pyo3-scaffold matrix`: every style × variant of the template through the pipeline,
//! compared with the committed snapshots.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::Args;

use crate::base::error::Result;
use crate::commands::{GlobalArgs, Pythons, TimeoutArg, finish};
use crate::exit;
use crate::pipeline::{self, CaseReport, Job, Reference, Settings, Source};
use crate::python::interpreter::Python;
use crate::report::live::Progress;
use crate::snapshot;
use crate::template::render::Template;
use crate::template::style::{self, Shard, Style};

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Only this style (repeatable; default: every style)
    #[arg(long = "style", value_name = "S")]
    pub styles: Vec<Style>,
    #[command(flatten)]
    pub pythons: Pythons,
    /// Cases run at the same time (default: the number of CPUs)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Run only the I-th of N shares of the cases, for a CI matrix of runners
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Keep the work folders and print where they are
    #[arg(long)]
    pub keep: bool,
    /// Write a JUnit XML report
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report, one line per case (shard reports merge by concatenation)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

pub fn run(global: &GlobalArgs, args: &MatrixArgs) -> Result<ExitCode> {
    let template = global.template()?;
    let (settings, pythons) = global.settings(&args.pythons, args.timeout.duration(), args.keep)?;
    let jobs = jobs(&template, &pythons, &args.styles, args.shard);
    if jobs.is_empty() {
        eprintln!("no cases in this selection");
    }
    let parallel = args.jobs.map_or_else(default_parallel, usize::from);
    let reports = run_jobs(&settings, &jobs, parallel, &Progress::new());
    finish(&reports, args.json.as_deref(), args.junit.as_deref())?;
    Ok(exit::for_reports(&reports))
}

/// As many cases at once as there are CPUs.
pub fn default_parallel() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// The jobs of the matrix of `styles` (every style when empty), this shard's only, each
/// compared with its committed snapshot.
pub fn jobs(
    template: &Template,
    pythons: &[Python],
    styles: &[Style],
    shard: Option<Shard>,
) -> Vec<Job> {
    let several = pythons.len() > 1;
    let jobs: Vec<Job> = style::matrix(styles)
        .into_iter()
        .flat_map(|case| {
            pythons.iter().map(move |python| {
                let name = snapshot::name(&case);
                let reference = match snapshot::committed(&name) {
                    Ok(text) => Reference::Text {
                        text: text.to_owned(),
                        skip: Vec::new(),
                        labels: (format!("{name}.snap"), "this run".to_owned()),
                        // A snapshot is the exact behaviour: any difference is a regression.
                        strict: true,
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
                    scenarios: None,
                    reference,
                }
            })
        })
        .collect();
    match shard {
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

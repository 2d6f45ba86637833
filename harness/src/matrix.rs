//! `pyo3-scaffold matrix`: every style × variant of the template through the pipeline,
//! compared with the committed snapshots.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::cache::Cache;
use crate::error::Result;
use crate::pipeline::{self, CaseReport, Job, Reference, Settings, Source};
use crate::progress::Progress;
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
    /// Finds each requested interpreter (deduplicated; `python3` when none is given, so the
    /// list is never empty) and uv.
    pub fn tools(&self, pythons: &[String]) -> Result<(Vec<Python>, Uv)> {
        let requested: Vec<String> = if pythons.is_empty() {
            vec![crate::tools::DEFAULT_PYTHON.to_owned()]
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
        let uv = Uv::find(&self.cache, &found[0], self.bootstrap)?;
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
                        format!("{}@{}", case.id(), python.key)
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

/// Runs `jobs` on up to `parallel` threads; reports come back in the jobs' order.
pub fn run_jobs(
    settings: &Settings,
    jobs: &[Job],
    parallel: usize,
    progress: &Progress,
) -> Vec<CaseReport> {
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Option<CaseReport>>> = Mutex::new(vec![None; jobs.len()]);
    let workers = parallel.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(index) else { break };
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

//! `scaffold-harness bench`: the harness's speed, measured side by side with the usual way of
//! building these projects and with a bare cargo build, in one invocation, printed as JSON.
//!
//! Everything runs in a fresh cache of its own (a temp folder), so the user's cache is neither
//! used (which would make "cold" warm) nor changed. Only package downloads stay cached (uv's and
//! pip's own caches), for the naive way and the harness alike.
//!
//! - `naive_s`: per case, one after another, as the articles do it: `python -m venv`,
//!   `pip install -U pip maturin pytest`, `maturin develop` (its own `target/` per project), `pytest`.
//! - `harness_cold_s`: the matrix with an empty cache: no venv, an empty target folder.
//! - `harness_warm_s`: the same matrix again, nothing changed.
//! - `floor_s`: what cannot be avoided: a bare `cargo build` of the same projects sharing one
//!   target folder (with the harness's build settings), plus their pytest runs.
//! - `extra_project_s`: `check` of one more freshly rendered project after the matrix;
//!   `extra_project_cargo_s` is how long cargo took to compile that project's own crates
//!   within it, the figure its target is measured against.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cache::Cache;
use crate::check;
use crate::cli::BenchArgs;
use crate::cmd::Cmd;
use crate::error::{Class, Result};
use crate::matrix::{self, Setup};
use crate::pipeline::{self, CaseReport, Job, Settings, Source, Verdict};
use crate::progress::Progress;
use crate::render::{self, Template};
use crate::style::{self, Style};
use crate::tools::{Python, path_with};
use crate::venv;

/// The targets of issue 3, for the verdicts printed with the figures.
const COLD_VS_NAIVE: f64 = 0.4;
const COLD_VS_FLOOR: f64 = 1.15;
const WARM_LIMIT_S: f64 = 3.0;
const EXTRA_OVER_CARGO_S: f64 = 1.0;

#[derive(Debug, Serialize)]
pub struct Figures {
    pub cases: Vec<String>,
    pub python: String,
    pub naive_s: f64,
    pub harness_cold_s: f64,
    pub harness_warm_s: f64,
    pub floor_s: f64,
    pub extra_project_s: f64,
    pub extra_project_cargo_s: Option<f64>,
    /// Every case of both harness runs passed (else the figures time a broken matrix).
    pub harness_passed: bool,
    pub targets: Vec<Target>,
}

#[derive(Debug, Serialize)]
pub struct Target {
    pub name: &'static str,
    pub value: f64,
    pub limit: f64,
    pub met: bool,
}

fn secs(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 100.0).round() / 100.0
}

pub fn run(setup: &Setup, template: &Template, args: &BenchArgs) -> Result<ExitCode> {
    let pythons: Vec<String> = args.python.iter().cloned().collect();
    let (pythons, uv) = setup.tools(&pythons, false)?;
    let python = pythons[0].clone();
    let timeout = args.timeout.duration();
    let scratch = tempfile::Builder::new()
        .prefix("scaffold-harness-bench-")
        .tempdir()?;
    let settings = Settings {
        cache: Cache::open(scratch.path().join("cache"))?,
        uv,
        timeout,
        keep: false,
        builder: None,
    };
    let options = matrix::Options {
        styles: Vec::new(),
        jobs: std::thread::available_parallelism().map_or(2, usize::from),
        shard: None,
        keep: false,
        timeout,
    };
    let jobs = matrix::jobs(template, std::slice::from_ref(&python), &options);
    let cases: Vec<String> = jobs.iter().map(|job| job.id.clone()).collect();
    let progress = Progress::new();

    progress.println("bench: naive (venv + pip + maturin develop + pytest, one after another)");
    let naive = naive(template, &python, &scratch.path().join("naive"), timeout)?;

    progress.println("bench: harness, cold");
    let started = Instant::now();
    let cold = matrix::run_jobs(&settings, &jobs, options.jobs, &progress);
    let harness_cold = started.elapsed();

    progress.println("bench: harness, warm");
    let started = Instant::now();
    let warm = matrix::run_jobs(&settings, &jobs, options.jobs, &progress);
    let harness_warm = started.elapsed();

    progress.println("bench: floor (cargo build in one target folder + pytest)");
    let floor = floor(
        &settings,
        &python,
        &jobs,
        &scratch.path().join("floor-target"),
    )?;

    progress.println("bench: one more project");
    let (extra, extra_report) = extra_project(&settings, template, &python, scratch.path())?;

    let harness_passed = cold
        .iter()
        .chain(&warm)
        .chain(std::iter::once(&extra_report))
        .all(|report| report.verdict() == Verdict::Passed);
    let extra_cargo = extra_report.cargo_build.map(secs);
    let mut targets = vec![
        target(
            "harness_cold_s / naive_s",
            secs(harness_cold) / secs(naive),
            COLD_VS_NAIVE,
        ),
        target(
            "harness_cold_s / floor_s",
            secs(harness_cold) / secs(floor),
            COLD_VS_FLOOR,
        ),
        target("harness_warm_s", secs(harness_warm), WARM_LIMIT_S),
    ];
    if let Some(cargo) = extra_cargo {
        targets.push(target(
            "extra_project_s",
            secs(extra),
            cargo + EXTRA_OVER_CARGO_S,
        ));
    }
    let figures = Figures {
        cases,
        python: python.key.clone(),
        naive_s: secs(naive),
        harness_cold_s: secs(harness_cold),
        harness_warm_s: secs(harness_warm),
        floor_s: secs(floor),
        extra_project_s: secs(extra),
        extra_project_cargo_s: extra_cargo,
        harness_passed,
        targets,
    };
    let json = serde_json::to_string_pretty(&figures).map_err(std::io::Error::other)?;
    println!("{json}");
    if let Some(path) = &args.json {
        crate::report::write(path, &(json + "\n"))?;
    }
    Ok(if harness_passed {
        ExitCode::SUCCESS
    } else {
        crate::cli::exit_code(Class::Failure)
    })
}

fn target(name: &'static str, value: f64, limit: f64) -> Target {
    let value = (value * 1000.0).round() / 1000.0;
    Target {
        name,
        value,
        limit: (limit * 1000.0).round() / 1000.0,
        met: value <= limit,
    }
}

/// The matrix's projects, rendered afresh into `dir`, one folder each.
fn render_cases(template: &Template, dir: &Path) -> Result<Vec<PathBuf>> {
    style::matrix(&[])
        .into_iter()
        .map(|case| {
            let defines = case.defines();
            let dest = dir.join(case.project_name());
            let request = render::Request {
                style: case.style,
                name: &case.project_name(),
                defines: &defines,
            };
            render::render(template, &request, &dest)?;
            Ok(dest)
        })
        .collect()
}

/// The usual way, one project after another, each with its own venv and target folder.
fn naive(template: &Template, python: &Python, dir: &Path, timeout: Duration) -> Result<Duration> {
    let projects = render_cases(template, dir)?;
    let started = Instant::now();
    for project in &projects {
        let venv = project.join(".venv");
        let bin = venv::bin(&venv);
        Cmd::new(&python.executable)
            .args(["-m", "venv"])
            .arg(&venv)
            .timeout(timeout)
            .class(Class::Environment)
            .run()?;
        Cmd::new(bin.join("pip"))
            // A current pip: `maturin develop` installs the project's dependency groups with
            // `pip install --group`, which the pip bundled with Python 3.11 does not know.
            .args([
                "install",
                "--quiet",
                "--upgrade",
                "pip",
                "maturin>=1.9.4,<2",
                "pytest>=8",
            ])
            .timeout(timeout)
            .class(Class::Environment)
            .run()?;
        Cmd::new(bin.join("maturin"))
            .arg("develop")
            .cwd(project)
            .env("VIRTUAL_ENV", &venv)
            .env("PATH", path_with(&[&bin]))
            .timeout(timeout)
            .run()?;
        Cmd::new(bin.join("python"))
            .args(["-m", "pytest", "-q"])
            .cwd(project)
            .env("VIRTUAL_ENV", &venv)
            .timeout(timeout)
            .run()?;
    }
    Ok(started.elapsed())
}

/// A bare `cargo build` of each case's project (the copies the harness built) in one fresh
/// target folder, with the harness's build settings, plus each project's pytest run.
fn floor(settings: &Settings, python: &Python, jobs: &[Job], target: &Path) -> Result<Duration> {
    let mut total = Duration::ZERO;
    for job in jobs {
        let Source::Template { case, .. } = &job.source else {
            continue;
        };
        let case_dir = settings.cache.case_dir(python, &case.id());
        let (project, venv) = (case_dir.project(), case_dir.venv());
        let build = Cmd::new("cargo")
            .args(["build", "--quiet"])
            .cwd(&project)
            .env("CARGO_TARGET_DIR", target)
            .env("PYO3_PYTHON", venv::python(&venv))
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .timeout(settings.timeout)
            .run()?;
        let tests = Cmd::new(venv::python(&venv))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .cwd(&project)
            .env("VIRTUAL_ENV", &venv)
            .timeout(settings.timeout)
            .run()?;
        total += build.elapsed + tests.elapsed;
    }
    Ok(total)
}

/// `check` of a project rendered just now, after the matrix warmed the shared target folder.
fn extra_project(
    settings: &Settings,
    template: &Template,
    python: &Python,
    scratch: &Path,
) -> Result<(Duration, CaseReport)> {
    let dir = scratch.join("extra").join("bench-extra");
    let request = render::Request {
        style: Style::Greet,
        name: "bench-extra",
        defines: &[],
    };
    render::render(template, &request, &dir)?;
    let job = check::job(&dir, None, &check::Mode::Reference, python.clone())?;
    let started = Instant::now();
    let report = pipeline::run(settings, &job, &pipeline::Quiet);
    Ok((started.elapsed(), report))
}

//! `just bench` (`cargo run -p xtask -- bench`): the harness's speed, measured side by side with the usual way of
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
//! - `multi_python_cold_s`: the matrix with an empty cache of its own over every CPython of the
//!   supported range the machine has (`multi_pythons`, as `matrix --all-pythons` finds them):
//!   an abi3 case compiles once and installs into each interpreter's venv, a version-specific
//!   one builds per interpreter.
//! - `extra_project_s`: `check` of one more freshly rendered project after the matrix;
//!   `extra_project_cargo_s` is how long cargo took to compile that project's own crates
//!   within it, the figure its target is measured against.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use scaffold_harness::base::cache::Cache;
use scaffold_harness::base::cmd::Cmd;
use scaffold_harness::base::cmd::path_with;
use scaffold_harness::base::error::{Fault, Result};
use scaffold_harness::commands::matrix::{self, default_parallel};
use scaffold_harness::commands::{GlobalArgs, Pythons, TimeoutArg, find_tools};
use scaffold_harness::exit;
use scaffold_harness::pipeline::job::{self, Mode};
use scaffold_harness::pipeline::{self, CaseReport, Job, Settings, Source, Verdict};
use scaffold_harness::project::Project;
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::report::{self, live::Progress};
use scaffold_harness::stages::venv;
use scaffold_harness::template::render::{self, Template};
use scaffold_harness::template::style::{self, Style};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Write the figures to FILE as well as to stdout
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Interpreter to build for (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

/// The speed the harness is held to, each printed with its figure and a verdict: a cold matrix
/// in at most 40% of the naive way's time and within 15% of the floor, a warm one under 3 s,
/// and one more project costing at most a second over its own `cargo build`.
const COLD_VS_NAIVE: f64 = 0.4;
const COLD_VS_FLOOR: f64 = 1.15;
const WARM_LIMIT_S: f64 = 3.0;
const EXTRA_OVER_CARGO_S: f64 = 1.0;
/// Every interpreter of the range (3 on the machine the targets were set on) against one.
const MULTI_VS_COLD: f64 = 1.8;

#[derive(Debug, Serialize)]
pub struct Figures {
    pub cases: Vec<String>,
    pub python: String,
    pub naive_s: f64,
    pub harness_cold_s: f64,
    pub harness_warm_s: f64,
    pub floor_s: f64,
    /// The interpreters of the multi-interpreter run: `3.12 /path/to/python3.12`.
    pub multi_pythons: Vec<String>,
    pub multi_python_cold_s: f64,
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

pub fn run(global: &GlobalArgs, args: &BenchArgs) -> Result<ExitCode> {
    let template = &global.template()?;
    let pythons = Pythons::named(&args.python.iter().cloned().collect::<Vec<_>>());
    // uv comes from (or is installed into) the user's cache; the runs use a scratch cache.
    let (pythons, uv) = find_tools(&global.cache()?, &pythons, !global.no_bootstrap)?;
    let all = Pythons {
        named: Vec::new(),
        all: true,
    };
    let (all_pythons, _) = find_tools(&global.cache()?, &all, !global.no_bootstrap)?;
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
    let parallel = default_parallel();
    let jobs = matrix::jobs(template, std::slice::from_ref(&python), &[], None);
    let cases: Vec<String> = jobs.iter().map(|job| job.id.clone()).collect();
    let progress = Progress::new();

    progress.println("bench: naive (venv + pip + maturin develop + pytest, one after another)");
    let naive = naive(template, &python, &scratch.path().join("naive"), timeout)?;

    progress.println("bench: harness, cold");
    let started = Instant::now();
    let cold = matrix::run_jobs(&settings, &jobs, parallel, &progress);
    let harness_cold = started.elapsed();

    progress.println("bench: harness, warm");
    let started = Instant::now();
    let warm = matrix::run_jobs(&settings, &jobs, parallel, &progress);
    let harness_warm = started.elapsed();

    progress.println("bench: harness, cold, every interpreter of the range");
    let multi_settings = Settings {
        cache: Cache::open(scratch.path().join("cache-all-pythons"))?,
        builder: Settings::builder_of(&all_pythons),
        ..settings.clone()
    };
    let multi_jobs = matrix::jobs(template, &all_pythons, &[], None);
    let started = Instant::now();
    let multi = matrix::run_jobs(&multi_settings, &multi_jobs, parallel, &progress);
    let multi_cold = started.elapsed();

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
        .chain(&multi)
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
        target(
            "multi_python_cold_s / harness_cold_s",
            secs(multi_cold) / secs(harness_cold),
            MULTI_VS_COLD,
        ),
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
        multi_pythons: all_pythons
            .iter()
            .map(|python| format!("{} {}", python.version, python.executable.display()))
            .collect(),
        multi_python_cold_s: secs(multi_cold),
        extra_project_s: secs(extra),
        extra_project_cargo_s: extra_cargo,
        harness_passed,
        targets,
    };
    let json = serde_json::to_string_pretty(&figures).map_err(std::io::Error::other)?;
    println!("{json}");
    if let Some(path) = &args.json {
        report::write(path, &(json + "\n"))?;
    }
    Ok(if harness_passed {
        ExitCode::SUCCESS
    } else {
        exit::code(Fault::Failure)
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
        let maturin = Project::read(project)?.maturin_requirement().to_owned();
        let venv = project.join(".venv");
        let bin = venv::bin(&venv);
        Cmd::new(&python.executable)
            .args(["-m", "venv"])
            .arg(&venv)
            .timeout(timeout)
            .fault(Fault::Environment)
            .run()?;
        Cmd::new(bin.join("pip"))
            // A current pip: `maturin develop` installs the project's dependency groups with
            // `pip install --group`, which the pip bundled with Python 3.11 does not know.
            .args([
                "install",
                "--quiet",
                "--upgrade",
                "pip",
                &maturin,
                "pytest>=8",
            ])
            .timeout(timeout)
            .fault(Fault::Environment)
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
        let case_dir = settings.cache.case_dir(&python.key, &case.id());
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
        style: Style::ALL[0],
        name: "bench-extra",
        defines: &[],
    };
    render::render(template, &request, &dir)?;
    let job = job::for_folder(
        &dir,
        None,
        &Mode::Reference,
        python.clone(),
        false,
        &Default::default(),
    )?;
    let started = Instant::now();
    let report = pipeline::run(settings, &job, &pipeline::Quiet);
    Ok((started.elapsed(), report))
}

//! One case through every stage: render (or copy) → venv → build → pytest → probe → compare.
//!
//! What can be skipped is decided by fingerprints kept in the case's cache folder (see
//! [`crate::base::cache`]): the venv is rebuilt only when the interpreter or `pyproject.toml` changed,
//! the extension only when a source changed. pytest and the probe always run: they are what is
//! being tested.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::cache::{Cache, CaseDir, lock};
use crate::base::error::{Error, Result};
use crate::base::interrupt;
use crate::project::Project;
use crate::project::dependencies::Choice;
use crate::python::interpreter::Python;
use crate::python::uv::Uv;
use crate::stages::build;
use crate::stages::build::log;
use crate::stages::probe;
use crate::stages::pytest;
use crate::stages::venv;
use crate::template::render::Template;
use crate::template::style::{Case, Style};

pub mod job;
mod outcome;
mod source;
mod written;
pub use outcome::{
    CaseError, CaseReport, Stage, StageRecord, StageStatus, Verdict, named_after_package,
};
use source::{cache_key, refresh_project};
pub use written::{ANY_PACKAGE, PLATFORM_PLACEHOLDER};

/// Where a case's project comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A fresh render of the template.
    Template { template: Template, case: Case },
    /// A copy of an existing project folder (`check`), with the dependency groups and extras
    /// its tests get beyond those found by name.
    Folder { dir: PathBuf, with: Choice },
}

/// What the case's behaviour is compared with.
#[derive(Debug, Clone)]
pub enum Reference {
    /// Nothing: the behaviour is only recorded.
    None,
    /// A committed snapshot that does not exist (yet): the compare stage fails, naming it.
    Missing { name: String },
    Text {
        text: String,
        /// Sections left out of the comparison.
        skip: Vec<&'static str>,
        /// How the two sides are named in the diffs.
        labels: (String, String),
        /// Every difference fails the case, compatible ones included (the matrix's snapshots,
        /// `check --strict`); otherwise only breaking ones do.
        strict: bool,
    },
}

/// Shared by every case of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cache: Cache,
    pub uv: Uv,
    pub timeout: Duration,
    pub keep: bool,
    /// The interpreter that makes every case's first build (see [`crate::stages::build`]): the run's
    /// first interpreter with a GIL, so an abi3 wheel is compiled once for all of them.
    pub builder: Option<Python>,
}

impl Settings {
    /// The run's builder among `pythons`: the first one with a GIL.
    pub fn builder_of(pythons: &[Python]) -> Option<Python> {
        pythons.iter().find(|python| !python.free_threaded).cloned()
    }
}

/// One case to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub source: Source,
    pub python: Python,
    /// The probe's `--style`: a style, or `none` for the API only.
    pub probe_style: String,
    /// The project's own scenarios file, run after the style's scenarios (see
    /// `probe/scenario_file.py`).
    pub scenarios: Option<PathBuf>,
    pub reference: Reference,
}

/// Told about progress; the command line shows it with indicatif.
pub trait Observer: Sync {
    fn stage_started(&self, job: &Job, stage: Stage);

    /// Runs `body`, which may touch the terminal itself (cargo-generate keeps a progress
    /// display of its own), with the observer's display put aside.
    fn aside(&self, body: &mut dyn FnMut()) {
        body();
    }
}

/// Observes nothing.
#[derive(Debug)]
pub struct Quiet;

impl Observer for Quiet {
    fn stage_started(&self, _job: &Job, _stage: Stage) {}
}

/// Runs one job; failures are recorded in the report, never returned.
pub fn run(settings: &Settings, job: &Job, observer: &dyn Observer) -> CaseReport {
    let start = Instant::now();
    let (style, variant) = match &job.source {
        Source::Template { case, .. } => (
            Some(case.style.to_string()),
            Some(case.variant.name.to_owned()),
        ),
        Source::Folder { .. } => (
            Style::parse(&job.probe_style).map(|style| style.to_string()),
            None,
        ),
    };
    let mut report = CaseReport {
        case: job.id.clone(),
        style,
        variant,
        python: job.python.key.clone(),
        stages: Vec::new(),
        tests: None,
        snapshot: None,
        behaviour: None,
        differences: Vec::new(),
        error: None,
        cargo_build: None,
        work_dir: None,
        elapsed: Duration::ZERO,
        no_tests_ok: false,
        package: None,
    };
    let work = tempfile::Builder::new()
        .prefix(&format!("scaffold-harness-{}-", job.id))
        .tempdir();
    match work {
        Ok(work) => {
            let mut runner = Runner {
                settings,
                job,
                observer,
                work: work.path(),
                report: &mut report,
            };
            if let Err((stage, error)) = runner.run_stages() {
                report.error = Some(case_error(stage, &error));
            }
            // Kept on failure too: that is when a work folder is worth reading.
            if settings.keep {
                report.work_dir = Some(work.keep());
            }
        }
        Err(error) => report.error = Some(case_error(Stage::Render, &error.into())),
    }
    report.elapsed = start.elapsed();
    report
}

/// Runs `body` and says how long it took.
fn timed<T>(body: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = body();
    (value, start.elapsed())
}

fn case_error(stage: Stage, error: &Error) -> CaseError {
    CaseError {
        stage,
        fault: error.fault(),
        message: error.to_string(),
        hint: error.hint(),
        process: match error {
            Error::Process(process) => Some((**process).clone()),
            _ => None,
        },
    }
}

struct Runner<'a> {
    settings: &'a Settings,
    job: &'a Job,
    observer: &'a dyn Observer,
    /// The run's work folder: the probe's files and scenario folders, pytest's report.
    work: &'a Path,
    report: &'a mut CaseReport,
}

type StageResult<T> = std::result::Result<T, (Stage, Error)>;

impl Runner<'_> {
    /// Runs `body` as `stage`, timing it; `Ok(true)` from the body means it was skipped.
    fn stage<T>(
        &mut self,
        stage: Stage,
        body: impl FnOnce(&mut Self) -> Result<(T, bool)>,
    ) -> StageResult<T> {
        interrupt::check().map_err(|error| (stage, error))?;
        self.observer.stage_started(self.job, stage);
        let start = Instant::now();
        let result = body(self);
        let status = match &result {
            Ok((_, true)) => StageStatus::Cached,
            Ok((_, false)) => StageStatus::Ok,
            Err(_) => StageStatus::Failed,
        };
        self.report.stages.push(StageRecord {
            stage,
            status,
            elapsed: start.elapsed(),
        });
        result
            .map(|(value, _)| value)
            .map_err(|error| (stage, error))
    }

    /// Records a stage that ran elsewhere (on another thread) and took `elapsed`.
    fn record<T>(
        &mut self,
        stage: Stage,
        (result, elapsed): (Result<T>, Duration),
    ) -> StageResult<T> {
        self.report.stages.push(StageRecord {
            stage,
            status: if result.is_ok() {
                StageStatus::Ok
            } else {
                StageStatus::Failed
            },
            elapsed,
        });
        result.map_err(|error| (stage, error))
    }

    fn run_stages(&mut self) -> StageResult<()> {
        let settings = self.settings;
        let job = self.job;
        let case_dir = settings.cache.case_dir(&job.python.key, &cache_key(job));
        let first_stage = match job.source {
            Source::Template { .. } => Stage::Render,
            Source::Folder { .. } => Stage::Copy,
        };
        let at = |stage: Stage| move |error: Error| (stage, error);
        let work = self.work;
        // Two runs sharing the cache take turns on a case; cases of one run never share one.
        let _case_lock = lock(&case_dir.lock_file()).map_err(at(first_stage))?;
        let mut state = case_dir.load_state();

        let observer = self.observer;
        let project_dir = case_dir.project();
        let venv_dir = case_dir.venv();
        let (sources, project) = self.stage(first_stage, |_| {
            let mut refreshed = None;
            observer.aside(&mut || {
                refreshed = Some(refresh_project(job, &case_dir, &mut state));
            });
            // `aside` always runs its body; nothing else leaves `refreshed` empty.
            let (sources, cached) = refreshed.unwrap_or(Err(Error::Interrupted))?;
            // Reading the project ends putting it in place: a render or copy without a usable
            // pyproject.toml fails here.
            let project = Project::read(&project_dir)?;
            Ok(((sources, project), cached))
        })?;
        self.report.package = Some(project.package.clone());
        // The children's temporary folder: what the build scripts, the tests and the probe
        // leave in it goes with the work folder.
        let tmp_dir = work.join("tmp");
        fs_err::create_dir_all(&tmp_dir).map_err(|error| (Stage::Venv, error.into()))?;

        self.stage(Stage::Venv, |_| {
            let choice = match &job.source {
                Source::Folder { with, .. } => with.clone(),
                Source::Template { .. } => Choice::default(),
            };
            let dependencies =
                project
                    .test_dependencies(&choice)
                    .map_err(|message| Error::TestDependencies {
                        dir: project.root.clone(),
                        message,
                    })?;
            let requirements =
                venv::requirements(&settings.uv, &project, &dependencies, settings.timeout)?;
            let fingerprint = venv::fingerprint(&job.python, &project, &requirements)?;
            if state.venv.as_deref() == Some(fingerprint.as_str()) && venv::is_usable(&venv_dir) {
                return Ok(((), true));
            }
            // Whatever was installed belongs to the old venv.
            state.developed = None;
            state.venv = None;
            case_dir.save_state(&state)?;
            venv::create_layered(
                &settings.uv,
                &job.python,
                &project,
                &requirements,
                &venv_dir,
                &settings.cache.shared_venvs(&job.python.key),
                settings.timeout,
            )?;
            state.venv = Some(fingerprint);
            case_dir.save_state(&state)?;
            Ok(((), false))
        })?;

        let package_at_root = project.package_at_root();
        let cargo_build = self.stage(Stage::Develop, |_| {
            if state.developed.as_deref() == Some(sources.as_str()) {
                // The installed build is current; the package folder gets it again all the
                // same, whatever left it without (a run of an older harness, a test).
                if let Some(package_dir) = &package_at_root {
                    build::place_in_source(&venv_dir, package_dir)?;
                }
                return Ok((None, true));
            }
            state.developed = None;
            case_dir.save_state(&state)?;
            let key = cache_key(job);
            let built = build::build_and_install(&build::Shared {
                uv: &settings.uv,
                cache: &settings.cache,
                case_key: &key,
                sources: &sources,
                project_root: &project.root,
                package_at_root: package_at_root.as_deref(),
                venv: &venv_dir,
                python: &job.python,
                builder: settings.builder.as_ref(),
                tmp_dir: &tmp_dir,
                timeout: settings.timeout,
            })?;
            state.developed = Some(sources.clone());
            case_dir.save_state(&state)?;
            let cargo = built.and_then(|output| log::cargo_seconds(&output.stderr));
            Ok((cargo, false))
        })?;
        self.report.cargo_build = cargo_build.map(Duration::from_secs_f64);

        // pytest and the probe only read the built project, so they run side by side: a case
        // then takes as long as the slower of the two, not their sum.
        interrupt::check().map_err(at(Stage::Pytest))?;
        self.observer.stage_started(job, Stage::Pytest);
        let junit = work.join("pytest-junit.xml");
        let request = probe::Request {
            venv: &venv_dir,
            package: &project.package,
            style: &job.probe_style,
            scenarios: job.scenarios.as_deref(),
            work_dir: work,
            timeout: settings.timeout,
        };
        let (tests, probed) = std::thread::scope(|scope| {
            let probed = scope.spawn(|| timed(|| probe::run(&request)));
            let tests = timed(|| {
                pytest::run(&pytest::Request {
                    project: &project_dir,
                    venv: &venv_dir,
                    junit: &junit,
                    tmp_dir: &tmp_dir,
                    timeout: settings.timeout,
                })
            });
            let probed = probed.join().unwrap_or_else(|_| {
                (
                    Err(Error::Io(std::io::Error::other(
                        "the probe thread panicked",
                    ))),
                    Duration::ZERO,
                )
            });
            (tests, probed)
        });
        // Both are recorded before either failure ends the case. A pytest that could not
        // report (it hung, crashed) still leaves the probe's result to compare: the case then
        // fails with pytest's error and shows the differences too. A probe that failed still
        // leaves pytest's outcomes in the report.
        let pytest_error = match self.record(Stage::Pytest, tests) {
            Ok(tests) => {
                self.report.tests = Some(tests);
                None
            }
            Err(error) => Some(error),
        };
        let probed = self.record(Stage::Probe, probed)?;

        let behaviour = written::behaviour(
            job,
            &probed,
            self.report.tests.as_ref(),
            &project,
            &venv_dir,
        );
        let text = behaviour.to_string();
        self.report.snapshot = Some(text.clone());
        self.report.behaviour = Some(behaviour);

        let differences = self.stage(Stage::Compare, |_| {
            let compared = written::Compared {
                job,
                text: &text,
                probed: &probed,
                package: &project.package,
                venv: &venv_dir,
                work,
                timeout: settings.timeout,
            };
            Ok((compared.differences()?, false))
        })?;
        self.report.differences = named_after_package(differences, &project.package);
        pytest_error.map_or(Ok(()), Err)
    }
}

/// The job's case folder in the cache, where its project copy and venv stay between runs.
pub fn case_dir(settings: &Settings, job: &Job) -> CaseDir {
    settings.cache.case_dir(&job.python.key, &cache_key(job))
}

//! `pyo3-scaffold check DIR`: an existing project (generated earlier and since edited, a
//! learner's, or any maturin project) through the pipeline, compared with the reference
//! behaviour of its style, recorded to / compared with a record file ([`crate::snapshot::record`]), or
//! compared with itself at a git revision ([`crate::commands::check::baseline`]). Every difference is breaking
//! or compatible ([`crate::conformance`]); only breaking ones fail, unless `--strict`.
//!
//! DIR is only read: the project is copied (without `target/`, venvs and caches) into the
//! harness cache, and built there.

mod accepted;
pub mod baseline;
pub mod learner;
mod output;
pub mod record;

pub use learner::DETAILS_HEADING;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::base::error::{Error, Result};
use crate::commands::{GlobalArgs, Pythons, TimeoutArg, finish, matrix};
use crate::conformance::accept::Acceptance;
use crate::exit;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, CaseReport, Reference};
use crate::project::Project;
use crate::project::dependencies::Choice;
use crate::report::live::Progress;
use crate::snapshot;
use crate::stages::probe;
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::{self, official_tests};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The project's style (default: detected from its files); `none` probes the API only
    #[arg(long, value_name = "S")]
    pub style: Option<ProbeStyle>,
    #[command(flatten)]
    pub pythons: Pythons,
    /// Record the project's API, behaviour and test outcomes to FILE instead of comparing
    /// (over an existing record: lists the differences it accepts, then writes)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["against", "against_git"])]
    pub record: Option<PathBuf>,
    /// Compare with a record written earlier by --record
    #[arg(long, value_name = "FILE", conflicts_with = "against_git")]
    pub against: Option<PathBuf>,
    /// Compare with the project as it was at REV (a branch, tag or commit of DIR's git
    /// repository), built from `git archive` in the cache; the working tree is not touched
    #[arg(long, value_name = "REV")]
    pub against_git: Option<String>,
    /// Fail on any difference, compatible ones included
    #[arg(long)]
    pub strict: bool,
    /// Also install this dependency group of pyproject.toml for the tests (repeatable; the
    /// `dev` and `test` groups are installed when the project has them)
    #[arg(long, value_name = "NAME")]
    pub with_group: Vec<String>,
    /// Also install this extra of the project for the tests (repeatable; the `test`, `tests`
    /// and `dev` extras are installed when the project has them)
    #[arg(long, value_name = "NAME")]
    pub with_extra: Vec<String>,
    /// The project's own behaviour scenarios (default: tests/conformance_scenarios.py, when the
    /// project has one): a Python file whose SCENARIOS rows are run and recorded like a style's
    #[arg(long, value_name = "FILE")]
    pub scenarios: Option<PathBuf>,
    /// Accept a difference on purpose: RULE:SUBJECT as the report names it (e.g.
    /// name-removed:get_answer); repeatable, each with a --reason. Accepted differences are
    /// listed and fail nothing; conformance-accepted.toml in DIR holds lasting ones
    #[arg(long, value_name = "RULE:SUBJECT")]
    pub accept: Vec<String>,
    /// Why the --accept differences are accepted: one for all, or one per --accept, in order
    #[arg(long, value_name = "TEXT")]
    pub reason: Vec<String>,
    /// `github` adds a workflow annotation per difference: an error for a breaking one, a
    /// notice for a compatible one (a warning under --strict)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    pub format: Format,
    /// Write a JSON report of the case
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report: a test case per stage and per section of the behaviour
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the checklist as Exercism's test-runner results.json (version 3), each
    /// behaviour's task_id the workshop exercise that completes it
    #[arg(long, value_name = "FILE", conflicts_with_all = ["record", "against", "against_git"])]
    pub results: Option<PathBuf>,
    /// Keep the work folder and print where it is
    #[arg(long)]
    pub keep: bool,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

/// `--format`: how differences are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a reader: each difference with its class, explanation, hint and diff.
    Text,
    /// The text, then one GitHub Actions workflow annotation per difference.
    Github,
}

fn usage(message: String) -> Error {
    Error::Usage {
        command: "check",
        message,
    }
}

/// An error about an argument, told with its hint as a usage error.
fn usage_with_hint(error: &Error) -> Error {
    usage(format!("{error}; {}", error.hint().unwrap_or_default()))
}

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    // Argument problems first: they must not wait for (or depend on) the tools.
    let project = Project::read(&args.dir).map_err(|error| usage(error.to_string()))?;
    let with = Choice {
        groups: args.with_group.clone(),
        extras: args.with_extra.clone(),
    };
    let dependencies = project
        .test_dependencies(&with)
        .map_err(|message| usage(format!("{}: {message}", args.dir.display())))?;
    if let Some(file) = &args.against {
        // Read before the tools are looked for (or installed): a bad argument is told at once.
        let text = match fs_err::read(file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) if !file.is_file() => {
                return Err(usage(format!(
                    "--against {}: no such file; write one first with --record FILE",
                    file.display()
                )));
            }
            Err(error) => return Err(error.into()),
        };
        if let Err(message) = snapshot::record::parse(&text) {
            return Err(usage_with_hint(&Error::Record {
                path: file.clone(),
                message,
            }));
        }
    }
    let scenarios = match &args.scenarios {
        Some(file) if !file.is_file() => {
            return Err(usage(format!(
                "--scenarios {}: no such file; it holds `SCENARIOS = ((id, behaviour, run), ...)` \
                 (see the book's \"What counts as breaking\")",
                file.display()
            )));
        }
        Some(file) => Some(crate::platform::canonicalize(file)?),
        None => None,
    };
    let acceptances = accepted::read(&args.dir, &args.accept, &args.reason).map_err(usage)?;
    let mode = match (&args.record, &args.against, &args.against_git) {
        (Some(file), _, _) => Mode::Record(file.clone()),
        (None, Some(file), _) => Mode::Against(file.clone()),
        (None, None, Some(rev)) => Mode::AgainstGit(rev.clone()),
        (None, None, None) => Mode::Reference,
    };
    if mode == Mode::Reference && args.style == Some(ProbeStyle(None)) {
        return Err(usage(
            "--style none has no reference behaviour to compare with: record one with \
             --record FILE, then compare with --against FILE"
                .into(),
        ));
    }
    let several = args.pythons.all || args.pythons.named.len() > 1;
    if args.record.is_some() && several {
        return Err(usage(
            "--record writes what one interpreter saw: give one --python (or none)".into(),
        ));
    }
    // The checklist, the exercises and the official tests are the workshop's: a maintainer's
    // project is compared with its style's reference, and may grow its tests as it likes.
    let workshop = mode == Mode::Reference && workshop::is_workshop(&project);
    if args.results.is_some() && !workshop {
        return Err(usage(format!(
            "--results writes a workshop's exercise results, and {} is not a workshop project \
             (its [tool.pyo3-scaffold.answers] has no `workshop = true`)",
            args.dir.display()
        )));
    }
    if args.results.is_some() && several {
        return Err(usage(
            "--results writes one learner's results for one interpreter: give one --python \
             (or none)"
                .into(),
        ));
    }
    let (settings, pythons) = global.settings(&args.pythons, args.timeout.duration(), args.keep)?;
    let mut jobs = Vec::new();
    for (index, python) in pythons.iter().enumerate() {
        let job = job::for_folder(
            &args.dir,
            args.style,
            &mode,
            python.clone(),
            args.strict,
            &with,
        );
        let mut job = match job {
            Ok(job) => job,
            Err(error @ (Error::UnknownStyle { .. } | Error::Record { .. })) => {
                return Err(usage_with_hint(&error));
            }
            Err(error) => return Err(error),
        };
        if index == 0 {
            // What the run compares with and installs, before it starts.
            if mode == Mode::Reference && !workshop {
                eprintln!(
                    "reference: the {} style's reference behaviour",
                    job.probe_style
                );
            }
            eprintln!("test dependencies: {}", dependencies.describe());
        }
        if scenarios.is_some() {
            job.scenarios.clone_from(&scenarios);
        }
        if let Mode::AgainstGit(rev) = &mode {
            match baseline::reference(&settings, &job, &args.dir, rev, args.strict) {
                Ok(Ok(reference)) => job.reference = reference,
                Ok(Err(code)) => return Ok(code),
                Err(error @ Error::Baseline { .. }) => return Err(usage_with_hint(&error)),
                Err(error) => return Err(error),
            }
        }
        jobs.push(job);
    }
    // Compared with a style's reference, a workshop project's result is a checklist of that
    // style's behaviours, one per interpreter; the table and the official tests are read before
    // the build, which may fail.
    let checklist_input = match (&jobs[0].reference, Style::parse(&jobs[0].probe_style)) {
        (Reference::Text { text, .. }, Some(style)) if workshop => {
            let job = &jobs[0];
            Some(learner::Input {
                table: probe::list(&job.python.executable, &job.probe_style, settings.timeout)?,
                reference: text.clone(),
                official_tests: official_tests::compare(global.template(), style, &args.dir),
            })
        }
        _ => None,
    };
    if jobs.len() > 1 {
        name_cases_by_interpreter(&mut jobs);
    }
    let progress = Progress::new();
    let mut reports = if jobs.len() > 1 {
        matrix::run_jobs(&settings, &jobs, 1, &progress)
    } else {
        let mut report = pipeline::run(&settings, &jobs[0], &progress);
        report.no_tests_ok = matches!(mode, Mode::Record(_));
        vec![report]
    };
    // Stale: an acceptance that matched nothing on any interpreter.
    let mut stale: Vec<&Acceptance> = acceptances.iter().collect();
    for report in &mut reports {
        let unmatched = accepted::apply(report, &acceptances, args.strict);
        stale.retain(|acceptance| unmatched.contains(acceptance));
    }
    if let [report] = reports.as_slice() {
        progress.finished(report);
    }
    if let Some(input) = checklist_input {
        return learner::finish(&settings.cache, args, &input, &reports, &stale);
    }
    if reports.len() > 1 {
        finish(&reports, args.json.as_deref(), None)?;
        report_acceptances(args, &reports, &stale);
        output::failures(args.format, &reports);
        return Ok(exit::for_reports(&reports));
    }
    finish(&reports, args.json.as_deref(), args.junit.as_deref())?;
    output::conformance(args, &mode, &reports[0])?;
    report_acceptances(args, &reports, &stale);
    if let Mode::Record(file) = &mode {
        return record::write(file, &jobs[0], &reports[0], args.format);
    }
    output::failures(args.format, &reports);
    Ok(exit::for_reports(&reports))
}

/// Names each case of a check over several interpreters `<project>@<version>`, or after the
/// interpreter's key when two share one version.
fn name_cases_by_interpreter(jobs: &mut [pipeline::Job]) {
    let versions: Vec<Option<String>> = jobs
        .iter()
        .map(|job| job.python.python_version().map(|v| v.to_string()))
        .collect();
    let shared = |version: &String| {
        versions
            .iter()
            .flatten()
            .filter(|other| *other == version)
            .count()
            > 1
    };
    let labels: Vec<String> = jobs
        .iter()
        .zip(&versions)
        .map(|(job, version)| match version {
            Some(version) if !shared(version) => version.clone(),
            _ => job.python.key.clone(),
        })
        .collect();
    for (job, label) in jobs.iter_mut().zip(labels) {
        job.id = format!("{}@{label}", job.id);
    }
}

/// The accepted differences with their reasons, and a warning (with `--format github`, an
/// annotation too) for each acceptance that matched nothing.
fn report_acceptances(args: &CheckArgs, reports: &[CaseReport], stale: &[&Acceptance]) {
    for line in reports.iter().flat_map(accepted::listed) {
        println!("{line}");
    }
    for acceptance in stale {
        eprintln!("{}", accepted::stale_warning(acceptance));
        if args.format == Format::Github {
            println!("{}", accepted::stale_annotation(acceptance));
        }
    }
}

//! `pyo3-scaffold check DIR`: an existing project (generated earlier and since edited, a
//! learner's, or any maturin project) through the pipeline, compared with the reference
//! behaviour of its style, recorded to / compared with a record file ([`crate::snapshot::record`]), or
//! compared with itself at a git revision ([`crate::commands::check::baseline`]). Every difference is breaking
//! or compatible ([`crate::conformance`]); only breaking ones fail, unless `--strict`.
//!
//! DIR is only read: the project is copied (without `target/`, venvs and caches) into the
//! harness cache, and built there.

pub mod baseline;
pub mod learner;
pub mod record;

pub use learner::DETAILS_HEADING;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::base::error::{Error, Result};
use crate::commands::{GlobalArgs, Pythons, TimeoutArg, finish, matrix};
use crate::conformance::compare::{self, Difference};
use crate::exit;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, Reference};
use crate::project::Project;
use crate::report::github::{self, Sources};
use crate::report::live::Progress;
use crate::snapshot;
use crate::stages::probe;
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::official_tests;

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
    if let Err(error) = Project::read(&args.dir) {
        return Err(usage(error.to_string()));
    }
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
    if args.results.is_some() && several {
        return Err(usage(
            "--results writes one learner's results for one interpreter: give one --python \
             (or none)"
                .into(),
        ));
    }
    let (settings, pythons) = global.settings(&args.pythons, args.timeout.duration(), args.keep)?;
    let mut jobs = Vec::new();
    for python in &pythons {
        let mut job =
            match job::for_folder(&args.dir, args.style, &mode, python.clone(), args.strict) {
                Ok(job) => job,
                Err(error @ (Error::UnknownStyle { .. } | Error::Record { .. })) => {
                    return Err(usage_with_hint(&error));
                }
                Err(error) => return Err(error),
            };
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
    // Compared with a style's reference, the result is a checklist of that style's behaviours,
    // one per interpreter; the table and the official tests are read before the build, which
    // may fail.
    let checklist_input = match (&jobs[0].reference, Style::parse(&jobs[0].probe_style)) {
        (Reference::Text { text, .. }, Some(style)) if mode == Mode::Reference => {
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
        // One case per interpreter, named after its version, or its key when two share one.
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
    let progress = Progress::new();
    let mut reports = if jobs.len() > 1 {
        matrix::run_jobs(&settings, &jobs, 1, &progress)
    } else {
        let mut report = pipeline::run(&settings, &jobs[0], &progress);
        report.no_tests_ok = matches!(mode, Mode::Record(_));
        progress.finished(&report);
        vec![report]
    };
    if let Some(input) = checklist_input {
        return learner::finish(&settings.cache, args, &input, &reports);
    }
    if reports.len() > 1 {
        finish(&reports, args.json.as_deref(), None)?;
        return Ok(exit::for_reports(&reports));
    }
    let report = reports.remove(0);
    let reports = [report];
    finish(&reports, args.json.as_deref(), args.junit.as_deref())?;
    print_conformance(args, &mode, &reports[0].differences)?;
    if let Mode::Record(file) = &mode {
        return record::write(file, &jobs[0], &reports[0]);
    }
    Ok(exit::for_reports(&reports))
}

/// The classes of the differences in one line, and with `--format github` an annotation each.
pub(super) fn print_conformance(
    args: &CheckArgs,
    mode: &Mode,
    differences: &[Difference],
) -> Result<()> {
    if !differences.is_empty() {
        println!("{}", compare::summary(differences));
    }
    if args.format == Format::Github {
        let text = match mode {
            Mode::Against(file) => Some(fs_err::read_to_string(file)?),
            _ => None,
        };
        let record = match (mode, &text) {
            (Mode::Against(file), Some(text)) => Some((file.as_path(), text.as_str())),
            _ => None,
        };
        let sources = Sources {
            record,
            project: &args.dir,
        };
        for annotation in github::annotations(differences, args.strict, sources) {
            println!("{annotation}");
        }
    }
    Ok(())
}

//! `pyo3-scaffold check DIR`: an existing project (generated earlier and since edited, a
//! learner's, or any maturin project) through the pipeline, compared with the reference
//! behaviour of its style, or recorded to / compared with a record file ([`crate::record`]).
//!
//! DIR is only read: the project is copied (without `target/`, venvs and caches) into the
//! harness cache, and built there.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::checklist::{Checklist, OfficialTests};
use crate::commands::{GlobalArgs, Pythons, TimeoutArg, finish, matrix};
use crate::error::{Class, Error, Result};
use crate::exit;
use crate::pipeline::{self, CaseReport, Job, Reference, Source};
use crate::probe;
use crate::progress::Progress;
use crate::project::Project;
use crate::record;
use crate::render::{self, Template};
use crate::report;
use crate::snapshot::{self, TESTS_SECTION};
use crate::style::{ProbeStyle, Style};
use crate::tools::Python;
use crate::tree::{self, TreeDifference};
use crate::version_tags;

/// The folder holding a project's official tests.
pub const TESTS_DIR: &str = "tests";

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
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    pub record: Option<PathBuf>,
    /// Compare with a record written earlier by --record
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// Write a JSON report of the case
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Keep the work folder and print where it is
    #[arg(long)]
    pub keep: bool,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

/// What `check` compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The committed reference snapshot of the project's style.
    Reference,
    /// Write the behaviour to a record file.
    Record(PathBuf),
    /// Compare with a record file written earlier.
    Against(PathBuf),
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
        if let Err(message) = record::parse(&text) {
            return Err(usage_with_hint(&Error::Record {
                path: file.clone(),
                message,
            }));
        }
    }
    let mode = match (&args.record, &args.against) {
        (Some(file), _) => Mode::Record(file.clone()),
        (None, Some(file)) => Mode::Against(file.clone()),
        (None, None) => Mode::Reference,
    };
    if mode == Mode::Reference && args.style == Some(ProbeStyle(None)) {
        return Err(usage(
            "--style none has no reference behaviour to compare with: record one with \
             --record FILE, then compare with --against FILE"
                .into(),
        ));
    }
    if args.record.is_some() && (args.pythons.all || args.pythons.named.len() > 1) {
        return Err(usage(
            "--record writes what one interpreter saw: give one --python (or none)".into(),
        ));
    }
    let (settings, pythons) = global.settings(&args.pythons, args.timeout.duration(), args.keep)?;
    let mut jobs = Vec::new();
    for python in &pythons {
        match job(&args.dir, args.style, &mode, python.clone()) {
            Ok(job) => jobs.push(job),
            Err(error @ (Error::UnknownStyle { .. } | Error::Record { .. })) => {
                return Err(usage_with_hint(&error));
            }
            Err(error) => return Err(error),
        }
    }
    if jobs.len() > 1 {
        // One case per interpreter, named after it; the learner's checklist is for one.
        for job in &mut jobs {
            let label = job
                .python
                .python_version()
                .map_or_else(|| job.python.key.clone(), |version| version.to_string());
            job.id = format!("{}@{label}", job.id);
        }
        let reports = matrix::run_jobs(&settings, &jobs, 1, &Progress::new());
        finish(&reports, args.json.as_deref(), None)?;
        return Ok(exit::for_reports(&reports));
    }
    let job = jobs.remove(0);
    // Compared with a style's reference, the result is a checklist of that style's behaviours;
    // the table and the official tests are read before the build, which may fail.
    let checklist_input = match (&job.reference, Style::parse(&job.probe_style)) {
        (Reference::Text { text, .. }, Some(style)) if mode == Mode::Reference => {
            let table = probe::list(&job.python.executable, &job.probe_style, settings.timeout)?;
            let tests = official_tests(global.template(), style, &args.dir);
            Some((table, text.clone(), tests))
        }
        _ => None,
    };
    let progress = Progress::new();
    let report = pipeline::run(&settings, &job, &progress);
    progress.finished(&report);
    if let Some((table, reference, tests)) = checklist_input {
        let checklist = Checklist::build(&table, &reference, &report, tests);
        finish_checklist(&report, &checklist, args.json.as_deref())?;
        let code = exit::for_reports(std::slice::from_ref(&report));
        if code == ExitCode::SUCCESS && !checklist.complete() {
            return Ok(exit::code(Class::Failure));
        }
        return Ok(code);
    }
    let reports = [report];
    finish(&reports, args.json.as_deref(), None)?;
    if let (Mode::Record(file), Some(text)) = (&mode, &reports[0].snapshot) {
        report::write(file, &record::format(&job.probe_style, text))?;
        eprintln!("recorded the behaviour of {} to {}", job.id, file.display());
    }
    Ok(exit::for_reports(&reports))
}

/// The heading of what `check` prints before the checklist: pytest's and the harness's own
/// words, for whoever wants them.
pub const DETAILS_HEADING: &str =
    "--- details: the failing tests and errors as pytest and the harness report them ---";

/// Prints what the checklist does not say (failing tests, differences it does not explain,
/// errors) under [`DETAILS_HEADING`], the summary table, then the checklist last: a terminal
/// scrolls, and the last lines are the ones a learner reads. Writes the JSON report with it.
fn finish_checklist(report: &CaseReport, checklist: &Checklist, json: Option<&Path>) -> Result<()> {
    match report::case_details(&checklist.trim(report)) {
        Some(details) => println!("{DETAILS_HEADING}\n{details}"),
        None => {
            if let Some(dir) = &report.work_dir {
                println!("{}: work folder kept: {}", report.case, dir.display());
            }
        }
    }
    print!("{}", report::summary_table(std::slice::from_ref(report)));
    print!("\n{}", checklist.render());
    if let Some(path) = json {
        report::write(path, &report::check_json(report, checklist)?)?;
    }
    Ok(())
}

fn unknown_style(dir: &Path) -> Error {
    Error::UnknownStyle {
        dir: dir.to_owned(),
        styles: Style::names(),
    }
}

/// Reads the project and works out the job: which style to probe, what to compare with.
pub fn job(dir: &Path, style: Option<ProbeStyle>, mode: &Mode, python: Python) -> Result<Job> {
    let dir = fs_err::canonicalize(dir).map_err(|_| Error::NotAProject {
        dir: dir.to_owned(),
        reason: "no such folder".into(),
    })?;
    let project = Project::read(&dir)?;
    let detected = || Style::detect(&project);
    let (probe_style, reference) = match mode {
        Mode::Reference => {
            // `--style none` has no reference; the command line refuses it before this point.
            let style = match style {
                Some(ProbeStyle(Some(style))) => style,
                Some(ProbeStyle(None)) => return Err(unknown_style(&dir)),
                None => detected().ok_or_else(|| unknown_style(&dir))?,
            };
            let name = snapshot::reference_name(style);
            let text = snapshot::committed(&name)?;
            // The lines for this interpreter's version: the checklist reads the same text.
            let text = match python.python_version() {
                Some(version) => {
                    version_tags::resolve(text, version).map_err(|error| Error::BadReference {
                        message: error.to_string(),
                    })?
                }
                None => text.to_owned(),
            };
            let reference = Reference::Text {
                text,
                // A derived project may add tests of its own; they must pass, not match.
                skip: vec![TESTS_SECTION],
                labels: (format!("reference ({style})"), "this project".to_owned()),
            };
            (style.to_string(), reference)
        }
        Mode::Record(_) => (
            style
                .unwrap_or_else(|| ProbeStyle(detected()))
                .as_str()
                .to_owned(),
            Reference::None,
        ),
        Mode::Against(file) => {
            let record = record::read(file)?;
            let style = style.map_or(record.style, |choice| choice.as_str().to_owned());
            let reference = Reference::Text {
                text: record.body,
                skip: Vec::new(),
                labels: (file.display().to_string(), "this project".to_owned()),
            };
            (style, reference)
        }
    };
    Ok(Job {
        id: project.name.clone(),
        source: Source::Folder { dir },
        python,
        probe_style,
        reference,
    })
}

/// Compares the project's `tests/` with those of a fresh render of `style` under the project's
/// name: the official tests, which a learner must not edit. An answer that cannot be had (no
/// template, a name the template refuses) is [`OfficialTests::NotCompared`], not an error: the
/// checklist still stands without it.
pub fn official_tests(template: Result<Template>, style: Style, dir: &Path) -> OfficialTests {
    match compare_tests(template, style, dir) {
        Ok(tests) => tests,
        Err(error) => OfficialTests::NotCompared {
            reason: error.to_string(),
        },
    }
}

fn compare_tests(template: Result<Template>, style: Style, dir: &Path) -> Result<OfficialTests> {
    let template = template?;
    let project = Project::read(dir)?;
    let fresh = tempfile::Builder::new()
        .prefix("scaffold-harness-tests-")
        .tempdir()?;
    let rendered = fresh.path().join(&project.name);
    let request = render::Request {
        style,
        name: &project.name,
        defines: &[],
    };
    render::render(&template, &request, &rendered)?;
    let official = rendered.join(TESTS_DIR);
    let mut theirs = dir.join(TESTS_DIR);
    if !theirs.is_dir() {
        // diff_trees needs two folders; an empty one stands in for a deleted tests/.
        theirs = fresh.path().join("no-tests");
        fs_err::create_dir_all(&theirs)?;
    }
    let shown = |path: &Path| format!("{TESTS_DIR}/{}", path.display());
    let (mut edited, mut deleted, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for difference in tree::diff_trees(&official, &theirs, &[])? {
        match difference {
            TreeDifference::Changed { path, .. } => {
                // A checkout with CRLF line endings has not edited anything.
                let read = |root: &Path| fs_err::read(root.join(&path));
                let strip = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                if strip(read(&official)?) != strip(read(&theirs)?) {
                    edited.push(shown(&path));
                }
            }
            TreeDifference::Missing(path) => deleted.push(shown(&path)),
            TreeDifference::Unexpected(path) => added.push(shown(&path)),
        }
    }
    Ok(OfficialTests::Compared {
        edited,
        deleted,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_refused() {
        let python = Python {
            requested: "python3".into(),
            executable: "/usr/bin/python3".into(),
            implementation: "CPython".into(),
            version: "3.11.7".into(),
            free_threaded: false,
            key: "cpython-3.11-x86_64-00000000".into(),
        };
        let error = job(
            Path::new("/nonexistent/dir"),
            None,
            &Mode::Reference,
            python,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/dir is not a maturin project: no such folder"
        );
    }
}

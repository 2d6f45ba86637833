//! Stage 5: the probe, a real Python file run in the case's venv.
//!
//! The probe and its scenario tables live in `harness/probe/` as ordinary, lint-clean Python;
//! they are embedded here and written into the case's work folder before each run. The probe
//! prints one JSON document, which [`ProbeResult`] reads ([`document`]; the book's contributing
//! chapter describes it). The same script runs the witnesses of breaking differences against
//! the build ([`confirm`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

mod document;
pub use document::*;

use crate::base::cmd::path_with;
use crate::base::cmd::{Cmd, Output, Status, tail_str};
use crate::base::error::{Error, Result};
use crate::stages::venv;
use crate::template::style::Style;

/// The probe's own files. Each style's scenario table is written next to them (the probe
/// imports it as a module), from the style registry ([`crate::template::style::REGISTRY`]).
pub const FILES: &[(&str, &str)] = &[
    (
        "scaffold_probe.py",
        include_str!("../../../probe/scaffold_probe.py"),
    ),
    ("api.py", include_str!("../../../probe/api.py")),
    ("describe.py", include_str!("../../../probe/describe.py")),
    (
        "distribution.py",
        include_str!("../../../probe/distribution.py"),
    ),
    (
        "scenario_file.py",
        include_str!("../../../probe/scenario_file.py"),
    ),
    ("scenario.py", include_str!("../../../probe/scenario.py")),
    (
        "stub_check.py",
        include_str!("../../../probe/stub_check.py"),
    ),
    ("witness.py", include_str!("../../../probe/witness.py")),
];

/// How much of each stream an unusable output shows.
const TAIL_CHARS: usize = 4096;

/// Enough for any API and scenario table; past it the JSON would be cut and unreadable.
const STDOUT_LIMIT: usize = 16 * 1024 * 1024;

/// Writes the probe's files into `dir`; returns the path of the script to run.
fn write_files(dir: &Path) -> Result<PathBuf> {
    fs_err::create_dir_all(dir)?;
    for (name, text) in FILES {
        fs_err::write(dir.join(name), text)?;
    }
    for style in Style::ALL {
        fs_err::write(dir.join(style.scenario_file()), style.scenario_table())?;
    }
    Ok(dir.join("scaffold_probe.py"))
}

/// The rows of `style`'s scenario table, with their exercises and hints, read by running the
/// probe with `--list-scenarios` under `python` (any Python 3.9+: it imports nothing but the
/// tables). Needs no built project, so a checklist can list every behaviour of a project that
/// does not compile.
pub fn list(python: &Path, style: &str, timeout: Duration) -> Result<Vec<ScenarioInfo>> {
    let dir = tempfile::Builder::new()
        .prefix("scaffold-harness-list-")
        .tempdir()?;
    let script = write_files(dir.path())?;
    let output = Cmd::new(python)
        .arg(script)
        .args(["--list-scenarios", "--style", style])
        .cwd(dir.path())
        .timeout(timeout)
        .fault(crate::base::error::Fault::Environment)
        .hint("the probe's scenario tables could not be listed with this Python")
        .run()?;
    parse_list(&output.stdout)
        .map(|list| list.scenarios)
        .map_err(|message| unusable(message, &output))
}

/// What to probe: which package, with which scenario table (`none`: the API only), and the
/// project's own scenarios file if it has one.
#[derive(Debug)]
pub struct Request<'a> {
    pub venv: &'a Path,
    pub package: &'a str,
    pub style: &'a str,
    /// The project's scenarios file (`SCENARIOS`, see `probe/scenario_file.py`).
    pub scenarios: Option<&'a Path>,
    /// Gets the probe's files and `scenarios/`, the folder the scenarios write into.
    pub work_dir: &'a Path,
    pub timeout: Duration,
}

/// The probe run with the venv's Python from `work_dir`, its temporary folder inside it.
fn probe_cmd(venv: &Path, work_dir: &Path, timeout: Duration) -> Result<(Cmd, PathBuf)> {
    let script = write_files(&work_dir.join("probe"))?;
    // What the scenarios leave in the temporary folder goes with the work folder.
    let tmp_dir = work_dir.join("tmp");
    fs_err::create_dir_all(&tmp_dir)?;
    let cmd = Cmd::new(venv::python(venv))
        .arg(script)
        .cwd(work_dir)
        .env("VIRTUAL_ENV", venv)
        .env("PATH", path_with(&[&venv::bin(venv)]))
        .env("TMPDIR", &tmp_dir)
        .stdout_limit(STDOUT_LIMIT)
        .timeout(timeout);
    Ok((cmd, tmp_dir))
}

pub fn run(request: &Request<'_>) -> Result<ProbeResult> {
    let scenario_dir = request.work_dir.join("scenarios");
    fs_err::create_dir_all(&scenario_dir)?;
    let (cmd, _) = probe_cmd(request.venv, request.work_dir, request.timeout)?;
    let mut cmd = cmd
        .args([
            "--package",
            request.package,
            "--style",
            request.style,
            "--work-dir",
        ])
        .arg(&scenario_dir);
    if let Some(file) = request.scenarios {
        cmd = cmd.arg("--scenarios").arg(file);
    }
    let output = cmd.output()?;
    if output.status != Status::Exited(0) {
        let mut error = cmd.error(&output);
        let timed_out = matches!(output.status, Status::TimedOut(_));
        error.hint = Some(match (last_scenario(&output.stderr), timed_out) {
            _ if let Some(problem) = scenarios_error(&output.stderr) => problem.to_owned(),
            (Some(id), false) => format!("the probe ended during scenario `{id}`"),
            (Some(id), true) => {
                format!("the probe was still in scenario `{id}` when --timeout ran out")
            }
            (None, false) => {
                "the probe ended before its first scenario (while importing the package?)"
                    .to_owned()
            }
            (None, true) => {
                "the probe was still importing the package when --timeout ran out".to_owned()
            }
        });
        return Err(error.into());
    }
    parse(&output.stdout).map_err(|message| unusable(message, &output))
}

/// What one witness did when run against the build: the classes of what it raised (its own
/// and every base, by bare name: `ModuleNotFoundError`, `ImportError`, ...), none when it ran
/// through.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WitnessRun {
    pub raised: Option<Vec<String>>,
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WitnessRuns {
    probe_version: u32,
    witnesses: Vec<WitnessRun>,
}

/// Runs each of `codes` (a few lines of Python each) in the venv, against the installed build,
/// each in a namespace of its own; says what each raised, in order.
pub fn confirm(
    venv: &Path,
    work_dir: &Path,
    codes: &[String],
    timeout: Duration,
) -> Result<Vec<WitnessRun>> {
    let dir = work_dir.join("witnesses");
    fs_err::create_dir_all(&dir)?;
    let file = dir.join("witnesses.json");
    fs_err::write(
        &file,
        serde_json::to_string(codes).map_err(std::io::Error::other)?,
    )?;
    let (cmd, _) = probe_cmd(venv, work_dir, timeout)?;
    let cmd = cmd
        .arg("--witnesses")
        .arg(&file)
        .arg("--work-dir")
        .arg(&dir);
    let output = cmd.run()?;
    let runs: WitnessRuns = serde_json::from_str(&output.stdout)
        .map_err(|error| unusable(error.to_string(), &output))?;
    if runs.probe_version != PROBE_VERSION || runs.witnesses.len() != codes.len() {
        return Err(unusable(
            format!(
                "expected {} witness results of probe version {PROBE_VERSION}",
                codes.len()
            ),
            &output,
        ));
    }
    Ok(runs.witnesses)
}

/// The error for output that is not the JSON expected: the ends of both streams, since what
/// the probe printed to stderr says how far it got.
fn unusable(message: String, output: &Output) -> Error {
    Error::ProbeOutput {
        message,
        stdout_tail: tail_str(&output.stdout, TAIL_CHARS).to_owned(),
        stderr_tail: tail_str(&output.stderr, TAIL_CHARS).to_owned(),
    }
}

/// The probe's own account of a scenarios file it could not use (`probe: --scenarios FILE ...`),
/// which names the file and the fix.
fn scenarios_error(stderr: &str) -> Option<&str> {
    stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("probe: --scenarios "))
        .map(str::trim)
}

/// The id in the last `probe: running <id>` line: the scenario that was running when it died.
fn last_scenario(stderr: &str) -> Option<&str> {
    stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("probe: running "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_output_shows_what_the_probe_printed_on_both_streams() {
        // A stand-in for Python that runs no probe: it prints something that is not JSON.
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        fs_err::write(
            &python,
            "#!/bin/sh\necho 'probe: running greet.repr' >&2\necho 'not JSON'\n",
        )
        .unwrap();
        crate::platform::set_executable(&python).unwrap();
        let error = list(&python, "greet", Duration::from_secs(30)).unwrap_err();
        assert!(
            matches!(&error, Error::ProbeOutput { stdout_tail, stderr_tail, .. }
                if stdout_tail == "not JSON\n" && stderr_tail == "probe: running greet.repr\n"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the probe printed no usable JSON: expected ident at line 1 column 2\n\
             --- stdout\nnot JSON\n--- stderr\nprobe: running greet.repr"
        );
    }

    #[test]
    fn last_scenario_names_the_culprit() {
        let stderr =
            "probe: running greet.repr\nprobe: running greet.panic\nFatal Python error: Aborted\n";
        assert_eq!(last_scenario(stderr), Some("greet.panic"));
        assert_eq!(last_scenario("Traceback ...\n"), None);
    }
}

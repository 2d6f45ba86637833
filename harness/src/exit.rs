//! The exit codes: the one place a failure's [`Fault`] or a run's verdicts become a number, next
//! to the text `--help` shows for them.

use std::process::ExitCode;

use crate::base::error::{Error, Fault};
use crate::base::interrupt;
use crate::pipeline::{CaseReport, Verdict};

/// What `--help` says about exit codes and the environment; `cli` shows it after every
/// command's help.
pub const HELP: &str = "\
Exit codes:
  0    success: every case passed (matrix, check, watch), or the command did what it was
       asked
  1    a case failed: its behaviour differs from the snapshot (or reference, or record), a test
       failed, or the project did not render, build, import or finish within --timeout;
       `update` left conflict markers
  2    usage error: a bad argument, a DIR that is missing or is not a maturin project, a
       template answer the template refuses, a DEST that exists (without --force)
  3    the harness could not run: uv, Python, the template or the cache is missing or unusable
  130  interrupted (Ctrl-C, SIGTERM): children were stopped and work folders removed

Python:
  CPython 3.11 to 3.15, and the free-threaded 3.14t and 3.15t: the range the generated projects
  support. An interpreter outside it is refused (exit code 3); --all-pythons (matrix, check)
  runs on every one of the range this machine has (uv's list, PATH, pyenv).

Environment:
  SCAFFOLD_TEMPLATE       the template folder (default: the template built into this binary)
  SCAFFOLD_HARNESS_CACHE  the cache: venvs, the shared target folder, builds (default: the user
                          cache folder's pyo3-scaffold/)
  UV                      the uv to use (default: uv on PATH, else one installed into the cache
                          with `python3 -m venv` + `pip install uv`; --no-bootstrap forbids that)";

/// The number each fault of failure exits with (see [`HELP`]).
pub fn number(fault: Fault) -> u8 {
    match fault {
        Fault::Failure => 1,
        Fault::Usage => 2,
        Fault::Environment => 3,
        Fault::Interrupted => 130,
    }
}

pub fn code(fault: Fault) -> ExitCode {
    ExitCode::from(number(fault))
}

/// Prints a failure the way every command ends on one (`error: ...`, then `hint: ...` when it
/// has one) and gives its exit code.
pub fn report(error: &Error) -> ExitCode {
    eprintln!("error: {error}");
    if let Some(hint) = error.hint() {
        eprintln!("hint: {hint}");
    }
    code(error.fault())
}

/// The exit code of a run: interrupted if it was, else the worst verdict of its cases.
pub fn for_reports(reports: &[CaseReport]) -> ExitCode {
    if interrupt::requested() {
        return code(Fault::Interrupted);
    }
    ExitCode::from(worst(reports))
}

/// The number for the worst verdict among `reports` (0 when there are none).
fn worst(reports: &[CaseReport]) -> u8 {
    match reports.iter().map(CaseReport::verdict).max() {
        None | Some(Verdict::Passed) => 0,
        Some(Verdict::Failed) => number(Fault::Failure),
        Some(Verdict::Error(fault)) => number(fault),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::conformance::compare::{Difference, Kind};
    use crate::pipeline::{CaseError, Stage};
    use crate::stages::pytest::{Outcome, TestCase, TestReport};

    /// A case report with the given error and differences, whose tests all passed.
    fn report(error: Option<Fault>, differs: bool) -> CaseReport {
        CaseReport {
            case: "case".into(),
            style: None,
            variant: None,
            python: "cpython-3.11".into(),
            stages: Vec::new(),
            tests: Some(TestReport {
                cases: vec![TestCase {
                    name: "tests.test_a::test_a".into(),
                    outcome: Outcome::Passed,
                    message: None,
                }],
                summary: String::new(),
            }),
            snapshot: None,
            behaviour: None,
            differences: if differs {
                vec![Difference {
                    section: "scenario s".into(),
                    behaviour: None,
                    kind: Kind::Changed,
                    impact: crate::conformance::Impact::Breaking,
                    fails: true,
                    findings: vec![],
                    diff: "-a\n+b\n".into(),
                }]
            } else {
                Vec::new()
            },
            error: error.map(|fault| CaseError {
                stage: Stage::Develop,
                fault,
                message: "it broke".into(),
                hint: None,
                process: None,
            }),
            cargo_build: None,
            work_dir: None,
            elapsed: Duration::ZERO,
            no_tests_ok: false,
            package: None,
        }
    }

    #[test]
    fn worst_verdict_picks_the_exit_code() {
        let passed = report(None, false);
        let differs = report(None, true);
        let failed = report(Some(Fault::Failure), false);
        let environment = report(Some(Fault::Environment), false);
        let interrupted = report(Some(Fault::Interrupted), false);
        assert_eq!(passed.verdict(), Verdict::Passed);
        assert_eq!(worst(&[]), 0);
        assert_eq!(worst(std::slice::from_ref(&passed)), 0);
        assert_eq!(worst(&[passed.clone(), differs.clone()]), 1);
        assert_eq!(worst(&[failed.clone(), passed.clone()]), 1);
        assert_eq!(worst(&[failed.clone(), environment.clone(), differs]), 3);
        assert_eq!(worst(&[interrupted, environment, failed]), 130);
    }

    #[test]
    fn an_existing_dest_is_a_usage_error() {
        let error = Error::DestinationExists {
            path: "/tmp/my-ext".into(),
        };
        assert_eq!(number(error.fault()), 2);
    }

    #[test]
    fn each_class_has_the_number_help_gives_it() {
        for fault in [
            Fault::Failure,
            Fault::Usage,
            Fault::Environment,
            Fault::Interrupted,
        ] {
            let number = number(fault);
            let line = format!("\n  {number:<3}  ");
            assert!(
                HELP.contains(&line),
                "{fault:?}: {line:?} missing from HELP"
            );
        }
    }
}

//! The checklist of a `check` run, from typed results: the project's [`Behaviour`] and failed
//! process on its [`CaseReport`], and the reference's [`Behaviour`] read from its text.

use std::fmt::Write as _;

use crate::base::normalize;
use crate::pipeline::{CaseReport, Stage};
use crate::snapshot::{self, Behaviour, Scenario, outcome_lines};
use crate::stages::build::log;
use crate::stages::probe::{ExceptionInfo, Outcome, ScenarioInfo};

use super::{Blocked, Checklist, Line, OfficialTests, Status, Todo, Unfinished, parse_todo};

/// The exception type of a Rust panic caught by PyO3.
const PANIC_EXCEPTION: &str = "pyo3_runtime.PanicException";

/// A summary longer than this is cut, with `…`: the diffs below the checklist show all of it.
const SUMMARY_CHARS: usize = 160;

impl Checklist {
    /// The checklist of `report`, a `check` of a project against `reference` (its style's
    /// committed behaviour text), for the rows of `table`.
    pub fn build(
        table: &[ScenarioInfo],
        reference: &str,
        report: &CaseReport,
        official_tests: OfficialTests,
    ) -> Checklist {
        let (reference, unreadable) = match snapshot::read(reference) {
            Ok(reference) => (Some(reference), None),
            // The committed references are read in the snapshot module's tests; this is for a
            // harness built with a broken one, which must say so rather than fail every line.
            Err(error) => (
                None,
                Some(Blocked::StageFailed {
                    stage: Stage::Compare.as_str().to_owned(),
                    message: format!("the style's reference behaviour is unreadable: {error}"),
                }),
            ),
        };
        // The behaviour spells the package `[PKG]`; a learner knows it by its name.
        let named = |text: String| match &report.package {
            Some(package) => text.replace(normalize::PACKAGE, package),
            None => text,
        };
        let blocked = match blocked(report) {
            Some(Blocked::DoesNotImport { exception, causes }) => Some(Blocked::DoesNotImport {
                exception: named(exception),
                causes: causes.into_iter().map(named).collect(),
            }),
            other => other,
        }
        .or(unreadable);
        let unfinished = unfinished(report, blocked.as_ref());
        let find = |behaviour: Option<&Behaviour>, id: &str| -> Option<Scenario> {
            behaviour
                .and_then(|behaviour| behaviour.scenario(id))
                .cloned()
        };
        let behaviours: Vec<Line> = table
            .iter()
            .map(|row| {
                let expected = find(reference.as_ref(), &row.id);
                let actual = find(report.behaviour.as_ref(), &row.id);
                let status = match (expected, actual) {
                    _ if blocked.is_some() => Status::NotChecked,
                    (_, None) => Status::NotChecked,
                    (Some(expected), Some(actual)) if expected == actual => Status::Passed,
                    (expected, Some(actual)) => match todo_in(&actual.outcome) {
                        Some(todo) => Status::NotImplemented { todo },
                        None => {
                            let (expected, got) = summaries(expected.as_ref(), &actual);
                            Status::Failed {
                                expected: named(expected),
                                got: named(got),
                            }
                        }
                    },
                };
                Line {
                    id: row.id.clone(),
                    behaviour: row.behaviour.clone(),
                    exercises: row.exercises.clone(),
                    hint: row.hint.clone(),
                    status,
                }
            })
            .collect();
        Checklist {
            project: report.case.clone(),
            // The template's import name for the project's name, until [`Checklist::place`]
            // reads the project's own.
            package: crate::project::import_name(report.case.split('@').next().unwrap_or_default()),
            style: report.style.clone().unwrap_or_default(),
            passed: behaviours
                .iter()
                .filter(|line| line.status == Status::Passed)
                .count(),
            total: behaviours.len(),
            blocked,
            unfinished,
            official_tests,
            behaviours,
        }
    }
}

/// A stage that failed although the probe reported (pytest crashed or timed out beside it):
/// the behaviours stand, the run is not complete.
fn unfinished(report: &CaseReport, blocked: Option<&Blocked>) -> Option<Unfinished> {
    if blocked.is_some() {
        return None;
    }
    let error = report.error.as_ref()?;
    Some(Unfinished {
        stage: error.stage.as_str().to_owned(),
        message: error.message.lines().next().unwrap_or_default().to_owned(),
        hint: error.hint.clone(),
    })
}

fn blocked(report: &CaseReport) -> Option<Blocked> {
    if let Some(behaviour) = &report.behaviour {
        // The probe ran: it says whether the package imported.
        let error = behaviour.import_error.as_ref()?;
        return Some(Blocked::DoesNotImport {
            exception: described(error),
            causes: causes(error),
        });
    }
    let error = report.error.as_ref()?;
    Some(if error.stage == Stage::Develop {
        Blocked::DoesNotCompile {
            error: error
                .process
                .as_ref()
                .and_then(|build| log::first_error(&build.output(), build.cwd.as_deref())),
            exercise: None,
            hint: None,
        }
    } else {
        Blocked::StageFailed {
            stage: error.stage.as_str().to_owned(),
            message: error.message.lines().next().unwrap_or_default().to_owned(),
        }
    })
}

/// `builtins.SyntaxError: invalid syntax (api.py, line 3)`.
fn described(exception: &ExceptionInfo) -> String {
    format!("{}: {}", exception.type_name, one_line(&exception.message))
}

/// The exceptions behind `exception`, nearest first: its cause's chain, then its context's.
fn causes(exception: &ExceptionInfo) -> Vec<String> {
    let mut found = Vec::new();
    for next in [&exception.cause, &exception.context].into_iter().flatten() {
        found.push(described(next));
        found.extend(causes(next));
    }
    found
}

/// A value on one line: itself, or for a value of several lines its first line and `…`.
fn one_line(value: &str) -> String {
    if !value.contains('\n') {
        return value.to_owned();
    }
    let first = value
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    format!("{} …", first.trim())
}

/// The `todo!()` an outcome ran into: a `PanicException` anywhere in the raised chain (the
/// exception itself, then its cause's chain, then its context's) whose message is a
/// `todo!()`'s.
pub(super) fn todo_in(outcome: &Outcome) -> Option<Todo> {
    match outcome {
        Outcome::Raised { exception } => todo_in_chain(exception),
        Outcome::Returned { .. } => None,
    }
}

fn todo_in_chain(exception: &ExceptionInfo) -> Option<Todo> {
    // A checklist line holds one line: a message of several lines is no todo!() to quote.
    let own = (exception.type_name == PANIC_EXCEPTION && !exception.message.contains('\n'))
        .then(|| parse_todo(&exception.message))
        .flatten();
    own.or_else(|| exception.cause.as_deref().and_then(todo_in_chain))
        .or_else(|| exception.context.as_deref().and_then(todo_in_chain))
}

/// One-line summaries of the expected and the actual outcomes; when those read the same (the
/// difference is in an MRO, a cause, a flag), the first line that differs instead.
fn summaries(expected: Option<&Scenario>, actual: &Scenario) -> (String, String) {
    let Some(expected) = expected else {
        return (
            "(the reference has no such behaviour)".to_owned(),
            cut(&summary(&actual.outcome)),
        );
    };
    let (left, right) = (summary(&expected.outcome), summary(&actual.outcome));
    if left != right {
        return (cut(&left), cut(&right));
    }
    let (left, right) = (
        outcome_lines(&expected.outcome),
        outcome_lines(&actual.outcome),
    );
    let at = (0..left.len().max(right.len()))
        .find(|at| left.get(*at) != right.get(*at))
        .unwrap_or(0);
    let line = |lines: &[String]| {
        lines
            .get(at)
            .map_or_else(|| "(nothing more)".to_owned(), |line| cut(line))
    };
    (line(&left), line(&right))
}

/// `returns 'x'`, or `raises builtins.KeyError: 'k' (note: ...)`.
pub(super) fn summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Returned { repr } => format!("returns {}", one_line(repr)),
        Outcome::Raised { exception } => {
            let mut text = format!(
                "raises {}: {}",
                exception.type_name,
                one_line(&exception.message)
            );
            for note in &exception.notes {
                let _ = write!(text, " (note: {})", one_line(note));
            }
            text
        }
    }
}

pub(super) fn cut(text: &str) -> String {
    match text.char_indices().nth(SUMMARY_CHARS) {
        Some((at, _)) => format!("{} …", &text[..at]),
        None => text.to_owned(),
    }
}

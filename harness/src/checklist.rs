//! The workshop's checklist: what `check DIR` tells a learner, one line per behaviour of the
//! style's scenario table.
//!
//! Each line is read from the same two texts the comparison uses (the style's reference and the
//! project's behaviour text, see [`crate::snapshot`]): a scenario whose section is the same in
//! both passed; one that raised the `PanicException` of an unfinished `todo!("exercise N: ...")`
//! is not implemented yet; any other is failed, with what was expected and what came back. The
//! table itself ([`ScenarioInfo`], from the probe's `--list-scenarios`) adds the exercises each
//! behaviour needs and a hint, and lists every behaviour even when the project did not build.

use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::compare::{Section, sections};
use crate::develop::{self, CompilerError};
use crate::pipeline::{CaseReport, Stage};
use crate::probe::ScenarioInfo;

/// The exception type of a Rust panic caught by PyO3.
const PANIC_EXCEPTION: &str = "pyo3_runtime.PanicException";

/// A summary longer than this is cut, with `…`: the diffs below the checklist show all of it.
const SUMMARY_CHARS: usize = 160;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// The project's name (`my-ext`).
    pub project: String,
    pub style: String,
    /// How many behaviours passed, of `total`.
    pub passed: usize,
    pub total: usize,
    /// Why no behaviour could be checked, when none could.
    pub blocked: Option<Blocked>,
    pub official_tests: OfficialTests,
    pub behaviours: Vec<Line>,
}

/// One behaviour: a row of the scenario table and how the project did on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub id: String,
    pub behaviour: String,
    /// The workshop exercises the behaviour needs; empty when it needs none.
    pub exercises: Vec<u32>,
    pub hint: String,
    #[serde(flatten)]
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Passed,
    /// The behaviour ran into an unfinished `todo!()`.
    NotImplemented {
        todo: Todo,
    },
    /// One-line summaries of what the reference shows and what the project did.
    Failed {
        expected: String,
        got: String,
    },
    /// Not run: the project did not build or import, or the probe stopped before it.
    NotChecked,
}

/// The message of a `todo!()` panic: `not yet implemented: exercise 1: greet "eunsang" ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// The exercise the `todo!()` names, when it follows the template's `exercise N: ` form.
    pub exercise: Option<u32>,
    /// What the `todo!()` says after `exercise N: ` (empty for a bare `todo!()`).
    pub text: String,
}

impl fmt::Display for Todo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exercise, self.text.is_empty()) {
            (Some(exercise), true) => write!(f, "not implemented yet (exercise {exercise})"),
            (Some(exercise), false) => {
                write!(
                    f,
                    "not implemented yet (exercise {exercise}: {})",
                    self.text
                )
            }
            (None, true) => write!(f, "not implemented yet (a todo!() with no message)"),
            (None, false) => write!(f, "not implemented yet ({})", self.text),
        }
    }
}

/// Reads the message of a panic raised by `todo!()` or `unimplemented!()`; `None` for any other
/// message.
pub fn parse_todo(message: &str) -> Option<Todo> {
    let rest = ["not yet implemented", "not implemented"]
        .into_iter()
        .find_map(|prefix| message.strip_prefix(prefix))?;
    let text = match rest.strip_prefix(": ") {
        Some(text) => text.trim(),
        None if rest.trim().is_empty() => "",
        None => return None,
    };
    let numbered = text.strip_prefix("exercise ").and_then(|rest| {
        let (number, text) = rest.split_once(':').unwrap_or((rest, ""));
        Some((number.trim().parse::<u32>().ok()?, text.trim()))
    });
    Some(match numbered {
        Some((exercise, text)) => Todo {
            exercise: Some(exercise),
            text: text.to_owned(),
        },
        None => Todo {
            exercise: None,
            text: text.to_owned(),
        },
    })
}

/// Why the behaviours could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Blocked {
    /// `maturin develop` failed; `error` is the compiler's first error, when the log had one.
    DoesNotCompile { error: Option<CompilerError> },
    /// The package raised while being imported: `builtins.SyntaxError: ...`.
    DoesNotImport { exception: String },
    /// Another stage failed before the probe could report: its name and the error's first line.
    StageFailed { stage: String, message: String },
}

/// Whether the project's `tests/` are the official ones: those of a fresh render of its style
/// under its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OfficialTests {
    Compared {
        /// Official test files whose contents differ (paths relative to the project).
        edited: Vec<String>,
        /// Official test files that are gone.
        deleted: Vec<String>,
        /// Files under `tests/` that are not official: the learner's own, allowed.
        added: Vec<String>,
    },
    /// The fresh render could not be made (no template, say): nothing is claimed.
    NotCompared { reason: String },
}

impl OfficialTests {
    /// True when an official test file was edited or deleted.
    pub fn tampered(&self) -> bool {
        matches!(self, OfficialTests::Compared { edited, deleted, .. }
            if !edited.is_empty() || !deleted.is_empty())
    }
}

impl Checklist {
    /// The checklist of `report`, a `check` of a project against `reference` (its style's
    /// committed behaviour text), for the rows of `table`.
    pub fn build(
        table: &[ScenarioInfo],
        reference: &str,
        report: &CaseReport,
        official_tests: OfficialTests,
    ) -> Checklist {
        let expected = sections(reference);
        let actual = report.snapshot.as_deref().map(sections).unwrap_or_default();
        let blocked = blocked(report);
        let behaviours: Vec<Line> = table
            .iter()
            .map(|row| {
                let key = format!("scenario {}", row.id);
                let find = |sections: &[Section<'_>]| {
                    sections
                        .iter()
                        .find(|section| section.key == key)
                        .map(|section| section.body.clone())
                };
                let status = match (find(&expected), find(&actual)) {
                    _ if blocked.is_some() => Status::NotChecked,
                    (_, None) => Status::NotChecked,
                    (Some(expected), Some(actual)) if expected == actual => Status::Passed,
                    (expected, Some(actual)) => match todo_in(&actual) {
                        Some(todo) => Status::NotImplemented { todo },
                        None => {
                            let (expected, got) = summaries(expected.as_deref(), &actual);
                            Status::Failed { expected, got }
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
            style: report.style.clone().unwrap_or_default(),
            passed: behaviours
                .iter()
                .filter(|line| line.status == Status::Passed)
                .count(),
            total: behaviours.len(),
            blocked,
            official_tests,
            behaviours,
        }
    }

    /// Every behaviour passed and the official tests are the official ones.
    pub fn complete(&self) -> bool {
        self.passed == self.total && self.blocked.is_none() && !self.official_tests.tampered()
    }

    /// The exercises still to do, in order: those that a behaviour not passing yet needs and no
    /// passing behaviour needs (a passing behaviour shows its exercises work).
    pub fn exercises_left(&self) -> Vec<u32> {
        let needed_by = |passing: bool| {
            self.behaviours
                .iter()
                .filter(move |line| (line.status == Status::Passed) == passing)
                .flat_map(|line| line.exercises.iter().copied())
        };
        let done: Vec<u32> = needed_by(true).collect();
        let mut exercises: Vec<u32> = needed_by(false)
            .filter(|exercise| !done.contains(exercise))
            .collect();
        exercises.sort_unstable();
        exercises.dedup();
        exercises
    }

    /// `report` as shown above the checklist: without the differences of behaviours the
    /// checklist calls not implemented yet (their diffs would only repeat the `todo!()`), and
    /// with a compile error cut down to a pointer at the compiler's first error, which the
    /// checklist shows. The JSON report keeps everything.
    pub fn trim(&self, report: &CaseReport) -> CaseReport {
        let mut shown = report.clone();
        let explained: Vec<String> = self
            .behaviours
            .iter()
            .filter(|line| matches!(line.status, Status::NotImplemented { .. }))
            .map(|line| format!("scenario {}", line.id))
            .collect();
        shown
            .differences
            .retain(|difference| !explained.contains(&difference.section));
        if let (Some(Blocked::DoesNotCompile { error: Some(_) }), Some(error)) =
            (&self.blocked, shown.error.as_mut())
        {
            error.message = "the project does not compile (the compiler's first error is in the \
                             checklist below; the --json report holds the whole build log)"
                .to_owned();
            error.hint = None;
        }
        shown
    }

    /// The checklist as the learner reads it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "checklist for {} ({}): {}/{} behaviours pass",
            self.project, self.style, self.passed, self.total
        );
        let _ = writeln!(out, "{}", self.official_tests);
        if let Some(blocked) = &self.blocked {
            let _ = write!(out, "\n{blocked}");
        }
        out.push('\n');
        for line in &self.behaviours {
            let _ = write!(out, "{line}");
        }
        out.push('\n');
        let _ = write!(out, "{}/{} behaviours pass", self.passed, self.total);
        match &self.blocked {
            Some(Blocked::DoesNotCompile { .. }) => out.push_str(": the project does not compile"),
            Some(Blocked::DoesNotImport { .. }) => out.push_str(": the package does not import"),
            Some(Blocked::StageFailed { stage, .. }) => {
                let _ = write!(out, ": the {stage} stage failed");
            }
            None => {}
        }
        let left = self.exercises_left();
        if !left.is_empty() {
            let _ = write!(out, "; to do: {}", exercise_list(&left));
        }
        if self.official_tests.tampered() {
            out.push_str("; official tests edited");
        }
        out.push('\n');
        out
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DETAIL: &str = "            ";
        let word = match self.status {
            Status::Passed => "passed",
            Status::NotImplemented { .. } => "todo",
            Status::Failed { .. } => "FAILED",
            Status::NotChecked => "-",
        };
        writeln!(f, "  {word:<9} {}: {}", self.id, self.behaviour)?;
        match &self.status {
            Status::Passed | Status::NotChecked => return Ok(()),
            Status::NotImplemented { todo } => writeln!(f, "{DETAIL}{todo}")?,
            Status::Failed { expected, got } => {
                writeln!(f, "{DETAIL}expected: {expected}")?;
                writeln!(f, "{DETAIL}got:      {got}")?;
            }
        }
        if !self.hint.is_empty() {
            match self.exercises.as_slice() {
                [] => writeln!(f, "{DETAIL}hint: {}", self.hint)?,
                exercises => writeln!(
                    f,
                    "{DETAIL}hint ({}): {}",
                    exercise_list(exercises),
                    self.hint
                )?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::DoesNotCompile { error: Some(error) } => {
                writeln!(
                    f,
                    "the project does not compile; the compiler's first error:"
                )?;
                writeln!(f, "  {error}")?;
                for line in &error.snippet {
                    writeln!(f, "  {line}")?;
                }
                writeln!(
                    f,
                    "(`uv run maturin develop` in the project prints every message)"
                )
            }
            Blocked::DoesNotCompile { error: None } => writeln!(
                f,
                "the project does not build (no compiler error found: see the develop stage's \
                 output above)"
            ),
            Blocked::DoesNotImport { exception } => {
                writeln!(f, "the package does not import: {exception}")
            }
            Blocked::StageFailed { stage, message } => {
                writeln!(f, "the {stage} stage failed: {message}")
            }
        }
    }
}

impl fmt::Display for OfficialTests {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfficialTests::NotCompared { reason } => {
                write!(f, "official tests: not compared ({reason})")
            }
            OfficialTests::Compared {
                edited,
                deleted,
                added,
            } => {
                let changes: Vec<String> = edited
                    .iter()
                    .map(|path| format!("{path} (edited)"))
                    .chain(deleted.iter().map(|path| format!("{path} (deleted)")))
                    .collect();
                if changes.is_empty() {
                    write!(f, "official tests: unchanged")?;
                } else {
                    write!(
                        f,
                        "official tests EDITED: {}\n  they are what your code is checked \
                         against: restore them from a fresh render of the template",
                        changes.join(", ")
                    )?;
                }
                if !added.is_empty() {
                    write!(f, "\nyour own test files: {}", added.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// `exercise 1`, `exercises 1 and 5`, `exercises 6, 7 and 8`.
fn exercise_list(exercises: &[u32]) -> String {
    let numbers: Vec<String> = exercises.iter().map(u32::to_string).collect();
    match numbers.as_slice() {
        [] => String::new(),
        [one] => format!("exercise {one}"),
        [init @ .., last] => format!("exercises {} and {last}", init.join(", ")),
    }
}

fn blocked(report: &CaseReport) -> Option<Blocked> {
    if let Some(text) = &report.snapshot {
        // The probe ran: the header says whether the package imported.
        let header = &sections(text)[0].body;
        let import_error = field(header, 0, "import_error")?;
        if import_error == "none" {
            return None;
        }
        let message = field(header, 2, "message").unwrap_or_default();
        return Some(Blocked::DoesNotImport {
            exception: format!("{import_error}: {message}"),
        });
    }
    let error = report.error.as_ref()?;
    Some(if error.stage == Stage::Develop {
        Blocked::DoesNotCompile {
            error: develop::first_error(&error.message, build_dir(&error.message)),
        }
    } else {
        Blocked::StageFailed {
            stage: error.stage.as_str().to_owned(),
            message: error.message.lines().next().unwrap_or_default().to_owned(),
        }
    })
}

/// The folder a failed command ran in: the `  in DIR` line of a [`crate::cmd::ProcessError`].
fn build_dir(message: &str) -> Option<&std::path::Path> {
    message
        .lines()
        .find_map(|line| line.strip_prefix("  in "))
        .map(std::path::Path::new)
}

/// The value of the first `key: value` line at exactly `indent` in `body`; for a value of
/// several lines (written `key: |` and indented below), its first line and `…`.
fn field(body: &str, indent: usize, key: &str) -> Option<String> {
    let prefix = format!("{:indent$}{key}: ", "");
    let mut lines = body.lines();
    let value = lines.by_ref().find_map(|line| line.strip_prefix(&prefix))?;
    if value != "|" {
        return Some(value.to_owned());
    }
    let first = lines
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    Some(format!("{} …", first.trim()))
}

/// The `todo!()` a section's outcome ran into: a `PanicException` anywhere in the raised chain
/// (the exception itself, its cause or context) whose message is a `todo!()`'s.
fn todo_in(body: &str) -> Option<Todo> {
    let lines: Vec<&str> = body.lines().collect();
    lines.iter().enumerate().find_map(|(at, line)| {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let (_, exception) = trimmed.split_once(": ")?;
        let is_link = ["raised: ", "cause: ", "context: "]
            .iter()
            .any(|label| trimmed.starts_with(label));
        if !is_link || exception != PANIC_EXCEPTION {
            return None;
        }
        let inner = " ".repeat(indent + 2);
        let message = lines[at + 1..]
            .iter()
            .take_while(|line| line.starts_with(&inner))
            .find_map(|line| line.strip_prefix(&inner)?.strip_prefix("message: "))?;
        parse_todo(message)
    })
}

/// One-line summaries of the expected and the actual section bodies; when those read the same
/// (the difference is in an MRO, a cause, a flag), the first line that differs instead.
fn summaries(expected: Option<&str>, actual: &str) -> (String, String) {
    let Some(expected) = expected else {
        return (
            "(the reference has no such behaviour)".to_owned(),
            cut(&summary(actual)),
        );
    };
    let (left, right) = (summary(expected), summary(actual));
    if left != right {
        return (cut(&left), cut(&right));
    }
    let outcome = |body: &str| -> Vec<String> {
        body.lines()
            .filter(|line| !line.starts_with("behaviour: "))
            .map(|line| line.trim().to_owned())
            .collect()
    };
    let (left, right) = (outcome(expected), outcome(actual));
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
fn summary(body: &str) -> String {
    if let Some(value) = field(body, 0, "returned") {
        return format!("returns {value}");
    }
    if let Some(exception) = field(body, 0, "raised") {
        let message = field(body, 2, "message").unwrap_or_default();
        let mut text = format!("raises {exception}: {message}");
        for line in body.lines() {
            if let Some(note) = line.strip_prefix("  note: ") {
                let _ = write!(text, " (note: {note})");
            }
        }
        return text;
    }
    body.lines()
        .find(|line| !line.starts_with("behaviour: "))
        .unwrap_or_default()
        .to_owned()
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(SUMMARY_CHARS) {
        Some((at, _)) => format!("{} …", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::compare::{Difference, Kind};
    use crate::error::Class;
    use crate::pipeline::CaseError;

    const REFERENCE: &str = "package: [PKG]\nstyle: greet\nimport_error: none\n\n\
        ## scenario greet.import_paths\nbehaviour: same class\nreturned: True\n\n\
        ## scenario greet.static_greet\nbehaviour: greet returns\nreturned: 'Hello, eunsang !'\n\n\
        ## scenario greet.fail_if_empty_raises\nbehaviour: empty raises\n\
        raised: [PKG].EmptyTextError\n  mro: [PKG].EmptyTextError > builtins.ValueError\n  \
        is_exception: true\n  message: the text is empty\n\n\
        ## scenario greet.panic\nbehaviour: panics\nraised: pyo3_runtime.PanicException\n  \
        mro: pyo3_runtime.PanicException > builtins.BaseException\n  is_exception: false\n  \
        message: boom\n";

    fn table() -> Vec<ScenarioInfo> {
        let row = |id: &str, behaviour: &str, exercises: &[u32], hint: &str| ScenarioInfo {
            id: id.into(),
            behaviour: behaviour.into(),
            exercises: exercises.to_vec(),
            hint: hint.into(),
        };
        vec![
            row("greet.import_paths", "same class", &[], "keep api.py"),
            row("greet.static_greet", "greet returns", &[1], "delegate"),
            row(
                "greet.fail_if_empty_raises",
                "empty raises",
                &[2, 3],
                "map the error",
            ),
            row("greet.panic", "panics", &[4], "panic!"),
        ]
    }

    fn report(snapshot: Option<String>, error: Option<CaseError>) -> CaseReport {
        CaseReport {
            case: "my-ext".into(),
            style: Some("greet".into()),
            variant: None,
            python: "cpython-3.11-x86_64-12345678".into(),
            stages: Vec::new(),
            tests: None,
            snapshot,
            differences: Vec::new(),
            error,
            cargo_build: None,
            work_dir: None,
            elapsed: Duration::ZERO,
        }
    }

    fn unchanged() -> OfficialTests {
        OfficialTests::Compared {
            edited: vec![],
            deleted: vec![],
            added: vec![],
        }
    }

    /// The reference with `static_greet` left as a `todo!()`, `fail_if_empty_raises` raising an
    /// EmptyTextError that is no ValueError, and `panic` panicking with the Debug form of its
    /// message.
    fn learner() -> String {
        REFERENCE
            .replace(
                "returned: 'Hello, eunsang !'",
                "raised: pyo3_runtime.PanicException\n  mro: pyo3_runtime.PanicException > \
                 builtins.BaseException\n  is_exception: false\n  message: not yet implemented: \
                 exercise 1: greet \"eunsang\" with the core crate's `greet`",
            )
            .replace(
                "mro: [PKG].EmptyTextError > builtins.ValueError",
                "mro: [PKG].EmptyTextError > builtins.Exception",
            )
            .replace("message: boom", "message: \"boom\"")
    }

    #[test]
    fn todo_messages_are_parsed() {
        assert_eq!(
            parse_todo("not yet implemented: exercise 1: greet \"eunsang\" with `greet`"),
            Some(Todo {
                exercise: Some(1),
                text: "greet \"eunsang\" with `greet`".into()
            })
        );
        assert_eq!(
            parse_todo("not yet implemented: exercise 12"),
            Some(Todo {
                exercise: Some(12),
                text: String::new()
            })
        );
        assert_eq!(
            parse_todo("not yet implemented"),
            Some(Todo {
                exercise: None,
                text: String::new()
            })
        );
        assert_eq!(
            parse_todo("not implemented: exercise four: later"),
            Some(Todo {
                exercise: None,
                text: "exercise four: later".into()
            })
        );
        assert_eq!(parse_todo("boom"), None);
        assert_eq!(parse_todo("not yet implementedness"), None);
    }

    #[test]
    fn todos_read_as_not_implemented_yet() {
        let todo = |message: &str| parse_todo(message).unwrap().to_string();
        assert_eq!(
            todo("not yet implemented: exercise 4: panic with \"boom\""),
            "not implemented yet (exercise 4: panic with \"boom\")"
        );
        assert_eq!(
            todo("not yet implemented: exercise 4"),
            "not implemented yet (exercise 4)"
        );
        assert_eq!(
            todo("not yet implemented"),
            "not implemented yet (a todo!() with no message)"
        );
        assert_eq!(
            todo("not implemented: later"),
            "not implemented yet (later)"
        );
    }

    #[test]
    fn a_todo_is_found_in_the_cause_chain_too() {
        let body = "behaviour: b\nraised: builtins.RuntimeError\n  mro: builtins.RuntimeError\n  \
                    message: wrapped\n  cause: pyo3_runtime.PanicException\n    mro: x\n    \
                    message: not yet implemented: exercise 8: run it\n";
        assert_eq!(
            todo_in(body),
            Some(Todo {
                exercise: Some(8),
                text: "run it".into()
            })
        );
        // A panic of the learner's own is no todo.
        assert_eq!(
            todo_in("raised: pyo3_runtime.PanicException\n  message: boom\n"),
            None
        );
        // Nor is a todo message that some other exception merely carries.
        assert_eq!(
            todo_in("raised: builtins.ValueError\n  message: not yet implemented\n"),
            None
        );
    }

    #[test]
    fn each_behaviour_gets_its_status() {
        let checklist = Checklist::build(
            &table(),
            REFERENCE,
            &report(Some(learner()), None),
            unchanged(),
        );
        let statuses: Vec<(&str, &Status)> = checklist
            .behaviours
            .iter()
            .map(|line| (line.id.as_str(), &line.status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("greet.import_paths", &Status::Passed),
                (
                    "greet.static_greet",
                    &Status::NotImplemented {
                        todo: Todo {
                            exercise: Some(1),
                            text: "greet \"eunsang\" with the core crate's `greet`".into()
                        }
                    }
                ),
                (
                    // Same message: the summaries would read the same, so the first line that
                    // differs is shown.
                    "greet.fail_if_empty_raises",
                    &Status::Failed {
                        expected: "mro: [PKG].EmptyTextError > builtins.ValueError".into(),
                        got: "mro: [PKG].EmptyTextError > builtins.Exception".into(),
                    }
                ),
                (
                    "greet.panic",
                    &Status::Failed {
                        expected: "raises pyo3_runtime.PanicException: boom".into(),
                        got: "raises pyo3_runtime.PanicException: \"boom\"".into(),
                    }
                ),
            ]
        );
        assert_eq!((checklist.passed, checklist.total), (1, 4));
        assert_eq!(checklist.blocked, None);
        assert!(!checklist.complete());
        assert_eq!(checklist.exercises_left(), [1, 2, 3, 4]);
    }

    #[test]
    fn the_checklist_as_the_learner_reads_it() {
        let checklist = Checklist::build(
            &table(),
            REFERENCE,
            &report(Some(learner()), None),
            unchanged(),
        );
        assert_eq!(
            checklist.render(),
            "\
checklist for my-ext (greet): 1/4 behaviours pass
official tests: unchanged

  passed    greet.import_paths: same class
  todo      greet.static_greet: greet returns
            not implemented yet (exercise 1: greet \"eunsang\" with the core crate's `greet`)
            hint (exercise 1): delegate
  FAILED    greet.fail_if_empty_raises: empty raises
            expected: mro: [PKG].EmptyTextError > builtins.ValueError
            got:      mro: [PKG].EmptyTextError > builtins.Exception
            hint (exercises 2 and 3): map the error
  FAILED    greet.panic: panics
            expected: raises pyo3_runtime.PanicException: boom
            got:      raises pyo3_runtime.PanicException: \"boom\"
            hint (exercise 4): panic!

1/4 behaviours pass; to do: exercises 1, 2, 3 and 4
"
        );
    }

    #[test]
    fn a_complete_project_passes_every_line() {
        let checklist = Checklist::build(
            &table(),
            REFERENCE,
            &report(Some(REFERENCE.to_owned()), None),
            unchanged(),
        );
        assert!(checklist.complete());
        assert_eq!(checklist.exercises_left(), Vec::<u32>::new());
        assert!(
            checklist
                .render()
                .ends_with("  passed    greet.panic: panics\n\n4/4 behaviours pass\n"),
            "{}",
            checklist.render()
        );
    }

    #[test]
    fn edited_official_tests_are_named_and_fail_the_checklist() {
        let tests = OfficialTests::Compared {
            edited: vec!["tests/test_message.py".into()],
            deleted: vec!["tests/test_api.py".into()],
            added: vec!["tests/test_mine.py".into()],
        };
        assert!(tests.tampered());
        assert_eq!(
            tests.to_string(),
            "official tests EDITED: tests/test_message.py (edited), tests/test_api.py (deleted)\n  \
             they are what your code is checked against: restore them from a fresh render of the \
             template\nyour own test files: tests/test_mine.py"
        );
        let checklist = Checklist::build(
            &table(),
            REFERENCE,
            &report(Some(REFERENCE.to_owned()), None),
            tests,
        );
        assert!(!checklist.complete());
        assert!(
            checklist
                .render()
                .ends_with("\n4/4 behaviours pass; official tests edited\n")
        );
        let added_only = OfficialTests::Compared {
            edited: vec![],
            deleted: vec![],
            added: vec!["tests/test_mine.py".into()],
        };
        assert!(!added_only.tampered());
        assert_eq!(
            added_only.to_string(),
            "official tests: unchanged\nyour own test files: tests/test_mine.py"
        );
    }

    #[test]
    fn a_compile_error_blocks_every_line_and_shows_the_first_error() {
        let message = "process didn't exit successfully: `maturin develop --uv` (exit status: 1)\n  \
            in /cache/check-my-ext/project\n--- stderr\n   Compiling my-ext-python\n\
            error[E0308]: mismatched types\n  --> crates/python/src/message.rs:41:9\n   |\n\
            41 |         42\n   |         ^^ expected `String`, found integer\n\n\
            error: could not compile `my-ext-python` (lib) due to 1 previous error\n";
        let error = CaseError {
            stage: Stage::Develop,
            class: Class::Failure,
            message: message.into(),
            hint: Some("the project does not build".into()),
        };
        let failed = report(None, Some(error));
        let checklist = Checklist::build(&table(), REFERENCE, &failed, unchanged());
        assert!(
            checklist
                .behaviours
                .iter()
                .all(|line| line.status == Status::NotChecked)
        );
        assert_eq!(
            checklist.render(),
            "\
checklist for my-ext (greet): 0/4 behaviours pass
official tests: unchanged

the project does not compile; the compiler's first error:
  crates/python/src/message.rs:41:9: error[E0308]: mismatched types
     |
  41 |         42
     |         ^^ expected `String`, found integer
(`uv run maturin develop` in the project prints every message)

  -         greet.import_paths: same class
  -         greet.static_greet: greet returns
  -         greet.fail_if_empty_raises: empty raises
  -         greet.panic: panics

0/4 behaviours pass: the project does not compile; to do: exercises 1, 2, 3 and 4
"
        );
        // Above the checklist, the build log gives way to a pointer at the first error.
        let shown = checklist.trim(&failed);
        let shown_error = shown.error.unwrap();
        assert_eq!(
            shown_error.message,
            "the project does not compile (the compiler's first error is in the checklist \
             below; the --json report holds the whole build log)"
        );
        assert_eq!(shown_error.hint, None);
    }

    #[test]
    fn an_import_error_blocks_every_line() {
        let snapshot = "package: [PKG]\nstyle: greet\nimport_error: builtins.SyntaxError\n  \
                        mro: builtins.SyntaxError\n  is_exception: true\n  \
                        message: invalid syntax (api.py, line 3)\n";
        let checklist = Checklist::build(
            &table(),
            REFERENCE,
            &report(Some(snapshot.into()), None),
            unchanged(),
        );
        assert_eq!(
            checklist.blocked,
            Some(Blocked::DoesNotImport {
                exception: "builtins.SyntaxError: invalid syntax (api.py, line 3)".into()
            })
        );
        assert_eq!(checklist.passed, 0);
        assert!(checklist.render().contains(
            "\nthe package does not import: builtins.SyntaxError: invalid syntax (api.py, line 3)\n"
        ));
    }

    #[test]
    fn trim_keeps_the_diffs_the_checklist_does_not_explain() {
        let mut learner_report = report(Some(learner()), None);
        learner_report.differences = ["greet.static_greet", "greet.panic"]
            .iter()
            .map(|id| Difference {
                section: format!("scenario {id}"),
                behaviour: None,
                kind: Kind::Changed,
                diff: String::new(),
            })
            .collect();
        let checklist = Checklist::build(&table(), REFERENCE, &learner_report, unchanged());
        let kept: Vec<String> = checklist
            .trim(&learner_report)
            .differences
            .into_iter()
            .map(|difference| difference.section)
            .collect();
        assert_eq!(kept, ["scenario greet.panic"]);
    }

    #[test]
    fn summaries_and_exercise_lists() {
        assert_eq!(
            summary(
                "behaviour: b\nraised: builtins.KeyError\n  mro: builtins.KeyError\n  \
                     message: 'k'\n  note: raised by plugin 'x'\n"
            ),
            "raises builtins.KeyError: 'k' (note: raised by plugin 'x')"
        );
        assert_eq!(
            summary("behaviour: b\nreturned: |\n  first line\n  second\n"),
            "returns first line …"
        );
        assert_eq!(cut(&"x".repeat(200)), format!("{} …", "x".repeat(160)));
        assert_eq!(exercise_list(&[7]), "exercise 7");
        assert_eq!(exercise_list(&[1, 5]), "exercises 1 and 5");
        assert_eq!(exercise_list(&[6, 7, 8]), "exercises 6, 7 and 8");
    }
}

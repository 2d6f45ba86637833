//! The workshop's checklist: what `check DIR` tells a learner, one line per behaviour of the
//! style's scenario table.
//!
//! Each line compares the project's behaviour (the typed result on its [`CaseReport`]) with
//! the style's reference (the committed behaviour text, read by [`crate::snapshot::read()`]):
//! a scenario that did the same in both passed; one that raised the `PanicException` of an
//! unfinished `todo!("exercise N: ...")` is not implemented yet; any other is failed, with
//! what was expected and what came back. The table itself
//! ([`ScenarioInfo`](crate::stages::probe::ScenarioInfo), from the probe's `--list-scenarios`) adds
//! the exercises each behaviour needs and a hint, and lists every behaviour even when the
//! project did not build.
//!
//! `build` makes a [`Checklist`] from those results, `place` puts it in the learner's project
//! (their names, their paths, the `todo!()` calls and the compile error in their files),
//! `render` shows it, `todo` reads a `todo!()`'s message; the types here are what they share,
//! and what the `--json` report holds.

use serde::Serialize;

use crate::pipeline::CaseReport;
use crate::snapshot::scenario_key;
use crate::stages::build::log::CompilerError;

mod build;
mod place;
mod render;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_runs;
mod todo;

pub use todo::{Todo, TodoAt, parse_todo};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// The project's name (`my-ext`).
    pub project: String,
    /// Its import name (`my_ext`).
    pub package: String,
    pub style: String,
    /// How many behaviours passed, of `total`.
    pub passed: usize,
    pub total: usize,
    /// Why no behaviour could be checked, when none could.
    pub blocked: Option<Blocked>,
    /// A stage that crashed or timed out after the behaviours were checked (pytest, which runs
    /// beside the probe): the count stands, but the run is not complete.
    pub unfinished: Option<Unfinished>,
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

/// Why the behaviours could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Blocked {
    /// `maturin develop` failed; `error` is the compiler's first error, when the log had one.
    DoesNotCompile {
        error: Option<CompilerError>,
        /// The exercise whose function holds the error, and its first hint (see
        /// [`Checklist::place`]); the hint says where to look when no exercise
        /// holds it.
        #[serde(skip_serializing_if = "Option::is_none")]
        exercise: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
    /// The package raised while being imported: `builtins.SyntaxError: ...`, and the
    /// exceptions behind it (its cause, then its context, each as `type: message`).
    DoesNotImport {
        exception: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        causes: Vec<String>,
    },
    /// Another stage failed before the probe could report: its name and the error's first line.
    StageFailed { stage: String, message: String },
}

/// A stage that did not finish although the behaviours were checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfinished {
    pub stage: String,
    /// The error's first line: `... (timed out after 900 s)`, `... (signal: 11)`.
    pub message: String,
    pub hint: Option<String>,
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
    /// Every behaviour passed, every stage finished, and the official tests are the official
    /// ones.
    pub fn complete(&self) -> bool {
        self.passed == self.total
            && self.blocked.is_none()
            && self.unfinished.is_none()
            && !self.official_tests.tampered()
    }

    /// Every exercise the behaviours name, in order.
    pub fn exercises(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .behaviours
            .iter()
            .flat_map(|line| line.exercises.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The exercises done: each needed by a behaviour that passes and by none that still fails
    /// (see [`Checklist::exercises_left`]), in order.
    pub fn exercises_done(&self) -> Vec<u32> {
        let left = self.exercises_left();
        self.exercises()
            .into_iter()
            .filter(|exercise| !left.contains(exercise))
            .collect()
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
            .map(|line| scenario_key(&line.id))
            .collect();
        shown
            .differences
            .retain(|difference| !explained.contains(&difference.section));
        if let (Some(Blocked::DoesNotCompile { error: Some(_), .. }), Some(error)) =
            (&self.blocked, shown.error.as_mut())
        {
            error.message = "the project does not compile (the compiler's first error is in the \
                             checklist below; the --json report holds the whole build log)"
                .to_owned();
            error.hint = None;
        }
        shown
    }
}

//! The checklist as the learner reads it.

use std::fmt::{self, Write as _};

use super::{Blocked, Checklist, Line, OfficialTests, Status, Unfinished};
use crate::pipeline::Stage;

impl Checklist {
    /// The checklist as the learner reads it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = write!(out, "checklist for {} ({}): ", self.project, self.style);
        let exercises = self.exercises();
        // A project that did not build or import shows no exercise done or undone.
        if !exercises.is_empty() && self.blocked.is_none() {
            let done = self.exercises_done().len();
            let _ = write!(out, "{done}/{} exercises done, ", exercises.len());
        }
        let _ = writeln!(out, "{}/{} behaviours pass", self.passed, self.total);
        let _ = writeln!(out, "{}", self.official_tests);
        if let Some(unfinished) = &self.unfinished {
            let _ = write!(out, "{unfinished}");
        }
        match &self.blocked {
            // The import gets a line of its own, first in the list.
            Some(Blocked::DoesNotImport { .. }) | None => {}
            Some(blocked) => {
                let _ = write!(out, "\n{blocked}");
            }
        }
        out.push('\n');
        if let Some(Blocked::DoesNotImport { exception, causes }) = &self.blocked {
            let _ = writeln!(out, "  {:<9} import: the package imports", "FAILED");
            let _ = writeln!(out, "{DETAIL}raises {exception}");
            for cause in causes {
                let _ = writeln!(out, "{DETAIL}from   {cause}");
            }
            let _ = writeln!(
                out,
                "{DETAIL}hint: `uv run python -c 'import {}'` in the project shows the whole \
                 traceback",
                self.package
            );
        }
        for line in &self.behaviours {
            let _ = write!(out, "{line}");
        }
        out.push('\n');
        out.push_str(&self.verdict_line());
        out.push('\n');
        out
    }

    /// The checklist's last line: the count, why nothing could be checked, what is left to do.
    pub fn verdict_line(&self) -> String {
        let mut out = format!("{}/{} behaviours pass", self.passed, self.total);
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
        if let Some(unfinished) = &self.unfinished {
            let _ = write!(out, "; {} did not finish", unfinished.what());
        }
        if self.official_tests.tampered() {
            out.push_str("; official tests edited");
        }
        out
    }
}

/// The indent of a line's details, under its status word.
const DETAIL: &str = "            ";

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            Blocked::DoesNotCompile {
                error: Some(error),
                exercise,
                hint,
            } => {
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
                )?;
                match (exercise, hint) {
                    (Some(exercise), Some(hint)) => {
                        writeln!(f, "hint (in exercise {exercise}'s function): {hint}")
                    }
                    (None, Some(hint)) => writeln!(f, "hint: {hint}"),
                    _ => Ok(()),
                }
            }
            Blocked::DoesNotCompile { error: None, .. } => writeln!(
                f,
                "the project does not build (no compiler error found: see the develop stage's \
                 output above)"
            ),
            Blocked::DoesNotImport { exception, causes } => {
                write!(f, "the package does not import: {exception}")?;
                for cause in causes {
                    write!(f, ", from {cause}")?;
                }
                writeln!(f)
            }
            Blocked::StageFailed { stage, message } => {
                writeln!(f, "the {stage} stage failed: {message}")
            }
        }
    }
}

impl Unfinished {
    /// What did not finish, as the checklist's last line says it.
    fn what(&self) -> String {
        if self.stage == Stage::Pytest.as_str() {
            "the project's tests".to_owned()
        } else {
            format!("the {} stage", self.stage)
        }
    }
}

impl fmt::Display for Unfinished {
    /// `the project's tests did not finish: ...`, its hint below; the behaviours above were
    /// checked all the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} did not finish: {}", self.what(), self.message)?;
        if let Some(hint) = &self.hint {
            writeln!(f, "  {hint}")?;
        }
        Ok(())
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
pub(super) fn exercise_list(exercises: &[u32]) -> String {
    let numbers: Vec<String> = exercises.iter().map(u32::to_string).collect();
    match numbers.as_slice() {
        [] => String::new(),
        [one] => format!("exercise {one}"),
        [init @ .., last] => format!("exercises {} and {last}", init.join(", ")),
    }
}

//! The checklist as the learner reads it.

use std::fmt::{self, Write as _};

use super::{Blocked, Checklist, Line, OfficialTests, Status};

impl Checklist {
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
pub(super) fn exercise_list(exercises: &[u32]) -> String {
    let numbers: Vec<String> = exercises.iter().map(u32::to_string).collect();
    match numbers.as_slice() {
        [] => String::new(),
        [one] => format!("exercise {one}"),
        [init @ .., last] => format!("exercises {} and {last}", init.join(", ")),
    }
}

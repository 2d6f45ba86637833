//! The checklist put in the learner's project: what [`Checklist::build`] made from the
//! normalised behaviour text and the tables written for every project, read in the terms of the
//! one project checked.

use std::path::Path;

use crate::project::Project;
use crate::workshop::catalog;
use crate::workshop::names::ProjectNames;
use crate::workshop::todos::{self, TodoSpan};

use super::{Blocked, Checklist, Status, TodoAt};

impl Checklist {
    /// Reads the project at `project_dir` (the one checked, as it is now) and puts the checklist
    /// in its terms: the behaviours, hints and outcomes with its own names and paths relative to
    /// it, each `todo!()` a behaviour ran into placed at the call that printed it, and a compile
    /// error in the exercise whose function holds it.
    pub fn place(&mut self, project_dir: &Path) {
        let names = match Project::read(project_dir) {
            Ok(project) => ProjectNames::of(&project),
            Err(_) => ProjectNames::rendered(&self.project),
        };
        self.package = names.package.clone();
        // A project whose sources cannot be read leaves its todo!()s unplaced.
        let spans = todos::in_project(project_dir).unwrap_or_default();
        for line in &mut self.behaviours {
            line.behaviour = names.fill(&line.behaviour);
            line.hint = names.fill(&line.hint);
            match &mut line.status {
                Status::NotImplemented { todo } => {
                    let printer = todo
                        .exercise
                        .and_then(|number| printed_by(&spans, number, &todo.text));
                    todo.at = printer.map(|span| TodoAt {
                        file: span.file.to_string_lossy().replace('\\', "/"),
                        line: span.line(),
                    });
                    todo.text = names.readable(&todo.text);
                }
                Status::Failed { expected, got } => {
                    *expected = names.readable(expected);
                    *got = names.readable(got);
                }
                Status::Passed | Status::NotChecked => {}
            }
        }
        match &mut self.blocked {
            Some(Blocked::DoesNotImport { exception, causes }) => {
                *exception = names.readable(exception);
                for cause in causes {
                    *cause = names.readable(cause);
                }
            }
            Some(Blocked::StageFailed { message, .. }) => *message = names.readable(message),
            _ => {}
        }
        self.place_compile_error(project_dir, &names);
    }

    /// Places a compile error in the exercise whose function holds it, reading the file in the
    /// project at `project_dir`, and gives the error that exercise's first hint; an error in
    /// no exercise's function gets a hint saying where else to look.
    fn place_compile_error(&mut self, project_dir: &Path, names: &ProjectNames) {
        let Some(Blocked::DoesNotCompile {
            error: Some(error),
            exercise,
            hint,
        }) = &mut self.blocked
        else {
            return;
        };
        let source = fs_err::read_to_string(project_dir.join(&error.file)).unwrap_or_default();
        let line = usize::try_from(error.line).unwrap_or(usize::MAX);
        match catalog::enclosing(&error.file, &source, line) {
            Some(found) => {
                *exercise = Some(found.number);
                *hint = found.hint(0, names);
            }
            None => {
                *hint = Some(format!(
                    "the error is outside the exercises' functions: compare {} with the same \
                     file in a fresh render of the template",
                    error.file
                ));
            }
        }
    }
}

/// The call among `spans` whose message printed `text` for exercise `number`: the one that
/// matches, or the exercise's only call when none does (its message was edited).
fn printed_by<'a>(spans: &'a [TodoSpan], number: u32, text: &str) -> Option<&'a TodoSpan> {
    let matching: Vec<&TodoSpan> = spans
        .iter()
        .filter(|span| span.printed(number, text))
        .collect();
    if let [one] = matching.as_slice() {
        return Some(one);
    }
    let numbered: Vec<&TodoSpan> = spans.iter().filter(|span| span.number == number).collect();
    match (matching.as_slice(), numbered.as_slice()) {
        ([], [only]) => Some(only),
        _ => None,
    }
}

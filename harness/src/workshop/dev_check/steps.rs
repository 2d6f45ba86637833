//! The built part of `dev check`, on one copy of a style's exercise render: build and test it,
//! then apply each reference solution in order, building and testing after each.

use std::collections::BTreeSet;
use std::path::Path;

use crate::pipeline;
use crate::pipeline::job::{self, Mode};
use crate::project::dependencies::Choice;
use crate::stages::build::log;
use crate::stages::pytest::{self, Outcome};
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::catalog::CatalogEntry;
use crate::workshop::patch::{self, Pick, Region};

use super::{Request, list};

/// The built part of the check, on one copy of the exercise render.
pub(super) struct Steps<'a> {
    pub request: &'a Request<'a>,
    pub style: Style,
    pub project: &'a Path,
    pub regions: &'a [Region],
}

/// What went wrong, for which exercise (if one).
pub(super) type StepError = (Option<u32>, String);

/// The tests of one run, by outcome.
struct Tests {
    passed: BTreeSet<String>,
    skipped: BTreeSet<String>,
}

impl Steps<'_> {
    pub fn run(&self, entries: &[&CatalogEntry]) -> Result<(), StepError> {
        let say = self.request.say;
        say(&format!("{}: building the exercise version", self.style));
        let first = self.build_and_test(None)?;
        let marked = self.marked(entries)?;
        let every = self.collect(None)?;
        let unmarked: BTreeSet<String> = every
            .iter()
            .filter(|test| !marked.iter().any(|(_, tests)| tests.contains(*test)))
            .cloned()
            .collect();
        let failing: Vec<&String> = unmarked
            .difference(&first.passed)
            .filter(|test| !first.skipped.contains(*test))
            .collect();
        if !failing.is_empty() {
            return Err((
                None,
                format!(
                    "tests with no exercise marker fail in the untouched exercise version: {} \
                 (mark each with the exercise it needs last)",
                    list(failing)
                ),
            ));
        }
        let mut before = first.passed;
        for (number, tests) in &marked {
            let number = *number;
            let early: Vec<&String> = tests.intersection(&before).collect();
            if !early.is_empty() {
                return Err((
                    Some(number),
                    format!(
                        "its tests pass before it is solved: {} (its todo!() is not what they reach, \
                     or they are marked with the wrong exercise)",
                        list(early)
                    ),
                ));
            }
            say(&format!(
                "{}: exercise {number}: applying its solution",
                self.style
            ));
            let patched = patch::patch(self.project, self.regions, number, Pick::Solution)
                .map_err(|error| {
                    (
                        Some(number),
                        format!("its solution cannot be applied: {error}"),
                    )
                })?;
            patch::write(self.project, &patched)
                .map_err(|error| (Some(number), error.to_string()))?;
            let now = self.build_and_test(Some(number))?.passed;
            let broken: Vec<&String> = before.difference(&now).collect();
            if !broken.is_empty() {
                return Err((
                    Some(number),
                    format!(
                        "its solution breaks tests that passed before: {}",
                        list(broken)
                    ),
                ));
            }
            let newly: BTreeSet<String> = now.difference(&before).cloned().collect();
            if &newly != tests {
                let still: Vec<&String> = tests.difference(&newly).collect();
                let also: Vec<&String> = newly.difference(tests).collect();
                let mut message = String::from("its solution does not make exactly its tests pass");
                if !still.is_empty() {
                    message.push_str(&format!("; still failing: {}", list(still)));
                }
                if !also.is_empty() {
                    message.push_str(&format!(
                        "; passing now but not marked exercise{number}: {}",
                        list(also)
                    ));
                }
                return Err((Some(number), message));
            }
            say(&format!(
                "{}: exercise {number}: ok ({} test(s) pass with its solution)",
                self.style,
                tests.len()
            ));
            before = now;
        }
        Ok(())
    }

    /// The tests each exercise's marker selects, in exercise order; each selects one at least.
    fn marked(&self, entries: &[&CatalogEntry]) -> Result<Vec<(u32, BTreeSet<String>)>, StepError> {
        let mut marked = Vec::new();
        for entry in entries {
            let tests = self.collect(Some(&format!("exercise{}", entry.number)))?;
            if tests.is_empty() {
                return Err((
                    Some(entry.number),
                    format!(
                        "`pytest -m exercise{}` selects no test: mark the tests it makes pass",
                        entry.number
                    ),
                ));
            }
            marked.push((entry.number, tests));
        }
        Ok(marked)
    }

    /// The copy as `check` would take it, compared with its style's reference.
    fn job(&self) -> crate::Result<pipeline::Job> {
        job::for_folder(
            self.project,
            Some(ProbeStyle(Some(self.style))),
            &Mode::Reference,
            self.request.python.clone(),
            false,
            &Choice::default(),
        )
    }

    /// Builds the copy as it is now and runs its tests; `solved` names the exercise just solved.
    fn build_and_test(&self, solved: Option<u32>) -> Result<Tests, StepError> {
        let request = self.request;
        let job = self.job().map_err(|error| (solved, error.to_string()))?;
        let report = pipeline::run(request.settings, &job, request.observer);
        let Some(tests) = report.tests else {
            let why = report.error.as_ref().map_or_else(String::new, |error| {
                let first = error
                    .process
                    .as_ref()
                    .and_then(|build| log::first_error(&build.output(), build.cwd.as_deref()))
                    .map_or_else(
                        || error.message.lines().next().unwrap_or_default().to_owned(),
                        |error| error.to_string(),
                    );
                format!(": {} stage: {first}", error.stage.as_str())
            });
            let what = match solved {
                Some(_) => "with its solution the project does not build or test",
                None => "the untouched exercise version does not build or test",
            };
            return Err((solved, format!("{what}{why}")));
        };
        let with = |outcome: Outcome| -> BTreeSet<String> {
            tests
                .cases
                .iter()
                .filter(|case| case.outcome == outcome)
                .map(|case| case.name.clone())
                .collect()
        };
        Ok(Tests {
            passed: with(Outcome::Passed),
            skipped: with(Outcome::Skipped),
        })
    }

    /// The tests `-m expression` selects in the copy's case (every test with `None`).
    fn collect(&self, expression: Option<&str>) -> Result<BTreeSet<String>, StepError> {
        let request = self.request;
        let job = self.job().map_err(|error| (None, error.to_string()))?;
        let case = pipeline::case_dir(request.settings, &job);
        pytest::collect(
            &case.project(),
            &case.venv(),
            expression,
            request.settings.timeout,
        )
        .map(|tests| tests.into_iter().collect())
        .map_err(|error| (None, format!("pytest could not collect the tests: {error}")))
    }
}

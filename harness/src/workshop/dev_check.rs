//! `dev check`: the exercises themselves proved, for the people who write them (rustlings has
//! the same command for its exercises).
//!
//! For every style with exercises in the catalogue, a fresh workshop render under the name
//! `dev-check-<style>`:
//! - first what needs no build: every catalogue entry has a `todo!()` in the file it names, every
//!   `todo!()` has an entry, every hint level says something and names no placeholder, every
//!   exercise has its pytest marker, and each body has its place in the complete render;
//! - then the render is built and its tests run, and the reference solutions are applied one
//!   exercise at a time, in order, each followed by a build and a test run: before an exercise is
//!   solved its tests (those its `exerciseN` marker selects, at least one) fail; its solution
//!   makes exactly those pass, and every test that passed before still does; the unmarked tests
//!   pass from the start.
//!
//! Two checks of one style at once (two terminals, two tests) take turns: they share the style's
//! case in the cache. A style with a problem of the first kind is not built: its problems are told first. The first
//! exercise whose solution breaks the sequence ends its style's run, since every later step
//! stands on it.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::base::cache::lock;
use crate::base::error::Result;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, Observer, Settings};
use crate::project::tree;
use crate::python::interpreter::Python;
use crate::stages::build::log;
use crate::stages::pytest::{self, Outcome};
use crate::template::render::Template;
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::Renders;
use crate::workshop::catalog::{Catalog, CatalogEntry};
use crate::workshop::names::{ProjectNames, placeholders};
use crate::workshop::patch::{self, Pick, Region};
use crate::workshop::todos;

/// One thing wrong with the exercises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub style: String,
    /// The exercise it is about, when it is about one.
    pub exercise: Option<u32>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exercise {
            Some(number) => write!(f, "exercise {number} ({}): {}", self.style, self.message),
            None => write!(f, "{}: {}", self.style, self.message),
        }
    }
}

/// What the check runs with.
pub struct Request<'a> {
    pub settings: &'a Settings,
    pub python: &'a Python,
    pub template: &'a Template,
    pub catalog: &'a Catalog,
    /// The styles to check; every style of the registry with exercises when empty.
    pub styles: &'a [Style],
    pub observer: &'a dyn Observer,
    /// Told what is being done, a line at a time.
    pub say: &'a dyn Fn(&str),
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("python", &self.python.key)
            .field("template", &self.template.dir)
            .field("styles", &self.styles)
            .finish_non_exhaustive()
    }
}

/// Every problem found, in the order found.
pub fn run(request: &Request<'_>) -> Result<Vec<Problem>> {
    let mut problems = unknown_styles(request.catalog);
    for style in Style::ALL {
        let chosen = request.styles.is_empty() || request.styles.contains(&style);
        let entries = request.catalog.of_style(style);
        if !chosen || entries.is_empty() {
            continue;
        }
        problems.extend(check_style(request, style, &entries)?);
    }
    Ok(problems)
}

/// Entries of a style the registry does not know: no render can hold them.
fn unknown_styles(catalog: &Catalog) -> Vec<Problem> {
    catalog
        .exercises
        .iter()
        .filter(|entry| Style::parse(&entry.style).is_none())
        .map(|entry| Problem {
            style: entry.style.clone(),
            exercise: Some(entry.number),
            message: format!(
                "no such style in the registry (template/style.rs knows {})",
                Style::names().join(", ")
            ),
        })
        .collect()
}

fn check_style(
    request: &Request<'_>,
    style: Style,
    entries: &[&CatalogEntry],
) -> Result<Vec<Problem>> {
    let name = format!("dev-check-{style}");
    // Two checks of one style share its case in the cache: they take turns, whole.
    let lock_file = request
        .settings
        .cache
        .root()
        .join("locks")
        .join(format!("{name}.lock"));
    let _turn = lock(&lock_file)?;
    (request.say)(&format!(
        "{style}: rendering the exercise and the complete version"
    ));
    let renders = Renders::make(request.template, style, &name)?;
    let problem = |exercise: Option<u32>, message: String| Problem {
        style: style.to_string(),
        exercise,
        message,
    };
    let mut problems = static_problems(&renders.exercise, &ProjectNames::rendered(&name), entries)
        .into_iter()
        .map(|(exercise, message)| problem(exercise, message))
        .collect::<Vec<_>>();
    let regions = match renders.regions() {
        Ok(regions) => regions,
        Err(error) => {
            problems.push(problem(None, error.to_string()));
            return Ok(problems);
        }
    };
    if !problems.is_empty() {
        (request.say)(&format!(
            "{style}: not built: the problems above come first"
        ));
        return Ok(problems);
    }
    let work = tempfile::Builder::new()
        .prefix("scaffold-harness-dev-check-")
        .tempdir()?;
    let project = work.path().join(&name);
    tree::copy_sources(&renders.exercise, &project)?;
    let steps = Steps {
        request,
        style,
        project: &project,
        regions: &regions,
    };
    if let Err((exercise, message)) = steps.run(entries) {
        problems.push(problem(exercise, message));
    }
    Ok(problems)
}

/// What a fresh exercise render must hold before anything is built: `(exercise, message)`.
fn static_problems(
    project: &Path,
    names: &ProjectNames,
    entries: &[&CatalogEntry],
) -> Vec<(Option<u32>, String)> {
    let mut problems = Vec::new();
    let spans = match todos::in_project(project) {
        Ok(spans) => spans,
        Err(error) => return vec![(None, format!("its sources cannot be read: {error}"))],
    };
    let markers = pytest_markers(project);
    for entry in entries {
        let number = entry.number;
        let mut say = |message: String| problems.push((Some(number), message));
        let ours: Vec<_> = spans.iter().filter(|span| span.number == number).collect();
        if ours.is_empty() {
            say("the workshop render has no `todo!(\"exercise N: ...\")` for it".to_owned());
        } else if !ours.iter().any(|span| span.file == Path::new(&entry.file)) {
            say(format!(
                "its `todo!()` is in {}, not in {} as the catalogue says",
                ours[0].file.display(),
                entry.file
            ));
        }
        if entry.hints.is_empty() {
            say("it has no hints".to_owned());
        }
        for (level, hint) in entry.hints.iter().enumerate() {
            let shown = names.fill(hint);
            if shown.trim().is_empty() {
                say(format!("hint {} is empty", level + 1));
            }
            let left = placeholders(&shown);
            if !left.is_empty() {
                say(format!(
                    "hint {} names placeholders a learner would read: {}",
                    level + 1,
                    left.join(", ")
                ));
            }
        }
        if !markers.contains(&format!("exercise{number}")) {
            say(format!(
                "pyproject.toml declares no pytest marker `exercise{number}` \
                 ([tool.pytest.ini_options] markers)"
            ));
        }
    }
    let known: Vec<u32> = entries.iter().map(|entry| entry.number).collect();
    for span in spans.iter().filter(|span| !known.contains(&span.number)) {
        problems.push((
            Some(span.number),
            format!(
                "{}:{} has its `todo!()`, but the catalogue has no such exercise for this style",
                span.file.display(),
                span.line()
            ),
        ));
    }
    problems
}

/// The marker names `pyproject.toml` declares for pytest (`exercise1: ...` is `exercise1`).
fn pytest_markers(project: &Path) -> Vec<String> {
    let text = fs_err::read_to_string(project.join("pyproject.toml")).unwrap_or_default();
    let document: toml::Table = toml::from_str(&text).unwrap_or_default();
    document
        .get("tool")
        .and_then(|tool| tool.get("pytest"))
        .and_then(|pytest| pytest.get("ini_options"))
        .and_then(|options| options.get("markers"))
        .and_then(toml::Value::as_array)
        .map(|markers| {
            markers
                .iter()
                .filter_map(toml::Value::as_str)
                .map(|marker| {
                    marker
                        .split(':')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The built part of the check, on one copy of the exercise render.
struct Steps<'a> {
    request: &'a Request<'a>,
    style: Style,
    project: &'a Path,
    regions: &'a [Region],
}

/// What went wrong, for which exercise (if one).
type StepError = (Option<u32>, String);

/// The tests of one run, by outcome.
struct Tests {
    passed: BTreeSet<String>,
    skipped: BTreeSet<String>,
}

impl Steps<'_> {
    fn run(&self, entries: &[&CatalogEntry]) -> Result<(), StepError> {
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

    /// Builds the copy as it is now and runs its tests; `solved` names the exercise just solved.
    fn build_and_test(&self, solved: Option<u32>) -> Result<Tests, StepError> {
        let request = self.request;
        let job = job::for_folder(
            self.project,
            Some(ProbeStyle(Some(self.style))),
            &Mode::Reference,
            request.python.clone(),
            false,
        )
        .map_err(|error| (solved, error.to_string()))?;
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
        let job = job::for_folder(
            self.project,
            Some(ProbeStyle(Some(self.style))),
            &Mode::Reference,
            request.python.clone(),
            false,
        )
        .map_err(|error| (None, error.to_string()))?;
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

/// `a, b and 3 more`: a few names of a set, for a message.
fn list<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let names: Vec<&String> = names.into_iter().collect();
    let shown: Vec<&str> = names.iter().take(4).map(|name| name.as_str()).collect();
    match names.len() - shown.len() {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(number: u32, file: &str, hints: &[&str]) -> CatalogEntry {
        CatalogEntry {
            number,
            style: "greet".into(),
            title: "t".into(),
            file: file.into(),
            functions: vec![],
            hints: hints.iter().map(|hint| (*hint).to_owned()).collect(),
        }
    }

    #[test]
    fn what_needs_no_build_is_checked_against_the_render() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path();
        fs_err::create_dir_all(project.join("src")).unwrap();
        fs_err::write(
            project.join("src/lib.rs"),
            "fn a() {\n    todo!(\"exercise 1: a\")\n}\nfn b() {\n    todo!(\"exercise 3: c\")\n}\n",
        )
        .unwrap();
        fs_err::write(
            project.join("pyproject.toml"),
            "[tool.pytest.ini_options]\nmarkers = [\"exercise1: the first\"]\n",
        )
        .unwrap();
        let names = ProjectNames::rendered("my-ext");
        let entries = [
            entry(
                1,
                "src/lib.rs",
                &["Run `cargo test -p {{project-name}}-core`.", "Use it."],
            ),
            entry(2, "src/lib.rs", &["", "plugin '<name>' returned <type>"]),
        ];
        let found = static_problems(project, &names, &entries.iter().collect::<Vec<_>>());
        assert_eq!(
            found,
            [
                (
                    Some(2),
                    "the workshop render has no `todo!(\"exercise N: ...\")` for it".to_owned()
                ),
                (Some(2), "hint 1 is empty".to_owned()),
                (
                    Some(2),
                    "hint 2 names placeholders a learner would read: <name>, <type>".to_owned()
                ),
                (
                    Some(2),
                    "pyproject.toml declares no pytest marker `exercise2` \
                     ([tool.pytest.ini_options] markers)"
                        .to_owned()
                ),
                (
                    Some(3),
                    "src/lib.rs:5 has its `todo!()`, but the catalogue has no such exercise for \
                     this style"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_catalogue_entry_of_no_known_style_is_a_problem() {
        let mut catalog = Catalog::embedded().clone();
        catalog.exercises.push(CatalogEntry {
            style: "fancy".into(),
            ..entry(99, "src/lib.rs", &["a hint"])
        });
        let problems = unknown_styles(&catalog);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .starts_with("exercise 99 (fancy): no such style"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn lists_stay_short() {
        let names: Vec<String> = (1..=6).map(|n| format!("t{n}")).collect();
        assert_eq!(list(&names[..2]), "t1, t2");
        assert_eq!(list(&names), "t1, t2, t3, t4 and 2 more");
    }
}

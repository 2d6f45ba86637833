//! `dev check`: the exercises themselves proved, for the people who write them (rustlings has
//! the same command for its exercises).
//!
//! For every style with exercises in the catalogue, a fresh workshop render under the name
//! `dev-check-<style>`:
//! - first what needs no build: every catalogue entry has a `todo!()` in the file it names, every
//!   `todo!()` has an entry, every hint level says something and names no placeholder, and each
//!   body has its place in the complete render;
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

use std::fmt;

mod render_checks;
mod steps;

use crate::base::cache::lock;
use crate::base::error::Result;
use crate::pipeline::{Observer, Settings};
use crate::project::tree;
use crate::python::interpreter::Python;
use crate::template::render::Template;
use crate::template::style::Style;
use crate::workshop::Renders;
use crate::workshop::catalog::{Catalog, CatalogEntry};
use crate::workshop::names::ProjectNames;

use render_checks::static_problems;
use steps::Steps;

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
        let named = request.styles.contains(&style);
        if !named && !request.styles.is_empty() {
            continue;
        }
        let entries = request.catalog.of_style(style);
        // A style without entries is still rendered: a `todo!()` the catalogue lacks is a
        // problem, and a style named on the command line must have exercises to check.
        problems.extend(check_style(request, style, &entries, named)?);
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
    named: bool,
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
    if entries.is_empty() {
        if named {
            problems.push(problem(
                None,
                "the catalogue has no exercise of this style, so there is nothing to check \
                 (harness/workshop/exercises.toml)"
                    .to_owned(),
            ));
        }
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

/// `a, b and 3 more`: a few names of a set, for a message.
pub(super) fn list<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
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

    /// A catalogue entry of greet's, for the checks' tests here and in the submodules.
    pub(super) fn entry(number: u32, file: &str, hints: &[&str]) -> CatalogEntry {
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

//! The catalogue of the workshop's exercises and their hints in levels, read from
//! `harness/workshop/exercises.toml` (embedded): the data lives apart from the code that shows
//! it, so a new hint is a line of TOML. ([`crate::workshop::todos`] finds the `todo!()`s left in a
//! project; this says what each exercise is.) `dev check` reads another copy of the file, to
//! prove an edited catalogue before it is built in.

use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::template::style::Style;
use crate::workshop::names::ProjectNames;

const TABLE: &str = include_str!("../../workshop/exercises.toml");

/// One entry of the catalogue: an exercise, whose bodies the exercise version leaves as
/// `todo!("exercise N: ...")`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub number: u32,
    /// The style whose project holds it: its name in the registry (`greet`).
    pub style: String,
    pub title: String,
    /// The file holding its `todo!()`, relative to the project.
    pub file: String,
    /// The signatures (or their start) of the functions whose bodies it is.
    pub functions: Vec<String>,
    /// Where to look first, then which API to use, then more; shown one level at a time. They
    /// may name the project as the template does, `{{project-name}}` and `{{crate_name}}`.
    pub hints: Vec<String>,
}

impl CatalogEntry {
    /// Hint level `level` (from 0) as the learner of the project `names` reads it.
    pub fn hint(&self, level: usize, names: &ProjectNames) -> Option<String> {
        self.hints.get(level).map(|hint| names.fill(hint))
    }
}

/// Every exercise of the workshop, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "exercise")]
    pub exercises: Vec<CatalogEntry>,
}

impl Catalog {
    /// The catalogue built into the binary.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(TABLE, "harness/workshop/exercises.toml")
                .unwrap_or_else(|message| panic!("{message}"))
        })
    }

    /// A catalogue file of the same format; the error names the file and what is wrong.
    pub fn read(path: &Path) -> Result<Catalog, String> {
        let shown = path.display().to_string();
        let text = fs_err::read_to_string(path).map_err(|error| error.to_string())?;
        Catalog::parse(&text, &shown)
    }

    fn parse(text: &str, shown: &str) -> Result<Catalog, String> {
        toml::from_str(text).map_err(|error| format!("{shown} is unreadable: {error}"))
    }

    /// The exercises of one style, in order.
    pub fn of_style(&self, style: Style) -> Vec<&CatalogEntry> {
        self.exercises
            .iter()
            .filter(|exercise| exercise.style == style.as_str())
            .collect()
    }

    /// Exercise `number`, if there is one.
    pub fn find(&self, number: u32) -> Option<&CatalogEntry> {
        self.exercises
            .iter()
            .find(|exercise| exercise.number == number)
    }
}

/// Every exercise, in order.
pub fn all() -> &'static [CatalogEntry] {
    &Catalog::embedded().exercises
}

/// The exercises of one style, in order.
pub fn of_style(style: Style) -> Vec<&'static CatalogEntry> {
    Catalog::embedded().of_style(style)
}

/// Exercise `number`, if there is one.
pub fn find(number: u32) -> Option<&'static CatalogEntry> {
    Catalog::embedded().find(number)
}

/// The exercise whose function holds line `line` (from 1) of `source`, the text of the
/// project's `file`: the function whose signature comes last above that line.
pub fn enclosing(file: &str, source: &str, line: usize) -> Option<&'static CatalogEntry> {
    let lines: Vec<&str> = source.lines().collect();
    let above = &lines[..line.min(lines.len())];
    let signature = above.iter().rev().find(|text| text.contains("fn "))?;
    all().iter().find(|exercise| {
        exercise.file == file
            && exercise
                .functions
                .iter()
                .any(|function| signature.contains(function.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercise numbers a scenario table names in its `exercises=(...)` fields.
    fn numbers_in(table: &str) -> Vec<u32> {
        let mut numbers: Vec<u32> = table
            .split("exercises=(")
            .skip(1)
            .flat_map(|rest| {
                let inside = rest.split(')').next().unwrap_or_default();
                inside
                    .split(',')
                    .filter_map(|number| number.trim().parse::<u32>().ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    #[test]
    fn the_table_reads_and_every_exercise_has_two_hint_levels_at_least() {
        // In the workshop's order, each number once; which style holds which is checked against
        // the scenario tables below.
        let numbers: Vec<u32> = all().iter().map(|exercise| exercise.number).collect();
        assert!(numbers.len() > 2, "{numbers:?}");
        assert!(numbers.is_sorted_by(|a, b| a < b), "{numbers:?}");
        for exercise in all() {
            assert!(exercise.hints.len() >= 2, "{exercise:?}");
            assert!(
                exercise.hints.iter().all(|hint| hint.len() > 20),
                "{exercise:?}"
            );
            assert!(exercise.hints[0].contains(&exercise.file), "{exercise:?}");
            assert!(Style::parse(&exercise.style).is_some(), "{exercise:?}");
        }
        assert_eq!(find(7).map(|exercise| exercise.hints.len()), Some(3));
        // 9, the packaging chapter, has no `todo!()` and no entry.
        assert_eq!(find(9), None);
    }

    #[test]
    fn each_style_has_the_exercises_its_scenario_table_names() {
        for style in Style::ALL {
            let ours: Vec<u32> = of_style(style)
                .iter()
                .map(|exercise| exercise.number)
                .collect();
            assert_eq!(ours, numbers_in(style.scenario_table()), "{style}");
        }
    }

    /// The template's source of an exercise's file (the per-style copy of errors.rs).
    fn template_source(exercise: &CatalogEntry) -> String {
        let file = if exercise.file == "crates/python/src/errors.rs" {
            "crates/python/src/errors.greet.rs"
        } else {
            exercise.file.as_str()
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        fs_err::read_to_string(root.join(file)).unwrap()
    }

    #[test]
    fn every_function_signature_is_in_the_template_once() {
        for exercise in all() {
            let source = template_source(exercise);
            for function in &exercise.functions {
                assert_eq!(
                    source.matches(function.as_str()).count(),
                    1,
                    "exercise {}: {function}",
                    exercise.number
                );
            }
        }
    }

    #[test]
    fn a_line_belongs_to_the_exercise_whose_function_holds_it() {
        let exercise = find(2).unwrap();
        let source = template_source(exercise);
        let at = |needle: &str| {
            source
                .lines()
                .position(|line| line.contains(needle))
                .unwrap()
                + 1
        };
        let file = "crates/python/src/message.rs";
        let number = |line| enclosing(file, &source, line).map(|exercise| exercise.number);
        assert_eq!(number(at("exercise 2: keep")), Some(2));
        assert_eq!(number(at("exercise 1: greet")), Some(1));
        assert_eq!(number(at("exercise 4: panic")), Some(4));
        // fail_if_empty is no exercise; nor is another file.
        assert_eq!(number(at("self.inner.fail_if_empty(&text)?")), None);
        assert_eq!(
            enclosing("crates/python/src/lib.rs", &source, at("exercise 1: greet")),
            None
        );
    }

    #[test]
    fn a_broken_table_says_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("exercises.toml");
        fs_err::write(&file, "[[exercise]]\nnumber = 1\n").unwrap();
        let error = Catalog::read(&file).unwrap_err();
        assert!(
            error.starts_with(&format!("{} is unreadable: ", file.display())),
            "{error}"
        );
        fs_err::write(&file, TABLE).unwrap();
        assert_eq!(Catalog::read(&file).as_ref(), Ok(Catalog::embedded()));
    }
}

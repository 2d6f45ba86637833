//! The catalog of the workshop's exercises and their hints in levels, read from
//! `harness/workshop/exercises.toml` (embedded): the data lives apart from the code that shows
//! it, so a new hint is a line of TOML. ([`crate::workshop::todos`] finds the `todo!()`s left in a
//! project; this says what each exercise is.)

use std::sync::OnceLock;

use serde::Deserialize;

use crate::template::style::Style;

const TABLE: &str = include_str!("../../workshop/exercises.toml");

/// One exercise: a `todo!("exercise N: ...")` body (or several) of the exercise version.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub number: u32,
    /// The style whose project holds it (`greet`, `text-processor`).
    pub style: String,
    pub title: String,
    /// The file holding its `todo!()`, relative to the project.
    pub file: String,
    /// The signatures (or their start) of the functions whose bodies it is.
    pub functions: Vec<String>,
    /// Where to look first, then which API to use, then more; shown one level at a time.
    pub hints: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    exercise: Vec<Exercise>,
}

/// Every exercise, in order.
pub fn all() -> &'static [Exercise] {
    static EXERCISES: OnceLock<Vec<Exercise>> = OnceLock::new();
    EXERCISES.get_or_init(|| parse(TABLE).unwrap_or_else(|message| panic!("{message}")))
}

/// The exercises of one style, in order.
pub fn of_style(style: Style) -> Vec<&'static Exercise> {
    all()
        .iter()
        .filter(|exercise| exercise.style == style.as_str())
        .collect()
}

/// Exercise `number`, if there is one.
pub fn find(number: u32) -> Option<&'static Exercise> {
    all().iter().find(|exercise| exercise.number == number)
}

/// The exercise whose function holds line `line` (from 1) of `source`, the text of the
/// project's `file`: the function whose signature comes last above that line.
pub fn enclosing(file: &str, source: &str, line: usize) -> Option<&'static Exercise> {
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

fn parse(text: &str) -> Result<Vec<Exercise>, String> {
    let table: Table = toml::from_str(text)
        .map_err(|error| format!("harness/workshop/exercises.toml is unreadable: {error}"))?;
    Ok(table.exercise)
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
        let numbers: Vec<u32> = all().iter().map(|exercise| exercise.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
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
        assert_eq!(find(9), None);
    }

    #[test]
    fn each_style_has_the_exercises_its_scenario_table_names() {
        let tables = [
            (
                Style::parse("greet").unwrap(),
                include_str!("../../probe/greet_scenarios.py"),
            ),
            (
                Style::parse("text-processor").unwrap(),
                include_str!("../../probe/text_processor_scenarios.py"),
            ),
        ];
        for (style, table) in tables {
            let ours: Vec<u32> = of_style(style)
                .iter()
                .map(|exercise| exercise.number)
                .collect();
            assert_eq!(ours, numbers_in(table), "{style}");
        }
    }

    /// The template's source of an exercise's file (the per-style copy of errors.rs).
    fn template_source(exercise: &Exercise) -> String {
        let file = if exercise.file == "crates/python/src/errors.rs" {
            "crates/python/src/errors.greet.rs"
        } else {
            exercise.file.as_str()
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
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
        let error = parse("[[exercise]]\nnumber = 1\n").unwrap_err();
        assert!(
            error.starts_with("harness/workshop/exercises.toml is unreadable: "),
            "{error}"
        );
    }
}

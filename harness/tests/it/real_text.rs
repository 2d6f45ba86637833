//! A learner sees only real text: every hint level and every kind of checklist line of every
//! style in the registry, rendered for a fresh workshop project, holds no placeholder.
//!
//! The lines are made from the real tables: the style's scenario table (read by the probe, as
//! `check` reads it), its committed reference behaviour, the exercise catalogue, and the
//! `todo!()` calls of a fresh workshop render. Each behaviour is shown as a `todo` (with the
//! panic its exercise's call prints), as `FAILED` (with another behaviour's outcome as what came
//! back, so both summaries quote the reference's own text), and blocked by a compile error in
//! each exercise's function and by an import error.

use std::path::Path;
use std::time::Duration;

use scaffold_harness::base::python_version::PythonVersion;
use scaffold_harness::pipeline::CaseReport;
use scaffold_harness::snapshot::{self, Behaviour, version_tags};
use scaffold_harness::stages::build::log::CompilerError;
use scaffold_harness::stages::probe::{self, ExceptionInfo, Outcome};
use scaffold_harness::template::style::Style;
use scaffold_harness::workshop::catalog;
use scaffold_harness::workshop::checklist::{Blocked, Checklist, OfficialTests, Status};
use scaffold_harness::workshop::names::{ProjectNames, placeholders};
use scaffold_harness::workshop::todos::{self, TodoSpan};

use crate::support::render;

const PANIC: &str = "pyo3_runtime.PanicException";

fn exception(type_name: &str, is_exception: bool, message: &str) -> ExceptionInfo {
    ExceptionInfo {
        type_name: type_name.into(),
        mro: vec![type_name.into()],
        is_exception,
        message: message.into(),
        notes: vec![],
        cause: None,
        context: None,
    }
}

/// The report of a `check` of `my-ext` whose probe found `behaviour`.
fn report(style: Style, behaviour: Behaviour) -> CaseReport {
    CaseReport {
        case: "my-ext".into(),
        style: Some(style.to_string()),
        variant: None,
        python: "cpython-3.11-x86_64-12345678".into(),
        stages: Vec::new(),
        tests: None,
        snapshot: Some(behaviour.to_string()),
        behaviour: Some(behaviour),
        differences: Vec::new(),
        error: None,
        cargo_build: None,
        work_dir: None,
        elapsed: Duration::ZERO,
        no_tests_ok: false,
        package: Some("my_ext".into()),
    }
}

fn unchanged() -> OfficialTests {
    OfficialTests::Compared {
        edited: vec![],
        deleted: vec![],
        added: vec![],
    }
}

/// What `span` prints when it panics: its message with each `{…}` filled with a value that
/// holds what the filters write into a path.
fn panic_message(span: &TodoSpan) -> String {
    let filled = regex::Regex::new(r"\{[^{}]*\}")
        .unwrap()
        .replace_all(&span.message, "'x' ([PKG_DIR]/plugins/x.py)")
        .replace("\\\"", "\"");
    format!("not yet implemented: exercise {}: {filled}", span.number)
}

/// Every placeholder in `text`, with the line it stands in.
fn found_in(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !placeholders(line).is_empty())
        .map(|line| format!("{:?} in {line:?}", placeholders(line)))
        .collect()
}

#[test]
fn every_hint_and_checklist_line_of_every_style_is_real_text() {
    let names = ProjectNames::rendered("my-ext");
    let mut problems = Vec::new();
    for style in Style::ALL {
        for exercise in catalog::of_style(style) {
            for level in 0..exercise.hints.len() {
                let hint = exercise.hint(level, &names).unwrap_or_default();
                if hint.trim().is_empty() {
                    problems.push(format!(
                        "{style}: exercise {}: hint {level} is empty",
                        exercise.number
                    ));
                }
                problems.extend(found_in(&hint).into_iter().map(|found| {
                    format!(
                        "{style}: exercise {} hint {level}: {found}",
                        exercise.number
                    )
                }));
            }
        }

        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("my-ext");
        render(style.as_str(), &project, &["workshop=true"]);
        let spans = todos::in_project(&project).unwrap();
        let table = probe::list(
            Path::new("python3"),
            style.as_str(),
            Duration::from_secs(60),
        )
        .unwrap();
        let committed = snapshot::committed(&snapshot::reference_name(style)).unwrap();
        let reference =
            &version_tags::resolve(committed, PythonVersion::new(3, 11, false)).unwrap();
        let reference_behaviour = snapshot::read(reference).unwrap();
        let checklist_with = |behaviour: Behaviour| {
            let report = report(style, behaviour);
            let mut checklist = Checklist::build(&table, reference, &report, unchanged());
            checklist.place(&project);
            checklist
        };

        // Each behaviour stops at a todo!() of an exercise it needs.
        let mut todo = reference_behaviour.clone();
        for scenario in &mut todo.scenarios {
            let row = table.iter().find(|row| row.id == scenario.id);
            let needed = row.map(|row| row.exercises.clone()).unwrap_or_default();
            if let Some(span) = spans.iter().find(|span| needed.contains(&span.number)) {
                scenario.outcome = Outcome::Raised {
                    exception: exception(PANIC, false, &panic_message(span)),
                };
            }
        }
        let todo = checklist_with(todo);
        assert!(
            todo.behaviours
                .iter()
                .filter(|line| !line.exercises.is_empty())
                .all(|line| matches!(&line.status, Status::NotImplemented { todo } if todo.at.is_some())),
            "{style}: every todo placed at its call:\n{}",
            todo.render()
        );

        // Each behaviour does what another one should.
        let mut failing = reference_behaviour.clone();
        let outcomes: Vec<Outcome> = failing
            .scenarios
            .iter()
            .map(|s| s.outcome.clone())
            .collect();
        for (index, scenario) in failing.scenarios.iter_mut().enumerate() {
            scenario.outcome = outcomes[(index + 1) % outcomes.len()].clone();
        }
        let failing = checklist_with(failing);
        assert!(
            failing
                .behaviours
                .iter()
                .any(|line| matches!(line.status, Status::Failed { .. })),
            "{style}: no failing line to read:\n{}",
            failing.render()
        );

        // Blocked: a compile error in each exercise's function, and an import error.
        let mut blocked = Vec::new();
        for span in &spans {
            let mut checklist = checklist_with(reference_behaviour.clone());
            checklist.blocked = Some(Blocked::DoesNotCompile {
                error: Some(CompilerError {
                    file: span.file.to_string_lossy().into_owned(),
                    line: u32::try_from(span.line()).unwrap(),
                    column: 9,
                    message: "error[E0308]: mismatched types".into(),
                    snippet: Vec::new(),
                }),
                exercise: None,
                hint: None,
            });
            checklist.place(&project);
            assert!(
                matches!(
                    &checklist.blocked,
                    Some(Blocked::DoesNotCompile {
                        exercise: Some(_),
                        hint: Some(_),
                        ..
                    })
                ),
                "{style}: the compile error at {}:{} is not placed in its exercise with a hint:\n{}",
                span.file.display(),
                span.line(),
                checklist.render()
            );
            blocked.push(checklist);
        }
        let mut import = reference_behaviour.clone();
        import.import_error = Some(exception(
            "builtins.ImportError",
            true,
            "cannot import name '_my_ext' from '[PKG_DIR]/__init__.py'",
        ));
        blocked.push(checklist_with(import));

        for checklist in [todo, failing].iter().chain(&blocked) {
            let text = checklist.render();
            problems.extend(
                found_in(&text)
                    .into_iter()
                    .map(|found| format!("{style}: {found}")),
            );
        }
    }
    assert!(
        problems.is_empty(),
        "placeholders a learner would read:\n{}",
        problems.join("\n")
    );
}

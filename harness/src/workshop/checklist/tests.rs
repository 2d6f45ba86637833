//! The checklist's tests. Each builds its reference text with the snapshot module's writer
//! and its project's result as the pipeline does, so that a change of wording in the text
//! cannot leave these passing while `check` breaks.

use std::path::PathBuf;
use std::time::Duration;

use super::build::{cut, summary, todo_in};
use super::render::exercise_list;
use super::*;
use crate::base::cmd::{ProcessError, Status as Exit};
use crate::base::error::Fault;
use crate::conformance::compare::{Difference, Kind};
use crate::pipeline::{CaseError, Stage};
use crate::snapshot::Gil;
use crate::snapshot::{Behaviour, Scenario};
use crate::stages::probe::{ExceptionInfo, Outcome, ScenarioInfo};

const PANIC: &str = "pyo3_runtime.PanicException";

pub(super) fn exception(
    type_name: &str,
    mro: &[&str],
    is_exception: bool,
    message: &str,
) -> ExceptionInfo {
    ExceptionInfo {
        type_name: type_name.into(),
        mro: mro.iter().map(|class| (*class).to_owned()).collect(),
        is_exception,
        message: message.into(),
        notes: vec![],
        cause: None,
        context: None,
    }
}

fn panic(message: &str) -> ExceptionInfo {
    exception(PANIC, &[PANIC, "builtins.BaseException"], false, message)
}

fn scenario(id: &str, behaviour: &str, outcome: Outcome) -> Scenario {
    Scenario {
        id: id.into(),
        behaviour: behaviour.into(),
        outcome,
    }
}

fn returned(repr: &str) -> Outcome {
    Outcome::Returned { repr: repr.into() }
}

fn raised(exception: ExceptionInfo) -> Outcome {
    Outcome::Raised { exception }
}

/// The style's reference behaviour.
pub(super) fn reference() -> Behaviour {
    Behaviour {
        package: "[PKG]".into(),
        style: "greet".into(),
        import_error: None,
        all: None,
        doc: None,
        gil: Gil::Enabled,
        api: vec![],
        stubs: vec![],
        wheel: None,
        entry_points: vec![],
        scenarios: vec![
            scenario("greet.import_paths", "same class", returned("True")),
            scenario(
                "greet.static_greet",
                "greet returns",
                returned("'Hello, eunsang !'"),
            ),
            scenario(
                "greet.fail_if_empty_raises",
                "empty raises",
                raised(exception(
                    "[PKG].EmptyTextError",
                    &["[PKG].EmptyTextError", "builtins.ValueError"],
                    true,
                    "the text is empty",
                )),
            ),
            scenario("greet.panic", "panics", raised(panic("boom"))),
        ],
        tests: None,
    }
}

/// The reference as `check` gets it: the committed text, written by the snapshot module.
pub(super) fn reference_text() -> String {
    reference().to_string()
}

pub(super) fn table() -> Vec<ScenarioInfo> {
    let row = |id: &str, behaviour: &str, exercises: &[u32], hint: &str| ScenarioInfo {
        id: id.into(),
        behaviour: behaviour.into(),
        exercises: exercises.to_vec(),
        hint: hint.into(),
    };
    vec![
        row("greet.import_paths", "same class", &[], "keep api.py"),
        row("greet.static_greet", "greet returns", &[1], "delegate"),
        row(
            "greet.fail_if_empty_raises",
            "empty raises",
            &[2, 3],
            "map the error",
        ),
        row("greet.panic", "panics", &[4], "panic!"),
    ]
}

/// The report of a `check` whose probe found `behaviour`, or that failed with `error`.
pub(super) fn report(behaviour: Option<Behaviour>, error: Option<CaseError>) -> CaseReport {
    CaseReport {
        case: "my-ext".into(),
        style: Some("greet".into()),
        variant: None,
        python: "cpython-3.11-x86_64-12345678".into(),
        stages: Vec::new(),
        tests: None,
        snapshot: behaviour.as_ref().map(Behaviour::to_string),
        behaviour,
        differences: Vec::new(),
        error,
        cargo_build: None,
        work_dir: None,
        elapsed: Duration::ZERO,
        no_tests_ok: false,
        // What the behaviour calls `[PKG]`: the checklist names it.
        package: Some("my_ext".into()),
    }
}

/// The checklist of a case that found `behaviour` (and `error`), against the test reference,
/// with the official tests unchanged.
pub(super) fn checklist_of(behaviour: Option<Behaviour>, error: Option<CaseError>) -> Checklist {
    Checklist::build(
        &table(),
        &reference_text(),
        &report(behaviour, error),
        unchanged(),
    )
}

pub(super) fn unchanged() -> OfficialTests {
    OfficialTests::Compared {
        edited: vec![],
        deleted: vec![],
        added: vec![],
    }
}

/// The reference with `static_greet` left as a `todo!()`, `fail_if_empty_raises` raising an
/// EmptyTextError that is no ValueError, and `panic` panicking with the Debug form of its
/// message.
pub(super) fn learner() -> Behaviour {
    let mut learner = reference();
    learner.scenarios[1].outcome = raised(panic(
        "not yet implemented: exercise 1: greet \"eunsang\" with the core crate's `greet`",
    ));
    if let Outcome::Raised { exception } = &mut learner.scenarios[2].outcome {
        exception.mro[1] = "builtins.Exception".into();
    }
    learner.scenarios[3].outcome = raised(panic("\"boom\""));
    learner
}

#[test]
fn a_todo_is_found_in_the_cause_chain_too() {
    let mut wrapped = exception(
        "builtins.RuntimeError",
        &["builtins.RuntimeError"],
        true,
        "wrapped",
    );
    let mut context = exception("builtins.KeyError", &["builtins.KeyError"], true, "'k'");
    context.cause = Some(Box::new(panic("not yet implemented: exercise 8: run it")));
    wrapped.cause = Some(Box::new(panic("boom")));
    wrapped.context = Some(Box::new(context));
    assert_eq!(
        todo_in(&raised(wrapped)),
        Some(Todo {
            exercise: Some(8),
            text: "run it".into(),
            at: None,
        })
    );
    // A panic of the learner's own is no todo.
    assert_eq!(todo_in(&raised(panic("boom"))), None);
    // Nor is a todo message that some other exception merely carries, or a return value.
    let carried = exception("builtins.ValueError", &[], true, "not yet implemented");
    assert_eq!(todo_in(&raised(carried)), None);
    assert_eq!(todo_in(&returned("'not yet implemented'")), None);
}

#[test]
fn each_behaviour_gets_its_status() {
    let checklist = checklist_of(Some(learner()), None);
    let statuses: Vec<(&str, &Status)> = checklist
        .behaviours
        .iter()
        .map(|line| (line.id.as_str(), &line.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("greet.import_paths", &Status::Passed),
            (
                "greet.static_greet",
                &Status::NotImplemented {
                    todo: Todo {
                        exercise: Some(1),
                        text: "greet \"eunsang\" with the core crate's `greet`".into(),
                        at: None,
                    }
                }
            ),
            (
                // Same message: the summaries would read the same, so the first line that
                // differs is shown.
                "greet.fail_if_empty_raises",
                &Status::Failed {
                    expected: "mro: my_ext.EmptyTextError > builtins.ValueError".into(),
                    got: "mro: my_ext.EmptyTextError > builtins.Exception".into(),
                }
            ),
            (
                "greet.panic",
                &Status::Failed {
                    expected: "raises pyo3_runtime.PanicException: boom".into(),
                    got: "raises pyo3_runtime.PanicException: \"boom\"".into(),
                }
            ),
        ]
    );
    assert_eq!((checklist.passed, checklist.total), (1, 4));
    assert_eq!(checklist.blocked, None);
    assert!(!checklist.complete());
    assert_eq!(checklist.exercises_left(), [1, 2, 3, 4]);
}

#[test]
fn the_checklist_as_the_learner_reads_it() {
    let checklist = checklist_of(Some(learner()), None);
    assert_eq!(
        checklist.render(),
        "\
checklist for my-ext (greet): 0/4 exercises done, 1/4 behaviours pass
official tests: unchanged

  passed    greet.import_paths: same class
  todo      greet.static_greet: greet returns
            not implemented yet (exercise 1: greet \"eunsang\" with the core crate's `greet`)
            hint (exercise 1): delegate
  FAILED    greet.fail_if_empty_raises: empty raises
            expected: mro: my_ext.EmptyTextError > builtins.ValueError
            got:      mro: my_ext.EmptyTextError > builtins.Exception
            hint (exercises 2 and 3): map the error
  FAILED    greet.panic: panics
            expected: raises pyo3_runtime.PanicException: boom
            got:      raises pyo3_runtime.PanicException: \"boom\"
            hint (exercise 4): panic!

1/4 behaviours pass; to do: exercises 1, 2, 3 and 4
"
    );
}

#[test]
fn a_complete_project_passes_every_line() {
    let checklist = checklist_of(Some(reference()), None);
    assert!(checklist.complete());
    assert_eq!(checklist.exercises_left(), Vec::<u32>::new());
    assert!(
        checklist
            .render()
            .ends_with("  passed    greet.panic: panics\n\n4/4 behaviours pass\n"),
        "{}",
        checklist.render()
    );
}

#[test]
fn edited_official_tests_are_named_and_fail_the_checklist() {
    let tests = OfficialTests::Compared {
        edited: vec!["tests/test_message.py".into()],
        deleted: vec!["tests/test_api.py".into()],
        added: vec!["tests/test_mine.py".into()],
    };
    assert!(tests.tampered());
    assert_eq!(
        tests.to_string(),
        "official tests EDITED: tests/test_message.py (edited), tests/test_api.py (deleted)\n  \
         they are what your code is checked against: restore them from a fresh render of the \
         template\nyour own test files: tests/test_mine.py"
    );
    let checklist = Checklist::build(
        &table(),
        &reference_text(),
        &report(Some(reference()), None),
        tests,
    );
    assert!(!checklist.complete());
    assert!(
        checklist
            .render()
            .ends_with("\n4/4 behaviours pass; official tests edited\n")
    );
    let added_only = OfficialTests::Compared {
        edited: vec![],
        deleted: vec![],
        added: vec!["tests/test_mine.py".into()],
    };
    assert!(!added_only.tampered());
    assert_eq!(
        added_only.to_string(),
        "official tests: unchanged\nyour own test files: tests/test_mine.py"
    );
}

#[test]
fn a_compile_error_blocks_every_line_and_shows_the_first_error() {
    let build = ProcessError {
        program: "maturin".into(),
        args: vec!["develop".into(), "--uv".into()],
        env: vec![],
        cwd: Some(PathBuf::from("/cache/check-my-ext/project")),
        status: Exit::Exited(1),
        stdout: String::new(),
        stderr: "   Compiling my-ext-python\n\
            error[E0308]: mismatched types\n  \
            --> /cache/check-my-ext/project/crates/python/src/message.rs:41:9\n   |\n\
            41 |         42\n   |         ^^ expected `String`, found integer\n\n\
            error: could not compile `my-ext-python` (lib) due to 1 previous error\n"
            .into(),
        fault: Fault::Failure,
        hint: Some("the project does not build".into()),
    };
    let error = CaseError {
        stage: Stage::Develop,
        fault: Fault::Failure,
        message: build.to_string(),
        hint: build.hint.clone(),
        process: Some(build),
    };
    let failed = report(None, Some(error));
    let checklist = Checklist::build(&table(), &reference_text(), &failed, unchanged());
    assert!(
        checklist
            .behaviours
            .iter()
            .all(|line| line.status == Status::NotChecked)
    );
    assert_eq!(
        checklist.render(),
        "\
checklist for my-ext (greet): 0/4 behaviours pass
official tests: unchanged

the project does not compile; the compiler's first error:
  crates/python/src/message.rs:41:9: error[E0308]: mismatched types
     |
  41 |         42
     |         ^^ expected `String`, found integer
(`uv run maturin develop` in the project prints every message)

  -         greet.import_paths: same class
  -         greet.static_greet: greet returns
  -         greet.fail_if_empty_raises: empty raises
  -         greet.panic: panics

0/4 behaviours pass: the project does not compile; to do: exercises 1, 2, 3 and 4
"
    );
    // Above the checklist, the build log gives way to a pointer at the first error.
    let shown = checklist.trim(&failed);
    let shown_error = shown.error.unwrap();
    assert_eq!(
        shown_error.message,
        "the project does not compile (the compiler's first error is in the checklist \
         below; the --json report holds the whole build log)"
    );
    assert_eq!(shown_error.hint, None);
}

#[test]
fn an_import_error_blocks_every_line() {
    let mut broken = reference();
    broken.scenarios.clear();
    broken.import_error = Some(exception(
        "builtins.SyntaxError",
        &["builtins.SyntaxError"],
        true,
        "invalid syntax (api.py, line 3)",
    ));
    let checklist = checklist_of(Some(broken), None);
    assert_eq!(
        checklist.blocked,
        Some(Blocked::DoesNotImport {
            exception: "builtins.SyntaxError: invalid syntax (api.py, line 3)".into(),
            causes: vec![],
        })
    );
    assert_eq!(checklist.passed, 0);
    assert!(checklist.render().contains(
        "\n  FAILED    import: the package imports\n            \
         raises builtins.SyntaxError: invalid syntax (api.py, line 3)\n"
    ));
}

#[test]
fn trim_keeps_the_diffs_the_checklist_does_not_explain() {
    let mut learner_report = report(Some(learner()), None);
    learner_report.differences = ["greet.static_greet", "greet.panic"]
        .iter()
        .map(|id| Difference {
            section: format!("scenario {id}"),
            behaviour: None,
            kind: Kind::Changed,
            impact: crate::conformance::Impact::Breaking,
            fails: true,
            findings: vec![],
            diff: String::new(),
        })
        .collect();
    let checklist = Checklist::build(&table(), &reference_text(), &learner_report, unchanged());
    let kept: Vec<String> = checklist
        .trim(&learner_report)
        .differences
        .into_iter()
        .map(|difference| difference.section)
        .collect();
    assert_eq!(kept, ["scenario greet.panic"]);
}

#[test]
fn summaries_and_exercise_lists() {
    let mut key_error = exception("builtins.KeyError", &["builtins.KeyError"], true, "'k'");
    key_error.notes = vec!["raised by plugin 'x'".into()];
    assert_eq!(
        summary(&raised(key_error)),
        "raises builtins.KeyError: 'k' (note: raised by plugin 'x')"
    );
    assert_eq!(
        summary(&returned("first line\nsecond\n")),
        "returns first line …"
    );
    assert_eq!(cut(&"x".repeat(200)), format!("{} …", "x".repeat(160)));
    assert_eq!(exercise_list(&[7]), "exercise 7");
    assert_eq!(exercise_list(&[1, 5]), "exercises 1 and 5");
    assert_eq!(exercise_list(&[6, 7, 8]), "exercises 6, 7 and 8");
}

#[test]
fn a_reference_the_reader_refuses_blocks_every_line_and_says_where() {
    let text = reference_text().replace("## scenario greet.panic", "## scenery greet.panic");
    let checklist = Checklist::build(
        &table(),
        &text,
        &report(Some(reference()), None),
        unchanged(),
    );
    assert_eq!(
        checklist.blocked,
        Some(Blocked::StageFailed {
            stage: "compare".into(),
            message: "the style's reference behaviour is unreadable: line 21: unknown section \
                      `## scenery greet.panic` (known: api NAME, stub MODULE, wheel, \
                      entry-point GROUP:NAME, scenario ID, tests)"
                .into()
        })
    );
    assert!(
        checklist
            .behaviours
            .iter()
            .all(|line| line.status == Status::NotChecked)
    );
}

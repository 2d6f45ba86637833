//! The checklist of runs that went wrong in other ways than a wrong value: a stage that crashed
//! or timed out, a compile error placed in its exercise, an import error with its causes; and
//! the count of exercises done.

use std::path::PathBuf;

use super::tests::{checklist_of, exception, learner, reference, unchanged};
use super::*;
use crate::base::cmd::{ProcessError, Status as Exit};
use crate::base::error::Fault;
use crate::pipeline::{CaseError, Stage};
use crate::stages::build::log::CompilerError;
use crate::workshop::catalog;

fn line(exercises: &[u32], passed: bool) -> Line {
    Line {
        id: "x".into(),
        behaviour: "x".into(),
        exercises: exercises.to_vec(),
        hint: String::new(),
        status: if passed {
            Status::Passed
        } else {
            Status::NotChecked
        },
    }
}

#[test]
fn an_exercise_is_done_when_a_behaviour_needing_it_passes_and_none_fails() {
    let behaviours = vec![
        line(&[], true),
        line(&[1], true),
        line(&[1, 5], false),
        line(&[2, 3], false),
        line(&[2], true),
        line(&[3], false),
    ];
    let checklist = Checklist {
        project: "p".into(),
        package: "p".into(),
        style: "greet".into(),
        passed: 3,
        total: behaviours.len(),
        blocked: None,
        unfinished: None,
        official_tests: unchanged(),
        behaviours,
    };
    assert_eq!(checklist.exercises(), [1, 2, 3, 5]);
    assert_eq!(checklist.exercises_done(), [1, 2]);
    assert!(
        checklist
            .render()
            .starts_with("checklist for p (greet): 2/4 exercises done, 3/6 behaviours pass\n")
    );
}

#[test]
fn a_complete_project_has_every_exercise_done() {
    let checklist = checklist_of(Some(reference()), None);
    assert!(
        checklist
            .render()
            .starts_with("checklist for my-ext (greet): 4/4 exercises done, 4/4 behaviours pass\n")
    );
}

/// pytest timed out beside a probe that finished: the count stands, the run is not complete.
#[test]
fn tests_that_did_not_finish_are_said_and_keep_the_checklist_incomplete() {
    let timed_out = CaseError {
        stage: Stage::Pytest,
        fault: Fault::Failure,
        message: "process timed out after 900 s: `python -m pytest`\n  in /work".into(),
        hint: Some("a test hangs: run `uv run pytest -x -v` to see which".into()),
        process: None,
    };
    let checklist = checklist_of(Some(reference()), Some(timed_out));
    assert_eq!((checklist.passed, checklist.total), (4, 4));
    assert_eq!(checklist.blocked, None);
    assert_eq!(
        checklist.unfinished,
        Some(Unfinished {
            stage: "pytest".into(),
            message: "process timed out after 900 s: `python -m pytest`".into(),
            hint: Some("a test hangs: run `uv run pytest -x -v` to see which".into()),
        })
    );
    assert!(!checklist.complete());
    let text = checklist.render();
    assert!(
        text.contains(
            "official tests: unchanged\nthe project's tests did not finish: process timed out \
             after 900 s: `python -m pytest`\n  a test hangs: run `uv run pytest -x -v` to see \
             which\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\n4/4 behaviours pass; the project's tests did not finish\n"),
        "{text}"
    );
}

/// A probe that crashed reported nothing: every behaviour is not checked, none passed.
#[test]
fn a_probe_that_crashed_leaves_every_behaviour_not_checked() {
    let crashed = CaseError {
        stage: Stage::Probe,
        fault: Fault::Failure,
        message: "process didn't exit successfully: `python scaffold_probe.py` (signal: 11)".into(),
        hint: Some("the probe ended during scenario `greet.panic`".into()),
        process: None,
    };
    let checklist = checklist_of(None, Some(crashed));
    assert_eq!(checklist.passed, 0);
    assert!(
        checklist
            .behaviours
            .iter()
            .all(|line| line.status == Status::NotChecked)
    );
    assert_eq!(checklist.unfinished, None);
    assert!(matches!(
        &checklist.blocked,
        Some(Blocked::StageFailed { stage, .. }) if stage == "probe"
    ));
}

fn compile_error(line: u32) -> CaseError {
    let build = ProcessError {
        program: "maturin".into(),
        args: vec!["develop".into()],
        env: vec![],
        cwd: Some(PathBuf::from("/cache/project")),
        status: Exit::Exited(1),
        stdout: String::new(),
        stderr: format!(
            "error[E0308]: mismatched types\n  --> crates/python/src/message.rs:{line}:9\n   |\n\n"
        ),
        fault: Fault::Failure,
        hint: None,
    };
    CaseError {
        stage: Stage::Develop,
        fault: Fault::Failure,
        message: build.to_string(),
        hint: None,
        process: Some(build),
    }
}

#[test]
fn a_compile_error_keeps_the_hint_of_the_exercise_it_is_in() {
    let project = tempfile::tempdir().unwrap();
    let src = project.path().join("crates/python/src");
    fs_err::create_dir_all(&src).unwrap();
    fs_err::write(
        src.join("message.rs"),
        "use pyo3::prelude::*;\n\nimpl PyMessage {\n    #[staticmethod]\n    \
         fn greet(name: PyBackedStr) -> String {\n        42\n    }\n}\n",
    )
    .unwrap();
    let mut checklist = checklist_of(None, Some(compile_error(6)));
    checklist.place(project.path());
    let first_hint = &catalog::find(1).unwrap().hints[0];
    let Some(Blocked::DoesNotCompile {
        error: Some(CompilerError { line: 6, .. }),
        exercise,
        hint,
    }) = &checklist.blocked
    else {
        panic!("{:?}", checklist.blocked)
    };
    assert_eq!((*exercise, hint.as_ref()), (Some(1), Some(first_hint)));
    assert!(
        checklist.render().contains(&format!(
            "(`uv run maturin develop` in the project prints every message)\n\
             hint (in exercise 1's function): {first_hint}\n"
        )),
        "{}",
        checklist.render()
    );

    // Outside every exercise's function: where else to look.
    let mut elsewhere = checklist_of(None, Some(compile_error(1)));
    elsewhere.place(project.path());
    assert!(
        elsewhere.render().contains(
            "\nhint: the error is outside the exercises' functions: compare \
             crates/python/src/message.rs with the same file in a fresh render of the template\n"
        ),
        "{}",
        elsewhere.render()
    );
}

#[test]
fn an_import_error_has_a_line_of_its_own_with_its_causes() {
    let mut broken = learner();
    broken.scenarios.clear();
    let mut error = exception(
        "builtins.ImportError",
        &["builtins.ImportError"],
        true,
        "cannot load the extension",
    );
    error.cause = Some(Box::new(exception(
        "builtins.ModuleNotFoundError",
        &["builtins.ModuleNotFoundError"],
        true,
        "No module named 'my_ext._my_ext'",
    )));
    broken.import_error = Some(error);
    let checklist = checklist_of(Some(broken), None);
    assert_eq!(
        checklist.render(),
        "\
checklist for my-ext (greet): 0/4 behaviours pass
official tests: unchanged

  FAILED    import: the package imports
            raises builtins.ImportError: cannot load the extension
            from   builtins.ModuleNotFoundError: No module named 'my_ext._my_ext'
            hint: `uv run python -c 'import my_ext'` in the project shows the whole traceback
  -         greet.import_paths: same class
  -         greet.static_greet: greet returns
  -         greet.fail_if_empty_raises: empty raises
  -         greet.panic: panics

0/4 behaviours pass: the package does not import; to do: exercises 1, 2, 3 and 4
"
    );
}

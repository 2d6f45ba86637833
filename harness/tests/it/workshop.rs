//! The workshop's feedback loop, as a learner meets it: `check` on the exercise version lists
//! every behaviour of the style and fails exactly those whose scenario needs an exercise; filling
//! in one exercise turns its behaviours green; an edited official test and a compile error are
//! reported. One build of each style's exercise version, edited step by step.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scaffold_harness::project::Project;
use scaffold_harness::template::style::Style;
use scaffold_harness::workshop::catalog;
use scaffold_harness::workshop::patch::{self, Pick};
use serde_json::Value;

use crate::support::{
    Run, TIMEOUT, copy_project, edit, harness, line_number, render, rendered, run, workshop,
};

/// `check DIR --json FILE`: what it printed and the checklist from the JSON report.
fn check(project: &Path) -> (Run, Value) {
    let reports = tempfile::tempdir().unwrap();
    let json = reports.path().join("check.json");
    let result = run(harness()
        .arg("check")
        .arg(project)
        .args(["--timeout", &TIMEOUT.as_secs().to_string(), "--json"])
        .arg(&json));
    let text = fs_err::read_to_string(&json)
        .unwrap_or_else(|error| panic!("no JSON report ({error}):\n{}", result.dump()));
    let report: Value = serde_json::from_str(&text).expect("one JSON object");
    let checklist = report["checklist"].clone();
    assert!(checklist.is_object(), "no checklist:\n{}", result.dump());
    (result, checklist)
}

fn behaviours(checklist: &Value) -> &Vec<Value> {
    checklist["behaviours"]
        .as_array()
        .expect("a list of behaviours")
}

fn exercises(line: &Value) -> BTreeSet<u64> {
    line["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .map(|number| number.as_u64().expect("an exercise number"))
        .collect()
}

/// The ids of the behaviours with `status`, and of those the table says need only exercises in
/// `done`.
fn ids_with_status(checklist: &Value, status: &str) -> BTreeSet<String> {
    behaviours(checklist)
        .iter()
        .filter(|line| line["status"] == status)
        .map(|line| line["id"].as_str().unwrap().to_owned())
        .collect()
}

fn ids_needing_only(checklist: &Value, done: &[u64]) -> BTreeSet<String> {
    behaviours(checklist)
        .iter()
        .filter(|line| {
            exercises(line)
                .iter()
                .all(|exercise| done.contains(exercise))
        })
        .map(|line| line["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Does exercise `number` in `project` as its reference solution does, with the harness's own
/// patch (the one `reset` and `solution` use): both versions of the project's style are rendered
/// under its name, and the exercise's bodies take the complete version's place. The patch is
/// held to the complete render by `every_exercise_filled_in_gives_the_complete_versions_sources`.
pub(crate) fn fill_in(project: &Path, number: u32) {
    let read = Project::read(project).unwrap();
    let style = Style::detect(&read).expect("a project of a known style");
    let renders = tempfile::tempdir().unwrap();
    let exercise = renders.path().join("exercise").join(&read.name);
    let complete = renders.path().join("complete").join(&read.name);
    render(style.as_str(), &exercise, &["workshop=true"]);
    render(style.as_str(), &complete, &[]);
    let regions = patch::regions(&exercise, &complete).unwrap();
    let patched = patch::patch(project, &regions, number, Pick::Solution).unwrap();
    assert!(
        patched.iter().any(|file| file.old != file.new),
        "no todo!() for exercise {number}"
    );
    patch::write(project, &patched).unwrap();
}

/// `fill_in` is the harness's own patch, which `reset` and `solution` use too; so that their
/// tests do not prove the patch by itself, its result is held to what needs no patch: a
/// workshop render with every exercise filled in has the complete render's Rust sources, byte
/// for byte.
const WORKSHOP_ALLOW: &str = "#![allow(unused)] // exercise bodies are `todo!()` until written, which leaves imports unused\n";

#[test]
fn every_exercise_filled_in_gives_the_complete_versions_sources() {
    for style in Style::ALL {
        let exercises: Vec<u32> = catalog::of_style(style)
            .iter()
            .map(|exercise| exercise.number)
            .collect();
        if exercises.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("workshop").join("my-ext");
        let complete = dir.path().join("complete").join("my-ext");
        render(style.as_str(), &project, &["workshop=true"]);
        render(style.as_str(), &complete, &[]);
        for number in exercises {
            fill_in(&project, number);
        }
        let rust_sources = |root: &Path| -> BTreeMap<PathBuf, String> {
            walkdir::WalkDir::new(root.join("crates"))
                .into_iter()
                .map(Result::unwrap)
                .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
                .map(|entry| {
                    let text = fs_err::read_to_string(entry.path()).unwrap();
                    // The one line the exercise version has of its own, outside every body:
                    // the `todo!()`s leave imports unused until they are written.
                    let text = text.replace(WORKSHOP_ALLOW, "");
                    (entry.path().strip_prefix(root).unwrap().to_owned(), text)
                })
                .collect()
        };
        let filled = rust_sources(&project);
        let expected = rust_sources(&complete);
        assert!(!filled.is_empty(), "{style}: no Rust sources under crates/");
        let differing: Vec<String> = expected
            .iter()
            .filter(|(path, text)| filled.get(*path) != Some(text))
            .map(|(path, text)| {
                let theirs = filled.get(path).map_or("", String::as_str);
                let line = text
                    .lines()
                    .zip(theirs.lines())
                    .position(|(a, b)| a != b)
                    .map_or_else(|| "lengths".to_owned(), |at| format!("line {}", at + 1));
                format!("{} ({line})", path.display())
            })
            .collect();
        assert!(
            differing.is_empty() && filled.len() == expected.len(),
            "{style}: the filled-in sources differ from the complete version's: {differing:?}"
        );
    }
}

/// The checks every untouched exercise project passes: every behaviour listed, failing exactly
/// where the table says an exercise is needed, each failure a `todo!()` of an exercise the
/// behaviour needs.
fn assert_untouched(result: &Run, checklist: &Value, total: usize, passing: usize) {
    assert_eq!(result.code, Some(1), "{}", result.dump());
    assert_eq!(behaviours(checklist).len(), total, "{}", result.dump());
    assert_eq!(checklist["total"], total);
    assert_eq!(checklist["passed"], passing);
    assert_eq!(checklist["blocked"], Value::Null);
    assert_eq!(
        ids_with_status(checklist, "passed"),
        ids_needing_only(checklist, &[]),
        "{}",
        result.dump()
    );
    assert_eq!(ids_needing_only(checklist, &[]).len(), passing);
    for line in behaviours(checklist) {
        if line["status"] == "passed" {
            continue;
        }
        assert_eq!(line["status"], "not_implemented", "{line:#}");
        let named = line["todo"]["exercise"]
            .as_u64()
            .expect("an exercise number");
        assert!(exercises(line).contains(&named), "{line:#}");
        assert!(!line["hint"].as_str().unwrap().is_empty(), "{line:#}");
    }
    assert!(
        result
            .stdout
            .contains(&format!("\n{passing}/{total} behaviours pass; to do: ")),
        "{}",
        result.dump()
    );
    // The checklist says it; a diff per unfinished behaviour would only repeat the todo!().
    assert!(!result.stdout.contains(" differs\n"), "{}", result.dump());
}

#[test]
fn greet_exercises_turn_green_when_filled_in_and_a_compile_error_names_its_line() {
    let (_dir, project) = copy_project(&workshop()["greet"]);

    let (untouched, checklist) = check(&project);
    assert_untouched(&untouched, &checklist, 13, 2);
    assert_eq!(
        ids_with_status(&checklist, "passed"),
        BTreeSet::from([
            "greet.constructor_type_error".to_owned(),
            "greet.import_paths".to_owned()
        ])
    );
    // Each todo!() a behaviour stops at is placed at its call, in the learner's file; a
    // behaviour that needs exercise 3 but stops at exercise 2's constructor says so, not what
    // the constructor's message quotes.
    let source = fs_err::read_to_string(project.join("crates/python/src/message.rs")).unwrap();
    let todo_line = |exercise: &str| {
        source
            .lines()
            .position(|line| line.contains(&format!("todo!(\"exercise {exercise}")))
            .unwrap()
            + 1
    };
    assert!(
        untouched.stdout.contains(&format!(
            "  todo      greet.static_greet: Message.greet('eunsang') returns 'Hello, eunsang !'\n            \
             not implemented yet: stops at exercise 1's todo!() \
             (crates/python/src/message.rs:{})\n            \
             hint (exercise 1): ",
            todo_line("1:")
        )),
        "{}",
        untouched.dump()
    );
    assert!(
        untouched.stdout.contains(&format!(
            "greet.fail_if_empty_raises: fail_if_empty('') raises EmptyTextError, a ValueError \
             whose message names the problem\n            \
             not implemented yet: stops at exercise 2's todo!() \
             (crates/python/src/message.rs:{})\n",
            todo_line("2: keep")
        )),
        "{}",
        untouched.dump()
    );
    assert!(
        untouched.stdout.contains("official tests: unchanged\n"),
        "{}",
        untouched.dump()
    );

    // Exercise 1 done: its behaviours, and only those, turn green.
    fill_in(&project, 1);
    let (filled, checklist) = check(&project);
    assert_eq!(filled.code, Some(1), "{}", filled.dump());
    assert_eq!(
        ids_with_status(&checklist, "passed"),
        ids_needing_only(&checklist, &[1]),
        "{}",
        filled.dump()
    );
    assert_eq!(checklist["passed"], 5);
    assert!(
        filled.stdout.contains(
            "  passed    greet.static_greet: Message.greet('eunsang') returns 'Hello, eunsang !'\n"
        ),
        "{}",
        filled.dump()
    );
    assert!(
        filled
            .stdout
            .contains("\n5/13 behaviours pass; to do: exercises 2, 3, 4 and 5\n"),
        "{}",
        filled.dump()
    );

    // A type error in the learner's file: the compiler's first error, not the build log.
    let message_rs = project.join("crates/python/src/message.rs");
    edit(&message_rs, "        greet(&name)\n", "        42\n");
    let line = line_number(&fs_err::read_to_string(&message_rs).unwrap(), "        42");
    let (broken, checklist) = check(&project);
    assert_eq!(broken.code, Some(1), "{}", broken.dump());
    assert!(
        broken.stdout.contains(&format!(
            "the project does not compile; the compiler's first error:\n  \
             crates/python/src/message.rs:{line}:9: error[E0308]: mismatched types\n"
        )),
        "{}",
        broken.dump()
    );
    assert!(
        broken
            .stdout
            .contains("\n0/13 behaviours pass: the project does not compile; to do: "),
        "{}",
        broken.dump()
    );
    assert!(!broken.stdout.contains("Compiling "), "{}", broken.dump());
    assert_eq!(checklist["blocked"]["reason"], "does_not_compile");
    assert_eq!(
        checklist["blocked"]["error"]["file"],
        "crates/python/src/message.rs"
    );
    assert_eq!(checklist["blocked"]["error"]["line"], line);
    assert_eq!(ids_with_status(&checklist, "not_checked").len(), 13);
}

#[test]
fn text_processor_exercises_turn_green_and_edited_official_tests_are_named() {
    let (_dir, project) = copy_project(&workshop()["text-processor"]);

    let (untouched, checklist) = check(&project);
    assert_untouched(&untouched, &checklist, 22, 2);

    fill_in(&project, 6);
    let (filled, checklist) = check(&project);
    assert_eq!(filled.code, Some(1), "{}", filled.dump());
    let passing = ids_with_status(&checklist, "passed");
    assert_eq!(passing, ids_needing_only(&checklist, &[6]));
    assert!(passing.contains("text_processor.no_plugins"), "{passing:?}");
    assert_eq!(checklist["passed"], 4);
    assert!(
        filled
            .stdout
            .contains("\n4/22 behaviours pass; to do: exercises 7 and 8\n"),
        "{}",
        filled.dump()
    );
    assert_eq!(
        checklist["official_tests"],
        serde_json::json!({"state": "compared", "edited": [], "deleted": [], "added": []})
    );

    // The learner makes a failing test pass by editing it, deletes another, adds their own.
    edit(
        &project.join("tests/test_processor.py"),
        "def test_",
        "def skipped_",
    );
    fs_err::remove_file(project.join("tests/test_plugins.py")).unwrap();
    fs_err::write(
        project.join("tests/test_mine.py"),
        "def test_mine() -> None:\n    pass\n",
    )
    .unwrap();
    let (edited, checklist) = check(&project);
    assert_eq!(edited.code, Some(1), "{}", edited.dump());
    assert_eq!(
        checklist["official_tests"],
        serde_json::json!({
            "state": "compared",
            "edited": ["tests/test_processor.py"],
            "deleted": ["tests/test_plugins.py"],
            "added": ["tests/test_mine.py"],
        })
    );
    assert!(
        edited.stdout.contains(
            "official tests EDITED: tests/test_processor.py (edited), tests/test_plugins.py \
             (deleted)\n"
        ),
        "{}",
        edited.dump()
    );
    assert!(
        edited
            .stdout
            .contains("\nyour own test files: tests/test_mine.py\n"),
        "{}",
        edited.dump()
    );
    assert!(
        edited
            .stdout
            .contains("\n4/22 behaviours pass; to do: exercises 7 and 8; official tests edited\n"),
        "{}",
        edited.dump()
    );
}

#[test]
fn numeric_exercises_turn_green_one_by_one_up_to_every_behaviour() {
    let (_dir, project) = copy_project(&workshop()["numeric"]);

    let (untouched, checklist) = check(&project);
    assert_untouched(&untouched, &checklist, 28, 4);

    let mut done = Vec::new();
    for (exercise, passing, left) in [
        (10, 10, "to do: exercises 11, 12 and 13"),
        (11, 14, "to do: exercises 12 and 13"),
        (12, 26, "to do: exercise 13"),
    ] {
        fill_in(&project, exercise);
        done.push(u64::from(exercise));
        let (filled, checklist) = check(&project);
        assert_eq!(filled.code, Some(1), "{}", filled.dump());
        assert_eq!(
            ids_with_status(&checklist, "passed"),
            ids_needing_only(&checklist, &done),
            "exercises {done:?}:\n{}",
            filled.dump()
        );
        assert_eq!(checklist["passed"], passing, "{}", filled.dump());
        assert!(
            filled
                .stdout
                .contains(&format!("\n{passing}/28 behaviours pass; {left}\n")),
            "{}",
            filled.dump()
        );
    }

    fill_in(&project, 13);
    let (finished, checklist) = check(&project);
    assert_eq!(finished.code, Some(0), "{}", finished.dump());
    assert_eq!(checklist["passed"], 28);
    assert!(
        finished.stdout.ends_with("\n28/28 behaviours pass\n"),
        "{}",
        finished.dump()
    );
}

#[test]
fn the_complete_version_of_each_style_passes_every_line_with_tests_of_its_own_added() {
    for style in Style::ALL {
        // One line per row of the style's scenario table.
        let total = style.scenario_table().matches("\n    Scenario(").count();
        assert!(total > 0, "{style}");
        let (_dir, project) = copy_project(&rendered()[style.as_str()]);
        // A learner who finished every exercise: the complete code in a workshop project.
        edit(
            &project.join("pyproject.toml"),
            "workshop = false",
            "workshop = true",
        );
        // Test files of the project's own, in tests/ and in a folder below it: reported, and
        // no tampering with the official ones.
        fs_err::write(
            project.join("tests/test_mine.py"),
            "def test_mine() -> None:\n    assert True\n",
        )
        .unwrap();
        fs_err::create_dir(project.join("tests/more")).unwrap();
        fs_err::write(
            project.join("tests/more/test_more.py"),
            "def test_more() -> None:\n    assert True\n",
        )
        .unwrap();
        let (result, checklist) = check(&project);
        assert_eq!(result.code, Some(0), "{}", result.dump());
        assert_eq!(checklist["total"], total);
        assert_eq!(checklist["passed"], total);
        assert_eq!(ids_with_status(&checklist, "passed").len(), total);
        assert!(
            result
                .stdout
                .ends_with(&format!("\n{total}/{total} behaviours pass\n")),
            "{}",
            result.dump()
        );
        assert!(
            result.stdout.contains(
                "official tests: unchanged\nyour own test files: tests/more/test_more.py, \
                 tests/test_mine.py\n"
            ),
            "{}",
            result.dump()
        );
        assert_eq!(
            checklist["official_tests"]["added"],
            serde_json::json!(["tests/more/test_more.py", "tests/test_mine.py"])
        );
    }
}

#[test]
fn a_check_over_two_interpreters_prints_the_checklist_of_each() {
    let (_dir, project) = copy_project(&workshop()["greet"]);
    // A second interpreter: python3 again, through a venv of its own (another executable), kept
    // in the test cache so that its cases there are made once.
    let other = crate::support::cache_dir().join("second-python");
    if !other.join("bin/python").exists() {
        let made = std::process::Command::new("python3")
            .args(["-m", "venv", "--without-pip"])
            .arg(&other)
            .status()
            .unwrap();
        assert!(made.success());
    }
    let result = run(harness()
        .arg("check")
        .arg(&project)
        .args(["--timeout", &TIMEOUT.as_secs().to_string()])
        .args(["--python", "python3", "--python"])
        .arg(other.join("bin/python")));
    assert_eq!(result.code, Some(1), "{}", result.dump());
    let headings: Vec<&str> = result
        .stdout
        .lines()
        .filter(|line| line.starts_with("checklist for my-ext@"))
        .collect();
    assert_eq!(headings.len(), 2, "{}", result.dump());
    assert_ne!(headings[0], headings[1]);
    for heading in headings {
        assert!(
            heading.ends_with(" (greet): 0/5 exercises done, 2/13 behaviours pass"),
            "{heading}\n{}",
            result.dump()
        );
    }
    assert_eq!(
        result
            .stdout
            .matches("\n2/13 behaviours pass; to do: exercises 1, 2, 3, 4 and 5\n")
            .count(),
        2,
        "{}",
        result.dump()
    );
}

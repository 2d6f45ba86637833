//! The workshop's feedback loop, as a learner meets it: `check` on the exercise version lists
//! every behaviour of the style and fails exactly those whose scenario needs an exercise; filling
//! in one exercise turns its behaviours green; an edited official test and a compile error are
//! reported. One build of each style's exercise version, edited step by step.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use walkdir::WalkDir;

use crate::support::{
    Run, TIMEOUT, copy_project, edit, harness, line_number, rendered, run, workshop,
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

/// Replaces each `todo!("exercise N: ...")` of `project` (one line, or several when rustfmt
/// broke it up) with the body the complete render has in its place: the lines between the same
/// line before and the same line after.
pub(crate) fn fill_in(project: &Path, complete: &Path, exercise: u32) {
    let marker = format!("\"exercise {exercise}:");
    let mut filled = 0;
    for entry in WalkDir::new(project.join("crates")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = fs_err::read_to_string(entry.path()).unwrap();
        if !text.contains(&marker) {
            continue;
        }
        let relative = entry.path().strip_prefix(project).unwrap();
        let full = fs_err::read_to_string(complete.join(relative)).unwrap();
        let full: Vec<&str> = full.lines().collect();
        let lines: Vec<&str> = text.lines().collect();
        let mut out: Vec<&str> = Vec::new();
        let mut at = 0;
        while at < lines.len() {
            let line = lines[at];
            let Some(start) = line.find("todo!(") else {
                out.push(line);
                at += 1;
                continue;
            };
            // A `todo!(` that ends its line is closed by a line starting with `)`.
            let end = if line.trim_end().ends_with("todo!(") {
                at + lines[at..]
                    .iter()
                    .position(|l| l.trim_start().starts_with(')'))
                    .unwrap()
            } else {
                at
            };
            if !lines[at..=end].concat()[start..].contains(&marker) {
                out.push(line);
                at += 1;
                continue;
            }
            let (before, after) = (lines[at - 1], lines[end + 1]);
            let first = full.iter().position(|l| *l == before).unwrap() + 1;
            let last = first + full[first..].iter().position(|l| *l == after).unwrap();
            out.extend(&full[first..last]);
            filled += 1;
            at = end + 1;
        }
        fs_err::write(entry.path(), out.join("\n") + "\n").unwrap();
    }
    assert!(filled > 0, "no todo!() for exercise {exercise}");
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
    let (_dir, project) = copy_project(&workshop().greet);

    let (untouched, checklist) = check(&project);
    assert_untouched(&untouched, &checklist, 13, 2);
    assert_eq!(
        ids_with_status(&checklist, "passed"),
        BTreeSet::from([
            "greet.constructor_type_error".to_owned(),
            "greet.import_paths".to_owned()
        ])
    );
    assert!(
        untouched.stdout.contains(
            "  todo      greet.static_greet: Message.greet('eunsang') returns 'Hello, eunsang !'\n            \
             not implemented yet (exercise 1: greet \"eunsang\" with the core crate's `greet`)\n            \
             hint (exercise 1): "
        ),
        "{}",
        untouched.dump()
    );
    assert!(
        untouched.stdout.contains("official tests: unchanged\n"),
        "{}",
        untouched.dump()
    );

    // Exercise 1 done: its behaviours, and only those, turn green.
    fill_in(&project, &rendered().greet, 1);
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
    let (_dir, project) = copy_project(&workshop().text_processor);

    let (untouched, checklist) = check(&project);
    assert_untouched(&untouched, &checklist, 22, 2);

    fill_in(&project, &rendered().text_processor, 6);
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
fn the_complete_version_of_each_style_passes_every_line_with_tests_of_its_own_added() {
    for (complete, total) in [(&rendered().greet, 13), (&rendered().text_processor, 22)] {
        let (_dir, project) = copy_project(complete);
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

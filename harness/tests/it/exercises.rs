//! Finding one's way in the workshop: `exercises DIR` lists every exercise left, and each test's
//! marker (`pytest -m exerciseN`) selects exactly the tests that exercise N makes pass, done in
//! order. Workshop projects also keep their test output readable under `RUST_BACKTRACE=1`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scaffold_harness::base::cmd::Status;
use walkdir::WalkDir;

use crate::built::{Built, dump};
use crate::support::{Filters, Transcript, harness, rendered, run, transcript_snapshot, workshop};
use crate::workshop::fill_in;

/// Every `todo!(` in the code (not the comments) of the project's Rust sources, counted without
/// the harness's parser.
fn todo_count(project: &Path) -> usize {
    WalkDir::new(project.join("crates"))
        .into_iter()
        .map(|entry| entry.expect("the crates are readable"))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .map(|entry| {
            let text = fs_err::read_to_string(entry.path()).expect("a source reads");
            text.lines()
                .map(|line| {
                    line.split("//")
                        .next()
                        .unwrap_or("")
                        .matches("todo!(")
                        .count()
                })
                .sum::<usize>()
        })
        .sum()
}

#[test]
fn exercises_lists_every_todo_of_each_workshop_project_in_order() {
    for (project, numbers) in [
        (&workshop().greet, vec![1, 2, 2, 3, 4, 5]),
        (&workshop().text_processor, vec![6, 7, 8]),
    ] {
        let result = run(harness().arg("exercises").arg(project));
        assert_eq!(result.code, Some(0), "{}", result.dump());
        let lines: Vec<&str> = result.stdout.lines().collect();
        // Cannot miss one: as many lines as `todo!(` calls, rustfmt-split ones included.
        assert_eq!(lines.len(), todo_count(project), "{}", result.dump());
        let mut listed = Vec::new();
        for line in &lines {
            let mut fields = line.splitn(3, "  ");
            let number: u32 = fields.next().unwrap().parse().expect("a number first");
            let (file, at) = fields.next().unwrap().rsplit_once(':').expect("file:line");
            let title = fields.next().expect("a title");
            let source = fs_err::read_to_string(project.join(file)).expect("the file exists");
            let source_line = source
                .lines()
                .nth(at.parse::<usize>().unwrap() - 1)
                .unwrap();
            assert!(source_line.contains("todo!("), "{line}: {source_line:?}");
            assert!(
                source.contains(&format!("\"exercise {number}: {title}\"")),
                "{line}"
            );
            listed.push(number);
        }
        assert_eq!(listed, numbers, "{}", result.dump());
    }
    // The split call of exercise 6 is listed at its `todo!(` line.
    let tp = run(harness().arg("exercises").arg(&workshop().text_processor));
    assert!(
        tp.stdout
            .contains("6  crates/core/src/trim.rs:20  trim each of the {} lines into the buffer\n"),
        "{}",
        tp.dump()
    );
}

#[test]
fn exercises_on_a_complete_project_lists_none_and_on_a_missing_folder_is_a_usage_error() {
    let complete = &rendered().greet;
    let mut transcript = Transcript::new(Filters::new().path(complete, "[PROJECT]"));
    transcript.run(harness().arg("exercises").arg(complete));
    transcript.run(harness().args(["exercises", "/nonexistent/my-ext"]));
    transcript_snapshot!("none_left_and_no_folder", transcript);
}

/// The node ids pytest selects with `-m EXPRESSION` (or every test, without one).
fn collected(project: &Built, marker: Option<&str>) -> BTreeSet<String> {
    let mut args = vec!["--collect-only", "-q"];
    if let Some(expression) = marker {
        args.extend(["-m", expression]);
    }
    let output = project.pytest(&args);
    // Exit code 5: nothing selected, which is an answer too.
    assert!(
        matches!(output.status, Status::Exited(0 | 5)),
        "{}",
        dump(&output)
    );
    output
        .stdout
        .lines()
        .filter(|line| line.starts_with("tests/"))
        .map(str::to_owned)
        .collect()
}

/// The node ids of the tests that pass now.
fn passing(project: &Built) -> BTreeSet<String> {
    let output = project.pytest(&["-q", "-rA"]);
    output
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("PASSED "))
        .map(str::to_owned)
        .collect()
}

/// The node ids of the tests that this interpreter skips (the free-threading test, on a build
/// with a GIL): they neither pass nor fail, whatever the exercises.
fn skipped(project: &Built) -> BTreeSet<String> {
    let output = project.pytest(&["-v"]);
    output
        .stdout
        .lines()
        .filter_map(|line| line.split_once(" SKIPPED").map(|(id, _)| id.to_owned()))
        .collect()
}

/// Builds the exercise version of `style`, then does its exercises one by one in order: each
/// time, the tests that start to pass are exactly those marked with that exercise, and the
/// unmarked ones pass from the start.
fn markers_follow_the_exercises(style: &str, name: &str, exercises: &[u32], complete: &Path) {
    let project = Built::new(style, name, &["workshop=true"]);
    let every = collected(&project, None);
    let marked: BTreeMap<u32, BTreeSet<String>> = exercises
        .iter()
        .map(|&number| {
            (
                number,
                collected(&project, Some(&format!("exercise{number}"))),
            )
        })
        .collect();
    let any_mark = exercises
        .iter()
        .map(|number| format!("exercise{number}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let unmarked = collected(&project, Some(&format!("not ({any_mark})")));
    let union: BTreeSet<String> = marked.values().flatten().cloned().collect();
    assert_eq!(
        union.len(),
        marked.values().map(BTreeSet::len).sum::<usize>(),
        "a test carries two exercise marks: {marked:#?}"
    );
    assert_eq!(&union | &unmarked, every);

    let mut before = passing(&project);
    let skipped = skipped(&project);
    assert_eq!(
        before,
        &unmarked - &skipped,
        "unmarked tests must pass before any exercise is done (skipped here: {skipped:?})"
    );
    for &number in exercises {
        fill_in(&project.root, complete, number);
        project.rebuild();
        let now = passing(&project);
        assert!(before.is_subset(&now), "exercise {number} broke a test");
        let newly: BTreeSet<String> = &now - &before;
        assert_eq!(
            newly, marked[&number],
            "the tests that exercise {number} makes pass (left) and those marked exercise{number}"
        );
        before = now;
    }
    assert_eq!(before, &every - &skipped);
}

#[test]
fn greet_markers_select_exactly_the_tests_each_exercise_makes_pass() {
    markers_follow_the_exercises("greet", "marks-greet", &[1, 2, 3, 4, 5], &rendered().greet);
}

#[test]
fn text_processor_markers_select_exactly_the_tests_each_exercise_makes_pass() {
    markers_follow_the_exercises(
        "text-processor",
        "marks-tp",
        &[6, 7, 8],
        &rendered().text_processor,
    );
}

#[test]
fn a_workshop_project_prints_no_backtraces_under_rust_backtrace() {
    let project = Built::new("greet", "quiet-greet", &["workshop=true"]);
    let pytest_with_backtraces = |extra: &[&str]| {
        let mut args = vec!["-q"];
        args.extend(extra);
        project
            .python()
            .args(["-m", "pytest", "-p", "no:cacheprovider"])
            .args(&args)
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("pytest runs")
    };

    let quiet = pytest_with_backtraces(&[]);
    assert_eq!(quiet.status, Status::Exited(1), "{}", dump(&quiet));
    assert!(
        quiet
            .stdout
            .contains("not yet implemented: exercise 1: greet \"eunsang\""),
        "{}",
        dump(&quiet)
    );
    assert!(
        !quiet.stdout.contains("stack backtrace:"),
        "{}",
        dump(&quiet)
    );

    // Without the project's conftest.py, the same run buries each panic under a backtrace:
    // the setting above is what keeps it readable.
    let noisy = pytest_with_backtraces(&["--noconftest"]);
    assert!(
        noisy.stdout.contains("stack backtrace:"),
        "{}",
        dump(&noisy)
    );
    assert!(
        noisy.stdout.lines().count() > 2 * quiet.stdout.lines().count(),
        "{} lines against {}",
        noisy.stdout.lines().count(),
        quiet.stdout.lines().count()
    );
}

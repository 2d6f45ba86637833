//! Finding one's way in the workshop: `exercises DIR` lists every exercise left. (That each
//! test's marker, `pytest -m exerciseN`, selects exactly the tests exercise N makes pass is
//! `dev check`'s to prove: see `dev_check.rs`.) Workshop projects also keep their test output
//! readable under `RUST_BACKTRACE=1`.

use std::path::Path;

use scaffold_harness::base::cmd::Status;
use scaffold_harness::template::style::Style;
use scaffold_harness::workshop::catalog;
use walkdir::WalkDir;

use crate::built::{Built, dump};
use crate::support::{Filters, Transcript, harness, rendered, run, transcript_snapshot, workshop};

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
    for style in Style::ALL {
        let project = &workshop()[style.as_str()];
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
        // In order, each of the style's exercises once or more (greet's exercise 2 has two
        // bodies), and no other.
        assert!(listed.is_sorted(), "{}", result.dump());
        listed.dedup();
        let catalogued: Vec<u32> = catalog::of_style(style)
            .iter()
            .map(|exercise| exercise.number)
            .collect();
        assert_eq!(listed, catalogued, "{}", result.dump());
    }
    // The split call of exercise 6 is listed at its `todo!(` line.
    let tp = run(harness()
        .arg("exercises")
        .arg(&workshop()["text-processor"]));
    assert!(
        tp.stdout
            .contains("6  crates/core/src/trim.rs:20  trim each of the {} lines into the buffer\n"),
        "{}",
        tp.dump()
    );
}

#[test]
fn exercises_on_a_complete_project_lists_none_and_on_a_folder_that_is_no_project_is_a_usage_error()
{
    let complete = &rendered()["greet"];
    // A folder that is no project has no exercises at all: not "every exercise is done".
    let folder = tempfile::tempdir().unwrap();
    let mut transcript = Transcript::new(
        Filters::new()
            .path(complete, "[PROJECT]")
            .path(folder.path(), "[FOLDER]"),
    );
    transcript.run(harness().arg("exercises").arg(complete));
    transcript.run(harness().args(["exercises", "/nonexistent/my-ext"]));
    transcript.run(harness().arg("exercises").arg(folder.path()));
    transcript_snapshot!("none_left_and_no_folder", transcript);
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

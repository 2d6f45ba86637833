//! `dev check`, the exercise authors' proof: it passes on the workshop's exercises as they are,
//! and fails, naming the exercise, when a reference solution is broken or a hint emptied (each
//! tried on a copy of the template or of the catalogue).

use std::path::Path;

use scaffold_harness::workshop::catalog;

use crate::support::{Run, harness, repo_root, run};

fn dev_check(args: &[&str], template: Option<&Path>) -> Run {
    let mut command = harness();
    command
        .args(["dev", "check", "--timeout", "900"])
        .args(args);
    if let Some(template) = template {
        command.arg("--template").arg(template);
    }
    run(&mut command)
}

#[test]
fn dev_check_passes_on_the_workshops_exercises() {
    let result = dev_check(&[], None);
    assert_eq!(result.code, Some(0), "{}", result.dump());
    assert_eq!(
        result.stdout,
        "every exercise checks out\n",
        "{}",
        result.dump()
    );
    // Every exercise of the catalogue was solved and checked, in order.
    for exercise in catalog::all() {
        let line = format!(
            "dev check: {}: exercise {}: ok (",
            exercise.style, exercise.number
        );
        assert!(
            result.stderr.contains(&line),
            "{line:?} missing:\n{}",
            result.dump()
        );
    }
}

/// A copy of the repository's template, to break.
fn template_copy(dir: &Path) -> std::path::PathBuf {
    let copy = dir.join("template");
    scaffold_harness::project::tree::copy_sources(&repo_root().join("template"), &copy).unwrap();
    copy
}

#[test]
fn dev_check_names_the_exercise_whose_solution_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    let template = template_copy(dir.path());
    // Exercise 1's reference body, in the complete version's branch, greets the wrong name.
    let message_rs = template.join("crates/python/src/message.rs");
    let text = fs_err::read_to_string(&message_rs).unwrap();
    assert_eq!(text.matches("        greet(&name)\n").count(), 1);
    fs_err::write(
        &message_rs,
        text.replace("        greet(&name)\n", "        greet(\"nobody\")\n"),
    )
    .unwrap();
    let result = dev_check(&["--style", "greet"], Some(&template));
    assert_eq!(result.code, Some(1), "{}", result.dump());
    assert!(
        result.stdout.starts_with(
            "exercise 1 (greet): its solution does not make exactly its tests pass; still \
             failing: tests.test_message::"
        ),
        "{}",
        result.dump()
    );
    assert!(
        result
            .stdout
            .ends_with("\n1 problem(s) with the exercises\n"),
        "{}",
        result.dump()
    );
}

#[test]
fn dev_check_names_the_exercise_whose_hint_is_empty_or_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("exercises.toml");
    let text = fs_err::read_to_string(repo_root().join("harness/workshop/exercises.toml")).unwrap();
    let second = catalog::find(2).unwrap();
    let fifth = catalog::find(5).unwrap();
    assert!(text.contains(&second.hints[0]) && text.contains(&fifth.hints[1]));
    let broken = text
        .replace(&second.hints[0], "")
        .replace(&fifth.hints[1], "Call `greet_many(<names>)`.");
    fs_err::write(&catalogue, broken).unwrap();
    let result = dev_check(
        &[
            "--style",
            "greet",
            "--exercises",
            &catalogue.to_string_lossy(),
        ],
        None,
    );
    assert_eq!(result.code, Some(1), "{}", result.dump());
    assert_eq!(
        result.stdout,
        "exercise 2 (greet): hint 1 is empty\n\
         exercise 5 (greet): hint 2 names placeholders a learner would read: <names>\n\
         2 problem(s) with the exercises\n",
        "{}",
        result.dump()
    );
    // Nothing is built while the catalogue is wrong.
    assert!(
        result
            .stderr
            .contains("dev check: greet: not built: the problems above come first"),
        "{}",
        result.dump()
    );
}

#[test]
fn dev_check_of_a_style_the_catalogue_has_no_exercise_of_names_each_todo() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("exercises.toml");
    let text = fs_err::read_to_string(repo_root().join("harness/workshop/exercises.toml")).unwrap();
    let mut table: toml::Table = toml::from_str(&text).unwrap();
    let Some(toml::Value::Array(exercises)) = table.get_mut("exercise") else {
        panic!("the catalogue has no [[exercise]] array");
    };
    exercises
        .retain(|exercise| exercise.get("style").and_then(toml::Value::as_str) != Some("greet"));
    fs_err::write(&catalogue, toml::to_string(&table).unwrap()).unwrap();
    let greet: Vec<u32> = catalog::all()
        .iter()
        .filter(|exercise| exercise.style == "greet")
        .map(|exercise| exercise.number)
        .collect();
    assert!(!greet.is_empty());
    let result = dev_check(
        &[
            "--style",
            "greet",
            "--exercises",
            &catalogue.to_string_lossy(),
        ],
        None,
    );
    assert_eq!(result.code, Some(1), "{}", result.dump());
    for number in &greet {
        let line = format!("exercise {number} (greet): ");
        let flagged = result.stdout.lines().any(|shown| {
            shown.starts_with(&line)
                && shown.ends_with(
                    "has its `todo!()`, but the catalogue has no such exercise for this style",
                )
        });
        assert!(flagged, "exercise {number} not flagged:\n{}", result.dump());
    }
}

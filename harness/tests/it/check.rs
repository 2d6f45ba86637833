//! `check` on projects generated earlier: a copy of a fresh render passes; a one-line change to
//! a Rust return value fails with a diff naming the scenario; records round-trip.

use scaffold_harness::project::tree::fingerprint;

use crate::support::{check, copy_project, edit, rendered, run, workshop};

#[test]
fn check_passes_then_fails_after_a_one_line_rust_change() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    let before = fingerprint(&project).unwrap();

    let passed = run(&mut check(&project));
    assert_eq!(passed.code, Some(0), "{}", passed.dump());
    assert!(
        passed.stdout.contains("1 case(s): 1 passed"),
        "{}",
        passed.dump()
    );

    edit(
        &project.join("crates/core/src/greeting.rs"),
        r#"format!("Hello, {name} !")"#,
        r#"format!("Hi, {name} !")"#,
    );
    let failed = run(&mut check(&project));
    assert_eq!(failed.code, Some(1), "{}", failed.dump());
    let expected_diff = "scenario greet.static_greet differs
  expected behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  --- reference (greet)
  +++ this project
  @@ -1,2 +1,2 @@
   behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  -returned: 'Hello, eunsang !'
  +returned: 'Hi, eunsang !'
";
    assert!(failed.stdout.contains(expected_diff), "{}", failed.dump());
    // The project's own tests see it too.
    assert!(
        failed
            .stdout
            .contains("failed tests.test_message::test_greet_keeps_the_space_before_the_bang"),
        "{}",
        failed.dump()
    );

    // check only reads DIR: no build products, no venv, and the sources as they were edited.
    for product in ["target", ".venv", "Cargo.lock"] {
        assert!(
            !project.join(product).exists(),
            "check wrote {product} into DIR"
        );
    }
    edit(
        &project.join("crates/core/src/greeting.rs"),
        r#"format!("Hi, {name} !")"#,
        r#"format!("Hello, {name} !")"#,
    );
    assert_eq!(fingerprint(&project).unwrap(), before);
}

#[test]
fn record_then_against_detects_a_changed_behaviour() {
    let (_dir, project) = copy_project(&rendered()["text-processor"]);
    let records = tempfile::tempdir().unwrap();
    let record = records.path().join("text-processor.record");

    let recorded = run(check(&project).arg("--record").arg(&record));
    assert_eq!(recorded.code, Some(0), "{}", recorded.dump());
    let text = fs_err::read_to_string(&record).unwrap();
    assert!(
        text.starts_with("# scaffold-harness record v3\n# style: text-processor\n"),
        "{text}"
    );
    assert!(text.contains("\n## api TextProcessor\n"), "{text}");
    assert!(
        text.contains("\n## tests\nskipped tests.test_free_threading::"),
        "{text}"
    );
    assert!(text.contains("\npassed tests.test_plugins::"), "{text}");

    let same = run(check(&project).arg("--against").arg(&record));
    assert_eq!(same.code, Some(0), "{}", same.dump());

    // A record from an older version of the project, in which the bundled plugins only
    // reversed each line.
    let older = text.replacen(
        "returned: '\\nDlrow olleh\\nTset a si siht\\nRossecorp ruo fo'",
        "returned: '\\ndlrow olleh\\ntset a si siht\\nrossecorp ruo fo'",
        1,
    );
    assert_ne!(older, text);
    fs_err::write(&record, older).unwrap();
    let changed = run(check(&project).arg("--against").arg(&record));
    assert_eq!(changed.code, Some(1), "{}", changed.dump());
    assert!(
        changed
            .stdout
            .contains("scenario text_processor.bundled_example differs"),
        "{}",
        changed.dump()
    );
    assert!(
        changed
            .stdout
            .contains("+returned: '\\nDlrow olleh\\nTset a si siht\\nRossecorp ruo fo'"),
        "{}",
        changed.dump()
    );
}

#[test]
fn the_checklist_comes_last_after_the_details_with_their_whole_messages() {
    // The exercise version fails many tests; a learner reads the end of what a terminal shows.
    let (_dir, project) = copy_project(&workshop()["greet"]);
    let result = run(&mut check(&project));
    assert_eq!(result.code, Some(1), "{}", result.dump());
    let stdout = &result.stdout;
    let heading = scaffold_harness::commands::check::DETAILS_HEADING;
    assert!(
        stdout.starts_with(&format!("{heading}\n=== my-ext: FAILED\n")),
        "{}",
        result.dump()
    );
    let checklist = stdout
        .find("\nchecklist for my-ext (greet): ")
        .unwrap_or_else(|| panic!("no checklist:\n{}", result.dump()));
    let (details, checklist) = stdout.split_at(checklist);
    // Nothing of the raw test output after the checklist starts.
    assert!(
        !checklist.contains("\n  failed tests."),
        "{}",
        result.dump()
    );
    // pytest.raises(match=...) says what it got on the lines after `AssertionError:`.
    assert!(
        details.contains(
            "  failed tests.test_message::test_a_rust_panic_is_a_base_exception_and_the_interpreter_survives: AssertionError:\n      \
             - not yet implemented: exercise 4: panic with \"deliberate panic\"\n      \
             + deliberate panic\n"
        ),
        "{}",
        result.dump()
    );
}

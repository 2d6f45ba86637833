//! Every maturin layout builds and tests as its authors run it: a project from
//! `maturin new --mixed`, the same with its package at the project's root, and one from
//! `maturin new` (pure Rust), each recorded with `check --style none --record` and checked
//! against that record, twice, with its tests in the record and passing. The projects are kept
//! as they were generated, in `fixtures/layouts/` (its README says how).

use std::path::{Path, PathBuf};

use crate::support::{check, copy_project, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures/layouts")
        .join(name)
}

/// Records the project, checks it against the record twice, and returns the record's tests.
fn record_and_check_twice(name: &str, dependencies: &str) -> Vec<String> {
    let (_dir, project) = copy_project(&fixture(name));
    let records = tempfile::tempdir().unwrap();
    let record = records.path().join(format!("{name}.record"));
    let recorded = run(check(&project)
        .args(["--style", "none", "--record"])
        .arg(&record));
    assert_eq!(recorded.code, Some(0), "{}", recorded.dump());
    assert!(
        recorded
            .stderr
            .contains(&format!("test dependencies: {dependencies}\n")),
        "{}",
        recorded.dump()
    );
    let text = fs_err::read_to_string(&record).unwrap();
    let tests: Vec<String> = text
        .split_once("\n## tests\n")
        .unwrap_or_else(|| panic!("no tests section in:\n{text}"))
        .1
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        tests.iter().all(|line| line.starts_with("passed ")),
        "{text}"
    );
    for round in 1..=2 {
        let again = run(check(&project)
            .args(["--style", "none", "--against"])
            .arg(&record));
        assert_eq!(again.code, Some(0), "round {round}:\n{}", again.dump());
        assert!(
            again.stdout.contains("1 case(s): 1 passed"),
            "round {round}:\n{}",
            again.dump()
        );
        assert!(
            !again.stdout.contains("differ"),
            "round {round}:\n{}",
            again.dump()
        );
    }
    tests
}

#[test]
fn the_mixed_layout_with_its_package_in_python_source() {
    assert_eq!(
        record_and_check_twice("layout-mixed", "extra `tests`"),
        [
            "passed python.tests.test_all::test_sum_as_string",
            "passed tests.test_mixed::test_the_package_reexports_the_native_function",
            "passed tests.test_mixed::test_the_native_module_is_inside_the_package",
        ]
    );
}

#[test]
fn the_mixed_layout_with_its_package_at_the_root_and_tests_as_a_package() {
    assert_eq!(
        record_and_check_twice("layout-root", "extra `test`, extra `tests`"),
        [
            "passed tests.test_all::test_sum_as_string",
            "passed tests.test_properties::test_sum_as_string_is_the_sum",
        ]
    );
}

#[test]
fn the_pure_rust_layout_with_a_requirements_file_and_a_root_conftest() {
    assert_eq!(
        record_and_check_twice("layout-rust", "requirements-dev.txt"),
        [
            "passed tests.test_rust::test_sum_as_string",
            "passed tests.test_rust::test_a_negative_number_is_refused",
            "passed tests.test_rust::test_the_root_conftest_is_seen",
        ]
    );
}

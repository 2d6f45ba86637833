//! The whole matrix, every style, against the committed snapshots.
//!
//! The binary compares each case with the snapshot embedded at its build; this test hands the
//! same text to insta, so that a changed behaviour shows as an insta diff, `cargo insta review`
//! can accept it, and in CI (CI=true) a new or changed snapshot fails without writing anything.

use scaffold_harness::base::python_version::PythonVersion;
use scaffold_harness::snapshot::{self, version_tags};
use scaffold_harness::template::style::{self, Case};

use crate::support::{harness, run};

#[test]
fn matrix_matches_the_committed_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("matrix.jsonl");
    let junit = dir.path().join("matrix.xml");
    // Every style of the registry: no --style given.
    let result = run(harness()
        .args(["matrix", "--json"])
        .arg(&json)
        .arg("--junit")
        .arg(&junit));
    let text = fs_err::read_to_string(&json)
        .unwrap_or_else(|error| panic!("no JSON report ({error}):\n{}", result.dump()));
    let cases: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line per case"))
        .collect();
    let ids: Vec<&str> = cases
        .iter()
        .map(|case| case["case"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = style::matrix(&[]).iter().map(Case::id).collect();
    assert_eq!(ids, expected, "{}", result.dump());

    for case in &cases {
        let id = case["case"].as_str().unwrap();
        // Every stage up to the probe must have worked; only the comparison may differ here.
        let stage_error = &case["error"];
        let snapshot_missing = stage_error["stage"] == "compare";
        assert!(
            stage_error.is_null() || snapshot_missing,
            "{id} failed in a stage:\n{}",
            serde_json::to_string_pretty(stage_error).unwrap()
        );
        let tests = &case["tests"]["cases"];
        // A skipped test is behaviour the snapshot records (the free-threading test skips on a
        // build with a GIL); a failing one is a broken project.
        let failing: Vec<&serde_json::Value> = tests
            .as_array()
            .unwrap()
            .iter()
            .filter(|test| test["outcome"] != "passed" && test["outcome"] != "skipped")
            .collect();
        assert!(!tests.as_array().unwrap().is_empty(), "{id}: no tests ran");
        assert!(failing.is_empty(), "{id}: failing tests: {failing:#?}");

        let snapshot = case["snapshot"].as_str().expect("a behaviour text");
        // The interpreter's key reads `cpython-3.11-x86_64-1a2b3c4d` (`3.14t` when free-threaded).
        let version = case["python"]
            .as_str()
            .and_then(|key| key.split('-').nth(1))
            .and_then(PythonVersion::parse)
            .expect("the case names its interpreter's version");
        // The committed snapshot may tag lines with the versions they hold for: this run is
        // compared with the lines for its version, and a change keeps the other versions' lines.
        let name = format!("matrix__probe@{id}");
        let snapshot = match snapshot::committed(&name) {
            Ok(committed) if version_tags::resolve(committed, version).unwrap() == snapshot => {
                committed.to_owned()
            }
            Ok(committed) => version_tags::update(committed, snapshot, version).unwrap(),
            Err(_) => snapshot.to_owned(),
        };
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix(id);
        settings.set_omit_expression(true);
        settings.set_description(format!(
            "What Python sees of the {id} project: its public API, each scenario's return value \
             or exception, and its pytest outcomes. Written by `pyo3-scaffold matrix`."
        ));
        settings.bind(|| insta::assert_snapshot!("matrix__probe", snapshot));
    }

    // The binary agrees: with the snapshots above accepted, every case passed.
    assert_eq!(result.code, Some(0), "{}", result.dump());
    let count = expected.len();
    assert!(
        result.stdout.contains(&format!(
            "{count} case(s): {count} passed, 0 failed, 0 errors"
        )),
        "{}",
        result.dump()
    );
    let junit = fs_err::read_to_string(&junit).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), count);
    assert!(!junit.contains("<failure"), "{junit}");
}

#[test]
fn the_committed_snapshots_show_every_error_path() {
    // The contract's error paths, read from the committed files themselves: a snapshot that
    // stopped showing one of them would be a regression even if the matrix accepted it.
    let greet = snapshot::committed("matrix__probe@greet-default").unwrap();
    for needle in [
        "raised: [PKG].EmptyTextError\n  mro: [PKG].EmptyTextError > builtins.ValueError",
        "## scenario greet.constructor_type_error\n",
        "raised: builtins.TypeError",
        "raised: pyo3_runtime.PanicException\n  mro: pyo3_runtime.PanicException > builtins.BaseException\n  is_exception: false",
    ] {
        assert!(greet.contains(needle), "greet snapshot lacks {needle:?}");
    }
    let text_processor = snapshot::committed("matrix__probe@text-processor-default").unwrap();
    for needle in [
        "raised: builtins.FileNotFoundError",
        "raised: builtins.NotADirectoryError",
        "raised: builtins.SyntaxError",
        "note: while loading plugin 'broken_syntax'",
        "raised: [PKG].PluginError",
        "message: plugin 'no_process'",
        "note: raised by plugin 'raises_key_error'",
        "message: plugin 'returns_int' returned int, expected str",
    ] {
        assert!(
            text_processor.contains(needle),
            "text-processor snapshot lacks {needle:?}"
        );
    }
}

//! Argument and environment errors: one line, a hint, the documented exit code, no panic.

use crate::support::{harness, run};

#[test]
fn help_documents_the_exit_codes() {
    let help = run(harness().arg("--help"));
    assert_eq!(help.code, Some(0));
    for line in [
        "  0    success: every case passed (matrix, check, watch), or the command did what it was\n       asked",
        "  2    usage error: a bad argument, a DIR that is missing or is not a maturin project, a\n       \
         template answer the template refuses, a DEST that exists (without --force)",
        "  130  interrupted (Ctrl-C, SIGTERM): children were stopped and work folders removed",
    ] {
        assert!(
            help.stdout.contains(line),
            "{line:?} missing:\n{}",
            help.stdout
        );
    }
}

#[test]
fn an_unknown_style_is_a_usage_error() {
    let result = run(harness().args(["matrix", "--style", "fancy"]));
    assert_eq!(result.code, Some(2), "{}", result.dump());
    assert!(
        result
            .stderr
            .starts_with("error: invalid value 'fancy' for '--style <S>'\n"),
        "{}",
        result.dump()
    );
    assert!(!result.stderr.contains("panicked"), "{}", result.dump());
}

#[test]
fn a_folder_that_is_not_a_project_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(harness().arg("check").arg(dir.path()));
    assert_eq!(result.code, Some(2), "{}", result.dump());
    let first = result.stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "error: {} is not a maturin project: it has no pyproject.toml",
            dir.path().display()
        ),
        "{}",
        result.dump()
    );
    assert!(
        result.stderr.contains("Usage: pyo3-scaffold check"),
        "{}",
        result.dump()
    );

    let missing = run(harness().args(["check", "/nonexistent/project"]));
    assert_eq!(missing.code, Some(2), "{}", missing.dump());
    assert!(
        missing
            .stderr
            .starts_with("error: /nonexistent/project is not a maturin project: no such folder\n"),
        "{}",
        missing.dump()
    );
}

#[test]
fn a_missing_template_is_an_environment_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(harness()
        .args(["render", "greet"])
        .arg(dir.path().join("out"))
        .arg("--template")
        .arg(dir.path()));
    assert_eq!(result.code, Some(3), "{}", result.dump());
    assert_eq!(
        result.stderr,
        format!(
            "error: the template was not found at {}\nhint: pass --template DIR (or set SCAFFOLD_TEMPLATE) to a folder holding cargo-generate.toml, \
             or neither to use the template built into pyo3-scaffold\n",
            dir.path().display()
        )
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_missing_interpreter_is_an_environment_error_with_the_fix() {
    let result = run(harness().args(["matrix", "--python", "/nonexistent/python3.99"]));
    assert_eq!(result.code, Some(3), "{}", result.dump());
    assert_eq!(
        result.stderr,
        "error: no Python interpreter found for `/nonexistent/python3.99`: no such file\n\
         hint: install CPython 3.11 to 3.15, and the free-threaded 3.14t and 3.15t, or pass \
         --python /path/to/python\n"
    );
}

/// An interpreter that describes itself as `version` (free-threaded or not), as a real one
/// answers the harness's question.
fn fake_python(dir: &std::path::Path, name: &str, version: &str, free_threaded: bool) -> String {
    let path = dir.join(name);
    let facts = format!(
        r#"{{"executable": "/opt/{name}", "implementation": "CPython", "version": "{version}", "free_threaded": {free_threaded}, "machine": "x86_64"}}"#
    );
    fs_err::write(&path, format!("#!/bin/sh\necho '{facts}'\n")).unwrap();
    scaffold_harness::platform::set_executable(&path).unwrap();
    path.display().to_string()
}

#[test]
fn an_interpreter_outside_the_supported_range_is_refused_naming_the_range() {
    let dir = tempfile::tempdir().unwrap();
    for (name, version, free_threaded, shown) in [
        ("python3.10", "3.10.13", false, "3.10"),
        ("python3.13t", "3.13.1", true, "3.13t"),
    ] {
        let python = fake_python(dir.path(), name, version, free_threaded);
        let result = run(harness().args(["matrix", "--python", &python]));
        assert_eq!(result.code, Some(3), "{}", result.dump());
        assert_eq!(
            result.stderr,
            format!(
                "error: `{python}` is CPython {shown}, outside the supported range (CPython 3.11 \
                 to 3.15, and the free-threaded 3.14t and 3.15t)\n\
                 hint: pass --python with an interpreter in the range, or --all-pythons to use \
                 every one this machine has\n"
            )
        );
    }
}

#[test]
fn a_refused_template_answer_names_the_problem_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("9lives");
    let result = run(harness().args(["render", "greet"]).arg(&dest));
    // A refused answer is the user's input: a usage error (`bad_input.rs` tries many more).
    assert_eq!(result.code, Some(2), "{}", result.dump());
    assert!(
        result.stderr.starts_with(
            "error: refused project name: '9lives' starts with a digit, so 'import' cannot \
             name it: put a letter first, for example 'py9lives'\n"
        ),
        "{}",
        result.dump()
    );
    let left: Vec<_> = fs_err::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "render left {left:?} behind");
}

#[test]
fn style_none_without_a_record_is_a_usage_error() {
    let example = crate::support::repo_root().join("examples").join("greet");
    let result = run(harness()
        .arg("check")
        .arg(&example)
        .args(["--style", "none"]));
    assert_eq!(result.code, Some(2), "{}", result.dump());
    assert!(
        result.stderr.starts_with(
            "error: --style none has no reference behaviour to compare with: record one with \
             --record FILE, then compare with --against FILE\n"
        ),
        "{}",
        result.dump()
    );
}

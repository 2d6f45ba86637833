//! Conformance over time on a rendered project: each kind of change is classified as breaking
//! or compatible, `check` fails on breaking ones only (on any with `--strict`), and the
//! baseline can be a style's reference, a record or a git revision.

use std::path::{Path, PathBuf};

use crate::support::{check, copy_project, edit, git, line_number, rendered, run};

/// The greet project's package `__init__.py`, where public Python names are easy to add.
fn init_py(project: &Path) -> PathBuf {
    project.join("python/greet/__init__.py")
}

/// The greet project's public class, in Python.
fn api_py(project: &Path) -> PathBuf {
    project.join("python/greet/api.py")
}

/// Adds a public function, the method `Message.shout`, and a test of it in a new file. (A
/// name added to `__all__` would fail the template's own test of `__all__`.)
fn add_shout(project: &Path) {
    edit(
        &api_py(project),
        "    def fail_if_empty(",
        "    def shout(self) -> str:\n        \"\"\"The text in capitals, with an exclamation mark.\"\"\"\n        \
         return self.text.upper() + \"!\"\n\n    def fail_if_empty(",
    );
    fs_err::write(
        project.join("tests/test_shout.py"),
        "from greet import Message\n\n\ndef test_shout() -> None:\n    \
         assert Message(\"hi\").shout() == \"HI!\"\n",
    )
    .unwrap();
}

/// Takes `EmptyTextError` out of the package's public names (`__all__`). The package still
/// imports it, so the scenarios that raise it behave as before; the template's test of
/// `__all__` fails, as any test a change breaks does.
fn unexport_empty_text_error(project: &Path) {
    edit(
        &init_py(project),
        r#"__all__ = ["EmptyTextError", "Message"]"#,
        r#"__all__ = ["Message"]"#,
    );
}

#[test]
fn a_project_that_grew_beyond_the_template_still_conforms_to_its_style() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    add_shout(&project);
    // A maintainer adds a test to an official test file: their project, their tests.
    let tests = project.join("tests/test_message.py");
    let mut text = fs_err::read_to_string(&tests).unwrap();
    text.push_str(
        "\n\ndef test_shout_is_loud() -> None:\n    assert Message(\"hey\").shout() == \"HEY!\"\n",
    );
    fs_err::write(&tests, text).unwrap();
    let grown = run(check(&project).args(["--format", "github"]));
    assert_eq!(grown.code, Some(0), "{}", grown.dump());
    for line in [
        "compatible (name-added): `Message.shout` was added",
        "1 difference(s): 0 breaking, 1 compatible",
        "1 case(s): 1 passed",
        "::notice title=compatible (name-added)%3A api Message::`Message.shout` was added",
    ] {
        assert!(grown.stdout.contains(line), "{line}\n{}", grown.dump());
    }
    // A maintainer's project is no workshop: no checklist, exercises or official tests.
    for workshop in [
        "exercise",
        "behaviours pass",
        "official tests",
        "check failed",
    ] {
        assert!(
            !grown.stdout.contains(workshop),
            "{workshop}\n{}",
            grown.dump()
        );
    }

    // --strict keeps the exact comparison, and says that is why it fails.
    let strict = run(check(&project).args(["--strict", "--format", "github"]));
    assert_eq!(strict.code, Some(1), "{}", strict.dump());
    let reason = "strict mode: 1 compatible difference fails the check";
    assert!(
        strict.stdout.ends_with(&format!(
            "check failed: {reason}\n::error title=check failed::{reason}\n"
        )),
        "{}",
        strict.dump()
    );

    // A name the template defines that is gone fails, named as breaking.
    unexport_empty_text_error(&project);
    let shrunk = run(check(&project).args(["--format", "github"]));
    assert_eq!(shrunk.code, Some(1), "{}", shrunk.dump());
    assert!(
        shrunk
            .stdout
            .contains("breaking (name-removed): `EmptyTextError` was removed"),
        "{}",
        shrunk.dump()
    );
    let reason = "2 breaking differences, the first: `EmptyTextError` was removed from \
                  `__all__` (all-name-removed); 1 test failed: \
                  tests.test_message::test_the_package_exports_what_it_documents \
                  (AssertionError: assert ['Message'] == ['EmptyTextError', 'Message'])";
    assert!(
        shrunk
            .stdout
            .lines()
            .any(|line| line.starts_with(&format!("check failed: {reason}"))),
        "{}",
        shrunk.dump()
    );
    assert!(
        shrunk
            .stdout
            .lines()
            .any(|line| line.starts_with(&format!("::error title=check failed::{reason}"))),
        "{}",
        shrunk.dump()
    );
}

#[test]
fn record_then_against_classifies_each_change() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    edit(
        &api_py(&project),
        "    __slots__ = (\"_inner\",)\n",
        "    __slots__ = (\"_inner\",)\n\n    GREETING = \"Hello\"\n",
    );
    let records = tempfile::tempdir().unwrap();
    let record = records.path().join("greet.record");
    let recorded = run(check(&project).arg("--record").arg(&record));
    assert_eq!(recorded.code, Some(0), "{}", recorded.dump());
    let text = fs_err::read_to_string(&record).unwrap();
    for expected in [
        "# scaffold-harness record v3\n# style: greet\n",
        "\nall: EmptyTextError, Message\n",
        "\nmember GREETING:\n  kind: constant\n  qualname: [PKG].api.Message.GREETING\n  value: 'Hello'\n",
        "\n## api EmptyTextError\nkind: exception\nqualname: [PKG].EmptyTextError\nbases: builtins.ValueError\n",
        "\n## stub [PKG]._[PKG]\nfile: _[PKG].pyi\nagrees with the runtime\n",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }

    // Compatible: a new function, and a new parameter with a default.
    add_shout(&project);
    edit(
        &api_py(&project),
        "def fail_if_empty(self, text: str) -> str:",
        "def fail_if_empty(self, text: str, strip: bool = False) -> str:",
    );
    let compatible = run(check(&project).arg("--against").arg(&record));
    assert_eq!(compatible.code, Some(0), "{}", compatible.dump());
    for line in [
        "compatible (name-added): `Message.shout` was added",
        "compatible (parameter-added-defaulted): `Message.fail_if_empty`: parameter `strip` was \
         added, with a default",
        "compatible (test-added): test `tests.test_shout::test_shout` is new (passed)",
    ] {
        assert!(
            compatible.stdout.contains(line),
            "{line}\n{}",
            compatible.dump()
        );
    }
    let strict = run(check(&project)
        .arg("--against")
        .arg(&record)
        .arg("--strict"));
    assert_eq!(strict.code, Some(1), "{}", strict.dump());

    // Breaking: a constant's value changed, a name removed.
    edit(
        &api_py(&project),
        r#"GREETING = "Hello""#,
        r#"GREETING = "Hi""#,
    );
    let init = fs_err::read_to_string(init_py(&project)).unwrap();
    unexport_empty_text_error(&project);
    let reports = tempfile::tempdir().unwrap();
    let json = reports.path().join("report.json");
    let junit = reports.path().join("report.xml");
    let breaking = run(check(&project)
        .arg("--against")
        .arg(&record)
        .args(["--format", "github"])
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(&junit));
    assert_eq!(breaking.code, Some(1), "{}", breaking.dump());
    for line in [
        "breaking (value-changed): the value of `Message.GREETING` changed: 'Hello' → 'Hi'",
        "breaking (name-removed): `EmptyTextError` was removed",
        "breaking (all-name-removed): `EmptyTextError` was removed from `__all__`",
    ] {
        assert!(
            breaking.stdout.contains(line),
            "{line}\n{}",
            breaking.dump()
        );
    }
    // GitHub annotations: an error for each breaking difference, at its section in the record.
    let heading = line_number(&text, "## api Message");
    let annotation = format!(
        "::error file={},line={heading},title=breaking (value-changed)%3A api Message::the \
         value of `Message.GREETING` changed: 'Hello' → 'Hi'%0Ahint: ",
        record.display()
    );
    assert!(
        breaking.stdout.contains(&annotation),
        "{annotation}\n{}",
        breaking.dump()
    );
    assert!(
        breaking
            .stdout
            .lines()
            .any(|line| line.starts_with("::notice ") && line.contains("(name-added)")),
        "{}",
        breaking.dump()
    );
    // The JSON report lists each difference with its class, section, explanation and hint.
    let report: serde_json::Value =
        serde_json::from_str(fs_err::read_to_string(&json).unwrap().trim()).unwrap();
    let findings: Vec<&serde_json::Value> = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|difference| difference["findings"].as_array().unwrap())
        .collect();
    let value = findings
        .iter()
        .find(|finding| finding["rule"] == "value-changed")
        .unwrap();
    assert_eq!(value["class"], "breaking");
    assert_eq!(value["section"], "api Message");
    assert_eq!(
        value["explanation"],
        "the value of `Message.GREETING` changed: 'Hello' → 'Hi'"
    );
    assert!(
        value["hint"]
            .as_str()
            .unwrap()
            .starts_with("code that relies")
    );
    // JUnit: a test case per section, failed for the breaking ones only.
    let xml = fs_err::read_to_string(&junit).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let failed = |name: &str| {
        let case = report
            .test_suites
            .iter()
            .flat_map(|suite| &suite.test_cases)
            .find(|case| case.name.as_str() == name)
            .unwrap_or_else(|| panic!("no test case {name} in\n{xml}"));
        matches!(
            case.status,
            quick_junit::TestCaseStatus::NonSuccess {
                kind: quick_junit::NonSuccessKind::Failure,
                ..
            }
        )
    };
    assert!(failed("behaviour: api Message"), "{xml}");
    assert!(failed("behaviour: api EmptyTextError"), "{xml}");
    assert!(!failed("behaviour: scenario greet.static_greet"), "{xml}");
    assert!(
        !failed("behaviour: scenario greet.fail_if_empty_raises"),
        "{xml}"
    );

    // Recording over the record lists what it accepts, then writes (`EmptyTextError` back in
    // `__all__`, since the template's tests check it).
    fs_err::write(init_py(&project), init).unwrap();
    let updated = run(check(&project).arg("--record").arg(&record));
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    assert!(
        updated
            .stdout
            .contains(&format!("updating {}, accepting ", record.display())),
        "{}",
        updated.dump()
    );
    assert!(
        updated.stdout.contains(
            "  breaking (value-changed): the value of `Message.GREETING` changed: 'Hello' → 'Hi'"
        ),
        "{}",
        updated.dump()
    );
    let again = run(check(&project).arg("--against").arg(&record));
    assert_eq!(again.code, Some(0), "{}", again.dump());
}

#[test]
fn against_git_compares_with_a_commit_without_touching_the_working_tree() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-qm", "the template"]);
    unexport_empty_text_error(&project);
    let status = git(&project, &["status", "--porcelain"]);

    let compared = run(check(&project).args(["--against-git", "HEAD", "--format", "github"]));
    assert_eq!(compared.code, Some(1), "{}", compared.dump());
    assert!(
        compared
            .stdout
            .contains("breaking (name-removed): `EmptyTextError` was removed"),
        "{}",
        compared.dump()
    );
    assert!(
        compared.stdout.lines().any(|line| line
            .starts_with("::error title=breaking (name-removed)%3A api EmptyTextError::")),
        "{}",
        compared.dump()
    );
    assert!(
        compared.stderr.contains("baseline: greet at HEAD ("),
        "{}",
        compared.dump()
    );
    assert_eq!(git(&project, &["status", "--porcelain"]), status);
    assert_eq!(git(&project, &["worktree", "list"]).lines().count(), 1);

    let unknown = run(check(&project).args(["--against-git", "no-such-branch"]));
    assert_eq!(unknown.code, Some(2), "{}", unknown.dump());
    assert!(
        unknown
            .stderr
            .contains("--against-git no-such-branch: no commit `no-such-branch`"),
        "{}",
        unknown.dump()
    );
}

#[test]
fn a_stub_that_disagrees_with_the_runtime_is_recorded_and_no_tests_is_a_warning() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    let stub = project.join("python/greet/_greet.pyi");
    edit(
        &stub,
        "def fail_if_empty(self, text: str) -> str: ...",
        "def fail_if_empty(self, text: str, strict: bool) -> str: ...",
    );
    edit(
        &stub,
        "    @staticmethod\n    def greet_many(names: Sequence[str]) -> list[str]: ...\n",
        "",
    );
    // The tests folder stays (pytest is told to look there), empty.
    for test in fs_err::read_dir(project.join("tests")).unwrap() {
        let path = test.unwrap().path();
        if path.is_dir() {
            fs_err::remove_dir_all(path).unwrap();
        } else {
            fs_err::remove_file(path).unwrap();
        }
    }
    let records = tempfile::tempdir().unwrap();
    let record = records.path().join("greet.record");
    let recorded = run(check(&project).arg("--record").arg(&record));
    assert_eq!(recorded.code, Some(0), "{}", recorded.dump());
    assert!(
        recorded.stderr.contains(
            "warning: pytest found no tests in greet: the record holds its API and behaviour but \
             no test outcomes"
        ),
        "{}",
        recorded.dump()
    );
    assert!(!recorded.stdout.contains("FAILED"), "{}", recorded.dump());
    let text = fs_err::read_to_string(&record).unwrap();
    let expected = "\n## stub [PKG]._[PKG]\nfile: _[PKG].pyi\n\
                    parameters differ: PyMessage.fail_if_empty\n  stub: (text, strict)\n  runtime: (text)\n\
                    only at runtime: PyMessage.greet_many\n";
    assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    assert!(text.contains("\n## tests\nno tests ran\n"), "{text}");
}

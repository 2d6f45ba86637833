//! Stage 4: the project's own pytest suite, in the case's venv, with a JUnit XML report that
//! gives each test's outcome.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::cmd::{Cmd, Status, tail_str};
use crate::error::{Error, Result};
use crate::tools::path_with;
use crate::venv;

/// One test's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    Error,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Error => "error",
            Outcome::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestCase {
    /// `tests.test_message::test_greet`: pytest's classname, then the test's name.
    pub name: String,
    pub outcome: Outcome,
    /// The failure's or skip's message, if any.
    pub message: Option<String>,
}

/// What a pytest run reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TestReport {
    pub cases: Vec<TestCase>,
    /// The end of pytest's own output (its short summary), for a reader of a failure.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

impl TestReport {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.cases
            .iter()
            .filter(|case| case.outcome == outcome)
            .count()
    }

    /// True when at least one test ran and none failed or errored.
    pub fn passed(&self) -> bool {
        !self.cases.is_empty()
            && self.count(Outcome::Failed) == 0
            && self.count(Outcome::Error) == 0
    }

    /// `5 passed, 1 failed, 0 errors, 0 skipped`
    pub fn counts(&self) -> String {
        format!(
            "{} passed, {} failed, {} errors, {} skipped",
            self.count(Outcome::Passed),
            self.count(Outcome::Failed),
            self.count(Outcome::Error),
            self.count(Outcome::Skipped)
        )
    }
}

/// Runs the suite; failing tests are a report, not an error. Errors are for a pytest that could
/// not report at all (it crashed, hung, or was misconfigured).
pub fn run(project: &Path, venv: &Path, junit: &Path, timeout: Duration) -> Result<TestReport> {
    if junit.exists() {
        fs_err::remove_file(junit)?;
    }
    let mut junit_arg = std::ffi::OsString::from("--junitxml=");
    junit_arg.push(junit);
    let cmd = Cmd::new(venv::python(venv))
        // No cache folder in the project, and no pytest plugins from outside the venv.
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .arg(junit_arg)
        .cwd(project)
        .env("VIRTUAL_ENV", venv)
        .env("PATH", path_with(&[&venv::bin(venv)]))
        .timeout(timeout)
        .hint("pytest could not run the suite: its output is above");
    let output = cmd.output()?;
    // 0: all passed, 1: some failed, 2: interrupted (collection errors), 5: no tests.
    let reported = matches!(output.status, Status::Exited(0 | 1 | 2 | 5));
    if !reported || !junit.is_file() {
        return Err(cmd.error(&output).into());
    }
    let xml = fs_err::read_to_string(junit)?;
    let mut report = parse_junit(&xml).map_err(|message| Error::Junit {
        path: PathBuf::from(junit),
        message,
    })?;
    report.summary = tail_str(output.stdout.trim_end(), 4096).to_owned();
    Ok(report)
}

/// Reads pytest's JUnit XML (either `junit_family`).
pub fn parse_junit(xml: &str) -> Result<TestReport, String> {
    let document = roxmltree::Document::parse(xml).map_err(|error| error.to_string())?;
    let root = document.root_element();
    if !matches!(root.tag_name().name(), "testsuites" | "testsuite") {
        return Err(format!(
            "unexpected root element <{}>",
            root.tag_name().name()
        ));
    }
    let cases = root
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .map(|node| {
            let classname = node.attribute("classname").unwrap_or_default();
            let name = node.attribute("name").unwrap_or_default();
            let child = |tag: &str| node.children().find(|child| child.has_tag_name(tag));
            let (outcome, detail) = if let Some(failure) = child("failure") {
                (Outcome::Failed, Some(failure))
            } else if let Some(error) = child("error") {
                (Outcome::Error, Some(error))
            } else if let Some(skipped) = child("skipped") {
                (Outcome::Skipped, Some(skipped))
            } else {
                (Outcome::Passed, None)
            };
            TestCase {
                name: if classname.is_empty() {
                    name.to_owned()
                } else {
                    format!("{classname}::{name}")
                },
                outcome,
                message: detail
                    .and_then(|node| node.attribute("message"))
                    .map(str::to_owned),
            }
        })
        .collect();
    Ok(TestReport {
        cases,
        summary: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5" time="0.05">
<testcase classname="tests.test_message" name="test_greet" time="0.001" />
<testcase classname="tests.test_message" name="test_empty[&apos;&apos;]" time="0.001" />
<testcase classname="tests.test_message" name="test_fails" time="0.002"><failure message="AssertionError: assert 'Hello, x !' == 'Hi'">tests/test_message.py:12: AssertionError</failure></testcase>
<testcase classname="tests.test_processor" name="test_skip" time="0"><skipped type="pytest.skip" message="needs 3.12">skip</skipped></testcase>
<testcase classname="" name="tests.test_broken" time="0"><error message="collection failure">ImportError</error></testcase>
</testsuite></testsuites>"#;

    #[test]
    fn junit_outcomes_and_messages() {
        let report = parse_junit(XML).unwrap();
        let seen: Vec<(&str, Outcome, Option<&str>)> = report
            .cases
            .iter()
            .map(|case| (case.name.as_str(), case.outcome, case.message.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("tests.test_message::test_greet", Outcome::Passed, None),
                ("tests.test_message::test_empty['']", Outcome::Passed, None),
                (
                    "tests.test_message::test_fails",
                    Outcome::Failed,
                    Some("AssertionError: assert 'Hello, x !' == 'Hi'")
                ),
                (
                    "tests.test_processor::test_skip",
                    Outcome::Skipped,
                    Some("needs 3.12")
                ),
                (
                    "tests.test_broken",
                    Outcome::Error,
                    Some("collection failure")
                ),
            ]
        );
        assert_eq!(report.counts(), "2 passed, 1 failed, 1 errors, 1 skipped");
        assert!(!report.passed());
    }

    #[test]
    fn empty_suite_does_not_pass() {
        let report =
            parse_junit(r#"<testsuites><testsuite name="pytest" tests="0"/></testsuites>"#)
                .unwrap();
        assert_eq!(report.cases, []);
        assert!(!report.passed());
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(parse_junit("<testsuites>").is_err());
        assert_eq!(
            parse_junit("<html/>").unwrap_err(),
            "unexpected root element <html>"
        );
    }
}

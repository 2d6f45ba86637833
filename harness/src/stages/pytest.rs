//! Stage 4: the project's own pytest suite, in the case's venv, with a JUnit XML report that
//! gives each test's outcome.

use std::path::{Path, PathBuf};
use std::time::Duration;

use quick_xml::events::Event;
use serde::{Deserialize, Serialize};

use crate::base::cmd::path_with;
use crate::base::cmd::{Cmd, Status, tail_str};
use crate::base::error::{Error, Result};
use crate::stages::venv;

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

    /// The outcome [`Outcome::as_str`] names.
    pub fn parse(word: &str) -> Option<Outcome> {
        [
            Outcome::Passed,
            Outcome::Failed,
            Outcome::Error,
            Outcome::Skipped,
        ]
        .into_iter()
        .find(|outcome| outcome.as_str() == word)
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

/// The largest JUnit report read: a test can put any amount of text into its failure message,
/// and the report is parsed whole.
const JUNIT_LIMIT: u64 = 32 * 1024 * 1024;

/// How much of a test's failure message is kept (the JUnit file has the rest).
const MESSAGE_LIMIT: usize = 2000;

/// Where pytest runs and writes.
#[derive(Debug)]
pub struct Request<'a> {
    pub project: &'a Path,
    pub venv: &'a Path,
    /// Where pytest writes its JUnit XML report.
    pub junit: &'a Path,
    /// The temporary folder of the tests (`TMPDIR`), inside the case's work folder, so that
    /// `tmp_path` folders and whatever else the tests leave go with it.
    pub tmp_dir: &'a Path,
    pub timeout: Duration,
}

/// Runs the suite; failing tests are a report, not an error. Errors are for a pytest that could
/// not report at all (it crashed, hung, or was misconfigured).
pub fn run(request: &Request<'_>) -> Result<TestReport> {
    let Request {
        project,
        venv,
        junit,
        tmp_dir,
        timeout,
    } = *request;
    if junit.exists() {
        fs_err::remove_file(junit)?;
    }
    fs_err::create_dir_all(tmp_dir)?;
    let mut junit_arg = std::ffi::OsString::from("--junitxml=");
    junit_arg.push(junit);
    let cmd = Cmd::new(venv::python(venv))
        // No cache folder in the project, and no pytest plugins from outside the venv.
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        // A test module that does not import (a missing test dependency, a renamed name)
        // would otherwise stop the whole run: every other module's tests still report.
        .arg("--continue-on-collection-errors")
        // A test still running shortly before the time limit gets its traceback dumped to
        // stderr, which the error then shows: it names the test that hung.
        .arg("-o")
        .arg(format!("faulthandler_timeout={}", dump_after(timeout)))
        .arg(junit_arg)
        .cwd(project)
        .env("VIRTUAL_ENV", venv)
        .env("PATH", path_with(&[&venv::bin(venv)]))
        .env("TMPDIR", tmp_dir)
        .timeout(timeout);
    let output = cmd.output()?;
    // 0: all passed, 1: some failed, 2: interrupted (collection errors), 5: no tests.
    let reported = matches!(output.status, Status::Exited(0 | 1 | 2 | 5));
    if !reported || !junit.is_file() {
        let mut error = cmd.error(&output);
        error.hint = Some(unreported_hint(output.status));
        return Err(error.into());
    }
    let junit_error = |message: String| Error::Junit {
        path: PathBuf::from(junit),
        message,
    };
    let size = fs_err::metadata(junit)?.len();
    if size > JUNIT_LIMIT {
        return Err(junit_error(format!(
            "it is {size} bytes long, more than the {JUNIT_LIMIT} the harness reads \
             (a test failed with an enormous message?)"
        )));
    }
    let xml = fs_err::read_to_string(junit)?;
    let mut report = parse_junit(&xml).map_err(junit_error)?;
    report.summary = tail_str(output.stdout.trim_end(), 4096).to_owned();
    Ok(report)
}

/// The tests pytest selects in `project` with `-m expression` (every test, with `None`), named
/// as [`TestCase::name`] names them: `tests.test_message::test_greet`.
pub fn collect(
    project: &Path,
    venv: &Path,
    expression: Option<&str>,
    timeout: Duration,
) -> Result<Vec<String>> {
    let mut cmd = Cmd::new(venv::python(venv))
        .args([
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
        ])
        .cwd(project)
        .env("VIRTUAL_ENV", venv)
        .env("PATH", path_with(&[&venv::bin(venv)]))
        .stdout_limit(16 << 20)
        .timeout(timeout);
    if let Some(expression) = expression {
        cmd = cmd.args(["-m", expression]);
    }
    let output = cmd.output()?;
    // 5: nothing selected, which is an answer too.
    if !matches!(output.status, Status::Exited(0 | 5)) {
        return Err(cmd.error(&output).into());
    }
    Ok(output.stdout.lines().filter_map(junit_name).collect())
}

/// A pytest node id as the JUnit report names the test: `tests/test_x.py::TestC::test_y[a]` is
/// `tests.test_x.TestC::test_y[a]`. `None` for a line that is no node id.
fn junit_name(node: &str) -> Option<String> {
    let (path, rest) = node.split_once("::")?;
    let module = path.strip_suffix(".py")?.replace(['/', '\\'], ".");
    // A parametrised test's id, `[...]`, may hold `::` itself.
    let named = rest.find('[').map_or(rest, |at| &rest[..at]);
    Some(match named.rfind("::") {
        Some(at) => format!(
            "{module}.{}::{}",
            rest[..at].replace("::", "."),
            &rest[at + 2..]
        ),
        None => format!("{module}::{rest}"),
    })
}

/// Seconds after which a test still running gets its traceback dumped: shortly before the
/// stage's time limit, so that the dump is in the output when the group is killed.
fn dump_after(timeout: Duration) -> u64 {
    (timeout.as_secs() * 5 / 6).max(1)
}

/// What to tell the reader when pytest ended without a report.
fn unreported_hint(status: Status) -> String {
    match status {
        // A signal on Unix, an NTSTATUS such as an access violation on Windows.
        _ if status.crashed() => "the interpreter crashed while running the tests (a test, or \
             the code it called, killed it): the traceback on stderr above names the test"
            .into(),
        Status::TimedOut(_) => "a test did not finish within --timeout: the traceback dumped \
             on stderr above (\"Timeout\") names it"
            .into(),
        Status::Signalled(_) | Status::Exited(_) => {
            "pytest could not run the suite: its output is above".into()
        }
    }
}

/// The last `E   ...` line of pytest's failure details: the exception, type and message.
fn last_error_line(details: &str) -> Option<&str> {
    details
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("E "))
        .map(str::trim)
        .filter(|line| !line.is_empty())
}

/// At most `limit` bytes of `message`, cut on a character boundary, saying how much was cut.
fn shorten(message: &str, limit: usize) -> String {
    if message.len() <= limit {
        return message.to_owned();
    }
    let mut end = limit;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{} [... {} more bytes]",
        &message[..end],
        message.len() - end
    )
}

/// pytest's JUnit XML, as far as the harness reads it: the test cases of every suite, with the
/// failure, error or skip each carries. Other elements and attributes are left out.
#[derive(Debug, Default, Deserialize)]
struct Suite {
    #[serde(rename = "testsuite", default)]
    suites: Vec<Suite>,
    #[serde(rename = "testcase", default)]
    cases: Vec<JunitCase>,
}

#[derive(Debug, Deserialize)]
struct JunitCase {
    #[serde(rename = "@classname", default)]
    classname: String,
    #[serde(rename = "@name", default)]
    name: String,
    // Lists: pytest writes a failure and an error in one test case when its teardown fails too.
    #[serde(default)]
    failure: Vec<Detail>,
    #[serde(default)]
    error: Vec<Detail>,
    #[serde(default)]
    skipped: Vec<Detail>,
}

#[derive(Debug, Deserialize)]
struct Detail {
    #[serde(rename = "@message")]
    message: Option<String>,
    #[serde(rename = "$text", default)]
    text: String,
}

impl Suite {
    fn all_cases(self) -> Box<dyn Iterator<Item = JunitCase>> {
        Box::new(
            self.cases
                .into_iter()
                .chain(self.suites.into_iter().flat_map(Suite::all_cases)),
        )
    }
}

/// The name of the document's first element.
fn root_element(xml: &str) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|error| error.to_string())? {
            Event::Start(element) | Event::Empty(element) => {
                return Ok(String::from_utf8_lossy(element.name().as_ref()).into_owned());
            }
            Event::Eof => return Err("no root element".to_owned()),
            _ => {}
        }
    }
}

/// Reads pytest's JUnit XML (either `junit_family`).
pub fn parse_junit(xml: &str) -> Result<TestReport, String> {
    let root = root_element(xml)?;
    if !matches!(root.as_str(), "testsuites" | "testsuite") {
        return Err(format!("unexpected root element <{root}>"));
    }
    let suite: Suite = quick_xml::de::from_str(xml).map_err(|error| error.to_string())?;
    let cases = suite
        .all_cases()
        .map(|case| {
            let (outcome, detail) = if let Some(failure) = case.failure.first() {
                (Outcome::Failed, Some(failure))
            } else if let Some(error) = case.error.first() {
                (Outcome::Error, Some(error))
            } else if let Some(skipped) = case.skipped.first() {
                (Outcome::Skipped, Some(skipped))
            } else {
                (Outcome::Passed, None)
            };
            let message = detail.and_then(|detail| {
                let message = detail.message.as_deref()?;
                // pytest's message for a module that failed to import says only that; the
                // exception is the last `E   ` line of the details.
                if message == "collection failure"
                    && let Some(line) = last_error_line(&detail.text)
                {
                    return Some(shorten(&format!("{message}: {line}"), MESSAGE_LIMIT));
                }
                Some(shorten(message, MESSAGE_LIMIT))
            });
            TestCase {
                name: if case.classname.is_empty() {
                    case.name
                } else {
                    format!("{}::{}", case.classname, case.name)
                },
                outcome,
                message,
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

    #[test]
    fn node_ids_read_as_junit_names() {
        assert_eq!(
            junit_name("tests/test_message.py::test_greet").as_deref(),
            Some("tests.test_message::test_greet")
        );
        assert_eq!(
            junit_name("tests/sub/test_x.py::TestC::test_y[a::b]").as_deref(),
            Some("tests.sub.test_x.TestC::test_y[a::b]")
        );
        assert_eq!(junit_name("13 tests collected in 0.01s"), None);
        assert_eq!(junit_name(""), None);
    }

    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5" time="0.05">
<testcase classname="tests.test_message" name="test_greet" time="0.001" />
<testcase classname="tests.test_message" name="test_empty[&apos;&apos;]" time="0.001" />
<testcase classname="tests.test_message" name="test_fails" time="0.002"><failure message="AssertionError: assert 'Hello, x !' == 'Hi'">tests/test_message.py:12: AssertionError</failure></testcase>
<testcase classname="tests.test_processor" name="test_skip" time="0"><skipped type="pytest.skip" message="needs 3.12">skip</skipped></testcase>
<testcase classname="" name="tests.test_broken" time="0"><error message="collection failure">ImportError while importing test module 'tests/test_broken.py'.
Traceback:
tests/test_broken.py:1: in &lt;module&gt;
    import my_ext
E   ImportError: dynamic module does not define module export function (PyInit__x)</error></testcase>
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
                    Some(
                        "collection failure: ImportError: dynamic module does not define \
                         module export function (PyInit__x)"
                    )
                ),
            ]
        );
        assert_eq!(report.counts(), "2 passed, 1 failed, 1 errors, 1 skipped");
        assert!(!report.passed());
    }

    #[test]
    fn long_messages_are_cut() {
        let xml = format!(
            r#"<testsuites><testsuite name="pytest"><testcase classname="t" name="f"><failure message="{}é{}">x</failure></testcase></testsuite></testsuites>"#,
            "a".repeat(MESSAGE_LIMIT - 1),
            "b".repeat(10_000)
        );
        let report = parse_junit(&xml).unwrap();
        let message = report.cases[0].message.as_deref().unwrap();
        assert_eq!(
            message,
            format!("{} [... 10002 more bytes]", "a".repeat(MESSAGE_LIMIT - 1))
        );
    }

    #[test]
    fn the_dump_comes_before_the_time_limit() {
        assert_eq!(dump_after(Duration::from_secs(900)), 750);
        assert_eq!(dump_after(Duration::from_secs(30)), 25);
        assert_eq!(dump_after(Duration::from_secs(2)), 1);
        assert_eq!(dump_after(Duration::from_secs(1)), 1);
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

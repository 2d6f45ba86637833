//! What a run tells its reader: the differences and errors of each case, a summary table with
//! each stage's time, and JUnit XML and JSON Lines files for CI.
//!
//! The JSON report has one line per case, so the reports of `--shard` runners merge by
//! concatenation (`cat shard-*.jsonl > all.jsonl`).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::base::error::{Fault, Result};
use crate::base::table::{self, Align};
use crate::pipeline::{CaseReport, Stage, StageStatus, Verdict};
use crate::stages::pytest::Outcome as TestOutcome;

pub mod github;
mod junit;
pub mod live;
mod reason;
pub use junit::junit;
pub use reason::failure_reason;

/// Stages shown as columns of the summary table, in pipeline order.
const COLUMNS: [Stage; 7] = [
    Stage::Render,
    Stage::Copy,
    Stage::Venv,
    Stage::Develop,
    Stage::Pytest,
    Stage::Probe,
    Stage::Compare,
];

pub fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Passed => "passed",
        Verdict::Failed => "FAILED",
        Verdict::Error(Fault::Interrupted) => "INTERRUPTED",
        Verdict::Error(_) => "ERROR",
    }
}

fn time(duration: Duration) -> String {
    format!("{:.2}s", duration.as_secs_f64())
}

/// The summary table: one row per case, a column per stage that any case ran.
pub fn summary_table(reports: &[CaseReport]) -> String {
    let columns: Vec<Stage> = COLUMNS
        .into_iter()
        .filter(|stage| reports.iter().any(|report| report.stage(*stage).is_some()))
        .collect();
    let mut header = vec!["case".to_owned(), "result".to_owned()];
    header.extend(columns.iter().map(|stage| stage.as_str().to_owned()));
    header.push("total".to_owned());
    let mut rows = vec![header];
    for report in reports {
        let mut row = vec![
            report.case.clone(),
            verdict_word(report.verdict()).to_owned(),
        ];
        for stage in &columns {
            row.push(match report.stage(*stage) {
                None => "-".to_owned(),
                Some(record) => match record.status {
                    StageStatus::Ok => time(record.elapsed),
                    StageStatus::Cached => "cached".to_owned(),
                    StageStatus::Failed => format!("FAILED {}", time(record.elapsed)),
                },
            });
        }
        row.push(time(report.elapsed));
        rows.push(row);
    }
    // Names left-aligned, times right-aligned.
    let mut out = table::format(&rows, |column| {
        if column < 2 {
            Align::Left
        } else {
            Align::Right
        }
    });
    let count = |verdict: fn(Verdict) -> bool| {
        reports
            .iter()
            .filter(|report| verdict(report.verdict()))
            .count()
    };
    let _ = writeln!(
        out,
        "{} case(s): {} passed, {} failed, {} errors",
        reports.len(),
        count(|v| v == Verdict::Passed),
        count(|v| v == Verdict::Failed),
        count(|v| matches!(v, Verdict::Error(_))),
    );
    out
}

/// How many lines of a failing test's message the details show.
const MESSAGE_LINES: usize = 8;

/// What went wrong in one case, for a reader: its error with hint, failing tests, differences.
/// A case that passed has details only when it differs in compatible ways, which it lists.
pub fn case_details(report: &CaseReport) -> Option<String> {
    if report.verdict() == Verdict::Passed && report.differences.is_empty() {
        return None;
    }
    let mut out = format!("=== {}: {}\n", report.case, verdict_word(report.verdict()));
    if let Some(error) = &report.error {
        let _ = writeln!(
            out,
            "{} stage failed: {}",
            error.stage.as_str(),
            error.message
        );
        if let Some(hint) = &error.hint {
            let _ = writeln!(out, "hint: {hint}");
        }
    }
    if let Some(tests) = report.tests.as_ref().filter(|tests| !tests.passed()) {
        let _ = writeln!(out, "pytest: {}", tests.counts());
        let failing = tests
            .cases
            .iter()
            .filter(|case| matches!(case.outcome, TestOutcome::Failed | TestOutcome::Error));
        for case in failing {
            let _ = write!(out, "  {} {}:", case.outcome.as_str(), case.name);
            // The whole message, not only its first line: pytest puts what differs on the next
            // lines (`AssertionError:` alone says nothing). The JSON report keeps a longer one.
            let lines: Vec<&str> = case
                .message
                .as_deref()
                .unwrap_or_default()
                .lines()
                .map(str::trim_end)
                .filter(|line| !line.is_empty())
                .collect();
            for (index, line) in lines.iter().take(MESSAGE_LINES).enumerate() {
                let indent = if index == 0 { " " } else { "\n      " };
                let _ = write!(out, "{indent}{line}");
            }
            if lines.len() > MESSAGE_LINES {
                let more = lines.len() - MESSAGE_LINES;
                let _ = write!(out, "\n      ... {more} more line(s) in the --json report");
            }
            out.push('\n');
        }
    }
    for difference in &report.differences {
        let _ = writeln!(out, "{difference}");
    }
    if let Some(dir) = &report.work_dir {
        let _ = writeln!(out, "work folder kept: {}", dir.display());
    }
    Some(out)
}

/// One JSON object per line, one line per case.
pub fn json_lines(reports: &[CaseReport]) -> Result<String> {
    let mut out = String::new();
    for report in reports {
        out.push_str(&serde_json::to_string(report).map_err(std::io::Error::other)?);
        out.push('\n');
    }
    Ok(out)
}

/// `check`'s JSON report when it compared with a style's reference: the case's line (as
/// [`json_lines`] writes it) with the workshop's checklist added under `checklist`, one line.
pub fn check_json(report: &CaseReport, checklist: &impl serde::Serialize) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Line<'a, Checklist> {
        #[serde(flatten)]
        case: &'a CaseReport,
        checklist: &'a Checklist,
    }
    let line = Line {
        case: report,
        checklist,
    };
    Ok(serde_json::to_string(&line).map_err(std::io::Error::other)? + "\n")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Writes `text` to `path`, creating its folder.
pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs_err::create_dir_all(parent)?;
    }
    fs_err::write(path, text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::compare::{Difference, Kind};
    use crate::pipeline::{CaseError, StageRecord};
    use crate::stages::pytest::{Outcome, TestCase as PyTest, TestReport};

    fn record(stage: Stage, status: StageStatus, millis: u64) -> StageRecord {
        StageRecord {
            stage,
            status,
            elapsed: Duration::from_millis(millis),
        }
    }

    fn passing() -> CaseReport {
        CaseReport {
            case: "greet-default".into(),
            style: Some("greet".into()),
            variant: Some("default".into()),
            python: "cpython-3.11-x86_64-12345678".into(),
            stages: vec![
                record(Stage::Render, StageStatus::Cached, 12),
                record(Stage::Venv, StageStatus::Cached, 1),
                record(Stage::Develop, StageStatus::Ok, 12_340),
                record(Stage::Pytest, StageStatus::Ok, 450),
                record(Stage::Probe, StageStatus::Ok, 210),
                record(Stage::Compare, StageStatus::Ok, 1),
            ],
            tests: Some(TestReport {
                cases: vec![PyTest {
                    name: "tests.test_message::test_greet".into(),
                    outcome: Outcome::Passed,
                    message: None,
                }],
                summary: String::new(),
            }),
            snapshot: Some("package: [PKG]\n".into()),
            behaviour: None,
            differences: vec![],
            error: None,
            cargo_build: Some(Duration::from_millis(11_500)),
            work_dir: None,
            elapsed: Duration::from_millis(13_014),
            no_tests_ok: false,
            package: None,
        }
    }

    fn failing() -> CaseReport {
        CaseReport {
            case: "text-processor-default".into(),
            style: Some("text-processor".into()),
            variant: Some("default".into()),
            python: "cpython-3.11-x86_64-12345678".into(),
            stages: vec![
                record(Stage::Render, StageStatus::Ok, 20),
                record(Stage::Venv, StageStatus::Ok, 900),
                record(Stage::Develop, StageStatus::Failed, 5_000),
            ],
            tests: None,
            snapshot: None,
            behaviour: None,
            differences: vec![],
            error: Some(CaseError {
                stage: Stage::Develop,
                fault: Fault::Failure,
                message: "process didn't exit successfully: `maturin develop --uv` (exit status: 1)\n--- stderr\nerror[E0308]".into(),
                hint: Some("the project does not build".into()),
                process: None,
            }),
            cargo_build: None,
            work_dir: None,
            elapsed: Duration::from_millis(5_920),
            no_tests_ok: false,
            package: None,
        }
    }

    #[test]
    fn summary_table_shows_each_stage_time() {
        assert_eq!(
            summary_table(&[passing(), failing()]),
            "\
case                    result  render    venv       develop  pytest  probe  compare   total
greet-default           passed  cached  cached        12.34s   0.45s  0.21s    0.00s  13.01s
text-processor-default  FAILED   0.02s   0.90s  FAILED 5.00s       -      -        -   5.92s
2 case(s): 1 passed, 1 failed, 0 errors
"
        );
    }

    #[test]
    fn details_name_stage_hint_and_differences() {
        assert_eq!(case_details(&passing()), None);
        assert_eq!(
            case_details(&failing()).unwrap(),
            "=== text-processor-default: FAILED\n\
             develop stage failed: process didn't exit successfully: `maturin develop --uv` (exit status: 1)\n\
             --- stderr\nerror[E0308]\n\
             hint: the project does not build\n"
        );
        let mut differing = passing();
        differing.differences.push(Difference {
            section: "scenario greet.static_greet".into(),
            behaviour: Some("greet returns".into()),
            kind: Kind::Changed,
            impact: crate::conformance::Impact::Breaking,
            fails: true,
            findings: vec![],
            diff: "-returned: 'a'\n+returned: 'b'\n".into(),
        });
        assert_eq!(
            case_details(&differing).unwrap(),
            "=== greet-default: FAILED\n\
             scenario greet.static_greet differs\n  expected behaviour: greet returns\n  \
             -returned: 'a'\n  +returned: 'b'\n"
        );
    }

    #[test]
    fn details_list_failing_tests_with_their_whole_message() {
        let mut report = passing();
        let long: String = (1..=10).map(|n| format!("line {n}\n")).collect();
        if let Some(tests) = report.tests.as_mut() {
            tests.cases.push(PyTest {
                name: "tests.test_message::test_bang".into(),
                outcome: Outcome::Failed,
                message: Some("AssertionError: \n- Hello\n\n+ Hi".into()),
            });
            tests.cases.push(PyTest {
                name: "tests.test_message::test_long".into(),
                outcome: Outcome::Error,
                message: Some(long),
            });
        }
        assert_eq!(
            case_details(&report).unwrap(),
            "=== greet-default: FAILED\n\
             pytest: 1 passed, 1 failed, 1 errors, 0 skipped\n  \
             failed tests.test_message::test_bang: AssertionError:\n      \
             - Hello\n      \
             + Hi\n  \
             error tests.test_message::test_long: line 1\n      line 2\n      line 3\n      \
             line 4\n      line 5\n      line 6\n      line 7\n      line 8\n      \
             ... 2 more line(s) in the --json report\n"
        );
    }

    #[test]
    fn json_report_is_one_line_per_case() {
        let text = json_lines(&[passing(), failing()]).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["case"], "greet-default");
        assert_eq!(lines[0]["stages"][2]["stage"], "develop");
        assert_eq!(lines[0]["stages"][2]["elapsed"], 12.34);
        assert_eq!(lines[0]["stages"][0]["status"], "cached");
        assert_eq!(lines[0]["cargo_build"], 11.5);
        assert_eq!(lines[1]["cargo_build"], serde_json::Value::Null);
        assert_eq!(lines[0]["tests"]["cases"][0]["outcome"], "passed");
        assert_eq!(lines[1]["error"]["stage"], "develop");
        assert_eq!(lines[1]["error"]["class"], "failure");
    }

    #[test]
    fn check_json_is_the_case_line_with_the_checklist() {
        use crate::snapshot::{Behaviour, Gil, Scenario};
        use crate::stages::probe::{Outcome, ScenarioInfo};
        use crate::workshop::checklist::{Checklist, OfficialTests};

        let behaviour = Behaviour {
            package: "[PKG]".into(),
            style: "greet".into(),
            import_error: None,
            all: None,
            doc: None,
            gil: Gil::Enabled,
            api: vec![],
            stubs: vec![],
            wheel: None,
            entry_points: vec![],
            scenarios: vec![Scenario {
                id: "greet.static_greet".into(),
                behaviour: "greet returns".into(),
                outcome: Outcome::Returned {
                    repr: "'Hello, eunsang !'".into(),
                },
            }],
            tests: None,
        };
        let mut report = passing();
        report.case = "my-ext".into();
        report.snapshot = Some(behaviour.to_string());
        report.behaviour = Some(behaviour);
        let table = [ScenarioInfo {
            id: "greet.static_greet".into(),
            behaviour: "greet returns".into(),
            exercises: vec![1],
            hint: "delegate".into(),
        }];
        let reference = report.snapshot.clone().unwrap();
        let tests = OfficialTests::Compared {
            edited: vec!["tests/test_message.py".into()],
            deleted: vec![],
            added: vec![],
        };
        let checklist = Checklist::build(&table, &reference, &report, tests);
        let text = check_json(&report, &checklist).unwrap();
        assert_eq!(text.lines().count(), 1);
        let line: serde_json::Value = serde_json::from_str(&text).unwrap();
        // The case's own fields, as `json_lines` writes them...
        assert_eq!(line["case"], "my-ext");
        assert_eq!(line["stages"][2]["stage"], "develop");
        // ...and the checklist beside them.
        let checklist = &line["checklist"];
        assert_eq!(checklist["passed"], 1);
        assert_eq!(checklist["total"], 1);
        assert_eq!(checklist["blocked"], serde_json::Value::Null);
        assert_eq!(checklist["official_tests"]["state"], "compared");
        assert_eq!(
            checklist["official_tests"]["edited"][0],
            "tests/test_message.py"
        );
        assert_eq!(
            checklist["behaviours"][0],
            serde_json::json!({
                "id": "greet.static_greet",
                "behaviour": "greet returns",
                "exercises": [1],
                "hint": "delegate",
                "status": "passed",
            })
        );
    }

    #[test]
    fn junit_has_a_suite_per_case_and_a_case_per_stage() {
        let xml = junit("scaffold-harness", &[passing(), failing()]).unwrap();
        // Read back with the same crate that wrote it.
        let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        let suites: Vec<(&str, usize, usize)> = report
            .test_suites
            .iter()
            .map(|suite| (suite.name.as_str(), suite.tests, suite.failures))
            .collect();
        assert_eq!(
            suites,
            [("greet-default", 8, 0), ("text-processor-default", 3, 1)]
        );
        let failure = report
            .test_suites
            .iter()
            .flat_map(|suite| &suite.test_cases)
            .find_map(|case| match &case.status {
                quick_junit::TestCaseStatus::NonSuccess { message, .. } => Some(message),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            failure.as_ref().map(quick_junit::XmlString::as_str),
            Some("process didn't exit successfully: `maturin develop --uv` (exit status: 1)")
        );
    }
}

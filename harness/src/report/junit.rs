//! The JUnit report: a suite per case, a test case per stage, for pytest's outcome and for each
//! section of the behaviour, so that a CI's test view shows what differs where.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::first_line;
use crate::base::error::{Fault, Result};
use crate::base::normalize;
use crate::pipeline::{CaseReport, Stage, StageStatus};
use crate::snapshot;

/// A JUnit report: a test suite per case, a test case per stage (skipped stages show as
/// cached), plus `tests` and `behaviour` test cases for pytest's outcome and the comparison.
pub fn junit(name: &str, reports: &[CaseReport]) -> Result<String> {
    let mut junit = Report::new(name);
    for report in reports {
        let mut suite = TestSuite::new(report.case.as_str());
        for record in &report.stages {
            let status = match record.status {
                StageStatus::Ok | StageStatus::Cached => TestCaseStatus::success(),
                StageStatus::Failed => {
                    let mut status = TestCaseStatus::non_success(match report.error.as_ref() {
                        Some(error) if error.fault == Fault::Failure => NonSuccessKind::Failure,
                        _ => NonSuccessKind::Error,
                    });
                    if let Some(error) = report.error.as_ref().filter(|e| e.stage == record.stage) {
                        status.set_message(first_line(&error.message));
                        status.set_description(error.message.as_str());
                    }
                    status
                }
            };
            let mut case = TestCase::new(record.stage.as_str(), status);
            case.set_classname(report.case.as_str());
            case.set_time(record.elapsed);
            if record.status == StageStatus::Cached {
                case.set_system_out("cached: nothing changed since the last run");
            }
            suite.add_test_case(case);
        }
        if let Some(tests) = &report.tests {
            let status = if tests.passed() {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(tests.counts());
                status.set_description(tests.summary.as_str());
                status
            };
            let mut case = TestCase::new("tests", status);
            case.set_classname(report.case.as_str());
            suite.add_test_case(case);
        }
        if report.stage(Stage::Compare).is_some() {
            for case in section_cases(report) {
                suite.add_test_case(case);
            }
        }
        suite.set_time(report.elapsed);
        junit.add_test_suite(suite);
    }
    junit
        .to_string()
        .map_err(|error| std::io::Error::other(error).into())
}

/// One test case per section of the behaviour (`behaviour: api Message`): failed when the
/// section differs in a way that fails the case, passed otherwise, with the compatible
/// differences it has in its output.
fn section_cases(report: &CaseReport) -> Vec<TestCase> {
    let mut keys: Vec<String> = report
        .snapshot
        .as_deref()
        .map(snapshot::sections)
        .unwrap_or_default()
        .iter()
        .map(|section| match section.key {
            "" => "header".to_owned(),
            // Named as the differences are (see `crate::pipeline::CaseReport::package`).
            key => match &report.package {
                Some(package) => key.replace(normalize::PACKAGE, package),
                None => key.to_owned(),
            },
        })
        .collect();
    for difference in &report.differences {
        if !keys.contains(&difference.section) {
            keys.push(difference.section.clone());
        }
    }
    keys.iter()
        .map(|key| {
            let difference = report.differences.iter().find(|d| &d.section == key);
            let status = match difference {
                Some(difference) if difference.fails => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let first = difference.findings.first();
                    status.set_message(first.map_or_else(
                        || format!("{key} differs"),
                        |finding| format!("{}: {}", finding.impact.as_str(), finding.explanation),
                    ));
                    status.set_description(difference.to_string());
                    status
                }
                _ => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(format!("behaviour: {key}"), status);
            case.set_classname(report.case.as_str());
            if let Some(difference) = difference.filter(|d| !d.fails) {
                case.set_system_out(difference.to_string());
            }
            case
        })
        .collect()
}

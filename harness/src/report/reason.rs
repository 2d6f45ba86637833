//! Why a case failed, in one line: what `check` prints last, and what its `::error` annotation
//! says, so that a red CI run always names its cause.

use crate::base::error::Fault;
use crate::conformance::Impact;
use crate::pipeline::{CaseReport, Verdict};
use crate::stages::pytest::Outcome;

/// Why `report` did not pass; `None` when it passed.
pub fn failure_reason(report: &CaseReport) -> Option<String> {
    if report.verdict() == Verdict::Passed {
        return None;
    }
    if let Some(error) = &report.error {
        if error.fault == Fault::Interrupted {
            return Some("interrupted".to_owned());
        }
        let stage = error.stage.as_str();
        // A child that failed: which, how, and the line of its output that says why (its
        // command line, the error's first line, fills a screen and says nothing).
        if let Some(process) = &error.process {
            let program = std::path::Path::new(&process.program)
                .file_name()
                .map_or_else(
                    || process.program.clone(),
                    |name| name.to_string_lossy().into(),
                );
            let command = match process.args.first() {
                Some(subcommand) if !subcommand.starts_with('-') => {
                    format!("{program} {subcommand}")
                }
                _ => program,
            };
            let output = process.output();
            let line = output
                .lines()
                .map(str::trim)
                .find(|line| line.starts_with("error") || line.starts_with("E "))
                .or_else(|| output.lines().map(str::trim).rfind(|line| !line.is_empty()))
                .map_or_else(String::new, |line| format!(": {line}"));
            return Some(format!(
                "the {stage} stage failed: `{command}` failed ({}){line}",
                process.status
            ));
        }
        let message = error.message.lines().next().unwrap_or_default();
        return Some(format!("the {stage} stage failed: {message}"));
    }
    let mut parts = Vec::new();
    let failing = |impact: Impact| {
        report
            .differences
            .iter()
            .filter(move |difference| difference.fails && difference.impact == impact)
    };
    let breaking: Vec<_> = failing(Impact::Breaking)
        .flat_map(|difference| &difference.findings)
        .filter(|finding| finding.impact == Impact::Breaking)
        .collect();
    match breaking.as_slice() {
        [] => {}
        [one] => parts.push(format!(
            "1 breaking difference: {} ({})",
            one.explanation, one.rule.id
        )),
        [first, ..] => parts.push(format!(
            "{} breaking differences, the first: {} ({})",
            breaking.len(),
            first.explanation,
            first.rule.id
        )),
    }
    match failing(Impact::Compatible).count() {
        0 => {}
        1 => parts.push("strict mode: 1 compatible difference fails the check".to_owned()),
        count => parts.push(format!(
            "strict mode: {count} compatible differences fail the check"
        )),
    }
    match &report.tests {
        Some(tests) if tests.cases.is_empty() && !report.no_tests_ok => {
            parts.push("pytest found no tests".to_owned());
        }
        Some(tests) => {
            let failed: Vec<_> = tests
                .cases
                .iter()
                .filter(|case| matches!(case.outcome, Outcome::Failed | Outcome::Error))
                .collect();
            if let Some(first) = failed.first() {
                let message = first
                    .message
                    .as_deref()
                    .and_then(|message| message.lines().find(|line| !line.trim().is_empty()))
                    .map_or_else(String::new, |line| format!(" ({})", line.trim()));
                parts.push(match failed.len() {
                    1 => format!("1 test failed: {}{message}", first.name),
                    count => format!("{count} tests failed, the first: {}{message}", first.name),
                });
            }
        }
        None => {}
    }
    if parts.is_empty() {
        // The verdict has a cause the lines above do not know yet: say so rather than nothing.
        parts.push("see the details above".to_owned());
    }
    Some(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::conformance::compare::{Difference, Kind};
    use crate::conformance::{Finding, rules};
    use crate::pipeline::{CaseError, Stage};
    use crate::stages::pytest::{TestCase, TestReport};

    fn report(tests: &[(&str, Outcome, Option<&str>)], findings: &[(Finding, bool)]) -> CaseReport {
        CaseReport {
            case: "rtoml".into(),
            package: Some("rtoml".into()),
            style: None,
            variant: None,
            python: "cpython-3.11".into(),
            stages: Vec::new(),
            tests: Some(TestReport {
                cases: tests
                    .iter()
                    .map(|(name, outcome, message)| TestCase {
                        name: (*name).into(),
                        outcome: *outcome,
                        message: message.map(str::to_owned),
                    })
                    .collect(),
                summary: String::new(),
            }),
            snapshot: None,
            behaviour: None,
            differences: findings
                .iter()
                .map(|(finding, fails)| Difference {
                    section: finding.section.clone(),
                    behaviour: None,
                    kind: Kind::Changed,
                    impact: finding.impact,
                    fails: *fails,
                    findings: vec![finding.clone()],
                    diff: String::new(),
                })
                .collect(),
            error: None,
            cargo_build: None,
            work_dir: None,
            elapsed: Duration::ZERO,
            no_tests_ok: false,
        }
    }

    const PASSED: (&str, Outcome, Option<&str>) = ("tests.t::ok", Outcome::Passed, None);

    #[test]
    fn a_passing_case_has_no_reason() {
        let added = Finding::new(rules::NAME_ADDED, "api shout", "shout", "");
        assert_eq!(failure_reason(&report(&[PASSED], &[(added, false)])), None);
    }

    #[test]
    fn each_cause_is_named_in_one_line() {
        let removed = Finding::new(rules::NAME_REMOVED, "api shout", "shout", "");
        let added = Finding::new(rules::NAME_ADDED, "api whisper", "whisper", "");
        let doc = Finding::new(rules::DOC_CHANGED, "api Message", "Message", "");
        assert_eq!(
            failure_reason(&report(&[PASSED], &[(removed.clone(), true)])).unwrap(),
            "1 breaking difference: `shout` was removed (name-removed)"
        );
        assert_eq!(
            failure_reason(&report(&[PASSED], &[(added.clone(), true), (doc, true)])).unwrap(),
            "strict mode: 2 compatible differences fail the check"
        );
        assert_eq!(
            failure_reason(&report(&[PASSED], &[(added.clone(), true)])).unwrap(),
            "strict mode: 1 compatible difference fails the check"
        );
        let failing = [
            PASSED,
            (
                "tests.t::a",
                Outcome::Failed,
                Some("\nAssertionError: 1 != 2\nmore"),
            ),
            ("tests.u", Outcome::Error, None),
        ];
        assert_eq!(
            failure_reason(&report(
                &failing,
                &[(removed.clone(), true), (removed, true)]
            ))
            .unwrap(),
            "2 breaking differences, the first: `shout` was removed (name-removed); 2 tests \
             failed, the first: tests.t::a (AssertionError: 1 != 2)"
        );
        assert_eq!(
            failure_reason(&report(&[], &[])).unwrap(),
            "pytest found no tests"
        );
        let mut broken = report(&[], &[]);
        broken.tests = None;
        broken.error = Some(CaseError {
            stage: Stage::Develop,
            fault: Fault::Failure,
            message: "`maturin build` failed\n--- stderr\nerror[E0308]".into(),
            hint: None,
            process: None,
        });
        assert_eq!(
            failure_reason(&broken).unwrap(),
            "the develop stage failed: `maturin build` failed"
        );
        let error = broken.error.as_mut().unwrap();
        error.process = Some(crate::base::cmd::ProcessError {
            program: "/cache/venv/bin/maturin".into(),
            args: vec!["build".into(), "--interpreter".into(), "python3".into()],
            env: Vec::new(),
            cwd: None,
            status: crate::base::cmd::Status::Exited(2),
            stdout: String::new(),
            stderr: "warning: x\nerror: unexpected argument '--compression-method' found\n\nUsage: ...\n"
                .into(),
            fault: Fault::Failure,
            hint: None,
        });
        assert_eq!(
            failure_reason(&broken).unwrap(),
            "the develop stage failed: `maturin build` failed (exit status: 2): error: \
             unexpected argument '--compression-method' found"
        );
    }
}

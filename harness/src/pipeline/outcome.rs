//! What one case's run found: each stage's status and time, the test outcomes, the behaviour,
//! the differences, the error if any, and the verdict drawn from them.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::base::cmd::ProcessError;
use crate::base::error::Fault;
use crate::base::normalize;
use crate::conformance::compare::Difference;
use crate::snapshot::Behaviour;
use crate::stages::pytest::TestReport;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Render,
    Copy,
    Venv,
    Develop,
    Pytest,
    Probe,
    Compare,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Render => "render",
            Stage::Copy => "copy",
            Stage::Venv => "venv",
            Stage::Develop => "develop",
            Stage::Pytest => "pytest",
            Stage::Probe => "probe",
            Stage::Compare => "compare",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StageStatus {
    /// Ran and succeeded.
    Ok,
    /// Nothing had changed since the last run: skipped.
    Cached,
    /// Ran and failed; the case's `error` says how.
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageRecord {
    pub stage: Stage,
    pub status: StageStatus,
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}

fn optional_path<S: serde::Serializer>(
    path: &Option<PathBuf>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    path.as_deref()
        .map(crate::platform::portable_path)
        .serialize(serializer)
}

fn optional_seconds<S: serde::Serializer>(
    duration: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match duration {
        Some(duration) => seconds(duration, serializer),
        None => serializer.serialize_none(),
    }
}

/// Why a case could not finish.
#[derive(Debug, Clone, Serialize)]
pub struct CaseError {
    pub stage: Stage,
    /// JSON key `class`, as the report format has it.
    #[serde(rename = "class")]
    pub fault: Fault,
    pub message: String,
    pub hint: Option<String>,
    /// The failed child, when a child failed: its folder, status and output, read by those
    /// who need a part of them (the checklist reads a failed build's log).
    #[serde(skip)]
    pub process: Option<ProcessError>,
}

/// Everything known about one case after it ran.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    /// `greet-default` for a matrix case, the project name for `check`.
    pub case: String,
    /// The package's import name, once the project was read: what the behaviour text calls
    /// `[PKG]`.
    pub package: Option<String>,
    pub style: Option<String>,
    pub variant: Option<String>,
    /// The interpreter's key, e.g. `cpython-3.11-x86_64-1a2b3c4d`.
    pub python: String,
    pub stages: Vec<StageRecord>,
    pub tests: Option<TestReport>,
    /// The normalised behaviour text (what the snapshot holds).
    pub snapshot: Option<String>,
    /// The same behaviour, typed: what the checklist reads.
    #[serde(skip)]
    pub behaviour: Option<Behaviour>,
    pub differences: Vec<Difference>,
    pub error: Option<CaseError>,
    /// How long cargo itself took inside `maturin develop` (its "Finished ... in" line), when
    /// the extension was built in this run.
    #[serde(serialize_with = "optional_seconds")]
    pub cargo_build: Option<Duration>,
    /// Set when `--keep` kept the work folder; written with `/` between its parts.
    #[serde(serialize_with = "optional_path")]
    pub work_dir: Option<PathBuf>,
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// A run of pytest that found no test is not a failure (`check --record`: a record of a
    /// project without tests holds its API and behaviour, and says it has no test outcomes).
    #[serde(skip)]
    pub no_tests_ok: bool,
}

/// The verdict on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Passed,
    Failed,
    /// The harness could not run the case (tooling), or it was interrupted.
    Error(Fault),
}

impl CaseReport {
    pub fn verdict(&self) -> Verdict {
        match &self.error {
            Some(error) if error.fault != Fault::Failure => Verdict::Error(error.fault),
            Some(_) => Verdict::Failed,
            None if self.differences.iter().any(|d| d.fails) => Verdict::Failed,
            None if !self.tests.as_ref().is_some_and(|tests| {
                tests.passed() || (self.no_tests_ok && tests.cases.is_empty())
            }) =>
            {
                Verdict::Failed
            }
            None => Verdict::Passed,
        }
    }

    pub fn stage(&self, stage: Stage) -> Option<&StageRecord> {
        self.stages.iter().find(|record| record.stage == stage)
    }
}

/// `differences` as their reader sees them: with the package's own name where the behaviour
/// text holds the placeholder the filters put there ([`normalize::PACKAGE`]), which only the
/// comparison needs.
pub fn named_after_package(differences: Vec<Difference>, package: &str) -> Vec<Difference> {
    let name = |text: &str| text.replace(normalize::PACKAGE, package);
    differences
        .into_iter()
        .map(|mut difference| {
            difference.section = name(&difference.section);
            difference.behaviour = difference.behaviour.as_deref().map(name);
            difference.diff = name(&difference.diff);
            for finding in &mut difference.findings {
                finding.subject = name(&finding.subject);
                finding.explanation = name(&finding.explanation);
                finding.hint = name(&finding.hint);
            }
            difference
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::compare::Kind;
    use crate::conformance::{Finding, rules};

    #[test]
    fn differences_name_the_package() {
        let finding = Finding::new(
            rules::QUALNAME_CHANGED,
            "api Message",
            "Message",
            "[PKG].api.Message → [PKG]._[PKG].Message",
        );
        let difference = Difference {
            section: "stub [PKG]._[PKG]".into(),
            behaviour: None,
            kind: Kind::Changed,
            impact: finding.impact,
            fails: false,
            findings: vec![finding],
            diff: "-qualname: [PKG].api.Message\n".into(),
        };
        let removed = Finding::new(rules::ALL_NAME_REMOVED, "header", "shout", "");
        let from_all = Difference {
            findings: vec![removed],
            ..difference.clone()
        };
        let named = named_after_package(vec![difference, from_all], "greet");
        assert_eq!(named[0].section, "stub greet._greet");
        assert_eq!(named[0].diff, "-qualname: greet.api.Message\n");
        assert_eq!(
            named[0].findings[0].explanation,
            "`Message` is defined elsewhere now: greet.api.Message → greet._greet.Message"
        );
        assert_eq!(
            named[1].findings[0].hint,
            "`from greet import *` no longer brings it in: add it back to `__all__`"
        );
    }
}

//! A verified update: the project's behaviour recorded before the merge (as `check --record`
//! records it), then the merged project built, tested and compared with that record (as
//! `check --against` compares). Both go through the pipeline, in `check`'s case folder, so a
//! `check` before or after reuses the venv and the build.
//!
//! The record taken before an update that ended with conflicts is kept in the cache, so that
//! finishing the update later can still compare with it.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::base::error::Result;
use crate::commands::{GlobalArgs, Pythons, TimeoutArg};
use crate::conformance::rules::Impact;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, CaseReport, Reference, Settings, Stage, StageStatus, Verdict};
use crate::project::dependencies::Choice;
use crate::python::interpreter::Python;
use crate::report;
use crate::report::live::Progress;
use crate::stages::pytest::Outcome;

/// The tools a verification runs with.
#[derive(Debug)]
pub struct Verifier {
    settings: Settings,
    python: Python,
}

/// What the verification found.
#[derive(Debug)]
pub struct Verification {
    pub report: CaseReport,
    /// Whether there was a record to compare with.
    pub compared: bool,
}

impl Verifier {
    pub fn new(
        global: &GlobalArgs,
        python: Option<&str>,
        timeout: &TimeoutArg,
    ) -> Result<Verifier> {
        let pythons = Pythons::named(&python.map(str::to_owned).into_iter().collect::<Vec<_>>());
        let (settings, mut pythons) = global.settings(&pythons, timeout.duration(), false)?;
        Ok(Verifier {
            settings,
            python: pythons.remove(0),
        })
    }

    fn run(&self, dir: &Path, reference: Option<String>) -> Result<CaseReport> {
        let mut job = job::for_folder(
            dir,
            None,
            &Mode::Record(PathBuf::new()),
            self.python.clone(),
            false,
            &Choice::default(),
        )?;
        if let Some(text) = reference {
            job.reference = Reference::Text {
                text,
                skip: Vec::new(),
                labels: ("before the update".into(), "after the update".into()),
                strict: false,
            };
        }
        let progress = Progress::new();
        let mut report = pipeline::run(&self.settings, &job, &progress);
        report.no_tests_ok = true;
        progress.finished(&report);
        Ok(report)
    }

    /// The behaviour of the project in `dir` before the update; `None`, with a note, when it
    /// cannot be recorded (it does not build, or does not import).
    pub fn record(&self, dir: &Path) -> Result<Option<String>> {
        eprintln!("update: recording the project's behaviour before the update");
        let report = self.run(dir, None)?;
        let imported = report
            .behaviour
            .as_ref()
            .is_some_and(|behaviour| behaviour.import_error.is_none());
        match report.snapshot.filter(|_| imported) {
            Some(text) => Ok(Some(text)),
            None => {
                eprintln!(
                    "note: the project does not build or import as it is, so its behaviour \
                     before the update is not recorded: the update is built and tested only"
                );
                Ok(None)
            }
        }
    }

    /// Builds and tests the project in `dir` (the merged copy) and compares its behaviour with
    /// `before`.
    pub fn verify(&self, dir: &Path, before: Option<String>) -> Result<Verification> {
        let compared = before.is_some();
        eprintln!("update: building, testing and probing the updated project");
        let report = self.run(dir, before)?;
        Ok(Verification { report, compared })
    }

    /// Where the record taken before an update of `dir` to `fingerprint` is kept.
    pub fn kept_record(&self, dir: &Path, fingerprint: &str) -> PathBuf {
        let place = fs_err::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
        let hash = format!("{:x}", Sha256::digest(place.as_os_str().as_encoded_bytes()));
        self.settings
            .cache
            .root()
            .join("updates")
            .join(format!("{}-{fingerprint}.behaviour", &hash[..16]))
    }
}

impl Verification {
    /// True when the update builds, its tests pass and nothing breaking changed.
    pub fn passed(&self) -> bool {
        self.report.verdict() == Verdict::Passed
    }

    /// `build ok, tests 13/13, behaviour 0 breaking, 2 compatible`.
    pub fn summary(&self) -> String {
        let report = &self.report;
        let build_failed = [Stage::Copy, Stage::Venv, Stage::Develop]
            .iter()
            .any(|stage| {
                report
                    .stage(*stage)
                    .is_some_and(|record| record.status == StageStatus::Failed)
            });
        if build_failed {
            return "build failed".into();
        }
        let mut parts = vec!["build ok".to_owned()];
        if let Some(tests) = &report.tests {
            let ran = tests.cases.len() - tests.count(Outcome::Skipped);
            parts.push(format!("tests {}/{ran}", tests.count(Outcome::Passed)));
        } else {
            parts.push("tests did not run".into());
        }
        if self.compared && report.snapshot.is_some() {
            let count = |impact: Impact| {
                report
                    .differences
                    .iter()
                    .flat_map(|difference| &difference.findings)
                    .filter(|finding| finding.impact == impact)
                    .count()
            };
            parts.push(format!(
                "behaviour {} breaking, {} compatible",
                count(Impact::Breaking),
                count(Impact::Compatible)
            ));
        } else if report.snapshot.is_some() {
            parts.push("behaviour not compared (no record from before the update)".into());
        } else {
            parts.push("behaviour not probed".into());
        }
        parts.join(", ")
    }

    /// What went wrong or changed, as `check` prints it.
    pub fn details(&self) -> Option<String> {
        report::case_details(&self.report)
    }
}

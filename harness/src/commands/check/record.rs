//! `check DIR --record FILE` after its run: the record written, or why not.

use std::path::Path;
use std::process::ExitCode;

use crate::base::error::Result;
use crate::base::fault::Fault;
use crate::conformance::compare;
use crate::exit;
use crate::pipeline::{CaseReport, Job};
use crate::report;
use crate::snapshot::record::{format, read};

/// Writes the record after a `--record` run: not for a package that does not import (there
/// would be nothing to compare with later); over an existing record, after listing what it
/// accepts; with a warning when pytest found no test.
pub fn write(file: &Path, job: &Job, report: &CaseReport) -> Result<ExitCode> {
    let code = exit::for_reports(std::slice::from_ref(report));
    let (Some(text), Some(behaviour)) = (&report.snapshot, &report.behaviour) else {
        return Ok(code);
    };
    if let Some(error) = &behaviour.import_error {
        eprintln!(
            "error: the package `{}` does not import ({}: {}): nothing recorded to {}",
            behaviour.package,
            error.type_name,
            error.message,
            file.display()
        );
        return Ok(exit::code(Fault::Failure));
    }
    if behaviour.tests.as_ref().is_some_and(Vec::is_empty) {
        eprintln!(
            "warning: pytest found no tests in {}: the record holds its API and behaviour but \
             no test outcomes",
            job.id
        );
    }
    if file.exists() {
        match read(file) {
            Ok(old) => {
                let label = file.display().to_string();
                let options = compare::Options {
                    skip: &[],
                    labels: (&label, "this project"),
                    strict: false,
                    witnesses: None,
                };
                let differences = compare::compare(&old.body, text, options);
                if differences.is_empty() {
                    println!("updating {label}: the behaviour is the one recorded");
                } else {
                    println!(
                        "updating {label}, accepting {}:",
                        compare::summary(&differences)
                    );
                }
                for finding in differences.iter().flat_map(|d| &d.findings) {
                    println!(
                        "  {} ({}): {}",
                        finding.impact.as_str(),
                        finding.rule.id,
                        finding.explanation
                    );
                }
            }
            Err(error) => eprintln!("note: replacing {}: {error}", file.display()),
        }
    }
    report::write(file, &format(&job.probe_style, text))?;
    eprintln!("recorded the behaviour of {} to {}", job.id, file.display());
    Ok(code)
}

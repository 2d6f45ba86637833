//! `check DIR --record FILE` after its run: the record written, or why not.

use std::path::Path;
use std::process::ExitCode;

use crate::base::error::Result;
use crate::base::fault::Fault;
use crate::base::normalize;
use crate::commands::check::{Format, output};
use crate::conformance::compare;
use crate::exit;
use crate::pipeline::{CaseReport, Job, named_after_package};
use crate::report;
use crate::snapshot::record::{self, read};

/// Writes the record after a `--record` run: not for a package that does not import (there
/// would be nothing to compare with later), nor for tests pytest could not run (the record
/// would hold no test outcomes, and every later test would pass for new); over an existing
/// record, after listing what it accepts; with a warning when pytest found no test.
pub fn write(file: &Path, job: &Job, report: &CaseReport, format: Format) -> Result<ExitCode> {
    let code = exit::for_reports(std::slice::from_ref(report));
    let reports = std::slice::from_ref(report);
    let (Some(text), Some(behaviour)) = (&report.snapshot, &report.behaviour) else {
        output::failures(format, reports);
        eprintln!(
            "error: {} could not be built and probed: nothing recorded to {}",
            job.id,
            file.display()
        );
        return Ok(code);
    };
    if let Some(error) = &behaviour.import_error {
        // The behaviour spells the package `[PKG]`; its reader knows it by its name.
        let named = |text: &str| match &report.package {
            Some(package) => text.replace(normalize::PACKAGE, package),
            None => text.to_owned(),
        };
        eprintln!(
            "error: the package `{}` does not import ({}: {}): nothing recorded to {}",
            named(&behaviour.package),
            named(&error.type_name),
            named(&error.message),
            file.display()
        );
        return Ok(exit::code(Fault::Failure));
    }
    if report.tests.is_none() {
        output::failures(format, reports);
        eprintln!(
            "error: pytest could not run the tests of {} (the pytest stage's error is above): \
             nothing recorded to {}, since a record without test outcomes would not notice a \
             test that fails later",
            job.id,
            file.display()
        );
        eprintln!(
            "hint: a missing test dependency is the usual cause: `test dependencies:` above \
             names what was installed, and --with-group NAME or --with-extra NAME adds more"
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
                let differences = match &report.package {
                    Some(package) => named_after_package(differences, package),
                    None => differences,
                };
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
    report::write(file, &record::format(&job.probe_style, text))?;
    eprintln!("recorded the behaviour of {} to {}", job.id, file.display());
    output::failures(format, reports);
    Ok(code)
}

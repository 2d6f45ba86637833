//! The behaviour as the case's snapshot writes it, and the compare stage: the differences from
//! the reference, their witnesses run against the build.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::base::error::{Error, Result};
use crate::base::normalize::{self, Filters};
use crate::conformance::compare::{self, Difference};
use crate::project::Project;
use crate::python::interpreter::Python;
use crate::snapshot::Behaviour;
use crate::snapshot::version_tags;
use crate::stages::probe::{self, ProbeResult};
use crate::stages::pytest::TestReport;

use super::{Job, Reference, Source};

/// The probe's result and test outcomes, normalised, as the job's snapshot holds them.
pub fn behaviour(
    job: &Job,
    probed: &ProbeResult,
    tests: Option<&TestReport>,
    project: &Project,
    venv_dir: &Path,
) -> Behaviour {
    let context = normalize::Context {
        work_dir: Some(PathBuf::from(&probed.paths.work_dir)),
        project_dir: Some(project.root.clone()),
        package_dir: probed.paths.package_dir.as_ref().map(PathBuf::from),
        venv: Some(venv_dir.to_owned()),
        package: Some(project.package.clone()),
        project_name: Some(project.name.clone()),
        python_version: Some(probed.python.version.clone()),
    };
    let mut behaviour = Behaviour::new(probed, tests, &Filters::new(&context));
    if let (Source::Template { .. }, Some(wheel)) = (&job.source, &mut behaviour.wheel) {
        // A template case's snapshot holds on every machine CI runs it on (Linux, macOS,
        // Windows, each with its own glibc): the platform is the machine's, not the
        // template's. A project's record keeps it.
        wheel.platform = PLATFORM_PLACEHOLDER.to_owned();
    }
    if anonymous(job) {
        // A snapshot of the template, or a check against one, is about any project of the
        // style, whatever its import name; a record keeps the name, so a rename shows.
        behaviour.package = ANY_PACKAGE.to_owned();
    }
    behaviour
}

/// One case's behaviour, to compare with its job's reference.
#[derive(Debug)]
pub struct Compared<'a> {
    pub job: &'a Job,
    /// The behaviour text.
    pub text: &'a str,
    pub probed: &'a ProbeResult,
    /// The import name, for the witnesses.
    pub package: &'a str,
    pub venv: &'a Path,
    pub work: &'a Path,
    pub timeout: Duration,
}

impl Compared<'_> {
    /// The differences from the reference, classified, each breaking one with its witness, run
    /// against the build where it can run.
    pub fn differences(&self) -> Result<Vec<Difference>> {
        let scenario_code = |id: &str| {
            self.probed
                .scenarios
                .iter()
                .find(|scenario| scenario.id == id)
                .and_then(|scenario| scenario.source.clone())
        };
        let witnesses = compare::WitnessContext {
            package: self.package,
            scenario_code: &scenario_code,
        };
        let mut differences = match &self.job.reference {
            Reference::None => Vec::new(),
            Reference::Missing { name } => {
                return Err(Error::NoReference { name: name.clone() });
            }
            Reference::Text {
                text: expected,
                skip,
                labels,
                strict,
            } => compare::compare(
                &expected_on(expected, &self.job.python)?,
                self.text,
                compare::Options {
                    skip,
                    labels: (labels.0.as_str(), labels.1.as_str()),
                    strict: *strict,
                    witnesses: Some(&witnesses),
                },
            ),
        };
        confirm_witnesses(&mut differences, self.venv, self.work, self.timeout);
        Ok(differences)
    }
}

/// What a template case's snapshot holds for the wheel's platform.
pub const PLATFORM_PLACEHOLDER: &str = "[PLATFORM]";

/// The package name of a behaviour that stands for any project of its style.
pub const ANY_PACKAGE: &str = "[PKG]";

/// Whether the job's behaviour is written for any import name: a template case, or a check
/// against a text written so (a style's reference, or a record of an older harness).
fn anonymous(job: &Job) -> bool {
    let any_package = format!("package: {ANY_PACKAGE}\n");
    match &job.reference {
        _ if matches!(job.source, Source::Template { .. }) => true,
        Reference::Text { text, .. } => text.starts_with(&any_package),
        Reference::None | Reference::Missing { .. } => false,
    }
}

/// Runs the witnesses that can run against the installed build and settles each one's status;
/// a probe that cannot run them leaves them derived, with a warning.
fn confirm_witnesses(differences: &mut [Difference], venv: &Path, work: &Path, timeout: Duration) {
    let checks = compare::witness_checks(differences);
    if checks.is_empty() {
        return;
    }
    match probe::confirm(venv, work, &checks, timeout) {
        Ok(runs) => compare::settle_witnesses(differences, &runs),
        Err(error) => eprintln!("warning: the witnesses could not be run: {error}"),
    }
}

/// What `python` must show of a reference whose lines may be tagged with the versions they hold
/// for (see [`crate::snapshot::version_tags`]).
fn expected_on(reference: &str, python: &Python) -> Result<String> {
    let version = python
        .python_version()
        .ok_or_else(|| Error::PythonOutOfRange {
            requested: python.requested.clone(),
            version: python.version.clone(),
        })?;
    version_tags::resolve(reference, version).map_err(|error| Error::BadReference {
        message: error.to_string(),
    })
}

//! The job for a project folder: which style to probe, and what to compare its behaviour with
//! (its style's reference, a record, or a revision). Shared by the `check` and `watch` commands.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::pipeline::{Job, Reference, Source};
use crate::project::Project;
use crate::project::dependencies::Choice;
use crate::python::interpreter::Python;
use crate::snapshot::record;
use crate::snapshot::version_tags;
use crate::snapshot::{self, TESTS_SECTION, WHEEL_SECTION};
use crate::template::style::{ProbeStyle, Style};

/// Where a project keeps its own behaviour scenarios, relative to its folder: found by `check`
/// without being named (see `probe/scenario_file.py` for the form).
pub const SCENARIOS_FILE: &str = "tests/conformance_scenarios.py";

/// What `check` compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The committed reference snapshot of the project's style.
    Reference,
    /// Write the behaviour to a record file.
    Record(PathBuf),
    /// Compare with a record file written earlier.
    Against(PathBuf),
    /// Compare with the project at a git revision (see [`crate::commands::check::baseline`]).
    AgainstGit(String),
}

fn unknown_style(dir: &Path) -> Error {
    Error::UnknownStyle {
        dir: dir.to_owned(),
        styles: Style::names(),
    }
}

/// Reads the project and works out the job: which style to probe, what to compare with.
/// `strict`: every difference fails, compatible ones included (see [`Reference::Text`]);
/// `with`: the dependency groups and extras the tests get beyond those found by name.
pub fn for_folder(
    dir: &Path,
    style: Option<ProbeStyle>,
    mode: &Mode,
    python: Python,
    strict: bool,
    with: &Choice,
) -> Result<Job> {
    let dir = crate::platform::canonicalize(dir).map_err(|_| Error::NotAProject {
        dir: dir.to_owned(),
        reason: "no such folder".into(),
    })?;
    let project = Project::read(&dir)?;
    let detected = || Style::detect(&project);
    let (probe_style, reference) = match mode {
        Mode::Reference => {
            // `--style none` has no reference; the command line refuses it before this point.
            let style = match style {
                Some(ProbeStyle(Some(style))) => style,
                Some(ProbeStyle(None)) => return Err(unknown_style(&dir)),
                None => detected().ok_or_else(|| unknown_style(&dir))?,
            };
            let name = snapshot::reference_name(style);
            let text = snapshot::committed(&name)?;
            // The lines for this interpreter's version: the checklist reads the same text.
            let text = match python.python_version() {
                Some(version) => {
                    version_tags::resolve(text, version).map_err(|error| Error::BadReference {
                        message: error.to_string(),
                    })?
                }
                None => text.to_owned(),
            };
            let reference = Reference::Text {
                text,
                // A derived project may add tests of its own; they must pass, not match. Its
                // wheel is built for this machine, and may leave abi3 on purpose.
                skip: vec![TESTS_SECTION, WHEEL_SECTION],
                labels: (format!("reference ({style})"), "this project".to_owned()),
                strict,
            };
            (style.to_string(), reference)
        }
        // The revision's behaviour becomes the reference once it is recorded.
        Mode::Record(_) | Mode::AgainstGit(_) => (
            style
                .unwrap_or_else(|| ProbeStyle(detected()))
                .as_str()
                .to_owned(),
            Reference::None,
        ),
        Mode::Against(file) => {
            let record = record::read(file)?;
            let style = style.map_or(record.style, |choice| choice.as_str().to_owned());
            let reference = Reference::Text {
                text: record.body,
                skip: Vec::new(),
                labels: (
                    crate::platform::portable_path(file),
                    "this project".to_owned(),
                ),
                strict,
            };
            (style, reference)
        }
    };
    // The project's own scenarios, by convention; `check --scenarios FILE` names another file.
    let scenarios = Some(dir.join(SCENARIOS_FILE)).filter(|file| file.is_file());
    Ok(Job {
        id: project.name.clone(),
        source: Source::Folder {
            dir,
            with: with.clone(),
        },
        python,
        probe_style,
        scenarios,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_refused() {
        let python = Python {
            requested: "python3".into(),
            executable: "/usr/bin/python3".into(),
            implementation: "CPython".into(),
            version: "3.11.7".into(),
            key: "cpython-3.11-x86_64-00000000".into(),
            free_threaded: false,
        };
        let error = for_folder(
            Path::new("/nonexistent/dir"),
            None,
            &Mode::Reference,
            python,
            false,
            &Choice::default(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/dir is not a maturin project: no such folder"
        );
    }
}

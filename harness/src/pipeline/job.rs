//! What `check` compares a project with: the job for a project folder (which style to probe,
//! which reference or record), and its official tests against a fresh render. Shared by the
//! `check` and `watch` commands.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::pipeline::{Job, Reference, Source};
use crate::project::Project;
use crate::project::tree::{self, TreeDifference};
use crate::python::interpreter::Python;
use crate::snapshot::record;
use crate::snapshot::version_tags;
use crate::snapshot::{self, TESTS_SECTION};
use crate::template::render::{self, Template};
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::checklist::OfficialTests;

/// The folder holding a project's official tests.
pub const TESTS_DIR: &str = "tests";

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
/// `strict`: every difference fails, compatible ones included (see [`Reference::Text`]).
pub fn job(
    dir: &Path,
    style: Option<ProbeStyle>,
    mode: &Mode,
    python: Python,
    strict: bool,
) -> Result<Job> {
    let dir = fs_err::canonicalize(dir).map_err(|_| Error::NotAProject {
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
                // A derived project may add tests of its own; they must pass, not match.
                skip: vec![TESTS_SECTION],
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
                labels: (file.display().to_string(), "this project".to_owned()),
                strict,
            };
            (style, reference)
        }
    };
    Ok(Job {
        id: project.name.clone(),
        source: Source::Folder { dir },
        python,
        probe_style,
        reference,
    })
}

/// Compares the project's `tests/` with those of a fresh render of `style` under the project's
/// name: the official tests, which a learner must not edit. An answer that cannot be had (no
/// template, a name the template refuses) is [`OfficialTests::NotCompared`], not an error: the
/// checklist still stands without it.
pub fn official_tests(template: Result<Template>, style: Style, dir: &Path) -> OfficialTests {
    match compare_tests(template, style, dir) {
        Ok(tests) => tests,
        Err(error) => OfficialTests::NotCompared {
            reason: error.to_string(),
        },
    }
}

fn compare_tests(template: Result<Template>, style: Style, dir: &Path) -> Result<OfficialTests> {
    let template = template?;
    let project = Project::read(dir)?;
    let fresh = tempfile::Builder::new()
        .prefix("scaffold-harness-tests-")
        .tempdir()?;
    let rendered = fresh.path().join(&project.name);
    let request = render::Request {
        style,
        name: &project.name,
        defines: &[],
    };
    render::render(&template, &request, &rendered)?;
    let official = rendered.join(TESTS_DIR);
    let mut theirs = dir.join(TESTS_DIR);
    if !theirs.is_dir() {
        // diff_trees needs two folders; an empty one stands in for a deleted tests/.
        theirs = fresh.path().join("no-tests");
        fs_err::create_dir_all(&theirs)?;
    }
    let shown = |path: &Path| format!("{TESTS_DIR}/{}", path.display());
    let (mut edited, mut deleted, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for difference in tree::diff_trees(&official, &theirs, &[])? {
        match difference {
            TreeDifference::Changed { path, .. } => {
                // A checkout with CRLF line endings has not edited anything.
                let read = |root: &Path| fs_err::read(root.join(&path));
                let strip = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                if strip(read(&official)?) != strip(read(&theirs)?) {
                    edited.push(shown(&path));
                }
            }
            TreeDifference::Missing(path) => deleted.push(shown(&path)),
            TreeDifference::Unexpected(path) => added.push(shown(&path)),
        }
    }
    Ok(OfficialTests::Compared {
        edited,
        deleted,
        added,
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
        let error = job(
            Path::new("/nonexistent/dir"),
            None,
            &Mode::Reference,
            python,
            false,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/dir is not a maturin project: no such folder"
        );
    }
}

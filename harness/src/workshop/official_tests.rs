//! The official tests of a workshop project: its `tests/` compared with those of a fresh render,
//! since a learner must make the exercises pass, not edit what checks them.

use std::path::{Path, PathBuf};

use crate::base::error::Result;
use crate::project::Project;
use crate::project::tree::{self, TreeDifference};
use crate::template::render::{self, Template};
use crate::template::style::Style;
use crate::workshop::checklist::OfficialTests;

/// The folder holding a project's official tests.
pub const TESTS_DIR: &str = "tests";

/// The official tests of a style under one project name: the `tests/` of a fresh render, kept
/// in a temporary folder while this lives. `watch` renders them once and compares every check
/// with them.
#[derive(Debug)]
pub struct Official {
    _dir: tempfile::TempDir,
    tests: PathBuf,
}

impl Official {
    /// Renders `style` under `name` and keeps its tests. An answer that cannot be had (no
    /// template, a name the template refuses) is the reason nothing can be compared.
    pub fn render(
        template: Result<Template>,
        style: Style,
        name: &str,
    ) -> Result<Official, String> {
        let render = || -> Result<Official> {
            let template = template?;
            let dir = tempfile::Builder::new()
                .prefix("scaffold-harness-tests-")
                .tempdir()?;
            let rendered = dir.path().join(name);
            let request = render::Request {
                style,
                name,
                defines: &[],
            };
            render::render(&template, &request, &rendered)?;
            Ok(Official {
                tests: rendered.join(TESTS_DIR),
                _dir: dir,
            })
        };
        render().map_err(|error| error.to_string())
    }

    /// Compares the project's `tests/` at `dir` with these: the official tests, which a learner
    /// must not edit.
    pub fn compare(&self, dir: &Path) -> OfficialTests {
        match compare_with(&self.tests, dir) {
            Ok(tests) => tests,
            Err(error) => OfficialTests::NotCompared {
                reason: error.to_string(),
            },
        }
    }
}

/// Compares the project's `tests/` with those of a fresh render of `style` under the project's
/// name. An answer that cannot be had is [`OfficialTests::NotCompared`], not an error: the
/// checklist still stands without it.
pub fn compare(template: Result<Template>, style: Style, dir: &Path) -> OfficialTests {
    let official = Project::read(dir)
        .map_err(|error| error.to_string())
        .and_then(|project| Official::render(template, style, &project.name));
    match official {
        Ok(official) => official.compare(dir),
        Err(reason) => OfficialTests::NotCompared { reason },
    }
}

fn compare_with(official: &Path, dir: &Path) -> Result<OfficialTests> {
    let empty = tempfile::Builder::new()
        .prefix("scaffold-harness-no-tests-")
        .tempdir()?;
    let mut theirs = dir.join(TESTS_DIR);
    if !theirs.is_dir() {
        // diff_trees needs two folders; an empty one stands in for a deleted tests/.
        theirs = empty.path().to_owned();
    }
    let shown = |path: &Path| format!("{TESTS_DIR}/{}", path.display());
    let (mut edited, mut deleted, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for difference in tree::diff_trees(official, &theirs, &[])? {
        match difference {
            TreeDifference::Changed { path, .. } => {
                // A checkout with CRLF line endings has not edited anything.
                let read = |root: &Path| fs_err::read(root.join(&path));
                let strip = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                if strip(read(official)?) != strip(read(&theirs)?) {
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

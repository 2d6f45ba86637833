//! The official tests of a workshop project: its `tests/` compared with those of a fresh render,
//! since a learner must make the exercises pass, not edit what checks them.

use std::path::Path;

use crate::base::error::Result;
use crate::project::Project;
use crate::project::tree::{self, TreeDifference};
use crate::template::render::{self, Template};
use crate::template::style::Style;
use crate::workshop::checklist::OfficialTests;

/// The folder holding a project's official tests.
pub const TESTS_DIR: &str = "tests";

/// Compares the project's `tests/` with those of a fresh render of `style` under the project's
/// name: the official tests, which a learner must not edit. An answer that cannot be had (no
/// template, a name the template refuses) is [`OfficialTests::NotCompared`], not an error: the
/// checklist still stands without it.
pub fn compare(template: Result<Template>, style: Style, dir: &Path) -> OfficialTests {
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

//! `scaffold-harness check DIR`: an existing project (generated earlier and since edited, a
//! learner's, or any maturin project) through the pipeline, compared with the reference
//! behaviour of its style, or recorded to / compared with a record file.
//!
//! DIR is only read: the project is copied (without `target/`, venvs and caches) into the
//! harness cache, and built there.

use std::path::{Path, PathBuf};

use crate::checklist::OfficialTests;
use crate::error::{Error, Result};
use crate::pipeline::{Job, Reference, Source};
use crate::project::Project;
use crate::render::{self, Template};
use crate::snapshot::{self, TESTS_SECTION};
use crate::style::Style;
use crate::tools::Python;
use crate::tree::{self, TreeDifference};
use crate::version_tags;

/// The folder holding a project's official tests.
pub const TESTS_DIR: &str = "tests";

/// The probe style `none`: the public API only, for projects of no known style.
pub const NO_STYLE: &str = "none";

const RECORD_MAGIC: &str = "# scaffold-harness record v1";

/// What `check` compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The committed reference snapshot of the project's style.
    Reference,
    /// Write the behaviour to a record file.
    Record(PathBuf),
    /// Compare with a record file written earlier.
    Against(PathBuf),
}

/// `--style`: a template style, `none`, or detect it from the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StyleChoice {
    Greet,
    TextProcessor,
    /// The public API only (any maturin project).
    None,
}

impl StyleChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            StyleChoice::Greet => "greet",
            StyleChoice::TextProcessor => "text-processor",
            StyleChoice::None => NO_STYLE,
        }
    }
}

/// Reads the project and works out the job: which style to probe, what to compare with.
pub fn job(dir: &Path, style: Option<StyleChoice>, mode: &Mode, python: Python) -> Result<Job> {
    let dir = fs_err::canonicalize(dir).map_err(|_| Error::NotAProject {
        dir: dir.to_owned(),
        reason: "no such folder".into(),
    })?;
    let project = Project::read(&dir)?;
    let detected = || Style::detect(&project).map(|style| style.to_string());
    let (probe_style, reference) = match mode {
        Mode::Reference => {
            // `--style none` has no reference; the command line refuses it before this point.
            let style = match style {
                Some(StyleChoice::None) => {
                    return Err(Error::UnknownStyle { dir: dir.clone() });
                }
                Some(choice) => choice.as_str().to_owned(),
                None => detected().ok_or_else(|| Error::UnknownStyle { dir: dir.clone() })?,
            };
            let parsed =
                Style::parse(&style).ok_or_else(|| Error::UnknownStyle { dir: dir.clone() })?;
            let name = snapshot::reference_name(parsed);
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
            };
            (style, reference)
        }
        Mode::Record(_) => (
            style
                .map(|choice| choice.as_str().to_owned())
                .or_else(detected)
                .unwrap_or_else(|| NO_STYLE.to_owned()),
            Reference::None,
        ),
        Mode::Against(file) => {
            let record = read_record(file)?;
            let style = style.map_or(record.style, |choice| choice.as_str().to_owned());
            let reference = Reference::Text {
                text: record.body,
                skip: Vec::new(),
                labels: (file.display().to_string(), "this project".to_owned()),
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

/// A record file: the probe style it was made with and the behaviour text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub style: String,
    pub body: String,
}

/// The text of a record file.
pub fn format_record(style: &str, body: &str) -> String {
    format!(
        "{RECORD_MAGIC}\n# style: {style}\n\
         # Written by `scaffold-harness check DIR --record FILE`; check with `--against FILE`.\n\
         {body}"
    )
}

pub fn parse_record(text: &str) -> Result<Record, String> {
    let mut lines = text.lines();
    if lines.next() != Some(RECORD_MAGIC) {
        return Err(format!("its first line is not `{RECORD_MAGIC}`"));
    }
    let style = lines
        .next()
        .and_then(|line| line.strip_prefix("# style: "))
        .ok_or("its second line is not `# style: ...`")?
        .trim()
        .to_owned();
    let body: Vec<&str> = lines.skip_while(|line| line.starts_with("# ")).collect();
    Ok(Record {
        style,
        body: body.join("\n") + "\n",
    })
}

fn read_record(path: &Path) -> Result<Record> {
    let text = fs_err::read_to_string(path)?;
    parse_record(&text).map_err(|message| Error::Record {
        path: path.to_owned(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let body = "package: [PKG]\nstyle: none\n\n## api f\nkind: function\n";
        let text = format_record("none", body);
        assert!(text.starts_with("# scaffold-harness record v1\n# style: none\n"));
        assert_eq!(
            parse_record(&text),
            Ok(Record {
                style: "none".into(),
                body: body.into()
            })
        );
    }

    #[test]
    fn a_foreign_file_is_not_a_record() {
        assert_eq!(
            parse_record("package: x\n"),
            Err("its first line is not `# scaffold-harness record v1`".into())
        );
        assert_eq!(
            parse_record("# scaffold-harness record v1\npackage: x\n"),
            Err("its second line is not `# style: ...`".into())
        );
    }

    #[test]
    fn a_missing_folder_is_refused() {
        let python = Python {
            requested: "python3".into(),
            executable: "/usr/bin/python3".into(),
            implementation: "CPython".into(),
            version: "3.11.7".into(),
            free_threaded: false,
            key: "cpython-3.11-x86_64-00000000".into(),
        };
        let error = job(
            Path::new("/nonexistent/dir"),
            None,
            &Mode::Reference,
            python,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/dir is not a maturin project: no such folder"
        );
    }
}

//! `--format github`: GitHub Actions workflow commands, one annotation per classified
//! difference (`::error` for breaking, `::warning` or `::notice` for compatible), which the
//! Actions UI shows on the run's summary and, with `file=`, on the pull request's diff.
//!
//! The escaping follows the Actions toolkit (`@actions/core`'s `command.ts`): `%`, CR and LF
//! in the message; those and `:` and `,` in a property.

use std::fmt;
use std::path::Path;

use crate::conformance::compare::Difference;
use crate::conformance::{Finding, Impact};
use crate::platform::portable_path;
use crate::snapshot::TESTS_SECTION;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    /// Breaking is an error; compatible is a warning when `--strict` makes it fail the run,
    /// a notice otherwise.
    pub fn of(impact: Impact, strict: bool) -> Level {
        match (impact, strict) {
            (Impact::Breaking, _) => Level::Error,
            (Impact::Compatible, true) => Level::Warning,
            (Impact::Compatible, false) => Level::Notice,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// Where an annotation points: a file relative to the workspace, and a line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub level: Level,
    pub title: String,
    pub message: String,
    pub location: Option<Location>,
}

impl Annotation {
    pub fn new(finding: &Finding, strict: bool, location: Option<Location>) -> Annotation {
        Annotation {
            level: Level::of(finding.impact, strict),
            title: format!(
                "{} ({}): {}",
                finding.impact.as_str(),
                finding.rule.id,
                finding.section
            ),
            message: format!("{}\nhint: {}", finding.explanation, finding.hint),
            location,
        }
    }
}

/// Where the recorded side of a comparison lives, when it is a file: a record.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The record file (`--against FILE`) and its text.
    pub record: Option<(&'a Path, &'a str)>,
    /// The project folder, as given on the command line.
    pub project: &'a Path,
}

/// One annotation per finding of `differences`, located where that is known: a test in its
/// file under the project, anything else at its section's heading in the record file.
pub fn annotations(
    differences: &[Difference],
    strict: bool,
    sources: Sources<'_>,
) -> Vec<Annotation> {
    differences
        .iter()
        .flat_map(|difference| {
            difference.findings.iter().map(move |finding| {
                let location = if difference.section == TESTS_SECTION {
                    test_file(sources.project, &finding.subject)
                } else {
                    sources
                        .record
                        .map(|(path, text)| record_location(path, text, &difference.section))
                };
                Annotation::new(finding, strict, location)
            })
        })
        .collect()
}

/// `tests.test_message::test_greet` → `DIR/tests/test_message.py`, if that file exists.
fn test_file(project: &Path, test: &str) -> Option<Location> {
    let module = test.split("::").next()?;
    let relative = format!("{}.py", module.replace('.', "/"));
    project.join(&relative).is_file().then(|| Location {
        file: portable_path(&project.join(relative)),
        line: None,
    })
}

/// The line of `## section` in a record (the first line for the header).
fn record_location(path: &Path, text: &str, section: &str) -> Location {
    let heading = format!("## {section}");
    let line = text
        .lines()
        .position(|line| line == heading)
        .map_or(1, |index| index + 1);
    Location {
        file: portable_path(path),
        line: Some(line),
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl fmt::Display for Annotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut properties = Vec::new();
        if let Some(location) = &self.location {
            properties.push(format!("file={}", escape_property(&location.file)));
            if let Some(line) = location.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", escape_property(&self.title)));
        write!(
            f,
            "::{} {}::{}",
            self.level.as_str(),
            properties.join(","),
            escape_data(&self.message)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::{Finding, rules};

    #[test]
    fn breaking_is_an_error_with_its_location() {
        let finding = Finding::new(rules::NAME_REMOVED, "api panic_with", "panic_with", "");
        let annotation = Annotation::new(
            &finding,
            false,
            Some(Location {
                file: "ci/api.record".into(),
                line: Some(42),
            }),
        );
        assert_eq!(
            annotation.to_string(),
            format!(
                "::error file=ci/api.record,line=42,title=breaking (name-removed)%3A api panic_with::\
                 `panic_with` was removed%0Ahint: {}",
                rules::NAME_REMOVED.hint
            )
        );
    }

    #[test]
    fn compatible_is_a_notice_or_under_strict_a_warning() {
        let finding = Finding::new(rules::NAME_ADDED, "api shout", "shout", "");
        let plain = Annotation::new(&finding, false, None).to_string();
        assert!(
            plain.starts_with(
                "::notice title=compatible (name-added)%3A api shout::`shout` was added%0A"
            ),
            "{plain}"
        );
        let strict = Annotation::new(&finding, true, None).to_string();
        assert!(strict.starts_with("::warning title="), "{strict}");
    }

    #[test]
    fn findings_are_located_in_the_record_or_the_test_file() {
        let project = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(project.path().join("tests")).unwrap();
        fs_err::write(project.path().join("tests/test_message.py"), "").unwrap();
        let difference = |section: &str, finding: Finding| Difference {
            section: section.into(),
            behaviour: None,
            kind: crate::conformance::compare::Kind::Changed,
            impact: finding.impact,
            fails: true,
            findings: vec![finding],
            diff: String::new(),
        };
        let differences = [
            difference(
                "api panic_with",
                Finding::new(rules::NAME_REMOVED, "api panic_with", "panic_with", ""),
            ),
            difference(
                "tests",
                Finding::new(
                    rules::TEST_NOW_FAILS,
                    "tests",
                    "tests.test_message::test_greet",
                    "x",
                ),
            ),
        ];
        let record = "# scaffold-harness record v2\n# style: none\npackage: [PKG]\n\n## api panic_with\nkind: function\n";
        let sources = Sources {
            record: Some((Path::new("api.record"), record)),
            project: project.path(),
        };
        let located: Vec<Option<Location>> = annotations(&differences, false, sources)
            .into_iter()
            .map(|annotation| annotation.location)
            .collect();
        assert_eq!(
            located,
            [
                Some(Location {
                    file: "api.record".into(),
                    line: Some(5)
                }),
                Some(Location {
                    file: portable_path(&project.path().join("tests/test_message.py")),
                    line: None
                }),
            ]
        );
    }

    #[test]
    fn escapes_what_would_end_the_command() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}

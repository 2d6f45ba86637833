//! `--format github`: GitHub Actions workflow commands, one annotation per classified
//! difference (`::error` for breaking, `::warning` or `::notice` for compatible), which the
//! Actions UI shows on the run's summary and, with `file=`, on the pull request's diff.
//!
//! The escaping follows the Actions toolkit (`@actions/core`'s `command.ts`): `%`, CR and LF
//! in the message; those and `:` and `,` in a property.

use std::fmt;
use std::path::Path;

use crate::base::normalize;
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
        let mut message = format!("{}\nhint: {}", finding.explanation, finding.hint);
        if let Some(reason) = &finding.accepted {
            message.push_str(&format!("\naccepted because: {reason}"));
        }
        if let Some(witness) = &finding.witness {
            message.push_str(&format!(
                "\nwitness, {}:\n{}",
                witness.heading(),
                witness.code
            ));
        }
        // An accepted difference fails nothing: a notice, like a compatible one.
        let (level, class) = match &finding.accepted {
            Some(_) => (
                Level::Notice,
                format!("accepted {}", finding.impact.as_str()),
            ),
            None => (
                Level::of(finding.impact, strict),
                finding.impact.as_str().to_owned(),
            ),
        };
        Annotation {
            level,
            title: format!("{class} ({}): {}", finding.rule.id, finding.section),
            message,
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
    /// The package's import name, which the record's headings spell `[PKG]`.
    pub package: Option<&'a str>,
}

/// One annotation per finding of `differences`, located where that is known: a test at its
/// `def` in its file under the project, anything else at its section's heading in the record
/// file. Paths are relative to the repository's root, as GitHub places annotations.
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
                    test_location(sources.project, &finding.subject)
                } else {
                    sources.record.map(|(path, text)| {
                        record_location(path, text, &difference.section, sources.package)
                    })
                };
                Annotation::new(finding, strict, location)
            })
        })
        .collect()
}

/// The annotation that says why a check failed, in one line.
pub fn failure(reason: &str) -> Annotation {
    Annotation {
        level: Level::Error,
        title: "check failed".to_owned(),
        message: reason.to_owned(),
        location: None,
    }
}

/// `tests.test_message::test_greet[x]` → `tests/test_message.py` and the line of `def
/// test_greet`; a class's test (`tests.test_message.TestGreet::test_it`) → its file, at the
/// `def` after `class TestGreet`; a module that did not import (`tests.test_message`) → its
/// file. `None` when no such file is under the project.
pub fn test_location(project: &Path, test: &str) -> Option<Location> {
    let (path, function) = match test.split_once("::") {
        Some((path, function)) => (path, Some(function)),
        None => (test, None),
    };
    let parts: Vec<&str> = path.split('.').collect();
    // The longest prefix of the dotted path that is a file; what follows is a class.
    let (file, classes) = (1..=parts.len()).rev().find_map(|end| {
        let relative = format!("{}.py", parts[..end].join("/"));
        let file = project.join(&relative);
        file.is_file().then(|| (file, &parts[end..]))
    })?;
    let line = function.and_then(|function| {
        let name = function.split('[').next().unwrap_or(function);
        def_line(&fs_err::read_to_string(&file).ok()?, classes, name)
    });
    Some(Location {
        file: repository_relative(&file),
        line,
    })
}

/// The 1-based line of `def name` in `source`, after the lines of `class C` for each of
/// `classes` in turn.
fn def_line(source: &str, classes: &[&str], name: &str) -> Option<usize> {
    let starts = |line: &str, keyword: &str, name: &str| {
        let line = line.trim_start();
        let line = line.strip_prefix("async ").unwrap_or(line);
        line.strip_prefix(keyword)
            .and_then(|rest| rest.trim_start().strip_prefix(name))
            .is_some_and(|rest| rest.starts_with(['(', ':']))
    };
    let mut from = 0;
    let lines: Vec<&str> = source.lines().collect();
    for class in classes {
        from += lines[from..]
            .iter()
            .position(|line| starts(line, "class ", class))?;
    }
    lines[from..]
        .iter()
        .position(|line| starts(line, "def ", name))
        .map(|index| from + index + 1)
}

/// The line of `## section` in a record (the first line for the header); the record spells the
/// package `[PKG]` where the section's name has it.
fn record_location(path: &Path, text: &str, section: &str, package: Option<&str>) -> Location {
    let heading = |line: &str| {
        let line = match package {
            Some(package) => line.replace(normalize::PACKAGE, package),
            None => line.to_owned(),
        };
        line.strip_prefix("## ") == Some(section)
    };
    let line = text.lines().position(heading).map_or(1, |index| index + 1);
    Location {
        file: repository_relative(path),
        line: Some(line),
    }
}

/// `path` relative to the root of the git repository holding it (the folder with `.git`), as
/// GitHub locates annotations; else relative to the working folder; else as given.
pub fn repository_relative(path: &Path) -> String {
    let Ok(absolute) = crate::platform::canonicalize(path) else {
        return portable_path(path);
    };
    let repository = absolute
        .ancestors()
        .skip(1)
        .find(|folder| folder.join(".git").exists());
    let base = repository.map(Path::to_path_buf).or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|dir| crate::platform::canonicalize(&dir).ok())
    });
    base.and_then(|base| absolute.strip_prefix(base).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .map_or_else(|| portable_path(path), |relative| portable_path(&relative))
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
    fn findings_are_located_in_the_record_or_the_test_file_relative_to_the_repository() {
        let repository = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(repository.path().join(".git")).unwrap();
        let project = repository.path().join("project");
        fs_err::create_dir_all(project.join("tests")).unwrap();
        fs_err::write(
            project.join("tests/test_message.py"),
            "import pkg\n\n\ndef test_greet():\n    assert pkg.greet()\n",
        )
        .unwrap();
        let record_path = project.join("ci/api.record");
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
                "stub greet._greet",
                Finding::new(rules::STUB_REMOVED, "stub greet._greet", "greet._greet", ""),
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
        let record = "# scaffold-harness record v2\n# style: none\npackage: [PKG]\n\n\
                      ## api panic_with\nkind: function\n\n## stub [PKG]._[PKG]\nfile: x\n";
        fs_err::create_dir_all(record_path.parent().unwrap()).unwrap();
        fs_err::write(&record_path, record).unwrap();
        let sources = Sources {
            record: Some((&record_path, record)),
            project: &project,
            package: Some("greet"),
        };
        let located: Vec<Option<Location>> = annotations(&differences, false, sources)
            .into_iter()
            .map(|annotation| annotation.location)
            .collect();
        let at = |file: &str, line: usize| {
            Some(Location {
                file: file.into(),
                line: Some(line),
            })
        };
        assert_eq!(
            located,
            [
                at("project/ci/api.record", 5),
                at("project/ci/api.record", 8),
                at("project/tests/test_message.py", 4),
            ]
        );
    }

    #[test]
    fn a_test_is_found_at_its_def_in_its_class_or_its_module() {
        let project = tempfile::tempdir().unwrap();
        let source = "import pytest\n\n\ndef test_sum():\n    pass\n\n\nclass TestLoad:\n    \
                      async def test_sum(self):\n        pass\n\n    \
                      @pytest.mark.parametrize('x', [1])\n    def test_many(self, x):\n        pass\n";
        fs_err::create_dir_all(project.path().join("python/tests")).unwrap();
        fs_err::write(project.path().join("python/tests/test_all.py"), source).unwrap();
        let line = |test: &str| test_location(project.path(), test).and_then(|at| at.line);
        assert_eq!(line("python.tests.test_all::test_sum"), Some(4));
        assert_eq!(line("python.tests.test_all.TestLoad::test_sum"), Some(9));
        assert_eq!(
            line("python.tests.test_all.TestLoad::test_many[1]"),
            Some(13)
        );
        assert_eq!(line("python.tests.test_all::test_gone"), None);
        // A module that does not import is annotated on its file.
        let module = test_location(project.path(), "python.tests.test_all").unwrap();
        assert!(
            module.file.ends_with("python/tests/test_all.py"),
            "{module:?}"
        );
        assert_eq!(
            test_location(project.path(), "tests.test_nowhere::test_x"),
            None
        );
    }

    #[test]
    fn a_failure_is_an_error_with_its_reason() {
        assert_eq!(
            failure("strict mode: 2 compatible differences fail the check").to_string(),
            "::error title=check failed::strict mode: 2 compatible differences fail the check"
        );
    }

    #[test]
    fn escapes_what_would_end_the_command() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}

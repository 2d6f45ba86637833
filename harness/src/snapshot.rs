//! Stage 6: the behaviour of a project as stable text, and the committed snapshots.
//!
//! One format serves the matrix snapshots (`harness/snapshots/*.snap`, managed by insta in the
//! tests), `check`'s comparison with a style's reference (the same committed files, embedded at
//! compile time: one source of truth) and `check --record` files. The text is cut into sections
//! by lines starting with `## ` (`## api Message`, `## scenario greet.panic`, `## tests`), so
//! that a difference can be shown per scenario (see [`crate::compare`]).

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::normalize::Filters;
use crate::probe::{ApiItem, ExceptionInfo, Outcome, ProbeResult};
use crate::pytest::TestReport;
use crate::style::{Case, REFERENCE_VARIANT, Style};

/// The section holding the test outcomes; a derived project may add tests, so `check` leaves
/// it out when comparing with a style's reference.
pub const TESTS_SECTION: &str = "tests";

/// The snapshot name of a matrix case: `matrix__probe@greet-default`.
pub fn name(case: &Case) -> String {
    format!("matrix__probe@{}", case.id())
}

/// The name of a style's reference snapshot.
pub fn reference_name(style: Style) -> String {
    format!("matrix__probe@{style}-{REFERENCE_VARIANT}")
}

mod committed {
    // (snapshot name, file contents) of every .snap file in harness/snapshots, written by
    // build.rs.
    include!(concat!(env!("OUT_DIR"), "/snapshots.rs"));
}

/// The body of a committed snapshot, by name.
pub fn committed(name: &str) -> Result<&'static str> {
    committed::SNAPSHOTS
        .iter()
        .find(|(candidate, _)| *candidate == name)
        .and_then(|(_, contents)| body(contents))
        .ok_or_else(|| Error::NoReference {
            name: name.to_owned(),
        })
}

/// The names of the committed snapshots.
pub fn committed_names() -> Vec<&'static str> {
    committed::SNAPSHOTS.iter().map(|(name, _)| *name).collect()
}

/// The snapshot text of an insta `.snap` file: what follows its `---` header.
pub fn body(contents: &str) -> Option<&str> {
    let rest = contents.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + "\n---\n".len()..])
}

/// The behaviour as text. `filters` (see [`crate::normalize`]) apply to what the project
/// produced (names, signatures, docs, reprs, messages) and not to what the harness or the probe
/// tables wrote (scenario ids, behaviour sentences, API and test names): a project named `greet`
/// has a method `greet` and scenarios `greet.*`, which must stay as they are.
pub fn render(probe: &ProbeResult, tests: Option<&TestReport>, filters: &Filters) -> String {
    let mut w = Writer {
        out: String::new(),
        filters,
    };
    w.value(0, "package", &probe.package);
    w.field(0, "style", &probe.style);
    match &probe.import_error {
        Some(error) => w.exception(0, "import_error", error),
        None => w.field(0, "import_error", "none"),
    }
    // On a free-threaded build the GIL stays off only if the extension declares it may; the
    // reference says so with a line tagged for those builds (see `crate::version_tags`).
    let gil = if probe.python.gil_enabled_after_import() {
        "enabled"
    } else {
        "disabled"
    };
    w.field(0, "gil_after_import", gil);
    for item in &probe.api {
        w.section(&format!("api {}", item.name));
        w.api_fields(0, item);
    }
    for scenario in &probe.scenarios {
        w.section(&format!("scenario {}", scenario.id));
        w.field(0, "behaviour", &scenario.behaviour);
        match &scenario.outcome {
            Outcome::Returned { repr } => w.value(0, "returned", repr),
            Outcome::Raised { exception } => w.exception(0, "raised", exception),
        }
    }
    if let Some(tests) = tests {
        w.section(TESTS_SECTION);
        if tests.cases.is_empty() {
            w.line(0, "no tests ran");
        }
        for case in &tests.cases {
            w.line(0, &format!("{} {}", case.outcome.as_str(), case.name));
            if let Some(message) = &case.message {
                w.value(2, "message", message);
            }
        }
    }
    w.out
}

struct Writer<'a> {
    out: String,
    filters: &'a Filters,
}

impl Writer<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{}", "", text.trim_end());
    }

    fn section(&mut self, title: &str) {
        self.out.push('\n');
        self.line(0, &format!("## {title}"));
    }

    /// `key: value`, or for text of several lines a `key: |` block indented under the key.
    fn field(&mut self, indent: usize, key: &str, value: &str) {
        if value.contains('\n') {
            self.line(indent, &format!("{key}: |"));
            for line in value.lines() {
                if line.trim().is_empty() {
                    self.out.push('\n');
                } else {
                    self.line(indent + 2, line);
                }
            }
        } else {
            self.line(indent, &format!("{key}: {value}"));
        }
    }

    /// A field whose value the project produced: normalised.
    fn value(&mut self, indent: usize, key: &str, value: &str) {
        let value = self.filters.apply(value);
        self.field(indent, key, &value);
    }

    fn api_fields(&mut self, indent: usize, item: &ApiItem) {
        self.field(indent, "kind", &item.kind);
        self.value(indent, "qualname", &item.qualname);
        if let Some(signature) = &item.signature {
            self.value(indent, "signature", signature);
        }
        if let Some(doc) = &item.doc {
            self.value(indent, "doc", doc);
        }
        for member in &item.members {
            self.line(indent, &format!("member {}:", member.name));
            self.api_fields(indent + 2, member);
        }
    }

    fn exception(&mut self, indent: usize, label: &str, exception: &ExceptionInfo) {
        self.value(indent, label, &exception.type_name);
        let inner = indent + 2;
        self.value(inner, "mro", &exception.mro.join(" > "));
        self.field(inner, "is_exception", &exception.is_exception.to_string());
        self.value(inner, "message", &exception.message);
        for note in &exception.notes {
            self.value(inner, "note", note);
        }
        if let Some(cause) = &exception.cause {
            self.exception(inner, "cause", cause);
        }
        if let Some(context) = &exception.context {
            self.exception(inner, "context", context);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Context;
    use crate::probe::{Paths, PythonInfo, Scenario};
    use crate::pytest::{Outcome as TestOutcome, TestCase};

    fn probe() -> ProbeResult {
        let exception = ExceptionInfo {
            type_name: "my_ext.EmptyTextError".into(),
            mro: vec![
                "my_ext.EmptyTextError".into(),
                "builtins.ValueError".into(),
                "builtins.Exception".into(),
                "builtins.BaseException".into(),
            ],
            is_exception: true,
            message: "text is empty".into(),
            notes: vec!["raised in Rust".into()],
            cause: Some(Box::new(ExceptionInfo {
                type_name: "builtins.KeyError".into(),
                mro: vec!["builtins.KeyError".into()],
                is_exception: true,
                message: "'k'".into(),
                notes: vec![],
                cause: None,
                context: None,
            })),
            context: None,
        };
        ProbeResult {
            probe_version: 1,
            package: "my_ext".into(),
            style: "greet".into(),
            python: PythonInfo {
                implementation: "CPython".into(),
                version: "3.11.7".into(),
                free_threaded: false,
                gil_enabled: None,
            },
            paths: Paths {
                work_dir: "/w".into(),
                package_dir: None,
                prefix: "/v".into(),
            },
            import_error: None,
            api: vec![ApiItem {
                name: "Message".into(),
                kind: "class".into(),
                qualname: "my_ext.Message".into(),
                signature: Some("(text)".into()),
                doc: Some("A message.\n\nWith two paragraphs.".into()),
                members: vec![ApiItem {
                    name: "greet".into(),
                    kind: "function".into(),
                    qualname: "my_ext.Message.greet".into(),
                    signature: Some("(name)".into()),
                    doc: None,
                    members: vec![],
                }],
            }],
            scenarios: vec![
                Scenario {
                    id: "greet.static_greet".into(),
                    behaviour: "greet returns".into(),
                    exercises: vec![1],
                    hint: "not part of the snapshot".into(),
                    outcome: Outcome::Returned {
                        repr: "'Hello, eunsang !'".into(),
                    },
                },
                Scenario {
                    id: "greet.fail_if_empty_raises".into(),
                    behaviour: "empty raises".into(),
                    exercises: vec![2, 3],
                    hint: "not part of the snapshot".into(),
                    outcome: Outcome::Raised { exception },
                },
            ],
        }
    }

    #[test]
    fn renders_sections_fields_and_chains() {
        let tests = TestReport {
            cases: vec![
                TestCase {
                    name: "tests.test_message::test_greet".into(),
                    outcome: TestOutcome::Passed,
                    message: None,
                },
                TestCase {
                    name: "tests.test_message::test_bad".into(),
                    outcome: TestOutcome::Failed,
                    message: Some("assert 1 == 2".into()),
                },
            ],
            summary: String::new(),
        };
        assert_eq!(
            render(&probe(), Some(&tests), &Filters::new(&Context::default())),
            "package: my_ext
style: greet
import_error: none
gil_after_import: enabled

## api Message
kind: class
qualname: my_ext.Message
signature: (text)
doc: |
  A message.

  With two paragraphs.
member greet:
  kind: function
  qualname: my_ext.Message.greet
  signature: (name)

## scenario greet.static_greet
behaviour: greet returns
returned: 'Hello, eunsang !'

## scenario greet.fail_if_empty_raises
behaviour: empty raises
raised: my_ext.EmptyTextError
  mro: my_ext.EmptyTextError > builtins.ValueError > builtins.Exception > builtins.BaseException
  is_exception: true
  message: text is empty
  note: raised in Rust
  cause: builtins.KeyError
    mro: builtins.KeyError
    is_exception: true
    message: 'k'

## tests
passed tests.test_message::test_greet
failed tests.test_message::test_bad
  message: assert 1 == 2
"
        );
    }

    #[test]
    fn import_error_replaces_api_and_scenarios() {
        let mut result = probe();
        result.api.clear();
        result.scenarios.clear();
        result.import_error = Some(ExceptionInfo {
            type_name: "builtins.ImportError".into(),
            mro: vec!["builtins.ImportError".into()],
            is_exception: true,
            message: "dynamic module does not define module export function".into(),
            notes: vec![],
            cause: None,
            context: None,
        });
        assert_eq!(
            render(&result, None, &Filters::new(&Context::default())),
            "package: my_ext\nstyle: greet\nimport_error: builtins.ImportError\n  \
             mro: builtins.ImportError\n  is_exception: true\n  \
             message: dynamic module does not define module export function\n\
             gil_after_import: enabled\n"
        );
    }

    #[test]
    fn the_package_name_is_replaced_only_in_what_the_project_produced() {
        let mut result = probe();
        result.package = "greet".into();
        result.api[0].qualname = "greet.api.Message".into();
        result.api[0].members[0].qualname = "greet.api.Message.greet".into();
        result.scenarios.truncate(1);
        let filters = Filters::new(&Context {
            package: Some("greet".into()),
            project_name: Some("greet".into()),
            ..Context::default()
        });
        let text = render(&result, None, &filters);
        assert!(text.starts_with("package: [PKG]\nstyle: greet\n"), "{text}");
        assert!(text.contains("qualname: [PKG].api.Message\n"), "{text}");
        assert!(text.contains("member greet:\n"), "{text}");
        assert!(
            text.contains("qualname: [PKG].api.Message.greet\n"),
            "{text}"
        );
        assert!(text.contains("## scenario greet.static_greet\n"), "{text}");
    }

    #[test]
    fn snap_body_follows_the_header() {
        let file =
            "---\nsource: harness/tests/it/matrix.rs\nexpression: snapshot\n---\npackage: [PKG]\n";
        assert_eq!(body(file), Some("package: [PKG]\n"));
        assert_eq!(body("package: x"), None);
    }

    #[test]
    fn names_follow_the_case() {
        let case = crate::style::matrix(&[Style::Greet])[0];
        assert_eq!(name(&case), "matrix__probe@greet-default");
        assert_eq!(
            reference_name(Style::TextProcessor),
            "matrix__probe@text-processor-default"
        );
    }
}

//! Writing a behaviour as text: the probe's result normalised into a [`Behaviour`], and the
//! [`Behaviour`] as the text the snapshots hold.

use std::fmt::{self, Write as _};

use crate::base::normalize::Filters;
use crate::stages::probe::{
    ApiItem, ExceptionInfo, Outcome, ProbeResult, StubCheck, StubDisagreement, StubDisagreementKind,
};
use crate::stages::pytest::{TestCase, TestReport};

use super::{Behaviour, GIL_FIELD, Gil, Scenario, TESTS_SECTION, api_key, scenario_key, stub_key};

/// The behaviour as text. `filters` (see [`crate::base::normalize`]) apply to what the project
/// produced (names, signatures, docs, reprs, messages) and not to what the harness or the probe
/// tables wrote (scenario ids, behaviour sentences, API and test names): a project named `greet`
/// has a method `greet` and scenarios `greet.*`, which must stay as they are.
pub fn render(probe: &ProbeResult, tests: Option<&TestReport>, filters: &Filters) -> String {
    Behaviour::new(probe, tests, filters).to_string()
}

/// `value` as the text keeps it, so that reading the text gives it back: without trailing
/// whitespace, on each line for a value of several lines, whose whitespace-only lines become
/// empty. A value of several lines keeps a final newline (it is what makes it a block,
/// `key: |`, in the text).
pub fn canonical(value: &str) -> String {
    if !value.contains('\n') {
        return value.trim_end().to_owned();
    }
    let lines: Vec<&str> = value
        .lines()
        .map(|line| {
            if line.trim().is_empty() {
                ""
            } else {
                line.trim_end()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

impl Behaviour {
    /// The probe's result and the test outcomes, with `filters` applied to what the project
    /// produced (see [`render`]).
    pub fn new(probe: &ProbeResult, tests: Option<&TestReport>, filters: &Filters) -> Behaviour {
        let produced = |value: &str| canonical(&filters.apply(value));
        Behaviour {
            package: produced(&probe.package),
            style: canonical(&probe.style),
            import_error: probe
                .import_error
                .as_ref()
                .map(|error| exception(error, &produced)),
            gil: if probe.python.gil_enabled_after_import() {
                Gil::Enabled
            } else {
                Gil::Disabled
            },
            // Names are the API's own, written as they are (like API item names).
            all: probe
                .all
                .as_ref()
                .map(|names| names.iter().map(|name| canonical(name)).collect()),
            api: probe
                .api
                .iter()
                .map(|item| api_item(item, &produced))
                .collect(),
            stubs: probe
                .stubs
                .iter()
                .map(|stub| stub_check(stub, &produced))
                .collect(),
            scenarios: probe
                .scenarios
                .iter()
                .map(|scenario| Scenario {
                    id: canonical(&scenario.id),
                    behaviour: canonical(&scenario.behaviour),
                    outcome: match &scenario.outcome {
                        Outcome::Returned { repr } => Outcome::Returned {
                            repr: produced(repr),
                        },
                        Outcome::Raised { exception: raised } => Outcome::Raised {
                            exception: exception(raised, &produced),
                        },
                    },
                })
                .collect(),
            tests: tests.map(|tests| {
                tests
                    .cases
                    .iter()
                    .map(|case| TestCase {
                        name: canonical(&case.name),
                        outcome: case.outcome,
                        message: case.message.as_deref().map(&produced),
                    })
                    .collect()
            }),
        }
    }
}

fn api_item(item: &ApiItem, produced: &impl Fn(&str) -> String) -> ApiItem {
    ApiItem {
        // Names are the harness's (the API's own), written as they are.
        name: item.name.clone(),
        kind: canonical(&item.kind),
        qualname: produced(&item.qualname),
        signature: item.signature.as_deref().map(produced),
        doc: item.doc.as_deref().map(produced),
        value: item.value.as_deref().map(produced),
        bases: item.bases.iter().map(|base| produced(base)).collect(),
        members: item
            .members
            .iter()
            .map(|member| api_item(member, produced))
            .collect(),
    }
}

fn stub_check(stub: &StubCheck, produced: &impl Fn(&str) -> String) -> StubCheck {
    StubCheck {
        module: produced(&stub.module),
        file: produced(&stub.file),
        error: stub.error.as_deref().map(produced),
        disagreements: stub
            .disagreements
            .iter()
            .map(|disagreement| StubDisagreement {
                kind: disagreement.kind,
                name: canonical(&disagreement.name),
                stub: disagreement.stub.as_deref().map(produced),
                runtime: disagreement.runtime.as_deref().map(produced),
            })
            .collect(),
    }
}

/// How a stub section labels a disagreement.
pub(super) fn disagreement_label(kind: StubDisagreementKind) -> &'static str {
    match kind {
        StubDisagreementKind::OnlyInStub => "only in stub",
        StubDisagreementKind::OnlyAtRuntime => "only at runtime",
        StubDisagreementKind::Parameters => "parameters differ",
    }
}

fn exception(error: &ExceptionInfo, produced: &impl Fn(&str) -> String) -> ExceptionInfo {
    // The text shows the MRO as one line, and the filters apply to that line.
    let mro = produced(&error.mro.join(" > "));
    ExceptionInfo {
        type_name: produced(&error.type_name),
        mro: split_mro(&mro),
        is_exception: error.is_exception,
        message: produced(&error.message),
        notes: error.notes.iter().map(|note| produced(note)).collect(),
        cause: error
            .cause
            .as_ref()
            .map(|cause| Box::new(exception(cause, produced))),
        context: error
            .context
            .as_ref()
            .map(|context| Box::new(exception(context, produced))),
    }
}

/// The classes of an MRO line, `a > b > c`.
pub(super) fn split_mro(line: &str) -> Vec<String> {
    if line.is_empty() {
        return Vec::new();
    }
    line.split(" > ").map(str::to_owned).collect()
}

impl fmt::Display for Behaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Writer::default();
        w.field(0, "package", &self.package);
        w.field(0, "style", &self.style);
        match &self.import_error {
            Some(error) => w.exception(0, "import_error", error),
            None => w.field(0, "import_error", "none"),
        }
        w.field(0, GIL_FIELD, self.gil.as_str());
        if let Some(names) = &self.all {
            w.field(0, "all", &names.join(", "));
        }
        for item in &self.api {
            w.section(&api_key(&item.name));
            w.api_fields(0, item);
        }
        for stub in &self.stubs {
            w.section(&stub_key(&stub.module));
            w.stub(stub);
        }
        for scenario in &self.scenarios {
            w.section(&scenario_key(&scenario.id));
            w.field(0, "behaviour", &scenario.behaviour);
            w.outcome(&scenario.outcome);
        }
        if let Some(tests) = &self.tests {
            w.section(TESTS_SECTION);
            if tests.is_empty() {
                w.line(0, "no tests ran");
            }
            for case in tests {
                w.line(0, &format!("{} {}", case.outcome.as_str(), case.name));
                if let Some(message) = &case.message {
                    w.field(2, "message", message);
                }
            }
        }
        f.write_str(&w.out)
    }
}

/// The lines of a scenario's outcome as its section shows them (`returned: ...`, or `raised:`
/// and the exception's lines), each trimmed: what a one-line account of a difference quotes.
pub fn outcome_lines(outcome: &Outcome) -> Vec<String> {
    let mut w = Writer::default();
    w.outcome(outcome);
    w.out
        .trim_end()
        .lines()
        .map(|line| line.trim().to_owned())
        .collect()
}

/// The line of a stub section whose stub agrees with the runtime.
pub(super) const AGREES: &str = "agrees with the runtime";

// ANCHOR: writer
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
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

    fn outcome(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Returned { repr } => self.field(0, "returned", repr),
            Outcome::Raised { exception } => self.exception(0, "raised", exception),
        }
    }

    fn api_fields(&mut self, indent: usize, item: &ApiItem) {
        self.field(indent, "kind", &item.kind);
        self.field(indent, "qualname", &item.qualname);
        if !item.bases.is_empty() {
            self.field(indent, "bases", &item.bases.join(", "));
        }
        if let Some(signature) = &item.signature {
            self.field(indent, "signature", signature);
        }
        if let Some(value) = &item.value {
            self.field(indent, "value", value);
        }
        if let Some(doc) = &item.doc {
            self.field(indent, "doc", doc);
        }
        for member in &item.members {
            self.line(indent, &format!("member {}:", member.name));
            self.api_fields(indent + 2, member);
        }
    }

    fn stub(&mut self, stub: &StubCheck) {
        self.field(0, "file", &stub.file);
        if let Some(error) = &stub.error {
            self.field(0, "error", error);
        } else if stub.disagreements.is_empty() {
            self.line(0, AGREES);
        }
        for disagreement in &stub.disagreements {
            self.field(0, disagreement_label(disagreement.kind), &disagreement.name);
            if let Some(parameters) = &disagreement.stub {
                self.field(2, "stub", parameters);
            }
            if let Some(parameters) = &disagreement.runtime {
                self.field(2, "runtime", parameters);
            }
        }
    }

    fn exception(&mut self, indent: usize, label: &str, exception: &ExceptionInfo) {
        self.field(indent, label, &exception.type_name);
        let inner = indent + 2;
        self.field(inner, "mro", &exception.mro.join(" > "));
        self.field(inner, "is_exception", &exception.is_exception.to_string());
        self.field(inner, "message", &exception.message);
        for note in &exception.notes {
            self.field(inner, "note", note);
        }
        if let Some(cause) = &exception.cause {
            self.exception(inner, "cause", cause);
        }
        if let Some(context) = &exception.context {
            self.exception(inner, "context", context);
        }
    }
}
// ANCHOR_END: writer

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::normalize::Context;
    use crate::snapshot::fixtures::{probe, tests};

    #[test]
    fn renders_sections_fields_and_chains() {
        assert_eq!(
            render(&probe(), Some(&tests()), &Filters::new(&Context::default())),
            "package: my_ext
style: greet
import_error: none
gil_after_import: enabled
all: Message, LIMIT

## api Message
kind: class
qualname: my_ext.Message
bases: my_ext.Base
signature: (text)
doc: |
  A message.

  With two paragraphs.
member greet:
  kind: function
  qualname: my_ext.Message.greet
  signature: (name)

## api LIMIT
kind: constant
qualname: my_ext.LIMIT
value: (3, 'three')

## stub my_ext._my_ext
file: _my_ext.pyi
parameters differ: Message.greet
  stub: (name)
  runtime: (name, loud=...)
only at runtime: shout

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
        result.stubs.clear();
        result.all = None;
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
    fn values_are_kept_as_the_text_keeps_them() {
        assert_eq!(canonical("one line  "), "one line");
        assert_eq!(canonical("a  \n \n  b"), "a\n\n  b\n");
        assert_eq!(canonical("a\n"), "a\n");
        assert_eq!(canonical("a\n\n"), "a\n\n");
        assert_eq!(canonical("\n"), "\n");
        // Canonical values are what the text keeps: canonical again changes nothing.
        for value in ["x ", "a  \n \n  b", "a\n\n", "\n", ""] {
            assert_eq!(canonical(&canonical(value)), canonical(value), "{value:?}");
        }
    }

    #[test]
    fn outcome_lines_are_the_sections_lines_trimmed() {
        let scenario =
            &Behaviour::new(&probe(), None, &Filters::new(&Context::default())).scenarios[1];
        assert_eq!(
            outcome_lines(&scenario.outcome),
            [
                "raised: my_ext.EmptyTextError",
                "mro: my_ext.EmptyTextError > builtins.ValueError > builtins.Exception > \
                 builtins.BaseException",
                "is_exception: true",
                "message: text is empty",
                "note: raised in Rust",
                "cause: builtins.KeyError",
                "mro: builtins.KeyError",
                "is_exception: true",
                "message: 'k'",
            ]
        );
    }
}

//! Writing a [`Behaviour`] as the text the snapshots hold.

use std::fmt::{self, Write as _};

use crate::stages::probe::{
    ApiItem, EntryPoint, EntryPointOutcome, ExceptionInfo, Outcome, StubCheck, StubDisagreementKind,
};

use super::{
    Behaviour, GIL_FIELD, TESTS_SECTION, WHEEL_SECTION, Wheel, api_key, entry_point_key,
    scenario_key, stub_key,
};

/// How a stub section labels a disagreement.
pub(super) fn disagreement_label(kind: StubDisagreementKind) -> &'static str {
    match kind {
        StubDisagreementKind::OnlyInStub => "only in stub",
        StubDisagreementKind::OnlyAtRuntime => "only at runtime",
        StubDisagreementKind::Parameters => "parameters differ",
    }
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
        if let Some(doc) = &self.doc {
            w.field(0, "doc", doc);
        }
        for item in &self.api {
            w.section(&api_key(&item.name));
            w.api_fields(0, item);
        }
        for stub in &self.stubs {
            w.section(&stub_key(&stub.module));
            w.stub(stub);
        }
        if let Some(wheel) = &self.wheel {
            w.section(WHEEL_SECTION);
            w.wheel(wheel);
        }
        for point in &self.entry_points {
            w.section(&entry_point_key(point));
            w.entry_point(point);
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

/// The `loads:` value of an entry point that loads a callable.
pub(super) const CALLABLE: &str = "a callable";

/// The `loads:` value of an entry point whose target is no callable: `not a callable (T)`.
pub(super) const NOT_CALLABLE: (&str, &str) = ("not a callable (", ")");

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
        // The whole MRO only when it says more than the bases: what `except` matches it by.
        if item.mro != item.bases {
            self.field(indent, "mro", &item.mro.join(" > "));
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

    fn wheel(&mut self, wheel: &Wheel) {
        self.field(0, "interpreters", &wheel.interpreters.to_string());
        self.field(0, "platform", &wheel.platform);
    }

    fn entry_point(&mut self, point: &EntryPoint) {
        self.field(0, "target", &point.value);
        match &point.outcome {
            EntryPointOutcome::Callable => self.field(0, "loads", CALLABLE),
            EntryPointOutcome::NotCallable { type_name } => self.field(
                0,
                "loads",
                &format!("{}{type_name}{}", NOT_CALLABLE.0, NOT_CALLABLE.1),
            ),
            EntryPointOutcome::Raised { exception } => self.exception(0, "raised", exception),
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
    use crate::base::normalize::{Context, Filters};
    use crate::snapshot::fixtures::{probe, tests};
    use crate::snapshot::render;

    #[test]
    fn renders_sections_fields_and_chains() {
        assert_eq!(
            render(&probe(), Some(&tests()), &Filters::new(&Context::default())),
            "package: my_ext
style: greet
import_error: none
gil_after_import: enabled
all: Message, LIMIT
doc: Greetings, from Rust.

## api Message
kind: class
qualname: my_ext.Message
bases: my_ext.Base
mro: my_ext.Base > builtins.str
signature: (text)
doc: |
  A message.

  With two paragraphs.
member RED:
  kind: enum member
  qualname: my_ext.Message.RED
  value: 1
member greet:
  kind: function
  qualname: my_ext.Message.greet
  signature: (name: str) -> str

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

## wheel
interpreters: abi3, CPython 3.11 and later
platform: manylinux_2_17_x86_64

## entry-point console_scripts:greet
target: my_ext.cli:main
loads: a callable

## entry-point console_scripts:limit
target: my_ext:LIMIT
loads: not a callable (builtins.tuple)

## entry-point my_ext.plugins:gone
target: my_ext.gone:plugin
raised: builtins.ModuleNotFoundError
  mro: builtins.ModuleNotFoundError > builtins.ImportError
  is_exception: true
  message: No module named 'my_ext.gone'

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
        result.doc = None;
        result.wheel = None;
        result.entry_points.clear();
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
        result.api[0].members[1].qualname = "greet.api.Message.greet".into();
        result.scenarios.truncate(1);
        let filters = Filters::new(&Context {
            package: Some("greet".into()),
            project_name: Some("greet".into()),
            ..Context::default()
        });
        let text = render(&result, None, &filters);
        // The header keeps the import name itself: a record shows a rename.
        assert!(text.starts_with("package: greet\nstyle: greet\n"), "{text}");
        assert!(text.contains("qualname: [PKG].api.Message\n"), "{text}");
        assert!(text.contains("member greet:\n"), "{text}");
        assert!(
            text.contains("qualname: [PKG].api.Message.greet\n"),
            "{text}"
        );
        assert!(text.contains("## scenario greet.static_greet\n"), "{text}");
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

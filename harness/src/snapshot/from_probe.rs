//! The probe's result as a [`Behaviour`]: what the project produced, with the filters of
//! [`crate::base::normalize`] applied, each text kept as the behaviour text keeps it.

use crate::base::normalize::Filters;
use crate::stages::probe::{
    ApiItem, EntryPoint, EntryPointOutcome, ExceptionInfo, Outcome, ProbeResult, StubCheck,
    StubDisagreement,
};
use crate::stages::pytest::{TestCase, TestReport};

use super::{Behaviour, Gil, Scenario, Wheel};

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
            // The import name as it is: a record of a project keeps it, so that a rename
            // shows (the pipeline writes `[PKG]` for a behaviour that stands for any project).
            package: canonical(&probe.package),
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
            doc: probe.doc.as_deref().map(produced),
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
            // Tags are the packaging standard's words, not the project's: written as they are.
            wheel: probe
                .wheel
                .as_ref()
                .and_then(|wheel| Wheel::from_tags(&wheel.tags)),
            entry_points: probe
                .entry_points
                .iter()
                .map(|point| entry_point(point, &produced))
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
        mro: item.mro.iter().map(|base| produced(base)).collect(),
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

fn entry_point(point: &EntryPoint, produced: &impl Fn(&str) -> String) -> EntryPoint {
    EntryPoint {
        // Group and name are the distribution's keys, written as they are (like API names).
        group: canonical(&point.group),
        name: canonical(&point.name),
        value: produced(&point.value),
        outcome: match &point.outcome {
            EntryPointOutcome::Callable => EntryPointOutcome::Callable,
            EntryPointOutcome::NotCallable { type_name } => EntryPointOutcome::NotCallable {
                type_name: produced(type_name),
            },
            EntryPointOutcome::Raised { exception: raised } => EntryPointOutcome::Raised {
                exception: exception(raised, produced),
            },
        },
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! The engine's entry: which section of two behaviours differs how.

use crate::snapshot::{Behaviour, Scenario, TESTS_SECTION, WHEEL_SECTION, entry_point_name};
use crate::stages::probe::{ApiItem, StubCheck};

fn run(scenario: &Scenario) -> Run<'_> {
    Run {
        behaviour: &scenario.behaviour,
        outcome: &scenario.outcome,
    }
}

use super::api::{self, Header};
use super::distribution;
use super::outcomes::{self, Run};
use super::{Finding, Findings, rules};

/// Classifies how the section `key` (a heading without `## `; empty for the header) changed
/// from `expected` (the recorded side) to `actual` (the project). Never returns nothing for a
/// section that differs: what no rule describes is a breaking `section-changed`.
pub fn classify_section(key: &str, expected: &Behaviour, actual: &Behaviour) -> Vec<Finding> {
    let section = if key.is_empty() { "header" } else { key };
    let mut out = Findings::new(section);
    let (kind, name) = key.split_once(' ').unwrap_or((key, ""));
    match kind {
        "" => api::header(&mut out, header(expected), header(actual)),
        "api" => {
            let find = |api: &[ApiItem]| api.iter().position(|item| item.name == name);
            let (old, new) = (find(&expected.api), find(&actual.api));
            match (
                old.map(|at| &expected.api[at]),
                new.map(|at| &actual.api[at]),
            ) {
                (Some(old), Some(new)) => api::item(&mut out, name, old, new),
                (Some(_), None) => out.push(rules::NAME_REMOVED, name, ""),
                (None, Some(_)) => out.push(rules::NAME_ADDED, name, ""),
                (None, None) => {}
            }
        }
        "stub" => {
            let find = |stubs: &[StubCheck]| stubs.iter().position(|stub| stub.module == name);
            let (old, new) = (find(&expected.stubs), find(&actual.stubs));
            match (
                old.map(|at| &expected.stubs[at]),
                new.map(|at| &actual.stubs[at]),
            ) {
                (Some(old), Some(new)) => api::stub(&mut out, name, old, new),
                (Some(_), None) => out.push(rules::STUB_REMOVED, name, ""),
                (None, Some(_)) => out.push(rules::STUB_ADDED, name, ""),
                (None, None) => {}
            }
        }
        "scenario" => match (expected.scenario(name), actual.scenario(name)) {
            (Some(old), Some(new)) => outcomes::scenario(&mut out, name, run(old), run(new)),
            (Some(_), None) => out.push(rules::SCENARIO_REMOVED, name, ""),
            (None, Some(_)) => out.push(rules::SCENARIO_ADDED, name, ""),
            (None, None) => {}
        },
        WHEEL_SECTION => {
            distribution::wheel(&mut out, expected.wheel.as_ref(), actual.wheel.as_ref());
        }
        "entry-point" => {
            let find = |behaviour: &'_ Behaviour| {
                behaviour
                    .entry_points
                    .iter()
                    .position(|point| entry_point_name(point) == name)
            };
            let old = find(expected).map(|at| &expected.entry_points[at]);
            let new = find(actual).map(|at| &actual.entry_points[at]);
            distribution::entry_point(&mut out, name, old, new);
        }
        TESTS_SECTION => {
            let cases = |behaviour: &'_ Behaviour| behaviour.tests.clone().unwrap_or_default();
            outcomes::tests(&mut out, &cases(expected), &cases(actual));
        }
        _ => {}
    }
    if out.found.is_empty() {
        // The two differ only in ways no rule looks at.
        out.push(rules::SECTION_CHANGED, section, "see the diff");
    }
    out.found
}

fn header(behaviour: &Behaviour) -> Header<'_> {
    Header {
        package: &behaviour.package,
        import_error: behaviour.import_error.as_ref(),
        all: behaviour.all.as_deref(),
        doc: behaviour.doc.as_deref(),
    }
}

/// For texts that cannot be read back into a [`Behaviour`] (written by hand, or by an older
/// harness): every differing section is breaking, since nothing in it can be read.
pub fn unreadable(section: &str, reason: &str) -> Finding {
    Finding::new(
        rules::SECTION_CHANGED,
        section,
        section,
        &format!("the text cannot be read ({reason})"),
    )
}

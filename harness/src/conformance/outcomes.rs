//! The engine for what the project did: a scenario's outcome, and the project's test outcomes.

use crate::stages::probe::{ExceptionInfo, Outcome};
use crate::stages::pytest::{Outcome as TestOutcome, TestCase};

use super::Findings;
use super::rules;

/// A scenario as both sides recorded it: the harness's sentence for it and what it did.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub behaviour: &'a str,
    pub outcome: &'a Outcome,
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

pub fn scenario(out: &mut Findings<'_>, id: &str, old: Run<'_>, new: Run<'_>) {
    match (old.outcome, new.outcome) {
        (before, after) if before == after => {}
        (Outcome::Returned { repr: before }, Outcome::Returned { repr: after }) => out.push(
            rules::SCENARIO_RETURN_CHANGED,
            id,
            &format!("{} → {}", first_line(before), first_line(after)),
        ),
        (Outcome::Returned { .. }, Outcome::Raised { exception }) => out.push(
            rules::SCENARIO_NOW_RAISES,
            id,
            &format!(
                "{}: {}",
                exception.type_name,
                first_line(&exception.message)
            ),
        ),
        (Outcome::Raised { exception }, Outcome::Returned { repr }) => out.push(
            rules::SCENARIO_NO_LONGER_RAISES,
            id,
            &format!(
                "it returned {} instead of raising {}",
                first_line(repr),
                exception.type_name
            ),
        ),
        (Outcome::Raised { exception: before }, Outcome::Raised { exception: after }) => {
            if before.type_name != after.type_name {
                out.push(
                    rules::SCENARIO_EXCEPTION_CHANGED,
                    id,
                    &format!("{} → {}", before.type_name, after.type_name),
                );
            } else {
                out.push(
                    rules::SCENARIO_EXCEPTION_DETAILS_CHANGED,
                    id,
                    &exception_details(before, after),
                );
            }
        }
    }
    if old.behaviour != new.behaviour {
        out.push(rules::SCENARIO_BEHAVIOUR_REWORDED, id, "");
    }
}

/// Which parts of two exceptions of the same type differ, the message shown in full.
fn exception_details(before: &ExceptionInfo, after: &ExceptionInfo) -> String {
    if before.message != after.message {
        return format!("message {:?} → {:?}", before.message, after.message);
    }
    let mut parts = Vec::new();
    if before.mro != after.mro {
        parts.push("mro");
    }
    if before.is_exception != after.is_exception {
        parts.push("is_exception");
    }
    if before.notes != after.notes {
        parts.push("notes");
    }
    if before.cause != after.cause {
        parts.push("cause");
    }
    if before.context != after.context {
        parts.push("context");
    }
    format!("{} differs", parts.join(", "))
}

/// True for pytest's report of a test module that could not be collected (it raised while
/// being imported): an error named after the module, not after a test.
fn is_module_error(case: &TestCase) -> bool {
    case.outcome == TestOutcome::Error && !case.name.contains("::")
}

/// True when `test` (`tests.test_a::test_x`, `tests.test_a.TestA::test_x`) is in `module`.
fn in_module(test: &str, module: &str) -> bool {
    test.strip_prefix(module)
        .is_some_and(|rest| rest.starts_with("::") || rest.starts_with('.'))
}

/// The exception of a module that did not import, from pytest's message.
fn import_error(case: &TestCase) -> Option<&str> {
    let message = first_line(case.message.as_deref()?);
    let message = message
        .strip_prefix("collection failure: ")
        .unwrap_or(message);
    (!message.is_empty()).then_some(message)
}

pub fn tests(out: &mut Findings<'_>, old: &[TestCase], new: &[TestCase]) {
    let failing =
        |outcome: TestOutcome| matches!(outcome, TestOutcome::Failed | TestOutcome::Error);
    let known = |cases: &[TestCase], name: &str| cases.iter().any(|case| case.name == name);
    // A module that stopped importing is one difference, not one per test it held: its
    // recorded tests are told with it. One that imports again likewise.
    let broken: Vec<&TestCase> = new
        .iter()
        .filter(|case| is_module_error(case) && !known(old, &case.name))
        .collect();
    let mended: Vec<&TestCase> = old
        .iter()
        .filter(|case| is_module_error(case) && !known(new, &case.name))
        .collect();
    let in_any = |modules: &[&TestCase], test: &str| {
        modules.iter().any(|module| in_module(test, &module.name))
    };
    for case in old {
        match new.iter().find(|other| other.name == case.name) {
            None if in_any(&broken, &case.name) => {}
            None if mended.iter().any(|module| module.name == case.name) => {
                let ran: Vec<&TestCase> = new
                    .iter()
                    .filter(|test| in_module(&test.name, &case.name))
                    .collect();
                let passed = ran.iter().filter(|test| !failing(test.outcome)).count();
                let detail = format!(
                    "imports now: {} tests ran, {passed} of them without failing",
                    ran.len()
                );
                out.push(rules::TEST_OUTCOME_CHANGED, &case.name, &detail);
            }
            None => out.push(rules::TEST_REMOVED, &case.name, ""),
            Some(now) if now.outcome == case.outcome => {}
            Some(now) => {
                // Only a test that stopped working is breaking; passed → skipped is not.
                let rule = if failing(now.outcome) && !failing(case.outcome) {
                    rules::TEST_NOW_FAILS
                } else {
                    rules::TEST_OUTCOME_CHANGED
                };
                let detail = format!(
                    "was {}, is {} now",
                    case.outcome.as_str(),
                    now.outcome.as_str()
                );
                out.push(rule, &case.name, &detail);
            }
        }
    }
    for case in new {
        if known(old, &case.name) {
            continue;
        }
        if broken.iter().any(|module| module.name == case.name) {
            let lost = old
                .iter()
                .filter(|test| in_module(&test.name, &case.name) && !known(new, &test.name))
                .count();
            let why = import_error(case).map_or_else(String::new, |error| format!(" ({error})"));
            let detail = if lost == 0 {
                format!("is new and does not import{why}")
            } else {
                format!("no longer imports{why}: its {lost} recorded tests did not run")
            };
            out.push(rules::TEST_NOW_FAILS, &case.name, &detail);
        } else if failing(case.outcome) {
            // A new test that fails is a failure, not an addition.
            let detail = if case.outcome == TestOutcome::Error {
                "is new and errors"
            } else {
                "is new and fails"
            };
            out.push(rules::TEST_NOW_FAILS, &case.name, detail);
        } else if !in_any(&mended, &case.name) {
            out.push(rules::TEST_ADDED, &case.name, case.outcome.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::Impact;

    fn found(compare: impl FnOnce(&mut Findings<'_>)) -> Vec<crate::conformance::Finding> {
        let mut out = Findings::new("scenario x");
        compare(&mut out);
        out.found
    }

    fn raised(type_name: &str, message: &str) -> Outcome {
        Outcome::Raised {
            exception: ExceptionInfo {
                type_name: type_name.into(),
                mro: vec![type_name.into()],
                is_exception: true,
                message: message.into(),
                notes: vec![],
                cause: None,
                context: None,
            },
        }
    }

    fn returned(repr: &str) -> Outcome {
        Outcome::Returned { repr: repr.into() }
    }

    #[test]
    fn every_changed_outcome_is_breaking() {
        let cases = [
            (
                returned("'Hello'"),
                returned("'Hi'"),
                "scenario-return-changed",
            ),
            (
                returned("'Hello'"),
                raised("builtins.ValueError", "x"),
                "scenario-now-raises",
            ),
            (
                raised("builtins.ValueError", "x"),
                returned("'x'"),
                "scenario-no-longer-raises",
            ),
            (
                raised("builtins.ValueError", "x"),
                raised("builtins.TypeError", "x"),
                "scenario-exception-changed",
            ),
            (
                raised("builtins.ValueError", "x"),
                raised("builtins.ValueError", "y"),
                "scenario-exception-details-changed",
            ),
        ];
        for (before, after, rule) in &cases {
            let run = |outcome| Run {
                behaviour: "greets",
                outcome,
            };
            let findings = found(|out| scenario(out, "greet.x", run(before), run(after)));
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].rule.id, *rule);
            assert_eq!(findings[0].impact, Impact::Breaking);
        }
        let details = found(|out| {
            scenario(
                out,
                "greet.x",
                Run {
                    behaviour: "a",
                    outcome: &raised("builtins.ValueError", "x"),
                },
                Run {
                    behaviour: "b",
                    outcome: &raised("builtins.ValueError", "y"),
                },
            );
        });
        assert_eq!(
            details[0].explanation,
            "`greet.x` raises the same type with other details: message \"x\" → \"y\""
        );
        assert_eq!(details[1].rule.id, "scenario-behaviour-reworded");
        assert_eq!(details[1].impact, Impact::Compatible);
    }

    #[test]
    fn tests_added_removed_and_failing() {
        let case = |name: &str, outcome| TestCase {
            name: name.into(),
            outcome,
            message: None,
        };
        let before = [
            case("tests.t::a", TestOutcome::Passed),
            case("tests.t::b", TestOutcome::Passed),
            case("tests.t::s", TestOutcome::Failed),
        ];
        let after = [
            case("tests.t::a", TestOutcome::Failed),
            case("tests.t::s", TestOutcome::Passed),
            case("tests.t::c", TestOutcome::Passed),
            case("tests.u", TestOutcome::Error),
        ];
        let findings: Vec<(&str, Impact, String)> = found(|out| tests(out, &before, &after))
            .into_iter()
            .map(|f| (f.rule.id, f.impact, f.explanation))
            .collect();
        assert_eq!(
            findings,
            [
                (
                    "test-now-fails",
                    Impact::Breaking,
                    "test `tests.t::a` was passed, is failed now".to_owned()
                ),
                (
                    "test-removed",
                    Impact::Compatible,
                    "test `tests.t::b` is gone".to_owned()
                ),
                (
                    "test-outcome-changed",
                    Impact::Compatible,
                    "test `tests.t::s` was failed, is passed now".to_owned()
                ),
                (
                    "test-added",
                    Impact::Compatible,
                    "test `tests.t::c` is new (passed)".to_owned()
                ),
                (
                    "test-now-fails",
                    Impact::Breaking,
                    "test `tests.u` is new and does not import".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_module_that_no_longer_imports_is_one_difference() {
        let case = |name: &str, outcome, message: Option<&str>| TestCase {
            name: name.into(),
            outcome,
            message: message.map(str::to_owned),
        };
        let recorded: Vec<TestCase> = (0..30)
            .map(|n| {
                case(
                    &format!("tests.test_props::test_{n}"),
                    TestOutcome::Passed,
                    None,
                )
            })
            .chain([
                case(
                    "tests.test_props.TestClass::test_m",
                    TestOutcome::Passed,
                    None,
                ),
                case("tests.test_props_more::test_x", TestOutcome::Passed, None),
            ])
            .collect();
        let broken = vec![
            case(
                "tests.test_props",
                TestOutcome::Error,
                Some("collection failure: ModuleNotFoundError: No module named 'hypothesis'"),
            ),
            case("tests.test_props_more::test_x", TestOutcome::Passed, None),
        ];
        let summary = |findings: Vec<crate::conformance::Finding>| -> Vec<(&str, String)> {
            findings
                .into_iter()
                .map(|f| (f.rule.id, f.explanation))
                .collect()
        };
        assert_eq!(
            summary(found(|out| tests(out, &recorded, &broken))),
            [(
                "test-now-fails",
                "test `tests.test_props` no longer imports (ModuleNotFoundError: No module \
                 named 'hypothesis'): its 31 recorded tests did not run"
                    .to_owned()
            )]
        );
        // Mended again: one compatible difference; a test of it that fails is still told.
        let mut mended = recorded.clone();
        mended[3].outcome = TestOutcome::Failed;
        assert_eq!(
            summary(found(|out| tests(out, &broken, &mended))),
            [
                (
                    "test-outcome-changed",
                    "test `tests.test_props` imports now: 31 tests ran, 30 of them without \
                     failing"
                        .to_owned()
                ),
                (
                    "test-now-fails",
                    "test `tests.test_props::test_3` is new and fails".to_owned()
                ),
            ]
        );
    }
}

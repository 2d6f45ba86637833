//! The engine for what the installed distribution promises besides its API: which interpreters
//! and machines its wheel serves, and the entry points (`[project.scripts]` and the like) it
//! installs.

use crate::snapshot::wheel::Platform;
use crate::snapshot::{Interpreters, Wheel};
use crate::stages::probe::{EntryPoint, EntryPointOutcome};

use super::Findings;
use super::rules;

/// The subject of every wheel finding.
pub const WHEEL: &str = "wheel";

pub fn wheel(out: &mut Findings<'_>, old: Option<&Wheel>, new: Option<&Wheel>) {
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (Some(_), None) => return out.push(rules::WHEEL_UNREAD, WHEEL, "cannot be read now"),
        (None, Some(_)) => {
            return out.push(rules::WHEEL_UNREAD, WHEEL, "were not read for the record");
        }
        (None, None) => return,
    };
    let (old_platform, new_platform) = (
        Platform::parse(&old.platform),
        Platform::parse(&new.platform),
    );
    let shown = |wheel: &Wheel| format!("{} on {}", wheel.interpreters, wheel.platform);
    // A record made on Linux and checked on macOS, or on a free-threaded CPython (which has no
    // abi3): the two wheels say which machine built them, not what the project changed.
    let elsewhere = !old_platform.same_machine_as(&new_platform)
        || [&old.interpreters, &new.interpreters]
            .iter()
            .any(|interpreters| {
                matches!(
                    interpreters,
                    Interpreters::OneVersion {
                        free_threaded: true
                    }
                )
            });
    if elsewhere {
        let detail = format!("{} then, {} now", shown(old), shown(new));
        return out.push(rules::WHEEL_BUILT_ELSEWHERE, WHEEL, &detail);
    }
    interpreters(out, &old.interpreters, &new.interpreters);
    if old.platform != new.platform {
        let detail = format!("`{}` now, was `{}`", new.platform, old.platform);
        let rule = if new_platform.serves_all_of(&old_platform) {
            rules::WHEEL_PLATFORM_WIDENED
        } else {
            rules::WHEEL_PLATFORM_NARROWED
        };
        out.push(rule, WHEEL, &detail);
    }
}

fn interpreters(out: &mut Findings<'_>, old: &Interpreters, new: &Interpreters) {
    if old == new {
        return;
    }
    let version = |(major, minor): (u32, u32)| format!("{major}.{minor}");
    match (old, new) {
        (Interpreters::Abi3 { floor: before }, Interpreters::Abi3 { floor: after }) => {
            let detail = format!(
                "CPython {} and later now, was {}",
                version(*after),
                version(*before)
            );
            let rule = if after > before {
                rules::WHEEL_ABI3_FLOOR_RAISED
            } else {
                rules::WHEEL_ABI3_FLOOR_LOWERED
            };
            out.push(rule, WHEEL, &detail);
        }
        (Interpreters::Abi3 { floor }, Interpreters::OneVersion { .. }) => out.push(
            rules::WHEEL_ABI3_DROPPED,
            WHEEL,
            &format!(
                "one CPython version now (its tags name the version it was built for), not every \
                 CPython from {} on (abi3)",
                version(*floor)
            ),
        ),
        (Interpreters::OneVersion { .. }, Interpreters::Abi3 { floor }) => out.push(
            rules::WHEEL_ABI3_ADOPTED,
            WHEEL,
            &format!(
                "every CPython from {} on now (abi3), not one version",
                version(*floor)
            ),
        ),
        (before, after) => out.push(
            rules::WHEEL_INTERPRETERS_CHANGED,
            WHEEL,
            &format!("{after} now, was {before}"),
        ),
    }
}

fn loads(outcome: &EntryPointOutcome) -> String {
    match outcome {
        EntryPointOutcome::Callable => "a callable".to_owned(),
        EntryPointOutcome::NotCallable { type_name } => format!("a {type_name}, not a callable"),
        EntryPointOutcome::Raised { exception } => {
            let message = exception.message.lines().next().unwrap_or_default();
            format!("loading it raises {}: {message}", exception.type_name)
        }
    }
}

/// One entry point (`name` is `group:name`) on both sides, or on one only.
pub fn entry_point(
    out: &mut Findings<'_>,
    name: &str,
    old: Option<&EntryPoint>,
    new: Option<&EntryPoint>,
) {
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (Some(_), None) => return out.push(rules::ENTRY_POINT_REMOVED, name, ""),
        (None, Some(new)) => {
            return out.push(rules::ENTRY_POINT_ADDED, name, &format!("`{}`", new.value));
        }
        (None, None) => return,
    };
    let callable = |point: &EntryPoint| point.outcome == EntryPointOutcome::Callable;
    match (callable(old), callable(new)) {
        (true, false) => {
            let detail = format!("`{}`: {}", new.value, loads(&new.outcome));
            out.push(rules::ENTRY_POINT_BROKEN, name, &detail);
        }
        (false, true) => {
            let detail = format!("`{}` (it gave {})", new.value, loads(&old.outcome));
            out.push(rules::ENTRY_POINT_FIXED, name, &detail);
        }
        (true, true) if old.value != new.value => {
            let detail = format!("`{}` now, was `{}`", new.value, old.value);
            out.push(rules::ENTRY_POINT_RETARGETED, name, &detail);
        }
        // Broken before and after, another way: rare enough that `section-changed` (and its
        // diff) says it.
        _ => {}
    }
}

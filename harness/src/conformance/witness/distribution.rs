//! Witnesses of what the distribution installs: a wheel for fewer interpreters or machines, an
//! entry point that is gone or no longer loads.

use crate::snapshot::{Interpreters, entry_point_name};
use crate::stages::probe::EntryPointOutcome;

use super::super::rules;
use super::{Sides, Witness, bare};

pub(super) fn wheel(sides: &Sides<'_>, rule: &rules::Rule) -> Option<Witness> {
    let old = sides.expected.wheel.as_ref()?;
    let somewhere = if rule == rules::WHEEL_ABI3_DROPPED {
        "a CPython version other than the one the new wheel was built for".to_owned()
    } else if rule == rules::WHEEL_ABI3_FLOOR_RAISED {
        let Interpreters::Abi3 {
            floor: (major, minor),
        } = old.interpreters
        else {
            return None;
        };
        format!("CPython {major}.{minor}")
    } else if rule == rules::WHEEL_PLATFORM_NARROWED {
        format!("a machine that meets `{}` only", old.platform)
    } else {
        format!(
            "an interpreter the recorded wheel served ({})",
            old.interpreters
        )
    };
    let code = format!(
        "# pip install {} on {somewhere}:\n\
         # no wheel matches now, so pip builds from source (which needs Rust) or fails",
        sides.package
    );
    Some(Witness::derived(code, None))
}

pub(super) fn entry_point(sides: &Sides<'_>, rule: &rules::Rule, name: &str) -> Option<Witness> {
    let (group, point) = name.split_once(':')?;
    if rule == rules::ENTRY_POINT_REMOVED {
        let code = format!(
            "from importlib.metadata import entry_points\n\
             entry_points(group={group:?})[{point:?}]"
        );
        return Some(Witness::runs(code, "KeyError"));
    }
    let new = sides
        .actual
        .entry_points
        .iter()
        .find(|p| entry_point_name(p) == name)?;
    // What the installed command does first: load its entry point, as the distribution
    // declares it now (its target may have moved, or its function gone).
    let load = format!(
        "from importlib.metadata import entry_points\n\
         entry_points(group={group:?})[{point:?}].load()"
    );
    Some(match &new.outcome {
        EntryPointOutcome::Raised { exception } => Witness::runs(load, bare(&exception.type_name)),
        _ => Witness::runs(
            format!(
                "from importlib.metadata import entry_points\n\
                 assert callable(entry_points(group={group:?})[{point:?}].load())"
            ),
            "AssertionError",
        ),
    })
}

//! The break as code: for a breaking finding, a few lines of Python that worked with the
//! recorded behaviour and fail now (`from my_ext import get_answer` → `ImportError`), the way
//! cargo-semver-checks shows a witness for a Rust API.
//!
//! A witness is derived from the two behaviours. Where it can run (an import, an attribute, an
//! `issubclass`, a call bound to the new signature with `inspect`) it carries a `check`, which
//! the probe runs against the new build: the witness is then *confirmed* when that raised what
//! the witness says, *unconfirmed* when it did not. A scenario's witness is its own code, which
//! the probe ran on this build. Others (a changed default, a wheel's tags) are *derived*: said,
//! not run.

use serde::Serialize;

use crate::snapshot::Behaviour;
use crate::stages::probe::{ApiItem, Outcome, WitnessRun};

use super::Finding;
use super::rules::{self, Impact};
use super::signature;

mod api;
mod distribution;

use api::{import_class, reach};

/// Whether a witness was seen to fail on this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Run against this build, it raised what the witness says (or the scenario it is ran).
    Confirmed,
    /// Run against this build, it did not raise what the witness says.
    Unconfirmed,
    /// Derived from the two behaviours, not run.
    Derived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Witness {
    /// The lines a user would have written, with the project's import name.
    pub code: String,
    /// What it raises now (a class name, `ImportError`); `None` when it behaves differently
    /// without raising.
    pub raises: Option<String>,
    pub status: Status,
    /// How it was confirmed, or what it did instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The code the probe runs to confirm it, when it can run.
    #[serde(skip)]
    pub check: Option<String>,
}

impl Witness {
    pub(super) fn runs(code: String, raises: &str) -> Witness {
        Witness {
            check: Some(code.clone()),
            code,
            raises: Some(raises.to_owned()),
            status: Status::Derived,
            note: None,
        }
    }

    pub(super) fn derived(code: String, raises: Option<&str>) -> Witness {
        Witness {
            code,
            raises: raises.map(str::to_owned),
            status: Status::Derived,
            note: None,
            check: None,
        }
    }

    /// Settles the status from what its check did on the build.
    pub fn settle(&mut self, run: &WitnessRun) {
        let expected = self.raises.as_deref().unwrap_or_default();
        match &run.raised {
            Some(classes) if classes.iter().any(|class| class == expected) => {
                self.status = Status::Confirmed;
            }
            Some(classes) => {
                self.status = Status::Unconfirmed;
                let first = classes.first().map_or("", String::as_str);
                let message = run.message.as_deref().unwrap_or_default();
                self.note = Some(format!("it raised {first} instead: {message}"));
            }
            None => {
                self.status = Status::Unconfirmed;
                self.note = Some("it ran through on this build".to_owned());
            }
        }
    }

    /// `confirmed on this build, raises ImportError`, for the text report.
    pub fn heading(&self) -> String {
        let raises = self.raises.as_deref();
        match (self.status, raises) {
            (Status::Confirmed, Some(raises)) => {
                format!("confirmed on this build, raises {raises}")
            }
            (Status::Confirmed, None) => "confirmed on this build".to_owned(),
            (Status::Derived, Some(raises)) => format!("derived (not run), raises {raises}"),
            (Status::Derived, None) => "derived (not run)".to_owned(),
            (Status::Unconfirmed, _) => format!(
                "not confirmed on this build ({}), expected to raise {}",
                self.note.as_deref().unwrap_or("it did not fail"),
                raises.unwrap_or("an exception")
            ),
        }
    }
}

/// What a witness is derived from: both behaviours, the project's import name, and the code of
/// the project's scenarios as the probe read it.
pub struct Sides<'a> {
    pub expected: &'a Behaviour,
    pub actual: &'a Behaviour,
    /// The import name on this side (the behaviours write `[PKG]` for it).
    pub package: &'a str,
    pub scenario_code: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for Sides<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sides")
            .field("package", &self.package)
            .finish_non_exhaustive()
    }
}

impl Sides<'_> {
    pub(super) fn named(&self, text: &str) -> String {
        text.replace("[PKG]", self.package)
    }
}

/// The bare class name of a qualified one: `builtins.ImportError` → `ImportError`.
pub(super) fn bare(qualname: &str) -> &str {
    qualname.rsplit('.').next().unwrap_or(qualname)
}

/// The witness of a breaking finding, when one can be written.
pub fn derive(finding: &Finding, sides: &Sides<'_>) -> Option<Witness> {
    if finding.impact != Impact::Breaking {
        return None;
    }
    let rule = finding.rule;
    let (subject, detail) = (finding.subject.as_str(), finding.detail.as_str());
    let package = sides.package;
    if rule == rules::PACKAGE_RENAMED {
        let old = &sides.expected.package;
        return (old != "[PKG]").then(|| Witness::runs(format!("import {old}"), "ImportError"));
    }
    if rule == rules::IMPORT_FAILED {
        let error = sides.actual.import_error.as_ref()?;
        return Some(Witness::runs(
            format!("import {package}"),
            bare(&error.type_name),
        ));
    }
    if rule == rules::ALL_NAME_REMOVED {
        // Asked of the namespace, not used by name: a name like `compile` would fall back on
        // the builtin, and run through.
        let code = format!("from {package} import *\nassert {subject:?} in dir()");
        return Some(Witness::runs(code, "AssertionError"));
    }
    if rule == rules::NAME_REMOVED {
        let reach = reach(sides, sides.expected, subject)?;
        return Some(match reach.owner {
            Some(_) => Witness::runs(
                format!("{}\n{}", reach.import, reach.expression),
                "AttributeError",
            ),
            None => Witness::runs(reach.import, "ImportError"),
        });
    }
    if rule == rules::KIND_CHANGED {
        return api::kind_changed(sides, subject);
    }
    if rule == rules::BASE_REMOVED {
        let reach = reach(sides, sides.expected, subject)?;
        let (import, base) = import_class(sides, detail);
        let lines: Vec<String> = [Some(reach.import), import].into_iter().flatten().collect();
        let code = format!(
            "{}\nassert issubclass({}, {base})",
            lines.join("\n"),
            reach.expression
        );
        return Some(Witness::runs(code, "AssertionError"));
    }
    if rule == rules::VALUE_CHANGED {
        return api::value_changed(sides, subject);
    }
    if rule.id.starts_with("parameter-") {
        return api::parameter_call(sides, finding);
    }
    if rule == rules::RETURN_TYPE_CHANGED {
        let returns = |item: &ApiItem| signature::parse(item.signature.as_deref()?)?.returns;
        let now = returns(&reach(sides, sides.actual, subject)?.item)?;
        let then = reach(sides, sides.expected, subject)?;
        let old = returns(&then.item)?;
        let code = format!(
            "{}\nresult: {} = {}(...)  # it returns {} now: type checkers reject this",
            then.import,
            old.trim_matches('\''),
            then.expression,
            now.trim_matches('\'')
        );
        return Some(Witness::derived(code, None));
    }
    if rule == rules::STUB_DRIFT_ADDED || rule == rules::STUB_EXTRA_NAME {
        return api::stub(sides, finding);
    }
    if rule == rules::STUB_REMOVED || rule == rules::STUB_UNREADABLE {
        let module = sides.named(subject);
        let what = if rule == rules::STUB_REMOVED {
            "finds no stub for it now: its names are untyped"
        } else {
            "reports the stub's error now"
        };
        return Some(Witness::derived(
            format!("import {module}  # a type checker {what}"),
            None,
        ));
    }
    if rule.id.starts_with("scenario-") {
        return scenario(sides, subject);
    }
    if rule == rules::ENTRY_POINT_REMOVED || rule == rules::ENTRY_POINT_BROKEN {
        return distribution::entry_point(sides, rule, subject);
    }
    if rule.id.starts_with("wheel-") {
        return distribution::wheel(sides, rule);
    }
    if rule == rules::TEST_NOW_FAILS {
        let (module, name) = subject.split_once("::").unwrap_or((subject, ""));
        let path = format!("{}.py", module.replace('.', "/"));
        let target = if name.is_empty() {
            path
        } else {
            format!("{path}::{name}")
        };
        return Some(Witness::derived(
            format!("# the test itself: uv run pytest '{target}'"),
            None,
        ));
    }
    None
}

fn scenario(sides: &Sides<'_>, id: &str) -> Option<Witness> {
    let code = (sides.scenario_code)(id)?;
    let now = sides.actual.scenario(id)?;
    let (raises, comment) = match &now.outcome {
        Outcome::Raised { exception } => (Some(bare(&exception.type_name).to_owned()), None),
        Outcome::Returned { repr } => (
            None,
            Some(format!(
                "# returns {} now",
                repr.lines().next().unwrap_or_default()
            )),
        ),
    };
    Some(Witness {
        code: match comment {
            Some(comment) => format!("{code}  {comment}"),
            None => code,
        },
        raises,
        status: Status::Confirmed,
        note: Some("the scenario ran on this build".to_owned()),
        check: None,
    })
}

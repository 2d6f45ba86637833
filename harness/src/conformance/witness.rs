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

use crate::snapshot::{Behaviour, Interpreters, entry_point_name};
use crate::stages::probe::{ApiItem, EntryPointOutcome, Outcome, WitnessRun};

use super::Finding;
use super::calls::{self, Call};
use super::rules::{self, Impact};
use super::signature;

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
    fn runs(code: String, raises: &str) -> Witness {
        Witness {
            check: Some(code.clone()),
            code,
            raises: Some(raises.to_owned()),
            status: Status::Derived,
            note: None,
        }
    }

    fn derived(code: String, raises: Option<&str>) -> Witness {
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
    fn named(&self, text: &str) -> String {
        text.replace("[PKG]", self.package)
    }
}

/// The bare class name of a qualified one: `builtins.ImportError` → `ImportError`.
fn bare(qualname: &str) -> &str {
    qualname.rsplit('.').next().unwrap_or(qualname)
}

/// Where a subject (`scale`, `Message.greet`, `api.Message`) is, and how code reaches it.
struct Reach {
    /// `from my_ext import Message`.
    import: String,
    /// `Message.greet`.
    expression: String,
    /// The item, and the class it is a member of (if it is one).
    item: ApiItem,
    owner: Option<ApiItem>,
}

fn reach(sides: &Sides<'_>, behaviour: &Behaviour, subject: &str) -> Option<Reach> {
    let (top, member) = match subject.split_once('.') {
        Some((top, member)) => (top, Some(member)),
        None => (subject, None),
    };
    let parent = behaviour.api.iter().find(|item| item.name == top)?;
    let package = sides.package;
    let Some(member) = member else {
        return Some(Reach {
            import: format!("from {package} import {top}"),
            expression: top.to_owned(),
            item: parent.clone(),
            owner: None,
        });
    };
    let item = parent.members.iter().find(|item| item.name == member)?;
    if parent.kind == "module" {
        return Some(Reach {
            import: format!("from {} import {member}", sides.named(&parent.qualname)),
            expression: member.to_owned(),
            item: item.clone(),
            owner: None,
        });
    }
    Some(Reach {
        import: format!("from {package} import {top}"),
        expression: format!("{top}.{member}"),
        item: item.clone(),
        owner: Some(parent.clone()),
    })
}

/// The import of a class named by its qualified name, and the name to use for it.
fn import_class(sides: &Sides<'_>, qualname: &str) -> (Option<String>, String) {
    let qualname = sides.named(qualname);
    match qualname.rsplit_once('.') {
        Some(("builtins", name)) => (None, name.to_owned()),
        Some((module, name)) => (
            Some(format!("from {module} import {name}")),
            name.to_owned(),
        ),
        None => (None, qualname),
    }
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
        return kind_changed(sides, subject);
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
        return value_changed(sides, subject);
    }
    if rule.id.starts_with("parameter-") {
        return parameter_call(sides, finding);
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
        return stub(sides, finding);
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
        return entry_point(sides, rule, subject);
    }
    if rule.id.starts_with("wheel-") {
        return wheel(sides, rule);
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

fn wheel(sides: &Sides<'_>, rule: &rules::Rule) -> Option<Witness> {
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

fn kind_changed(sides: &Sides<'_>, subject: &str) -> Option<Witness> {
    let reach = reach(sides, sides.expected, subject)?;
    let x = &reach.expression;
    if reach.item.kind == "module" {
        let module = sides.named(&reach.item.qualname);
        return Some(Witness::runs(format!("import {module}"), "ImportError"));
    }
    let holds = match reach.item.kind.as_str() {
        "class" => format!("isinstance({x}, type)"),
        "exception" => format!("isinstance({x}, type) and issubclass({x}, BaseException)"),
        "function" => format!("callable({x}) and not isinstance({x}, type)"),
        "constant" => format!("not callable({x})"),
        "enum member" => {
            let owner = reach.owner.as_ref()?;
            format!("isinstance({x}, {})", owner.name)
        }
        _ => return None,
    };
    let code = format!("{}\nassert {holds}", reach.import);
    Some(Witness::runs(code, "AssertionError"))
}

fn value_changed(sides: &Sides<'_>, subject: &str) -> Option<Witness> {
    let reach = reach(sides, sides.expected, subject)?;
    let old = reach.item.value.as_deref()?;
    // A cut repr is no value to compare with.
    if old.ends_with(" characters)") || old.starts_with('<') {
        return None;
    }
    let x = &reach.expression;
    let now = match (&reach.owner, reach.item.kind.as_str()) {
        (Some(owner), "enum member") if owner.mro.iter().any(|base| base == "enum.Enum") => {
            format!("{x}.value")
        }
        (Some(_), "enum member") => format!("int({x})"),
        _ => x.clone(),
    };
    let code = format!("{}\nassert {now} == {old}", reach.import);
    Some(Witness::runs(code, "AssertionError"))
}

/// The lines that make a call of `target` (`Message.greet`, `scale`) and the check that binds
/// it to the new signature; `self` is left to `inspect` (the check drops it).
fn call_witness(import: &str, target: &str, old: &signature::Signature, call: &Call) -> Witness {
    let instance = old.params.first().is_some_and(|param| param.name == "self");
    let shown = match target.split_once('.') {
        Some((class, method)) if instance => {
            let object = class.to_lowercase();
            format!(
                "{object}: {class} = ...\n{object}.{method}({})",
                call.arguments
            )
        }
        _ => format!("{target}({})", call.arguments),
    };
    let placeholders: String = call
        .placeholders
        .iter()
        .map(|name| format!("{name} = ...\n"))
        .collect();
    let check = format!(
        "import inspect\n{import}\n{placeholders}signature = inspect.signature({target})\n\
         parameters = list(signature.parameters.values())\n\
         if parameters and parameters[0].name == 'self':\n    \
         signature = signature.replace(parameters=parameters[1:])\n\
         signature.bind({})",
        call.arguments
    );
    Witness {
        code: format!("{import}\n{shown}"),
        raises: Some("TypeError".to_owned()),
        status: Status::Derived,
        note: None,
        check: Some(check),
    }
}

fn parameter_call(sides: &Sides<'_>, finding: &Finding) -> Option<Witness> {
    let old_reach = reach(sides, sides.expected, &finding.subject)?;
    let new_reach = reach(sides, sides.actual, &finding.subject)?;
    let old = signature::parse(old_reach.item.signature.as_deref()?)?;
    let new = signature::parse(new_reach.item.signature.as_deref()?)?;
    let rule = finding.rule;
    if let Some(call) = calls::breaking_call(&old, &new, rule, &finding.detail) {
        return Some(call_witness(
            &old_reach.import,
            &old_reach.expression,
            &old,
            &call,
        ));
    }
    // Calls that still bind, to other effect.
    let call = calls::call(&old, "", calls::Pass::Omitted)?;
    let what = if rule == rules::PARAMETER_MOVED {
        format!("`{}` is passed to another parameter now", finding.detail)
    } else if rule == rules::PARAMETER_DEFAULT_CHANGED {
        format!("the default of {}", finding.detail)
    } else {
        return None;
    };
    let code = format!(
        "{}\n{}({})  # {what}",
        old_reach.import, old_reach.expression, call.arguments
    );
    Some(Witness::derived(code, None))
}

fn stub(sides: &Sides<'_>, finding: &Finding) -> Option<Witness> {
    let module = sides.named(&finding.subject);
    let stub = sides
        .actual
        .stubs
        .iter()
        .find(|stub| stub.module == finding.subject)?;
    let disagreement = stub
        .disagreements
        .iter()
        .find(|d| super::api::disagreement_line(d) == finding.detail)?;
    let name = &disagreement.name;
    let (top, _) = name.split_once('.').unwrap_or((name, ""));
    let import = format!("from {module} import {top}");
    if finding.rule == rules::STUB_EXTRA_NAME {
        return Some(if name.contains('.') {
            Witness::runs(format!("{import}\n{name}"), "AttributeError")
        } else {
            Witness::runs(import, "ImportError")
        });
    }
    // The stub as the old signature, the runtime as the new: a call the stub allows.
    let stub_signature = signature::parse(disagreement.stub.as_deref()?)?;
    let runtime = signature::parse(disagreement.runtime.as_deref()?)?;
    signature::compare(&stub_signature, &runtime)
        .iter()
        .filter(|(rule, _)| rule.impact == Impact::Breaking)
        .find_map(|(rule, detail)| calls::breaking_call(&stub_signature, &runtime, rule, detail))
        .map(|call| call_witness(&import, name, &stub_signature, &call))
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

fn entry_point(sides: &Sides<'_>, rule: &rules::Rule, name: &str) -> Option<Witness> {
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

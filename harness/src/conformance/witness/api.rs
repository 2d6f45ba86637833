//! Witnesses of breaking changes to the API: a name reached by an import or an attribute, a
//! lost base, a recorded value, a call bound to the new signature, a stub's promise.

use crate::snapshot::Behaviour;
use crate::stages::probe::ApiItem;

use super::super::Finding;
use super::super::calls::{self, Call};
use super::super::rules::{self, Impact};
use super::super::signature;
use super::{Sides, Status, Witness};

/// Where a subject (`scale`, `Message.greet`, `api.Message`) is, and how code reaches it.
pub(super) struct Reach {
    /// `from my_ext import Message`.
    pub(super) import: String,
    /// `Message.greet`.
    pub(super) expression: String,
    /// The item, and the class it is a member of (if it is one).
    pub(super) item: ApiItem,
    pub(super) owner: Option<ApiItem>,
}

pub(super) fn reach(sides: &Sides<'_>, behaviour: &Behaviour, subject: &str) -> Option<Reach> {
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
pub(super) fn import_class(sides: &Sides<'_>, qualname: &str) -> (Option<String>, String) {
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

pub(super) fn kind_changed(sides: &Sides<'_>, subject: &str) -> Option<Witness> {
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

pub(super) fn value_changed(sides: &Sides<'_>, subject: &str) -> Option<Witness> {
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

pub(super) fn parameter_call(sides: &Sides<'_>, finding: &Finding) -> Option<Witness> {
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

pub(super) fn stub(sides: &Sides<'_>, finding: &Finding) -> Option<Witness> {
    let module = sides.named(&finding.subject);
    let stub = sides
        .actual
        .stubs
        .iter()
        .find(|stub| stub.module == finding.subject)?;
    let disagreement = stub
        .disagreements
        .iter()
        .find(|d| super::super::api::disagreement_line(d) == finding.detail)?;
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

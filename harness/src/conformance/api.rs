//! The engine for the package's interface: the header (import, `__all__`), an API name with its
//! members, and a shipped stub.

use std::collections::BTreeSet;

use crate::stages::probe::{
    ApiItem, ExceptionInfo, StubCheck, StubDisagreement, StubDisagreementKind,
};

use super::Findings;
use super::rules;
use super::signature;

/// What the header of a behaviour says about the package.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    pub package: &'a str,
    pub import_error: Option<&'a ExceptionInfo>,
    pub all: Option<&'a [String]>,
    pub doc: Option<&'a str>,
}

pub fn header(out: &mut Findings<'_>, old: Header<'_>, new: Header<'_>) {
    if old.package != new.package {
        out.push(rules::PACKAGE_RENAMED, "package", new.package);
    }
    if old.doc != new.doc && new.import_error.is_none() && old.import_error.is_none() {
        out.push(rules::DOC_CHANGED, new.package, "");
    }
    match (old.import_error, new.import_error) {
        (None, Some(error)) => out.push(
            rules::IMPORT_FAILED,
            "import",
            &format!("{}: {}", error.type_name, error.message),
        ),
        (Some(error), None) => out.push(rules::IMPORT_FIXED, "import", &error.type_name),
        _ => {}
    }
    match (old.all, new.all) {
        (Some(before), Some(after)) => {
            let (before, after): (BTreeSet<&String>, BTreeSet<&String>) =
                (before.iter().collect(), after.iter().collect());
            for name in before.difference(&after) {
                out.push(rules::ALL_NAME_REMOVED, name, name);
            }
            for name in after.difference(&before) {
                out.push(rules::ALL_NAME_ADDED, name, name);
            }
        }
        (None, Some(_)) => out.push(rules::ALL_DECLARATION_CHANGED, "__all__", "declared"),
        // An import that fails says nothing about `__all__`; `import-failed` says enough.
        (Some(_), None) if new.import_error.is_none() => {
            out.push(rules::ALL_DECLARATION_CHANGED, "__all__", "gone");
        }
        _ => {}
    }
}

/// An API name, or a member of a class (`subject` is then `Fault.member`).
pub fn item(out: &mut Findings<'_>, subject: &str, old: &ApiItem, new: &ApiItem) {
    if old.kind != new.kind {
        let detail = format!("{} → {}", old.kind, new.kind);
        out.push(rules::KIND_CHANGED, subject, &detail);
        // Everything else follows from the new kind; listing it would only add noise.
        return;
    }
    if old.qualname != new.qualname {
        let detail = format!("{} → {}", old.qualname, new.qualname);
        out.push(rules::QUALNAME_CHANGED, subject, &detail);
    }
    bases(out, subject, old, new);
    if old.value != new.value {
        let shown = |value: &Option<String>| {
            value
                .clone()
                .unwrap_or_else(|| "(not a simple value)".to_owned())
        };
        if subject == "__version__" {
            // The package's version changes with every release; code does not rely on it.
            let detail = format!("{} now, was {}", shown(&new.value), shown(&old.value));
            out.push(rules::VERSION_CHANGED, subject, &detail);
        } else {
            let detail = format!("{} → {}", shown(&old.value), shown(&new.value));
            out.push(rules::VALUE_CHANGED, subject, &detail);
        }
    }
    signatures(
        out,
        subject,
        old.signature.as_deref(),
        new.signature.as_deref(),
    );
    if old.doc != new.doc {
        out.push(rules::DOC_CHANGED, subject, "");
    }
    for member in &old.members {
        let path = format!("{subject}.{}", member.name);
        match new.members.iter().find(|other| other.name == member.name) {
            Some(now) => item(out, &path, member, now),
            None => out.push(rules::NAME_REMOVED, &path, ""),
        }
    }
    for member in &new.members {
        if !old.members.iter().any(|other| other.name == member.name) {
            out.push(rules::NAME_ADDED, &format!("{subject}.{}", member.name), "");
        }
    }
}

/// Bases by MRO: what `except` and `isinstance` match a class by is every ancestor, so an old
/// ancestor missing from the new MRO is breaking, while a direct base swapped for one of its
/// subclasses (`Exception` → `ValueError`) keeps them all, and is compatible.
fn bases(out: &mut Findings<'_>, subject: &str, old: &ApiItem, new: &ApiItem) {
    // An item read from a text always has its MRO; one made in code may give its bases only.
    let ancestors = |item: &'_ ApiItem| -> Vec<String> {
        if item.mro.is_empty() {
            item.bases.clone()
        } else {
            item.mro.clone()
        }
    };
    let (old_mro, new_mro) = (ancestors(old), ancestors(new));
    let mut narrowed = false;
    for base in old_mro.iter().filter(|base| !new_mro.contains(base)) {
        out.push(rules::BASE_REMOVED, subject, base);
    }
    for base in old.bases.iter().filter(|base| !new.bases.contains(base)) {
        if new_mro.contains(base) {
            let through: Vec<String> = new
                .bases
                .iter()
                .filter(|now| !old.bases.contains(now))
                .map(|now| format!("`{now}`"))
                .collect();
            let detail = format!("`{base}` through {} now", through.join(" and "));
            out.push(rules::BASE_NARROWED, subject, &detail);
            narrowed = true;
        }
    }
    for base in new.bases.iter().filter(|base| !old.bases.contains(base)) {
        // A base that narrows an old one is told by `base-narrowed`; a new ancestor is an
        // addition.
        if !(narrowed || old_mro.contains(base)) {
            out.push(rules::BASE_ADDED, subject, base);
        }
    }
}

fn signatures(out: &mut Findings<'_>, subject: &str, old: Option<&str>, new: Option<&str>) {
    match (old, new) {
        (Some(before), Some(after)) if before != after => {
            match (signature::parse(before), signature::parse(after)) {
                (Some(old), Some(new)) => {
                    for (rule, detail) in signature::compare(&old, &new) {
                        out.push(rule, subject, &detail);
                    }
                }
                _ => out.push(
                    rules::SIGNATURE_CHANGED,
                    subject,
                    &format!("{before} → {after}"),
                ),
            }
        }
        (Some(before), None) => out.push(rules::SIGNATURE_LOST, subject, before),
        (None, Some(after)) => out.push(rules::SIGNATURE_FOUND, subject, after),
        _ => {}
    }
}

/// One disagreement as a line: `parameters differ: Message.greet; stub: (name); runtime: (...)`.
pub fn disagreement_line(disagreement: &StubDisagreement) -> String {
    let label = match disagreement.kind {
        StubDisagreementKind::OnlyInStub => "only in stub",
        StubDisagreementKind::OnlyAtRuntime => "only at runtime",
        StubDisagreementKind::Parameters => "parameters differ",
    };
    let mut line = format!("{label}: {}", disagreement.name);
    if let Some(stub) = &disagreement.stub {
        line.push_str(&format!("; stub: {stub}"));
    }
    if let Some(runtime) = &disagreement.runtime {
        line.push_str(&format!("; runtime: {runtime}"));
    }
    line
}

/// What a disagreement between a stub and the runtime does to users, read from the stub's side:
/// a runtime name the stub lacks, or runtime parameters it lacks that have defaults, only keep
/// type checkers from seeing something new; a name only in the stub, or a parameter list that
/// accepts calls the runtime refuses, makes them accept code that fails.
pub fn stub_rule(disagreement: &StubDisagreement) -> &'static rules::Rule {
    match disagreement.kind {
        StubDisagreementKind::OnlyAtRuntime => rules::STUB_MISSING_NAME,
        StubDisagreementKind::OnlyInStub => rules::STUB_EXTRA_NAME,
        StubDisagreementKind::Parameters => {
            // The stub as the old signature, the runtime as the new one: a call the stub
            // allows works at runtime if nothing between them is breaking.
            let parsed = disagreement
                .stub
                .as_deref()
                .and_then(signature::parse)
                .zip(disagreement.runtime.as_deref().and_then(signature::parse));
            match parsed {
                Some((stub, runtime))
                    if signature::compare(&stub, &runtime)
                        .iter()
                        .all(|(rule, _)| rule.impact == rules::Impact::Compatible) =>
                {
                    rules::STUB_MISSING_PARAMETER
                }
                _ => rules::STUB_DRIFT_ADDED,
            }
        }
    }
}

/// A stub: its disagreements with the runtime are compared as a set.
pub fn stub(out: &mut Findings<'_>, module: &str, old: &StubCheck, new: &StubCheck) {
    if let Some(error) = &new.error
        && old.error.as_ref() != Some(error)
    {
        out.push(rules::STUB_UNREADABLE, module, error);
        return;
    }
    for disagreement in new
        .disagreements
        .iter()
        .filter(|d| !old.disagreements.contains(d))
    {
        out.push(
            stub_rule(disagreement),
            module,
            &disagreement_line(disagreement),
        );
    }
    for disagreement in old
        .disagreements
        .iter()
        .filter(|d| !new.disagreements.contains(d))
    {
        out.push(
            rules::STUB_DRIFT_FIXED,
            module,
            &disagreement_line(disagreement),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::Impact;

    fn item(name: &str, kind: &str, signature: Option<&str>) -> ApiItem {
        ApiItem {
            name: name.into(),
            kind: kind.into(),
            qualname: format!("[PKG].{name}"),
            signature: signature.map(Into::into),
            doc: None,
            value: None,
            bases: vec![],
            mro: vec![],
            members: vec![],
        }
    }

    fn found(compare: impl FnOnce(&mut Findings<'_>)) -> Vec<(&'static str, String)> {
        let mut out = Findings::new("api x");
        compare(&mut out);
        out.found
            .into_iter()
            .map(|finding| (finding.rule.id, finding.explanation))
            .collect()
    }

    fn message() -> ApiItem {
        let mut message = item("Message", "class", Some("(text: 'str') -> 'None'"));
        message.doc = Some("A text to greet with.".into());
        message.members = vec![
            item("greet", "function", Some("(name)")),
            item("text", "property", None),
        ];
        message
    }

    #[test]
    fn equal_items_have_no_findings() {
        assert_eq!(
            found(|out| super::item(out, "Message", &message(), &message())),
            []
        );
    }

    #[test]
    fn members_added_removed_and_compared_parameter_by_parameter() {
        let mut grown = message();
        grown.members[0].signature = Some("(name, loud=False)".into());
        grown
            .members
            .push(item("shout", "function", Some("(name)")));
        grown.members.remove(1);
        assert_eq!(
            found(|out| super::item(out, "Message", &message(), &grown)),
            [
                (
                    "parameter-added-defaulted",
                    "`Message.greet`: parameter `loud` was added, with a default".to_owned()
                ),
                ("name-removed", "`Message.text` was removed".to_owned()),
                ("name-added", "`Message.shout` was added".to_owned()),
            ]
        );
    }

    #[test]
    fn values_bases_kinds_and_docs() {
        let mut before = item("LIMIT", "constant", None);
        before.value = Some("3".into());
        let mut after = before.clone();
        after.value = Some("4".into());
        assert_eq!(
            found(|out| super::item(out, "LIMIT", &before, &after)),
            [(
                "value-changed",
                "the value of `LIMIT` changed: 3 → 4".to_owned()
            )]
        );
        let mut error = item("Oops", "exception", None);
        error.bases = vec!["builtins.ValueError".into()];
        let mut other = error.clone();
        other.bases = vec!["builtins.Exception".into()];
        other.doc = Some("Now documented.".into());
        assert_eq!(
            found(|out| super::item(out, "Oops", &error, &other)),
            [
                (
                    "base-removed",
                    "`Oops` no longer derives from `builtins.ValueError`".to_owned()
                ),
                (
                    "base-added",
                    "`Oops` derives from `builtins.Exception` too".to_owned()
                ),
                ("doc-changed", "the docstring of `Oops` changed".to_owned()),
            ]
        );
        assert_eq!(
            found(|out| super::item(
                out,
                "f",
                &item("f", "function", Some("(a)")),
                &item("f", "class", Some("(b)"))
            )),
            [(
                "kind-changed",
                "`f` changed kind: function → class".to_owned()
            )]
        );
    }

    #[test]
    fn signatures_that_cannot_be_read_are_breaking() {
        let findings = found(|out| {
            super::item(
                out,
                "f",
                &item("f", "function", Some("(a)")),
                &item("f", "function", Some("<built-in>")),
            );
        });
        assert_eq!(findings[0].0, "signature-changed");
        assert_eq!(rules::SIGNATURE_CHANGED.impact, Impact::Breaking);
    }

    #[test]
    fn header_all_and_import() {
        let names = |list: &[&str]| list.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let (before, after) = (names(&["A", "B"]), names(&["B", "C"]));
        let header = |all| Header {
            package: "[PKG]",
            import_error: None,
            all,
            doc: None,
        };
        assert_eq!(
            found(|out| super::header(out, header(Some(&before)), header(Some(&after)))),
            [
                (
                    "all-name-removed",
                    "`A` was removed from `__all__`".to_owned()
                ),
                ("all-name-added", "`C` was added to `__all__`".to_owned()),
            ]
        );
        let error = ExceptionInfo {
            type_name: "builtins.ImportError".into(),
            mro: vec![],
            is_exception: true,
            message: "no module".into(),
            notes: vec![],
            cause: None,
            context: None,
        };
        let broken = Header {
            package: "[PKG]",
            import_error: Some(&error),
            all: None,
            doc: None,
        };
        assert_eq!(
            found(|out| super::header(out, header(Some(&before)), broken)),
            [(
                "import-failed",
                "the package no longer imports: builtins.ImportError: no module".to_owned()
            )]
        );
    }

    #[test]
    fn stub_drift_appears_and_goes() {
        let clean = StubCheck {
            module: "[PKG]._m".into(),
            file: "_m.pyi".into(),
            error: None,
            disagreements: vec![],
        };
        let mut drift = clean.clone();
        // The fixture's stub: `Message.greet` has a defaulted parameter the stub lacks, `shout`
        // is only at runtime: both keep every call the stub allows working.
        drift
            .disagreements
            .clone_from(&crate::snapshot::fixtures::probe().stubs[0].disagreements);
        assert_eq!(
            found(|out| stub(out, "[PKG]._m", &clean, &drift)),
            [
                (
                    "stub-missing-parameter",
                    "the stub `[PKG]._m` lacks parameters the runtime accepts: parameters \
                     differ: Message.greet; stub: (name); runtime: (name, loud=...)"
                        .to_owned()
                ),
                (
                    "stub-missing-name",
                    "the stub `[PKG]._m` lacks a name the runtime has: only at runtime: shout"
                        .to_owned()
                ),
            ]
        );
        let fixed = found(|out| stub(out, "[PKG]._m", &drift, &clean));
        assert_eq!(fixed.len(), 2);
        assert!(
            fixed.iter().all(|(id, _)| *id == "stub-drift-fixed"),
            "{fixed:?}"
        );
    }
}

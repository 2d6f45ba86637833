//! The engine's section readers: the header, an API name, a stub, a scenario, the tests.

use std::collections::BTreeSet;

use super::fields::{self, Field};
use super::rules;
use super::signature;
use super::{Finding, Findings};

/// Findings of one section; empty when nothing a rule knows differs.
pub fn classify(
    key: &str,
    section: &str,
    expected: Option<&str>,
    actual: Option<&str>,
) -> Vec<Finding> {
    let mut out = Findings::new(section);
    let (kind, name) = key.split_once(' ').unwrap_or((key, ""));
    match (kind, expected, actual) {
        ("", Some(expected), Some(actual)) => header(&mut out, expected, actual),
        ("api", Some(expected), Some(actual)) => {
            api_item(
                &mut out,
                name,
                &fields::parse(expected),
                &fields::parse(actual),
            );
        }
        ("api", Some(_), None) => out.push(rules::NAME_REMOVED, name, ""),
        ("api", None, Some(_)) => out.push(rules::NAME_ADDED, name, ""),
        ("stub", Some(expected), Some(actual)) => stub(&mut out, name, expected, actual),
        ("stub", Some(_), None) => out.push(rules::STUB_REMOVED, name, ""),
        ("stub", None, Some(_)) => out.push(rules::STUB_ADDED, name, ""),
        ("scenario", Some(expected), Some(actual)) => scenario(&mut out, name, expected, actual),
        ("scenario", Some(_), None) => out.push(rules::SCENARIO_REMOVED, name, ""),
        ("scenario", None, Some(_)) => out.push(rules::SCENARIO_ADDED, name, ""),
        ("tests", expected, actual) => {
            tests(&mut out, expected.unwrap_or(""), actual.unwrap_or(""));
        }
        _ => {}
    }
    out.found
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn names(list: &str) -> BTreeSet<&str> {
    list.split(", ").filter(|name| !name.is_empty()).collect()
}

fn header(out: &mut Findings<'_>, expected: &str, actual: &str) {
    let (expected, actual) = (fields::parse(expected), fields::parse(actual));
    let get = |fields: &[Field], key| fields::get(fields, key).map(str::to_owned);
    if get(&expected, "package") != get(&actual, "package") {
        let package = get(&actual, "package").unwrap_or_default();
        out.push(rules::PACKAGE_RENAMED, "package", &package);
    }
    let import = |fields: &[Field]| fields::find(fields, "import_error").cloned();
    match (import(&expected), import(&actual)) {
        (Some(before), Some(after)) if before != after => {
            if after.value == "none" {
                out.push(rules::IMPORT_FIXED, "import", &before.value);
            } else {
                let message = after.get("message").unwrap_or("");
                out.push(
                    rules::IMPORT_FAILED,
                    "import",
                    &format!("{}: {message}", after.value),
                );
            }
        }
        _ => {}
    }
    match (get(&expected, "all"), get(&actual, "all")) {
        (Some(before), Some(after)) => {
            let (before, after) = (names(&before), names(&after));
            for name in before.difference(&after) {
                out.push(rules::ALL_NAME_REMOVED, "__all__", name);
            }
            for name in after.difference(&before) {
                out.push(rules::ALL_NAME_ADDED, "__all__", name);
            }
        }
        (None, Some(_)) => out.push(rules::ALL_DECLARATION_CHANGED, "__all__", "declared"),
        (Some(_), None) => out.push(rules::ALL_DECLARATION_CHANGED, "__all__", "gone"),
        (None, None) => {}
    }
}

/// An API name or a class member: its kind, location, bases, value, signature, doc, members.
fn api_item(out: &mut Findings<'_>, subject: &str, expected: &[Field], actual: &[Field]) {
    let get = fields::get;
    if get(expected, "kind") != get(actual, "kind") {
        let detail = format!(
            "{} → {}",
            get(expected, "kind").unwrap_or("?"),
            get(actual, "kind").unwrap_or("?")
        );
        out.push(rules::KIND_CHANGED, subject, &detail);
        // Everything else follows from the new kind; listing it would only add noise.
        return;
    }
    if let (Some(before), Some(after)) = (get(expected, "qualname"), get(actual, "qualname"))
        && before != after
    {
        out.push(
            rules::QUALNAME_CHANGED,
            subject,
            &format!("{before} → {after}"),
        );
    }
    let (before, after) = (bases(expected), bases(actual));
    for base in before.difference(&after) {
        out.push(rules::BASE_REMOVED, subject, base);
    }
    for base in after.difference(&before) {
        out.push(rules::BASE_ADDED, subject, base);
    }
    if get(expected, "value") != get(actual, "value") {
        let detail = format!(
            "{} → {}",
            get(expected, "value").unwrap_or("(not a simple value)"),
            get(actual, "value").unwrap_or("(not a simple value)")
        );
        out.push(rules::VALUE_CHANGED, subject, &detail);
    }
    signatures(
        out,
        subject,
        get(expected, "signature"),
        get(actual, "signature"),
    );
    if get(expected, "doc") != get(actual, "doc") {
        out.push(rules::DOC_CHANGED, subject, "");
    }
    let members = |fields: &[Field]| -> Vec<(String, Vec<Field>)> {
        fields
            .iter()
            .filter_map(|field| {
                let name = field.key.strip_prefix("member ")?;
                Some((name.to_owned(), field.children.clone()))
            })
            .collect()
    };
    let (before, after) = (members(expected), members(actual));
    for (name, fields) in &before {
        let path = format!("{subject}.{name}");
        match after.iter().find(|(other, _)| other == name) {
            Some((_, now)) => api_item(out, &path, fields, now),
            None => out.push(rules::NAME_REMOVED, &path, ""),
        }
    }
    for (name, _) in after
        .iter()
        .filter(|(name, _)| !before.iter().any(|(b, _)| b == name))
    {
        out.push(rules::NAME_ADDED, &format!("{subject}.{name}"), "");
    }
}

fn bases(fields: &[Field]) -> BTreeSet<&str> {
    fields::get(fields, "bases").map(names).unwrap_or_default()
}

fn signatures(out: &mut Findings<'_>, subject: &str, expected: Option<&str>, actual: Option<&str>) {
    match (expected, actual) {
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

/// A stub section: its disagreements are compared as a set, each under its name.
fn stub(out: &mut Findings<'_>, module: &str, expected: &str, actual: &str) {
    let (expected, actual) = (fields::parse(expected), fields::parse(actual));
    if let Some(error) = fields::get(&actual, "error")
        && fields::get(&expected, "error") != Some(error)
    {
        out.push(rules::STUB_UNREADABLE, module, error);
        return;
    }
    let disagreements = |fields: &[Field]| -> Vec<String> {
        fields
            .iter()
            .filter(|field| {
                !matches!(
                    field.key.as_str(),
                    "file" | "error" | "agrees with the runtime"
                )
            })
            .map(|field| {
                field
                    .text()
                    .trim_end()
                    .replace("\n", ";")
                    .replace("  ", " ")
            })
            .collect()
    };
    let (before, after) = (disagreements(&expected), disagreements(&actual));
    for line in after.iter().filter(|line| !before.contains(line)) {
        // A runtime name the stub lacks only keeps type checkers from seeing something new;
        // a name only in the stub, or other parameters, makes them accept calls that fail.
        let rule = if line.starts_with("only at runtime: ") {
            rules::STUB_MISSING_NAME
        } else {
            rules::STUB_DRIFT_ADDED
        };
        out.push(rule, module, line);
    }
    for line in before.iter().filter(|line| !after.contains(line)) {
        out.push(rules::STUB_DRIFT_FIXED, module, line);
    }
}

fn scenario(out: &mut Findings<'_>, id: &str, expected: &str, actual: &str) {
    let (expected, actual) = (fields::parse(expected), fields::parse(actual));
    let outcome = |fields: &[Field]| {
        fields
            .iter()
            .find(|field| field.key == "returned" || field.key == "raised")
            .cloned()
    };
    match (outcome(&expected), outcome(&actual)) {
        (Some(before), Some(after)) if before != after => {
            match (before.key.as_str(), after.key.as_str()) {
                ("returned", "returned") => out.push(
                    rules::SCENARIO_RETURN_CHANGED,
                    id,
                    &format!(
                        "{} → {}",
                        first_line(&before.value),
                        first_line(&after.value)
                    ),
                ),
                ("returned", _) => out.push(
                    rules::SCENARIO_NOW_RAISES,
                    id,
                    &format!("{}: {}", after.value, after.get("message").unwrap_or("")),
                ),
                (_, "returned") => out.push(
                    rules::SCENARIO_NO_LONGER_RAISES,
                    id,
                    &format!(
                        "it returned {} instead of raising {}",
                        first_line(&after.value),
                        before.value
                    ),
                ),
                _ if before.value != after.value => out.push(
                    rules::SCENARIO_EXCEPTION_CHANGED,
                    id,
                    &format!("{} → {}", before.value, after.value),
                ),
                _ => out.push(
                    rules::SCENARIO_EXCEPTION_DETAILS_CHANGED,
                    id,
                    &exception_details(&before, &after),
                ),
            }
        }
        _ => {}
    }
    if fields::get(&expected, "behaviour") != fields::get(&actual, "behaviour") {
        out.push(rules::SCENARIO_BEHAVIOUR_REWORDED, id, "");
    }
}

/// Which parts of two exceptions of the same type differ: `message`, `note`, `cause` ...
fn exception_details(before: &Field, after: &Field) -> String {
    let keys: BTreeSet<&str> = before
        .children
        .iter()
        .chain(&after.children)
        .map(|field| field.key.as_str())
        .collect();
    let changed: Vec<&str> = keys
        .into_iter()
        .filter(|key| {
            let pick = |field: &Field| -> Vec<Field> {
                field
                    .children
                    .iter()
                    .filter(|c| c.key == *key)
                    .cloned()
                    .collect()
            };
            pick(before) != pick(after)
        })
        .collect();
    let mut detail = format!("{} differs", changed.join(", "));
    if let (Some(old), Some(new)) = (before.get("message"), after.get("message"))
        && old != new
    {
        detail = format!("message {old:?} → {new:?}");
    }
    detail
}

fn tests(out: &mut Findings<'_>, expected: &str, actual: &str) {
    let outcomes = |body: &str| -> Vec<(String, String)> {
        fields::parse(body)
            .into_iter()
            .filter_map(|field| {
                let (outcome, name) = field.key.split_once(' ')?;
                (outcome != "no").then(|| (name.to_owned(), outcome.to_owned()))
            })
            .collect()
    };
    let (before, after) = (outcomes(expected), outcomes(actual));
    let failing = |outcome: &str| matches!(outcome, "failed" | "error");
    for (name, old) in &before {
        match after.iter().find(|(other, _)| other == name) {
            None => out.push(rules::TEST_REMOVED, name, ""),
            Some((_, new)) if new == old => {}
            Some((_, new)) => {
                // Only a test that stopped working is breaking; passed → skipped is not.
                let rule = if failing(new) && !failing(old) {
                    rules::TEST_NOW_FAILS
                } else {
                    rules::TEST_OUTCOME_CHANGED
                };
                out.push(rule, name, &format!("was {old}, is {new} now"));
            }
        }
    }
    for (name, new) in after
        .iter()
        .filter(|(name, _)| !before.iter().any(|(b, _)| b == name))
    {
        out.push(rules::TEST_ADDED, name, new);
    }
}

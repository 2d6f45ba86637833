//! Breaking differences accepted on purpose: `check --accept RULE:SUBJECT --reason "…"`, or an
//! entry of `conformance-accepted.toml` at the project's root:
//!
//! ```toml
//! [[accept]]
//! rule = "name-removed"
//! subject = "get_answer"
//! reason = "deprecated since 1.4, removed in 2.0"
//! ```
//!
//! An accepted finding is listed with its reason and fails nothing. An acceptance that matches
//! no finding any more is reported, so that the file does not rot.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::compare::Difference;
use super::rules;

/// The file a project keeps its acceptances in, at its root.
pub const FILE: &str = "conformance-accepted.toml";

/// Where an acceptance was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    CommandLine,
    /// A file, and the line its entry starts on.
    File {
        path: PathBuf,
        line: usize,
    },
}

/// One difference accepted on purpose: a rule and what it is about, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub rule: String,
    pub subject: String,
    pub reason: String,
    pub origin: Origin,
}

impl Acceptance {
    /// `name-removed:get_answer`, as `--accept` takes it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.rule, self.subject)
    }
}

/// A rule id that is in the table, or why not (with the nearest id that is).
fn known_rule(id: &str) -> Result<(), String> {
    if rules::ALL.iter().any(|rule| rule.id == id) {
        return Ok(());
    }
    let nearest = rules::ALL
        .iter()
        .map(|rule| (strsim::levenshtein(id, rule.id), rule.id))
        .min()
        .map(|(_, nearest)| format!(" (did you mean `{nearest}`?)"))
        .unwrap_or_default();
    Err(format!(
        "`{id}` is not a rule{nearest}; the rules are listed in the book's \"What counts as \
         breaking\""
    ))
}

/// `--accept RULE:SUBJECT` with its `--reason`.
pub fn from_argument(argument: &str, reason: &str) -> Result<Acceptance, String> {
    let Some((rule, subject)) = argument.split_once(':') else {
        return Err(format!(
            "--accept {argument}: expected RULE:SUBJECT, e.g. name-removed:get_answer (the rule \
             and subject a report names)"
        ));
    };
    known_rule(rule).map_err(|message| format!("--accept {argument}: {message}"))?;
    if subject.is_empty() {
        return Err(format!("--accept {argument}: the subject is empty"));
    }
    if reason.trim().is_empty() {
        return Err(format!("--accept {argument}: the --reason is empty"));
    }
    Ok(Acceptance {
        rule: rule.to_owned(),
        subject: subject.to_owned(),
        reason: reason.trim().to_owned(),
        origin: Origin::CommandLine,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptedFile {
    #[serde(default)]
    accept: Vec<toml::Spanned<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    subject: String,
    reason: String,
}

/// The acceptances of a `conformance-accepted.toml`; the error names the file, the entry and
/// what to change.
pub fn from_file(path: &Path, text: &str) -> Result<Vec<Acceptance>, String> {
    let file: AcceptedFile = toml::from_str(text).map_err(|error| {
        format!(
            "{}: {}",
            path.display(),
            error.to_string().lines().collect::<Vec<_>>().join(" ")
        )
    })?;
    file.accept
        .into_iter()
        .map(|spanned| {
            let line = text[..spanned.span().start].matches('\n').count() + 1;
            let entry = spanned.into_inner();
            known_rule(&entry.rule)
                .map_err(|message| format!("{}:{line}: {message}", path.display()))?;
            if entry.reason.trim().is_empty() {
                return Err(format!(
                    "{}:{line}: the reason for accepting `{}:{}` is empty: say why",
                    path.display(),
                    entry.rule,
                    entry.subject
                ));
            }
            Ok(Acceptance {
                rule: entry.rule,
                subject: entry.subject,
                reason: entry.reason.trim().to_owned(),
                origin: Origin::File {
                    path: path.to_owned(),
                    line,
                },
            })
        })
        .collect()
}

/// Marks every finding an acceptance matches (same rule, same subject) as accepted, and
/// decides again which differences fail. Returns the acceptances that matched nothing.
pub fn apply<'a>(
    differences: &mut [Difference],
    acceptances: &'a [Acceptance],
    strict: bool,
) -> Vec<&'a Acceptance> {
    let mut used = vec![false; acceptances.len()];
    for difference in differences.iter_mut() {
        for finding in &mut difference.findings {
            let found = acceptances.iter().position(|acceptance| {
                acceptance.rule == finding.rule.id && acceptance.subject == finding.subject
            });
            if let Some(at) = found {
                finding.accepted = Some(acceptances[at].reason.clone());
                used[at] = true;
            }
        }
        difference.fails = difference
            .findings
            .iter()
            .any(|finding| finding.fails(strict));
    }
    acceptances
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(acceptance, _)| acceptance)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::compare::Kind;
    use crate::conformance::{Finding, Impact};

    fn difference(findings: Vec<Finding>) -> Difference {
        Difference {
            section: "api x".into(),
            behaviour: None,
            kind: Kind::Changed,
            impact: Impact::Breaking,
            fails: true,
            findings,
            diff: String::new(),
        }
    }

    #[test]
    fn arguments_name_a_rule_and_a_subject_with_a_reason() {
        let accepted = from_argument("name-removed:get_answer", " gone in 2.0 ").unwrap();
        assert_eq!(
            (accepted.key(), accepted.reason.as_str()),
            ("name-removed:get_answer".to_owned(), "gone in 2.0")
        );
        // A test name holds colons: the first one ends the rule.
        assert_eq!(
            from_argument("test-now-fails:tests.t::a", "x")
                .unwrap()
                .subject,
            "tests.t::a"
        );
        assert_eq!(
            from_argument("name-remove:x", "r").unwrap_err(),
            "--accept name-remove:x: `name-remove` is not a rule (did you mean `name-removed`?); \
             the rules are listed in the book's \"What counts as breaking\""
        );
        assert!(
            from_argument("name-removed", "r")
                .unwrap_err()
                .contains("expected RULE:SUBJECT")
        );
        assert!(
            from_argument("name-removed:x", "  ")
                .unwrap_err()
                .ends_with("the --reason is empty")
        );
    }

    #[test]
    fn a_file_lists_acceptances_with_their_lines() {
        let text = "# on purpose\n\n[[accept]]\nrule = \"name-removed\"\nsubject = \"get_answer\"\n\
                    reason = \"gone in 2.0\"\n\n[[accept]]\nrule = \"wheel-abi3-dropped\"\n\
                    subject = \"wheel\"\nreason = \"a wheel per version from now on\"\n";
        let path = Path::new("conformance-accepted.toml");
        let accepted = from_file(path, text).unwrap();
        assert_eq!(accepted.len(), 2);
        assert_eq!(
            accepted[1].origin,
            Origin::File {
                path: path.to_owned(),
                line: 8
            }
        );
        let unknown = from_file(
            path,
            "[[accept]]\nrule = \"nope\"\nsubject = \"x\"\nreason = \"r\"\n",
        )
        .unwrap_err();
        assert!(
            unknown.starts_with("conformance-accepted.toml:1: `nope` is not a rule"),
            "{unknown}"
        );
        let missing = from_file(
            path,
            "[[accept]]\nrule = \"name-removed\"\nsubject = \"x\"\n",
        )
        .unwrap_err();
        assert!(missing.contains("missing field `reason`"), "{missing}");
        let empty = from_file(
            path,
            "[[accept]]\nrule = \"name-removed\"\nsubject = \"x\"\nreason = \"\"\n",
        )
        .unwrap_err();
        assert!(empty.ends_with("is empty: say why"), "{empty}");
    }

    #[test]
    fn accepted_findings_fail_nothing_and_unmatched_acceptances_are_returned() {
        let removed = Finding::new(rules::NAME_REMOVED, "api get_answer", "get_answer", "");
        let mut differences = [difference(vec![removed])];
        let acceptances = [
            from_argument("name-removed:get_answer", "gone in 2.0").unwrap(),
            from_argument("name-removed:old_helper", "gone in 1.0").unwrap(),
        ];
        let unmatched = apply(&mut differences, &acceptances, false);
        assert!(!differences[0].fails);
        assert_eq!(
            differences[0].findings[0].accepted.as_deref(),
            Some("gone in 2.0")
        );
        assert_eq!(unmatched, [&acceptances[1]]);
        // A finding of another subject still fails.
        let other = Finding::new(rules::NAME_REMOVED, "api x", "x", "");
        let mut differences = [difference(vec![other])];
        apply(&mut differences, &acceptances, false);
        assert!(differences[0].fails);
    }
}

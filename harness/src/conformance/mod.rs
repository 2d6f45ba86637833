//! Conformance over time: every difference between a recorded behaviour (a record, a style's
//! reference, a build of an older revision) and the project's is *breaking* or *compatible*.
//!
//! [`rules`] is the list of kinds of difference, as data; [`classify_section`] is the engine
//! that reads two versions of one section of the behaviour text and says which rules apply.
//! A section is compared field by field ([`fields`]), and signatures parameter by parameter
//! ([`signature`]), so that a new parameter with a default is told apart from a removed one.

mod api;
pub mod fields;
mod outcomes;
pub mod rules;
mod sections;
pub mod signature;

use serde::Serialize;

pub use rules::{Impact, Rule};

/// One classified difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's id, e.g. `parameter-removed`.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static Rule,
    /// `breaking` or `compatible`.
    #[serde(rename = "class")]
    pub impact: Impact,
    /// The section it was found in: `api Message`, `scenario greet.panic`, `tests`, `header`.
    pub section: String,
    /// What it is about: `Message.greet`, a scenario id, a test name.
    pub subject: String,
    pub explanation: String,
    pub hint: &'static str,
}

fn rule_id<S: serde::Serializer>(rule: &&'static Rule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id)
}

impl Finding {
    pub fn new(rule: &'static Rule, section: &str, subject: &str, detail: &str) -> Finding {
        Finding {
            rule,
            impact: rule.impact,
            section: section.to_owned(),
            subject: subject.to_owned(),
            explanation: rule.explain(subject, detail),
            hint: rule.hint,
        }
    }
}

/// The findings of one section, as the engine collects them.
pub struct Findings<'a> {
    section: &'a str,
    found: Vec<Finding>,
}

impl<'a> Findings<'a> {
    fn new(section: &'a str) -> Findings<'a> {
        Findings {
            section,
            found: Vec::new(),
        }
    }

    fn push(&mut self, rule: &'static Rule, subject: &str, detail: &str) {
        self.found
            .push(Finding::new(rule, self.section, subject, detail));
    }
}

/// The most serious impact among `findings`; `None` when there are none.
pub fn worst(findings: &[Finding]) -> Option<Impact> {
    findings.iter().map(|finding| finding.impact).max()
}

/// Classifies how one section changed from `expected` (the recorded side) to `actual` (the
/// project). `key` is the section's heading without `## ` (empty for the header); a side that
/// lacks the section is `None`. Never returns nothing for two different bodies: what no rule
/// describes is a breaking `section-changed`.
pub fn classify_section(key: &str, expected: Option<&str>, actual: Option<&str>) -> Vec<Finding> {
    if expected == actual {
        return Vec::new();
    }
    let section = if key.is_empty() { "header" } else { key };
    let mut findings = sections::classify(key, section, expected, actual);
    if findings.is_empty() {
        // The bodies differ only in ways no rule looks at (say, a field the harness added).
        findings.push(Finding::new(
            rules::SECTION_CHANGED,
            section,
            section,
            "see the diff",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(
        key: &str,
        expected: Option<&str>,
        actual: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        classify_section(key, expected, actual)
            .into_iter()
            .map(|finding| (finding.rule.id, finding.explanation))
            .collect()
    }

    const MESSAGE: &str = "kind: class\nqualname: [PKG].api.Message\nsignature: (text: 'str') -> 'None'\n\
        doc: A text to greet with.\nmember greet:\n  kind: function\n  qualname: [PKG].api.Message.greet\n  \
        signature: (name)\nmember text:\n  kind: property\n  qualname: [PKG].api.Message.text\n";

    #[test]
    fn equal_sections_have_no_findings() {
        assert_eq!(found("api Message", Some(MESSAGE), Some(MESSAGE)), []);
    }

    #[test]
    fn names_added_and_removed() {
        assert_eq!(
            found("api shout", None, Some("kind: function\n")),
            [("name-added", "`shout` was added".to_owned())]
        );
        assert_eq!(
            found("api panic_with", Some("kind: function\n"), None),
            [("name-removed", "`panic_with` was removed".to_owned())]
        );
        let without_text = MESSAGE.split("member text:").next().unwrap();
        let findings = classify_section("api Message", Some(MESSAGE), Some(without_text));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, rules::NAME_REMOVED);
        assert_eq!(findings[0].impact, Impact::Breaking);
        assert_eq!(findings[0].subject, "Message.text");
        assert_eq!(findings[0].section, "api Message");
    }

    #[test]
    fn members_are_compared_parameter_by_parameter() {
        let louder = MESSAGE.replace("signature: (name)\n", "signature: (name, loud=False)\n");
        assert_eq!(
            found("api Message", Some(MESSAGE), Some(&louder)),
            [(
                "parameter-added-defaulted",
                "`Message.greet`: parameter `loud` was added, with a default".to_owned()
            )]
        );
        let renamed = MESSAGE.replace("signature: (name)\n", "signature: (who)\n");
        assert_eq!(
            found("api Message", Some(MESSAGE), Some(&renamed)),
            [(
                "parameter-renamed",
                "`Message.greet`: parameter `name` was renamed to `who`".to_owned()
            )]
        );
    }

    #[test]
    fn values_bases_kinds_and_docs() {
        assert_eq!(
            found(
                "api LIMIT",
                Some("kind: constant\nqualname: m.LIMIT\nvalue: 3\n"),
                Some("kind: constant\nqualname: m.LIMIT\nvalue: 4\n")
            ),
            [(
                "value-changed",
                "the value of `LIMIT` changed: 3 → 4".to_owned()
            )]
        );
        assert_eq!(
            found(
                "api Oops",
                Some("kind: exception\nbases: builtins.ValueError\n"),
                Some("kind: exception\nbases: builtins.Exception\n")
            ),
            [
                (
                    "base-removed",
                    "`Oops` no longer derives from `builtins.ValueError`".to_owned()
                ),
                (
                    "base-added",
                    "`Oops` derives from `builtins.Exception` too".to_owned()
                ),
            ]
        );
        assert_eq!(
            found("api f", Some("kind: function\n"), Some("kind: class\n")),
            [(
                "kind-changed",
                "`f` changed kind: function → class".to_owned()
            )]
        );
        let redoc = MESSAGE.replace("A text to greet with.", "Greets.");
        let findings = classify_section("api Message", Some(MESSAGE), Some(&redoc));
        assert_eq!(findings[0].rule, rules::DOC_CHANGED);
        assert_eq!(worst(&findings), Some(Impact::Compatible));
    }

    #[test]
    fn header_all_and_import() {
        let before = "package: [PKG]\nstyle: none\nimport_error: none\nall: A, B\n";
        let after = "package: [PKG]\nstyle: none\nimport_error: none\nall: B, C\n";
        assert_eq!(
            found("", Some(before), Some(after)),
            [
                (
                    "all-name-removed",
                    "`A` was removed from `__all__`".to_owned()
                ),
                ("all-name-added", "`C` was added to `__all__`".to_owned()),
            ]
        );
        let broken = "package: [PKG]\nstyle: none\nimport_error: builtins.ImportError\n  \
                      mro: builtins.ImportError\n  message: no module\n";
        assert_eq!(
            found("", Some(before), Some(broken)),
            [
                (
                    "import-failed",
                    "the package no longer imports: builtins.ImportError: no module".to_owned()
                ),
                (
                    "all-declaration-changed",
                    "`__all__` is gone now".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn scenarios_are_breaking_when_their_outcome_changes() {
        let returned = "behaviour: greets\nreturned: 'Hello'\n";
        let raised = |message: &str| {
            format!(
                "behaviour: greets\nraised: builtins.ValueError\n  mro: builtins.ValueError\n  \
                 is_exception: true\n  message: {message}\n"
            )
        };
        let cases: [(&str, &str, &str); 4] = [
            (
                returned,
                "behaviour: greets\nreturned: 'Hi'\n",
                "scenario-return-changed",
            ),
            (returned, &raised("x"), "scenario-now-raises"),
            (&raised("x"), returned, "scenario-no-longer-raises"),
            (
                &raised("x"),
                &raised("y"),
                "scenario-exception-details-changed",
            ),
        ];
        for (before, after, rule) in cases {
            let findings = classify_section("scenario greet.x", Some(before), Some(after));
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].rule.id, rule);
            assert_eq!(findings[0].impact, Impact::Breaking);
        }
        assert_eq!(
            found("scenario greet.x", Some(&raised("x")), Some(&raised("y")))[0].1,
            "`greet.x` raises the same type with other details: message \"x\" → \"y\""
        );
    }

    #[test]
    fn tests_added_removed_and_failing() {
        let before = "passed tests.t::a\npassed tests.t::b\n";
        let after = "failed tests.t::a\n  message: assert 1 == 2\npassed tests.t::c\n";
        assert_eq!(
            found("tests", Some(before), Some(after)),
            [
                (
                    "test-now-fails",
                    "test `tests.t::a` was passed, is failed now".to_owned()
                ),
                ("test-removed", "test `tests.t::b` is gone".to_owned()),
                ("test-added", "test `tests.t::c` is new (passed)".to_owned()),
            ]
        );
        assert_eq!(
            found("tests", Some("no tests ran\n"), Some("passed tests.t::a\n")).len(),
            1
        );
    }

    #[test]
    fn stub_drift_appears_and_goes() {
        let clean = "file: _m.pyi\nagrees with the runtime\n";
        let drift = "file: _m.pyi\nparameters differ: Message.greet\n  stub: (name)\n  runtime: (name, loud=...)\n";
        assert_eq!(
            found("stub [PKG]._m", Some(clean), Some(drift)),
            [(
                "stub-drift-added",
                "the stub `[PKG]._m` disagrees with the runtime: parameters differ: \
                 Message.greet; stub: (name); runtime: (name, loud=...)"
                    .to_owned()
            )]
        );
        assert_eq!(
            found("stub [PKG]._m", Some(drift), Some(clean))[0].0,
            "stub-drift-fixed"
        );
    }

    #[test]
    fn what_no_rule_reads_is_breaking() {
        let findings = classify_section(
            "api f",
            Some("kind: function\nnew_field: 1\n"),
            Some("kind: function\n"),
        );
        assert_eq!(findings[0].rule, rules::SECTION_CHANGED);
        assert_eq!(findings[0].impact, Impact::Breaking);
        assert_eq!(
            serde_json::to_value(&findings[0]).unwrap(),
            serde_json::json!({
                "rule": "section-changed",
                "class": "breaking",
                "section": "api f",
                "subject": "api f",
                "explanation": "`api f` changed in a way the harness does not classify: see the diff",
                "hint": rules::SECTION_CHANGED.hint,
            })
        );
    }
}

//! Conformance over time: every difference between a recorded behaviour (a record, a style's
//! reference, a build of an older revision) and the project's is *breaking* or *compatible*.
//!
//! [`rules`] is the list of kinds of difference, as data. The engine ([`classify_section`])
//! reads two versions of one section of a [`crate::snapshot::Behaviour`] and says which rules
//! apply: an API name field by field and its signature parameter by parameter ([`signature`]),
//! a class's bases by its MRO, a stub's disagreements with the runtime by what each lets a type
//! checker accept, the wheel's tags and the entry points ([`distribution`]), a scenario by its
//! outcome, the tests one by one. A new parameter with a default is thereby told apart from a
//! removed one.
//!
//! Each breaking finding carries a [`witness::Witness`] when one can be written: a few lines of
//! Python that worked with the recorded behaviour and fail now. A maintainer can accept a
//! breaking difference on purpose, with a reason ([`accept`]).

pub mod accept;
mod api;
mod calls;
mod classify;
pub mod compare;
mod distribution;
mod fixtures;
mod outcomes;
pub mod rules;
pub mod signature;
pub mod witness;

use serde::Serialize;

pub use rules::{Impact, Rule};
pub use witness::Witness;

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
    /// What to do about it; `[PKG]` stands for the package until the report names it.
    pub hint: String,
    /// What the explanation says it is about, alone: the parameter, base, name or values.
    #[serde(skip)]
    pub detail: String,
    /// Code that worked with the recorded behaviour and fails now (breaking findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
    /// Why a maintainer accepted it on purpose (`check --accept`, `conformance-accepted.toml`):
    /// an accepted finding is listed, and fails nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
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
            hint: rule.hint.to_owned(),
            detail: detail.to_owned(),
            witness: None,
            accepted: None,
        }
    }

    /// Whether it fails the check: not accepted, and breaking (or anything, under `--strict`).
    pub fn fails(&self, strict: bool) -> bool {
        self.accepted.is_none() && (strict || self.impact == Impact::Breaking)
    }
}

/// The findings of one section, as the engine collects them.
#[derive(Debug)]
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

pub use classify::{classify_section, unreadable};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Behaviour, read};

    /// A behaviour text with one section after the header.
    fn behaviour(header_extra: &str, section: &str) -> Behaviour {
        let mut text =
            "package: [PKG]\nstyle: none\nimport_error: none\ngil_after_import: enabled\n"
                .to_owned();
        if !header_extra.is_empty() {
            text.push_str(&format!("{header_extra}\n"));
        }
        if !section.is_empty() {
            text.push_str(&format!("\n{section}"));
        }
        read(&text).unwrap_or_else(|error| panic!("{error}:\n{text}"))
    }

    fn found(key: &str, expected: &Behaviour, actual: &Behaviour) -> Vec<(&'static str, String)> {
        classify_section(key, expected, actual)
            .into_iter()
            .map(|finding| (finding.rule.id, finding.explanation))
            .collect()
    }

    const SHOUT: &str = "## api shout\nkind: function\nqualname: [PKG].shout\nsignature: (text)\n";

    #[test]
    fn a_section_on_one_side_only_is_a_name_added_or_removed() {
        let (without, with) = (behaviour("", ""), behaviour("", SHOUT));
        assert_eq!(
            found("api shout", &without, &with),
            [("name-added", "`shout` was added".to_owned())]
        );
        let removed = classify_section("api shout", &with, &without);
        assert_eq!(removed[0].rule, rules::NAME_REMOVED);
        assert_eq!(removed[0].impact, Impact::Breaking);
        assert_eq!(removed[0].section, "api shout");
        assert_eq!(worst(&removed), Some(Impact::Breaking));
    }

    #[test]
    fn each_kind_of_section_is_read() {
        let louder = behaviour("", &SHOUT.replace("(text)", "(text, times=1)"));
        assert_eq!(
            found("api shout", &behaviour("", SHOUT), &louder),
            [(
                "parameter-added-defaulted",
                "`shout`: parameter `times` was added, with a default".to_owned()
            )]
        );
        let (a, b) = (behaviour("all: A, B", ""), behaviour("all: B", ""));
        assert_eq!(
            found("", &a, &b),
            [(
                "all-name-removed",
                "`A` was removed from `__all__`".to_owned()
            )]
        );
        let scenario = |repr: &str| {
            behaviour(
                "",
                &format!("## scenario greet.x\nbehaviour: greets\nreturned: {repr}\n"),
            )
        };
        assert_eq!(
            found("scenario greet.x", &scenario("'Hello'"), &scenario("'Hi'")),
            [(
                "scenario-return-changed",
                "`greet.x` returns something else: 'Hello' → 'Hi'".to_owned()
            )]
        );
        let stub = |line: &str| behaviour("", &format!("## stub [PKG]._m\nfile: _m.pyi\n{line}\n"));
        assert_eq!(
            found(
                "stub [PKG]._m",
                &stub("agrees with the runtime"),
                &stub("only in stub: shout")
            ),
            [(
                "stub-extra-name",
                "the stub `[PKG]._m` declares a name the runtime lacks: only in stub: shout"
                    .to_owned()
            )]
        );
        let tests = |outcome: &str| behaviour("", &format!("## tests\n{outcome} tests.t::a\n"));
        assert_eq!(
            found("tests", &tests("passed"), &tests("failed")),
            [(
                "test-now-fails",
                "test `tests.t::a` was passed, is failed now".to_owned()
            )]
        );
    }

    #[test]
    fn what_no_rule_reads_is_breaking() {
        // The same section on both sides, told to differ: nothing a rule reads differs.
        let same = behaviour("", SHOUT);
        let findings = classify_section("api shout", &same, &same);
        assert_eq!(findings[0].rule, rules::SECTION_CHANGED);
        assert_eq!(findings[0].impact, Impact::Breaking);
        assert_eq!(
            serde_json::to_value(&findings[0]).unwrap(),
            serde_json::json!({
                "rule": "section-changed",
                "class": "breaking",
                "section": "api shout",
                "subject": "api shout",
                "explanation": "`api shout` changed in a way the harness does not classify: see the diff",
                "hint": rules::SECTION_CHANGED.hint,
            })
        );
        assert_eq!(
            unreadable("tests", "line 3: x").explanation,
            "`tests` changed in a way the harness does not classify: the text cannot be read (line 3: x)"
        );
    }
}

//! Comparing two behaviour texts section by section, with a readable diff for each section
//! that differs, named after its scenario (or API name) and behaviour sentence, and classified
//! as breaking or compatible by [`crate::conformance`]. The texts are cut by
//! [`crate::snapshot::sections`]: the snapshot module owns their format.

use std::fmt;

use serde::Serialize;

use crate::conformance::witness::{self, Sides};
use crate::conformance::{self, Finding, Impact};
use crate::snapshot::{self, sections};
use crate::stages::probe::WitnessRun;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// In the expected text only.
    Missing,
    /// In the actual text only.
    Unexpected,
    /// In both, with other contents.
    Changed,
}

/// A section that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `scenario greet.static_greet`, `api Message`, `tests`, or `header`.
    pub section: String,
    /// The scenario's behaviour sentence, when the section has one.
    pub behaviour: Option<String>,
    pub kind: Kind,
    /// The most serious of its findings: `breaking` or `compatible` (JSON key `class`, as the
    /// report format has it).
    #[serde(rename = "class")]
    pub impact: Impact,
    /// Whether it fails the case: a breaking difference always does, a compatible one only
    /// when the comparison is strict.
    pub fails: bool,
    /// Each classified difference within the section.
    pub findings: Vec<Finding>,
    /// A unified diff, expected first.
    pub diff: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            Kind::Missing => "missing",
            Kind::Unexpected => "unexpected",
            Kind::Changed => "differs",
        };
        write!(f, "{} {what}", self.section)?;
        if let Some(behaviour) = &self.behaviour {
            write!(f, "\n  expected behaviour: {behaviour}")?;
        }
        for line in self.diff.lines() {
            write!(f, "\n  {line}")?;
        }
        for finding in &self.findings {
            let class = match &finding.accepted {
                Some(_) => format!("accepted {}", finding.impact.as_str()),
                None => finding.impact.as_str().to_owned(),
            };
            write!(
                f,
                "\n  {class} ({}): {}\n    hint: {}",
                finding.rule.id, finding.explanation, finding.hint
            )?;
            if let Some(reason) = &finding.accepted {
                write!(f, "\n    accepted because: {reason}")?;
            }
            if let Some(witness) = &finding.witness {
                write!(f, "\n    witness, {}:", witness.heading())?;
                for line in witness.code.lines() {
                    write!(f, "\n      {line}")?;
                }
            }
        }
        Ok(())
    }
}

fn diff(expected: &str, actual: &str, labels: (&str, &str)) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(labels.0, labels.1)
        .to_string()
}

/// How two texts are compared.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Sections left out.
    pub skip: &'a [&'a str],
    /// The two sides' names in diffs, expected first.
    pub labels: (&'a str, &'a str),
    /// Every difference fails, compatible ones included.
    pub strict: bool,
    /// What witnesses of breaking findings are written with; none are without it.
    pub witnesses: Option<&'a WitnessContext<'a>>,
}

/// What a witness needs besides the two behaviours.
pub struct WitnessContext<'a> {
    /// The project's import name.
    pub package: &'a str,
    /// The code of a scenario, by id, as the probe read it on this side.
    pub scenario_code: &'a dyn Fn(&str) -> Option<String>,
}

impl fmt::Debug for WitnessContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WitnessContext")
            .field("package", &self.package)
            .finish_non_exhaustive()
    }
}

/// The sections of `actual` that differ from `expected`, in `expected`'s order then the extra
/// ones, each classified.
pub fn compare(expected_text: &str, actual_text: &str, options: Options<'_>) -> Vec<Difference> {
    let Options {
        skip,
        labels,
        strict,
        witnesses,
    } = options;
    let expected = sections(expected_text);
    let actual = sections(actual_text);
    // The classes come from the typed behaviours; a text that does not read (written by hand,
    // or by another version of the harness) leaves every difference unclassified: breaking.
    let typed = snapshot::read(expected_text)
        .and_then(|expected| snapshot::read(actual_text).map(|actual| (expected, actual)));
    let classify = |key: &str| -> Vec<Finding> {
        let section = if key.is_empty() { "header" } else { key };
        match &typed {
            Ok((expected, actual)) => {
                let mut findings = conformance::classify_section(key, expected, actual);
                if let Some(context) = witnesses {
                    let sides = Sides {
                        expected,
                        actual,
                        package: context.package,
                        scenario_code: context.scenario_code,
                    };
                    for finding in &mut findings {
                        finding.witness = witness::derive(finding, &sides);
                    }
                }
                findings
            }
            Err(error) => vec![conformance::unreadable(section, &error.to_string())],
        }
    };
    let difference = |key: &str, behaviour: Option<&str>, kind, diff| {
        let findings = classify(key);
        let class = conformance::worst(&findings).unwrap_or(Impact::Breaking);
        Difference {
            section: if key.is_empty() {
                "header".to_owned()
            } else {
                key.to_owned()
            },
            behaviour: behaviour.map(str::to_owned),
            kind,
            impact: class,
            fails: strict || class == Impact::Breaking,
            findings,
            diff,
        }
    };
    let skipped = |key: &str| skip.contains(&key);
    let mut differences = Vec::new();
    for section in expected.iter().filter(|s| !skipped(s.key)) {
        let found = actual.iter().find(|other| other.key == section.key);
        let (kind, actual_body) = match found {
            None => (Kind::Missing, ""),
            Some(other) if other.body != section.body => (Kind::Changed, other.body.as_str()),
            Some(_) => continue,
        };
        differences.push(difference(
            section.key,
            section.behaviour(),
            kind,
            diff(&section.body, actual_body, labels),
        ));
    }
    for section in actual.iter().filter(|s| !skipped(s.key)) {
        if !expected.iter().any(|other| other.key == section.key) {
            differences.push(difference(
                section.key,
                section.behaviour(),
                Kind::Unexpected,
                diff("", &section.body, labels),
            ));
        }
    }
    differences
}

/// `3 difference(s): 1 breaking, 2 compatible`, and `, 1 accepted` when some are.
pub fn summary(differences: &[Difference]) -> String {
    let findings = || {
        differences
            .iter()
            .flat_map(|difference| &difference.findings)
    };
    let count = |impact| {
        findings()
            .filter(|finding| finding.impact == impact && finding.accepted.is_none())
            .count()
    };
    let (breaking, compatible) = (count(Impact::Breaking), count(Impact::Compatible));
    let accepted = findings()
        .filter(|finding| finding.accepted.is_some())
        .count();
    let mut line = format!(
        "{} difference(s): {breaking} breaking, {compatible} compatible",
        breaking + compatible + accepted
    );
    if accepted > 0 {
        line.push_str(&format!(", {accepted} accepted"));
    }
    line
}

/// The checks of the witnesses that can run, in order, for [`crate::stages::probe::confirm`].
pub fn witness_checks(differences: &[Difference]) -> Vec<String> {
    differences
        .iter()
        .flat_map(|difference| &difference.findings)
        .filter_map(|finding| finding.witness.as_ref()?.check.clone())
        .collect()
}

/// Settles each runnable witness with what its check did, in the order of [`witness_checks`].
pub fn settle_witnesses(differences: &mut [Difference], runs: &[WitnessRun]) {
    let mut runs = runs.iter();
    for finding in differences.iter_mut().flat_map(|d| &mut d.findings) {
        if let Some(witness) = finding.witness.as_mut().filter(|w| w.check.is_some())
            && let Some(run) = runs.next()
        {
            witness.settle(run);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options<'a>(skip: &'a [&'a str], strict: bool) -> Options<'a> {
        Options {
            skip,
            labels: ("a", "b"),
            strict,
            witnesses: None,
        }
    }

    const EXPECTED: &str = "package: [PKG]\nstyle: greet\nimport_error: none\ngil_after_import: enabled\n\n\
        ## scenario greet.static_greet\n\
        behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'\n\
        returned: 'Hello, eunsang !'\n\n\
        ## scenario greet.repr\nbehaviour: repr\nreturned: \"Message('x')\"\n\n\
        ## tests\npassed tests.test_message::test_greet\n";

    #[test]
    fn equal_texts_have_no_differences() {
        assert_eq!(compare(EXPECTED, EXPECTED, options(&[], false)), []);
    }

    #[test]
    fn a_changed_return_value_names_its_scenario() {
        let actual = EXPECTED.replace("returned: 'Hello, eunsang !'", "returned: 'Hi, eunsang !'");
        let mut options = options(&[], false);
        options.labels = ("reference", "project");
        let differences = compare(EXPECTED, &actual, options);
        assert_eq!(differences.len(), 1);
        assert_eq!(differences[0].impact, Impact::Breaking);
        assert!(differences[0].fails);
        assert_eq!(
            differences[0].to_string(),
            "scenario greet.static_greet differs
  expected behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  --- reference
  +++ project
  @@ -1,2 +1,2 @@
   behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  -returned: 'Hello, eunsang !'
  +returned: 'Hi, eunsang !'
  breaking (scenario-return-changed): `greet.static_greet` returns something else: 'Hello, eunsang !' → 'Hi, eunsang !'
    hint: code that uses the result gets another value: restore the recorded one"
        );
    }

    #[test]
    fn compatible_differences_fail_only_when_strict() {
        let actual = format!("{EXPECTED}\n## api shout\nkind: function\nqualname: [PKG].shout\n")
            .replace(
                "\n\n## tests\npassed tests.test_message::test_greet\n",
                "\n",
            );
        let actual = format!("{actual}\n## tests\npassed tests.test_message::test_greet\n");
        let lenient = compare(EXPECTED, &actual, options(&[], false));
        assert_eq!(lenient.len(), 1, "{lenient:?}");
        assert_eq!(lenient[0].section, "api shout");
        assert_eq!(lenient[0].impact, Impact::Compatible);
        assert!(!lenient[0].fails);
        assert!(compare(EXPECTED, &actual, options(&[], true))[0].fails);
    }

    #[test]
    fn an_unreadable_text_leaves_every_difference_breaking() {
        let actual = EXPECTED
            .replace("returned: 'Hello", "returned: 'Hi")
            .replace("import_error: none\n", "");
        let differences = compare(EXPECTED, &actual, options(&[], false));
        let classes: Vec<(&str, Impact)> = differences
            .iter()
            .map(|d| (d.findings[0].rule.id, d.impact))
            .collect();
        assert_eq!(
            classes,
            [
                ("section-changed", Impact::Breaking),
                ("section-changed", Impact::Breaking)
            ]
        );
        assert!(
            differences[0].findings[0]
                .explanation
                .contains("the text cannot be read (line 3:"),
            "{}",
            differences[0].findings[0].explanation
        );
    }

    #[test]
    fn missing_unexpected_and_skipped_sections() {
        let actual = EXPECTED
            .replace("## scenario greet.repr", "## scenario greet.other")
            .replace("passed tests", "failed tests");
        let differences = compare(EXPECTED, &actual, options(&["tests"], false));
        let summary: Vec<(String, Kind)> = differences
            .iter()
            .map(|d| (d.section.clone(), d.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("scenario greet.repr".to_owned(), Kind::Missing),
                ("scenario greet.other".to_owned(), Kind::Unexpected),
            ]
        );
    }
}

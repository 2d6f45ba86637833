//! Comparing two behaviour texts section by section, with a readable diff for each section
//! that differs, named after its scenario (or API name) and behaviour sentence. The texts are
//! cut by [`crate::snapshot::sections`]: the snapshot module owns their format.

use std::fmt;

use serde::Serialize;

use crate::snapshot::sections;

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

/// The sections of `actual` that differ from `expected`, in `expected`'s order then the extra
/// ones; sections whose key is in `skip` are left out. `labels` name the two sides in diffs.
pub fn compare(
    expected: &str,
    actual: &str,
    skip: &[&str],
    labels: (&str, &str),
) -> Vec<Difference> {
    let expected = sections(expected);
    let actual = sections(actual);
    let skipped = |key: &str| skip.contains(&key);
    let name = |key: &str| {
        if key.is_empty() {
            "header".to_owned()
        } else {
            key.to_owned()
        }
    };
    let mut differences = Vec::new();
    for section in expected.iter().filter(|s| !skipped(s.key)) {
        let found = actual.iter().find(|other| other.key == section.key);
        let (kind, actual_body) = match found {
            None => (Kind::Missing, ""),
            Some(other) if other.body != section.body => (Kind::Changed, other.body.as_str()),
            Some(_) => continue,
        };
        differences.push(Difference {
            section: name(section.key),
            behaviour: section.behaviour().map(str::to_owned),
            kind,
            diff: diff(&section.body, actual_body, labels),
        });
    }
    for section in actual.iter().filter(|s| !skipped(s.key)) {
        if !expected.iter().any(|other| other.key == section.key) {
            differences.push(Difference {
                section: name(section.key),
                behaviour: section.behaviour().map(str::to_owned),
                kind: Kind::Unexpected,
                diff: diff("", &section.body, labels),
            });
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECTED: &str = "package: [PKG]\nstyle: greet\n\n\
        ## scenario greet.static_greet\n\
        behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'\n\
        returned: 'Hello, eunsang !'\n\n\
        ## scenario greet.repr\nbehaviour: repr\nreturned: \"Message('x')\"\n\n\
        ## tests\npassed tests.test_message::test_greet\n";

    #[test]
    fn equal_texts_have_no_differences() {
        assert_eq!(compare(EXPECTED, EXPECTED, &[], ("a", "b")), []);
    }

    #[test]
    fn a_changed_return_value_names_its_scenario() {
        let actual = EXPECTED.replace("returned: 'Hello, eunsang !'", "returned: 'Hi, eunsang !'");
        let differences = compare(EXPECTED, &actual, &[], ("reference", "project"));
        assert_eq!(differences.len(), 1);
        assert_eq!(
            differences[0].to_string(),
            "scenario greet.static_greet differs
  expected behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  --- reference
  +++ project
  @@ -1,2 +1,2 @@
   behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'
  -returned: 'Hello, eunsang !'
  +returned: 'Hi, eunsang !'"
        );
    }

    #[test]
    fn missing_unexpected_and_skipped_sections() {
        let actual = EXPECTED
            .replace("## scenario greet.repr", "## scenario greet.other")
            .replace("passed tests", "failed tests");
        let differences = compare(EXPECTED, &actual, &["tests"], ("a", "b"));
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

//! Every rule proven by a pair, as cargo-semver-checks proves its lints: the files in
//! `fixtures/` hold old/new pairs of behaviour texts and what the engine must find between
//! them, witnesses included. Each rule of [`super::rules::ALL`] has a pair named after it that
//! finds exactly that rule and no other; other pairs show a verdict worth keeping (a
//! `defect: ...` that was once wrong, or `also: ...` another case of a rule).
//!
//! A pair, in a fixture file:
//!
//! ```text
//! === parameter-removed
//! --- old
//! ## api scale
//! ...
//! --- new
//! ...
//! --- source SCENARIO-ID        (optional: a scenario's code, for its witness)
//! ...
//! --- expect
//! breaking parameter-removed: `scale`: parameter `factor` was removed
//!   witness [runs]: raises TypeError
//!   | from pkg import scale
//!   | scale(x, factor=2)
//! ```
//!
//! The old and new texts are behaviour texts without their header: the lines before the first
//! `## ` join a header for the package `pkg`, and blank lines before headings are added. A
//! line starting with `#` outside a block is a comment.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use super::super::compare::{self, Options, WitnessContext};
    use super::super::rules;
    use super::super::witness::Status;

    /// The header every text gets before its own lines.
    const HEADER: &str =
        "package: pkg\nstyle: none\nimport_error: none\ngil_after_import: enabled\n";

    #[derive(Debug, Default)]
    struct Pair {
        name: String,
        file: PathBuf,
        old: String,
        new: String,
        sources: BTreeMap<String, String>,
        expect: String,
    }

    fn folder() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/conformance/fixtures")
    }

    /// A fragment as a whole behaviour text.
    fn text(fragment: &str) -> String {
        let (header, sections) = match fragment.find("\n## ") {
            _ if fragment.starts_with("## ") => ("", fragment),
            Some(at) => (&fragment[..=at], &fragment[at + 1..]),
            None => (fragment, ""),
        };
        let (header, sections) = (
            header.trim_end_matches('\n'),
            sections.trim_end_matches('\n'),
        );
        let mut out = if header.starts_with("package: ") {
            format!("{header}\n")
        } else if header.is_empty() {
            HEADER.to_owned()
        } else {
            format!("{HEADER}{header}\n")
        };
        for line in sections.lines() {
            if line.starts_with("## ") {
                out.push('\n');
            }
            if !(line.is_empty() && out.ends_with("\n\n")) {
                out.push_str(line);
                out.push('\n');
            }
        }
        // Blank lines written before a heading in the fixture are not doubled.
        out.replace("\n\n\n", "\n\n")
    }

    fn pairs() -> Vec<Pair> {
        let mut files: Vec<PathBuf> = fs_err::read_dir(folder())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        files.sort();
        let mut pairs: Vec<Pair> = Vec::new();
        for file in files {
            let mut block: Option<String> = None;
            for line in fs_err::read_to_string(&file).unwrap().lines() {
                if let Some(name) = line.strip_prefix("=== ") {
                    pairs.push(Pair {
                        name: name.trim().to_owned(),
                        file: file.clone(),
                        ..Pair::default()
                    });
                    block = None;
                    continue;
                }
                if let Some(which) = line.strip_prefix("--- ") {
                    block = Some(which.trim().to_owned());
                    continue;
                }
                let (Some(pair), Some(which)) = (pairs.last_mut(), block.as_deref()) else {
                    assert!(
                        line.is_empty() || line.starts_with('#'),
                        "{}: a line outside any block: {line}",
                        file.display()
                    );
                    continue;
                };
                let target = match which {
                    "old" => &mut pair.old,
                    "new" => &mut pair.new,
                    "expect" => &mut pair.expect,
                    source => pair
                        .sources
                        .entry(source.strip_prefix("source ").unwrap_or(source).to_owned())
                        .or_default(),
                };
                target.push_str(line);
                target.push('\n');
            }
        }
        for pair in &mut pairs {
            let trimmed = pair.expect.trim_end().to_owned();
            pair.expect = if trimmed.is_empty() {
                trimmed
            } else {
                trimmed + "\n"
            };
        }
        pairs
    }

    /// Every finding between the pair's texts, as the `expect` block writes them.
    fn found(pair: &Pair) -> String {
        let scenario_code = |id: &str| pair.sources.get(id).map(|code| code.trim_end().to_owned());
        let context = WitnessContext {
            package: "pkg",
            scenario_code: &scenario_code,
        };
        let options = Options {
            skip: &[],
            labels: ("old", "new"),
            strict: false,
            witnesses: Some(&context),
        };
        let (old, new) = (text(&pair.old), text(&pair.new));
        for (side, text) in [("old", &old), ("new", &new)] {
            if let Err(error) = crate::snapshot::read(text) {
                panic!(
                    "{} `{}`: the {side} text does not read: {error}\n{text}",
                    pair.file.display(),
                    pair.name
                );
            }
        }
        let mut out = String::new();
        for difference in compare::compare(&old, &new, options) {
            for finding in &difference.findings {
                out.push_str(&format!(
                    "{} {}: {}\n",
                    finding.impact.as_str(),
                    finding.rule.id,
                    finding.explanation
                ));
                if let Some(witness) = &finding.witness {
                    let how = match (witness.status, &witness.check) {
                        (Status::Confirmed, _) => "confirmed",
                        (_, Some(_)) => "runs",
                        (_, None) => "derived",
                    };
                    let what = witness.raises.as_ref().map_or_else(
                        || "behaves differently".to_owned(),
                        |raises| format!("raises {raises}"),
                    );
                    out.push_str(&format!("  witness [{how}]: {what}\n"));
                    for line in witness.code.lines() {
                        out.push_str(&format!("  | {line}\n"));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_pair_finds_what_it_expects() {
        let mut wrong = Vec::new();
        for pair in pairs() {
            let found = found(&pair);
            if found != pair.expect {
                wrong.push(format!(
                    "{} `{}`:\n--- expected\n{}--- found\n{found}",
                    pair.file.display(),
                    pair.name,
                    pair.expect
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Every explanation the pairs make the engine write (so every rule's, with the values the
    /// engine fills in) reads as a sentence: no placeholder left, backticks around names and
    /// values only, balanced and never nested. (`[PKG]` is the texts' own spelling of the
    /// package, which the report replaces with its name: `pipeline::named_after_package`.)
    #[test]
    fn every_explanation_the_engine_writes_reads_well() {
        let mut problems = Vec::new();
        for pair in pairs() {
            for line in found(&pair).lines().filter(|line| !line.starts_with(' ')) {
                let (rule, text) = line.split_once(": ").unwrap_or(("", line));
                let mut problem = |what: &str| problems.push(format!("{rule}: {what} in {text:?}"));
                if text.contains("{subject}") || text.contains("{detail}") {
                    problem("a placeholder is left");
                }
                if text.matches('`').count() % 2 != 0 {
                    problem("unbalanced backticks");
                }
                if text.contains("``") {
                    problem("a code span inside another");
                }
                // A code span holds a name or a value, never the sentence around it.
                if text.split('`').skip(1).step_by(2).any(|span| {
                    span.contains(" was ") || span.contains(" is ") || span.ends_with(" now")
                }) {
                    problem("prose inside a code span");
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_rule_has_a_pair_that_finds_it_alone() {
        let pairs = pairs();
        for rule in rules::ALL {
            let pair = pairs
                .iter()
                .find(|pair| pair.name == rule.id)
                .unwrap_or_else(|| {
                    panic!(
                        "the rule `{}` has no pair: add `=== {}` with old and new texts and what the \
                         engine finds to a file in {}",
                        rule.id,
                        rule.id,
                        folder().display()
                    )
                });
            let findings: Vec<&str> = pair
                .expect
                .lines()
                .filter(|line| !line.starts_with(' '))
                .collect();
            // Exactly that rule: once, or once per thing it is about (two swapped parameters
            // each moved).
            let alone = format!("{} {}: ", rule.impact.as_str(), rule.id);
            assert!(
                !findings.is_empty() && findings.iter().all(|found| found.starts_with(&alone)),
                "the pair `{}` must expect `{alone}...` and nothing else, not {findings:?}",
                rule.id
            );
        }
        // And no pair names a rule that is not in the table.
        for pair in &pairs {
            assert!(
                pair.name.starts_with("defect: ")
                    || pair.name.starts_with("also: ")
                    || rules::ALL.iter().any(|rule| rule.id == pair.name),
                "the pair `{}` names no rule: name it after one, or start it with `defect: ` or `also: `",
                pair.name
            );
        }
    }

    #[test]
    fn fragments_become_whole_texts() {
        assert_eq!(
            text("all: A\n## api A\nkind: function\n## api B\nkind: class\n"),
            format!("{HEADER}all: A\n\n## api A\nkind: function\n\n## api B\nkind: class\n")
        );
        assert_eq!(text(""), HEADER);
        assert_eq!(
            text("package: other\nstyle: none\n"),
            "package: other\nstyle: none\n"
        );
    }
}

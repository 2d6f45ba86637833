//! Snapshot lines that hold on some Python versions only.
//!
//! A committed behaviour text holds for every interpreter the harness runs. Where behaviour
//! differs by version for a real reason, the line says for which versions it holds, with a tag
//! at its end:
//!
//! ```text
//! gil_after_import: enabled  [python >=3.11]
//! gil_after_import: disabled  [python >=3.14t]
//! ```
//!
//! A line without a tag holds on every version. [`resolve`] turns a tagged text into what one
//! interpreter must show; [`update`] folds what one interpreter showed back into the tagged
//! text (lines for other versions stay as they are, new lines come untagged), so that a
//! snapshot review shows exactly what changed on this interpreter and a tag is only ever
//! written by hand, deliberately. There is no filter that hides a difference on some versions:
//! every version's lines are compared in full.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::base::python_version::{PythonVersion, VersionSpec};

const OPEN: &str = "  [python ";

/// A line cut into its text and its tag, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedLine<'a> {
    pub text: &'a str,
    pub spec: Option<VersionSpec>,
}

/// A tag that is not a valid spec: the error names the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of the snapshot has a bad version tag: {message}")]
pub struct TagError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// Splits a line ending in `  [python SPEC]` into its text and spec.
pub fn parse_line(line: &str) -> Result<TaggedLine<'_>, String> {
    let Some(body) = line.strip_suffix(']') else {
        return Ok(TaggedLine {
            text: line,
            spec: None,
        });
    };
    let Some(at) = body.rfind(OPEN) else {
        return Ok(TaggedLine {
            text: line,
            spec: None,
        });
    };
    let spec = VersionSpec::parse(&body[at + OPEN.len()..])?;
    Ok(TaggedLine {
        text: &body[..at],
        spec: Some(spec),
    })
}

fn parse_all(text: &str) -> Result<Vec<TaggedLine<'_>>, TagError> {
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            parse_line(line).map_err(|message| TagError {
                line: index + 1,
                message,
            })
        })
        .collect()
}

fn holds(line: &TaggedLine<'_>, version: PythonVersion) -> bool {
    line.spec.as_ref().is_none_or(|spec| spec.matches(version))
}

/// What `version` must show: untagged lines, and tagged lines whose spec matches it (without
/// their tag).
pub fn resolve(text: &str, version: PythonVersion) -> Result<String, TagError> {
    let mut out = String::with_capacity(text.len());
    for line in parse_all(text)? {
        if holds(&line, version) {
            out.push_str(line.text);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The tagged text with `actual` (what `version` showed) in place of what `version` was
/// expected to show: lines equal on both sides keep their tags, lines tagged for other
/// versions stay where they were, lines `version` no longer shows go, and new lines come
/// untagged (holding, until someone tags them, for every version).
pub fn update(tagged: &str, actual: &str, version: PythonVersion) -> Result<String, TagError> {
    let lines = parse_all(tagged)?;
    let raw: Vec<&str> = tagged.lines().collect();
    // The lines `version` was expected to show, with where each sits in the tagged text.
    let (expected, at): (Vec<&str>, Vec<usize>) = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| holds(line, version))
        .map(|(index, line)| (line.text, index))
        .unzip();
    let shown: Vec<&str> = actual.lines().collect();
    let mut out: Vec<&str> = Vec::with_capacity(raw.len().max(shown.len()));
    // The next line of the tagged text not yet written out.
    let mut next = 0;
    for op in capture_diff_slices(Algorithm::Myers, &expected, &shown) {
        // Other versions' lines before the op's first expected line stay in place.
        if let Some(&first) = at.get(op.old_range().start) {
            out.extend(&raw[next..first]);
            next = next.max(first);
        }
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                for k in old_index..old_index + len {
                    out.extend(&raw[next..at[k]]);
                    out.push(raw[at[k]]);
                    next = at[k] + 1;
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => next = next.max(at[old_index + old_len - 1] + 1),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(&shown[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                next = next.max(at[old_index + old_len - 1] + 1);
                out.extend(&shown[new_index..new_index + new_len]);
            }
        }
    }
    out.extend(&raw[next..]);
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PythonVersion {
        PythonVersion::parse(text).unwrap()
    }

    const TAGGED: &str = "\
package: [PKG]
gil_after_import: enabled  [python >=3.11]
gil_after_import: disabled  [python >=3.14t]

## tests
passed tests.test_a::test_one
skipped tests.test_free_threading::test_gil  [python >=3.11]
  message: a build with a GIL always has it on  [python >=3.11]
passed tests.test_free_threading::test_gil  [python >=3.14t]
";

    #[test]
    fn each_version_sees_its_own_lines_and_untagged_ones() {
        assert_eq!(
            resolve(TAGGED, v("3.12")).unwrap(),
            "package: [PKG]\ngil_after_import: enabled\n\n## tests\n\
             passed tests.test_a::test_one\nskipped tests.test_free_threading::test_gil\n  \
             message: a build with a GIL always has it on\n"
        );
        assert_eq!(
            resolve(TAGGED, v("3.14t")).unwrap(),
            "package: [PKG]\ngil_after_import: disabled\n\n## tests\n\
             passed tests.test_a::test_one\npassed tests.test_free_threading::test_gil\n"
        );
    }

    #[test]
    fn a_bracket_that_is_no_tag_is_text() {
        let line = parse_line("returned: ['a', 'b']").unwrap();
        assert_eq!(line.text, "returned: ['a', 'b']");
        assert_eq!(line.spec, None);
        assert_eq!(
            resolve("x: [python]\n", v("3.11")).unwrap(),
            "x: [python]\n"
        );
    }

    #[test]
    fn a_bad_tag_names_its_line() {
        let error = resolve("a\nb  [python 3.x]\n", v("3.11")).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error
                .to_string()
                .starts_with("line 2 of the snapshot has a bad version tag: `3.x`")
        );
    }

    #[test]
    fn an_unchanged_run_leaves_the_tagged_text_as_it_is() {
        for version in ["3.11", "3.13", "3.14t"] {
            let shown = resolve(TAGGED, v(version)).unwrap();
            assert_eq!(
                update(TAGGED, &shown, v(version)).unwrap(),
                TAGGED,
                "{version}"
            );
        }
    }

    #[test]
    fn a_change_on_one_version_keeps_the_other_versions_lines() {
        let shown = resolve(TAGGED, v("3.14t"))
            .unwrap()
            .replace("gil_after_import: disabled", "gil_after_import: enabled")
            .replace("passed tests.test_a", "failed tests.test_a");
        let updated = update(TAGGED, &shown, v("3.14t")).unwrap();
        assert_eq!(
            updated,
            "\
package: [PKG]
gil_after_import: enabled  [python >=3.11]
gil_after_import: enabled

## tests
failed tests.test_a::test_one
skipped tests.test_free_threading::test_gil  [python >=3.11]
  message: a build with a GIL always has it on  [python >=3.11]
passed tests.test_free_threading::test_gil  [python >=3.14t]
"
        );
    }

    #[test]
    fn lines_one_version_no_longer_shows_go_and_new_ones_come_untagged() {
        let shown = "package: [PKG]\n\n## tests\npassed tests.test_a::test_one\nnew line\n";
        let updated = update(TAGGED, shown, v("3.12")).unwrap();
        assert_eq!(
            updated,
            "\
package: [PKG]
gil_after_import: disabled  [python >=3.14t]

## tests
passed tests.test_a::test_one
new line
passed tests.test_free_threading::test_gil  [python >=3.14t]
"
        );
    }
}

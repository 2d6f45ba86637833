//! One file merged three ways: the old template's text (the base), the project's (yours) and
//! the new template's, with diffy's line merge and diff3-style conflict markers that show the
//! base too.
//!
//! diffy merges bytes line by line (`merge_bytes`), so a text file that is not UTF-8 merges
//! like any other. A file with a NUL byte is taken for binary: lines mean nothing in it, so it
//! is never merged; when both sides changed it, the project's bytes are kept and the file is a
//! conflict, without markers.

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

/// How the three sides are named in the conflict markers.
#[derive(Debug, Clone)]
pub struct Labels {
    /// The old template, e.g. `template 0.1.0 (2d8afceee2f7)`.
    pub base: String,
    /// The new template.
    pub theirs: String,
}

/// What came of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// Both sides' changes, without a conflict.
    Clean(Vec<u8>),
    /// The merge with conflict markers where the changes collide.
    Conflict(Vec<u8>),
    /// A binary file both sides changed: not merged, the project's bytes stay.
    Binary,
}

/// The label diffy gives the project's side, the base and the new template's side.
const DIFFY_LABELS: [&str; 3] = ["ours", "original", "theirs"];

/// The marker openings, in the order they appear in a diff3-style conflict.
const MARKERS: [&str; 3] = ["<<<<<<<", "|||||||", ">>>>>>>"];

/// True for bytes that are not text: a NUL byte, as git decides.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Merges `ours` (the project's file) and `theirs` (the new template's) from their common
/// `base` (the old template's).
pub fn three_way(base: &[u8], ours: &[u8], theirs: &[u8], labels: &Labels) -> Merged {
    if [base, ours, theirs].into_iter().any(is_binary) {
        return Merged::Binary;
    }
    let mut options = MergeOptions::new();
    options
        .set_conflict_style(ConflictStyle::Diff3)
        // Every marker at the start of a line, as `git merge-file` writes them, even after a
        // last line without a line break.
        .set_incomplete_hunk_style(IncompleteHunkStyle::Git);
    match options.merge_bytes(base, ours, theirs) {
        Ok(merged) => Merged::Clean(merged),
        Err(conflicted) => Merged::Conflict(relabel(&conflicted, labels)),
    }
}

/// Names the sides in the markers (`<<<<<<< yours`, `||||||| template 0.1.0 (…)`,
/// `>>>>>>> template 0.2.0 (…)`) instead of diffy's fixed `ours`, `original` and `theirs`.
fn relabel(merged: &[u8], labels: &Labels) -> Vec<u8> {
    let names = ["yours", labels.base.as_str(), labels.theirs.as_str()];
    let mut out = Vec::with_capacity(merged.len() + 64);
    for line in merged.split_inclusive(|byte| *byte == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let replaced = MARKERS
            .iter()
            .zip(DIFFY_LABELS)
            .zip(names)
            .find(|((marker, label), _)| body == format!("{marker} {label}").as_bytes())
            .map(|((marker, _), name)| format!("{marker} {name}"));
        match replaced {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                out.extend_from_slice(&line[body.len()..]);
            }
            None => out.extend_from_slice(line),
        }
    }
    out
}

/// True when `bytes` hold a conflict marker at the start of a line (`<<<<<<< `, `||||||| `
/// or `>>>>>>> `; a line of `=======` alone is a heading underline as often as a marker).
pub fn has_markers(bytes: &[u8]) -> bool {
    bytes.split(|byte| *byte == b'\n').any(|line| {
        MARKERS
            .iter()
            .any(|marker| line.starts_with(marker.as_bytes()) && line.get(7) == Some(&b' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            base: "template 0.1.0 (aaaaaaaaaaaa)".into(),
            theirs: "template 0.2.0 (bbbbbbbbbbbb)".into(),
        }
    }

    #[test]
    fn changes_to_different_lines_merge_cleanly() {
        let base = b"one\ntwo\nthree\nfour\nfive\n";
        let ours = b"ONE\ntwo\nthree\nfour\nfive\n";
        let theirs = b"one\ntwo\nthree\nfour\nFIVE\n";
        assert_eq!(
            three_way(base, ours, theirs, &labels()),
            Merged::Clean(b"ONE\ntwo\nthree\nfour\nFIVE\n".to_vec())
        );
    }

    #[test]
    fn a_collision_shows_every_side_and_the_base() {
        let merged = three_way(b"a\nx\nb\n", b"a\nmine\nb\n", b"a\nnew\nb\n", &labels());
        let expected = "a\n<<<<<<< yours\nmine\n||||||| template 0.1.0 (aaaaaaaaaaaa)\nx\n\
                        =======\nnew\n>>>>>>> template 0.2.0 (bbbbbbbbbbbb)\nb\n";
        assert_eq!(merged, Merged::Conflict(expected.as_bytes().to_vec()));
        assert!(has_markers(expected.as_bytes()));
    }

    #[test]
    fn the_markers_start_a_line_after_a_last_line_without_a_break() {
        let Merged::Conflict(text) = three_way(b"x", b"mine", b"new", &labels()) else {
            panic!("a conflict was expected");
        };
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("<<<<<<< yours\nmine\n||||||| "), "{text}");
        assert!(
            text.ends_with("\nnew\n>>>>>>> template 0.2.0 (bbbbbbbbbbbb)\n"),
            "{text}"
        );
    }

    #[test]
    fn text_that_is_not_utf8_merges_and_binary_does_not() {
        let base = b"caf\xe9\nx\ny\nz\n";
        let ours = b"CAF\xc9\nx\ny\nz\n";
        let theirs = b"caf\xe9\nx\ny\nzed\n";
        assert_eq!(
            three_way(base, ours, theirs, &labels()),
            Merged::Clean(b"CAF\xc9\nx\ny\nzed\n".to_vec())
        );
        assert_eq!(three_way(b"\0a", b"\0b", b"\0c", &labels()), Merged::Binary);
    }

    #[test]
    fn markers_are_found_only_at_the_start_of_a_line() {
        assert!(has_markers(b"a\n>>>>>>> template\n"));
        assert!(!has_markers(b"Title\n=======\n"));
        assert!(!has_markers(b"x = '<<<<<<< '\n<<<<<<<<\n"));
    }
}

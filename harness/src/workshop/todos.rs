//! `exercises DIR`: every unfinished workshop exercise of a project, one line each, found in its
//! Rust sources as `todo!("exercise N: …")`.
//!
//! A `grep` for `todo!("exercise` misses the calls that rustfmt breaks over several lines
//! (`todo!(` on one line, the message on the next), so the sources are read as text and the
//! macro's first argument is matched wherever it starts.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::base::error::Result;
use crate::project::tree;

/// `todo!(`, any whitespace (newlines included), then a string literal that starts with
/// `exercise N:`. The literal's text may hold escaped quotes (`\"`).
// A constant pattern, which the tests below compile.
#[allow(clippy::expect_used)]
static EXERCISE_TODO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"todo!\(\s*"exercise (\d+):\s*((?:[^"\\]|\\.)*)""#).expect("a valid pattern")
});

/// One unfinished exercise: where its `todo!(` stands, and what its message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    pub number: u32,
    /// The file, relative to the project folder.
    pub file: PathBuf,
    /// The line of `todo!(`, counted from 1.
    pub line: usize,
    /// The message after `exercise N: `, as written in the source (placeholders included).
    pub title: String,
}

impl fmt::Display for Exercise {
    /// `1  crates/python/src/message.rs:52  greet {name:?} with the core crate's `greet``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}:{}  {}",
            self.number,
            self.file.display(),
            self.line,
            self.title
        )
    }
}

/// The exercises in one Rust source, in the order they appear. A `todo!` after `//` on its line
/// is in a comment and does not count.
pub fn in_source(file: &Path, text: &str) -> Vec<Exercise> {
    EXERCISE_TODO
        .captures_iter(text)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let line_start = text[..whole.start()].rfind('\n').map_or(0, |at| at + 1);
            if text[line_start..whole.start()].contains("//") {
                return None;
            }
            Some(Exercise {
                number: captures[1].parse().ok()?,
                file: file.to_owned(),
                line: text[..whole.start()].matches('\n').count() + 1,
                title: captures[2].to_owned(),
            })
        })
        .collect()
}

/// Every exercise left in the project at `dir`: its `.rs` sources (build folders and venvs left
/// out), sorted by exercise number, then file and line.
pub fn in_project(dir: &Path) -> Result<Vec<Exercise>> {
    let mut found = Vec::new();
    for entry in tree::sources(dir)? {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = fs_err::read_to_string(path)?;
        let relative = path.strip_prefix(dir).unwrap_or(path);
        found.extend(in_source(relative, &text));
    }
    found.sort_by(|a, b| (a.number, &a.file, a.line).cmp(&(b.number, &b.file, b.line)));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(u32, usize, String)> {
        in_source(Path::new("src/lib.rs"), text)
            .into_iter()
            .map(|exercise| (exercise.number, exercise.line, exercise.title))
            .collect()
    }

    #[test]
    fn a_todo_on_one_line() {
        let text = "fn greet() -> String {\n    todo!(\"exercise 1: greet {name:?} here\")\n}\n";
        assert_eq!(found(text), [(1, 2, "greet {name:?} here".to_owned())]);
    }

    #[test]
    fn a_todo_that_rustfmt_split_over_lines_counts_from_its_first_line() {
        let text = "fn f() {\n    trimmed.clear();\n    todo!(\n        \"exercise 6: trim each \
                    of the {} lines\",\n        text.lines().count()\n    )\n}\n";
        assert_eq!(
            found(text),
            [(6, 3, "trim each of the {} lines".to_owned())]
        );
    }

    #[test]
    fn several_in_one_file_in_order_and_escaped_quotes_kept() {
        let text = "todo!(\"exercise 2: keep \\\"it\\\"\")\nx\ntodo!(  \"exercise 10: last\")\n";
        assert_eq!(
            found(text),
            [
                (2, 1, "keep \\\"it\\\"".to_owned()),
                (10, 3, "last".to_owned())
            ]
        );
    }

    #[test]
    fn other_todos_and_commented_ones_do_not_count() {
        let text = "todo!()\ntodo!(\"later\")\n// todo!(\"exercise 1: in a comment\")\n\
                    /// e.g. `todo!(\"exercise 3: in a doc comment\")`\ntodo!(\"exercise: 4\")\n";
        assert_eq!(found(text), []);
    }

    #[test]
    fn a_project_lists_its_exercises_sorted_and_skips_build_folders() {
        let dir = tempfile::tempdir().unwrap();
        let write = |relative: &str, text: &str| {
            let path = dir.path().join(relative);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, text).unwrap();
        };
        write("crates/b/src/lib.rs", "todo!(\"exercise 3: c\")\n");
        write(
            "crates/a/src/lib.rs",
            "\ntodo!(\"exercise 3: b\")\ntodo!(\"exercise 1: a\")\n",
        );
        write(
            "target/debug/build/out.rs",
            "todo!(\"exercise 2: built\")\n",
        );
        write(".venv/lib/x.rs", "todo!(\"exercise 2: venv\")\n");
        write(
            "crates/a/src/notes.txt",
            "todo!(\"exercise 2: not Rust\")\n",
        );

        let lines: Vec<String> = in_project(dir.path())
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "1  crates/a/src/lib.rs:3  a",
                "3  crates/a/src/lib.rs:2  b",
                "3  crates/b/src/lib.rs:1  c",
            ]
        );
    }
}

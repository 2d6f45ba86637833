//! `reset` and `solution`: the bodies of one exercise, put back or shown, and nothing else of
//! the learner's file touched.
//!
//! A three-way patch. The template is rendered twice under the project's name: the exercise
//! version (`workshop=true`) and the complete one. In the exercise version, each
//! `todo!("exercise N: ...")` is a body, [`Region`], with the lines around it as its anchors; the
//! same anchors find the reference body in the complete version, and the learner's current body
//! in their file. The learner's file is changed only between the anchors of exercise N's bodies;
//! when an anchor is gone or no longer unique (the signature was edited, say), the file has
//! changed too much to patch safely and nothing is written.
//!
//! The bodies are the spans [`crate::workshop::todos`] reads. Before `reset` writes, [`guard`]
//! makes sure the patch can destroy nothing: the project must be a workshop render, and the
//! learner's edits outside the exercise bodies must be committed (or `--force` given); what it
//! replaces is [`saved`] first.

pub mod guard;
pub mod saved;

use std::ops::Range;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::workshop::WorkshopError;
use crate::workshop::todos;

/// Lines of context on each side of a body that must still be there, unchanged, to patch it.
const ANCHOR_LINES: usize = 3;

/// One `todo!()` body of the exercise version, with its anchors and its reference body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The file, relative to the project.
    pub file: PathBuf,
    pub exercise: u32,
    before: Vec<String>,
    pub exercise_body: Vec<String>,
    pub solution_body: Vec<String>,
    after: Vec<String>,
}

/// Every exercise body of the exercise render at `exercise_root`, with its reference body from
/// the complete render at `solution_root`; in file order.
pub fn regions(exercise_root: &Path, solution_root: &Path) -> crate::Result<Vec<Region>> {
    let mut spans = todos::in_project(exercise_root)?;
    spans.sort_by(|a, b| (&a.file, a.lines.start).cmp(&(&b.file, b.lines.start)));
    let mut found = Vec::new();
    let mut files: Vec<&PathBuf> = spans.iter().map(|span| &span.file).collect();
    files.dedup();
    for relative in files {
        let text = fs_err::read_to_string(exercise_root.join(relative))?;
        let solution = fs_err::read_to_string(solution_root.join(relative))?;
        let solution: Vec<&str> = solution.lines().collect();
        let lines: Vec<&str> = text.lines().collect();
        for span in spans.iter().filter(|span| &span.file == relative) {
            let body = span.lines.clone();
            let before = lines[body.start.saturating_sub(ANCHOR_LINES)..body.start].to_vec();
            let after = lines
                [body.end.min(lines.len())..(body.end + ANCHOR_LINES).min(lines.len())]
                .to_vec();
            let in_solution = locate(&solution, &before, &after).map_err(|reason| {
                std::io::Error::other(format!(
                    "the complete render's {} has no place for exercise {}'s body: {reason}",
                    relative.display(),
                    span.number
                ))
            })?;
            found.push(Region {
                file: relative.clone(),
                exercise: span.number,
                before: owned(&before),
                exercise_body: owned(&lines[body.start..body.end.min(lines.len())]),
                solution_body: owned(&solution[in_solution]),
                after: owned(&after),
            });
        }
    }
    Ok(found)
}

/// Where the body between `before` and `after` is in `lines`: `before` must be there exactly
/// once, `after` somewhere below it. Lines compare without trailing whitespace (or `\r`).
fn locate(lines: &[&str], before: &[&str], after: &[&str]) -> Result<Range<usize>, String> {
    let same = |a: &str, b: &str| a.trim_end() == b.trim_end();
    let matches_at = |pattern: &[&str], at: usize| {
        at + pattern.len() <= lines.len()
            && pattern
                .iter()
                .zip(&lines[at..])
                .all(|(want, have)| same(want, have))
    };
    let starts: Vec<usize> = (0..=lines.len().saturating_sub(before.len()))
        .filter(|&at| matches_at(before, at))
        .collect();
    let start = match starts.as_slice() {
        [start] => start + before.len(),
        [] => {
            return Err(format!(
                "the lines above the body are no longer there as the template has them \
                 (`{}`)",
                before.last().map_or("", |line| line.trim())
            ));
        }
        _ => {
            return Err(format!(
                "the lines above the body (`{}`) appear {} times",
                before.last().map_or("", |line| line.trim()),
                starts.len()
            ));
        }
    };
    let end = (start..=lines.len())
        .find(|&at| matches_at(after, at))
        .ok_or_else(|| {
            format!(
                "the lines below the body are no longer there as the template has them \
                 (`{}`)",
                after
                    .iter()
                    .find(|line| !line.trim().is_empty())
                    .map_or("", |line| line.trim())
            )
        })?;
    Ok(start..end)
}

fn owned(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|line| (*line).to_owned()).collect()
}

/// A file's text as lines, with how it ends lines, to write it back the same way.
struct FileText {
    lines: Vec<String>,
    newline: &'static str,
    final_newline: bool,
}

impl FileText {
    fn parse(text: &str) -> FileText {
        FileText {
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            final_newline: text.ends_with('\n'),
            lines: text.lines().map(str::to_owned).collect(),
        }
    }

    fn text(&self) -> String {
        let mut text = self.lines.join(self.newline);
        if self.final_newline {
            text.push_str(self.newline);
        }
        text
    }
}

/// A file of the learner's with exercise N's bodies replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    pub file: PathBuf,
    pub old: String,
    pub new: String,
}

/// What a patch puts in place of the bodies it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The exercise's `todo!()`: `reset`.
    Todo,
    /// The reference body: `solution`, and a solved exercise for `dev check`.
    Solution,
}

impl Pick {
    fn body(self, region: &Region) -> &[String] {
        match self {
            Pick::Todo => &region.exercise_body,
            Pick::Solution => &region.solution_body,
        }
    }

    /// What the patch does, as a refusal says it.
    fn action(self, exercise: u32) -> String {
        match self {
            Pick::Todo => format!("reset exercise {exercise}"),
            Pick::Solution => format!("show the solution of exercise {exercise}"),
        }
    }
}

/// `text` with the body of each of `regions` (all of one file) replaced by `pick`'s choice;
/// the error says which body could not be found.
pub fn patch_text(text: &str, regions: &[&Region], pick: Pick) -> Result<String, String> {
    let mut text = FileText::parse(text);
    // Bottom-up, so that replacing one body leaves the line numbers above it valid.
    let mut ranges = Vec::new();
    for region in regions {
        let lines: Vec<&str> = text.lines.iter().map(String::as_str).collect();
        let before: Vec<&str> = region.before.iter().map(String::as_str).collect();
        let after: Vec<&str> = region.after.iter().map(String::as_str).collect();
        let range = locate(&lines, &before, &after)?;
        ranges.push((range, pick.body(region).to_vec()));
    }
    ranges.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, body) in ranges {
        text.lines.splice(range, body);
    }
    Ok(text.text())
}

/// Each file holding a body of `exercise`, with those bodies replaced by `pick`'s choice. Fails,
/// naming the file and why, when any body cannot be found: then no file must be written.
pub fn patch(
    project: &Path,
    regions: &[Region],
    exercise: u32,
    pick: Pick,
) -> Result<Vec<Patched>, WorkshopError> {
    let mut patched: Vec<Patched> = Vec::new();
    for file in files_of(regions, exercise) {
        let refused = |reason: String| WorkshopError::PatchRefused {
            action: pick.action(exercise),
            file: file.display().to_string(),
            reason,
        };
        let old = fs_err::read_to_string(project.join(file))
            .map_err(|error| refused(error.to_string()))?;
        let ours: Vec<&Region> = regions
            .iter()
            .filter(|region| region.exercise == exercise && &region.file == file)
            .collect();
        let new = patch_text(&old, &ours, pick).map_err(refused)?;
        patched.push(Patched {
            file: file.clone(),
            old,
            new,
        });
    }
    Ok(patched)
}

/// The files holding a body of `exercise`, in order.
pub fn files_of(regions: &[Region], exercise: u32) -> Vec<&PathBuf> {
    let mut files: Vec<&PathBuf> = regions
        .iter()
        .filter(|region| region.exercise == exercise)
        .map(|region| &region.file)
        .collect();
    files.dedup();
    files
}

/// The reference solution of exercise N as a diff against the learner's files (empty when
/// theirs is the reference already).
pub fn solution_diff(
    project: &Path,
    regions: &[Region],
    exercise: u32,
) -> Result<String, WorkshopError> {
    let mut out = String::new();
    for patched in patch(project, regions, exercise, Pick::Solution)? {
        let shown = patched.file.display().to_string();
        let diff = TextDiff::from_lines(&patched.old, &patched.new);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("yours/{shown}"), &format!("solution/{shown}"))
                .to_string(),
        );
    }
    Ok(out)
}

/// Writes the patched files, each whole (a temporary file renamed into place, so an interrupted
/// write leaves the old file); called only once every file of the exercise could be patched.
pub fn write(project: &Path, patched: &[Patched]) -> std::io::Result<()> {
    for file in patched.iter().filter(|file| file.old != file.new) {
        let path = project.join(&file.file);
        let dir = path.parent().unwrap_or(project);
        let mut staged = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut staged, file.new.as_bytes())?;
        if let Ok(metadata) = fs_err::metadata(&path) {
            fs_err::set_permissions(staged.path(), metadata.permissions())?;
        }
        staged.persist(&path).map_err(|error| error.error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXERCISE: &str = "\
use core::greet;

impl PyMessage {
    /// Greets `name`.
    #[staticmethod]
    fn greet(name: PyBackedStr) -> String {
        todo!(\"exercise 1: greet {name:?}\")
    }

    /// The text.
    #[getter]
    fn text(&self) -> &str {
        todo!(
            \"exercise 2: return the text of {}\",
            self.name
        )
    }
}
";

    const SOLUTION: &str = "\
use core::greet;

impl PyMessage {
    /// Greets `name`.
    #[staticmethod]
    fn greet(name: PyBackedStr) -> String {
        greet(&name)
    }

    /// The text.
    #[getter]
    fn text(&self) -> &str {
        self.inner.text()
    }
}
";

    /// The two renders and a learner's copy, in three temp folders.
    struct Trees {
        _dir: tempfile::TempDir,
        learner: PathBuf,
        regions: Vec<Region>,
    }

    fn trees(learner: &str) -> Trees {
        let dir = tempfile::tempdir().unwrap();
        for (tree, text) in [
            ("exercise", EXERCISE),
            ("solution", SOLUTION),
            ("learner", learner),
        ] {
            let src = dir.path().join(tree).join("src");
            fs_err::create_dir_all(&src).unwrap();
            fs_err::write(src.join("message.rs"), text).unwrap();
            fs_err::write(src.join("lib.rs"), "mod message;\n").unwrap();
        }
        let regions = regions(&dir.path().join("exercise"), &dir.path().join("solution")).unwrap();
        Trees {
            learner: dir.path().join("learner"),
            _dir: dir,
            regions,
        }
    }

    #[test]
    fn each_todo_is_a_region_with_its_reference_body() {
        let trees = trees(EXERCISE);
        let found: Vec<(u32, usize, Vec<String>)> = trees
            .regions
            .iter()
            .map(|r| (r.exercise, r.exercise_body.len(), r.solution_body.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (1, 1, vec!["        greet(&name)".to_owned()]),
                (2, 4, vec!["        self.inner.text()".to_owned()]),
            ]
        );
        assert!(
            trees
                .regions
                .iter()
                .all(|r| r.file == Path::new("src/message.rs"))
        );
    }

    #[test]
    fn reset_puts_back_one_exercise_and_keeps_every_other_edit() {
        // Both exercises done, a comment of the learner's own, and exercise 1 written over two
        // lines.
        let learner = SOLUTION
            .replace(
                "        greet(&name)\n",
                "        let greeting = greet(&name);\n        greeting\n",
            )
            .replace("use core::greet;\n", "use core::greet; // mine\n");
        let trees = trees(&learner);
        let patched = patch(&trees.learner, &trees.regions, 1, Pick::Todo).unwrap();
        assert_eq!(patched.len(), 1);
        assert_eq!(
            patched[0].new,
            SOLUTION
                .replace(
                    "        greet(&name)\n",
                    "        todo!(\"exercise 1: greet {name:?}\")\n"
                )
                .replace("use core::greet;\n", "use core::greet; // mine\n")
        );
        write(&trees.learner, &patched).unwrap();
        // Exercise 2 back too: the learner's file is the exercise version plus their comment.
        let patched = patch(&trees.learner, &trees.regions, 2, Pick::Todo).unwrap();
        assert_eq!(
            patched[0].new,
            EXERCISE.replace("use core::greet;\n", "use core::greet; // mine\n")
        );
    }

    #[test]
    fn a_file_changed_too_much_is_refused() {
        let learner = SOLUTION.replace(
            "fn greet(name: PyBackedStr) -> String {",
            "fn greet(name: &str) -> String {",
        );
        let trees = trees(&learner);
        let error = patch(&trees.learner, &trees.regions, 1, Pick::Todo).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot reset exercise 1: src/message.rs the lines above the body are no longer \
             there as the template has them (`fn greet(name: PyBackedStr) -> String {`); \
             nothing was changed"
        );
        // Exercise 2's anchors are intact: it still resets.
        assert!(patch(&trees.learner, &trees.regions, 2, Pick::Todo).is_ok());

        let doubled = format!(
            "{SOLUTION}\n{}",
            &SOLUTION[SOLUTION.find("impl").unwrap()..]
        );
        let trees = self::trees(&doubled);
        let error = patch(&trees.learner, &trees.regions, 1, Pick::Todo).unwrap_err();
        assert!(error.to_string().contains("appear 2 times"), "{error}");
    }

    #[test]
    fn the_solution_is_a_diff_against_the_learners_code() {
        let learner = EXERCISE.replace(
            "        todo!(\"exercise 1: greet {name:?}\")\n",
            "        format!(\"Hi {name}\")\n",
        );
        let trees = trees(&learner);
        let diff = solution_diff(&trees.learner, &trees.regions, 1).unwrap();
        assert!(
            diff.starts_with("--- yours/src/message.rs\n+++ solution/src/message.rs\n@@"),
            "{diff}"
        );
        assert!(
            diff.contains("\n-        format!(\"Hi {name}\")\n+        greet(&name)\n"),
            "{diff}"
        );
        // Nothing of exercise 2's is shown.
        assert!(!diff.contains("self.inner.text()"), "{diff}");
        let done = trees_with_solution();
        assert_eq!(solution_diff(&done.learner, &done.regions, 1).unwrap(), "");
    }

    fn trees_with_solution() -> Trees {
        trees(SOLUTION)
    }
}

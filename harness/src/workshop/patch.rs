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

use std::ops::Range;
use std::path::{Path, PathBuf};

use similar::TextDiff;
use walkdir::WalkDir;

use crate::workshop::WorkshopError;

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
/// the complete render at `solution_root`.
pub fn regions(exercise_root: &Path, solution_root: &Path) -> crate::Result<Vec<Region>> {
    let mut found = Vec::new();
    let mut files: Vec<PathBuf> = WalkDir::new(exercise_root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    for path in files {
        let text = fs_err::read_to_string(&path)?;
        if !text.contains("todo!(") {
            continue;
        }
        let relative = path
            .strip_prefix(exercise_root)
            .map_err(std::io::Error::other)?
            .to_owned();
        let solution = fs_err::read_to_string(solution_root.join(&relative))?;
        let solution: Vec<&str> = solution.lines().collect();
        let lines: Vec<&str> = text.lines().collect();
        for (exercise, body) in todo_bodies(&lines) {
            let before = lines[body.start.saturating_sub(ANCHOR_LINES)..body.start].to_vec();
            let after = lines[body.end..(body.end + ANCHOR_LINES).min(lines.len())].to_vec();
            let in_solution = locate(&solution, &before, &after).map_err(|reason| {
                std::io::Error::other(format!(
                    "the complete render's {} has no place for exercise {exercise}'s body: \
                     {reason}",
                    relative.display()
                ))
            })?;
            found.push(Region {
                file: relative.clone(),
                exercise,
                before: owned(&before),
                exercise_body: owned(&lines[body]),
                solution_body: owned(&solution[in_solution]),
                after: owned(&after),
            });
        }
    }
    Ok(found)
}

/// The `todo!("exercise N: ...")` calls of a file: their exercise and their lines (one, or
/// several when rustfmt broke the call up; it then ends with a line that is only `)`).
fn todo_bodies(lines: &[&str]) -> Vec<(u32, Range<usize>)> {
    let mut bodies = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        if !line.trim_start().starts_with("todo!(") {
            at += 1;
            continue;
        }
        let end = if line.trim_end().ends_with("todo!(") {
            lines[at..]
                .iter()
                .position(|l| l.trim() == ")" || l.trim() == ");")
                .map_or(at, |offset| at + offset)
        } else {
            at
        };
        let call = lines[at..=end].join("\n");
        let number = call
            .split("\"exercise ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|number| number.trim().parse::<u32>().ok());
        if let Some(number) = number {
            bodies.push((number, at..end + 1));
        }
        at = end + 1;
    }
    bodies
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
    fn read(path: &Path) -> std::io::Result<FileText> {
        let text = fs_err::read_to_string(path)?;
        Ok(FileText {
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            final_newline: text.ends_with('\n'),
            lines: text.lines().map(str::to_owned).collect(),
        })
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

/// Each file holding a body of `exercise`, with those bodies replaced by `pick`'s choice (the
/// exercise body for reset, the reference for solution). Fails, naming the file and why, when
/// any body cannot be found: then no file must be written.
fn replace(
    project: &Path,
    regions: &[Region],
    exercise: u32,
    pick: fn(&Region) -> &[String],
) -> Result<Vec<Patched>, WorkshopError> {
    let mut patched: Vec<Patched> = Vec::new();
    let ours: Vec<&Region> = regions.iter().filter(|r| r.exercise == exercise).collect();
    let mut files: Vec<&PathBuf> = ours.iter().map(|region| &region.file).collect();
    files.dedup();
    for file in files {
        let refused = |reason: String| WorkshopError::PatchRefused {
            exercise,
            file: file.display().to_string(),
            reason,
        };
        let mut text =
            FileText::read(&project.join(file)).map_err(|error| refused(error.to_string()))?;
        let old = text.text();
        // Bottom-up, so that replacing one body leaves the line numbers above it valid.
        let mut ranges = Vec::new();
        for region in ours.iter().filter(|region| &region.file == file) {
            let lines: Vec<&str> = text.lines.iter().map(String::as_str).collect();
            let before: Vec<&str> = region.before.iter().map(String::as_str).collect();
            let after: Vec<&str> = region.after.iter().map(String::as_str).collect();
            let range = locate(&lines, &before, &after).map_err(&refused)?;
            ranges.push((range, pick(region).to_vec()));
        }
        ranges.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        for (range, body) in ranges {
            text.lines.splice(range, body);
        }
        patched.push(Patched {
            file: file.clone(),
            old,
            new: text.text(),
        });
    }
    Ok(patched)
}

/// The files `reset --exercise N` writes: exercise N's bodies back to their `todo!()`.
pub fn reset(
    project: &Path,
    regions: &[Region],
    exercise: u32,
) -> Result<Vec<Patched>, WorkshopError> {
    replace(project, regions, exercise, |region| &region.exercise_body)
}

/// The reference solution of exercise N as a diff against the learner's files (empty when
/// theirs is the reference already).
pub fn solution_diff(
    project: &Path,
    regions: &[Region],
    exercise: u32,
) -> Result<String, WorkshopError> {
    let mut out = String::new();
    for patched in replace(project, regions, exercise, |region| &region.solution_body)? {
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

/// Writes the patched files; called only once every file of the exercise could be patched.
pub fn write(project: &Path, patched: &[Patched]) -> std::io::Result<()> {
    for file in patched.iter().filter(|file| file.old != file.new) {
        fs_err::write(project.join(&file.file), &file.new)?;
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
        let patched = reset(&trees.learner, &trees.regions, 1).unwrap();
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
        let patched = reset(&trees.learner, &trees.regions, 2).unwrap();
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
        let error = reset(&trees.learner, &trees.regions, 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot reset exercise 1: src/message.rs the lines above the body are no longer \
             there as the template has them (`fn greet(name: PyBackedStr) -> String {`); \
             nothing was changed"
        );
        // Exercise 2's anchors are intact: it still resets.
        assert!(reset(&trees.learner, &trees.regions, 2).is_ok());

        let doubled = format!(
            "{SOLUTION}\n{}",
            &SOLUTION[SOLUTION.find("impl").unwrap()..]
        );
        let trees = self::trees(&doubled);
        let error = reset(&trees.learner, &trees.regions, 1).unwrap_err();
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

    #[test]
    fn todo_calls_over_several_lines_are_found() {
        let lines: Vec<&str> = EXERCISE.lines().collect();
        let bodies = todo_bodies(&lines);
        assert_eq!(bodies, [(1, 6..7), (2, 12..16)]);
        assert_eq!(todo_bodies(&["todo!()", "todo!(\"later\")"]), []);
    }
}

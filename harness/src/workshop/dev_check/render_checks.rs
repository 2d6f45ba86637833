//! What a fresh exercise render must hold before anything is built: the catalogue and the
//! `todo!()`s agree, and every hint level says something and names no placeholder. (That each
//! exercise's pytest marker selects its tests is seen once the render is built: see `steps`.)

use std::path::Path;

use crate::workshop::catalog::CatalogEntry;
use crate::workshop::names::{ProjectNames, placeholders};
use crate::workshop::todos;

/// What a fresh exercise render must hold before anything is built: `(exercise, message)`.
pub(super) fn static_problems(
    project: &Path,
    names: &ProjectNames,
    entries: &[&CatalogEntry],
) -> Vec<(Option<u32>, String)> {
    let mut problems = Vec::new();
    let spans = match todos::in_project(project) {
        Ok(spans) => spans,
        Err(error) => return vec![(None, format!("its sources cannot be read: {error}"))],
    };
    for entry in entries {
        let number = entry.number;
        let mut say = |message: String| problems.push((Some(number), message));
        let ours: Vec<_> = spans.iter().filter(|span| span.number == number).collect();
        if ours.is_empty() {
            say("the workshop render has no `todo!(\"exercise N: ...\")` for it".to_owned());
        } else if !ours.iter().any(|span| span.file == Path::new(&entry.file)) {
            say(format!(
                "its `todo!()` is in {}, not in {} as the catalogue says",
                ours[0].file.display(),
                entry.file
            ));
        }
        if entry.hints.is_empty() {
            say("it has no hints".to_owned());
        }
        for (level, hint) in entry.hints.iter().enumerate() {
            let shown = names.fill(hint);
            if shown.trim().is_empty() {
                say(format!("hint {} is empty", level + 1));
            }
            let left = placeholders(&shown);
            if !left.is_empty() {
                say(format!(
                    "hint {} names placeholders a learner would read: {}",
                    level + 1,
                    left.join(", ")
                ));
            }
        }
    }
    let known: Vec<u32> = entries.iter().map(|entry| entry.number).collect();
    for span in spans.iter().filter(|span| !known.contains(&span.number)) {
        problems.push((
            Some(span.number),
            format!(
                "{}:{} has its `todo!()`, but the catalogue has no such exercise for this style",
                span.file.display(),
                span.line()
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::dev_check::tests::entry;

    #[test]
    fn what_needs_no_build_is_checked_against_the_render() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path();
        fs_err::create_dir_all(project.join("src")).unwrap();
        fs_err::write(
            project.join("src/lib.rs"),
            "fn a() {\n    todo!(\"exercise 1: a\")\n}\nfn b() {\n    todo!(\"exercise 3: c\")\n}\n",
        )
        .unwrap();
        let names = ProjectNames::rendered("my-ext");
        let entries = [
            entry(
                1,
                "src/lib.rs",
                &["Run `cargo test -p {{project-name}}-core`.", "Use it."],
            ),
            entry(2, "src/lib.rs", &["", "plugin '<name>' returned <type>"]),
        ];
        let found = static_problems(project, &names, &entries.iter().collect::<Vec<_>>());
        assert_eq!(
            found,
            [
                (
                    Some(2),
                    "the workshop render has no `todo!(\"exercise N: ...\")` for it".to_owned()
                ),
                (Some(2), "hint 1 is empty".to_owned()),
                (
                    Some(2),
                    "hint 2 names placeholders a learner would read: <name>, <type>".to_owned()
                ),
                (
                    Some(3),
                    "src/lib.rs:5 has its `todo!()`, but the catalogue has no such exercise for \
                     this style"
                        .to_owned()
                ),
            ]
        );
    }
}

//! What must hold before `reset` or `solution` touches a project: it is a workshop render (a
//! mistyped folder must not lose real code to a `todo!()`), and the files a reset replaces hold
//! no edit outside the exercises' bodies that git does not have.

use std::path::{Path, PathBuf};

use crate::base::cmd::Cmd;
use crate::project::Project;
use crate::workshop::WorkshopError;
use crate::workshop::patch::{Pick, Region, patch_text};

/// The answer that makes a render the exercise version.
const WORKSHOP: &str = "workshop";

/// Refuses a project whose `[tool.pyo3-scaffold]` table does not record `workshop = true`.
/// Stricter than [`crate::workshop::is_workshop`], which also takes a project with `todo!()`s
/// and no answer for a learner's when it only reads: these commands write, and only the answer
/// says the bodies they replace are the exercises'.
pub fn require_workshop(command: &'static str, project: &Project) -> Result<(), WorkshopError> {
    let reason = match project.provenance() {
        None => "has no [tool.pyo3-scaffold] table (it was not made from the template)".to_owned(),
        Some(provenance) => match provenance.answers.get(WORKSHOP) {
            Some(toml::Value::Boolean(true)) => return Ok(()),
            Some(value) => format!("answers `{WORKSHOP} = {value}`"),
            None => "records no `workshop` answer".to_owned(),
        },
    };
    Err(WorkshopError::NotAWorkshop {
        command,
        dir: project.root.clone(),
        reason,
    })
}

/// Those of `files` (relative to `project`) whose text outside every exercise body differs from
/// the exercise render at `exercise_root` and from the project's last commit: edits of the
/// learner's that a patch of the file could lose. A file whose bodies cannot all be found is
/// among them (their anchors are outside the bodies).
pub fn edited_outside(
    project: &Path,
    regions: &[Region],
    exercise_root: &Path,
    files: &[&PathBuf],
) -> std::io::Result<Vec<PathBuf>> {
    let mut edited = Vec::new();
    for &file in files {
        let ours: Vec<&Region> = regions.iter().filter(|r| &r.file == file).collect();
        let outside = |text: &str| patch_text(text, &ours, Pick::Todo).ok();
        let Some(theirs) = outside(&fs_err::read_to_string(project.join(file))?) else {
            edited.push(file.clone());
            continue;
        };
        let rendered = fs_err::read_to_string(exercise_root.join(file))?;
        let committed = committed(project, file).and_then(|text| outside(&text));
        let same = |other: &str| same_lines(&theirs, other);
        if !same(&rendered) && !committed.as_deref().is_some_and(same) {
            edited.push(file.clone());
        }
    }
    Ok(edited)
}

/// Two texts with the same lines, whatever their line endings and trailing spaces.
fn same_lines(a: &str, b: &str) -> bool {
    a.lines()
        .map(str::trim_end)
        .eq(b.lines().map(str::trim_end))
}

/// The file as the project's last commit has it; `None` when there is no git, no repository,
/// no commit or no such file in it.
fn committed(project: &Path, file: &Path) -> Option<String> {
    let output = Cmd::new("git")
        .arg("show")
        .arg(format!(
            "HEAD:./{}",
            file.to_string_lossy().replace('\\', "/")
        ))
        .cwd(project)
        .stdout_limit(64 << 20)
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::patch::regions;

    const EXERCISE: &str = "use core::greet;\n\nfn greet(name: &str) -> String {\n    \
                            todo!(\"exercise 1: greet {name:?}\")\n}\n\nfn other() {}\n";

    fn project(pyproject_answers: &str) -> Project {
        let text = format!("[project]\nname = \"my-ext\"\n[tool.maturin]\n{pyproject_answers}");
        Project::parse(&text).unwrap()
    }

    #[test]
    fn only_a_workshop_render_is_patched() {
        let refused = |answers: &str| {
            require_workshop("reset", &project(answers))
                .map_err(|error| error.to_string())
                .err()
        };
        assert_eq!(
            refused("[tool.pyo3-scaffold.answers]\nworkshop = true\n"),
            None
        );
        assert_eq!(
            refused("[tool.pyo3-scaffold.answers]\nworkshop = false\n").as_deref(),
            Some(
                " is not a workshop project: its pyproject.toml answers `workshop = false`, so \
                 `reset` would replace real code; nothing was changed"
            )
        );
        assert!(
            refused("")
                .unwrap()
                .contains("has no [tool.pyo3-scaffold] table")
        );
        assert!(
            refused("[tool.pyo3-scaffold]\nstyle = \"greet\"\n")
                .unwrap()
                .contains("records no `workshop` answer")
        );
    }

    /// An exercise render, a complete one, and the learner's file: the files edited outside.
    fn outside(learner: &str) -> Vec<PathBuf> {
        let dir = tempfile::tempdir().unwrap();
        let solution = EXERCISE.replace("todo!(\"exercise 1: greet {name:?}\")", "greet(name)");
        for (tree, text) in [
            ("exercise", EXERCISE),
            ("solution", &solution),
            ("learner", learner),
        ] {
            let src = dir.path().join(tree).join("src");
            fs_err::create_dir_all(&src).unwrap();
            fs_err::write(src.join("lib.rs"), text).unwrap();
        }
        let exercise = dir.path().join("exercise");
        let regions = regions(&exercise, &dir.path().join("solution")).unwrap();
        let file = PathBuf::from("src/lib.rs");
        edited_outside(&dir.path().join("learner"), &regions, &exercise, &[&file]).unwrap()
    }

    #[test]
    fn edits_inside_the_bodies_are_the_learners_to_lose_and_others_are_not() {
        let solved = EXERCISE.replace(
            "todo!(\"exercise 1: greet {name:?}\")",
            "let hello = greet(name);\n    hello",
        );
        assert_eq!(outside(&solved), Vec::<PathBuf>::new());
        assert_eq!(
            outside(&EXERCISE.replace("\n", "\r\n")),
            Vec::<PathBuf>::new()
        );
        let helper = format!("{solved}\nfn mine() {{}}\n");
        assert_eq!(outside(&helper), [PathBuf::from("src/lib.rs")]);
        let signature = solved.replace("fn greet(name: &str)", "fn greet(name: String)");
        assert_eq!(outside(&signature), [PathBuf::from("src/lib.rs")]);
    }
}

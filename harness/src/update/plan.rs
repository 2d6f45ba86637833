//! What an update does to each file, decided from three trees: the old template's render (the
//! base), the project folder (yours) and the new template's render (theirs).
//!
//! | the template… | you…                     | the update                                   |
//! | ------------- | ------------------------ | -------------------------------------------- |
//! | kept the file | anything                 | leaves it as it is                           |
//! | changed it    | never touched it         | writes the new template's text (`updated`)   |
//! | changed it    | changed it               | merges both (`merged`, or `conflict`)         |
//! | changed it    | deleted it               | leaves it deleted, and says so               |
//! | added it      | have none                | adds it (`added`)                            |
//! | added it      | have another             | merges both from nothing (`conflict`)        |
//! | removed it    | never touched it         | removes it (`removed`)                       |
//! | removed it    | changed it               | keeps yours, and says so                     |
//!
//! While any file is conflicted, `pyproject.toml`'s `[tool.pyo3-scaffold]` keeps naming the old
//! template (see [`crate::update::table`]).

use std::path::Path;

use crate::base::error::Result;
use crate::update::files::{Files, ProjectFile, project_file};
use crate::update::merge::{self, Labels, Merged};
use crate::update::table;

/// What the update does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// You never touched it: it takes the new template's text.
    Updated,
    /// Both changed it: merged without a conflict.
    Merged,
    /// Both changed it and the changes collide: merged with conflict markers.
    Conflict,
    /// Both changed a binary file: yours is kept, unmerged.
    BinaryConflict,
    /// New in the template.
    Added,
    /// The template removed it and you never changed it.
    Removed,
    /// You deleted it and the template changed it: it stays deleted.
    KeptDeleted,
    /// The template removed it (or has a file where you have a folder or a link), and the
    /// project's is its own: kept.
    KeptYours,
    /// Not a template's file: a lock file of the project, brought in line with the merged
    /// manifests once the merge is clean.
    Relocked,
}

impl Action {
    /// The word the file list shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Updated => "updated",
            Action::Merged => "merged",
            Action::Conflict => "conflict",
            Action::BinaryConflict => "conflict (binary: yours kept)",
            Action::Added => "added",
            Action::Removed => "removed",
            Action::KeptDeleted => "deleted by you, stays deleted",
            Action::KeptYours => "removed from the template, yours kept",
            Action::Relocked => "relocked",
        }
    }

    pub fn is_conflict(self) -> bool {
        matches!(self, Action::Conflict | Action::BinaryConflict)
    }
}

/// One file the update touches or reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub action: Action,
    /// The project's bytes before the update (`None`: no file).
    pub before: Option<Vec<u8>>,
    /// Its bytes after the update (`None`: no file). Equal to `before` for what is only
    /// reported.
    pub after: Option<Vec<u8>>,
}

impl Change {
    /// True when the update writes or removes the file.
    pub fn writes(&self) -> bool {
        self.before != self.after
    }
}

/// Everything an update does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The files it touches or reports, by path.
    pub changes: Vec<Change>,
    /// The template's files it leaves as they are.
    pub unchanged: usize,
}

/// How to read a base tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseKind {
    /// A render of the old template: every file of it is the template's.
    Render,
    /// A commit of the project (`--base REV`), which may hold files of the user's too: a file
    /// the new template lacks is never removed.
    Commit,
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.changes
            .iter()
            .filter(|change| change.action == action)
            .count()
    }

    /// The conflicted files.
    pub fn conflicts(&self) -> Vec<&str> {
        self.changes
            .iter()
            .filter(|change| change.action.is_conflict())
            .map(|change| change.path.as_str())
            .collect()
    }

    /// The changes that write or remove a file.
    pub fn writes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|change| change.writes())
    }

    /// True when the update writes nothing.
    pub fn is_empty(&self) -> bool {
        self.writes().next().is_none()
    }

    /// `14 files unchanged, 5 updated, 1 merged, 1 added, 0 conflicts`, with `removed`, `kept`
    /// and `stay deleted` when there are any.
    pub fn summary(&self) -> String {
        let mut parts = vec![
            format!("{} files unchanged", self.unchanged),
            format!("{} updated", self.count(Action::Updated)),
            format!("{} merged", self.count(Action::Merged)),
            format!("{} added", self.count(Action::Added)),
        ];
        for (action, word) in [
            (Action::Removed, "removed"),
            (Action::KeptYours, "kept"),
            (Action::KeptDeleted, "stay deleted"),
        ] {
            let count = self.count(action);
            if count > 0 {
                parts.push(format!("{count} {word}"));
            }
        }
        let conflicts = self.conflicts().len();
        parts.push(format!(
            "{conflicts} conflict{}",
            if conflicts == 1 { "" } else { "s" }
        ));
        parts.join(", ")
    }
}

/// The plan for the project folder `project`, from the `base` and `theirs` trees.
pub fn build(
    base: &Files,
    theirs: &Files,
    project: &Path,
    labels: &Labels,
    kind: BaseKind,
) -> Result<Plan> {
    let mut plan = Plan::default();
    let paths: std::collections::BTreeSet<&String> = base.keys().chain(theirs.keys()).collect();
    for path in paths {
        let ours = project_file(project, path)?;
        match decide(base.get(path), &ours, theirs.get(path), labels, kind) {
            Some((action, after)) => plan.changes.push(Change {
                path: path.clone(),
                action,
                before: match ours {
                    ProjectFile::File(bytes) => Some(bytes),
                    _ => None,
                },
                after,
            }),
            None => plan.unchanged += 1,
        }
    }
    if !plan.conflicts().is_empty() {
        hold_provenance(&mut plan, base, theirs, project, labels, kind)?;
    }
    Ok(plan)
}

/// What happens to one file; `None` when nothing does.
fn decide(
    base: Option<&Vec<u8>>,
    ours: &ProjectFile,
    theirs: Option<&Vec<u8>>,
    labels: &Labels,
    kind: BaseKind,
) -> Option<(Action, Option<Vec<u8>>)> {
    if base == theirs {
        return None;
    }
    let ours = match ours {
        ProjectFile::File(bytes) => Some(bytes),
        ProjectFile::Missing => None,
        // Only a file is the template's to change.
        ProjectFile::Other => return Some((Action::KeptYours, None)),
    };
    if ours == theirs {
        return None;
    }
    Some(match (base, ours, theirs) {
        (_, None, None) => return None,
        // Deleted by you; the template changed it.
        (Some(_), None, Some(_)) => (Action::KeptDeleted, None),
        (None, None, Some(theirs)) => (Action::Added, Some(theirs.clone())),
        (Some(base), Some(ours), None) if ours == base => match kind {
            BaseKind::Render => (Action::Removed, None),
            BaseKind::Commit => return None,
        },
        (Some(_), Some(ours), None) => (Action::KeptYours, Some(ours.clone())),
        (Some(base), Some(ours), Some(theirs)) if ours == base => {
            (Action::Updated, Some(theirs.clone()))
        }
        (base, Some(ours), Some(theirs)) => {
            let empty = Vec::new();
            match merge::three_way(base.unwrap_or(&empty), ours, theirs, labels) {
                Merged::Clean(bytes) => (Action::Merged, Some(bytes)),
                Merged::Conflict(bytes) => (Action::Conflict, Some(bytes)),
                Merged::Binary => (Action::BinaryConflict, Some(ours.clone())),
            }
        }
        // A file only you have is not the template's: not in `base` or `theirs`.
        (None, Some(ours), None) => (Action::KeptYours, Some(ours.clone())),
    })
}

/// The file that records the template.
const PYPROJECT: &str = "pyproject.toml";

/// Decides `pyproject.toml` again with the new template's `[tool.pyo3-scaffold]` replaced by the
/// old one's: while conflicts remain, the record keeps naming the template the merge started
/// from, so that finishing the update (or running it again) merges from the same base.
fn hold_provenance(
    plan: &mut Plan,
    base: &Files,
    theirs: &Files,
    project: &Path,
    labels: &Labels,
    kind: BaseKind,
) -> Result<()> {
    let (Some(old), Some(new)) = (base.get(PYPROJECT), theirs.get(PYPROJECT)) else {
        return Ok(());
    };
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return Ok(());
    };
    let Some(held) = table::get(old).and_then(|section| table::replace(new, section)) else {
        return Ok(());
    };
    let held = held.into_bytes();
    let ours = project_file(project, PYPROJECT)?;
    let decided = decide(
        Some(&old.as_bytes().to_vec()),
        &ours,
        Some(&held),
        labels,
        kind,
    );
    let index = plan
        .changes
        .iter()
        .position(|change| change.path == PYPROJECT);
    match (decided, index) {
        (Some((action, after)), Some(index)) => {
            plan.changes[index].action = action;
            plan.changes[index].after = after;
        }
        (Some((action, after)), None) => {
            plan.unchanged -= 1;
            plan.changes.push(Change {
                path: PYPROJECT.to_owned(),
                action,
                before: match ours {
                    ProjectFile::File(bytes) => Some(bytes),
                    _ => None,
                },
                after,
            });
            plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
        }
        (None, Some(index)) => {
            plan.changes.remove(index);
            plan.unchanged += 1;
        }
        (None, None) => {}
    }
    Ok(())
}

/// A unified diff of what the plan does, file by file, for `--dry-run`.
pub fn diff(plan: &Plan) -> String {
    let mut out = String::new();
    for change in plan.writes() {
        let text = |bytes: &Option<Vec<u8>>| {
            bytes
                .as_deref()
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default()
        };
        let (before, after) = (text(&change.before), text(&change.after));
        let old = match change.before {
            Some(_) => format!("a/{}", change.path),
            None => "/dev/null".to_owned(),
        };
        let new = match change.after {
            Some(_) => format!("b/{}", change.path),
            None => "/dev/null".to_owned(),
        };
        out.push_str(&format!(
            "diff ({}) {}\n",
            change.action.as_str(),
            change.path
        ));
        out.push_str(
            &similar::TextDiff::from_lines(&before, &after)
                .unified_diff()
                .context_radius(3)
                .header(&old, &new)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            base: "template old".into(),
            theirs: "template new".into(),
        }
    }

    fn files(items: &[(&str, &str)]) -> Files {
        items
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect()
    }

    fn write(root: &Path, items: &[(&str, &str)]) {
        for (path, text) in items {
            let full = root.join(path);
            fs_err::create_dir_all(full.parent().unwrap()).unwrap();
            fs_err::write(full, text).unwrap();
        }
    }

    fn actions(plan: &Plan) -> Vec<(&str, Action)> {
        plan.changes
            .iter()
            .map(|change| (change.path.as_str(), change.action))
            .collect()
    }

    #[test]
    fn each_file_gets_the_rule_of_its_row() {
        let base = files(&[
            ("same.txt", "same\n"),
            ("untouched.txt", "old\n"),
            ("both.txt", "a\nb\nc\nd\ne\n"),
            ("deleted.txt", "old\n"),
            ("gone.txt", "old\n"),
            ("gone-edited.txt", "old\n"),
            ("already.txt", "old\n"),
        ]);
        let theirs = files(&[
            ("same.txt", "same\n"),
            ("untouched.txt", "new\n"),
            ("both.txt", "a\nb\nc\nd\nE\n"),
            ("deleted.txt", "new\n"),
            ("already.txt", "new\n"),
            ("fresh.txt", "fresh\n"),
        ]);
        let project = tempfile::tempdir().unwrap();
        write(
            project.path(),
            &[
                ("same.txt", "mine\n"),
                ("untouched.txt", "old\n"),
                ("both.txt", "A\nb\nc\nd\ne\n"),
                ("gone.txt", "old\n"),
                ("gone-edited.txt", "mine\n"),
                ("already.txt", "new\n"),
                ("own.txt", "mine\n"),
            ],
        );
        let plan = build(&base, &theirs, project.path(), &labels(), BaseKind::Render).unwrap();
        assert_eq!(
            actions(&plan),
            [
                ("both.txt", Action::Merged),
                ("deleted.txt", Action::KeptDeleted),
                ("fresh.txt", Action::Added),
                ("gone-edited.txt", Action::KeptYours),
                ("gone.txt", Action::Removed),
                ("untouched.txt", Action::Updated),
            ]
        );
        let after = |path: &str| {
            plan.changes
                .iter()
                .find(|change| change.path == path)
                .unwrap()
                .after
                .clone()
        };
        assert_eq!(after("both.txt"), Some(b"A\nb\nc\nd\nE\n".to_vec()));
        assert_eq!(after("untouched.txt"), Some(b"new\n".to_vec()));
        assert_eq!(after("gone.txt"), None);
        assert_eq!(after("deleted.txt"), None);
        // same.txt (the template kept it) and already.txt (already the new text).
        assert_eq!(plan.unchanged, 2);
        assert_eq!(
            plan.summary(),
            "2 files unchanged, 1 updated, 1 merged, 1 added, 1 removed, 1 kept, 1 stay deleted, \
             0 conflicts"
        );
        assert_eq!(plan.writes().count(), 4);
        // From a commit, a file the new template lacks may be the user's: never removed.
        let from_commit =
            build(&base, &theirs, project.path(), &labels(), BaseKind::Commit).unwrap();
        assert!(!actions(&from_commit).contains(&("gone.txt", Action::Removed)));
    }

    #[test]
    fn a_conflict_holds_the_record_of_the_old_template() {
        let pyproject = |fingerprint: &str, extra: &str| {
            format!(
                "[project]\nname = \"x\"\n{extra}\n[tool.pyo3-scaffold]\n\
                 template-fingerprint = \"{fingerprint}\"\n"
            )
        };
        let base = files(&[("pyproject.toml", &pyproject("old", "")), ("a.txt", "x\n")]);
        let theirs = files(&[
            ("pyproject.toml", &pyproject("new", "dependencies = []\n")),
            ("a.txt", "template\n"),
        ]);
        let project = tempfile::tempdir().unwrap();
        write(
            project.path(),
            &[
                ("pyproject.toml", &pyproject("old", "")),
                ("a.txt", "mine\n"),
            ],
        );
        let plan = build(&base, &theirs, project.path(), &labels(), BaseKind::Render).unwrap();
        assert_eq!(plan.conflicts(), ["a.txt"]);
        let pyproject_after = plan
            .changes
            .iter()
            .find(|change| change.path == "pyproject.toml")
            .unwrap();
        assert_eq!(pyproject_after.action, Action::Updated);
        assert_eq!(
            String::from_utf8(pyproject_after.after.clone().unwrap()).unwrap(),
            pyproject("old", "dependencies = []\n")
        );
        // Without the conflict, the record moves on.
        write(project.path(), &[("a.txt", "x\n")]);
        let clean = build(&base, &theirs, project.path(), &labels(), BaseKind::Render).unwrap();
        let moved = clean
            .changes
            .iter()
            .find(|change| change.path == "pyproject.toml")
            .unwrap();
        assert_eq!(
            moved.after.as_deref(),
            Some(pyproject("new", "dependencies = []\n").as_bytes())
        );
        assert!(diff(&clean).contains("-x\n+template\n"), "{}", diff(&clean));
    }
}

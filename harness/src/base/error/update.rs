//! What can go wrong in `update`, each with the data to act on and a hint.

use std::path::PathBuf;

use crate::base::fault::Fault;

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(
        "{} has no [tool.pyo3-scaffold] table in its pyproject.toml: update needs the template \
         and answers it was made with",
        dir.display()
    )]
    NoProvenance { dir: PathBuf },

    #[error(
        "the project was made from template {recorded}, which this pyo3-scaffold does not carry \
         (its history holds {known}; it makes {current}){}",
        if *between_releases {
            ": a template between releases, made by a development build of pyo3-scaffold or \
             from a template folder of its own"
        } else {
            ""
        }
    )]
    UnknownTemplate {
        recorded: String,
        known: String,
        current: String,
        /// The version is one this pyo3-scaffold knows, the fingerprint is not.
        between_releases: bool,
    },

    #[error("{} has uncommitted changes:\n{changes}", dir.display())]
    Dirty { dir: PathBuf, changes: String },

    #[error("{} is not in a git repository: nothing could undo the update", dir.display())]
    NotInGit { dir: PathBuf },

    #[error(
        "{} is a workshop project: its exercises are yours to write, and an update would merge \
         the template's changes into them",
        dir.display()
    )]
    Workshop { dir: PathBuf },

    #[error(
        "the project was made from template {project}, newer than the one this pyo3-scaffold \
         carries ({carried})"
    )]
    Newer { project: String, carried: String },

    #[error("an update to template {to} is in progress ({}): {message}", file.display())]
    InProgress {
        file: PathBuf,
        to: String,
        message: String,
    },

    #[error("still conflicted, with conflict markers in: {}", files.join(", "))]
    StillConflicted { files: Vec<String> },

    #[error("--base {rev}: {message}")]
    Base { rev: String, message: String },

    #[error("the template history built into pyo3-scaffold is unusable: {message}")]
    History { message: String },
}

impl UpdateError {
    pub fn fault(&self) -> Fault {
        match self {
            UpdateError::StillConflicted { .. } => Fault::Failure,
            UpdateError::History { .. } => Fault::Environment,
            _ => Fault::Usage,
        }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            UpdateError::NoProvenance { .. } => {
                "projects made by `pyo3-scaffold new` (or cargo-generate with this template) \
                 carry the table; for an older project, copy the table from a fresh `new` with \
                 the same answers and commit it first"
                    .into()
            }
            UpdateError::UnknownTemplate { .. } => {
                "give the project as the template made it: --base REV (a commit of DIR's git \
                 repository holding the untouched render, e.g. the first commit after `new`), \
                 or --base-template DIR (the old template folder; for a development build, \
                 `template/` in a checkout of pyo3-scaffold at the commit it was built from)"
                    .into()
            }
            UpdateError::Dirty { .. } => {
                "commit or stash them first (`git stash`), so that `git diff` shows what the \
                 update did; or pass --allow-dirty"
                    .into()
            }
            UpdateError::NotInGit { .. } => {
                "commit the project to git first (`git init && git add -A && git commit`), or \
                 pass --allow-dirty"
                    .into()
            }
            UpdateError::Workshop { .. } => {
                "finish the workshop with the template it started from; for the new template, \
                 start a fresh one with `pyo3-scaffold new DIR -d workshop=true`"
                    .into()
            }
            UpdateError::Newer { .. } => {
                "install a newer pyo3-scaffold (`pyo3-scaffold --version` says which template \
                 it carries)"
                    .into()
            }
            UpdateError::InProgress { .. } => {
                "resolve the conflicts it lists and run `pyo3-scaffold update` again to finish \
                 it, or undo it (`git checkout -- . && git clean -fd`, or delete the file)"
                    .into()
            }
            UpdateError::StillConflicted { .. } => {
                "edit each file to what it should be (the lines between <<<<<<< and >>>>>>> are \
                 yours, the old template's and the new template's), then run `pyo3-scaffold \
                 update` again"
                    .into()
            }
            UpdateError::Base { .. } => {
                "name a commit of DIR's repository that holds the project as the template made \
                 it (`git log --oneline -- pyproject.toml` lists candidates)"
                    .into()
            }
            UpdateError::History { .. } => {
                "the binary was built from a broken harness/template-history/; rebuild it, or \
                 pass --base-template DIR"
                    .into()
            }
        })
    }
}

//! An update that ended with conflicts is in progress until they are resolved: a small file in
//! the project folder says so (git shows it, so it is not forgotten), names the conflicted
//! files, and holds the new template's `[tool.pyo3-scaffold]` section. `update` run again
//! checks that no conflict markers are left in those files, puts the section in place and
//! removes the file: the update is finished, and the next one merges from the new template.

use std::path::Path;

use crate::base::error::{Result, UpdateError};
use crate::update::apply::Write;
use crate::update::merge;
use crate::update::table;

/// The file's name in the project folder.
pub const FILE: &str = ".pyo3-scaffold-update.toml";

const HEADER: &str = "\
# An update of this project to a newer pyo3-scaffold template is in progress: it ended with
# conflicts. Resolve the conflict markers in the files listed below, then run
# `pyo3-scaffold update` again to finish it (it removes this file). Do not commit this file.
";

/// The state of an update in progress.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pending {
    /// The template the project was merged from: `0.1.0 (2d8afceee2f7)`.
    pub from: String,
    /// The template it was merged to.
    pub to: String,
    /// The files left with conflict markers.
    pub conflicts: Vec<String>,
    /// The new template's `[tool.pyo3-scaffold]` section, put in place when the update is
    /// finished.
    pub record: String,
}

impl Pending {
    /// The file's text.
    pub fn text(&self) -> Result<String> {
        let body = toml::to_string(self).map_err(std::io::Error::other)?;
        Ok(format!("{HEADER}\n{body}"))
    }

    /// Reads the project's file, if it has one.
    pub fn read(dir: &Path) -> Result<Option<Pending>> {
        let path = dir.join(FILE);
        let text = match fs_err::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        toml::from_str(&text).map(Some).map_err(|error| {
            UpdateError::InProgress {
                file: path,
                to: "?".into(),
                message: format!("the file is unreadable: {}", error.message()),
            }
            .into()
        })
    }

    /// The conflicted files that still hold conflict markers.
    pub fn unresolved(&self, dir: &Path) -> Result<Vec<String>> {
        let mut left = Vec::new();
        for path in &self.conflicts {
            match fs_err::read(dir.join(path)) {
                Ok(bytes) if merge::has_markers(&bytes) => left.push(path.clone()),
                Ok(_) => {}
                // Deleted while resolving: the user's answer to the conflict.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(left)
    }

    /// What finishing the update writes: `pyproject.toml` with the new record, and the state
    /// file removed.
    pub fn finishing_writes(&self, dir: &Path) -> Result<Vec<Write>> {
        let pyproject = fs_err::read_to_string(dir.join("pyproject.toml"))?;
        let updated = match table::replace(&pyproject, &self.record) {
            Some(updated) => updated,
            // The section was deleted while resolving: it goes back at the end.
            None => format!("{}\n{}", pyproject.trim_end(), self.record),
        };
        Ok(vec![
            Write {
                path: "pyproject.toml".into(),
                bytes: Some(updated.into_bytes()),
            },
            Write {
                path: FILE.into(),
                bytes: None,
            },
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_reads_back_and_finishing_moves_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let pending = Pending {
            from: "0.1.0 (aaaaaaaaaaaa)".into(),
            to: "0.2.0 (bbbbbbbbbbbb)".into(),
            conflicts: vec!["a.txt".into(), "b.txt".into()],
            record: "[tool.pyo3-scaffold]\ntemplate-fingerprint = \"bbbbbbbbbbbb\"\n".into(),
        };
        assert_eq!(Pending::read(dir.path()).unwrap(), None);
        fs_err::write(dir.path().join(FILE), pending.text().unwrap()).unwrap();
        assert_eq!(Pending::read(dir.path()).unwrap(), Some(pending.clone()));

        fs_err::write(dir.path().join("a.txt"), "<<<<<<< yours\nx\n>>>>>>> t\n").unwrap();
        fs_err::write(dir.path().join("b.txt"), "resolved\n").unwrap();
        assert_eq!(pending.unresolved(dir.path()).unwrap(), ["a.txt"]);

        fs_err::write(
            dir.path().join("pyproject.toml"),
            "[project]\n[tool.pyo3-scaffold]\ntemplate-fingerprint = \"aaaaaaaaaaaa\"\n",
        )
        .unwrap();
        let writes = pending.finishing_writes(dir.path()).unwrap();
        assert_eq!(
            writes[0].bytes.as_deref(),
            Some(
                b"[project]\n[tool.pyo3-scaffold]\ntemplate-fingerprint = \"bbbbbbbbbbbb\"\n"
                    .as_slice()
            )
        );
        assert_eq!(
            writes[1],
            Write {
                path: FILE.into(),
                bytes: None
            }
        );
    }
}

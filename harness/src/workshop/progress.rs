//! The learner's progress through the exercises of one project: when each exercise first
//! passed, how many checks it took, how many hint levels were shown.
//!
//! Kept in the harness cache (`workshop/<project>-<hash of its path>.json`), not in the project:
//! `check` only ever reads the project folder. Every `check` and every re-check of `watch`
//! adds to it, and a later run starts from it.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::base::cache::Cache;
use crate::workshop::WorkshopError;

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerProgress {
    pub version: u32,
    /// How many checks have run on the project.
    pub checks: u32,
    pub exercises: BTreeMap<u32, ExerciseProgress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    /// When a check first found the exercise done (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_passed: Option<String>,
    /// Which check that was, counting from the first check of the project (1 = the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks_to_pass: Option<u32>,
    /// How many of its hint levels the learner has asked for.
    #[serde(default)]
    pub hints_shown: usize,
}

impl LearnerProgress {
    /// Where the progress of the project in `dir` is kept: one file per project folder.
    pub fn path(cache: &Cache, dir: &Path, project_name: &str) -> PathBuf {
        cache
            .root()
            .join("workshop")
            .join(format!("{}.json", project_key(dir, project_name)))
    }

    /// The progress kept at `path`; none yet when there is no file.
    pub fn load(path: &Path) -> Result<LearnerProgress, WorkshopError> {
        let unreadable = |message: String| WorkshopError::Progress {
            path: path.to_owned(),
            message,
        };
        let text = match fs_err::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LearnerProgress {
                    version: FORMAT_VERSION,
                    ..LearnerProgress::default()
                });
            }
            Err(error) => return Err(unreadable(error.to_string())),
        };
        let progress: LearnerProgress =
            serde_json::from_str(&text).map_err(|error| unreadable(error.to_string()))?;
        if progress.version != FORMAT_VERSION {
            return Err(unreadable(format!(
                "format version {}, this harness reads {FORMAT_VERSION}",
                progress.version
            )));
        }
        Ok(progress)
    }

    /// Writes the progress to `path` whole (a temporary file renamed into place), so a reader
    /// never sees half of it.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs_err::create_dir_all(dir)?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.persist(path).map_err(|error| error.error)?;
        Ok(())
    }

    /// Counts one more check, which found `done` done at `now`; returns the exercises it found
    /// done for the first time.
    pub fn record_check(&mut self, done: &[u32], now: &str) -> Vec<u32> {
        self.checks += 1;
        let mut first_time = Vec::new();
        for &exercise in done {
            let entry = self.exercises.entry(exercise).or_default();
            if entry.first_passed.is_none() {
                entry.first_passed = Some(now.to_owned());
                entry.checks_to_pass = Some(self.checks);
                first_time.push(exercise);
            }
        }
        first_time
    }

    /// True once a check has found `exercise` done.
    pub fn ever_passed(&self, exercise: u32) -> bool {
        self.exercises
            .get(&exercise)
            .is_some_and(|entry| entry.first_passed.is_some())
    }

    /// How many hint levels of `exercise` have been shown.
    pub fn hints_shown(&self, exercise: u32) -> usize {
        self.exercises
            .get(&exercise)
            .map_or(0, |entry| entry.hints_shown)
    }

    /// Shows one more hint level of `exercise` than the first (which `watch` always shows), up
    /// to `levels`; returns how many are shown now.
    pub fn reveal_hint(&mut self, exercise: u32, levels: usize) -> usize {
        let entry = self.exercises.entry(exercise).or_default();
        entry.hints_shown = (entry.hints_shown.max(1) + 1).min(levels);
        entry.hints_shown
    }
}

/// The name the cache knows the project in `dir` by: `my-ext-<hash of its path>`, one per
/// project folder.
pub fn project_key(dir: &Path, project_name: &str) -> String {
    let dir = crate::platform::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let hash = Sha256::digest(dir.as_os_str().as_encoded_bytes());
    format!("{project_name}-{}", &format!("{hash:x}")[..16])
}

/// Now, as RFC 3339 in UTC to the second.
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(
            |_| jiff::Timestamp::now().to_string(),
            |now| now.to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_records_first_passes_once() {
        let mut progress = LearnerProgress::default();
        assert_eq!(progress.record_check(&[], "t1"), Vec::<u32>::new());
        assert_eq!(progress.record_check(&[1], "t2"), [1]);
        assert_eq!(progress.record_check(&[1, 2], "t3"), [2]);
        // Broken again, then fixed: the first pass stays the first.
        assert_eq!(progress.record_check(&[], "t4"), Vec::<u32>::new());
        assert_eq!(progress.record_check(&[1, 2], "t5"), Vec::<u32>::new());
        assert_eq!(progress.checks, 5);
        assert_eq!(
            progress.exercises[&1],
            ExerciseProgress {
                first_passed: Some("t2".into()),
                checks_to_pass: Some(2),
                hints_shown: 0
            }
        );
        assert_eq!(progress.exercises[&2].checks_to_pass, Some(3));
        assert!(progress.ever_passed(2));
        assert!(!progress.ever_passed(3));
    }

    #[test]
    fn hints_are_revealed_one_level_at_a_time_up_to_the_last() {
        let mut progress = LearnerProgress::default();
        assert_eq!(progress.hints_shown(4), 0);
        assert_eq!(progress.reveal_hint(4, 2), 2);
        assert_eq!(progress.reveal_hint(4, 2), 2);
        assert_eq!(progress.hints_shown(4), 2);
        assert_eq!(progress.reveal_hint(7, 3), 2);
        assert_eq!(progress.reveal_hint(7, 3), 3);
        assert_eq!(progress.reveal_hint(7, 3), 3);
    }

    #[test]
    fn progress_survives_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workshop/p.json");
        let fresh = LearnerProgress::load(&path).unwrap();
        assert_eq!(fresh.checks, 0);
        let mut progress = fresh;
        progress.record_check(&[6], "2026-01-01T00:00:00Z");
        progress.reveal_hint(7, 3);
        progress.save(&path).unwrap();
        assert_eq!(LearnerProgress::load(&path).unwrap(), progress);
    }

    #[test]
    fn a_broken_progress_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        fs_err::write(&path, "{not json").unwrap();
        let error = LearnerProgress::load(&path).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "the workshop progress file {} is unreadable: ",
                path.display()
            )),
            "{error}"
        );
        assert_eq!(
            error.hint().as_deref(),
            Some("delete it to start the progress record afresh")
        );
    }

    #[test]
    fn each_project_folder_has_its_own_file() {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(cache_dir.path()).unwrap();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let path_a = LearnerProgress::path(&cache, a.path(), "my-ext");
        assert_ne!(path_a, LearnerProgress::path(&cache, b.path(), "my-ext"));
        assert_eq!(path_a, LearnerProgress::path(&cache, a.path(), "my-ext"));
        let name = path_a.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("my-ext-") && name.ends_with(".json"),
            "{name}"
        );
        assert!(path_a.starts_with(cache_dir.path().join("workshop")));
    }

    #[test]
    fn now_is_rfc3339_to_the_second() {
        let now = now();
        assert_eq!(now.len(), "2026-01-01T00:00:00Z".len(), "{now}");
        assert!(now.ends_with('Z'), "{now}");
    }
}

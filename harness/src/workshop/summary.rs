//! `summary PATH…`: a folder of `results.json` files (one per learner) as a table of learners
//! by exercises, for an instructor.
//!
//! A learner is named after their file (`ada.json` → `ada`), or after the folder holding a file
//! called `results.json` (`ada/results.json` → `ada`). An exercise is `pass` when every test of
//! its task passes, `error` when its tests could not run, `fail` otherwise, and `-` when the
//! learner's project has no such exercise.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::base::table::{self, Align};
use crate::workshop::WorkshopError;
use crate::workshop::results::{Results, TestStatus};

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub learner: String,
    pub results: Results,
}

/// The results files `paths` name: files as given, and for a folder its `*.json` files and the
/// `results.json` of each folder inside it.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, WorkshopError> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            found.push(path.clone());
            continue;
        }
        let mut inside = Vec::new();
        let entries = fs_err::read_dir(path).map_err(|error| WorkshopError::Results {
            path: path.clone(),
            message: error.to_string(),
        })?;
        for entry in entries.flatten() {
            let entry = entry.path();
            if entry.is_dir() && entry.join("results.json").is_file() {
                inside.push(entry.join("results.json"));
            } else if entry.is_file() && entry.extension().is_some_and(|ext| ext == "json") {
                inside.push(entry);
            }
        }
        if inside.is_empty() {
            return Err(WorkshopError::NoResults { path: path.clone() });
        }
        inside.sort();
        found.extend(inside);
    }
    Ok(found)
}

/// Reads one results file.
pub fn read(path: &Path) -> Result<Row, WorkshopError> {
    let invalid = |message: String| WorkshopError::Results {
        path: path.to_owned(),
        message,
    };
    let text = fs_err::read_to_string(path).map_err(|error| invalid(error.to_string()))?;
    let results: Results =
        serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))?;
    if results.version != 3 {
        return Err(invalid(format!(
            "its version is {}, not 3",
            results.version
        )));
    }
    Ok(Row {
        learner: learner_name(path),
        results,
    })
}

fn learner_name(path: &Path) -> String {
    let stem = path.file_stem().map(|stem| stem.to_string_lossy());
    match stem.as_deref() {
        Some("results") | None => path.parent().and_then(Path::file_name).map_or_else(
            || "results".to_owned(),
            |name| name.to_string_lossy().into(),
        ),
        Some(stem) => stem.to_owned(),
    }
}

/// How a learner did on `task`: `None` when they have no test of that task.
pub fn task_status(results: &Results, task: u32) -> Option<TestStatus> {
    let statuses: Vec<TestStatus> = results
        .tests
        .iter()
        .filter(|test| test.task_id == Some(task))
        .map(|test| test.status)
        .collect();
    if statuses.is_empty() {
        return None;
    }
    Some(if statuses.iter().all(|s| *s == TestStatus::Pass) {
        TestStatus::Pass
    } else if statuses.contains(&TestStatus::Error) {
        TestStatus::Error
    } else {
        TestStatus::Fail
    })
}

/// The table: a row per learner (sorted by name), a column per exercise any of them has, then
/// how many of their tests pass.
pub fn table(rows: &[Row]) -> String {
    let tasks: BTreeSet<u32> = rows
        .iter()
        .flat_map(|row| row.results.tests.iter().filter_map(|test| test.task_id))
        .collect();
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| a.learner.cmp(&b.learner));

    let mut header = vec!["learner".to_owned()];
    header.extend(tasks.iter().map(u32::to_string));
    header.push("passing".to_owned());
    let mut cells: Vec<Vec<String>> = vec![header];
    for row in &sorted {
        let mut line = vec![row.learner.clone()];
        for &task in &tasks {
            line.push(
                match task_status(&row.results, task) {
                    Some(TestStatus::Pass) => "pass",
                    Some(TestStatus::Fail) => "fail",
                    Some(TestStatus::Error) => "error",
                    None => "-",
                }
                .to_owned(),
            );
        }
        let passing = row
            .results
            .tests
            .iter()
            .filter(|test| test.status == TestStatus::Pass)
            .count();
        line.push(format!("{passing}/{}", row.results.tests.len()));
        cells.push(line);
    }
    table::format(&cells, |_| Align::Left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::results::TestResult;

    fn results(tests: &[(&str, TestStatus, Option<u32>)]) -> Results {
        Results {
            version: 3,
            status: TestStatus::Fail,
            message: None,
            tests: tests
                .iter()
                .map(|(name, status, task_id)| TestResult {
                    name: (*name).into(),
                    test_code: String::new(),
                    status: *status,
                    message: (*status != TestStatus::Pass).then(|| "why".into()),
                    output: None,
                    task_id: *task_id,
                })
                .collect(),
        }
    }

    #[test]
    fn learners_are_named_after_their_file_or_folder() {
        assert_eq!(learner_name(Path::new("/r/ada.json")), "ada");
        assert_eq!(learner_name(Path::new("/r/grace/results.json")), "grace");
    }

    #[test]
    fn a_task_passes_when_all_its_tests_do() {
        use TestStatus::{Error, Fail, Pass};
        let r = results(&[
            ("a", Pass, Some(1)),
            ("b", Pass, Some(1)),
            ("c", Pass, Some(2)),
            ("d", Fail, Some(2)),
            ("e", Error, Some(3)),
            ("f", Fail, Some(3)),
        ]);
        assert_eq!(task_status(&r, 1), Some(Pass));
        assert_eq!(task_status(&r, 2), Some(Fail));
        assert_eq!(task_status(&r, 3), Some(Error));
        assert_eq!(task_status(&r, 4), None);
    }

    #[test]
    fn the_table_has_a_row_per_learner_and_a_column_per_exercise() {
        use TestStatus::{Error, Fail, Pass};
        let rows = vec![
            Row {
                learner: "grace".into(),
                results: results(&[
                    ("x", Pass, None),
                    ("a", Pass, Some(6)),
                    ("b", Fail, Some(7)),
                ]),
            },
            Row {
                learner: "ada".into(),
                results: results(&[("a", Pass, Some(1)), ("b", Error, Some(2))]),
            },
        ];
        assert_eq!(
            table(&rows),
            "\
learner  1     2      6     7     passing
ada      pass  error  -     -     1/2
grace    -     -      pass  fail  2/3
"
        );
    }

    #[test]
    fn files_and_folders_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let body = results(&[("a", TestStatus::Pass, Some(1))]);
        let text = serde_json::to_string(&body).unwrap();
        fs_err::write(dir.path().join("ada.json"), &text).unwrap();
        fs_err::create_dir(dir.path().join("grace")).unwrap();
        fs_err::write(dir.path().join("grace/results.json"), &text).unwrap();
        fs_err::write(dir.path().join("notes.txt"), "not results").unwrap();
        let found = files(&[dir.path().to_owned()]).unwrap();
        assert_eq!(
            found,
            [
                dir.path().join("ada.json"),
                dir.path().join("grace/results.json")
            ]
        );
        let names: Vec<String> = found.iter().map(|f| read(f).unwrap().learner).collect();
        assert_eq!(names, ["ada", "grace"]);

        let empty = tempfile::tempdir().unwrap();
        let error = files(&[empty.path().to_owned()]).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("no results files in {}", empty.path().display())
        );
    }

    #[test]
    fn a_file_that_is_not_results_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        fs_err::write(
            &path,
            "{\"version\": 2, \"status\": \"pass\", \"tests\": []}",
        )
        .unwrap();
        let error = read(&path).unwrap_err();
        assert!(
            error.to_string().ends_with(": its version is 2, not 3"),
            "{error}"
        );
        fs_err::write(&path, "[]").unwrap();
        let error = read(&path).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "{} is not an Exercism results.json (version 3): ",
                path.display()
            )),
            "{error}"
        );
    }
}

//! Exercism's test-runner `results.json`, version 3: what `check DIR --results FILE` writes for
//! an instructor to collect. One test per behaviour of the style; its `task_id` is the workshop
//! exercise that completes it (the last of those it needs). The schema is
//! `harness/workshop/results-v3.schema.json`.

use serde::{Deserialize, Serialize};

use crate::workshop::checklist::{Checklist, OfficialTests, Status};

/// The schema the file follows, embedded so that a test validates against the committed copy.
pub const SCHEMA: &str = include_str!("../../workshop/results-v3.schema.json");

/// Exercism cuts a test's `output` at this many characters.
const OUTPUT_CHARS: usize = 500;

/// The name of the extra test that says whether the official tests were left alone.
pub const OFFICIAL_TESTS: &str = "official_tests_unchanged";

/// The name of the extra test for a stage that crashed or timed out after the behaviours were
/// checked.
pub const UNFINISHED: &str = "every_stage_finished";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub version: u32,
    pub status: TestStatus,
    /// Why nothing could be checked; `null` unless `status` is `error`.
    pub message: Option<String>,
    #[serde(default)]
    pub tests: Vec<TestResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Pass,
    Fail,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// The behaviour's id (`greet.static_greet`).
    pub name: String,
    /// What the behaviour checks, as the scenario table words it.
    pub test_code: String,
    pub status: TestStatus,
    /// Why it did not pass; `null` when it passed.
    pub message: Option<String>,
    /// The hint for a behaviour that does not pass yet.
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<u32>,
}

impl Results {
    /// The results of a checklist.
    pub fn from_checklist(checklist: &Checklist) -> Results {
        let blocked = checklist.blocked.as_ref().map(|blocked| {
            let text = blocked.to_string();
            text.trim_end().to_owned()
        });
        let mut tests: Vec<TestResult> = checklist
            .behaviours
            .iter()
            .map(|line| {
                let (status, message) = match &line.status {
                    Status::Passed => (TestStatus::Pass, None),
                    Status::NotImplemented { todo } => (TestStatus::Fail, Some(todo.to_string())),
                    Status::Failed { expected, got } => (
                        TestStatus::Fail,
                        Some(format!("expected: {expected}\ngot:      {got}")),
                    ),
                    Status::NotChecked => (
                        TestStatus::Error,
                        Some(match &blocked {
                            Some(why) => format!("not checked: {why}"),
                            None => "not checked: the probe stopped before this behaviour".into(),
                        }),
                    ),
                };
                let output = (status != TestStatus::Pass && !line.hint.is_empty())
                    .then(|| cut(&line.hint, OUTPUT_CHARS));
                TestResult {
                    name: line.id.clone(),
                    test_code: line.behaviour.clone(),
                    status,
                    message,
                    output,
                    task_id: line.exercises.iter().copied().max(),
                }
            })
            .collect();
        if let OfficialTests::Compared { .. } = checklist.official_tests {
            let tampered = checklist.official_tests.tampered();
            tests.push(TestResult {
                name: OFFICIAL_TESTS.to_owned(),
                test_code: "the project's tests/ are those of a fresh render of the template"
                    .to_owned(),
                status: if tampered {
                    TestStatus::Fail
                } else {
                    TestStatus::Pass
                },
                message: tampered.then(|| checklist.official_tests.to_string()),
                output: None,
                task_id: None,
            });
        }
        if let Some(unfinished) = &checklist.unfinished {
            tests.push(TestResult {
                name: UNFINISHED.to_owned(),
                test_code: format!("the {} stage finishes", unfinished.stage),
                status: TestStatus::Error,
                message: Some(unfinished.to_string().trim_end().to_owned()),
                output: None,
                task_id: None,
            });
        }
        let status = if blocked.is_some() {
            TestStatus::Error
        } else if tests.iter().all(|test| test.status == TestStatus::Pass) {
            TestStatus::Pass
        } else {
            TestStatus::Fail
        };
        Results {
            version: 3,
            status,
            message: blocked,
            tests,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars - 1) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::build::log::CompilerError;
    use crate::workshop::checklist::{Blocked, Line, Todo};

    fn line(id: &str, exercises: &[u32], status: Status) -> Line {
        Line {
            id: id.into(),
            behaviour: format!("{id} behaves"),
            exercises: exercises.to_vec(),
            hint: format!("hint for {id}"),
            status,
        }
    }

    pub(crate) fn checklist(behaviours: Vec<Line>, blocked: Option<Blocked>) -> Checklist {
        Checklist {
            project: "my-ext".into(),
            package: "my_ext".into(),
            style: "greet".into(),
            passed: behaviours
                .iter()
                .filter(|line| line.status == Status::Passed)
                .count(),
            total: behaviours.len(),
            blocked,
            unfinished: None,
            official_tests: OfficialTests::Compared {
                edited: vec![],
                deleted: vec![],
                added: vec![],
            },
            behaviours,
        }
    }

    #[test]
    fn each_behaviour_is_a_test_with_the_exercise_that_completes_it() {
        let results = Results::from_checklist(&checklist(
            vec![
                line("greet.import_paths", &[], Status::Passed),
                line(
                    "greet.static_greet",
                    &[1],
                    Status::NotImplemented {
                        todo: Todo {
                            exercise: Some(1),
                            text: "greet".into(),
                            at: None,
                        },
                    },
                ),
                line(
                    "greet.fail_if_empty_raises",
                    &[2, 3],
                    Status::Failed {
                        expected: "a".into(),
                        got: "b".into(),
                    },
                ),
            ],
            None,
        ));
        assert_eq!(results.status, TestStatus::Fail);
        assert_eq!(results.message, None);
        let summary: Vec<(&str, TestStatus, Option<u32>, Option<&str>)> = results
            .tests
            .iter()
            .map(|t| (t.name.as_str(), t.status, t.task_id, t.message.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("greet.import_paths", TestStatus::Pass, None, None),
                (
                    "greet.static_greet",
                    TestStatus::Fail,
                    Some(1),
                    Some("not implemented yet (exercise 1: greet)")
                ),
                (
                    "greet.fail_if_empty_raises",
                    TestStatus::Fail,
                    Some(3),
                    Some("expected: a\ngot:      b")
                ),
                (OFFICIAL_TESTS, TestStatus::Pass, None, None),
            ]
        );
        assert_eq!(results.tests[0].output, None);
        assert_eq!(
            results.tests[1].output.as_deref(),
            Some("hint for greet.static_greet")
        );
    }

    #[test]
    fn a_project_that_does_not_compile_is_an_error_with_the_compiler_message() {
        let blocked = Blocked::DoesNotCompile {
            error: Some(CompilerError {
                file: "crates/python/src/message.rs".into(),
                line: 41,
                column: 9,
                message: "error[E0308]: mismatched types".into(),
                snippet: vec![],
            }),
            exercise: None,
            hint: None,
        };
        let results = Results::from_checklist(&checklist(
            vec![line("greet.static_greet", &[1], Status::NotChecked)],
            Some(blocked),
        ));
        assert_eq!(results.status, TestStatus::Error);
        let message = results.message.unwrap();
        assert!(
            message.contains("crates/python/src/message.rs:41:9: error[E0308]: mismatched types"),
            "{message}"
        );
        assert_eq!(results.tests[0].status, TestStatus::Error);
        assert!(
            results.tests[0]
                .message
                .as_deref()
                .unwrap()
                .starts_with("not checked: the project does not compile"),
            "{:?}",
            results.tests[0].message
        );
    }

    fn schema_errors(results: &serde_json::Value) -> Vec<String> {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        validator
            .iter_errors(results)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect()
    }

    #[test]
    fn what_is_written_validates_against_the_v3_schema() {
        let todo = Status::NotImplemented {
            todo: Todo {
                exercise: Some(1),
                text: "greet".into(),
                at: None,
            },
        };
        let cases = [
            checklist(vec![line("a", &[1], Status::Passed)], None),
            checklist(
                vec![line("a", &[], Status::Passed), line("b", &[1], todo)],
                None,
            ),
            checklist(
                vec![line("a", &[1], Status::NotChecked)],
                Some(Blocked::DoesNotImport {
                    exception: "builtins.SyntaxError: invalid syntax".into(),
                    causes: vec![],
                }),
            ),
        ];
        let mut unfinished = checklist(vec![line("a", &[1], Status::Passed)], None);
        unfinished.unfinished = Some(crate::workshop::checklist::Unfinished {
            stage: "pytest".into(),
            message: "process timed out after 900 s".into(),
            hint: None,
        });
        let results = Results::from_checklist(&unfinished);
        assert_eq!(results.status, TestStatus::Fail);
        let last = results.tests.last().unwrap();
        assert_eq!(
            (last.name.as_str(), last.status, last.message.as_deref()),
            (
                UNFINISHED,
                TestStatus::Error,
                Some("the project's tests did not finish: process timed out after 900 s")
            )
        );
        let json: serde_json::Value = serde_json::from_str(&results.to_json()).unwrap();
        assert_eq!(schema_errors(&json), Vec::<String>::new(), "{json:#}");
        let statuses: Vec<TestStatus> = cases
            .iter()
            .map(|case| Results::from_checklist(case).status)
            .collect();
        assert_eq!(
            statuses,
            [TestStatus::Pass, TestStatus::Fail, TestStatus::Error]
        );
        for case in &cases {
            let json: serde_json::Value =
                serde_json::from_str(&Results::from_checklist(case).to_json()).unwrap();
            assert_eq!(schema_errors(&json), Vec::<String>::new(), "{json:#}");
        }
    }

    #[test]
    fn the_schema_refuses_what_exercism_would() {
        let refused = [
            serde_json::json!({"version": 2, "status": "pass", "tests": []}),
            serde_json::json!({"version": 3, "status": "error"}),
            serde_json::json!({"version": 3, "status": "fail", "message": "x", "tests": []}),
            serde_json::json!({"version": 3, "status": "fail", "tests": [
                {"name": "a", "test_code": "", "status": "fail", "message": null}]}),
            serde_json::json!({"version": 3, "status": "pass", "tests": [
                {"name": "a", "test_code": "", "status": "pass", "task_id": 0}]}),
        ];
        for results in &refused {
            assert_ne!(schema_errors(results), Vec::<String>::new(), "{results}");
        }
    }

    #[test]
    fn outputs_are_cut_to_exercisms_limit() {
        assert_eq!(cut("short", 500), "short");
        let long = cut(&"é".repeat(600), 500);
        assert_eq!(long.chars().count(), 500);
        assert!(long.ends_with('…'));
    }
}

//! A probe result and test report with every kind of line the text has, for the tests of the
//! writer, the reader and their users.

use crate::probe::{ApiItem, ExceptionInfo, Outcome, Paths, ProbeResult, PythonInfo, Scenario};
use crate::pytest::{Outcome as TestOutcome, TestCase, TestReport};

pub fn probe() -> ProbeResult {
    let exception = ExceptionInfo {
        type_name: "my_ext.EmptyTextError".into(),
        mro: vec![
            "my_ext.EmptyTextError".into(),
            "builtins.ValueError".into(),
            "builtins.Exception".into(),
            "builtins.BaseException".into(),
        ],
        is_exception: true,
        message: "text is empty".into(),
        notes: vec!["raised in Rust".into()],
        cause: Some(Box::new(ExceptionInfo {
            type_name: "builtins.KeyError".into(),
            mro: vec!["builtins.KeyError".into()],
            is_exception: true,
            message: "'k'".into(),
            notes: vec![],
            cause: None,
            context: None,
        })),
        context: None,
    };
    ProbeResult {
        probe_version: 1,
        package: "my_ext".into(),
        style: "greet".into(),
        python: PythonInfo {
            implementation: "CPython".into(),
            version: "3.11.7".into(),
            free_threaded: false,
            gil_enabled: None,
        },
        paths: Paths {
            work_dir: "/w".into(),
            package_dir: None,
            prefix: "/v".into(),
        },
        import_error: None,
        api: vec![ApiItem {
            name: "Message".into(),
            kind: "class".into(),
            qualname: "my_ext.Message".into(),
            signature: Some("(text)".into()),
            doc: Some("A message.\n\nWith two paragraphs.".into()),
            members: vec![ApiItem {
                name: "greet".into(),
                kind: "function".into(),
                qualname: "my_ext.Message.greet".into(),
                signature: Some("(name)".into()),
                doc: None,
                members: vec![],
            }],
        }],
        scenarios: vec![
            Scenario {
                id: "greet.static_greet".into(),
                behaviour: "greet returns".into(),
                exercises: vec![1],
                hint: "not part of the snapshot".into(),
                outcome: Outcome::Returned {
                    repr: "'Hello, eunsang !'".into(),
                },
            },
            Scenario {
                id: "greet.fail_if_empty_raises".into(),
                behaviour: "empty raises".into(),
                exercises: vec![2, 3],
                hint: "not part of the snapshot".into(),
                outcome: Outcome::Raised { exception },
            },
        ],
    }
}

pub fn tests() -> TestReport {
    TestReport {
        cases: vec![
            TestCase {
                name: "tests.test_message::test_greet".into(),
                outcome: TestOutcome::Passed,
                message: None,
            },
            TestCase {
                name: "tests.test_message::test_bad".into(),
                outcome: TestOutcome::Failed,
                message: Some("assert 1 == 2".into()),
            },
        ],
        summary: String::new(),
    }
}

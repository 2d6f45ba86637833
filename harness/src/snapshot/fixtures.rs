//! A probe result and test report with every kind of line the text has, for the tests of the
//! writer, the reader and their users.

use crate::stages::probe::{
    ApiItem, EntryPoint, EntryPointOutcome, ExceptionInfo, Outcome, Paths, ProbeResult, PythonInfo,
    Scenario, StubCheck, StubDisagreement, StubDisagreementKind, WheelTags,
};
use crate::stages::pytest::{Outcome as TestOutcome, TestCase, TestReport};

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
        probe_version: 3,
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
        doc: Some("Greetings, from Rust.".into()),
        all: Some(vec!["Message".into(), "LIMIT".into()]),
        api: vec![
            ApiItem {
                name: "Message".into(),
                kind: "class".into(),
                qualname: "my_ext.Message".into(),
                signature: Some("(text)".into()),
                doc: Some("A message.\n\nWith two paragraphs.".into()),
                value: None,
                bases: vec!["my_ext.Base".into()],
                mro: vec!["my_ext.Base".into(), "builtins.str".into()],
                members: vec![
                    ApiItem {
                        name: "RED".into(),
                        kind: "enum member".into(),
                        qualname: "my_ext.Message.RED".into(),
                        signature: None,
                        doc: None,
                        value: Some("1".into()),
                        bases: vec![],
                        mro: vec![],
                        members: vec![],
                    },
                    ApiItem {
                        name: "greet".into(),
                        kind: "function".into(),
                        qualname: "my_ext.Message.greet".into(),
                        signature: Some("(name: str) -> str".into()),
                        doc: None,
                        value: None,
                        bases: vec![],
                        mro: vec![],
                        members: vec![],
                    },
                ],
            },
            ApiItem {
                name: "LIMIT".into(),
                kind: "constant".into(),
                qualname: "my_ext.LIMIT".into(),
                signature: None,
                doc: None,
                value: Some("(3, 'three')".into()),
                bases: vec![],
                mro: vec![],
                members: vec![],
            },
        ],
        stubs: vec![StubCheck {
            module: "my_ext._my_ext".into(),
            file: "_my_ext.pyi".into(),
            error: None,
            disagreements: vec![
                StubDisagreement {
                    kind: StubDisagreementKind::Parameters,
                    name: "Message.greet".into(),
                    stub: Some("(name)".into()),
                    runtime: Some("(name, loud=...)".into()),
                },
                StubDisagreement {
                    kind: StubDisagreementKind::OnlyAtRuntime,
                    name: "shout".into(),
                    stub: None,
                    runtime: None,
                },
            ],
        }],
        wheel: Some(WheelTags {
            tags: vec![
                "cp311-abi3-manylinux_2_17_x86_64".into(),
                "cp311-abi3-manylinux2014_x86_64".into(),
            ],
        }),
        entry_points: vec![
            EntryPoint {
                group: "console_scripts".into(),
                name: "greet".into(),
                value: "my_ext.cli:main".into(),
                outcome: EntryPointOutcome::Callable,
            },
            EntryPoint {
                group: "console_scripts".into(),
                name: "limit".into(),
                value: "my_ext:LIMIT".into(),
                outcome: EntryPointOutcome::NotCallable {
                    type_name: "builtins.tuple".into(),
                },
            },
            EntryPoint {
                group: "my_ext.plugins".into(),
                name: "gone".into(),
                value: "my_ext.gone:plugin".into(),
                outcome: EntryPointOutcome::Raised {
                    exception: ExceptionInfo {
                        type_name: "builtins.ModuleNotFoundError".into(),
                        mro: vec![
                            "builtins.ModuleNotFoundError".into(),
                            "builtins.ImportError".into(),
                        ],
                        is_exception: true,
                        message: "No module named 'my_ext.gone'".into(),
                        notes: vec![],
                        cause: None,
                        context: None,
                    },
                },
            },
        ],
        scenarios: vec![
            Scenario {
                id: "greet.static_greet".into(),
                behaviour: "greet returns".into(),
                exercises: vec![1],
                hint: "not part of the snapshot".into(),
                source: Some("import my_ext as pkg\npkg.Message.greet('eunsang')".into()),
                outcome: Outcome::Returned {
                    repr: "'Hello, eunsang !'".into(),
                },
            },
            Scenario {
                id: "greet.fail_if_empty_raises".into(),
                behaviour: "empty raises".into(),
                exercises: vec![2, 3],
                hint: "not part of the snapshot".into(),
                source: None,
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

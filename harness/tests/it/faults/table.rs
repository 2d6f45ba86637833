//! The faults of the fault suite: each a broken project (a fresh render with a small patch)
//! and what the harness must say about it.

use std::time::Duration;

use crate::sandbox::Edit;
use crate::support::TIMEOUT;

/// The time limit of the faults that hang. Every other stage of those cases must fit in it
/// (their builds wait for the build lock before their time starts), so it is not tiny.
const HANG_TIMEOUT: Duration = Duration::from_secs(30);

/// A Rust function that does not compile, appended to the core crate.
pub(super) const TYPE_ERROR: &str = "\npub fn broken() -> u32 {\n    \"not a number\"\n}\n";

/// A plugin that is not Python.
pub(super) const NOT_PYTHON: &str = "def process(text)\n    return text\n";

/// One broken project and what the harness must say about it.
pub(super) struct Fault {
    /// The project's name: also the case's name in the report.
    pub(super) name: &'static str,
    pub(super) style: &'static str,
    pub(super) edits: Vec<Edit<'static>>,
    pub(super) timeout: Duration,
    pub(super) expect: Expect,
}

pub(super) struct Expect {
    pub(super) code: i32,
    /// The stage the case's error names, or `None` when the case ran to the end and its tests
    /// or its behaviour failed.
    pub(super) stage: Option<&'static str>,
    /// Texts the printed report must hold: the gist.
    pub(super) says: &'static [&'static str],
}

pub(super) fn greet_faults() -> Vec<Fault> {
    vec![
        // The hanging one first: it has the tightest time limit, so it should not queue behind
        // the others' builds.
        Fault {
            name: "fault-hang",
            style: "greet",
            edits: vec![Edit::Write(
                "tests/test_fault.py",
                include_str!("test_hangs.py"),
            )],
            timeout: HANG_TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("pytest"),
                says: &[
                    "(timed out after 30s; its process group was killed)",
                    // pytest's faulthandler_timeout, set by the harness, names the test.
                    "Timeout (0:00:25)!",
                    "tests/test_fault.py\", line 11 in test_hangs",
                    "hint: a test did not finish within --timeout",
                ],
            },
        },
        Fault {
            name: "fault-compile",
            style: "greet",
            edits: vec![Edit::Append("crates/core/src/lib.rs", TYPE_ERROR)],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("develop"),
                says: &["error[E0308]: mismatched types", "crates/core/src/lib.rs:"],
            },
        },
        Fault {
            name: "fault-maturin-config",
            style: "greet",
            edits: vec![Edit::Replace(
                "pyproject.toml",
                "[tool.maturin]\n",
                "[tool.maturin]\nfeatures = \"not-a-list\"\n",
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("develop"),
                says: &[
                    "pyproject.toml is invalid",
                    "invalid type: string \"not-a-list\", expected a sequence",
                ],
            },
        },
        Fault {
            name: "fault-module-name",
            style: "greet",
            edits: vec![
                Edit::Replace(
                    "pyproject.toml",
                    "module-name = \"{pkg}._{pkg}\"",
                    "module-name = \"{pkg}._renamed\"",
                ),
                Edit::Replace(
                    "python/{pkg}/__init__.py",
                    "from ._{pkg} import",
                    "from ._renamed import",
                ),
            ],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: None,
                says: &[
                    // The build succeeded; the import fails, in pytest's collection and in the
                    // probe, whose import error is the behaviour compared.
                    "collection failure: ImportError: dynamic module does not define module \
                     export function (PyInit__renamed)",
                    "+import_error: builtins.ImportError",
                ],
            },
        },
        Fault {
            name: "fault-failing-test",
            style: "greet",
            edits: vec![Edit::Write(
                "tests/test_fault.py",
                include_str!("test_fails.py"),
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: None,
                says: &[
                    "failed tests.test_fault::test_greets_in_french: AssertionError: assert \
                     'Hello, eunsang !' == 'Bonjour, eunsang !'",
                ],
            },
        },
        Fault {
            name: "fault-abort",
            style: "greet",
            edits: vec![Edit::Write(
                "tests/test_fault.py",
                include_str!("test_aborts.py"),
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("pytest"),
                says: &[
                    "(signal: 6, SIGABRT: process abort signal)",
                    "Fatal Python error: Aborted",
                    "tests/test_fault.py\", line 7 in test_aborts",
                    "hint: the interpreter crashed while running the tests",
                ],
            },
        },
        Fault {
            name: "fault-segfault",
            style: "greet",
            edits: vec![Edit::Write(
                "tests/test_fault.py",
                include_str!("test_segfaults.py"),
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("pytest"),
                says: &[
                    "(signal: 11, SIGSEGV: invalid memory reference)",
                    "Fatal Python error: Segmentation fault",
                    "tests/test_fault.py\", line 7 in test_segfaults",
                ],
            },
        },
        Fault {
            name: "fault-not-utf8",
            style: "greet",
            edits: vec![Edit::Write(
                "tests/conftest.py",
                include_str!("conftest_not_utf8.py"),
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: Some("pytest"),
                says: &[
                    "(exit status: 3)",
                    // Latin-1 and broken UTF-8, each bad sequence read as U+FFFD.
                    "caf\u{fffd}, na\u{fffd}ve, d\u{fffd}j\u{fffd} vu\n\
                     \u{fffd}\u{fffd} truncated \u{fffd} and lone \u{fffd}\n",
                ],
            },
        },
        Fault {
            name: "fault-flood",
            style: "greet",
            edits: vec![
                Edit::Write("tests/conftest.py", include_str!("conftest_floods.py")),
                Edit::Write("tests/test_fault.py", include_str!("test_floods.py")),
            ],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: None,
                says: &[
                    "failed tests.test_fault::test_fails_with_an_enormous_message: \
                     AssertionError: enormous enormous",
                ],
            },
        },
    ]
}

pub(super) fn text_processor_faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "fault-plugin-loops",
            style: "text-processor",
            edits: vec![Edit::Write(
                "python/{pkg}/plugins/step3_loops.py",
                include_str!("plugin_loops.py"),
            )],
            timeout: HANG_TIMEOUT,
            expect: Expect {
                code: 1,
                // pytest hangs too; the probe's error is the one the case keeps.
                stage: Some("probe"),
                says: &[
                    "(timed out after 30s; its process group was killed)",
                    "hint: the probe was still in scenario `text_processor.bundled_example` when --timeout \
                     ran out",
                ],
            },
        },
        Fault {
            name: "fault-plugin-raises",
            style: "text-processor",
            edits: vec![Edit::Write(
                "python/{pkg}/plugins/step3_raises.py",
                include_str!("plugin_raises.py"),
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: None,
                says: &[
                    "failed tests.test_processor::test_bundled_plugins_reverse_then_capitalize_each_line: \
                     RuntimeError: this plugin always fails",
                    "+raised: builtins.RuntimeError",
                    "+  note: raised by plugin 'step3_raises' ([PKG_DIR]/plugins/step3_raises.py)",
                ],
            },
        },
        Fault {
            name: "fault-plugin-syntax",
            style: "text-processor",
            edits: vec![Edit::Write(
                "python/{pkg}/plugins/step3_broken.py",
                NOT_PYTHON,
            )],
            timeout: TIMEOUT,
            expect: Expect {
                code: 1,
                stage: None,
                says: &[
                    "+raised: builtins.SyntaxError",
                    "+  message: expected ':' (step3_broken.py, line 1)",
                    "+  note: while loading plugin 'step3_broken' ([PKG_DIR]/plugins/step3_broken.py)",
                ],
            },
        },
    ]
}

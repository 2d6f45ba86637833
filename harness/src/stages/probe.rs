//! Stage 5: the probe, a real Python file run in the case's venv.
//!
//! The probe and its scenario tables live in `harness/probe/` as ordinary, lint-clean Python;
//! they are embedded here and written into the case's work folder before each run. The probe
//! prints one JSON document, which [`ProbeResult`] reads (the book's contributing chapter
//! describes it).

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::base::cmd::path_with;
use crate::base::cmd::{Cmd, Output, Status, tail_str};
use crate::base::error::{Error, Result};
use crate::stages::venv;
use crate::template::style::Style;

/// The probe's own files. Each style's scenario table is written next to them (the probe
/// imports it as a module), from the style registry ([`crate::template::style::REGISTRY`]).
pub const FILES: &[(&str, &str)] = &[
    (
        "scaffold_probe.py",
        include_str!("../../probe/scaffold_probe.py"),
    ),
    ("scenario.py", include_str!("../../probe/scenario.py")),
    ("stub_check.py", include_str!("../../probe/stub_check.py")),
];

/// The document version this harness reads.
pub const PROBE_VERSION: u32 = 2;

/// How much of each stream an unusable output shows.
const TAIL_CHARS: usize = 4096;

/// Enough for any API and scenario table; past it the JSON would be cut and unreadable.
const STDOUT_LIMIT: usize = 16 * 1024 * 1024;

// ANCHOR: probe_json
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub probe_version: u32,
    pub package: String,
    pub style: String,
    pub python: PythonInfo,
    pub paths: Paths,
    pub import_error: Option<ExceptionInfo>,
    /// The package's `__all__` as declared, or `None` when it declares none.
    #[serde(default)]
    pub all: Option<Vec<String>>,
    #[serde(default)]
    pub api: Vec<ApiItem>,
    /// One entry per `.pyi` file the package ships.
    #[serde(default)]
    pub stubs: Vec<StubCheck>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// Where one `.pyi` file and the module it describes disagree (see `stub_check.py`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StubCheck {
    /// The module the stub describes, e.g. `my_ext._my_ext`.
    pub module: String,
    /// The stub's path inside the package folder, e.g. `_my_ext.pyi`.
    pub file: String,
    /// Why the stub could not be compared (unreadable, the module does not import).
    pub error: Option<String>,
    #[serde(default)]
    pub disagreements: Vec<StubDisagreement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StubDisagreement {
    pub kind: StubDisagreementKind,
    /// `function`, `Class.method`, or `Class` for its constructor.
    pub name: String,
    /// The parameters as the stub declares them (for `parameters`).
    pub stub: Option<String>,
    /// The parameters as the runtime has them (for `parameters`).
    pub runtime: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StubDisagreementKind {
    OnlyInStub,
    OnlyAtRuntime,
    Parameters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonInfo {
    pub implementation: String,
    pub version: String,
    /// A free-threaded build (`Py_GIL_DISABLED`).
    #[serde(default)]
    pub free_threaded: bool,
    /// `sys._is_gil_enabled()` right after the package was imported; `None` before 3.13, which
    /// has no such function and always a GIL.
    #[serde(default)]
    pub gil_enabled: Option<bool>,
}

impl PythonInfo {
    /// Whether the GIL was on after the import: the function's answer, else (before 3.13)
    /// always.
    pub fn gil_enabled_after_import(&self) -> bool {
        self.gil_enabled.unwrap_or(true)
    }
}

/// Raw paths, for the filters that replace them (see [`crate::base::normalize`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paths {
    pub work_dir: String,
    pub package_dir: Option<String>,
    pub prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiItem {
    pub name: String,
    pub kind: String,
    pub qualname: String,
    pub signature: Option<String>,
    pub doc: Option<String>,
    /// The repr of a simple value (str, int, float, bool, None, tuples of these).
    #[serde(default)]
    pub value: Option<String>,
    /// A class's direct bases, `object` left out.
    #[serde(default)]
    pub bases: Vec<String>,
    #[serde(default)]
    pub members: Vec<ApiItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub behaviour: String,
    /// The workshop exercises this behaviour needs (empty: none); absent from older probes.
    #[serde(default)]
    pub exercises: Vec<u32>,
    /// What a learner whose project fails this behaviour should look at.
    #[serde(default)]
    pub hint: String,
    pub outcome: Outcome,
}

/// A row of a style's scenario table as `--list-scenarios` prints it: no outcome, nothing run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub behaviour: String,
    #[serde(default)]
    pub exercises: Vec<u32>,
    #[serde(default)]
    pub hint: String,
}

/// What `scaffold_probe.py --list-scenarios --style S` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioList {
    pub probe_version: u32,
    pub style: String,
    pub scenarios: Vec<ScenarioInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Outcome {
    Returned { repr: String },
    Raised { exception: ExceptionInfo },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionInfo {
    #[serde(rename = "type")]
    pub type_name: String,
    pub mro: Vec<String>,
    pub is_exception: bool,
    pub message: String,
    #[serde(default)]
    pub notes: Vec<String>,
    pub cause: Option<Box<ExceptionInfo>>,
    pub context: Option<Box<ExceptionInfo>>,
}
// ANCHOR_END: probe_json

/// Reads the probe's stdout.
pub fn parse(json: &str) -> Result<ProbeResult, String> {
    let result: ProbeResult = serde_json::from_str(json).map_err(|error| error.to_string())?;
    if result.probe_version != PROBE_VERSION {
        return Err(format!(
            "probe_version is {}, this harness reads {PROBE_VERSION}",
            result.probe_version
        ));
    }
    Ok(result)
}

/// Reads the stdout of `--list-scenarios`.
pub fn parse_list(json: &str) -> Result<ScenarioList, String> {
    let list: ScenarioList = serde_json::from_str(json).map_err(|error| error.to_string())?;
    if list.probe_version != PROBE_VERSION {
        return Err(format!(
            "probe_version is {}, this harness reads {PROBE_VERSION}",
            list.probe_version
        ));
    }
    Ok(list)
}

/// Writes the probe's files into `dir`; returns the path of the script to run.
fn write_files(dir: &Path) -> Result<std::path::PathBuf> {
    fs_err::create_dir_all(dir)?;
    for (name, text) in FILES {
        fs_err::write(dir.join(name), text)?;
    }
    for style in Style::ALL {
        fs_err::write(dir.join(style.scenario_file()), style.scenario_table())?;
    }
    Ok(dir.join("scaffold_probe.py"))
}

/// The rows of `style`'s scenario table, with their exercises and hints, read by running the
/// probe with `--list-scenarios` under `python` (any Python 3.9+: it imports nothing but the
/// tables). Needs no built project, so a checklist can list every behaviour of a project that
/// does not compile.
pub fn list(python: &Path, style: &str, timeout: Duration) -> Result<Vec<ScenarioInfo>> {
    let dir = tempfile::Builder::new()
        .prefix("scaffold-harness-list-")
        .tempdir()?;
    let script = write_files(dir.path())?;
    let output = Cmd::new(python)
        .arg(script)
        .args(["--list-scenarios", "--style", style])
        .cwd(dir.path())
        .timeout(timeout)
        .fault(crate::base::error::Fault::Environment)
        .hint("the probe's scenario tables could not be listed with this Python")
        .run()?;
    parse_list(&output.stdout)
        .map(|list| list.scenarios)
        .map_err(|message| unusable(message, &output))
}

/// What to probe: which package, with which scenario table (`none`: the API only).
#[derive(Debug)]
pub struct Request<'a> {
    pub venv: &'a Path,
    pub package: &'a str,
    pub style: &'a str,
    /// Gets the probe's files and `scenarios/`, the folder the scenarios write into.
    pub work_dir: &'a Path,
    pub timeout: Duration,
}

pub fn run(request: &Request<'_>) -> Result<ProbeResult> {
    let scenario_dir = request.work_dir.join("scenarios");
    let script = write_files(&request.work_dir.join("probe"))?;
    fs_err::create_dir_all(&scenario_dir)?;
    // What the scenarios leave in the temporary folder goes with the work folder.
    let tmp_dir = request.work_dir.join("tmp");
    fs_err::create_dir_all(&tmp_dir)?;
    let cmd = Cmd::new(venv::python(request.venv))
        .arg(script)
        .args([
            "--package",
            request.package,
            "--style",
            request.style,
            "--work-dir",
        ])
        .arg(&scenario_dir)
        .cwd(request.work_dir)
        .env("VIRTUAL_ENV", request.venv)
        .env("PATH", path_with(&[&venv::bin(request.venv)]))
        .env("TMPDIR", &tmp_dir)
        .stdout_limit(STDOUT_LIMIT)
        .timeout(request.timeout);
    let output = cmd.output()?;
    if output.status != Status::Exited(0) {
        let mut error = cmd.error(&output);
        let timed_out = matches!(output.status, Status::TimedOut(_));
        error.hint = Some(match (last_scenario(&output.stderr), timed_out) {
            (Some(id), false) => format!("the probe ended during scenario `{id}`"),
            (Some(id), true) => {
                format!("the probe was still in scenario `{id}` when --timeout ran out")
            }
            (None, false) => {
                "the probe ended before its first scenario (while importing the package?)"
                    .to_owned()
            }
            (None, true) => {
                "the probe was still importing the package when --timeout ran out".to_owned()
            }
        });
        return Err(error.into());
    }
    parse(&output.stdout).map_err(|message| unusable(message, &output))
}

/// The error for output that is not the JSON expected: the ends of both streams, since what
/// the probe printed to stderr says how far it got.
fn unusable(message: String, output: &Output) -> Error {
    Error::ProbeOutput {
        message,
        stdout_tail: tail_str(&output.stdout, TAIL_CHARS).to_owned(),
        stderr_tail: tail_str(&output.stderr, TAIL_CHARS).to_owned(),
    }
}

/// The id in the last `probe: running <id>` line: the scenario that was running when it died.
fn last_scenario(stderr: &str) -> Option<&str> {
    stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("probe: running "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r#"{
      "probe_version": 2,
      "package": "my_ext",
      "style": "greet",
      "python": {"implementation": "CPython", "version": "3.11.7"},
      "paths": {"work_dir": "/w", "package_dir": "/p/python/my_ext", "prefix": "/v"},
      "import_error": null,
      "all": ["Message", "panic_with", "LIMIT"],
      "api": [
        {"name": "LIMIT", "kind": "constant", "qualname": "my_ext.LIMIT", "signature": null,
         "doc": null, "value": "(3, 'three')", "bases": [], "members": []},
        {"name": "Message", "kind": "class", "qualname": "my_ext.Message", "signature": "(text)",
         "doc": "A message.", "bases": ["builtins.str"], "members": [
           {"name": "greet", "kind": "function", "qualname": "my_ext.Message.greet",
            "signature": "(name)", "doc": null, "members": []}]},
        {"name": "panic_with", "kind": "function", "qualname": "my_ext._my_ext.panic_with",
         "signature": "(message)", "doc": null}
      ],
      "stubs": [
        {"module": "my_ext._my_ext", "file": "_my_ext.pyi", "error": null, "disagreements": [
          {"kind": "parameters", "name": "Message.greet", "stub": "(name)",
           "runtime": "(name, loud=...)"},
          {"kind": "only_in_stub", "name": "shout", "stub": null, "runtime": null}]}
      ],
      "scenarios": [
        {"id": "greet.static_greet", "behaviour": "greet returns",
         "exercises": [1], "hint": "delegate to the core",
         "outcome": {"kind": "returned", "repr": "'Hello, eunsang !'"}},
        {"id": "greet.panic", "behaviour": "panics",
         "outcome": {"kind": "raised", "exception": {
            "type": "pyo3_runtime.PanicException",
            "mro": ["pyo3_runtime.PanicException", "builtins.BaseException"],
            "is_exception": false, "message": "boom", "notes": [],
            "cause": null,
            "context": {"type": "builtins.KeyError", "mro": ["builtins.KeyError"],
                        "is_exception": true, "message": "'k'", "notes": ["in plugin x"],
                        "cause": null, "context": null}}}}
      ]
    }"#;

    #[test]
    fn parses_the_contract_document() {
        let result = parse(DOCUMENT).unwrap();
        assert_eq!(result.package, "my_ext");
        assert_eq!(result.python.version, "3.11.7");
        assert_eq!(
            result.paths.package_dir.as_deref(),
            Some("/p/python/my_ext")
        );
        assert_eq!(
            result.all.as_deref(),
            Some(&["Message".to_owned(), "panic_with".into(), "LIMIT".into()][..])
        );
        assert_eq!(result.api[0].value.as_deref(), Some("(3, 'three')"));
        assert_eq!(result.api[1].bases, ["builtins.str"]);
        assert_eq!(result.api[1].members[0].qualname, "my_ext.Message.greet");
        // Fields a probe leaves out default to empty.
        assert_eq!(result.api[2].members, []);
        assert_eq!(result.api[2].value, None);
        assert_eq!(result.api[2].bases, Vec::<String>::new());
        let stub = &result.stubs[0];
        assert_eq!(
            (stub.module.as_str(), stub.file.as_str()),
            ("my_ext._my_ext", "_my_ext.pyi")
        );
        assert_eq!(
            stub.disagreements[0],
            StubDisagreement {
                kind: StubDisagreementKind::Parameters,
                name: "Message.greet".into(),
                stub: Some("(name)".into()),
                runtime: Some("(name, loud=...)".into()),
            }
        );
        assert_eq!(stub.disagreements[1].kind, StubDisagreementKind::OnlyInStub);
        assert_eq!(result.scenarios[0].exercises, [1]);
        assert_eq!(result.scenarios[0].hint, "delegate to the core");
        // A probe from before the workshop metadata: the fields default to empty.
        assert_eq!(result.scenarios[1].exercises, Vec::<u32>::new());
        assert_eq!(result.scenarios[1].hint, "");
        assert_eq!(
            result.scenarios[0].outcome,
            Outcome::Returned {
                repr: "'Hello, eunsang !'".into()
            }
        );
        let Outcome::Raised { exception } = &result.scenarios[1].outcome else {
            panic!("expected a raised outcome");
        };
        assert_eq!(exception.type_name, "pyo3_runtime.PanicException");
        assert!(!exception.is_exception);
        let context = exception.context.as_ref().unwrap();
        assert_eq!(context.notes, ["in plugin x"]);
        assert_eq!(context.message, "'k'");
    }

    #[test]
    fn refuses_another_probe_version() {
        let document = DOCUMENT.replace("\"probe_version\": 2", "\"probe_version\": 1");
        assert_eq!(
            parse(&document).unwrap_err(),
            "probe_version is 1, this harness reads 2"
        );
    }

    #[test]
    fn reports_what_is_missing() {
        let error = parse(r#"{"probe_version": 2}"#).unwrap_err();
        assert!(error.starts_with("missing field `package`"), "{error}");
    }

    #[test]
    fn parses_the_scenario_list() {
        let list = parse_list(
            r#"{"probe_version": 2, "style": "greet", "scenarios": [
                {"id": "greet.import_paths", "behaviour": "same class", "exercises": [],
                 "hint": "no exercise"},
                {"id": "greet.greet_many_threads", "behaviour": "threads", "exercises": [1, 5],
                 "hint": "both"}]}"#,
        )
        .unwrap();
        assert_eq!(list.style, "greet");
        assert_eq!(
            list.scenarios[1],
            ScenarioInfo {
                id: "greet.greet_many_threads".into(),
                behaviour: "threads".into(),
                exercises: vec![1, 5],
                hint: "both".into(),
            }
        );
        assert_eq!(
            parse_list(r#"{"probe_version": 1, "style": "greet", "scenarios": []}"#).unwrap_err(),
            "probe_version is 1, this harness reads 2"
        );
    }

    #[test]
    fn unusable_output_shows_what_the_probe_printed_on_both_streams() {
        // A stand-in for Python that runs no probe: it prints something that is not JSON.
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        fs_err::write(
            &python,
            "#!/bin/sh\necho 'probe: running greet.repr' >&2\necho 'not JSON'\n",
        )
        .unwrap();
        crate::platform::set_executable(&python).unwrap();
        let error = list(&python, "greet", Duration::from_secs(30)).unwrap_err();
        assert!(
            matches!(&error, Error::ProbeOutput { stdout_tail, stderr_tail, .. }
                if stdout_tail == "not JSON\n" && stderr_tail == "probe: running greet.repr\n"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the probe printed no usable JSON: expected ident at line 1 column 2\n\
             --- stdout\nnot JSON\n--- stderr\nprobe: running greet.repr"
        );
    }

    #[test]
    fn last_scenario_names_the_culprit() {
        let stderr =
            "probe: running greet.repr\nprobe: running greet.panic\nFatal Python error: Aborted\n";
        assert_eq!(last_scenario(stderr), Some("greet.panic"));
        assert_eq!(last_scenario("Traceback ...\n"), None);
    }
}

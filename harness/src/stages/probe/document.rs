//! The probe's JSON document, as serde reads it: the definition of the format (the book's
//! contributing chapter includes it).

use serde::{Deserialize, Serialize};

/// The document version this harness reads.
pub const PROBE_VERSION: u32 = 3;

// ANCHOR: probe_json
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub probe_version: u32,
    pub package: String,
    pub style: String,
    pub python: PythonInfo,
    pub paths: Paths,
    pub import_error: Option<ExceptionInfo>,
    /// The package's own docstring.
    #[serde(default)]
    pub doc: Option<String>,
    /// The package's `__all__` as declared, or `None` when it declares none.
    #[serde(default)]
    pub all: Option<Vec<String>>,
    #[serde(default)]
    pub api: Vec<ApiItem>,
    /// One entry per `.pyi` file the package ships.
    #[serde(default)]
    pub stubs: Vec<StubCheck>,
    /// The installed wheel's tags; `None` when the distribution is not found.
    #[serde(default)]
    pub wheel: Option<WheelTags>,
    /// The distribution's entry points, sorted by group and name.
    #[serde(default)]
    pub entry_points: Vec<EntryPoint>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// The `Tag:` lines of the installed wheel's `WHEEL` file, e.g. `cp39-abi3-manylinux_2_17_x86_64`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WheelTags {
    pub tags: Vec<String>,
}

/// One entry point (`[project.scripts]` is the group `console_scripts`) and what loading it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPoint {
    pub group: String,
    pub name: String,
    /// `module:attribute`, as declared.
    pub value: String,
    pub outcome: EntryPointOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryPointOutcome {
    Callable,
    NotCallable {
        #[serde(rename = "type")]
        type_name: String,
    },
    Raised {
        exception: ExceptionInfo,
    },
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
    /// A class's ancestors in MRO order, itself and `object` left out.
    #[serde(default)]
    pub mro: Vec<String>,
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
    /// What it runs, as a few lines of Python (`import my_ext as pkg` then the call), when the
    /// probe could read its source: the witness of a difference in its outcome.
    #[serde(default)]
    pub source: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r#"{
      "probe_version": 3,
      "package": "my_ext",
      "style": "greet",
      "python": {"implementation": "CPython", "version": "3.11.7"},
      "paths": {"work_dir": "/w", "package_dir": "/p/python/my_ext", "prefix": "/v"},
      "import_error": null,
      "doc": "Greetings, from Rust.",
      "all": ["Message", "panic_with", "LIMIT"],
      "api": [
        {"name": "LIMIT", "kind": "constant", "qualname": "my_ext.LIMIT", "signature": null,
         "doc": null, "value": "(3, 'three')", "bases": [], "members": []},
        {"name": "Message", "kind": "class", "qualname": "my_ext.Message", "signature": "(text)",
         "doc": "A message.", "bases": ["builtins.str"], "mro": ["builtins.str"], "members": [
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
      "wheel": {"tags": ["cp311-abi3-manylinux_2_17_x86_64"]},
      "entry_points": [
        {"group": "console_scripts", "name": "greet", "value": "my_ext.cli:main",
         "outcome": {"kind": "callable"}},
        {"group": "console_scripts", "name": "limit", "value": "my_ext:LIMIT",
         "outcome": {"kind": "not_callable", "type": "builtins.tuple"}}
      ],
      "scenarios": [
        {"id": "greet.static_greet", "behaviour": "greet returns",
         "exercises": [1], "hint": "delegate to the core",
         "source": "import my_ext as pkg\npkg.Message.greet('eunsang')",
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
        assert_eq!(result.api[1].mro, ["builtins.str"]);
        assert_eq!(result.doc.as_deref(), Some("Greetings, from Rust."));
        assert_eq!(
            result.wheel.as_ref().map(|wheel| wheel.tags.as_slice()),
            Some(&["cp311-abi3-manylinux_2_17_x86_64".to_owned()][..])
        );
        assert_eq!(result.entry_points[0].outcome, EntryPointOutcome::Callable);
        assert_eq!(
            result.entry_points[1].outcome,
            EntryPointOutcome::NotCallable {
                type_name: "builtins.tuple".into()
            }
        );
        assert_eq!(
            result.scenarios[0].source.as_deref(),
            Some("import my_ext as pkg\npkg.Message.greet('eunsang')")
        );
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
        // Fields a scenario leaves out default to empty.
        assert_eq!(result.scenarios[1].exercises, Vec::<u32>::new());
        assert_eq!(result.scenarios[1].source, None);
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
        let document = DOCUMENT.replace("\"probe_version\": 3", "\"probe_version\": 1");
        assert_eq!(
            parse(&document).unwrap_err(),
            "probe_version is 1, this harness reads 3"
        );
    }

    #[test]
    fn reports_what_is_missing() {
        let error = parse(r#"{"probe_version": 3}"#).unwrap_err();
        assert!(error.starts_with("missing field `package`"), "{error}");
    }

    #[test]
    fn parses_the_scenario_list() {
        let list = parse_list(
            r#"{"probe_version": 3, "style": "greet", "scenarios": [
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
            "probe_version is 1, this harness reads 3"
        );
    }
}

//! The probe, run on a package made of plain Python files, with an installed distribution's
//! metadata beside it: what it records of enums, stubs, bases, docstrings, the wheel's tags,
//! entry points and a project's own scenarios, and what the witnesses it runs raise. No build:
//! the probe reads a PyO3 package the way it reads this one (a PyO3 `#[pyclass] enum`'s variants
//! are class attributes holding instances of the class, with `__int__`; PyO3 shows a default it
//! cannot render as `...`).

use std::path::Path;
use std::process::Command;

use scaffold_harness::stages::probe::{self, EntryPointOutcome, Outcome, ProbeResult};

const PACKAGE: &str = r#""""A fake package, as a PyO3 project looks from Python."""
import enum

__all__ = ["Color", "Mode", "Oops", "scale", "main", "LIMIT"]

LIMIT = 3


class Color(enum.Enum):
    RED = 1
    GREEN = "g"


class Mode:
    """Like a PyO3 `#[pyclass] enum Mode { Fast, Safe }`."""

    def __init__(self, value):
        self._value = value

    def __int__(self):
        return self._value


Mode.Fast = Mode(0)
Mode.Safe = Mode(1)


class Oops(ValueError):
    """Raised on bad input."""


def scale(x, factor=...):
    return x * factor


def main():
    return 0
"#;

const STUB: &str = "import enum\n\
    class Color(enum.Enum): ...\n\
    class Mode: ...\n\
    class Oops(ValueError): ...\n\
    LIMIT: int\n\
    def scale(x: int, factor: int = 2) -> float: ...\n\
    def main() -> int: ...\n";

const SCENARIOS: &str = "SCENARIOS = (\n    \
    (\"scale.two\", \"scale(2, 3) multiplies\", lambda pkg, _: pkg.scale(2, 3)),\n    \
    (\"scale.bad\", \"scale(None, 2) raises\", lambda pkg, _: pkg.scale(None, 2)),\n)\n";

/// A site folder with the package and its distribution's metadata, and the probe beside it.
fn site(root: &Path) {
    let package = root.join("site/fakepkg");
    let info = root.join("site/fakepkg-1.0.dist-info");
    fs_err::create_dir_all(&package).unwrap();
    fs_err::create_dir_all(&info).unwrap();
    fs_err::write(package.join("__init__.py"), PACKAGE).unwrap();
    fs_err::write(package.join("__init__.pyi"), STUB).unwrap();
    fs_err::write(
        info.join("WHEEL"),
        "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n\
         Tag: cp39-abi3-manylinux_2_17_x86_64\nTag: cp39-abi3-manylinux2014_x86_64\n",
    )
    .unwrap();
    fs_err::write(
        info.join("METADATA"),
        "Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.0\n",
    )
    .unwrap();
    fs_err::write(
        info.join("entry_points.txt"),
        "[console_scripts]\nfake = fakepkg:main\ngone = fakepkg.cli:run\nlimit = fakepkg:LIMIT\n",
    )
    .unwrap();
    fs_err::write(
        info.join("RECORD"),
        "fakepkg/__init__.py,,\nfakepkg/__init__.pyi,,\nfakepkg-1.0.dist-info/METADATA,,\n",
    )
    .unwrap();
    fs_err::write(root.join("scenarios.py"), SCENARIOS).unwrap();
    fs_err::create_dir_all(root.join("probe")).unwrap();
    for (name, text) in probe::FILES {
        fs_err::write(root.join("probe").join(name), text).unwrap();
    }
    fs_err::create_dir_all(root.join("work")).unwrap();
}

fn python(root: &Path, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg(root.join("probe/scaffold_probe.py"))
        .args(args)
        .env("PYTHONPATH", root.join("site"))
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn probed(root: &Path) -> ProbeResult {
    let work = root.join("work");
    let scenarios = root.join("scenarios.py");
    let args = [
        "--package",
        "fakepkg",
        "--work-dir",
        work.to_str().unwrap(),
        "--scenarios",
        scenarios.to_str().unwrap(),
    ];
    probe::parse(&python(root, &args)).unwrap()
}

#[test]
fn the_probe_records_what_the_verdicts_need() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let result = probed(dir.path());
    assert_eq!(
        result.doc.as_deref(),
        Some("A fake package, as a PyO3 project looks from Python.")
    );
    let item = |name: &str| result.api.iter().find(|item| item.name == name).unwrap();
    // A default the runtime shows as `...` and the annotations it lacks come from the stub.
    assert_eq!(
        item("scale").signature.as_deref(),
        Some("(x: int, factor: int = 2) -> float")
    );
    assert_eq!(item("main").signature.as_deref(), Some("() -> int"));
    // Bases, and the whole MRO.
    assert_eq!(item("Oops").bases, ["builtins.ValueError"]);
    assert_eq!(
        item("Oops").mro,
        [
            "builtins.ValueError",
            "builtins.Exception",
            "builtins.BaseException"
        ]
    );
    // Enum members with their values: a Python enum's `.value`, a PyO3 variant's `int()`; the
    // enum machinery's own signature is not the project's.
    let members = |name: &str| -> Vec<(String, String, Option<String>)> {
        item(name)
            .members
            .iter()
            .map(|m| (m.name.clone(), m.kind.clone(), m.value.clone()))
            .collect()
    };
    assert_eq!(
        members("Color"),
        [
            ("GREEN".into(), "enum member".into(), Some("'g'".into())),
            ("RED".into(), "enum member".into(), Some("1".into())),
        ]
    );
    assert_eq!(item("Color").signature, None);
    assert_eq!(
        members("Mode"),
        [
            ("Fast".into(), "enum member".into(), Some("0".into())),
            ("Safe".into(), "enum member".into(), Some("1".into())),
        ]
    );
    // The wheel's tags and the entry points, each loaded.
    assert_eq!(
        result.wheel.unwrap().tags,
        [
            "cp39-abi3-manylinux_2_17_x86_64",
            "cp39-abi3-manylinux2014_x86_64"
        ]
    );
    let points: Vec<(&str, &EntryPointOutcome)> = result
        .entry_points
        .iter()
        .map(|point| (point.name.as_str(), &point.outcome))
        .collect();
    assert_eq!(points[0], ("fake", &EntryPointOutcome::Callable));
    assert!(
        matches!(points[1], ("gone", EntryPointOutcome::Raised { exception })
            if exception.type_name == "builtins.ModuleNotFoundError"),
        "{points:?}"
    );
    assert_eq!(
        points[2],
        (
            "limit",
            &EntryPointOutcome::NotCallable {
                type_name: "builtins.int".into()
            }
        )
    );
    // The project's own scenarios, with their code.
    let scenarios: Vec<(&str, Option<&str>)> = result
        .scenarios
        .iter()
        .map(|s| (s.id.as_str(), s.source.as_deref()))
        .collect();
    assert_eq!(
        scenarios,
        [
            ("scale.two", Some("import fakepkg as pkg\npkg.scale(2, 3)")),
            (
                "scale.bad",
                Some("import fakepkg as pkg\npkg.scale(None, 2)")
            ),
        ]
    );
    assert_eq!(
        result.scenarios[0].outcome,
        Outcome::Returned { repr: "6".into() }
    );
    assert!(
        matches!(&result.scenarios[1].outcome, Outcome::Raised { exception }
        if exception.type_name == "builtins.TypeError")
    );
}

#[test]
fn witnesses_say_what_they_raised() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let codes = [
        "from fakepkg import gone",
        "import fakepkg\nassert fakepkg.LIMIT == 3",
        "raise SystemExit(3)",
    ];
    fs_err::write(
        dir.path().join("witnesses.json"),
        serde_json::to_string(&codes).unwrap(),
    )
    .unwrap();
    let out = python(dir.path(), &["--witnesses", "witnesses.json"]);
    let runs: serde_json::Value = serde_json::from_str(&out).unwrap();
    let raised: Vec<&serde_json::Value> = runs["witnesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| &run["raised"])
        .collect();
    assert_eq!(
        raised,
        [
            &serde_json::json!(["ImportError", "Exception", "BaseException"]),
            &serde_json::Value::Null,
            &serde_json::json!(["SystemExit", "BaseException"]),
        ]
    );
}

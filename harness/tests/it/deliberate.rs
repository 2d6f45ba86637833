//! Conformance of any project, on a rendered one: its own scenarios (`tests/conformance_scenarios.py`),
//! its entry points and its wheel's tags are recorded; each breaking change comes with a
//! witness confirmed against the new build; and a maintainer accepts breaks on purpose, with a
//! reason, from `conformance-accepted.toml`, which warns about an entry that matches nothing.

use std::path::Path;

use crate::support::{check, copy_project, edit, rendered, run};

/// A public function with a bad-input error no test of the template covers, a command that
/// runs it, and a scenario of the project that calls it with bad input.
fn add_shout_with_a_script_and_a_scenario(project: &Path) {
    fs_err::write(
        project.join("python/greet/shout.py"),
        "\"\"\"Loud greetings.\"\"\"\n\n\ndef shout(text: str) -> str:\n    \
         \"\"\"The text in capitals; an empty one is refused.\"\"\"\n    if not text:\n        \
         raise ValueError(\"nothing to shout\")\n    return text.upper()\n\n\n\
         def main() -> None:\n    \"\"\"The `greet-shout` command.\"\"\"\n    print(shout(\"hi\"))\n",
    )
    .unwrap();
    edit(
        &project.join("pyproject.toml"),
        "[dependency-groups]",
        "[project.scripts]\ngreet-shout = \"greet.shout:main\"\n\n[dependency-groups]",
    );
    fs_err::write(
        project.join("tests/conformance_scenarios.py"),
        "\"\"\"The project's own behaviours, recorded by pyo3-scaffold check.\"\"\"\n\n\
         SCENARIOS = (\n    \
         (\"shout.empty\", \"shout('') refuses an empty text\", \
         lambda pkg, _: __import__(\"greet.shout\").shout.shout(\"\")),\n    \
         (\"shout.word\", \"shout('hi') returns 'HI'\", \
         lambda pkg, _: __import__(\"greet.shout\").shout.shout(\"hi\")),\n)\n",
    )
    .unwrap();
}

#[test]
fn a_projects_own_scenarios_entry_points_and_wheel_are_compared_with_witnesses_and_accepted_breaks()
{
    let (_dir, project) = copy_project(&rendered()["greet"]);
    add_shout_with_a_script_and_a_scenario(&project);
    let records = tempfile::tempdir().unwrap();
    let record = records.path().join("greet.record");
    let recorded = run(check(&project)
        .args(["--style", "none", "--record"])
        .arg(&record));
    assert_eq!(recorded.code, Some(0), "{}", recorded.dump());
    let text = fs_err::read_to_string(&record).unwrap();
    for expected in [
        "\npackage: greet\n",
        "\n## wheel\ninterpreters: abi3, CPython 3.11 and later\nplatform: ",
        "\n## entry-point console_scripts:greet-shout\ntarget: [PKG].shout:main\nloads: a callable\n",
        "\n## scenario shout.empty\nbehaviour: shout('') refuses an empty text\n\
         raised: builtins.ValueError\n",
        "\n## scenario shout.word\nbehaviour: shout('hi') returns 'HI'\nreturned: 'HI'\n",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }

    // Three breaks no test of the project sees: another exception for bad input, the
    // command's function gone, and abi3 dropped.
    edit(
        &project.join("python/greet/shout.py"),
        "raise ValueError(\"nothing to shout\")",
        "raise TypeError(\"nothing to shout\")",
    );
    edit(
        &project.join("python/greet/shout.py"),
        "def main() -> None:",
        "def run() -> None:",
    );
    edit(
        &project.join("crates/python/Cargo.toml"),
        "features = [\"abi3-py311\"]",
        "features = []",
    );
    let reports = tempfile::tempdir().unwrap();
    let json = reports.path().join("report.json");
    let broken = run(check(&project)
        .arg("--against")
        .arg(&record)
        .arg("--json")
        .arg(&json));
    assert_eq!(broken.code, Some(1), "{}", broken.dump());
    for line in [
        "breaking (scenario-exception-changed): `shout.empty` raises another exception: \
         builtins.ValueError → builtins.TypeError",
        "    witness, confirmed on this build, raises TypeError:\n      \
         import greet as pkg\n      __import__('greet.shout').shout.shout('')\n",
        "breaking (entry-point-broken): entry point `console_scripts:greet-shout` no longer \
         loads a callable: `greet.shout:main`: loading it raises builtins.AttributeError",
        "    witness, confirmed on this build, raises AttributeError:\n      \
         from importlib.metadata import entry_points\n      \
         entry_points(group=\"console_scripts\")[\"greet-shout\"].load()\n",
        "breaking (wheel-abi3-dropped): the wheel serves one CPython version now",
        "3 difference(s): 3 breaking, 0 compatible",
    ] {
        assert!(broken.stdout.contains(line), "{line}\n{}", broken.dump());
    }
    let report: serde_json::Value =
        serde_json::from_str(fs_err::read_to_string(&json).unwrap().trim()).unwrap();
    let witnesses: Vec<(&str, &str)> = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|difference| difference["findings"].as_array().unwrap())
        .filter_map(|finding| {
            let witness = finding.get("witness")?;
            Some((finding["rule"].as_str()?, witness["status"].as_str()?))
        })
        .collect();
    assert_eq!(
        witnesses,
        [
            ("wheel-abi3-dropped", "derived"),
            ("entry-point-broken", "confirmed"),
            ("scenario-exception-changed", "confirmed"),
        ],
        "{report:#}"
    );

    // Accepted on purpose, each with its reason; an entry that matches nothing is a warning.
    fs_err::write(
        project.join("conformance-accepted.toml"),
        "[[accept]]\nrule = \"scenario-exception-changed\"\nsubject = \"shout.empty\"\n\
         reason = \"an empty text is a type error from 2.0 on\"\n\n\
         [[accept]]\nrule = \"entry-point-broken\"\nsubject = \"console_scripts:greet-shout\"\n\
         reason = \"the command is renamed in 2.0\"\n\n\
         [[accept]]\nrule = \"name-removed\"\nsubject = \"Message\"\nreason = \"not yet\"\n",
    )
    .unwrap();
    let accepted = run(check(&project)
        .arg("--against")
        .arg(&record)
        .args(["--format", "github"])
        .args([
            "--accept",
            "wheel-abi3-dropped:wheel",
            "--reason",
            "one wheel per version",
        ]));
    assert_eq!(accepted.code, Some(0), "{}", accepted.dump());
    for line in [
        "3 difference(s): 0 breaking, 0 compatible, 3 accepted",
        "accepted (scenario-exception-changed:shout.empty): `shout.empty` raises another \
         exception: builtins.ValueError → builtins.TypeError\n  because: an empty text is a \
         type error from 2.0 on",
        "accepted (wheel-abi3-dropped:wheel): ",
    ] {
        assert!(
            accepted.stdout.contains(line),
            "{line}\n{}",
            accepted.dump()
        );
    }
    let file = project.join("conformance-accepted.toml");
    assert!(
        accepted.stderr.contains(&format!(
            "warning: `name-removed:Message` ({}:11) is accepted but matches no difference any \
             more: remove it",
            file.display()
        )),
        "{}",
        accepted.dump()
    );
    assert!(
        accepted
            .stdout
            .lines()
            .any(|line| line.starts_with(&format!(
                "::warning file={},line=11,title=stale acceptance%3A name-removed%3AMessage::",
                file.display().to_string().replace(':', "%3A")
            ))),
        "{}",
        accepted.dump()
    );
    // An accepted difference is a notice, not an error.
    assert!(
        !accepted
            .stdout
            .lines()
            .any(|line| line.starts_with("::error")),
        "{}",
        accepted.dump()
    );

    // A bad acceptance is refused before anything runs.
    let refused = run(check(&project).arg("--against").arg(&record).args([
        "--accept",
        "name-remove:x",
        "--reason",
        "r",
    ]));
    assert_eq!(refused.code, Some(2), "{}", refused.dump());
    assert!(
        refused.stderr.contains(
            "--accept name-remove:x: `name-remove` is not a rule (did you mean `name-removed`?)"
        ),
        "{}",
        refused.dump()
    );
}

#[test]
fn a_scenarios_file_that_cannot_be_used_is_named_with_the_fix() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    let missing = run(check(&project).args(["--style", "none", "--scenarios", "no-such.py"]));
    assert_eq!(missing.code, Some(2), "{}", missing.dump());
    assert!(
        missing
            .stderr
            .contains("--scenarios no-such.py: no such file"),
        "{}",
        missing.dump()
    );
    fs_err::write(
        project.join("tests/conformance_scenarios.py"),
        "SCENARIOS = 3\n",
    )
    .unwrap();
    let records = tempfile::tempdir().unwrap();
    let bad = run(check(&project)
        .args(["--style", "none", "--record"])
        .arg(records.path().join("r.record")));
    assert_eq!(bad.code, Some(1), "{}", bad.dump());
    assert!(
        bad.stdout.contains(
            "defines no SCENARIOS list or tuple: add `SCENARIOS = ((id, behaviour, run), ...)`"
        ),
        "{}",
        bad.dump()
    );
}

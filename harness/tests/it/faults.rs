//! The fault suite: projects broken on purpose, each a fresh render with a small patch (the
//! Python files under `faults/`, the rest below), run through `check`, and one matrix run of a
//! patched template in which broken cases sit beside a sound one.
//!
//! For every fault: the documented exit code; the report names the case, the stage and the
//! gist; no process started by the run survives it; nothing is left in the run's `TMPDIR`
//! (where the harness makes its work folders). The runs of one test go at the same time, as
//! independent harness processes sharing the tests' cache.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::sandbox::{Edit, Measured, Sandbox, apply, run_measured};
use crate::support::{Filters, TIMEOUT, Transcript, edit, repo_root, transcript_snapshot};
use table::{Expect, Fault, TYPE_ERROR, greet_faults, text_processor_faults};

mod table;

/// A sound project of `style`, checked (and recorded) first: it proves the sandbox's setup
/// passes, and it builds PyO3 into the shared cache before the runs with a short time limit.
fn baseline(style: &str, name: &str) {
    let sandbox = Sandbox::new(name);
    let project = sandbox.render(style, name);
    let record = sandbox.path().join("baseline.record");
    let run = crate::support::run(
        sandbox
            .check(&project, TIMEOUT, &[])
            .arg("--record")
            .arg(&record),
    );
    assert_eq!(run.code, Some(0), "{}", run.dump());
    sandbox.assert_clean(name);
}

/// Runs each fault's check at once, each in a sandbox of its own; returns each run with its
/// sandbox (kept for the cleanliness checks) and JSON report.
fn run_all(faults: &[Fault]) -> Vec<(Measured, Sandbox, serde_json::Value)> {
    let prepared: Vec<(Sandbox, PathBuf)> = faults
        .iter()
        .map(|fault| {
            let sandbox = Sandbox::new(fault.name);
            let project = sandbox.render(fault.style, fault.name);
            apply(&project, &fault.edits);
            (sandbox, project)
        })
        .collect();
    let runs: Vec<Measured> = std::thread::scope(|scope| {
        let handles: Vec<_> = faults
            .iter()
            .zip(&prepared)
            .map(|(fault, (sandbox, project))| {
                let mut command: Command = sandbox.check(project, fault.timeout, &[]);
                scope.spawn(move || run_measured(&mut command))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a run thread"))
            .collect()
    });
    runs.into_iter()
        .zip(prepared)
        .map(|(measured, (sandbox, project))| {
            let json = read_json(&sandbox.json_path(&project), &measured);
            (measured, sandbox, json)
        })
        .collect()
}

fn read_json(path: &Path, measured: &Measured) -> serde_json::Value {
    let text = fs_err::read_to_string(path)
        .unwrap_or_else(|error| panic!("no JSON report ({error}):\n{}", measured.run.dump()));
    serde_json::from_str(&text).expect("one JSON document")
}

/// Checks one fault's run against what it expects.
fn verify(fault: &Fault, measured: &Measured, sandbox: &Sandbox, json: &serde_json::Value) {
    let run = &measured.run;
    let dump = || format!("{}:\n{}", fault.name, run.dump());
    assert_eq!(run.code, Some(fault.expect.code), "{}", dump());
    assert!(
        run.stdout
            .contains(&format!("=== {}: FAILED\n", fault.name)),
        "the report does not name the case {}",
        dump()
    );
    match fault.expect.stage {
        Some(stage) => {
            assert_eq!(json["error"]["stage"], stage, "{}", dump());
            assert!(
                run.stdout.contains(&format!("{stage} stage failed: ")),
                "{}",
                dump()
            );
        }
        None => {
            assert!(json["error"].is_null(), "{}", dump());
            // It ran to the end.
            assert_eq!(json["stages"].as_array().unwrap().len(), 6, "{}", dump());
        }
    }
    for gist in fault.expect.says {
        assert!(
            run.stdout.contains(gist),
            "{gist:?} missing from {}",
            dump()
        );
    }
    for never in ["panicked at", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(!run.stderr.contains(never), "{never:?} in {}", dump());
    }
    // Bounded: a flood of output is kept to its tails.
    assert!(
        run.stdout.len() < 256 * 1024,
        "{} bytes of report",
        run.stdout.len()
    );
    assert!(
        json.to_string().len() < 256 * 1024,
        "a {}-byte JSON report",
        json.to_string().len()
    );
    sandbox.assert_clean(fault.name);
}

#[test]
fn faults_in_greet_projects_are_reported_and_contained() {
    baseline("greet", "baseline-greet");
    let faults = greet_faults();
    let runs = run_all(&faults);
    for (fault, (measured, sandbox, json)) in faults.iter().zip(&runs) {
        verify(fault, measured, sandbox, json);
    }

    // The flood went through the harness, which kept its memory and its report small.
    let (flood, _, json) = &runs[faults.iter().position(|f| f.name == "fault-flood").unwrap()];
    let summary = json["tests"]["summary"].as_str().unwrap();
    assert!(summary.contains("flood\nflood\nflood\n"), "{summary}");
    // Some 35 MiB (the whole JUnit report, with its 5 MB failure, is parsed), far from the
    // flood's size.
    assert!(
        flood.peak_rss_kib < 128 * 1024,
        "the harness peaked at {} KiB for 288 MiB of output",
        flood.peak_rss_kib
    );
    let message = json["tests"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|case| case["message"].as_str().filter(|m| m.contains("enormous")))
        .unwrap();
    // Cut by the harness ("[... N more bytes]") or already by pytest 9 ("[truncated; ...]").
    assert!(
        message.len() < 3000,
        "a {}-byte test message",
        message.len()
    );
}

#[test]
fn faults_in_text_processor_plugins_are_reported_and_contained() {
    baseline("text-processor", "baseline-tp");
    let faults = text_processor_faults();
    for (fault, (measured, sandbox, json)) in faults.iter().zip(&run_all(&faults)) {
        verify(fault, measured, sandbox, json);
    }
}

/// The harness installs the project as users get it, from a wheel, and maturin packs a
/// symbolic link as a copy of the file it leads to: the link's target becomes a plugin of the
/// installed package like the others, and the comparison shows the extra plugin. (The
/// processor's refusal of a link leading out of a plugin folder is the project's own test,
/// `test_a_plugin_linking_out_of_the_folder_is_refused`, which passes here too.)
#[test]
fn a_plugin_linking_out_of_its_folder_is_installed_as_a_copy() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("elsewhere.py");
    fs_err::write(&target, "def process(text):\n    return text\n").unwrap();
    let fault = Fault {
        name: "fault-plugin-link",
        style: "text-processor",
        edits: vec![Edit::Symlink(
            "python/{pkg}/plugins/step3_link.py",
            target.clone(),
        )],
        timeout: TIMEOUT,
        expect: Expect {
            code: 1,
            stage: None,
            says: &["+returned: ['step1_reverse', 'step2_capitalize', 'step3_link']"],
        },
    };
    let (measured, sandbox, json) = run_all(std::slice::from_ref(&fault)).remove(0);
    verify(&fault, &measured, &sandbox, &json);
    let passed = |name: &str| {
        json["tests"]["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|case| case["name"].as_str() == Some(name) && case["outcome"] == "passed")
    };
    assert!(
        passed("tests.test_plugins::test_a_plugin_linking_out_of_the_folder_is_refused"),
        "{}",
        measured.run.dump()
    );
}

#[test]
fn a_project_without_a_usable_pyproject_is_refused_before_any_stage() {
    let sandbox = Sandbox::new("fault-pyproject");
    let missing = sandbox.render("greet", "fault-no-pyproject");
    apply(&missing, &[Edit::Remove("pyproject.toml")]);
    let malformed = sandbox.render("greet", "fault-bad-pyproject");
    apply(
        &malformed,
        &[Edit::Replace("pyproject.toml", "[project]\n", "[project\n")],
    );
    let mut transcript = Transcript::new(Filters::new().path(sandbox.path(), "[SANDBOX]"));
    for project in [&missing, &malformed] {
        transcript.run(&mut sandbox.check(project, TIMEOUT, &[]));
    }
    transcript_snapshot!("unusable_pyproject", transcript);
    sandbox.assert_clean("fault-pyproject");
}

/// The template copied into `dir`, with faults that only some of the matrix's cases get.
fn patched_template(dir: &Path) -> PathBuf {
    let template = dir.join("template");
    scaffold_harness::project::tree::copy_sources(&repo_root().join("template"), &template)
        .unwrap();
    // greet without abi3: a Rust compile error.
    let lib = template.join("crates/core/src/lib.rs");
    let text = fs_err::read_to_string(&lib).unwrap();
    fs_err::write(
        &lib,
        format!("{text}{{% if style == \"greet\" %}}{{% unless abi3 %}}{TYPE_ERROR}{{% endunless %}}{{% endif %}}"),
    )
    .unwrap();
    // text-processor with abi3: a bundled plugin that raises (greet ignores the plugin folder).
    fs_err::write(
        template.join("python/{{crate_name}}/plugins/step3_raises.py"),
        include_str!("faults/plugin_raises.py"),
    )
    .unwrap();
    // text-processor without abi3: no pyproject.toml.
    edit(
        &template.join("cargo-generate.toml"),
        "[conditional.'!ci']",
        "[conditional.'style == \"text-processor\" && !abi3']\n\
         ignore = [\"pyproject.toml\"]\n\n[conditional.'!ci']",
    );
    template
}

#[test]
fn faults_in_one_matrix_run_leave_the_other_cases_alone() {
    let sandbox = Sandbox::new("fault-matrix");
    let template = patched_template(sandbox.path());
    let json = sandbox.path().join("matrix.jsonl");
    let mut command = sandbox.harness();
    command
        .arg("matrix")
        .arg("--template")
        .arg(&template)
        .args(["--timeout", &TIMEOUT.as_secs().to_string(), "--json"])
        .arg(&json);
    let measured = run_measured(&mut command);
    let run = &measured.run;
    assert_eq!(run.code, Some(1), "{}", run.dump());
    let text = fs_err::read_to_string(&json).unwrap();
    let cases: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let case = |id: &str| {
        cases
            .iter()
            .find(|case| case["case"] == id)
            .unwrap_or_else(|| panic!("no case {id}: {}", run.dump()))
    };

    // The sound case went through every stage and its tests passed.
    let sound = case("greet-default");
    assert!(sound["error"].is_null(), "{}", run.dump());
    assert_eq!(
        sound["stages"].as_array().unwrap().len(),
        6,
        "{}",
        run.dump()
    );
    let tests = sound["tests"]["cases"].as_array().unwrap();
    // Skipped: the free-threading test, on a build with a GIL.
    assert!(
        !tests.is_empty()
            && tests
                .iter()
                .all(|t| t["outcome"] == "passed" || t["outcome"] == "skipped")
    );

    let compile = case("greet-no-abi3-no-ci");
    assert_eq!(compile["error"]["stage"], "develop");
    assert!(
        compile["error"]["message"]
            .as_str()
            .unwrap()
            .contains("error[E0308]")
    );

    let plugin = case("text-processor-default");
    assert!(plugin["error"].is_null(), "{}", run.dump());
    assert!(
        run.stdout
            .contains("RuntimeError: this plugin always fails"),
        "{}",
        run.dump()
    );

    let unrendered = case("text-processor-no-abi3-no-ci");
    assert_eq!(unrendered["error"]["stage"], "render");
    assert_eq!(unrendered["stages"][0]["status"], "failed");
    assert!(
        run.stdout
            .contains("=== text-processor-no-abi3-no-ci: FAILED\nrender stage failed: ")
            && run
                .stdout
                .contains("is not a maturin project: it has no pyproject.toml"),
        "{}",
        run.dump()
    );
    for id in [
        "greet-no-abi3-no-ci",
        "text-processor-default",
        "text-processor-no-abi3-no-ci",
    ] {
        assert!(
            run.stdout.contains(&format!("=== {id}: FAILED\n")),
            "{}",
            run.dump()
        );
    }
    sandbox.assert_clean("fault-matrix");
}

#[test]
fn keep_keeps_the_work_folder_it_names_and_nothing_else() {
    let sandbox = Sandbox::new("fault-keep");
    let project = sandbox.render("greet", "fault-keep");
    apply(
        &project,
        &[Edit::Write(
            "tests/test_fault.py",
            include_str!("faults/test_fails.py"),
        )],
    );
    let run = crate::support::run(&mut sandbox.check(&project, TIMEOUT, &["--keep"]));
    assert_eq!(run.code, Some(1), "{}", run.dump());
    let kept: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("work folder kept: "))
        .collect();
    let [kept] = kept[..] else {
        panic!("not one kept work folder named: {}", run.dump());
    };
    let kept = Path::new(kept);
    assert_eq!(kept.parent(), Some(sandbox.tmp.as_path()));
    assert!(kept.join("pytest-junit.xml").is_file());
    fs_err::remove_dir_all(kept).unwrap();
    sandbox.assert_clean("fault-keep");
}

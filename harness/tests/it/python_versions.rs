//! The committed references hold on every interpreter of the supported range, a free-threaded
//! one included.
//!
//! No free-threaded CPython is at hand where these tests run, so its side is tested with probe
//! output: `fixtures/probe-greet-default-3.13.json` is what the probe printed for the greet
//! project on CPython 3.13 (paths shortened), and `…-3.14t.json` is the same document as a
//! free-threaded 3.14 prints it (`free_threaded: true`, and the GIL off after the import).
//! Only the generated projects' CI, on real 3.14t and 3.15t runners, proves the extension
//! itself.

use std::path::PathBuf;

use scaffold_harness::base::normalize::{Context, Filters};
use scaffold_harness::base::python_version::PythonVersion;
use scaffold_harness::conformance::compare::{self, Difference};
use scaffold_harness::pipeline;
use scaffold_harness::snapshot::version_tags;
use scaffold_harness::snapshot::{self, TESTS_SECTION};
use scaffold_harness::stages::probe::{self, ProbeResult};
use scaffold_harness::template::style;

const ON_313: &str = include_str!("fixtures/probe-greet-default-3.13.json");
const ON_314T: &str = include_str!("fixtures/probe-greet-default-3.14t.json");

fn v(text: &str) -> PythonVersion {
    PythonVersion::parse(text).unwrap()
}

/// The probe document as the snapshot shows it, normalised as `matrix` does.
fn behaviour(document: &str) -> String {
    let probed: ProbeResult = probe::parse(document).expect("a probe document");
    let context = Context {
        work_dir: Some(PathBuf::from(&probed.paths.work_dir)),
        project_dir: None,
        package_dir: probed.paths.package_dir.as_ref().map(PathBuf::from),
        venv: Some(PathBuf::from(&probed.paths.prefix)),
        package: Some(probed.package.clone()),
        project_name: Some("greet-default".into()),
        python_version: Some(probed.python.version.clone()),
    };
    // As the pipeline writes a template case: for any import name, on any machine.
    let mut behaviour = snapshot::Behaviour::new(&probed, None, &Filters::new(&context));
    behaviour.package = pipeline::ANY_PACKAGE.to_owned();
    if let Some(wheel) = &mut behaviour.wheel {
        wheel.platform = pipeline::PLATFORM_PLACEHOLDER.to_owned();
    }
    behaviour.to_string()
}

/// What differs from the reference as `version` must show it (the tests section aside: the
/// probe documents hold no test outcomes).
fn differences(reference: &str, document: &str, version: PythonVersion) -> Vec<Difference> {
    let expected = version_tags::resolve(reference, version).expect("valid version tags");
    compare::compare(
        &expected,
        &behaviour(document),
        compare::Options {
            skip: &[TESTS_SECTION],
            labels: ("reference", "probe"),
            // Any difference counts here, compatible ones too: the tags must make them vanish.
            strict: true,
            witnesses: None,
        },
    )
}

fn reference() -> &'static str {
    snapshot::committed("matrix__probe@greet-default").expect("the greet reference")
}

#[test]
fn the_reference_holds_on_a_gil_build_and_on_a_free_threaded_one() {
    assert_eq!(differences(reference(), ON_313, v("3.13")), []);
    assert_eq!(differences(reference(), ON_314T, v("3.14t")), []);
}

#[test]
fn a_free_threaded_build_that_turned_the_gil_back_on_fails() {
    let reenabled = ON_314T.replace("\"gil_enabled\": false", "\"gil_enabled\": true");
    assert_ne!(reenabled, ON_314T);
    let found = differences(reference(), &reenabled, v("3.14t"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].section, "header");
    assert!(
        found[0]
            .diff
            .contains("-gil_after_import: disabled\n+gil_after_import: enabled"),
        "{}",
        found[0].diff
    );
}

/// The tags are what lets one reference hold on both builds: without them every version
/// would be held to both GIL lines and both wheels, and each build fails.
#[test]
fn removing_the_version_tags_fails_both_builds() {
    let untagged: String = reference()
        .lines()
        .map(|line| version_tags::parse_line(line).unwrap().text)
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(untagged, reference());
    for (document, version) in [(ON_313, "3.13"), (ON_314T, "3.14t")] {
        let found = differences(&untagged, document, v(version));
        let sections: Vec<&str> = found.iter().map(|d| d.section.as_str()).collect();
        assert_eq!(sections, ["header", "wheel"], "{version}");
    }
}

#[test]
fn each_build_expects_its_own_outcome_of_the_free_threading_test() {
    let test = "tests.test_free_threading::test_importing_the_extension_leaves_the_gil_off";
    let on = |version: &str| version_tags::resolve(reference(), v(version)).unwrap();
    for version in ["3.11", "3.12", "3.13", "3.14", "3.15"] {
        let text = on(version);
        assert!(text.contains(&format!("skipped {test}\n")), "{version}");
        assert!(!text.contains(&format!("passed {test}\n")), "{version}");
    }
    for version in ["3.14t", "3.15t"] {
        let text = on(version);
        assert!(text.contains(&format!("passed {test}\n")), "{version}");
        assert!(!text.contains(&format!("skipped {test}\n")), "{version}");
    }
}

#[test]
fn every_reference_names_the_gil_for_both_builds() {
    for case in style::matrix(&[]) {
        let name = snapshot::name(&case);
        let text = snapshot::committed(&name).unwrap();
        for (version, gil) in [("3.11", "enabled"), ("3.14t", "disabled")] {
            let resolved = version_tags::resolve(text, v(version)).unwrap();
            assert!(
                resolved.contains(&format!("\ngil_after_import: {gil}\n")),
                "{name} on {version}"
            );
        }
    }
}

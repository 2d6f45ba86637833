//! Generated projects are clean as generated.
//!
//! Formatting is checked for every style, several project names (rustfmt reflows a line whose
//! length a name changes, and cargo-generate 0.26 runs rustfmt over what it writes) and the other
//! answers; the full lint set the generated CI runs (clippy with deprecations denied, ruff,
//! `mypy --strict`, `mypy.stubtest` against the built module) on the default render of each style.

use std::time::Duration;

use scaffold_harness::base::cache::Cache;
use scaffold_harness::base::cmd::Cmd;
use scaffold_harness::project::Project;
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::python::uv::Uv;
use scaffold_harness::stages::venv;
use scaffold_harness::template::style::Style;

use crate::support::{cache_dir, maturin_develop, render};

/// The shortest name, an ordinary one, and one at the 50-character limit.
const NAMES: [&str; 3] = [
    "x",
    "my-ext",
    "long-name-long-name-long-name-long-name-long-names",
];

const ANSWERS: [&[&str]; 3] = [&[], &["workshop=true"], &["abi3=false", "ci=false"]];

const LIMIT: Duration = Duration::from_secs(900);

fn tools() -> (Cache, Python, Uv) {
    let cache = Cache::open(cache_dir()).expect("the test cache opens");
    let python = Python::find("python3").expect("python3 is installed");
    let uv = Uv::find(&cache, &python, true).expect("uv is found or installed");
    (cache, python, uv)
}

/// Runs `command`; on failure returns its command line and output for the report.
fn problem(command: Cmd) -> Option<String> {
    command
        .timeout(LIMIT)
        .run()
        .err()
        .map(|error| error.to_string())
}

#[test]
fn formatting_holds_for_every_style_name_and_answer() {
    assert_eq!(NAMES[2].len(), 50, "the longest name the template accepts");
    let (_cache, _python, uv) = tools();
    let dir = tempfile::tempdir().expect("a temp folder");
    let mut problems = Vec::new();
    for style in Style::ALL.map(Style::as_str) {
        for (index, answers) in ANSWERS.iter().enumerate() {
            for name in NAMES {
                let project = dir.path().join(format!("{style}-{index}")).join(name);
                render(style, &project, answers);
                let checks = [
                    Cmd::new("cargo").args(["fmt", "--all", "--check"]),
                    Cmd::new(&uv.path).args(["tool", "run", "ruff", "check", "--quiet"]),
                    Cmd::new(&uv.path).args(["tool", "run", "ruff", "format", "--check"]),
                ];
                for check in checks {
                    if let Some(problem) = problem(check.cwd(&project)) {
                        problems.push(format!("{style} {name} {answers:?}: {problem}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_lint_of_the_generated_ci_passes_on_each_style() {
    let (cache, python, uv) = tools();
    // A target folder of its own: clippy's check builds must not evict the matrix's builds.
    let target_dir = cache_dir().join("lint-target");
    let dir = tempfile::tempdir().expect("a temp folder");
    let mut problems = Vec::new();
    for style in Style::ALL.map(Style::as_str) {
        let root = dir.path().join(format!("lint-{style}"));
        render(style, &root, &[]);
        let project = Project::read(&root).expect("a rendered project reads");
        let venv_dir = root.join(".venv");
        let dependencies = project
            .test_dependencies(&Default::default())
            .expect("the template's dependency groups resolve");
        let requirements = venv::requirements(&uv, &project, &dependencies, LIMIT)
            .expect("the requirements are read");
        venv::create(&uv, &python, &project, &requirements, &venv_dir, LIMIT)
            .expect("the venv is made");
        maturin_develop(&uv, &project, &venv_dir, &cache, dir.path(), LIMIT);

        let in_venv = |program: &str| Cmd::new(venv::bin(&venv_dir).join(program)).cwd(&root);
        let checks = [
            Cmd::new("cargo")
                .args(["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"])
                .cwd(&root)
                .env("CARGO_TARGET_DIR", &target_dir)
                .env("RUSTFLAGS", "-D deprecated"),
            Cmd::new("cargo")
                .args(["test", "--quiet", "-p", &format!("{}-core", project.name)])
                .cwd(&root)
                .env("CARGO_TARGET_DIR", &target_dir),
            in_venv("ruff").args(["check", "--quiet"]),
            in_venv("ruff").args(["format", "--check", "--quiet"]),
            in_venv("mypy").arg("--no-incremental"),
            in_venv("python").args(["-m", "mypy.stubtest", &project.native_module]),
        ];
        for check in checks {
            if let Some(problem) = problem(check.env("VIRTUAL_ENV", &venv_dir)) {
                problems.push(format!("{style}: {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

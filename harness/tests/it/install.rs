//! The command as users install it: one binary that carries the template, the probe and the
//! reference snapshots, and needs no clone of this repository.
//!
//! The fast tests run in CI: no runtime code names the source tree, and a copy of the built
//! binary, run from a folder outside the repository, starts projects from its own template,
//! byte for byte what the template folder renders.
//!
//! The slow ones are `#[ignore]`d and run by `just install-test`: `cargo install --path`,
//! `cargo install --git` and the wheel (`just wheel`, its manylinux2014 tag confirmed by
//! `auditwheel show`, then `uv tool install`), each from a fresh clone that is deleted before
//! the installed command runs `render`, `new`, `check` and `matrix`; and `new` against the
//! `cargo generate` CLI (0.23.5, which builds on Rust 1.95) for every style.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use scaffold_harness::project::tree::diff_trees;
use scaffold_harness::template::embedded;
use scaffold_harness::template::style::Style;

use crate::support::{
    Filters, Run, Transcript, cache_dir, harness, repo_root, run, transcript_snapshot, uv,
};

/// The line `--version` prints.
fn version_line() -> String {
    format!("pyo3-scaffold {}\n", embedded::VERSION)
}

/// `program ARGS…` run in `cwd` with the tests' cache and no template override.
fn command(program: &Path, cwd: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(cwd)
        .env("SCAFFOLD_HARNESS_CACHE", cache_dir())
        .env_remove("SCAFFOLD_TEMPLATE")
        .env("NO_COLOR", "1");
    command
}

fn succeeds(what: &str, result: Run) -> Run {
    assert_eq!(result.code, Some(0), "{what} failed:\n{}", result.dump());
    result
}

/// Every difference between two trees, one per line; empty when they are byte-identical.
fn differences(expected: &Path, actual: &Path) -> String {
    diff_trees(expected, actual, &[])
        .unwrap()
        .iter()
        .map(|difference| format!("{difference}\n"))
        .collect()
}

/// The `[tool.pyo3-scaffold]` table of a generated project.
fn provenance(project: &Path) -> toml::Table {
    let text = fs_err::read_to_string(project.join("pyproject.toml")).unwrap();
    let document: toml::Table = toml::from_str(&text).unwrap();
    document["tool"]["pyo3-scaffold"]
        .as_table()
        .expect("a [tool.pyo3-scaffold] table")
        .clone()
}

#[test]
fn no_runtime_code_names_the_source_tree() {
    // A path compiled in with env!("CARGO_MANIFEST_DIR") is what tied the binary to its clone;
    // only tests (which run inside the clone) may use it.
    let mut offenders = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("harness/src")) {
        let entry = entry.unwrap();
        if entry.path().extension() != Some(OsStr::new("rs")) {
            continue;
        }
        let text = fs_err::read_to_string(entry.path()).unwrap();
        let runtime = text
            .split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap_or_default();
        for (number, line) in runtime.lines().enumerate() {
            if line.contains("CARGO_MANIFEST_DIR") {
                offenders.push(format!("{}:{}: {line}", entry.path().display(), number + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "runtime code that reads the source tree:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn a_copied_binary_starts_projects_from_its_own_template() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("bin").join("pyo3-scaffold");
    fs_err::create_dir_all(binary.parent().unwrap()).unwrap();
    fs_err::copy(env!("CARGO_BIN_EXE_pyo3-scaffold"), &binary).unwrap();
    let work = dir.path().join("work");
    fs_err::create_dir_all(&work).unwrap();

    let version = succeeds("--version", run(command(&binary, &work).arg("--version")));
    assert_eq!(version.stdout, version_line());

    // The same author for every style (`new` would ask git), and no lock files (which `render`
    // never writes): what is left is the template.
    let author = "author=Ada Lovelace <ada@example.org>";
    for style in Style::names() {
        let name = format!("my-{style}");
        succeeds(
            "new",
            run(command(&binary, &work).args([
                "new",
                &name,
                "--style",
                style,
                "--no-lock",
                "-d",
                author,
            ])),
        );
        let from_folder = dir.path().join("from-folder").join(&name);
        succeeds(
            "render --template",
            run(harness()
                .args(["render", style])
                .arg(&from_folder)
                .arg("--template")
                .arg(repo_root().join("template"))
                .args(["-d", author])),
        );
        let report = differences(&from_folder, &work.join(&name));
        assert!(
            report.is_empty(),
            "`new` (embedded template) and `render --template template/` differ:\n{report}"
        );
        let table = provenance(&work.join(&name));
        assert_eq!(table["style"].as_str(), Some(style));
        assert_eq!(
            table["template-fingerprint"].as_str(),
            Some(embedded::FINGERPRINT)
        );
        assert_eq!(
            table["template-version"].as_str(),
            Some(env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn new_refuses_what_render_refuses_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs_err::create_dir(dir.path().join("taken")).unwrap();
    let mut transcript = Transcript::new(Filters::new().path(dir.path(), "[TEMP]"));
    for args in [
        &["new", "json"][..],
        &["new", "my-ext", "-d", "abi=false"],
        &["new", "taken"],
    ] {
        let result = transcript.run(harness().current_dir(dir.path()).args(args));
        // The wording is the snapshot's; every refusal is a usage error with `new`'s usage.
        assert_eq!(result.code, Some(2), "{args:?}:\n{}", result.dump());
        assert!(
            result.stderr.contains("Usage: pyo3-scaffold new"),
            "{args:?}:\n{}",
            result.dump()
        );
    }
    transcript_snapshot!("new_refusals", transcript);
    let left: Vec<_> = fs_err::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, ["taken"], "a refused `new` left files behind");
}

#[test]
fn new_locks_the_project_and_credits_the_git_author() {
    let dir = tempfile::tempdir().unwrap();
    let made = run(harness()
        .current_dir(dir.path())
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .args(["new", "my-ext"]));
    assert_eq!(made.code, Some(0), "{}", made.dump());
    assert!(
        made.stderr.starts_with(
            "locking the dependencies of my-ext: cargo generate-lockfile, then uv lock (this \
             needs the network; --no-lock skips it)\n"
        ),
        "{}",
        made.dump()
    );
    let project = dir.path().join("my-ext");
    let pyproject: toml::Table =
        toml::from_str(&fs_err::read_to_string(project.join("pyproject.toml")).unwrap()).unwrap();
    assert_eq!(
        pyproject["project"]["authors"],
        toml::Value::Array(vec![toml::Value::Table(toml::toml! {
            name = "Ada Lovelace"
            email = "ada@example.org"
        })])
    );
    // Both lock files are there, and current: the project's first commit pins everything.
    let checks = [
        Command::new(uv())
            .args(["lock", "--check"])
            .current_dir(&project)
            .output(),
        Command::new("cargo")
            .args(["metadata", "--locked", "--quiet", "--format-version", "1"])
            .current_dir(&project)
            .output(),
    ];
    for output in checks {
        let output = output.unwrap();
        assert!(
            output.status.success(),
            "a lock file is missing or stale:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn new_that_cannot_lock_removes_the_project_and_names_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    // A cargo that fails as an offline one does.
    let bin = dir.path().join("bin");
    fs_err::create_dir(&bin).unwrap();
    let cargo = bin.join("cargo");
    fs_err::write(
        &cargo,
        "#!/bin/sh\necho 'error: failed to get `pyo3` as a dependency (offline)' >&2\nexit 101\n",
    )
    .unwrap();
    fs_err::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let work = dir.path().join("work");
    fs_err::create_dir(&work).unwrap();

    let failed = run(harness().current_dir(&work).env("PATH", path).args([
        "new",
        "my-ext",
        "-d",
        "author=Ada",
    ]));

    assert_eq!(failed.code, Some(3), "{}", failed.dump());
    assert!(
        failed.stderr.contains(
            "error: process didn't exit successfully: `cargo generate-lockfile` (exit status: \
             101)\n"
        ),
        "{}",
        failed.dump()
    );
    assert!(
        failed.stderr.ends_with(
            "hint: my-ext was removed again. Offline? Run the same `pyo3-scaffold new` with \
             --no-lock, and `cargo generate-lockfile && uv lock` in the project once online\n"
        ),
        "{}",
        failed.dump()
    );
    let left: Vec<_> = fs_err::read_dir(&work).unwrap().collect();
    assert!(left.is_empty(), "the half-made project was left: {left:?}");
}

/// The uv the harness uses (on PATH, `$UV`, or installed into the tests' cache).
/// A run of a build or install step, with its time on stderr.
fn step(what: &str, command: &mut Command) -> std::time::Duration {
    eprintln!("{what}: {command:?}");
    let start = Instant::now();
    let result = run(command);
    let took = start.elapsed();
    assert_eq!(result.code, Some(0), "{what} failed:\n{}", result.dump());
    eprintln!("{what}: {:.1} s", took.as_secs_f64());
    took
}

/// `render`, `new`, `check` on the new project and `matrix`, run by an installed `binary` from
/// a folder outside any clone.
fn exercise(label: &str, binary: &Path, work: &Path) {
    fs_err::create_dir_all(work).unwrap();
    let version = succeeds(label, run(command(binary, work).arg("--version")));
    assert_eq!(version.stdout, version_line(), "{label}");
    succeeds(
        label,
        run(command(binary, work).args(["render", "greet", "rendered"])),
    );
    assert_eq!(
        provenance(&work.join("rendered"))["style"].as_str(),
        Some("greet")
    );
    let start = Instant::now();
    succeeds(
        label,
        run(command(binary, work).args(["new", "my-ext", "--style", "text-processor"])),
    );
    let check = succeeds(
        label,
        run(command(binary, work).args(["check", "my-ext", "--timeout", "1500"])),
    );
    assert!(
        check.stdout.contains("1 case(s): 1 passed"),
        "{label}: not passed:\n{}",
        check.dump()
    );
    eprintln!(
        "{label}: new + green check: {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let matrix = succeeds(
        label,
        run(command(binary, work).args(["matrix", "--timeout", "1500"])),
    );
    assert!(matrix.stdout.contains("greet-default"), "{}", matrix.dump());
}

/// The first `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `PATH` with `dir` in front.
fn path_with(dir: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

fn size_mib(path: &Path) -> f64 {
    fs_err::metadata(path).unwrap().len() as f64 / (1024.0 * 1024.0)
}

#[test]
#[ignore = "minutes: cargo install and `just wheel` in release mode; run by `just install-test`"]
fn installed_from_a_deleted_clone() {
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    // The committed state, as a user gets it: uncommitted edits are not in a clone.
    step(
        "clone",
        Command::new("git")
            .args(["clone", "--quiet"])
            .arg(repo_root())
            .arg(&clone),
    );
    // Shared between runs and installs, so that only this crate is compiled again; it lives
    // outside the clone, which is deleted.
    let target = repo_root().join("target").join("install-test");
    let cargo = || {
        let mut command = Command::new(env!("CARGO"));
        command.env("CARGO_TARGET_DIR", &target);
        command
    };
    let from_path = dir.path().join("from-path");
    step(
        "cargo install --path",
        cargo()
            .args(["install", "--locked", "--path"])
            .arg(clone.join("harness"))
            .arg("--root")
            .arg(&from_path),
    );
    let from_git = dir.path().join("from-git");
    let url = format!("file://{}", clone.display());
    step(
        "cargo install --git",
        cargo()
            .args([
                "install",
                "--locked",
                "--git",
                &url,
                "scaffold-harness",
                "--root",
            ])
            .arg(&from_git),
    );
    // Built as an instructor builds one for a room: `just wheel` (manylinux2014, linked by zig),
    // with the uvx next to the uv the tests use.
    let wheels = dir.path().join("wheels");
    step(
        "just wheel",
        Command::new(on_path("just").expect(
            "`just` on PATH: this test is run by `just install-test` (`uv tool install rust-just`)",
        ))
        .arg("wheel")
        .arg("--out")
        .arg(&wheels)
        .current_dir(&clone)
        .env("PATH", path_with(uv().parent().unwrap()))
        .env("CARGO_TARGET_DIR", &target),
    );
    fs_err::remove_dir_all(&clone).unwrap();

    let binary = from_path.join("bin").join("pyo3-scaffold");
    eprintln!("binary: {:.1} MiB", size_mib(&binary));
    exercise(
        "cargo install --path",
        &binary,
        &dir.path().join("work-path"),
    );
    exercise(
        "cargo install --git",
        &from_git.join("bin").join("pyo3-scaffold"),
        &dir.path().join("work-git"),
    );

    let wheel = fs_err::read_dir(&wheels)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension() == Some(OsStr::new("whl")))
        .expect("maturin wrote a wheel");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    eprintln!("wheel: {name} {:.1} MiB", size_mib(&wheel));
    // The distribution is pyo3-scaffold (pyproject.toml), not the crate's name.
    assert_eq!(
        name,
        format!(
            "pyo3_scaffold-{}-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
            env!("CARGO_PKG_VERSION")
        )
    );
    // auditwheel reads the binary's symbol versions: what the tag promises, the file keeps.
    let audit = succeeds(
        "auditwheel show",
        run(Command::new(uv())
            .args(["tool", "run", "--from", "auditwheel", "auditwheel", "show"])
            .arg(&wheel)),
    );
    let said = audit
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains(r#"is consistent with the following platform tag: "manylinux_2_17_x86_64""#),
        "{}",
        audit.dump()
    );
    let tools = dir.path().join("uv-tools");
    let start = Instant::now();
    step(
        "uv tool install",
        Command::new(uv())
            .args(["tool", "install"])
            .arg(&wheel)
            .env("UV_TOOL_DIR", tools.join("envs"))
            .env("UV_TOOL_BIN_DIR", tools.join("bin")),
    );
    exercise(
        "uv tool install",
        &tools.join("bin").join("pyo3-scaffold"),
        &dir.path().join("work-wheel"),
    );
    eprintln!(
        "uv tool install to green check and matrix: {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

#[test]
#[ignore = "needs the cargo-generate 0.23.5 CLI on PATH; run by `just install-test`"]
fn new_and_cargo_generate_write_the_same_bytes() {
    let cargo_generate = which::which("cargo-generate").unwrap_or_else(|_| {
        panic!(
            "cargo-generate is not on PATH, so `new` cannot be compared with it: run \
             `just install-test`, or `cargo install cargo-generate@0.23.5 --locked` first"
        )
    });
    // `new` asks git who the author is, cargo-generate asks CARGO_NAME, git or USER: answered
    // here for both. `new` also locks the dependencies, which cargo-generate cannot.
    const AUTHOR: &str = "author=Ada Lovelace <ada@example.org>";
    let dir = tempfile::tempdir().unwrap();
    // No user configuration, no answers from the environment: the same inputs as `new`.
    let config = dir.path().join("cargo-generate.toml");
    fs_err::write(&config, "").unwrap();
    for style in Style::names() {
        let generated = dir.path().join("cargo-generate").join(style);
        fs_err::create_dir_all(&generated).unwrap();
        let start = Instant::now();
        step(
            "cargo generate",
            Command::new(&cargo_generate)
                .arg("generate")
                .arg("--path")
                .arg(repo_root().join("template"))
                .args(["--name", "my-ext", "--define"])
                .arg(format!("style={style}"))
                .args(["--define", AUTHOR])
                .args(["--silent", "--vcs", "none", "--config"])
                .arg(&config)
                .arg("--destination")
                .arg(&generated)
                .env_remove("CARGO_GENERATE_TEMPLATE_VALUES_FILE"),
        );
        let generate_time = start.elapsed();
        let made = dir.path().join("new").join(style);
        fs_err::create_dir_all(&made).unwrap();
        let start = Instant::now();
        succeeds(
            "new",
            run(harness().current_dir(&made).args([
                "new",
                "my-ext",
                "--style",
                style,
                "--no-lock",
                "-d",
                AUTHOR,
            ])),
        );
        eprintln!(
            "{style}: cargo generate {:.2} s, new {:.2} s",
            generate_time.as_secs_f64(),
            start.elapsed().as_secs_f64()
        );
        let (generated, made) = (generated.join("my-ext"), made.join("my-ext"));
        assert!(!generated.join(".git").exists() && !made.join(".git").exists());
        let report = differences(&generated, &made);
        assert!(
            report.is_empty(),
            "{style}: `cargo generate` (expected) and `new` (actual) differ:\n{report}"
        );
    }
}

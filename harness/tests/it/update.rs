//! `pyo3-scaffold update`: a project made from the template as it stood at version 0.1.0 (the
//! first template of the history built into the command), carried to "today's" template.
//!
//! Today's template is the repository's `template/` with a few changes of its own on top
//! (appended lines, a new file, a removed file, a newer version and its fingerprint), so that
//! the tests say the same whatever the repository's template holds when they run.

use std::process::Stdio;
use std::time::Duration;

use crate::interruption::{finish, wait_for_process};
use crate::sandbox::Sandbox;
use crate::support::{harness, run};
use fixture::{Fixture, OLD, append, commit, files, git, text, write};

mod fixture;

#[test]
fn an_edited_project_merges_resolves_and_finishes_verified() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("upd-ext");
    // Yours: a line at the end of the justfile (where the template adds one too), a note at
    // the top of api.py (the template adds one at its end), a comment in the core crate, and a
    // test file deleted (the template changes it).
    append(&project.join("justfile"), "\n# My closing line.\n");
    let api = project.join("python/upd_ext/api.py");
    fs_err::write(&api, format!("# Mine, at the top.\n{}", text(&api))).unwrap();
    append(
        &project.join("crates/core/src/lib.rs"),
        "\n// My own comment.\n",
    );
    fs_err::remove_file(project.join("tests/test_free_threading.py")).unwrap();
    commit(&project, "my edits");
    let fresh = fixture.new_project(&fixture.today, "fresh", "upd-ext", &[]);

    let first = fixture.update(&project, &[]);
    assert_eq!(first.code, Some(1), "{}", first.dump());
    for line in [
        "  added      CHANGELOG.md",
        "  updated    README.md",
        "  conflict   justfile",
        "  merged     python/upd_ext/api.py",
        "  removed    python/upd_ext/py.typed",
        "  deleted by you, stays deleted tests/test_free_threading.py",
    ] {
        assert!(
            first.stdout.contains(&format!("{line}\n")),
            "{line}\n{}",
            first.dump()
        );
    }
    assert!(
        first.stdout.contains(&format!(
            "merged from template {OLD} to {} with conflicts: ",
            fixture.today_label()
        )),
        "{}",
        first.dump()
    );
    // The untouched file takes the new text, the one both changed has both changes.
    assert_eq!(
        text(&project.join("README.md")),
        text(&fresh.join("README.md"))
    );
    let merged = text(&api);
    assert!(merged.starts_with("# Mine, at the top.\n"), "{merged}");
    assert!(
        merged.ends_with("\n# The template's note at the end.\n"),
        "{merged}"
    );
    assert!(project.join("CHANGELOG.md").is_file());
    assert!(!project.join("python/upd_ext/py.typed").exists());
    assert!(!project.join("tests/test_free_threading.py").exists());
    assert!(text(&project.join("crates/core/src/lib.rs")).ends_with("// My own comment.\n"));
    // The collision, in diff3 style: yours, the old template's (nothing), the new template's.
    let justfile = text(&project.join("justfile"));
    let conflict = format!(
        "<<<<<<< yours\n\n# My closing line.\n||||||| template {OLD}\n=======\n\n\
         # The template's closing line.\n>>>>>>> template {}\n",
        fixture.today_label()
    );
    assert!(justfile.ends_with(&conflict), "{justfile}");
    // The record still names the old template while the conflict stands.
    assert!(
        text(&project.join("pyproject.toml")).contains("template-fingerprint = \"2d8afceee2f7\"")
    );
    assert!(project.join(".pyo3-scaffold-update.toml").is_file());

    let pending = fixture.update(&project, &["--check"]);
    assert_eq!(pending.code, Some(1), "{}", pending.dump());
    assert!(
        pending.stdout.starts_with(&format!(
            "an update from template {OLD} to {} is in progress: conflict markers are left in \
             justfile\n",
            fixture.today_label()
        )),
        "{}",
        pending.dump()
    );

    let unresolved = fixture.update(&project, &["--no-verify"]);
    assert_eq!(unresolved.code, Some(1), "{}", unresolved.dump());
    assert!(
        unresolved
            .stderr
            .contains("error: still conflicted, with conflict markers in: justfile"),
        "{}",
        unresolved.dump()
    );

    let resolved = justfile.replace(&conflict, "# My closing line, and the template's.\n");
    fs_err::write(project.join("justfile"), resolved).unwrap();
    let finished = fixture.update(&project, &[]);
    assert_eq!(finished.code, Some(0), "{}", finished.dump());
    let summary = finished.stdout.lines().last().unwrap();
    let expected = format!(
        "finished the update from template {OLD} to {}: justfile resolved; build ok, tests ",
        fixture.today_label()
    );
    assert!(summary.starts_with(&expected), "{}", finished.dump());
    assert!(
        summary.ends_with(", behaviour 0 breaking, 0 compatible"),
        "{}",
        finished.dump()
    );
    let tests = summary
        .split("tests ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let (passed, ran) = tests.split_once('/').unwrap();
    assert_eq!(passed, ran, "{summary}");
    let pyproject = text(&project.join("pyproject.toml"));
    assert!(
        pyproject.contains(&format!(
            "template-fingerprint = \"{}\"",
            fixture.fingerprint
        )),
        "{pyproject}"
    );
    assert!(!project.join(".pyo3-scaffold-update.toml").exists());

    let again = fixture.update(&project, &["--no-verify"]);
    assert_eq!(again.code, Some(0), "{}", again.dump());
    assert_eq!(
        again.stdout,
        format!(
            "upd-ext is up to date with template {}: nothing to do\n",
            fixture.today_label()
        )
    );
}

#[test]
fn an_untouched_project_becomes_what_new_makes_and_answers_can_change() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("same-ext");
    let updated = fixture.update(&project, &["--no-verify"]);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    let fresh = fixture.new_project(&fixture.today, "fresh", "same-ext", &[]);
    assert_eq!(files(&project), files(&fresh));
    // Twice is once.
    let again = fixture.update(&project, &["--no-verify"]);
    assert_eq!(again.code, Some(0), "{}", again.dump());
    assert!(again.stdout.contains("is up to date"), "{}", again.dump());

    // Answered anew: what `new` makes with that answer.
    commit(&project, "updated");
    let reanswered = fixture.update(&project, &["--no-verify", "-d", "abi3=false"]);
    assert_eq!(reanswered.code, Some(0), "{}", reanswered.dump());
    assert!(
        reanswered
            .stdout
            .contains("  answered anew: abi3 = \"false\" (was \"true\")\n"),
        "{}",
        reanswered.dump()
    );
    let no_abi3 = fixture.new_project(&fixture.today, "no-abi3", "same-ext", &["abi3=false"]);
    assert_eq!(files(&project), files(&no_abi3));
}

/// The same with the template this command carries: a no-op while it is the history's 0.1.0,
/// a real update once the template has moved on.
#[test]
fn an_untouched_project_becomes_what_this_command_makes() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("own-ext");
    let mut command = harness();
    command.arg("update").arg(&project).arg("--no-verify");
    let updated = run(&mut command);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    let fresh = fixture.dir.path().join("fresh-own").join("own-ext");
    let mut new = harness();
    let made = run(new.arg("new").arg(&fresh));
    assert_eq!(made.code, Some(0), "{}", made.dump());
    assert_eq!(files(&project), files(&fresh));
}

#[test]
fn a_question_the_new_template_added_takes_its_default() {
    let fixture = Fixture::new(|today| {
        append(
            &today.join("cargo-generate.toml"),
            "\n[placeholders.motto]\ntype = \"string\"\nprompt = \"A motto\"\ndefault = \"Be kind\"\n",
        );
        append(&today.join("README.md"), "\n{{motto}}\n");
    });
    let project = fixture.old_project("motto-ext");
    let updated = fixture.update(&project, &["--no-verify"]);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    assert!(
        updated
            .stdout
            .starts_with("  new question: motto = \"Be kind\" (the template's default)\n"),
        "{}",
        updated.dump()
    );
    assert!(text(&project.join("README.md")).ends_with("\nBe kind\n"));
}

#[test]
fn check_and_dry_run_write_nothing_and_say_what_would_change() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("check-ext");
    let before = files(&project);
    let json = fixture.dir.path().join("check.json");
    let behind = fixture.update(&project, &["--check", "--json", json.to_str().unwrap()]);
    assert_eq!(behind.code, Some(1), "{}", behind.dump());
    assert!(
        behind.stdout.contains(&format!(
            "check-ext is behind: made from template {OLD}, this pyo3-scaffold carries {}; \
             updating would leave ",
            fixture.today_label()
        )),
        "{}",
        behind.dump()
    );
    let report: serde_json::Value = serde_json::from_str(&text(&json)).unwrap();
    assert_eq!(report["outcome"], "behind");
    assert_eq!(report["from"]["fingerprint"], "2d8afceee2f7");
    assert_eq!(report["to"]["fingerprint"], fixture.fingerprint.as_str());
    assert!(
        report["files"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"path": "CHANGELOG.md", "action": "added"})),
        "{report}"
    );

    let dry = fixture.update(&project, &["--dry-run"]);
    assert_eq!(dry.code, Some(0), "{}", dry.dump());
    assert!(
        dry.stdout.contains("--- /dev/null\n+++ b/CHANGELOG.md\n"),
        "{}",
        dry.dump()
    );
    assert!(
        dry.stdout.contains("+This project follows the template.\n"),
        "{}",
        dry.dump()
    );
    assert_eq!(
        files(&project),
        before,
        "--check and --dry-run wrote into the project"
    );

    // A project made from the template the command carries is current.
    let current = fixture.new_project(&fixture.today, "current", "check-ext", &[]);
    let up_to_date = fixture.update(&current, &["--check"]);
    assert_eq!(up_to_date.code, Some(0), "{}", up_to_date.dump());
}

#[test]
fn update_refuses_what_it_cannot_do_safely_and_writes_nothing() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("safe-ext");

    append(&project.join("README.md"), "\nNot committed yet.\n");
    let before = files(&project);
    let dirty = fixture.update(&project, &["--no-verify"]);
    assert_eq!(dirty.code, Some(2), "{}", dirty.dump());
    assert!(
        dirty
            .stderr
            .contains("has uncommitted changes:\n M README.md\n"),
        "{}",
        dirty.dump()
    );
    assert!(
        dirty.stderr.contains("or pass --allow-dirty"),
        "{}",
        dirty.dump()
    );
    assert_eq!(files(&project), before);

    let unpacked = fixture.new_project(&fixture.old, "loose", "loose-ext", &[]);
    let loose = fixture.update(&unpacked, &["--no-verify"]);
    assert_eq!(loose.code, Some(2), "{}", loose.dump());
    assert!(
        loose.stderr.contains("is not in a git repository"),
        "{}",
        loose.dump()
    );

    let workshop = fixture.new_project(&fixture.old, "workshop", "ws-ext", &["workshop=true"]);
    let refused = fixture.update(&workshop, &["--no-verify"]);
    assert_eq!(refused.code, Some(2), "{}", refused.dump());
    assert!(
        refused.stderr.contains("is a workshop project"),
        "{}",
        refused.dump()
    );

    // A template the command does not carry: the error names the two ways to give a base,
    // and both work.
    git(&project, &["checkout", "-q", "--", "."]);
    let pyproject = project.join("pyproject.toml");
    fs_err::write(
        &pyproject,
        text(&pyproject).replace("2d8afceee2f7", "0123456789ab"),
    )
    .unwrap();
    commit(&project, "made elsewhere");
    let unknown = fixture.update(&project, &["--no-verify"]);
    assert_eq!(unknown.code, Some(2), "{}", unknown.dump());
    assert!(
        unknown
            .stderr
            .contains("the project was made from template 0.1.0 (0123456789ab), which this pyo3-scaffold does not carry"),
        "{}",
        unknown.dump()
    );
    assert!(unknown.stderr.contains("--base REV"), "{}", unknown.dump());
    assert!(
        unknown.stderr.contains("--base-template DIR"),
        "{}",
        unknown.dump()
    );
    let from_commit = fixture.update(&project, &["--no-verify", "--base", "HEAD", "--dry-run"]);
    assert_eq!(from_commit.code, Some(0), "{}", from_commit.dump());
    assert!(
        from_commit.stdout.contains("  added      CHANGELOG.md\n"),
        "{}",
        from_commit.dump()
    );
    let old = fixture.old.to_str().unwrap();
    let from_folder = fixture.update(&project, &["--no-verify", "--base-template", old]);
    assert_eq!(from_folder.code, Some(0), "{}", from_folder.dump());
    assert!(project.join("CHANGELOG.md").is_file());
}

/// Ctrl-C while the merged copy is being built: the project is as it was.
#[test]
fn an_interrupted_update_leaves_the_project_as_it_was() {
    let fixture = Fixture::new(|today| {
        // Only the merged copy has it: the build of the project as it was goes through.
        write(
            &today.join("crates/core/build.rs"),
            "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(600));\n}\n",
        );
    });
    let project = fixture.old_project("ctrlc-ext");
    let before = files(&project);
    let sandbox = Sandbox::new("update-interrupted");
    let mut command = sandbox.harness();
    let mut child = fixture
        .update_command(&mut command, &project, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_process(&sandbox, &mut child, "build-script-build");
    // SAFETY: a signal to the harness we started.
    let sent = unsafe { libc::kill(child.id().cast_signed(), libc::SIGINT) };
    assert_eq!(sent, 0);
    let interrupted = finish(child, Duration::from_secs(30));
    assert_eq!(interrupted.code, Some(130), "{}", interrupted.dump());
    assert_eq!(files(&project), before, "{}", interrupted.dump());
    assert_eq!(git(&project, &["status", "--porcelain"]), "");
    sandbox.assert_clean("update-interrupted");
}

//! `pyo3-scaffold update`: a project made from the template as it stood at version 0.1.0 (the
//! first template of the history built into the command), carried to "today's" template.
//!
//! Today's template is the repository's `template/` with a few changes of its own on top
//! (appended lines, a new file, a removed file, a newer version and its fingerprint), so that
//! the merges the tests check are their own whatever else the repository's template changed.
//! Two things do follow the repository's template: an untouched project must become exactly
//! what `new` makes today, and the verified update reports what Python sees change between
//! 0.1.0 and today.

use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::Duration;

use crate::interruption::{finish, wait_for_process};
use crate::sandbox::Sandbox;
use crate::support::run;
use fixture::{
    AUTHOR, Fixture, OLD, append, assert_locked, assert_same_files, commit, files, git,
    harness_as_author, replace_once, text, write,
};

mod fixture;
mod locks;

/// The `_default` recipe of the justfile, the same since 0.1.0: where the template and the user
/// collide.
const DEFAULT_RECIPE: &str = "_default:\n    @just --list\n";

#[test]
fn an_edited_project_merges_resolves_and_finishes_verified() {
    let fixture = Fixture::new(|today| {
        replace_once(
            &today.join("justfile"),
            DEFAULT_RECIPE,
            "_default:\n    @just --list --unsorted\n",
        );
    });
    let project = fixture.old_locked_project("upd-ext");
    let cargo_lock = text(&project.join("Cargo.lock"));
    let uv_lock = text(&project.join("uv.lock"));
    // Yours: the recipe the template changes too, changed another way; a note at the top of
    // api.py (the template adds one at its end); a comment in the core crate; and a test file
    // deleted (the template changes it).
    replace_once(
        &project.join("justfile"),
        DEFAULT_RECIPE,
        "_default:\n    @just --list --list-heading ''\n",
    );
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
        "  new question: author = \"Ada <ada@example.com>\" (from git)",
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
    // The collision, in diff3 style: yours, the old template's, the new template's. Every
    // other change of the template to the justfile is merged in: with the conflict resolved
    // the template's way, it is the fresh project's justfile.
    let justfile = text(&project.join("justfile"));
    let conflict = format!(
        "<<<<<<< yours\n    @just --list --list-heading ''\n||||||| template {OLD}\n    \
         @just --list\n=======\n    @just --list --unsorted\n>>>>>>> template {}\n",
        fixture.today_label()
    );
    assert_eq!(justfile.matches(&conflict).count(), 1, "{justfile}");
    assert_eq!(
        justfile.replace(&conflict, "    @just --list --unsorted\n"),
        text(&fresh.join("justfile"))
    );
    // The record still names the old template while the conflict stands, and the lock files
    // wait for a clean merge.
    assert!(
        text(&project.join("pyproject.toml")).contains("template-fingerprint = \"2d8afceee2f7\"")
    );
    assert!(project.join(".pyo3-scaffold-update.toml").is_file());
    assert_eq!(text(&project.join("uv.lock")), uv_lock);
    assert_eq!(text(&project.join("Cargo.lock")), cargo_lock);

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

    let resolved = justfile.replace(&conflict, "    @just --list --unsorted --list-heading ''\n");
    fs_err::write(project.join("justfile"), resolved).unwrap();
    let finished = fixture.update(&project, &[]);
    // Since 0.1.0 the template took `panic_with`, a demonstration, out of the package's API:
    // the verification says so and exits 1, and the update is written all the same, for its
    // owner to keep (or to undo with git).
    assert_eq!(finished.code, Some(1), "{}", finished.dump());
    let findings = |impact: &str| -> Vec<&str> {
        finished
            .stdout
            .lines()
            .map(str::trim_start)
            .filter(|line| line.starts_with(&format!("{impact} (")))
            .collect()
    };
    assert_eq!(
        findings("breaking"),
        [
            "breaking (all-name-removed): `panic_with` was removed from `__all__`",
            "breaking (name-removed): `panic_with` was removed",
        ],
        "{}",
        finished.dump()
    );
    // The template raised the dev tools' floors: uv.lock follows (its pins stay where they
    // still fit); no crate requirement changed, so Cargo.lock is as it was.
    assert!(
        finished.stdout.starts_with("  relocked   uv.lock\n"),
        "{}",
        finished.dump()
    );
    assert_eq!(text(&project.join("Cargo.lock")), cargo_lock);
    assert_ne!(text(&project.join("uv.lock")), uv_lock);
    assert_locked(&project);
    let summary = finished.stdout.lines().last().unwrap();
    let expected = format!(
        "finished the update from template {OLD} to {}: justfile resolved; relocked uv.lock; \
         build ok, tests ",
        fixture.today_label()
    );
    assert!(summary.starts_with(&expected), "{}", finished.dump());
    assert!(
        summary.ends_with(&format!(
            ", behaviour 2 breaking, {} compatible",
            findings("compatible").len()
        )),
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
    // The questions 0.1.0 did not ask get the answers `new` gives them: the author from git,
    // the others the template's defaults.
    let asked: Vec<&str> = updated
        .stdout
        .lines()
        .filter(|line| line.starts_with("  new question: "))
        .collect();
    assert_eq!(
        asked,
        [
            "  new question: author = \"Ada <ada@example.com>\" (from git)",
            "  new question: license = \"MIT OR Apache-2.0\" (the template's default)",
            "  new question: repository = \"\" (the template's default)",
        ],
        "{}",
        updated.dump()
    );
    let fresh = fixture.new_project(&fixture.today, "fresh", "same-ext", &[]);
    assert_same_files(&files(&project), &files(&fresh), "updated vs new");
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
    assert_same_files(&files(&project), &files(&no_abi3), "re-answered vs new");
}

/// The same with the template this command carries: a real update while the template has
/// moved on from the history's 0.1.0.
#[test]
fn an_untouched_project_becomes_what_this_command_makes() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("own-ext");
    let mut command = harness_as_author();
    command.arg("update").arg(&project).arg("--no-verify");
    let updated = run(&mut command);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    let fresh = fixture.dir.path().join("fresh-own").join("own-ext");
    let mut new = harness_as_author();
    let made = run(new.arg("new").arg(&fresh).arg("--no-lock"));
    assert_eq!(made.code, Some(0), "{}", made.dump());
    assert_same_files(&files(&project), &files(&fresh), "updated vs new");
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
            .contains("\n  new question: motto = \"Be kind\" (the template's default)\n"),
        "{}",
        updated.dump()
    );
    assert!(text(&project.join("README.md")).ends_with("\nBe kind\n"));
    let recorded = text(&project.join("pyproject.toml"));
    assert!(
        recorded.contains(&format!("\nauthor = \"{} <{}>\"\n", AUTHOR.0, AUTHOR.1)),
        "{recorded}"
    );
}

/// No git identity, no USER (a CI container): the question the project never answered takes
/// the template's default with a note, so that `update --check` still answers; `-d author=`,
/// which asks to find it, is refused.
#[test]
fn without_a_git_identity_a_new_author_question_takes_the_default() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("anon-ext");
    let home = fixture.dir.path().join("empty-home");
    fs_err::create_dir_all(&home).unwrap();
    let anonymous = || {
        let mut command = crate::support::harness();
        for name in [
            "USER",
            "USERNAME",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "XDG_CONFIG_HOME",
        ] {
            command.env_remove(name);
        }
        command.env("HOME", &home).env("GIT_CONFIG_NOSYSTEM", "1");
        command
    };
    let checked = run(fixture.update_command(&mut anonymous(), &project, &["--check"]));
    assert_eq!(checked.code, Some(1), "{}", checked.dump());
    assert!(
        checked
            .stdout
            .starts_with("  new question: author = \"\" (the template's default)\n"),
        "{}",
        checked.dump()
    );
    assert!(
        checked.stderr.contains(
            "note: cannot tell who the author is: git has no user.name and USER is not set; set \
             git's (`git config --global user.name \"Your Name\"`), or pass -d author=\"Your \
             Name <you@example.com>\"; until then `author` takes the template's default (\"\")\n"
        ),
        "{}",
        checked.dump()
    );
    assert!(
        checked.stdout.contains("anon-ext is behind"),
        "{}",
        checked.dump()
    );

    let asked =
        run(fixture.update_command(&mut anonymous(), &project, &["--check", "-d", "author="]));
    assert_eq!(asked.code, Some(2), "{}", asked.dump());
    assert!(
        asked.stderr.contains("cannot tell who the author is"),
        "{}",
        asked.dump()
    );
}

/// An update that neither verifies nor relocks reads only the files the template knows: a big
/// file of the project's own is never copied. The child may write no file over 1 MiB.
#[test]
fn an_update_without_verification_or_lock_files_copies_nothing() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.old_project("big-ext");
    let big = vec![0_u8; 4 << 20];
    fs_err::create_dir_all(project.join("data")).unwrap();
    fs_err::write(project.join("data/big.bin"), &big).unwrap();
    commit(&project, "a big file of its own");
    let mut command = harness_as_author();
    // SAFETY: only setrlimit, which is async-signal-safe, runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1 << 20,
                rlim_max: 1 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let updated = run(fixture.update_command(&mut command, &project, &["--no-verify"]));
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    assert!(project.join("CHANGELOG.md").is_file(), "{}", updated.dump());
    assert_eq!(fs_err::read(project.join("data/big.bin")).unwrap(), big);
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
    assert_same_files(
        &files(&project),
        &before,
        "--check and --dry-run wrote into the project",
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
    assert_same_files(&files(&project), &before, "a refused update");

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
    // 0.1.0 is a version the history holds, with another fingerprint: a development build.
    // Every template of the history is named, the first release's among them.
    let held: Vec<String> = scaffold_harness::template::history::entries()
        .unwrap()
        .iter()
        .map(scaffold_harness::template::history::Entry::label)
        .collect();
    assert!(held.contains(&OLD.to_owned()), "{held:?}");
    assert!(
        unknown.stderr.contains(&format!(
            "(its history holds {}; it makes {}): a template between releases, made by a \
             development build of pyo3-scaffold or from a template folder of its own\n",
            held.join(", "),
            fixture.today_label()
        )),
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
    command
        .env("GIT_AUTHOR_NAME", AUTHOR.0)
        .env("GIT_AUTHOR_EMAIL", AUTHOR.1);
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
    assert_same_files(&files(&project), &before, &interrupted.dump());
    assert_eq!(git(&project, &["status", "--porcelain"]), "");
    sandbox.assert_clean("update-interrupted");
}

//! `pyo3-scaffold update`: a project made from the template as it stood at version 0.1.0 (the
//! first template of the history built into the command), carried to "today's" template.
//!
//! Today's template is the repository's `template/` with a few changes of its own on top
//! (appended lines, a new file, a removed file, a newer version and its fingerprint), so that
//! the tests say the same whatever the repository's template holds when they run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use scaffold_harness::project::tree;
use scaffold_harness::template::history;

use crate::interruption::{finish, wait_for_process};
use crate::sandbox::Sandbox;
use crate::support::{Run, TIMEOUT, harness, repo_root, run};

/// The version today's template claims.
const TODAY: &str = "9.9.9";
/// The first template of the history.
const OLD: &str = "0.1.0 (2d8afceee2f7)";

/// The templates and a place for projects.
struct Fixture {
    dir: tempfile::TempDir,
    /// The history's 0.1.0 template, unpacked.
    old: PathBuf,
    /// Today's template.
    today: PathBuf,
    /// Its fingerprint.
    fingerprint: String,
}

fn write(path: &Path, text: &str) {
    fs_err::create_dir_all(path.parent().unwrap()).unwrap();
    fs_err::write(path, text).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut old = fs_err::read_to_string(path).unwrap();
    old.push_str(text);
    fs_err::write(path, old).unwrap();
}

/// Every file under `root` but `.git/`, by relative path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != ".git")
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().strip_prefix(root).unwrap();
            (
                path.display().to_string(),
                fs_err::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

impl Fixture {
    /// `changes` adds its own changes to today's template, after the usual ones.
    fn new(changes: impl FnOnce(&Path)) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old-template");
        let entry = history::find("2d8afceee2f7").unwrap().unwrap();
        history::extract(&entry, &old).unwrap();

        let today = dir.path().join("today-template");
        tree::copy_sources(&repo_root().join("template"), &today).unwrap();
        append(
            &today.join("README.md"),
            "\nThis project follows the template.\n",
        );
        append(
            &today.join("justfile"),
            "\n# The template's closing line.\n",
        );
        append(
            &today.join("python/{{crate_name}}/api.py"),
            "\n# The template's note at the end.\n",
        );
        append(
            &today.join("tests/test_free_threading.py"),
            "\n# The template's note.\n",
        );
        write(&today.join("CHANGELOG.md"), "# Changelog\n");
        fs_err::remove_file(today.join("python/{{crate_name}}/py.typed")).unwrap();
        changes(&today);
        // What `just examples` does for the repository's template: the version and the
        // fingerprint it records.
        let all: Vec<history::TemplateFile> = files(&today)
            .into_iter()
            .map(|(path, bytes)| (path, bytes, false))
            .collect();
        let fingerprint = history::fingerprint_of(&all);
        write(
            &today.join("hooks/provenance.rhai"),
            &format!(
                "variable::set(\"template_version\", \"{TODAY}\");\n\
                 variable::set(\"template_fingerprint\", \"{fingerprint}\");\n"
            ),
        );
        Fixture {
            dir,
            old,
            today,
            fingerprint,
        }
    }

    fn today_label(&self) -> String {
        format!("{TODAY} ({})", self.fingerprint)
    }

    /// `new NAME --template TEMPLATE -d ...` into the fixture's folder `folder/NAME`.
    fn new_project(&self, template: &Path, folder: &str, name: &str, defines: &[&str]) -> PathBuf {
        let dest = self.dir.path().join(folder).join(name);
        let mut command = harness();
        command
            .arg("new")
            .arg(&dest)
            .arg("--template")
            .arg(template);
        for define in defines {
            command.args(["-d", define]);
        }
        let made = run(&mut command);
        assert_eq!(made.code, Some(0), "{}", made.dump());
        dest
    }

    /// An old project, committed to a git repository of its own.
    fn old_project(&self, name: &str) -> PathBuf {
        let project = self.new_project(&self.old, "projects", name, &[]);
        git(&project, &["init", "-q"]);
        commit(&project, "new");
        project
    }

    /// `update DIR --template TODAY ARGS`.
    fn update(&self, project: &Path, args: &[&str]) -> Run {
        run(self.update_command(&mut harness(), project, args))
    }

    fn update_command<'a>(
        &self,
        command: &'a mut Command,
        project: &Path,
        args: &[&str],
    ) -> &'a mut Command {
        command
            .arg("update")
            .arg(project)
            .arg("--template")
            .arg(&self.today)
            .args(["--timeout", &TIMEOUT.as_secs().to_string()])
            .args(args)
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

fn text(path: &Path) -> String {
    fs_err::read_to_string(path).unwrap()
}

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

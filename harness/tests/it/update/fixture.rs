//! The fixture of the update tests: the history's 0.1.0 template unpacked, "today's" template
//! (the repository's with a few changes of its own on top), and old projects in git.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use scaffold_harness::project::tree;
use scaffold_harness::template::history;

use crate::support::{Run, TIMEOUT, harness, repo_root, run};

/// The version today's template claims.
pub const TODAY: &str = "9.9.9";
/// The first template of the history.
pub const OLD: &str = "0.1.0 (2d8afceee2f7)";

/// The templates and a place for projects.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// The history's 0.1.0 template, unpacked.
    pub old: PathBuf,
    /// Today's template.
    pub today: PathBuf,
    /// Its fingerprint.
    pub fingerprint: String,
}

pub fn write(path: &Path, text: &str) {
    fs_err::create_dir_all(path.parent().unwrap()).unwrap();
    fs_err::write(path, text).unwrap();
}

pub fn append(path: &Path, text: &str) {
    let mut old = fs_err::read_to_string(path).unwrap();
    old.push_str(text);
    fs_err::write(path, old).unwrap();
}

/// Every file under `root` but `.git/`, by relative path.
pub fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
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
    pub fn new(changes: impl FnOnce(&Path)) -> Fixture {
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

    pub fn today_label(&self) -> String {
        format!("{TODAY} ({})", self.fingerprint)
    }

    /// `new NAME --template TEMPLATE -d ...` into the fixture's folder `folder/NAME`.
    pub fn new_project(
        &self,
        template: &Path,
        folder: &str,
        name: &str,
        defines: &[&str],
    ) -> PathBuf {
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
    pub fn old_project(&self, name: &str) -> PathBuf {
        let project = self.new_project(&self.old, "projects", name, &[]);
        git(&project, &["init", "-q"]);
        commit(&project, "new");
        project
    }

    /// `update DIR --template TODAY ARGS`.
    pub fn update(&self, project: &Path, args: &[&str]) -> Run {
        run(self.update_command(&mut harness(), project, args))
    }

    pub fn update_command<'a>(
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

pub fn git(dir: &Path, args: &[&str]) -> String {
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

pub fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

pub fn text(path: &Path) -> String {
    fs_err::read_to_string(path).unwrap()
}

//! The fixture of the update tests: the history's 0.1.0 template unpacked, "today's" template
//! (the repository's with a few changes of its own on top), old projects in git, and trees
//! compared file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use scaffold_harness::project::tree;
use scaffold_harness::template::history;

use crate::support::{Run, TIMEOUT, harness, repo_root, run, uv};

/// The version today's template claims.
pub const TODAY: &str = "9.9.9";
/// The first template of the history.
pub const OLD: &str = "0.1.0 (2d8afceee2f7)";
/// Who git says the user is, for `new` and `update` alike: `new` credits the author git names,
/// and so does `update` for a project that never answered the question.
pub const AUTHOR: (&str, &str) = ("Ada", "ada@example.com");

/// The binary with git naming [`AUTHOR`] as the user.
pub fn harness_as_author() -> Command {
    let mut command = harness();
    command
        .env("GIT_AUTHOR_NAME", AUTHOR.0)
        .env("GIT_AUTHOR_EMAIL", AUTHOR.1);
    command
}

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

/// How two trees of [`files`] differ, one line per path: the paths only one side has, and
/// for the others the first line that differs. Empty when they are equal.
pub fn tree_diff(
    left: &BTreeMap<String, Vec<u8>>,
    right: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let paths: std::collections::BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    let mut differences = Vec::new();
    for path in paths {
        match (left.get(path), right.get(path)) {
            (Some(_), None) => differences.push(format!("{path}: only on the left")),
            (None, Some(_)) => differences.push(format!("{path}: only on the right")),
            (Some(a), Some(b)) if a != b => {
                let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
                let (mut a_lines, mut b_lines) = (a.split_inclusive('\n'), b.split_inclusive('\n'));
                let shown = |line: Option<&str>| {
                    line.map_or("end of file".into(), |line| format!("{line:?}"))
                };
                for number in 1.. {
                    match (a_lines.next(), b_lines.next()) {
                        (Some(x), Some(y)) if x == y => {}
                        (None, None) => {
                            differences.push(format!("{path}: bytes that are not UTF-8 differ"));
                            break;
                        }
                        (x, y) => {
                            differences.push(format!(
                                "{path}: line {number}: {} != {}",
                                shown(x),
                                shown(y)
                            ));
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    differences
}

/// Asserts that two trees of [`files`] are equal; if not, the message lists each differing
/// path with its first differing line.
#[track_caller]
pub fn assert_same_files(
    left: &BTreeMap<String, Vec<u8>>,
    right: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let differences = tree_diff(left, right);
    assert!(
        differences.is_empty(),
        "{what}: the trees differ in {} files:\n  {}",
        differences.len(),
        differences.join("\n  ")
    );
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

    /// `new NAME --template TEMPLATE --no-lock -d ...` into the fixture's folder `folder/NAME`,
    /// as [`AUTHOR`]: the project as `new` makes it, without the lock files that need PyPI.
    pub fn new_project(
        &self,
        template: &Path,
        folder: &str,
        name: &str,
        defines: &[&str],
    ) -> PathBuf {
        let dest = self.dir.path().join(folder).join(name);
        let mut command = harness_as_author();
        command
            .arg("new")
            .arg(&dest)
            .arg("--no-lock")
            .arg("--template")
            .arg(template);
        for define in defines {
            command.args(["-d", define]);
        }
        let made = run(&mut command);
        assert_eq!(made.code, Some(0), "{}", made.dump());
        dest
    }

    /// An old project, committed to a git repository of its own: as 0.1.0's `new` made it,
    /// without lock files.
    pub fn old_project(&self, name: &str) -> PathBuf {
        let project = self.new_project(&self.old, "projects", name, &[]);
        git(&project, &["init", "-q"]);
        commit(&project, "new");
        project
    }

    /// An old project with its `Cargo.lock` and `uv.lock` committed too, as its first `cargo
    /// build` and `uv run` wrote them (this needs crates.io and PyPI).
    pub fn old_locked_project(&self, name: &str) -> PathBuf {
        let project = self.new_project(&self.old, "projects", name, &[]);
        let locks = [
            Command::new("cargo")
                .args(["generate-lockfile", "--quiet"])
                .current_dir(&project)
                .output(),
            Command::new(uv())
                .args(["lock", "--quiet"])
                .current_dir(&project)
                .output(),
        ];
        for output in locks {
            let output = output.unwrap();
            assert!(output.status.success(), "{output:?}");
        }
        git(&project, &["init", "-q"]);
        commit(&project, "new");
        project
    }

    /// `update DIR --template TODAY ARGS`, as [`AUTHOR`].
    pub fn update(&self, project: &Path, args: &[&str]) -> Run {
        run(self.update_command(&mut harness_as_author(), project, args))
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

pub use crate::support::git;

pub fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

/// Replaces the one place `from` stands in the file at `path` with `to`; fails, naming the
/// file, when it stands there not exactly once (the template changed under the test).
pub fn replace_once(path: &Path, from: &str, to: &str) {
    let old = text(path);
    assert_eq!(
        old.matches(from).count(),
        1,
        "{} should hold {from:?} once:\n{old}",
        path.display()
    );
    fs_err::write(path, old.replacen(from, to, 1)).unwrap();
}

pub fn text(path: &Path) -> String {
    fs_err::read_to_string(path).unwrap()
}

/// `cargo … --locked` and `uv lock --check`, as the project's CI runs them: both pass when its
/// lock files are in line with its manifests.
pub fn assert_locked(project: &Path) {
    let checks = [
        Command::new("cargo")
            .args(["metadata", "--locked", "--offline", "--quiet"])
            .args(["--format-version", "1"])
            .current_dir(project)
            .output(),
        Command::new(uv())
            .args(["lock", "--check"])
            .current_dir(project)
            .output(),
    ];
    for output in checks {
        let output = output.unwrap();
        assert!(
            output.status.success(),
            "a lock file is stale:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_diff_names_each_differing_path_and_its_first_differing_line() {
        let tree = |entries: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
            entries
                .iter()
                .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
                .collect()
        };
        let left = tree(&[
            ("a", "1\n2\n3\n"),
            ("b", "same\n"),
            ("c", "x\n"),
            ("e", "1\n"),
        ]);
        let right = tree(&[
            ("a", "1\n2\nthree\n"),
            ("b", "same\n"),
            ("d", "y\n"),
            ("e", "1\n2\n"),
        ]);
        assert_eq!(
            tree_diff(&left, &right),
            [
                "a: line 3: \"3\\n\" != \"three\\n\"",
                "c: only on the left",
                "d: only on the right",
                "e: line 2: end of file != \"2\\n\"",
            ]
        );
        assert!(tree_diff(&left, &left).is_empty());
    }
}

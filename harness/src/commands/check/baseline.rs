//! `check DIR --against-git REV`: the project as it was at a git revision, as a baseline.
//!
//! The revision is read from DIR's own repository with `git archive` (which reads objects and
//! writes nothing into the repository or its working tree) and unpacked into the harness
//! cache, one folder per commit; the pipeline then builds and records it like any project.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::base::cmd::Cmd;
use crate::base::error::{Error, Fault, Result};
use crate::exit;
use crate::pipeline::{self, Job, Reference, Source};
use crate::report;
use crate::report::live::Progress;

/// A project folder as it was at a commit, unpacked into the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// The revision as the user wrote it (`main`, `v1.2.0`, `HEAD~1`).
    pub rev: String,
    /// The full commit hash it names.
    pub commit: String,
    /// The unpacked project folder.
    pub dir: PathBuf,
}

impl Baseline {
    /// `main (1a2b3c4d5e6f)`, for labels and messages.
    pub fn label(&self) -> String {
        format!(
            "{} ({})",
            self.rev,
            &self.commit[..self.commit.len().min(12)]
        )
    }
}

/// Unpacks `project` (a folder inside a git working tree) as it was at `rev` into
/// `cache_dir/<commit>/`; a folder already unpacked for that commit is used again.
pub fn export(project: &Path, rev: &str, cache_dir: &Path, timeout: Duration) -> Result<Baseline> {
    let refused = |message: String| Error::Baseline {
        rev: rev.to_owned(),
        message,
    };
    let git = |args: &[&str]| {
        Cmd::new("git")
            .arg("-C")
            .arg(project)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .timeout(timeout)
            .fault(Fault::Environment)
    };
    let toplevel = git(&["rev-parse", "--show-toplevel"]).output()?;
    if !toplevel.status.success() {
        return Err(refused(format!(
            "{} is not inside a git repository",
            project.display()
        )));
    }
    let prefix = git(&["rev-parse", "--show-prefix"])
        .run()?
        .stdout
        .trim()
        .to_owned();
    // `--end-of-options` keeps a revision that starts with `-` from being read as an option.
    let verify = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{rev}^{{commit}}"),
    ])
    .output()?;
    let commit = verify.stdout.trim().to_owned();
    if !verify.status.success() || commit.is_empty() {
        return Err(refused(format!(
            "no commit `{rev}` in the repository at {}",
            toplevel.stdout.trim()
        )));
    }
    let tree = if prefix.is_empty() {
        commit.clone()
    } else {
        format!("{commit}:{}", prefix.trim_end_matches('/'))
    };
    if !git(&["cat-file", "-e", &tree]).output()?.status.success() {
        return Err(refused(format!(
            "the folder `{prefix}` did not exist at {rev}"
        )));
    }
    let dir = cache_dir.join(&commit);
    // Next to the folder, not in it: the folder is the project, copied as it is.
    let complete = dir.with_extension("complete");
    if !complete.is_file() {
        unpack(Path::new(toplevel.stdout.trim()), &tree, &dir, timeout)?;
        fs_err::write(&complete, format!("{tree}\n"))?;
    }
    Ok(Baseline {
        rev: rev.to_owned(),
        commit,
        dir,
    })
}

/// Run from the repository's top folder: from a subfolder, `git archive` would keep only the
/// paths under that subfolder.
fn unpack(toplevel: &Path, tree: &str, dir: &Path, timeout: Duration) -> Result<()> {
    fs_err::create_dir_all(dir.parent().unwrap_or(dir))?;
    if dir.exists() {
        // Left half-written by an interrupted run.
        fs_err::remove_dir_all(dir)?;
    }
    fs_err::create_dir_all(dir)?;
    let archive = dir.with_extension("tar");
    Cmd::new("git")
        .arg("-C")
        .arg(toplevel)
        .args(["archive", "--format=tar", "-o"])
        .arg(&archive)
        .arg(tree)
        .timeout(timeout)
        .fault(Fault::Environment)
        .run()?;
    let unpacked = Cmd::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(dir)
        .timeout(timeout)
        .fault(Fault::Environment)
        .hint("`tar` unpacks the archive git wrote; it comes with every Unix")
        .run();
    fs_err::remove_file(&archive)?;
    unpacked.map(|_| ())
}

/// Records the project at `rev` (from its git repository, into the cache) and returns it as
/// the reference to compare with; or, when it could not be recorded, the exit code to end with.
pub fn reference(
    settings: &pipeline::Settings,
    job: &Job,
    dir: &Path,
    rev: &str,
    strict: bool,
) -> Result<std::result::Result<Reference, ExitCode>> {
    let baselines = settings.cache.root().join("baselines");
    let baseline = export(dir, rev, &baselines, settings.timeout)?;
    eprintln!("baseline: {} at {}", job.id, baseline.label());
    let baseline_job = Job {
        id: format!(
            "{}@{}",
            job.id,
            &baseline.commit[..baseline.commit.len().min(12)]
        ),
        source: Source::Folder {
            dir: baseline.dir.clone(),
            with: match &job.source {
                Source::Folder { with, .. } => with.clone(),
                Source::Template { .. } => Default::default(),
            },
        },
        python: job.python.clone(),
        probe_style: job.probe_style.clone(),
        // The same scenarios on both sides: the file of the working tree, not the revision's.
        scenarios: job.scenarios.clone(),
        reference: Reference::None,
    };
    let progress = Progress::new();
    let mut report = pipeline::run(settings, &baseline_job, &progress);
    report.no_tests_ok = true;
    progress.finished(&report);
    match report.snapshot.clone() {
        // Failing tests at REV are part of what it did; the comparison says what changed.
        Some(text) => Ok(Ok(Reference::Text {
            text,
            skip: Vec::new(),
            labels: (baseline.label(), "this project".to_owned()),
            strict,
        })),
        None => {
            if let Some(details) = report::case_details(&report) {
                println!("{details}");
            }
            eprintln!(
                "error: {} as it was at {} could not be built and probed: there is nothing to \
                 compare with",
                job.id,
                baseline.label()
            );
            Ok(Err(exit::code(Fault::Failure)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::cmd::test_git as git;

    #[test]
    fn exports_a_subfolder_as_it_was_without_touching_the_working_tree() {
        let repo = tempfile::tempdir().unwrap();
        let project = repo.path().join("sub/proj");
        fs_err::create_dir_all(&project).unwrap();
        fs_err::write(project.join("lib.py"), "VALUE = 1\n").unwrap();
        git(repo.path(), &["init", "-q"]);
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-qm", "one"]);
        let first = git(repo.path(), &["rev-parse", "HEAD"]).trim().to_owned();
        fs_err::write(project.join("lib.py"), "VALUE = 2\n").unwrap();
        git(repo.path(), &["commit", "-qam", "two"]);
        fs_err::write(project.join("lib.py"), "VALUE = 3  # not committed\n").unwrap();
        let status_before = git(repo.path(), &["status", "--porcelain"]);

        let cache = tempfile::tempdir().unwrap();
        let timeout = Duration::from_secs(30);
        let baseline = export(&project, "HEAD~1", cache.path(), timeout).unwrap();
        assert_eq!(baseline.commit, first);
        assert_eq!(baseline.dir, cache.path().join(&first));
        assert_eq!(
            fs_err::read_to_string(baseline.dir.join("lib.py")).unwrap(),
            "VALUE = 1\n"
        );
        assert_eq!(baseline.label(), format!("HEAD~1 ({})", &first[..12]));
        // The working tree and the index are as they were.
        assert_eq!(
            fs_err::read_to_string(project.join("lib.py")).unwrap(),
            "VALUE = 3  # not committed\n"
        );
        assert_eq!(git(repo.path(), &["status", "--porcelain"]), status_before);

        // A second export of the same commit reuses the folder.
        fs_err::write(baseline.dir.join("marker"), "").unwrap();
        let again = export(&project, &first, cache.path(), timeout).unwrap();
        assert!(again.dir.join("marker").is_file());
    }

    #[test]
    fn refuses_what_it_cannot_export() {
        let repo = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let timeout = Duration::from_secs(30);
        let error = export(repo.path(), "HEAD", cache.path(), timeout).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("is not inside a git repository"),
            "{error}"
        );
        git(repo.path(), &["init", "-q"]);
        fs_err::write(repo.path().join("a"), "").unwrap();
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-qm", "one"]);
        let error = export(repo.path(), "no-such-branch", cache.path(), timeout).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "--against-git no-such-branch: no commit `no-such-branch` in the repository at"
            ),
            "{error}"
        );
        let later = repo.path().join("later");
        fs_err::create_dir_all(&later).unwrap();
        fs_err::write(later.join("b"), "").unwrap();
        let error = export(&later, "HEAD", cache.path(), timeout).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--against-git HEAD: the folder `later/` did not exist at HEAD"
        );
    }
}

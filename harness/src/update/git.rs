//! What `update` asks of the project's git repository: whether the working tree is clean
//! (nothing would be lost), and the project as it was at a commit (`--base REV`). Both only
//! read the repository.

use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use crate::base::cmd::Cmd;
use crate::base::error::{Fault, Result, UpdateError};
use crate::update::files::Files;

/// The state of the project folder's working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The folder is in no git repository.
    NotInGit,
    Clean,
    /// `git status --short` for the folder: what is modified, staged or untracked.
    Dirty(String),
}

fn git(dir: &Path, timeout: Duration) -> Cmd {
    Cmd::new("git")
        .arg("-C")
        .arg(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .timeout(timeout)
        .fault(Fault::Environment)
        .hint("`update` reads the project's git repository with the git command")
}

/// Whether the folder `dir` (and only it: the rest of the repository is not the project's
/// business) has changes git does not hold; ignored files (`target/`, `.venv/`) do not count.
pub fn status(dir: &Path, timeout: Duration) -> Result<Status> {
    let inside = git(dir, timeout)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()?;
    if !inside.status.success() || inside.stdout.trim() != "true" {
        return Ok(Status::NotInGit);
    }
    let changes = git(dir, timeout)
        .args(["status", "--short", "--untracked-files=all", "--", "."])
        .run()?
        .stdout;
    Ok(if changes.trim().is_empty() {
        Status::Clean
    } else {
        Status::Dirty(changes.trim_end().to_owned())
    })
}

/// The files of the project folder `dir` as they were at `rev`, read with `git archive`.
pub fn tree_at(dir: &Path, rev: &str, timeout: Duration) -> Result<Files> {
    let refused = |message: String| UpdateError::Base {
        rev: rev.to_owned(),
        message,
    };
    let toplevel = git(dir, timeout)
        .args(["rev-parse", "--show-toplevel"])
        .output()?;
    if !toplevel.status.success() {
        return Err(refused(format!("{} is not inside a git repository", dir.display())).into());
    }
    let prefix = git(dir, timeout)
        .args(["rev-parse", "--show-prefix"])
        .run()?
        .stdout
        .trim()
        .to_owned();
    // `--end-of-options` keeps a revision that starts with `-` from being read as an option.
    let verify = git(dir, timeout)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .output()?;
    let commit = verify.stdout.trim().to_owned();
    if !verify.status.success() || commit.is_empty() {
        return Err(refused(format!("no commit `{rev}` in the repository")).into());
    }
    let tree = match prefix.trim_end_matches('/') {
        "" => commit,
        folder => format!("{commit}:{folder}"),
    };
    if !git(dir, timeout)
        .args(["cat-file", "-e", &tree])
        .output()?
        .status
        .success()
    {
        return Err(refused(format!(
            "the project's folder `{prefix}` did not exist at {rev}"
        ))
        .into());
    }
    let scratch = tempfile::Builder::new()
        .prefix("pyo3-scaffold-base-")
        .tempdir()?;
    let archive = scratch.path().join("base.tar");
    // From the top folder: from a subfolder, `git archive` would keep only the paths under it.
    git(Path::new(toplevel.stdout.trim()), timeout)
        .args(["archive", "--format=tar", "-o"])
        .arg(&archive)
        .arg(&tree)
        .run()?;
    let mut files = Files::new();
    let mut reader = tar::Archive::new(fs_err::File::open(&archive)?);
    for entry in reader.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        files.insert(path, bytes);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::cmd::test_git as run;

    #[test]
    fn status_sees_only_the_project_folder_and_not_ignored_files() {
        let timeout = Duration::from_secs(30);
        let repo = tempfile::tempdir().unwrap();
        let project = repo.path().join("proj");
        fs_err::create_dir_all(project.join("src")).unwrap();
        assert_eq!(status(&project, timeout).unwrap(), Status::NotInGit);
        fs_err::write(project.join("src/a.py"), "A = 1\n").unwrap();
        fs_err::write(project.join(".gitignore"), "target/\n").unwrap();
        run(repo.path(), &["init", "-q"]);
        run(repo.path(), &["add", "."]);
        run(repo.path(), &["commit", "-qm", "one"]);
        let first = tree_at(&project, "HEAD", timeout).unwrap();
        assert_eq!(first.keys().collect::<Vec<_>>(), [".gitignore", "src/a.py"]);
        assert_eq!(status(&project, timeout).unwrap(), Status::Clean);
        fs_err::create_dir_all(project.join("target")).unwrap();
        fs_err::write(project.join("target/x"), "").unwrap();
        fs_err::write(repo.path().join("elsewhere.txt"), "").unwrap();
        assert_eq!(status(&project, timeout).unwrap(), Status::Clean);
        fs_err::write(project.join("src/a.py"), "A = 2\n").unwrap();
        assert_eq!(
            status(&project, timeout).unwrap(),
            Status::Dirty(" M src/a.py".into())
        );
        run(repo.path(), &["commit", "-qam", "two"]);
        assert_eq!(tree_at(&project, "HEAD~1", timeout).unwrap(), first);
        let error = tree_at(&project, "nope", timeout).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--base nope: no commit `nope` in the repository"
        );
    }
}

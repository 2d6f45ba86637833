//! The Windows side of [`crate::platform`]; `unix.rs` has the same names. Only a Windows build
//! compiles this file: the repository's CI does, on its Windows runner.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use process_wrap::std::{CommandWrap, JobObject};

use super::ntstatus;

/// A child's process tree, as messages name it.
pub const PROCESS_TREE: &str = "job object";

/// A native extension's file suffix (`_pkg.pyd`, `_pkg.cp312-win_amd64.pyd`).
pub const EXTENSION_SUFFIX: &str = ".pyd";

/// Between the folders of `PATH`.
pub const PATH_SEPARATOR: char = ';';

/// The interpreter to use when none is named: `python`, which the python.org installer and
/// `actions/setup-python` put on `PATH` (a `python3` there is often the Microsoft Store's
/// stand-in, which installs nothing and exits).
pub const DEFAULT_PYTHON: &str = "python";

/// Puts the child in a job object of its own: every process it starts joins the job, and
/// terminating the job (`start_kill`, `TerminateJobObject`) stops them all at once.
pub fn contain(command: &mut CommandWrap) {
    command.wrap(JobObject);
}

/// Ends the process tree under `leader`: what the second Ctrl-C does to every child still
/// running. The job's handle stays inside the child's wrapper, out of this handler's reach, so
/// this asks `taskkill /T`, which follows parent ids (a process whose parent has exited escapes
/// it). The console has already sent Ctrl-C to every child, as it does to every process attached.
pub fn kill_tree(leader: u32) {
    let _ = std::process::Command::new("taskkill")
        .args(["/F", "/T", "/PID", &leader.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Not applicable: Windows does not show one process another's environment, so leftovers
/// cannot be found by their tag. Says so in one line.
pub fn tagged_processes(_matches: &dyn Fn(&[u8]) -> bool) -> io::Result<Vec<u32>> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "cannot look for leftover processes: Windows does not show a process's environment to \
         another (the job object is terminated all the same)",
    ))
}

/// Not applicable: [`tagged_processes`] finds none to kill on Windows.
pub fn kill_process(_pid: u32) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "leftover processes are not looked for on Windows",
    ))
}

/// Always `None`: Windows has no signals; a crash is an exit code ([`is_crash`]).
pub fn signal(_status: ExitStatus) -> Option<i32> {
    None
}

/// Always `None`: Windows has no signals.
pub fn signal_name(_signal: i32) -> Option<&'static str> {
    None
}

/// An exit code as shown after `exit status: `: an NTSTATUS in hex and named
/// (`0xc0000005, STATUS_ACCESS_VIOLATION: invalid memory reference`), any other in decimal.
pub fn exit_code_text(code: i32) -> String {
    ntstatus::describe(code)
}

/// True for an NTSTATUS of error severity (an access violation, a stack overflow, a Rust abort).
pub fn is_crash(code: i32) -> bool {
    ntstatus::is_crash(code)
}

/// What Windows answers when making a symbolic link takes a privilege the user lacks (it takes
/// Developer Mode or an administrator).
const ERROR_PRIVILEGE_NOT_HELD: i32 = 1314;

/// Makes `link` a symbolic link to `original` (a file or a folder link, after what `original`
/// is); where Windows refuses the link for want of the privilege, a copy of what it points to.
pub fn symlink(original: &Path, link: &Path) -> io::Result<()> {
    // A relative target is relative to the link's folder.
    let target = link
        .parent()
        .map_or_else(|| original.to_owned(), |dir| dir.join(original));
    let made = if target.is_dir() {
        std::os::windows::fs::symlink_dir(original, link)
    } else {
        std::os::windows::fs::symlink_file(original, link)
    };
    match made {
        Ok(()) => Ok(()),
        Err(error) if error.raw_os_error() == Some(ERROR_PRIVILEGE_NOT_HELD) && target.exists() => {
            copy_tree(&target, link)
        }
        Err(error) => Err(io::Error::new(
            error.kind(),
            format!(
                "making {} a link to {}: {error}",
                link.display(),
                original.display()
            ),
        )),
    }
}

/// Copies a file, or a folder with everything in it.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    if !from.is_dir() {
        return fs_err::copy(from, to).map(|_| ());
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs_err::create_dir_all(&target)?;
        } else {
            fs_err::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The venv's folder of programs, `Scripts`.
pub fn venv_bin(venv: &Path) -> PathBuf {
    venv.join("Scripts")
}

/// `<venv>\Lib\site-packages`.
pub fn site_packages(venv: &Path) -> io::Result<PathBuf> {
    let site = venv.join("Lib").join("site-packages");
    if site.is_dir() {
        Ok(site)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no site-packages folder in {}", venv.join("Lib").display()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_venv_layout() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path();
        assert_eq!(venv_bin(venv), venv.join("Scripts"));
        let site = venv.join("Lib").join("site-packages");
        fs_err::create_dir_all(&site).unwrap();
        assert_eq!(site_packages(venv).unwrap(), site);
    }

    #[test]
    fn a_link_is_made_or_copied() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("file"), "content").unwrap();
        let link = dir.path().join("link");
        symlink(Path::new("file"), &link).unwrap();
        assert_eq!(fs_err::read_to_string(&link).unwrap(), "content");
    }

    #[test]
    fn a_crash_code_is_named() {
        assert_eq!(
            exit_code_text(0xC000_0005_u32.cast_signed()),
            "0xc0000005, STATUS_ACCESS_VIOLATION: invalid memory reference"
        );
        assert!(is_crash(0xC000_0005_u32.cast_signed()));
        assert_eq!(signal_name(11), None);
    }
}

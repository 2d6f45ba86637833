//! The Unix side (Linux and macOS) of [`crate::platform`]; `windows.rs` has the same names.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use process_wrap::std::{CommandWrap, ProcessGroup};

/// A child's process tree, as messages name it.
pub const PROCESS_TREE: &str = "process group";

/// A native extension's file suffix (after the `.abi3` or `.cpython-311-…` tag).
pub const EXTENSION_SUFFIX: &str = ".so";

/// Between the folders of `PATH`.
pub const PATH_SEPARATOR: char = ':';

/// The interpreter to use when none is named: `python3`, which every Unix Python installs (a
/// bare `python` may be Python 2, or missing).
pub const DEFAULT_PYTHON: &str = "python3";

/// Puts the child in a process group of its own, which it leads: killing the group
/// (`start_kill`) stops it and everything it started, and a terminal's Ctrl-C, sent to the
/// harness's group, does not reach it (the harness stops it instead).
pub fn contain(command: &mut CommandWrap) {
    command.wrap(ProcessGroup::leader());
}

/// Kills the process group `leader` leads: what the second Ctrl-C does to every child still
/// running, from the Ctrl-C handler's thread.
pub fn kill_tree(leader: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(leader) {
        // SAFETY: killpg has no memory effects; a group that is already gone gives ESRCH.
        unsafe { libc::killpg(pgid, libc::SIGKILL) };
    }
}

/// The processes (other than this one) whose environment holds an entry `matches` accepts,
/// read from `/proc`.
#[cfg(target_os = "linux")]
pub fn tagged_processes(matches: &dyn Fn(&[u8]) -> bool) -> io::Result<Vec<u32>> {
    tagged_in(Path::new("/proc"), matches)
}

/// Not applicable off Linux: macOS has no `/proc`, and shows another process's environment only
/// to the privileged. Says so in one line.
#[cfg(not(target_os = "linux"))]
pub fn tagged_processes(_matches: &dyn Fn(&[u8]) -> bool) -> io::Result<Vec<u32>> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "cannot look for leftover processes: finding them by their environment needs Linux's \
         /proc (the process group is killed all the same)",
    ))
}

/// The processes listed in `proc_root` (a `/proc`) with a matching environment entry.
#[cfg(target_os = "linux")]
fn tagged_in(proc_root: &Path, matches: &dyn Fn(&[u8]) -> bool) -> io::Result<Vec<u32>> {
    let own = std::process::id();
    let mut found = Vec::new();
    for entry in fs_err::read_dir(proc_root)? {
        let Some(pid) = entry?
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own {
            continue;
        }
        // Unreadable (another user's, or gone) or a zombie (empty): not ours to worry about.
        let ours = std::fs::read(proc_root.join(pid.to_string()).join("environ"))
            .is_ok_and(|environ| environ.split(|&byte| byte == 0).any(matches));
        if ours {
            found.push(pid);
        }
    }
    Ok(found)
}

/// Kills one process with SIGKILL.
pub fn kill_process(pid: u32) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    // SAFETY: kill has no memory effects; a process that is already gone gives ESRCH.
    if unsafe { libc::kill(pid, libc::SIGKILL) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The signal that killed the child, if one did.
pub fn signal(status: ExitStatus) -> Option<i32> {
    status.signal()
}

/// The signals a crashed or stopped child ends with, named as POSIX describes them.
pub fn signal_name(signal: i32) -> Option<&'static str> {
    Some(match signal {
        libc::SIGABRT => "SIGABRT: process abort signal",
        libc::SIGBUS => "SIGBUS: access to undefined memory",
        libc::SIGFPE => "SIGFPE: erroneous arithmetic operation",
        libc::SIGILL => "SIGILL: illegal instruction",
        libc::SIGINT => "SIGINT: interrupt",
        libc::SIGKILL => "SIGKILL: kill",
        libc::SIGSEGV => "SIGSEGV: invalid memory reference",
        libc::SIGTERM => "SIGTERM: termination",
        _ => return None,
    })
}

/// An exit code as shown after `exit status: `: decimal.
pub fn exit_code_text(code: i32) -> String {
    code.to_string()
}

/// Always false: a Unix process that crashed was killed by a signal ([`signal`]), its exit code
/// says nothing of it.
pub fn is_crash(_code: i32) -> bool {
    false
}

/// Makes `link` a symbolic link to `original`.
pub fn symlink(original: &Path, link: &Path) -> io::Result<()> {
    fs_err::os::unix::fs::symlink(original, link)
}

/// The venv's folder of programs, `bin`.
pub fn venv_bin(venv: &Path) -> PathBuf {
    venv.join("bin")
}

/// `<venv>/lib/python3.X/site-packages` (`python3.Xt` on a free-threaded build).
pub fn site_packages(venv: &Path) -> io::Result<PathBuf> {
    let lib = venv.join("lib");
    for entry in fs_err::read_dir(&lib)? {
        let site = entry?.path().join("site-packages");
        if site.is_dir() {
            return Ok(site);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("no site-packages folder in {}", lib.display()),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::base::cmd::{Cmd, Status};

    #[test]
    fn a_signal_is_named() {
        let output = Cmd::new("sh")
            .args(["-c", "kill -SEGV $$"])
            .output()
            .unwrap();
        assert_eq!(output.status, Status::Signalled(libc::SIGSEGV));
        assert_eq!(
            output.status.to_string(),
            "signal: 11, SIGSEGV: invalid memory reference"
        );
        assert_eq!(signal_name(libc::SIGUSR1), None);
    }

    #[test]
    fn an_exit_code_is_decimal_and_no_crash() {
        assert_eq!(exit_code_text(3), "3");
        assert_eq!(exit_code_text(-1), "-1");
        assert!(!is_crash(139));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn tagged_processes_are_found_and_killed() {
        let entry = format!("SCAFFOLD_PLATFORM_TEST={}", std::process::id());
        let (name, value) = entry.split_once('=').unwrap();
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .env(name, value)
            .spawn()
            .unwrap();
        // Until the child has called exec, /proc shows the parent's environment: look again
        // for a while.
        let tagged = || tagged_processes(&|candidate| candidate == entry.as_bytes()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut found = tagged();
        while found.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            found = tagged();
        }
        assert_eq!(found, [child.id()]);
        kill_process(child.id()).unwrap();
        assert_eq!(child.wait().unwrap().signal(), Some(libc::SIGKILL));
        assert_eq!(
            tagged_processes(&|candidate| candidate == entry.as_bytes()).unwrap(),
            Vec::<u32>::new()
        );
        // Without a /proc to read, it says why it cannot look.
        let missing = tempfile::tempdir().unwrap().path().join("no-proc");
        let error = tagged_in(&missing, &|_| true).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_that_left_the_group_is_killed_too() {
        let started = Instant::now();
        // `setsid` puts the sleep in a session (and group) of its own; it keeps stdout open, so
        // without the sweep reading it would wait the full 30 seconds.
        let output = Cmd::new("sh")
            .args(["-c", "setsid sleep 30 & echo started"])
            .timeout(Duration::from_secs(20))
            .run()
            .unwrap();
        assert_eq!(output.stdout, "started\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn the_venv_layout() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path();
        assert_eq!(venv_bin(venv), venv.join("bin"));
        assert_eq!(
            site_packages(venv).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        let site = venv.join("lib/python3.14t/site-packages");
        fs_err::create_dir_all(&site).unwrap();
        assert_eq!(site_packages(venv).unwrap(), site);
    }

    #[test]
    fn a_symlink_is_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        symlink(Path::new("elsewhere/file"), &link).unwrap();
        assert_eq!(
            fs_err::read_link(&link).unwrap(),
            Path::new("elsewhere/file")
        );
    }
}

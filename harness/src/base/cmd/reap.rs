//! Reaping: every command's processes are tagged, and whatever still carries the tag once the
//! command is done is killed, even a process that left the command's process group. The process
//! groups of the children still running are known here too, for the second Ctrl-C ([`kill_all`]).

use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

/// Set for every child to a value unique to that command, [`Tag`]; every descendant inherits it.
pub const TAG_ENV: &str = "SCAFFOLD_HARNESS_TAG";

/// The value of [`TAG_ENV`] for one command: this harness's process id, then a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag(String);

impl Tag {
    pub(super) fn next() -> Tag {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Tag(format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ))
    }

    /// The value, as set in the child's environment.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The environment entry, `SCAFFOLD_HARNESS_TAG=<value>`.
    pub(super) fn entry(&self) -> Vec<u8> {
        format!("{TAG_ENV}={}", self.0).into_bytes()
    }
}

/// Kills every process (other than this one) whose environment holds an entry `matches`
/// accepts, a few rounds in a row so that one forked during a round goes in the next. Returns
/// how many it killed, or the error that kept it from looking: it reads `/proc`, so off Linux,
/// or with `/proc` not mounted, it cannot (the process group kill still applies there).
pub fn sweep(matches: impl Fn(&[u8]) -> bool) -> io::Result<usize> {
    let mut killed = 0;
    for _ in 0..5 {
        let found = tagged_processes(Path::new("/proc"), &matches)?;
        if found.is_empty() {
            break;
        }
        for pid in found {
            // SAFETY: kill has no memory effects; a process that is already gone gives ESRCH.
            if unsafe { libc::kill(pid, libc::SIGKILL) } == 0 {
                killed += 1;
            }
        }
        thread::sleep(Duration::from_millis(5));
    }
    Ok(killed)
}

/// Process groups of the children running right now, for the second signal.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Notes a child's process group while it runs.
pub(super) fn register_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.push(pgid);
    }
}

pub(super) fn unregister_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.retain(|&group| group != pgid);
    }
}

/// Kills every process group still running; called from a signal handler.
fn kill_all_groups() {
    // try_lock: the handler must not wait for a thread that holds the lock.
    if let Ok(groups) = GROUPS.try_lock() {
        for &pgid in groups.iter() {
            if let Ok(pgid) = libc::pid_t::try_from(pgid) {
                // SAFETY: killpg has no memory effects; a group that is already gone gives ESRCH.
                unsafe { libc::killpg(pgid, libc::SIGKILL) };
            }
        }
    }
}

/// Kills every child still running and what is left of every command this harness started:
/// what the second Ctrl-C does before the harness exits.
pub fn kill_all() {
    kill_all_groups();
    sweep_all();
}

/// Kills what is left of every command this harness started.
fn sweep_all() {
    let prefix = format!("{TAG_ENV}={}-", std::process::id()).into_bytes();
    // Best effort on the way out: without /proc, the process group kills are all there is.
    let _ = sweep(|entry| entry.starts_with(&prefix));
}

/// The processes listed in `proc_root` (a `/proc`) with a matching environment entry.
#[cfg(target_os = "linux")]
fn tagged_processes(
    proc_root: &Path,
    matches: &impl Fn(&[u8]) -> bool,
) -> io::Result<Vec<libc::pid_t>> {
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
        if let (true, Ok(pid)) = (ours, libc::pid_t::try_from(pid)) {
            found.push(pid);
        }
    }
    Ok(found)
}

#[cfg(not(target_os = "linux"))]
fn tagged_processes(
    _proc_root: &Path,
    _matches: &impl Fn(&[u8]) -> bool,
) -> io::Result<Vec<libc::pid_t>> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "finding processes by their environment needs Linux's /proc",
    ))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn sweep_looks_and_says_when_it_cannot() {
        // Nothing carries this entry, and /proc is there to say so.
        assert_eq!(
            sweep(|entry| entry == b"SCAFFOLD_NO_SUCH_ENTRY=1").unwrap(),
            0
        );
        let missing = tempfile::tempdir().unwrap().path().join("no-proc");
        let error = tagged_processes(&missing, &|_: &[u8]| true).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }
}

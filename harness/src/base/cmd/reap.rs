//! Reaping: every command's processes are tagged, and whatever still carries the tag once the
//! command is done is killed, even a process that left the command's process tree (where the
//! platform can look: [`crate::platform::tagged_processes`]). The process trees of the children
//! still running are known here too, for the second Ctrl-C ([`kill_all`]).

use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use crate::platform;

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
/// how many it killed, or the error that kept it from looking: it reads Linux's `/proc`, so on
/// macOS and Windows, or with `/proc` not mounted, it cannot, and its error says so in one line
/// (the process tree kill still applies there).
pub fn sweep(matches: impl Fn(&[u8]) -> bool) -> io::Result<usize> {
    let mut killed = 0;
    for _ in 0..5 {
        let found = platform::tagged_processes(&matches)?;
        if found.is_empty() {
            break;
        }
        for pid in found {
            // A process that is already gone is not an error worth stopping for.
            if platform::kill_process(pid).is_ok() {
                killed += 1;
            }
        }
        thread::sleep(Duration::from_millis(5));
    }
    Ok(killed)
}

/// The process trees of the children running right now, by their leaders' ids, for the second
/// signal.
static TREES: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Notes a child's process tree while it runs.
pub(super) fn register_tree(leader: u32) {
    if let Ok(mut trees) = TREES.lock() {
        trees.push(leader);
    }
}

pub(super) fn unregister_tree(leader: u32) {
    if let Ok(mut trees) = TREES.lock() {
        trees.retain(|&tree| tree != leader);
    }
}

/// Kills every process tree still running; called from the Ctrl-C handler.
fn kill_all_trees() {
    // try_lock: the handler must not wait for a thread that holds the lock.
    if let Ok(trees) = TREES.try_lock() {
        for &leader in trees.iter() {
            platform::kill_tree(leader);
        }
    }
}

/// Kills every child still running and what is left of every command this harness started:
/// what the second Ctrl-C does before the harness exits.
pub fn kill_all() {
    kill_all_trees();
    sweep_all();
}

/// Kills what is left of every command this harness started.
fn sweep_all() {
    let prefix = format!("{TAG_ENV}={}-", std::process::id()).into_bytes();
    // Best effort on the way out: where the platform cannot look, the tree kills are all there
    // is.
    let _ = sweep(|entry| entry.starts_with(&prefix));
}

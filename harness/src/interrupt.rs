//! Ctrl-C and SIGTERM.
//!
//! The first signal only raises a flag: every wait in the harness (a child in [`crate::cmd`], a
//! cache lock) polls it, kills what it waits for and returns [`Error::Interrupted`], so the work
//! folders are removed by the normal unwinding of the stack and the exit code is 130. A second
//! signal means "now": it kills the process groups still running and exits at once.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Process groups of the children running right now, for the second signal.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Installs the handler for SIGINT, SIGTERM and SIGHUP; call once, from `main`.
pub fn install() -> std::result::Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            kill_all_groups();
            crate::cmd::sweep_all();
            std::process::exit(130);
        }
        eprintln!(
            "\ninterrupted: stopping the children and removing the work folders (again to quit at once)"
        );
    })
}

/// True once Ctrl-C or SIGTERM arrived.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Asks every wait to stop, as Ctrl-C does: for a command that reads Ctrl-C as a key (`watch`
/// in raw mode) or stops a check of its own accord.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// `Err(Interrupted)` once Ctrl-C or SIGTERM arrived; called between stages.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

pub(crate) fn register_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.push(pgid);
    }
}

pub(crate) fn unregister_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.retain(|&group| group != pgid);
    }
}

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

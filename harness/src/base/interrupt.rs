//! Ctrl-C and SIGTERM.
//!
//! The first signal only raises a flag: every wait in the harness (a child in [`crate::base::cmd`], a
//! cache lock) polls it, kills what it waits for and returns [`Error::Interrupted`], so the work
//! folders are removed by the normal unwinding of the stack and the exit code is 130. A second
//! signal means "now": it runs what `main` gave [`install`] (kill every child still running) and
//! exits at once. Knowing nothing of children keeps this module below [`crate::base::cmd`], which polls
//! it.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::base::error::{Error, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler for SIGINT, SIGTERM and SIGHUP on Unix, and for the console's Ctrl-C,
/// Ctrl-Break and close on Windows (`ctrlc` with `termination` does both); call once, from
/// `main`. `at_once` runs on the second signal, just before the process exits.
pub fn install(at_once: fn()) -> std::result::Result<(), ctrlc::Error> {
    ctrlc::set_handler(move || {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            at_once();
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

//! What the loop hears from outside: debounced file events, keys (raw mode) or lines (no
//! terminal), each on a thread of its own that sends [`Event`]s.

use std::io::BufRead;
use std::sync::mpsc::{self, Sender};

use crate::base::error::Result;
use crate::workshop::watch::checker::Checker;
use crate::workshop::watch::{Event, events, keys};

/// File events of the checker's project, sent on as [`Event::Changed`]; the watch stops when the
/// returned value is dropped.
pub fn watch_files(checker: &Checker, sender: Sender<Event>) -> Result<events::Watch> {
    let (changes, changed) = mpsc::channel();
    let watch = events::watch(&checker.dir, changes).map_err(|error| {
        std::io::Error::other(format!("cannot watch {}: {error}", checker.dir.display()))
    })?;
    std::thread::spawn(move || {
        for paths in changed {
            if sender.send(Event::Changed(paths)).is_err() {
                break;
            }
        }
    });
    Ok(watch)
}

/// Keys, on a thread of their own (reading blocks); the thread ends with the process.
pub fn read_keys(sender: Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            match crossterm::event::read() {
                Ok(crossterm::event::Event::Key(key)) => {
                    if let Some(command) = keys::from_key(key)
                        && sender.send(Event::Command(command)).is_err()
                    {
                        break;
                    }
                }
                Ok(crossterm::event::Event::Resize(..)) => {
                    if sender.send(Event::Resized).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    let _ = sender.send(Event::InputClosed);
                    break;
                }
            }
        }
    });
}

/// Lines of standard input when it is not a terminal; its end quits.
pub fn read_lines(sender: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if let Some(command) = keys::from_line(&line)
                && sender.send(Event::Command(command)).is_err()
            {
                return;
            }
        }
        let _ = sender.send(Event::InputClosed);
    });
}

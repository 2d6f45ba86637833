//! `watch DIR`: the checklist again on every save.
//!
//! A loop over one channel of [`Event`]s: the debounced file events of [`events`], the keys of
//! [`keys`] (or lines of standard input when it is not a terminal), and the results of the
//! check running on a thread of its own, so keys answer while a build runs. A save during a
//! check queues one more check. On a terminal the [`view`] is redrawn in place ([`terminal`]);
//! otherwise (a pipe, CI) each check prints its checklist once, and the end of standard input
//! ends the watch. Quitting, Ctrl-C included, stops the check under way through
//! [`crate::interrupt`], which kills its children and removes its work folder.

pub mod checker;
pub mod events;
pub mod keys;
pub mod terminal;
pub mod view;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::error::Result;
use crate::interrupt;
use checker::{Checked, Checker};
use keys::Command;
use terminal::Terminal;
use view::{CheckState, View};

/// How often the loop looks at the interrupt flag, and redraws a running check's time.
const TICK: Duration = Duration::from_millis(250);

/// Printed after each checklist when there is no terminal.
const PLAIN_PROMPT: &str = "watching for saves; type h (hint), n (next), l (list), r (re-run) or q (quit) and Enter; \
     the end of input quits";

enum Event {
    Changed(Vec<PathBuf>),
    Command(Command),
    InputClosed,
    Checked(Box<Result<Checked>>),
}

/// How the watch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `q`, or the end of standard input; `complete` when the last checklist was.
    Quit { complete: bool },
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

/// Where the view goes: a terminal redrawn in place, or plain text appended to stdout.
enum Output {
    Screen(Terminal),
    Plain,
}

impl Output {
    fn show(&mut self, view: &View) {
        match self {
            Output::Screen(terminal) => {
                let width = terminal.width();
                // Nothing to do about a terminal that cannot be written to: the loop goes on
                // and quitting still works.
                let _ = terminal.draw(&view.lines(width));
            }
            Output::Plain => {
                let mut out = std::io::stdout().lock();
                for line in view.lines(usize::MAX / 2) {
                    let _ = writeln!(out, "{line}");
                }
                let _ = writeln!(out, "\n{PLAIN_PROMPT}");
                let _ = out.flush();
            }
        }
    }

    fn say(&mut self, line: &str) {
        if let Output::Plain = self {
            println!("{line}");
        }
    }
}

/// Why the loop is ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quitting {
    /// Standard input ended: the check under way finishes and shows first.
    InputClosed,
    /// `q`: the check under way stops.
    Key,
    /// Ctrl-C or SIGTERM.
    Interrupt,
}

/// The state of the loop: what is shown, whether a check runs, what waits.
struct Session<'a> {
    checker: &'a Checker,
    sender: Sender<Event>,
    view: View,
    output: Output,
    running: bool,
    /// Why to check again once the running check is done.
    pending: Option<String>,
    quitting: Option<Quitting>,
    /// The running check was told to stop: its result is only "interrupted".
    stopped: bool,
}

/// Watches the checker's project until the learner quits; `interactive` is false to force the
/// plain mode (it is also chosen when stdin or stdout is not a terminal).
pub fn run(checker: &Checker, interactive: bool) -> Result<Ending> {
    let interactive =
        interactive && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let (sender, events) = mpsc::channel::<Event>();
    let _watch = watch_files(checker, sender.clone())?;
    let output = if interactive {
        read_keys(sender.clone());
        Output::Screen(Terminal::enter()?)
    } else {
        read_lines(sender.clone());
        Output::Plain
    };
    let view = View::new(checker.project.clone(), checker.style, checker.progress()?);
    let mut session = Session {
        checker,
        sender,
        view,
        output,
        running: false,
        pending: None,
        quitting: None,
        stopped: false,
    };
    std::thread::scope(|scope| {
        session.start(scope, "first check".into());
        while session.quitting.is_none() || session.running {
            match events.recv_timeout(TICK) {
                Ok(event) => session.handle(scope, event),
                Err(RecvTimeoutError::Timeout) => session.tick(),
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if session.running
                && !session.stopped
                && matches!(session.quitting, Some(Quitting::Key | Quitting::Interrupt))
            {
                // The check under way stops: its children are killed and its work folder
                // removed before its thread returns, which the loop waits for.
                interrupt::request();
                session.stopped = true;
            }
        }
    });
    let complete = complete(&session.view);
    Ok(match session.quitting {
        Some(Quitting::Interrupt) => Ending::Interrupted,
        _ => Ending::Quit { complete },
    })
}

impl<'a> Session<'a> {
    fn start<'scope>(&mut self, scope: &'scope std::thread::Scope<'scope, '_>, cause: String)
    where
        'a: 'scope,
    {
        self.output.say(&format!("== checking: {cause} =="));
        self.view.state = CheckState::Checking {
            cause,
            since: std::time::Instant::now(),
        };
        self.output.show_if_screen(&self.view);
        let (checker, sender) = (self.checker, self.sender.clone());
        self.running = true;
        scope.spawn(move || {
            let checked = checker.check();
            let _ = sender.send(Event::Checked(Box::new(checked)));
        });
    }

    /// Checks now, or once the running check is done.
    fn check_for<'scope>(&mut self, scope: &'scope std::thread::Scope<'scope, '_>, cause: String)
    where
        'a: 'scope,
    {
        if self.running {
            self.pending = Some(cause);
        } else {
            self.start(scope, cause);
        }
    }

    fn handle<'scope>(&mut self, scope: &'scope std::thread::Scope<'scope, '_>, event: Event)
    where
        'a: 'scope,
    {
        match event {
            Event::Checked(checked) => {
                self.running = false;
                if self.stopped {
                    return;
                }
                show_check(&mut self.view, *checked);
                self.output.show(&self.view);
                if self.quitting.is_none()
                    && let Some(cause) = self.pending.take()
                {
                    self.start(scope, cause);
                }
            }
            _ if self.quitting.is_some() => {}
            Event::Changed(paths) => self.check_for(scope, changed(&paths)),
            Event::Command(Command::Recheck) => self.check_for(scope, "re-run".into()),
            Event::Command(Command::Hint) => {
                self.view.hint();
                // Only the hint level is lost if this fails; the watch goes on.
                let _ = self.checker.save_progress(&self.view.progress);
                self.output.answer(&mut self.view);
            }
            Event::Command(Command::Next) => {
                self.view.next();
                self.output.answer(&mut self.view);
            }
            Event::Command(Command::List) => {
                self.view.listing = !self.view.listing;
                self.output.answer(&mut self.view);
            }
            Event::Command(Command::Quit) => self.quitting = Some(Quitting::Key),
            Event::Command(Command::Interrupt) => self.quitting = Some(Quitting::Interrupt),
            Event::InputClosed => self.quitting = Some(Quitting::InputClosed),
        }
    }

    /// Nothing happened for a tick: notice a signal, show a running check's time.
    fn tick(&mut self) {
        if interrupt::requested() && self.quitting.is_none() {
            self.quitting = Some(Quitting::Interrupt);
            // The signal has reached the running check's waits already.
            self.stopped = self.running;
        }
        if self.running && self.quitting.is_none() {
            self.output.show_if_screen(&self.view);
        }
    }
}

impl Output {
    /// Redraws a terminal; plain output prints only whole checklists.
    fn show_if_screen(&mut self, view: &View) {
        if let Output::Screen(_) = self {
            self.show(view);
        }
    }

    /// Answers a key: a terminal redraws; plain output prints only the answer (the top with
    /// the hints, or the list once), not the checklist again.
    fn answer(&mut self, view: &mut View) {
        if let Output::Screen(_) = self {
            self.show(view);
            return;
        }
        let lines = view.lines(usize::MAX / 2);
        let top = lines
            .iter()
            .position(String::is_empty)
            .unwrap_or(lines.len());
        let shown = if view.listing {
            &lines[top + 1..]
        } else {
            &lines[..top]
        };
        let mut out = std::io::stdout().lock();
        for line in shown {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        view.listing = false;
    }
}

fn complete(view: &View) -> bool {
    view.checklist
        .as_ref()
        .is_some_and(|checklist| checklist.complete())
}

/// Takes a finished check into the view.
fn show_check(view: &mut View, checked: Result<Checked>) {
    match checked {
        Ok(checked) => {
            view.state = CheckState::Checked { took: checked.took };
            view.note = match checked.first_passes.as_slice() {
                [] => None,
                passed => Some(format!(
                    "passed for the first time: {}",
                    passed
                        .iter()
                        .map(|n| format!("exercise {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            // Hint levels asked for meanwhile are in both; the check's copy has the rest.
            let mut progress = checked.progress;
            for (number, entry) in &view.progress.exercises {
                let kept = progress.exercises.entry(*number).or_default();
                kept.hints_shown = kept.hints_shown.max(entry.hints_shown);
            }
            view.progress = progress;
            view.checklist = Some(checked.checklist);
        }
        Err(error) => {
            let mut message = error.to_string();
            if let Some(hint) = error.hint() {
                message.push_str(&format!("\nhint: {hint}"));
            }
            view.state = CheckState::Failed { message };
        }
    }
}

/// `crates/python/src/message.rs changed`, or `3 files changed`.
fn changed(paths: &[PathBuf]) -> String {
    match paths {
        [one] => format!("{} changed", one.display()),
        many => format!("{} files changed", many.len()),
    }
}

fn watch_files(checker: &Checker, sender: Sender<Event>) -> Result<events::Watch> {
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
fn read_keys(sender: Sender<Event>) {
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
fn read_lines(sender: Sender<Event>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_of_a_check_names_the_file() {
        assert_eq!(
            changed(&[PathBuf::from("crates/python/src/message.rs")]),
            "crates/python/src/message.rs changed"
        );
        assert_eq!(
            changed(&[PathBuf::from("a.rs"), PathBuf::from("b.py")]),
            "2 files changed"
        );
    }
}

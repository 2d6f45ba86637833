//! `watch DIR`: the checklist again on every save.
//!
//! A loop over one channel of events: the debounced file events of [`events`], the keys of
//! [`keys`] (or lines of standard input when it is not a terminal), and the results of the
//! check running on a thread of its own, so keys answer while a build runs. A save during a
//! check queues one more check. On a terminal the [`view`] is redrawn in place ([`terminal`]);
//! otherwise (a pipe, CI) each check prints its checklist once, the lines read before the first
//! check has printed wait for it (`echo q | watch DIR` prints one checklist, then quits), and the
//! end of standard input ends the watch. Quitting, Ctrl-C included, stops the check under way through
//! [`crate::base::interrupt`], which kills its children and removes its work folder.

pub mod checker;
pub mod events;
mod input;
pub mod keys;
mod output;
pub mod terminal;
pub mod view;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::base::error::Result;
use crate::base::interrupt;
use checker::{Checked, Checker};
use input::{read_keys, read_lines, watch_files};
use keys::Command;
use output::Output;
use terminal::Terminal;
use view::{CheckState, View};

/// How often the loop looks at the interrupt flag, and redraws a running check's time.
const TICK: Duration = Duration::from_millis(250);

/// What the loop waits for.
pub(crate) enum Event {
    Changed(Vec<PathBuf>),
    Command(Command),
    InputClosed,
    /// The terminal changed size: draw again to fit.
    Resized,
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
    /// The seconds of the running check last drawn.
    shown_seconds: u64,
    /// Without a terminal: what standard input said before the first check finished, answered
    /// once it has (a piped `q` must not cut the first check short).
    waiting: Option<Vec<Event>>,
}

/// Watches the checker's project until the learner quits; `interactive` is false to force the
/// plain mode (it is also chosen when stdin or stdout is not a terminal).
pub fn run(checker: &Checker, interactive: bool) -> Result<Ending> {
    let interactive =
        interactive && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let (sender, events) = mpsc::channel::<Event>();
    let _watch = watch_files(checker, sender.clone())?;
    let output = if interactive {
        // Raw mode first: keys read before it would wait for Enter.
        let terminal = Terminal::enter()?;
        read_keys(sender.clone());
        Output::Screen(terminal)
    } else {
        read_lines(sender.clone());
        Output::Plain
    };
    let waiting = (!interactive).then(Vec::new);
    let view = View::new(
        checker.names.clone(),
        checker.shown_dir.clone(),
        checker.style,
        checker.progress()?,
    );
    let mut session = Session {
        checker,
        sender,
        view,
        output,
        running: false,
        pending: None,
        quitting: None,
        stopped: false,
        shown_seconds: 0,
        waiting,
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
        self.shown_seconds = 0;
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
        if let (Some(waiting), Event::Command(_) | Event::InputClosed) = (&mut self.waiting, &event)
        {
            waiting.push(event);
            return;
        }
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
                for answered in self.waiting.take().unwrap_or_default() {
                    self.handle(scope, answered);
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
            Event::Resized => self.output.show_if_screen(&self.view),
        }
    }

    /// Nothing happened for a tick: notice a signal, show a running check's time.
    fn tick(&mut self) {
        if interrupt::requested() && self.quitting.is_none() {
            self.quitting = Some(Quitting::Interrupt);
            // The signal has reached the running check's waits already.
            self.stopped = self.running;
        }
        // A running check's time, redrawn when its second changes.
        if let CheckState::Checking { since, .. } = &self.view.state
            && self.quitting.is_none()
        {
            let seconds = since.elapsed().as_secs();
            if seconds != self.shown_seconds {
                self.shown_seconds = seconds;
                self.output.show_if_screen(&self.view);
            }
        }
    }
}

fn complete(view: &View) -> bool {
    view.checklist
        .as_ref()
        .is_some_and(super::checklist::Checklist::complete)
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

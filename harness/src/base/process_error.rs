//! How a child ended, and the error for one that did not succeed.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use crate::base::fault::Fault;
use crate::platform;

/// How a child ended, when it did not end well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Its exit code: on Windows, an NTSTATUS such as `0xC0000005` for a crash.
    Exited(i32),
    /// Killed by this signal (Unix only).
    Signalled(i32),
    TimedOut(Duration),
}

impl Status {
    pub(crate) fn from_exit(status: ExitStatus) -> Status {
        match (status.code(), platform::signal(status)) {
            (Some(code), _) => Status::Exited(code),
            (None, Some(signal)) => Status::Signalled(signal),
            // Neither a code nor a signal does not happen; keep a value anyway.
            (None, None) => Status::Exited(-1),
        }
    }

    pub fn success(self) -> bool {
        self == Status::Exited(0)
    }

    /// True when the child crashed: killed by a signal on Unix, ended with an NTSTATUS of error
    /// severity (an access violation, a stack overflow, an abort) on Windows.
    pub fn crashed(self) -> bool {
        match self {
            Status::Signalled(_) => true,
            Status::Exited(code) => platform::is_crash(code),
            Status::TimedOut(_) => false,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(code) => {
                write!(f, "exit status: {}", platform::exit_code_text(*code))
            }
            Status::Signalled(signal) => match platform::signal_name(*signal) {
                Some(name) => write!(f, "signal: {signal}, {name}"),
                None => write!(f, "signal: {signal}"),
            },
            Status::TimedOut(limit) => write!(
                f,
                "timed out after {}s; its {} was killed",
                limit.as_secs(),
                platform::PROCESS_TREE
            ),
        }
    }
}

/// A child that did not succeed, with everything needed to see why. Its `Display` reads like
/// cargo's; code that needs a part of it (the folder a build ran in, its stderr) reads the
/// field, never the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessError {
    pub program: String,
    pub args: Vec<String>,
    /// The variables the harness set for this command (on top of [`crate::base::cmd::child_env`]), in
    /// name order.
    pub env: Vec<(String, String)>,
    pub cwd: Option<PathBuf>,
    pub status: Status,
    /// The last [`crate::base::cmd::TAIL_BYTES`] of each stream.
    pub stdout: String,
    pub stderr: String,
    pub fault: Fault,
    pub hint: Option<String>,
}

impl ProcessError {
    /// The command line as a shell would take it, with this command's own variables in front.
    pub fn command_line(&self) -> String {
        command_line(&self.program, &self.args, &self.env)
    }

    /// What the child printed, stdout then stderr: a build log whichever stream it went to.
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "process didn't exit successfully: `{}` ({})",
            self.command_line(),
            self.status
        )?;
        if let Some(cwd) = &self.cwd {
            write!(f, "\n  in {}", cwd.display())?;
        }
        f.write_str(&tails(&self.stdout, &self.stderr))
    }
}

/// `--- stdout` and `--- stderr` sections, each on lines of its own after a newline, for the
/// streams that printed anything.
pub fn tails(stdout: &str, stderr: &str) -> String {
    let mut out = String::new();
    for (name, text) in [("stdout", stdout), ("stderr", stderr)] {
        let text = text.trim_end();
        if !text.is_empty() {
            out.push_str(&format!("\n--- {name}\n{text}"));
        }
    }
    out
}

impl std::error::Error for ProcessError {}

/// `program args...` shell-escaped, with `env` (a command's own variables) in front.
///
/// A `PATH` that ends with the harness's own is shown as `PATH=<its own folders>:"$PATH"` (`;`
/// on Windows): the folders the command added are what a reader needs, not the whole search path.
pub(crate) fn command_line(program: &str, args: &[String], env: &[(String, String)]) -> String {
    let own_path = std::env::var("PATH").ok().filter(|path| !path.is_empty());
    let mut words: Vec<String> = env
        .iter()
        .map(|(name, value)| {
            let added = own_path
                .as_deref()
                .filter(|_| name == "PATH")
                .and_then(|own| {
                    value
                        .strip_suffix(own)?
                        .strip_suffix(platform::PATH_SEPARATOR)
                });
            match added {
                Some(added) => format!(
                    "{name}={}{}\"$PATH\"",
                    shell_word(added),
                    platform::PATH_SEPARATOR
                ),
                None => format!("{name}={}", shell_word(value)),
            }
        })
        .collect();
    words.push(shell_word(program).into_owned());
    words.extend(args.iter().map(|arg| shell_word(arg).into_owned()));
    words.join(" ")
}

/// One word as a POSIX shell reads it: quoted only when it must be. A word holding a NUL byte,
/// which no shell can pass, is shown with Rust's escapes instead.
pub fn shell_word(word: &str) -> Cow<'_, str> {
    shlex::try_quote(word).unwrap_or_else(|_| Cow::Owned(format!("{word:?}")))
}

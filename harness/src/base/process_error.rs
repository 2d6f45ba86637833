//! How a child ended, and the error for one that did not succeed.

use std::borrow::Cow;
use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use crate::base::fault::Fault;

/// How a child ended, when it did not end well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exited(i32),
    Signalled(i32),
    TimedOut(Duration),
}

impl Status {
    pub(crate) fn from_exit(status: ExitStatus) -> Status {
        match (status.code(), status.signal()) {
            (Some(code), _) => Status::Exited(code),
            (None, Some(signal)) => Status::Signalled(signal),
            // Neither a code nor a signal does not happen on Unix; keep a value anyway.
            (None, None) => Status::Exited(-1),
        }
    }

    pub fn success(self) -> bool {
        self == Status::Exited(0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(code) => write!(f, "exit status: {code}"),
            Status::Signalled(signal) => match signal_name(*signal) {
                Some(name) => write!(f, "signal: {signal}, {name}"),
                None => write!(f, "signal: {signal}"),
            },
            Status::TimedOut(limit) => write!(
                f,
                "timed out after {}s; its process group was killed",
                limit.as_secs()
            ),
        }
    }
}

fn signal_name(signal: i32) -> Option<&'static str> {
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
/// A `PATH` that ends with the harness's own is shown as `PATH=<its own folders>:"$PATH"`:
/// the folders the command added are what a reader needs, not the whole search path.
pub(crate) fn command_line(program: &str, args: &[String], env: &[(String, String)]) -> String {
    let own_path = std::env::var("PATH").ok().filter(|path| !path.is_empty());
    let mut words: Vec<String> = env
        .iter()
        .map(|(name, value)| {
            let added = own_path
                .as_deref()
                .filter(|_| name == "PATH")
                .and_then(|own| value.strip_suffix(own)?.strip_suffix(':'));
            match added {
                Some(added) => format!("{name}={}:\"$PATH\"", escape(added)),
                None => format!("{name}={}", escape(value)),
            }
        })
        .collect();
    words.push(escape(program).into_owned());
    words.extend(args.iter().map(|arg| escape(arg).into_owned()));
    words.join(" ")
}

/// One word as a POSIX shell reads it: quoted only when it must be. A word holding a NUL byte,
/// which no shell can pass, is shown with Rust's escapes instead.
fn escape(word: &str) -> Cow<'_, str> {
    shlex::try_quote(word).unwrap_or_else(|_| Cow::Owned(format!("{word:?}")))
}

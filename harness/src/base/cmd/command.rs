//! Building a command line and running it: [`Cmd`].

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use process_wrap::std::{ChildWrapper, CommandWrap};

use crate::base::error::{Error, Fault, Result};
use crate::base::interrupt;
use crate::base::process_error::{ProcessError, Status, command_line};
use crate::platform;

use super::env::child_env;
use super::reap::{self, TAG_ENV, Tag, sweep};
use super::tail::{TAIL_BYTES, join_tail, read_tail, tail_str};

/// What a finished child printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Status,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// A command line to run; build it, then call [`Cmd::run`] or [`Cmd::output`].
#[derive(Debug, Clone)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
    env: BTreeMap<OsString, Option<OsString>>,
    timeout: Option<Duration>,
    stdout_limit: usize,
    fault: Fault,
    hint: Option<String>,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        Cmd {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            cwd: None,
            env: BTreeMap::new(),
            timeout: None,
            stdout_limit: TAIL_BYTES,
            fault: Fault::Failure,
            hint: None,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    pub fn env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cmd {
        self.env
            .insert(name.as_ref().to_owned(), Some(value.as_ref().to_owned()));
        self
    }

    pub fn env_remove(mut self, name: impl AsRef<OsStr>) -> Cmd {
        self.env.insert(name.as_ref().to_owned(), None);
        self
    }

    /// Kill the child's whole process tree after this long.
    pub fn timeout(mut self, limit: Duration) -> Cmd {
        self.timeout = Some(limit);
        self
    }

    /// Keep up to `bytes` of stdout instead of [`TAIL_BYTES`] (the probe's JSON must be whole).
    pub fn stdout_limit(mut self, bytes: usize) -> Cmd {
        self.stdout_limit = bytes;
        self
    }

    /// Whose fault a failure of this command is (default: the project's).
    pub fn fault(mut self, fault: Fault) -> Cmd {
        self.fault = fault;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Cmd {
        self.hint = Some(hint.into());
        self
    }

    fn program_and_args(&self) -> (String, Vec<String>) {
        let lossy = |text: &OsStr| text.to_string_lossy().into_owned();
        (
            lossy(&self.program),
            self.args.iter().map(|arg| lossy(arg)).collect(),
        )
    }

    /// The variables this command sets, in name order (those it removes are not shown).
    fn own_env(&self) -> Vec<(String, String)> {
        self.env
            .iter()
            .filter_map(|(name, value)| {
                let value = value.as_ref()?;
                Some((
                    name.to_string_lossy().into_owned(),
                    value.to_string_lossy().into_owned(),
                ))
            })
            .collect()
    }

    /// The command line as a shell would take it, with this command's own variables in front.
    ///
    /// A `PATH` that ends with the harness's own is shown as `PATH=<its own folders>:"$PATH"`:
    /// the folders the command added are what a reader needs, not the whole search path.
    pub fn display(&self) -> String {
        let (program, args) = self.program_and_args();
        command_line(&program, &args, &self.own_env())
    }

    /// Runs the child and requires exit status 0.
    pub fn run(&self) -> Result<Output> {
        let output = self.output()?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(self.error(&output).into())
        }
    }

    /// Runs the child and returns whatever status it ended with, [`Status::TimedOut`] included
    /// (the caller knows best what to say about it); only Ctrl-C is an error.
    pub fn output(&self) -> Result<Output> {
        interrupt::check()?;
        let tag = Tag::next();
        let mut command = CommandWrap::with_new(&self.program, |command| {
            command
                .args(&self.args)
                .env_clear()
                .envs(child_env(std::env::vars_os()))
                .env(TAG_ENV, tag.value())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            for (name, value) in &self.env {
                match value {
                    Some(value) => command.env(name, value),
                    None => command.env_remove(name),
                };
            }
            if let Some(cwd) = &self.cwd {
                command.current_dir(cwd);
            }
        });
        platform::contain(&mut command);
        let start = Instant::now();
        let mut child = command.spawn().map_err(|source| Error::Spawn {
            program: self.program.to_string_lossy().into_owned(),
            source,
        })?;
        let leader = child.id();
        reap::register_tree(leader);
        let stdout = read_tail(child.stdout().take(), self.stdout_limit);
        let stderr = read_tail(child.stderr().take(), TAIL_BYTES);
        let ended = self.wait(child.as_mut(), start);
        // The tree is gone; whatever left it and still carries the tag goes too. Where the
        // platform cannot look (no /proc), the tree kill is all there is: the command itself is
        // not at fault.
        let entry = tag.entry();
        let _ = sweep(|candidate| candidate == entry.as_slice());
        reap::unregister_tree(leader);
        // Readers end once every holder of the pipes is gone, which the kill above ensures.
        Ok(Output {
            status: ended?,
            stdout: join_tail(stdout),
            stderr: join_tail(stderr),
            elapsed: start.elapsed(),
        })
    }

    fn wait(&self, child: &mut dyn ChildWrapper, start: Instant) -> Result<Status> {
        let mut pause = Duration::from_millis(1);
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break Status::from_exit(status);
            }
            if interrupt::requested() {
                stop(child);
                return Err(Error::Interrupted);
            }
            if let Some(limit) = self.timeout
                && start.elapsed() >= limit
            {
                stop(child);
                break Status::TimedOut(limit);
            }
            thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        };
        // The leader is gone; whatever it left in its tree (process group, job object) goes too.
        let _ = child.start_kill();
        // A child that ended while Ctrl-C was pending may have ended because of it (Windows
        // sends the console's Ctrl-C to every child too): the run was interrupted, not failed.
        if interrupt::requested() {
            return Err(Error::Interrupted);
        }
        Ok(status)
    }

    /// The error for a finished child, with the tails of its output.
    pub fn error(&self, output: &Output) -> ProcessError {
        let (program, args) = self.program_and_args();
        ProcessError {
            program,
            args,
            env: self.own_env(),
            cwd: self.cwd.clone(),
            status: output.status,
            stdout: tail_str(&output.stdout, TAIL_BYTES).to_owned(),
            stderr: tail_str(&output.stderr, TAIL_BYTES).to_owned(),
            fault: self.fault,
            hint: self.hint.clone(),
        }
    }
}

fn stop(child: &mut dyn ChildWrapper) {
    // Kill the whole tree (SIGKILL to the process group, or the job object terminated), then
    // reap the leader so no zombie is left.
    let _ = child.start_kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_shell_escaped_with_own_env_first() {
        let cmd = Cmd::new("/opt/my tools/maturin")
            .args(["develop", "--uv"])
            .env("VIRTUAL_ENV", "/tmp/a b/.venv")
            .arg("it's");
        assert_eq!(
            cmd.display(),
            "VIRTUAL_ENV='/tmp/a b/.venv' '/opt/my tools/maturin' develop --uv \"it's\""
        );
    }

    #[test]
    fn display_shows_only_what_a_command_adds_to_path() {
        let own = std::env::var("PATH").unwrap();
        let separator = platform::PATH_SEPARATOR;
        let cmd = Cmd::new("pytest").env("PATH", format!("/v env/bin{separator}{own}"));
        assert_eq!(
            cmd.display(),
            format!("PATH='/v env/bin'{separator}\"$PATH\" pytest")
        );
        let cmd = Cmd::new("pytest").env("PATH", "/only/here");
        assert_eq!(cmd.display(), "PATH=/only/here pytest");
    }

    #[test]
    fn run_reports_exit_status_and_tails() {
        let error = match Cmd::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 3"])
            .run()
        {
            Err(Error::Process(error)) => error,
            other => panic!("expected a process error, got {other:?}"),
        };
        assert_eq!(error.status, Status::Exited(3));
        assert_eq!(
            error.to_string(),
            "process didn't exit successfully: `sh -c 'echo out; echo err >&2; exit 3'` (exit status: 3)\n--- stdout\nout\n--- stderr\nerr"
        );
    }

    #[test]
    fn the_error_keeps_each_part_apart() {
        let dir = tempfile::tempdir().unwrap();
        let error = match Cmd::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 4"])
            .cwd(dir.path())
            .env("EXTRA", "x y")
            .env_remove("HOME")
            .fault(Fault::Environment)
            .hint("look above")
            .run()
        {
            Err(Error::Process(error)) => *error,
            other => panic!("expected a process error, got {other:?}"),
        };
        assert_eq!(
            error,
            ProcessError {
                program: "sh".into(),
                args: vec!["-c".into(), "echo out; echo err >&2; exit 4".into()],
                env: vec![("EXTRA".into(), "x y".into())],
                cwd: Some(dir.path().to_owned()),
                status: Status::Exited(4),
                stdout: "out\n".into(),
                stderr: "err\n".into(),
                fault: Fault::Environment,
                hint: Some("look above".into()),
            }
        );
        assert_eq!(
            error.command_line(),
            "EXTRA='x y' sh -c 'echo out; echo err >&2; exit 4'"
        );
        assert_eq!(error.output(), "out\n\nerr\n");
    }

    #[test]
    fn child_sees_the_scrubbed_environment() {
        let output = Cmd::new("sh")
            .args(["-c", "echo \"${NO_COLOR}-${VIRTUAL_ENV:-unset}-${EXTRA}\""])
            .env("EXTRA", "x")
            .run()
            .unwrap();
        assert_eq!(output.stdout, "1-unset-x\n");
    }

    #[test]
    fn timeout_kills_the_whole_group() {
        let started = Instant::now();
        // The grandchild `sleep` holds stdout open; without killing the group, reading would
        // wait for it the full 30 seconds.
        let result = Cmd::new("sh")
            .args(["-c", "sleep 30 & sleep 30"])
            .timeout(Duration::from_millis(300))
            .run();
        let error = match result {
            Err(Error::Process(error)) => error,
            other => panic!("expected a timeout, got {other:?}"),
        };
        assert_eq!(error.status, Status::TimedOut(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        match Cmd::new("/nonexistent/tool").run() {
            Err(Error::Spawn { program, .. }) => assert_eq!(program, "/nonexistent/tool"),
            other => panic!("expected a spawn error, got {other:?}"),
        }
    }
}

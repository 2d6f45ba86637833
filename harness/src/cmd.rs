//! The one door for child processes.
//!
//! Every `uv`, `maturin`, `python` and `cargo` call goes through [`Cmd`], so that every child:
//! - gets a clean, explicit environment ([`child_env`]): no secrets, no colours, no user site,
//!   no stray virtualenv, no jobserver of a parent cargo;
//! - runs in its own process group, which is killed whole on timeout, on Ctrl-C, and after the
//!   child exits (a grandchild left behind would otherwise hold our pipes open);
//! - carries a tag in its environment, which its descendants inherit: once the child is done,
//!   any process still carrying the tag is killed too, so that even one that left the group
//!   (`setsid`, a daemon) does not outlive the command ([`sweep`], Linux only);
//! - has its output captured bounded: the last [`TAIL_BYTES`] of each stream, decoded lossily;
//! - fails the same way, with a [`ProcessError`] that reads like cargo's: the shell-escaped
//!   command line, the exit status or signal, and `--- stdout` / `--- stderr` tails.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use process_wrap::std::{ChildWrapper, CommandWrap, ProcessGroup};

use crate::error::{Class, Error, Result};
use crate::interrupt;

/// How much of each stream is kept: enough for a compiler error or a pytest summary, small
/// enough that a child printing gigabytes cannot exhaust memory.
pub const TAIL_BYTES: usize = 64 * 1024;

/// Set for every child. Colour codes and progress bars would end up in captured output and
/// snapshots; backtraces and the user's site-packages would make them machine-dependent.
const FIXED_ENV: &[(&str, &str)] = &[
    ("NO_COLOR", "1"),
    ("CARGO_TERM_COLOR", "never"),
    ("CARGO_TERM_PROGRESS_WHEN", "never"),
    ("RUST_BACKTRACE", "0"),
    ("PYTHONNOUSERSITE", "1"),
    ("PYTHONIOENCODING", "utf-8"),
    ("PYTHONDONTWRITEBYTECODE", "1"),
    // Set iteration order shows in reprs; a fixed seed keeps them from changing between runs.
    ("PYTHONHASHSEED", "0"),
    ("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
    ("UV_NO_PROGRESS", "1"),
    // The interpreter is always chosen explicitly; uv must never download one.
    ("UV_PYTHON_DOWNLOADS", "never"),
];

/// Removed from every child's environment: they would force colour, point Python or cargo at
/// somewhere else than the case's own venv and target folder, or hand a child the jobserver of
/// the cargo that runs the harness's tests.
const REMOVED_ENV: &[&str] = &[
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "PY_COLORS",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONINSPECT",
    "PYTHONBREAKPOINT",
    "PYTHONWARNINGS",
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "UV_SYSTEM_PYTHON",
    "PIP_REQUIRE_VIRTUALENV",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "RUST_LOG",
    // With either set, pytest prints assertion diffs whole instead of truncated; on a failing
    // comparison of large values (the template's thread test compares 80,000 strings) that
    // takes minutes, and the harness keeps only the tail of the output anyway.
    "CI",
    "BUILD_NUMBER",
];

/// Prefixes removed for the same reasons: cargo's per-crate variables leak from `cargo test`
/// and `cargo run`; `PYO3_*` and `MATURIN_*` would redirect the build; `CARGO_GENERATE_*` and
/// `INSTA_*` belong to the harness, not to the code it runs.
const REMOVED_PREFIXES: &[&str] = &[
    "CARGO_PKG_",
    "CARGO_MANIFEST_",
    "CARGO_BIN_",
    "CARGO_CRATE_",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_GENERATE_",
    "PYO3_",
    "MATURIN_",
    "INSTA_",
];

/// Set for every child to a value unique to that command, [`Tag`]; every descendant inherits it.
pub const TAG_ENV: &str = "SCAFFOLD_HARNESS_TAG";

/// The value of [`TAG_ENV`] for one command: this harness's process id, then a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag(String);

impl Tag {
    fn next() -> Tag {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Tag(format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ))
    }

    /// The environment entry, `SCAFFOLD_HARNESS_TAG=<value>`.
    fn entry(&self) -> Vec<u8> {
        format!("{TAG_ENV}={}", self.0).into_bytes()
    }
}

/// Kills every process (other than this one) whose environment holds an entry `matches`
/// accepts, a few rounds in a row so that one forked during a round goes in the next. Returns
/// how many it killed. Reads `/proc`, so it does nothing off Linux (the process group kill
/// still applies there).
pub fn sweep(matches: impl Fn(&[u8]) -> bool) -> usize {
    let mut killed = 0;
    for _ in 0..5 {
        let found = tagged_processes(&matches);
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
    killed
}

/// Kills what is left of every command this harness started (the second Ctrl-C).
pub(crate) fn sweep_all() {
    let prefix = format!("{TAG_ENV}={}-", std::process::id()).into_bytes();
    sweep(|entry| entry.starts_with(&prefix));
}

#[cfg(target_os = "linux")]
fn tagged_processes(matches: &impl Fn(&[u8]) -> bool) -> Vec<libc::pid_t> {
    let own = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own)
        .filter(|pid| {
            // Unreadable (another user's, or gone) or a zombie (empty): not ours to worry about.
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|environ| environ.split(|&byte| byte == 0).any(&matches))
        })
        .filter_map(|pid| libc::pid_t::try_from(pid).ok())
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn tagged_processes(_matches: &impl Fn(&[u8]) -> bool) -> Vec<libc::pid_t> {
    Vec::new()
}

/// True for variables that look like credentials; none of them reaches code under test.
///
/// Deliberately broad: removing a harmless variable (`TOKENIZERS_PARALLELISM`) costs nothing,
/// passing a secret to unreviewed code can cost a lot.
pub fn is_secret(name: &str) -> bool {
    // Anywhere in the name: `PGPASSWORD`, `HF_TOKEN`, `TOKEN_GITHUB`, `SLACK_WEBHOOK_URL`.
    const PARTS: &[&str] = &[
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "CREDENTIAL",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "WEBHOOK",
    ];
    const SUFFIXES: &[&str] = &["_KEY", "_PWD", "_PASS", "_AUTH", "_PAT", "_DSN", "_COOKIE"];
    const PREFIXES: &[&str] = &[
        "AWS_",
        "GITHUB_",
        "GH_",
        "GITLAB_",
        "ACTIONS_",
        "AZURE_",
        "GOOGLE_",
        "GCP_",
        "GCLOUD_",
        "CLOUDSDK_",
        "VAULT_",
        "DOCKER_AUTH",
        "NPM_CONFIG__AUTH",
        "TWINE_",
    ];
    const NAMES: &[&str] = &["SSH_AUTH_SOCK", "GPG_AGENT_INFO", "NETRC", "KUBECONFIG"];
    let upper = name.to_ascii_uppercase();
    PARTS.iter().any(|part| upper.contains(part))
        || SUFFIXES.iter().any(|suffix| upper.ends_with(suffix))
        || PREFIXES.iter().any(|prefix| upper.starts_with(prefix))
        || NAMES.contains(&upper.as_str())
}

fn is_removed(name: &str) -> bool {
    REMOVED_ENV.contains(&name)
        || REMOVED_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
        || is_secret(name)
}

/// The environment every child starts from: the harness's own, scrubbed, plus the fixed
/// settings (no colour, no backtraces, no user site, UTF-8 I/O).
pub fn child_env<I>(parent: I) -> BTreeMap<OsString, OsString>
where
    I: IntoIterator<Item = (OsString, OsString)>,
{
    let mut env: BTreeMap<OsString, OsString> = parent
        .into_iter()
        .filter(|(name, _)| name.to_str().is_some_and(|name| !is_removed(name)))
        .collect();
    for (name, value) in FIXED_ENV {
        env.insert(name.into(), value.into());
    }
    env
}

/// How a child ended, when it did not end well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exited(i32),
    Signalled(i32),
    TimedOut(Duration),
}

impl Status {
    fn from_exit(status: ExitStatus) -> Status {
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

/// A child that did not succeed, with everything needed to see why.
#[derive(Debug, Clone)]
pub struct ProcessError {
    /// Shell-escaped, with the variables the harness set for this command in front.
    pub command: String,
    pub cwd: Option<PathBuf>,
    pub status: Status,
    pub stdout: String,
    pub stderr: String,
    pub class: Class,
    pub hint: Option<String>,
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "process didn't exit successfully: `{}` ({})",
            self.command, self.status
        )?;
        if let Some(cwd) = &self.cwd {
            write!(f, "\n  in {}", cwd.display())?;
        }
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let text = text.trim_end();
            if !text.is_empty() {
                write!(f, "\n--- {name}\n{text}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ProcessError {}

/// What a finished child printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Status,
    pub stdout: String,
    pub stderr: String,
    /// Bytes dropped from the front of stdout because it was longer than the limit.
    pub stdout_dropped: u64,
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
    class: Class,
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
            class: Class::Failure,
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

    /// Kill the child's whole process group after this long.
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
    pub fn class(mut self, class: Class) -> Cmd {
        self.class = class;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Cmd {
        self.hint = Some(hint.into());
        self
    }

    /// The command line as a shell would take it, with this command's own variables in front.
    ///
    /// A `PATH` that ends with the harness's own is shown as `PATH=<its own folders>:"$PATH"`:
    /// the folders the command added are what a reader needs, not the whole search path.
    pub fn display(&self) -> String {
        let own_path = std::env::var("PATH").ok().filter(|path| !path.is_empty());
        let mut words: Vec<String> = self
            .env
            .iter()
            .filter_map(|(name, value)| {
                let value = value.as_ref()?.to_string_lossy();
                let name = name.to_string_lossy();
                let added = own_path
                    .as_deref()
                    .filter(|_| name == "PATH")
                    .and_then(|own| value.strip_suffix(own)?.strip_suffix(':'));
                Some(match added {
                    Some(added) => format!("{name}={}:\"$PATH\"", escape(added)),
                    None => format!("{name}={}", escape(&value)),
                })
            })
            .collect();
        words.push(escape(&self.program.to_string_lossy()).into_owned());
        words.extend(
            self.args
                .iter()
                .map(|arg| escape(&arg.to_string_lossy()).into_owned()),
        );
        words.join(" ")
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
                .env(TAG_ENV, &tag.0)
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
        command.wrap(ProcessGroup::leader());
        let start = Instant::now();
        let mut child = command.spawn().map_err(|source| Error::Spawn {
            program: self.program.to_string_lossy().into_owned(),
            source,
        })?;
        let pgid = child.id();
        interrupt::register_group(pgid);
        let stdout = read_tail(child.stdout().take(), self.stdout_limit);
        let stderr = read_tail(child.stderr().take(), TAIL_BYTES);
        let ended = self.wait(child.as_mut(), start);
        // The group is gone; whatever left it and still carries the tag goes too.
        let entry = tag.entry();
        sweep(|candidate| candidate == entry.as_slice());
        interrupt::unregister_group(pgid);
        // Readers end once every holder of the pipes is gone, which the kill above ensures.
        let (stdout, stdout_dropped) = join_tail(stdout);
        let (stderr, _) = join_tail(stderr);
        Ok(Output {
            status: ended?,
            stdout,
            stderr,
            stdout_dropped,
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
        // The leader is gone; whatever it left in its group goes too.
        let _ = child.signal(libc::SIGKILL);
        Ok(status)
    }

    /// The error for a finished child, with the tails of its output.
    pub fn error(&self, output: &Output) -> ProcessError {
        ProcessError {
            command: self.display(),
            cwd: self.cwd.clone(),
            status: output.status,
            stdout: tail_str(&output.stdout, TAIL_BYTES).to_owned(),
            stderr: tail_str(&output.stderr, TAIL_BYTES).to_owned(),
            class: self.class,
            hint: self.hint.clone(),
        }
    }
}

fn stop(child: &mut dyn ChildWrapper) {
    // SIGKILL to the whole group, then reap the leader so no zombie is left.
    let _ = child.start_kill();
    let _ = child.wait();
}

fn escape(word: &str) -> Cow<'_, str> {
    shell_escape::unix::escape(Cow::Borrowed(word))
}

/// The end of `text`, at most `limit` bytes, cut on a character boundary.
pub fn tail_str(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut start = text.len() - limit;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The last `limit` bytes of a stream; the count of bytes dropped before them.
#[derive(Debug)]
pub struct Tail {
    limit: usize,
    bytes: Vec<u8>,
    dropped: u64,
}

impl Tail {
    pub fn new(limit: usize) -> Tail {
        Tail {
            limit,
            bytes: Vec::new(),
            dropped: 0,
        }
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.bytes.extend_from_slice(chunk);
        // Trim only when twice the limit is reached, so trimming costs O(1) per byte overall.
        if self.bytes.len() > self.limit.saturating_mul(2) {
            self.trim();
        }
    }

    fn trim(&mut self) {
        if self.bytes.len() > self.limit {
            let cut = self.bytes.len() - self.limit;
            self.bytes.drain(..cut);
            self.dropped += cut as u64;
        }
    }

    /// The kept bytes as text (invalid UTF-8 becomes U+FFFD) and how many bytes were dropped.
    pub fn finish(mut self) -> (String, u64) {
        self.trim();
        let mut text = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            text.insert_str(0, &format!("[... {} bytes not kept ...]\n", self.dropped));
        }
        (text, self.dropped)
    }
}

type TailReader = Option<thread::JoinHandle<(String, u64)>>;

fn read_tail(stream: Option<impl Read + Send + 'static>, limit: usize) -> TailReader {
    let mut stream = stream?;
    Some(thread::spawn(move || {
        let mut tail = Tail::new(limit);
        let mut buffer = [0_u8; 16 * 1024];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => tail.push(&buffer[..read]),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        tail.finish()
    }))
}

fn join_tail(reader: TailReader) -> (String, u64) {
    reader
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect()
    }

    #[test]
    fn secrets_are_recognised_by_name() {
        for name in [
            "GITHUB_TOKEN",
            "CARGO_REGISTRY_TOKEN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "MY_SECRET_TOKEN",
            "OPENAI_API_KEY",
            "MY_SECRET",
            "DB_PASSWORD",
            "PGPASSWORD",
            "MYSQL_PWD",
            "HF_TOKEN",
            "TWINE_USERNAME",
            "SENTRY_DSN",
            "SLACK_WEBHOOK_URL",
            "AZURE_CLIENT_SECRET",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "VAULT_ADDR",
            "gh_token",
            "SSH_AUTH_SOCK",
        ] {
            assert!(is_secret(name), "{name} should be scrubbed");
        }
        for name in [
            "PATH",
            "HOME",
            "SSL_CERT_FILE",
            "KEYBOARD",
            "CI",
            "LANG",
            "OLDPWD",
            "PWD",
            "UV_KEYRING_PROVIDER",
            "HTTPS_PROXY",
        ] {
            assert!(!is_secret(name), "{name} should pass");
        }
    }

    #[test]
    fn child_env_scrubs_and_fixes() {
        let env = child_env(env(&[
            ("PATH", "/usr/bin"),
            ("GITHUB_TOKEN", "ghp_x"),
            ("AWS_REGION", "eu"),
            ("CLICOLOR_FORCE", "1"),
            ("VIRTUAL_ENV", "/elsewhere"),
            ("CARGO_PKG_NAME", "scaffold-harness"),
            ("CARGO_MAKEFLAGS", "-j --jobserver-fds=3,4"),
            ("PYO3_PYTHON", "/usr/bin/python3"),
            ("CI", "true"),
            ("NO_COLOR", "0"),
            ("SSL_CERT_FILE", "/etc/ssl/cert.pem"),
        ]));
        let get = |name: &str| env.get(OsStr::new(name)).map(|v| v.to_str().unwrap());
        assert_eq!(get("PATH"), Some("/usr/bin"));
        assert_eq!(get("SSL_CERT_FILE"), Some("/etc/ssl/cert.pem"));
        for gone in [
            "GITHUB_TOKEN",
            "AWS_REGION",
            "CLICOLOR_FORCE",
            "VIRTUAL_ENV",
            "CARGO_PKG_NAME",
            "CARGO_MAKEFLAGS",
            "PYO3_PYTHON",
            "CI",
        ] {
            assert_eq!(get(gone), None, "{gone} should be removed");
        }
        assert_eq!(get("NO_COLOR"), Some("1"));
        assert_eq!(get("PYTHONNOUSERSITE"), Some("1"));
        assert_eq!(get("PYTHONIOENCODING"), Some("utf-8"));
        assert_eq!(get("RUST_BACKTRACE"), Some("0"));
    }

    #[test]
    fn tail_keeps_the_end_and_counts_the_rest() {
        let mut tail = Tail::new(4);
        tail.push(b"0123");
        tail.push(b"4567");
        tail.push(b"89");
        let (text, dropped) = tail.finish();
        assert_eq!(text, "[... 6 bytes not kept ...]\n6789");
        assert_eq!(dropped, 6);
    }

    #[test]
    fn tail_decodes_invalid_utf8_lossily() {
        let mut tail = Tail::new(64);
        tail.push(b"ok \xff\xfe done");
        assert_eq!(tail.finish(), ("ok \u{fffd}\u{fffd} done".to_owned(), 0));
    }

    #[test]
    fn tail_str_cuts_on_char_boundary() {
        assert_eq!(tail_str("héllo", 4), "llo");
        assert_eq!(tail_str("abc", 10), "abc");
    }

    #[test]
    fn display_is_shell_escaped_with_own_env_first() {
        let cmd = Cmd::new("/opt/my tools/maturin")
            .args(["develop", "--uv"])
            .env("VIRTUAL_ENV", "/tmp/a b/.venv")
            .arg("it's");
        assert_eq!(
            cmd.display(),
            "VIRTUAL_ENV='/tmp/a b/.venv' '/opt/my tools/maturin' develop --uv 'it'\\''s'"
        );
    }

    #[test]
    fn display_shows_only_what_a_command_adds_to_path() {
        let own = std::env::var("PATH").unwrap();
        let cmd = Cmd::new("pytest").env("PATH", format!("/v env/bin:{own}"));
        assert_eq!(cmd.display(), "PATH='/v env/bin':\"$PATH\" pytest");
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

    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_that_left_the_group_is_killed_too() {
        let started = Instant::now();
        // `setsid` puts the sleep in a session (and group) of its own; it keeps stdout open, so
        // without the sweep reading it would wait the full 30 seconds.
        let output = Cmd::new("sh")
            .args(["-c", "setsid sleep 30 & echo started"])
            .timeout(Duration::from_secs(20))
            .run()
            .unwrap();
        assert_eq!(output.stdout, "started\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn signal_is_named() {
        let output = Cmd::new("sh")
            .args(["-c", "kill -SEGV $$"])
            .output()
            .unwrap();
        assert_eq!(output.status, Status::Signalled(libc::SIGSEGV));
        assert_eq!(
            output.status.to_string(),
            "signal: 11, SIGSEGV: invalid memory reference"
        );
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        match Cmd::new("/nonexistent/tool").run() {
            Err(Error::Spawn { program, .. }) => assert_eq!(program, "/nonexistent/tool"),
            other => panic!("expected a spawn error, got {other:?}"),
        }
    }
}

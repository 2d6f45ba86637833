//! The one door for child processes.
//!
//! Every `uv`, `maturin`, `python` and `cargo` call goes through [`Cmd`] ([`command`]), so that
//! every child:
//! - gets a clean, explicit environment ([`child_env`], in [`mod@env`]): no secrets, no colours, no
//!   user site, no stray virtualenv, no jobserver of a parent cargo;
//! - runs in a process tree of its own (a process group on Unix, a job object on Windows:
//!   [`crate::platform::contain`]), which is killed whole on timeout, on Ctrl-C, and after the
//!   child exits (a grandchild left behind would otherwise hold our pipes open);
//! - carries a tag in its environment, which its descendants inherit: once the child is done,
//!   any process still carrying the tag is killed too, so that even one that left the group
//!   (`setsid`, a daemon) does not outlive the command ([`sweep`], in [`reap`]; Linux only, as
//!   only Linux's `/proc` shows other processes' environments);
//! - has its output captured bounded: the last [`TAIL_BYTES`] of each stream, decoded lossily
//!   ([`tail`]);
//! - fails the same way, with a [`ProcessError`] ([`crate::base::process_error`]) that keeps the program, its
//!   arguments, folder, status and output tails apart, and reads like cargo's: the
//!   shell-escaped command line, the exit status or signal, and `--- stdout` / `--- stderr`.

pub mod command;
pub mod env;
pub mod reap;
pub mod tail;

pub use crate::base::process_error::{ProcessError, Status, shell_word};
pub use command::{Cmd, Output};
pub use env::{child_env, is_secret, path_with};
pub use reap::{TAG_ENV, Tag, kill_all, sweep};
pub use tail::{TAIL_BYTES, Tail, tail_str};

/// Runs git in `dir` as a fixed author (the machine's git identity may be unset), for tests that
/// build a repository; panics when git fails, and returns what it printed.
#[cfg(test)]
pub fn test_git(dir: &std::path::Path, args: &[&str]) -> String {
    Cmd::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .timeout(std::time::Duration::from_secs(30))
        .run()
        .unwrap()
        .stdout
}

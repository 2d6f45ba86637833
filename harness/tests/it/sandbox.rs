//! A private corner for harness runs that must leave nothing behind, and the means to check that
//! they did not.
//!
//! Each [`Sandbox`] gives its runs their own `TMPDIR` (where the harness makes its work folders,
//! so that what a run left can be counted) and a marker in their environment, which every
//! process they start inherits (so that one that survived the run can be found in `/proc`). The
//! harness cache stays the tests' shared one: the builds are what takes time, and sharing them is
//! what the harness is for.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::{self, Run, harness, render_with};

/// The variable that marks every process a sandbox's runs start.
pub const MARKER_ENV: &str = "SCAFFOLD_FAULT_MARKER";

/// Variables that look like credentials, set for every sandboxed run: the harness must keep
/// each of them from the code under test (`containment.rs` checks from inside a project).
pub const SECRETS: &[(&str, &str)] = &[
    ("MY_SECRET_TOKEN", "tok-do-not-leak"),
    ("AWS_SECRET_ACCESS_KEY", "aws-do-not-leak"),
    ("GITHUB_TOKEN", "ghp-do-not-leak"),
    ("OPENAI_API_KEY", "sk-do-not-leak"),
    ("PGPASSWORD", "pg-do-not-leak"),
];

pub struct Sandbox {
    dir: tempfile::TempDir,
    /// The runs' `TMPDIR`.
    pub tmp: PathBuf,
    /// Unique to this sandbox: `<label>-<test process id>-<n>`.
    pub marker: String,
}

impl Sandbox {
    pub fn new(label: &str) -> Sandbox {
        Sandbox::named(label, label)
    }

    /// A sandbox whose folders are named `folder` (which may hold spaces and any character).
    pub fn named(label: &str, folder: &str) -> Sandbox {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{folder}-"))
            .tempdir()
            .expect("a temp folder");
        let tmp = dir.path().join(format!("{folder} tmp"));
        fs_err::create_dir(&tmp).unwrap();
        let marker = format!(
            "{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Sandbox { dir, tmp, marker }
    }

    /// Where projects go (not the runs' `TMPDIR`).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary as `support::harness` runs it, plus this sandbox's `TMPDIR` and marker, the
    /// credentials above, and `RUST_BACKTRACE=1` (an error must never show one).
    pub fn harness(&self) -> Command {
        let mut command = harness();
        command
            .env("TMPDIR", &self.tmp)
            .env(MARKER_ENV, &self.marker)
            .env("RUST_BACKTRACE", "1")
            .envs(SECRETS.iter().copied());
        command
    }

    /// `pyo3-scaffold check DIR --timeout SECS --json <sandbox>/<name>.json` plus `args`.
    pub fn check(&self, project: &Path, timeout: Duration, args: &[&str]) -> Command {
        let mut command = self.harness();
        command
            .arg("check")
            .arg(project)
            .args(["--timeout", &timeout.as_secs().to_string(), "--json"])
            .arg(self.json_path(project))
            .args(args);
        command
    }

    /// Where [`Sandbox::check`] has the report of `project` written.
    pub fn json_path(&self, project: &Path) -> PathBuf {
        let name = project.file_name().unwrap_or(OsStr::new("project"));
        self.path().join(name).with_extension("report.json")
    }

    /// Renders `style` into `<sandbox>/<name>` with default answers.
    pub fn render(&self, style: &str, name: &str) -> PathBuf {
        let dest = self.path().join(name);
        render_with(self.harness(), style, &dest, &[]);
        dest
    }

    /// Fails the test if a process carrying the marker is still alive, or if the runs left
    /// anything in their `TMPDIR`.
    pub fn assert_clean(&self, what: &str) {
        let alive = survivors(&self.marker);
        assert_eq!(
            alive,
            Vec::<String>::new(),
            "{what}: processes survived the run"
        );
        let left = entries(&self.tmp);
        assert_eq!(left, Vec::<String>::new(), "{what}: left behind in TMPDIR");
    }
}

/// Processes (other than zombies) whose environment holds `MARKER_ENV=marker`, as
/// `pid command line`. A process killed a moment ago may take a few milliseconds to go, so the
/// scan is repeated for up to two seconds while it finds any. Panics when it cannot look (no
/// `/proc`, or one where not even this process's environment can be read): a check that
/// cannot look must fail, not pass.
pub fn survivors(marker: &str) -> Vec<String> {
    let entry = format!("{MARKER_ENV}={marker}").into_bytes();
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let found = marked_processes(Path::new("/proc"), &entry);
        if found.is_empty() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn marked_processes(proc_root: &Path, entry: &[u8]) -> Vec<String> {
    let proc_dir = fs_err::read_dir(proc_root).unwrap_or_else(|error| {
        panic!("cannot look for surviving processes: {error}");
    });
    let own = std::process::id();
    let mut read_own = false;
    let mut found = Vec::new();
    for pid in proc_dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok()) {
        let process = proc_root.join(pid.to_string());
        // Gone since the listing, or not readable by this user: another user's process, or
        // one that made itself unreadable. A process a run started inherits this one's user
        // and is readable, as this process's own entry shows (checked below).
        let Ok(environ) = std::fs::read(process.join("environ")) else {
            continue;
        };
        read_own |= pid == own;
        if !environ.split(|&byte| byte == 0).any(|item| item == entry) {
            continue;
        }
        let stat = std::fs::read_to_string(process.join("stat")).unwrap_or_default();
        let state = stat.rsplit_once(") ").map(|(_, rest)| &rest[..1]);
        if state == Some("Z") {
            continue;
        }
        let cmdline = std::fs::read(process.join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        found.push(format!("{pid} {}", cmdline.trim_end()));
    }
    assert!(
        read_own,
        "cannot look for surviving processes: {} does not show this process's own environment",
        proc_root.display()
    );
    found
}

/// The names in `dir`, sorted. Panics when `dir` cannot be read: a check for leftovers that
/// cannot look must fail, not pass.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs_err::read_dir(dir)
        .and_then(|entries| {
            entries
                .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_else(|error| panic!("cannot look for leftovers: {error}"));
    names.sort();
    names
}

/// What a run printed and how much memory the harness process itself used at its peak
/// (`VmHWM`, read from `/proc` while it runs).
pub struct Measured {
    pub run: Run,
    pub peak_rss_kib: u64,
}

/// Runs `command` to the end, reading the peak resident size of the process it starts.
pub fn run_measured(command: &mut Command) -> Measured {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the harness binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_rss_kib = 0;
    let status = loop {
        // Read before try_wait: once reaped, the file is gone.
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak_rss_kib = peak_rss_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    Measured {
        run: Run {
            code: status.code(),
            stdout: String::from_utf8(stdout).expect("the harness prints UTF-8 only"),
            stderr: String::from_utf8(stderr).expect("the harness prints UTF-8 only"),
        },
        peak_rss_kib,
    }
}

/// A change to a freshly rendered project. In paths and contents, `{pkg}` stands for the
/// package's import name.
pub enum Edit<'a> {
    /// Writes the file, replacing any there.
    Write(&'a str, &'a str),
    /// Adds text at the end of the file.
    Append(&'a str, &'a str),
    /// Replaces the first occurrence of a text, which must be there.
    Replace(&'a str, &'a str, &'a str),
    Remove(&'a str),
    /// Makes the path a symbolic link to an absolute path.
    Symlink(&'a str, PathBuf),
}

/// Applies `edits` to the project at `root`, whose folder name is the project name.
pub fn apply(root: &Path, edits: &[Edit<'_>]) {
    let package = root
        .file_name()
        .and_then(OsStr::to_str)
        .expect("a project folder name")
        .replace('-', "_");
    let expand = |text: &str| text.replace("{pkg}", &package);
    for edit in edits {
        match edit {
            Edit::Write(path, text) => {
                let path = root.join(expand(path));
                fs_err::create_dir_all(path.parent().unwrap()).unwrap();
                fs_err::write(path, expand(text)).unwrap();
            }
            Edit::Append(path, text) => {
                let path = root.join(expand(path));
                let before = fs_err::read_to_string(&path).unwrap();
                fs_err::write(path, before + expand(text).as_str()).unwrap();
            }
            Edit::Replace(path, from, to) => {
                support::edit(&root.join(expand(path)), &expand(from), &expand(to));
            }
            Edit::Remove(path) => fs_err::remove_file(root.join(expand(path))).unwrap(),
            Edit::Symlink(path, target) => {
                scaffold_harness::platform::symlink(target, &root.join(expand(path))).unwrap();
            }
        }
    }
}

#[test]
fn the_checks_for_leftovers_fail_when_they_cannot_look() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let looked = |check: &dyn Fn()| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(check))
            .map_err(|panic| panic.downcast_ref::<String>().cloned().unwrap_or_default())
    };
    let error = looked(&|| drop(entries(&missing))).unwrap_err();
    assert!(error.starts_with("cannot look for leftovers: "), "{error}");
    let error = looked(&|| drop(marked_processes(&missing, b"X=1"))).unwrap_err();
    assert!(
        error.starts_with("cannot look for surviving processes: "),
        "{error}"
    );
    // A /proc that lists no readable process, this one included, is one it cannot look in.
    fs_err::create_dir_all(dir.path().join("proc/1")).unwrap();
    let error = looked(&|| drop(marked_processes(&dir.path().join("proc"), b"X=1"))).unwrap_err();
    assert!(
        error.starts_with("cannot look for surviving processes: "),
        "{error}"
    );
    // Where they can look, they find: this process is marked with what it was started with.
    fs_err::write(dir.path().join("kept"), "").unwrap();
    assert_eq!(
        looked(&|| assert_eq!(entries(dir.path()), ["kept", "proc"])),
        Ok(())
    );
    let own = format!("PATH={}", std::env::var("PATH").unwrap()).into_bytes();
    let found = marked_processes(Path::new("/proc"), &own);
    assert!(
        found
            .iter()
            .any(|process| process.starts_with(&format!("{} ", std::process::id()))),
        "the test process was not found by its own environment: {found:?}"
    );
}

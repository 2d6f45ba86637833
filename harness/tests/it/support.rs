//! Running the binary hermetically, and the fixtures shared between tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use scaffold_harness::cache::Cache;
use scaffold_harness::tools::{Python, Uv};

/// The bound on every harness run of the tests (`--timeout`): a regression must fail them, not
/// hang CI or eat its time.
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// The harness cache for the tests: under the target folder, shared by every test (and by the
/// next `cargo test`, which is then warm).
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("harness-cache")
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("harness/ has a parent")
        .to_owned()
}

/// uv, the way the harness finds it: `$UV`, `PATH`, or the copy it bootstraps into the tests'
/// cache (`python3 -m venv` + `pip install uv`) on a machine that has none.
pub fn uv() -> PathBuf {
    let cache = Cache::open(cache_dir()).expect("the tests' harness cache");
    let python = Python::find("python3").expect("python3 on PATH");
    Uv::find(&cache, &python, true)
        .unwrap_or_else(|error| panic!("no uv could be found or installed: {error}"))
        .path
}

/// The binary with the test cache and no inherited harness settings.
pub fn harness() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyo3-scaffold"));
    command
        .env("SCAFFOLD_HARNESS_CACHE", cache_dir())
        .env_remove("SCAFFOLD_TEMPLATE")
        .env("NO_COLOR", "1");
    command
}

/// `pyo3-scaffold check DIR` with the tests' time limit.
pub fn check(project: &Path) -> Command {
    let mut command = harness();
    command
        .arg("check")
        .arg(project)
        .args(["--timeout", &TIMEOUT.as_secs().to_string()]);
    command
}

/// What a run of the binary printed, decoded.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Everything it printed, for assertion messages.
    pub fn dump(&self) -> String {
        format!(
            "exit code: {:?}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn run(command: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the harness binary starts");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Renders `style` into `dest` with the binary, answering `defines` (`workshop=true`).
pub fn render(style: &str, dest: &Path, defines: &[&str]) {
    render_with(harness(), style, dest, defines);
}

/// Renders `style` into `dest` with `command` (the binary as a test sets it up), answering
/// `defines`; the render must succeed.
pub fn render_with(mut command: Command, style: &str, dest: &Path, defines: &[&str]) {
    command.arg("render").arg(style).arg(dest);
    for define in defines {
        command.args(["--define", define]);
    }
    let result = run(&mut command);
    assert_eq!(result.code, Some(0), "render failed:\n{}", result.dump());
}

/// The 1-based number of the first line of `text` that is exactly `wanted`; it must be there.
pub fn line_number(text: &str, wanted: &str) -> usize {
    text.lines()
        .position(|line| line == wanted)
        .unwrap_or_else(|| panic!("no line {wanted:?} in:\n{text}"))
        + 1
}

/// Replaces the first `from` in the file at `path` with `to`; `from` must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs_err::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs_err::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A render of each style, made once for all tests; tests copy it before editing.
pub struct Renders {
    _dir: tempfile::TempDir,
    pub greet: PathBuf,
    pub text_processor: PathBuf,
}

impl Renders {
    /// Renders each style under its name in `names` (greet's, then text-processor's),
    /// answering `defines`.
    fn new(names: [&str; 2], defines: &[&str]) -> Renders {
        let dir = tempfile::tempdir().expect("a temp folder");
        remove_at_exit(dir.path());
        let greet = dir.path().join(names[0]);
        let text_processor = dir.path().join(names[1]);
        render("greet", &greet, defines);
        render("text-processor", &text_processor, defines);
        Renders {
            _dir: dir,
            greet,
            text_processor,
        }
    }
}

/// The complete version of each style, with default answers.
pub fn rendered() -> &'static Renders {
    static RENDERED: OnceLock<Renders> = OnceLock::new();
    RENDERED.get_or_init(|| Renders::new(["greet", "text-processor"], &[]))
}

/// The exercise version (`workshop=true`) of each style, under the names the book uses
/// (`my-ext`, `my-tp`), so that `check` builds them apart from the complete renders above.
pub fn workshop() -> &'static Renders {
    static WORKSHOP: OnceLock<Renders> = OnceLock::new();
    WORKSHOP.get_or_init(|| Renders::new(["my-ext", "my-tp"], &["workshop=true"]))
}

/// Copies a project folder (sources only) into a new temp folder, under the same name.
pub fn copy_project(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp folder");
    let to = dir.path().join(from.file_name().expect("a folder name"));
    scaffold_harness::tree::copy_sources(from, &to).expect("copy the project");
    (dir, to)
}

/// Removes `dir` when the test process exits. A fixture kept in a `static` is never dropped, so
/// its `TempDir` would otherwise be left in the temp folder by every run of the tests.
pub fn remove_at_exit(dir: &Path) {
    static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static REGISTER: std::sync::Once = std::sync::Once::new();
    extern "C" fn remove_all() {
        if let Ok(dirs) = DIRS.lock() {
            for dir in dirs.iter() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
    if let Ok(mut dirs) = DIRS.lock() {
        dirs.push(dir.to_owned());
    }
    // SAFETY: `remove_all` is an `extern "C"` function with no arguments, as atexit requires.
    REGISTER.call_once(|| unsafe {
        libc::atexit(remove_all);
    });
}

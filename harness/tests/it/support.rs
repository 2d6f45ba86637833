//! Running the binary hermetically, and the fixtures shared between tests.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Index;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use regex::Regex;
use scaffold_harness::base::cache::{Cache, lock};
use scaffold_harness::base::cmd::Cmd;
use scaffold_harness::base::cmd::path_with;
use scaffold_harness::project::Project;
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::python::uv::Uv;
use scaffold_harness::stages::venv;
use scaffold_harness::template::embedded;
use scaffold_harness::template::style::Style;

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

/// The binary with the test cache and no inherited harness settings. `COLUMNS` goes too: clap
/// wraps `--help` at its width (else at 100 columns), and the snapshots hold one width.
pub fn harness() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyo3-scaffold"));
    command
        .env("SCAFFOLD_HARNESS_CACHE", cache_dir())
        .env_remove("SCAFFOLD_TEMPLATE")
        .env_remove("COLUMNS")
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

/// Runs `command` to the end and decodes what it printed.
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

/// What varies between machines and runs in what the binary prints, each replaced by a name in
/// brackets (uv's way), so that a snapshot of it holds on every machine.
pub struct Filters {
    /// Applied in order: the test's own paths first, which may lie inside the defaults' ones.
    rules: Vec<(Regex, String)>,
}

impl Filters {
    /// Only the filters every run needs, applied after a test's own: the tests' cache, the
    /// repository, the version and the template's fingerprint, and durations. A test adds the
    /// folders it made with [`Filters::path`].
    pub fn new() -> Filters {
        Filters { rules: Vec::new() }
    }

    /// Replaces `path` (as the binary prints it) with `name`, e.g. `[SANDBOX]`.
    pub fn path(mut self, path: &Path, name: &str) -> Filters {
        let pattern = regex::escape(&path.display().to_string());
        self.rules
            .push((Regex::new(&pattern).unwrap(), name.to_owned()));
        self
    }

    /// Replaces each match of `pattern` with `replacement` (which may name the pattern's groups:
    /// `$1`).
    pub fn regex(mut self, pattern: &str, replacement: &str) -> Filters {
        self.rules
            .push((Regex::new(pattern).unwrap(), replacement.to_owned()));
        self
    }

    fn apply(&self, text: &str) -> String {
        let defaults = Filters::new()
            // The cache lies inside the repository's target folder: it goes first.
            .path(&cache_dir(), "[CACHE]")
            .path(&repo_root(), "[REPO]")
            // `0.1.0 (template 2d8afceee2f7)`, then the fingerprint wherever it stands alone.
            .regex(&regex::escape(embedded::VERSION), "[VERSION]")
            .regex(&regex::escape(embedded::FINGERPRINT), "[FINGERPRINT]")
            // How long something took: `0.42s`, `12 s`, `3ms`.
            .regex(r"\b\d+(?:\.\d+)?\s?m?s\b", "[TIME]");
        self.rules.iter().chain(&defaults.rules).fold(
            text.to_owned(),
            |text, (pattern, replacement)| {
                pattern
                    .replace_all(&text, replacement.as_str())
                    .into_owned()
            },
        )
    }
}

/// Runs of the binary as a snapshot shows them, uv's format: for each, its command line
/// (`$ pyo3-scaffold ...`), `exit_code: N`, then what it printed under `----- stdout -----` and
/// under `----- stderr -----`, filtered. Asserted with [`transcript_snapshot!`].
pub struct Transcript {
    filters: Filters,
    text: String,
}

impl Transcript {
    pub fn new(filters: Filters) -> Transcript {
        Transcript {
            filters,
            text: String::new(),
        }
    }

    /// Runs `command` to the end, adds what it printed, and returns the run for the assertions
    /// a snapshot cannot make (what it left on disk).
    pub fn run(&mut self, command: &mut Command) -> Run {
        let line = command_line(command);
        let run = run(command);
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let code = run.code.map_or_else(
            || "none (killed by a signal)".to_owned(),
            |code| code.to_string(),
        );
        let shown = format!(
            "$ {line}\nexit_code: {code}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            run.stdout, run.stderr
        );
        self.text.push_str(&self.filters.apply(&shown));
        run
    }

    /// Everything the runs printed, as the snapshot holds it.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// `command` as a user would type it: the binary by its name, every argument quoted as a POSIX
/// shell reads it.
fn command_line(command: &Command) -> String {
    let program = command.get_program();
    let program = if program == env!("CARGO_BIN_EXE_pyo3-scaffold") {
        "pyo3-scaffold".to_owned()
    } else {
        program.to_string_lossy().into_owned()
    };
    let arguments: Vec<String> = command
        .get_args()
        .map(|argument| argument.to_string_lossy().into_owned())
        .collect();
    std::iter::once(program)
        .chain(arguments.iter().map(|argument| {
            // A NUL byte is the one thing a shell cannot quote.
            shlex::try_quote(argument).map_or_else(|_| format!("{argument:?}"), Cow::into_owned)
        }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts a [`Transcript`] against the committed snapshot
/// `tests/it/snapshots/<module>__<name>.snap` (`cli__help.snap` for `"help"` in `cli.rs`), the
/// way `matrix.rs` names its own. A changed output is reviewed with `cargo insta test --review`,
/// never retyped into a test.
macro_rules! transcript_snapshot {
    ($name:expr, $transcript:expr) => {{
        let module = module_path!().rsplit("::").next().unwrap_or_default();
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{module}__{}", $name), $transcript.text());
        });
    }};
}
pub(crate) use transcript_snapshot;

/// Runs `command` and asserts what it printed against the snapshot `<module>__<name>` (see
/// [`transcript_snapshot!`]), with the default [`Filters`] or the ones given; gives back the run.
macro_rules! cli_snapshot {
    ($name:expr, $command:expr) => {
        $crate::support::cli_snapshot!($name, $command, $crate::support::Filters::new())
    };
    ($name:expr, $command:expr, $filters:expr) => {{
        let mut transcript = $crate::support::Transcript::new($filters);
        let run = transcript.run($command);
        $crate::support::transcript_snapshot!($name, transcript);
        run
    }};
}
pub(crate) use cli_snapshot;

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

/// A render of each style of the registry, made once for all tests; tests copy it before
/// editing. `renders["greet"]` is the greet project's folder.
pub struct Renders {
    _dir: tempfile::TempDir,
    by_style: BTreeMap<&'static str, PathBuf>,
}

impl Renders {
    /// Renders each style under the name `name` gives it, answering `defines`.
    fn new(name: fn(&str) -> String, defines: &[&str]) -> Renders {
        let dir = tempfile::tempdir().expect("a temp folder");
        remove_at_exit(dir.path());
        let by_style = Style::names()
            .into_iter()
            .map(|style| {
                let path = dir.path().join(name(style));
                render(style, &path, defines);
                (style, path)
            })
            .collect();
        Renders {
            _dir: dir,
            by_style,
        }
    }
}

impl Index<&str> for Renders {
    type Output = PathBuf;

    fn index(&self, style: &str) -> &PathBuf {
        self.by_style
            .get(style)
            .unwrap_or_else(|| panic!("the registry has no style {style:?}"))
    }
}

/// The complete version of each style, with default answers, named after its style.
pub fn rendered() -> &'static Renders {
    static RENDERED: OnceLock<Renders> = OnceLock::new();
    RENDERED.get_or_init(|| Renders::new(str::to_owned, &[]))
}

/// The names the book gives the workshop projects; a style it does not name is `my-<style>`.
const WORKSHOP_NAMES: &[(&str, &str)] = &[
    ("greet", "my-ext"),
    ("text-processor", "my-tp"),
    ("numeric", "my-kernels"),
];

/// The exercise version (`workshop=true`) of each style, under the name the book uses, so that
/// `check` builds them apart from the complete renders above.
pub fn workshop() -> &'static Renders {
    static WORKSHOP: OnceLock<Renders> = OnceLock::new();
    let name = |style: &str| match WORKSHOP_NAMES.iter().find(|(named, _)| *named == style) {
        Some((_, name)) => (*name).to_owned(),
        None => format!("my-{style}"),
    };
    WORKSHOP.get_or_init(|| Renders::new(name, &["workshop=true"]))
}

/// Copies a project folder (sources only) into a new temp folder, under the same name.
pub fn copy_project(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp folder");
    let to = dir.path().join(from.file_name().expect("a folder name"));
    scaffold_harness::project::tree::copy_sources(from, &to).expect("copy the project");
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

/// Builds `project` into `venv` in place with `maturin develop --uv`: the quick editable rebuild
/// tests make after an edit (the harness itself builds a wheel once and installs it). Holds the
/// cache's build lock around the build, as the harness does, since both share one target folder.
pub fn maturin_develop(
    uv: &Uv,
    project: &Project,
    venv_dir: &Path,
    cache: &Cache,
    tmp_dir: &Path,
    timeout: Duration,
) {
    let _lock = lock(&cache.build_lock()).expect("the build lock");
    let bin = venv::bin(venv_dir);
    Cmd::new(bin.join("maturin"))
        .args(["develop", "--uv"])
        .cwd(&project.root)
        .env("VIRTUAL_ENV", venv_dir)
        .env("CARGO_TARGET_DIR", cache.target_dir())
        // maturin finds uv, and the build scripts find the venv's Python, on PATH.
        .env("PATH", path_with(&[&bin, uv.dir()]))
        // Debug info makes every compile and link slower and nothing here reads it.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("TMPDIR", tmp_dir)
        .timeout(timeout)
        .run()
        .expect("the project builds");
}

/// Runs git in `dir` as a fixed author (the machine's git identity may be unset), failing the
/// test when git fails; returns what it printed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

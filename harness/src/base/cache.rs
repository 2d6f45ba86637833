//! The harness's cache: what survives between runs so that a warm run only tests.
//!
//! ```text
//! <cache>/                          SCAFFOLD_HARNESS_CACHE, or <user cache dir>/pyo3-scaffold
//!   CACHEDIR.TAG
//!   tools/uv/                       uv, when the harness had to bootstrap it
//!   wheels/<case>/                  the case's built wheels, shared by every interpreter
//!   target/                         CARGO_TARGET_DIR shared by every case and interpreter
//!   locks/build.lock                held around every build into target/
//!   <interpreter key>/
//!     shared-venvs/<dependencies>/  the dev dependencies, one venv per set, seen by case venvs
//!     cases/<case>/
//!       case.lock                   held while the case runs: two runs never share a case dir
//!       project/                    the case's build copy (sources, and the built extension)
//!       venv/                       the case's virtualenv
//!       state.json                  fingerprints deciding what can be skipped next time
//! ```

use std::fs::TryLockError;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::interrupt;

/// Environment variable that moves the cache.
pub const CACHE_ENV: &str = "SCAFFOLD_HARNESS_CACHE";

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    /// Opens (and creates) the cache at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<Cache> {
        // Children run in other folders (the case's project, a work folder): a relative
        // `--cache-dir` would name another place for each of them, the bootstrapped uv included.
        let root = std::path::absolute(root.into())?;
        fs_err::create_dir_all(&root)?;
        let tag = root.join("CACHEDIR.TAG");
        if !tag.exists() {
            // Backup tools skip folders tagged like this (https://bford.info/cachedir/).
            fs_err::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n# pyo3-scaffold harness cache: safe to delete.\n",
            )?;
        }
        Ok(Cache { root })
    }

    /// `$SCAFFOLD_HARNESS_CACHE`, else `pyo3-scaffold` in the user's cache folder.
    pub fn default_root() -> PathBuf {
        if let Some(dir) = std::env::var_os(CACHE_ENV).filter(|dir| !dir.is_empty()) {
            return PathBuf::from(dir);
        }
        use etcetera::BaseStrategy;
        match etcetera::choose_base_strategy() {
            Ok(strategy) => strategy.cache_dir().join("pyo3-scaffold"),
            // No home folder at all (a bare container): fall back to the temp folder.
            Err(_) => std::env::temp_dir().join("pyo3-scaffold-cache"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn tools_dir(&self) -> PathBuf {
        self.root.join("tools")
    }

    // Each method below takes the interpreter's key (`tools::Python::key`, e.g.
    // `cpython-3.11-x86_64-1a2b3c4d`), not the interpreter: the cache is a layout of folders, and
    // finding interpreters (`tools`) stores uv in it.
    fn interpreter_dir(&self, interpreter: &str) -> PathBuf {
        self.root.join(interpreter)
    }

    /// The CARGO_TARGET_DIR shared by every case and every interpreter.
    ///
    /// One folder for all interpreters: PyO3's dependencies (syn, quote, libc and the rest)
    /// compile once for all of them, and abi3 and version-specific builds keep artifacts of
    /// their own (their cargo features differ). Only a version-specific build for another
    /// interpreter than the last one recompiles the PyO3 crates themselves; the matrix runs
    /// such builds grouped by interpreter (see [`crate::matrix::run_jobs`]).
    pub fn target_dir(&self) -> PathBuf {
        self.root.join("target")
    }

    /// The venvs of dependencies shared by every case built for the interpreter (see
    /// [`crate::stages::venv::create_layered`]).
    pub fn shared_venvs(&self, interpreter: &str) -> PathBuf {
        self.interpreter_dir(interpreter).join("shared-venvs")
    }

    /// The lock file guarding builds in [`Cache::target_dir`]: one build at a time.
    pub fn build_lock(&self) -> PathBuf {
        self.root.join("locks").join("build.lock")
    }

    /// The folder of the wheels built for a case, shared by every interpreter (see
    /// `wheel::WheelDir`).
    pub fn wheel_dir(&self, case_key: &str) -> PathBuf {
        self.root.join("wheels").join(case_key)
    }

    pub fn case_dir(&self, interpreter: &str, case_key: &str) -> CaseDir {
        CaseDir {
            root: self
                .interpreter_dir(interpreter)
                .join("cases")
                .join(case_key),
        }
    }
}

/// One case's folder in the cache.
#[derive(Debug, Clone)]
pub struct CaseDir {
    root: PathBuf,
}

impl CaseDir {
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn project(&self) -> PathBuf {
        self.root.join("project")
    }
    pub fn venv(&self) -> PathBuf {
        self.root.join("venv")
    }
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("case.lock")
    }

    /// The state left by the last run; a missing or unreadable one means "nothing is known".
    pub fn load_state(&self) -> State {
        fs_err::read_to_string(self.root.join("state.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Written after each step that succeeded, through a rename so that a run killed half-way
    /// never leaves a state that claims more than is true.
    pub fn save_state(&self, state: &State) -> Result<()> {
        let path = self.root.join("state.json");
        let temporary = self.root.join("state.json.tmp");
        let text = serde_json::to_string_pretty(state).map_err(std::io::Error::other)?;
        fs_err::write(&temporary, text)?;
        fs_err::rename(&temporary, &path)?;
        Ok(())
    }
}

/// Fingerprints of what the case folder holds; `None` means "unknown, redo it".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The sources now in `project/`.
    pub sources: Option<String>,
    /// The venv's inputs: interpreter and the project's declared dependencies.
    pub venv: Option<String>,
    /// The sources the extension in the venv was last built from.
    pub developed: Option<String>,
}

/// An exclusive lock on a file, released on drop (and by the OS if the process dies).
#[derive(Debug)]
pub struct FileLock {
    _file: fs_err::File,
}

/// Takes an exclusive lock on `path`, waiting as long as another process holds it, but no
/// longer than Ctrl-C.
pub fn lock(path: &Path) -> Result<FileLock> {
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent)?;
    }
    let file = fs_err::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    let mut pause = Duration::from_millis(5);
    loop {
        match file.file().try_lock() {
            Ok(()) => return Ok(FileLock { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(source)) => {
                return Err(Error::Io(std::io::Error::new(
                    source.kind(),
                    format!("failed to lock {}: {source}", path.display()),
                )));
            }
        }
        interrupt::check()?;
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_root_is_made_absolute() {
        // Unit tests run in the crate's folder; `../target` is the workspace's (git-ignored).
        let relative = Path::new("../target/tmp/cache-open-relative");
        let cache = Cache::open(relative).unwrap();
        assert_eq!(
            cache.root(),
            std::env::current_dir().unwrap().join(relative)
        );
        assert!(cache.root().join("CACHEDIR.TAG").is_file());
    }

    #[test]
    fn lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.lock");
        let first = lock(&path).unwrap();
        let other = fs_err::OpenOptions::new().write(true).open(&path).unwrap();
        assert!(matches!(
            other.file().try_lock(),
            Err(TryLockError::WouldBlock)
        ));
        drop(first);
        assert!(other.file().try_lock().is_ok());
    }

    #[test]
    fn state_round_trips_and_defaults_when_missing() {
        let dir = tempfile::tempdir().unwrap();
        let case = CaseDir {
            root: dir.path().to_owned(),
        };
        assert_eq!(case.load_state(), State::default());
        let state = State {
            sources: Some("abc".into()),
            venv: Some("def".into()),
            developed: None,
        };
        case.save_state(&state).unwrap();
        assert_eq!(case.load_state(), state);
    }

    #[test]
    fn cache_is_tagged() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c")).unwrap();
        let tag = fs_err::read_to_string(cache.root().join("CACHEDIR.TAG")).unwrap();
        assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55\n"));
    }
}

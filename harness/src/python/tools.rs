//! Finding the tools the pipeline needs: a Python interpreter and uv.
//!
//! maturin and pytest are not looked for here: each case installs the versions its project pins
//! into its own venv (see [`crate::stages::venv`]).
//!
//! uv is looked for in `$UV`, then on `PATH`, then in the harness cache. When it is nowhere, the
//! harness bootstraps it into the cache (`python -m venv` + `pip install uv`) unless told not to
//! with `--no-bootstrap`; then the error says how to install it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::base::cache::{Cache, lock};
use crate::base::cmd::Cmd;
use crate::base::error::{Fault, Error, Result};
use crate::base::python_version::{PythonVersion, SUPPORTED};

/// The uv the bootstrap installs: any release new enough for `uv pip install --group`.
const UV_REQUIREMENT: &str = "uv>=0.8,<1";

/// The default interpreter when no `--python` is given.
pub const DEFAULT_PYTHON: &str = "python3";

/// An interpreter the cases build for, as it describes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Python {
    /// What the user asked for (`python3`, `/usr/bin/python3.12`).
    pub requested: String,
    /// `sys.executable`: the real interpreter behind shims such as pyenv's.
    pub executable: PathBuf,
    pub implementation: String,
    pub version: String,
    /// A free-threaded build (`Py_GIL_DISABLED`): no abi3, and no GIL unless something asks.
    pub free_threaded: bool,
    /// Names the interpreter in cache paths and reports, e.g. `cpython-3.11-x86_64-1a2b3c4d`
    /// (`cpython-3.14t-…` for a free-threaded build).
    pub key: String,
}

#[derive(Deserialize)]
struct PythonFacts {
    executable: String,
    implementation: String,
    version: String,
    #[serde(default)]
    free_threaded: bool,
    machine: String,
}

const DESCRIBE_PYTHON: &str = "import json, platform, sys, sysconfig; print(json.dumps({\
    'executable': sys.executable, 'implementation': platform.python_implementation(), \
    'version': platform.python_version(), \
    'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')), \
    'machine': platform.machine()}))";

impl Python {
    /// Runs the interpreter once to learn what it is; a missing one is a clear error.
    pub fn find(requested: &str) -> Result<Python> {
        let program = resolve_program(requested).ok_or_else(|| Error::PythonNotFound {
            requested: requested.to_owned(),
            detail: if requested.contains('/') {
                "no such file".into()
            } else {
                "not on PATH".into()
            },
        })?;
        let output = Cmd::new(&program)
            .args(["-c", DESCRIBE_PYTHON])
            .timeout(Duration::from_secs(60))
            .fault(Fault::Environment)
            .run()
            .map_err(|error| Error::PythonNotFound {
                requested: requested.to_owned(),
                detail: error.to_string(),
            })?;
        let facts: PythonFacts =
            serde_json::from_str(output.stdout.trim()).map_err(|error| Error::PythonNotFound {
                requested: requested.to_owned(),
                detail: format!("it did not describe itself: {error}"),
            })?;
        Ok(Python::from_facts(requested, facts))
    }

    /// An interpreter as it would describe itself (for tests, and for recorded descriptions).
    pub fn described(
        requested: &str,
        executable: &str,
        implementation: &str,
        version: &str,
        free_threaded: bool,
        machine: &str,
    ) -> Python {
        Python::from_facts(
            requested,
            PythonFacts {
                executable: executable.to_owned(),
                implementation: implementation.to_owned(),
                version: version.to_owned(),
                free_threaded,
                machine: machine.to_owned(),
            },
        )
    }

    fn from_facts(requested: &str, facts: PythonFacts) -> Python {
        let minor: String = facts
            .version
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".");
        let build = if facts.free_threaded { "t" } else { "" };
        let digest = Sha256::digest(facts.executable.as_bytes());
        let key = format!(
            "{}-{minor}{build}-{}-{}",
            facts.implementation.to_ascii_lowercase(),
            facts.machine,
            &hex(&digest)[..8]
        );
        Python {
            requested: requested.to_owned(),
            executable: PathBuf::from(facts.executable),
            implementation: facts.implementation,
            version: facts.version,
            free_threaded: facts.free_threaded,
            key,
        }
    }

    /// `3.12`, `3.14t`: the feature release and build, as version tags and the range name them.
    pub fn python_version(&self) -> Option<PythonVersion> {
        PythonVersion::from_release(&self.version, self.free_threaded)
    }

    /// Refuses a CPython outside the supported range, naming it and the range.
    pub fn require_supported(&self) -> Result<()> {
        match self.python_version() {
            Some(version) if self.implementation != "CPython" || SUPPORTED.contains(version) => {
                Ok(())
            }
            version => Err(Error::PythonOutOfRange {
                requested: self.requested.clone(),
                version: version.map_or_else(|| self.version.clone(), |v| v.to_string()),
            }),
        }
    }
}

/// uv, found or installed.
#[derive(Debug, Clone)]
pub struct Uv {
    pub path: PathBuf,
}

impl Uv {
    /// `$UV`, then `PATH`, then a copy bootstrapped into the cache earlier, then (if allowed)
    /// a new bootstrap with `python`.
    pub fn find(cache: &Cache, python: &Python, bootstrap: bool) -> Result<Uv> {
        if let Some(path) = std::env::var_os("UV").filter(|value| !value.is_empty()) {
            return resolve_program(&path.to_string_lossy())
                .map(|path| Uv { path })
                .ok_or(Error::UvNotFound {
                    cached: PathBuf::from(path),
                });
        }
        if let Some(path) = which("uv") {
            return Ok(Uv { path });
        }
        let cached = cache.tools_dir().join("uv").join("bin").join("uv");
        if cached.is_file() {
            return Ok(Uv { path: cached });
        }
        if !bootstrap {
            return Err(Error::UvNotFound { cached });
        }
        Self::bootstrap(cache, python)
    }

    /// Installs uv into `<cache>/tools/uv` with the standard library's venv and pip.
    fn bootstrap(cache: &Cache, python: &Python) -> Result<Uv> {
        let tools = cache.tools_dir();
        fs_err::create_dir_all(&tools)?;
        // Two runs bootstrapping at once would write the same venv.
        let _lock = lock(&tools.join("uv.lock"))?;
        let venv = tools.join("uv");
        let uv = venv.join("bin").join("uv");
        if uv.is_file() {
            return Ok(Uv { path: uv });
        }
        eprintln!(
            "uv not found: installing {UV_REQUIREMENT} into {}",
            venv.display()
        );
        let limit = Duration::from_secs(600);
        let hint =
            "install uv yourself (see https://docs.astral.sh/uv/) and put it on PATH or in $UV";
        Cmd::new(&python.executable)
            .args([OsString::from("-m"), "venv".into(), venv.clone().into()])
            .timeout(limit)
            .fault(Fault::Environment)
            .hint(hint)
            .run()?;
        Cmd::new(venv.join("bin").join("python"))
            .args(["-m", "pip", "install", "--quiet", UV_REQUIREMENT])
            .timeout(limit)
            .fault(Fault::Environment)
            .hint(hint)
            .run()?;
        Ok(Uv { path: uv })
    }

    /// The folder holding uv, to put on a child's PATH (`maturin develop --uv` looks there).
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}

/// A program given as a path, or looked up on PATH.
fn resolve_program(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = PathBuf::from(program);
        return path.is_file().then_some(path);
    }
    which(program)
}

/// The first executable named `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            fs_err::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

/// `PATH` for a child: `first` folders, then the harness's own PATH.
pub fn path_with(first: &[&Path]) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let dirs = first
        .iter()
        .map(|dir| dir.to_path_buf())
        .chain(std::env::split_paths(&rest));
    std::env::join_paths(dirs).unwrap_or(rest)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreter_key_names_implementation_version_and_machine() {
        let python = Python::from_facts(
            "python3",
            PythonFacts {
                executable: "/usr/bin/python3.11".into(),
                implementation: "CPython".into(),
                version: "3.11.7".into(),
                free_threaded: false,
                machine: "x86_64".into(),
            },
        );
        assert!(
            python.key.starts_with("cpython-3.11-x86_64-"),
            "{}",
            python.key
        );
        assert_eq!(python.key.len(), "cpython-3.11-x86_64-".len() + 8);
        assert_eq!(python.executable, PathBuf::from("/usr/bin/python3.11"));
        let free = Python::described(
            "python3.14t",
            "/x/python3.14t",
            "CPython",
            "3.14.0",
            true,
            "x86_64",
        );
        assert!(
            free.key.starts_with("cpython-3.14t-x86_64-"),
            "{}",
            free.key
        );
        assert_eq!(free.python_version(), Some(PythonVersion::new(3, 14, true)));
    }

    #[test]
    fn an_interpreter_outside_the_range_is_refused_naming_both() {
        let old = Python::described(
            "python3.10",
            "/usr/bin/python3.10",
            "CPython",
            "3.10.13",
            false,
            "x86_64",
        );
        let error = old.require_supported().unwrap_err();
        assert_eq!(
            error.to_string(),
            "`python3.10` is CPython 3.10, outside the supported range \
             (CPython 3.11 to 3.15, and the free-threaded 3.14t and 3.15t)"
        );
        let experimental = Python::described(
            "python3.13t",
            "/x/python3.13t",
            "CPython",
            "3.13.0",
            true,
            "x86_64",
        );
        assert!(experimental.require_supported().is_err());
        let ok = Python::described(
            "python3",
            "/usr/bin/python3.13",
            "CPython",
            "3.13.0",
            false,
            "x86_64",
        );
        assert!(ok.require_supported().is_ok());
    }

    #[test]
    fn missing_interpreter_is_a_clear_error() {
        let error = Python::find("/nonexistent/python9").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no Python interpreter found for `/nonexistent/python9`: no such file"
        );
        assert_eq!(error.fault(), Fault::Environment);
        assert!(error.hint().unwrap().contains("--python"));
    }

    #[test]
    fn which_finds_sh() {
        let sh = which("sh").expect("sh on PATH");
        assert!(sh.ends_with("sh"));
        assert_eq!(which("surely-not-a-program-here"), None);
    }
}

//! uv, which makes every venv and installs into it: looked for in `$UV`, then on `PATH`, then
//! in the harness cache. When it is nowhere, the harness bootstraps it into the cache
//! (`python -m venv` + `pip install uv`) unless told not to with `--no-bootstrap`; then the error
//! says how to install it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::base::cache::{Cache, lock};
use crate::base::cmd::Cmd;
use crate::base::error::{Error, Result};
use crate::base::fault::Fault;
use crate::platform;
use crate::python::interpreter::Python;

/// A program of the venv at `venv`: `bin/uv`, or `Scripts\uv.exe` on Windows.
fn program(venv: &Path, name: &str) -> PathBuf {
    platform::venv_bin(venv).join(platform::exe_name(name))
}

/// The uv the bootstrap installs: any release new enough for `uv pip install --group`.
const UV_REQUIREMENT: &str = "uv>=0.8,<1";

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
            // A path is taken as it is; a bare name is looked up on PATH.
            return which::which(&path)
                .map(|path| Uv { path })
                .map_err(|_| Error::UvNotFound {
                    cached: PathBuf::from(path),
                });
        }
        if let Ok(path) = which::which("uv") {
            return Ok(Uv { path });
        }
        let cached = program(&cache.tools_dir().join("uv"), "uv");
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
        let uv = program(&venv, "uv");
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
        Cmd::new(program(&venv, "python"))
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

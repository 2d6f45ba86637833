//! Stage 2: the case's virtualenv, made by uv for the chosen interpreter, with maturin and the
//! project's test dependencies (its `dev` dependency group) installed by uv.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::cmd::Cmd;
use crate::error::{Class, Result};
use crate::project::Project;
use crate::tools::{Python, Uv, hex};

/// Installed when the project's dev group does not name them: the pipeline needs both.
const MATURIN: &str = "maturin>=1.9.4,<2";
const PYTEST: &str = "pytest>=8";

/// Changes whenever [`create`] makes venvs differently, so that older ones are made again.
const RECIPE: &str = "venv recipe 3: one install, offline first, no bytecode compiled";

/// The venv's interpreter.
pub fn python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// The venv's `bin` folder, put first on the PATH of every child that uses the venv.
pub fn bin(venv: &Path) -> PathBuf {
    venv.join("bin")
}

/// What the venv is made from: the interpreter and the project's declared dependencies. A
/// change of either makes a new venv.
pub fn fingerprint(python: &Python, project: &Project) -> Result<String> {
    let pyproject = fs_err::read(project.root.join("pyproject.toml"))?;
    let mut hasher = Sha256::new();
    hasher.update(RECIPE.as_bytes());
    hasher.update([0]);
    hasher.update(python.executable.as_os_str().as_encoded_bytes());
    hasher.update([0]);
    hasher.update(python.version.as_bytes());
    hasher.update([0]);
    hasher.update(&pyproject);
    Ok(hex(&hasher.finalize()))
}

/// True when `venv` still has its interpreter (someone may have deleted parts of the cache).
pub fn is_usable(venv: &Path) -> bool {
    python(venv).is_file()
}

/// Makes `venv` anew and installs what the project's tests need.
pub fn create(
    uv: &Uv,
    python: &Python,
    project: &Project,
    venv: &Path,
    timeout: Duration,
) -> Result<()> {
    if venv.exists() {
        fs_err::remove_dir_all(venv)?;
    }
    let hint = "uv could not make the venv or install the test dependencies: check the network \
                and the dependency group in pyproject.toml";
    Cmd::new(&uv.path)
        .args(["venv", "--quiet", "--no-project", "--python"])
        .arg(&python.executable)
        .arg(venv)
        .cwd(&project.root)
        .timeout(timeout)
        .class(Class::Environment)
        .hint(hint)
        .run()?;
    // One install for everything the pipeline needs, offline first: uv's cache nearly always
    // holds these packages already, and asking the index whether it has newer ones costs more
    // than the whole install (about 0.5 s against 0.1 s). When the cache lacks one, the install
    // goes online. Bytecode is not compiled here (that took 2 s a venv): the children that run
    // Python write it into the venv's own `pycache/` (see [`pycache`]), once, for what they
    // import.
    let install = |offline: bool| {
        let mut install = Cmd::new(&uv.path)
            .args(["pip", "install", "--quiet", "--python"])
            .arg(self::python(venv))
            .cwd(&project.root)
            .env("VIRTUAL_ENV", venv)
            .timeout(timeout)
            .class(Class::Environment)
            .hint(hint)
            .arg(project.dev_requirement("pytest").unwrap_or(PYTEST));
        if offline {
            install = install.arg("--offline");
        }
        if project.dev_group.is_some() {
            install = install.args(["--group", "dev"]);
        }
        if project.dev_requirement("maturin").is_none() {
            install = install.arg(MATURIN);
        }
        install
    };
    if install(true).run().is_err() {
        install(false).run()?;
    }
    Ok(())
}

/// Where Python run in `venv` writes its bytecode (`PYTHONPYCACHEPREFIX`): inside the venv, so
/// that nothing is written next to the project's sources, and kept from one run to the next.
pub fn pycache(venv: &Path) -> PathBuf {
    venv.join("pycache")
}

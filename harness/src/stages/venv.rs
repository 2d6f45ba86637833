//! Stage 2: the case's virtualenv, made by uv for the chosen interpreter, with maturin and the
//! project's test dependencies (its `dev` dependency group) installed by uv.
//!
//! The pipeline's venvs are layered ([`create_layered`]): the dependencies live in one venv per
//! interpreter and dependency set, shared by every case that declares the same ones, with their
//! bytecode compiled once; each case's own venv is bare and sees them through a `.pth` file.
//! Making a case's venv then takes a `uv venv` (0.15 s) instead of an install, and pytest starts
//! from compiled bytecode every time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::base::cache::lock;
use crate::base::cmd::Cmd;
use crate::base::error::{Fault, Result};
use crate::platform;
use crate::project::Project;
use crate::python::interpreter::Python;
use crate::python::uv::Uv;

/// Installed when the project's dev group does not name it: the pipeline needs it. (maturin
/// likewise, in the version the project's build system asks for.)
const PYTEST: &str = "pytest>=8";

/// Changes whenever [`create`] makes venvs differently, so that older ones are made again.
const RECIPE: &str = "venv recipe 4: layered on a shared dependency venv, pytest compiled";

/// The venv's interpreter: `bin/python`, or `Scripts\python.exe` on Windows.
pub fn python(venv: &Path) -> PathBuf {
    bin(venv).join(platform::exe_name("python"))
}

/// The venv's folder of programs (`bin`, or `Scripts` on Windows), put first on the PATH of
/// every child that uses the venv.
pub fn bin(venv: &Path) -> PathBuf {
    platform::venv_bin(venv)
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
    Ok(format!("{:x}", hasher.finalize()))
}

/// True when `venv` still has its interpreter (someone may have deleted parts of the cache).
pub fn is_usable(venv: &Path) -> bool {
    python(venv).is_file()
}

/// Makes `venv` anew with everything the project's tests need installed in it.
pub fn create(
    uv: &Uv,
    python: &Python,
    project: &Project,
    venv: &Path,
    timeout: Duration,
) -> Result<()> {
    bare(uv, python, venv, timeout)?;
    install_dependencies(uv, project, venv, timeout)
}

/// Makes `venv` anew, bare, seeing the dependencies in a venv shared by every case with the
/// same interpreter and dependencies: one of `shared_dir`, made first if it is not there.
pub fn create_layered(
    uv: &Uv,
    python: &Python,
    project: &Project,
    venv: &Path,
    shared_dir: &Path,
    timeout: Duration,
) -> Result<()> {
    let shared = shared_dir.join(dependencies_fingerprint(python, project));
    {
        let _lock = lock(&shared.with_extension("lock"))?;
        if !shared.join(COMPLETE).is_file() {
            create(uv, python, project, &shared, timeout)?;
            fs_err::write(shared.join(COMPLETE), "")?;
        }
    }
    bare(uv, python, venv, timeout)?;
    let site = platform::site_packages(venv)?;
    // Python adds each line of a `.pth` file in site-packages to `sys.path`, after the venv's
    // own site-packages: the project installed here wins over anything of the same name there.
    let shared_site = platform::site_packages(&shared)?;
    fs_err::write(
        site.join("_scaffold_shared_dependencies.pth"),
        format!("{}\n", shared_site.display()),
    )?;
    // maturin is a program, not a module: the builds run it from the venv's bin (a copy where
    // Windows refuses a link).
    let maturin = platform::exe_name("maturin");
    platform::symlink(&bin(&shared).join(&maturin), &bin(venv).join(&maturin))?;
    Ok(())
}

/// Marks a shared venv whose install finished.
const COMPLETE: &str = "scaffold-complete";

/// A venv with nothing installed.
fn bare(uv: &Uv, python: &Python, venv: &Path, timeout: Duration) -> Result<()> {
    if venv.exists() {
        fs_err::remove_dir_all(venv)?;
    }
    Cmd::new(&uv.path)
        .args(["venv", "--quiet", "--no-project", "--python"])
        .arg(&python.executable)
        .arg(venv)
        .timeout(timeout)
        .fault(Fault::Environment)
        .hint(HINT)
        .run()?;
    Ok(())
}

const HINT: &str = "uv could not make the venv or install the test dependencies: check the \
                    network and the dependency group in pyproject.toml";

/// Installs pytest, maturin and the project's dev group into `venv`: pytest first, with its
/// bytecode compiled (the children run with PYTHONDONTWRITEBYTECODE: without it every pytest
/// run would compile pytest again), then the rest, not compiled (mypy alone would take seconds
/// to compile, and no child of the pipeline imports it).
///
/// Offline first: uv's cache nearly always holds these packages already, and asking the index
/// whether it has newer ones costs more than the install itself (about 0.5 s against 0.1 s).
/// When the cache lacks one, the install goes online.
fn install_dependencies(uv: &Uv, project: &Project, venv: &Path, timeout: Duration) -> Result<()> {
    let install = |offline: bool| {
        let mut install = Cmd::new(&uv.path)
            .args(["pip", "install", "--quiet", "--python"])
            .arg(python(venv))
            .cwd(&project.root)
            .env("VIRTUAL_ENV", venv)
            .timeout(timeout)
            .fault(Fault::Environment)
            .hint(HINT);
        if offline {
            install = install.arg("--offline");
        }
        install
    };
    let pytest = |offline: bool| {
        install(offline)
            .arg("--compile-bytecode")
            .arg(project.dev_requirement("pytest").unwrap_or(PYTEST))
    };
    let rest = |offline: bool| {
        let mut rest = install(offline);
        if project.dev_group.is_some() {
            rest = rest.args(["--group", "dev"]);
        }
        rest.arg(project.maturin_requirement())
    };
    for step in [&pytest as &dyn Fn(bool) -> Cmd, &rest] {
        if step(true).run().is_err() {
            step(false).run()?;
        }
    }
    Ok(())
}

/// What a shared dependency venv is made from: the interpreter and the requirements installed.
fn dependencies_fingerprint(python: &Python, project: &Project) -> String {
    let mut hasher = Sha256::new();
    hasher.update(RECIPE.as_bytes());
    for part in [
        python.executable.as_os_str().as_encoded_bytes(),
        python.version.as_bytes(),
        project
            .dev_requirement("pytest")
            .unwrap_or(PYTEST)
            .as_bytes(),
        project.maturin_requirement().as_bytes(),
    ] {
        hasher.update([0]);
        hasher.update(part);
    }
    for requirement in project.dev_group.iter().flatten() {
        hasher.update([0]);
        hasher.update(requirement.as_bytes());
    }
    format!("{:x}", hasher.finalize())[..16].to_owned()
}

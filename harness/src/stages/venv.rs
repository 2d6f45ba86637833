//! Stage 2: the case's virtualenv, made by uv for the chosen interpreter, with maturin, pytest
//! and what the project's tests need (its dependencies, groups, extras and requirement files:
//! [`crate::project::dependencies`]) installed by uv.
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
use crate::project::dependencies::{self, TestDependencies};
use crate::python::interpreter::Python;
use crate::python::uv::Uv;

/// Installed when the project's test dependencies do not name it: the pipeline needs it.
/// (maturin likewise, in the version the project's build system asks for.)
const PYTEST: &str = "pytest>=8";

/// Changes whenever [`create`] makes venvs differently, so that older ones are made again.
const RECIPE: &str =
    "venv recipe 5: layered on a shared dependency venv, pytest compiled, groups resolved";

/// The requirements file written into a venv made by [`create`]: what was installed, for a
/// reader of the cache, and what uv installed it from.
const REQUIREMENTS: &str = "scaffold-requirements.txt";

/// The venv's interpreter: `bin/python`, or `Scripts\python.exe` on Windows.
pub fn python(venv: &Path) -> PathBuf {
    bin(venv).join(platform::exe_name("python"))
}

/// The venv's folder of programs (`bin`, or `Scripts` on Windows), put first on the PATH of
/// every child that uses the venv.
pub fn bin(venv: &Path) -> PathBuf {
    platform::venv_bin(venv)
}

/// What a venv gets installed: lines of a requirements file, as uv reads one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    pub lines: Vec<String>,
}

impl Requirements {
    /// The requirement for `package` (`pytest` -> `pytest==8.3.4`), when one is listed.
    pub fn requirement(&self, package: &str) -> Option<&str> {
        dependencies::requirement(&self.lines, package)
    }

    /// The requirements file uv installs them from.
    pub fn file_text(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// The requirements the tests get: what the project declares, at the versions its `uv.lock`
/// pins when it has one (`uv export --frozen`, which reads the lock and nothing else, in a few
/// milliseconds), as its authors' `uv sync` installs them: a project's tests are written
/// against those, and a newer release of a test plugin can break a suite that passes for
/// them. Then the requirement files' lines, which no lock covers.
pub fn requirements(
    uv: &Uv,
    project: &Project,
    dependencies: &TestDependencies,
    timeout: Duration,
) -> Result<Requirements> {
    let Some(lock) = dependencies
        .lock
        .as_ref()
        .filter(|_| !dependencies.declared.is_empty())
    else {
        return Ok(Requirements {
            lines: dependencies.lines(),
        });
    };
    let mut export = Cmd::new(&uv.path)
        .args(["export", "--frozen", "--format", "requirements-txt"])
        .args([
            "--no-hashes",
            "--no-header",
            "--no-annotate",
            "--no-emit-project",
        ])
        // The build is the harness's, with options a recent maturin knows (a lock may pin one
        // from before them): maturin is installed in the project's declared range instead
        // (`Project::maturin_requirement`), not at the lock's pin.
        .args(["--no-emit-package", "maturin"])
        .arg("--no-default-groups")
        .cwd(&project.root)
        .timeout(timeout)
        .fault(Fault::Failure)
        .hint(format!(
            "uv could not read the project's {}: run `uv lock` in the project, or remove the \
             lock to test with the latest versions",
            lock.file_name().unwrap_or_default().to_string_lossy()
        ));
    for group in &dependencies.groups {
        export = export.arg("--group").arg(group);
    }
    for extra in &dependencies.extras {
        export = export.arg("--extra").arg(extra);
    }
    let exported = export.run()?;
    let mut lines: Vec<String> = exported
        .stdout
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for line in &dependencies.files {
        if !lines.contains(line) {
            lines.push(line.clone());
        }
    }
    Ok(Requirements { lines })
}

/// What the venv is made from: the interpreter, the project's `pyproject.toml` and the
/// requirements found for its tests. A change of any makes a new venv.
pub fn fingerprint(
    python: &Python,
    project: &Project,
    requirements: &Requirements,
) -> Result<String> {
    let pyproject = fs_err::read(project.root.join("pyproject.toml"))?;
    let mut hasher = Sha256::new();
    hasher.update(RECIPE.as_bytes());
    hasher.update([0]);
    hasher.update(python.executable.as_os_str().as_encoded_bytes());
    hasher.update([0]);
    hasher.update(python.version.as_bytes());
    hasher.update([0]);
    hasher.update(&pyproject);
    hasher.update([0]);
    hasher.update(requirements.file_text().as_bytes());
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
    requirements: &Requirements,
    venv: &Path,
    timeout: Duration,
) -> Result<()> {
    bare(uv, python, venv, timeout)?;
    install_dependencies(uv, project, requirements, venv, timeout)
}

/// Makes `venv` anew, bare, seeing the dependencies in a venv shared by every case with the
/// same interpreter and dependencies: one of `shared_dir`, made first if it is not there.
pub fn create_layered(
    uv: &Uv,
    python: &Python,
    project: &Project,
    requirements: &Requirements,
    venv: &Path,
    shared_dir: &Path,
    timeout: Duration,
) -> Result<()> {
    let shared = shared_dir.join(dependencies_fingerprint(python, project, requirements));
    {
        let _lock = lock(&shared.with_extension("lock"))?;
        if !shared.join(COMPLETE).is_file() {
            create(uv, python, project, requirements, &shared, timeout)?;
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
                    network, and the dependencies, groups, extras and requirement files the \
                    project declares (the line `test dependencies:` above names them)";

/// Installs pytest, maturin and the project's test dependencies into `venv`: pytest first,
/// with its bytecode compiled (the children run with PYTHONDONTWRITEBYTECODE: without it every
/// pytest run would compile pytest again), then the rest, not compiled (mypy alone would take
/// seconds to compile, and no child of the pipeline imports it).
///
/// Offline first: uv's cache nearly always holds these packages already, and asking the index
/// whether it has newer ones costs more than the install itself (about 0.5 s against 0.1 s).
/// When the cache lacks one, the install goes online.
fn install_dependencies(
    uv: &Uv,
    project: &Project,
    requirements: &Requirements,
    venv: &Path,
    timeout: Duration,
) -> Result<()> {
    let file = venv.join(REQUIREMENTS);
    fs_err::write(&file, requirements.file_text())?;
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
            .arg(pytest_requirement(requirements))
    };
    let rest = |offline: bool| {
        let mut rest = install(offline);
        if !requirements.lines.is_empty() {
            rest = rest.arg("-r").arg(&file);
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

/// The pytest the tests ask for, else any recent one.
fn pytest_requirement(requirements: &Requirements) -> &str {
    requirements.requirement("pytest").unwrap_or(PYTEST)
}

/// What a shared dependency venv is made from: the interpreter and the requirements installed.
fn dependencies_fingerprint(
    python: &Python,
    project: &Project,
    requirements: &Requirements,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(RECIPE.as_bytes());
    for part in [
        python.executable.as_os_str().as_encoded_bytes(),
        python.version.as_bytes(),
        pytest_requirement(requirements).as_bytes(),
        project.maturin_requirement().as_bytes(),
    ] {
        hasher.update([0]);
        hasher.update(part);
    }
    for line in &requirements.lines {
        hasher.update([0]);
        hasher.update(line.as_bytes());
    }
    format!("{:x}", hasher.finalize())[..16].to_owned()
}

//! Stage 3, one build for every interpreter: `maturin build` into a wheel kept in the cache,
//! then `uv pip install` of that wheel into each interpreter's venv.
//!
//! An abi3 wheel (`cp311-abi3`) serves every CPython with a GIL from its floor on, so a case run
//! for 3.11, 3.12 and 3.13 compiles once and installs three times (a fifth of a second each).
//! A version-specific wheel (`cp312-cp312`, and every free-threaded build: abi3 cannot target
//! those) serves its own interpreter only, so those still build once per interpreter. Which
//! kind a build gives is read from the wheel's tags, the way pip and uv decide what installs.
//!
//! Every build of a case reads its sources from one folder, `source/`, whichever interpreter's
//! case folder they came from. Cargo knows a workspace's own crates by their path inside the
//! workspace, not by where the workspace is, so two copies of one project (a case's copies for
//! two interpreters, or two projects of one name) share their compiled units in the shared
//! target folder, and cargo would look for changes in the files of whichever copy built last.
//! From one folder, refreshed whenever the sources change, every change is seen.
//!
//! ```text
//! <cache>/wheels/<case>/
//!   build.lock           held while a wheel of the case is looked for or built
//!   source/              the sources the wheels are built from; source.fingerprint names them
//!   <sources>/*.whl      the wheels built from one set of sources (older sets are removed)
//! ```

pub mod log;
mod wheel_dir;
pub use wheel_dir::{WheelDir, WheelTags};

use std::path::Path;
use std::time::Duration;

use crate::base::cache::{Cache, lock};
use crate::base::cmd::path_with;
use crate::base::cmd::{Cmd, Output};
use crate::base::error::{Error, Result};
use crate::base::remove_on_drop::RemoveOnDrop;
use crate::python::interpreter::Python;
use crate::python::uv::Uv;

/// One `maturin build`.
#[derive(Debug)]
pub struct Build<'a> {
    /// The maturin to run (the case venv's: the version the project pins).
    pub maturin: &'a Path,
    pub uv: &'a Uv,
    pub project_root: &'a Path,
    /// The interpreter to build for.
    pub python: &'a Python,
    pub out_dir: &'a Path,
    pub target_dir: &'a Path,
    /// The lock file guarding `target_dir`.
    pub target_lock: &'a Path,
    pub tmp_dir: &'a Path,
    pub timeout: Duration,
}

/// Builds the project's wheel into `out_dir`, in the dev profile as `maturin develop` would.
///
/// The wheel is only ever installed by the harness on this machine: no manylinux audit, no
/// compression.
pub fn build(build: &Build<'_>) -> Result<Output> {
    let _lock = lock(build.target_lock)?;
    let maturin_dir = build.maturin.parent().unwrap_or(Path::new("/"));
    Cmd::new(build.maturin)
        .args(["build", "--interpreter"])
        .arg(&build.python.executable)
        .arg("--out")
        .arg(build.out_dir)
        .args(["--auditwheel", "skip", "--compression-method", "stored"])
        .cwd(build.project_root)
        .env("CARGO_TARGET_DIR", build.target_dir)
        .env("PATH", path_with(&[maturin_dir, build.uv.dir()]))
        // Debug info makes every compile and link slower and nothing here reads it.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("TMPDIR", build.tmp_dir)
        .timeout(build.timeout)
        .hint("the project does not build: the compiler's messages are in the stderr above")
        .run()
}

/// Installs `wheel` into `venv`, replacing the project's earlier build; its dependencies are
/// the venv's business (made from the same pyproject.toml).
pub fn install(uv: &Uv, venv: &Path, wheel: &Path, timeout: Duration) -> Result<()> {
    Cmd::new(&uv.path)
        .args([
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--reinstall",
            "--python",
        ])
        .arg(crate::stages::venv::python(venv))
        .arg(wheel)
        .env("VIRTUAL_ENV", venv)
        .timeout(timeout)
        .hint("uv could not install the wheel just built into the case's venv")
        .run()?;
    Ok(())
}

/// Everything [`build_and_install`] needs.
#[derive(Debug)]
pub struct Shared<'a> {
    pub uv: &'a Uv,
    pub cache: &'a Cache,
    /// The case's folder name in the cache; its wheels are shared by every interpreter.
    pub case_key: &'a str,
    /// The fingerprint of the sources the wheel must be built from.
    pub sources: &'a str,
    pub project_root: &'a Path,
    /// The project's package folder when it sits at the project's root (see
    /// [`place_in_source`]).
    pub package_at_root: Option<&'a Path>,
    pub venv: &'a Path,
    pub python: &'a Python,
    /// The interpreter every first build of a case uses, so that an abi3 build always happens
    /// in the same target folder (switching interpreters recompiles PyO3): the run's first
    /// interpreter with a GIL. `None`: the case's own interpreter.
    pub builder: Option<&'a Python>,
    pub tmp_dir: &'a Path,
    pub timeout: Duration,
}

/// Installs into the venv a wheel of the sources that fits its interpreter, building one only
/// when no interpreter has built a fitting one yet. Returns the output of the build, when this
/// call built.
pub fn build_and_install(shared: &Shared<'_>) -> Result<Option<Output>> {
    let version = shared
        .python
        .python_version()
        .ok_or_else(|| Error::PythonOutOfRange {
            requested: shared.python.requested.clone(),
            version: shared.python.version.clone(),
        })?;
    let wheels = WheelDir::new(shared.cache.wheel_dir(shared.case_key));
    let _lock = lock(&wheels.lock_file())?;
    wheels.keep_only(shared.sources)?;
    let mut built = None;
    if wheels.find(shared.sources, version).is_none() {
        let source = wheels.source(shared.project_root, shared.sources)?;
        let shared = &Shared {
            project_root: &source,
            ..*shared
        };
        let builder = shared.builder.unwrap_or(shared.python);
        let builder_version = builder.python_version();
        let builder_has_one =
            builder_version.is_some_and(|v| wheels.find(shared.sources, v).is_some());
        // The builder's build first: it is the one that may serve every interpreter.
        if builder.key != shared.python.key && !builder_has_one {
            built = Some(build_into(shared, &wheels, builder)?);
        }
        if wheels.find(shared.sources, version).is_none() {
            built = Some(build_into(shared, &wheels, shared.python)?);
        }
    }
    let wheel = wheels
        .find(shared.sources, version)
        .ok_or_else(|| Error::NoFittingWheel {
            dir: wheels.for_sources(shared.sources),
            python: version.to_string(),
        })?;
    install(shared.uv, shared.venv, &wheel, shared.timeout)?;
    if let Some(package_dir) = shared.package_at_root {
        place_in_source(shared.venv, package_dir)?;
    }
    Ok(built)
}

/// The file names of extension modules: what a wheel adds to a mixed project's package.
const EXTENSION_SUFFIXES: &[&str] = &[".so", ".pyd"];

/// Copies the extension modules the wheel installed for a package into its source folder, as
/// `maturin develop` builds them there, when that folder sits at the project's root.
///
/// Such a folder stands before the installed package on `sys.path` when pytest runs from the
/// project's root: `python -m pytest` puts the working folder first, and pytest's default
/// import mode puts there the root folder of a `tests/` that is a package, or that holds a
/// `conftest.py`. Without its extension the folder cannot import (`No module named
/// 'pkg.pkg'`), so such projects are tested after `maturin develop`, and so the harness does
/// the same with the wheel it built. Measured on `maturin new --mixed`'s project with its
/// package moved to the root (the layout before `python-source`), one test:
///
/// | pytest run as             | plain `tests/` | `tests/__init__.py` | root `conftest.py` |
/// | ---                       | ---            | ---                 | ---                |
/// | `python -m pytest`        | fails          | fails               | fails              |
/// | `python -P -m pytest`     | passes         | fails               | fails              |
/// | `pytest`                  | passes         | fails               | fails              |
/// | extension in place, any   | passes         | passes              | passes             |
///
/// `-P` (or `PYTHONSAFEPATH`) helps only the first column, and would break tests that import
/// helpers from the working folder the way `python -m pytest` lets them; pytest's `importlib`
/// mode changes how every test module is imported. The copy costs a few milliseconds, leaves
/// the tests and the probe importing the same build, and leaves the project's sources alone:
/// extension modules are build products, left out of the copy's fingerprint
/// ([`crate::project::tree`]).
pub fn place_in_source(venv: &Path, package_dir: &Path) -> Result<()> {
    let Some(name) = package_dir.file_name() else {
        return Ok(());
    };
    let is_extension = |path: &Path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        EXTENSION_SUFFIXES
            .iter()
            .any(|suffix| name.ends_with(suffix))
    };
    // Those of an earlier build first: a build for another ABI names its file otherwise.
    for entry in walkdir::WalkDir::new(package_dir) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && is_extension(entry.path()) {
            fs_err::remove_file(entry.path())?;
        }
    }
    let installed = crate::platform::site_packages(venv)?.join(name);
    for entry in walkdir::WalkDir::new(&installed) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() || !is_extension(entry.path()) {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(&installed)
            .map_err(std::io::Error::other)?;
        let target = package_dir.join(relative);
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::copy(entry.path(), &target)?;
    }
    Ok(())
}

/// Builds for `python` into a fresh folder, then moves the wheel into the sources' folder: a
/// build killed half-way never leaves a half-written wheel where [`WheelDir::find`] looks, and
/// the staging folder goes however the build ends (an error, Ctrl-C).
fn build_into(shared: &Shared<'_>, wheels: &WheelDir, python: &Python) -> Result<Output> {
    let staging = wheels.for_sources(&format!("{}.building", shared.sources));
    if staging.exists() {
        fs_err::remove_dir_all(&staging)?;
    }
    let _remove = RemoveOnDrop(&staging);
    let output = build(&Build {
        maturin: &crate::stages::venv::bin(shared.venv).join("maturin"),
        uv: shared.uv,
        project_root: shared.project_root,
        python,
        out_dir: &staging,
        target_dir: &shared.cache.target_dir(),
        target_lock: &shared.cache.build_lock(),
        tmp_dir: shared.tmp_dir,
        timeout: shared.timeout,
    })?;
    let done = wheels.for_sources(shared.sources);
    fs_err::create_dir_all(&done)?;
    for entry in fs_err::read_dir(&staging)? {
        let entry = entry?;
        fs_err::rename(entry.path(), done.join(entry.file_name()))?;
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_extension_goes_into_the_source_package() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("venv/lib/python3.11/site-packages");
        let write = |path: &Path| {
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, path.display().to_string()).unwrap();
        };
        write(&site.join("pkg/__init__.py"));
        write(&site.join("pkg/pkg.cpython-311-x86_64-linux-gnu.so"));
        write(&site.join("pkg/_native/core.abi3.so"));
        let source = dir.path().join("project/pkg");
        write(&source.join("__init__.py"));
        write(&source.join("stale.abi3.so"));
        place_in_source(&dir.path().join("venv"), &source).unwrap();
        let mut placed: Vec<String> = walkdir::WalkDir::new(&source)
            .into_iter()
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let path = entry
                    .path()
                    .strip_prefix(&source)
                    .unwrap()
                    .display()
                    .to_string();
                let text = fs_err::read_to_string(entry.path()).unwrap();
                format!(
                    "{path} <- {}",
                    text.rsplit("site-packages/").next().unwrap()
                )
            })
            .collect();
        placed.sort();
        assert_eq!(
            placed,
            [
                format!("__init__.py <- {}", source.join("__init__.py").display()),
                "_native/core.abi3.so <- pkg/_native/core.abi3.so".to_owned(),
                "pkg.cpython-311-x86_64-linux-gnu.so <- pkg/pkg.cpython-311-x86_64-linux-gnu.so"
                    .to_owned(),
            ]
        );
    }
}

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
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::base::cache::{Cache, lock};
use crate::base::cmd::path_with;
use crate::base::cmd::{Cmd, Output};
use crate::base::error::{Error, Result};
use crate::base::python_version::PythonVersion;
use crate::project::tree;
use crate::python::interpreter::Python;
use crate::python::uv::Uv;

/// What a wheel's file name says about the interpreters it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelTags {
    /// `cp311`: the oldest CPython (abi3) or the one CPython (version-specific) it serves.
    pub python: String,
    /// `abi3`, `cp312`, `cp314t`.
    pub abi: String,
}

impl WheelTags {
    /// Reads `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.
    pub fn parse(file_name: &str) -> Option<WheelTags> {
        let stem = file_name.strip_suffix(".whl")?;
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() < 5 {
            return None;
        }
        let at = parts.len() - 3;
        Some(WheelTags {
            python: parts[at].to_owned(),
            abi: parts[at + 1].to_owned(),
        })
    }

    /// True when an interpreter of `version` can install the wheel.
    pub fn serves(&self, version: PythonVersion) -> bool {
        let tag = |version: PythonVersion| format!("cp{}{}", version.major, version.minor);
        if self.abi == "abi3" {
            // The stable ABI exists on builds with a GIL only (abi3t, a separate tag, is not
            // what these projects build).
            let Some(floor) = self
                .python
                .strip_prefix("cp3")
                .and_then(|minor| minor.parse::<u8>().ok())
            else {
                return false;
            };
            return !version.free_threaded && version.major == 3 && version.minor >= floor;
        }
        let build = if version.free_threaded { "t" } else { "" };
        self.python == tag(version) && self.abi == format!("{}{build}", tag(version))
    }
}

/// The folder every build of a case reads its sources from.
const SOURCE: &str = "source";

/// A case's wheels in the cache.
#[derive(Debug, Clone)]
pub struct WheelDir {
    root: PathBuf,
}

impl WheelDir {
    /// `<cache>/wheels/<case key>`.
    pub fn new(root: PathBuf) -> WheelDir {
        WheelDir { root }
    }

    pub fn lock_file(&self) -> PathBuf {
        self.root.join("build.lock")
    }

    /// The folder for the wheels of one set of sources.
    pub fn for_sources(&self, sources: &str) -> PathBuf {
        self.root.join(sources)
    }

    /// A wheel built from `sources` that `version` can install.
    pub fn find(&self, sources: &str, version: PythonVersion) -> Option<PathBuf> {
        let entries = fs_err::read_dir(self.for_sources(sources)).ok()?;
        let mut wheels: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                path.file_name()
                    .and_then(|name| WheelTags::parse(&name.to_string_lossy()))
                    .is_some_and(|tags| tags.serves(version))
            })
            .collect();
        wheels.sort();
        wheels.pop()
    }

    /// Removes the wheels of every other set of sources: a case keeps the wheels of its
    /// latest sources only.
    pub fn keep_only(&self, sources: &str) -> Result<()> {
        let Ok(entries) = fs_err::read_dir(&self.root) else {
            return Ok(());
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() && entry.file_name() != sources && entry.file_name() != SOURCE {
                fs_err::remove_dir_all(&path)?;
            }
        }
        Ok(())
    }

    /// The case's build folder holding the sources `fingerprint` names, copied from
    /// `project_root` when it holds others (or none). A copy gives every file a new time, so
    /// cargo sees each change.
    pub fn source(&self, project_root: &Path, fingerprint: &str) -> Result<PathBuf> {
        let dir = self.root.join(SOURCE);
        let recorded = self.root.join(format!("{SOURCE}.fingerprint"));
        if dir.is_dir() && fs_err::read_to_string(&recorded).ok().as_deref() == Some(fingerprint) {
            return Ok(dir);
        }
        // Forgotten first: a copy cut short must not pass for the sources it was meant to be.
        if recorded.exists() {
            fs_err::remove_file(&recorded)?;
        }
        if dir.exists() {
            fs_err::remove_dir_all(&dir)?;
        }
        tree::copy_sources(project_root, &dir)?;
        fs_err::write(&recorded, fingerprint)?;
        Ok(dir)
    }
}

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

/// Removes a folder when dropped, if it is there.
struct RemoveOnDrop<'a>(&'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = fs_err::remove_dir_all(self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PythonVersion {
        PythonVersion::parse(text).unwrap()
    }

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

    #[test]
    fn an_abi3_wheel_serves_every_gil_build_from_its_floor() {
        let tags = WheelTags::parse("greet-0.1.0-cp311-abi3-linux_x86_64.whl").unwrap();
        assert_eq!((tags.python.as_str(), tags.abi.as_str()), ("cp311", "abi3"));
        for served in ["3.11", "3.12", "3.15"] {
            assert!(tags.serves(v(served)), "{served}");
        }
        for refused in ["3.10", "3.14t"] {
            assert!(!tags.serves(v(refused)), "{refused}");
        }
    }

    #[test]
    fn a_version_specific_wheel_serves_its_own_build_only() {
        let gil = WheelTags::parse("my_ext-0.1.0-cp312-cp312-manylinux_2_34_x86_64.whl").unwrap();
        assert_eq!((gil.python.as_str(), gil.abi.as_str()), ("cp312", "cp312"));
        assert!(gil.serves(v("3.12")));
        assert!(!gil.serves(v("3.13")) && !gil.serves(v("3.12t")));
        let free = WheelTags::parse("my_ext-0.1.0-1-cp314-cp314t-linux_x86_64.whl").unwrap();
        assert_eq!(free.abi, "cp314t");
        assert!(free.serves(v("3.14t")) && !free.serves(v("3.14")));
        assert_eq!(WheelTags::parse("not-a-wheel.tar.gz"), None);
        assert_eq!(WheelTags::parse("a-1.whl"), None);
    }

    #[test]
    fn the_wheel_dir_finds_a_fitting_wheel_and_keeps_the_latest_sources_only() {
        let dir = tempfile::tempdir().unwrap();
        let wheels = WheelDir::new(dir.path().join("greet-default"));
        let old = wheels.for_sources("old");
        let new = wheels.for_sources("new");
        fs_err::create_dir_all(&old).unwrap();
        fs_err::create_dir_all(&new).unwrap();
        fs_err::write(old.join("g-0.1.0-cp311-abi3-linux_x86_64.whl"), "").unwrap();
        fs_err::write(new.join("g-0.1.0-cp313-cp313-linux_x86_64.whl"), "").unwrap();
        assert_eq!(
            wheels.find("new", v("3.13")),
            Some(new.join("g-0.1.0-cp313-cp313-linux_x86_64.whl"))
        );
        assert_eq!(wheels.find("new", v("3.12")), None);
        assert!(wheels.find("old", v("3.12")).is_some());
        wheels.keep_only("new").unwrap();
        assert!(!old.exists() && new.exists());
        assert_eq!(wheels.find("missing", v("3.12")), None);
    }

    #[test]
    fn every_build_of_a_case_reads_one_source_folder_refreshed_when_the_sources_change() {
        let dir = tempfile::tempdir().unwrap();
        let wheels = WheelDir::new(dir.path().join("check-my-ext"));
        let (first, second) = (dir.path().join("a/my-ext"), dir.path().join("b/my-ext"));
        for (project, text) in [(&first, "one"), (&second, "two")] {
            fs_err::create_dir_all(project.join("src")).unwrap();
            fs_err::write(project.join("src/lib.rs"), text).unwrap();
        }
        let source = wheels.source(&first, "f1").unwrap();
        assert_eq!(source, dir.path().join("check-my-ext/source"));
        let read = || fs_err::read_to_string(source.join("src/lib.rs")).unwrap();
        assert_eq!(read(), "one");
        // The same sources from another copy: the folder stays as it is.
        fs_err::write(source.join("src/lib.rs"), "kept").unwrap();
        assert_eq!(wheels.source(&second, "f1").unwrap(), source);
        assert_eq!(read(), "kept");
        // Other sources: copied afresh, whichever copy they come from.
        wheels.source(&second, "f2").unwrap();
        assert_eq!(read(), "two");
        wheels.keep_only("f2").unwrap();
        assert_eq!(read(), "two");
    }
}

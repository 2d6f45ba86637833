//! Every CPython in the supported range that this machine has, found the way uv and maturin
//! find interpreters, without anyone typing a path.
//!
//! Three places are searched, in this order, and the first interpreter found for each version
//! (`3.12`, `3.14t`) is the one used:
//!
//! 1. uv's list, `uv python list --only-installed`: the interpreters uv installed (which no
//!    other place holds), then those it found on `PATH`.
//! 2. `PATH`, for `python3.N` and `python3.Nt` as maturin's `--find-interpreter` looks for them,
//!    and `python3`.
//! 3. pyenv's versions, `$PYENV_ROOT/versions/*/bin/python3` (default `~/.pyenv`). pyenv's
//!    shims on `PATH` run only the versions selected in the shell, so a shim such as
//!    `python3.12` fails when 3.12 is installed but not selected; the versions folder has them
//!    all.
//!
//! Each candidate is run once to learn what it is ([`Python::find`]). A name that says its own
//! version (`python3.9`, pyenv's `3.9.18`) outside the range is passed over without being run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::base::cmd::Cmd;
use crate::base::error::Fault;
use crate::base::python_version::{PythonVersion, SUPPORTED};
use crate::python::interpreter::Python;
use crate::python::uv::Uv;

/// Where a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Uv,
    Path,
    Pyenv,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Uv => "uv",
            Origin::Path => "PATH",
            Origin::Pyenv => "pyenv",
        }
    }
}

/// An executable that may be a Python interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub origin: Origin,
}

/// What the search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// One interpreter per version in the range, oldest first, GIL builds before free-threaded.
    pub pythons: Vec<(Python, Origin)>,
    /// Interpreters that run but are outside the range, with their version: said, not used.
    pub outside: Vec<(PathBuf, PythonVersion)>,
}

/// The places to search; [`Places::from_env`] reads them from this process's environment.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// uv, to ask for its list; `None` skips that step.
    pub uv: Option<PathBuf>,
    pub path_dirs: Vec<PathBuf>,
    pub pyenv_root: Option<PathBuf>,
}

impl Places {
    pub fn from_env(uv: Option<&Uv>) -> Places {
        let path_dirs = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect())
            .unwrap_or_default();
        let pyenv_root = std::env::var_os("PYENV_ROOT")
            .filter(|root| !root.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv")));
        Places {
            uv: uv.map(|uv| uv.path.clone()),
            path_dirs,
            pyenv_root,
        }
    }
}

/// Searches every place and runs each candidate once.
pub fn discover(places: &Places) -> Found {
    let mut candidates = Vec::new();
    if let Some(uv) = &places.uv {
        candidates.extend(uv_candidates(uv));
    }
    candidates.extend(path_candidates(&places.path_dirs));
    if let Some(root) = &places.pyenv_root {
        candidates.extend(pyenv_candidates(root));
    }
    choose(candidates, |candidate| {
        Python::find(&candidate.path.to_string_lossy()).ok()
    })
}

/// Runs `describe` on each candidate not seen before (by the interpreter behind it) and keeps
/// the first for each version.
pub fn choose(
    candidates: Vec<Candidate>,
    mut describe: impl FnMut(&Candidate) -> Option<Python>,
) -> Found {
    let mut seen_paths = Vec::new();
    let mut seen_executables = Vec::new();
    let mut chosen: BTreeMap<PythonVersion, (Python, Origin)> = BTreeMap::new();
    let mut outside = Vec::new();
    for candidate in candidates {
        if seen_paths.contains(&candidate.path) {
            continue;
        }
        seen_paths.push(candidate.path.clone());
        let Some(python) = describe(&candidate) else {
            continue;
        };
        if python.implementation != "CPython" || seen_executables.contains(&python.executable) {
            continue;
        }
        seen_executables.push(python.executable.clone());
        let Some(version) = python.python_version() else {
            continue;
        };
        if !SUPPORTED.contains(version) {
            outside.push((python.executable.clone(), version));
            continue;
        }
        chosen.entry(version).or_insert((python, candidate.origin));
    }
    // GIL builds first, then free-threaded ones, each oldest first: the CI's order.
    let mut pythons: Vec<(PythonVersion, (Python, Origin))> = chosen.into_iter().collect();
    pythons.sort_by_key(|(version, _)| (version.free_threaded, *version));
    Found {
        pythons: pythons.into_iter().map(|(_, found)| found).collect(),
        outside,
    }
}

#[derive(Deserialize)]
struct UvListed {
    path: Option<String>,
    version: String,
    #[serde(default)]
    variant: String,
    implementation: String,
}

/// The interpreters in uv's list; nothing when uv cannot say (its warnings about pyenv shims
/// it could not run go to stderr and are not ours to repeat).
fn uv_candidates(uv: &Path) -> Vec<Candidate> {
    let output = Cmd::new(uv)
        .args([
            "python",
            "list",
            "--only-installed",
            "--output-format",
            "json",
        ])
        .env("UV_PYTHON_DOWNLOADS", "never")
        .timeout(Duration::from_secs(60))
        .fault(Fault::Environment)
        .run();
    output
        .ok()
        .map(|output| parse_uv_list(&output.stdout))
        .unwrap_or_default()
}

/// The candidates in `uv python list --output-format json`, CPython in the range only.
pub fn parse_uv_list(json: &str) -> Vec<Candidate> {
    let listed: Vec<UvListed> = serde_json::from_str(json).unwrap_or_default();
    listed
        .into_iter()
        .filter(|entry| entry.implementation.eq_ignore_ascii_case("cpython"))
        .filter(|entry| {
            let free_threaded = entry.variant == "freethreaded";
            PythonVersion::from_release(&entry.version, free_threaded)
                .is_some_and(|version| SUPPORTED.contains(version))
        })
        .filter_map(|entry| entry.path)
        .map(|path| Candidate {
            path: PathBuf::from(path),
            origin: Origin::Uv,
        })
        .collect()
}

/// The interpreter names looked for in each `PATH` folder: `python3.N` and `python3.Nt` for
/// every version from the oldest supported to a few past the newest known, then `python3`.
fn path_names() -> Vec<String> {
    let (major, oldest) = SUPPORTED.oldest;
    let newest = SUPPORTED.newest.1 + 3;
    let mut names: Vec<String> = (oldest..=newest)
        .map(|minor| format!("python{major}.{minor}"))
        .collect();
    names.extend(
        (SUPPORTED.oldest_free_threaded.1..=newest).map(|minor| format!("python{major}.{minor}t")),
    );
    names.push(format!("python{major}"));
    names
}

/// The executables named after [`path_names`] in `dirs`, folder by folder.
pub fn path_candidates(dirs: &[PathBuf]) -> Vec<Candidate> {
    let names = path_names();
    dirs.iter()
        .flat_map(|dir| {
            // One folder as the search path: `which` adds PATHEXT's `.exe` on Windows.
            names
                .iter()
                .filter_map(move |name| which::which_in(name, Some(dir), dir).ok())
        })
        .map(|path| Candidate {
            path,
            origin: Origin::Path,
        })
        .collect()
}

/// `<root>/versions/<version>/bin/python3` for each installed version whose name is a CPython
/// release in the range (`3.12.1`, `3.14.0t`); other names (`pypy3.10-7.3`, `miniconda3`,
/// virtualenvs) are tried too, as their names do not say.
pub fn pyenv_candidates(root: &Path) -> Vec<Candidate> {
    let Ok(entries) = fs_err::read_dir(root.join("versions")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| pyenv_name_may_be_in_range(name))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| root.join("versions").join(name).join("bin").join("python3"))
        .filter(|path| which::which(path).is_ok())
        .map(|path| Candidate {
            path,
            origin: Origin::Pyenv,
        })
        .collect()
}

/// False only for a name that is a CPython release outside the range (`3.9.18`, `3.13.0t`).
fn pyenv_name_may_be_in_range(name: &str) -> bool {
    if !name.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let free_threaded = name.ends_with('t');
    match PythonVersion::from_release(name.trim_end_matches('t'), free_threaded) {
        Some(version) => SUPPORTED.contains(version),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(executable: &str, version: &str, free_threaded: bool) -> Python {
        Python::described(
            executable,
            executable,
            "CPython",
            version,
            free_threaded,
            "x86_64",
        )
    }

    fn candidate(path: &str, origin: Origin) -> Candidate {
        Candidate {
            path: PathBuf::from(path),
            origin,
        }
    }

    /// Trimmed from what uv 0.13 printed on a machine with pyenv and a system Python.
    const UV_LIST: &str = r#"[
      {"key": "cpython-3.11.7-linux-x86_64-gnu", "version": "3.11.7",
       "path": "/root/.pyenv/shims/python3.11", "variant": "default", "implementation": "cpython"},
      {"key": "cpython-3.14.0+freethreaded-linux-x86_64-gnu", "version": "3.14.0",
       "path": "/uv/python/cpython-3.14.0+freethreaded/bin/python3.14t", "variant": "freethreaded",
       "implementation": "cpython"},
      {"key": "cpython-3.10.13-linux-x86_64-gnu", "version": "3.10.13",
       "path": "/usr/bin/python3.10", "variant": "default", "implementation": "cpython"},
      {"key": "pypy-3.11.0-linux-x86_64-gnu", "version": "3.11.0",
       "path": "/usr/bin/pypy3", "variant": "default", "implementation": "pypy"},
      {"key": "cpython-3.15.0-linux-x86_64-gnu", "version": "3.15.0", "path": null,
       "variant": "default", "implementation": "cpython"}
    ]"#;

    #[test]
    fn uv_list_gives_cpython_in_the_range_with_a_path() {
        let paths: Vec<PathBuf> = parse_uv_list(UV_LIST).into_iter().map(|c| c.path).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/root/.pyenv/shims/python3.11"),
                PathBuf::from("/uv/python/cpython-3.14.0+freethreaded/bin/python3.14t"),
            ]
        );
        assert_eq!(parse_uv_list("not json"), []);
    }

    fn touch_executable(path: &Path) {
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(path, "#!/bin/sh\n").unwrap();
        crate::platform::set_executable(path).unwrap();
    }

    #[test]
    fn path_folders_give_versioned_names_in_the_range_then_python3() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        for name in [
            "python3.9",
            "python3.12",
            "python3.14t",
            "python3",
            "python3.12-config",
        ] {
            touch_executable(&bin.join(name));
        }
        fs_err::write(bin.join("python3.13"), "not executable").unwrap();
        let found: Vec<String> = path_candidates(&[bin.clone(), dir.path().join("missing")])
            .into_iter()
            .map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, ["python3.12", "python3.14t", "python3"]);
    }

    #[test]
    fn pyenv_versions_outside_the_range_are_passed_over_unrun() {
        let root = tempfile::tempdir().unwrap();
        for version in [
            "3.9.18", "3.10.13", "3.11.7", "3.13.0", "3.13.0t", "3.14.0t", "pypy3.10",
        ] {
            touch_executable(
                &root
                    .path()
                    .join("versions")
                    .join(version)
                    .join("bin/python3"),
            );
        }
        fs_err::create_dir_all(root.path().join("versions/3.12.1/bin")).unwrap();
        let found: Vec<String> = pyenv_candidates(root.path())
            .into_iter()
            .map(|c| {
                let version_dir = c.path.parent().unwrap().parent().unwrap();
                version_dir
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        // 3.12.1 has no interpreter; 3.13.0t is the experimental free-threaded build.
        assert_eq!(found, ["3.11.7", "3.13.0", "3.14.0t", "pypy3.10"]);
        assert_eq!(pyenv_candidates(&root.path().join("nowhere")), []);
    }

    #[test]
    fn the_first_interpreter_per_version_wins_and_outsiders_are_listed() {
        let candidates = vec![
            candidate("/shims/python3.11", Origin::Uv),
            candidate("/usr/bin/python3.11", Origin::Path),
            candidate("/shims/python3", Origin::Path),
            candidate("/pyenv/3.10.13/bin/python3", Origin::Pyenv),
            candidate("/pyenv/3.13.0/bin/python3", Origin::Pyenv),
            candidate("/pyenv/3.14.0t/bin/python3", Origin::Pyenv),
            candidate("/broken/python3.12", Origin::Path),
            candidate("/shims/python3.11", Origin::Path),
        ];
        let mut runs = Vec::new();
        let found = choose(candidates, |candidate| {
            runs.push(candidate.path.clone());
            match candidate.path.to_str().unwrap() {
                // A shim runs the interpreter it stands for.
                "/shims/python3.11" | "/shims/python3" => {
                    Some(python("/pyenv/3.11.7/bin/python3.11", "3.11.7", false))
                }
                "/usr/bin/python3.11" => Some(python("/usr/bin/python3.11", "3.11.2", false)),
                "/pyenv/3.10.13/bin/python3" => {
                    Some(python("/pyenv/3.10.13/bin/python3", "3.10.13", false))
                }
                "/pyenv/3.13.0/bin/python3" => {
                    Some(python("/pyenv/3.13.0/bin/python3", "3.13.0", false))
                }
                "/pyenv/3.14.0t/bin/python3" => {
                    Some(python("/pyenv/3.14.0t/bin/python3", "3.14.0", true))
                }
                _ => None,
            }
        });
        let chosen: Vec<(String, &str)> = found
            .pythons
            .iter()
            .map(|(python, origin)| (python.executable.display().to_string(), origin.as_str()))
            .collect();
        assert_eq!(
            chosen,
            [
                ("/pyenv/3.11.7/bin/python3.11".to_owned(), "uv"),
                ("/pyenv/3.13.0/bin/python3".to_owned(), "pyenv"),
                ("/pyenv/3.14.0t/bin/python3".to_owned(), "pyenv"),
            ]
        );
        assert_eq!(
            found.outside,
            [(
                PathBuf::from("/pyenv/3.10.13/bin/python3"),
                PythonVersion::new(3, 10, false)
            )]
        );
        // The repeated path ran once.
        assert_eq!(runs.len(), 7);
    }
}

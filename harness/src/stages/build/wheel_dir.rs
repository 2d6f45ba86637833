//! A case's wheels in the cache, and what a wheel's tags say about the interpreters it serves.

use std::path::{Path, PathBuf};

use crate::base::error::Result;
use crate::base::python_version::PythonVersion;
use crate::project::tree;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PythonVersion {
        PythonVersion::parse(text).unwrap()
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

//! One Python interpreter, as it describes itself: what it is, which version, where it lives,
//! and the key that names it in cache paths and reports.
//!
//! maturin and pytest are not looked for here: each case installs the versions its project pins
//! into its own venv (see [`crate::stages::venv`]).

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::base::cmd::Cmd;
use crate::base::error::{Error, Fault, Result};
use crate::base::python_version::{PythonVersion, SUPPORTED};

/// The default interpreter when no `--python` is given: `python3`, or `python` on Windows.
pub const DEFAULT_PYTHON: &str = crate::platform::DEFAULT_PYTHON;

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
        // A path is taken as it is; a bare name is looked up on PATH (with PATHEXT on Windows).
        let program = which::which(requested).map_err(|_| Error::PythonNotFound {
            requested: requested.to_owned(),
            detail: if requested.chars().any(std::path::is_separator) {
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

    /// An interpreter as it would describe itself, without running one: the tests' way to make
    /// an interpreter of any version.
    #[cfg(test)]
    pub(crate) fn described(
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
            &format!("{digest:x}")[..8]
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
}

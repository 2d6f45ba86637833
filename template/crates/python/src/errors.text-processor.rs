//! How the core's errors cross into Python: each variant becomes the exception a caller catches.

use pyo3::PyErr;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyNotADirectoryError};

use {{crate_name}}_core::PluginDirError;

create_exception!(
    {{crate_name}},
    PluginError,
    PyException,
    "Raised when a plugin cannot be loaded: it defines no callable `process`, or it is not a file of the plugin folder. Errors raised by a plugin itself reach the caller with their own type."
);

// errno values, the same on Linux, macOS and Windows; Python picks the `OSError` subclass from
// them and shows `[Errno 2] ...` as it does for its own file errors.
const ENOENT: i32 = 2;
const ENOTDIR: i32 = 20;

/// The core's error, wrapped so that this crate may turn it into a `PyErr`.
///
/// The orphan rule forbids `impl From<PluginDirError> for PyErr` here, as both types come from
/// other crates. Functions return `Result<T, Error>`: `?` converts a `PluginDirError` into
/// `Error`, and PyO3 converts `Error` into the Python exception below.
pub struct Error(PluginDirError);

impl From<PluginDirError> for Error {
    fn from(error: PluginDirError) -> Self {
        Self(error)
    }
}

impl From<Error> for PyErr {
    fn from(Error(error): Error) -> Self {
        // No wildcard arm: a new variant in the core must choose its Python exception here.
        match error {
            PluginDirError::NotFound(path) => PyFileNotFoundError::new_err((
                ENOENT,
                "plugin folder not found",
                path.into_os_string(),
            )),
            PluginDirError::NotADirectory(path) => PyNotADirectoryError::new_err((
                ENOTDIR,
                "plugin folder is not a folder",
                path.into_os_string(),
            )),
            PluginDirError::OutsideFolder { .. } | PluginDirError::InvalidName(_) => {
                PluginError::new_err(error.to_string())
            }
            // `From<io::Error>` picks the matching `OSError` subclass (PermissionError, …).
            PluginDirError::Io { source, .. } => PyErr::from(source),
        }
    }
}

//! How the core's errors cross into Python: each variant becomes the exception a caller catches.

use pyo3::PyErr;
use pyo3::exceptions::PyValueError;

use {{crate_name}}_core::KernelError;

/// The core's error, wrapped so that this crate may turn it into a `PyErr`.
///
/// The orphan rule forbids `impl From<KernelError> for PyErr` here, as both types come from
/// other crates. Functions return `Result<T, Error>`: `?` converts a `KernelError` into `Error`,
/// and PyO3 converts `Error` into the Python exception below.
pub struct Error(KernelError);

impl From<KernelError> for Error {
    fn from(error: KernelError) -> Self {
        Self(error)
    }
}

impl From<Error> for PyErr {
    fn from(Error(error): Error) -> Self {
        // No wildcard arm: a new variant in the core must choose its Python exception here.
        // Each of these is a value the kernel cannot work with, which NumPy reports as a
        // ValueError too.
        match error {
            KernelError::Empty
            | KernelError::WindowTooLong { .. }
            | KernelError::OutputLength { .. }
            | KernelError::Ragged { .. } => PyValueError::new_err(error.to_string()),
        }
    }
}

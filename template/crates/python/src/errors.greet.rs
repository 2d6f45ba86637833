//! How the core's errors cross into Python: each variant becomes the exception a caller catches.

use pyo3::PyErr;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;

use {{crate_name}}_core::GreetError;

create_exception!(
    {{crate_name}},
    EmptyTextError,
    PyValueError,
    "Raised when a text that must not be empty is empty. It subclasses ValueError, so `except ValueError` catches it too."
);

/// The core's error, wrapped so that this crate may turn it into a `PyErr`.
///
/// The orphan rule forbids `impl From<GreetError> for PyErr` here, as both types come from other
/// crates. Methods return `Result<T, Error>`: `?` converts a `GreetError` into `Error`, and PyO3
/// converts `Error` into the Python exception below.
pub struct Error(GreetError);

impl From<GreetError> for Error {
    fn from(error: GreetError) -> Self {
        Self(error)
    }
}

impl From<Error> for PyErr {
    fn from(Error(error): Error) -> Self {
        {% if workshop -%}
        todo!("exercise 3: turn {error:?} into an `EmptyTextError`")
        {%- else -%}
        // No wildcard arm: a new variant in the core must choose its Python exception here.
        match error {
            GreetError::EmptyText => EmptyTextError::new_err(error.to_string()),
        }
        {%- endif %}
    }
}

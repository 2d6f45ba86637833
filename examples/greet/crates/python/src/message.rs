//! The Rust class behind `Message`, and a function that panics on purpose.

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use greet_core::Message;
use greet_core::greet;
use greet_core::greet_many;

use crate::errors::Error;

/// The Rust half of `greet.Message`, which wraps it with a Pythonic face.
///
/// `frozen`: Python can never change it, so PyO3 needs no runtime borrow checks and the object
/// may be shared between threads freely.
#[pyclass(module = "greet", frozen)]
pub struct PyMessage {
    inner: Message,
}

#[pymethods]
impl PyMessage {
    /// Creates a message holding `text`; anything but a `str` raises `TypeError`.
    #[new]
    fn new(text: String) -> Self {
        Self {
            inner: Message::new(text),
        }
    }

    /// The text this message holds.
    #[getter]
    fn text(&self) -> &str {
        self.inner.text()
    }

    /// Greets `name`: `greet("eunsang") == "Hello, eunsang !"`.
    ///
    /// Arguments are `PyBackedStr`, not `String`: Rust reads the `str`'s own UTF-8 data instead
    /// of copying it.
    #[staticmethod]
    fn greet(name: PyBackedStr) -> String {
        greet(&name)
    }

    /// Greets every name, with the interpreter released while Rust works.
    ///
    /// Reading `names` into a `Vec` happens first, attached to the interpreter; the greeting
    /// then runs detached, so other Python threads keep running meanwhile.
    #[staticmethod]
    fn greet_many(py: Python<'_>, names: Vec<PyBackedStr>) -> Vec<String> {
        py.detach(|| greet_many(&names))
    }

    /// Returns `text` unchanged (the same object), or raises `EmptyTextError` (a `ValueError`)
    /// when it is empty.
    fn fail_if_empty(&self, text: PyBackedStr) -> Result<PyBackedStr, Error> {
        self.inner.fail_if_empty(&text)?;
        Ok(text)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // Python's own `repr` of the text, so quotes and escapes read as Python writes them.
        let text = self.inner.text().into_pyobject(py)?.repr()?;
        Ok(format!("PyMessage({text})"))
    }
}

/// Panics with `message`, on purpose, to show what a Rust panic looks like from Python.
///
/// PyO3 catches the panic at the boundary and raises `pyo3_runtime.PanicException`, which derives
/// from `BaseException`: `except Exception` does not catch it, but the interpreter survives.
#[pyfunction]
pub fn panic_with(message: String) {
    panic!("{message}");
}

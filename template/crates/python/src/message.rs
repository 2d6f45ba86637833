//! The Rust class behind `Message`, and a function that panics on purpose (a demonstration the
//! tests and the book use, left out of the package's public API).

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use {{crate_name}}_core::Message;
use {{crate_name}}_core::greet;
use {{crate_name}}_core::greet_many;

use crate::errors::Error;

/// The native half of `{{crate_name}}.Message`: use `Message`, which wraps it.
//
// `frozen`: Python can never change it, so PyO3 needs no runtime borrow checks and the object
// may be shared between threads freely. `module`: the module that holds the class, for `repr`,
// `help()` and pickle; the package exports `Message` instead. (rustfmt would split the line
// for a long project name, and keep it whole for a short one: it is left as written.)
#[pyclass(frozen)]
#[rustfmt::skip]
#[pyo3(module = "{{crate_name}}._{{crate_name}}")]
pub struct PyMessage {
    inner: Message,
}

#[pymethods]
impl PyMessage {
    /// Creates a message holding `text`; anything but a `str` raises `TypeError`.
    #[new]
    fn new(text: String) -> Self {
        {% if workshop -%}
        todo!("exercise 2: keep {text:?} in a core `Message`")
        {%- else -%}
        Self {
            inner: Message::new(text),
        }
        {%- endif %}
    }

    /// The text this message holds.
    #[getter]
    fn text(&self) -> &str {
        {% if workshop -%}
        todo!("exercise 2: return the text the core `Message` holds")
        {%- else -%}
        self.inner.text()
        {%- endif %}
    }

    /// Greets `name`: `greet("eunsang") == "Hello, eunsang !"`.
    //
    // Arguments are `PyBackedStr`, not `String`: Rust reads the `str`'s own UTF-8 data instead
    // of copying it.
    #[staticmethod]
    fn greet(name: PyBackedStr) -> String {
        {% if workshop -%}
        todo!("exercise 1: greet {name:?} with the core crate's `greet`")
        {%- else -%}
        greet(&name)
        {%- endif %}
    }

    /// Greets every name, in order. Other Python threads keep running while Rust greets.
    //
    // Reading `names` into a `Vec` happens first, attached to the interpreter; the greeting then
    // runs detached (`py.detach`), which is what lets other threads run meanwhile.
    #[staticmethod]
    fn greet_many(py: Python<'_>, names: Vec<PyBackedStr>) -> Vec<String> {
        {% if workshop -%}
        todo!("exercise 5: greet {} names inside `py.detach`", names.len())
        {%- else -%}
        py.detach(|| greet_many(&names))
        {%- endif %}
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
/// Python sees `pyo3_runtime.PanicException`, which derives from `BaseException`: `except
/// Exception` does not catch it, but the interpreter survives.
#[pyfunction]
pub fn panic_with(message: String) {
    {% if workshop -%}
    todo!("exercise 4: panic with {message:?}")
    {%- else -%}
    panic!("{message}");
    {%- endif %}
}

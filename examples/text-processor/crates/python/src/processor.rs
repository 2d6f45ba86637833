//! The `TextProcessor` class: Rust trims the text, then Python plugins transform it.

use std::path::PathBuf;
use std::sync::{Mutex, TryLockError};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

use text_processor_core::plugin_files;
use text_processor_core::trim_lines_into;

use crate::errors::Error;
use crate::plugins::Plugin;

/// The package whose bundled `plugins/` folder is used when no folder is given.
const PACKAGE: &str = "text_processor";

/// Trims every line of a text in Rust, then passes it through Python plugins.
///
/// `plugin_dir` is a `str` or `os.PathLike`; `None` means the package's bundled `plugins/`
/// folder. Plugins are loaded once, here, and run in the order of their file names.
//
// The text is not copied into a Rust `String`: a `PyBackedStr` reads the Python `str`'s own
// UTF-8 data in place.
//
// Shared between threads without a GIL (free-threaded CPython, where PyO3 declares the module
// safe to run without one): the class is `frozen`, so Python never gets a `&mut` to it; `text`
// and `plugins` never change after `new`; the one field that does, `scratch`, is behind a
// `Mutex`. So the GIL was never what made a processor safe to share, and the compiler checks it:
// a `#[pyclass]` must be `Sync`. Loading plugins touches `sys.modules`, state of the whole
// process, but every load uses a module name of its own (see `plugins.rs`), so processors made
// on several threads at once, or by a plugin's own code, load side by side without a lock.
#[pyclass(module = "text_processor", frozen)]
pub struct TextProcessor {
    text: PyBackedStr,
    plugins: Vec<Plugin>,
    /// The Rust stage's output buffer, kept between calls: a fresh buffer as large as the text
    /// costs more to allocate and fault in than trimming into it does.
    scratch: Mutex<String>,
}

#[pymethods]
impl TextProcessor {
    #[new]
    #[pyo3(signature = (text, plugin_dir = None))]
    fn new(py: Python<'_>, text: PyBackedStr, plugin_dir: Option<PathBuf>) -> PyResult<Self> {
        let plugin_dir = match plugin_dir {
            Some(plugin_dir) => plugin_dir,
            None => bundled_plugin_dir(py)?,
        };
        let files = plugin_files(&plugin_dir).map_err(Error::from)?;
        let plugins = files
            .iter()
            .map(|file| Plugin::load(py, file))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            text,
            plugins,
            scratch: Mutex::default(),
        })
    }

    /// The text as given, before processing.
    #[getter]
    fn text(&self) -> &PyBackedStr {
        &self.text
    }

    /// The names of the loaded plugins, in the order they run.
    #[getter]
    fn plugins(&self) -> Vec<&str> {
        self.plugins.iter().map(Plugin::name).collect()
    }

    /// Trims every line (in Rust, with the interpreter released), then runs each plugin's
    /// `process(text)` on the result, in order.
    ///
    /// Every call starts again from the original text, so a call that raised leaves nothing
    /// behind: the next call works as the first did.
    fn process<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let text: &str = &self.text;
        // A call on another thread using this processor's buffer at this moment gets a fresh one
        // rather than waiting for it. A panic while trimming poisons the lock; the buffer is
        // cleared before every use, so it is taken back as it is.
        let mut fresh = String::new();
        let mut scratch = match self.scratch.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        let buffer = scratch.as_deref_mut().unwrap_or(&mut fresh);
        py.detach(|| trim_lines_into(text, buffer));
        let mut text = PyString::new(py, buffer);
        for plugin in &self.plugins {
            text = plugin.run(py, text)?;
        }
        Ok(text)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // Python's own `repr` of each part, so escapes read as Python writes them.
        let text = (&self.text).into_pyobject(py)?.repr()?;
        let plugins = self.plugins().into_pyobject(py)?.repr()?;
        Ok(format!("TextProcessor(text={text}, plugins={plugins})"))
    }
}

/// The `plugins/` folder next to the package's `__init__.py`.
fn bundled_plugin_dir(py: Python<'_>) -> PyResult<PathBuf> {
    let init_file: PathBuf = py
        .import(PACKAGE)?
        .getattr(intern!(py, "__file__"))?
        .extract()?;
    let package_dir = init_file.parent().unwrap_or(&init_file);
    Ok(package_dir.join("plugins"))
}

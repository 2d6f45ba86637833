//! Python plugins, loaded and run from Rust.
//!
//! Each plugin file is imported on its own, from its path, under a module name no other load in
//! the process uses: nothing is added to `sys.path`, and `sys.modules` holds the plugin only
//! while its code first runs. So a plugin called `json.py` shadows nothing, two processors never
//! share a plugin module, and loads on several threads at once (or a load inside a load) never
//! meet in `sys.modules`: they need no lock.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyString;

use {{crate_name}}_core::PluginFile;

use crate::errors::PluginError;

/// Plugin modules are named `<package>.plugins.<file stem>.load<N>` in `__name__` (and so in
/// `logging`'s logger names and `repr`s): the plugin's file, and which load of the process this
/// is.
const MODULE_PREFIX: &str = "{{crate_name}}.plugins.";

/// Counts plugin loads in the process, so that every load gets a module name of its own.
static LOADS: AtomicU64 = AtomicU64::new(0);

/// A module name for this load of `file` that no other load uses, ending in `.load<N>`: however
/// a file is named, the number after the last `.load` tells two loads apart.
fn module_name(file: &PluginFile) -> String {
    let load = LOADS.fetch_add(1, Ordering::Relaxed);
    format!("{MODULE_PREFIX}{}.load{load}", file.name)
}

/// A loaded plugin: its `process` function, held by Rust as a Python object.
pub struct Plugin {
    name: String,
    path: PathBuf,
    process: Py<PyAny>,
}

impl Plugin {
    /// Imports `file` and takes its `process` function.
    ///
    /// A syntax error raises `SyntaxError` naming the file (Python's own); an error while the
    /// module runs keeps its type and gets a note naming the plugin; a module without a callable
    /// `process` raises `PluginError`.
    pub fn load(py: Python<'_>, file: &PluginFile) -> PyResult<Self> {
        {% if workshop -%}
        todo!(
            "exercise 7: import {} and keep its `process`",
            describe(file)
        )
        {%- else -%}
        let module_name = module_name(file);
        let util = py.import(intern!(py, "importlib.util"))?;
        let spec = util.call_method1(
            intern!(py, "spec_from_file_location"),
            (&module_name, file.path.as_os_str()),
        )?;
        let module = util.call_method1(intern!(py, "module_from_spec"), (&spec,))?;
        // While its code runs, the module sits in `sys.modules` under its name, as in any
        // import: `dataclasses` and `typing` look a module up there. No other load uses the
        // name, so taking the module out again right after touches no one else's entry.
        let modules = py
            .import(intern!(py, "sys"))?
            .getattr(intern!(py, "modules"))?;
        modules.set_item(&module_name, &module)?;
        let executed = spec
            .getattr(intern!(py, "loader"))?
            .call_method1(intern!(py, "exec_module"), (&module,));
        drop(modules.call_method1(intern!(py, "pop"), (&module_name, py.None()))?);
        executed
            .map_err(|error| with_note(py, error, &format!("while loading {}", describe(file))))?;

        let process = module.getattr_opt(intern!(py, "process"))?;
        match process {
            Some(process) if process.is_callable() => Ok(Self {
                name: file.name.clone(),
                path: file.path.clone(),
                process: process.unbind(),
            }),
            _ => Err(PluginError::new_err(format!(
                "{} defines no callable `process(text: str) -> str`",
                describe(file)
            ))),
        }
        {%- endif %}
    }

    /// The plugin's name: its file name without `.py`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs the plugin on `text`.
    ///
    /// The text stays a Python `str` from one plugin to the next: converting it to a Rust
    /// `String` and back around every call would copy it twice per plugin for nothing.
    /// An exception from the plugin reaches the caller with its own type and a note naming the
    /// plugin; a result that is not a `str` raises `TypeError` naming the plugin.
    pub fn run<'py>(
        &self,
        py: Python<'py>,
        text: Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyString>> {
        {% if workshop -%}
        todo!("exercise 8: run plugin {:?} on the text", self.name)
        {%- else -%}
        let result = self.process.bind(py).call1((text,)).map_err(|error| {
            with_note(
                py,
                error,
                &format!("raised by plugin '{}' ({})", self.name, self.path.display()),
            )
        })?;
        let result = match result.cast_into::<PyString>() {
            Ok(text) => return Ok(text),
            Err(error) => error.into_inner(),
        };
        let type_name = result.get_type().name()?;
        Err(PyTypeError::new_err(format!(
            "plugin '{}' returned {type_name}, expected str",
            self.name
        )))
        {%- endif %}
    }
}

fn describe(file: &PluginFile) -> String {
    format!("plugin '{}' ({})", file.name, file.path.display())
}

/// Adds a PEP 678 note to `error` (`BaseException.add_note`) and returns it.
fn with_note(py: Python<'_>, error: PyErr, note: &str) -> PyErr {
    let noted = error
        .value(py)
        .call_method1(intern!(py, "add_note"), (note,));
    // A note is a courtesy: if it cannot be attached, the original error still goes through.
    drop(noted);
    error
}

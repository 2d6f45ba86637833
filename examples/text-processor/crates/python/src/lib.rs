//! The Python module `text_processor._text_processor`: the boundary between the pure-Rust core
//! crate and Python. Everything that knows about Python lives in this crate; the logic it exposes
//! lives in the core crate.

mod errors;
mod plugins;
mod processor;

use pyo3::prelude::*;

/// The native half of the `text_processor` package. Import the package, not this module: it
/// re-exports what users need from here and adds its Python-side API.
#[pymodule]
mod _text_processor {
    #[pymodule_export]
    use super::errors::PluginError;
    #[pymodule_export]
    use super::processor::TextProcessor;

    /// True when this module was built in debug mode (`maturin develop`), false in release mode
    /// (`uv run`, `maturin build --release`): the benchmarks refuse to time a debug build.
    #[pymodule_export]
    const DEBUG_BUILD: bool = cfg!(debug_assertions);
}

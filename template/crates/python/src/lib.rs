//! The Python module `{{crate_name}}._{{crate_name}}`: the boundary between the pure-Rust core
//! crate and Python. Everything that knows about Python lives in this crate; the logic it exposes
//! lives in the core crate.
{%- if workshop %}
#![allow(unused)] // exercise bodies are `todo!()` until written, which leaves imports unused
{%- endif %}

{% if style == "numeric" -%}
mod arrays;
mod diagnostics;
{% endif -%}
mod errors;
{%- if style == "greet" %}
mod message;
{%- elsif style == "text-processor" %}
mod plugins;
mod processor;
{%- elsif style == "numeric" %}
mod kernels;
{%- endif %}

use pyo3::prelude::*;

/// The native half of the `{{crate_name}}` package. Import the package, not this module: it
/// re-exports what users need from here and adds its Python-side API.
{%- if style == "numeric" %}
// `gil_used = false` (PyO3's default, written out here because it is a promise): on a
// free-threaded CPython the module runs without the GIL. It holds no shared mutable state, and
// rust-numpy's borrow checking keeps two calls from writing the same array at once.
{%- endif %}
#[pymodule{% if style == "numeric" %}(gil_used = false){% endif %}]
mod _{{crate_name}} {
    {%- if style == "greet" %}
    #[pymodule_export]
    use super::errors::EmptyTextError;
    #[pymodule_export]
    use super::message::{PyMessage, panic_with};
    {%- elsif style == "text-processor" %}
    #[pymodule_export]
    use super::errors::PluginError;
    #[pymodule_export]
    use super::processor::TextProcessor;
    {%- elsif style == "numeric" %}
    #[pymodule_export]
    use super::diagnostics::{data_address, panic_with};
    #[pymodule_export]
    use super::kernels::{Summary, column_stats, rolling_mean, summarize};
    {%- endif %}

    /// True when this module was built in debug mode (`maturin develop`), false in release mode
    /// (`uv run`, `maturin build --release`): the benchmarks refuse to time a debug build.
    #[pymodule_export]
    const DEBUG_BUILD: bool = cfg!(debug_assertions);
}

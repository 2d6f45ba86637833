//! The Python module `numeric._numeric`: the boundary between the pure-Rust core
//! crate and Python. Everything that knows about Python lives in this crate; the logic it exposes
//! lives in the core crate.

mod arrays;
mod diagnostics;
mod errors;
mod kernels;

use pyo3::prelude::*;

/// The native half of the `numeric` package. Import the package, not this module: it
/// re-exports what users need from here and adds its Python-side API.
// `gil_used = false` (PyO3's default, written out here because it is a promise): on a
// free-threaded CPython the module runs without the GIL. It holds no shared mutable state, and
// rust-numpy's borrow checking keeps two calls from writing the same array at once.
#[pymodule(gil_used = false)]
mod _numeric {
    #[pymodule_export]
    use super::diagnostics::{data_address, panic_with};
    #[pymodule_export]
    use super::kernels::{Summary, column_stats, rolling_mean, summarize};

    /// True when this module was built in debug mode (`maturin develop`), false in release mode
    /// (`uv run`, `maturin build --release`): the benchmarks refuse to time a debug build.
    #[pymodule_export]
    const DEBUG_BUILD: bool = cfg!(debug_assertions);
}

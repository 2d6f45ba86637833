//! Two functions that show what happens underneath: which memory the kernels read, and what a
//! panic in a worker thread becomes in Python. The package does not export them.

use numpy::Ix1;
use pyo3::prelude::*;

use crate::arrays;

/// The address of the first value the kernels read for `values`: the array's own memory when it
/// is read in place, another address when it was copied first (a strided array).
///
/// Compare it with `values.__array_interface__["data"][0]`, or `buffer_info()[0]` of an
/// `array.array`, to see that nothing was copied.
#[pyfunction]
pub fn data_address(values: &Bound<'_, PyAny>) -> PyResult<usize> {
    let values = arrays::read::<Ix1>("values", values)?;
    Ok(values.as_slice()?.as_ptr() as usize)
}

/// Panics with `message` in a worker thread, with the interpreter released, on purpose.
///
/// The panic crosses back to this thread with its message, and PyO3 raises it as
/// `pyo3_runtime.PanicException`, which derives from `BaseException`: `except Exception` does
/// not catch it, but the interpreter survives. Treat a panic as a bug; expected failures raise
/// exceptions.
#[pyfunction]
pub fn panic_with(py: Python<'_>, message: String) {
    py.detach(|| {
        std::thread::scope(|scope| {
            let Err(panic) = scope.spawn(|| panic!("{message}")).join();
            // Carried on here with the worker's own message (the core's kernels do the same).
            std::panic::resume_unwind(panic);
        });
    });
}

//! Python objects read as float64 arrays the kernels can borrow.
//!
//! A NumPy array is borrowed in place. An object with the buffer protocol (`array.array`, a
//! `memoryview`) gets a NumPy view of its own memory, and `bytes` or `bytearray` are read as
//! packed float64 values, again without a copy. A strided or misaligned array is copied once,
//! by NumPy, because the kernels read plain slices. Anything else is refused with the reason
//! and the fix: converting a list would be a hidden copy the caller should see.

use numpy::ndarray::Dimension;
use numpy::prelude::*;
use numpy::{BorrowError, PyArray, PyArray1, PyReadonlyArray, PyReadwriteArray1, PyUntypedArray};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView};

/// The size of one float64, in bytes.
const FLOAT64_BYTES: usize = 8;

/// Reads `values` (called `name` in error messages) as a float64 array of `D`'s number of
/// dimensions, borrowed read-only for as long as the result lives.
///
/// Raises `TypeError` for an object that is no array and has no buffer, and for a dtype other
/// than float64; `ValueError` for the wrong number of dimensions.
pub fn read<'py, D: Dimension>(
    name: &str,
    values: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray<'py, f64, D>> {
    let array = as_ndarray(name, values)?;
    check_dimensions::<D>(name, &array)?;
    let Ok(array) = array.cast::<PyArray<f64, D>>() else {
        return Err(dtype_error(name, &array));
    };
    borrow(name, array.clone())
}

/// Reads `out` as the float64 array a kernel writes its result into, borrowed read-write.
///
/// It must be a 1-D float64 NumPy array, contiguous (writing into a copy would lose the
/// result) and writeable, and it must not share memory with an array the call reads.
pub fn read_out<'py>(out: &Bound<'py, PyAny>) -> PyResult<PyReadwriteArray1<'py, f64>> {
    let Ok(array) = out.cast::<PyUntypedArray>() else {
        return Err(PyTypeError::new_err(format!(
            "out must be a NumPy array of float64, not {}: pass np.empty(n) for n results",
            out.get_type().name()?
        )));
    };
    check_dimensions::<numpy::Ix1>("out", array)?;
    let Ok(array) = array.cast::<PyArray1<f64>>() else {
        return Err(dtype_error("out", array));
    };
    if !(array.is_c_contiguous() && array.is_aligned()) {
        return Err(PyValueError::new_err(
            "out is not contiguous: the result is written into it in place, which a strided \
             view cannot take; pass a contiguous array such as np.empty(n)",
        ));
    }
    array.try_readwrite().map_err(|error| match error {
        BorrowError::NotWriteable => {
            PyValueError::new_err("out is read-only: pass a writeable array such as np.empty(n)")
        }
        // Another borrow of the same memory: the values this call reads, or another call's.
        _ => PyValueError::new_err(
            "out shares memory with the values being read, or another call is using it right \
             now: writing the result would overwrite what is being read; pass an array of its \
             own, such as np.empty(n)",
        ),
    })
}

/// The object as a NumPy array, without copying its memory.
fn as_ndarray<'py>(name: &str, values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyUntypedArray>> {
    if let Ok(array) = values.cast::<PyUntypedArray>() {
        return Ok(array.clone());
    }
    let py = values.py();
    let numpy = py.import(intern!(py, "numpy"))?;
    if values.is_instance_of::<PyBytes>() || values.is_instance_of::<PyByteArray>() {
        // Raw bytes say nothing about what they hold: they are read as packed float64 values,
        // as `np.frombuffer(values, dtype=np.float64)` would.
        let len = values.len()?;
        if len % FLOAT64_BYTES != 0 {
            return Err(PyValueError::new_err(format!(
                "{name} holds {len} bytes, which is not a whole number of float64 values: the \
                 length must be a multiple of {FLOAT64_BYTES}"
            )));
        }
        let array =
            numpy.call_method1(intern!(py, "frombuffer"), (values, intern!(py, "float64")))?;
        return Ok(array.cast_into()?);
    }
    // Any other buffer says what it holds (its format): NumPy views it with the matching dtype.
    let Ok(buffer) = PyMemoryView::from(values) else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a NumPy array or an object with the buffer protocol (array.array, \
             memoryview, bytes), not {}: convert it once with np.asarray({name}, \
             dtype=np.float64)",
            values.get_type().name()?
        )));
    };
    Ok(numpy
        .call_method1(intern!(py, "asarray"), (buffer,))?
        .cast_into()?)
}

fn check_dimensions<D: Dimension>(name: &str, array: &Bound<'_, PyUntypedArray>) -> PyResult<()> {
    let Some(expected) = D::NDIM else {
        return Ok(());
    };
    if array.ndim() == expected {
        return Ok(());
    }
    Err(PyValueError::new_err(format!(
        "{name} must be {expected}-D, and it has shape {}",
        python_shape(array.shape())
    )))
}

/// A shape as Python writes it: `(3,)`, `(2, 4)`.
fn python_shape(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let sizes: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", sizes.join(", "))
        }
    }
}

/// The `TypeError` for an array whose dtype is not float64, naming the dtype it has and the
/// conversion that fixes it.
fn dtype_error(name: &str, array: &Bound<'_, PyUntypedArray>) -> PyErr {
    {% if workshop -%}
    todo!(
        "exercise 13: say that {name} has dtype {} and how to convert it",
        array.dtype()
    )
    {%- else -%}
    PyTypeError::new_err(format!(
        "{name} has dtype {}, and this function works in float64: convert it once with \
         np.asarray({name}, dtype=np.float64)",
        array.dtype()
    ))
    {%- endif %}
}

/// Borrows `array` read-only: in place when its values lie in memory one after another in C
/// order, else from a C-ordered copy that NumPy makes once.
///
/// The borrow is registered with rust-numpy, so that no Rust code may write to the array while
/// it lasts: a call that passes it as `out=` meanwhile is refused.
fn borrow<'py, D: Dimension>(
    name: &str,
    array: Bound<'py, PyArray<f64, D>>,
) -> PyResult<PyReadonlyArray<'py, f64, D>> {
    {% if workshop -%}
    todo!(
        "exercise 10: borrow {name} read-only, in place when it is C-contiguous ({})",
        array.is_c_contiguous()
    )
    {%- else -%}
    // `PyReadonlyArray::as_slice` also accepts a Fortran-ordered array, whose slice would hold a
    // matrix column by column: the kernels read rows, so only C order is read in place.
    let array = if array.is_c_contiguous() && array.is_aligned() {
        array
    } else {
        let py = array.py();
        py.import(intern!(py, "numpy"))?
            .call_method1(intern!(py, "ascontiguousarray"), (array,))?
            .cast_into()?
    };
    array.try_readonly().map_err(|_| {
        PyValueError::new_err(format!(
            "{name} is being written by another call right now (as its out=): pass a copy, or \
             wait for that call to finish"
        ))
    })
    {%- endif %}
}

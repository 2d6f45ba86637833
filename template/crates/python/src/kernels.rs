//! The kernels as Python functions: arrays borrowed in, the core's work done with the
//! interpreter released, results handed to NumPy without a copy.

use std::num::NonZeroUsize;

use numpy::prelude::*;
use numpy::{Ix1, Ix2, PyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyFloat;

// The core crate under a name of its own: its functions share their names with the Python
// functions below.
use {{crate_name}}_core as numeric;

use crate::arrays;
use crate::errors::Error;

/// The count, mean, standard deviation, minimum and maximum of a set of values, as `summarize`
/// returns them.
//
// `frozen`: Python can never change it, so PyO3 needs no runtime borrow checks, and the class is
// `Sync` (as every `#[pyclass]` must be) with no lock: threads share a summary freely.
#[pyclass(module = "{{crate_name}}", frozen)]
pub struct Summary {
    /// How many values there are.
    #[pyo3(get)]
    count: usize,
    /// Their arithmetic mean.
    #[pyo3(get)]
    mean: f64,
    /// Their population standard deviation, as `numpy.std` gives it by default (`ddof=0`).
    #[pyo3(get)]
    std: f64,
    /// The smallest value.
    #[pyo3(get)]
    min: f64,
    /// The largest value.
    #[pyo3(get)]
    max: f64,
}

#[pymethods]
impl Summary {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // Python's own repr of each float, so that NaN reads `nan` as it does in Python.
        let repr = |value: f64| PyFloat::new(py, value).repr().map(|text| text.to_string());
        Ok(format!(
            "Summary(count={}, mean={}, std={}, min={}, max={})",
            self.count,
            repr(self.mean)?,
            repr(self.std)?,
            repr(self.min)?,
            repr(self.max)?
        ))
    }
}

impl From<numeric::Summary> for Summary {
    fn from(summary: numeric::Summary) -> Self {
        Self {
            count: summary.count,
            mean: summary.mean,
            std: summary.std,
            min: summary.min,
            max: summary.max,
        }
    }
}

/// Summarizes `values` in one pass: their count, mean, standard deviation, minimum and maximum.
///
/// `values` is a 1-D float64 NumPy array, or any object with the buffer protocol holding
/// float64 values (`array.array("d")`, a `memoryview`), or `bytes` of packed float64 values.
/// It is read where it lies, without a copy; an array with a step is copied once first.
///
/// `threads` is how many threads may share the work: by default one per CPU for large inputs,
/// one for small ones. The result is the same to the last bit whatever the number.
///
/// A NaN anywhere makes every statistic NaN, as in NumPy. No values raise `ValueError`; a dtype
/// other than float64 raises `TypeError`.
#[pyfunction]
#[pyo3(signature = (values, *, threads = None))]
pub fn summarize(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    threads: Option<i64>,
) -> PyResult<Summary> {
    let threads = threads
        .map(|count| at_least_one("threads", count))
        .transpose()?;
    let values = arrays::read::<Ix1>("values", values)?;
    let values = values.as_slice()?;
    let threads = threads.unwrap_or_else(|| numeric::default_threads(values.len()));
    Ok(summarize_detached(py, values, threads)?.into())
}

/// Runs the core's `summarize` with the interpreter released, so that other Python threads run
/// meanwhile.
fn summarize_detached(
    py: Python<'_>,
    values: &[f64],
    threads: NonZeroUsize,
) -> Result<numeric::Summary, Error> {
    {% if workshop -%}
    todo!(
        "exercise 12: summarize {} values on {threads} threads inside `py.detach`",
        values.len()
    )
    {%- else -%}
    Ok(py.detach(|| numeric::summarize(values, threads))?)
    {%- endif %}
}

/// The mean of every window of `window` consecutive values: element `i` is the mean of
/// `values[i : i + window]`, and there are `len(values) - window + 1` of them.
///
/// `values` is read as `summarize` reads it. With `out`, a contiguous, writeable 1-D float64
/// array of that length, the means are written into it and `out` itself is returned; it must
/// not share memory with `values`. Without `out`, a new array is returned.
///
/// A window that holds a NaN has a NaN mean, and the windows after it are not affected. A window
/// less than 1 or longer than the values raises `ValueError`.
#[pyfunction]
#[pyo3(signature = (values, window, *, out = None))]
pub fn rolling_mean<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    window: i64,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let window = at_least_one("window", window)?;
    let values = arrays::read::<Ix1>("values", values)?;
    let values = values.as_slice()?;
    let Some(out) = out else {
        let means = py
            .detach(|| numeric::rolling_mean(values, window))
            .map_err(Error::from)?;
        return Ok(to_numpy(py, means));
    };
    // Borrowed while `values` is: rust-numpy refuses the borrow when the two overlap.
    let mut written = arrays::read_out(out)?;
    let slots = written.as_slice_mut()?;
    py.detach(|| numeric::rolling_mean_into(values, window, slots))
        .map_err(Error::from)?;
    // The caller gets `out` itself back, as NumPy's functions return it.
    Ok(Bound::clone(&written))
}

/// One value per column of a matrix.
type Column<'py> = Bound<'py, PyArray1<f64>>;

/// The mean and standard deviation of each column of a 2-D float64 array, as two new arrays.
///
/// `matrix` is read as `summarize` reads its values: in place when it is C-ordered, else from a
/// C-ordered copy made once (a transposed or Fortran-ordered matrix). A NaN makes its own
/// column's statistics NaN. A matrix with no rows raises `ValueError`.
#[pyfunction]
pub fn column_stats<'py>(
    py: Python<'py>,
    matrix: &Bound<'py, PyAny>,
) -> PyResult<(Column<'py>, Column<'py>)> {
    let matrix = arrays::read::<Ix2>("matrix", matrix)?;
    let columns = matrix.shape()[1];
    let values = matrix.as_slice()?;
    let stats = py
        .detach(|| numeric::column_stats(values, columns))
        .map_err(Error::from)?;
    Ok((to_numpy(py, stats.mean), to_numpy(py, stats.std)))
}

/// Hands `values` to NumPy as a new 1-D array, without copying them: the array takes over the
/// vector's memory and frees it when it is itself freed.
fn to_numpy(py: Python<'_>, values: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    {% if workshop -%}
    todo!(
        "exercise 11: give NumPy the {} results without copying them",
        values.len()
    )
    {%- else -%}
    PyArray1::from_vec(py, values)
    {%- endif %}
}

/// `count` as a count of at least one, or a `ValueError` naming the argument.
fn at_least_one(name: &str, count: i64) -> PyResult<NonZeroUsize> {
    usize::try_from(count)
        .ok()
        .and_then(NonZeroUsize::new)
        .ok_or_else(|| PyValueError::new_err(format!("{name} must be at least 1, not {count}")))
}

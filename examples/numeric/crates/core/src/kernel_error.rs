//! What can go wrong in a kernel, as plain Rust values: the boundary crate picks the Python
//! exception for each.

use std::fmt;

/// Why a kernel refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelError {
    /// There are no values, and the statistic is not defined for none.
    Empty,
    /// A rolling window longer than the values it slides over.
    WindowTooLong {
        /// The window asked for.
        window: usize,
        /// How many values there are.
        len: usize,
    },
    /// An output buffer of the wrong length.
    OutputLength {
        /// The length the result needs.
        expected: usize,
        /// The length of the buffer given.
        actual: usize,
    },
    /// A flat buffer that does not divide into rows of the given number of columns.
    Ragged {
        /// How many values there are.
        len: usize,
        /// The number of columns asked for.
        columns: usize,
    },
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("there are no values: pass at least one"),
            Self::WindowTooLong { window, len } => write!(
                f,
                "the window of {window} is longer than the {len} values: pass a window of at most {len}"
            ),
            Self::OutputLength { expected, actual } => write!(
                f,
                "out has {actual} elements, and the result needs {expected}: pass an array of length {expected}"
            ),
            Self::Ragged { len, columns } => write!(
                f,
                "{len} values do not make rows of {columns} columns: the length must be a multiple of the column count"
            ),
        }
    }
}

impl std::error::Error for KernelError {}

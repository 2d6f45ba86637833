//! The numeric logic, in plain Rust: no PyO3 here, so it builds, tests and documents like
//! any other crate. The `python` crate next to this one is the only place that knows about
//! Python.
//!
//! Every kernel takes plain slices (`&[f64]`, `&mut [f64]`): where the numbers came from, a
//! NumPy array or anything else, is the boundary crate's business.

mod columns;
mod kernel_error;
mod rolling;
mod summary;

pub use columns::{ColumnStats, column_stats};
pub use kernel_error::KernelError;
pub use rolling::{rolling_mean, rolling_mean_into, window_count};
pub use summary::{MIN_VALUES_PER_THREAD, Summary, default_threads, summarize};

//! The {% if style == "greet" %}greeting{% elsif style == "text-processor" %}text-processing{% elsif style == "numeric" %}numeric{% endif %} logic, in plain Rust: no PyO3 here, so it builds, tests and documents like
//! any other crate. The `python` crate next to this one is the only place that knows about
//! Python{% if style == "text-processor" %}, including the plugins it runs{% endif %}.
{%- if style == "numeric" %}
//!
//! Every kernel takes plain slices (`&[f64]`, `&mut [f64]`): where the numbers came from, a
//! NumPy array or anything else, is the boundary crate's business.
{%- endif %}
{% if style == "greet" %}
mod greeting;

pub use greeting::{GreetError, Message, greet, greet_many};
{%- elsif style == "text-processor" %}
mod plugin_dir;
mod trim;

pub use plugin_dir::{PluginDirError, PluginFile, plugin_files};
pub use trim::{trim_lines, trim_lines_into};
{%- elsif style == "numeric" %}
mod columns;
mod kernel_error;
mod rolling;
mod summary;

pub use columns::{ColumnStats, column_stats};
pub use kernel_error::KernelError;
pub use rolling::{rolling_mean, rolling_mean_into, window_count};
pub use summary::{MIN_VALUES_PER_THREAD, Summary, default_threads, summarize};
{%- endif %}

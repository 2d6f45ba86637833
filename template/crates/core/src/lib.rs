//! The {% if style == "greet" %}greeting{% elsif style == "text-processor" %}text-processing{% endif %} logic, in plain Rust: no PyO3 here, so it builds, tests and documents like
//! any other crate. The `python` crate next to this one is the only place that knows about
//! Python{% if style == "text-processor" %}, including the plugins it runs{% endif %}.
{% if style == "greet" %}
mod greeting;

pub use greeting::{GreetError, Message, greet, greet_many};
{%- elsif style == "text-processor" %}
mod plugin_dir;
mod trim;

pub use plugin_dir::{PluginDirError, PluginFile, plugin_files};
pub use trim::{trim_lines, trim_lines_into};
{%- endif %}

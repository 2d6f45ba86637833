//! Reading stage 3's build log: the time cargo took, and the compiler's first error with the
//! lines around it (what the workshop's checklist shows a learner whose code does not compile).

use std::path::Path;

use crate::platform::portable_path;

/// The seconds in cargo's `Finished `dev` profile [...] target(s) in 6.53s` line (or
/// `in 1m 05s`), the time the compiler took inside `maturin develop`.
pub fn cargo_seconds(output: &str) -> Option<f64> {
    let line = output
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with("Finished "))?;
    let (_, time) = line.rsplit_once(" in ")?;
    let time = time.trim();
    let (minutes, seconds) = match time.split_once("m ") {
        Some((minutes, seconds)) => (minutes.parse::<f64>().ok()?, seconds),
        None => (0.0, time),
    };
    let seconds: f64 = seconds.strip_suffix('s')?.parse().ok()?;
    Some(minutes * 60.0 + seconds)
}

/// The compiler's first error in a build log, as a learner needs it: where, what, and the
/// compiler's own snippet, without the hundreds of lines around it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CompilerError {
    /// Relative to the project's root when the file is the project's, e.g.
    /// `crates/python/src/message.rs`.
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The diagnostic's first line: `error[E0308]: mismatched types`.
    pub message: String,
    /// The rest of the diagnostic as the compiler printed it (source lines, labels, help),
    /// without the `-->` line, cut at [`SNIPPET_LINES`].
    pub snippet: Vec<String>,
}

/// At most this many lines of a diagnostic's snippet are kept.
pub const SNIPPET_LINES: usize = 16;

impl std::fmt::Display for CompilerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The first `error` diagnostic of a cargo (rustc) log that points at a file: a file of the
/// project (a relative path, or one under `root`) if any error does, else the first with a
/// location at all. Summaries such as `error: could not compile ...` point nowhere and are
/// skipped. `root`, when given, is the folder the build ran in: absolute paths under it are
/// shown relative to it.
pub fn first_error(log: &str, root: Option<&Path>) -> Option<CompilerError> {
    let lines: Vec<&str> = log.lines().collect();
    let mut fallback = None;
    for (index, line) in lines.iter().enumerate() {
        if !is_error_header(line) {
            continue;
        }
        // The diagnostic runs to its first blank line, or to the next diagnostic.
        let block: Vec<&str> = lines[index + 1..]
            .iter()
            .take_while(|line| !line.trim().is_empty() && !is_diagnostic_header(line))
            .copied()
            .collect();
        let Some((arrow, location)) = block
            .iter()
            .enumerate()
            .find_map(|(at, line)| Some((at, line.trim_start().strip_prefix("--> ")?)))
        else {
            continue;
        };
        let Some((file, line_number, column)) = parse_location(location) else {
            continue;
        };
        // With `/` between the parts whatever the platform: the file is shown to learners and
        // written into JSON reports (rustc on Windows prints `crates\core\src\lib.rs`).
        let relative = match root.and_then(|root| Path::new(file).strip_prefix(root).ok()) {
            Some(relative) => Some(portable_path(relative)),
            None if Path::new(file).is_relative() => Some(portable_path(Path::new(file))),
            None => None,
        };
        let snippet = block
            .iter()
            .enumerate()
            .filter(|(at, _)| *at != arrow)
            .map(|(_, line)| (*line).to_owned())
            .take(SNIPPET_LINES)
            .collect();
        let error = CompilerError {
            file: relative.clone().unwrap_or_else(|| file.to_owned()),
            line: line_number,
            column,
            message: line.trim_end().to_owned(),
            snippet,
        };
        if relative.is_some() {
            return Some(error);
        }
        fallback.get_or_insert(error);
    }
    fallback
}

/// `error: ...` or `error[E0308]: ...` at the start of a line.
fn is_error_header(line: &str) -> bool {
    line.strip_prefix("error")
        .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('['))
}

fn is_diagnostic_header(line: &str) -> bool {
    is_error_header(line)
        || line
            .strip_prefix("warning")
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('['))
}

/// `crates/python/src/message.rs:41:9` into its parts; the path may itself hold colons.
fn parse_location(location: &str) -> Option<(&str, u32, u32)> {
    let (rest, column) = location.trim().rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some((file, line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_build_time() {
        let output = "   Compiling greet-core v0.1.0\n    Finished `dev` profile [unoptimized] target(s) in 6.53s\n📦 Built wheel\n";
        assert_eq!(cargo_seconds(output), Some(6.53));
        assert_eq!(
            cargo_seconds("    Finished `dev` profile [unoptimized] target(s) in 1m 05s\n"),
            Some(65.0)
        );
        assert_eq!(cargo_seconds("error: could not compile"), None);
    }

    /// What `maturin develop` printed for a learner's `42` in place of a `String` (trimmed).
    const LOG: &str = "\
   Compiling my-ext-python v0.1.0 (/cache/cases/check-my-ext/project/crates/python)
warning: unused import: `greet`
 --> crates/python/src/message.rs:7:5
  |
7 | use my_ext_core::greet;
  |     ^^^^^^^^^^^^^^^^^^

error[E0308]: mismatched types
  --> crates/python/src/message.rs:41:9
   |
40 |     fn greet(name: PyBackedStr) -> String {
   |                                    ------ expected `String` because of return type
41 |         42
   |         ^^ expected `String`, found integer
   |
help: try using a conversion method
   |
41 |         42.to_string()
   |           ++++++++++++

error[E0425]: cannot find value `x` in this scope
  --> crates/python/src/message.rs:50:9
   |
50 |         x
   |         ^ not found in this scope

For more information about this error, try `rustc --explain E0308`.
error: could not compile `my-ext-python` (lib) due to 2 previous errors
💥 maturin failed
";

    #[test]
    fn the_first_error_with_its_location_and_snippet() {
        let error = first_error(LOG, None).unwrap();
        assert_eq!(
            error.to_string(),
            "crates/python/src/message.rs:41:9: error[E0308]: mismatched types"
        );
        assert_eq!(
            error.snippet,
            [
                "   |",
                "40 |     fn greet(name: PyBackedStr) -> String {",
                "   |                                    ------ expected `String` because of return type",
                "41 |         42",
                "   |         ^^ expected `String`, found integer",
                "   |",
                "help: try using a conversion method",
                "   |",
                "41 |         42.to_string()",
                "   |           ++++++++++++",
            ]
        );
    }

    #[test]
    fn an_error_in_the_project_wins_over_one_in_a_dependency() {
        let log = "\
error[E0599]: no method named `detach` found
   --> /home/me/.cargo/registry/src/pyo3-0.26.0/src/marker.rs:10:5
    |
error[E0308]: mismatched types
  --> /cache/cases/check-my-ext/project/crates/core/src/trim.rs:9:5
   |
9  |     1
";
        let error = first_error(log, Some(Path::new("/cache/cases/check-my-ext/project"))).unwrap();
        assert_eq!(
            error.to_string(),
            "crates/core/src/trim.rs:9:5: error[E0308]: mismatched types"
        );
        assert_eq!(error.snippet, ["   |", "9  |     1"]);
        // Without the root, the dependency's error is all there is to show.
        let only_registry = log.split("error[E0308]").next().unwrap();
        let error = first_error(only_registry, None).unwrap();
        assert_eq!(
            error.file,
            "/home/me/.cargo/registry/src/pyo3-0.26.0/src/marker.rs"
        );
        assert_eq!((error.line, error.column), (10, 5));
    }

    #[test]
    fn a_log_without_located_errors_has_none() {
        assert_eq!(
            first_error("error: could not compile `x`\n💥 maturin failed\n", None),
            None
        );
        assert_eq!(first_error("", None), None);
    }
}

//! Filters that replace what varies between machines, runs and project names, so that a
//! snapshot changes only when behaviour does.
//!
//! Each filter has a name and a reason; they run in the order listed in [`Filters::new`]:
//! paths first (they may contain the package name), then volatile numbers, then names.

use std::path::PathBuf;

use regex::Regex;

mod machine;

use machine::{path_forms, temp_and_cache_filters, windows_separators};

/// What the package's and the project's names become: a project derived from the template
/// under another name, or a matrix case, then compares equal with the reference.
pub const PACKAGE: &str = "[PKG]";

/// What the filters need to know about one run of one project.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The folder the probe's scenarios wrote into.
    pub work_dir: Option<PathBuf>,
    /// The project's build copy.
    pub project_dir: Option<PathBuf>,
    /// The imported package's folder.
    pub package_dir: Option<PathBuf>,
    /// The venv (`sys.prefix`).
    pub venv: Option<PathBuf>,
    /// The import name, e.g. `greet_default`.
    pub package: Option<String>,
    /// The project name, e.g. `greet-default`.
    pub project_name: Option<String>,
    /// `platform.python_version()`.
    pub python_version: Option<String>,
}

#[derive(Debug)]
enum Kind {
    /// Every occurrence of a string (a path).
    Literal(String),
    Regex(Regex),
    /// The package's name where it stands as a name (see [`replace_name`]).
    Name(String),
    /// In every match of the regex, each `\` or `\\` (a path separator, or one in a repr) turned
    /// into the replacement.
    Separators(Regex),
}

#[derive(Debug)]
pub struct Filter {
    pub name: &'static str,
    kind: Kind,
    replacement: &'static str,
}

impl Filter {
    fn apply(&self, text: &str) -> String {
        match &self.kind {
            Kind::Literal(from) => text.replace(from.as_str(), self.replacement),
            Kind::Regex(regex) => regex.replace_all(text, self.replacement).into_owned(),
            Kind::Name(name) => replace_name(text, name, self.replacement),
            Kind::Separators(regex) => regex
                .replace_all(text, |found: &regex::Captures<'_>| {
                    found[0]
                        .replace("\\\\", self.replacement)
                        .replace('\\', self.replacement)
                })
                .into_owned(),
        }
    }
}

#[derive(Debug)]
pub struct Filters {
    filters: Vec<Filter>,
}

fn regex(pattern: &str) -> Regex {
    // The patterns are constants of this file; the unit tests compile every one of them.
    Regex::new(pattern).unwrap_or_else(|error| panic!("filter pattern {pattern}: {error}"))
}

impl Filters {
    pub fn new(context: &Context) -> Filters {
        let mut paths: Vec<(String, &'static str, &'static str)> = Vec::new();
        let mut add_path = |path: &Option<PathBuf>, name, replacement| {
            if let Some(path) = path {
                for form in path_forms(path) {
                    paths.push((form, name, replacement));
                }
            }
        };
        // Where the probe's scenarios wrote their plugin folders: a fresh temp folder per run.
        add_path(&context.work_dir, "work dir", "[WORK]");
        // The package's folder lies inside the project: it must be replaced first, which the
        // longest-first order below ensures.
        add_path(&context.package_dir, "package dir", "[PKG_DIR]");
        // The build copy of the project, inside the cache.
        add_path(&context.project_dir, "project dir", "[PROJECT]");
        // The venv, inside the cache, keyed by case and interpreter.
        add_path(&context.venv, "venv prefix", "[VENV]");
        paths.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut filters: Vec<Filter> = paths
            .into_iter()
            .map(|(path, name, replacement)| Filter {
                name,
                kind: Kind::Literal(path),
                replacement,
            })
            .collect();
        filters.extend(temp_and_cache_filters());
        if std::path::MAIN_SEPARATOR == '\\' {
            filters.push(windows_separators());
        }

        filters.extend([
            // Default reprs and some messages carry addresses that change every run.
            Filter {
                name: "memory addresses",
                kind: Kind::Regex(regex(r"\b0x[0-9a-fA-F]{6,}\b")),
                replacement: "[ADDR]",
            },
            // Rust prints the panicking thread's id: "thread '<unnamed>' (4711) panicked at".
            Filter {
                name: "rust thread ids",
                kind: Kind::Regex(regex(r"(thread '[^']*') \(\d+\)")),
                replacement: "$1 ([TID])",
            },
            // Python's thread reprs: "<Thread(worker, started 140234567)>", ident=140234567.
            Filter {
                name: "python thread ids",
                kind: Kind::Regex(regex(r"\b(started(?: daemon)? |ident=|native_id=)\d+")),
                replacement: "${1}[TID]",
            },
            // Panic locations move whenever a line is added above them.
            Filter {
                name: "line numbers in panic messages",
                kind: Kind::Regex(regex(r"(\.rs):\d+:\d+")),
                replacement: "$1:[LINE]:[COL]",
            },
            // The extension's file name depends on the interpreter, the abi3 option and the
            // platform: `.cpython-311-x86_64-linux-gnu.so`, `.abi3.so`, `.cpython-311-darwin.so`;
            // on Windows `.cp311-win_amd64.pyd`, or `.pyd` alone for abi3.
            Filter {
                name: "extension suffix",
                kind: Kind::Regex(regex(
                    r"\.(?:(?:cpython-\d+[a-z]*-[A-Za-z0-9_-]+|abi3)\.so|(?:cp\d+[a-z]*-win[A-Za-z0-9_]*\.)?pyd)\b",
                )),
                replacement: ".[EXT].so",
            },
            // Durations, as in pytest's "in 0.12s".
            Filter {
                name: "timings",
                kind: Kind::Regex(regex(r"\b\d+\.\d+ ?(?:s|ms|µs|us|ns|seconds)\b")),
                replacement: "[TIME]",
            },
        ]);
        // The interpreter's version, wherever a message repeats it.
        if let Some(version) = context.python_version.as_ref().filter(|v| !v.is_empty()) {
            filters.push(Filter {
                name: "python version",
                kind: Kind::Literal(version.clone()),
                replacement: "[PYTHON_VERSION]",
            });
        }
        // The package's and the project's names: a project derived from the template under
        // another name, or a matrix case, compares equal with the reference.
        for (name, value) in [
            ("package name", &context.package),
            ("project name", &context.project_name),
        ] {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                filters.push(Filter {
                    name,
                    kind: Kind::Name(value.clone()),
                    replacement: PACKAGE,
                });
            }
        }
        Filters { filters }
    }

    pub fn apply(&self, text: &str) -> String {
        self.filters
            .iter()
            .fold(text.to_owned(), |text, filter| filter.apply(&text))
    }

    /// The filters' names in the order they run.
    pub fn names(&self) -> Vec<&'static str> {
        self.filters.iter().map(|filter| filter.name).collect()
    }

    /// What the filters write in place of what they replace, without what they keep of it
    /// (`$1:[LINE]:[COL]` writes `:[LINE]:[COL]`), each once: what a text for a reader must turn
    /// back into words. For the tests that hold the readers to it.
    #[cfg(test)]
    pub fn written(&self) -> Vec<String> {
        let kept = Regex::new(r"\$(\d+|\{\d+\})").expect("a valid pattern");
        let mut written: Vec<String> = Vec::new();
        for filter in &self.filters {
            let text = kept.replace_all(filter.replacement, "").into_owned();
            if !written.contains(&text) {
                written.push(text);
            }
        }
        written
    }
}

/// Replaces `name` where it stands as the package's name, not where it is part of another word
/// or a member called the same (a project named `greet` has a method `Message.greet`):
/// - before it: the start, or neither a word character nor `.`; a single `_` is allowed when
///   it follows a `.` or a non-word character (the native module `pkg._pkg`);
/// - after it: the end of the text or line, or one of `. ' " / \ : ) ] > ,`; not a space and
///   not `(`, so `greet (function)` and `greet(name)` stay.
pub fn replace_name(text: &str, name: &str, replacement: &str) -> String {
    if name.is_empty() {
        return text.to_owned();
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (start, _) in text.match_indices(name) {
        if start < rest {
            continue;
        }
        let end = start + name.len();
        let before: Vec<char> = text[..start].chars().rev().take(2).collect();
        let before_ok = match before.as_slice() {
            [] => true,
            ['_'] => true,
            ['_', c] => !is_word(*c),
            [c, ..] => !is_word(*c) && *c != '.',
        };
        let after_ok = match text[end..].chars().next() {
            None => true,
            Some(c) => matches!(
                c,
                '.' | '\'' | '"' | '/' | '\\' | ':' | ')' | ']' | '>' | ',' | '\n'
            ),
        };
        if before_ok && after_ok {
            out.push_str(&text[rest..start]);
            out.push_str(replacement);
            rest = end;
        }
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(name: &str, context: &Context) -> Filters {
        let filters = Filters::new(context);
        Filters {
            filters: filters
                .filters
                .into_iter()
                .filter(|filter| filter.name == name)
                .collect(),
        }
    }

    #[test]
    fn every_filter_is_named_in_order() {
        let context = Context {
            work_dir: Some("/w".into()),
            project_dir: Some("/cache/case/project".into()),
            package_dir: Some("/cache/case/project/python/pkg".into()),
            venv: Some("/cache/case/venv".into()),
            package: Some("pkg".into()),
            project_name: Some("pkg-x".into()),
            python_version: Some("3.11.7".into()),
        };
        let mut expected = vec![
            "package dir",
            "project dir",
            "venv prefix",
            "work dir",
            "macOS temp folder",
            "Windows temp folder",
            "Windows local app data",
            "memory addresses",
            "rust thread ids",
            "python thread ids",
            "line numbers in panic messages",
            "extension suffix",
            "timings",
            "python version",
            "package name",
            "project name",
        ];
        // Where `\` separates a path's parts, and only there.
        if std::path::MAIN_SEPARATOR == '\\' {
            expected.insert(7, "Windows path separators");
        }
        assert_eq!(Filters::new(&context).names(), expected);
    }

    #[test]
    fn paths_nested_in_each_other_are_replaced_innermost_first() {
        let context = Context {
            project_dir: Some("/cache/case/project".into()),
            package_dir: Some("/cache/case/project/python/pkg".into()),
            venv: Some("/cache/case/venv".into()),
            work_dir: Some("/tmp/work".into()),
            ..Context::default()
        };
        let filters = Filters::new(&context);
        assert_eq!(
            filters.apply(
                "'/cache/case/project/python/pkg/plugins' /cache/case/project/Cargo.toml \
                 /cache/case/venv/lib /tmp/work/bad/p.py"
            ),
            "'[PKG_DIR]/plugins' [PROJECT]/Cargo.toml [VENV]/lib [WORK]/bad/p.py"
        );
    }

    #[test]
    fn memory_addresses() {
        let filters = only("memory addresses", &Context::default());
        assert_eq!(
            filters.apply("<Message object at 0x7f3a2b1c4d50> 0x10"),
            "<Message object at [ADDR]> 0x10"
        );
    }

    #[test]
    fn thread_ids() {
        let rust = only("rust thread ids", &Context::default());
        assert_eq!(
            rust.apply("thread '<unnamed>' (4711) panicked at src/lib.rs:3:5"),
            "thread '<unnamed>' ([TID]) panicked at src/lib.rs:3:5"
        );
        let python = only("python thread ids", &Context::default());
        assert_eq!(
            python.apply("<Thread(worker, started daemon 140234567)> ident=99"),
            "<Thread(worker, started daemon [TID])> ident=[TID]"
        );
    }

    #[test]
    fn panic_line_numbers() {
        let filters = only("line numbers in panic messages", &Context::default());
        assert_eq!(
            filters.apply("panicked at crates/core/src/lib.rs:42:9:\nboom"),
            "panicked at crates/core/src/lib.rs:[LINE]:[COL]:\nboom"
        );
    }

    #[test]
    fn extension_suffix() {
        let filters = only("extension suffix", &Context::default());
        assert_eq!(
            filters.apply("_pkg.cpython-311-x86_64-linux-gnu.so _pkg.abi3.so"),
            "_pkg.[EXT].so _pkg.[EXT].so"
        );
        // macOS, and Windows's `.pyd` with its tag or without (abi3).
        assert_eq!(
            filters.apply("_pkg.cpython-313t-darwin.so _pkg.cp312-win_amd64.pyd _pkg.pyd"),
            "_pkg.[EXT].so _pkg.[EXT].so _pkg.[EXT].so"
        );
        // This platform's own suffix, after the abi3 tag it has here.
        let abi3 = format!("_pkg{}", crate::platform::EXTENSION_SUFFIX).replace(".so", ".abi3.so");
        assert_eq!(filters.apply(&abi3), "_pkg.[EXT].so");
    }

    #[test]
    fn timings() {
        let filters = only("timings", &Context::default());
        assert_eq!(
            filters.apply("5 passed in 0.12s; took 1.5 seconds; 3 items"),
            "5 passed in [TIME]; took [TIME]; 3 items"
        );
    }

    #[test]
    fn python_version() {
        let context = Context {
            python_version: Some("3.11.7".into()),
            ..Context::default()
        };
        assert_eq!(
            only("python version", &context).apply("CPython 3.11.7"),
            "CPython [PYTHON_VERSION]"
        );
    }

    #[test]
    fn package_name_only_where_it_names_the_package() {
        let text = "package: greet\n\
                    qualname: greet.Message.greet\n\
                    type: greet._greet.EmptyTextError\n\
                    - greet (function)\n\
                    Message.greet('x') greet_many(names)\n\
                    No module named 'greet'\n\
                    tests.test_message::test_greet\n";
        assert_eq!(
            replace_name(text, "greet", "[PKG]"),
            "package: [PKG]\n\
             qualname: [PKG].Message.greet\n\
             type: [PKG]._[PKG].EmptyTextError\n\
             - greet (function)\n\
             Message.greet('x') greet_many(names)\n\
             No module named '[PKG]'\n\
             tests.test_message::test_greet\n"
        );
    }

    #[test]
    fn project_and_package_names_both_become_pkg() {
        let context = Context {
            package: Some("greet_default".into()),
            project_name: Some("greet-default".into()),
            ..Context::default()
        };
        assert_eq!(
            Filters::new(&context).apply("greet_default._greet_default.Error 'greet-default'"),
            "[PKG]._[PKG].Error '[PKG]'"
        );
    }
}

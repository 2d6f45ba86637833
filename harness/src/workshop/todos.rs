//! The one reader of the workshop's `todo!("exercise N: …")` calls: where each stands in a Rust
//! source ([`TodoSpan`]), what its message says, and which call a panic's message came from.
//!
//! `exercises DIR` lists the spans, `reset` and `solution` patch the lines a span covers
//! ([`crate::workshop::patch`]), and the checklist finds the span an unfinished behaviour ran
//! into. A `grep` for `todo!("exercise` misses the calls that rustfmt breaks over several lines
//! (`todo!(` on one line, the message on the next), so the sources are scanned as text: the
//! macro's first argument is read wherever it starts, and the call ends at its closing
//! parenthesis, string literals and nested calls taken into account.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::base::error::Result;
use crate::project::tree;

/// One unfinished exercise body: a `todo!("exercise N: …")` call and the lines it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoSpan {
    pub number: u32,
    /// The file, relative to the project folder.
    pub file: PathBuf,
    /// The lines of the call, counted from 0: one, or several when rustfmt broke it up.
    pub lines: Range<usize>,
    /// The message after `exercise N: `, as written in the source: its `{}` are filled in when
    /// the `todo!()` panics.
    pub message: String,
}

impl TodoSpan {
    /// The line of `todo!(`, counted from 1.
    pub fn line(&self) -> usize {
        self.lines.start + 1
    }

    /// Whether `text`, the message of a `todo!()` panic after `exercise N: `, is what this call
    /// prints: its message with each `{…}` filled in.
    pub fn printed(&self, number: u32, text: &str) -> bool {
        number == self.number
            && format_pattern(&unescape(&self.message))
                .is_some_and(|pattern| pattern.is_match(text))
    }
}

impl fmt::Display for TodoSpan {
    /// `1  crates/python/src/message.rs:52  greet {name:?} with the core crate's `greet``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}:{}  {}",
            self.number,
            self.file.display(),
            self.line(),
            self.message
        )
    }
}

/// The exercise a `todo!()` message names: `exercise 7: import …` is `(7, "import …")`, and
/// `exercise 12` alone is `(12, "")`. `None` for any other message.
pub fn exercise_message(text: &str) -> Option<(u32, &str)> {
    let rest = text.strip_prefix("exercise ")?;
    let (number, message) = rest.split_once(':').unwrap_or((rest, ""));
    Some((number.trim().parse().ok()?, message.trim()))
}

/// The exercise bodies in one Rust source, in the order they appear. A `todo!` after `//` on its
/// line is in a comment and does not count.
pub fn in_source(file: &Path, text: &str) -> Vec<TodoSpan> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("todo!(") {
        let start = from + offset;
        from = start + "todo!(".len();
        let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
        if text[line_start..start].contains("//") {
            continue;
        }
        let Some(call) = read_call(&text[from..]) else {
            continue;
        };
        let Some((number, message)) = call
            .first_literal
            .as_deref()
            .and_then(|literal| exercise_message(literal).map(|(n, m)| (n, m.to_owned())))
        else {
            continue;
        };
        let first_line = text[..start].matches('\n').count();
        let end = from + call.length;
        let last_line = text[..end].matches('\n').count();
        found.push(TodoSpan {
            number,
            file: file.to_owned(),
            lines: first_line..last_line + 1,
            message,
        });
        from = end;
    }
    found
}

/// Every exercise body left in the project at `dir`: its `.rs` sources (build folders and venvs
/// left out), sorted by exercise number, then file and line.
pub fn in_project(dir: &Path) -> Result<Vec<TodoSpan>> {
    let mut found = Vec::new();
    for entry in tree::sources(dir)? {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = fs_err::read_to_string(path)?;
        let relative = path.strip_prefix(dir).unwrap_or(path);
        found.extend(in_source(relative, &text));
    }
    found.sort_by(|a, b| (a.number, &a.file, a.line()).cmp(&(b.number, &b.file, b.line())));
    Ok(found)
}

/// What [`read_call`] found after `todo!(`.
struct Call {
    /// The first argument, when it is a plain string literal, as written (escapes kept).
    first_literal: Option<String>,
    /// The length of the arguments up to and including the closing parenthesis.
    length: usize,
}

/// Reads the arguments of a macro call up to its closing parenthesis; `None` when the text ends
/// first.
fn read_call(text: &str) -> Option<Call> {
    let mut depth = 1;
    let mut chars = text.char_indices().peekable();
    let mut first_literal = None;
    let mut seen_code = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let literal_start = at + 1;
                let mut end = None;
                while let Some((inner, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            end = Some(inner);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end?;
                if !seen_code && depth == 1 {
                    first_literal = Some(text[literal_start..end].to_owned());
                }
                seen_code = true;
            }
            '(' | '[' | '{' => {
                depth += 1;
                seen_code = true;
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(Call {
                        first_literal,
                        length: at + 1,
                    });
                }
            }
            c if c.is_whitespace() => {}
            _ => seen_code = true,
        }
    }
    None
}

/// The text of a string literal's source: `\"`, `\\`, `\n`, `\t` and a line continuation
/// (a `\` at the end of a line, which swallows the next line's indent) read as Rust reads them.
fn unescape(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A format string as a pattern of what it prints: its text as it is, each `{…}` any text,
/// `{{` and `}}` a brace.
fn format_pattern(format: &str) -> Option<Regex> {
    let mut pattern = String::from("^");
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                pattern.push_str(&regex::escape(&c.to_string()));
            }
            ('{', _) => {
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                }
                pattern.push_str("(?s:.*)");
            }
            _ => pattern.push_str(&regex::escape(&c.to_string())),
        }
    }
    pattern.push('$');
    Regex::new(&pattern).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(u32, Range<usize>, String)> {
        in_source(Path::new("src/lib.rs"), text)
            .into_iter()
            .map(|span| (span.number, span.lines, span.message))
            .collect()
    }

    #[test]
    fn a_todo_on_one_line() {
        let text = "fn greet() -> String {\n    todo!(\"exercise 1: greet {name:?} here\")\n}\n";
        assert_eq!(found(text), [(1, 1..2, "greet {name:?} here".to_owned())]);
    }

    #[test]
    fn a_todo_that_rustfmt_split_over_lines_covers_every_line_of_the_call() {
        let text = "fn f() {\n    trimmed.clear();\n    todo!(\n        \"exercise 6: trim each \
                    of the {} lines\",\n        text.lines().count()\n    )\n}\n";
        assert_eq!(
            found(text),
            [(6, 2..6, "trim each of the {} lines".to_owned())]
        );
    }

    #[test]
    fn several_in_one_file_in_order_and_escaped_quotes_kept() {
        let text = "todo!(\"exercise 2: keep \\\"it\\\" (and this)\")\nx\ntodo!(  \"exercise 10: \
                    last\", f(a, \")\"));\n";
        assert_eq!(
            found(text),
            [
                (2, 0..1, "keep \\\"it\\\" (and this)".to_owned()),
                (10, 2..3, "last".to_owned())
            ]
        );
    }

    #[test]
    fn other_todos_and_commented_ones_do_not_count() {
        let text = "todo!()\ntodo!(\"later\")\n// todo!(\"exercise 1: in a comment\")\n\
                    /// e.g. `todo!(\"exercise 3: in a doc comment\")`\ntodo!(\"exercise: 4\")\n\
                    todo!(format!(\"exercise 5: built\"))\ntodo!(\"exercise 6: never closed\"\n";
        assert_eq!(found(text), []);
    }

    #[test]
    fn a_message_reads_its_exercise() {
        assert_eq!(
            exercise_message("exercise 7: import x"),
            Some((7, "import x"))
        );
        assert_eq!(exercise_message("exercise 12"), Some((12, "")));
        assert_eq!(exercise_message("exercise four: later"), None);
        assert_eq!(exercise_message("later"), None);
    }

    #[test]
    fn a_panic_message_is_matched_with_the_call_that_printed_it() {
        let text = "fn new() {\n    todo!(\"exercise 2: keep {text:?} in a core `Message`\")\n}\n\
                    fn text() {\n    todo!(\"exercise 2: return the text the core `Message` \
                    holds\")\n}\nfn q() {\n    todo!(\n        \"exercise 3: say \\\"{}\\\" \
                    {{literally}}\",\n        x\n    )\n}\n";
        let spans = in_source(Path::new("src/lib.rs"), text);
        let printer = |number: u32, printed: &str| -> Vec<usize> {
            spans
                .iter()
                .filter(|span| span.printed(number, printed))
                .map(TodoSpan::line)
                .collect()
        };
        assert_eq!(
            printer(2, "keep \"Deep dive into Polars\" in a core `Message`"),
            [2]
        );
        assert_eq!(printer(2, "return the text the core `Message` holds"), [5]);
        assert_eq!(printer(3, "say \"a\nb\" {literally}"), [8]);
        assert_eq!(printer(2, "keep it elsewhere"), Vec::<usize>::new());
        assert_eq!(
            printer(1, "return the text the core `Message` holds"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_project_lists_its_exercises_sorted_and_skips_build_folders() {
        let dir = tempfile::tempdir().unwrap();
        let write = |relative: &str, text: &str| {
            let path = dir.path().join(relative);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, text).unwrap();
        };
        write("crates/b/src/lib.rs", "todo!(\"exercise 3: c\")\n");
        write(
            "crates/a/src/lib.rs",
            "\ntodo!(\"exercise 3: b\")\ntodo!(\"exercise 1: a\")\n",
        );
        write(
            "target/debug/build/out.rs",
            "todo!(\"exercise 2: built\")\n",
        );
        write(".venv/lib/x.rs", "todo!(\"exercise 2: venv\")\n");
        write(
            "crates/a/src/notes.txt",
            "todo!(\"exercise 2: not Rust\")\n",
        );

        let lines: Vec<String> = in_project(dir.path())
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "1  crates/a/src/lib.rs:3  a",
                "3  crates/a/src/lib.rs:2  b",
                "3  crates/b/src/lib.rs:1  c",
            ]
        );
    }
}

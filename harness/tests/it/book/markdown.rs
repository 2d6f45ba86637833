//! The Markdown the book test reads: relative links, `{{#include}}` directives, and the
//! comments that announce where a line-range include starts and ends. A small linter of its
//! own, since mdBook checks neither links nor line ranges.

use std::collections::VecDeque;

use regex::Regex;

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
pub(super) fn relative_links(text: &str) -> Vec<String> {
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
pub(super) struct Include {
    pub(super) directive: String,
    pub(super) path: String,
    /// What follows the path: a line range (`12:30`, `12:`, `:30`, `12`) or an anchor name.
    pub(super) selector: Option<String>,
}

pub(super) fn includes(text: &str) -> Vec<Include> {
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
pub(super) fn selector_problem(selector: &str, file_text: &str) -> Option<String> {
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
pub(super) struct Bounds {
    starts_at: String,
    ends_at: Option<String>,
}

/// A `{{#include}}` that selects lines by number, with the comments announcing it.
#[derive(Debug)]
pub(super) struct RangedInclude {
    /// The page's line the directive is on, from 1.
    pub(super) line: usize,
    pub(super) directive: String,
    pub(super) path: String,
    /// The first line included, from 1.
    pub(super) first: usize,
    /// The last line included; `None` for an open end (`12:`), which is the file's last line.
    pub(super) last: Option<usize>,
    pub(super) bounds: Option<Bounds>,
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
pub(super) fn ranged_includes(text: &str) -> (Vec<RangedInclude>, Vec<String>) {
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
pub(super) fn bound_mismatches(
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

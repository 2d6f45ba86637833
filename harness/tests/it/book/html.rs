//! The book as mdBook built it: every internal `href` and `src` reaches a file the build wrote
//! (inside the book, since the published book is served from a sub-path of its site), every
//! `#fragment` an element of that file, and no `{{#` directive was left unexpanded. mdBook turns
//! `page.md#section` into `page.html#section` and checks neither half.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use html5gum::{Token, Tokenizer};
use percent_encoding::percent_decode_str;
use url::Url;
use walkdir::WalkDir;

/// What the check needs from one HTML document.
#[derive(Debug, Default)]
struct Document {
    /// Every `href` and `src` attribute value, in document order.
    references: Vec<String>,
    /// Every `id` (and `<a name>`) a fragment can point at.
    anchors: BTreeSet<String>,
}

fn parse(html: &str) -> Document {
    let mut document = Document::default();
    for token in Tokenizer::new(html).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        for (name, value) in &tag.attributes {
            let value = String::from_utf8_lossy(value).into_owned();
            match name.as_slice() {
                b"href" | b"src" => document.references.push(value),
                b"id" => {
                    document.anchors.insert(value);
                }
                b"name" if tag.name.as_slice() == b"a" => {
                    document.anchors.insert(value);
                }
                _ => {}
            }
        }
    }
    document
}

/// Every HTML file under `root` that the checks read, with its text. `404.html` is left out:
/// mdBook writes its links relative to the site's root (`site-url`), for a server that shows it
/// at any depth, so they only resolve on the published site.
fn html_files(root: &Path) -> BTreeMap<PathBuf, String> {
    WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.expect("the built book is readable"))
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "html"))
        .filter(|entry| entry.file_name() != "404.html")
        .map(|entry| {
            let text = fs_err::read_to_string(entry.path()).expect("mdBook writes UTF-8");
            (entry.into_path(), text)
        })
        .collect()
}

/// What the checks found in a built book, one line per problem, and how much they looked at.
#[derive(Debug, Default)]
pub(super) struct Findings {
    pub(super) problems: Vec<String>,
    pub(super) pages: usize,
    pub(super) internal_links: usize,
    pub(super) fragments: usize,
}

/// Checks the book mdBook built into `root` (an absolute folder).
pub(super) fn check_built_book(root: &Path) -> Findings {
    let files = html_files(root);
    let documents: BTreeMap<&Path, Document> = files
        .iter()
        .map(|(path, text)| (path.as_path(), parse(text)))
        .collect();
    let shown = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };

    let mut findings = Findings {
        pages: files.len(),
        ..Findings::default()
    };
    for (page, text) in &files {
        // `\{{#include}}` (mdBook's escape) would show as `{{#include}}` too: the book has none.
        for (number, line) in text.lines().enumerate() {
            if let Some(at) = line.find("{{#") {
                let rest: String = line[at..].chars().take(60).collect();
                findings.problems.push(format!(
                    "{}:{}: a directive was left unexpanded: {rest}",
                    shown(page),
                    number + 1
                ));
            }
        }

        let base = Url::from_file_path(page).expect("an absolute path");
        for reference in &documents[page.as_path()].references {
            let Some(target) = internal_target(&base, reference) else {
                continue;
            };
            findings.internal_links += 1;
            let at = format!("{}: `{reference}`", shown(page));
            let Ok(mut path) = target.to_file_path() else {
                findings.problems.push(format!("{at}: not a path"));
                continue;
            };
            if reference.starts_with('/') {
                findings.problems.push(format!(
                    "{at}: an absolute path, which leaves the book once it is published under a \
                     sub-path of its site: make it relative"
                ));
                continue;
            }
            if !path.starts_with(root) {
                findings
                    .problems
                    .push(format!("{at}: points outside the built book"));
                continue;
            }
            if path.is_dir() {
                path.push("index.html");
            }
            if !path.is_file() {
                findings
                    .problems
                    .push(format!("{at}: the book has no `{}`", shown(&path)));
                continue;
            }
            let Some(fragment) = target.fragment().filter(|fragment| !fragment.is_empty()) else {
                continue;
            };
            let Some(document) = documents.get(path.as_path()) else {
                // A fragment of a file that is not a checked page (an image, a script).
                continue;
            };
            findings.fragments += 1;
            let fragment = percent_decode_str(fragment).decode_utf8_lossy();
            if !document.anchors.contains(&*fragment) {
                findings.problems.push(format!(
                    "{at}: `{}` has no element with id `{fragment}`",
                    shown(&path)
                ));
            }
        }
    }
    findings
}

/// `reference`, resolved against the page at `base`, when it stays on this site as a file:
/// `None` for other sites (`https:`, `//host/…`), `mailto:`, `javascript:` and `data:`.
fn internal_target(base: &Url, reference: &str) -> Option<Url> {
    let target = base.join(reference.trim()).ok()?;
    (target.scheme() == "file" && target.host_str().is_none_or(str::is_empty)).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_book_with_every_kind_of_dead_reference_reports_each_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs_err::canonicalize(dir.path()).unwrap();
        let page = |relative: &str, html: &str| {
            let path = root.join(relative);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, html).unwrap();
        };
        page(
            "index.html",
            r##"<html><head><link rel="stylesheet" href="css/book.css"></head><body>
<h1 id="welcome">Welcome</h1>
<a href="#welcome">here</a> <a href="guide/start.html#install">ok</a>
<a href="https://example.org/missing.html">elsewhere</a> <a href="mailto:a@b.c">mail</a>
<a href="guide/">folder</a> <a href="#nowhere">bad anchor</a>
<a href="guide/start.html#gone">bad anchor elsewhere</a> <a href="missing.html">no page</a>
<a href="/guide/start.html">absolute</a> <a href="../outside.html">outside</a>
<img src="images/missing.png">
<p>{{#include ../../examples/greet/justfile}}</p>
</body></html>"##,
        );
        page(
            "guide/start.html",
            r##"<h2 id="install">Install</h2><a href="../index.html#welcome">back</a>"##,
        );
        page("guide/index.html", "<p>the guide</p>");
        page("css/book.css", "body {}");
        page(
            "404.html",
            r#"<base href="/"><a href="/nowhere.html">home</a>"#,
        );

        let findings = check_built_book(&root);
        assert_eq!(
            findings.problems,
            [
                "index.html:9: a directive was left unexpanded: \
                 {{#include ../../examples/greet/justfile}}</p>",
                "index.html: `#nowhere`: `index.html` has no element with id `nowhere`",
                "index.html: `guide/start.html#gone`: `guide/start.html` has no element with id \
                 `gone`",
                "index.html: `missing.html`: the book has no `missing.html`",
                "index.html: `/guide/start.html`: an absolute path, which leaves the book once it \
                 is published under a sub-path of its site: make it relative",
                "index.html: `../outside.html`: points outside the built book",
                "index.html: `images/missing.png`: the book has no `images/missing.png`",
            ]
        );
        // Ten in index.html (the stylesheet, `#welcome`, `guide/start.html#install`, `guide/`
        // and the six dead ones) and the way back from guide/start.html; 404.html is not read.
        assert_eq!(findings.internal_links, 11);
        assert_eq!(findings.fragments, 5);
        assert_eq!(findings.pages, 3);
    }
}

//! The book followed as a newcomer follows it: page by page in the order of `SUMMARY.md`, every
//! command block marked as walked runs in a fresh work folder, in the folder its first line
//! names, and must end as the page says.
//!
//! A block is walked when an HTML comment directly above its fence says so, like the include
//! comments `book.rs` checks; the block's first line says where it runs:
//!
//! ````text
//! <!-- walk: exits 1, prints "5 failed, 7 passed" -->
//! ```sh
//! # in work/my-ext
//! just test
//! ```
//! ````
//!
//! `exits N` is the exit status expected (default 0); each `prints "TEXT"` must appear in what
//! the block printed (stdout and stderr). Where the page asks the reader to write an exercise,
//! `<!-- walk: solve exercise N in work/workshop/my-ext -->` stands for the reader: the walk puts
//! the template's complete body in place of that exercise's `todo!()`. Blocks without a marker
//! (a placeholder URL, a long install) are shown, not run.
//!
//! The clone (`work/pyo3-scaffold`) is a copy of this repository's sources, so the walk needs no
//! network beyond the package registries the projects themselves use. Walking takes several
//! minutes (fresh projects build from nothing), so the walk is `#[ignore]`d and run by
//! `just book-walk`; the check that every marker is well-formed runs with the other tests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use scaffold_harness::cache::Cache;
use scaffold_harness::cmd::{Cmd, Status};
use scaffold_harness::tools::{Python, Uv};
use scaffold_harness::tree;

use crate::built::dump;
use crate::support::{cache_dir, render, repo_root};
use crate::workshop::fill_in;

/// The folder every block's `# in` line starts from.
const WORK: &str = "work";

/// The pages a newcomer follows, which must each have walked blocks.
const NEWCOMER_PAGES: &[&str] = &[
    "getting-started.md",
    "workshop/index.md",
    "workshop/01-first-function.md",
    "workshop/02-class.md",
    "workshop/03-errors.md",
    "workshop/04-panic.md",
    "workshop/05-detach.md",
    "workshop/06-core.md",
    "workshop/07-load-plugins.md",
    "workshop/08-run-plugins.md",
    "workshop/09-packaging.md",
];

#[derive(Debug, PartialEq)]
enum Action {
    /// Run `script` with bash in `dir` (relative to the walk's root, `work/...`).
    Run {
        dir: String,
        script: String,
        exits: i32,
        prints: Vec<String>,
    },
    /// Do exercise `number` in the project at `dir`, as the reader would.
    Solve { number: u32, dir: String },
}

#[derive(Debug)]
struct Step {
    /// `docs/src/...md:LINE`, for messages.
    at: String,
    action: Action,
}

/// The pages in the book's order, as `SUMMARY.md` lists them.
fn pages_in_order() -> Vec<String> {
    let src = repo_root().join("docs/src");
    let summary = fs_err::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md reads");
    let link = Regex::new(r"\]\(([^)]+\.md)\)").unwrap();
    link.captures_iter(&summary)
        .map(|captures| captures[1].to_owned())
        .collect()
}

/// The walk's steps on one page, or what is wrong with its markers.
fn steps(page: &str, text: &str) -> Result<Vec<Step>, Vec<String>> {
    let marker = Regex::new(r"^<!--\s*walk(?::\s*(.*?))?\s*-->$").unwrap();
    let solve = Regex::new(r"^solve exercise (\d+) in (work(?:/\S+)?)$").unwrap();
    let exits = Regex::new(r"^exits (\d+)$").unwrap();
    let prints = Regex::new(r#"^prints "(.*)"$"#).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    for (index, line) in lines.iter().enumerate() {
        let at = format!("docs/src/{page}:{}", index + 1);
        let Some(captures) = marker.captures(line.trim()) else {
            continue;
        };
        let options = captures.get(1).map_or("", |m| m.as_str());
        if let Some(solve) = solve.captures(options) {
            found.push(Step {
                at,
                action: Action::Solve {
                    number: solve[1].parse().unwrap(),
                    dir: solve[2].to_owned(),
                },
            });
            continue;
        }
        let (mut expected_exit, mut expected_prints) = (0, Vec::new());
        for option in split_options(options) {
            if let Some(code) = exits.captures(&option) {
                expected_exit = code[1].parse().unwrap();
            } else if let Some(text) = prints.captures(&option) {
                expected_prints.push(text[1].to_owned());
            } else {
                problems.push(format!("{at}: unknown walk option `{option}`"));
            }
        }
        // Another marker may stand between (a solve step); the fence follows the run markers.
        let fence_at = index + 1;
        let fence = lines.get(fence_at).map(|l| l.trim_start()).unwrap_or("");
        if fence != "```sh" {
            problems.push(format!(
                "{at}: a walk marker must stand directly above a ```sh fence"
            ));
            continue;
        }
        let indent = lines[fence_at].len() - fence.len();
        let body: Vec<&str> = lines[fence_at + 1..]
            .iter()
            .take_while(|l| l.trim_start() != "```")
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
            .collect();
        let Some(dir) = body.first().and_then(|first| first.strip_prefix("# in ")) else {
            problems.push(format!(
                "{at}: a walked block starts with `# in {WORK}/...`, the folder it runs in"
            ));
            continue;
        };
        if dir != WORK && !dir.starts_with(&format!("{WORK}/")) {
            problems.push(format!("{at}: `# in {dir}` is not under `{WORK}`"));
            continue;
        }
        found.push(Step {
            at,
            action: Action::Run {
                dir: dir.to_owned(),
                script: body[1..].join("\n"),
                exits: expected_exit,
                prints: expected_prints,
            },
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// `exits 1, prints "a, b"` → `exits 1`, `prints "a, b"`: commas inside quotes stay.
fn split_options(options: &str) -> Vec<String> {
    let (mut parts, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in options.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect()
}

/// Every step of the book, in order.
fn book_steps() -> Vec<Step> {
    let src = repo_root().join("docs/src");
    let (mut all, mut problems) = (Vec::new(), Vec::new());
    for page in pages_in_order() {
        let text = fs_err::read_to_string(src.join(&page)).expect("a page reads");
        match steps(&page, &text) {
            Ok(found) => all.extend(found),
            Err(found) => problems.extend(found),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    all
}

#[test]
fn every_walk_marker_is_well_formed_and_each_newcomer_page_is_walked() {
    let steps = book_steps();
    let walked: BTreeSet<&str> = steps
        .iter()
        .filter_map(|step| step.at.strip_prefix("docs/src/"))
        .filter_map(|at| at.split_once(':').map(|(page, _)| page))
        .collect();
    for page in NEWCOMER_PAGES {
        assert!(walked.contains(page), "{page} has no walked block");
    }
    // Every exercise is solved before the pages go on, in the order of the workshop.
    let solved: Vec<u32> = steps
        .iter()
        .filter_map(|step| match step.action {
            Action::Solve { number, .. } => Some(number),
            Action::Run { .. } => None,
        })
        .collect();
    assert_eq!(solved, [1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn markers_are_read_with_their_folder_exit_status_and_output() {
    let page = "intro\n<!-- walk: exits 1, prints \"5 failed, 7 passed\" -->\n```sh\n# in work/my-ext\n\
                just test\n```\n\n1. Step\n\n   <!-- walk -->\n   ```sh\n   # in work\n   ls\n   \
                ```\n<!-- walk: solve exercise 3 in work/workshop/my-ext -->\n";
    let found = steps("p.md", page).unwrap();
    let actions: Vec<&Action> = found.iter().map(|step| &step.action).collect();
    assert_eq!(
        actions,
        [
            &Action::Run {
                dir: "work/my-ext".into(),
                script: "just test".into(),
                exits: 1,
                prints: vec!["5 failed, 7 passed".into()],
            },
            &Action::Run {
                dir: "work".into(),
                script: "ls".into(),
                exits: 0,
                prints: vec![],
            },
            &Action::Solve {
                number: 3,
                dir: "work/workshop/my-ext".into(),
            },
        ]
    );
    assert_eq!(found[0].at, "docs/src/p.md:2");

    let wrong = "<!-- walk -->\ntext\n<!-- walk -->\n```sh\nls\n```\n<!-- walk: loud -->\n```sh\n# in /tmp\n```\n";
    assert_eq!(
        steps("p.md", wrong).unwrap_err(),
        [
            "docs/src/p.md:1: a walk marker must stand directly above a ```sh fence",
            "docs/src/p.md:3: a walked block starts with `# in work/...`, the folder it runs in",
            "docs/src/p.md:7: unknown walk option `loud`",
            "docs/src/p.md:7: `# in /tmp` is not under `work`",
        ]
    );
}

/// A folder of the tools the book assumes on `PATH` that this machine may lack: uv (the one the
/// harness uses) and just (from PyPI's `rust-just`, through uv).
fn tools_dir(root: &Path) -> PathBuf {
    let cache = Cache::open(cache_dir()).expect("the test cache opens");
    let python = Python::find("python3").expect("python3 is installed");
    let uv = Uv::find(&cache, &python, true).expect("uv is found or installed");
    let bin = root.join("bin");
    fs_err::create_dir_all(&bin).unwrap();
    fs_err::os::unix::fs::symlink(&uv.path, bin.join("uv")).unwrap();
    let just = bin.join("just");
    fs_err::write(
        &just,
        format!(
            "#!/bin/sh\nexec '{}' tool run --quiet --from 'rust-just>=1.40' just \"$@\"\n",
            uv.path.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs_err::set_permissions(&just, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Puts the template's complete body of exercise `number` into the project at `dir`.
fn solve(root: &Path, number: u32, dir: &str) {
    let project = root.join(dir);
    let style = if project.join("crates/python/src/message.rs").exists() {
        "greet"
    } else {
        "text-processor"
    };
    let name = project.file_name().unwrap();
    let complete = root.join("complete").join(format!("{number}")).join(name);
    render(style, &complete, &[]);
    fill_in(&project, &complete, number);
}

#[test]
#[ignore = "several minutes: `just book-walk` runs it"]
fn the_book_followed_page_by_page_in_a_fresh_folder() {
    let steps = book_steps();
    let root = tempfile::tempdir().expect("a temp folder");
    let work = root.path().join(WORK);
    // The clone: this repository's sources as they are now, committed or not.
    tree::copy_sources(&repo_root(), &work.join("pyo3-scaffold")).expect("copy the repository");
    let bin = tools_dir(root.path());
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for step in steps {
        let (dir, script, exits, prints) = match &step.action {
            Action::Solve { number, dir } => {
                solve(root.path(), *number, dir);
                continue;
            }
            Action::Run {
                dir,
                script,
                exits,
                prints,
            } => (dir, script, *exits, prints),
        };
        let cwd = root.path().join(dir);
        let mut command = Cmd::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .cwd(&cwd)
            .env("PATH", &path)
            .env("SCAFFOLD_HARNESS_CACHE", cache_dir())
            .env("GIT_AUTHOR_NAME", "Reader")
            .env("GIT_AUTHOR_EMAIL", "reader@example.invalid")
            .env("GIT_COMMITTER_NAME", "Reader")
            .env("GIT_COMMITTER_EMAIL", "reader@example.invalid")
            .timeout(Duration::from_secs(1800))
            .stdout_limit(16 << 20);
        if cwd.ends_with("pyo3-scaffold") {
            // The harness in the clone builds once per machine, not once per walk.
            command = command.env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("book-walk-target"),
            );
        }
        eprintln!("walk: {} ({dir})", step.at);
        let output = command.output().expect("bash runs");
        let printed = format!("{}{}", output.stdout, output.stderr);
        let problem = if output.status != Status::Exited(exits) {
            Some(format!("expected exit status {exits}"))
        } else {
            prints
                .iter()
                .find(|text| !printed.contains(text.as_str()))
                .map(|text| format!("expected it to print {text:?}"))
        };
        if let Some(problem) = problem {
            panic!(
                "{}: {problem}\n$ cd {dir}\n{script}\n{}",
                step.at,
                dump(&output)
            );
        }
    }
}

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
//! the template's complete body in place of that exercise's `todo!()`. A block that cannot run in
//! a fresh folder (a placeholder URL, a long install, a clone's build) says why instead, with
//! `<!-- not walked: REASON -->`; a command block with neither marker fails the checks (see
//! [`markers`]), so every command the book shows is either run here or excused in the page.
//!
//! The book's commands use the installed `pyo3-scaffold` command. The walk does not install it:
//! it puts this test's own build of the binary on `PATH` under that name, with uv and just
//! (see [`tools_dir`]), so the walk needs no clone and no network beyond the package registries
//! the projects themselves use. A page that quotes what a walked block prints marks the quote
//! `<!-- walk: output -->`, and the walk compares it (see [`markers`]). The walk is one test of
//! `cargo test`, so CI runs it with the others: a count the book quotes cannot go stale. It
//! takes minutes (about 2.5 warm: its projects build into a target folder kept in the test
//! cache); `just book-walk` runs it alone, with its progress shown.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use scaffold_harness::base::cache::Cache;
use scaffold_harness::base::cmd::{Cmd, Status};
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::python::uv::Uv;
use scaffold_harness::workshop::catalog;

use crate::built::dump;
use crate::support::{cache_dir, repo_root};
use crate::workshop::fill_in;

mod markers;

use markers::{Action, Step, matches_output, steps};

/// The folder every block's `# in` line starts from.
const WORK: &str = "work";

/// The programs a walked block may run: those the walk puts on `PATH` ([`tools_dir`]: the
/// command the book teaches, uv and just), and those any machine that runs these tests has.
/// A program inside the walk's own folders (`../wheel-test/bin/python`) may run too.
const WALKABLE: &[&str] = &[
    "pyo3-scaffold",
    "uv",
    "just",
    "git",
    "perl",
    "ls",
    "unzip",
    "mkdir",
    "printf",
    "rm",
];

/// The pages a newcomer follows, which must each have walked blocks, besides every page of a
/// style and of the workshop (`styles/`, `workshop/`), which are walked too.
const NEWCOMER_PAGES: &[&str] = &[
    "getting-started.md",
    "errors.md",
    "interpreter-lock.md",
    "plugins.md",
    "panics.md",
    "benchmarks.md",
    "harness/index.md",
    "harness/reference.md",
    "ci.md",
    "troubleshooting.md",
];

/// The folders of the book whose every page is walked: one page per style, one per exercise.
const WALKED_FOLDERS: &[&str] = &["styles/", "workshop/"];

/// The pages in the book's order, as `SUMMARY.md` lists them.
fn pages_in_order() -> Vec<String> {
    let src = repo_root().join("docs/src");
    let summary = fs_err::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md reads");
    let link = Regex::new(r"\]\(([^)]+\.md)\)").unwrap();
    link.captures_iter(&summary)
        .map(|captures| captures[1].to_owned())
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
    let in_folders = pages_in_order()
        .into_iter()
        .filter(|page| WALKED_FOLDERS.iter().any(|folder| page.starts_with(folder)));
    let pages: Vec<String> = NEWCOMER_PAGES
        .iter()
        .map(|page| (*page).to_owned())
        .chain(in_folders)
        .collect();
    assert!(pages.contains(&"workshop/index.md".to_owned()), "{pages:?}");
    for page in &pages {
        assert!(walked.contains(page.as_str()), "{page} has no walked block");
    }
    // Every exercise of the catalogue is solved before the pages go on, in its order.
    let solved: Vec<u32> = steps
        .iter()
        .filter_map(|step| match step.action {
            Action::Solve { number, .. } => Some(number),
            Action::Run { .. } => None,
        })
        .collect();
    let exercises: Vec<u32> = catalog::all().iter().map(|entry| entry.number).collect();
    assert_eq!(solved, exercises);
}

/// Every count `N/T behaviours pass` a walked block of `page` is said to print (in its marker's
/// `prints` or in a quote of its output), as `(N, T)`.
fn counts_printed_on(steps: &[Step], page: &str) -> Vec<(u32, u32)> {
    let count = Regex::new(r"(\d+)/(\d+) behaviours pass").unwrap();
    steps
        .iter()
        .filter(|step| step.at.starts_with(&format!("docs/src/{page}:")))
        .flat_map(|step| match &step.action {
            Action::Run { prints, output, .. } => prints
                .iter()
                .chain(output.iter().flatten())
                .cloned()
                .collect::<Vec<_>>(),
            Action::Solve { .. } => Vec::new(),
        })
        .flat_map(|text| {
            count
                .captures_iter(&text)
                .map(|found| (found[1].parse().unwrap(), found[2].parse().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The tables of counts on the workshop's index: each headed `| done | STYLE behaviours passing
/// | ... |`, as `(styles, rows)` with every row's cells.
fn tables_of_counts(index: &str) -> Vec<(Vec<String>, Vec<Vec<&str>>)> {
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect()
    };
    let mut tables = Vec::new();
    let mut lines = index.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("| done |") {
            continue;
        }
        let styles = cells(line)[1..]
            .iter()
            .map(|column| {
                column
                    .strip_suffix(" behaviours passing")
                    .unwrap_or_else(|| panic!("a column of the table of counts: {column:?}"))
                    .to_owned()
            })
            .collect();
        let rows = lines
            .by_ref()
            .skip(1)
            .take_while(|line| line.starts_with('|'))
            .map(|line| line.trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        tables.push((styles, rows));
    }
    tables
}

#[test]
fn the_workshops_table_of_counts_is_what_the_walked_checks_print() {
    let steps = book_steps();
    let src = repo_root().join("docs/src");
    let index = fs_err::read_to_string(src.join("workshop/index.md")).unwrap();
    let tables = tables_of_counts(&index);
    // Every style with exercises has its column.
    let counted: BTreeSet<&str> = tables
        .iter()
        .flat_map(|(styles, _)| styles.iter().map(String::as_str))
        .collect();
    let with_exercises: BTreeSet<&str> = catalog::all()
        .iter()
        .map(|entry| entry.style.as_str())
        .collect();
    assert_eq!(counted, with_exercises);
    let number = Regex::new(r"\d+").unwrap();
    for (styles, rows) in &tables {
        assert!(rows.len() > 2, "{rows:?}");
        let mut totals = vec![0; styles.len()];
        for row in rows {
            let page = match number.find_iter(row[0]).last() {
                None => "workshop/index.md".to_owned(),
                Some(last) => {
                    let prefix = format!("{:02}-", last.as_str().parse::<u32>().unwrap());
                    let pages = fs_err::read_dir(src.join("workshop")).unwrap();
                    let name = pages
                        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                        .find(|name| name.starts_with(&prefix))
                        .unwrap_or_else(|| panic!("no page for exercise {}", last.as_str()));
                    format!("workshop/{name}")
                }
            };
            let printed = counts_printed_on(&steps, &page);
            for (column, total) in totals.iter_mut().enumerate() {
                let cell = row[column + 1];
                let numbers: Vec<u32> = number
                    .find_iter(cell)
                    .map(|found| found.as_str().parse().unwrap())
                    .collect();
                let passing = match numbers.as_slice() {
                    [] => continue,
                    [passing] => *passing,
                    [passing, of] => {
                        *total = *of;
                        *passing
                    }
                    _ => panic!("a cell of the table of counts: {cell:?}"),
                };
                assert!(
                    printed.contains(&(passing, *total)),
                    "the table says {passing}/{total} {} behaviours after `{}`, but no walked \
                     block of {page} prints it (they print {printed:?})",
                    styles[column],
                    row[0]
                );
            }
        }
    }
}

/// The program each command of a shell script runs: the first word of every command, split at
/// unquoted `;`, `&&`, `||`, `|` and line ends, with `NAME=value` prefixes and comments left out.
fn programs(script: &str) -> Vec<String> {
    let (mut programs, mut word, mut at_command_start) = (Vec::new(), String::new(), true);
    let (mut quote, mut comment) = (None, false);
    let mut end_word = |word: &mut String, at_command_start: &mut bool| {
        let is_assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if *at_command_start && !word.is_empty() && !is_assignment {
            programs.push(std::mem::take(word));
            *at_command_start = false;
        }
        word.clear();
    };
    for c in script.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                at_command_start = true;
            }
            continue;
        }
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if word.is_empty() => comment = true,
            (None, ';' | '&' | '|' | '\n') => {
                end_word(&mut word, &mut at_command_start);
                at_command_start = true;
            }
            (None, c) if c.is_whitespace() => end_word(&mut word, &mut at_command_start),
            (None, c) => word.push(c),
        }
    }
    end_word(&mut word, &mut at_command_start);
    programs
}

/// Whether the walk can run `program`: see [`WALKABLE`].
fn walkable(program: &str) -> bool {
    WALKABLE.contains(&program) || program.starts_with("./") || program.starts_with("../")
}

#[test]
fn every_walked_block_runs_only_commands_the_walk_provides() {
    let unrunnable: Vec<String> = book_steps()
        .iter()
        .filter_map(|step| match &step.action {
            Action::Run { script, .. } => Some((step, script)),
            Action::Solve { .. } => None,
        })
        .flat_map(|(step, script)| {
            programs(script)
                .into_iter()
                .filter(|program| !walkable(program))
                .map(move |program| format!("{}: `{program}`", step.at))
        })
        .collect();
    assert!(
        unrunnable.is_empty(),
        "walked blocks run commands the walk does not provide (it provides {WALKABLE:?}); \
         use the installed command, or leave the block unwalked:\n{}",
        unrunnable.join("\n")
    );
}

#[test]
fn the_programs_of_a_script_are_the_first_words_of_its_commands() {
    let script = "uv venv ../wheel-test && ../wheel-test/bin/python -m pytest\n\
                  just wheels                  # or: cargo build; mdbook\n\
                  uv run python -c \"import my_ext; my_ext.panic_with('a | b')\"\n\
                  RUST_BACKTRACE=1 just test || git status; ls dist/ | unzip -l x\n\
                  cargo run -p scaffold-harness -- check ../my-ext";
    assert_eq!(
        programs(script),
        [
            "uv",
            "../wheel-test/bin/python",
            "just",
            "uv",
            "just",
            "git",
            "ls",
            "unzip",
            "cargo"
        ]
    );
    let runnable: Vec<bool> = [
        "pyo3-scaffold",
        "../wheel-test/bin/python",
        "cargo",
        "mdbook",
    ]
    .iter()
    .map(|program| walkable(program))
    .collect();
    assert_eq!(runnable, [true, true, false, false]);
}

/// A folder of the tools the book assumes on `PATH`: `pyo3-scaffold`, this test's own build of
/// the binary under the name the book uses, as if it were installed; uv (the one the harness
/// uses); and just (from PyPI's `rust-just`, through uv).
fn tools_dir(root: &Path) -> PathBuf {
    let cache = Cache::open(cache_dir()).expect("the test cache opens");
    let python = Python::find("python3").expect("python3 is installed");
    let uv = Uv::find(&cache, &python, true).expect("uv is found or installed");
    let bin = root.join("bin");
    fs_err::create_dir_all(&bin).unwrap();
    scaffold_harness::platform::symlink(
        Path::new(env!("CARGO_BIN_EXE_pyo3-scaffold")),
        &bin.join("pyo3-scaffold"),
    )
    .unwrap();
    scaffold_harness::platform::symlink(&uv.path, &bin.join("uv")).unwrap();
    let just = bin.join("just");
    fs_err::write(
        &just,
        format!(
            "#!/bin/sh\nexec '{}' tool run --quiet --from 'rust-just>=1.40' just \"$@\"\n",
            uv.path.display()
        ),
    )
    .unwrap();
    scaffold_harness::platform::set_executable(&just).unwrap();
    bin
}

/// Puts the template's complete body of exercise `number` into the project at `dir`.
fn solve(root: &Path, number: u32, dir: &str) {
    fill_in(&root.join(dir), number);
}

#[test]
fn the_book_followed_page_by_page_in_a_fresh_folder() {
    let steps = book_steps();
    let root = tempfile::tempdir().expect("a temp folder");
    fs_err::create_dir_all(root.path().join(WORK)).unwrap();
    let bin = tools_dir(root.path());
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for step in steps {
        let (dir, script, exits, prints, quotes) = match &step.action {
            Action::Solve { number, dir } => {
                solve(root.path(), *number, dir);
                continue;
            }
            Action::Run {
                dir,
                script,
                exits,
                prints,
                output,
            } => (dir, script, *exits, prints, output),
        };
        let cwd = root.path().join(dir);
        // Each project folder of the walk builds into a target folder of its own in the test
        // cache, kept from one walk to the next: a reader's `just test` builds the same code
        // in the project's `target/`, and a warm walk compiles only what changed.
        let target = cache_dir()
            .join("book-walk")
            .join(dir.replace(['/', '\\'], "-"));
        let command = Cmd::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .cwd(&cwd)
            .env("PATH", &path)
            .env("SCAFFOLD_HARNESS_CACHE", cache_dir())
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("SCAFFOLD_TEMPLATE")
            .env("GIT_AUTHOR_NAME", "Reader")
            .env("GIT_AUTHOR_EMAIL", "reader@example.invalid")
            .env("GIT_COMMITTER_NAME", "Reader")
            .env("GIT_COMMITTER_EMAIL", "reader@example.invalid")
            .timeout(Duration::from_secs(1800))
            .stdout_limit(16 << 20);
        let started = std::time::Instant::now();
        let output = command.output().expect("bash runs");
        // The time each block takes, so a slow page shows in the walk's log.
        eprintln!(
            "walk: {} ({dir}) {:.1} s",
            step.at,
            started.elapsed().as_secs_f64()
        );
        let printed = format!("{}{}", output.stdout, output.stderr);
        let problem = if output.status != Status::Exited(exits) {
            Some(format!("expected exit status {exits}"))
        } else {
            prints
                .iter()
                .find(|text| !printed.contains(text.as_str()))
                .map(|text| format!("expected it to print {text:?}"))
                .or_else(|| {
                    quotes.iter().find_map(|quote| {
                        matches_output(&printed, quote)
                            .err()
                            .map(|why| format!("the page's quote of its output differs: {why}"))
                    })
                })
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

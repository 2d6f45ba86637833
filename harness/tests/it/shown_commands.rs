//! Every `pyo3-scaffold` command the README and the book show is one the binary has: each
//! subcommand exists, and each option written after it is one that subcommand takes. A renamed
//! command or option then fails here instead of in a reader's terminal.
//!
//! A shown command is `pyo3-scaffold` followed by words, in a code block or in inline code; its
//! words end at a comment, a shell operator or the end of the code. Placeholders
//! (`pyo3-scaffold COMMAND --help`, `[GLOBAL OPTIONS]`) and the `--version` output
//! (`pyo3-scaffold 0.1.0 (template …)`) name no command and are skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use regex::Regex;
use scaffold_harness::cli::Cli;
use walkdir::WalkDir;

use crate::support::repo_root;

/// README.md and every page of the book.
fn documents() -> Vec<PathBuf> {
    let root = repo_root();
    let mut found = vec![root.join("README.md")];
    found.extend(
        WalkDir::new(root.join("docs/src"))
            .into_iter()
            .map(|entry| entry.expect("docs/src is readable").into_path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md")),
    );
    found.sort();
    found
}

/// The code in `text`: each line of a fenced block, and each inline code span elsewhere.
fn code(text: &str) -> Vec<(usize, String)> {
    let inline = Regex::new(r"`([^`\n]+)`").unwrap();
    let (mut found, mut fenced) = (Vec::new(), false);
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if fenced {
            found.push((index + 1, line.to_owned()));
        } else {
            found.extend(
                inline
                    .captures_iter(line)
                    .map(|c| (index + 1, c[1].to_owned())),
            );
        }
    }
    found
}

/// The words after each `pyo3-scaffold` in a piece of code, up to a comment or an operator.
/// After an option (`--path pyo3-scaffold template`) or `cd`, it names the clone's folder.
fn shown(code: &str) -> Vec<Vec<String>> {
    let command = Regex::new(r"(?:^|(\S*)[ \t(]+)pyo3-scaffold[ \t]+([^#|;&>`)\n]*)").unwrap();
    command
        .captures_iter(code)
        .filter(|c| {
            let before = c.get(1).map_or("", |m| m.as_str());
            !before.starts_with('-') && before != "cd"
        })
        .map(|c| c[2].split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// What is wrong with one shown command, if anything.
fn problem(words: &[String]) -> Option<String> {
    let mut root = Cli::command();
    root.build();
    let mut words = words.iter().map(String::as_str).peekable();
    if words.peek() == Some(&"[GLOBAL") {
        words.nth(1);
    }
    let first = *words.peek()?;
    let is_placeholder = first.starts_with('<')
        || first.chars().next().is_some_and(|c| c.is_ascii_digit())
        || first.chars().all(|c| c.is_ascii_uppercase());
    if is_placeholder {
        return None;
    }
    let command = if first.starts_with('-') {
        Some(&root)
    } else {
        words.next();
        root.find_subcommand(first)
    };
    let Some(mut command) = command else {
        return Some(format!("`{first}` is not a command"));
    };
    // A command of commands (`dev check`): the next word names one of them.
    while let Some(sub) = words.peek().and_then(|word| command.find_subcommand(word)) {
        command = sub;
        words.next();
    }
    let known: BTreeSet<String> = command
        .get_arguments()
        .flat_map(|arg| {
            let long = arg.get_long().map(|long| format!("--{long}"));
            let short = arg.get_short().map(|short| format!("-{short}"));
            long.into_iter().chain(short)
        })
        .chain(["--help", "-h"].map(str::to_owned))
        .collect();
    words
        .map(|word| {
            word.trim_start_matches('[')
                .trim_end_matches([']', '…', ','])
        })
        .filter(|word| word.starts_with('-') && word.len() > 1)
        .map(|word| word.split('=').next().unwrap_or(word))
        .find(|option| !known.contains(*option))
        .map(|option| format!("`{option}` is not an option of `{}`", command.get_name()))
}

fn shown_in(path: &Path) -> Vec<(usize, Vec<String>)> {
    let text = fs_err::read_to_string(path).expect("a document reads");
    code(&text)
        .into_iter()
        .flat_map(|(line, code)| shown(&code).into_iter().map(move |words| (line, words)))
        .collect()
}

#[test]
fn every_command_the_readme_and_the_book_show_exists() {
    let root = repo_root();
    let (mut problems, mut checked) = (Vec::new(), 0);
    for path in documents() {
        let at = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        for (line, words) in shown_in(&path) {
            checked += 1;
            if let Some(found) = problem(&words) {
                problems.push(format!(
                    "{at}:{line}: pyo3-scaffold {}: {found}",
                    words.join(" ")
                ));
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} shown commands found: is the reader broken?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wrong_command_or_option_is_found() {
    let words =
        |text: &str| -> Vec<String> { text.split_whitespace().map(str::to_owned).collect() };
    assert_eq!(
        problem(&words("check DIR --style S --keep --json FILE")),
        None
    );
    assert_eq!(
        problem(&words("new my-ext --style text-processor -d abi3=false")),
        None
    );
    assert_eq!(
        problem(&words("[GLOBAL OPTIONS] matrix [--style S]… [--jobs N]")),
        None
    );
    assert_eq!(problem(&words("COMMAND --help")), None);
    assert_eq!(problem(&words("dev check --style greet")), None);
    assert_eq!(
        problem(&words("dev check --keep")),
        Some("`--keep` is not an option of `check`".to_owned())
    );
    assert_eq!(problem(&words("0.1.0 (template 9729dbb3bb92)")), None);
    assert_eq!(
        problem(&words("check DIR --watch")),
        Some("`--watch` is not an option of `check`".to_owned())
    );
    assert_eq!(
        problem(&words("generate my-ext")),
        Some("`generate` is not a command".to_owned())
    );
    assert_eq!(
        problem(&words("new my-ext --force")),
        Some("`--force` is not an option of `new`".to_owned())
    );
    assert_eq!(
        shown("cd my-ext && pyo3-scaffold check . --keep  # the checklist"),
        [words("check . --keep")]
    );
    let none = Vec::<Vec<String>>::new();
    assert_eq!(shown("the [tool.pyo3-scaffold] table"), none);
    assert_eq!(shown("cargo generate --path pyo3-scaffold template"), none);
    assert_eq!(shown("cd pyo3-scaffold && cargo test"), none);
    assert_eq!(
        shown("uvx --from <that .whl> pyo3-scaffold new x"),
        [words("new x")]
    );
}

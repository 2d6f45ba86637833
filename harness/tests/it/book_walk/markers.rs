//! Reading a page's markers: the steps of the walk, and every command block the walk leaves out
//! with the reason it gives.
//!
//! A page that quotes what a walked block prints says so with `<!-- walk: output -->` directly
//! above a ```` ```text ```` fence: the quote is then compared with what the last walked block
//! above it printed (see [`matches_output`]), so a count or a line that goes stale fails the walk.
//!
//! Every block of commands (a ```` ```sh ```` fence) carries one of two comments directly above
//! its fence: `<!-- walk ... -->`, and the walk runs it, or `<!-- not walked: REASON -->`, and
//! the reason says why it cannot run in a fresh folder (a network, a clone's long build, a
//! placeholder). A block with neither is an error, so a page cannot show a command that nothing
//! follows or excuses. Commands are fenced as `sh`: a `bash`, `shell` or `console` fence is an
//! error too, so none escapes the check by its label.

use regex::Regex;

use super::WORK;

/// The fence labels other than `sh` that would hold commands.
const OTHER_COMMAND_FENCES: &[&str] = &["bash", "shell", "console", "zsh", "shell-session"];

#[derive(Debug, PartialEq)]
pub enum Action {
    /// Run `script` with bash in `dir` (relative to the walk's root, `work/...`).
    Run {
        dir: String,
        script: String,
        exits: i32,
        prints: Vec<String>,
        /// The quotes of its output that the page shows below it, each a block's lines.
        output: Vec<Vec<String>>,
    },
    /// Do exercise `number` in the project at `dir`, as the reader would.
    Solve { number: u32, dir: String },
}

#[derive(Debug)]
pub struct Step {
    /// `docs/src/...md:LINE`, for messages.
    pub at: String,
    pub action: Action,
}

/// The walk's steps on one page, or what is wrong with its markers.
pub fn steps(page: &str, text: &str) -> Result<Vec<Step>, Vec<String>> {
    let marker = Regex::new(r"^<!--\s*walk(?::\s*(.*?))?\s*-->$").unwrap();
    let not_walked = Regex::new(r"^<!--\s*not walked(?::\s*(.*?))?\s*-->$").unwrap();
    let solve = Regex::new(r"^solve exercise (\d+) in (work(?:/\S+)?)$").unwrap();
    let exits = Regex::new(r"^exits (\d+)$").unwrap();
    let output = Regex::new(r"^<!--\s*walk:\s*output\s*-->$").unwrap();
    let prints = Regex::new(r#"^prints "(.*)"$"#).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    for (index, line) in lines.iter().enumerate() {
        let at = format!("docs/src/{page}:{}", index + 1);
        let trimmed = line.trim();
        if let Some(label) = trimmed.strip_prefix("```").map(str::trim) {
            let above = index.checked_sub(1).map_or("", |above| lines[above].trim());
            let marked = (marker.is_match(above) && !above.contains("solve exercise"))
                || not_walked.is_match(above);
            if OTHER_COMMAND_FENCES.contains(&label) {
                problems.push(format!(
                    "{at}: commands are fenced ```sh, so that the walk's check sees them"
                ));
            } else if label == "sh" && !marked {
                problems.push(format!(
                    "{at}: a ```sh block needs `<!-- walk ... -->` or `<!-- not walked: REASON -->` \
                     directly above its fence"
                ));
            }
            continue;
        }
        if let Some(captures) = not_walked.captures(trimmed) {
            let reason = captures.get(1).map_or("", |m| m.as_str());
            let fence = lines.get(index + 1).map_or("", |l| l.trim());
            if reason.is_empty() {
                problems.push(format!(
                    "{at}: `not walked` gives its reason: `<!-- not walked: REASON -->`"
                ));
            } else if fence != "```sh" {
                problems.push(format!(
                    "{at}: a `not walked` marker must stand directly above a ```sh fence"
                ));
            }
            continue;
        }
        if output.is_match(trimmed) {
            match fenced(&lines, index + 1, "text") {
                None => problems.push(format!(
                    "{at}: an output marker must stand directly above a ```text fence"
                )),
                Some(body) => match found.iter_mut().rev().find_map(|step: &mut Step| {
                    match &mut step.action {
                        Action::Run { output, .. } => Some(output),
                        Action::Solve { .. } => None,
                    }
                }) {
                    Some(outputs) => outputs.push(body),
                    None => problems.push(format!(
                        "{at}: an output block quotes a walked block above it on its page; \
                         there is none"
                    )),
                },
            }
            continue;
        }
        let Some(captures) = marker.captures(trimmed) else {
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
        let fence_at = index + 1;
        let fence = lines.get(fence_at).map_or("", |l| l.trim_start());
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
                output: Vec::new(),
            },
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// The lines of the block whose ```` ```label ```` fence is line `at` of `lines`, without the
/// fence's indent; `None` when line `at` is no such fence.
fn fenced(lines: &[&str], at: usize, label: &str) -> Option<Vec<String>> {
    let line = lines.get(at)?;
    let fence = line.trim_start();
    if fence.trim_end() != format!("```{label}") {
        return None;
    }
    let indent = line.len() - fence.len();
    Some(
        lines[at + 1..]
            .iter()
            .take_while(|l| l.trim_start() != "```")
            .map(|l| {
                l.get(indent..)
                    .unwrap_or(l.trim_start())
                    .trim_end()
                    .to_owned()
            })
            .collect(),
    )
}

/// Whether `printed` holds the quote `expected`: its lines in order and next to each other,
/// except that a line `...` stands for any number of lines, and `…` inside a line for any text
/// (a time, the rest of a long hint). Trailing spaces do not count.
pub fn matches_output(printed: &str, expected: &[String]) -> Result<(), String> {
    let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
    let line_matches = |want: &str, have: &str| {
        let parts: Vec<&str> = want.split('…').collect();
        match parts.as_slice() {
            [only] => *only == have,
            [first, middle @ .., last] => {
                let Some(mut rest) = have.strip_prefix(first) else {
                    return false;
                };
                for part in middle {
                    match rest.find(part) {
                        Some(at) => rest = &rest[at + part.len()..],
                        None => return false,
                    }
                }
                rest.len() >= last.len() && rest.ends_with(last)
            }
            [] => true,
        }
    };
    let groups: Vec<&[String]> = expected
        .split(|line| matches!(line.trim(), "..." | "…"))
        .filter(|group| !group.is_empty())
        .collect();
    let mut from = 0;
    for group in groups {
        let start = (from..=printed.len().saturating_sub(group.len())).find(|&start| {
            group
                .iter()
                .zip(&printed[start..])
                .all(|(want, have)| line_matches(want, have))
        });
        match start {
            Some(start) if start + group.len() <= printed.len() => from = start + group.len(),
            _ => {
                // The longest start of the group that is there, to say where it parts.
                let (best, at) = (from..printed.len())
                    .map(|start| {
                        let matched = group
                            .iter()
                            .zip(&printed[start..])
                            .take_while(|(want, have)| line_matches(want, have))
                            .count();
                        (matched, start)
                    })
                    .max_by_key(|(matched, start)| (*matched, std::cmp::Reverse(*start)))
                    .unwrap_or((0, from));
                let found = printed.get(at + best).copied().unwrap_or("(the end)");
                return Err(format!(
                    "the quoted line {:?} is not what was printed there ({found:?})",
                    group[best.min(group.len() - 1)]
                ));
            }
        }
    }
    Ok(())
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

#[test]
fn markers_are_read_with_their_folder_exit_status_and_output() {
    let page = "intro\n<!-- walk: exits 1, prints \"5 failed, 7 passed\" -->\n```sh\n# in work/my-ext\n\
                just test\n```\n<!-- walk: output -->\n```text\n5 failed, 7 passed in 3.2s\n```\n\n1. Step\n\n   <!-- walk -->\n   ```sh\n   # in work\n   ls\n   \
                ```\n<!-- walk: solve exercise 3 in work/workshop/my-ext -->\n\
                <!-- not walked: needs a GitHub runner -->\n```sh\ngh run list\n```\n";
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
                output: vec![vec!["5 failed, 7 passed in 3.2s".into()]],
            },
            &Action::Run {
                dir: "work".into(),
                script: "ls".into(),
                exits: 0,
                prints: vec![],
                output: vec![],
            },
            &Action::Solve {
                number: 3,
                dir: "work/workshop/my-ext".into(),
            },
        ]
    );
    assert_eq!(found[0].at, "docs/src/p.md:2");

    let wrong = "<!-- walk -->\ntext\n<!-- walk -->\n```sh\nls\n```\n<!-- walk: loud -->\n```sh\n# in /tmp\n```\n\
                 <!-- walk: output -->\n```sh\nx\n```\n";
    assert_eq!(
        steps("p.md", wrong).unwrap_err(),
        [
            "docs/src/p.md:1: a walk marker must stand directly above a ```sh fence",
            "docs/src/p.md:3: a walked block starts with `# in work/...`, the folder it runs in",
            "docs/src/p.md:7: unknown walk option `loud`",
            "docs/src/p.md:7: `# in /tmp` is not under `work`",
            "docs/src/p.md:11: an output marker must stand directly above a ```text fence",
        ]
    );
}

#[test]
fn a_command_block_without_a_marker_and_a_marker_without_a_reason_are_refused() {
    let page = "Install it:\n\n```sh\ncargo install x\n```\n\
                <!-- not walked -->\n```sh\nls\n```\n\
                <!-- not walked: needs a network -->\ntext\n\
                ```bash\nls\n```\n\
                <!-- walk: solve exercise 1 in work/my-ext -->\n```sh\nls\n```\n\
                ```text\nnot commands\n```\n```toml\n[a]\n```\n";
    assert_eq!(
        steps("p.md", page).unwrap_err(),
        [
            "docs/src/p.md:3: a ```sh block needs `<!-- walk ... -->` or `<!-- not walked: \
             REASON -->` directly above its fence",
            "docs/src/p.md:6: `not walked` gives its reason: `<!-- not walked: REASON -->`",
            "docs/src/p.md:10: a `not walked` marker must stand directly above a ```sh fence",
            "docs/src/p.md:12: commands are fenced ```sh, so that the walk's check sees them",
            "docs/src/p.md:16: a ```sh block needs `<!-- walk ... -->` or `<!-- not walked: \
             REASON -->` directly above its fence",
        ]
    );
}

#[test]
fn an_output_quote_matches_in_order_with_gaps_and_elisions() {
    let printed = "== checking ==\nmy-ext (greet): 0/5 exercises done · checked in 3.2s\n\
                   next: exercise 1\n\nchecklist for my-ext\n  passed    a\n  todo      b\n\
                   2/13 behaviours pass\n";
    let quote = |lines: &[&str]| -> Vec<String> { lines.iter().map(|l| (*l).to_owned()).collect() };
    assert_eq!(
        matches_output(
            printed,
            &quote(&[
                "my-ext (greet): 0/5 exercises done · checked in …",
                "next: exercise 1"
            ])
        ),
        Ok(())
    );
    assert_eq!(
        matches_output(
            printed,
            &quote(&["checklist for my-ext", "...", "2/13 behaviours pass"])
        ),
        Ok(())
    );
    assert_eq!(
        matches_output(
            printed,
            &quote(&["next: exercise 1", "checklist for my-ext"])
        ),
        Err(
            "the quoted line \"checklist for my-ext\" is not what was printed there (\"\")"
                .to_owned()
        )
    );
    assert_eq!(
        matches_output(printed, &quote(&["3/13 behaviours pass"])),
        Err(
            "the quoted line \"3/13 behaviours pass\" is not what was printed there \
             (\"== checking ==\")"
                .to_owned()
        )
    );
    // In order: a line quoted after another must be printed after it.
    assert!(
        matches_output(
            printed,
            &quote(&["2/13 behaviours pass", "...", "next: exercise 1"])
        )
        .is_err()
    );
}

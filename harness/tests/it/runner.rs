//! The workshop runner as a learner and an instructor meet it: `watch` driven through a pipe
//! (a solved exercise moves the count up, a compile error shows its `file:line`, a hint level
//! comes when asked for, Ctrl-C leaves nothing behind), `reset` and `solution`, and the
//! results files with their summary.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::sandbox::Sandbox;
use crate::support::{
    Filters, Run, TIMEOUT, Transcript, edit, harness, line_number, run, transcript_snapshot,
    workshop,
};

/// How long to wait for what `watch` prints: a check, within its own `--timeout`.
const WAIT: Duration = TIMEOUT;

const MESSAGE_RS: &str = "crates/python/src/message.rs";
const EXERCISE_1: &str = "todo!(\"exercise 1: greet {name:?} with the core crate's `greet`\")";
const EXERCISE_2: [(&str, &str); 2] = [
    (
        "todo!(\"exercise 2: keep {text:?} in a core `Message`\")",
        "Self {\n            inner: Message::new(text),\n        }",
    ),
    (
        "todo!(\"exercise 2: return the text the core `Message` holds\")",
        "self.inner.text()",
    ),
];

/// `--timeout` as the command line takes it.
fn timeout() -> String {
    TIMEOUT.as_secs().to_string()
}

/// The exercise version of greet, copied to `<dir>/my-ext`.
fn exercise_project(dir: &Path) -> PathBuf {
    let project = dir.join("my-ext");
    scaffold_harness::project::tree::copy_sources(&workshop()["greet"], &project).unwrap();
    project
}

/// `watch` with its stdin and stdout piped; killed (by its pid, with SIGINT, then SIGKILL) if
/// the test fails before it ends.
struct Watch {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    transcript: Vec<String>,
}

impl Watch {
    fn start(sandbox: &Sandbox, project: &Path) -> Watch {
        let mut child = sandbox
            .harness()
            .arg("watch")
            .arg(project)
            .args(["--timeout", &timeout()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            stdin: child.stdin.take(),
            child: Some(child),
            lines,
            transcript: Vec::new(),
        }
    }

    /// Reads until a line holding `needle`; returns that line.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.transcript.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} from watch; it printed:\n{}",
                    self.transcript.join("\n")
                ),
            }
        }
    }

    /// Reads until the prompt that ends a checklist; returns what came since the check began.
    fn next_checklist(&mut self) -> Vec<String> {
        let start = self.transcript.len();
        self.wait_for("watching for saves;");
        let lines = &self.transcript[start..];
        let begun = lines
            .iter()
            .rposition(|line| line.starts_with("== checking: "))
            .map_or(0, |at| at + 1);
        lines[begun..].to_vec()
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = self.child.as_ref().unwrap().id();
        // SAFETY: a signal to the harness this test started.
        assert_eq!(unsafe { libc::kill(pid.cast_signed(), signal) }, 0);
    }

    /// Waits for the end, within a minute; the exit code.
    fn end(&mut self) -> Option<i32> {
        let mut child = self.child.take().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                // What it printed last, for the assertions that follow.
                while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                    self.transcript.push(line);
                }
                return status.code();
            }
            assert!(Instant::now() < deadline, "watch did not end");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id().cast_signed();
            // SAFETY: signals to the harness this test started, which is still running.
            unsafe { libc::kill(pid, libc::SIGINT) };
            std::thread::sleep(Duration::from_secs(5));
            // SAFETY: the same child, which has not been waited for, so its pid is still its own.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = child.wait();
        }
    }
}

#[test]
fn watch_through_a_pipe_counts_up_shows_a_compile_error_and_leaves_nothing_on_ctrl_c() {
    let sandbox = Sandbox::new("runner-watch");
    let project = exercise_project(sandbox.path());
    let message_rs = project.join(MESSAGE_RS);
    let mut watch = Watch::start(&sandbox, &project);

    let first = watch.next_checklist();
    assert!(
        first[0]
            .starts_with("my-ext (greet): 0/5 exercises done, 2/13 behaviours pass · checked in "),
        "{first:#?}"
    );
    assert!(
        first[1].starts_with("next: exercise 1, a first function across the boundary"),
        "{first:#?}"
    );
    assert!(first[2].starts_with("  hint 1 of 2: Look at `PyMessage::greet`"));
    // Only the first level, until asked.
    assert!(!first.iter().any(|line| line.contains("hint 2 of 2")));
    assert!(first.contains(
        &"checklist for my-ext (greet): 0/5 exercises done, 2/13 behaviours pass".to_owned()
    ));

    // Exercise 1 solved: one save, one checklist, the count up.
    edit(&message_rs, EXERCISE_1, "greet(&name)");
    assert_eq!(
        watch.wait_for("== checking: "),
        "== checking: crates/python/src/message.rs changed =="
    );
    let solved = watch.next_checklist();
    assert!(
        solved[0].starts_with("my-ext (greet): 1/5 exercises done, 5/13 behaviours pass"),
        "{solved:#?}"
    );
    assert_eq!(solved[1], "passed for the first time: exercise 1");
    assert!(solved[2].starts_with("next: exercise 2, "), "{solved:#?}");
    assert!(
        solved.contains(&"\n5/13 behaviours pass; to do: exercises 2, 3, 4 and 5"[1..].to_owned())
    );

    // A hint level when asked: the second one, and no checklist again.
    watch.send("h");
    let hint = watch.wait_for("  hint 2 of 2: ");
    assert!(
        hint.contains("Self { inner: Message::new(text) }"),
        "{hint}"
    );

    // A type error: the compiler's first error, file:line, and exercise 1 still counted done.
    edit(&message_rs, "        greet(&name)\n", "        42\n");
    let line = line_number(&fs_err::read_to_string(&message_rs).unwrap(), "        42");
    let broken = watch.next_checklist();
    assert!(
        broken[0].starts_with("my-ext (greet): 1/5 exercises done, 0/13 behaviours pass"),
        "{broken:#?}"
    );
    assert!(
        broken.contains(&format!(
            "  crates/python/src/message.rs:{line}:9: error[E0308]: mismatched types"
        )),
        "{broken:#?}"
    );
    // The error is in exercise 1's function: its hint stays.
    assert!(
        broken
            .iter()
            .any(|line| line
                .starts_with("hint (in exercise 1's function): Look at `PyMessage::greet`")),
        "{broken:#?}"
    );

    // Ctrl-C during a check: exit code 130, no process and no work folder left.
    edit(&message_rs, "        42\n", "        greet(&name)\n");
    watch.wait_for("== checking: ");
    watch.signal(libc::SIGINT);
    assert_eq!(watch.end(), Some(130), "{}", watch.transcript.join("\n"));
    sandbox.assert_clean("watch after Ctrl-C");
}

#[test]
fn watch_without_input_checks_once_and_ends() {
    let sandbox = Sandbox::new("runner-stdin");
    let project = exercise_project(sandbox.path());
    let mut command = sandbox.harness();
    command
        .arg("watch")
        .arg(&project)
        .args(["--timeout", &timeout()])
        .stdin(Stdio::null());
    let result = run(&mut command);
    assert_eq!(result.code, Some(1), "{}", result.dump());
    let checklists = result
        .stdout
        .matches("\nchecklist for my-ext (greet): ")
        .count();
    assert_eq!(checklists, 1, "{}", result.dump());
    assert!(
        result
            .stdout
            .starts_with("== checking: first check ==\nmy-ext (greet): 0/5 exercises done, "),
        "{}",
        result.dump()
    );
    sandbox.assert_clean("watch without input");
}

#[test]
fn a_piped_q_waits_for_the_first_check() {
    let sandbox = Sandbox::new("runner-piped-q");
    let project = exercise_project(sandbox.path());
    let mut child = sandbox
        .harness()
        .arg("watch")
        .arg(&project)
        .args(["--timeout", &timeout()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `q` at once, and the end of input: both wait for the check under way.
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "q").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stdout.matches("\nchecklist for my-ext (greet): ").count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.contains("\n2/13 behaviours pass; to do: "),
        "{stdout}"
    );
    sandbox.assert_clean("watch with a piped q");
}

/// `check DIR --results FILE`; the results, checked against the committed schema.
fn check_results(project: &Path, results: &Path) -> (Run, Value) {
    let result = run(harness()
        .arg("check")
        .arg(project)
        .args(["--timeout", &timeout(), "--results"])
        .arg(results));
    let text = fs_err::read_to_string(results)
        .unwrap_or_else(|error| panic!("no results file ({error}):\n{}", result.dump()));
    let json: Value = serde_json::from_str(&text).unwrap();
    let schema: Value =
        serde_json::from_str(&fs_err::read_to_string(schema_path()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "{json:#}");
    (result, json)
}

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workshop/results-v3.schema.json")
}

fn passing(results: &Value) -> usize {
    results["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|test| test["status"] == "pass")
        .count()
}

#[test]
fn reset_solution_results_and_their_summary() {
    let dir = tempfile::tempdir().unwrap();
    let project = exercise_project(dir.path());
    let message_rs = project.join(MESSAGE_RS);
    let collected = dir.path().join("results");
    fs_err::create_dir(&collected).unwrap();
    // What `solution`, `reset` and `summary` say, in the snapshot.
    // `reset` names where it saved the file it replaced: in the cache, under the project's
    // key and the time.
    let mut said = Transcript::new(
        Filters::new()
            .path(dir.path(), "[TEMP]")
            .path(&crate::support::cache_dir(), "[CACHE]")
            .regex(r"my-ext-[0-9a-f]{16}/\d{8}T\d{6}Z-", "my-ext-[KEY]/[TIME]-"),
    );
    let mut harness_in = |args: &[&str], project: &Path| {
        said.run(harness().arg(args[0]).arg(project).args(&args[1..]))
    };

    // Untouched: the solution stays hidden; an exercise of the other style is refused.
    harness_in(&["solution", "--exercise", "1"], &project);
    harness_in(&["reset", "--exercise", "7"], &project);
    let (_, untouched) = check_results(&project, &collected.join("ada.json"));
    assert_eq!(untouched["status"], "fail");
    assert_eq!(passing(&untouched), 3);

    // Exercises 1 (the learner's way) and 2 done.
    edit(&message_rs, EXERCISE_1, "greet(&*name)");
    for (from, to) in EXERCISE_2 {
        edit(&message_rs, from, to);
    }
    let (checked, done) = check_results(&project, &collected.join("grace.json"));
    assert!(
        checked
            .stdout
            .contains("\n8/13 behaviours pass; to do: exercises 3, 4 and 5\n"),
        "{}",
        checked.dump()
    );
    assert_eq!(passing(&done), 9);
    let static_greet = done["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["name"] == "greet.static_greet")
        .unwrap();
    assert_eq!(static_greet["task_id"], 1);
    assert_eq!(static_greet["status"], "pass");

    // Passed: the solution is a diff against the learner's code, exercise 1's lines only.
    let solution = harness_in(&["solution", "--exercise", "1"], &project);
    let changed: Vec<&str> = solution
        .stdout
        .lines()
        .filter(|line| {
            (line.starts_with('-') || line.starts_with('+'))
                && !line.starts_with("---")
                && !line.starts_with("+++")
        })
        .collect();
    assert_eq!(changed, ["-        greet(&*name)", "+        greet(&name)"]);

    // Reset exercise 1: its todo!() is back, exercise 2 stays done, the count goes down.
    let before = fs_err::read_to_string(&message_rs).unwrap();
    let reset = harness_in(&["reset", "--exercise", "1"], &project);
    assert_eq!(reset.code, Some(0), "{}", reset.dump());
    assert_eq!(
        fs_err::read_to_string(&message_rs).unwrap(),
        before.replace("greet(&*name)", EXERCISE_1)
    );
    let (checked, _) = check_results(&project, &collected.join("linus.json"));
    assert!(
        checked
            .stdout
            .contains("\n5/13 behaviours pass; to do: exercises 1, 3, 4 and 5\n"),
        "{}",
        checked.dump()
    );

    // A signature edited beyond recognition: refused, and nothing written.
    edit(
        &message_rs,
        "fn greet(name: PyBackedStr)",
        "fn greet(name: String)",
    );
    let before = fs_err::read_to_string(&message_rs).unwrap();
    harness_in(&["reset", "--exercise", "1"], &project);
    assert_eq!(fs_err::read_to_string(&message_rs).unwrap(), before);

    // The instructor's table of the three results files.
    said.run(harness().arg("summary").arg(&collected));
    transcript_snapshot!("reset_solution_summary", said);
}

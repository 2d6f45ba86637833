//! Bad input: every refused template answer and every bad argument is a usage error (exit code
//! 2) with a one-line message that names the problem, then the usage and the `--help` hint;
//! never a panic or a backtrace (the runs have `RUST_BACKTRACE=1`), and a refused render leaves
//! nothing in DEST's parent. What each message says is in the snapshots
//! (`tests/it/snapshots/bad_input__*.snap`).

use crate::sandbox::{Sandbox, entries};
use crate::support::{Filters, Run, Transcript, run, transcript_snapshot};

/// One `render` whose answers the template refuses.
struct Answer {
    /// DEST's last folder name: the project name.
    name: &'static str,
    style: &'static str,
    defines: &'static [&'static str],
}

const fn answer(name: &'static str, defines: &'static [&'static str]) -> Answer {
    Answer {
        name,
        style: "greet",
        defines,
    }
}

const NAMES: &[Answer] = &[
    answer("My-Ext", &[]),
    answer("class", &[]),
    answer("json", &[]),
    answer("test", &[]),
    answer("2fast", &[]),
    answer("my.ext", &[]),
    answer("my ext", &[]),
    answer("café", &[]),
    answer("my--ext", &[]),
    answer("my-ext-", &[]),
    answer("_private", &[]),
    answer("a-name-that-goes-on-and-on-and-on-past-the-limit-xy", &[]),
];

const OTHER_ANSWERS: &[Answer] = &[
    answer("my-ext", &["abi3=maybe"]),
    answer("my-ext", &["abi3="]),
    answer("my-ext", &["ci=yes"]),
    answer("my-ext", &["workshop=1"]),
    answer("my-ext", &["style=fancy"]),
    answer("my-ext", &["abi=false"]),
    answer("my-ext", &["license=GPL-3.0"]),
    answer("my-ext", &["repository=github.com/ada/my-ext"]),
    answer("my-ext", &["author=Ada <not an email>"]),
    answer("my-ext", &["abi3=true", "abi3=false"]),
    answer("my-ext", &["project-name=other"]),
    answer("my-ext", &["description=first line\nsecond line"]),
    Answer {
        name: "my-tp",
        style: "text-processor",
        // 201 characters.
        defines: &[
            "description=ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\
                    ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\
                    ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        ],
    },
];

/// A usage error as clap prints it: `error: ...` on the first line, then (clap leaves it out
/// for a bad value) the usage of `command`, and the pointer to `--help`; nothing on stdout, no
/// panic, no backtrace. The wording is the snapshots'; this is the shape every one must keep.
fn assert_usage_error(result: &Run, command: &str) {
    assert_eq!(result.code, Some(2), "{}", result.dump());
    let first = result.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{}", result.dump());
    let usage = result
        .stderr
        .lines()
        .find(|line| line.starts_with("Usage: "));
    if let Some(usage) = usage {
        assert!(
            usage.starts_with(&format!("Usage: pyo3-scaffold {command}")),
            "{}",
            result.dump()
        );
    }
    assert!(
        result
            .stderr
            .ends_with("\nFor more information, try '--help'.\n"),
        "{}",
        result.dump()
    );
    for never in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(!result.stderr.contains(never), "{never}: {}", result.dump());
    }
    assert_eq!(result.stdout, "", "{}", result.dump());
}

/// The runs of a sandbox, with its folder shown as `[SANDBOX]`.
fn transcript(sandbox: &Sandbox) -> Transcript {
    Transcript::new(Filters::new().path(sandbox.path(), "[SANDBOX]"))
}

#[test]
fn every_refused_answer_names_the_fix_and_leaves_no_folder() {
    let sandbox = Sandbox::new("bad-answers");
    let mut transcript = transcript(&sandbox);
    for (index, answer) in NAMES.iter().chain(OTHER_ANSWERS).enumerate() {
        // DEST's parent exists and is empty; for every other answer, it does not exist yet,
        // and must not be left behind either.
        let holder = sandbox.path().join(format!("answer-{index}"));
        fs_err::create_dir(&holder).unwrap();
        let parent = if index % 2 == 0 {
            holder.clone()
        } else {
            holder.join("new").join("deeper")
        };
        let mut command = sandbox.harness();
        command
            .arg("render")
            .arg(answer.style)
            .arg(parent.join(answer.name));
        for define in answer.defines {
            command.arg("-d").arg(define);
        }
        let result = transcript.run(&mut command);
        assert_usage_error(&result, "render");
        assert_eq!(
            entries(&holder),
            Vec::<String>::new(),
            "{} {:?} left something behind",
            answer.name,
            answer.defines
        );
    }
    transcript_snapshot!("refused_answers", transcript);
    sandbox.assert_clean("bad answers");
}

#[test]
fn a_good_answer_still_renders() {
    // The refusals above are not of everything: the same names and answers, fixed, render.
    let sandbox = Sandbox::new("good-answers");
    let mut command = sandbox.harness();
    command
        .args(["render", "text-processor"])
        .arg(sandbox.path().join("new").join("my-ext"))
        .args([
            "-d",
            "abi3=FALSE",
            "-d",
            "ci=false",
            "-d",
            "description=a = b, c",
        ]);
    let result = run(&mut command);
    assert_eq!(result.code, Some(0), "{}", result.dump());
    let pyproject =
        fs_err::read_to_string(sandbox.path().join("new/my-ext/pyproject.toml")).unwrap();
    assert!(
        pyproject.contains("description = \"a = b, c\""),
        "{pyproject}"
    );
    assert_eq!(entries(&sandbox.path().join("new")), ["my-ext"]);
}

#[test]
fn render_refuses_a_dest_it_cannot_use() {
    let sandbox = Sandbox::new("bad-dest");
    let mut transcript = transcript(&sandbox);
    // An existing DEST, without --force: left as it was.
    let existing = sandbox.path().join("existing");
    fs_err::create_dir_all(existing.join("my-ext")).unwrap();
    fs_err::write(existing.join("my-ext/keep.txt"), "mine").unwrap();
    let result = transcript.run(
        sandbox
            .harness()
            .args(["render", "greet"])
            .arg(existing.join("my-ext")),
    );
    assert_usage_error(&result, "render");
    assert_eq!(entries(&existing.join("my-ext")), ["keep.txt"]);

    // A DEST that exists as a file, or as a link to nowhere: --force replaces only a folder.
    let dest_file = existing.join("dest-file");
    fs_err::write(&dest_file, "mine").unwrap();
    let dangling = existing.join("dangling");
    scaffold_harness::platform::symlink(&existing.join("nowhere"), &dangling).unwrap();
    for dest in [&dest_file, &dangling] {
        let result = transcript.run(sandbox.harness().args(["render", "greet"]).arg(dest));
        assert_usage_error(&result, "render");
        let result = transcript.run(
            sandbox
                .harness()
                .args(["render", "greet", "--force"])
                .arg(dest),
        );
        assert_usage_error(&result, "render");
    }
    assert_eq!(fs_err::read_to_string(&dest_file).unwrap(), "mine");
    assert!(dangling.is_symlink());
    assert_eq!(entries(&existing), ["dangling", "dest-file", "my-ext"]);

    // A DEST inside a file.
    let file = sandbox.path().join("a-file");
    fs_err::write(&file, "not a folder").unwrap();
    let result = transcript.run(
        sandbox
            .harness()
            .args(["render", "greet"])
            .arg(file.join("my-ext")),
    );
    assert_usage_error(&result, "render");

    // A DEST with no folder name.
    let result = transcript.run(sandbox.harness().args(["render", "greet", "/"]));
    assert_usage_error(&result, "render");

    // An unknown style, given as STYLE: the message lists the registry's.
    let result = transcript.run(
        sandbox
            .harness()
            .args(["render", "fancy"])
            .arg(sandbox.path().join("my-ext")),
    );
    assert_usage_error(&result, "render");

    transcript_snapshot!("refused_dest", transcript);
    assert_eq!(
        entries(sandbox.path()),
        ["a-file", "bad-dest tmp", "existing"]
    );
    sandbox.assert_clean("bad dest");
}

#[test]
fn every_argument_error_is_one_line_and_the_usage() {
    let sandbox = Sandbox::new("bad-arguments");
    let empty = sandbox.path().join("empty");
    fs_err::create_dir(&empty).unwrap();
    let not_a_record = sandbox.path().join("notes.txt");
    fs_err::write(&not_a_record, "just notes\n").unwrap();
    let old_record = sandbox.path().join("old.record");
    fs_err::write(
        &old_record,
        "# scaffold-harness record v1\n# style: none\npackage: x\n",
    )
    .unwrap();
    let project = crate::support::repo_root().join("examples").join("greet");
    let empty = empty.to_str().unwrap();
    let project = project.to_str().unwrap();
    let not_a_record = not_a_record.to_str().unwrap();
    let old_record = old_record.to_str().unwrap();
    // Each command line, and the command whose usage its error shows ("" for none).
    let cases: &[(&[&str], &str)] = &[
        (&["matrix", "--style", "fancy"], "matrix"),
        (&["matrix", "--shard", "3/2"], "matrix"),
        (&["matrix", "--shard", "0/2"], "matrix"),
        (&["matrix", "--shard", "half"], "matrix"),
        (&["matrix", "--jobs", "0"], "matrix"),
        (&["matrix", "--timeout", "0"], "matrix"),
        (&["matrix", "--timeout", "soon"], "matrix"),
        (&["matrix", "--timeout", "-1"], "matrix"),
        (&["matrix", "--frobnicate"], "matrix"),
        (&["check"], "check"),
        (&["check", "/nonexistent/project"], "check"),
        (&["check", empty], "check"),
        (&["check", project, "--style", "fancy"], "check"),
        (
            &["check", project, "--record", "a", "--against", "b"],
            "check",
        ),
        (
            &["check", project, "--against", "/nonexistent/record"],
            "check",
        ),
        (&["check", project, "--against", not_a_record], "check"),
        (&["check", project, "--against", old_record], "check"),
        (
            &["check", project, "--against", "a", "--against-git", "HEAD"],
            "check",
        ),
        (&["check", project, "--style", "none"], "check"),
        (&["render"], "render"),
        (&["render", "greet", "x", "-d", "abi3"], "render"),
        (&["frobnicate"], ""),
        // The harness's own measurement is a developer's task (`just bench`), not a command.
        (&["bench"], ""),
        (&[], ""),
    ];
    let mut transcript = transcript(&sandbox);
    for (args, command) in cases {
        let result = transcript.run(sandbox.harness().args(*args));
        assert_usage_error(&result, command);
    }
    transcript_snapshot!("bad_arguments", transcript);
    sandbox.assert_clean("bad arguments");
}

//! Bad input: every refused template answer and every bad argument is a usage error (exit code
//! 2) with a one-line message that names the problem, then the usage and the `--help` hint;
//! never a panic or a backtrace (the runs have `RUST_BACKTRACE=1`), and a refused render leaves
//! nothing in DEST's parent.

use std::path::Path;

use scaffold_harness::style::Style;

use crate::sandbox::{Sandbox, entries};
use crate::support::{Run, run};

/// One `render` whose answers the template refuses.
struct Answer {
    /// DEST's last folder name: the project name.
    name: &'static str,
    style: &'static str,
    defines: &'static [&'static str],
    /// What the message's first line must contain.
    says: &'static str,
}

const fn answer(
    name: &'static str,
    defines: &'static [&'static str],
    says: &'static str,
) -> Answer {
    Answer {
        name,
        style: "greet",
        defines,
        says,
    }
}

const NAMES: &[Answer] = &[
    answer(
        "My-Ext",
        &[],
        "refused project name: 'My-Ext' has uppercase letters, and Python import names are \
         lowercase: use 'my-ext'",
    ),
    answer(
        "class",
        &[],
        "refused project name: 'class' is a Python keyword, so 'import class' is a syntax error: \
         choose another name, for example 'class-ext'",
    ),
    answer(
        "json",
        &[],
        "refused project name: 'json' is a module of Python's standard library",
    ),
    answer(
        "test",
        &[],
        "refused project name: 'test' is a module of Python's standard library",
    ),
    answer(
        "2fast",
        &[],
        "refused project name: '2fast' starts with a digit, so 'import' cannot name it: put a \
         letter first, for example 'py2fast'",
    ),
    answer(
        "my.ext",
        &[],
        "refused project name: 'my.ext' contains '.', which a Python import name cannot hold",
    ),
    answer(
        "my ext",
        &[],
        "refused project name: 'my ext' contains ' ', which a Python import name cannot hold",
    ),
    answer(
        "café",
        &[],
        "refused project name: 'café' contains 'é', which a Python import name cannot hold",
    ),
    answer(
        "my--ext",
        &[],
        "refused project name: 'my--ext' has two separators in a row",
    ),
    answer(
        "my-ext-",
        &[],
        "refused project name: 'my-ext-' ends with a separator",
    ),
    answer(
        "_private",
        &[],
        "refused project name: '_private' must start with a lowercase letter",
    ),
    answer(
        "a-name-that-goes-on-and-on-and-on-past-the-limit-xy",
        &[],
        "refused project name: 'a-name-that-goes-on-and-on-and-on-past-the-limit-xy' is 51 \
         characters long; the limit is 50",
    ),
];

const OTHER_ANSWERS: &[Answer] = &[
    answer(
        "my-ext",
        &["abi3=maybe"],
        "-d abi3=maybe: `abi3` is `true` or `false`",
    ),
    answer(
        "my-ext",
        &["abi3="],
        "-d abi3=: `abi3` is `true` or `false`",
    ),
    answer(
        "my-ext",
        &["ci=yes"],
        "-d ci=yes: `ci` is `true` or `false`",
    ),
    answer(
        "my-ext",
        &["workshop=1"],
        "-d workshop=1: `workshop` is `true` or `false`",
    ),
    answer(
        "my-ext",
        &["style=fancy"],
        "-d style=fancy: the style is the STYLE argument (greet or text-processor), not a -d \
         answer",
    ),
    answer(
        "my-ext",
        &["abi=false"],
        "-d abi=false: the template asks no question `abi` (did you mean `abi3`?); it asks \
         `abi3`, `author`, `ci`, `description`, `license`, `repository` and `workshop`",
    ),
    answer(
        "my-ext",
        &["license=GPL-3.0"],
        "-d license=GPL-3.0: `license` is one of `MIT OR Apache-2.0`, `MIT`, `Apache-2.0`, \
         `BSD-3-Clause` and `none`",
    ),
    answer(
        "my-ext",
        &["repository=github.com/ada/my-ext"],
        "-d repository=github.com/ada/my-ext: `repository` must match",
    ),
    answer(
        "my-ext",
        &["author=Ada <not an email>"],
        "-d author=Ada <not an email>: `author` must match",
    ),
    answer(
        "my-ext",
        &["abi3=true", "abi3=false"],
        "-d abi3=false: `abi3` is answered twice (`true`, then `false`); give it once",
    ),
    answer(
        "my-ext",
        &["project-name=other"],
        "-d project-name=other: the project name is DEST's last folder name; name DEST instead",
    ),
    answer(
        "my-ext",
        &["description=first line\nsecond line"],
        "-d description=first line\\nsecond line: an answer is one line; leave out the line \
         breaks",
    ),
    Answer {
        name: "my-tp",
        style: "text-processor",
        // 201 characters.
        defines: &[
            "description=ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\
                    ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\
                    ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        ],
        says: "refused description: it is 201 characters long; keep it to 200",
    },
];

/// A usage error as clap prints it: `error: ...` on the first line, which contains `says`, then
/// (clap leaves it out for a bad value) the usage of `command`, and the pointer to `--help`; no
/// panic, no backtrace.
fn assert_usage_error(result: &Run, command: &str, says: &str) {
    assert_eq!(result.code, Some(2), "{}", result.dump());
    let first = result.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{}", result.dump());
    assert!(
        first.contains(says),
        "{says:?} not in the first line of\n{}",
        result.dump()
    );
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
            .contains("For more information, try '--help'."),
        "{}",
        result.dump()
    );
    for never in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(!result.stderr.contains(never), "{never}: {}", result.dump());
    }
    assert_eq!(result.stdout, "", "{}", result.dump());
}

fn render_in(sandbox: &Sandbox, parent: &Path, answer: &Answer) -> Run {
    let mut command = sandbox.harness();
    command
        .arg("render")
        .arg(answer.style)
        .arg(parent.join(answer.name));
    for define in answer.defines {
        command.arg("-d").arg(define);
    }
    run(&mut command)
}

#[test]
fn every_refused_answer_names_the_fix_and_leaves_no_folder() {
    let sandbox = Sandbox::new("bad-answers");
    let mut tried = 0;
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
        let result = render_in(&sandbox, &parent, answer);
        assert_usage_error(&result, "render", answer.says);
        assert_eq!(
            entries(&holder),
            Vec::<String>::new(),
            "{} {:?} left something behind",
            answer.name,
            answer.defines
        );
        tried += 1;
    }
    assert!(tried >= 15, "only {tried} bad answers tried");
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
    // An existing DEST, without --force: left as it was.
    let existing = sandbox.path().join("existing");
    fs_err::create_dir_all(existing.join("my-ext")).unwrap();
    fs_err::write(existing.join("my-ext/keep.txt"), "mine").unwrap();
    let result = run(sandbox
        .harness()
        .args(["render", "greet"])
        .arg(existing.join("my-ext")));
    assert_usage_error(
        &result,
        "render",
        "my-ext already exists: choose a new folder, or pass --force to replace it",
    );
    assert_eq!(entries(&existing.join("my-ext")), ["keep.txt"]);

    // A DEST that exists as a file, or as a link to nowhere: --force replaces only a folder.
    let dest_file = existing.join("dest-file");
    fs_err::write(&dest_file, "mine").unwrap();
    let dangling = existing.join("dangling");
    std::os::unix::fs::symlink(existing.join("nowhere"), &dangling).unwrap();
    for dest in [&dest_file, &dangling] {
        let name = dest.file_name().unwrap().to_string_lossy();
        let result = run(sandbox.harness().args(["render", "greet"]).arg(dest));
        assert_usage_error(&result, "render", &format!("{name} already exists"));
        let result = run(sandbox
            .harness()
            .args(["render", "greet", "--force"])
            .arg(dest));
        assert_usage_error(
            &result,
            "render",
            &format!("{name} is not a folder, and --force replaces only a folder"),
        );
    }
    assert_eq!(fs_err::read_to_string(&dest_file).unwrap(), "mine");
    assert!(dangling.is_symlink());
    assert_eq!(entries(&existing), ["dangling", "dest-file", "my-ext"]);

    // A DEST inside a file.
    let file = sandbox.path().join("a-file");
    fs_err::write(&file, "not a folder").unwrap();
    let result = run(sandbox
        .harness()
        .args(["render", "greet"])
        .arg(file.join("my-ext")));
    assert_usage_error(&result, "render", "a-file is a file, not a folder");

    // A DEST with no folder name.
    let result = run(sandbox.harness().args(["render", "greet", "/"]));
    assert_usage_error(
        &result,
        "render",
        "/ does not end in a folder name to use as the project name",
    );

    // An unknown style, given as STYLE.
    let result = run(sandbox
        .harness()
        .args(["render", "fancy"])
        .arg(sandbox.path().join("my-ext")));
    assert_usage_error(&result, "render", "invalid value 'fancy' for '<STYLE>'");
    let styles = Style::ALL.map(Style::as_str).join(", ");
    assert!(
        result
            .stderr
            .contains(&format!("[possible values: {styles}]")),
        "{}",
        result.dump()
    );

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
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["matrix", "--style", "fancy"],
            "matrix",
            "invalid value 'fancy' for '--style <S>'",
        ),
        (
            &["matrix", "--shard", "3/2"],
            "matrix",
            "`3/2` is not a shard: write I/N with 1 <= I <= N",
        ),
        (
            &["matrix", "--shard", "0/2"],
            "matrix",
            "`0/2` is not a shard",
        ),
        (
            &["matrix", "--shard", "half"],
            "matrix",
            "`half` is not a shard",
        ),
        (
            &["matrix", "--jobs", "0"],
            "matrix",
            "invalid value '0' for '--jobs <N>'",
        ),
        (
            &["matrix", "--timeout", "0"],
            "matrix",
            "invalid value '0' for '--timeout <SECS>'",
        ),
        (
            &["matrix", "--timeout", "soon"],
            "matrix",
            "invalid value 'soon' for '--timeout <SECS>'",
        ),
        (
            &["matrix", "--frobnicate"],
            "matrix",
            "unexpected argument '--frobnicate' found",
        ),
        (
            &["check"],
            "check",
            "the following required arguments were not provided",
        ),
        (
            &["check", "/nonexistent/project"],
            "check",
            "/nonexistent/project is not a maturin project: no such folder",
        ),
        (
            &["check", empty],
            "check",
            "is not a maturin project: it has no pyproject.toml",
        ),
        (
            &["check", project, "--style", "fancy"],
            "check",
            "invalid value 'fancy' for '--style <S>'",
        ),
        (
            &["check", project, "--record", "a", "--against", "b"],
            "check",
            "cannot be used with",
        ),
        (
            &["check", project, "--against", "/nonexistent/record"],
            "check",
            "--against /nonexistent/record: no such file; write one first with --record FILE",
        ),
        (
            &["check", project, "--against", not_a_record],
            "check",
            "is not a record written by `check --record`: its first line is not `# scaffold-harness record v2`",
        ),
        (
            &["check", project, "--against", old_record],
            "check",
            "it is a version-1 record, from an older scaffold-harness; version 2 also records \
             values, class bases, `__all__` and stubs, so the two cannot be compared",
        ),
        (
            &["check", project, "--against", "a", "--against-git", "HEAD"],
            "check",
            "cannot be used with",
        ),
        (
            &["check", project, "--style", "none"],
            "check",
            "--style none has no reference behaviour to compare with",
        ),
        (
            &["render"],
            "render",
            "the following required arguments were not provided",
        ),
        (
            &["render", "greet", "x", "-d", "abi3"],
            "render",
            "`abi3` is not KEY=VALUE (e.g. -d abi3=false)",
        ),
        (
            &["bench", "--timeout", "-1"],
            "bench",
            "unexpected argument '-1' found",
        ),
        (&["frobnicate"], "", "unrecognized subcommand 'frobnicate'"),
        (
            &[],
            "",
            "'pyo3-scaffold' requires a subcommand but one was not provided",
        ),
    ];
    for (args, command, says) in cases {
        let result = run(sandbox.harness().args(*args));
        assert_usage_error(&result, command, says);
    }
    sandbox.assert_clean("bad arguments");
}

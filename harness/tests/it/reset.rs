//! `reset` and `solution` destroy nothing: on a project that is not a workshop render they
//! refuse and leave every file as it was; `reset` refuses a file with edits outside the
//! exercises' bodies that git does not have (unless `--force`), and saves what it replaces.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::support::{Run, copy_project, git, harness, rendered, run, workshop};
use crate::workshop::fill_in;

const MESSAGE_RS: &str = "crates/python/src/message.rs";

/// Every file of `project` with its bytes.
fn files(project: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(project)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let bytes = fs_err::read(entry.path()).unwrap();
            (
                entry.path().strip_prefix(project).unwrap().to_owned(),
                bytes,
            )
        })
        .collect()
}

fn harness_in(project: &Path, args: &[&str]) -> Run {
    run(harness().arg(args[0]).arg(project).args(&args[1..]))
}

#[test]
fn on_a_project_that_is_no_workshop_render_they_refuse_and_write_nothing() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    let before = files(&project);
    for args in [
        &["reset", "--exercise", "1"][..],
        &["reset", "--exercise", "1", "--force"],
        &["solution", "--exercise", "1"],
        &["solution", "--exercise", "1", "--force"],
    ] {
        let refused = harness_in(&project, args);
        assert_eq!(refused.code, Some(2), "{args:?}: {}", refused.dump());
        assert!(
            refused.stderr.starts_with(&format!(
                "error: {} is not a workshop project: its pyproject.toml answers `workshop = \
                 false`, so `{}` would replace real code; nothing was changed\n",
                project.display(),
                args[0]
            )),
            "{args:?}: {}",
            refused.dump()
        );
        assert_eq!(refused.stdout, "", "{args:?}");
        assert!(files(&project) == before, "{args:?} changed a file");
    }
}

/// The folder `reset` says it saved the old files in.
fn saved_in(reset: &Run) -> PathBuf {
    let line = reset
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("your version before the reset is saved in "))
        .unwrap_or_else(|| panic!("no saved folder named:\n{}", reset.dump()));
    PathBuf::from(line)
}

#[test]
fn reset_keeps_edits_outside_the_exercises_unless_committed_or_forced() {
    let (_dir, project) = copy_project(&workshop()["greet"]);
    let message_rs = project.join(MESSAGE_RS);
    fill_in(&project, 1);
    fill_in(&project, 2);
    // A function of the learner's own, outside every exercise body.
    let mine = format!(
        "{}\n/// Mine.\npub fn shout(text: &str) -> String {{\n    text.to_uppercase()\n}}\n",
        fs_err::read_to_string(&message_rs).unwrap()
    );
    fs_err::write(&message_rs, &mine).unwrap();
    let before = files(&project);

    let refused = harness_in(&project, &["reset", "--exercise", "1"]);
    assert_eq!(refused.code, Some(2), "{}", refused.dump());
    assert!(
        refused.stderr.starts_with(
            "error: cannot reset exercise 1: crates/python/src/message.rs changed outside the \
             exercises' bodies, from the workshop render and from the last commit if there is \
             one; nothing was changed\n"
        ),
        "{}",
        refused.dump()
    );
    assert!(
        refused.stderr.contains("or pass --force"),
        "{}",
        refused.dump()
    );
    assert!(files(&project) == before, "a refused reset changed a file");

    // Committed, the function is safe in git: the reset goes ahead, keeps it, and saves the
    // file it replaced.
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "mine"]);
    let reset = harness_in(&project, &["reset", "--exercise", "1"]);
    assert_eq!(reset.code, Some(0), "{}", reset.dump());
    let now = fs_err::read_to_string(&message_rs).unwrap();
    assert!(now.contains("pub fn shout(text: &str)"), "{now}");
    assert!(now.contains("todo!(\"exercise 1: "), "{now}");
    assert!(!now.contains("todo!(\"exercise 2: "), "{now}");
    assert_eq!(
        fs_err::read_to_string(saved_in(&reset).join(MESSAGE_RS)).unwrap(),
        mine
    );

    // Another edit outside, not committed: --force resets all the same, and saves it first.
    let edited = now.replace("/// Mine.", "/// Mine, edited.");
    fs_err::write(&message_rs, &edited).unwrap();
    let refused = harness_in(&project, &["reset", "--exercise", "2"]);
    assert_eq!(refused.code, Some(2), "{}", refused.dump());
    let forced = harness_in(&project, &["reset", "--exercise", "2", "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.dump());
    assert_eq!(
        fs_err::read_to_string(saved_in(&forced).join(MESSAGE_RS)).unwrap(),
        edited
    );
    let after = fs_err::read_to_string(&message_rs).unwrap();
    assert!(after.contains("/// Mine, edited."), "{after}");
    assert!(after.contains("todo!(\"exercise 2: "), "{after}");
}

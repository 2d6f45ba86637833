//! Containment: the code under test (its build script, its tests) sees none of the caller's
//! credentials; `check` works on a copy, so the checked folder stays as it was, byte for byte
//! and time for time, even when read-only or at a path with spaces and non-ASCII characters, and
//! a test that changes its copy does not change the next run; the text-processor's plugin
//! loader reaches nothing outside its folder; the template's hooks run no commands.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

use crate::sandbox::{Edit, SECRETS, Sandbox, apply};
use crate::support::{TIMEOUT, cache_dir, repo_root, run};

/// Every entry under `root`: its kind, permissions, length, modification time and content.
type Listing = BTreeMap<String, (String, u32, u64, SystemTime, Vec<u8>)>;

fn listing(root: &Path) -> Listing {
    WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .map(|entry| {
            let meta = fs_err::symlink_metadata(entry.path()).unwrap();
            let relative = entry.path().strip_prefix(root).unwrap();
            let content = if meta.is_file() {
                fs_err::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            (
                relative.display().to_string(),
                (
                    format!("{:?}", meta.file_type()),
                    meta.permissions().mode(),
                    meta.len(),
                    meta.modified().unwrap(),
                    content,
                ),
            )
        })
        .collect()
}

/// `check --record` of `project` with `args`, which must pass.
fn check_passes(sandbox: &Sandbox, project: &Path, args: &[&OsStr]) {
    let record = sandbox.path().join("record.txt");
    let result = run(sandbox
        .check(project, TIMEOUT, &[])
        .arg("--record")
        .arg(&record)
        .args(args));
    assert_eq!(result.code, Some(0), "{}", result.dump());
}

#[test]
fn no_credential_reaches_the_code_under_test_and_its_changes_stay_in_the_copy() {
    let sandbox = Sandbox::new("contain-secrets");
    let project = sandbox.render("greet", "contain-secrets");
    let names: Vec<String> = SECRETS
        .iter()
        .map(|(name, _)| format!("{name:?}"))
        .collect();
    let names = names.join(", ");
    let test =
        include_str!("faults/test_containment.py").replace("{credentials}", &format!("[{names}]"));
    let build = include_str!("faults/build_containment.rs").replace("{credentials}", &names);
    apply(
        &project,
        &[
            Edit::Write("tests/test_containment.py", &test),
            Edit::Write("crates/core/build.rs", &build),
        ],
    );
    let before = listing(&project);
    // Twice: the second run must not see what the first run's test wrote into its copy.
    check_passes(&sandbox, &project, &[]);
    check_passes(&sandbox, &project, &[]);
    assert!(
        listing(&project) == before,
        "check changed the folder it checked"
    );
    sandbox.assert_clean("contain-secrets");
}

#[test]
fn a_read_only_folder_and_an_unusual_path_are_checked_unchanged() {
    let read_only = Sandbox::new("contain-readonly");
    let read_only_project = read_only.render("greet", "contain-readonly");
    // Spaces and non-ASCII characters in the project's path, in the run's TMPDIR (so in its
    // work folder, where the probe and pytest's report live), and in the cache (so in the venv
    // and the target folder: a home folder such as "/Users/Zoë Dupont" on macOS). That cache
    // is its own, kept under the target folder like the shared one, so it is cold only once.
    let unusual = Sandbox::named("contain-path", "dossier à espaces ünïcödé");
    let unusual_project = unusual.render("greet", "contain-path");
    assert!(unusual_project.to_str().unwrap().contains("à espaces ü"));
    let unusual_cache: PathBuf = cache_dir().with_file_name("harness cache à espaces ü");

    let modes = |root: &Path, file: u32, dir: u32| {
        for entry in WalkDir::new(root).contents_first(true) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() {
                dir
            } else {
                file
            };
            fs_err::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    modes(&read_only_project, 0o444, 0o555);
    let before = [listing(&read_only_project), listing(&unusual_project)];
    std::thread::scope(|scope| {
        scope.spawn(|| check_passes(&read_only, &read_only_project, &[]));
        scope.spawn(|| {
            let args = [OsStr::new("--cache-dir"), unusual_cache.as_os_str()];
            check_passes(&unusual, &unusual_project, &args);
        });
    });
    let after = [listing(&read_only_project), listing(&unusual_project)];
    modes(&read_only_project, 0o644, 0o755);
    assert!(after[0] == before[0], "check changed the read-only folder");
    assert!(
        after[1] == before[1],
        "check changed the folder at the unusual path"
    );
    read_only.assert_clean("contain-readonly");
    unusual.assert_clean("contain-path");
}

#[test]
fn the_plugin_loader_reaches_nothing_outside_its_folder() {
    let sandbox = Sandbox::new("contain-plugins");
    let project = sandbox.render("text-processor", "contain-plugins");
    apply(
        &project,
        &[Edit::Write(
            "tests/test_plugin_containment.py",
            include_str!("faults/test_plugin_containment.py"),
        )],
    );
    check_passes(&sandbox, &project, &[]);
    let report = fs_err::read_to_string(sandbox.json_path(&project)).unwrap();
    for test in [
        "tests.test_plugin_containment::test_a_plugin_cannot_import_its_neighbours",
        "tests.test_plugin_containment::test_a_plugin_linking_out_of_its_folder_is_refused_unrun",
    ] {
        assert!(
            report.contains(&format!("{{\"name\":\"{test}\",\"outcome\":\"passed\"")),
            "{test} did not pass:\n{report}"
        );
    }
    sandbox.assert_clean("contain-plugins");
}

#[test]
fn the_template_hooks_run_no_commands() {
    // cargo-generate runs a hook's `system::command` only with --allow-commands; the harness
    // renders without it (and silently, so that a hook asking would fail the render).
    let hooks = repo_root().join("template").join("hooks");
    let mut seen = 0;
    for entry in fs_err::read_dir(&hooks).unwrap() {
        let path = entry.unwrap().path();
        let text = fs_err::read_to_string(&path).unwrap();
        assert!(
            !text.contains("system::"),
            "{} calls the system module",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 4, "only {seen} hooks found in {}", hooks.display());
}

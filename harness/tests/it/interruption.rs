//! Interruption and concurrency: Ctrl-C (SIGINT) or SIGTERM during a build ends the children
//! and removes the work folders, the exit code is 130, and the next run succeeds with no
//! cleanup by hand; runs sharing the cache at the same time each get their own results.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::sandbox::{Edit, Sandbox, apply, survivors};
use crate::support::{Run, TIMEOUT, cache_dir, run};

/// Set for a run whose build should hang in the core crate's build script.
const SLOW_BUILD: &str = "SCAFFOLD_FAULT_SLOW_BUILD";

/// A build script that sleeps when [`SLOW_BUILD`] is set: a build that is surely still running
/// when the signal comes.
const SLEEPING_BUILD_SCRIPT: &str = "\
//! Sleeps through the build when SCAFFOLD_FAULT_SLOW_BUILD is set.
fn main() {
    println!(\"cargo::rerun-if-env-changed=SCAFFOLD_FAULT_SLOW_BUILD\");
    if std::env::var_os(\"SCAFFOLD_FAULT_SLOW_BUILD\").is_some() {
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}
";

/// Waits until a process carrying the sandbox's marker has `needle` in its command line.
pub fn wait_for_process(sandbox: &Sandbox, child: &mut Child, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        if survivors(&sandbox.marker)
            .iter()
            .any(|process| process.contains(needle))
        {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the harness ended ({status}) before a `{needle}` process started");
        }
        assert!(
            Instant::now() < deadline,
            "no `{needle}` process after 240 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Collects what `child` prints and how it ends, within `limit`.
pub fn finish(child: Child, limit: Duration) -> Run {
    let pid = child.id();
    let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
    let start = Instant::now();
    while !waiter.is_finished() {
        if start.elapsed() > limit {
            // SAFETY: a plain kill of the harness we started; nothing else shares its pid.
            unsafe { libc::kill(pid.cast_signed(), libc::SIGKILL) };
            panic!("the harness did not end within {limit:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = waiter.join().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `incoming/` folders (a copy in progress) left in the case folders of `project_name`.
fn half_copies(project_name: &str) -> Vec<PathBuf> {
    // The runs used the cache: a folder that cannot be read is a check that cannot look.
    let interpreters = fs_err::read_dir(cache_dir())
        .unwrap_or_else(|error| panic!("cannot look for half copies: {error}"));
    interpreters
        .map(|entry| {
            entry
                .expect("a readable cache folder")
                .path()
                .join("cases")
                .join(format!("check-{project_name}"))
                .join("incoming")
        })
        .filter(|path| path.exists())
        .collect()
}

fn interrupt_during_a_build(signal: libc::c_int, name: &str) {
    let sandbox = Sandbox::new(name);
    let project = sandbox.render("greet", name);
    // The marker makes the sources new to the cache, so that this run builds.
    let script = format!("{SLEEPING_BUILD_SCRIPT}// {}\n", sandbox.marker);
    apply(&project, &[Edit::Write("crates/core/build.rs", &script)]);
    let record = sandbox.path().join("record.txt");
    let mut command: Command = sandbox.check(&project, TIMEOUT, &[]);
    let mut child = command
        .arg("--record")
        .arg(&record)
        .env(SLOW_BUILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_process(&sandbox, &mut child, "build-script-build");
    // The signal goes to the harness alone, as `kill` sends it; a terminal's Ctrl-C reaches the
    // harness's process group, and its children are in groups of their own.
    // SAFETY: a signal to the harness we started.
    assert_eq!(unsafe { libc::kill(child.id().cast_signed(), signal) }, 0);
    let interrupted = finish(child, Duration::from_secs(30));
    assert_eq!(interrupted.code, Some(130), "{}", interrupted.dump());
    assert!(
        interrupted
            .stderr
            .contains("interrupted: stopping the children and removing the work folders"),
        "{}",
        interrupted.dump()
    );
    assert!(
        interrupted.stdout.contains(&format!("{name}  INTERRUPTED")),
        "{}",
        interrupted.dump()
    );
    assert!(!record.exists(), "an interrupted run wrote its record");
    sandbox.assert_clean(name);
    assert_eq!(half_copies(name), Vec::<PathBuf>::new());

    // The next run, as it comes: no cleanup in between.
    let next = run(sandbox
        .check(&project, TIMEOUT, &[])
        .arg("--record")
        .arg(&record));
    assert_eq!(next.code, Some(0), "{}", next.dump());
    assert!(record.is_file());
    sandbox.assert_clean(name);
}

#[test]
fn sigint_during_a_build_stops_it_cleanly_and_the_next_run_passes() {
    interrupt_during_a_build(libc::SIGINT, "interrupt-sigint");
}

#[test]
fn sigterm_during_a_build_stops_it_cleanly_and_the_next_run_passes() {
    interrupt_during_a_build(libc::SIGTERM, "interrupt-sigterm");
}

/// Starts `check --record` of `project` in `sandbox`, recording to `record`.
fn start_check(sandbox: &Sandbox, project: &Path, record: &Path) -> Child {
    sandbox
        .check(project, TIMEOUT, &[])
        .arg("--record")
        .arg(record)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn runs_sharing_the_cache_at_once_each_get_their_own_results() {
    // Two versions of one project (same name: same case folder, same crate names in the shared
    // target folder), the first checked twice: three harness runs at once.
    let first = Sandbox::new("concurrent-a");
    let second = Sandbox::new("concurrent-b");
    let third = Sandbox::new("concurrent-c");
    let name = "shared-case";
    let original = first.render("greet", name);
    let changed = second.render("greet", name);
    apply(
        &changed,
        &[Edit::Replace(
            "crates/core/src/greeting.rs",
            "format!(\"Hello, {name} !\")",
            "format!(\"Hi, {name} !\")",
        )],
    );
    let records: Vec<PathBuf> = [&first, &second, &third]
        .iter()
        .map(|sandbox| sandbox.path().join("record.txt"))
        .collect();
    let children = [
        start_check(&first, &original, &records[0]),
        start_check(&second, &changed, &records[1]),
        start_check(&third, &original, &records[2]),
    ];
    let runs: Vec<Run> = children
        .into_iter()
        .map(|child| finish(child, Duration::from_secs(600)))
        .collect();

    assert_eq!(runs[0].code, Some(0), "{}", runs[0].dump());
    assert_eq!(runs[2].code, Some(0), "{}", runs[2].dump());
    // The changed version fails its own test, and only it does.
    assert_eq!(runs[1].code, Some(1), "{}", runs[1].dump());
    assert!(
        runs[1]
            .stdout
            .contains("failed tests.test_message::test_greet_keeps_the_space_before_the_bang"),
        "{}",
        runs[1].dump()
    );
    let text: Vec<String> = records
        .iter()
        .map(|record| fs_err::read_to_string(record).unwrap())
        .collect();
    assert_eq!(text[0], text[2], "two runs of one project disagree");
    assert!(
        text[0].contains("returned: 'Hello, eunsang !'"),
        "{}",
        text[0]
    );
    assert!(text[1].contains("returned: 'Hi, eunsang !'"), "{}", text[1]);
    for (sandbox, label) in [(&first, "first"), (&second, "second"), (&third, "third")] {
        sandbox.assert_clean(label);
    }
}

/// Set for a run whose `uv` should hang when its arguments hold this word (`venv`).
const SLOW_UV: &str = "SCAFFOLD_FAULT_SLOW_UV";
/// Set for a run whose project test `test_zz_slow` should hang.
const SLOW_TEST: &str = "SCAFFOLD_FAULT_SLOW_TEST";

/// A `uv` that sleeps instead of running when its arguments hold the word in [`SLOW_UV`], and
/// is the harness's own uv otherwise: a venv stage that is surely running when the signal comes.
fn slow_uv(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let cache = scaffold_harness::base::cache::Cache::open(cache_dir()).unwrap();
    let python = scaffold_harness::python::interpreter::Python::find("python3").unwrap();
    let uv = scaffold_harness::python::uv::Uv::find(&cache, &python, true).unwrap();
    let script = dir.join("slow-uv");
    fs_err::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -n \"${SLOW_UV}\" ]; then\n  case \" $* \" in\n    *\" ${SLOW_UV} \"*) \
             exec sleep 600 ;;\n  esac\nfi\nexec '{}' \"$@\"\n",
            uv.path.display()
        ),
    )
    .unwrap();
    fs_err::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The entries of `dir` whose names end in `.building`: wheels half-built.
fn half_built(dir: &Path) -> Vec<String> {
    fs_err::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".building"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_interrupted_workshop_check_says_so_at_every_stage_and_counts_nothing() {
    use scaffold_harness::workshop::progress::LearnerProgress;

    let sandbox = Sandbox::new("interrupt-workshop");
    let name = "interrupt-workshop";
    let project = sandbox.path().join(name);
    crate::support::render_with(sandbox.harness(), "greet", &project, &["workshop=true"]);
    // The marker makes the sources new to the cache, so that the first runs build.
    let script = format!("{SLEEPING_BUILD_SCRIPT}// {}\n", sandbox.marker);
    apply(
        &project,
        &[
            Edit::Write("crates/core/build.rs", &script),
            Edit::Write(
                "tests/test_zz_slow.py",
                "import os\nimport time\n\n\ndef test_zz_slow() -> None:\n    \
                 if os.environ.get(\"SCAFFOLD_FAULT_SLOW_TEST\"):\n        time.sleep(600)\n",
            ),
        ],
    );
    let cache = scaffold_harness::base::cache::Cache::open(cache_dir()).unwrap();
    let progress = LearnerProgress::path(&cache, &project, name);
    let mut earlier = LearnerProgress::load(&progress).unwrap();
    earlier.record_check(&[1], "2026-01-01T00:00:00Z");
    earlier.save(&progress).unwrap();
    let kept = fs_err::read(&progress).unwrap();
    let uv = slow_uv(sandbox.path());
    let wheels = cache.wheel_dir(&format!("check-{name}"));
    // The case starts afresh, so that its venv is made again: an earlier run of this test
    // left one in the shared cache.
    let python = scaffold_harness::python::interpreter::Python::find("python3").unwrap();
    let case = cache.case_dir(&python.key, &format!("check-{name}"));
    if case.root().exists() {
        fs_err::remove_dir_all(case.root()).unwrap();
    }

    // Each stage in turn hangs until the signal: the venv (uv), the build (its build script),
    // the tests (one of the project's own, beside the probe).
    let stages: [(&str, (&str, &str), &str, libc::c_int); 3] = [
        ("venv", (SLOW_UV, "venv"), "sleep 600", libc::SIGINT),
        (
            "develop",
            (SLOW_BUILD, "1"),
            "build-script-build",
            libc::SIGTERM,
        ),
        ("pytest", (SLOW_TEST, "1"), "-m pytest", libc::SIGINT),
    ];
    for (stage, (variable, value), needle, signal) in stages {
        let mut child = sandbox
            .check(&project, TIMEOUT, &[])
            .env("UV", &uv)
            .env(variable, value)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for_process(&sandbox, &mut child, needle);
        // SAFETY: a signal to the harness we started.
        assert_eq!(unsafe { libc::kill(child.id().cast_signed(), signal) }, 0);
        let interrupted = finish(child, Duration::from_secs(30));
        let what = format!("{stage}:\n{}", interrupted.dump());
        assert_eq!(interrupted.code, Some(130), "{what}");
        assert!(
            interrupted.stderr.contains(
                "interrupted: the check stopped before it finished; no checklist, and your \
                 progress does not count it"
            ),
            "{what}"
        );
        for verdict in [
            "behaviours pass",
            "checklist for",
            "does not build",
            "FAILED",
        ] {
            assert!(
                !interrupted.stdout.contains(verdict),
                "{verdict:?} in {what}"
            );
        }
        assert_eq!(fs_err::read(&progress).unwrap(), kept, "{what}");
        assert_eq!(half_built(&wheels), Vec::<String>::new(), "{what}");
        assert_eq!(half_copies(name), Vec::<PathBuf>::new(), "{what}");
        sandbox.assert_clean(stage);
    }

    // The next run, as it comes: it checks, and counts.
    let next = run(sandbox.check(&project, TIMEOUT, &[]).env("UV", &uv));
    assert_eq!(next.code, Some(1), "{}", next.dump());
    assert!(
        next.stdout.contains("\n2/13 behaviours pass; to do: "),
        "{}",
        next.dump()
    );
    assert_ne!(fs_err::read(&progress).unwrap(), kept);
    sandbox.assert_clean("the next run");
}

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

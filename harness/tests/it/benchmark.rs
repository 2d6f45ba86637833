//! The generated projects' benchmark (`benches/bench.py` on `benches/_measure.py`): a full run
//! refuses a debug build of the extension and says how to rebuild, a `--quick` run judges no
//! target, a full run says next to its verdicts whether the machine was busy, and names a
//! comparison whose timed runs should reuse memory but take fresh memory from the system.

use std::path::Path;

use scaffold_harness::base::cmd::{Cmd, Status};

use crate::built::{Built, LIMIT, dump};
use crate::support::rendered;

#[test]
fn a_debug_build_is_refused_and_a_quick_run_judges_no_target() {
    // Built as `maturin develop` builds, so DEBUG_BUILD is true.
    let project = Built::new("greet", "bench-greet", &[]);

    let full = project
        .python()
        .args(["benches/bench.py"])
        .output()
        .unwrap();
    assert_eq!(full.status, Status::Exited(2), "{}", dump(&full));
    assert_eq!(full.stdout, "", "nothing is measured: {}", dump(&full));
    assert!(
        full.stderr.starts_with("refusing to time a debug build: "),
        "{}",
        dump(&full)
    );
    assert!(
        full.stderr
            .contains("\n    uv run --reinstall-package bench-greet python benches/bench.py\n"),
        "{}",
        dump(&full)
    );

    let json = project.root.join("quick.json");
    let quick = project
        .python()
        .args(["benches/bench.py", "--quick", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(quick.status, Status::Exited(0), "{}", dump(&quick));
    let rows: Vec<&str> = quick
        .stdout
        .lines()
        .filter(|line| line.starts_with("greet"))
        .collect();
    assert_eq!(rows.len(), 3, "{}", dump(&quick));
    assert!(
        rows.iter()
            .all(|row| !row.contains("(met") && !row.contains("(missed")),
        "{}",
        dump(&quick)
    );
    assert!(
        quick.stdout.ends_with(
            "\n--quick: small inputs, one repeat, a debug build, so the figures only show that \
             every side runs; no target is judged.\n"
        ),
        "{}",
        dump(&quick)
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs_err::read_to_string(&json).unwrap()).unwrap();
    let rows = report.as_array().expect("one object per comparison");
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert_eq!(row["target_met"], serde_json::Value::Null, "{row:#}");
        assert_eq!(row["machine_busy"], serde_json::Value::Null, "{row:#}");
    }
}

/// A benchmark on the generated `_measure.py` whose two comparisons take fixed times: one meets
/// its target, the other misses it.
const FIXED_BENCH: &str = r#"
import sys

from _measure import Comparison, Side, main


def seconds(value):
    return lambda size, repeat: (value, "same result")


COMPARISONS = [
    Comparison(
        name=name,
        unit="call",
        baseline=Side("baseline", seconds(4e-6)),
        contender=Side("contender", seconds(contender)),
        target=2.0,
        target_text="≥ 2x",
        memory_target=None,
        size=10,
        quick_size=1,
    )
    for name, contender in (("fast enough", 1e-6), ("too slow", 3e-6))
]

if __name__ == "__main__":
    sys.exit(main(COMPARISONS, __file__, sys.argv[1:], debug_build=False, distribution="x"))
"#;

fn python_in(benches: &Path) -> Cmd {
    Cmd::new("python3")
        .cwd(benches)
        .env("PYTHONPATH", benches)
        .timeout(LIMIT)
}

#[test]
fn a_full_run_judges_each_target_and_says_whether_the_machine_was_busy() {
    let dir = tempfile::tempdir().unwrap();
    let benches = dir.path();
    fs_err::copy(
        rendered()["greet"].join("benches/_measure.py"),
        benches.join("_measure.py"),
    )
    .unwrap();
    fs_err::write(benches.join("fixed.py"), FIXED_BENCH).unwrap();

    let full = python_in(benches).arg("fixed.py").output().unwrap();
    assert_eq!(full.status, Status::Exited(0), "{}", dump(&full));
    let lines: Vec<&str> = full.stdout.lines().collect();
    let machine = *lines.last().unwrap();
    // Linux has a load average, so the verdict on the machine is never "unknown" here.
    let busy = if machine.starts_with("machine busy: load average ") {
        assert!(machine.ends_with("run again when it is idle."), "{machine}");
        true
    } else {
        assert!(
            machine.starts_with("machine idle: load average "),
            "{}",
            dump(&full)
        );
        false
    };
    let suffix = if busy { "; machine busy)" } else { ")" };
    let row = |name: &str| lines.iter().find(|line| line.starts_with(name)).copied();
    let fast = row("fast enough [10 call]").expect("a row per comparison");
    assert!(fast.contains(" 4.00x "), "{}", dump(&full));
    assert!(
        fast.ends_with(&format!("≥ 2x (met{suffix}")),
        "{}",
        dump(&full)
    );
    let slow = row("too slow [10 call]").expect("a row per comparison");
    assert!(slow.contains(" 1.33x "), "{}", dump(&full));
    assert!(
        slow.ends_with(&format!("≥ 2x (missed{suffix}")),
        "{}",
        dump(&full)
    );

    // The same comparisons with --quick: figures, no verdicts, no word on the machine.
    let quick = python_in(benches)
        .args(["fixed.py", "--quick"])
        .output()
        .unwrap();
    assert_eq!(quick.status, Status::Exited(0), "{}", dump(&quick));
    assert!(!quick.stdout.contains("(met"), "{}", dump(&quick));
    assert!(!quick.stdout.contains("(missed"), "{}", dump(&quick));
    assert!(!quick.stdout.contains("machine "), "{}", dump(&quick));
}

#[test]
fn the_machine_counts_as_busy_when_other_work_leaves_the_benchmark_short_of_two_cpus() {
    let dir = tempfile::tempdir().unwrap();
    fs_err::copy(
        rendered()["greet"].join("benches/_measure.py"),
        dir.path().join("_measure.py"),
    )
    .unwrap();
    // (load before, load after, CPUs) and whether that is busy. The benchmark itself adds about
    // one to the load after.
    let script = r#"
from _measure import MachineLoad

for before, after, cpus, busy in [
    (0.1, 1.1, 2, False),   # idle: the load after is the benchmark's own
    (0.6, 1.2, 2, True),    # half a CPU of other work on two
    (0.0, 2.0, 2, True),    # other work started during the run
    (3.0, 3.5, 16, False),  # plenty of CPUs left
    (14.5, 15.0, 16, True),
]:
    load = MachineLoad(before=before, after=after, cpus=cpus)
    assert load.busy is busy, (before, after, cpus)
    assert load.describe().startswith("machine busy: " if busy else "machine idle: ")

unknown = MachineLoad(before=None, after=None, cpus=2)
assert unknown.busy is False
assert unknown.describe().startswith("machine load: unknown (no load average on this system)")
print("checked")
"#;
    let output = python_in(dir.path()).args(["-c", script]).output().unwrap();
    assert_eq!(output.status, Status::Exited(0), "{}", dump(&output));
    assert_eq!(output.stdout, "checked\n", "{}", dump(&output));
}

/// A comparison that declares `reuses_memory`: one side reads memory written before the clock
/// starts, the other maps 20 MB afresh in every timed run and writes to each of its pages (a new
/// anonymous mapping: whatever the allocator keeps, the kernel zeroes every page first).
const FRESH_BENCH: &str = r#"
import mmap
import sys

from _measure import MB, PAGE_SIZE, Comparison, Side, best_of, main

KEPT = bytearray(b"x") * (20 * MB)


def kept(size, repeat):
    seconds, _ = best_of(repeat, lambda: KEPT.count(b"y"))
    return seconds / size, "same result"


def touch_new_pages(size):
    with mmap.mmap(-1, size * MB) as memory:
        for offset in range(0, size * MB, PAGE_SIZE):
            memory[offset] = 1


def fresh(size, repeat):
    seconds, _ = best_of(repeat, lambda: touch_new_pages(size) or "done")
    return seconds / size, "same result"


COMPARISONS = [
    Comparison(
        name="memory",
        unit="MB",
        baseline=Side("kept", kept),
        contender=Side("fresh", fresh),
        target=None,
        target_text="none",
        memory_target=None,
        size=20,
        quick_size=1,
        reuses_memory=True,
    )
]

if __name__ == "__main__":
    sys.exit(main(COMPARISONS, __file__, sys.argv[1:], debug_build=False, distribution="x"))
"#;

#[test]
fn a_side_that_takes_fresh_memory_where_it_should_reuse_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let benches = dir.path();
    fs_err::copy(
        rendered()["text-processor"].join("benches/_measure.py"),
        benches.join("_measure.py"),
    )
    .unwrap();
    fs_err::write(benches.join("fresh.py"), FRESH_BENCH).unwrap();
    let json = benches.join("fresh.json");

    let full = python_in(benches)
        .arg("fresh.py")
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();

    assert_eq!(full.status, Status::Exited(0), "{}", dump(&full));
    let notes: Vec<&str> = full
        .stdout
        .lines()
        .filter(|line| line.starts_with("memory: "))
        .collect();
    // Only the side that makes new memory is named, with about one MB per MB of work.
    let note = regex::Regex::new(
        r"^memory: the timed runs took fresh memory from the operating system \(fresh: (1\.0\d|0\.9\d) MB per MB of work\) where each should reuse what the run before freed, so part of each time is the kernel zeroing pages: has the way the results are made or freed changed\?$",
    )
    .unwrap();
    assert_eq!(notes.len(), 1, "{}", dump(&full));
    assert!(note.is_match(notes[0]), "{}", dump(&full));
    let report: serde_json::Value =
        serde_json::from_str(&fs_err::read_to_string(&json).unwrap()).unwrap();
    let row = &report[0];
    assert_eq!(row["fresh_memory_note"].as_str(), Some(notes[0]), "{row:#}");
    let fresh = row["contender_result"]["fresh_bytes"].as_u64().unwrap();
    let kept = row["baseline_result"]["fresh_bytes"].as_u64().unwrap();
    assert!(fresh >= 19_000_000, "{row:#}");
    assert!(kept < 1_000_000, "{row:#}");
}

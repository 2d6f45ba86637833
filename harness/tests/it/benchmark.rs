//! The generated projects' benchmark (`benches/bench.py` on `benches/_measure.py`): a full run
//! refuses a debug build of the extension and says how to rebuild, a `--quick` run judges no
//! target, and a full run says next to its verdicts whether the machine was busy.

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
        rendered().greet.join("benches/_measure.py"),
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
        rendered().greet.join("benches/_measure.py"),
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

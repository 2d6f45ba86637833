//! What `check` prints after its run: the classes of the differences, and why a failing check
//! failed, in one line, also as a GitHub annotation.

use crate::base::error::Result;
use crate::commands::check::{CheckArgs, Format};
use crate::conformance::compare;
use crate::pipeline::CaseReport;
use crate::pipeline::job::Mode;
use crate::report;
use crate::report::github::{self, Sources};
use crate::workshop::checklist::Checklist;

/// The classes of the differences in one line, and with `--format github` an annotation each.
pub fn conformance(args: &CheckArgs, mode: &Mode, report: &CaseReport) -> Result<()> {
    let differences = &report.differences;
    if !differences.is_empty() {
        println!("{}", compare::summary(differences));
    }
    if args.format == Format::Github {
        let text = match mode {
            Mode::Against(file) => Some(fs_err::read_to_string(file)?),
            _ => None,
        };
        let record = match (mode, &text) {
            (Mode::Against(file), Some(text)) => Some((file.as_path(), text.as_str())),
            _ => None,
        };
        let sources = Sources {
            record,
            project: &args.dir,
            package: report.package.as_deref(),
        };
        for annotation in github::annotations(differences, args.strict, sources) {
            println!("{annotation}");
        }
    }
    Ok(())
}

/// Why each failing case failed, one line each (`check failed: ...`), last; with `--format
/// github` also an `::error` annotation each, so that a red run always names its cause.
pub fn failures(format: Format, reports: &[CaseReport]) {
    for report in reports {
        let Some(reason) = report::failure_reason(report) else {
            continue;
        };
        let reason = if reports.len() > 1 {
            format!("{}: {reason}", report.case)
        } else {
            reason
        };
        println!("check failed: {reason}");
        if format == Format::Github {
            println!("{}", github::failure(&reason));
        }
    }
}

/// A workshop check that is not complete ends on the checklist's last line, which says why;
/// with `--format github` that line is an `::error` annotation too.
pub fn checklist_failure(format: Format, checklist: &Checklist) {
    if format == Format::Github {
        println!("{}", github::failure(&checklist.verdict_line()));
    }
}

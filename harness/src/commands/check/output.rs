//! What `check` prints after its run: the classes of the differences, the workshop's
//! checklist, and why a failing check failed, in one line, also as a GitHub annotation.

use std::path::Path;

use crate::base::cache::Cache;
use crate::base::error::{Error, Result};
use crate::commands::check::{CheckArgs, Format};
use crate::conformance::compare;
use crate::pipeline::CaseReport;
use crate::pipeline::job::Mode;
use crate::project::Project;
use crate::report;
use crate::report::github::{self, Sources};
use crate::workshop::checklist::Checklist;
use crate::workshop::progress::{self, LearnerProgress};

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

/// Adds the check to the learner's progress record (in the cache: DIR is only read). A record
/// that cannot be kept is worth a warning, not a failed check.
pub fn record_progress(cache: &Cache, dir: &Path, checklist: &Checklist) {
    let Ok(project) = Project::read(dir) else {
        return;
    };
    let file = LearnerProgress::path(cache, dir, &project.name);
    let kept = LearnerProgress::load(&file)
        .map_err(Error::from)
        .and_then(|mut progress| {
            progress.record_check(&checklist.exercises_done(), &progress::now());
            Ok(progress.save(&file)?)
        });
    if let Err(error) = kept {
        eprintln!("warning: the workshop progress was not kept: {error}");
    }
}

/// The heading of what `check` prints before the checklist: pytest's and the harness's own
/// words, for whoever wants them.
pub const DETAILS_HEADING: &str =
    "--- details: the failing tests and errors as pytest and the harness report them ---";

/// Prints what the checklist does not say (failing tests, differences it does not explain,
/// errors) under [`DETAILS_HEADING`], the summary table, then the checklist last: a terminal
/// scrolls, and the last lines are the ones a learner reads. Writes the JSON report with it.
pub fn finish_checklist(
    report: &CaseReport,
    checklist: &Checklist,
    json: Option<&Path>,
) -> Result<()> {
    match report::case_details(&checklist.trim(report)) {
        Some(details) => println!("{DETAILS_HEADING}\n{details}"),
        None => {
            if let Some(dir) = &report.work_dir {
                println!("{}: work folder kept: {}", report.case, dir.display());
            }
        }
    }
    print!("{}", report::summary_table(std::slice::from_ref(report)));
    print!("\n{}", checklist.render());
    if let Some(path) = json {
        report::write(path, &report::check_json(report, checklist)?)?;
    }
    Ok(())
}

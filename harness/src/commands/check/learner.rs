//! `check DIR` on a project of a known style, compared with that style's reference: what a
//! learner reads is the checklist, one per interpreter, printed last; the progress record counts
//! the check. An interrupted check is only that: no checklist, nothing counted.

use std::path::Path;
use std::process::ExitCode;

use crate::base::cache::Cache;
use crate::base::error::{Error, Fault, Result};
use crate::base::interrupt;
use crate::commands::check::{CheckArgs, output, report_acceptances};
use crate::conformance::accept::Acceptance;
use crate::exit;
use crate::pipeline::CaseReport;
use crate::pipeline::job::Mode;
use crate::project::Project;
use crate::report;
use crate::stages::probe::ScenarioInfo;
use crate::workshop::checklist::{Checklist, OfficialTests};
use crate::workshop::progress::{self, LearnerProgress};
use crate::workshop::results::Results;

/// What the checklists are made from, read before the build.
#[derive(Debug)]
pub struct Input {
    pub table: Vec<ScenarioInfo>,
    /// The style's reference behaviour text.
    pub reference: String,
    pub official_tests: OfficialTests,
}

/// The heading of what `check` prints before the checklist: pytest's and the harness's own
/// words, for whoever wants them.
pub const DETAILS_HEADING: &str =
    "--- details: the failing tests and errors as pytest and the harness report them ---";

/// What an interrupted check says instead of a checklist.
pub const INTERRUPTED: &str = "interrupted: the check stopped before it finished; no \
                               checklist, and your progress does not count it";

/// Prints what the checklists do not say (failing tests, differences they do not explain,
/// errors) under [`DETAILS_HEADING`], the summary table, then each interpreter's checklist last:
/// a terminal scrolls, and the last lines are the ones a learner reads. Writes the reports the
/// options ask for and adds the check to the learner's progress.
pub fn finish(
    cache: &Cache,
    args: &CheckArgs,
    input: &Input,
    reports: &[CaseReport],
    stale: &[&Acceptance],
) -> Result<ExitCode> {
    if interrupt::requested() {
        eprintln!("{INTERRUPTED}");
        return Ok(exit::code(Fault::Interrupted));
    }
    let checklists: Vec<Checklist> = reports
        .iter()
        .map(|report| {
            let mut checklist = Checklist::build(
                &input.table,
                &input.reference,
                report,
                input.official_tests.clone(),
            );
            checklist.place(&args.dir);
            checklist
        })
        .collect();
    let mut details = Vec::new();
    for (report, checklist) in reports.iter().zip(&checklists) {
        match report::case_details(&checklist.trim(report)) {
            Some(text) => details.push(text),
            None => {
                if let Some(dir) = &report.work_dir {
                    println!("{}: work folder kept: {}", report.case, dir.display());
                }
            }
        }
    }
    if !details.is_empty() {
        println!("{DETAILS_HEADING}\n{}", details.join("\n"));
    }
    print!("{}", report::summary_table(reports));
    for checklist in &checklists {
        print!("\n{}", checklist.render());
    }
    if let Some(path) = &args.json {
        let mut lines = String::new();
        for (report, checklist) in reports.iter().zip(&checklists) {
            lines.push_str(&report::check_json(report, checklist)?);
        }
        report::write(path, &lines)?;
    }
    if let (Some(path), [checklist]) = (&args.results, checklists.as_slice()) {
        report::write(path, &Results::from_checklist(checklist).to_json())?;
    }
    if let Some(path) = &args.junit {
        report::write(path, &report::junit("scaffold-harness", reports)?)?;
    }
    for report in reports {
        output::conformance(args, &Mode::Reference, report)?;
    }
    report_acceptances(args, reports, stale);
    record_progress(cache, &args.dir, &checklists);
    let mut code = exit::for_reports(reports);
    if code == ExitCode::SUCCESS && !checklists.iter().all(Checklist::complete) {
        code = exit::code(Fault::Failure);
    }
    if code != ExitCode::SUCCESS {
        for checklist in &checklists {
            output::checklist_failure(args.format, checklist);
        }
    }
    Ok(code)
}

/// Adds the check to the learner's progress record (in the cache: DIR is only read), with the
/// exercises done on every interpreter checked. A record that cannot be kept is worth a warning,
/// not a failed check.
fn record_progress(cache: &Cache, dir: &Path, checklists: &[Checklist]) {
    let Ok(project) = Project::read(dir) else {
        return;
    };
    let mut done = checklists
        .first()
        .map(Checklist::exercises_done)
        .unwrap_or_default();
    for checklist in checklists {
        let theirs = checklist.exercises_done();
        done.retain(|exercise| theirs.contains(exercise));
    }
    let file = LearnerProgress::path(cache, dir, &project.name);
    let kept = LearnerProgress::load(&file)
        .map_err(Error::from)
        .and_then(|mut progress| {
            progress.record_check(&done, &progress::now());
            Ok(progress.save(&file)?)
        });
    if let Err(error) = kept {
        eprintln!("warning: the workshop progress was not kept: {error}");
    }
}

//! `pyo3-scaffold update [DIR]`: carries a project to the template this command carries. The
//! template the project was made from and the current one are rendered with its answers, and
//! the difference is merged into it three ways ([`crate::update`]); the merged project is
//! built, tested and compared with the behaviour recorded before, and only then written into
//! DIR, all at once. Conflicts leave diff3 markers, exit 1 and an update in progress, finished
//! by running `update` again once they are resolved.

mod output;
mod relock;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::base::error::{Error, Fault, Result, UpdateError};
use crate::base::interrupt;
use crate::commands::{GlobalArgs, TimeoutArg};
use crate::exit;
use crate::project::Project;
use crate::project::tree;
use crate::template::embedded;
use crate::template::filled;
use crate::template::render;
use crate::template::style::Style;
use crate::update::answers::{self, Answers};
use crate::update::apply::{self, Write};
use crate::update::git::{self, Status};
use crate::update::merge::Labels;
use crate::update::pending::{self, Pending};
use crate::update::plan::{self, Action, Plan};
use crate::update::sources::{self, Base, TemplateId};
use crate::update::table;
use output::{Outcome, Report};
use verify::Verifier;

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The project folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Answer a template question anew, e.g. -d abi3=false (repeatable); a question the new
    /// template added takes the answer `new` gives it (the author from git, else the default)
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE", value_parser = render::parse_define)]
    pub defines: Vec<(String, String)>,
    /// The project's git commit that holds the untouched render (e.g. the first commit after
    /// `new`), as the base of the merge
    #[arg(long, value_name = "REV", conflicts_with = "base_template")]
    pub base: Option<String>,
    /// The template folder the project was made from, as the base of the merge
    #[arg(long, value_name = "DIR")]
    pub base_template: Option<PathBuf>,
    /// Write nothing; exit 1 when the project's template is behind this command's, and say
    /// what would change
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Print the diff the update would make, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the update without building, testing and comparing it first
    #[arg(long)]
    pub no_verify: bool,
    /// Leave the project's Cargo.lock and uv.lock as they are, instead of bringing them in line
    /// with the merged manifests (which needs the network)
    #[arg(long)]
    pub no_lock: bool,
    /// Update a project with uncommitted changes, or one that is not in a git repository
    #[arg(long)]
    pub allow_dirty: bool,
    /// Write what the update did (or would do) as JSON
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// The interpreter the verification builds for (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

fn usage(message: String) -> Error {
    Error::Usage {
        command: "update",
        message,
    }
}

pub fn run(global: &GlobalArgs, args: &UpdateArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    let project = Project::read(dir).map_err(|error| usage(error.to_string()))?;
    let provenance = project
        .provenance()
        .cloned()
        .ok_or_else(|| UpdateError::NoProvenance { dir: dir.clone() })?;
    if provenance
        .answers
        .get("workshop")
        .and_then(toml::Value::as_bool)
        .unwrap_or(false)
    {
        return Err(UpdateError::Workshop { dir: dir.clone() }.into());
    }
    let style_name = provenance.style.clone().unwrap_or_default();
    let style = Style::parse(&style_name).ok_or_else(|| {
        usage(format!(
            "{}: its style `{style_name}` is not one this pyo3-scaffold knows ({})",
            dir.display(),
            Style::names().join(", ")
        ))
    })?;
    if let Some(pending) = Pending::read(dir)? {
        return finish(global, args, &project, &pending);
    }
    let from = TemplateId::recorded(&provenance);
    // The quick answer for a project made from the template built in: nothing to render.
    let built_in = TemplateId {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        fingerprint: embedded::FINGERPRINT.to_owned(),
    };
    if global.template.is_none() && args.defines.is_empty() && from == built_in {
        let mut report = Report::new(&project.name, &from, &from, &Answers::default());
        report.outcome = Outcome::UpToDate;
        return report.finish(args.json.as_deref(), ExitCode::SUCCESS);
    }

    // The new side.
    let template = global.template()?;
    let answers = answers::resolve(
        &provenance.answers,
        &template.dir,
        &args.defines,
        filled::FILLERS,
    )?
    .map_err(usage)?;
    for note in &answers.notes {
        eprintln!("note: {note}");
    }
    let theirs = sources::render(&template, style, &project.name, &answers.new).map_err(
        |error| match error {
            Error::Refused { message } => usage(message),
            other => other,
        },
    )?;
    let to = sources::recorded_by(&theirs).map_or_else(
        || TemplateId {
            version: "unknown".into(),
            fingerprint: "unknown".into(),
        },
        |recorded| TemplateId::recorded(&recorded),
    );
    let mut report = Report::new(&project.name, &from, &to, &answers);
    if from.fingerprint == to.fingerprint && answers.changed.is_empty() {
        report.outcome = Outcome::UpToDate;
        return report.finish(args.json.as_deref(), ExitCode::SUCCESS);
    }
    if from.is_newer_than(&to) {
        if args.check {
            report.outcome = Outcome::Newer;
            return report.finish(args.json.as_deref(), ExitCode::SUCCESS);
        }
        return Err(UpdateError::Newer {
            project: from.label(),
            carried: to.label(),
        }
        .into());
    }
    // Only now: a project that is up to date is left alone whatever its working tree holds.
    if !args.check && !args.dry_run && !args.allow_dirty {
        require_clean(dir, &args.timeout)?;
    }

    // The base, and the plan.
    let chosen = Base::choose(
        &from,
        (&to, &template.dir),
        args.base.as_deref(),
        args.base_template.as_deref(),
    );
    let base = match chosen {
        Ok(base) => base,
        Err(error) if args.check => {
            println!("note: {error}");
            report.outcome = Outcome::Behind;
            return report.finish(args.json.as_deref(), exit::code(Fault::Failure));
        }
        Err(error) => return Err(error),
    };
    let (mut base_files, kind) = base
        .files(
            dir,
            style,
            &project.name,
            &answers.old,
            args.timeout.duration(),
        )
        .map_err(|error| match error {
            Error::TemplateNotFound { .. } | Error::Refused { .. } => usage(error.to_string()),
            other => other,
        })?;
    table::align(
        &mut base_files,
        &fs_err::read_to_string(dir.join("pyproject.toml"))?,
    );
    let labels = Labels {
        base: base.label(&from),
        theirs: format!("template {}", to.label()),
    };
    let plan = plan::build(&base_files, &theirs, dir, &labels, kind)?;
    report.plan = Some(plan.clone());
    report.print_plan();
    if args.check {
        relock::say_would_relock(args.no_lock, dir);
        report.outcome = Outcome::Behind;
        return report.finish(args.json.as_deref(), exit::code(Fault::Failure));
    }
    if args.dry_run {
        print!("{}", plan::diff(&plan));
        relock::say_would_relock(args.no_lock, dir);
        report.outcome = Outcome::DryRun;
        let code = exit_for(&plan, true);
        return report.finish(args.json.as_deref(), code);
    }
    update(
        global,
        args,
        &mut report,
        &plan,
        theirs.get("pyproject.toml"),
    )
}

/// Refuses a project whose changes git does not hold, or that is in no git repository:
/// nothing could undo the update there.
fn require_clean(dir: &Path, timeout: &TimeoutArg) -> Result<()> {
    match git::status(dir, timeout.duration())? {
        Status::Clean => Ok(()),
        Status::NotInGit => Err(UpdateError::NotInGit {
            dir: dir.to_owned(),
        }
        .into()),
        Status::Dirty(changes) => Err(UpdateError::Dirty {
            dir: dir.to_owned(),
            changes,
        }
        .into()),
    }
}

/// Exit 1 when the plan has conflicts (or the verification failed), else 0.
fn exit_for(plan: &Plan, verified: bool) -> ExitCode {
    if plan.conflicts().is_empty() && verified {
        ExitCode::SUCCESS
    } else {
        exit::code(Fault::Failure)
    }
}

/// Verifies the plan on a copy of the project, then writes it into the project.
fn update(
    global: &GlobalArgs,
    args: &UpdateArgs,
    report: &mut Report,
    plan: &Plan,
    new_pyproject: Option<&Vec<u8>>,
) -> Result<ExitCode> {
    let dir = &args.dir;
    let mut writes: Vec<Write> = plan
        .writes()
        .map(|change| Write {
            path: change.path.clone(),
            bytes: change.after.clone(),
        })
        .collect();
    let conflicts = plan.conflicts();
    if !conflicts.is_empty() {
        let record = new_pyproject
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .and_then(table::get)
            .unwrap_or_default()
            .to_owned();
        let pending = Pending {
            from: report.from.label(),
            to: report.to.label(),
            conflicts: conflicts.iter().map(|path| (*path).to_owned()).collect(),
            record,
        };
        writes.push(Write {
            path: pending::FILE.into(),
            bytes: Some(pending.text()?.into_bytes()),
        });
    }
    let verifier = verifier(global, args)?;
    let before = match &verifier {
        Some(verifier) => verifier.record(dir)?,
        None => None,
    };
    let mut verified = true;
    if conflicts.is_empty() {
        verified = stage(global, args, verifier.as_ref(), before, &mut writes, report)?;
    } else if let (Some(verifier), Some(text)) = (&verifier, &before) {
        // Finishing the update compares with it.
        let kept = verifier.kept_record(dir, &report.to.fingerprint);
        crate::report::write(&kept, text)?;
    }
    interrupt::check()?;
    apply::apply(dir, &writes)?;
    report.outcome = if conflicts.is_empty() {
        Outcome::Updated
    } else {
        Outcome::Conflicts
    };
    report.finish(args.json.as_deref(), exit_for(plan, verified))
}

/// The update staged in a copy of the project: its lock files brought in line with the merged
/// manifests (unless `--no-lock`; those that change join `writes`), then, with a `verifier`,
/// built, tested and compared with `before`, the project's behaviour before the update. Returns
/// whether the verification passed (true without one). Without a verifier or a lock file to
/// refresh nothing reads the copy, and none is made.
fn stage(
    global: &GlobalArgs,
    args: &UpdateArgs,
    verifier: Option<&Verifier>,
    before: Option<String>,
    writes: &mut Vec<Write>,
    report: &mut Report,
) -> Result<bool> {
    let locks = relock::chosen(args.no_lock, &args.dir);
    if verifier.is_none() && locks.is_empty() {
        return Ok(true);
    }
    let staging = staged_copy(&args.dir, writes)?;
    let relocked = relock::relock(global, &locks, &staging.1, &args.dir, writes)?;
    for file in &relocked.changed {
        println!("  {:<10} {file}", Action::Relocked.as_str());
    }
    report.relocked = relocked.changed;
    report.not_relocked = relocked.left.iter().map(|lock| lock.file).collect();
    let Some(verifier) = verifier else {
        return Ok(true);
    };
    let verification = verifier.verify(&staging.1, before)?;
    if let Some(details) = verification.details() {
        println!("{details}");
    }
    report.verification = Some(verification.summary());
    Ok(verification.passed())
}

/// A copy of the project's sources with `writes` applied, in a temporary folder (kept as long
/// as the returned guard is).
fn staged_copy(dir: &Path, writes: &[Write]) -> Result<(tempfile::TempDir, PathBuf)> {
    let scratch = tempfile::Builder::new()
        .prefix("pyo3-scaffold-update-")
        .tempdir()?;
    let name = fs_err::canonicalize(dir)?
        .file_name()
        .map_or_else(|| "project".into(), std::ffi::OsStr::to_owned);
    let copy = scratch.path().join(name);
    tree::copy_sources(dir, &copy)?;
    apply::apply(&copy, writes)?;
    Ok((scratch, copy))
}

/// `update` on a project with an update in progress: finishes it once no conflict markers are
/// left, or says which files still hold them.
fn finish(
    global: &GlobalArgs,
    args: &UpdateArgs,
    project: &Project,
    pending: &Pending,
) -> Result<ExitCode> {
    let dir = &args.dir;
    let file = dir.join(pending::FILE);
    let busy = |message: &str| UpdateError::InProgress {
        file: file.clone(),
        to: pending.to.clone(),
        message: message.to_owned(),
    };
    if !args.defines.is_empty() || args.base.is_some() || args.base_template.is_some() {
        return Err(busy("finish it before answering anew or naming another base").into());
    }
    let unresolved = pending.unresolved(dir)?;
    let parse = |label: &str| {
        let (version, fingerprint) = label.split_once(" (").unwrap_or((label, ""));
        TemplateId {
            version: version.to_owned(),
            fingerprint: fingerprint.trim_end_matches(')').to_owned(),
        }
    };
    let (from, to) = (parse(&pending.from), parse(&pending.to));
    let mut report = Report::new(&project.name, &from, &to, &Answers::default());
    if args.check || args.dry_run {
        println!(
            "an update from template {} to {} is in progress: {}",
            pending.from,
            pending.to,
            if unresolved.is_empty() {
                "its conflicts are resolved; run `pyo3-scaffold update` to finish it".to_owned()
            } else {
                format!("conflict markers are left in {}", unresolved.join(", "))
            }
        );
        report.outcome = Outcome::InProgress;
        return report.finish(args.json.as_deref(), exit::code(Fault::Failure));
    }
    if !unresolved.is_empty() {
        return Err(UpdateError::StillConflicted { files: unresolved }.into());
    }
    let mut writes = pending.finishing_writes(dir)?;
    let verifier = verifier(global, args)?;
    let kept = verifier
        .as_ref()
        .map(|verifier| verifier.kept_record(dir, &to.fingerprint));
    let before = kept
        .as_ref()
        .and_then(|kept| fs_err::read_to_string(kept).ok());
    let verified = stage(
        global,
        args,
        verifier.as_ref(),
        before,
        &mut writes,
        &mut report,
    )?;
    if let Some(kept) = kept.filter(|_| verified) {
        let _ = fs_err::remove_file(kept);
    }
    interrupt::check()?;
    apply::apply(dir, &writes)?;
    report.resolved = pending.conflicts.clone();
    report.outcome = Outcome::Finished;
    let code = if verified {
        ExitCode::SUCCESS
    } else {
        exit::code(Fault::Failure)
    };
    report.finish(args.json.as_deref(), code)
}

/// What verifies the update (builds, tests and compares it), unless `--no-verify`.
fn verifier(global: &GlobalArgs, args: &UpdateArgs) -> Result<Option<Verifier>> {
    if args.no_verify {
        return Ok(None);
    }
    Ok(Some(Verifier::new(
        global,
        args.python.as_deref(),
        &args.timeout,
    )?))
}

//! Where a case's project comes from, put in place in the case's folder of the cache: a
//! fresh render of the template, or a copy of a project folder, kept from the last run when
//! nothing in it changed. A render or copy that fails or is interrupted leaves no half-made
//! folder behind.

use std::path::Path;

use crate::base::cache::{CaseDir, State};
use crate::base::error::Result;
use crate::base::remove_on_drop::RemoveOnDrop;
use crate::pipeline::{Job, Source};
use crate::project::tree;
use crate::template::render;

/// The case's folder in the cache: the matrix case's id, or for `check` the project's name (a
/// project checked again after an edit reuses its build).
pub(super) fn cache_key(job: &Job) -> String {
    match &job.source {
        Source::Template { case, .. } => case.id(),
        // A check over several interpreters names each case `<project>@3.12`; the label is
        // not part of the key, so that their builds share the project's wheels.
        Source::Folder { .. } => {
            let project = job
                .id
                .split_once('@')
                .map_or(job.id.as_str(), |(name, _)| name);
            format!("check-{project}")
        }
    }
}

/// Files the build itself writes into the project folder, when the sources have none.
const BUILD_WRITTEN: &[&str] = &["Cargo.lock"];

/// Puts the job's sources into the case folder's `project/`, unless the same sources are there
/// already (then the extension built from them is kept). Returns the sources' fingerprint and
/// whether they were there already.
pub(super) fn refresh_project(
    job: &Job,
    case_dir: &CaseDir,
    state: &mut State,
) -> Result<(String, bool)> {
    let incoming = case_dir.root().join("incoming");
    if incoming.exists() {
        fs_err::remove_dir_all(&incoming)?;
    }
    // A render or copy that fails or is interrupted leaves no half-made folder behind.
    let leftover = RemoveOnDrop(&incoming);
    let refreshed = fill_incoming(job, case_dir, state, &incoming);
    drop(leftover);
    refreshed
}

fn fill_incoming(
    job: &Job,
    case_dir: &CaseDir,
    state: &mut State,
    incoming: &Path,
) -> Result<(String, bool)> {
    let incoming = incoming.to_owned();
    match &job.source {
        Source::Template { template, case } => {
            let defines = case.defines();
            let request = render::Request {
                style: case.style,
                name: &case.project_name(),
                defines: &defines,
            };
            render::render(template, &request, &incoming)?;
        }
        Source::Folder { dir, .. } => tree::copy_sources(dir, &incoming)?,
    }
    let fingerprint = tree::fingerprint(&incoming)?;
    let project = case_dir.project();
    // The copy is reused only if it is still what was put there: the code under test runs in
    // it and may have changed it (a test writing into its own project folder), and such a
    // change must not carry over into the next run. Lock files the build writes are its own.
    if project.is_dir()
        && state.sources.as_deref() == Some(fingerprint.as_str())
        && tree::diff_trees(&incoming, &project, BUILD_WRITTEN)?.is_empty()
    {
        fs_err::remove_dir_all(&incoming)?;
        return Ok((fingerprint, true));
    }
    // Forget the old sources before touching them: a run killed during the swap must not
    // leave a state that vouches for a half-replaced folder. The new folder has no built
    // extension in it yet, whatever the fingerprints say.
    state.sources = None;
    state.developed = None;
    case_dir.save_state(state)?;
    if project.exists() {
        fs_err::remove_dir_all(&project)?;
    }
    fs_err::rename(&incoming, &project)?;
    state.sources = Some(fingerprint.clone());
    case_dir.save_state(state)?;
    Ok((fingerprint, false))
}

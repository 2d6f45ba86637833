//! `check --accept RULE:SUBJECT --reason "…"` and the project's `conformance-accepted.toml`:
//! the breaking differences a maintainer makes on purpose, read before the run and applied to
//! its differences after it (see [`crate::conformance::accept`]).

use std::path::Path;

use crate::conformance::accept::{self, Acceptance, Origin};
use crate::pipeline::CaseReport;
use crate::report::github::{Annotation, Level, Location};

/// The acceptances of the command line (`--accept`, each with its `--reason`: one reason for
/// them all, or one each, in order) and of the project's file, or what is wrong with them.
pub fn read(dir: &Path, accepts: &[String], reasons: &[String]) -> Result<Vec<Acceptance>, String> {
    if accepts.is_empty() && !reasons.is_empty() {
        return Err("--reason goes with --accept RULE:SUBJECT".into());
    }
    if !accepts.is_empty() && reasons.is_empty() {
        return Err(
            "--accept needs a --reason: say why the difference is accepted (one --reason for \
             every --accept, or one each, in order)"
                .into(),
        );
    }
    if reasons.len() > 1 && reasons.len() != accepts.len() {
        return Err(format!(
            "{} --accept and {} --reason: give one --reason for all of them, or one for each",
            accepts.len(),
            reasons.len()
        ));
    }
    let mut acceptances = Vec::new();
    for (index, argument) in accepts.iter().enumerate() {
        let reason = reasons
            .get(index)
            .or(reasons.first())
            .map_or("", String::as_str);
        acceptances.push(accept::from_argument(argument, reason)?);
    }
    let file = dir.join(accept::FILE);
    if file.is_file() {
        let text = fs_err::read_to_string(&file).map_err(|error| error.to_string())?;
        acceptances.extend(accept::from_file(&file, &text)?);
    }
    Ok(acceptances)
}

/// Where an acceptance was given, for messages: `--accept`, or `FILE:LINE`.
fn origin(acceptance: &Acceptance) -> String {
    match &acceptance.origin {
        Origin::CommandLine => "--accept".to_owned(),
        Origin::File { path, line } => format!("{}:{line}", path.display()),
    }
}

/// Applies the acceptances to the report's differences; returns those that matched nothing.
pub fn apply<'a>(
    report: &mut CaseReport,
    acceptances: &'a [Acceptance],
    strict: bool,
) -> Vec<&'a Acceptance> {
    accept::apply(&mut report.differences, acceptances, strict)
}

/// The warning for an acceptance that matched no difference: the file would rot otherwise.
pub fn stale_warning(acceptance: &Acceptance) -> String {
    format!(
        "warning: `{}` ({}) is accepted but matches no difference any more: remove it",
        acceptance.key(),
        origin(acceptance)
    )
}

/// The same, as a GitHub annotation at the entry's line.
pub fn stale_annotation(acceptance: &Acceptance) -> Annotation {
    Annotation {
        level: Level::Warning,
        title: format!("stale acceptance: {}", acceptance.key()),
        message: format!(
            "`{}` is accepted (reason: {}) but matches no difference any more: remove it",
            acceptance.key(),
            acceptance.reason
        ),
        location: match &acceptance.origin {
            Origin::CommandLine => None,
            Origin::File { path, line } => Some(Location {
                file: path.display().to_string(),
                line: Some(*line),
            }),
        },
    }
}

/// The accepted findings of a report, one line each with its reason, for the text report.
pub fn listed(report: &CaseReport) -> Vec<String> {
    report
        .differences
        .iter()
        .flat_map(|difference| &difference.findings)
        .filter_map(|finding| {
            let reason = finding.accepted.as_ref()?;
            Some(format!(
                "accepted ({}:{}): {}\n  because: {reason}",
                finding.rule.id, finding.subject, finding.explanation
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_go_one_for_all_or_one_each() {
        let dir = tempfile::tempdir().unwrap();
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let two = strings(&["name-removed:a", "name-removed:b"]);
        let shared = read(dir.path(), &two, &strings(&["cleanup"])).unwrap();
        assert_eq!(shared[1].reason, "cleanup");
        let each = read(dir.path(), &two, &strings(&["one", "two"])).unwrap();
        assert_eq!(
            (each[0].reason.as_str(), each[1].reason.as_str()),
            ("one", "two")
        );
        assert!(
            read(dir.path(), &two, &[])
                .unwrap_err()
                .starts_with("--accept needs a --reason")
        );
        assert_eq!(
            read(
                dir.path(),
                &strings(&["a:b", "c:d", "e:f"]),
                &strings(&["x", "y"])
            )
            .unwrap_err(),
            "3 --accept and 2 --reason: give one --reason for all of them, or one for each"
        );
        assert_eq!(
            read(dir.path(), &[], &strings(&["x"])).unwrap_err(),
            "--reason goes with --accept RULE:SUBJECT"
        );
    }

    #[test]
    fn the_projects_file_is_read_too_and_stale_entries_point_at_their_line() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join(accept::FILE),
            "[[accept]]\nrule = \"name-removed\"\nsubject = \"old\"\nreason = \"gone in 2.0\"\n",
        )
        .unwrap();
        let acceptances = read(dir.path(), &[], &[]).unwrap();
        assert_eq!(acceptances.len(), 1);
        let file = dir.path().join(accept::FILE);
        assert_eq!(
            stale_warning(&acceptances[0]),
            format!(
                "warning: `name-removed:old` ({}:1) is accepted but matches no difference any \
                 more: remove it",
                file.display()
            )
        );
        assert_eq!(
            stale_annotation(&acceptances[0]).to_string(),
            format!(
                "::warning file={},line=1,title=stale acceptance%3A name-removed%3Aold::\
                 `name-removed:old` is accepted (reason: gone in 2.0) but matches no difference \
                 any more: remove it",
                file.display().to_string().replace(':', "%3A")
            )
        );
    }
}

//! What `update` prints, and its `--json` report: the files it touched (or would), the answers
//! that changed, and one summary line, e.g.
//!
//! ```text
//! updated from template 0.1.0 (2d8afceee2f7) to 0.2.0 (0123456789ab): 14 files unchanged,
//! 5 updated, 1 merged, 1 added, 0 conflicts; relocked uv.lock; build ok, tests 13/13,
//! behaviour 0 breaking, 2 compatible
//! ```

use std::path::Path;
use std::process::ExitCode;

use crate::base::error::Result;
use crate::report;
use crate::update::answers::{Answers, NewQuestion};
use crate::update::plan::{Action, Plan};
use crate::update::sources::TemplateId;

/// How the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The project's template is the command's: nothing to do.
    UpToDate,
    /// `--check`: the project's template is behind.
    Behind,
    /// `--check`: the project was made from a newer template than the command's.
    Newer,
    /// `--dry-run`: nothing written.
    DryRun,
    /// Written, without conflicts.
    Updated,
    /// Written, with conflicts: an update in progress.
    Conflicts,
    /// `--check` or `--dry-run` on a project with an update in progress.
    InProgress,
    /// An update in progress finished.
    Finished,
}

/// Everything a run reports.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub project: String,
    pub from: TemplateId,
    pub to: TemplateId,
    pub outcome: Outcome,
    /// Questions the new template added, with the answers they took and where from.
    pub new_questions: Vec<NewQuestion>,
    /// Answers given anew: (question, old, new).
    pub changed: Vec<(String, String, String)>,
    /// Answers the new template no longer asks.
    pub dropped: Vec<String>,
    #[serde(skip)]
    pub plan: Option<Plan>,
    /// The conflicts an update in progress had, once it is finished.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<String>,
    /// The lock files brought in line with the merged manifests (listed in `files`).
    #[serde(skip)]
    pub relocked: Vec<&'static str>,
    /// The lock files that could not be brought in line, left as they were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_relocked: Vec<&'static str>,
    /// `build ok, tests 13/13, ...`, when the update was verified.
    pub verification: Option<String>,
}

/// One file in the JSON report.
#[derive(Debug, serde::Serialize)]
struct File<'a> {
    path: &'a str,
    action: Action,
}

impl Report {
    pub fn new(project: &str, from: &TemplateId, to: &TemplateId, answers: &Answers) -> Report {
        Report {
            project: project.to_owned(),
            from: from.clone(),
            to: to.clone(),
            outcome: Outcome::UpToDate,
            new_questions: answers.new_questions.clone(),
            changed: answers.changed.clone(),
            dropped: answers.dropped.clone(),
            plan: None,
            resolved: Vec::new(),
            relocked: Vec::new(),
            not_relocked: Vec::new(),
            verification: None,
        }
    }

    /// The answers that changed and every file touched, one line each.
    pub fn print_plan(&self) {
        for new in &self.new_questions {
            println!(
                "  new question: {} = {:?} ({})",
                new.question, new.answer, new.source
            );
        }
        for (question, old, new) in &self.changed {
            println!("  answered anew: {question} = {new:?} (was {old:?})");
        }
        for question in &self.dropped {
            println!("  no longer asked: {question}");
        }
        for change in self.plan.iter().flat_map(|plan| &plan.changes) {
            println!("  {:<10} {}", change.action.as_str(), change.path);
        }
    }

    /// The summary line.
    pub fn summary(&self) -> String {
        let (from, to) = (self.from.label(), self.to.label());
        let files = self.plan.as_ref().map(Plan::summary).unwrap_or_default();
        let conflicts = self
            .plan
            .as_ref()
            .map(|plan| plan.conflicts().join(", "))
            .unwrap_or_default();
        let line = match self.outcome {
            Outcome::UpToDate => {
                format!(
                    "{} is up to date with template {to}: nothing to do",
                    self.project
                )
            }
            Outcome::Behind => format!(
                "{} is behind: made from template {from}, this pyo3-scaffold carries {to}{}",
                self.project,
                if files.is_empty() {
                    String::new()
                } else {
                    format!("; updating would leave {files}")
                }
            ),
            Outcome::Newer => format!(
                "{} was made from template {from}, newer than the one this pyo3-scaffold \
                 carries ({to}): nothing to update",
                self.project
            ),
            Outcome::DryRun => format!(
                "dry run, nothing written: updating from template {from} to {to} would leave \
                 {files}"
            ),
            Outcome::Updated => format!("updated from template {from} to {to}: {files}"),
            Outcome::Conflicts => format!(
                "merged from template {from} to {to} with conflicts: {files}; resolve the \
                 markers in {conflicts}, then run `pyo3-scaffold update` again to finish"
            ),
            Outcome::InProgress => format!("update from template {from} to {to} in progress"),
            Outcome::Finished => format!(
                "finished the update from template {from} to {to}: {} resolved",
                self.resolved.join(", ")
            ),
        };
        let mut parts = vec![line];
        if !self.relocked.is_empty() {
            parts.push(format!("relocked {}", self.relocked.join(" and ")));
        }
        if !self.not_relocked.is_empty() {
            parts.push(format!("not relocked {}", self.not_relocked.join(" and ")));
        }
        parts.extend(self.verification.clone());
        parts.join("; ")
    }

    /// Prints the summary, writes the JSON report, and returns `code`.
    pub fn finish(&self, json: Option<&Path>, code: ExitCode) -> Result<ExitCode> {
        println!("{}", self.summary());
        if let Some(path) = json {
            #[derive(serde::Serialize)]
            struct Json<'a> {
                #[serde(flatten)]
                report: &'a Report,
                summary: String,
                files: Vec<File<'a>>,
                unchanged: usize,
                conflicts: Vec<&'a str>,
            }
            let plan = self.plan.as_ref();
            let line = Json {
                report: self,
                summary: self.summary(),
                files: plan
                    .iter()
                    .flat_map(|plan| &plan.changes)
                    .map(|change| File {
                        path: &change.path,
                        action: change.action,
                    })
                    .chain(self.relocked.iter().map(|file| File {
                        path: file,
                        action: Action::Relocked,
                    }))
                    .collect(),
                unchanged: plan.map_or(0, |plan| plan.unchanged),
                conflicts: plan.map(Plan::conflicts).unwrap_or_default(),
            };
            let text = serde_json::to_string_pretty(&line).map_err(std::io::Error::other)?;
            report::write(path, &(text + "\n"))?;
        }
        Ok(code)
    }
}

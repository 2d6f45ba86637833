//! One check of a project against its style's reference, as `watch` runs it again and again:
//! the pipeline, then the checklist, then the progress record.
//!
//! What does not change between checks (the tools, the scenario table, the reference, the
//! official tests) is found once, in [`Checker::new`], before the screen is taken: nothing a
//! check does draws on the terminal while `watch` shows its view.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::cmd::shell_word;
use crate::base::error::Result;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, Quiet, Reference, Settings};
use crate::project::dependencies::Choice;
use crate::python::interpreter::Python;
use crate::stages::probe::{self, ScenarioInfo};
use crate::template::render::Template;
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::checklist::{Checklist, OfficialTests};
use crate::workshop::names::ProjectNames;
use crate::workshop::official_tests::Official;
use crate::workshop::progress::{self, LearnerProgress};

#[derive(Debug)]
pub struct Checker {
    pub dir: PathBuf,
    /// The folder as the learner typed it, shell-quoted: what the view's suggestions name.
    pub shown_dir: String,
    pub names: ProjectNames,
    pub style: Style,
    settings: Settings,
    python: Python,
    table: Vec<ScenarioInfo>,
    official: Result<Official, String>,
    progress_file: PathBuf,
}

/// What one check found.
#[derive(Debug)]
pub struct Checked {
    pub checklist: Checklist,
    pub took: Duration,
    /// The exercises this check found done for the first time.
    pub first_passes: Vec<u32>,
    pub progress: LearnerProgress,
}

impl Checker {
    /// `template`: the template folder given on the command line, if any (for the official
    /// tests, which are compared with a fresh render).
    pub fn new(
        dir: &Path,
        style: Style,
        settings: Settings,
        python: Python,
        template: Option<&Path>,
    ) -> Result<Checker> {
        let shown_dir = shell_word(&dir.to_string_lossy()).into_owned();
        let dir = crate::platform::canonicalize(dir)?;
        let project = crate::project::Project::read(&dir)?;
        let names = ProjectNames::of(&project);
        let table = probe::list(&python.executable, style.as_str(), settings.timeout)?;
        let progress_file = LearnerProgress::path(&settings.cache, &dir, &project.name);
        let official = Official::render(Template::locate(template), style, &project.name);
        Ok(Checker {
            dir,
            shown_dir,
            names,
            style,
            settings,
            python,
            table,
            official,
            progress_file,
        })
    }

    /// The progress kept from earlier runs.
    pub fn progress(&self) -> Result<LearnerProgress> {
        Ok(LearnerProgress::load(&self.progress_file)?)
    }

    /// Keeps `progress` (the hint levels shown, say) for the next run.
    pub fn save_progress(&self, progress: &LearnerProgress) -> Result<()> {
        Ok(progress.save(&self.progress_file)?)
    }

    /// Builds, tests and probes the project once and reads the checklist; adds the check to the
    /// progress record.
    pub fn check(&self) -> Result<Checked> {
        let start = Instant::now();
        let job = job::for_folder(
            &self.dir,
            Some(ProbeStyle(Some(self.style))),
            &Mode::Reference,
            self.python.clone(),
            false,
            &Choice::default(),
        )?;
        let Reference::Text {
            text: reference, ..
        } = &job.reference
        else {
            return Err(crate::Error::NoReference {
                name: self.style.to_string(),
            });
        };
        let tests = match &self.official {
            Ok(official) => official.compare(&self.dir),
            Err(reason) => OfficialTests::NotCompared {
                reason: reason.clone(),
            },
        };
        let report = pipeline::run(&self.settings, &job, &Quiet);
        crate::base::interrupt::check()?;
        let mut checklist = Checklist::build(&self.table, reference.as_str(), &report, tests);
        checklist.place(&self.dir);
        let mut progress = self.progress()?;
        let first_passes = progress.record_check(&checklist.exercises_done(), &progress::now());
        self.save_progress(&progress)?;
        Ok(Checked {
            checklist,
            took: start.elapsed(),
            first_passes,
            progress,
        })
    }
}

//! One check of a project against its style's reference, as `watch` runs it again and again:
//! the pipeline, then the checklist, then the progress record.
//!
//! What does not change between checks (the tools, the scenario table, the reference) is found
//! once, in [`Checker::new`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::error::Result;
use crate::pipeline::job::{self, Mode};
use crate::pipeline::{self, Quiet, Reference, Settings};
use crate::project::dependencies::Choice;
use crate::python::interpreter::Python;
use crate::stages::probe::{self, ScenarioInfo};
use crate::template::render::Template;
use crate::template::style::{ProbeStyle, Style};
use crate::workshop::checklist::Checklist;
use crate::workshop::official_tests;
use crate::workshop::progress::{self, LearnerProgress};

#[derive(Debug)]
pub struct Checker {
    pub dir: PathBuf,
    pub project: String,
    pub style: Style,
    settings: Settings,
    python: Python,
    table: Vec<ScenarioInfo>,
    template: Option<PathBuf>,
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
        template: Option<PathBuf>,
    ) -> Result<Checker> {
        let dir = crate::platform::canonicalize(dir)?;
        let project = crate::project::Project::read(&dir)?.name;
        let table = probe::list(&python.executable, style.as_str(), settings.timeout)?;
        let progress_file = LearnerProgress::path(&settings.cache, &dir, &project);
        Ok(Checker {
            dir,
            project,
            style,
            settings,
            python,
            table,
            template,
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
        let template = Template::locate(self.template.as_deref());
        let tests = official_tests::compare(template, self.style, &self.dir);
        let report = pipeline::run(&self.settings, &job, &Quiet);
        crate::base::interrupt::check()?;
        let mut checklist = Checklist::build(&self.table, reference.as_str(), &report, tests);
        checklist.place_compile_error(&self.dir);
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

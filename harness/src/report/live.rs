//! Progress while cases run: a spinner per case naming its stage on a terminal; on anything
//! else (CI logs, a pipe) one line per case as it finishes, so logs stay short and readable.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::pipeline::{CaseReport, Job, Observer, Stage};
use crate::report::verdict_word;

#[derive(Debug)]
pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    /// Spinners when stderr is a terminal, plain lines otherwise.
    pub fn new() -> Progress {
        let multi = std::io::stderr()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            multi,
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn bar(&self, job: &Job) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let mut bars = self.bars.lock().ok()?;
        Some(
            bars.entry(job.id.clone())
                .or_insert_with(|| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} {prefix:30} {msg} {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    bar.set_prefix(job.id.clone());
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                })
                .clone(),
        )
    }

    /// Marks a case as done.
    pub fn finished(&self, report: &CaseReport) {
        let line = format!(
            "{}: {} in {:.2}s",
            report.case,
            verdict_word(report.verdict()),
            report.elapsed.as_secs_f64()
        );
        let bar = self
            .bars
            .lock()
            .ok()
            .and_then(|mut bars| bars.remove(&report.case));
        match bar {
            Some(bar) => bar.finish_with_message(format!(
                "{} ({:.2}s)",
                verdict_word(report.verdict()),
                report.elapsed.as_secs_f64()
            )),
            None => eprintln!("{line}"),
        }
    }

    /// Prints a line without tearing the spinners.
    pub fn println(&self, line: &str) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Observer for Progress {
    fn stage_started(&self, job: &Job, stage: Stage) {
        if let Some(bar) = self.bar(job) {
            bar.set_message(stage.as_str());
        }
    }

    fn aside(&self, body: &mut dyn FnMut()) {
        // cargo-generate draws (hidden) progress bars of its own through another
        // MultiProgress; with ours suspended, its cursor moves cannot tear our lines.
        match &self.multi {
            Some(multi) => multi.suspend(body),
            None => body(),
        }
    }
}

//! What `watch` shows, as text: the heading with exercises done out of the total, the next
//! unfinished exercise with the hint levels asked for so far, then the checklist (or the list
//! of exercises). Kept free of the terminal, so tests read it as the learner would.

use std::time::{Duration, Instant};

use crate::template::style::Style;
use crate::workshop::catalog::{self, CatalogEntry};
use crate::workshop::checklist::Checklist;
use crate::workshop::names::ProjectNames;
use crate::workshop::progress::LearnerProgress;

/// Where the checking stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckState {
    /// A check is running; `cause` says why (`crates/python/src/message.rs changed`).
    Checking {
        cause: String,
        since: Instant,
    },
    Checked {
        took: Duration,
    },
    /// The check itself could not run (a tool missing, the cache unusable).
    Failed {
        message: String,
    },
}

#[derive(Debug)]
pub struct View {
    pub project: String,
    /// The project's names, for the hints.
    pub names: ProjectNames,
    /// The project folder as the learner typed it (shell-quoted), for the commands the view
    /// suggests.
    pub dir: String,
    pub style: Style,
    pub checklist: Option<Checklist>,
    pub state: CheckState,
    pub progress: LearnerProgress,
    /// The exercise the learner moved to with `n`; `None`: the first unfinished one.
    pub focus: Option<u32>,
    /// Showing the list of exercises instead of the checklist.
    pub listing: bool,
    /// A one-off line under the heading: an exercise just passed, no more hints.
    pub note: Option<String>,
}

impl View {
    pub fn new(names: ProjectNames, dir: String, style: Style, progress: LearnerProgress) -> View {
        View {
            project: names.project.clone(),
            names,
            dir,
            style,
            checklist: None,
            state: CheckState::Checking {
                cause: "first check".into(),
                since: Instant::now(),
            },
            progress,
            focus: None,
            listing: false,
            note: None,
        }
    }

    pub fn exercises(&self) -> Vec<&'static CatalogEntry> {
        catalog::of_style(self.style)
    }

    /// The exercises done: as the last checklist shows them; before the first check finishes,
    /// or while the project does not build, as the progress record remembers them (a typo must
    /// not send the learner back to exercise 1).
    pub fn done(&self) -> Vec<u32> {
        match &self.checklist {
            Some(checklist) if checklist.blocked.is_none() => checklist.exercises_done(),
            _ => self
                .exercises()
                .iter()
                .map(|exercise| exercise.number)
                .filter(|&number| self.progress.ever_passed(number))
                .collect(),
        }
    }

    /// The exercise at the top: the one moved to, while unfinished, else the first unfinished.
    pub fn current(&self) -> Option<&'static CatalogEntry> {
        let done = self.done();
        let unfinished: Vec<&'static CatalogEntry> = self
            .exercises()
            .into_iter()
            .filter(|exercise| !done.contains(&exercise.number))
            .collect();
        self.focus
            .and_then(|focus| unfinished.iter().find(|e| e.number == focus).copied())
            .or_else(|| unfinished.first().copied())
    }

    /// `n`: the next unfinished exercise after the current one, round to the first.
    pub fn next(&mut self) {
        let done = self.done();
        let unfinished: Vec<u32> = self
            .exercises()
            .iter()
            .map(|exercise| exercise.number)
            .filter(|number| !done.contains(number))
            .collect();
        let current = self.current().map(|exercise| exercise.number);
        let after = current.and_then(|current| unfinished.iter().find(|&&n| n > current));
        self.focus = after.or(unfinished.first()).copied();
        self.listing = false;
        self.note = None;
    }

    /// `h`: one more hint level of the current exercise.
    pub fn hint(&mut self) {
        let Some(exercise) = self.current() else {
            self.note = Some("every exercise is done: no hints left to give".into());
            return;
        };
        let before = self.hint_levels(exercise);
        let shown = self
            .progress
            .reveal_hint(exercise.number, exercise.hints.len());
        self.note = (shown == before).then(|| {
            format!(
                "that was the last hint for exercise {0}; once it passes, `pyo3-scaffold \
                 solution {1} --exercise {0}` shows the reference",
                exercise.number, self.dir
            )
        });
        self.listing = false;
    }

    fn hint_levels(&self, exercise: &CatalogEntry) -> usize {
        self.progress
            .hints_shown(exercise.number)
            .clamp(1, exercise.hints.len())
    }

    /// The screen, `width` columns wide; every line fits in it.
    pub fn lines(&self, width: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let total = self.exercises().len();
        let mut heading = format!(
            "{} ({}): {}/{total} exercises done",
            self.project,
            self.style,
            self.done().len()
        );
        if let Some(checklist) = &self.checklist {
            heading.push_str(&format!(
                ", {}/{} behaviours pass",
                checklist.passed, checklist.total
            ));
        }
        match &self.state {
            CheckState::Checking { cause, since } => {
                let seconds = since.elapsed().as_secs();
                if seconds == 0 {
                    heading.push_str(&format!(" · checking ({cause})"));
                } else {
                    heading.push_str(&format!(" · checking ({cause}, {seconds}s)"));
                }
            }
            CheckState::Checked { took } => {
                heading.push_str(&format!(" · checked in {:.1}s", took.as_secs_f64()));
            }
            CheckState::Failed { .. } => heading.push_str(" · the check could not run"),
        }
        lines.extend(wrap(&heading, width, ""));
        if let CheckState::Failed { message } = &self.state {
            for line in message.lines() {
                lines.extend(wrap(line, width, "  "));
            }
        }
        if let Some(note) = &self.note {
            lines.extend(wrap(note, width, ""));
        }
        match self.current() {
            Some(exercise) => {
                lines.extend(wrap(
                    &format!(
                        "next: exercise {}, {} ({})",
                        exercise.number, exercise.title, exercise.file
                    ),
                    width,
                    "",
                ));
                let shown = self.hint_levels(exercise);
                for level in 0..shown {
                    let hint = exercise.hint(level, &self.names).unwrap_or_default();
                    let text = format!("  hint {} of {}: {hint}", level + 1, exercise.hints.len());
                    lines.extend(wrap(&text, width, "    "));
                }
            }
            None if self.checklist.is_some() => lines
                .push("every exercise is done: the project behaves as the reference does".into()),
            None => {}
        }
        lines.push(String::new());
        if self.listing {
            lines.extend(self.list(width));
        } else if let Some(checklist) = &self.checklist {
            for line in checklist.render().lines() {
                lines.extend(wrap(line, width, "              "));
            }
        }
        lines
    }

    /// The exercises of the project, each with how far it is.
    fn list(&self, width: usize) -> Vec<String> {
        let done = self.done();
        let current = self.current().map(|exercise| exercise.number);
        let mut lines = vec![format!("exercises of {} ({}):", self.project, self.style)];
        for exercise in self.exercises() {
            let marker = if Some(exercise.number) == current {
                ">"
            } else {
                " "
            };
            let state = if done.contains(&exercise.number) {
                "done"
            } else {
                "todo"
            };
            let mut line = format!(
                "{marker} {:>2}  {state}  {}  ({})",
                exercise.number, exercise.title, exercise.file
            );
            if let Some(entry) = self.progress.exercises.get(&exercise.number)
                && let (Some(when), Some(checks)) = (&entry.first_passed, entry.checks_to_pass)
            {
                line.push_str(&format!("; first passed {when}, at check {checks}"));
            }
            lines.extend(wrap(&line, width, "           "));
        }
        lines.push("(l again for the checklist)".into());
        lines
    }
}

/// `text` cut into lines at most `width` columns wide on the screen at spaces (a word longer
/// than a line is cut), every line after the first starting with `indent`. Widths are display
/// widths: a CJK character or an emoji takes two columns.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let width = width.max(textwrap::core::display_width(indent) + 10);
    let options = textwrap::Options::new(width)
        .subsequent_indent(indent)
        .break_words(true);
    textwrap::wrap(text, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::checklist::{Line, OfficialTests, Status};

    fn checklist(passing: &[&[u32]], failing: &[&[u32]]) -> Checklist {
        let line = |exercises: &&[u32], status: Status| Line {
            id: format!("greet.b{}", exercises.len()),
            behaviour: "does it".into(),
            exercises: exercises.to_vec(),
            hint: "look".into(),
            status,
        };
        let behaviours: Vec<Line> = passing
            .iter()
            .map(|e| line(e, Status::Passed))
            .chain(failing.iter().map(|e| line(e, Status::NotChecked)))
            .collect();
        Checklist {
            project: "my-ext".into(),
            package: "my_ext".into(),
            style: "greet".into(),
            passed: passing.len(),
            total: behaviours.len(),
            blocked: None,
            unfinished: None,
            official_tests: OfficialTests::NotCompared {
                reason: "test".into(),
            },
            behaviours,
        }
    }

    fn greet() -> Style {
        Style::parse("greet").unwrap()
    }

    fn view_with(progress: LearnerProgress) -> View {
        View::new(
            ProjectNames::rendered("my-ext"),
            "workshop/my-ext".into(),
            greet(),
            progress,
        )
    }

    fn view() -> View {
        view_with(LearnerProgress::default())
    }

    #[test]
    fn the_top_names_the_next_exercise_and_its_first_hint_only() {
        let mut view = view();
        view.checklist = Some(checklist(&[&[1]], &[&[2], &[3], &[4], &[5]]));
        view.state = CheckState::Checked {
            took: Duration::from_millis(8_150),
        };
        let lines = view.lines(200);
        let first_hint = &catalog::find(2).unwrap().hints[0];
        assert_eq!(
            lines[..3],
            [
                "my-ext (greet): 1/5 exercises done, 1/5 behaviours pass · checked in 8.2s"
                    .to_owned(),
                "next: exercise 2, a class with a constructor and a getter \
                 (crates/python/src/message.rs)"
                    .to_owned(),
                format!("  hint 1 of 2: {first_hint}"),
            ]
        );
        assert_eq!(lines[3], "");
        assert_eq!(
            lines[4],
            "checklist for my-ext (greet): 1/5 exercises done, 1/5 behaviours pass"
        );
        let second_hint = &catalog::find(2).unwrap().hints[1];
        assert!(!lines.iter().any(|line| line.contains(second_hint.as_str())));
    }

    #[test]
    fn h_shows_the_next_level_and_says_when_there_is_none() {
        let mut view = view();
        view.checklist = Some(checklist(&[], &[&[1]]));
        view.hint();
        let lines = view.lines(400);
        assert!(lines[2].starts_with("  hint 1 of 2: "), "{lines:#?}");
        assert!(lines[3].starts_with("  hint 2 of 2: "), "{lines:#?}");
        assert_eq!(view.note, None);
        view.hint();
        assert_eq!(
            view.note.as_deref(),
            Some(
                "that was the last hint for exercise 1; once it passes, `pyo3-scaffold \
                 solution workshop/my-ext --exercise 1` shows the reference"
            )
        );
        assert_eq!(view.progress.hints_shown(1), 2);
    }

    #[test]
    fn n_moves_to_the_next_unfinished_exercise_and_round() {
        let mut view = view();
        view.checklist = Some(checklist(&[&[2]], &[&[1], &[3], &[4], &[5]]));
        assert_eq!(view.current().unwrap().number, 1);
        let mut visited = Vec::new();
        for _ in 0..5 {
            view.next();
            visited.push(view.current().unwrap().number);
        }
        assert_eq!(visited, [3, 4, 5, 1, 3]);
    }

    #[test]
    fn before_the_first_check_the_progress_record_says_where_the_learner_is() {
        let mut progress = LearnerProgress::default();
        progress.record_check(&[1, 2], "2026-01-01T00:00:00Z");
        let view = view_with(progress);
        assert_eq!(view.current().unwrap().number, 3);
        assert_eq!(
            view.lines(200)[0],
            "my-ext (greet): 2/5 exercises done · checking (first check)"
        );
    }

    #[test]
    fn a_project_that_does_not_build_keeps_the_exercises_done_before() {
        let mut progress = LearnerProgress::default();
        progress.record_check(&[1], "2026-01-01T00:00:00Z");
        let mut view = view_with(progress);
        let mut broken = checklist(&[], &[&[1], &[2]]);
        broken.blocked = Some(crate::workshop::checklist::Blocked::DoesNotCompile {
            error: None,
            exercise: None,
            hint: None,
        });
        view.checklist = Some(broken);
        assert_eq!(view.done(), [1]);
        assert_eq!(view.current().unwrap().number, 2);
    }

    #[test]
    fn the_list_shows_each_exercise_and_its_first_pass() {
        let mut progress = LearnerProgress::default();
        progress.record_check(&[], "t1");
        progress.record_check(&[1], "2026-01-01T10:00:00Z");
        let mut view = view_with(progress);
        view.checklist = Some(checklist(&[&[1]], &[&[2], &[3], &[4], &[5]]));
        view.listing = true;
        let lines = view.lines(200);
        let at = lines
            .iter()
            .position(|line| line == "exercises of my-ext (greet):")
            .unwrap();
        assert_eq!(
            lines[at + 1..at + 3],
            [
                "   1  done  a first function across the boundary  \
                 (crates/python/src/message.rs); first passed 2026-01-01T10:00:00Z, at check 2"
                    .to_owned(),
                ">  2  todo  a class with a constructor and a getter  \
                 (crates/python/src/message.rs)"
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn all_done_says_so() {
        let mut view = view();
        view.checklist = Some(checklist(&[&[1], &[2], &[3], &[4], &[5]], &[]));
        assert_eq!(
            view.lines(200)[1],
            "every exercise is done: the project behaves as the reference does"
        );
    }

    #[test]
    fn long_lines_wrap_at_spaces_with_an_indent() {
        assert_eq!(
            wrap("one two three four five", 14, "  "),
            ["one two three", "  four five"]
        );
        assert_eq!(
            wrap("abcdefghijklmnopqrstuvwxyz", 12, ""),
            ["abcdefghijkl", "mnopqrstuvwx", "yz"]
        );
        assert_eq!(wrap("", 20, ""), [""]);
        assert!(
            wrap(&"word ".repeat(50), 30, "    ")
                .iter()
                .all(|line| line.chars().count() <= 30)
        );
        // Two columns per character: a learner's name in Hangul fills a line in half the
        // characters.
        assert_eq!(
            wrap("안녕하세요 은상 greet", 12, ""),
            ["안녕하세요", "은상 greet"]
        );
    }
}

//! A learner sees real text: the names of their own project where the workshop's tables stand
//! for any project, and paths they can open where the harness's stable text has placeholders.
//!
//! Three sources hold text written for every project at once, each with its own stand-ins:
//! - the exercise catalogue's hints and the scenario tables' hints use the template's own
//!   variables, `{{project-name}}` (`my-ext`) and `{{crate_name}}` (`my_ext`);
//! - the scenario tables' behaviour sentences call the package `pkg` (`pkg.Message`), because
//!   they are also the section headings of the committed snapshots, which no project name may
//!   enter;
//! - the behaviour text the checklist quotes has passed through the filters of
//!   [`crate::base::normalize`] (`[PKG]`, `[PKG_DIR]`, `[WORK]`, …).
//!
//! [`ProjectNames`] turns all three into the text of one project; [`placeholders`] finds any
//! stand-in left, for the tests that prove none reaches a learner.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::project::Project;

/// The names a project goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectNames {
    /// `[project] name`, e.g. `my-ext`; the crates are `my-ext-core` and `my-ext-python`.
    pub project: String,
    /// The import name, e.g. `my_ext`.
    pub package: String,
    /// The package's folder, relative to the project: `python/my_ext` in a template project.
    pub package_dir: String,
}

/// A pattern of the harness's own making; the tests below compile each one.
#[allow(clippy::expect_used)]
fn pattern(text: &str) -> Regex {
    Regex::new(text).expect("a valid pattern")
}

/// `pkg` where it stands for the package: before `.` or `/`, and not part of a longer word.
static PKG_WORD: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bpkg\b([./])"));

impl ProjectNames {
    /// The names of `project`; its package folder is `python/<package>` when the project has
    /// one (maturin's `python-source` as the template sets it), else `<package>`.
    pub fn of(project: &Project) -> ProjectNames {
        let in_python = Path::new("python").join(&project.package);
        let package_dir = if project.root.join(&in_python).is_dir() {
            format!("python/{}", project.package)
        } else {
            project.package.clone()
        };
        ProjectNames {
            project: project.name.clone(),
            package: project.package.clone(),
            package_dir,
        }
    }

    /// The names a project called `name` gets from the template.
    pub fn rendered(name: &str) -> ProjectNames {
        let package = crate::project::import_name(name);
        ProjectNames {
            project: name.to_owned(),
            package_dir: format!("python/{package}"),
            package,
        }
    }

    /// A hint or behaviour sentence of the workshop's tables, with this project's names.
    pub fn fill(&self, text: &str) -> String {
        let text = text
            .replace("{{project-name}}", &self.project)
            .replace("{{crate_name}}", &self.package);
        PKG_WORD
            .replace_all(&text, |captures: &regex::Captures<'_>| {
                format!("{}{}", self.package, &captures[1])
            })
            .into_owned()
    }

    /// Behaviour text as the filters left it, for a reader: the package's name, paths relative
    /// to the project (or, for the files a scenario made for itself, to the scenario's folder),
    /// and words where a value was only volatile.
    pub fn readable(&self, text: &str) -> String {
        let package_dir = format!("{}/", self.package_dir);
        [
            ("[PKG_DIR]/", package_dir.as_str()),
            ("[PKG_DIR]", self.package_dir.as_str()),
            ("[PROJECT]/", ""),
            ("[PROJECT]", "the project folder"),
            ("[WORK]/", ""),
            ("[WORK]", "the scenario's folder"),
            ("[VENV]", "the check's venv"),
            ("[TEMP]/", ""),
            ("[TEMP]", "a temporary folder"),
            ("[LOCALAPPDATA]", "%LOCALAPPDATA%"),
            (":[LINE]:[COL]", ""),
            (".[EXT].so", ".so"),
            ("[ADDR]", "0x…"),
            ("([TID])", ""),
            ("[TID]", "…"),
            ("[TIME]", "…s"),
            ("[PYTHON_VERSION]", "3.x"),
            ("[PKG]", self.package.as_str()),
        ]
        .iter()
        .fold(text.to_owned(), |text, (from, to)| text.replace(from, to))
    }
}

/// Stand-ins that must never reach a learner: `<name>`-style placeholders, the filters'
/// `[PKG]`-style tokens, the template's `{{…}}` variables, the package called `pkg`, and the
/// usage text's `DIR`. Each found is returned as it stands in `text`.
pub fn placeholders(text: &str) -> Vec<String> {
    static STAND_INS: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"<[a-z][a-z_-]*>|\[[A-Z][A-Z_]*\]|\{\{[^}]*\}\}|\bpkg[./]|\bDIR\b|\bDEST\b|\bSTYLE\b",
        )
    });
    STAND_INS
        .find_iter(text)
        .map(|found| found.as_str().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::normalize::{Context, Filters};

    fn names() -> ProjectNames {
        ProjectNames::rendered("my-tp")
    }

    #[test]
    fn the_tables_stand_ins_become_the_projects_names() {
        assert_eq!(
            names().fill("`cargo test -p {{project-name}}-core` in python/{{crate_name}}/"),
            "`cargo test -p my-tp-core` in python/my_tp/"
        );
        assert_eq!(
            names().fill("pkg.api.Message is pkg.Message; python/pkg/api.py; pkgs and mypkg.x"),
            "my_tp.api.Message is my_tp.Message; python/my_tp/api.py; pkgs and mypkg.x"
        );
    }

    #[test]
    fn filtered_text_reads_with_real_names_and_project_relative_paths() {
        assert_eq!(
            names().readable(
                "import plugin 'step1_reverse' ([PKG_DIR]/plugins/step1_reverse.py); raises \
                 [PKG].PluginError: plugin 'a' ([WORK]/plugins/order/a.py); [PROJECT]/Cargo.toml"
            ),
            "import plugin 'step1_reverse' (python/my_tp/plugins/step1_reverse.py); raises \
             my_tp.PluginError: plugin 'a' (plugins/order/a.py); Cargo.toml"
        );
    }

    #[test]
    fn every_token_the_filters_write_reads_without_a_placeholder() {
        let context = Context {
            work_dir: Some("/w".into()),
            project_dir: Some("/p".into()),
            package_dir: Some("/p/python/pkg".into()),
            venv: Some("/v".into()),
            package: Some("my_tp".into()),
            project_name: Some("my-tp".into()),
            python_version: Some("3.11.7".into()),
        };
        let tokens = Filters::new(&context).written();
        assert!(
            tokens.iter().any(|token| token == "[PKG_DIR]"),
            "{tokens:?}"
        );
        for token in tokens {
            let shown = names().readable(&format!("before {token}/x after"));
            assert_eq!(
                placeholders(&shown),
                Vec::<String>::new(),
                "{token}: {shown}"
            );
        }
    }

    #[test]
    fn placeholders_are_found_and_real_text_is_not() {
        assert_eq!(
            placeholders(
                "plugin '<name>' (<path>) [PKG_DIR]/x {{crate_name}} pkg.Message `solution DIR`"
            ),
            [
                "<name>",
                "<path>",
                "[PKG_DIR]",
                "{{crate_name}}",
                "pkg.",
                "DIR"
            ]
        );
        assert_eq!(
            placeholders(
                "impl From<Error> for PyErr; Vec<String>; [1, 2]; {name:?}; a DIRECTORY; \
                 `py.detach(|| ...)`; {'plugins': []}"
            ),
            Vec::<String>::new()
        );
    }
}

//! What a project's tests need installed, from wherever the project declares it: its run-time
//! `dependencies`, the `dev` and `test` dependency groups (PEP 735), the `test`, `tests` and
//! `dev` extras, and the requirement files projects keep beside them (`requirements-dev.txt`,
//! `requirements-test.txt`, `tests/requirements.txt`). Others are named with `--with-group` and
//! `--with-extra`.
//!
//! Everything is resolved here into one list of requirement lines: groups with the groups they
//! include, extras and groups that name the project itself (`my-pkg[test]`) by the extras they
//! name, requirement files with the files they include. The project itself is never among
//! them: the harness installs the wheel it built.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep508_rs::{PackageName, Requirement};

use crate::project::Project;
use crate::project::pyproject::GroupEntry;

mod requirement_file;
use requirement_file::{RequirementLine, logical_lines};

/// Dependency groups installed when the project has them.
pub const DEFAULT_GROUPS: &[&str] = &["dev", "test"];

/// Extras installed when the project has them.
pub const DEFAULT_EXTRAS: &[&str] = &["test", "tests", "dev"];

/// Requirement files installed when the project has them, relative to its root.
pub const REQUIREMENT_FILES: &[&str] = &[
    "requirements-dev.txt",
    "requirements-test.txt",
    "tests/requirements.txt",
];

/// Groups and extras named on the command line, beyond those found by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub groups: Vec<String>,
    pub extras: Vec<String>,
}

/// Where requirements came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `[project] dependencies`.
    Runtime,
    Group(String),
    Extra(String),
    /// A requirement file, relative to the project's root.
    File(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Runtime => f.write_str("the project's dependencies"),
            Origin::Group(name) => write!(f, "group `{name}`"),
            Origin::Extra(name) => write!(f, "extra `{name}`"),
            Origin::File(path) => f.write_str(path),
        }
    }
}

/// The requirements a project's tests get, and where they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestDependencies {
    pub origins: Vec<Origin>,
    /// From `pyproject.toml`: the run-time dependencies, groups and extras, resolved.
    pub declared: Vec<String>,
    /// From the requirement files: requirements, and their options and includes with their
    /// paths made absolute.
    pub files: Vec<String>,
    /// The groups and extras chosen, by normalised name, as `uv export` takes them.
    pub groups: Vec<String>,
    pub extras: Vec<String>,
    /// The project's `uv.lock`, which pins what `declared` names: its authors' versions, which
    /// the tests get (see [`crate::stages::venv::requirements`]).
    pub lock: Option<PathBuf>,
}

/// The file name of uv's lock file, at the project's root.
pub const UV_LOCK: &str = "uv.lock";

impl TestDependencies {
    /// `group `dev`, extra `test`, requirements-dev.txt`, or `none declared`.
    pub fn describe(&self) -> String {
        if self.origins.is_empty() {
            return "none declared (pytest alone)".to_owned();
        }
        let origins: Vec<String> = self.origins.iter().map(Origin::to_string).collect();
        let pinned = if self.lock.is_some() && !self.declared.is_empty() {
            format!(" (versions pinned by {UV_LOCK})")
        } else {
            String::new()
        };
        format!("{}{pinned}", origins.join(", "))
    }

    /// The requirement lines without a lock: the declared ones, then the files'.
    pub fn lines(&self) -> Vec<String> {
        self.declared.iter().chain(&self.files).cloned().collect()
    }
}

/// The requirement for `package` among `lines` (`pytest` -> `pytest>=8`), when one is listed.
pub fn requirement<'a>(lines: &'a [String], package: &str) -> Option<&'a str> {
    lines
        .iter()
        .find(|line| requirement_name(line).is_some_and(|name| name.as_ref() == package))
        .map(String::as_str)
}

/// The normalised name of a requirement (`Maturin>=1.9` -> `maturin`); `None` for a line that
/// is no requirement (an option, a path).
pub fn requirement_name(line: &str) -> Option<PackageName> {
    Requirement::<pep508_rs::VerbatimUrl>::from_str(line)
        .ok()
        .map(|requirement| requirement.name)
}

/// PEP 735 and PEP 685 compare group and extra names normalised, as package names.
fn normalized(name: &str) -> String {
    PackageName::new(name.to_owned()).map_or_else(|_| name.to_owned(), |name| name.to_string())
}

impl Project {
    /// What the tests need, from the names found by default and those `choice` adds; a group or
    /// extra named in `choice` that the project lacks is an error naming those it has.
    pub fn test_dependencies(&self, choice: &Choice) -> Result<TestDependencies, String> {
        let mut resolver = Resolver {
            project: self,
            own_name: PackageName::new(self.name.clone()).ok(),
            out: TestDependencies::default(),
            extras_seen: BTreeSet::new(),
            files_seen: BTreeSet::new(),
            in_files: false,
        };
        let runtime = self
            .pyproject
            .project
            .as_ref()
            .map(|table| table.dependencies.clone())
            .unwrap_or_default();
        if !runtime.is_empty() {
            resolver.out.origins.push(Origin::Runtime);
            for requirement in &runtime {
                resolver.requirement(requirement);
            }
        }
        let groups = self.group_names();
        for name in &choice.groups {
            if !groups.contains(&normalized(name)) {
                return Err(missing(
                    "dependency group",
                    name,
                    "[dependency-groups]",
                    &groups,
                ));
            }
        }
        let wanted_groups = DEFAULT_GROUPS
            .iter()
            .map(|name| (*name).to_owned())
            .filter(|name| groups.contains(name))
            .chain(choice.groups.iter().map(|name| normalized(name)));
        let mut groups_done = BTreeSet::new();
        for group in wanted_groups {
            if groups_done.insert(group.clone()) {
                resolver.out.origins.push(Origin::Group(group.clone()));
                resolver.out.groups.push(group.clone());
                resolver.group(&group, &mut Vec::new())?;
            }
        }
        let extras: Vec<String> = self
            .pyproject
            .extras()
            .keys()
            .map(|e| normalized(e))
            .collect();
        for name in &choice.extras {
            if !extras.contains(&normalized(name)) {
                return Err(missing(
                    "extra",
                    name,
                    "[project.optional-dependencies]",
                    &extras,
                ));
            }
        }
        let wanted_extras: Vec<String> = DEFAULT_EXTRAS
            .iter()
            .map(|name| (*name).to_owned())
            .filter(|name| extras.contains(name))
            .chain(choice.extras.iter().map(|name| normalized(name)))
            .collect();
        for extra in wanted_extras {
            let origin = Origin::Extra(extra.clone());
            if !resolver.out.origins.contains(&origin) {
                resolver.out.origins.push(origin);
                resolver.out.extras.push(extra.clone());
            }
            // Nothing more when a group named the project with this extra already.
            resolver.extra(&extra);
        }
        let lock = self.root.join(UV_LOCK);
        resolver.out.lock = lock.is_file().then_some(lock);
        resolver.in_files = true;
        for file in REQUIREMENT_FILES {
            let path = self.root.join(file);
            if path.is_file() {
                resolver.out.origins.push(Origin::File((*file).to_owned()));
                resolver.file(&path)?;
            }
        }
        Ok(resolver.out)
    }

    /// The project's dependency groups, by normalised name.
    fn group_names(&self) -> Vec<String> {
        self.pyproject
            .dependency_groups
            .keys()
            .map(|name| normalized(name))
            .collect()
    }
}

fn missing(what: &str, name: &str, table: &str, known: &[String]) -> String {
    let known = if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    };
    format!("the project has no {what} `{name}` in {table} (it has: {known})")
}

struct Resolver<'a> {
    project: &'a Project,
    own_name: Option<PackageName>,
    out: TestDependencies,
    extras_seen: BTreeSet<String>,
    files_seen: BTreeSet<PathBuf>,
    /// Reading requirement files: what is found goes to `files`, not `declared`.
    in_files: bool,
}

impl Resolver<'_> {
    fn push(&mut self, line: String) {
        if self.out.declared.contains(&line) || self.out.files.contains(&line) {
            return;
        }
        if self.in_files {
            self.out.files.push(line);
        } else {
            self.out.declared.push(line);
        }
    }

    /// A requirement: the project itself stands for the extras it names.
    fn requirement(&mut self, text: &str) {
        let parsed = Requirement::<pep508_rs::VerbatimUrl>::from_str(text).ok();
        match parsed {
            Some(requirement) if Some(&requirement.name) == self.own_name.as_ref() => {
                for extra in &requirement.extras {
                    self.extra(extra.as_ref());
                }
            }
            _ => self.push(text.trim().to_owned()),
        }
    }

    /// An extra's requirements, once however often it is named.
    fn extra(&mut self, name: &str) {
        let name = normalized(name);
        if !self.extras_seen.insert(name.clone()) {
            return;
        }
        let requirements = self
            .project
            .pyproject
            .extras()
            .iter()
            .find(|(extra, _)| normalized(extra) == name)
            .map(|(_, requirements)| requirements.clone())
            .unwrap_or_default();
        for requirement in &requirements {
            self.requirement(requirement);
        }
    }

    /// A group's requirements, with those of the groups it includes; `path` is the chain of
    /// groups that led here, which a cycle would repeat.
    fn group(&mut self, name: &str, path: &mut Vec<String>) -> Result<(), String> {
        if path.iter().any(|seen| *seen == name) {
            path.push(name.to_owned());
            return Err(format!(
                "the dependency groups include each other in a cycle: {}",
                path.join(" -> ")
            ));
        }
        let entries = self
            .project
            .pyproject
            .dependency_groups
            .iter()
            .find(|(group, _)| normalized(group) == name)
            .map(|(_, entries)| entries.clone())
            .ok_or_else(|| {
                missing(
                    "dependency group",
                    name,
                    "[dependency-groups]",
                    &self.project.group_names(),
                )
            })?;
        path.push(name.to_owned());
        for entry in &entries {
            match entry {
                GroupEntry::Requirement(requirement) => self.requirement(requirement),
                GroupEntry::Include { include_group } => {
                    self.group(&normalized(include_group), path)?;
                }
            }
        }
        path.pop();
        Ok(())
    }

    /// A requirement file's lines, with the files it includes read in its place.
    fn file(&mut self, path: &Path) -> Result<(), String> {
        let path = fs_err::canonicalize(path).map_err(|error| error.to_string())?;
        if !self.files_seen.insert(path.clone()) {
            return Ok(());
        }
        let text = fs_err::read_to_string(&path).map_err(|error| error.to_string())?;
        let dir = path.parent().unwrap_or(Path::new("/")).to_owned();
        for line in logical_lines(&text) {
            match RequirementLine::parse(&line) {
                RequirementLine::Include(file) => self.file(&dir.join(file))?,
                RequirementLine::Constraint(file) => {
                    let file = dir.join(file);
                    self.push(format!("-c {}", file.display()));
                }
                RequirementLine::Path {
                    editable,
                    path,
                    extras,
                } => {
                    // `./sub` as `<dir>/sub`, not `<dir>/./sub`.
                    let relative: PathBuf = Path::new(&path)
                        .components()
                        .filter(|part| *part != std::path::Component::CurDir)
                        .collect();
                    let target = dir.join(relative);
                    if same_folder(&target, &self.project.root) {
                        for extra in extras {
                            self.extra(&extra);
                        }
                    } else {
                        let flag = if editable { "-e " } else { "" };
                        let extras = if extras.is_empty() {
                            String::new()
                        } else {
                            format!("[{}]", extras.join(","))
                        };
                        self.push(format!("{flag}{}{extras}", target.display()));
                    }
                }
                RequirementLine::Option(option) => self.push(option),
                RequirementLine::Requirement(requirement) => self.requirement(&requirement),
            }
        }
        Ok(())
    }
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs_err::canonicalize(a), fs_err::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests;

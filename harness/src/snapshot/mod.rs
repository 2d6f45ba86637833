//! Stage 6: the behaviour of a project as stable text, and the committed snapshots.
//!
//! One format serves the matrix snapshots (`harness/snapshots/*.snap`, managed by insta in the
//! tests), `check`'s comparison with a style's reference (the same committed files, embedded at
//! compile time: one source of truth) and `check --record` files. The text is cut into sections
//! by lines starting with `## ` (`## api Message`, `## scenario greet.panic`, `## tests`), so
//! that a difference can be shown per scenario (see [`crate::conformance::compare`]).
//!
//! This module alone knows the format: [`from_probe`] makes a [`Behaviour`] of the probe's
//! result (normalised), [`mod@write`] turns it into the text, and [`mod@read`] turns the text
//! back into a [`Behaviour`] ([`read()`]), or into its [`Section`]s for a diff ([`sections`]).
//! Everything else works on those values.

use crate::base::error::{Error, Result};
use crate::stages::probe::{ApiItem, EntryPoint, ExceptionInfo, Outcome, StubCheck};
use crate::stages::pytest::TestCase;
use crate::template::style::{Case, REFERENCE_VARIANT, Style};

mod cursor;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod from_probe;
pub mod read;
pub mod record;
pub mod version_tags;
pub mod wheel;
pub mod write;

pub use from_probe::{canonical, render};
pub use read::{ReadError, Section, read, sections};
pub use wheel::{Interpreters, Wheel};
pub use write::outcome_lines;

/// The section holding the test outcomes; a derived project may add tests, so `check` leaves
/// it out when comparing with a style's reference.
pub const TESTS_SECTION: &str = "tests";

/// What a project did, as the behaviour text holds it: the probe's result with the filters of
/// [`crate::base::normalize`] applied to what the project produced, each text kept as the text
/// keeps it (see [`write::canonical`]). [`read()`] of the text its `Display` writes gives the
/// same value back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    pub package: String,
    pub style: String,
    pub import_error: Option<ExceptionInfo>,
    /// Whether the GIL was on after the package was imported (`gil_after_import`). On a
    /// free-threaded build it stays off only if the extension declares it may; the references
    /// say so with a line tagged for those builds (see [`crate::snapshot::version_tags`]).
    pub gil: Gil,
    /// The package's `__all__` as declared; `None` when it declares none.
    pub all: Option<Vec<String>>,
    /// The package's own docstring.
    pub doc: Option<String>,
    pub api: Vec<ApiItem>,
    /// Where each `.pyi` the package ships disagrees with the runtime.
    pub stubs: Vec<StubCheck>,
    /// Which interpreters and platform the installed wheel serves; `None` when its metadata
    /// was not found.
    pub wheel: Option<Wheel>,
    /// The distribution's entry points (`[project.scripts]` and the like), and whether each
    /// still loads a callable.
    pub entry_points: Vec<EntryPoint>,
    pub scenarios: Vec<Scenario>,
    /// The test outcomes, when pytest reported; an empty list when it ran no test.
    pub tests: Option<Vec<TestCase>>,
}

/// The GIL after the import, as `gil_after_import: enabled` or `disabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gil {
    Enabled,
    Disabled,
}

impl Gil {
    pub fn as_str(self) -> &'static str {
        match self {
            Gil::Enabled => "enabled",
            Gil::Disabled => "disabled",
        }
    }

    pub fn parse(text: &str) -> Option<Gil> {
        match text {
            "enabled" => Some(Gil::Enabled),
            "disabled" => Some(Gil::Disabled),
            _ => None,
        }
    }
}

/// The header line naming [`Gil`].
pub const GIL_FIELD: &str = "gil_after_import";

/// One scenario of the style's table and what it did (its exercises and hint are the table's,
/// not the project's, and are not part of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub id: String,
    /// The table's sentence for it.
    pub behaviour: String,
    pub outcome: Outcome,
}

impl Behaviour {
    /// The scenario with `id`, if the probe ran it.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|scenario| scenario.id == id)
    }
}

/// The key of a scenario's section (`scenario greet.panic`), as [`Section::key`] and
/// [`crate::conformance::compare::Difference::section`] name it.
pub fn scenario_key(id: &str) -> String {
    format!("scenario {id}")
}

/// The key of an API item's section (`api Message`).
pub fn api_key(name: &str) -> String {
    format!("api {name}")
}

/// The key of a stub's section (`stub [PKG]._my_ext`).
pub fn stub_key(module: &str) -> String {
    format!("stub {module}")
}

/// The key of the wheel's section.
pub const WHEEL_SECTION: &str = "wheel";

/// The key of an entry point's section (`entry-point console_scripts:my-tool`).
pub fn entry_point_key(point: &EntryPoint) -> String {
    format!("entry-point {}", entry_point_name(point))
}

/// How an entry point is named in keys and findings: `console_scripts:my-tool`.
pub fn entry_point_name(point: &EntryPoint) -> String {
    format!("{}:{}", point.group, point.name)
}

/// The snapshot name of a matrix case: `matrix__probe@greet-default`.
pub fn name(case: &Case) -> String {
    format!("matrix__probe@{}", case.id())
}

/// The name of a style's reference snapshot.
pub fn reference_name(style: Style) -> String {
    format!("matrix__probe@{style}-{REFERENCE_VARIANT}")
}

mod committed {
    // (snapshot name, file contents) of every .snap file in harness/snapshots, written by
    // build.rs.
    include!(concat!(env!("OUT_DIR"), "/snapshots.rs"));
}

/// The body of a committed snapshot, by name.
pub fn committed(name: &str) -> Result<&'static str> {
    committed::SNAPSHOTS
        .iter()
        .find(|(candidate, _)| *candidate == name)
        .and_then(|(_, contents)| body(contents))
        .ok_or_else(|| Error::NoReference {
            name: name.to_owned(),
        })
}

/// The snapshot text of an insta `.snap` file: what follows its `---` header.
pub fn body(contents: &str) -> Option<&str> {
    let rest = contents.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + "\n---\n".len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snap_body_follows_the_header() {
        let file =
            "---\nsource: harness/tests/it/matrix.rs\nexpression: snapshot\n---\npackage: [PKG]\n";
        assert_eq!(body(file), Some("package: [PKG]\n"));
        assert_eq!(body("package: x"), None);
    }

    #[test]
    fn names_follow_the_case() {
        let case = crate::template::style::matrix(&[Style::parse("greet").unwrap()])[0];
        assert_eq!(name(&case), "matrix__probe@greet-default");
        assert_eq!(
            reference_name(Style::parse("text-processor").unwrap()),
            "matrix__probe@text-processor-default"
        );
    }

    /// Every committed snapshot, as each interpreter of the supported range must see it (its
    /// version-tagged lines resolved), reads into a [`Behaviour`] that writes back to the same
    /// bytes: the reader knows every line the writer writes, and the references `check` reads
    /// are readable on every version.
    #[test]
    fn every_committed_snapshot_reads_and_writes_back_unchanged_on_every_version() {
        assert!(committed::SNAPSHOTS.len() >= 2, "no committed snapshots");
        for (name, contents) in committed::SNAPSHOTS {
            let tagged = body(contents).unwrap_or_else(|| panic!("{name} has no insta header"));
            for version in crate::base::python_version::SUPPORTED.versions() {
                let text = version_tags::resolve(tagged, version)
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                let behaviour =
                    read(&text).unwrap_or_else(|error| panic!("{name} on {version}: {error}"));
                assert_eq!(behaviour.to_string(), text, "{name} on {version}");
            }
        }
    }
}

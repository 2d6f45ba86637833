//! Every kind of difference the harness can tell apart, as data: one [`Rule`] per kind, with
//! its class, an explanation and a hint. The engine ([`super::classify_section`]) decides
//! which rule a difference falls under; this table alone decides what that means. Adding a
//! kind of difference is adding an entry here and one place in the engine that emits it.
//!
//! The book's "What counts as breaking" page lists this table; a test keeps the two in step.

use serde::Serialize;

/// How serious a difference is for the project's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Code that worked with the recorded behaviour may still work: a new name, a new
    /// parameter with a default, a changed docstring.
    Compatible,
    /// Code that worked with the recorded behaviour can fail: a removed name, a changed value.
    Breaking,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Compatible => "compatible",
            Breaking => "breaking",
        }
    }
}

/// One kind of difference.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, e.g. `parameter-removed`; JSON reports carry it.
    pub id: &'static str,
    pub impact: Impact,
    /// What changed, as a sentence about `{subject}` (the API name, scenario or test) and
    /// `{detail}` (the parameter, base, name or value the difference is about).
    pub explanation: &'static str,
    /// What to do about it.
    pub hint: &'static str,
}

use Impact::{Breaking, Compatible};

macro_rules! rules {
    ($($name:ident = $id:literal, $impact:expr, $explanation:literal, $hint:literal;)*) => {
        $(
            pub const $name: &Rule = &Rule {
                id: $id,
                impact: $impact,
                explanation: $explanation,
                hint: $hint,
            };
        )*
        /// Every rule, in the order the book lists them.
        pub const ALL: &[&Rule] = &[$($name),*];
    };
}

rules! {
    // The package as a whole.
    PACKAGE_RENAMED = "package-renamed", Breaking,
        "the package is imported as `{detail}` now",
        "every `import` of the old name fails: keep the old name importable or release a new major version";
    IMPORT_FAILED = "import-failed", Breaking,
        "the package no longer imports: {detail}",
        "run `python -c 'import [PKG]'` in the project's venv to see the traceback";
    IMPORT_FIXED = "import-fixed", Compatible,
        "the package imports now (it raised {detail})",
        "record again to compare its API and behaviour from now on";
    ALL_NAME_REMOVED = "all-name-removed", Breaking,
        "`{detail}` was removed from `__all__`",
        "`from [PKG] import *` no longer brings it in: add it back to `__all__`";
    ALL_NAME_ADDED = "all-name-added", Compatible,
        "`{detail}` was added to `__all__`",
        "`from [PKG] import *` brings it in now; a name in `__all__` is a promise to keep it";
    ALL_DECLARATION_CHANGED = "all-declaration-changed", Compatible,
        "`__all__` is {detail} now",
        "without `__all__`, `from [PKG] import *` takes every name not starting with `_`";

    // Public names and class members.
    NAME_REMOVED = "name-removed", Breaking,
        "`{subject}` was removed",
        "code that uses it fails with AttributeError or ImportError: keep it (a deprecated alias will do) or release a new major version";
    NAME_ADDED = "name-added", Compatible,
        "`{subject}` was added",
        "nothing to do; record again to protect it from now on";
    KIND_CHANGED = "kind-changed", Breaking,
        "`{subject}` changed kind: {detail}",
        "code that calls, subclasses or reads it the old way fails: keep the old kind under this name";
    QUALNAME_CHANGED = "qualname-changed", Compatible,
        "`{subject}` is defined elsewhere now: {detail}",
        "the public name still works; pickles and reprs that spell the old location may not";
    BASE_REMOVED = "base-removed", Breaking,
        "`{subject}` no longer derives from `{detail}`",
        "`except`/`isinstance` with that base no longer match it: keep the base, add new ones beside it";
    BASE_ADDED = "base-added", Compatible,
        "`{subject}` derives from `{detail}` too",
        "`except` clauses for the new base catch it now; check that handlers which should not, do not";
    BASE_NARROWED = "base-narrowed", Compatible,
        "`{subject}` derives from {detail}",
        "every ancestor it had is still in its MRO, so every `except` and `isinstance` that matched it still does";
    VALUE_CHANGED = "value-changed", Breaking,
        "the value of `{subject}` changed: {detail}",
        "code that relies on the value sees another one: keep it, or say so in the changelog";
    VERSION_CHANGED = "version-changed", Compatible,
        "`{subject}` is {detail}",
        "every release changes it: nothing to do";
    DOC_CHANGED = "doc-changed", Compatible,
        "the docstring of `{subject}` changed",
        "nothing to do";

    // Signatures.
    PARAMETER_REMOVED = "parameter-removed", Breaking,
        "`{subject}`: parameter `{detail}` was removed",
        "calls that pass it fail with TypeError: accept it (and ignore or deprecate it) instead";
    PARAMETER_RENAMED = "parameter-renamed", Breaking,
        "`{subject}`: parameter {detail}",
        "calls that pass it by keyword fail with TypeError: keep the old name";
    PARAMETER_MOVED = "parameter-moved", Breaking,
        "`{subject}`: parameter `{detail}` moved to another position",
        "positional calls now pass their arguments to the wrong parameters: add new parameters at the end";
    PARAMETER_ADDED_REQUIRED = "parameter-added-required", Breaking,
        "`{subject}`: required parameter `{detail}` was added",
        "every existing call lacks it and fails with TypeError: give it a default";
    PARAMETER_ADDED_DEFAULTED = "parameter-added-defaulted", Compatible,
        "`{subject}`: parameter `{detail}` was added, with a default",
        "nothing to do: existing calls keep working";
    PARAMETER_ADDED_VARIADIC = "parameter-added-variadic", Compatible,
        "`{subject}`: `{detail}` was added",
        "nothing to do: existing calls keep working";
    PARAMETER_MADE_REQUIRED = "parameter-made-required", Breaking,
        "`{subject}`: parameter `{detail}` lost its default",
        "calls that leave it out fail with TypeError: keep a default";
    PARAMETER_MADE_OPTIONAL = "parameter-made-optional", Compatible,
        "`{subject}`: parameter `{detail}` has a default now",
        "nothing to do: existing calls keep working";
    PARAMETER_DEFAULT_CHANGED = "parameter-default-changed", Breaking,
        "`{subject}`: the default of {detail}",
        "calls that leave it out behave differently: keep the old default, or say so in the changelog";
    PARAMETER_KIND_NARROWED = "parameter-kind-narrowed", Breaking,
        "`{subject}`: parameter {detail}",
        "calls that pass it the other way (by position, or by keyword) fail with TypeError";
    PARAMETER_KIND_WIDENED = "parameter-kind-widened", Compatible,
        "`{subject}`: parameter {detail}",
        "nothing to do: every call that worked still works";
    ANNOTATION_CHANGED = "annotation-changed", Compatible,
        "`{subject}`: the annotation of {detail}",
        "Python does not enforce annotations at runtime, but type checkers of callers may now disagree: check that the new type is not narrower";
    RETURN_TYPE_CHANGED = "return-type-changed", Breaking,
        "`{subject}` returns {detail}",
        "code that uses the result as the old type can fail (an index, a key, arithmetic), and callers' type checkers reject it: keep the type, or say so in the changelog";
    SIGNATURE_CHANGED = "signature-changed", Breaking,
        "the signature of `{subject}` changed: {detail}",
        "the harness cannot read this signature parameter by parameter, so it counts the change as breaking; compare the two by hand";
    SIGNATURE_LOST = "signature-lost", Compatible,
        "`{subject}` no longer tells its signature (was `{detail}`)",
        "for a Rust function, PyO3 writes the signature when it knows it: add `#[pyo3(signature = (...))]`";
    SIGNATURE_FOUND = "signature-found", Compatible,
        "`{subject}` tells its signature now: `{detail}`",
        "nothing to do; its parameters are compared from now on";

    // Stubs shipped with the package.
    STUB_DRIFT_ADDED = "stub-drift-added", Breaking,
        "the stub `{subject}` accepts calls the runtime refuses: {detail}",
        "type checkers accept code that fails at runtime with TypeError: update the .pyi (mypy's stubtest shows the same)";
    STUB_EXTRA_NAME = "stub-extra-name", Breaking,
        "the stub `{subject}` declares a name the runtime lacks: {detail}",
        "type checkers accept code that fails at runtime with ImportError or AttributeError: remove it from the .pyi, or add it to the package";
    STUB_MISSING_NAME = "stub-missing-name", Compatible,
        "the stub `{subject}` lacks a name the runtime has: {detail}",
        "nothing that worked breaks, but type checkers reject every use of it: add it to the .pyi";
    STUB_MISSING_PARAMETER = "stub-missing-parameter", Compatible,
        "the stub `{subject}` lacks parameters the runtime accepts: {detail}",
        "every call the stub allows still works at runtime; type checkers reject calls that use the new parameters: add them to the .pyi";
    STUB_DRIFT_FIXED = "stub-drift-fixed", Compatible,
        "the stub `{subject}` agrees with the runtime again: {detail}",
        "nothing to do";
    STUB_ADDED = "stub-added", Compatible,
        "the package ships the stub `{subject}` now",
        "nothing to do; type checkers read it from now on";
    STUB_REMOVED = "stub-removed", Breaking,
        "the package no longer ships the stub `{subject}`",
        "type checkers of users lose the types they relied on: ship the .pyi again";
    STUB_UNREADABLE = "stub-unreadable", Breaking,
        "the stub `{subject}` cannot be compared: {detail}",
        "fix the .pyi (or the module it describes) so that both can be read";

    // The installed wheel and the distribution's entry points.
    WHEEL_ABI3_DROPPED = "wheel-abi3-dropped", Breaking,
        "the wheel serves {detail}",
        "users of every other CPython version find no wheel and build from source (which needs Rust) or fail: keep PyO3's `abi3-py3X` feature, or publish a wheel per version";
    WHEEL_ABI3_ADOPTED = "wheel-abi3-adopted", Compatible,
        "the wheel serves {detail}",
        "nothing to do: one wheel serves every CPython from its floor on";
    WHEEL_ABI3_FLOOR_RAISED = "wheel-abi3-floor-raised", Breaking,
        "the abi3 wheel needs a newer CPython: {detail}",
        "users of the versions left out find no wheel: keep the old `abi3-py3X` feature, or say so in the changelog";
    WHEEL_ABI3_FLOOR_LOWERED = "wheel-abi3-floor-lowered", Compatible,
        "the abi3 wheel serves older CPythons too: {detail}",
        "nothing to do";
    WHEEL_INTERPRETERS_CHANGED = "wheel-interpreters-changed", Breaking,
        "the wheel serves other interpreters: {detail}",
        "users of the interpreters it served before may find no wheel: check the PyO3 features and maturin options of the build";
    WHEEL_PLATFORM_NARROWED = "wheel-platform-narrowed", Breaking,
        "the wheel installs on fewer machines: {detail}",
        "users of the older systems find no wheel (a plain `linux` tag is one no index accepts): build for the old floor (maturin's `--compatibility`, `MACOSX_DEPLOYMENT_TARGET`)";
    WHEEL_PLATFORM_WIDENED = "wheel-platform-widened", Compatible,
        "the wheel installs on more machines: {detail}",
        "nothing to do";
    WHEEL_BUILT_ELSEWHERE = "wheel-built-elsewhere", Compatible,
        "the wheel was built for another interpreter or machine than the recorded one: {detail}",
        "tags from two machines say nothing about the project: record on the interpreter and platform the check runs on to compare them";
    WHEEL_UNREAD = "wheel-unread", Compatible,
        "the wheel's tags {detail}",
        "the installed distribution's metadata was not found (a package installed some other way): its tags are not compared";
    ENTRY_POINT_REMOVED = "entry-point-removed", Breaking,
        "entry point `{subject}` is gone",
        "a command users run (or a plugin another package loads) no longer exists: keep it, pointing at a function that still exists";
    ENTRY_POINT_ADDED = "entry-point-added", Compatible,
        "entry point `{subject}` is new ({detail})",
        "nothing to do; it is recorded from now on";
    ENTRY_POINT_BROKEN = "entry-point-broken", Breaking,
        "entry point `{subject}` no longer loads a callable: {detail}",
        "the installed command fails before it starts: point it (`[project.scripts]`, `[project.entry-points]`) at a function that exists";
    ENTRY_POINT_FIXED = "entry-point-fixed", Compatible,
        "entry point `{subject}` loads a callable again: {detail}",
        "nothing to do";
    ENTRY_POINT_RETARGETED = "entry-point-retargeted", Compatible,
        "entry point `{subject}` points elsewhere: {detail}",
        "it still loads a callable; check that it does what it did";

    // Scenarios (the style's behaviours, and the project's own).
    SCENARIO_REMOVED = "scenario-removed", Breaking,
        "scenario `{subject}` no longer runs",
        "the package lacks what the scenario needs, or a scenario table dropped it (the style's, or the project's scenarios file: `--against` runs the file it is given or finds, not the one the record was made with): record again only if that is intended";
    SCENARIO_ADDED = "scenario-added", Compatible,
        "scenario `{subject}` is new",
        "a scenario table grew (the style's, or the project's scenarios file): record again to protect it";
    SCENARIO_RETURN_CHANGED = "scenario-return-changed", Breaking,
        "`{subject}` returns something else: {detail}",
        "code that uses the result gets another value: restore the recorded one";
    SCENARIO_NOW_RAISES = "scenario-now-raises", Breaking,
        "`{subject}` raises now: {detail}",
        "code that worked now gets an exception: restore the recorded behaviour";
    SCENARIO_NO_LONGER_RAISES = "scenario-no-longer-raises", Breaking,
        "`{subject}` no longer raises: {detail}",
        "code that relied on the error (an `except` around it, input validation) no longer gets it";
    SCENARIO_EXCEPTION_CHANGED = "scenario-exception-changed", Breaking,
        "`{subject}` raises another exception: {detail}",
        "`except` clauses for the recorded type no longer catch it: keep the type, or derive the new one from it";
    SCENARIO_EXCEPTION_DETAILS_CHANGED = "scenario-exception-details-changed", Breaking,
        "`{subject}` raises the same type with other details: {detail}",
        "code and tests that match the message, notes or cause see the change: restore them, or say so in the changelog";
    SCENARIO_BEHAVIOUR_REWORDED = "scenario-behaviour-reworded", Compatible,
        "the harness describes scenario `{subject}` in other words",
        "the harness's scenario table changed, not the project: record again";

    // The project's own tests.
    TEST_NOW_FAILS = "test-now-fails", Breaking,
        "test `{subject}` {detail}",
        "run it with `uv run pytest` in the project to see why";
    TEST_OUTCOME_CHANGED = "test-outcome-changed", Compatible,
        "test `{subject}` {detail}",
        "nothing to do if it was meant: a test that passes now, or is skipped on purpose";
    TEST_ADDED = "test-added", Compatible,
        "test `{subject}` is new ({detail})",
        "nothing to do; it must pass, and is recorded from now on";
    TEST_REMOVED = "test-removed", Compatible,
        "test `{subject}` is gone",
        "make sure it was removed on purpose: a deleted test protects nothing";

    // Anything the engine cannot tell apart: counted as breaking, to be safe.
    SECTION_CHANGED = "section-changed", Breaking,
        "`{subject}` changed in a way the harness does not classify: {detail}",
        "compare the two versions in the diff below; record again if the change is intended";
}

impl Rule {
    /// The explanation with its placeholders filled in.
    pub fn explain(&self, subject: &str, detail: &str) -> String {
        self.explanation
            .replace("{subject}", subject)
            .replace("{detail}", detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = ALL.iter().map(|rule| rule.id).collect();
        for id in &ids {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id} is not kebab-case"
            );
        }
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "a rule id is used twice");
    }

    #[test]
    fn every_explanation_names_what_it_is_about() {
        for rule in ALL {
            assert!(
                rule.explanation.contains("{subject}") || rule.explanation.contains("{detail}"),
                "{} explains nothing specific",
                rule.id
            );
            assert!(!rule.hint.is_empty(), "{} has no hint", rule.id);
        }
    }

    #[test]
    fn the_book_lists_every_rule_with_its_class() {
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/src/harness/conformance.md");
        let text = fs_err::read_to_string(&page).unwrap();
        // Table rows: | `rule-id` | class | when |
        let listed: Vec<(String, String)> = text
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                Some((id.to_owned(), (*cells.get(2)?).to_owned()))
            })
            .collect();
        let table: Vec<(String, String)> = ALL
            .iter()
            .map(|rule| (rule.id.to_owned(), rule.impact.as_str().to_owned()))
            .collect();
        assert_eq!(listed, table, "{} and rules.rs disagree", page.display());
    }

    #[test]
    fn explanations_fill_their_placeholders() {
        assert_eq!(
            PARAMETER_REMOVED.explain("Message.greet", "loud"),
            "`Message.greet`: parameter `loud` was removed"
        );
    }
}

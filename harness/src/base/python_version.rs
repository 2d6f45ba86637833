//! CPython versions as the harness speaks of them: `3.13` (a build with a GIL), `3.14t` (the
//! free-threaded build, as uv and the python.org installers name it), the range the generated
//! projects support, and the version specs that tag snapshot lines (see [`crate::snapshot::version_tags`]).

use std::fmt;

/// A CPython feature release and its build: `3.13`, or `3.14t` for the free-threaded build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
    /// The free-threaded build (`Py_GIL_DISABLED`), a separate interpreter with its own ABI.
    pub free_threaded: bool,
}

impl PythonVersion {
    pub const fn new(major: u8, minor: u8, free_threaded: bool) -> PythonVersion {
        PythonVersion {
            major,
            minor,
            free_threaded,
        }
    }

    /// Reads `3.13`, `3.13.1`, `3.14t`; a patch level is ignored. `None` for anything else.
    pub fn parse(text: &str) -> Option<PythonVersion> {
        let text = text.trim();
        let (text, free_threaded) = match text.strip_suffix('t') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        match parts.next() {
            None => {}
            Some(patch) if !free_threaded && is_patch(patch) && parts.next().is_none() => {}
            Some(_) => return None,
        }
        Some(PythonVersion::new(major, minor, free_threaded))
    }

    /// From the full version an interpreter reports (`3.13.0`, `3.14.0rc1`) and its build.
    pub fn from_release(release: &str, free_threaded: bool) -> Option<PythonVersion> {
        let mut parts = release.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(PythonVersion::new(major, minor, free_threaded))
    }

    fn feature_release(self) -> (u8, u8) {
        (self.major, self.minor)
    }
}

/// `0`, `12`, `0rc1`, `0a2`: digits, then perhaps a pre-release marker.
fn is_patch(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.free_threaded {
            f.write_str("t")?;
        }
        Ok(())
    }
}

/// The CPython versions the generated projects support, and so the ones the harness runs.
///
/// 3.11 is the oldest CPython that still gets fixes (3.10 stopped in October 2026) and the first
/// whose limited API reads a `str`'s UTF-8 in place; 3.15 is the current release. Free-threaded
/// builds are supported from 3.14t, the first that CPython itself supports (3.13t was
/// experimental). The book's "Python versions" page gives the full reasoning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportedRange {
    pub oldest: (u8, u8),
    pub newest: (u8, u8),
    pub oldest_free_threaded: (u8, u8),
}

pub const SUPPORTED: SupportedRange = SupportedRange {
    oldest: (3, 11),
    newest: (3, 15),
    oldest_free_threaded: (3, 14),
};

impl SupportedRange {
    pub fn contains(&self, version: PythonVersion) -> bool {
        let release = version.feature_release();
        let oldest = if version.free_threaded {
            self.oldest_free_threaded
        } else {
            self.oldest
        };
        // A release newer than the newest known is let through: a new CPython is tried rather
        // than refused, as the projects' `requires-python` has no upper bound either.
        release >= oldest
    }

    /// Every version of the range with a GIL, then every free-threaded one: the generated CI's
    /// list, `3.11` … `3.15`, `3.14t`, `3.15t`.
    pub fn versions(&self) -> Vec<PythonVersion> {
        let with_gil = (self.oldest.1..=self.newest.1).map(|minor| (minor, false));
        let free = (self.oldest_free_threaded.1..=self.newest.1).map(|minor| (minor, true));
        with_gil
            .chain(free)
            .map(|(minor, free_threaded)| PythonVersion::new(self.oldest.0, minor, free_threaded))
            .collect()
    }

    /// `3.11 to 3.15, and the free-threaded 3.14t and 3.15t`, for messages and `--help`.
    pub fn describe(&self) -> String {
        let free: Vec<String> = self
            .versions()
            .into_iter()
            .filter(|version| version.free_threaded)
            .map(|version| version.to_string())
            .collect();
        format!(
            "CPython {}.{} to {}.{}, and the free-threaded {}",
            self.oldest.0,
            self.oldest.1,
            self.newest.0,
            self.newest.1,
            free.join(" and ")
        )
    }
}

/// Which versions a snapshot line holds for: a comma-separated list of items, any of which may
/// match. An item is a version (`3.12`), a range (`3.11-3.12`), or a bound (`>=3.13`, `<3.13`).
/// A `t` on an item's versions names free-threaded builds; without it, an item names builds
/// with a GIL only, as uv reads `3.14` and `3.14t`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSpec {
    items: Vec<SpecItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecItem {
    Exactly(PythonVersion),
    /// Both ends included.
    Between(PythonVersion, PythonVersion),
    AtLeast(PythonVersion),
    Below(PythonVersion),
}

impl VersionSpec {
    /// Reads a spec; the error says what is wrong and what a spec looks like.
    pub fn parse(text: &str) -> Result<VersionSpec, String> {
        let items = text
            .split(',')
            .map(|item| parse_item(item.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VersionSpec { items })
    }

    pub fn matches(&self, version: PythonVersion) -> bool {
        self.items.iter().any(|item| item.matches(version))
    }
}

impl SpecItem {
    fn matches(self, version: PythonVersion) -> bool {
        let same_build = |bound: PythonVersion| bound.free_threaded == version.free_threaded;
        let release = version.feature_release();
        match self {
            SpecItem::Exactly(bound) => bound == version,
            SpecItem::Between(low, high) => {
                same_build(low)
                    && low.feature_release() <= release
                    && release <= high.feature_release()
            }
            SpecItem::AtLeast(bound) => same_build(bound) && release >= bound.feature_release(),
            SpecItem::Below(bound) => same_build(bound) && release < bound.feature_release(),
        }
    }
}

fn parse_item(item: &str) -> Result<SpecItem, String> {
    let version = |text: &str| {
        PythonVersion::parse(text)
            .filter(|_| !text.trim().is_empty() && text.trim().matches('.').count() == 1)
            .ok_or_else(|| {
                format!(
                    "`{item}` is not a version spec: write `3.12`, `3.14t`, `3.11-3.12`, \
                     `>=3.13` or `<3.13`, several separated by commas"
                )
            })
    };
    if let Some(rest) = item.strip_prefix(">=") {
        return Ok(SpecItem::AtLeast(version(rest)?));
    }
    if let Some(rest) = item.strip_prefix('<') {
        return Ok(SpecItem::Below(version(rest)?));
    }
    if let Some((low, high)) = item.split_once('-') {
        let (low, high) = (version(low)?, version(high)?);
        if low.free_threaded != high.free_threaded || low > high {
            return Err(format!(
                "`{item}` is not a range: both ends need the same build (with or without `t`), \
                 the older first"
            ));
        }
        return Ok(SpecItem::Between(low, high));
    }
    Ok(SpecItem::Exactly(version(item)?))
}

impl fmt::Display for VersionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            match item {
                SpecItem::Exactly(version) => write!(f, "{version}")?,
                SpecItem::Between(low, high) => write!(f, "{low}-{high}")?,
                SpecItem::AtLeast(version) => write!(f, ">={version}")?,
                SpecItem::Below(version) => write!(f, "<{version}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PythonVersion {
        PythonVersion::parse(text).unwrap()
    }

    #[test]
    fn versions_read_as_uv_writes_them() {
        assert_eq!(v("3.13"), PythonVersion::new(3, 13, false));
        assert_eq!(v("3.13.1"), PythonVersion::new(3, 13, false));
        assert_eq!(v("3.14t"), PythonVersion::new(3, 14, true));
        assert_eq!(v("3.14t").to_string(), "3.14t");
        assert_eq!(v("3.15.0rc1").to_string(), "3.15");
        for bad in ["", "3", "three.eleven", "3.11.x.y", "3.13.1t", "3.x"] {
            assert_eq!(PythonVersion::parse(bad), None, "{bad}");
        }
        assert_eq!(
            PythonVersion::from_release("3.14.0b2", true),
            Some(v("3.14t"))
        );
    }

    #[test]
    fn the_range_is_311_to_315_with_free_threaded_from_314() {
        let listed: Vec<String> = SUPPORTED
            .versions()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            listed,
            ["3.11", "3.12", "3.13", "3.14", "3.15", "3.14t", "3.15t"]
        );
        for inside in ["3.11", "3.13", "3.15", "3.16", "3.14t", "3.15t"] {
            assert!(SUPPORTED.contains(v(inside)), "{inside}");
        }
        for outside in ["3.9", "3.10", "3.13t", "2.7"] {
            assert!(!SUPPORTED.contains(v(outside)), "{outside}");
        }
        assert_eq!(
            SUPPORTED.describe(),
            "CPython 3.11 to 3.15, and the free-threaded 3.14t and 3.15t"
        );
    }

    /// The template states the range in four places of its own; each must agree with this one.
    #[test]
    fn the_template_states_the_same_range_everywhere() {
        let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        let read = |path: &str| fs_err::read_to_string(template.join(path)).unwrap();
        let (major, oldest) = SUPPORTED.oldest;
        let versions = read("hooks/versions.rhai");
        for setting in [
            format!(r#"variable::set("python_requirement", ">={major}.{oldest}");"#),
            format!(r#"variable::set("abi3_feature", "abi3-py{major}{oldest}");"#),
            format!(r#"variable::set("ruff_target", "py{major}{oldest}");"#),
        ] {
            assert!(versions.contains(&setting), "versions.rhai lacks {setting}");
        }
        let listed: Vec<String> = SUPPORTED
            .versions()
            .iter()
            .map(|version| format!("\"{version}\""))
            .collect();
        let matrix = format!("python: [{}]", listed.join(", "));
        assert!(
            read(".github/workflows/ci.yml").contains(&matrix),
            "the CI matrix is not {matrix}"
        );
        let pyproject = read("pyproject.toml.liquid");
        let classified: Vec<String> = pyproject
            .lines()
            .filter_map(|line| {
                line.trim()
                    .strip_prefix("\"Programming Language :: Python :: 3.")
            })
            .map(|rest| rest.trim_end_matches("\",").to_owned())
            .collect();
        let minors: Vec<String> = (oldest..=SUPPORTED.newest.1)
            .map(|m| m.to_string())
            .collect();
        assert_eq!(classified, minors, "the version classifiers");
        assert!(pyproject.contains("Programming Language :: Python :: Free Threading"));
    }

    /// `--help` states the range in words; they must say what [`SUPPORTED`] holds.
    #[test]
    fn the_help_states_the_same_range() {
        let range = SUPPORTED.describe();
        let stated = crate::exit::HELP.replace("\n  ", " ");
        assert!(stated.contains(&range["CPython ".len()..]), "{range}");
    }

    #[test]
    fn a_spec_without_t_names_gil_builds_and_with_t_free_threaded_ones() {
        let gil = VersionSpec::parse(">=3.11").unwrap();
        assert!(gil.matches(v("3.11")) && gil.matches(v("3.15")));
        assert!(!gil.matches(v("3.10")) && !gil.matches(v("3.14t")));
        let free = VersionSpec::parse(">=3.14t").unwrap();
        assert!(free.matches(v("3.14t")) && free.matches(v("3.15t")));
        assert!(!free.matches(v("3.14")) && !free.matches(v("3.13t")));
    }

    #[test]
    fn spec_items_ranges_bounds_and_lists() {
        let spec = VersionSpec::parse("3.11-3.12, 3.14t").unwrap();
        assert!(spec.matches(v("3.11")) && spec.matches(v("3.12")) && spec.matches(v("3.14t")));
        assert!(!spec.matches(v("3.13")) && !spec.matches(v("3.15t")));
        assert_eq!(spec.to_string(), "3.11-3.12, 3.14t");
        let below = VersionSpec::parse("<3.13").unwrap();
        assert!(below.matches(v("3.12")) && !below.matches(v("3.13")));
        assert_eq!(
            VersionSpec::parse(">=3.13, <3.12").unwrap().to_string(),
            ">=3.13, <3.12"
        );
    }

    #[test]
    fn a_bad_spec_says_what_a_spec_looks_like() {
        let error = VersionSpec::parse("3.x").unwrap_err();
        assert!(
            error.starts_with("`3.x` is not a version spec: write `3.12`"),
            "{error}"
        );
        assert!(VersionSpec::parse("3.11.2").is_err());
        assert!(VersionSpec::parse(">=3.11,").is_err());
        let error = VersionSpec::parse("3.13-3.11").unwrap_err();
        assert!(error.contains("the older first"), "{error}");
        assert!(VersionSpec::parse("3.13-3.14t").is_err());
    }
}

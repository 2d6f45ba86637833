//! The installed wheel as the behaviour text holds it: which interpreters it serves and for
//! which platform, read from the `Tag:` lines of its `WHEEL` file
//! (`cp39-abi3-manylinux_2_17_x86_64`, see the packaging specification's platform
//! compatibility tags).
//!
//! A version-specific wheel is written without its version (`one CPython version`): it always
//! matches the interpreter it was installed into, so the version says which interpreter ran the
//! check, not what the project promises.

use std::fmt;

/// What the behaviour text's `## wheel` section holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wheel {
    pub interpreters: Interpreters,
    /// The platform tag, legacy manylinux aliases written in the PEP 600 form
    /// (`manylinux2014_x86_64` is `manylinux_2_17_x86_64`); several are joined with `, `.
    pub platform: String,
}

/// Which interpreters one wheel serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interpreters {
    /// The stable ABI: every CPython from `floor` (major, minor) on.
    Abi3 { floor: (u32, u32) },
    /// One CPython version, the one it was built for.
    OneVersion { free_threaded: bool },
    /// Pure Python: any interpreter.
    Pure,
    /// Any other pair of interpreter and ABI tags (PyPy's, say), as the tags spell it.
    Other(String),
}

const ABI3_PREFIX: &str = "abi3, CPython ";
const ABI3_SUFFIX: &str = " and later";
const ONE_VERSION: &str = "one CPython version";
const ONE_FREE_THREADED: &str = "one free-threaded CPython version";
const PURE: &str = "any Python (pure Python)";

impl fmt::Display for Interpreters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interpreters::Abi3 {
                floor: (major, minor),
            } => write!(f, "{ABI3_PREFIX}{major}.{minor}{ABI3_SUFFIX}"),
            Interpreters::OneVersion {
                free_threaded: false,
            } => f.write_str(ONE_VERSION),
            Interpreters::OneVersion {
                free_threaded: true,
            } => f.write_str(ONE_FREE_THREADED),
            Interpreters::Pure => f.write_str(PURE),
            Interpreters::Other(tags) => f.write_str(tags),
        }
    }
}

impl Interpreters {
    /// Reads what [`fmt::Display`] writes; anything else is [`Interpreters::Other`].
    pub fn parse(text: &str) -> Interpreters {
        if let Some(version) = text
            .strip_prefix(ABI3_PREFIX)
            .and_then(|rest| rest.strip_suffix(ABI3_SUFFIX))
            && let Some((major, minor)) = version.split_once('.')
            && let (Ok(major), Ok(minor)) = (major.parse(), minor.parse())
        {
            return Interpreters::Abi3 {
                floor: (major, minor),
            };
        }
        match text {
            ONE_VERSION => Interpreters::OneVersion {
                free_threaded: false,
            },
            ONE_FREE_THREADED => Interpreters::OneVersion {
                free_threaded: true,
            },
            PURE => Interpreters::Pure,
            other => Interpreters::Other(other.to_owned()),
        }
    }

    /// From one tag's interpreter and ABI parts: `cp39` and `abi3`, `cp312` and `cp312`.
    fn of_tag(python: &str, abi: &str) -> Interpreters {
        let version = |tag: &str| -> Option<(u32, u32)> {
            let digits = tag.strip_prefix("cp")?;
            let (major, minor) = digits.split_at_checked(1)?;
            Some((major.parse().ok()?, minor.parse().ok()?))
        };
        match (abi, version(python)) {
            ("abi3", Some(floor)) => Interpreters::Abi3 { floor },
            ("none", _) if python.starts_with("py") => Interpreters::Pure,
            (abi, Some(_)) if abi.strip_suffix('t') == Some(python) => Interpreters::OneVersion {
                free_threaded: true,
            },
            (abi, Some(_)) if abi == python || abi.strip_suffix('m') == Some(python) => {
                Interpreters::OneVersion {
                    free_threaded: false,
                }
            }
            _ => Interpreters::Other(format!("{python}-{abi}")),
        }
    }
}

/// A platform tag with the legacy manylinux aliases written the PEP 600 way.
fn normalised_platform(platform: &str) -> String {
    for (legacy, glibc) in [
        ("manylinux1_", "manylinux_2_5_"),
        ("manylinux2010_", "manylinux_2_12_"),
        ("manylinux2014_", "manylinux_2_17_"),
    ] {
        if let Some(arch) = platform.strip_prefix(legacy) {
            return format!("{glibc}{arch}");
        }
    }
    platform.to_owned()
}

impl Wheel {
    /// The wheel its tags describe; `None` without tags.
    pub fn from_tags(tags: &[String]) -> Option<Wheel> {
        let mut interpreters: Vec<Interpreters> = Vec::new();
        let mut platforms: Vec<String> = Vec::new();
        for tag in tags {
            let mut parts = tag.splitn(3, '-');
            let (Some(python), Some(abi), Some(platform)) =
                (parts.next(), parts.next(), parts.next())
            else {
                interpreters.push(Interpreters::Other(tag.clone()));
                continue;
            };
            let described = Interpreters::of_tag(python, abi);
            if !interpreters.contains(&described) {
                interpreters.push(described);
            }
            let platform = normalised_platform(platform);
            if !platforms.contains(&platform) {
                platforms.push(platform);
            }
        }
        let interpreters = match interpreters.as_slice() {
            [] => return None,
            [one] => one.clone(),
            // Several kinds in one wheel: shown as its tags, so that any change shows.
            _ => Interpreters::Other(tags.join(", ")),
        };
        Some(Wheel {
            interpreters,
            platform: platforms.join(", "),
        })
    }
}

/// A platform tag cut into what a user's machine must match: the family (`manylinux`,
/// `musllinux`, `macosx`, `win`, `linux`, `any`), the floor it needs (glibc, musl or macOS
/// version), and the architecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub family: String,
    pub floor: Option<(u32, u32)>,
    pub arch: String,
}

impl Platform {
    pub fn parse(tag: &str) -> Platform {
        for family in ["manylinux", "musllinux", "macosx"] {
            if let Some(rest) = tag.strip_prefix(family).and_then(|r| r.strip_prefix('_')) {
                let mut parts = rest.splitn(3, '_');
                if let (Some(major), Some(minor), Some(arch)) =
                    (parts.next(), parts.next(), parts.next())
                    && let (Ok(major), Ok(minor)) = (major.parse(), minor.parse())
                {
                    return Platform {
                        family: family.to_owned(),
                        floor: Some((major, minor)),
                        arch: arch.to_owned(),
                    };
                }
            }
        }
        let (family, arch) = tag.split_once('_').unwrap_or((tag, ""));
        Platform {
            family: family.to_owned(),
            floor: None,
            arch: arch.to_owned(),
        }
    }

    /// Whether a wheel for `self` installs wherever one for `other` did: the same machines,
    /// with a floor no higher. `linux` (a wheel no installer picks from an index) serves fewer
    /// machines than any `manylinux`.
    pub fn serves_all_of(&self, other: &Platform) -> bool {
        if self.arch != other.arch {
            return false;
        }
        match (self.family.as_str(), other.family.as_str()) {
            (mine, theirs) if mine == theirs => match (self.floor, other.floor) {
                (Some(mine), Some(theirs)) => mine <= theirs,
                (mine, theirs) => mine == theirs,
            },
            ("manylinux", "linux") => true,
            _ => false,
        }
    }

    /// Whether the two are for the same kind of machine (a record made on Linux and a check on
    /// macOS are not): same architecture, and the same operating system.
    pub fn same_machine_as(&self, other: &Platform) -> bool {
        let os = |family: &str| {
            match family {
                "manylinux" | "musllinux" | "linux" => "linux",
                other => other,
            }
            .to_owned()
        };
        self.arch == other.arch && os(&self.family) == os(&other.family)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(tags: &[&str]) -> Wheel {
        let tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
        Wheel::from_tags(&tags).unwrap()
    }

    #[test]
    fn tags_say_which_interpreters_and_platform() {
        let abi3 = wheel(&[
            "cp39-abi3-manylinux_2_17_x86_64",
            "cp39-abi3-manylinux2014_x86_64",
        ]);
        assert_eq!(abi3.interpreters, Interpreters::Abi3 { floor: (3, 9) });
        assert_eq!(abi3.interpreters.to_string(), "abi3, CPython 3.9 and later");
        assert_eq!(abi3.platform, "manylinux_2_17_x86_64");
        let specific = wheel(&["cp312-cp312-macosx_11_0_arm64"]);
        assert_eq!(specific.interpreters.to_string(), "one CPython version");
        assert_eq!(specific.platform, "macosx_11_0_arm64");
        assert_eq!(
            wheel(&["cp313-cp313t-win_amd64"]).interpreters.to_string(),
            "one free-threaded CPython version"
        );
        assert_eq!(wheel(&["py3-none-any"]).interpreters, Interpreters::Pure);
        assert_eq!(
            wheel(&["pp310-pypy310_pp73-manylinux_2_17_x86_64"]).interpreters,
            Interpreters::Other("pp310-pypy310_pp73".into())
        );
        assert_eq!(Wheel::from_tags(&[]), None);
    }

    #[test]
    fn interpreters_read_back_what_they_write() {
        for interpreters in [
            Interpreters::Abi3 { floor: (3, 11) },
            Interpreters::OneVersion {
                free_threaded: false,
            },
            Interpreters::OneVersion {
                free_threaded: true,
            },
            Interpreters::Pure,
            Interpreters::Other("pp310-pypy310_pp73".into()),
        ] {
            assert_eq!(Interpreters::parse(&interpreters.to_string()), interpreters);
        }
    }

    #[test]
    fn platforms_compare_by_family_floor_and_architecture() {
        let old = Platform::parse("manylinux_2_17_x86_64");
        assert_eq!(
            old,
            Platform {
                family: "manylinux".into(),
                floor: Some((2, 17)),
                arch: "x86_64".into()
            }
        );
        assert!(Platform::parse("manylinux_2_12_x86_64").serves_all_of(&old));
        assert!(!Platform::parse("manylinux_2_28_x86_64").serves_all_of(&old));
        assert!(!Platform::parse("linux_x86_64").serves_all_of(&old));
        assert!(old.serves_all_of(&Platform::parse("linux_x86_64")));
        assert!(old.same_machine_as(&Platform::parse("linux_x86_64")));
        assert!(!old.same_machine_as(&Platform::parse("macosx_11_0_x86_64")));
        assert!(!old.same_machine_as(&Platform::parse("manylinux_2_17_aarch64")));
        assert_eq!(Platform::parse("win_amd64").arch, "amd64");
        assert_eq!(Platform::parse("any").family, "any");
    }
}

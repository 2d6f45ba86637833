//! The template's styles (one registry, [`REGISTRY`]), its option variants, and the matrix of
//! cases built from them.
//!
//! Everything else that knows the styles reads this registry: the command line's `--style`
//! values, error texts, style detection, the probe's embedded scenario tables, the matrix, the
//! `styles` command that `just examples` loops over. The tests in `tests/it/styles.rs` fail
//! when the template, the probe, the snapshots or `examples/` know a style this registry does
//! not, or the other way round.

use std::fmt;

use clap::builder::PossibleValue;

use crate::project::Project;

/// One style of generated project: what the template's `style` answer selects.
#[derive(Debug)]
pub struct StyleDef {
    /// The template's `style` value, the probe's `--style`, the `examples/` folder name.
    pub name: &'static str,
    /// One line for `--help` and `pyo3-scaffold styles`.
    pub about: &'static str,
    /// Paths only this style's projects have (relative to the project root, `{package}` for
    /// the import name): how `check` tells a project's style. Each is one of the style's own
    /// files in the template.
    pub markers: &'static [&'static str],
    /// The text of its scenario table, `harness/probe/<name>_scenarios.py` (`-` as `_`).
    pub scenario_table: &'static str,
}

/// The styles, in the order the matrix runs them. Adding a style: its files in `template/`,
/// an entry here, and its scenario table in `harness/probe/`.
// ANCHOR: registry
pub const REGISTRY: &[StyleDef] = &[
    StyleDef {
        name: "greet",
        about: "A class behind a thin Python wrapper, errors across the boundary, a panic",
        markers: &["python/{package}/api.py", "crates/python/src/message.rs"],
        scenario_table: include_str!("../../probe/greet_scenarios.py"),
    },
    StyleDef {
        name: "text-processor",
        about: "A Rust core running Python plugins loaded from a folder",
        markers: &["python/{package}/plugins", "crates/python/src/processor.rs"],
        scenario_table: include_str!("../../probe/text_processor_scenarios.py"),
    },
    StyleDef {
        name: "numeric",
        about: "NumPy arrays borrowed by Rust kernels, results handed back without a copy",
        markers: &["crates/python/src/arrays.rs", "crates/core/src/summary.rs"],
        scenario_table: include_str!("../../probe/numeric_scenarios.py"),
    },
];
// ANCHOR_END: registry

/// The probe style that runs no scenarios: the public API only, for a project of no known
/// style.
pub const NO_STYLE: &str = "none";

/// A style of the [`REGISTRY`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Style(usize);

impl Style {
    /// Every style, in registry order.
    pub const ALL: [Style; REGISTRY.len()] = {
        let mut all = [Style(0); REGISTRY.len()];
        let mut index = 0;
        while index < all.len() {
            all[index] = Style(index);
            index += 1;
        }
        all
    };

    fn def(self) -> &'static StyleDef {
        &REGISTRY[self.0]
    }

    /// The template's name for the style, also the probe's `--style` value.
    pub fn as_str(self) -> &'static str {
        self.def().name
    }

    pub fn about(self) -> &'static str {
        self.def().about
    }

    pub fn parse(text: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|style| style.as_str() == text)
    }

    /// The file name of the style's scenario table, as the probe imports it.
    pub fn scenario_file(self) -> String {
        format!("{}_scenarios.py", self.as_str().replace('-', "_"))
    }

    pub fn scenario_table(self) -> &'static str {
        self.def().scenario_table
    }

    /// The paths only this style has, for a project whose import name is `package`.
    pub fn markers(self, package: &str) -> impl Iterator<Item = String> {
        let package = package.to_owned();
        self.def()
            .markers
            .iter()
            .map(move |marker| marker.replace("{package}", &package))
    }

    /// Every style's name, in registry order.
    pub fn names() -> Vec<&'static str> {
        Style::ALL.iter().map(|style| style.as_str()).collect()
    }

    /// The style of an existing project: the one its `[tool.pyo3-scaffold]` table records, else
    /// (for projects made before the table existed) the one style whose own files it has.
    pub fn detect(project: &Project) -> Option<Style> {
        let recorded = project.provenance().and_then(|p| p.style.as_deref());
        if let Some(style) = recorded.and_then(Style::parse) {
            return Some(style);
        }
        let mut found = Style::ALL.into_iter().filter(|style| {
            style
                .markers(&project.package)
                .any(|marker| project.root.join(marker).exists())
        });
        match (found.next(), found.next()) {
            (Some(style), None) => Some(style),
            _ => None,
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Style({})", self.as_str())
    }
}

impl clap::ValueEnum for Style {
    fn value_variants<'a>() -> &'a [Self] {
        &Style::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()).help(self.about()))
    }
}

/// What the probe runs: a style's scenarios, or (`none`) the public API only. `check --style`
/// takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeStyle(pub Option<Style>);

impl ProbeStyle {
    const ALL: [ProbeStyle; REGISTRY.len() + 1] = {
        let mut all = [ProbeStyle(None); REGISTRY.len() + 1];
        let mut index = 0;
        while index < REGISTRY.len() {
            all[index] = ProbeStyle(Some(Style::ALL[index]));
            index += 1;
        }
        all
    };

    pub fn as_str(self) -> &'static str {
        self.0.map_or(NO_STYLE, Style::as_str)
    }
}

impl clap::ValueEnum for ProbeStyle {
    fn value_variants<'a>() -> &'a [Self] {
        &ProbeStyle::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self.0 {
            Some(style) => style.to_possible_value()?,
            None => PossibleValue::new(NO_STYLE).help("The public API only (any maturin project)"),
        })
    }
}

/// A combination of the template's options besides the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    pub name: &'static str,
    /// `-d KEY=VALUE` answers given to cargo-generate.
    pub defines: &'static [(&'static str, &'static str)],
    pub about: &'static str,
}

// ANCHOR: variants
/// The variants every style is built in. `default` is the template's defaults, what a user who
/// answers nothing gets, and its snapshot is the reference `check` compares projects with.
pub const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        defines: &[("abi3", "true"), ("ci", "true"), ("workshop", "false")],
        about: "the template's defaults: abi3 wheels, CI workflow",
    },
    Variant {
        name: "no-abi3-no-ci",
        defines: &[("abi3", "false"), ("ci", "false"), ("workshop", "false")],
        about: "a version-specific extension and no CI workflow",
    },
];
// ANCHOR_END: variants

/// The variant whose snapshot is each style's reference behaviour.
pub const REFERENCE_VARIANT: &str = "default";

/// One style in one variant: a case of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub style: Style,
    pub variant: Variant,
}

impl Case {
    /// `greet-default`: the case's name in reports and in its snapshot's name. It is also the
    /// project name, so that no two cases build a crate of the same name in the shared target
    /// folder.
    pub fn id(&self) -> String {
        format!("{}-{}", self.style, self.variant.name)
    }

    pub fn project_name(&self) -> String {
        self.id()
    }

    /// The variant's answers as `(key, value)` pairs for [`crate::template::render::Request`].
    pub fn defines(&self) -> Vec<(String, String)> {
        self.variant
            .defines
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }
}

/// Every variant of each style in `styles` (all styles when empty), in a stable order.
pub fn matrix(styles: &[Style]) -> Vec<Case> {
    let styles: Vec<Style> = if styles.is_empty() {
        Style::ALL.to_vec()
    } else {
        let mut styles = styles.to_vec();
        styles.sort();
        styles.dedup();
        styles
    };
    styles
        .into_iter()
        .flat_map(|style| VARIANTS.iter().map(move |&variant| Case { style, variant }))
        .collect()
}

/// A `--shard I/N` selection: the cases whose position modulo N is I-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn select<T>(self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .enumerate()
            .filter(|(position, _)| position % self.count == self.index - 1)
            .map(|(_, item)| item)
            .collect()
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("`{text}` is not a shard: write I/N with 1 <= I <= N, e.g. 1/2");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: usize = index.trim().parse().map_err(|_| usage())?;
        let count: usize = count.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_covers_every_variant_of_each_style() {
        // Registry order, and within a style the variants' order.
        let ids: Vec<String> = matrix(&[]).iter().map(Case::id).collect();
        let expected: Vec<String> = REGISTRY
            .iter()
            .flat_map(|style| {
                VARIANTS
                    .iter()
                    .map(move |variant| format!("{}-{}", style.name, variant.name))
            })
            .collect();
        assert_eq!(ids, expected);
        assert_eq!(&ids[..2], ["greet-default", "greet-no-abi3-no-ci"]);
        let text_processor = Style::parse("text-processor").unwrap();
        let ids: Vec<String> = matrix(&[text_processor, text_processor])
            .iter()
            .map(Case::id)
            .collect();
        assert_eq!(
            ids,
            ["text-processor-default", "text-processor-no-abi3-no-ci"]
        );
    }

    #[test]
    fn shards_split_cases_without_overlap() {
        let cases: Vec<u32> = (0..5).collect();
        let first: Shard = "1/2".parse().unwrap();
        let second: Shard = "2/2".parse().unwrap();
        assert_eq!(first.select(cases.clone()), [0, 2, 4]);
        assert_eq!(second.select(cases), [1, 3]);
    }

    #[test]
    fn malformed_shards_are_refused() {
        for text in ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", ""] {
            let error = text.parse::<Shard>().unwrap_err();
            assert_eq!(
                error,
                format!("`{text}` is not a shard: write I/N with 1 <= I <= N, e.g. 1/2")
            );
        }
    }

    #[test]
    fn each_example_is_detected_as_its_style() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        for style in Style::ALL {
            let project = Project::read(&examples.join(style.as_str())).unwrap();
            assert_eq!(Style::detect(&project), Some(style));
        }
        // The markers of no style: a plain maturin project.
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join("pyproject.toml"),
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"plain\"\n",
        )
        .unwrap();
        assert_eq!(Style::detect(&Project::read(dir.path()).unwrap()), None);
        // The markers of two styles: told by neither.
        let both = dir.path().join("crates/python/src");
        fs_err::create_dir_all(&both).unwrap();
        for style in Style::ALL {
            for marker in style.markers("plain") {
                let path = dir.path().join(marker);
                fs_err::create_dir_all(path.parent().unwrap()).unwrap();
                fs_err::write(path, "").unwrap();
            }
        }
        assert_eq!(Style::detect(&Project::read(dir.path()).unwrap()), None);
    }

    #[test]
    fn style_names_parse_exactly() {
        for style in Style::ALL {
            assert_eq!(Style::parse(style.as_str()), Some(style));
        }
        assert_eq!(Style::parse("Greet"), None);
        assert_eq!(Style::parse(NO_STYLE), None);
        let registered: Vec<&str> = REGISTRY.iter().map(|style| style.name).collect();
        assert_eq!(Style::names(), registered);
        assert_eq!(Style::names()[..2], ["greet", "text-processor"]);
    }
}

//! The template's styles, its option variants, and the matrix of cases built from them.

use std::fmt;
use std::path::Path;

use crate::project::Project;

/// A style of generated project (the template's `style` placeholder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Style {
    /// A class behind a thin Python wrapper, errors across the boundary, a panic.
    Greet,
    /// A Rust core running Python plugins loaded from a folder.
    TextProcessor,
}

impl Style {
    pub const ALL: [Style; 2] = [Style::Greet, Style::TextProcessor];

    /// The template's name for the style, also the probe's `--style` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Greet => "greet",
            Style::TextProcessor => "text-processor",
        }
    }

    pub fn parse(text: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|style| style.as_str() == text)
    }

    /// The style of an existing project: the one its `[tool.pyo3-scaffold]` table records, else
    /// (for projects made before the table existed) a guess from the files only one style has.
    pub fn detect(project: &Project) -> Option<Style> {
        let recorded = project.provenance.as_ref().and_then(|p| p.style.as_deref());
        if let Some(style) = recorded.and_then(Style::parse) {
            return Some(style);
        }
        let package = project.root.join("python").join(&project.package);
        let has = |path: &Path| path.exists();
        let text_processor = has(&package.join("plugins"))
            || has(&project.root.join("crates/python/src/processor.rs"));
        let greet =
            has(&package.join("api.py")) || has(&project.root.join("crates/python/src/message.rs"));
        match (greet, text_processor) {
            (true, false) => Some(Style::Greet),
            (false, true) => Some(Style::TextProcessor),
            _ => None,
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

    /// The variant's answers as `(key, value)` pairs for [`crate::render::Request`].
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
        let ids: Vec<String> = matrix(&[]).iter().map(Case::id).collect();
        assert_eq!(
            ids,
            [
                "greet-default",
                "greet-no-abi3-no-ci",
                "text-processor-default",
                "text-processor-no-abi3-no-ci"
            ]
        );
        let ids: Vec<String> = matrix(&[Style::TextProcessor, Style::TextProcessor])
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
    fn style_names_match_the_template() {
        assert_eq!(Style::parse("text-processor"), Some(Style::TextProcessor));
        assert_eq!(Style::parse("greet"), Some(Style::Greet));
        assert_eq!(Style::parse("Greet"), None);
    }
}

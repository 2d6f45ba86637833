//! The pyo3-scaffold harness: every generated project goes
//! `render → venv → build → pytest → probe → snapshot/compare`,
//! and a snapshot changes only when what Python sees changes.
//!
//! The modules are layers, one folder each, each using only those below it: `harness/README.md`
//! maps them, and `tests/it/modules.rs` holds the code to that map.

pub mod base;
pub mod cli;
pub mod commands;
pub mod conformance;
pub mod exit;
pub mod pipeline;
pub mod platform;
pub mod project;
pub mod python;
pub mod report;
pub mod snapshot;
pub mod stages;
pub mod template;
pub mod update;
pub mod workshop;

pub use base::error::{Error, Result};

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Whether `path` (relative, `/`-separated) is one of cargo's `include` entries: the entry
    /// itself, a file under it, or a match of its one `*` within a path segment.
    fn included(path: &str, entry: &str) -> bool {
        match entry.split_once('*') {
            Some((prefix, suffix)) => path
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .is_some_and(|middle| !middle.contains('/')),
            None => path == entry || path.starts_with(&format!("{entry}/")),
        }
    }

    #[test]
    fn the_package_includes_every_file_the_build_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest: toml::Table = fs_err::read_to_string(root.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let include: Vec<&str> = manifest["package"]["include"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry.as_str().unwrap())
            .collect();
        let mut missing = Vec::new();
        for folder in ["probe", "snapshots", "src"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path().strip_prefix(root).unwrap();
                let path = path.to_string_lossy().replace('\\', "/");
                // Caches a linter or Python leaves behind are not inputs.
                if path.contains("__pycache__") || path.contains("_cache/") {
                    continue;
                }
                if !include.iter().any(|pattern| included(&path, pattern)) {
                    missing.push(path);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in Cargo.toml's include: {missing:?}"
        );
        assert!(included("probe/scaffold_probe.py", "probe/*.py"));
        assert!(!included("probe/pyproject.toml", "probe/*.py"));
    }
}

//! File events for `watch`: the project folder watched recursively (notify), debounced so that
//! one save is one re-check however many events the editor's save makes, and filtered to the
//! files a check reads: Rust, Python and the manifests.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::project::tree;

/// Events closer together than this are one save.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Keeps the watch alive; dropping it stops it.
#[derive(Debug)]
pub struct Watch {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Watches `dir` and sends the changed files of each save (relative to `dir`) to `changes`.
pub fn watch(
    dir: &Path,
    changes: Sender<Vec<PathBuf>>,
) -> notify_debouncer_full::notify::Result<Watch> {
    let root = dir.to_owned();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        let mut changed: Vec<PathBuf> = events
            .iter()
            .filter(|event| {
                matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                )
            })
            .flat_map(|event| event.paths.iter())
            .filter_map(|path| path.strip_prefix(&root).ok())
            .filter(|path| is_source(path))
            .map(Path::to_owned)
            .collect();
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            // The receiver is gone only when watch is ending.
            let _ = changes.send(changed);
        }
    })?;
    debouncer.watch(dir, RecursiveMode::Recursive)?;
    Ok(Watch {
        _debouncer: debouncer,
    })
}

/// A file whose change calls for a re-check: Rust, Python (stubs too) or a manifest, outside
/// build products and caches. `path` is relative to the project.
pub fn is_source(path: &Path) -> bool {
    let in_ignored_dir = path.parent().is_some_and(|parent| {
        parent.components().any(|part| {
            let part = part.as_os_str().to_string_lossy();
            tree::SKIPPED_DIRS.contains(&part.as_ref())
        })
    });
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    // Editors save through hidden or backup files (`.message.rs.swp`, `message.rs~`).
    let temporary = name.starts_with('.') || name.ends_with('~');
    let wanted = matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("rs" | "py" | "pyi" | "toml")
    ) || name == "Cargo.lock";
    wanted && !in_ignored_dir && !temporary
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Instant;

    use super::*;

    #[test]
    fn sources_are_rust_python_and_manifests() {
        for path in [
            "crates/python/src/message.rs",
            "python/my_ext/api.py",
            "python/my_ext/_my_ext.pyi",
            "pyproject.toml",
            "Cargo.toml",
            "tests/test_message.py",
        ] {
            assert!(is_source(Path::new(path)), "{path}");
        }
        for path in [
            "README.md",
            "target/debug/build/x.rs",
            ".venv/lib/python3.11/site-packages/x.py",
            "tests/__pycache__/test_message.cpython-311.pyc",
            "python/my_ext/__pycache__/api.py",
            "crates/python/src/.message.rs.swp",
            "crates/python/src/message.rs~",
            "python/my_ext/_my_ext.abi3.so",
        ] {
            assert!(!is_source(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn a_save_is_reported_once_and_a_build_product_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs_err::canonicalize(dir.path()).unwrap();
        fs_err::create_dir_all(root.join("src")).unwrap();
        fs_err::create_dir_all(root.join("target")).unwrap();
        let (sender, receiver) = mpsc::channel();
        let _watch = watch(&root, sender).unwrap();
        // An editor's save: write, then touch again right away.
        fs_err::write(root.join("src/lib.rs"), "fn a() {}\n").unwrap();
        fs_err::write(root.join("src/lib.rs"), "fn b() {}\n").unwrap();
        fs_err::write(root.join("target/out.rs"), "x").unwrap();
        fs_err::write(root.join("notes.md"), "x").unwrap();
        let start = Instant::now();
        let changed = receiver.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(changed, [PathBuf::from("src/lib.rs")]);
        assert!(start.elapsed() >= DEBOUNCE / 2, "{:?}", start.elapsed());
        // Nothing more: the second write was part of the same save.
        assert!(
            receiver.recv_timeout(DEBOUNCE * 4).is_err(),
            "a second batch of changes"
        );
    }
}

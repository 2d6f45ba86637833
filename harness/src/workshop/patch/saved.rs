//! Where `reset` keeps the files it replaces, so that a learner can take any of them back:
//! `<cache>/workshop/saved/<project>-<hash>/<time>-reset-<N>/<file>`, the file's path inside the
//! project kept. Never inside the project, which git and the learner's editor watch.

use std::path::{Path, PathBuf};

use crate::base::cache::Cache;
use crate::workshop::patch::Patched;
use crate::workshop::progress;

/// Copies the text each of `patched` had before into a fresh folder of the cache, and returns
/// that folder.
pub fn save(
    cache: &Cache,
    project: &Path,
    project_name: &str,
    what: &str,
    patched: &[Patched],
) -> std::io::Result<PathBuf> {
    let stamp = progress::now().replace([':', '-'], "");
    let parent = cache
        .root()
        .join("workshop")
        .join("saved")
        .join(progress::project_key(project, project_name));
    // Two saves in one second each get a folder of their own.
    let mut folder = parent.join(format!("{stamp}-{what}"));
    let mut again = 1;
    while folder.exists() {
        again += 1;
        folder = parent.join(format!("{stamp}-{what}-{again}"));
    }
    for file in patched.iter().filter(|file| file.old != file.new) {
        let copy = folder.join(&file.file);
        if let Some(parent) = copy.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&copy, &file.old)?;
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_text_is_kept_under_the_files_own_path() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("cache")).unwrap();
        let patched = [
            Patched {
                file: "crates/python/src/message.rs".into(),
                old: "mine\n".into(),
                new: "todo\n".into(),
            },
            Patched {
                file: "crates/python/src/lib.rs".into(),
                old: "same\n".into(),
                new: "same\n".into(),
            },
        ];
        let folder = save(&cache, dir.path(), "my-ext", "reset-1", &patched).unwrap();
        assert!(
            folder.starts_with(cache.root().join("workshop/saved")),
            "{folder:?}"
        );
        assert!(folder.to_string_lossy().ends_with("-reset-1"), "{folder:?}");
        assert_eq!(
            fs_err::read_to_string(folder.join("crates/python/src/message.rs")).unwrap(),
            "mine\n"
        );
        assert!(!folder.join("crates/python/src/lib.rs").exists());
    }
}

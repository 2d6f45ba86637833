//! The template built into the binary (by `build.rs`), and the version line that names it.
//!
//! cargo-generate renders from a folder, so a run that renders writes the embedded files into a
//! temporary folder once ([`extract`]) and removes it when done.

use std::path::Path;

use crate::base::error::Result;
use crate::platform;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/template.rs"));
}

/// Every file of the embedded template: its `/`-separated path inside the template, its bytes,
/// and whether it is executable.
pub fn files() -> &'static [(&'static str, &'static [u8], bool)] {
    generated::FILES
}

/// The fingerprint of the embedded template (see [`crate::template::fingerprint`]).
pub const FINGERPRINT: &str = generated::FINGERPRINT;

/// What `--version` prints after the command's name: the harness's version and the fingerprint
/// of the template it carries.
pub const VERSION: &str = generated::VERSION;

/// Writes the embedded template into a new folder `dir` (which must not exist yet).
pub fn extract(dir: &Path) -> Result<()> {
    write_tree(
        dir,
        files()
            .iter()
            .map(|(path, bytes, executable)| (*path, *bytes, *executable)),
    )
}

/// Writes `files` (`/`-separated path, bytes, executable) into a new folder `dir` (which must
/// not exist yet): the embedded template, or one from the template's history.
pub fn write_tree<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8], bool)>,
) -> Result<()> {
    fs_err::create_dir(dir)?;
    for (path, bytes, executable) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&target, bytes)?;
        if executable {
            // Nothing to set on Windows, which has no executable bits.
            platform::set_executable(&target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::template::fingerprint;

    /// The repository's `template/`, read from disk now: what the embedded copy must equal.
    fn on_disk() -> BTreeMap<String, (Vec<u8>, bool)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        read_tree(&root)
    }

    fn read_tree(root: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(root).follow_links(true) {
            let entry = entry.expect("the template folder is readable");
            if entry.file_type().is_dir() {
                continue;
            }
            let relative: PathBuf = entry.path().strip_prefix(root).unwrap().to_owned();
            let path = relative
                .components()
                .map(|part| part.as_os_str().to_str().expect("UTF-8 file names"))
                .collect::<Vec<_>>()
                .join("/");
            let metadata = entry.metadata().unwrap();
            files.insert(
                path,
                (
                    fs_err::read(entry.path()).unwrap(),
                    platform::is_executable(&metadata),
                ),
            );
        }
        files
    }

    fn embedded() -> BTreeMap<String, (Vec<u8>, bool)> {
        files()
            .iter()
            .map(|(path, bytes, executable)| (path.to_string(), (bytes.to_vec(), *executable)))
            .collect()
    }

    #[test]
    fn the_embedded_template_is_the_template_folder() {
        let disk = on_disk();
        let embedded = embedded();
        let listed = |tree: &BTreeMap<String, _>| tree.keys().cloned().collect::<Vec<_>>();
        assert_eq!(listed(&embedded), listed(&disk), "file lists differ");
        for (path, file) in &disk {
            assert!(embedded[path] == *file, "{path}: the embedded copy differs");
        }
        // Hooks too: they are the template's machinery and must travel with it.
        assert!(disk.contains_key("hooks/check_name.rhai"));
    }

    #[test]
    fn the_fingerprint_is_that_of_the_template_folder() {
        let disk = on_disk();
        let recomputed = fingerprint::of(
            disk.iter()
                .map(|(path, (bytes, _))| (path.as_str(), &bytes[..])),
        );
        assert_eq!(FINGERPRINT, recomputed);
        assert_eq!(
            VERSION,
            format!("{} (template {recomputed})", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn extracting_writes_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path().join("template");
        extract(&into).unwrap();
        assert_eq!(read_tree(&into), embedded());
        // A second extraction into the same folder is refused, not merged.
        assert!(extract(&into).is_err());
    }
}

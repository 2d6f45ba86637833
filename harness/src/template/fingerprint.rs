//! The template's fingerprint: a short hash of its files, printed by `--version` and recorded in
//! every generated project, so that a bug report says which template produced a project.
//!
//! `build.rs` computes it over the files it embeds, and the tests compute it over `template/` on
//! disk: both use this file (`build.rs` includes it with `#[path]`), so it uses only `std` and
//! `sha2`.

use sha2::{Digest, Sha256};

/// The file that records the fingerprint inside the template, so that `cargo generate` writes it
/// too. It cannot hash itself, so it is left out of the hash.
pub const RECORDED_IN: &str = "hooks/provenance.rhai";

/// How many hex digits of the SHA-256 the fingerprint keeps: enough to tell templates apart,
/// short enough to read in a bug report.
const LENGTH: usize = 12;

/// The fingerprint of a template given as `(path, bytes)` pairs, with `/`-separated paths
/// relative to the template folder. The order of `files` does not matter.
pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut files: Vec<(&str, &[u8])> = files
        .into_iter()
        .filter(|(path, _)| *path != RECORDED_IN)
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for (path, bytes) in files {
        // Lengths first, so that no two different trees feed the hash the same bytes.
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    // The digest prints as lowercase hex (sha2's `LowerHex`), the one encoder the crate uses.
    let mut hex = format!("{:x}", hash.finalize());
    hex.truncate(LENGTH);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_depends_on_paths_and_bytes_not_order() {
        let one = of([("a", b"x".as_slice()), ("b", b"y".as_slice())]);
        assert_eq!(one.len(), 12);
        assert!(one.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(one, of([("b", b"y".as_slice()), ("a", b"x".as_slice())]));
        assert_ne!(one, of([("a", b"x".as_slice()), ("b", b"z".as_slice())]));
        assert_ne!(one, of([("a", b"x".as_slice()), ("c", b"y".as_slice())]));
        // A path's end and a file's start cannot trade bytes.
        assert_ne!(of([("ab", b"c".as_slice())]), of([("a", b"bc".as_slice())]));
    }

    #[test]
    fn the_file_that_records_the_fingerprint_is_not_hashed() {
        let files = [("a", b"x".as_slice())];
        assert_eq!(
            of(files),
            of([
                ("a", b"x".as_slice()),
                (RECORDED_IN, b"anything".as_slice())
            ])
        );
    }
}

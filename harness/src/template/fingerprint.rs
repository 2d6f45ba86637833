//! The template's fingerprint: a short hash of its files, printed by `--version` and recorded in
//! every generated project, so that a bug report says which template produced a project.
//!
//! `build.rs` computes it over the files it embeds, and the tests compute it over `template/` on
//! disk: both use this file (`build.rs` includes it with `#[path]`), so it uses only `std` and
//! `sha2`.
//!
//! It does not depend on the checkout: a text file is hashed with LF line ends, so a Windows
//! checkout that turned them into CRLF (Git's `core.autocrlf`) gives the fingerprint an LF
//! checkout gives, and an LF checkout hashes the very bytes it has.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

/// The file that records the fingerprint inside the template, so that `cargo generate` writes it
/// too. It cannot hash itself, so it is left out of the hash.
pub const RECORDED_IN: &str = "hooks/provenance.rhai";

/// How many hex digits of the SHA-256 the fingerprint keeps: enough to tell templates apart,
/// short enough to read in a bug report.
const LENGTH: usize = 12;

/// The fingerprint of a template given as `(path, bytes)` pairs, with `/`-separated paths
/// relative to the template folder. The order of `files` does not matter, nor whether a text
/// file's lines end with CRLF or LF.
pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut files: Vec<(&str, &[u8])> = files
        .into_iter()
        .filter(|(path, _)| *path != RECORDED_IN)
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for (path, bytes) in files {
        let bytes = with_lf(bytes);
        // Lengths first, so that no two different trees feed the hash the same bytes.
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    // The digest prints as lowercase hex (sha2's `LowerHex`), the one encoder the crate uses.
    let mut hex = format!("{:x}", hash.finalize());
    hex.truncate(LENGTH);
    hex
}

/// How far Git looks for a NUL byte to call a file binary.
const BINARY_PROBE: usize = 8000;

/// A text file's bytes with every CRLF turned into LF; a binary file's (a NUL byte in its first
/// [`BINARY_PROBE`] bytes, as Git decides) and a file without CRLF as they are.
fn with_lf(bytes: &[u8]) -> Cow<'_, [u8]> {
    let binary = bytes.iter().take(BINARY_PROBE).any(|&byte| byte == 0);
    if binary || !bytes.windows(2).any(|pair| pair == b"\r\n") {
        return Cow::Borrowed(bytes);
    }
    let mut text = Vec::with_capacity(bytes.len());
    for (index, &byte) in bytes.iter().enumerate() {
        if !(byte == b'\r' && bytes.get(index + 1) == Some(&b'\n')) {
            text.push(byte);
        }
    }
    Cow::Owned(text)
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
    fn a_crlf_checkout_gives_the_fingerprint_of_an_lf_one() {
        let lf = of([("a.py", b"x = 1\ny = 2\n".as_slice())]);
        assert_eq!(lf, of([("a.py", b"x = 1\r\ny = 2\r\n".as_slice())]));
        // A lone CR is content, not a line end; a different text stays different.
        assert_ne!(lf, of([("a.py", b"x = 1\ry = 2\r".as_slice())]));
        assert_ne!(lf, of([("a.py", b"x = 1\r\ny = 3\r\n".as_slice())]));
        // A binary file (a NUL byte) is hashed as it is.
        let binary = b"\0\r\n".as_slice();
        assert_ne!(of([("b", binary)]), of([("b", b"\0\n".as_slice())]));
        assert_eq!(with_lf(binary), binary);
        assert_eq!(with_lf(b"a\r\nb\r\r\n"), b"a\nb\r\n".as_slice());
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

//! Embeds what the binary needs at run time, so that an installed binary needs no clone of the
//! repository:
//!
//! - the committed snapshots (`snapshots/*.snap`), so that `check` compares a project with
//!   exactly the behaviour the matrix snapshots record: one source of truth, no copy to drift;
//! - the template (`../template`, every file, hooks included) and its fingerprint;
//! - the template's history (`template-history/`: an index and one archive per earlier
//!   template), so that `update` can render the template a project was made from.
//!
//! Every file and folder read here is announced with `cargo:rerun-if-changed`, so the embedded
//! copy is rebuilt whenever a file is changed, added or removed.
//!
//! `cargo install --path harness` and `cargo install --git <repository> scaffold-harness` both
//! build in the repository's own tree, where `../template` exists. A packaged copy of the crate
//! (`cargo package`) would not hold it: the crate is not published (`publish = false`), and such
//! a build stops here with a message saying so.

// A build script reports a failure by panicking: its `expect`s are its error messages.
#![allow(clippy::expect_used)]

#[path = "src/template/fingerprint.rs"]
mod fingerprint;

// Executable bits, read as the harness reads them (it writes the embedded files back with them).
// The build reads them only: the crate's writer goes unused here.
#[allow(dead_code)]
#[path = "src/platform/executable.rs"]
mod executable;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs_err::write(
        out_dir.join("snapshots.rs"),
        snapshots(&manifest_dir.join("snapshots")),
    )
    .expect("writing OUT_DIR/snapshots.rs");
    fs_err::write(
        out_dir.join("template.rs"),
        template(&manifest_dir.join("..").join("template")),
    )
    .expect("writing OUT_DIR/template.rs");
    fs_err::write(
        out_dir.join("template_history.rs"),
        history(&manifest_dir.join("template-history")),
    )
    .expect("writing OUT_DIR/template_history.rs");
}

/// Every file of `template-history/` by name: the index and the archives it lists.
fn history(dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String)> = fs_err::read_dir(dir)
        .expect("reading template-history/")
        .map(|entry| entry.expect("reading a template-history/ entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            (name.to_owned(), path.display().to_string())
        })
        .collect();
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &files {
        writeln!(code, "    ({name:?}, include_bytes!({path:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    code
}

fn snapshots(dir: &Path) -> String {
    // A directory here means: rerun when any file in it changes, is added or removed.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut snapshots: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = fs_err::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // Only accepted snapshots: `.snap.new` files are proposals waiting for review.
            if let Some(stem) = name.strip_suffix(".snap") {
                // Embedded with LF line ends, as the harness writes and compares behaviour text:
                // a checkout that turned them into CRLF (Git on Windows) gives the same
                // references.
                let text = fs_err::read_to_string(&path)
                    .expect("reading a snapshot")
                    .replace("\r\n", "\n");
                snapshots.push((stem.to_owned(), text));
            }
        }
    }
    snapshots.sort();
    let mut code = String::from("pub static SNAPSHOTS: &[(&str, &str)] = &[\n");
    for (name, text) in &snapshots {
        writeln!(code, "    ({name:?}, {text:?}),").expect("writing to a String");
    }
    code.push_str("];\n");
    code
}

/// A file of the template: its `/`-separated path inside the template, where it is on disk, its
/// bytes and whether it is executable.
struct TemplateFile {
    path: String,
    source: PathBuf,
    bytes: Vec<u8>,
    executable: bool,
}

fn template(dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(dir) = fs_err::canonicalize(dir) else {
        panic!(
            "the pyo3-scaffold template was not found at {}: the harness embeds it, so it must \
             be built inside the repository (`cargo install --path harness`, or \
             `cargo install --git <repository> scaffold-harness`), not from a packaged copy",
            dir.display()
        );
    };
    let mut files = Vec::new();
    walk(&dir, "", &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(
        files.iter().any(|file| file.path == "cargo-generate.toml"),
        "{} holds no cargo-generate.toml: it is not the template",
        dir.display()
    );
    let fingerprint = fingerprint::of(
        files
            .iter()
            .map(|file| (file.path.as_str(), file.bytes.as_slice())),
    );
    let mut code = String::from(
        "/// Every file of the template: its `/`-separated path inside the template, its bytes,\n\
         /// and whether it is executable.\n\
         pub static FILES: &[(&str, &[u8], bool)] = &[\n",
    );
    for file in &files {
        writeln!(
            code,
            "    ({:?}, include_bytes!({:?}), {}),",
            file.path,
            file.source.display().to_string(),
            file.executable
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// The fingerprint of [`FILES`] (see `fingerprint.rs`).\n\
         pub const FINGERPRINT: &str = {fingerprint:?};\n\
         /// The harness's version and the template's fingerprint, for `--version`.\n\
         pub const VERSION: &str = \"{version} (template {fingerprint})\";",
        version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION"),
    )
    .expect("writing to a String");
    code
}

/// Collects every file under `dir` (`prefix` is its path inside the template) and announces
/// every file and folder to cargo.
fn walk(dir: &Path, prefix: &str, files: &mut Vec<TemplateFile>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = fs_err::read_dir(dir).expect("reading a template folder");
    for entry in entries {
        let entry = entry.expect("reading a template folder's entry");
        let source = entry.path();
        let name = entry
            .file_name()
            .into_string()
            .unwrap_or_else(|name| panic!("template file name {name:?} is not UTF-8"));
        let path = format!("{prefix}{name}");
        // Follows symbolic links: the embedded copy holds what they point at.
        let metadata = fs_err::metadata(&source).expect("reading a template file's metadata");
        if metadata.is_dir() {
            walk(&source, &format!("{path}/"), files);
        } else {
            println!("cargo:rerun-if-changed={}", source.display());
            let bytes = fs_err::read(&source).expect("reading a template file");
            files.push(TemplateFile {
                path,
                source,
                bytes,
                executable: executable::is_executable(&metadata),
            });
        }
    }
}

//! Embeds the committed snapshots (`snapshots/*.snap`) so that `check` compares a project with
//! exactly the behaviour the matrix snapshots record: one source of truth, no copy to drift.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("snapshots");
    // A directory here means: rerun when any file in it changes, is added or removed.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut snapshots: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = fs_err::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // Only accepted snapshots: `.snap.new` files are proposals waiting for review.
            if let Some(stem) = name.strip_suffix(".snap") {
                snapshots.push((stem.to_owned(), path.display().to_string()));
            }
        }
    }
    snapshots.sort();
    let mut code = String::from("pub static SNAPSHOTS: &[(&str, &str)] = &[\n");
    for (name, path) in &snapshots {
        writeln!(code, "    ({name:?}, include_str!({path:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("snapshots.rs");
    fs_err::write(out, code).expect("writing OUT_DIR/snapshots.rs");
}

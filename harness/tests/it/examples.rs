//! `examples/` must be exactly what the template renders today.

use scaffold_harness::project::tree::diff_trees;
use scaffold_harness::template::style::Style;

use crate::support::{render, repo_root};

#[test]
fn examples_equal_a_fresh_render() {
    let fresh = tempfile::tempdir().unwrap();
    let mut report = String::new();
    for style in Style::ALL.map(Style::as_str) {
        let rendered = fresh.path().join(style);
        render(style, &rendered, &[]);
        let committed = repo_root().join("examples").join(style);
        // Lock files are what running an example by hand leaves behind (and .gitignore skips).
        let differences = diff_trees(&committed, &rendered, &["Cargo.lock", "uv.lock"]).unwrap();
        for difference in differences {
            report.push_str(&format!("examples/{style}: {difference}\n"));
        }
    }
    assert!(
        report.is_empty(),
        "examples/ (expected) no longer matches a fresh render of the template (actual); \
         re-render it with `just examples` \
         (cargo run -p scaffold-harness -- render STYLE examples/STYLE --force, for each STYLE \
         of `scaffold-harness styles`):\n{report}"
    );
}

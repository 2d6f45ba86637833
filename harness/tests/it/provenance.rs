//! Every generated project records where it came from in `[tool.pyo3-scaffold]`, and `check`
//! takes the style from there before guessing it from the project's files.

use std::path::Path;

use crate::support::{Filters, cli_snapshot, copy_project, harness, rendered, run};

/// Moves a file to another path that imports the same way: `api.py` to `api/__init__.py`,
/// `message.rs` to `message/mod.rs`. The project still builds and passes its tests (which import
/// `greet.api`), but none of the files `check` guesses the style from is left.
fn move_into_folder(file: &Path, new_name: &str) {
    let folder = file.with_extension("");
    fs_err::create_dir(&folder).unwrap();
    fs_err::rename(file, folder.join(new_name)).unwrap();
}

#[test]
fn check_finds_the_recorded_style_after_the_style_files_moved() {
    let (_dir, project) = copy_project(&rendered()["greet"]);
    move_into_folder(&project.join("python/greet/api.py"), "__init__.py");
    // One level deeper, its relative import climbs one more.
    let api = project.join("python/greet/api/__init__.py");
    let text = fs_err::read_to_string(&api).unwrap();
    assert!(text.contains("from ._greet import"), "{text}");
    fs_err::write(
        &api,
        text.replace("from ._greet import", "from .._greet import"),
    )
    .unwrap();
    move_into_folder(&project.join("crates/python/src/message.rs"), "mod.rs");

    let checked = run(harness()
        .arg("check")
        .arg(&project)
        .args(["--timeout", "300"]));
    assert_eq!(checked.code, Some(0), "{}", checked.dump());
    assert!(
        checked
            .stderr
            .contains("reference: the greet style's reference behaviour\n"),
        "not compared with greet's reference:\n{}",
        checked.dump()
    );

    // Without the table, the files alone cannot tell: the table is what found the style.
    let pyproject = project.join("pyproject.toml");
    let text = fs_err::read_to_string(&pyproject).unwrap();
    let table = text.find("\n[tool.pyo3-scaffold]").expect("the table");
    fs_err::write(&pyproject, &text[..=table]).unwrap();
    cli_snapshot!(
        "style_not_told",
        harness().arg("check").arg(&project),
        Filters::new().path(&project, "[PROJECT]")
    );
}

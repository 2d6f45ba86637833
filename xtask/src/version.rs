//! `xtask set-version X.Y.Z`: the first step of `just bump`, which releases a new version of
//! the command. The version is written once, in `harness/Cargo.toml`; `just examples` then
//! records it in the template (`template/hooks/provenance.rhai`, so that projects record it),
//! and `just template-history` adds the template to the history under it, so that the next
//! version can update the projects this one makes. The book's pages that name the release
//! (the action's tag and `version`, the wheel's file name) follow it here; a test of the book
//! (`the_book_names_the_release_of_this_build`) fails when one does not.

use std::path::Path;
use std::process::ExitCode;

use scaffold_harness::base::error::{Error, Result};

fn refused(message: String) -> Error {
    Error::Usage {
        command: "set-version",
        message,
    }
}

/// `0.2.0` as numbers, or `None` for anything else.
fn numbers(version: &str) -> Option<Vec<u64>> {
    let parts: Option<Vec<u64>> = version.split('.').map(|part| part.parse().ok()).collect();
    parts.filter(|parts| parts.len() == 3)
}

/// Sets the `[package]` version of `harness/Cargo.toml` to `version`, which must not be below the
/// current one (`update` tells older templates from newer ones by their versions); the same
/// version again lets a `just bump` that stopped halfway run again.
pub fn run(version: &str) -> Result<ExitCode> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../harness/Cargo.toml");
    let text = fs_err::read_to_string(&manifest)?;
    let new = numbers(version)
        .ok_or_else(|| refused(format!("{version}: a version is three numbers, e.g. 0.2.0")))?;
    // The version line of the [package] table: the first line `version = "..."` after the
    // table's header and before the next one.
    let mut in_package = false;
    let mut found = None;
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('[') {
            in_package = line.trim() == "[package]";
        } else if in_package
            && let Some(current) = line
                .strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
        {
            found = Some((index, current.to_owned()));
            break;
        }
    }
    let (index, current) = found.ok_or_else(|| {
        refused(format!(
            "{}: no `version = \"...\"` line in [package]",
            manifest.display()
        ))
    })?;
    let current_numbers = numbers(&current);
    if current_numbers.as_ref() == Some(&new) {
        // `just bump` stopped after this step: its next steps are run again, and the book's
        // pages already name it.
        eprintln!("harness/Cargo.toml: version {version} already set; continuing");
        return Ok(ExitCode::SUCCESS);
    }
    if current_numbers.is_none_or(|current| new < current) {
        return Err(refused(format!(
            "{version} is below the current version {current}: versions only go up"
        )));
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[index] = format!("version = \"{version}\"");
    let mut updated = lines.join("\n");
    if text.ends_with('\n') {
        updated.push('\n');
    }
    fs_err::write(&manifest, updated)?;
    eprintln!("harness/Cargo.toml: version {current} -> {version}");
    name_release_in_book(&current, version)?;
    Ok(ExitCode::SUCCESS)
}

/// The pages that name a release of the command (the book's, and the README's install lines),
/// by the forms they name it in.
const RELEASE_PAGES: &[&str] = &[
    "docs/src/ci.md",
    "docs/src/getting-started.md",
    "docs/src/harness/reference.md",
    "README.md",
];

/// Rewrites `current` to `version` where the book names the release: the action's tag
/// (`pyo3-scaffold@v0.1.0`, `` `@v0.1.0` ``, `pyo3-scaffold@<commit> # v0.1.0`), its `version: "0.1.0"`,
/// `PYO3_SCAFFOLD_TAG: v0.1.0`, the wheel's file name (`pyo3_scaffold-0.1.0-py3`) and what
/// `--version` prints (`pyo3-scaffold 0.1.0 (template`).
fn name_release_in_book(current: &str, version: &str) -> Result<()> {
    let forms = |v: &str| {
        [
            format!("pyo3-scaffold@v{v}"),
            format!("`@v{v}`"),
            format!("pyo3-scaffold@<commit> # v{v}"),
            format!("pyo3-scaffold {v} (template"),
            format!("version: \"{v}\""),
            format!("PYO3_SCAFFOLD_TAG: v{v}"),
            format!("pyo3_scaffold-{v}-py3"),
        ]
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for page in RELEASE_PAGES {
        let path = root.join(page);
        let text = fs_err::read_to_string(&path)?;
        let updated = forms(current)
            .iter()
            .zip(forms(version))
            .fold(text.clone(), |text, (old, new)| text.replace(old, &new));
        if updated != text {
            fs_err::write(&path, updated)?;
            eprintln!("{page}: names release {version}");
        }
    }
    Ok(())
}

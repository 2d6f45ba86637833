//! The `[tool.pyo3-scaffold]` section of a `pyproject.toml` as text: the lines from its header
//! to the next table that is not one of its own (`[tool.pyo3-scaffold.answers]` is). `update`
//! moves it as a whole: to the new template's once the merge is clean, and back to the old
//! template's while conflicts remain, so that the record always names the template the rest of
//! the project was last merged from.

use std::ops::Range;

use crate::project::provenance::TABLE;

/// The byte range of the section in `text`, when it has one.
pub fn section(text: &str) -> Option<Range<usize>> {
    let header = format!("[tool.{TABLE}]");
    let own = format!("[tool.{TABLE}.");
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        match start {
            None if trimmed == header => start = Some(offset),
            Some(begin) if trimmed.starts_with('[') && !trimmed.starts_with(&own) => {
                return Some(begin..offset);
            }
            _ => {}
        }
        offset += line.len();
    }
    start.map(|begin| begin..text.len())
}

/// The section of `text`, as text.
pub fn get(text: &str) -> Option<&str> {
    section(text).map(|range| &text[range])
}

/// `text` with its section replaced by `replacement` (a whole section, as [`get`] returns);
/// `None` when `text` has none.
pub fn replace(text: &str, replacement: &str) -> Option<String> {
    let range = section(text)?;
    Some(format!(
        "{}{replacement}{}",
        &text[..range.start],
        &text[range.end..]
    ))
}

/// Makes the base's `pyproject.toml` record what the project's records: the base stands for
/// the project as it was made, whose record is the one the project holds. (A base from an old
/// template folder or a commit may record another fingerprint; a line both sides "changed"
/// would be a conflict about nothing.)
pub fn align(base: &mut crate::update::files::Files, project_pyproject: &str) {
    let Some(record) = get(project_pyproject) else {
        return;
    };
    let aligned = base
        .get("pyproject.toml")
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| replace(text, record));
    if let Some(aligned) = aligned {
        base.insert("pyproject.toml".into(), aligned.into_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYPROJECT: &str = "[project]\nname = \"x\"\n\n[tool.pyo3-scaffold]\nstyle = \"greet\"\n\
        template-fingerprint = \"aaa\"\n\n[tool.pyo3-scaffold.answers]\nabi3 = true\n\n\
        [tool.ruff]\nline-length = 99\n";

    #[test]
    fn the_section_runs_to_the_next_foreign_table() {
        assert_eq!(
            get(PYPROJECT),
            Some(
                "[tool.pyo3-scaffold]\nstyle = \"greet\"\ntemplate-fingerprint = \"aaa\"\n\n\
                 [tool.pyo3-scaffold.answers]\nabi3 = true\n\n"
            )
        );
        let last = "[project]\n[tool.pyo3-scaffold]\nstyle = \"greet\"\n";
        assert_eq!(get(last), Some("[tool.pyo3-scaffold]\nstyle = \"greet\"\n"));
        assert_eq!(get("[project]\nname = \"x\"\n"), None);
    }

    #[test]
    fn replacing_keeps_everything_around_it() {
        let replaced = replace(PYPROJECT, "[tool.pyo3-scaffold]\nstyle = \"new\"\n\n").unwrap();
        assert_eq!(
            replaced,
            "[project]\nname = \"x\"\n\n[tool.pyo3-scaffold]\nstyle = \"new\"\n\n\
             [tool.ruff]\nline-length = 99\n"
        );
        assert_eq!(replace("[project]\n", "x"), None);
    }
}

//! A requirement file read as pip reads it: logical lines (comments dropped, continuations
//! joined), each an include, a constraint, a local path, an option or a requirement.

/// The lines of a requirement file without comments and blank lines, continuation lines
/// (ending in `\`) joined.
pub(super) fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        // pip: a `#` at the start of a line or after whitespace starts a comment.
        let without_comment = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(at) => &raw[..at],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        if let Some(continued) = without_comment.trim_end().strip_suffix('\\') {
            current.push_str(continued.trim());
            current.push(' ');
            continue;
        }
        current.push_str(without_comment.trim());
        let line = current.trim().to_owned();
        current.clear();
        if !line.is_empty() {
            lines.push(line);
        }
    }
    let last = current.trim();
    if !last.is_empty() {
        lines.push(last.to_owned());
    }
    lines
}

/// One logical line of a requirement file, as pip reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RequirementLine {
    /// `-r FILE`: another file's lines.
    Include(String),
    /// `-c FILE`.
    Constraint(String),
    /// A local folder (`.`, `-e ./sub[extra]`).
    Path {
        editable: bool,
        path: String,
        extras: Vec<String>,
    },
    /// Any other option (`--index-url URL`, `--pre`), passed on as written.
    Option(String),
    Requirement(String),
}

impl RequirementLine {
    pub(super) fn parse(line: &str) -> RequirementLine {
        let option_value = |names: &[&str]| {
            names.iter().find_map(|name| {
                let rest = line.strip_prefix(name)?;
                let value = rest.strip_prefix('=').unwrap_or(rest);
                (rest.starts_with(['=', ' ', '\t']) || (name.len() == 2 && !rest.is_empty()))
                    .then(|| value.trim().to_owned())
            })
        };
        if let Some(file) = option_value(&["--requirement", "-r"]) {
            return RequirementLine::Include(file);
        }
        if let Some(file) = option_value(&["--constraint", "-c"]) {
            return RequirementLine::Constraint(file);
        }
        let (editable, target) = match option_value(&["--editable", "-e"]) {
            Some(target) => (true, target),
            None => (false, line.to_owned()),
        };
        if !editable && target.starts_with('-') {
            return RequirementLine::Option(line.to_owned());
        }
        let bare = target.strip_prefix("file:").unwrap_or(&target);
        let (path, extras) = match bare.split_once('[') {
            Some((path, rest)) => (
                path,
                rest.trim_end_matches(']')
                    .split(',')
                    .map(|extra| extra.trim().to_owned())
                    .filter(|extra| !extra.is_empty())
                    .collect(),
            ),
            None => (bare, Vec::new()),
        };
        let is_path = path == "."
            || path.starts_with("./")
            || path.starts_with("../")
            || path.starts_with('/');
        if is_path {
            return RequirementLine::Path {
                editable,
                path: path.to_owned(),
                extras,
            };
        }
        if editable {
            return RequirementLine::Option(line.to_owned());
        }
        RequirementLine::Requirement(line.to_owned())
    }
}

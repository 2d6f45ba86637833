//! Signatures as `inspect.signature` prints them, `(a, /, b: 'int' = 1, *args, c, **kw) -> 'str'`,
//! read parameter by parameter and compared the way a caller sees them.

use super::rules::{self, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    PositionalOnly,
    /// Positional or keyword.
    Positional,
    VarPositional,
    KeywordOnly,
    VarKeyword,
}

impl ParamKind {
    fn described(self) -> &'static str {
        match self {
            ParamKind::PositionalOnly => "positional-only",
            ParamKind::Positional => "positional-or-keyword",
            ParamKind::VarPositional => "variadic positional",
            ParamKind::KeywordOnly => "keyword-only",
            ParamKind::VarKeyword => "variadic keyword",
        }
    }

    fn takes_position(self) -> bool {
        matches!(self, ParamKind::PositionalOnly | ParamKind::Positional)
    }

    fn takes_keyword(self) -> bool {
        matches!(self, ParamKind::Positional | ParamKind::KeywordOnly)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub annotation: Option<String>,
    pub default: Option<String>,
}

impl Param {
    /// The name as a caller writes it: `*args`, `**kwargs`, or the plain name.
    fn shown(&self) -> String {
        match self.kind {
            ParamKind::VarPositional => format!("*{}", self.name),
            ParamKind::VarKeyword => format!("**{}", self.name),
            _ => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    pub returns: Option<String>,
}

/// The characters of `text` outside string quotes, each with its byte index and the bracket
/// depth after it: an opening bracket counts itself, a closing one does not.
fn unquoted(text: &str) -> impl Iterator<Item = (usize, char, i32)> + '_ {
    let (mut depth, mut quote, mut escaped) = (0i32, None::<char>, false);
    text.char_indices().filter_map(move |(index, c)| {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            return None;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        Some((index, c, depth))
    })
}

/// Splits `text` at `separator` where it is outside brackets and string quotes.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (index, c, depth) in unquoted(text) {
        if c == separator && depth == 0 {
            parts.push(&text[start..index]);
            start = index + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Where the bracket opened at the start of `text` closes, quotes respected.
fn closing_paren(text: &str) -> Option<usize> {
    unquoted(text)
        .find(|&(_, c, depth)| matches!(c, ')' | ']' | '}') && depth == 0)
        .map(|(index, _, _)| index)
}

/// Reads a signature; `None` when it is not one `inspect` would print.
pub fn parse(text: &str) -> Option<Signature> {
    let text = text.trim();
    if !text.starts_with('(') {
        return None;
    }
    let close = closing_paren(text)?;
    let inside = &text[1..close];
    let rest = text[close + 1..].trim();
    let returns = match rest.strip_prefix("->") {
        Some(annotation) => Some(annotation.trim().to_owned()),
        None if rest.is_empty() => None,
        None => return None,
    };
    let mut params = Vec::new();
    let mut kind = ParamKind::Positional;
    for part in split_top_level(inside, ',') {
        let part = part.trim();
        match part {
            "" if inside.trim().is_empty() => break,
            "" => return None,
            "/" => {
                for param in &mut params {
                    let param: &mut Param = param;
                    if param.kind == ParamKind::Positional {
                        param.kind = ParamKind::PositionalOnly;
                    }
                }
                continue;
            }
            "*" => {
                kind = ParamKind::KeywordOnly;
                continue;
            }
            _ => {}
        }
        let (head, default) = match split_top_level(part, '=').as_slice() {
            [head] => (*head, None),
            [head, rest @ ..] => (*head, Some(rest.join("=").trim().to_owned())),
            [] => return None,
        };
        let (name, annotation) = match split_top_level(head, ':').as_slice() {
            [name] => (*name, None),
            [name, rest @ ..] => (*name, Some(rest.join(":").trim().to_owned())),
            [] => return None,
        };
        let name = name.trim();
        let (name, this_kind) = if let Some(name) = name.strip_prefix("**") {
            (name, ParamKind::VarKeyword)
        } else if let Some(name) = name.strip_prefix('*') {
            kind = ParamKind::KeywordOnly;
            (name, ParamKind::VarPositional)
        } else {
            (name, kind)
        };
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        params.push(Param {
            name: name.to_owned(),
            kind: this_kind,
            annotation,
            default,
        });
    }
    Some(Signature { params, returns })
}

/// One classified difference between two signatures: the rule and its detail.
pub type Change = (&'static Rule, String);

/// How `new` differs from `old` for a caller.
pub fn compare(old: &Signature, new: &Signature) -> Vec<Change> {
    let mut changes = Vec::new();
    let positions = |signature: &Signature| -> Vec<String> {
        signature
            .params
            .iter()
            .filter(|p| p.kind.takes_position())
            .map(|p| p.name.clone())
            .collect()
    };
    let (old_positions, new_positions) = (positions(old), positions(new));
    let find = |signature: &Signature, name: &str| -> Option<Param> {
        signature.params.iter().find(|p| p.name == name).cloned()
    };
    let mut renamed_to = Vec::new();
    for param in &old.params {
        let Some(now) = find(new, &param.name) else {
            // Same position, a name the old signature did not have: a rename.
            let position = old_positions.iter().position(|name| *name == param.name);
            let replacement = position
                .and_then(|index| new_positions.get(index))
                .filter(|name| find(old, name).is_none());
            match replacement {
                Some(name) => {
                    renamed_to.push(name.clone());
                    changes.push((
                        rules::PARAMETER_RENAMED,
                        format!("`{}` was renamed to `{name}`", param.name),
                    ));
                }
                None => changes.push((rules::PARAMETER_REMOVED, param.shown())),
            }
            continue;
        };
        compare_param(param, &now, &mut changes);
        let (before, after) = (
            old_positions.iter().position(|name| *name == param.name),
            new_positions.iter().position(|name| *name == param.name),
        );
        if let (Some(before), Some(after)) = (before, after)
            && before != after
        {
            changes.push((rules::PARAMETER_MOVED, param.name.clone()));
        }
    }
    for param in &new.params {
        if find(old, &param.name).is_some() || renamed_to.contains(&param.name) {
            continue;
        }
        let rule = match (param.kind, &param.default) {
            (ParamKind::VarPositional | ParamKind::VarKeyword, _) => {
                rules::PARAMETER_ADDED_VARIADIC
            }
            (_, Some(_)) => rules::PARAMETER_ADDED_DEFAULTED,
            (_, None) => rules::PARAMETER_ADDED_REQUIRED,
        };
        changes.push((rule, param.shown()));
    }
    match (old.returns.as_deref(), new.returns.as_deref()) {
        // A type the result no longer has: callers that use it as the old type can fail.
        (Some(before), Some(after)) if unquoted_type(before) != unquoted_type(after) => {
            changes.push((
                rules::RETURN_TYPE_CHANGED,
                format!(
                    "`{}` now, was `{}`",
                    unquoted_type(after),
                    unquoted_type(before)
                ),
            ));
        }
        // Quoted or not, or an annotation that appeared or went: the type is the same.
        (before, after) if before != after => changes.push((
            rules::ANNOTATION_CHANGED,
            format!(
                "the return value: {} → {}",
                before.unwrap_or("none"),
                after.unwrap_or("none")
            ),
        )),
        _ => {}
    }
    changes
}

/// An annotation without the quotes `from __future__ import annotations` puts around it at
/// runtime (`'str'`), so that it compares with the stub's `str`.
fn unquoted_type(annotation: &str) -> &str {
    for quote in ['\'', '"'] {
        if let Some(inner) = annotation
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
            && !inner.contains(quote)
        {
            return inner;
        }
    }
    annotation
}

fn compare_param(old: &Param, new: &Param, changes: &mut Vec<Change>) {
    if old.kind != new.kind {
        // A caller's call keeps working if every way it could pass the argument still works.
        let narrowed = (old.kind.takes_position() && !new.kind.takes_position())
            || (old.kind.takes_keyword() && !new.kind.takes_keyword())
            || matches!(old.kind, ParamKind::VarPositional | ParamKind::VarKeyword);
        let rule = if narrowed {
            rules::PARAMETER_KIND_NARROWED
        } else {
            rules::PARAMETER_KIND_WIDENED
        };
        changes.push((
            rule,
            format!(
                "`{}` was {}, is {} now",
                old.name,
                old.kind.described(),
                new.kind.described()
            ),
        ));
    }
    match (&old.default, &new.default) {
        (Some(_), None) => changes.push((rules::PARAMETER_MADE_REQUIRED, old.name.clone())),
        (None, Some(_)) => changes.push((rules::PARAMETER_MADE_OPTIONAL, old.name.clone())),
        (Some(before), Some(after)) if before != after => changes.push((
            rules::PARAMETER_DEFAULT_CHANGED,
            format!("`{}` changed: {before} → {after}", old.name),
        )),
        _ => {}
    }
    if old.annotation != new.annotation {
        changes.push((
            rules::ANNOTATION_CHANGED,
            format!(
                "`{}`: {} → {}",
                old.name,
                old.annotation.as_deref().unwrap_or("none"),
                new.annotation.as_deref().unwrap_or("none")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(old: &str, new: &str) -> Vec<(&'static str, String)> {
        compare(&parse(old).unwrap(), &parse(new).unwrap())
            .into_iter()
            .map(|(rule, detail)| (rule.id, detail))
            .collect()
    }

    #[test]
    fn reads_what_inspect_prints() {
        let signature = parse(
            "(self, /, text: 'str', n=1, *args, sep: 'dict[str, int]' = {'a': 1}, **kw) -> 'str'",
        )
        .unwrap();
        let kinds: Vec<(&str, ParamKind)> = signature
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("self", ParamKind::PositionalOnly),
                ("text", ParamKind::Positional),
                ("n", ParamKind::Positional),
                ("args", ParamKind::VarPositional),
                ("sep", ParamKind::KeywordOnly),
                ("kw", ParamKind::VarKeyword),
            ]
        );
        assert_eq!(signature.params[1].annotation.as_deref(), Some("'str'"));
        assert_eq!(signature.params[2].default.as_deref(), Some("1"));
        assert_eq!(
            signature.params[4].annotation.as_deref(),
            Some("'dict[str, int]'")
        );
        assert_eq!(signature.params[4].default.as_deref(), Some("{'a': 1}"));
        assert_eq!(signature.returns.as_deref(), Some("'str'"));
        assert_eq!(parse("()").unwrap().params, []);
        assert_eq!(parse("not a signature"), None);
        assert_eq!(parse("(a, , b)"), None);
        // Brackets, separators and escaped quotes inside a quoted default are text.
        let quoted = parse(r#"(a=')', b="x\",(y", c=1) -> 'str'"#).unwrap();
        let defaults: Vec<Option<&str>> =
            quoted.params.iter().map(|p| p.default.as_deref()).collect();
        assert_eq!(defaults, [Some("')'"), Some(r#""x\",(y""#), Some("1")]);
        assert_eq!(quoted.returns.as_deref(), Some("'str'"));
    }

    #[test]
    fn additions_with_defaults_are_compatible_and_removals_breaking() {
        assert_eq!(
            ids("(name)", "(name, loud=False)"),
            [("parameter-added-defaulted", "loud".to_owned())]
        );
        assert_eq!(
            ids("(name)", "(name, loud)"),
            [("parameter-added-required", "loud".to_owned())]
        );
        assert_eq!(
            ids("(name, *, loud=False)", "(name)"),
            [("parameter-removed", "loud".to_owned())]
        );
        assert_eq!(
            ids("(name)", "(name, **options)"),
            [("parameter-added-variadic", "**options".to_owned())]
        );
    }

    #[test]
    fn renames_moves_and_defaults() {
        assert_eq!(
            ids("(text, n)", "(body, n)"),
            [(
                "parameter-renamed",
                "`text` was renamed to `body`".to_owned()
            )]
        );
        assert_eq!(
            ids("(a, b)", "(b, a)"),
            [
                ("parameter-moved", "a".to_owned()),
                ("parameter-moved", "b".to_owned())
            ]
        );
        assert_eq!(
            ids("(a, b=1)", "(a, b)"),
            [("parameter-made-required", "b".to_owned())]
        );
        assert_eq!(
            ids("(a, b)", "(a, b=1)"),
            [("parameter-made-optional", "b".to_owned())]
        );
        assert_eq!(
            ids("(a, b=1)", "(a, b=2)"),
            [("parameter-default-changed", "`b` changed: 1 → 2".to_owned())]
        );
        // A new defaulted parameter in the middle moves the ones after it.
        assert_eq!(
            ids("(a, b)", "(a, x=0, b)")
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>(),
            ["parameter-moved", "parameter-added-defaulted"]
        );
    }

    #[test]
    fn kinds_narrow_or_widen() {
        assert_eq!(
            ids("(a, b)", "(a, *, b)"),
            [(
                "parameter-kind-narrowed",
                "`b` was positional-or-keyword, is keyword-only now".to_owned()
            )]
        );
        assert_eq!(
            ids("(a, /)", "(a)"),
            [(
                "parameter-kind-widened",
                "`a` was positional-only, is positional-or-keyword now".to_owned()
            )]
        );
    }

    #[test]
    fn parameter_annotations_are_compatible_and_return_types_breaking() {
        assert_eq!(
            ids("(a: 'int') -> 'str'", "(a: 'float') -> 'bytes'"),
            [
                ("annotation-changed", "`a`: 'int' → 'float'".to_owned()),
                ("return-type-changed", "`bytes` now, was `str`".to_owned())
            ]
        );
        // The same type, quoted or not; a return annotation that appeared.
        assert_eq!(
            ids("(a) -> 'str'", "(a) -> str"),
            [(
                "annotation-changed",
                "the return value: 'str' → str".to_owned()
            )]
        );
        assert_eq!(
            ids("(a)", "(a) -> float"),
            [(
                "annotation-changed",
                "the return value: none → float".to_owned()
            )]
        );
        assert_eq!(ids("(a)", "(a)"), []);
    }
}

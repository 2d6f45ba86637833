//! Calls that a signature accepted and another refuses: the witnesses of the breaking
//! signature rules. A call is built from the old signature (required parameters passed as
//! placeholders named after them, the one at issue passed the way that breaks), shown as a
//! caller writes it, and checked by binding it to the new signature with `inspect`, which
//! refuses it with the same TypeError a call would raise, without running anything.

use super::rules::{self, Rule};
use super::signature::{Param, ParamKind, Signature};

/// How the parameter at issue is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Left out, like every parameter with a default.
    Omitted,
    Position,
    Keyword,
    /// One more positional argument, for a removed `*args`.
    ExtraPosition,
    /// One more keyword argument, for a removed `**kwargs`.
    ExtraKeyword,
}

/// A call of a function, a class or a method, as a caller writes it and as the probe checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `scale(x, factor=2)`.
    pub arguments: String,
    /// The placeholders it uses (`x`), each bound to `...` in the check.
    pub placeholders: Vec<String>,
}

/// A default that can be passed as it is written: a number, a string, `True`, `False`, `None`.
fn literal(default: &str) -> bool {
    let quoted = |q: char| default.len() >= 2 && default.starts_with(q) && default.ends_with(q);
    matches!(default, "True" | "False" | "None")
        || quoted('\'')
        || quoted('"')
        || default.parse::<f64>().is_ok()
}

/// The parameters a caller passes: `self` (the instance the call is made on) left out.
fn callers_params(signature: &Signature) -> Vec<&Param> {
    signature
        .params
        .iter()
        .enumerate()
        .filter(|(index, param)| !(*index == 0 && param.name == "self"))
        .map(|(_, param)| param)
        .collect()
}

/// The arguments of a call to `signature` that passes the required parameters and `at` the
/// way `pass` says (`None` when `at` cannot be passed that way).
pub fn call(signature: &Signature, at: &str, pass: Pass) -> Option<Call> {
    let params = callers_params(signature);
    let mut positional: Vec<String> = Vec::new();
    let mut keywords: Vec<String> = Vec::new();
    let mut placeholders: Vec<String> = Vec::new();
    let value = |param: &Param, placeholders: &mut Vec<String>| -> String {
        match &param.default {
            Some(default) if literal(default) => default.clone(),
            _ => {
                placeholders.push(param.name.clone());
                param.name.clone()
            }
        }
    };
    // Passing `at` by position passes every positional parameter before it by position too.
    let by_position_upto = match pass {
        Pass::Position => params.iter().position(|p| p.name == at),
        _ => None,
    };
    for (index, param) in params.iter().enumerate() {
        let required = param.default.is_none()
            && !matches!(param.kind, ParamKind::VarPositional | ParamKind::VarKeyword);
        let this = param.name == at;
        if this && pass == Pass::Omitted {
            continue;
        }
        match param.kind {
            ParamKind::PositionalOnly | ParamKind::Positional
                if required || by_position_upto.is_some_and(|upto| index <= upto) =>
            {
                if this && pass == Pass::Keyword && param.kind == ParamKind::Positional {
                    keywords.push(format!(
                        "{}={}",
                        param.name,
                        value(param, &mut placeholders)
                    ));
                } else {
                    positional.push(value(param, &mut placeholders));
                }
            }
            ParamKind::Positional | ParamKind::KeywordOnly | ParamKind::PositionalOnly if this => {
                match pass {
                    Pass::Keyword => {
                        keywords.push(format!(
                            "{}={}",
                            param.name,
                            value(param, &mut placeholders)
                        ));
                    }
                    _ => return None,
                }
            }
            ParamKind::KeywordOnly if required => {
                keywords.push(format!(
                    "{}={}",
                    param.name,
                    value(param, &mut placeholders)
                ));
            }
            _ => {}
        }
    }
    match pass {
        Pass::ExtraPosition => positional.push("extra".to_owned()),
        Pass::ExtraKeyword => keywords.push("extra=...".to_owned()),
        _ => {}
    }
    if pass == Pass::ExtraPosition {
        placeholders.push("extra".to_owned());
    }
    let arguments = positional
        .into_iter()
        .chain(keywords)
        .collect::<Vec<_>>()
        .join(", ");
    Some(Call {
        arguments,
        placeholders,
    })
}

/// The call that shows a breaking change of `old` into `new` (the rule and the detail
/// [`super::signature::compare`] gave), when one does: it binds to `old` and not to `new`.
pub fn breaking_call(old: &Signature, new: &Signature, rule: &Rule, detail: &str) -> Option<Call> {
    let named = |name: &str| old.params.iter().find(|p| p.name == name);
    let takes_keyword =
        |param: &Param| matches!(param.kind, ParamKind::Positional | ParamKind::KeywordOnly);
    if rule == rules::PARAMETER_REMOVED {
        if let Some(name) = detail.strip_prefix("**") {
            return named(name).and_then(|_| call(old, name, Pass::ExtraKeyword));
        }
        if let Some(name) = detail.strip_prefix('*') {
            return named(name).and_then(|_| call(old, name, Pass::ExtraPosition));
        }
        let param = named(detail)?;
        let pass = if takes_keyword(param) {
            Pass::Keyword
        } else {
            Pass::Position
        };
        return call(old, detail, pass);
    }
    if rule == rules::PARAMETER_RENAMED {
        // "`text` was renamed to `body`"
        let name = detail.strip_prefix('`')?.split('`').next()?;
        return named(name)
            .filter(|p| takes_keyword(p))
            .and_then(|_| call(old, name, Pass::Keyword));
    }
    if rule == rules::PARAMETER_ADDED_REQUIRED || rule == rules::PARAMETER_MADE_REQUIRED {
        return call(old, detail, Pass::Omitted);
    }
    if rule == rules::PARAMETER_KIND_NARROWED {
        // "`b` was positional-or-keyword, is keyword-only now"
        let name = detail.strip_prefix('`')?.split('`').next()?;
        let (before, after) = (named(name)?, new.params.iter().find(|p| p.name == name)?);
        let positional =
            |kind: ParamKind| matches!(kind, ParamKind::PositionalOnly | ParamKind::Positional);
        if positional(before.kind) && !positional(after.kind) {
            return call(old, name, Pass::Position);
        }
        if takes_keyword(before) && !takes_keyword(after) {
            return call(old, name, Pass::Keyword);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::signature::{compare, parse};

    fn shown(old: &str, new: &str) -> Vec<String> {
        let (old, new) = (parse(old).unwrap(), parse(new).unwrap());
        compare(&old, &new)
            .iter()
            .filter(|(rule, _)| rule.impact == rules::Impact::Breaking)
            .filter_map(|(rule, detail)| breaking_call(&old, &new, rule, detail))
            .map(|call| call.arguments)
            .collect()
    }

    #[test]
    fn each_breaking_change_has_a_call_that_bound_before() {
        assert_eq!(shown("(x, factor=2)", "(x)"), ["x, factor=2"]);
        assert_eq!(shown("(x, factor=2, /)", "(x, /)"), ["x, 2"]);
        assert_eq!(shown("(text, n=1)", "(body, n=1)"), ["text=text"]);
        assert_eq!(shown("(x)", "(x, y)"), ["x"]);
        assert_eq!(shown("(x, y=1)", "(x, y)"), ["x"]);
        assert_eq!(shown("(a, b)", "(a, *, b)"), ["a, b"]);
        assert_eq!(shown("(a, *, b: 'str')", "(a, /, b)"), ["a=a, b=b"]);
        assert_eq!(shown("(a, b=1)", "(a, /, b=1)"), ["a=a"]);
        assert_eq!(
            shown("(self, /, name, loud=False)", "(self, /, name)"),
            ["name, loud=False"]
        );
        assert_eq!(shown("(a, *args)", "(a)"), ["a, extra"]);
        assert_eq!(shown("(a, **kw)", "(a)"), ["a, extra=..."]);
        // Keyword-only required parameters are passed by keyword.
        assert_eq!(
            shown("(*, key, flag=True)", "(*, key)"),
            ["key=key, flag=True"]
        );
    }
}

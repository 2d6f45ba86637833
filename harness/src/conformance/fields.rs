//! A section body of the behaviour text as a tree of fields.
//!
//! The text's grammar is small: a line `key: value` (or a line without `: `, such as
//! `passed tests.test_x::test_y`), and the lines indented under it are its children; a value
//! of `|` opens a block of text (a docstring of several lines) that holds everything indented
//! under it. `member NAME:` is a field with an empty value whose children are the member's.

/// One line of a section body and what is indented under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: String,
    /// The text after `key: `; for a `|` block, its lines joined with `\n`.
    pub value: String,
    pub children: Vec<Field>,
}

impl Field {
    /// The value of the first child called `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        get(&self.children, key)
    }

    /// The field and everything under it, as it was written (for a detail or a diff).
    pub fn text(&self) -> String {
        let mut out = String::new();
        write(&mut out, self, 0);
        out
    }
}

/// The value of the first field called `key` in `fields`.
pub fn get<'a>(fields: &'a [Field], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|field| field.key == key)
        .map(|field| field.value.as_str())
}

/// The first field called `key`.
pub fn find<'a>(fields: &'a [Field], key: &str) -> Option<&'a Field> {
    fields.iter().find(|field| field.key == key)
}

pub fn parse(body: &str) -> Vec<Field> {
    let lines: Vec<&str> = body.lines().collect();
    let mut position = 0;
    parse_level(&lines, &mut position, 0)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn parse_level(lines: &[&str], position: &mut usize, indent: usize) -> Vec<Field> {
    let mut fields = Vec::new();
    while let Some(line) = lines.get(*position) {
        if line.trim().is_empty() {
            *position += 1;
            continue;
        }
        if indent_of(line) < indent {
            break;
        }
        let content = line.trim_start();
        let (key, value) = match content.split_once(": ") {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => match content.strip_suffix(':') {
                Some(key) => (key.to_owned(), String::new()),
                None => (content.to_owned(), String::new()),
            },
        };
        *position += 1;
        let own_indent = indent_of(line);
        if value == "|" {
            fields.push(Field {
                key,
                value: block(lines, position, own_indent),
                children: Vec::new(),
            });
        } else {
            let children = parse_level(lines, position, own_indent + 1);
            fields.push(Field {
                key,
                value,
                children,
            });
        }
    }
    fields
}

/// The lines of a `|` block: everything indented deeper than its key, blank lines included.
fn block(lines: &[&str], position: &mut usize, key_indent: usize) -> String {
    let mut text = Vec::new();
    while let Some(line) = lines.get(*position) {
        if !line.trim().is_empty() && indent_of(line) <= key_indent {
            break;
        }
        text.push(line.get(key_indent + 2..).unwrap_or("").trim_end());
        *position += 1;
    }
    while text.last() == Some(&"") {
        text.pop();
    }
    text.join("\n")
}

fn write(out: &mut String, field: &Field, indent: usize) {
    let pad = " ".repeat(indent);
    if field.value.contains('\n') {
        out.push_str(&format!("{pad}{}: |\n", field.key));
        for line in field.value.lines() {
            out.push_str(&format!("{pad}  {line}\n"));
        }
    } else if field.value.is_empty() {
        out.push_str(&format!("{pad}{}\n", field.key));
    } else {
        out.push_str(&format!("{pad}{}: {}\n", field.key, field.value));
    }
    for child in &field.children {
        write(out, child, indent + 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_blocks_and_members() {
        let body = "kind: class\nqualname: m.Message\ndoc: |\n  A message.\n\n  Second: part.\n\
                    member greet:\n  kind: function\n  signature: (name)\n  doc: |\n    Greets.\n\
                    member text:\n  kind: property\n";
        let fields = parse(body);
        assert_eq!(get(&fields, "kind"), Some("class"));
        assert_eq!(get(&fields, "doc"), Some("A message.\n\nSecond: part."));
        let greet = find(&fields, "member greet").unwrap();
        assert_eq!(greet.get("signature"), Some("(name)"));
        assert_eq!(greet.get("doc"), Some("Greets."));
        assert_eq!(
            find(&fields, "member text").unwrap().get("kind"),
            Some("property")
        );
        assert_eq!(fields.len(), 5);
    }

    #[test]
    fn exception_chains_and_test_lines_nest() {
        let body = "raised: builtins.ValueError\n  mro: a > b\n  message: x\n  cause: builtins.KeyError\n    message: 'k'\n";
        let fields = parse(body);
        let raised = find(&fields, "raised").unwrap();
        assert_eq!(raised.value, "builtins.ValueError");
        assert_eq!(
            find(&raised.children, "cause").unwrap().get("message"),
            Some("'k'")
        );
        assert_eq!(raised.text(), body);

        let tests = parse("passed tests.t::a\nfailed tests.t::b\n  message: assert 1 == 2\n");
        assert_eq!(tests[1].key, "failed tests.t::b");
        assert_eq!(tests[1].get("message"), Some("assert 1 == 2"));
    }
}

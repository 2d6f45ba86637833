//! The template's questions (the `[placeholders]` of its `cargo-generate.toml`) and the answers a
//! render gives them, checked before cargo-generate runs.
//!
//! cargo-generate checks `--define` answers itself, but only after it has created the project
//! folder, with messages that do not name the question ("provided string was not `true` or
//! `false`"), and it ignores an answer to a question the template does not ask (a typo such as
//! `abi=false` silently renders the default). Checking here, against the template's own
//! declarations, refuses every such answer before anything is written and says which answer is
//! wrong and what it may be. The project name is the one answer checked by the template itself
//! (its init hook), also before anything is written.

use std::path::Path;

use regex::Regex;

use crate::base::error::{Error, Result, or_list};

/// The question the harness answers from its STYLE argument.
const STYLE: &str = "style";

/// Names cargo-generate fills in itself; a render gets the project name from DEST.
const NAME_VARIABLES: &[&str] = &["project-name", "project_name", "crate_name", "name"];

/// What kind of value a question takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `true` or `false` (cargo-generate accepts any letter case).
    Bool,
    /// Any text, or one of `choices` when the template lists them.
    Text { choices: Option<Vec<String>> },
}

/// One `[placeholders.NAME]` table.
#[derive(Debug, Clone)]
pub struct Question {
    pub name: String,
    pub kind: Kind,
    /// A `regex` the answer must match in full.
    pub regex: Option<Regex>,
    /// The answer given when none is (`true`, `greet`), as text.
    pub default: Option<String>,
    /// What cargo-generate asks: it says which answers fit, in words, where a `regex` does not.
    pub prompt: Option<String>,
}

/// Every question of a template.
#[derive(Debug, Clone)]
pub struct Questions {
    pub questions: Vec<Question>,
}

impl Questions {
    /// Reads `template_dir/cargo-generate.toml`.
    pub fn read(template_dir: &Path) -> Result<Questions> {
        let file = template_dir.join("cargo-generate.toml");
        let text = fs_err::read_to_string(&file)?;
        Questions::parse(&text).map_err(|message| Error::TemplateConfig {
            path: file,
            message,
        })
    }

    /// Parses the text of a `cargo-generate.toml`.
    pub fn parse(text: &str) -> Result<Questions, String> {
        let document: toml::Table = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut questions = Vec::new();
        let placeholders = match document.get("placeholders") {
            None => None,
            Some(toml::Value::Table(table)) => Some(table),
            Some(_) => return Err("[placeholders] is not a table".into()),
        };
        for (name, table) in placeholders.into_iter().flatten() {
            let field = |key: &str| table.get(key);
            let kind = match field("type").and_then(toml::Value::as_str) {
                Some("bool") => Kind::Bool,
                _ => Kind::Text {
                    choices: field("choices")
                        .and_then(toml::Value::as_array)
                        .map(|choices| {
                            choices
                                .iter()
                                .filter_map(toml::Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        }),
                },
            };
            let regex = match field("regex").and_then(toml::Value::as_str) {
                Some(pattern) => Some(
                    // cargo-generate matches anywhere in the answer unless the pattern anchors
                    // itself; so does this.
                    Regex::new(pattern)
                        .map_err(|error| format!("placeholder `{name}`: bad regex: {error}"))?,
                ),
                None => None,
            };
            let default = field("default").map(|value| match value {
                toml::Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            let prompt = field("prompt")
                .and_then(toml::Value::as_str)
                .map(str::to_owned);
            questions.push(Question {
                name: name.clone(),
                kind,
                regex,
                default,
                prompt,
            });
        }
        Ok(Questions { questions })
    }

    /// The questions of the template built into the binary.
    pub fn embedded() -> Result<Questions, String> {
        let (_, bytes, _) = crate::template::embedded::files()
            .iter()
            .find(|(path, _, _)| *path == "cargo-generate.toml")
            .ok_or("the built-in template has no cargo-generate.toml")?;
        Questions::parse(&String::from_utf8_lossy(bytes))
    }

    /// What `new --help` says about the answers: every question, with the values it takes and
    /// its default, then what it asks. `style` is the `--style` option.
    pub fn help(&self) -> String {
        let mut out = String::from(
            "Answers (-d KEY=VALUE, repeatable; the template's questions, from its \
             cargo-generate.toml):\n",
        );
        let width = self
            .questions
            .iter()
            .map(|question| question.name.len())
            .max()
            .unwrap_or(0);
        for question in &self.questions {
            let values = match &question.kind {
                Kind::Bool => "true or false".to_owned(),
                Kind::Text {
                    choices: Some(choices),
                } => choices.join(" or "),
                Kind::Text { choices: None } => match &question.regex {
                    Some(regex) => format!("text matching `{}`", regex.as_str()),
                    None => "text".to_owned(),
                },
            };
            let default = question
                .default
                .as_ref()
                .map(|default| format!(" (default: {default})"))
                .unwrap_or_default();
            let given = if question.name == STYLE {
                " (given as --style)"
            } else {
                ""
            };
            out.push_str(&format!(
                "  {:width$}  {values}{default}{given}\n",
                question.name
            ));
            if let Some(prompt) = &question.prompt {
                out.push_str(&format!("  {:width$}  {prompt}\n", ""));
            }
        }
        out
    }

    fn get(&self, name: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.name == name)
    }

    /// The names of the questions a `-d KEY=VALUE` may answer, sorted.
    pub fn answerable(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .questions
            .iter()
            .map(|question| question.name.as_str())
            .filter(|name| *name != STYLE)
            .collect();
        names.sort_unstable();
        names
    }

    /// Checks `-d KEY=VALUE` answers; the error names the answer, what is wrong with it, and
    /// what it may be.
    pub fn check(&self, defines: &[(String, String)]) -> Result<(), String> {
        for (index, (key, value)) in defines.iter().enumerate() {
            // Control characters escaped, so that the message stays on one line.
            let shown: String = if value.chars().any(char::is_control) {
                value.escape_debug().collect()
            } else {
                value.clone()
            };
            let given = format!("-d {key}={shown}");
            if value.contains(['\n', '\r']) {
                // cargo-generate cannot take one either ("Failed to parse value").
                return Err(format!(
                    "{given}: an answer is one line; leave out the line breaks"
                ));
            }
            if let Some((_, earlier)) = defines[..index].iter().find(|(other, _)| other == key) {
                return Err(format!(
                    "{given}: `{key}` is answered twice (`{earlier}`, then `{value}`); give it once"
                ));
            }
            if key == STYLE {
                let styles = match self.get(STYLE).map(|question| &question.kind) {
                    Some(Kind::Text {
                        choices: Some(choices),
                    }) => {
                        let choices: Vec<&str> = choices.iter().map(String::as_str).collect();
                        format!(" ({})", or_list(&choices, "or"))
                    }
                    _ => String::new(),
                };
                return Err(format!(
                    "{given}: the style is the STYLE argument{styles}, not a -d answer"
                ));
            }
            if NAME_VARIABLES.contains(&key.as_str()) {
                return Err(format!(
                    "{given}: the project name is DEST's last folder name; name DEST instead"
                ));
            }
            let Some(question) = self.get(key) else {
                let answerable = self.answerable();
                let guess = closest(key, &answerable)
                    .map(|name| format!(" (did you mean `{name}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "{given}: the template asks no question `{key}`{guess}; it asks {}",
                    list(&answerable)
                ));
            };
            match &question.kind {
                Kind::Bool => {
                    if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") {
                        return Err(format!("{given}: `{key}` is `true` or `false`"));
                    }
                }
                Kind::Text {
                    choices: Some(choices),
                } => {
                    if !choices.contains(value) {
                        let choices: Vec<&str> = choices.iter().map(String::as_str).collect();
                        return Err(format!("{given}: `{key}` is one of {}", list(&choices)));
                    }
                }
                Kind::Text { choices: None } => {}
            }
            if let Some(regex) = &question.regex
                && !regex.is_match(value)
            {
                // The question's own words say what fits better than its pattern does.
                return Err(match &question.prompt {
                    Some(prompt) => format!("{given}: that is not an answer to `{key}`: {prompt}"),
                    None => format!("{given}: `{key}` must match `{}`", regex.as_str()),
                });
            }
        }
        Ok(())
    }
}

/// `a, b and c`, each in backticks.
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The name in `names` a mistyped `key` most likely meant: one that starts with it, or is at
/// most two edits away.
fn closest<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let key = key.to_ascii_lowercase().replace('-', "_");
    names
        .iter()
        .map(|name| (strsim::levenshtein(&key, name), *name))
        .filter(|(distance, name)| *distance <= 2 || name.starts_with(&key))
        .min()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
        [template]
        cargo_generate_version = ">=0.23.0"
        [placeholders.style]
        type = "string"
        choices = ["greet", "text-processor"]
        default = "greet"
        [placeholders.description]
        type = "string"
        [placeholders.abi3]
        type = "bool"
        default = true
        [placeholders.ci]
        type = "bool"
        [placeholders.tag]
        type = "string"
        regex = "^v[0-9]+$"
        [placeholders.release]
        type = "string"
        prompt = "A release tag: v and a number, like v2"
        regex = "^v[0-9]+$"
    "#;

    fn check(defines: &[(&str, &str)]) -> Result<(), String> {
        let defines: Vec<(String, String)> = defines
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        Questions::parse(TOML).unwrap().check(&defines)
    }

    #[test]
    fn the_help_lists_every_question_with_its_values_and_default() {
        let help = Questions::parse(TOML).unwrap().help();
        assert_eq!(
            help,
            "Answers (-d KEY=VALUE, repeatable; the template's questions, from its \
             cargo-generate.toml):\n\
             \x20 style        greet or text-processor (default: greet) (given as --style)\n\
             \x20 description  text\n\
             \x20 abi3         true or false (default: true)\n\
             \x20 ci           true or false\n\
             \x20 tag          text matching `^v[0-9]+$`\n\
             \x20 release      text matching `^v[0-9]+$`\n\
             \x20              A release tag: v and a number, like v2\n"
        );
        // The built-in template's: every placeholder its file declares, with its default.
        let embedded = Questions::embedded().unwrap();
        let text = std::str::from_utf8(
            crate::template::embedded::files()
                .iter()
                .find(|(path, _, _)| *path == "cargo-generate.toml")
                .unwrap()
                .1,
        )
        .unwrap();
        let document: toml::Table = toml::from_str(text).unwrap();
        let help = embedded.help();
        for (name, table) in document["placeholders"].as_table().unwrap() {
            assert!(
                help.contains(&format!("\n  {name} ")),
                "{name} missing:\n{help}"
            );
            if let Some(default) = table.get("default") {
                let shown = default
                    .as_str()
                    .map_or_else(|| default.to_string(), str::to_owned);
                assert!(
                    help.contains(&format!("(default: {shown})")),
                    "{name}'s default missing:\n{help}"
                );
            }
        }
    }

    #[test]
    fn good_answers_pass() {
        assert_eq!(
            check(&[
                ("abi3", "false"),
                ("ci", "TRUE"),
                ("description", "a = b \"c\""),
                ("tag", "v2")
            ]),
            Ok(())
        );
    }

    #[test]
    fn each_bad_answer_is_named_with_what_it_may_be() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("abi3", "maybe")],
                "-d abi3=maybe: `abi3` is `true` or `false`",
            ),
            (&[("ci", "")], "-d ci=: `ci` is `true` or `false`"),
            (
                &[("style", "fancy")],
                "-d style=fancy: the style is the STYLE argument (greet or text-processor), not a -d answer",
            ),
            (
                &[("abi", "false")],
                "-d abi=false: the template asks no question `abi` (did you mean `abi3`?); it asks `abi3`, `ci`, `description`, `release` and `tag`",
            ),
            (
                &[("colour", "red")],
                "-d colour=red: the template asks no question `colour`; it asks `abi3`, `ci`, `description`, `release` and `tag`",
            ),
            (
                &[("abi3", "true"), ("abi3", "false")],
                "-d abi3=false: `abi3` is answered twice (`true`, then `false`); give it once",
            ),
            (
                &[("project-name", "x")],
                "-d project-name=x: the project name is DEST's last folder name; name DEST instead",
            ),
            (&[("tag", "2")], "-d tag=2: `tag` must match `^v[0-9]+$`"),
            (
                &[("release", "2")],
                "-d release=2: that is not an answer to `release`: A release tag: v and a number, \
                 like v2",
            ),
            (
                &[("description", "a\nb")],
                "-d description=a\\nb: an answer is one line; leave out the line breaks",
            ),
        ];
        for (defines, expected) in cases {
            assert_eq!(check(defines).unwrap_err(), *expected, "{defines:?}");
        }
    }

    #[test]
    fn choices_are_listed() {
        let toml = "[placeholders.colour]\ntype = \"string\"\nchoices = [\"red\", \"blue\"]\n";
        let questions = Questions::parse(toml).unwrap();
        assert_eq!(
            questions.check(&[("colour".into(), "green".into())]),
            Err("-d colour=green: `colour` is one of `red` and `blue`".into())
        );
    }

    #[test]
    fn the_repository_template_declares_its_questions() {
        let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        let questions = Questions::read(&template).unwrap();
        assert_eq!(
            questions.answerable(),
            [
                "abi3",
                "author",
                "ci",
                "description",
                "license",
                "repository",
                "workshop"
            ]
        );
        assert_eq!(questions.get("abi3").unwrap().kind, Kind::Bool);
    }
}

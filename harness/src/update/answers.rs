//! The answers each side of an update renders with: the old template gets the answers the
//! project recorded; the new one gets them too, with the `-d` answers given to `update` in their
//! place (copier's re-answering), and an answer for every question the new template added: the
//! one `new` would give it. That is the template's default, unless the command finds the
//! answer in the user's environment ([`crate::template::filled`]: the author, from git). Where
//! the environment has no answer (no git identity in a CI container), the new question takes
//! the template's default with a note, rather than stopping `update --check`; only a `-d`
//! answer left empty on purpose (`-d author=`, "find it") is refused when nothing is found.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::error::Result;
use crate::template::answers::Questions;
use crate::template::filled::{self, Filler};

/// The answer a project keeps for life: an update may not turn a project into a workshop, or a
/// workshop back into a project.
const FIXED: &[&str] = &["workshop"];

/// What each side renders with, and what changed between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// For the old template: the recorded answers.
    pub old: Vec<(String, String)>,
    /// For the new template: the recorded answers it still asks, the `-d` answers in place.
    pub new: Vec<(String, String)>,
    /// Questions the new template asks and the project never answered, with the answers they
    /// took.
    pub new_questions: Vec<NewQuestion>,
    /// Answers given with `-d` that differ from the recorded ones: (question, old, new).
    pub changed: Vec<(String, String, String)>,
    /// Recorded answers to questions the new template no longer asks.
    pub dropped: Vec<String>,
    /// What the user should know about the answers taken: a new question the command could
    /// not answer from the environment, which took the template's default instead.
    pub notes: Vec<String>,
}

/// A question the new template added, and the answer it took.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewQuestion {
    pub question: String,
    pub answer: String,
    pub source: Source,
}

/// Where the answer to a new question came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The template's default.
    Default,
    /// The user's environment, as [`Filler::source`] names it (`git`).
    Found(&'static str),
}

impl Source {
    /// `default`, or where it was found (`git`): the JSON report's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::Found(source) => source,
        }
    }
}

impl std::fmt::Display for Source {
    /// How the list of changes says it: `the template's default`, `from git`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("the template's default"),
            Source::Found(source) => write!(f, "from {source}"),
        }
    }
}

impl serde::Serialize for Source {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An answer as `-d` gives it: booleans as `true`/`false`, text as it is.
fn as_define(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The same answer, whatever letter case a boolean was given in.
fn same(a: &str, b: &str) -> bool {
    a == b
        || (a.eq_ignore_ascii_case(b)
            && matches!(a.to_ascii_lowercase().as_str(), "true" | "false"))
}

/// Works out both sides' answers from the `recorded` ones, the new template (in
/// `new_template`) and the `-d` answers given to `update`; `fillers` are the questions the
/// command answers from the environment ([`filled::FILLERS`]). `Err` holds a usage message.
pub fn resolve(
    recorded: &BTreeMap<String, toml::Value>,
    new_template: &Path,
    defines: &[(String, String)],
    fillers: &[Filler],
) -> Result<std::result::Result<Answers, String>> {
    let questions = Questions::read(new_template)?;
    if let Err(message) = questions.check(defines) {
        return Ok(Err(message));
    }
    // An empty `-d author=` asks git, as it does for `new`.
    let mut defines = defines.to_vec();
    for (key, value) in &mut defines {
        if let Some(filler) = filled::filler(fillers, key).filter(|f| f.leaves_open(value)) {
            match filler.fill() {
                Ok(found) => *value = found.answer,
                Err(message) => return Ok(Err(message)),
            }
        }
    }
    let asked = questions.answerable();
    let default_of = |key: &str| {
        questions
            .questions
            .iter()
            .find(|question| question.name == key)
            .and_then(|question| question.default.clone())
            .unwrap_or_default()
    };
    let recorded: BTreeMap<&str, String> = recorded
        .iter()
        .map(|(key, value)| (key.as_str(), as_define(value)))
        .collect();
    let mut answers = Answers {
        old: recorded
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect(),
        ..Answers::default()
    };
    for (key, value) in &defines {
        let before = recorded.get(key.as_str());
        if FIXED.contains(&key.as_str()) && before.is_none_or(|before| !same(before, value)) {
            return Ok(Err(format!(
                "-d {key}={value}: `{key}` cannot change in an update; start a new project for that"
            )));
        }
        if let Some(before) = before.filter(|before| !same(before, value)) {
            answers
                .changed
                .push((key.clone(), before.clone(), value.clone()));
        }
    }
    for key in &asked {
        let value = match defines.iter().find(|(given, _)| given == key) {
            Some((_, value)) => value.clone(),
            None => match recorded.get(key) {
                Some(value) => value.clone(),
                None => {
                    let found = filled::filler(fillers, key).map(Filler::fill);
                    let (answer, source) = match found {
                        Some(Ok(found)) => (found.answer, Source::Found(found.source)),
                        // Nothing to find it in (a CI container has no git identity): the
                        // default, as for any other new question, so that `--check` and the
                        // update still run; the note says how to give the answer.
                        Some(Err(message)) => {
                            let default = default_of(key);
                            answers.notes.push(format!(
                                "{message}; until then `{key}` takes the template's default \
                                 ({default:?})"
                            ));
                            (default, Source::Default)
                        }
                        None => (default_of(key), Source::Default),
                    };
                    answers.new_questions.push(NewQuestion {
                        question: (*key).to_owned(),
                        answer: answer.clone(),
                        source,
                    });
                    // Given as an answer: the same render whatever the template's default is.
                    if source != Source::Default {
                        answers.new.push(((*key).to_owned(), answer));
                    }
                    continue;
                }
            },
        };
        answers.new.push(((*key).to_owned(), value));
    }
    answers.dropped = recorded
        .keys()
        .filter(|key| !asked.contains(key))
        .map(|key| (*key).to_owned())
        .collect();
    Ok(Ok(answers))
}

/// Only the `answers` that `template_dir`'s template asks (an old template asks fewer).
pub fn asked_by(
    answers: &[(String, String)],
    template_dir: &Path,
) -> Result<Vec<(String, String)>> {
    let questions = Questions::read(template_dir)?;
    let asked = questions.answerable();
    Ok(answers
        .iter()
        .filter(|(key, _)| asked.contains(&key.as_str()))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(extra: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join("cargo-generate.toml"),
            format!(
                "[placeholders.style]\ntype = \"string\"\nchoices = [\"greet\"]\n\
                 [placeholders.abi3]\ntype = \"bool\"\ndefault = true\n\
                 [placeholders.workshop]\ntype = \"bool\"\ndefault = false\n{extra}"
            ),
        )
        .unwrap();
        dir
    }

    fn recorded() -> BTreeMap<String, toml::Value> {
        BTreeMap::from([
            ("abi3".to_owned(), toml::Value::Boolean(true)),
            ("workshop".to_owned(), toml::Value::Boolean(false)),
            ("ci".to_owned(), toml::Value::Boolean(true)),
        ])
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn a_new_question_takes_its_default_and_a_dropped_one_is_named() {
        let dir = template("[placeholders.license]\ntype = \"string\"\ndefault = \"MIT\"\n");
        let answers = resolve(&recorded(), dir.path(), &[], &[]).unwrap().unwrap();
        assert_eq!(
            answers.old,
            pairs(&[("abi3", "true"), ("ci", "true"), ("workshop", "false")])
        );
        assert_eq!(
            answers.new,
            pairs(&[("abi3", "true"), ("workshop", "false")])
        );
        assert_eq!(
            answers.new_questions,
            [NewQuestion {
                question: "license".into(),
                answer: "MIT".into(),
                source: Source::Default,
            }]
        );
        assert_eq!(answers.dropped, ["ci"]);
        assert!(answers.changed.is_empty());
    }

    #[test]
    fn a_define_re_answers_a_question() {
        let dir = template("");
        let defines = pairs(&[("abi3", "False")]);
        let answers = resolve(&recorded(), dir.path(), &defines, &[])
            .unwrap()
            .unwrap();
        assert_eq!(
            answers.new,
            pairs(&[("abi3", "False"), ("workshop", "false")])
        );
        assert_eq!(
            answers.changed,
            [("abi3".to_owned(), "true".to_owned(), "False".to_owned())]
        );
        // The recorded answer again is no change.
        let same = resolve(&recorded(), dir.path(), &pairs(&[("abi3", "TRUE")]), &[])
            .unwrap()
            .unwrap();
        assert!(same.changed.is_empty());
    }

    #[test]
    fn a_project_stays_what_it_is_and_unknown_questions_are_refused() {
        let dir = template("");
        let refused = resolve(
            &recorded(),
            dir.path(),
            &pairs(&[("workshop", "true")]),
            &[],
        )
        .unwrap();
        assert_eq!(
            refused.unwrap_err(),
            "-d workshop=true: `workshop` cannot change in an update; start a new project for that"
        );
        let unknown = resolve(&recorded(), dir.path(), &pairs(&[("abi", "false")]), &[]).unwrap();
        assert!(unknown.unwrap_err().contains("did you mean `abi3`?"));
    }

    const FOUND: &[Filler] = &[Filler {
        question: "author",
        source: "git",
        find: || Ok("Ada <ada@example.com>".into()),
    }];

    const NOT_FOUND: &[Filler] = &[Filler {
        question: "author",
        source: "git",
        find: || Err("cannot tell who the author is".into()),
    }];

    #[test]
    fn a_new_question_the_command_answers_takes_the_answer_new_gives_it() {
        let dir = template(
            "[placeholders.author]\ntype = \"string\"\ndefault = \"\"\n\
             [placeholders.license]\ntype = \"string\"\ndefault = \"MIT\"\n",
        );
        let answers = resolve(&recorded(), dir.path(), &[], FOUND)
            .unwrap()
            .unwrap();
        assert_eq!(
            answers.new_questions,
            [
                NewQuestion {
                    question: "author".into(),
                    answer: "Ada <ada@example.com>".into(),
                    source: Source::Found("git"),
                },
                NewQuestion {
                    question: "license".into(),
                    answer: "MIT".into(),
                    source: Source::Default,
                },
            ]
        );
        // The found answer is given to the render; the default is the template's own.
        assert_eq!(
            answers.new,
            pairs(&[
                ("abi3", "true"),
                ("author", "Ada <ada@example.com>"),
                ("workshop", "false")
            ])
        );
        assert_eq!(Source::Found("git").to_string(), "from git");
        assert_eq!(Source::Default.to_string(), "the template's default");

        // An empty -d answer asks too; a given one is taken as it is.
        let empty = resolve(&recorded(), dir.path(), &pairs(&[("author", "")]), FOUND)
            .unwrap()
            .unwrap();
        assert!(
            empty
                .new
                .contains(&("author".into(), "Ada <ada@example.com>".into()))
        );
        let given = resolve(&recorded(), dir.path(), &pairs(&[("author", "Bo")]), FOUND)
            .unwrap()
            .unwrap();
        assert!(given.new.contains(&("author".into(), "Bo".into())));
        assert!(
            given
                .new_questions
                .iter()
                .all(|new| new.question != "author")
        );

        // Nothing found: the template's default, and a note that says what to do.
        let fallback = resolve(&recorded(), dir.path(), &[], NOT_FOUND)
            .unwrap()
            .unwrap();
        assert_eq!(
            fallback.new_questions[0],
            NewQuestion {
                question: "author".into(),
                answer: String::new(),
                source: Source::Default,
            }
        );
        assert!(fallback.new.iter().all(|(key, _)| key != "author"));
        assert_eq!(
            fallback.notes,
            [
                "cannot tell who the author is; until then `author` takes the template's default \
              (\"\")"
            ]
        );
        // Asked to find it with an empty -d answer, and nothing found: refused.
        let refused = resolve(
            &recorded(),
            dir.path(),
            &pairs(&[("author", "")]),
            NOT_FOUND,
        );
        assert_eq!(
            refused.unwrap().unwrap_err(),
            "cannot tell who the author is"
        );
    }

    #[test]
    fn a_recorded_answer_is_kept_even_where_the_command_could_find_one() {
        let dir = template("[placeholders.author]\ntype = \"string\"\ndefault = \"\"\n");
        let mut recorded = recorded();
        recorded.insert("author".into(), toml::Value::String(String::new()));
        let answers = resolve(&recorded, dir.path(), &[], FOUND).unwrap().unwrap();
        assert!(answers.new_questions.is_empty());
        assert!(answers.new.contains(&("author".into(), String::new())));
    }
}

//! Answers the command finds in the user's environment, where the template's default cannot
//! know the right one. Every render fixes cargo-generate's own idea of the author
//! ([`crate::template::render::fix_environment`]), so that renders do not depend on who runs
//! them; a project its owner will publish must credit its owner, so `new`, and `update` for a
//! project that meets the question for the first time, answer `author` from git.
//!
//! [`FILLERS`] is the table: one row per question, naming where the answer comes from (what
//! `update` prints: `new question: author = "Ada <ada@example.com>" (from git)`). A question
//! without a row takes the template's default. For a question in the table an empty answer
//! means "find it", as the template's own prompt says (`empty: from git's user.name`).
//!
//! When nothing is found, `new` stops (exit 2, saying what to set): the project it makes is its
//! owner's to publish, and the owner is there to answer. `update` instead gives a question new
//! to the project the template's default, with a note ([`crate::update::answers`]): it runs
//! where no one is named (a scheduled `update --check` in a CI container), and the answer only
//! matters once someone commits the update.

use std::time::Duration;

use crate::base::cmd::Cmd;

/// One question the command answers from the environment.
#[derive(Debug)]
pub struct Filler {
    /// The template question.
    pub question: &'static str,
    /// Where the answer comes from, in a few words (`git`).
    pub source: &'static str,
    /// Finds the answer; `Err` holds a message saying what to set or pass instead.
    pub find: fn() -> Result<String, String>,
}

/// Every question the command answers from the environment.
pub const FILLERS: &[Filler] = &[Filler {
    question: "author",
    source: "git",
    find: git_author,
}];

/// An answer found in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub question: String,
    pub answer: String,
    /// [`Filler::source`].
    pub source: &'static str,
}

/// The row of `fillers` for `question`, if it has one.
pub fn filler<'a>(fillers: &'a [Filler], question: &str) -> Option<&'a Filler> {
    fillers.iter().find(|filler| filler.question == question)
}

impl Filler {
    /// True when `answer` leaves the question to the environment: it is empty.
    pub fn leaves_open(&self, answer: &str) -> bool {
        answer.trim().is_empty()
    }

    /// The answer, found now.
    pub fn fill(&self) -> Result<Filled, String> {
        Ok(Filled {
            question: self.question.to_owned(),
            answer: (self.find)()?,
            source: self.source,
        })
    }
}

/// Fills into `defines` every question of `fillers` that the template asks (`asked`) and
/// `defines` leaves open (no answer, or an empty one), and returns what it filled. `Err` holds
/// a usage message.
pub fn fill_open(
    fillers: &[Filler],
    asked: &[&str],
    defines: &mut Vec<(String, String)>,
) -> Result<Vec<Filled>, String> {
    let mut filled = Vec::new();
    for filler in fillers
        .iter()
        .filter(|filler| asked.contains(&filler.question))
    {
        let given = defines
            .iter()
            .find(|(key, _)| key == filler.question)
            .map(|(_, value)| value.as_str());
        if given.is_some_and(|answer| !filler.leaves_open(answer)) {
            continue;
        }
        let found = filler.fill()?;
        defines.retain(|(key, _)| key != filler.question);
        defines.push((found.question.clone(), found.answer.clone()));
        filled.push(found);
    }
    Ok(filled)
}

/// Who the project credits, found the way cargo-generate finds it for `cargo generate`:
/// `GIT_AUTHOR_NAME` or `GIT_COMMITTER_NAME`, else git's `user.name`, else `USER`; with the
/// matching email when there is one.
fn git_author() -> Result<String, String> {
    let from_env = |names: &[&str]| {
        names
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .map(|value| value.trim().to_owned())
            .find(|value| !value.is_empty())
    };
    let name = from_env(&["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"])
        .or_else(|| git_config("user.name"))
        .or_else(|| from_env(&["USER", "USERNAME"]))
        .unwrap_or_default();
    let email =
        from_env(&["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"]).or_else(|| git_config("user.email"));
    let author = author(&name, email.as_deref());
    if author.is_empty() {
        return Err(
            "cannot tell who the author is: git has no user.name and USER is not set; \
                    set git's (`git config --global user.name \"Your Name\"`), or pass \
                    -d author=\"Your Name <you@example.com>\""
                .into(),
        );
    }
    Ok(author)
}

/// `git config --get KEY`, or `None` when git is missing or the key is not set.
fn git_config(key: &str) -> Option<String> {
    let output = Cmd::new("git")
        .args(["config", "--get", key])
        .timeout(Duration::from_secs(30))
        .output()
        .ok()?;
    let value = output.stdout.trim();
    (output.status.success() && !value.is_empty()).then(|| value.to_owned())
}

/// The `author` answer: `Name <email>`, or `Name`. Characters the template cannot write into a
/// TOML string or an author field (quotes, backslashes, angle brackets) are left out.
fn author(name: &str, email: Option<&str>) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| !matches!(c, '"' | '\\' | '<' | '>') && !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let name = clean(name);
    match email.map(clean) {
        Some(email) if email.contains('@') && !email.contains(char::is_whitespace) => {
            format!("{name} <{email}>")
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_answer_is_name_and_email_in_the_template_s_form() {
        assert_eq!(
            author("Ada Lovelace", Some("ada@example.org")),
            "Ada Lovelace <ada@example.org>"
        );
        assert_eq!(author(" Zoë O'Brien ", None), "Zoë O'Brien");
        // What a TOML string or an author field cannot hold is left out; an email that is not
        // one is left out whole.
        assert_eq!(
            author("Ada \"Countess\" <L>", Some("<ada@example.org>")),
            "Ada Countess L <ada@example.org>"
        );
        assert_eq!(author("Ada", Some("not an email")), "Ada");
        assert_eq!(author("Ada", Some("")), "Ada");
    }

    const TEST_FILLERS: &[Filler] = &[Filler {
        question: "author",
        source: "a test",
        find: || Ok("Ada <ada@example.com>".into()),
    }];

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn an_open_question_is_filled_and_a_given_answer_kept() {
        let asked = ["abi3", "author"];
        let filled_as = |given: &[(&str, &str)]| {
            let mut defines = pairs(given);
            let filled = fill_open(TEST_FILLERS, &asked, &mut defines).unwrap();
            (defines, filled)
        };
        let ada = Filled {
            question: "author".into(),
            answer: "Ada <ada@example.com>".into(),
            source: "a test",
        };
        // Unanswered, or answered empty: found.
        for given in [
            &[("abi3", "false")][..],
            &[("author", " "), ("abi3", "false")],
        ] {
            assert_eq!(
                filled_as(given),
                (
                    pairs(&[("abi3", "false"), ("author", "Ada <ada@example.com>")]),
                    vec![ada.clone()]
                ),
                "{given:?}"
            );
        }
        // Answered: kept.
        assert_eq!(
            filled_as(&[("author", "Bo")]),
            (pairs(&[("author", "Bo")]), vec![])
        );
        // A template that does not ask it gets nothing.
        let mut defines = Vec::new();
        assert_eq!(fill_open(TEST_FILLERS, &["abi3"], &mut defines), Ok(vec![]));
        assert!(defines.is_empty());
    }

    #[test]
    fn the_table_names_questions_the_repository_template_asks() {
        let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        let questions = crate::template::answers::Questions::read(&template).unwrap();
        for filler in FILLERS {
            assert!(
                questions.answerable().contains(&filler.question),
                "{} is not a question of the template",
                filler.question
            );
        }
    }
}

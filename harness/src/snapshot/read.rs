//! Reading a behaviour text: cut into its sections for a diff ([`sections`]), or back into the
//! [`Behaviour`] it was written from ([`read`]), for the committed references that `check`
//! compares a project with.
//!
//! The reader knows exactly what [`super::write`] writes: a `## ` heading follows one blank
//! line; `key: value` lines are indented two spaces under what they belong to; a value of
//! several lines is `key: |` followed by its lines two spaces further in; blank lines appear
//! only inside such a block.

use crate::stages::probe::Outcome;

use super::cursor::Cursor;
pub use super::cursor::ReadError;
use super::{Behaviour, GIL_FIELD, Gil, Scenario, TESTS_SECTION, WHEEL_SECTION};

/// One `## ` section of a behaviour text; the header before the first one has an empty key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// `scenario greet.panic`, `api Message`, `tests`; empty for the header.
    pub key: &'a str,
    /// The section's lines, without trailing blank lines.
    pub body: String,
}

impl Section<'_> {
    /// The scenario's behaviour sentence, when the section has one.
    pub fn behaviour(&self) -> Option<&str> {
        self.body
            .lines()
            .find_map(|line| line.strip_prefix("behaviour: "))
    }
}

/// Cuts `text` at lines starting with `## `. Reads any text, one written by an older harness or
/// by hand included: a comparison shows what differs, whatever it is.
pub fn sections(text: &str) -> Vec<Section<'_>> {
    let mut sections = vec![Section {
        key: "",
        body: String::new(),
    }];
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("## ") {
            sections.push(Section {
                key: key.trim(),
                body: String::new(),
            });
        } else if let Some(section) = sections.last_mut() {
            section.body.push_str(line);
            section.body.push('\n');
        }
    }
    for section in &mut sections {
        let trimmed = section.body.trim_end().len();
        section.body.truncate(trimmed);
        if !section.body.is_empty() {
            section.body.push('\n');
        }
    }
    sections
}

/// The [`Behaviour`] a behaviour text was written from.
pub fn read(text: &str) -> Result<Behaviour, ReadError> {
    let lines: Vec<&str> = text.lines().collect();
    let headings: Vec<usize> = (0..lines.len())
        .filter(|&at| lines[at].starts_with("## "))
        .collect();
    // Each section runs from its heading to the blank line before the next one.
    let mut ends = Vec::new();
    for &heading in &headings {
        if heading == 0 || !lines[heading - 1].is_empty() {
            return Err(ReadError {
                line: heading + 1,
                message: "a `## ` heading must follow a blank line".into(),
            });
        }
        ends.push(heading - 1);
    }
    ends.push(lines.len());
    let header_end = ends[0];
    let mut header = Cursor::new(&lines[..header_end], 0);
    let mut behaviour = Behaviour {
        package: header.field(0, "package")?,
        style: header.field(0, "style")?,
        import_error: if header.peek() == Some("import_error: none") {
            header.at += 1;
            None
        } else {
            Some(
                header
                    .exception(0, "import_error")?
                    .ok_or_else(|| header.error("expected `import_error: ` (or `none`)"))?,
            )
        },
        gil: {
            let line = header.offset + header.at;
            let value = header.field(0, GIL_FIELD)?;
            Gil::parse(&value).ok_or_else(|| {
                header.error_at(
                    line,
                    format!("expected `{GIL_FIELD}: enabled` or `disabled`, found `{value}`"),
                )
            })?
        },
        all: None,
        doc: None,
        api: Vec::new(),
        stubs: Vec::new(),
        wheel: None,
        entry_points: Vec::new(),
        scenarios: Vec::new(),
        tests: None,
    };
    behaviour.all = header.optional_field(0, "all").map(|names| {
        names
            .split(", ")
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect()
    });
    behaviour.doc = header.optional_field(0, "doc");
    header.finish()?;
    for (&heading, &end) in headings.iter().zip(&ends[1..]) {
        let key = &lines[heading]["## ".len()..];
        let mut body = Cursor::new(&lines[heading + 1..end], heading + 1);
        if key == TESTS_SECTION {
            if behaviour.tests.is_some() {
                return Err(body.error_at(heading, "a second `## tests` section"));
            }
            behaviour.tests = Some(body.tests()?);
        } else if let Some(name) = key.strip_prefix("api ") {
            behaviour.api.push(body.api_item(0, name)?);
        } else if let Some(module) = key.strip_prefix("stub ") {
            behaviour.stubs.push(body.stub(module)?);
        } else if key == WHEEL_SECTION {
            if behaviour.wheel.is_some() {
                return Err(body.error_at(heading, "a second `## wheel` section"));
            }
            behaviour.wheel = Some(body.wheel()?);
        } else if let Some(name) = key.strip_prefix("entry-point ") {
            behaviour.entry_points.push(body.entry_point(name)?);
        } else if let Some(id) = key.strip_prefix("scenario ") {
            let description = body.field(0, "behaviour")?;
            let outcome = match body.exception(0, "raised")? {
                Some(exception) => Outcome::Raised { exception },
                None => Outcome::Returned {
                    repr: body.field(0, "returned")?,
                },
            };
            behaviour.scenarios.push(Scenario {
                id: id.to_owned(),
                behaviour: description,
                outcome,
            });
        } else {
            return Err(body.error_at(
                heading,
                format!(
                    "unknown section `## {key}` (known: api NAME, stub MODULE, wheel, \
                     entry-point GROUP:NAME, scenario ID, tests)"
                ),
            ));
        }
        body.finish()?;
    }
    Ok(behaviour)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::normalize::{Context, Filters};
    use crate::snapshot::fixtures;
    use crate::stages::probe::ExceptionInfo;

    fn written(probe: &crate::stages::probe::ProbeResult, tests: bool) -> Behaviour {
        let report = fixtures::tests();
        Behaviour::new(
            probe,
            tests.then_some(&report),
            &Filters::new(&Context::default()),
        )
    }

    fn exception(type_name: &str, message: &str) -> ExceptionInfo {
        ExceptionInfo {
            type_name: type_name.into(),
            mro: vec![type_name.into(), "builtins.Exception".into()],
            is_exception: true,
            message: message.into(),
            notes: vec![],
            cause: None,
            context: None,
        }
    }

    #[track_caller]
    fn round_trips(behaviour: &Behaviour) {
        let text = behaviour.to_string();
        assert_eq!(read(&text).as_ref(), Ok(behaviour), "{text}");
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        round_trips(&written(&fixtures::probe(), true));
        round_trips(&written(&fixtures::probe(), false));
        let mut no_tests = written(&fixtures::probe(), false);
        no_tests.tests = Some(Vec::new());
        round_trips(&no_tests);
    }

    #[test]
    fn awkward_values_read_back_the_same() {
        let mut probe = fixtures::probe();
        let mut raised = exception("my_ext.Odd", "");
        raised.mro.clear();
        raised.notes = vec!["|".into(), "two\nlines  \n\n".into()];
        raised.is_exception = false;
        raised.context = Some(Box::new(exception(
            "builtins.KeyError",
            "  indented\n    more\n\n",
        )));
        raised.cause = Some(Box::new(exception("pyo3_runtime.PanicException", "|")));
        probe.scenarios[1].outcome = Outcome::Raised { exception: raised };
        probe.scenarios[0].outcome = Outcome::Returned {
            repr: "'a'\n\n'b'\n".into(),
        };
        probe.api[0].doc = Some("\n".into());
        probe.api[0].members[0].doc = Some("ends with a blank line\n\n".into());
        let mut report = fixtures::tests();
        report.cases[1].message = Some("E   assert 1 == 2\n\nmore".into());
        let behaviour = Behaviour::new(&probe, Some(&report), &Filters::new(&Context::default()));
        round_trips(&behaviour);
        // As the last thing in the text too, where no section follows the block.
        let mut last = behaviour.clone();
        last.tests = None;
        round_trips(&last);
    }

    #[test]
    fn an_import_error_reads_back_the_same() {
        let mut probe = fixtures::probe();
        probe.api.clear();
        probe.scenarios.clear();
        probe.import_error = Some(exception("builtins.SyntaxError", "invalid syntax"));
        round_trips(&written(&probe, false));
    }

    #[test]
    fn text_the_writer_did_not_write_is_refused_with_its_line() {
        let text = written(&fixtures::probe(), true).to_string();
        let error = |text: &str| read(text).unwrap_err().to_string();
        // The 1-based line of the first line of `text` that is `line`.
        let at = |line: &str| text.lines().position(|l| l == line).unwrap() + 1;
        assert_eq!(
            error(&text.replace("## tests", "## results")),
            format!(
                "line {}: unknown section `## results` (known: api NAME, stub MODULE, wheel, \
                 entry-point GROUP:NAME, scenario ID, tests)",
                at("## tests")
            )
        );
        assert_eq!(
            error(&text.replace("  is_exception: true\n  message: text", "  message: text")),
            format!(
                "line {}: expected `  is_exception: `, found `  message: text is empty`",
                at("  message: text is empty") - 1
            )
        );
        assert_eq!(
            error(&text.replace("\n\n## tests", "\n## tests")),
            format!(
                "line {}: a `## ` heading must follow a blank line",
                at("## tests") - 1
            )
        );
        assert_eq!(
            error(&text.replace("passed tests", "won tests")),
            format!(
                "line {}: expected `<outcome> <test name>` (outcome: passed, failed, error or \
                 skipped), found `won tests.test_message::test_greet`",
                at("## tests") + 1
            )
        );
        assert_eq!(
            error(&text.replace("returned: 'Hello", "returned: 'Hello'\nextra: 'x")),
            format!(
                "line {}: unexpected line `extra: 'x, eunsang !'`",
                at("returned: 'Hello, eunsang !'") + 1
            )
        );
        assert_eq!(
            error(&text.replace("gil_after_import: enabled", "gil_after_import: sometimes")),
            "line 4: expected `gil_after_import: enabled` or `disabled`, found `sometimes`"
        );
        assert_eq!(
            error("style: greet\n"),
            "line 1: expected `package: `, found `style: greet`"
        );
        assert_eq!(
            error(&text.replace("loads: a callable", "loads: maybe")),
            format!(
                "line {}: expected `loads: a callable` or `loads: not a callable (TYPE)`, found \
                 `loads: maybe`",
                at("loads: a callable")
            )
        );
        assert_eq!(
            error(&text.replace(
                "## entry-point console_scripts:greet",
                "## entry-point greet"
            )),
            format!(
                "line {}: expected `## entry-point GROUP:NAME`, found `## entry-point greet`",
                at("## entry-point console_scripts:greet")
            )
        );
    }

    const TEXT: &str = "package: [PKG]\nstyle: greet\n\n\
        ## scenario greet.static_greet\n\
        behaviour: Message.greet('eunsang') returns 'Hello, eunsang !'\n\
        returned: 'Hello, eunsang !'\n\n\
        ## scenario greet.repr\nbehaviour: repr\nreturned: \"Message('x')\"\n\n\
        ## tests\npassed tests.test_message::test_greet\n";

    #[test]
    fn sections_are_cut_at_headings() {
        let keys: Vec<&str> = sections(TEXT).iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                "",
                "scenario greet.static_greet",
                "scenario greet.repr",
                "tests"
            ]
        );
        assert_eq!(sections(TEXT)[0].body, "package: [PKG]\nstyle: greet\n");
        assert_eq!(sections(TEXT)[2].behaviour(), Some("repr"));
        assert_eq!(sections(TEXT)[3].behaviour(), None);
    }
}

//! The reader's cursor: the lines of one section, read from the top, field by field, as
//! [`super::write`] writes them.

use crate::stages::probe::{
    ApiItem, EntryPoint, EntryPointOutcome, ExceptionInfo, StubCheck, StubDisagreement,
    StubDisagreementKind,
};
use crate::stages::pytest::{Outcome as TestOutcome, TestCase};

use super::from_probe::split_mro;
use super::write::{AGREES, CALLABLE, NOT_CALLABLE, disagreement_label};
use super::{Interpreters, Wheel};

/// A text that is not a behaviour text as [`super::write`] writes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ReadError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// The lines of one section, read from the top.
pub(super) struct Cursor<'a> {
    lines: &'a [&'a str],
    pub(super) at: usize,
    /// The 0-based line number of `lines[0]` in the text.
    pub(super) offset: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(lines: &'a [&'a str], offset: usize) -> Cursor<'a> {
        Cursor {
            lines,
            at: 0,
            offset,
        }
    }

    pub(super) fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.at).copied()
    }

    pub(super) fn error(&self, message: impl Into<String>) -> ReadError {
        self.error_at(self.offset + self.at, message)
    }

    pub(super) fn error_at(&self, line: usize, message: impl Into<String>) -> ReadError {
        ReadError {
            line: line + 1,
            message: message.into(),
        }
    }

    /// Every line was read.
    pub(super) fn finish(&self) -> Result<(), ReadError> {
        match self.peek() {
            None => Ok(()),
            Some(line) => Err(self.error(format!("unexpected line `{line}`"))),
        }
    }

    /// The value of a `key: value` line at exactly `indent`, if the next line is one; the
    /// value as written, `|` included.
    pub(super) fn line_field(&mut self, indent: usize, key: &str) -> Option<&'a str> {
        let line = self.peek()?;
        let rest = line.get(indent..)?;
        if !line[..indent].bytes().all(|byte| byte == b' ') {
            return None;
        }
        let value = rest.strip_prefix(key)?.strip_prefix(':')?;
        let value = match value {
            "" => "",
            value => value.strip_prefix(' ')?,
        };
        self.at += 1;
        Some(value)
    }

    /// The value of a field at `indent`, if the next line is one: a `key: |` block's lines
    /// joined, with a final newline.
    pub(super) fn optional_field(&mut self, indent: usize, key: &str) -> Option<String> {
        let value = self.line_field(indent, key)?;
        if value != "|" {
            return Some(value.to_owned());
        }
        let prefix = " ".repeat(indent + 2);
        let mut block = Vec::new();
        while let Some(line) = self.peek() {
            match line.strip_prefix(&prefix) {
                _ if line.is_empty() => block.push(""),
                Some(rest) => block.push(rest),
                None => break,
            }
            self.at += 1;
        }
        // A block always has a line (a value of several lines has at least one): with none,
        // the value was `|` itself.
        if block.is_empty() {
            return Some(value.to_owned());
        }
        Some(block.join("\n") + "\n")
    }

    pub(super) fn field(&mut self, indent: usize, key: &str) -> Result<String, ReadError> {
        self.optional_field(indent, key).ok_or_else(|| {
            let found = self.peek().map_or_else(
                || "the end of the section".to_owned(),
                |line| format!("`{line}`"),
            );
            self.error(format!("expected `{:indent$}{key}: `, found {found}", ""))
        })
    }

    /// An exception labelled `label` at `indent`, if the next line starts one.
    pub(super) fn exception(
        &mut self,
        indent: usize,
        label: &str,
    ) -> Result<Option<ExceptionInfo>, ReadError> {
        let Some(type_name) = self.line_field(indent, label) else {
            return Ok(None);
        };
        let inner = indent + 2;
        let mro = split_mro(&self.field(inner, "mro")?);
        let is_exception = match self.field(inner, "is_exception")?.as_str() {
            "true" => true,
            "false" => false,
            other => {
                self.at -= 1;
                return Err(self.error(format!("is_exception is `{other}`, not true or false")));
            }
        };
        let message = self.field(inner, "message")?;
        let mut notes = Vec::new();
        while let Some(note) = self.optional_field(inner, "note") {
            notes.push(note);
        }
        Ok(Some(ExceptionInfo {
            type_name: type_name.to_owned(),
            mro,
            is_exception,
            message,
            notes,
            cause: self.exception(inner, "cause")?.map(Box::new),
            context: self.exception(inner, "context")?.map(Box::new),
        }))
    }

    pub(super) fn api_item(&mut self, indent: usize, name: &str) -> Result<ApiItem, ReadError> {
        let mut item = ApiItem {
            name: name.to_owned(),
            kind: self.field(indent, "kind")?,
            qualname: self.field(indent, "qualname")?,
            bases: self
                .optional_field(indent, "bases")
                .map(|bases| bases.split(", ").map(str::to_owned).collect())
                .unwrap_or_default(),
            mro: Vec::new(),
            signature: None,
            value: None,
            doc: None,
            members: Vec::new(),
        };
        // Written only when it says more than the bases.
        item.mro = self
            .optional_field(indent, "mro")
            .map_or_else(|| item.bases.clone(), |mro| split_mro(&mro));
        item.signature = self.optional_field(indent, "signature");
        item.value = self.optional_field(indent, "value");
        item.doc = self.optional_field(indent, "doc");
        let prefix = format!("{:indent$}member ", "");
        while let Some(member) = self
            .peek()
            .and_then(|line| line.strip_prefix(&prefix)?.strip_suffix(':'))
        {
            self.at += 1;
            item.members.push(self.api_item(indent + 2, member)?);
        }
        Ok(item)
    }

    pub(super) fn stub(&mut self, module: &str) -> Result<StubCheck, ReadError> {
        let mut stub = StubCheck {
            module: module.to_owned(),
            file: self.field(0, "file")?,
            error: self.optional_field(0, "error"),
            disagreements: Vec::new(),
        };
        if stub.error.is_none() && self.peek() == Some(AGREES) {
            self.at += 1;
            return Ok(stub);
        }
        let kinds = [
            StubDisagreementKind::OnlyInStub,
            StubDisagreementKind::OnlyAtRuntime,
            StubDisagreementKind::Parameters,
        ];
        while let Some((kind, name)) = kinds.iter().find_map(|kind| {
            let name = self.optional_field(0, disagreement_label(*kind))?;
            Some((*kind, name))
        }) {
            stub.disagreements.push(StubDisagreement {
                kind,
                name,
                stub: self.optional_field(2, "stub"),
                runtime: self.optional_field(2, "runtime"),
            });
        }
        Ok(stub)
    }

    pub(super) fn tests(&mut self) -> Result<Vec<TestCase>, ReadError> {
        if self.lines == ["no tests ran"] {
            self.at += 1;
            return Ok(Vec::new());
        }
        let mut cases = Vec::new();
        while let Some(line) = self.peek() {
            let parsed = line
                .split_once(' ')
                .and_then(|(word, name)| Some((TestOutcome::parse(word)?, name)));
            let Some((outcome, name)) = parsed else {
                return Err(self.error(format!(
                    "expected `<outcome> <test name>` (outcome: passed, failed, error or \
                     skipped), found `{line}`"
                )));
            };
            self.at += 1;
            cases.push(TestCase {
                name: name.to_owned(),
                outcome,
                message: self.optional_field(2, "message"),
            });
        }
        Ok(cases)
    }

    pub(super) fn wheel(&mut self) -> Result<Wheel, ReadError> {
        Ok(Wheel {
            interpreters: Interpreters::parse(&self.field(0, "interpreters")?),
            platform: self.field(0, "platform")?,
        })
    }

    pub(super) fn entry_point(&mut self, key: &str) -> Result<EntryPoint, ReadError> {
        let Some((group, name)) = key.split_once(':') else {
            return Err(self.error_at(
                self.offset.saturating_sub(1),
                format!("expected `## entry-point GROUP:NAME`, found `## entry-point {key}`"),
            ));
        };
        let value = self.field(0, "target")?;
        let outcome = if let Some(exception) = self.exception(0, "raised")? {
            EntryPointOutcome::Raised { exception }
        } else {
            let line = self.offset + self.at;
            let loads = self.field(0, "loads")?;
            match loads
                .strip_prefix(NOT_CALLABLE.0)
                .and_then(|rest| rest.strip_suffix(NOT_CALLABLE.1))
            {
                _ if loads == CALLABLE => EntryPointOutcome::Callable,
                Some(type_name) => EntryPointOutcome::NotCallable {
                    type_name: type_name.to_owned(),
                },
                None => {
                    return Err(self.error_at(
                        line,
                        format!(
                            "expected `loads: {CALLABLE}` or `loads: {}TYPE{}`, found `loads: {loads}`",
                            NOT_CALLABLE.0, NOT_CALLABLE.1
                        ),
                    ));
                }
            }
        };
        Ok(EntryPoint {
            group: group.to_owned(),
            name: name.to_owned(),
            value,
            outcome,
        })
    }
}

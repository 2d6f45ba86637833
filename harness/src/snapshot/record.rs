//! The record file `check --record FILE` writes and `check --against FILE` reads: a header
//! naming the probe style, then the behaviour text.

use std::path::Path;

use crate::base::error::{Error, Result};

// ANCHOR: record_header
const RECORD_MAGIC: &str = "# scaffold-harness record v3";

/// A record file: the probe style it was made with and the behaviour text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub style: String,
    pub body: String,
}

/// The text of a record file.
pub fn format(style: &str, body: &str) -> String {
    format!(
        "{RECORD_MAGIC}\n# style: {style}\n\
         # Written by `pyo3-scaffold check DIR --record FILE`; check with `--against FILE`.\n\
         {body}"
    )
}
// ANCHOR_END: record_header

/// What each older record version lacks, for the message that refuses it: compared with a
/// record that does not hold them, every one of these would show as a difference (a default
/// PyO3 shows as `...` would seem changed), so an older record is not read.
const OLDER: &[(&str, &str)] = &[
    (
        "# scaffold-harness record v1",
        "values, class bases, `__all__`, stubs, the module docstring, enum members, defaults \
         and return types from stubs, the wheel's tags and entry points",
    ),
    (
        "# scaffold-harness record v2",
        "the module docstring, class MROs, enum members, defaults and return types from stubs, \
         the wheel's tags and entry points",
    ),
];

pub fn parse(text: &str) -> Result<Record, String> {
    let mut lines = text.lines();
    match lines.next() {
        Some(RECORD_MAGIC) => {}
        Some(line) if let Some((_, lacks)) = OLDER.iter().find(|(magic, _)| *magic == line) => {
            let version = line.rsplit(" v").next().unwrap_or_default();
            return Err(format!(
                "it is a version-{version} record, from an older scaffold-harness; version 3 also \
                 records {lacks}, so the two cannot be compared: record the old version of the \
                 project again (with --record FILE), or compare with it straight from git \
                 (--against-git REV)"
            ));
        }
        _ => return Err(format!("its first line is not `{RECORD_MAGIC}`")),
    }
    let style = lines
        .next()
        .and_then(|line| line.strip_prefix("# style: "))
        .ok_or("its second line is not `# style: ...`")?
        .trim()
        .to_owned();
    let body: Vec<&str> = lines.skip_while(|line| line.starts_with("# ")).collect();
    Ok(Record {
        style,
        body: body.join("\n") + "\n",
    })
}

pub fn read(path: &Path) -> Result<Record> {
    let text = fs_err::read_to_string(path)?;
    parse(&text).map_err(|message| Error::Record {
        path: path.to_owned(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let body = "package: [PKG]\nstyle: none\n\n## api f\nkind: function\n";
        let text = format("none", body);
        assert!(text.starts_with("# scaffold-harness record v3\n# style: none\n"));
        assert_eq!(
            parse(&text),
            Ok(Record {
                style: "none".into(),
                body: body.into()
            })
        );
    }

    #[test]
    fn a_foreign_file_is_not_a_record() {
        assert_eq!(
            parse("package: x\n"),
            Err("its first line is not `# scaffold-harness record v3`".into())
        );
        for version in ["v1", "v2"] {
            let error = parse(&format!(
                "# scaffold-harness record {version}\n# style: none\npackage: x\n"
            ))
            .unwrap_err();
            assert!(
                error.starts_with(&format!(
                    "it is a version-{} record, from an older scaffold-harness; version 3 also \
                     records ",
                    &version[1..]
                )),
                "{error}"
            );
            assert!(
                error.ends_with(
                    "record the old version of the project again (with --record \
                     FILE), or compare with it straight from git (--against-git REV)"
                ),
                "{error}"
            );
        }
        assert_eq!(
            parse("# scaffold-harness record v3\npackage: x\n"),
            Err("its second line is not `# style: ...`".into())
        );
    }
}

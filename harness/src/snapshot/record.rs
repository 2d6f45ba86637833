//! The record file `check --record FILE` writes and `check --against FILE` reads: a header
//! naming the probe style, then the behaviour text.

use std::path::Path;

use crate::base::error::{Error, Result};

// ANCHOR: record_header
const RECORD_MAGIC: &str = "# scaffold-harness record v2";

/// The first line of records written before values, bases, `__all__` and stubs were recorded.
const RECORD_MAGIC_V1: &str = "# scaffold-harness record v1";

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

pub fn parse(text: &str) -> Result<Record, String> {
    let mut lines = text.lines();
    match lines.next() {
        Some(RECORD_MAGIC) => {}
        Some(RECORD_MAGIC_V1) => {
            return Err(
                "it is a version-1 record, from an older scaffold-harness; version 2 \
                        also records values, class bases, `__all__` and stubs, so the two \
                        cannot be compared: record the old version of the project again (with \
                        --record FILE), or compare with it straight from git (--against-git REV)"
                    .into(),
            );
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
        assert!(text.starts_with("# scaffold-harness record v2\n# style: none\n"));
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
            Err("its first line is not `# scaffold-harness record v2`".into())
        );
        assert!(
            parse("# scaffold-harness record v1\n# style: none\npackage: x\n")
                .unwrap_err()
                .starts_with("it is a version-1 record, from an older scaffold-harness;")
        );
        assert_eq!(
            parse("# scaffold-harness record v2\npackage: x\n"),
            Err("its second line is not `# style: ...`".into())
        );
    }
}

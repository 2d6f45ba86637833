//! The Rust stage of the pipeline: trimming every line.

/// Trims leading and trailing whitespace from every line of `text` and joins the lines with `\n`.
///
/// Lines end at `\n` or `\r\n` (so CRLF input comes out with plain `\n`); "whitespace" is
/// Unicode's `White_Space`, so a no-break space or an ideographic space is trimmed too. A final
/// line ending does not produce an empty last line, as with [`str::lines`].
pub fn trim_lines(text: &str) -> String {
    let mut trimmed = String::new();
    trim_lines_into(text, &mut trimmed);
    trimmed
}

/// [`trim_lines`] into a buffer of the caller's, which is cleared first.
///
/// A caller that trims again and again can keep one buffer: its memory is then allocated (and,
/// for a large text, touched page by page by the operating system) once instead of every time.
pub fn trim_lines_into(text: &str, trimmed: &mut String) {
    trimmed.clear();
    trimmed.reserve(text.len());
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            trimmed.push('\n');
        }
        trimmed.push_str(line.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::{trim_lines, trim_lines_into};

    #[test]
    fn empty_input_gives_empty_output() {
        assert_eq!(trim_lines(""), "");
    }

    #[test]
    fn trims_each_line_and_keeps_blank_lines() {
        assert_eq!(
            trim_lines("\n    hello world\n    this is a test\n    of our processor\n    "),
            "\nhello world\nthis is a test\nof our processor\n"
        );
    }

    #[test]
    fn crlf_line_endings_become_lf() {
        assert_eq!(trim_lines("  a  \r\n\tb\t\r\n"), "a\nb");
    }

    #[test]
    fn unicode_whitespace_is_trimmed() {
        // U+00A0 no-break space, U+3000 ideographic space, U+2003 em space.
        assert_eq!(
            trim_lines("\u{a0}left\u{3000}\n\u{2003}right"),
            "left\nright"
        );
    }

    #[test]
    fn a_reused_buffer_holds_only_the_latest_result() {
        let mut buffer = String::from("left over");
        trim_lines_into("  first  \n  second  ", &mut buffer);
        assert_eq!(buffer, "first\nsecond");
        trim_lines_into(" x ", &mut buffer);
        assert_eq!(buffer, "x");
    }

    #[test]
    fn inner_whitespace_is_kept() {
        assert_eq!(trim_lines("  two  words  "), "two  words");
    }
}

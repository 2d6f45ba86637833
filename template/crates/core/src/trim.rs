//! The Rust stage of the pipeline: trimming every line.

/// Trims leading and trailing whitespace from every line of `text` and joins the lines with `\n`.
///
/// Lines end at `\n` or `\r\n` (so CRLF input comes out with plain `\n`); "whitespace" is
/// Unicode's `White_Space`, so a no-break space or an ideographic space is trimmed too. A final
/// line ending does not produce an empty last line, as with [`str::lines`].
pub fn trim_lines(text: &str) -> String {
    {% if workshop -%}
    todo!(
        "exercise 6: trim each of the {} lines",
        text.lines().count()
    )
    {%- else -%}
    let mut trimmed = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            trimmed.push('\n');
        }
        trimmed.push_str(line.trim());
    }
    trimmed
    {%- endif %}
}

#[cfg(test)]
mod tests {
    use super::trim_lines;

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
    fn inner_whitespace_is_kept() {
        assert_eq!(trim_lines("  two  words  "), "two  words");
    }
}

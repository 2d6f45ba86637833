//! NTSTATUS codes: what a Windows process that crashed exits with (`0xC0000005` for an access
//! violation), where a Unix process would be killed by a signal. Shown in hex and named, as a
//! signal is.
//!
//! Plain data, compiled on every platform so that its tests run everywhere; the Windows side of
//! [`super::exit_code_text`] and [`super::is_crash`] reads it.

/// The codes a crashed Python or Rust program ends with, each with its name and what it means.
const KNOWN: &[(u32, &str, &str)] = &[
    (
        0xC000_0005,
        "STATUS_ACCESS_VIOLATION",
        "invalid memory reference",
    ),
    (0xC000_0017, "STATUS_NO_MEMORY", "out of memory"),
    (
        0xC000_001D,
        "STATUS_ILLEGAL_INSTRUCTION",
        "illegal instruction",
    ),
    (
        0xC000_007B,
        "STATUS_INVALID_IMAGE_FORMAT",
        "a program or DLL built for another machine",
    ),
    (
        0xC000_0094,
        "STATUS_INTEGER_DIVIDE_BY_ZERO",
        "integer division by zero",
    ),
    (0xC000_00FD, "STATUS_STACK_OVERFLOW", "stack overflow"),
    (
        0xC000_0135,
        "STATUS_DLL_NOT_FOUND",
        "a DLL the program needs was not found",
    ),
    (
        0xC000_0139,
        "STATUS_ENTRYPOINT_NOT_FOUND",
        "a DLL lacks a function the program needs",
    ),
    (0xC000_013A, "STATUS_CONTROL_C_EXIT", "ended by Ctrl-C"),
    (0xC000_0374, "STATUS_HEAP_CORRUPTION", "heap corruption"),
    // What Rust's `std::process::abort` (and so a panic that cannot unwind) ends with.
    (
        0xC000_0409,
        "STATUS_STACK_BUFFER_OVERRUN",
        "fail-fast abort (a Rust abort, or a buffer overrun caught)",
    ),
];

/// An exit code is an NTSTATUS when its high bit is set; `0xC…` is the error severity.
const ERROR_SEVERITY: u32 = 0xC000_0000;

/// The name and meaning of a known NTSTATUS.
pub fn name(code: i32) -> Option<(&'static str, &'static str)> {
    KNOWN
        .iter()
        .find(|(known, _, _)| *known == code.cast_unsigned())
        .map(|(_, name, meaning)| (*name, *meaning))
}

/// `code` as Windows tools show it: an NTSTATUS in hex, named when known
/// (`0xc0000005, STATUS_ACCESS_VIOLATION: invalid memory reference`); any other code in decimal.
pub fn describe(code: i32) -> String {
    let unsigned = code.cast_unsigned();
    if unsigned & 0x8000_0000 == 0 {
        return code.to_string();
    }
    match name(code) {
        Some((name, meaning)) => format!("{unsigned:#010x}, {name}: {meaning}"),
        None => format!("{unsigned:#010x}"),
    }
}

/// True for an NTSTATUS of error severity other than Ctrl-C's: the process crashed, as a Unix
/// process killed by SIGSEGV or SIGABRT did.
pub fn is_crash(code: i32) -> bool {
    let unsigned = code.cast_unsigned();
    unsigned & ERROR_SEVERITY == ERROR_SEVERITY && unsigned != 0xC000_013A
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `0xC0000005` as the `i32` a Windows exit status gives.
    fn code(ntstatus: u32) -> i32 {
        ntstatus.cast_signed()
    }

    #[test]
    fn a_crash_is_shown_in_hex_and_named() {
        assert_eq!(
            describe(code(0xC000_0005)),
            "0xc0000005, STATUS_ACCESS_VIOLATION: invalid memory reference"
        );
        assert_eq!(
            describe(code(0xC000_0409)),
            "0xc0000409, STATUS_STACK_BUFFER_OVERRUN: fail-fast abort (a Rust abort, or a buffer \
             overrun caught)"
        );
        // Unknown, but still an NTSTATUS: hex, unnamed.
        assert_eq!(describe(code(0xC000_0999)), "0xc0000999");
    }

    #[test]
    fn an_ordinary_exit_code_is_decimal() {
        assert_eq!(describe(0), "0");
        assert_eq!(describe(3), "3");
        assert_eq!(describe(255), "255");
    }

    #[test]
    fn crashes_are_the_error_codes_but_ctrl_c() {
        assert!(is_crash(code(0xC000_0005)));
        assert!(is_crash(code(0xC000_00FD)));
        assert!(is_crash(code(0xC000_0999)));
        assert!(!is_crash(code(0xC000_013A)));
        assert!(!is_crash(1));
        assert!(!is_crash(code(0x8000_0003)));
    }

    #[test]
    fn every_known_code_is_an_error_with_a_name_and_a_meaning() {
        for (known, name, meaning) in KNOWN {
            assert_eq!(known & ERROR_SEVERITY, ERROR_SEVERITY, "{name}");
            assert!(name.starts_with("STATUS_"), "{name}");
            assert!(!meaning.is_empty(), "{name}");
        }
    }
}

//! Platform code lives in `src/platform/` alone: no other file of `src/` names `std::os::unix`,
//! `std::os::windows` or `libc`, or asks which platform it is on (`cfg(unix)`, `cfg(windows)`,
//! `target_os`). The rest of the crate calls `platform`, so that it compiles on Linux, macOS
//! and Windows alike and a reader finds every difference in one folder. The Unix and Windows
//! sides of `platform` offer the same names with the same signatures, checked here from their
//! sources, since no machine compiles both.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use walkdir::WalkDir;

/// What only `src/platform/` may write: the platforms' own modules, libc, and a `cfg` (or
/// `cfg!`, `cfg_attr`) that names a platform.
fn platform_code() -> Regex {
    Regex::new(
        r"\bos\s*::\s*(?:unix|windows)\b|\blibc\s*::|\b(?:use|extern\s+crate)\s+libc\b|\bcfg(?:_attr)?!?\s*\(.*\b(?:unix|windows|target_os|target_family)\b",
    )
    .unwrap()
}

/// `path:line: text` for every line of `text` whose code (what precedes a `//` comment) is
/// platform code.
fn offending_lines(path: &str, text: &str) -> Vec<String> {
    let pattern = platform_code();
    text.lines()
        .enumerate()
        .filter(|(_, line)| pattern.is_match(line.split("//").next().unwrap_or_default()))
        .map(|(index, line)| format!("{path}:{}: {}", index + 1, line.trim()))
        .collect()
}

#[test]
fn platform_code_is_in_the_platform_folder_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let platform = src.join("platform");
    let mut found = Vec::new();
    for entry in WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.starts_with(&platform) || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src.parent().unwrap()).unwrap();
        let relative = scaffold_harness::platform::portable_path(relative);
        found.extend(offending_lines(
            &relative,
            &fs_err::read_to_string(path).unwrap(),
        ));
    }
    assert!(
        found.is_empty(),
        "platform code outside src/platform/ (call `crate::platform` instead, or give it a Unix \
         and a Windows side there):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_every_kind_of_platform_code() {
    for code in [
        "use std::os::unix::fs::PermissionsExt;",
        "fs_err::os::windows::fs::symlink_file(a, b)?;",
        "unsafe { libc::kill(pid, libc::SIGKILL) };",
        "use libc;",
        "#[cfg(unix)]",
        "#[cfg(not(windows))]",
        "#[cfg(all(test, not(target_os = \"linux\")))]",
        "if cfg!(windows) {",
        "#[cfg_attr(not(unix), ignore = \"needs sh\")]",
    ] {
        assert_eq!(
            offending_lines("src/x.rs", code),
            [format!("src/x.rs:1: {code}")]
        );
    }
    for fine in [
        "// libc::kill, in a comment",
        "/// Unlike std::os::unix, this ...",
        "#[cfg(test)]",
        "let unix_time = 1;",
        "use crate::platform;",
        "mod windows_tests;",
    ] {
        assert_eq!(offending_lines("src/x.rs", fine), Vec::<String>::new());
    }
}

/// Each public item's name and its signature as tokens (a function's parameter types and return
/// type, a constant's type), without parameter names.
type Signatures = BTreeMap<String, String>;

fn signature(item: &syn::Item) -> Option<(String, String)> {
    use quote::ToTokens;
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    match item {
        syn::Item::Fn(function) if public(&function.vis) => {
            let inputs: Vec<String> = function
                .sig
                .inputs
                .iter()
                .map(|input| match input {
                    syn::FnArg::Typed(typed) => typed.ty.to_token_stream().to_string(),
                    syn::FnArg::Receiver(receiver) => receiver.to_token_stream().to_string(),
                })
                .collect();
            let output = function.sig.output.to_token_stream().to_string();
            Some((
                function.sig.ident.to_string(),
                format!("fn({}) {output}", inputs.join(", ")),
            ))
        }
        syn::Item::Const(constant) if public(&constant.vis) => Some((
            constant.ident.to_string(),
            constant.ty.to_token_stream().to_string(),
        )),
        _ => None,
    }
}

/// Whether `item` carries `#[cfg(<predicate>)]`.
fn has_cfg(item: &syn::Item, predicate: &str) -> bool {
    let attrs = match item {
        syn::Item::Fn(function) => &function.attrs,
        syn::Item::Const(constant) => &constant.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == predicate)
    })
}

fn items(file: &str) -> Vec<syn::Item> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/platform")
        .join(file);
    syn::parse_file(&fs_err::read_to_string(path).unwrap())
        .unwrap()
        .items
}

fn signatures<'a>(items: impl IntoIterator<Item = &'a syn::Item>) -> Signatures {
    items.into_iter().filter_map(signature).collect()
}

#[test]
fn the_unix_and_windows_sides_offer_the_same_names_and_signatures() {
    let unix = signatures(&items("unix.rs"));
    let windows = signatures(&items("windows.rs"));
    assert_eq!(unix, windows, "unix.rs and windows.rs differ");
    // And the crate sees all of them, through `platform`'s re-exports.
    let reexported =
        fs_err::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/platform/mod.rs"))
            .unwrap();
    for name in unix.keys() {
        assert!(
            Regex::new(&format!(r"pub use imp::\{{[^}}]*\b{name}\b"))
                .unwrap()
                .is_match(&reexported),
            "platform/mod.rs does not re-export {name}"
        );
    }

    // executable.rs keeps both sides in one file (the build script includes it).
    let executable = items("executable.rs");
    let unix = signatures(executable.iter().filter(|item| has_cfg(item, "unix")));
    let windows = signatures(executable.iter().filter(|item| has_cfg(item, "windows")));
    assert_eq!(
        unix.keys().collect::<Vec<_>>(),
        ["executable_bits", "set_executable"]
    );
    assert_eq!(unix, windows, "executable.rs's two sides differ");
}

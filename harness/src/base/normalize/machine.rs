//! The filters for paths that vary with the machine: a folder the run knows, in every form a
//! message may show it, and the temp folders and caches of macOS and Windows that it does not.

use std::path::Path;

use super::{Filter, Kind, regex};
use crate::platform;

/// A path as given and as resolved (the probe resolves symlinks, e.g. macOS's /tmp), each also
/// as a repr shows it when it holds a `\` (Windows: `'C:\\Users\\...'`).
pub(super) fn path_forms(path: &Path) -> Vec<String> {
    let mut forms = vec![path.to_string_lossy().into_owned()];
    if let Ok(resolved) = platform::canonicalize(path) {
        forms.push(resolved.to_string_lossy().into_owned());
    }
    let escaped: Vec<String> = forms
        .iter()
        .filter(|form| form.contains('\\'))
        .map(|form| form.replace('\\', "\\\\"))
        .collect();
    forms.extend(escaped);
    forms.sort();
    forms.dedup();
    forms.retain(|form| form.len() > 1);
    forms
}

/// Between the parts of a Windows path as a message may show it: `\`, `\\` (in a repr) or `/`.
const SEP: &str = r"(?:\\\\|\\|/)";

/// The temp folders and caches of macOS and Windows, for the paths the [`Context`] does not
/// name (a tool's own temp folder, a cache): what varies with the machine and the user.
pub(super) fn temp_and_cache_filters() -> [Filter; 3] {
    [
        // macOS's per-user temp (`T`) or cache (`C`) folder, with the folder made in it;
        // `/private/var` is `/var` resolved.
        Filter {
            name: "macOS temp folder",
            kind: Kind::Regex(regex(
                r#"(?:/private)?/var/folders/[^/\s]+/[^/\s]+/[TC]/[^/\s'"():,]+"#,
            )),
            replacement: "[TEMP]",
        },
        // Windows's `%TEMP%` with the folder made in it: `C:\Users\<user>\AppData\Local\Temp\tmpab`
        // (the user's name perhaps short: `RUNNER~1`).
        Filter {
            name: "Windows temp folder",
            kind: Kind::Regex(regex(&format!(
                r#"(?i)\b[a-z]:{SEP}Users{SEP}[^\\/\s'"]+{SEP}AppData{SEP}Local{SEP}Temp{SEP}[^\\/\s'"():,]+"#
            ))),
            replacement: "[TEMP]",
        },
        // Windows's `%LOCALAPPDATA%`, which holds the harness's cache and uv's.
        Filter {
            name: "Windows local app data",
            kind: Kind::Regex(regex(&format!(
                r#"(?i)\b[a-z]:{SEP}Users{SEP}[^\\/\s'"]+{SEP}AppData{SEP}Local\b"#
            ))),
            replacement: "[LOCALAPPDATA]",
        },
    ]
}

/// What follows a folder's placeholder with Windows's separators (`[WORK]\plugins\x.py`), with
/// `/` as on Linux and macOS. Used only where `\` separates paths: on Unix a `\` after a
/// placeholder is a repr's escape (`'[WORK]\n'`), not a separator.
pub(super) fn windows_separators() -> Filter {
    Filter {
        name: "Windows path separators",
        kind: Kind::Separators(regex(
            r#"\[(?:WORK|PKG_DIR|PROJECT|VENV|TEMP|LOCALAPPDATA)\](?:(?:\\{1,2}|/)[^\\/\s'"():,]+)+"#,
        )),
        replacement: "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The temp or cache filter called `name`.
    fn named(name: &str) -> Filter {
        temp_and_cache_filters()
            .into_iter()
            .find(|filter| filter.name == name)
            .unwrap()
    }

    #[test]
    fn macos_temp_folders() {
        let filters = named("macOS temp folder");
        assert_eq!(
            filters.apply(
                "/private/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/tmpa1b2/plugins/x.py \
                 '/var/folders/ab/cd/T/pytest-of-me/t0' /var/folders/ab/cd/C/uv"
            ),
            "[TEMP]/plugins/x.py '[TEMP]/t0' [TEMP]"
        );
        // Linux's temp folders and other /var folders are not macOS's.
        let linux = "/tmp/tmpa1b2/x.py /var/tmp/x /var/folders";
        assert_eq!(filters.apply(linux), linux);
    }

    #[test]
    fn windows_temp_folders_in_every_form() {
        let filters = named("Windows temp folder");
        assert_eq!(
            filters.apply(
                r"C:\Users\RUNNER~1\AppData\Local\Temp\tmpa1b2\plugins\x.py (c:/users/ann/appdata/local/temp/tmpz)"
            ),
            r"[TEMP]\plugins\x.py ([TEMP])"
        );
        // As a repr shows it: every backslash doubled.
        assert_eq!(
            filters.apply(r"'C:\\Users\\ann\\AppData\\Local\\Temp\\tmpa1b2\\x.py'"),
            r"'[TEMP]\\x.py'"
        );
    }

    #[test]
    fn windows_local_app_data() {
        let filters = named("Windows local app data");
        assert_eq!(
            filters.apply(r"C:\Users\ann\AppData\Local\pyo3-scaffold\cache\target"),
            r"[LOCALAPPDATA]\pyo3-scaffold\cache\target"
        );
        // Roaming is not Local.
        let roaming = r"C:\Users\ann\AppData\Roaming\x";
        assert_eq!(filters.apply(roaming), roaming);
    }

    #[test]
    fn windows_separators_after_a_placeholder_become_slashes() {
        let filter = windows_separators();
        assert_eq!(
            filter.apply(
                r"plugin 'p' ([WORK]\plugins\no-process\no_process.py) '[VENV]\\Lib\\site.py' [TEMP]/a\b"
            ),
            "plugin 'p' ([WORK]/plugins/no-process/no_process.py) '[VENV]/Lib/site.py' [TEMP]/a/b"
        );
        // Backslashes that follow no placeholder are not known to be separators.
        assert_eq!(filter.apply(r"a\b [PKG]\c"), r"a\b [PKG]\c");
    }

    #[test]
    fn a_windows_path_is_replaced_as_given_and_as_a_repr_shows_it() {
        let path = r"C:\Users\ann\AppData\Local\Temp\tmpab";
        // It does not exist here, so it has no resolved form.
        assert_eq!(
            path_forms(Path::new(path)),
            [path, r"C:\\Users\\ann\\AppData\\Local\\Temp\\tmpab"]
        );
    }

    #[test]
    fn a_path_is_replaced_as_given_and_as_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs_err::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        platform::symlink(&real, &link).unwrap();
        let resolved = platform::canonicalize(&real).unwrap();
        let mut expected = vec![
            link.to_string_lossy().into_owned(),
            resolved.to_string_lossy().into_owned(),
        ];
        expected.sort();
        assert_eq!(path_forms(&link), expected);
    }
}

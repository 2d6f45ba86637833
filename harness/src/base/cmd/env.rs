//! The child environment policy: what every child inherits from the harness, what it never
//! sees, and what is always set for it.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

/// Set for every child. Colour codes and progress bars would end up in captured output and
/// snapshots; backtraces and the user's site-packages would make them machine-dependent.
const FIXED_ENV: &[(&str, &str)] = &[
    ("NO_COLOR", "1"),
    ("CARGO_TERM_COLOR", "never"),
    ("CARGO_TERM_PROGRESS_WHEN", "never"),
    ("RUST_BACKTRACE", "0"),
    ("PYTHONNOUSERSITE", "1"),
    ("PYTHONIOENCODING", "utf-8"),
    ("PYTHONDONTWRITEBYTECODE", "1"),
    // Set iteration order shows in reprs; a fixed seed keeps them from changing between runs.
    ("PYTHONHASHSEED", "0"),
    ("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
    ("UV_NO_PROGRESS", "1"),
    // The interpreter is always chosen explicitly; uv must never download one.
    ("UV_PYTHON_DOWNLOADS", "never"),
];

/// Removed from every child's environment: they would force colour, point Python or cargo at
/// somewhere else than the case's own venv and target folder, or hand a child the jobserver of
/// the cargo that runs the harness's tests.
const REMOVED_ENV: &[&str] = &[
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "PY_COLORS",
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "UV_SYSTEM_PYTHON",
    "PIP_REQUIRE_VIRTUALENV",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "RUST_LOG",
    // With either set, pytest prints assertion diffs whole instead of truncated; on a failing
    // comparison of large values (the template's thread test compares 80,000 strings) that
    // takes minutes, and the harness keeps only the tail of the output anyway.
    "CI",
    "BUILD_NUMBER",
];

/// Prefixes removed for the same reasons: cargo's per-crate variables leak from `cargo test`
/// and `cargo run`; `PYO3_*` and `MATURIN_*` would redirect the build; `CARGO_GENERATE_*` and
/// `INSTA_*` belong to the harness, not to the code it runs. Every `PYTHON*` variable goes:
/// the interpreter's own settings change what a child imports and how (`PYTHONPATH`,
/// `PYTHONHOME`, `PYTHONSAFEPATH`, `PYTHONUSERBASE`, `PYTHONSTARTUP`, `PYTHONOPTIMIZE`, which
/// drops `assert`, `PYTHON_GIL`...), and a user's would make a run depend on their shell; the
/// harness sets those it needs itself (`FIXED_ENV`, and per child).
const REMOVED_PREFIXES: &[&str] = &[
    "PYTHON",
    "CARGO_PKG_",
    "CARGO_MANIFEST_",
    "CARGO_BIN_",
    "CARGO_CRATE_",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_GENERATE_",
    "PYO3_",
    "MATURIN_",
    "INSTA_",
];

/// True for variables that look like credentials; none of them reaches code under test.
///
/// Deliberately broad: removing a harmless variable (`TOKENIZERS_PARALLELISM`) costs nothing,
/// passing a secret to unreviewed code can cost a lot.
pub fn is_secret(name: &str) -> bool {
    // Anywhere in the name: `PGPASSWORD`, `HF_TOKEN`, `TOKEN_GITHUB`, `SLACK_WEBHOOK_URL`.
    const PARTS: &[&str] = &[
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "CREDENTIAL",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "WEBHOOK",
    ];
    const SUFFIXES: &[&str] = &["_KEY", "_PWD", "_PASS", "_AUTH", "_PAT", "_DSN", "_COOKIE"];
    const PREFIXES: &[&str] = &[
        "AWS_",
        "GITHUB_",
        "GH_",
        "GITLAB_",
        "ACTIONS_",
        "AZURE_",
        "GOOGLE_",
        "GCP_",
        "GCLOUD_",
        "CLOUDSDK_",
        "VAULT_",
        "DOCKER_AUTH",
        "NPM_CONFIG__AUTH",
        "TWINE_",
    ];
    const NAMES: &[&str] = &["SSH_AUTH_SOCK", "GPG_AGENT_INFO", "NETRC", "KUBECONFIG"];
    let upper = name.to_ascii_uppercase();
    PARTS.iter().any(|part| upper.contains(part))
        || SUFFIXES.iter().any(|suffix| upper.ends_with(suffix))
        || PREFIXES.iter().any(|prefix| upper.starts_with(prefix))
        || NAMES.contains(&upper.as_str())
}

fn is_removed(name: &str) -> bool {
    REMOVED_ENV.contains(&name)
        || REMOVED_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
        || is_secret(name)
}

/// The environment every child starts from: the harness's own, scrubbed, plus the fixed
/// settings (no colour, no backtraces, no user site, UTF-8 I/O).
pub fn child_env<I>(parent: I) -> BTreeMap<OsString, OsString>
where
    I: IntoIterator<Item = (OsString, OsString)>,
{
    let mut env: BTreeMap<OsString, OsString> = parent
        .into_iter()
        .filter(|(name, _)| name.to_str().is_some_and(|name| !is_removed(name)))
        .collect();
    for (name, value) in FIXED_ENV {
        env.insert(name.into(), value.into());
    }
    env
}

/// `PATH` for a child: `first` folders, then the harness's own PATH.
pub fn path_with(first: &[&Path]) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let dirs = first
        .iter()
        .map(|dir| dir.to_path_buf())
        .chain(std::env::split_paths(&rest));
    std::env::join_paths(dirs).unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect()
    }

    #[test]
    fn secrets_are_recognised_by_name() {
        for name in [
            "GITHUB_TOKEN",
            "CARGO_REGISTRY_TOKEN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "MY_SECRET_TOKEN",
            "OPENAI_API_KEY",
            "MY_SECRET",
            "DB_PASSWORD",
            "PGPASSWORD",
            "MYSQL_PWD",
            "HF_TOKEN",
            "TWINE_USERNAME",
            "SENTRY_DSN",
            "SLACK_WEBHOOK_URL",
            "AZURE_CLIENT_SECRET",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "VAULT_ADDR",
            "gh_token",
            "SSH_AUTH_SOCK",
        ] {
            assert!(is_secret(name), "{name} should be scrubbed");
        }
        for name in [
            "PATH",
            "HOME",
            "SSL_CERT_FILE",
            "KEYBOARD",
            "CI",
            "LANG",
            "OLDPWD",
            "PWD",
            "UV_KEYRING_PROVIDER",
            "HTTPS_PROXY",
        ] {
            assert!(!is_secret(name), "{name} should pass");
        }
    }

    #[test]
    fn child_env_scrubs_and_fixes() {
        let env = child_env(env(&[
            ("PATH", "/usr/bin"),
            ("GITHUB_TOKEN", "ghp_x"),
            ("AWS_REGION", "eu"),
            ("CLICOLOR_FORCE", "1"),
            ("VIRTUAL_ENV", "/elsewhere"),
            ("CARGO_PKG_NAME", "scaffold-harness"),
            ("CARGO_MAKEFLAGS", "-j --jobserver-fds=3,4"),
            ("PYO3_PYTHON", "/usr/bin/python3"),
            ("CI", "true"),
            ("NO_COLOR", "0"),
            ("SSL_CERT_FILE", "/etc/ssl/cert.pem"),
            ("PYTHONSAFEPATH", "1"),
            ("PYTHONPATH", "/home/me/lib"),
            ("PYTHONHOME", "/opt/python"),
            ("PYTHONSTARTUP", "/home/me/.pythonrc"),
            ("PYTHONUSERBASE", "/home/me/.local"),
            ("PYTHONNOUSERSITE", ""),
            ("PYTHONOPTIMIZE", "2"),
            ("PYTHON_GIL", "1"),
            ("PYTHONHASHSEED", "random"),
            ("PYTHONTHING_IN_THE_FUTURE", "1"),
        ]));
        let get = |name: &str| env.get(OsStr::new(name)).map(|v| v.to_str().unwrap());
        assert_eq!(get("PATH"), Some("/usr/bin"));
        assert_eq!(get("SSL_CERT_FILE"), Some("/etc/ssl/cert.pem"));
        for gone in [
            "GITHUB_TOKEN",
            "AWS_REGION",
            "CLICOLOR_FORCE",
            "VIRTUAL_ENV",
            "CARGO_PKG_NAME",
            "CARGO_MAKEFLAGS",
            "PYO3_PYTHON",
            "CI",
            "PYTHONSAFEPATH",
            "PYTHONPATH",
            "PYTHONHOME",
            "PYTHONSTARTUP",
            "PYTHONUSERBASE",
            "PYTHONOPTIMIZE",
            "PYTHON_GIL",
            "PYTHONTHING_IN_THE_FUTURE",
        ] {
            assert_eq!(get(gone), None, "{gone} should be removed");
        }
        // The user's own values of those the harness sets give way to its own.
        assert_eq!(get("PYTHONNOUSERSITE"), Some("1"));
        assert_eq!(get("PYTHONHASHSEED"), Some("0"));
        assert_eq!(get("NO_COLOR"), Some("1"));
        assert_eq!(get("PYTHONNOUSERSITE"), Some("1"));
        assert_eq!(get("PYTHONIOENCODING"), Some("utf-8"));
        assert_eq!(get("RUST_BACKTRACE"), Some("0"));
    }
}

//! Stage 1: render the template with cargo-generate, used as a library.
//!
//! Hermetic: no git, no prompts, no attaching to a parent workspace, no user configuration (an
//! empty config file is passed instead of `$CARGO_HOME/cargo-generate.toml`), every answer given
//! explicitly. The author comes from `CARGO_NAME` / `CARGO_EMAIL`, which every binary that
//! renders fixes at startup ([`fix_environment`]); a library caller must set them (or `USER`)
//! itself.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cargo_generate::{GenerateArgs, TemplatePath, Vcs};
use tempfile::TempDir;

use crate::base::error::{Error, Result};
use crate::template::answers::Questions;
use crate::template::embedded;
use crate::template::style::Style;

/// The author every render gets (`CARGO_NAME`, `CARGO_EMAIL`), so renders do not depend on who
/// runs them.
pub const FIXED_AUTHOR: (&str, &str) = ("pyo3-scaffold", "pyo3-scaffold@example.invalid");

/// Fixes what a render would otherwise read from the process environment: the author becomes
/// [`FIXED_AUTHOR`], and every `CARGO_GENERATE_*` variable goes (cargo-generate would read
/// answers from them), so that a render depends on its arguments only.
///
/// # Safety
///
/// Changing the environment is unsound while another thread may read it: call this before any
/// thread starts, as the first thing `main` does.
pub unsafe fn fix_environment() {
    let (name, email) = FIXED_AUTHOR;
    let leaked: Vec<OsString> = std::env::vars_os()
        .map(|(key, _)| key)
        .filter(|key| key.to_string_lossy().starts_with("CARGO_GENERATE_"))
        .collect();
    // SAFETY: the caller guarantees that no other thread runs yet.
    unsafe {
        std::env::set_var("CARGO_NAME", name);
        std::env::set_var("CARGO_EMAIL", email);
        for key in leaked {
            std::env::remove_var(key);
        }
    }
}

/// [`fix_environment`] once, for unit tests that render: the test binary has no `main` of ours
/// to call it first.
#[cfg(test)]
pub(crate) fn fix_environment_for_tests() {
    static FIXED: std::sync::Once = std::sync::Once::new();
    // SAFETY: test threads may be running; they read the environment only through `std::env`,
    // which takes the same lock as `set_var`, and no test reads these variables through libc.
    FIXED.call_once(|| unsafe { fix_environment() });
}

/// Environment variable naming the template folder.
pub const TEMPLATE_ENV: &str = "SCAFFOLD_TEMPLATE";

/// cargo-generate keeps global state (its logger, console styling) that was not written for
/// concurrent calls; renders take milliseconds, so they simply take turns.
static RENDERING: Mutex<()> = Mutex::new(());

/// The template folder (the one holding `cargo-generate.toml`).
#[derive(Debug, Clone)]
pub struct Template {
    pub dir: PathBuf,
    /// The temporary folder the embedded template was written to: held, never read, so that
    /// it is removed when the last clone of this template is dropped.
    _extracted: Option<Arc<TempDir>>,
}

impl Template {
    /// `dir` if given (`--template`, `SCAFFOLD_TEMPLATE`), else the template built into the
    /// binary.
    pub fn locate(dir: Option<&Path>) -> Result<Template> {
        match dir {
            Some(dir) => Template::folder(dir),
            None => Template::embedded(),
        }
    }

    /// A template folder on disk; it must hold a `cargo-generate.toml`.
    pub fn folder(dir: &Path) -> Result<Template> {
        if !dir.join("cargo-generate.toml").is_file() {
            return Err(Error::TemplateNotFound {
                path: dir.to_owned(),
            });
        }
        let dir = crate::platform::canonicalize(dir)?;
        Ok(Template {
            dir,
            _extracted: None,
        })
    }

    /// The template built into the binary, written into a temporary folder (cargo-generate
    /// renders from a folder).
    pub fn embedded() -> Result<Template> {
        let temp = tempfile::Builder::new()
            .prefix("pyo3-scaffold-template-")
            .tempdir()?;
        let dir = temp.path().join("template");
        embedded::extract(&dir)?;
        Ok(Template {
            dir,
            _extracted: Some(Arc::new(temp)),
        })
    }
}

/// What to render: a style, a project name and any further `KEY=VALUE` answers.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub style: Style,
    pub name: &'a str,
    pub defines: &'a [(String, String)],
}

/// What a command does when its destination folder exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: the command has no way to replace it (`new`).
    Refuse,
    /// Refuse, and say that `--force` replaces it (`render`).
    RefuseUnlessForced,
    /// Replace it once the new render succeeded (`render --force`).
    Replace,
}

/// The project name a render into `dest` gets (its folder name), or why nothing can be rendered
/// there, as a message for the user. Checked before anything is written.
pub fn destination(dest: &Path, existing: Existing) -> std::result::Result<&str, String> {
    let Some(name) = dest.file_name().and_then(|name| name.to_str()) else {
        return Err(format!(
            "{} does not end in a folder name to use as the project name",
            dest.display()
        ));
    };
    // Anything at DEST exists, a dangling symbolic link too: `exists()` would follow it.
    if let Ok(metadata) = fs_err::symlink_metadata(dest) {
        match existing {
            Existing::Refuse => {
                return Err(format!(
                    "{} already exists: choose a new folder",
                    dest.display()
                ));
            }
            Existing::RefuseUnlessForced => {
                return Err(format!(
                    "{} already exists: choose a new folder, or pass --force to replace it",
                    dest.display()
                ));
            }
            Existing::Replace if !metadata.is_dir() => {
                return Err(format!(
                    "{} is not a folder, and --force replaces only a folder: remove it yourself, \
                     or choose another DEST",
                    dest.display()
                ));
            }
            Existing::Replace => {}
        }
    }
    if let Some(file) = dest.ancestors().skip(1).find(|a| a.exists() && !a.is_dir()) {
        return Err(format!(
            "{} cannot be made: {} is a file, not a folder",
            dest.display(),
            file.display()
        ));
    }
    Ok(name)
}

/// Renders into `dest`, which must not exist yet. The answers are checked against the
/// template's questions first; the project is then rendered into a temporary folder beside
/// `dest` and moved into place whole. A refused answer or a failed render leaves nothing: not
/// the project, not the temporary folder, not the folders made to hold `dest`.
pub fn render(template: &Template, request: &Request<'_>, dest: &Path) -> Result<()> {
    Questions::read(&template.dir)?
        .check(request.defines)
        .map_err(|message| Error::Refused { message })?;
    if dest.exists() {
        return Err(Error::DestinationExists {
            path: dest.to_owned(),
        });
    }
    let parent = match dest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let made = MadeDirs::create(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".scaffold-render-")
        .tempdir_in(&parent)?;
    let rendered = render_into(template, request, staging.path())?;
    fs_err::rename(&rendered, dest)?;
    made.keep();
    Ok(())
}

/// The folders [`MadeDirs::create`] had to make; removed again (innermost first, and only while
/// empty) when dropped without [`MadeDirs::keep`].
struct MadeDirs {
    made: Vec<PathBuf>,
}

impl MadeDirs {
    /// `create_dir_all(dir)`, remembering which folders did not exist before.
    fn create(dir: &Path) -> Result<MadeDirs> {
        let mut missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.exists())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        let mut made = MadeDirs { made: Vec::new() };
        for folder in missing {
            fs_err::create_dir(&folder)?;
            made.made.push(folder);
        }
        Ok(made)
    }

    fn keep(mut self) {
        self.made.clear();
    }
}

impl Drop for MadeDirs {
    fn drop(&mut self) {
        for folder in self.made.iter().rev() {
            // Only while empty: whatever else appeared in it is not ours to delete.
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// Like [`render`], but an existing `dest` is replaced once the new render succeeded.
pub fn render_replacing(template: &Template, request: &Request<'_>, dest: &Path) -> Result<()> {
    if !dest.exists() {
        return render(template, request, dest);
    }
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new()
        .prefix(".scaffold-render-")
        .tempdir_in(parent)?;
    let fresh = staging.path().join("project");
    render(template, request, &fresh)?;
    fs_err::remove_dir_all(dest)?;
    fs_err::rename(&fresh, dest)?;
    Ok(())
}

/// Renders into a new folder inside `parent` and returns its path.
fn render_into(template: &Template, request: &Request<'_>, parent: &Path) -> Result<PathBuf> {
    let config = parent.join("cargo-generate-config.toml");
    fs_err::write(
        &config,
        "# empty: the harness ignores the user's cargo-generate config\n",
    )?;
    let render_error = |message: String| Error::Render {
        style: request.style.to_string(),
        name: request.name.to_owned(),
        message,
    };
    let mut define = vec![format!("style={}", request.style)];
    define.extend(
        request
            .defines
            .iter()
            .map(|(key, value)| format!("{key}={value}")),
    );
    let args = GenerateArgs {
        // The template folder itself, not the repository with a sub-template named: cargo-generate
        // copies the whole `--path` folder first, and the repository's `target/` is gigabytes.
        template_path: TemplatePath {
            path: Some(template.dir.to_string_lossy().into_owned()),
            ..TemplatePath::default()
        },
        name: Some(request.name.to_owned()),
        silent: true,
        // Hides cargo-generate's per-file progress bars, which would draw over the harness's
        // own on a terminal. Errors still fail the render: continue_on_error stays false.
        quiet: true,
        vcs: Some(Vcs::None),
        // The template's hooks run no commands; a hook that tried would fail the render.
        allow_commands: false,
        no_workspace: true,
        config: Some(config),
        destination: Some(parent.to_owned()),
        define,
        ..GenerateArgs::default()
    };
    let result = {
        let _turn = RENDERING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // cargo-generate documents panics; one must fail this render, not the whole run.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cargo_generate::generate(args)
        }))
    };
    match result {
        Ok(Ok(path)) => Ok(path),
        Ok(Err(error)) => Err(match hook_refusal(&error.root_cause().to_string()) {
            Some(message) => Error::Refused { message },
            None => render_error(format!("{error:#}")),
        }),
        Err(panic) => Err(render_error(format!(
            "cargo-generate panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        ))),
    }
}

/// The message of a template hook that refused the answers with `abort("...")`, without the
/// script's temporary path and the position in it, which say nothing to the user.
///
/// cargo-generate turns a hook's error into text: "Failed executing script: <path>" with the
/// cause "Runtime error: <message> (line L, position P)". A runtime error is what `abort` (and
/// `throw`) raise; a hook with a bug fails with another kind of error and stays a render error.
fn hook_refusal(root_cause: &str) -> Option<String> {
    let message = root_cause.strip_prefix("Runtime error: ")?;
    let position = regex::Regex::new(r" \(line \d+, position \d+\)$").ok()?;
    Some(position.replace(message, "").trim().to_owned())
}

/// Parses `KEY=VALUE` (the `-d` option of `render`).
pub fn parse_define(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not KEY=VALUE (e.g. -d abi3=false)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's `template/`, where this crate was built.
    fn in_repository() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../template")
    }

    #[test]
    fn defines_split_on_the_first_equals_sign() {
        assert_eq!(
            parse_define("description=a=b"),
            Ok(("description".into(), "a=b".into()))
        );
        assert_eq!(parse_define("abi3="), Ok(("abi3".into(), String::new())));
        assert_eq!(
            parse_define("abi3"),
            Err("`abi3` is not KEY=VALUE (e.g. -d abi3=false)".into())
        );
        assert_eq!(
            parse_define("=x"),
            Err("`=x` is not KEY=VALUE (e.g. -d abi3=false)".into())
        );
    }

    #[test]
    fn a_hook_refusal_loses_the_script_position() {
        assert_eq!(
            hook_refusal(
                "Runtime error: refused project name: 'json' is a module (line 110, position 5)"
            ),
            Some("refused project name: 'json' is a module".to_owned())
        );
        assert_eq!(
            hook_refusal("Function not found: frobnicate (line 3, position 1)"),
            None
        );
    }

    #[test]
    fn a_folder_without_cargo_generate_toml_is_not_a_template() {
        let dir = tempfile::tempdir().unwrap();
        let error = Template::locate(Some(dir.path())).unwrap_err();
        assert!(matches!(error, Error::TemplateNotFound { .. }));
        assert!(error.hint().unwrap().contains("--template"));
    }

    #[test]
    fn the_embedded_template_is_written_out_and_removed_with_the_last_clone() {
        let template = Template::locate(None).unwrap();
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert!(!template.dir.starts_with(repository), "{:?}", template.dir);
        let config = fs_err::read(template.dir.join("cargo-generate.toml")).unwrap();
        let committed = fs_err::read(in_repository().join("cargo-generate.toml"));
        assert_eq!(config, committed.unwrap());
        let dir = template.dir.clone();
        let clone = template.clone();
        drop(template);
        assert!(dir.is_dir(), "a clone still uses it");
        drop(clone);
        assert!(!dir.exists(), "{} was left behind", dir.display());
    }

    #[test]
    fn a_given_folder_overrides_the_embedded_template() {
        // `harness/../template`, made absolute and plain.
        let template = Template::locate(Some(&in_repository())).unwrap();
        let given = fs_err::canonicalize(in_repository()).unwrap();
        assert_eq!(template.dir, given);
        // The embedded template's folder goes with the last clone; a given one is the user's.
        drop(template);
        assert!(given.join("cargo-generate.toml").is_file());
    }

    #[test]
    fn anything_at_dest_exists() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder");
        fs_err::create_dir(&folder).unwrap();
        let file = dir.path().join("file");
        fs_err::write(&file, "mine").unwrap();
        let dangling = dir.path().join("dangling");
        crate::platform::symlink(&dir.path().join("nowhere"), &dangling).unwrap();
        for path in [&folder, &file, &dangling] {
            assert_eq!(
                destination(path, Existing::RefuseUnlessForced),
                Err(format!(
                    "{} already exists: choose a new folder, or pass --force to replace it",
                    path.display()
                ))
            );
        }
        assert_eq!(destination(&folder, Existing::Replace), Ok("folder"));
        for path in [&file, &dangling] {
            let problem = destination(path, Existing::Replace).unwrap_err();
            assert!(
                problem.ends_with("is not a folder, and --force replaces only a folder: remove it yourself, or choose another DEST"),
                "{problem}"
            );
        }
        assert_eq!(
            destination(&dir.path().join("new"), Existing::RefuseUnlessForced),
            Ok("new")
        );
    }
}

//! `scaffold-harness render STYLE DEST`: the template rendered into a new folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::commands::GlobalArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::style::Style;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The project's style
    pub style: Style,
    /// The folder to create
    pub dest: PathBuf,
    /// Answer a template question, e.g. -d abi3=false (repeatable)
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE", value_parser = render::parse_define)]
    pub defines: Vec<(String, String)>,
    /// Replace DEST if it exists (only once the new render succeeded)
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: &RenderArgs) -> Result<ExitCode> {
    // DEST and the answers are the user's input: a problem with either is a usage error.
    let usage = |message: String| Error::Usage {
        command: "render",
        message,
    };
    let name = dest_problem(&args.dest, args.force).map_err(usage)?;
    let template = global.template()?;
    let request = render::Request {
        style: args.style,
        name,
        defines: &args.defines,
    };
    match render::render_replacing(&template, &request, &args.dest) {
        Ok(()) => {}
        Err(Error::Refused { message }) => return Err(usage(message)),
        Err(error) => return Err(error),
    }
    eprintln!(
        "rendered a {} project named {name} into {}",
        args.style,
        args.dest.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// DEST's folder name (the project name), or why DEST cannot be rendered into. Anything at
/// DEST counts as existing, a dangling symbolic link too; `--force` replaces a folder only.
fn dest_problem(dest: &Path, force: bool) -> std::result::Result<&str, String> {
    let Some(name) = dest.file_name().and_then(|name| name.to_str()) else {
        return Err(format!(
            "{} does not end in a folder name to use as the project name",
            dest.display()
        ));
    };
    if let Ok(metadata) = fs_err::symlink_metadata(dest) {
        if !force {
            return Err(format!(
                "{} already exists: choose a new folder, or pass --force to replace it",
                dest.display()
            ));
        }
        if !metadata.is_dir() {
            return Err(format!(
                "{} is not a folder, and --force replaces only a folder: remove it yourself, \
                 or choose another DEST",
                dest.display()
            ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_at_dest_exists() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder");
        fs_err::create_dir(&folder).unwrap();
        let file = dir.path().join("file");
        fs_err::write(&file, "mine").unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        for path in [&folder, &file, &dangling] {
            assert_eq!(
                dest_problem(path, false),
                Err(format!(
                    "{} already exists: choose a new folder, or pass --force to replace it",
                    path.display()
                ))
            );
        }
        assert_eq!(dest_problem(&folder, true), Ok("folder"));
        for path in [&file, &dangling] {
            let problem = dest_problem(path, true).unwrap_err();
            assert!(
                problem.ends_with("is not a folder, and --force replaces only a folder: remove it yourself, or choose another DEST"),
                "{problem}"
            );
        }
        assert_eq!(dest_problem(&dir.path().join("new"), false), Ok("new"));
    }
}

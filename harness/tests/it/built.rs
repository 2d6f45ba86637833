//! A rendered project built into a venv of its own (a debug build, as `maturin develop` makes
//! it), for tests that run its Python directly: pytest with chosen options, its benchmark.

use std::path::PathBuf;
use std::time::Duration;

use scaffold_harness::base::cache::Cache;
use scaffold_harness::base::cmd::{Cmd, Output};
use scaffold_harness::project::Project;
use scaffold_harness::python::interpreter::Python;
use scaffold_harness::python::uv::Uv;
use scaffold_harness::stages::venv;

use crate::support::{cache_dir, maturin_develop, render};

/// A bound on every child here: a regression must fail the test, not eat CI's time.
pub const LIMIT: Duration = Duration::from_secs(600);

pub struct Built {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    venv: PathBuf,
    cache: Cache,
    uv: Uv,
}

impl Built {
    /// Renders `style` as `name` with `answers` (`workshop=true`), makes its venv and builds it.
    pub fn new(style: &str, name: &str, answers: &[&str]) -> Built {
        let dir = tempfile::tempdir().expect("a temp folder");
        let root = dir.path().join(name);
        render(style, &root, answers);
        let cache = Cache::open(cache_dir()).expect("the test cache opens");
        let python = Python::find("python3").expect("python3 is installed");
        let uv = Uv::find(&cache, &python, true).expect("uv is found or installed");
        let venv = dir.path().join("venv");
        let project = Project::read(&root).expect("a rendered project reads");
        let dependencies = project
            .test_dependencies(&Default::default())
            .expect("the template's dependency groups resolve");
        let requirements = venv::requirements(&uv, &project, &dependencies, LIMIT)
            .expect("the requirements are read");
        venv::create(&uv, &python, &project, &requirements, &venv, LIMIT)
            .expect("the venv is made");
        let built = Built {
            _dir: dir,
            root,
            venv,
            cache,
            uv,
        };
        built.rebuild();
        built
    }

    /// Builds the project's current sources into its venv again.
    pub fn rebuild(&self) {
        let project = Project::read(&self.root).expect("the project reads");
        let tmp = self
            .venv
            .parent()
            .expect("the venv has a parent")
            .join("tmp");
        fs_err::create_dir_all(&tmp).expect("a temp folder for the build");
        maturin_develop(&self.uv, &project, &self.venv, &self.cache, &tmp, LIMIT);
    }

    /// The venv's Python, run in the project folder.
    pub fn python(&self) -> Cmd {
        Cmd::new(venv::python(&self.venv))
            .cwd(&self.root)
            .env("VIRTUAL_ENV", &self.venv)
            .timeout(LIMIT)
            // Whole test reports, panic reports included, not just their ends.
            .stdout_limit(16 << 20)
    }
}

/// What a child printed, for assertion messages.
pub fn dump(output: &Output) -> String {
    format!(
        "{}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        output.status, output.stdout, output.stderr
    )
}

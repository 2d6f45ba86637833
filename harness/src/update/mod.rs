//! Carrying a project to a newer template: the template it was made from and the template the
//! command carries now are both rendered with the project's answers, and the difference is
//! merged into the project three ways, file by file.
//!
//! - `sources`: where the two renders come from (the template history, an old template folder,
//!   or a commit of the project), and what each records about itself;
//! - `answers`: the answers each side renders with;
//! - `plan`: what happens to each file; `merge`: one file merged three ways;
//! - `apply`: the plan written into the project, all or nothing; `pending`: an update left with
//!   conflicts, until it is finished; `table`: the `[tool.pyo3-scaffold]` section as text;
//! - `git`: whether the project's working tree is clean, and the project at a commit.

pub mod answers;
pub mod apply;
pub mod files;
pub mod git;
pub mod merge;
pub mod pending;
pub mod plan;
pub mod sources;
pub mod table;

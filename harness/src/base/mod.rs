//! The ground every other layer stands on: how a failure is told (`error`, `fault`,
//! `process_error`), how children run (`cmd`) and are interrupted (`interrupt`), where work is
//! kept (`cache`) and cleared (`remove_on_drop`), how volatile text is made stable (`normalize`), and the supported Python range
//! (`python_version`). Nothing here knows the template, a stage or a command.

pub mod cache;
pub mod cmd;
pub mod error;
pub mod fault;
pub mod interrupt;
pub mod normalize;
pub mod process_error;
pub mod python_version;
pub mod remove_on_drop;
pub mod table;

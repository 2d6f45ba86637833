//! The interpreters the cases build for and the uv that manages their environments: one
//! interpreter as it describes itself (`interpreter`), every interpreter of the supported range
//! this machine has (`interpreters`), and uv, found or bootstrapped (`uv`).

pub mod interpreter;
pub mod interpreters;
pub mod uv;

//! The interpreters the cases build for and the uv that manages their environments: finding
//! them, asking them what they are, and bootstrapping uv when there is none.

pub mod interpreters;
pub mod tools;

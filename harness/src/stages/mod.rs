//! The stages one case goes through, in order: `venv` (stage 2), `build` (stage 3: one wheel,
//! installed into each interpreter's venv), `pytest` (stage 4), `probe` (stage 5). Stage 1 is
//! the template's render, or a copy of the project (`crate::project::tree`).

pub mod build;
pub mod probe;
pub mod pytest;
pub mod venv;

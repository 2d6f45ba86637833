//! Whose fault a failure is: the one thing every error, [`crate::base::process_error::ProcessError`]
//! included, says about itself so that [`crate::exit`] can pick the exit code. A leaf module, so
//! that the process error can carry it without depending on the crate's [`crate::Error`].

/// Whose fault a failure is; it picks the exit code ([`crate::exit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// The project under test does not build, import, pass its tests or behave as recorded.
    Failure,
    /// The user's input: a bad argument, a DIR or DEST that cannot be used, a refused answer.
    Usage,
    /// The harness could not run: a tool, the template or the cache is missing or unusable.
    Environment,
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

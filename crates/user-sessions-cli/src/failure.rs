//! How a command fails, and the exit code each failure gets.

use std::process::ExitCode;

/// A command that did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A negative answer, not an error (exit code 1): e.g. migrations pending under `--check`.
    #[error("{0}")]
    No(String),
    /// Something is wrong: configuration, connection, schema (exit code 2).
    #[error("error: {0}")]
    Error(String),
}

impl Failure {
    /// Prints the message (if any) on standard error and gives the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("{self}");
        match self {
            Failure::No(_) => ExitCode::from(1),
            Failure::Error(_) => ExitCode::from(2),
        }
    }
}

impl From<user_sessions::Error> for Failure {
    fn from(error: user_sessions::Error) -> Self {
        Failure::Error(error.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Error(format!("cannot write output: {error}"))
    }
}

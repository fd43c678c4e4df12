//! The one error type of the crate: what went wrong, in a sentence a user can act on.

use std::fmt;

/// What part of the input an [`Error`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The glossary JSON is malformed or one of its entries is invalid.
    Glossary,
    /// An article is invalid (no id, a duplicate id, wrong field types, ...).
    Article,
    /// A language code that no stemmer is compiled in for.
    Language,
    /// Index bytes that are not a glossa index, of another version, truncated or corrupt.
    Index,
}

/// An error with a message naming the input and the problem.
///
/// The message is meant to be shown to the person who wrote the input, for example
/// `glossary entry 3 ("dual power"): see_also names unknown id "soviet"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn glossary(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Glossary, message)
    }

    pub(crate) fn article(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Article, message)
    }

    pub(crate) fn index(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Index, message)
    }

    /// Which input the error is about.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without any prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

//! The one error the apps see. It is a "flat" uniffi error: Kotlin gets an
//! `EquallyException` subclass per kind whose `message` is the core's
//! sentence, Swift an `EquallyError` case carrying the same sentence, in the
//! language of the phone's own person (`Equally::describe_error`).

use equally_core::Error;

/// What went wrong, in words a screen can show. Each kind is a separate
/// exception class (Kotlin) or case (Swift), so a screen can react to the
/// kind and show the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum EquallyError {
    /// The thing asked for does not exist, or is not visible to the reader.
    #[error("{0}")]
    NotFound(String),
    /// A value given was not acceptable; the text names the field.
    #[error("{0}")]
    Invalid(String),
    /// The person may not do this.
    #[error("{0}")]
    NotAllowed(String),
    /// The state of things refuses it (an offer already withdrawn…).
    #[error("{0}")]
    Conflict(String),
    /// The phone's database is busy with other work; try again shortly.
    #[error("{0}")]
    Busy(String),
    /// The phone's database is damaged, or the key does not open it;
    /// retrying will not help.
    #[error("{0}")]
    Corrupt(String),
    /// The work was cancelled (the app is closing); nothing was changed.
    #[error("{0}")]
    Interrupted(String),
    /// The device's database failed otherwise; nothing was changed.
    #[error("{0}")]
    Storage(String),
    /// The sync server cannot be reached; everything stays queued.
    #[error("{0}")]
    Offline(String),
    /// The sync server answered, but refused or said something unexpected.
    #[error("{0}")]
    Network(String),
    /// A fault inside the library itself. Never carries personal content.
    #[error("{0}")]
    Internal(String),
}

impl From<Error> for EquallyError {
    fn from(e: Error) -> Self {
        // The core's messages name fields and reasons, never the content a
        // person typed (error.rs in the core), so they are safe to show.
        // This form (British English, standard reading) is for errors
        // raised before a handle exists (opening the database, a malformed
        // id); calls on a handle word theirs for the phone's person
        // (`EquallyCore::run`).
        let text = e.describe(&equally_core::text::Reading {
            languages: vec!["en-GB".into()],
            easy_read: false,
        });
        EquallyError::worded(&e, text)
    }
}

impl EquallyError {
    /// The exception for `e`'s kind, carrying `text` (its words for a
    /// person, or the plain sentence).
    pub(crate) fn worded(e: &Error, text: String) -> Self {
        match e {
            Error::NotFound { .. } => EquallyError::NotFound(text),
            Error::Invalid { .. } => EquallyError::Invalid(text),
            Error::NotAllowed { .. } => EquallyError::NotAllowed(text),
            Error::Conflict { .. } => EquallyError::Conflict(text),
            Error::Busy => EquallyError::Busy(text),
            Error::Corrupt => EquallyError::Corrupt(text),
            Error::Interrupted => EquallyError::Interrupted(text),
            Error::Storage { .. } => EquallyError::Storage(text),
            Error::Offline => EquallyError::Offline(text),
            Error::Network { .. } => EquallyError::Network(text),
        }
    }
}

impl From<tokio::task::JoinError> for EquallyError {
    fn from(e: tokio::task::JoinError) -> Self {
        // A panic's payload may quote data; only the fact is logged.
        tracing::error!(panicked = e.is_panic(), "a core task did not finish");
        EquallyError::Internal("something went wrong inside Equally".into())
    }
}

/// For custom-type lifts: a bad id or date from a screen becomes a typed
/// `Invalid` error on the call that passed it, not a crash.
pub(crate) fn lift_error(e: impl Into<Error>) -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::Error::new(EquallyError::from(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_the_cores_sentence_not_a_field_dump() {
        let e = EquallyError::from(Error::invalid("title", "is empty"));
        assert_eq!(e, EquallyError::Invalid("The title is empty".into()));
        assert_eq!(e.to_string(), "The title is empty");
    }

    #[test]
    fn a_person_never_reads_a_rust_field_name() {
        for field in ["time_zone", "invite_code", "options.id", "check_in_secret"] {
            let e = EquallyError::from(Error::invalid(field, "is not right"));
            assert!(!e.to_string().contains('_'), "{e}");
            assert!(!e.to_string().contains("options.id"), "{e}");
        }
    }

    #[test]
    fn a_busy_database_is_told_apart_from_a_damaged_one() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let corrupt = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            None,
        );
        assert!(matches!(
            EquallyError::from(Error::from(busy)),
            EquallyError::Busy(_)
        ));
        assert!(matches!(
            EquallyError::from(Error::from(corrupt)),
            EquallyError::Corrupt(_)
        ));
    }
}

//! The one public error type, and the single place where internal failures
//! (SQLite, JSON) are turned into it and logged. Messages name the field and
//! the reason, never the personal content that was rejected.

/// What went wrong, in terms a screen can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist (or is not visible to the reader,
    /// which we do not distinguish, so as not to reveal that it exists).
    #[error("{entity} {id} was not found")]
    NotFound { entity: String, id: String },
    /// A value given was not acceptable.
    #[error("{field} {reason}")]
    Invalid { field: String, reason: String },
    /// The person may not do this.
    #[error("not allowed: {reason}")]
    NotAllowed { reason: String },
    /// The request is well formed but the state of things refuses it
    /// (a proposal already closed, a meeting already started).
    #[error("{reason}")]
    Conflict { reason: String },
    /// The device's database is busy with other work (a long sync on
    /// another connection); nothing was changed, and trying again works.
    #[error("the local store is busy")]
    Busy,
    /// The device's database file is damaged, or is not a database this key
    /// opens; nothing was changed. Retrying will not help.
    #[error("the local store is damaged or locked with another key")]
    Corrupt,
    /// The work was cancelled (the app is closing); nothing was changed.
    #[error("the work was interrupted")]
    Interrupted,
    /// The device's database failed otherwise; nothing was changed.
    #[error("the local store failed: {detail}")]
    Storage { detail: String },
    /// The sync server could not be reached; local work is kept and will be
    /// sent later.
    #[error("the sync server cannot be reached right now")]
    Offline,
    /// The sync server answered, but not with what was asked for.
    #[error("the sync server refused: {reason}")]
    Network { reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
    pub fn not_found(entity: impl Into<String>, id: impl std::fmt::Display) -> Self {
        Error::NotFound {
            entity: entity.into(),
            id: id.to_string(),
        }
    }
    pub fn not_allowed(reason: impl Into<String>) -> Self {
        Error::NotAllowed {
            reason: reason.into(),
        }
    }
    pub fn conflict(reason: impl Into<String>) -> Self {
        Error::Conflict {
            reason: reason.into(),
        }
    }

    /// A stable code for the kind of error, used by the sync protocol's
    /// rejection reasons and by the localised messages.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Invalid { .. } => "invalid",
            Error::NotAllowed { .. } => "not_allowed",
            Error::Conflict { .. } => "conflict",
            Error::Busy => "busy",
            Error::Corrupt => "corrupt",
            Error::Interrupted => "interrupted",
            Error::Storage { .. } => "storage",
            Error::Offline => "offline",
            Error::Network { .. } => "network",
        }
    }
}

impl Error {
    /// The error in the reader's language (and easy-read, when they asked),
    /// for a screen. The kind of problem is worded in their language; the
    /// rule's own reason, where there is one, is the core's British English
    /// sentence (those are not yet translated). Names the field and the
    /// reason, never the content that was refused.
    pub fn describe(&self, reader: &crate::text::Reading) -> String {
        use crate::l10n::message;
        match self {
            Error::NotFound { .. } => message(reader, "error-not-found", &[]),
            Error::Invalid { field, reason } => message(
                reader,
                "error-invalid",
                &[
                    ("field", field_name(reader, field).into()),
                    ("reason", reason.as_str().into()),
                ],
            ),
            Error::NotAllowed { reason } => message(
                reader,
                "error-not-allowed",
                &[("reason", reason.as_str().into())],
            ),
            Error::Conflict { reason } => message(
                reader,
                "error-conflict",
                &[("reason", reason.as_str().into())],
            ),
            Error::Busy => message(reader, "error-busy", &[]),
            Error::Corrupt => message(reader, "error-corrupt", &[]),
            Error::Interrupted => message(reader, "error-interrupted", &[]),
            Error::Storage { .. } => message(reader, "error-storage", &[]),
            Error::Offline => message(reader, "error-offline", &[]),
            Error::Network { reason } => message(
                reader,
                "error-network",
                &[("reason", reason.as_str().into())],
            ),
        }
    }
}

/// A field as a person names it: "time zone", not `time_zone`. The core's
/// messages name the common ones in each language (`field-time-zone`);
/// any other reads as its words, so no Rust name reaches a screen.
fn field_name(reader: &crate::text::Reading, field: &str) -> String {
    let id = format!("field-{}", field.replace(['_', '.'], "-"));
    if crate::l10n::localiser().has_message(&id) {
        crate::l10n::message(reader, &id, &[])
    } else {
        field.replace(['_', '.'], " ")
    }
}

impl From<equally_rules::Error> for Error {
    fn from(e: equally_rules::Error) -> Self {
        use equally_rules::Error as Rule;
        match e {
            Rule::NotFound { entity, id } => Error::NotFound { entity, id },
            Rule::Invalid { field, reason } => Error::Invalid { field, reason },
            Rule::NotAllowed { reason } => Error::NotAllowed { reason },
            Rule::Conflict { reason } => Error::Conflict { reason },
            Rule::Storage { detail } => Error::Storage { detail },
        }
    }
}

/// A device failure met while a shared rule looked something up: the rule
/// reports it as its own storage failure, keeping only the kind.
impl From<Error> for equally_rules::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound { entity, id } => equally_rules::Error::NotFound { entity, id },
            Error::Invalid { field, reason } => equally_rules::Error::Invalid { field, reason },
            Error::NotAllowed { reason } => equally_rules::Error::NotAllowed { reason },
            Error::Conflict { reason } => equally_rules::Error::Conflict { reason },
            other => equally_rules::Error::storage(other.code()),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // SQLite's messages name tables and constraints, not values, so they
        // are safe to log; they are still kept out of anything a person sees.
        use rusqlite::ErrorCode;
        tracing::error!(error = %e, "sqlite error");
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Corrupt,
            Some(ErrorCode::OperationInterrupted) => Error::Interrupted,
            Some(code) => Error::Storage {
                detail: format!("{code:?}"),
            },
            None => Error::Storage {
                detail: "database error".into(),
            },
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        tracing::error!(
            line = e.line(),
            column = e.column(),
            "stored record unreadable"
        );
        Error::Storage {
            detail: "a stored record could not be read".into(),
        }
    }
}

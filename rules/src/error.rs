//! The rules' error: why a change was refused, as data a caller can act on.
//! Messages name the field and the reason, never the personal content that
//! was refused. The device words these for its person; the server sends
//! their code and sentence back to the device that pushed the change.

/// Why a rule refused something.
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
    /// The facts a rule needed could not be read (the checker's storage
    /// failed); nothing was decided.
    #[error("the store failed: {detail}")]
    Storage { detail: String },
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
    pub fn storage(detail: impl Into<String>) -> Self {
        Error::Storage {
            detail: detail.into(),
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
            Error::Storage { .. } => "storage",
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde's message names the field and position, never the value.
        Error::Storage {
            detail: format!(
                "a record could not be read (line {}, column {})",
                e.line(),
                e.column()
            ),
        }
    }
}

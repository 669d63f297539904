//! "What matters to me": a person's statements, each shared only as widely
//! as they choose.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{PersonId, StatementId};
use equally_core::statements::{Statement, StatementView, Visibility};
use equally_core::text::{ShownText, Text};
use equally_core::time::Timestamp;

/// Who may read a statement. Named apart from SwiftUI's `Visibility`.
#[uniffi::remote(Enum)]
#[uniffi(name = "StatementVisibility")]
pub enum Visibility {
    JustMe,
    MySupportStaff,
    MyProjects,
    Everyone,
}

#[uniffi::remote(Record)]
pub struct Statement {
    pub id: StatementId,
    pub person_id: PersonId,
    pub text: Text,
    pub visibility: Visibility,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct StatementView {
    pub id: StatementId,
    pub text: ShownText,
    pub visibility: Visibility,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn add_statement(
        &self,
        text: Text,
        visibility: Visibility,
    ) -> Result<Statement, EquallyError> {
        self.run_as_me(move |core, actor| core.add_statement(&actor, text, visibility))
            .await
    }

    pub async fn set_statement_visibility(
        &self,
        id: StatementId,
        visibility: Visibility,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.set_statement_visibility(&actor, &id, visibility))
            .await
    }

    pub async fn remove_statement(&self, id: StatementId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.remove_statement(&actor, &id))
            .await
    }

    /// The statements of `owner` that `reader` may see.
    pub async fn statements_of(&self, owner: PersonId) -> Result<Vec<StatementView>, EquallyError> {
        self.run_as_me(move |core, reader| core.statements_of(&reader, &owner))
            .await
    }
}

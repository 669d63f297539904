//! News to a project's members, and who has read it: posting, read
//! receipts, and the updates screen.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{PersonId, ProjectId, UpdateId};
use equally_core::text::{ShownText, Text};
use equally_core::time::Timestamp;
use equally_core::updates::{Update, UpdateView};

#[uniffi::remote(Record)]
pub struct Update {
    pub id: UpdateId,
    pub project_id: ProjectId,
    pub author_id: PersonId,
    pub body: Text,
    pub posted_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct UpdateView {
    pub id: UpdateId,
    pub author_id: PersonId,
    pub author_name: String,
    pub body: ShownText,
    pub posted_at: Timestamp,
    pub read_by_me: bool,
    pub read_count: u32,
    pub member_count: u32,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn post_update(
        &self,
        project: ProjectId,
        body: Text,
    ) -> Result<Update, EquallyError> {
        self.run_as_me(move |core, actor| core.post_update(&actor, &project, body))
            .await
    }

    pub async fn mark_update_read(&self, update: UpdateId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.mark_update_read(&actor, &update))
            .await
    }

    /// A project's updates, newest first, with who has read them.
    pub async fn updates(&self, project: ProjectId) -> Result<Vec<UpdateView>, EquallyError> {
        self.run_as_me(move |core, reader| core.updates(&reader, &project))
            .await
    }
}

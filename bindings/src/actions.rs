//! Actions: who will do what, by when. Anyone can add one; people put their
//! own name to an action, and can step back without giving a reason.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::actions::{Action, ActionStatus, ActionView};
use equally_core::ids::{ActionId, MeetingId, PersonId, ProjectId, ReviewItemId};
use equally_core::text::{ShownText, Text};
use equally_core::time::{Day, Timestamp};

#[uniffi::remote(Enum)]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

#[uniffi::remote(Record)]
pub struct Action {
    pub id: ActionId,
    pub project_id: ProjectId,
    pub what: Text,
    pub owner_id: Option<PersonId>,
    pub due_on: Option<Day>,
    pub status: ActionStatus,
    pub created_by: PersonId,
    pub from_review_item: Option<ReviewItemId>,
    pub from_meeting: Option<MeetingId>,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct ActionView {
    pub id: ActionId,
    pub project_id: ProjectId,
    pub what: ShownText,
    pub owner_id: Option<PersonId>,
    pub owner_name: Option<String>,
    pub due_on: Option<Day>,
    pub status: ActionStatus,
    pub mine: bool,
}

#[uniffi::export]
impl EquallyCore {
    /// Adds an action; `take_it` puts the actor's own name to it.
    pub async fn add_action(
        &self,
        project: ProjectId,
        what: Text,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action, EquallyError> {
        self.run_as_me(move |core, actor| core.add_action(&actor, &project, what, due_on, take_it))
            .await
    }

    /// Volunteers for an action nobody has taken yet.
    pub async fn take_action(&self, id: ActionId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.take_action(&actor, &id))
            .await
    }

    /// Steps back from an action. No reason is asked for.
    pub async fn step_back(&self, id: ActionId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.step_back(&actor, &id))
            .await
    }

    pub async fn set_action_status(
        &self,
        id: ActionId,
        status: ActionStatus,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.set_action_status(&actor, &id, status))
            .await
    }

    /// A project's actions, open ones first, soonest due first.
    pub async fn actions(&self, project: ProjectId) -> Result<Vec<ActionView>, EquallyError> {
        self.run_as_me(move |core, reader| core.actions(&reader, &project))
            .await
    }
}

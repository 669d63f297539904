//! Reviews: what is working, what could be better, what to try next, with
//! +1s, and turning an item into an action.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::actions::Action;
use equally_core::ids::{ActionId, PersonId, ProjectId, ReviewItemId};
use equally_core::reviews::{ReviewBoard, ReviewItem, ReviewItemView, ReviewKind};
use equally_core::text::{ShownText, Text};
use equally_core::time::{Day, Timestamp};

#[uniffi::remote(Enum)]
pub enum ReviewKind {
    Working,
    CouldBeBetter,
    TryNext,
}

#[uniffi::remote(Record)]
pub struct ReviewItem {
    pub id: ReviewItemId,
    pub project_id: ProjectId,
    pub kind: ReviewKind,
    pub text: Text,
    pub author_id: PersonId,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct ReviewItemView {
    pub id: ReviewItemId,
    pub kind: ReviewKind,
    pub text: ShownText,
    pub author_name: String,
    pub plus_ones: u32,
    pub i_plus_oned: bool,
    pub actions: Vec<ActionId>,
}

/// The review board: three columns, each ordered by +1s.
#[uniffi::remote(Record)]
pub struct ReviewBoard {
    pub working: Vec<ReviewItemView>,
    pub could_be_better: Vec<ReviewItemView>,
    pub try_next: Vec<ReviewItemView>,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn add_review_item(
        &self,
        project: ProjectId,
        kind: ReviewKind,
        text: Text,
    ) -> Result<ReviewItem, EquallyError> {
        self.run_as_me(move |core, actor| core.add_review_item(&actor, &project, kind, text))
            .await
    }

    /// Adds (`agree`) or takes back the actor's +1 on a review item.
    pub async fn plus_one(&self, item: ReviewItemId, agree: bool) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.plus_one(&actor, &item, agree))
            .await
    }

    /// Turns a review item into an action the actor may take on.
    pub async fn action_from_review_item(
        &self,
        item: ReviewItemId,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action, EquallyError> {
        self.run_as_me(move |core, actor| {
            core.action_from_review_item(&actor, &item, due_on, take_it)
        })
        .await
    }

    pub async fn review_board(&self, project: ProjectId) -> Result<ReviewBoard, EquallyError> {
        self.run_as_me(move |core, reader| core.review_board(&reader, &project))
            .await
    }
}

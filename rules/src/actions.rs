//! Actions: who will do what, by when. Anyone in the project can add one,
//! volunteer for one, or step back from one; nobody is handed a task
//! without saying yes.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{ActionId, MeetingId, PersonId, ProjectId, ReviewItemId};
use crate::text::Text;
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    /// The group decided not to do it after all.
    Dropped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub project_id: ProjectId,
    pub what: Text,
    /// Who has volunteered; `None` while nobody has.
    pub owner_id: Option<PersonId>,
    pub due_on: Option<Day>,
    pub status: ActionStatus,
    pub created_by: PersonId,
    pub from_review_item: Option<ReviewItemId>,
    /// The meeting it came out of, if any.
    #[serde(default)]
    pub from_meeting: Option<MeetingId>,
    pub created_at: Timestamp,
}

impl Entity for Action {
    const KIND: &'static str = "action";
    const TABLE: &'static str = "actions";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        self.what.validate("what", 500)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        let owner_before = before.and_then(|b| b.owner_id.as_ref());
        if self.owner_id.as_ref() != owner_before {
            // Only you can put your name to an action or take it off.
            let taking = self.owner_id.as_ref() == Some(author) && owner_before.is_none();
            let stepping_back = self.owner_id.is_none() && owner_before == Some(author);
            if !taking && !stepping_back {
                return Err(Error::not_allowed(
                    "people volunteer for actions themselves; nobody is signed up by someone else",
                ));
            }
        }
        if let Some(b) = before
            && (b.created_by != self.created_by
                || b.project_id != self.project_id
                || b.from_meeting != self.from_meeting)
        {
            return Err(Error::not_allowed(
                "who added an action, and where, stays as it was",
            ));
        }
        if before.is_none()
            && let Some(meeting) = &self.from_meeting
        {
            let m: crate::meetings::MeetingRecord = facts
                .get(meeting.as_str())?
                .ok_or_else(|| Error::not_found("meeting", meeting))?;
            if m.project_id.as_ref() != Some(&self.project_id) {
                return Err(Error::invalid(
                    "from_meeting",
                    "is a meeting of another project",
                ));
            }
        }
        if before.is_none() && &self.created_by != author {
            return Err(Error::invalid("created_by", "must be the person adding it"));
        }
        Ok(())
    }
}

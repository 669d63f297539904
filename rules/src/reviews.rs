//! Reviews: what is working, what could be better, what to try next, with
//! +1s from anyone who agrees, and a way to turn an item into an action.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, ReviewItemId};
use crate::text::Text;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    Working,
    CouldBeBetter,
    TryNext,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: ReviewItemId,
    pub project_id: ProjectId,
    pub kind: ReviewKind,
    pub text: Text,
    pub author_id: PersonId,
    pub created_at: Timestamp,
}

impl Entity for ReviewItem {
    const KIND: &'static str = "review_item";
    const TABLE: &'static str = "review_items";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        self.text.validate("text", 1000)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        if &self.author_id != author || before.is_some_and(|b| b.author_id != self.author_id) {
            return Err(Error::not_allowed(
                "a review item is written and edited by its author",
            ));
        }
        Ok(())
    }
}

/// A +1: one per person per item; taking it back deletes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSupport {
    pub id: String,
    pub review_item_id: ReviewItemId,
    pub project_id: ProjectId,
    pub person_id: PersonId,
    pub created_at: Timestamp,
}

impl Entity for ReviewSupport {
    const KIND: &'static str = "review_support";
    const TABLE: &'static str = "review_supports";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.id != format!("{}:{}", self.review_item_id, self.person_id) {
            return Err(Error::invalid("id", "does not name this item and person"));
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.person_id != author {
            return Err(Error::not_allowed("people add their own +1"));
        }
        facts.require_member(&self.project_id, author)
    }
    fn may_delete(&self, author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        if &self.person_id == author {
            Ok(())
        } else {
            Err(Error::not_allowed("people take back their own +1"))
        }
    }
}

//! News to a project's members, and who has read it. A read receipt is one
//! record per (update, person), written once.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, UpdateId};
use crate::text::Text;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: UpdateId,
    pub project_id: ProjectId,
    pub author_id: PersonId,
    pub body: Text,
    pub posted_at: Timestamp,
}

impl Entity for Update {
    const KIND: &'static str = "update";
    const TABLE: &'static str = "updates";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        self.body.validate("body", 5000)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        if &self.author_id != author
            || before
                .is_some_and(|b| b.author_id != self.author_id || b.posted_at != self.posted_at)
        {
            return Err(Error::not_allowed(
                "an update is written and corrected by its author",
            ));
        }
        Ok(())
    }
    fn may_delete(&self, author: &PersonId, _facts: &dyn Facts) -> Result<()> {
        if &self.author_id == author {
            Ok(())
        } else {
            Err(Error::not_allowed(
                "only the author can take an update down",
            ))
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRead {
    pub id: String,
    pub update_id: UpdateId,
    pub project_id: ProjectId,
    pub person_id: PersonId,
    pub read_at: Timestamp,
}

impl Entity for UpdateRead {
    const KIND: &'static str = "update_read";
    const TABLE: &'static str = "update_reads";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.id != format!("{}:{}", self.update_id, self.person_id) {
            return Err(Error::invalid("id", "does not name this update and reader"));
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
            return Err(Error::not_allowed("people mark their own reading"));
        }
        facts.require_member(&self.project_id, author)
    }
}

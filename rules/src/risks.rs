//! Positive risk taking: a risk note keeps the risk in the person's own
//! words, the safeguards agreed, who keeps an eye on it and when it is
//! looked at again. A note about one person can be kept to that person and
//! their support staff.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId, RiskId};
use crate::text::{Text, check_length};
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskVisibility {
    /// All members of the project.
    Project,
    /// The person it is about, their support staff and whoever recorded it.
    Personal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub id: RiskId,
    pub project_id: ProjectId,
    pub about_person: Option<PersonId>,
    pub in_their_words: Text,
    pub safeguards: Vec<String>,
    pub owner_id: PersonId,
    pub review_on: Day,
    pub visibility: RiskVisibility,
    pub recorded_by: PersonId,
    pub created_at: Timestamp,
}

impl Entity for Risk {
    const KIND: &'static str = "risk";
    const TABLE: &'static str = "risks";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        match (&self.visibility, &self.about_person) {
            (RiskVisibility::Personal, Some(p)) => Scope::Personal(p.clone()),
            _ => Scope::Project(self.project_id.clone()),
        }
    }
    fn validate(&self) -> Result<()> {
        self.in_their_words.validate("in_their_words", 2000)?;
        if self.safeguards.len() > 20 {
            return Err(Error::invalid("safeguards", "has more than 20 safeguards"));
        }
        for s in &self.safeguards {
            check_length("safeguards", s, 500)?;
        }
        if self.visibility == RiskVisibility::Personal && self.about_person.is_none() {
            return Err(Error::invalid(
                "visibility",
                "can only be personal when the note is about a person",
            ));
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.require_member(&self.project_id, author)?;
        if !facts.is_member(&self.project_id, &self.owner_id)? {
            return Err(Error::invalid(
                "owner_id",
                "must be a member of the project",
            ));
        }
        if let Some(b) = before
            && (b.recorded_by != self.recorded_by || b.about_person != self.about_person)
        {
            return Err(Error::not_allowed(
                "who a risk note is about, and who recorded it, stay as they were",
            ));
        }
        if before.is_none() && &self.recorded_by != author {
            return Err(Error::invalid(
                "recorded_by",
                "must be the person recording it",
            ));
        }
        if let Some(b) = before {
            visible_to(b, author, facts)?
                .then_some(())
                .ok_or_else(|| Error::not_found("risk", &b.id))?;
        }
        Ok(())
    }
}

/// Whether `reader` may see a risk note.
pub fn visible_to(risk: &Risk, reader: &PersonId, facts: &dyn Facts) -> Result<bool> {
    if !facts.is_member(&risk.project_id, reader)? {
        return Ok(false);
    }
    Ok(match (&risk.visibility, &risk.about_person) {
        (RiskVisibility::Personal, Some(p)) => {
            reader == p || reader == &risk.recorded_by || facts.supports(reader, p)?
        }
        _ => true,
    })
}

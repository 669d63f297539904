//! The contribution log: what each person did, the time and expenses it
//! took, the thanks it earned, and the reward they would like. Entries are
//! append-only: a correction is a new entry, never an edit of the old one.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{ContributionId, PersonId, ProjectId};
use crate::people::Recognition;
use crate::text::{ShownText, check_length};
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

pub const MAX_MINUTES: u32 = 24 * 60;
/// £10,000 in pence: a larger claim goes through the finance team.
pub const MAX_EXPENSES_PENCE: u32 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: ContributionId,
    pub person_id: PersonId,
    pub project_id: ProjectId,
    /// Who wrote it down: the person, or a member who did it with them.
    pub logged_by: PersonId,
    pub what: String,
    pub minutes: u32,
    pub expenses_pence: u32,
    pub done_on: Day,
    pub recognition: Recognition,
    pub created_at: Timestamp,
}

impl Entity for Contribution {
    const KIND: &'static str = "contribution";
    const TABLE: &'static str = "contributions";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        check_length("what", &self.what, 500)?;
        if self.minutes > MAX_MINUTES {
            return Err(Error::invalid("minutes", "is more than a day"));
        }
        if self.expenses_pence > MAX_EXPENSES_PENCE {
            return Err(Error::invalid("expenses_pence", "is more than £10,000"));
        }
        if self.minutes == 0 && self.expenses_pence == 0 {
            return Err(Error::invalid("minutes", "and expenses are both zero"));
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.logged_by != author {
            return Err(Error::invalid(
                "logged_by",
                "must be the person writing it down",
            ));
        }
        facts.require_member(&self.project_id, author)?;
        if &self.person_id != author && !facts.is_member(&self.project_id, &self.person_id)? {
            return Err(Error::not_allowed(
                "contributions are logged for members of the project",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thanks {
    pub id: String,
    pub contribution_id: ContributionId,
    pub project_id: ProjectId,
    pub from_person: PersonId,
    pub note: Option<String>,
    pub created_at: Timestamp,
}

impl Entity for Thanks {
    const KIND: &'static str = "thanks";
    const TABLE: &'static str = "thanks";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if let Some(n) = &self.note {
            check_length("note", n, 500)?;
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.from_person != author {
            return Err(Error::invalid(
                "from_person",
                "must be the person saying thanks",
            ));
        }
        facts.require_member(&self.project_id, author)?;
        let c: Contribution = facts
            .get(self.contribution_id.as_str())?
            .ok_or_else(|| Error::not_found("contribution", &self.contribution_id))?;
        if c.project_id != self.project_id {
            return Err(Error::invalid(
                "project_id",
                "is not the contribution's project",
            ));
        }
        if &c.person_id == author {
            return Err(Error::not_allowed("thanks come from someone else"));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectTime {
    pub project_id: ProjectId,
    pub title: ShownText,
    pub minutes: u64,
}

/// A person's giving, summed up for them (or their support staff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeGiven {
    pub person_id: PersonId,
    pub minutes: u64,
    pub expenses_pence: u64,
    pub contributions: u64,
    pub thanks_received: u64,
    pub by_project: Vec<ProjectTime>,
    pub recognition: Recognition,
    /// "12 hours given", in the reader's language and reading level.
    pub label: String,
}

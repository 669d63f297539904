//! Check-ins on the go: a short note with a person, a project or a meeting,
//! an optional mood on a five-face scale and a follow-up date. Written in
//! one call that needs no signal; seen only in the tier it was written for.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{CheckInId, MeetingId, PersonId, ProjectId};
use crate::text::check_length;
use crate::time::{Day, Timestamp};
use serde::{Deserialize, Serialize};

use super::records::MeetingRecord;

pub const MAX_NOTE_CHARS: usize = 2000;

/// Who may read a check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInTier {
    /// The person it is about, and the staff who support them.
    Personal,
    /// The members of its project.
    Project,
}

/// A mood on the picture scale: five faces from 1 (very low) to 5 (very
/// good). The shell draws the faces; the core gives each a name to read
/// aloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mood(pub u8);

impl Mood {
    pub const LOWEST: u8 = 1;
    pub const HIGHEST: u8 = 5;

    pub fn validate(self) -> Result<()> {
        if (Self::LOWEST..=Self::HIGHEST).contains(&self.0) {
            Ok(())
        } else {
            Err(Error::invalid("mood", "is one of the five faces, 1 to 5"))
        }
    }
}

/// One check-in. Append-only: a follow-up is a new check-in that names the
/// one it follows up (`follows_up`), which is how a follow-up is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: CheckInId,
    /// The person it is with, if any.
    pub person_id: Option<PersonId>,
    pub project_id: Option<ProjectId>,
    pub meeting_id: Option<MeetingId>,
    pub tier: CheckInTier,
    pub mood: Option<Mood>,
    pub note: Option<String>,
    /// Set when someone should follow up, by this day.
    pub follow_up_on: Option<Day>,
    /// The earlier check-in this one follows up.
    pub follows_up: Option<CheckInId>,
    pub written_by: PersonId,
    pub written_at: Timestamp,
}

/// Whether `reader` may see a check-in.
pub fn may_see(check_in: &CheckIn, reader: &PersonId, facts: &dyn Facts) -> Result<bool> {
    match check_in.tier {
        CheckInTier::Personal => match &check_in.person_id {
            Some(person) => Ok(person == reader || facts.supports(reader, person)?),
            None => Ok(false),
        },
        CheckInTier::Project => match &check_in.project_id {
            Some(project) => facts.is_member(project, reader),
            None => Ok(false),
        },
    }
}

impl Entity for CheckIn {
    const KIND: &'static str = "check_in";
    const TABLE: &'static str = "check_ins";
    const APPEND_ONLY: bool = true;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        // `validate` makes sure the id each tier needs is there; the
        // author is only a safe fallback for a record that never passes.
        match (self.tier, &self.person_id, &self.project_id) {
            (CheckInTier::Personal, Some(person), _) => Scope::Personal(person.clone()),
            (CheckInTier::Project, _, Some(project)) => Scope::Project(project.clone()),
            _ => Scope::Personal(self.written_by.clone()),
        }
    }
    fn validate(&self) -> Result<()> {
        if self.person_id.is_none() && self.project_id.is_none() && self.meeting_id.is_none() {
            return Err(Error::invalid(
                "check_in",
                "is with a person, a project or a meeting",
            ));
        }
        match self.tier {
            CheckInTier::Personal if self.person_id.is_none() => {
                return Err(Error::invalid(
                    "tier",
                    "personal is for a check-in with a person",
                ));
            }
            CheckInTier::Project if self.project_id.is_none() => {
                return Err(Error::invalid(
                    "tier",
                    "project is for a check-in with a project or one of its meetings",
                ));
            }
            _ => {}
        }
        if let Some(mood) = self.mood {
            mood.validate()?;
        }
        if let Some(note) = &self.note {
            check_length("note", note, MAX_NOTE_CHARS)?;
        }
        if self.mood.is_none() && self.note.is_none() {
            return Err(Error::invalid("note", "or a mood is needed"));
        }
        if self.follows_up.as_ref() == Some(&self.id) {
            return Err(Error::invalid(
                "follows_up",
                "cannot be the check-in itself",
            ));
        }
        Ok(())
    }
    fn authorise(
        &self,
        _before: Option<&Self>,
        author: &PersonId,
        facts: &dyn Facts,
    ) -> Result<()> {
        if &self.written_by != author {
            return Err(Error::invalid(
                "written_by",
                "must be the person writing it",
            ));
        }
        if let Some(meeting) = &self.meeting_id {
            let m: MeetingRecord = facts
                .get(meeting.as_str())?
                .ok_or_else(|| Error::not_found("meeting", meeting))?;
            if m.project_id != self.project_id {
                return Err(Error::invalid(
                    "project_id",
                    "is not the project of this meeting",
                ));
            }
        }
        if let Some(project) = &self.project_id {
            facts.project(project)?;
        }
        if let Some(person) = &self.person_id {
            facts.person(person)?;
        }
        match self.tier {
            CheckInTier::Personal => {
                let person = self.person_id.as_ref().ok_or_else(|| {
                    Error::invalid("tier", "personal is for a check-in with a person")
                })?;
                if person != author && !facts.supports(author, person)? {
                    return Err(Error::not_allowed(
                        "a personal check-in is written by the person or the staff who support them",
                    ));
                }
            }
            CheckInTier::Project => {
                let project = self.project_id.as_ref().ok_or_else(|| {
                    Error::invalid("tier", "project is for a check-in with a project")
                })?;
                facts.require_member(project, author)?;
                if let Some(person) = &self.person_id
                    && !facts.is_member(project, person)?
                {
                    return Err(Error::not_allowed(
                        "a project check-in with someone is only for a member of that project",
                    ));
                }
            }
        }
        if let Some(earlier) = &self.follows_up {
            let before: CheckIn = facts
                .get(earlier.as_str())?
                .ok_or_else(|| Error::not_found("check_in", earlier))?;
            if !may_see(&before, author, facts)? {
                return Err(Error::not_found("check_in", earlier));
            }
        }
        Ok(())
    }
}

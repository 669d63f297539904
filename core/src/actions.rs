//! Actions: who will do what, by when. Anyone in the project can add one,
//! volunteer for one, or step back from one; nobody is handed a task
//! without saying yes.

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{ActionId, MeetingId, PersonId, ProjectId, ReviewItemId};
use crate::people::Person;
use crate::rules::{Entity, Facts, Scope};
use crate::text::{ShownText, Text};
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

#[derive(Clone, Debug, PartialEq, Eq)]
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

pub(crate) fn action_view(
    r: &crate::store::Reader<'_>,
    a: Action,
    reader: &PersonId,
    prefs: &crate::text::Reader,
) -> Result<ActionView> {
    let owner_name = match &a.owner_id {
        Some(o) => r.get::<Person>(o.as_str())?.map(|p| p.name),
        None => None,
    };
    Ok(ActionView {
        mine: a.owner_id.as_ref() == Some(reader),
        id: a.id,
        project_id: a.project_id,
        what: a.what.for_reader(prefs),
        owner_id: a.owner_id,
        owner_name,
        due_on: a.due_on,
        status: a.status,
    })
}

impl Equally {
    /// Adds an action; `take_it` puts the actor's own name to it.
    pub fn add_action(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        what: Text,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action> {
        self.add_action_from(actor, project, what, due_on, take_it, None)
    }

    pub(crate) fn add_action_from(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        what: Text,
        due_on: Option<Day>,
        take_it: bool,
        from_review_item: Option<ReviewItemId>,
    ) -> Result<Action> {
        let a = Action {
            id: ActionId::new(),
            project_id: project.clone(),
            what,
            owner_id: take_it.then(|| actor.clone()),
            due_on,
            status: ActionStatus::Open,
            created_by: actor.clone(),
            from_review_item,
            from_meeting: None,
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&a))?;
        Ok(a)
    }

    fn change_action(
        &self,
        actor: &PersonId,
        id: &ActionId,
        change: impl FnOnce(&mut Action) -> Result<()>,
    ) -> Result<()> {
        self.write(actor, |w| {
            let mut a: Action = w.require(id.as_str())?;
            change(&mut a)?;
            w.put(&a)
        })
    }

    /// Volunteers for an action nobody has taken yet.
    pub fn take_action(&self, actor: &PersonId, id: &ActionId) -> Result<()> {
        self.change_action(actor, id, |a| {
            match &a.owner_id {
                Some(o) if o == actor => {}
                Some(_) => return Err(Error::conflict("someone has already taken this action")),
                None => a.owner_id = Some(actor.clone()),
            }
            Ok(())
        })
    }

    /// Steps back from an action. No reason is asked for.
    pub fn step_back(&self, actor: &PersonId, id: &ActionId) -> Result<()> {
        self.change_action(actor, id, |a| {
            if a.owner_id.as_ref() != Some(actor) {
                return Err(Error::conflict(
                    "this action is not yours to step back from",
                ));
            }
            a.owner_id = None;
            Ok(())
        })
    }

    pub fn set_action_status(
        &self,
        actor: &PersonId,
        id: &ActionId,
        status: ActionStatus,
    ) -> Result<()> {
        self.change_action(actor, id, |a| {
            a.status = status;
            Ok(())
        })
    }

    pub fn actions(&self, reader: &PersonId, project: &ProjectId) -> Result<Vec<ActionView>> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            r.facts().require_member(project, reader)?;
            let prefs = r.reading_of(&me.id)?;
            r.select::<Action>(
                "WHERE project_id = ?1 ORDER BY status != 'open', due_on IS NULL, due_on, created_at, id",
                [project.as_str()],
            )?
            .into_iter()
            .map(|a| action_view(r, a, reader, &prefs))
            .collect()
        })
    }
}

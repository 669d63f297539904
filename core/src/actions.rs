//! Actions: who will do what, by when. Anyone in the project can add one,
//! volunteer for one, or step back from one; nobody is handed a task
//! without saying yes.

pub use equally_rules::actions::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{ActionId, PersonId, ProjectId, ReviewItemId};
use crate::people::Person;
use crate::text::{ShownText, Text};
use crate::time::Day;

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
    prefs: &crate::text::Reading,
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

//! Projects and who is in them. A project starts as an idea with
//! co-founders, moves through stages it can always come back from, and is
//! run by its members as equals: a role is a label, never extra say. The
//! group agreement says how the plan may change.

pub use equally_rules::projects::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{PersonId, ProjectId};
use crate::l10n;
use crate::people::{Person, PersonKind};
use crate::rules::{Entity, Scope};
use crate::text::{ShownText, Text};

/// What someone gives to start a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProject {
    pub title: Text,
    pub purpose: Text,
    pub join_policy: JoinPolicy,
    /// The people starting it together (the starter is always one).
    pub co_founders: Vec<PersonId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    pub person_id: PersonId,
    pub name: String,
    pub kind: PersonKind,
    pub role: Role,
    pub status: MembershipStatus,
}

/// The project screen: everything in the reader's best language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectView {
    pub id: ProjectId,
    pub title: ShownText,
    pub purpose: ShownText,
    pub stage: Stage,
    pub stage_label: String,
    pub join_policy: JoinPolicy,
    pub agreement: Option<ShownText>,
    pub plan_changes: PlanChanges,
    /// Active members, and (for members) those invited or asking to join.
    pub members: Vec<MemberView>,
    pub my_status: Option<MembershipStatus>,
    /// True when every co-founder is staff: co-production from the very
    /// beginning has not happened yet.
    pub set_up_by_staff_only: bool,
    pub staff_only_notice: Option<String>,
    pub times_reopened: u32,
}

impl Equally {
    /// Starts a project as an idea, with its co-founders as its first members.
    pub fn start_project(&self, actor: &PersonId, new: NewProject) -> Result<ProjectView> {
        let now = self.now();
        let project = self.write(actor, |w| {
            let starter: Person = w.facts().person(actor)?;
            let project = Project {
                id: ProjectId::new(),
                organisation_id: starter.organisation_id,
                title: new.title,
                purpose: new.purpose,
                stage: Stage::Idea,
                join_policy: new.join_policy,
                agreement: GroupAgreement::default(),
                started_by: actor.clone(),
                times_reopened: 0,
                created_at: now,
                plan_from_proposal: None,
            };
            w.put(&project)?;
            let mut founders = vec![actor.clone()];
            for f in new.co_founders {
                if !founders.contains(&f) {
                    founders.push(f);
                }
            }
            for person in founders {
                w.put(&Membership {
                    id: Membership::id_for(&project.id, &person),
                    project_id: project.id.clone(),
                    person_id: person,
                    role: Role::CoFounder,
                    status: MembershipStatus::Active,
                    changed_by: actor.clone(),
                    reason: None,
                    since: now,
                })?;
            }
            Ok(project.id)
        })?;
        self.project(actor, &project)
    }

    /// The project screen for `reader`.
    pub fn project(&self, reader: &PersonId, id: &ProjectId) -> Result<ProjectView> {
        self.read(|r| {
            let me: Person = r.require(reader.as_str())?;
            let project: Project = r
                .get(id.as_str())?
                .ok_or_else(|| Error::not_found("project", id))?;
            let mine: Option<Membership> = r.get(&Membership::id_for(id, reader))?;
            let is_member = mine.as_ref().is_some_and(|m| m.is_active());
            if project.scope() != Scope::Organisation && !is_member {
                return Err(Error::not_found("project", id));
            }
            let rows = r.select::<Membership>(
                "WHERE project_id = ?1 ORDER BY since, person_id",
                [id.as_str()],
            )?;
            let mut members = Vec::new();
            let mut founder_kinds = Vec::new();
            for m in rows {
                let visible = m.is_active()
                    || (is_member
                        && matches!(
                            m.status,
                            MembershipStatus::Invited | MembershipStatus::Requested
                        ));
                let person: Option<Person> = r.get(m.person_id.as_str())?;
                let Some(person) = person else { continue };
                if m.role == Role::CoFounder && m.is_active() {
                    founder_kinds.push(person.kind);
                }
                if visible {
                    members.push(MemberView {
                        person_id: m.person_id,
                        name: person.name,
                        kind: person.kind,
                        role: m.role,
                        status: m.status,
                    });
                }
            }
            let reader_prefs = r.reading_of(&me.id)?;
            let staff_only = set_up_by_staff_only(&founder_kinds);
            Ok(ProjectView {
                id: project.id.clone(),
                title: project.title.for_reader(&reader_prefs),
                purpose: project.purpose.for_reader(&reader_prefs),
                stage: project.stage,
                stage_label: l10n::message(&reader_prefs, project.stage.message_id(), &[]),
                join_policy: project.join_policy,
                agreement: project
                    .agreement
                    .text
                    .as_ref()
                    .map(|t| t.for_reader(&reader_prefs)),
                plan_changes: project.agreement.plan_changes,
                members,
                my_status: mine.map(|m| m.status),
                set_up_by_staff_only: staff_only,
                staff_only_notice: staff_only
                    .then(|| l10n::message(&reader_prefs, "project-set-up-by-staff-only", &[])),
                times_reopened: project.times_reopened,
            })
        })
    }

    fn change_project(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        change: impl FnOnce(&mut Project),
    ) -> Result<ProjectView> {
        self.write(actor, |w| {
            let mut project: Project = w.require(id.as_str())?;
            change(&mut project);
            w.put(&project)
        })?;
        self.project(actor, id)
    }

    /// Changes the title and purpose: any member may, unless the group
    /// agreed plan changes go through a proposal.
    pub fn edit_project_plan(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        title: Option<Text>,
        purpose: Option<Text>,
    ) -> Result<ProjectView> {
        self.change_project(actor, id, |p| {
            if let Some(t) = title {
                p.title = t;
            }
            if let Some(t) = purpose {
                p.purpose = t;
            }
        })
    }

    /// Moves the project to another stage; leaving `Done` reopens it.
    pub fn set_stage(&self, actor: &PersonId, id: &ProjectId, stage: Stage) -> Result<ProjectView> {
        self.change_project(actor, id, |p| {
            if p.stage == Stage::Done && stage != Stage::Done {
                p.times_reopened += 1;
            }
            p.stage = stage;
        })
    }

    pub fn set_group_agreement(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        agreement: GroupAgreement,
    ) -> Result<ProjectView> {
        self.change_project(actor, id, |p| p.agreement = agreement)
    }

    pub fn set_join_policy(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        policy: JoinPolicy,
    ) -> Result<ProjectView> {
        self.change_project(actor, id, |p| p.join_policy = policy)
    }

    fn set_membership(
        &self,
        actor: &PersonId,
        project: &ProjectId,
        person: &PersonId,
        status: MembershipStatus,
        reason: Option<String>,
    ) -> Result<MembershipStatus> {
        let now = self.now();
        self.write(actor, |w| {
            let existing: Option<Membership> = w.get(&Membership::id_for(project, person))?;
            let membership = Membership {
                id: Membership::id_for(project, person),
                project_id: project.clone(),
                person_id: person.clone(),
                role: existing.as_ref().map(|m| m.role).unwrap_or(Role::Member),
                status,
                changed_by: actor.clone(),
                reason: reason.map(|r| r.trim().to_string()),
                since: now,
            };
            w.put(&membership)?;
            Ok(status)
        })
    }

    /// Joins an open project, or asks to join one whose members welcome
    /// newcomers. Returns where the person now stands.
    pub fn join_project(&self, actor: &PersonId, id: &ProjectId) -> Result<MembershipStatus> {
        let policy = self.read(|r| {
            let project: Project = r.require(id.as_str())?;
            if project.scope() != Scope::Organisation {
                return Err(Error::not_found("project", id));
            }
            Ok(project.join_policy)
        })?;
        let status = match policy {
            JoinPolicy::Open => MembershipStatus::Active,
            JoinPolicy::Ask => MembershipStatus::Requested,
            JoinPolicy::Invite => return Err(Error::not_allowed("this project is by invitation")),
        };
        self.set_membership(actor, id, actor, status, None)
    }

    pub fn invite_to_project(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        person: &PersonId,
    ) -> Result<()> {
        self.set_membership(actor, id, person, MembershipStatus::Invited, None)
            .map(drop)
    }

    /// Answers an invitation (for oneself) or a request to join (as any member).
    pub fn answer_membership(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        person: &PersonId,
        welcome: bool,
    ) -> Result<()> {
        let status = if welcome {
            MembershipStatus::Active
        } else {
            MembershipStatus::Declined
        };
        self.set_membership(actor, id, person, status, None)
            .map(drop)
    }

    pub fn leave_project(&self, actor: &PersonId, id: &ProjectId) -> Result<()> {
        self.set_membership(actor, id, actor, MembershipStatus::Left, None)
            .map(drop)
    }

    /// Removes a member. Any member may, with a reason the group can see:
    /// no role has more power than another, and nothing is hidden.
    pub fn remove_member(
        &self,
        actor: &PersonId,
        id: &ProjectId,
        person: &PersonId,
        reason: &str,
    ) -> Result<()> {
        self.set_membership(
            actor,
            id,
            person,
            MembershipStatus::Removed,
            Some(reason.to_string()),
        )
        .map(drop)
    }

    /// Projects `reader` can find and join.
    pub fn open_projects(&self, reader: &PersonId) -> Result<Vec<ProjectView>> {
        let ids: Vec<ProjectId> = self.read(|r| {
            r.require::<Person>(reader.as_str())?;
            Ok(r.select::<Project>(
                "WHERE join_policy IN ('open', 'ask') AND stage != 'done' ORDER BY created_at",
                [],
            )?
            .into_iter()
            .map(|p| p.id)
            .collect())
        })?;
        ids.iter().map(|id| self.project(reader, id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{refused_without_change, world};

    fn idea(title: &str, co_founders: Vec<PersonId>) -> NewProject {
        NewProject {
            title: Text::new("en-GB", title),
            purpose: Text::new("en-GB", "Grow food and friendships"),
            join_policy: JoinPolicy::Open,
            co_founders,
        }
    }

    #[test]
    fn a_project_started_by_staff_alone_says_so() {
        let w = world();
        let view = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![w.alex.id.clone()]))
            .unwrap();
        assert!(view.set_up_by_staff_only);
        assert!(view.staff_only_notice.unwrap().contains("employees only"));
    }

    #[test]
    fn a_project_co_founded_with_a_person_supported_is_not_flagged() {
        let w = world();
        let view = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![w.sam.id.clone()]))
            .unwrap();
        assert!(!view.set_up_by_staff_only);
        assert_eq!(view.members.len(), 2);
        assert!(view.members.iter().all(|m| m.role == Role::CoFounder));
    }

    #[test]
    fn a_project_starts_as_an_idea_and_a_done_project_can_reopen() {
        let w = world();
        let p = w
            .app
            .start_project(&w.sam.id, idea("Garden", vec![]))
            .unwrap();
        assert_eq!(p.stage, Stage::Idea);
        w.app.set_stage(&w.sam.id, &p.id, Stage::Done).unwrap();
        let reopened = w.app.set_stage(&w.sam.id, &p.id, Stage::Doing).unwrap();
        assert_eq!(reopened.stage, Stage::Doing);
        assert_eq!(reopened.times_reopened, 1);
    }

    #[test]
    fn any_member_may_change_the_plan_whatever_their_role() {
        let w = world();
        let p = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![]))
            .unwrap();
        w.app.join_project(&w.sam.id, &p.id).unwrap();
        let changed = w
            .app
            .edit_project_plan(
                &w.sam.id,
                &p.id,
                Some(Text::new("en-GB", "Elm Street garden")),
                None,
            )
            .unwrap();
        assert_eq!(changed.title.text, "Elm Street garden");
    }

    #[test]
    fn a_group_that_agreed_plans_change_by_proposal_is_held_to_it() {
        let w = world();
        let p = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![w.sam.id.clone()]))
            .unwrap();
        w.app
            .set_group_agreement(
                &w.sam.id,
                &p.id,
                GroupAgreement {
                    text: None,
                    plan_changes: PlanChanges::ByProposal,
                },
            )
            .unwrap();
        let err =
            refused_without_change(&w.app, || w.app.set_stage(&w.priya.id, &p.id, Stage::Doing));
        assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    }

    #[test]
    fn someone_outside_the_project_cannot_change_it() {
        let w = world();
        let p = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![]))
            .unwrap();
        let err = refused_without_change(&w.app, || w.app.set_stage(&w.jo.id, &p.id, Stage::Doing));
        assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
    }

    #[test]
    fn asking_to_join_waits_for_any_member_to_welcome_you() {
        let w = world();
        let mut new = idea("Walking group", vec![w.sam.id.clone()]);
        new.join_policy = JoinPolicy::Ask;
        let p = w.app.start_project(&w.priya.id, new).unwrap();
        assert_eq!(
            w.app.join_project(&w.jo.id, &p.id).unwrap(),
            MembershipStatus::Requested
        );
        // Sam, a person supported, welcomes Jo: every member has that power.
        w.app
            .answer_membership(&w.sam.id, &p.id, &w.jo.id, true)
            .unwrap();
        assert_eq!(
            w.app.project(&w.jo.id, &p.id).unwrap().my_status,
            Some(MembershipStatus::Active)
        );
    }

    #[test]
    fn nobody_can_welcome_themselves() {
        let w = world();
        let mut new = idea("Walking group", vec![]);
        new.join_policy = JoinPolicy::Ask;
        let p = w.app.start_project(&w.priya.id, new).unwrap();
        w.app.join_project(&w.jo.id, &p.id).unwrap();
        let err = refused_without_change(&w.app, || {
            w.app.answer_membership(&w.jo.id, &p.id, &w.jo.id, true)
        });
        assert!(matches!(err, Error::NotAllowed { .. }));
    }

    #[test]
    fn an_invitation_only_project_is_invisible_to_others_until_invited() {
        let w = world();
        let mut new = idea("Peer support circle", vec![]);
        new.join_policy = JoinPolicy::Invite;
        let p = w.app.start_project(&w.sam.id, new).unwrap();
        assert!(matches!(
            w.app.project(&w.jo.id, &p.id),
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            w.app.join_project(&w.jo.id, &p.id),
            Err(Error::NotFound { .. })
        ));
        w.app.invite_to_project(&w.sam.id, &p.id, &w.jo.id).unwrap();
        w.app
            .answer_membership(&w.jo.id, &p.id, &w.jo.id, true)
            .unwrap();
        assert_eq!(w.app.project(&w.jo.id, &p.id).unwrap().members.len(), 2);
    }

    #[test]
    fn leaving_is_always_possible_and_removal_needs_a_reason() {
        let w = world();
        let p = w
            .app
            .start_project(&w.priya.id, idea("Garden", vec![w.sam.id.clone()]))
            .unwrap();
        w.app.join_project(&w.jo.id, &p.id).unwrap();
        let err = refused_without_change(&w.app, || {
            w.app.remove_member(&w.priya.id, &p.id, &w.jo.id, "  ")
        });
        assert!(matches!(err, Error::Invalid { .. }));
        w.app
            .remove_member(&w.sam.id, &p.id, &w.jo.id, "agreed at the meeting")
            .unwrap();
        w.app.leave_project(&w.sam.id, &p.id).unwrap();
        let view = w.app.project(&w.priya.id, &p.id).unwrap();
        assert_eq!(view.members.len(), 1);
    }

    #[test]
    fn an_empty_or_overlong_title_is_refused_and_nothing_is_stored() {
        let w = world();
        let err = refused_without_change(&w.app, || {
            w.app.start_project(&w.sam.id, idea("   ", vec![]))
        });
        assert_eq!(err, Error::invalid("title", "is empty"));
        let long = "x".repeat(MAX_TITLE + 1);
        let err = refused_without_change(&w.app, || {
            w.app.start_project(&w.sam.id, idea(&long, vec![]))
        });
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "title"));
    }

    #[test]
    fn an_unknown_co_founder_is_refused_and_the_project_is_not_half_made() {
        let w = world();
        let err = refused_without_change(&w.app, || {
            w.app
                .start_project(&w.sam.id, idea("Garden", vec![PersonId::new()]))
        });
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
    }

    #[test]
    fn a_polish_reader_sees_the_stage_in_polish() {
        let w = world();
        let mut prefs = w.app.preferences(&w.jo.id, &w.jo.id).unwrap();
        prefs.languages = vec!["pl".into()];
        w.app.update_preferences(&w.jo.id, &w.jo.id, prefs).unwrap();
        let p = w
            .app
            .start_project(&w.jo.id, idea("Garden", vec![]))
            .unwrap();
        assert_eq!(p.stage_label, "Pomysł");
    }
}

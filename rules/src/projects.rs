//! Projects and who is in them. A project starts as an idea with
//! co-founders, moves through stages it can always come back from, and is
//! run by its members as equals: a role is a label, never extra say. The
//! group agreement says how the plan may change.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{OrganisationId, PersonId, ProjectId, ProposalId};
use crate::people::PersonKind;
use crate::text::{Text, check_length};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 120;
pub const MAX_PURPOSE: usize = 2000;
pub const MAX_AGREEMENT: usize = 5000;

/// Where a project is. Not a one-way street: a done project can reopen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Idea,
    Shaping,
    Doing,
    Reviewing,
    Resting,
    Done,
}

impl Stage {
    pub fn message_id(self) -> &'static str {
        match self {
            Stage::Idea => "stage-idea",
            Stage::Shaping => "stage-shaping",
            Stage::Doing => "stage-doing",
            Stage::Reviewing => "stage-reviewing",
            Stage::Resting => "stage-resting",
            Stage::Done => "stage-done",
        }
    }
}

/// How people come in: join straight away, ask and be welcomed by any
/// member, or be invited by a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinPolicy {
    Open,
    Ask,
    Invite,
}

/// How the group agreed its plan (title, purpose, stage, this agreement)
/// may change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanChanges {
    /// Any member may edit it directly; everyone sees the change.
    #[default]
    AnyMember,
    /// Changes go through a proposal the group decides on.
    ByProposal,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupAgreement {
    /// The agreement in the group's own words.
    pub text: Option<Text>,
    pub plan_changes: PlanChanges,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub organisation_id: OrganisationId,
    pub title: Text,
    pub purpose: Text,
    pub stage: Stage,
    pub join_policy: JoinPolicy,
    pub agreement: GroupAgreement,
    pub started_by: PersonId,
    pub times_reopened: u32,
    pub created_at: Timestamp,
    /// The proposal whose passing made the latest change to the plan, when
    /// one did: how a group that agreed "the plan changes by proposal"
    /// changes it.
    #[serde(default)]
    pub plan_from_proposal: Option<ProposalId>,
}

impl Entity for Project {
    const KIND: &'static str = "project";
    const TABLE: &'static str = "projects";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        // Open projects can be found by everyone; invitation-only ones are
        // known to their members alone.
        match self.join_policy {
            JoinPolicy::Open | JoinPolicy::Ask => Scope::Organisation,
            JoinPolicy::Invite => Scope::Project(self.id.clone()),
        }
    }
    fn validate(&self) -> Result<()> {
        self.title.validate("title", MAX_TITLE)?;
        self.purpose.validate("purpose", MAX_PURPOSE)?;
        if let Some(text) = &self.agreement.text {
            text.validate("agreement", MAX_AGREEMENT)?;
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        let Some(before) = before else {
            // Anyone in the organisation may start a project.
            facts.person(author)?;
            if &self.started_by != author {
                return Err(Error::invalid(
                    "started_by",
                    "must be the person starting the project",
                ));
            }
            if self.stage != Stage::Idea || self.times_reopened != 0 {
                return Err(Error::invalid("stage", "a project starts as an idea"));
            }
            if self.plan_from_proposal.is_some() {
                return Err(Error::invalid(
                    "plan_from_proposal",
                    "a new project's plan comes from no proposal yet",
                ));
            }
            return Ok(());
        };
        facts.require_member(&self.id, author)?;
        if self.started_by != before.started_by
            || self.organisation_id != before.organisation_id
            || self.created_at != before.created_at
        {
            return Err(Error::not_allowed(
                "who started a project, and when, stays as it was",
            ));
        }
        let plan_changed = self.title != before.title
            || self.purpose != before.purpose
            || self.stage != before.stage
            || self.agreement != before.agreement
            || self.join_policy != before.join_policy;
        if self.plan_from_proposal != before.plan_from_proposal {
            crate::decisions::check_plan_from_proposal(before, self, facts)?;
        } else if plan_changed && before.agreement.plan_changes == PlanChanges::ByProposal {
            return Err(Error::not_allowed(
                "this group agreed that its plan changes through a proposal",
            ));
        }
        let reopening = before.stage == Stage::Done && self.stage != Stage::Done;
        let expected = before.times_reopened + u32::from(reopening);
        if self.times_reopened != expected {
            return Err(Error::invalid(
                "times_reopened",
                "counts reopenings and cannot be set",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Was there from the very beginning. Gives no extra say.
    CoFounder,
    Member,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Invited,
    Requested,
    Active,
    Declined,
    Left,
    Removed,
}

/// A person's place in a project: one record per (project, person), whose
/// status moves as they are invited, ask, join, leave or are removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: String,
    pub project_id: ProjectId,
    pub person_id: PersonId,
    pub role: Role,
    pub status: MembershipStatus,
    /// Who made the latest change (the person themselves, or the member who
    /// invited, welcomed or removed them).
    pub changed_by: PersonId,
    /// Why someone was removed; shown to the group.
    pub reason: Option<String>,
    pub since: Timestamp,
}

impl Membership {
    pub fn id_for(project: &ProjectId, person: &PersonId) -> String {
        format!("{project}:{person}")
    }
    pub fn is_active(&self) -> bool {
        self.status == MembershipStatus::Active
    }
}

impl Entity for Membership {
    const KIND: &'static str = "membership";
    const TABLE: &'static str = "memberships";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Project(self.project_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.id != Self::id_for(&self.project_id, &self.person_id) {
            return Err(Error::invalid(
                "id",
                "does not name this project and person",
            ));
        }
        if let Some(r) = &self.reason {
            check_length("reason", r, 500)?;
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        use MembershipStatus::*;
        if &self.changed_by != author {
            return Err(Error::invalid(
                "changed_by",
                "must be the person making the change",
            ));
        }
        let project = facts.project(&self.project_id)?;
        facts.person(&self.person_id)?;
        let is_self = author == &self.person_id;
        let author_is_member = facts.is_member(&self.project_id, author)?;
        let from = before.map(|b| b.status);
        if let Some(b) = before
            && b.role != self.role
            && self.status != Active
        {
            return Err(Error::not_allowed("a role cannot be changed this way"));
        }
        let ok = match (from, self.status) {
            // Co-founders are named by the person who started the idea.
            (None, Active) if self.role == Role::CoFounder => {
                project.started_by == *author && project.stage == Stage::Idea
            }
            (None | Some(Declined | Left | Removed), Active) => {
                is_self && project.join_policy == JoinPolicy::Open
            }
            (None | Some(Declined | Left | Removed), Requested) => {
                is_self && project.join_policy == JoinPolicy::Ask
            }
            (None | Some(Declined | Left | Removed), Invited) => !is_self && author_is_member,
            (Some(Invited), Active | Declined) => is_self,
            (Some(Requested), Active | Declined) => !is_self && author_is_member,
            (Some(Requested), Left) => is_self,
            (Some(Active), Left) => is_self,
            (Some(Active), Removed) => {
                if self.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    return Err(Error::invalid(
                        "reason",
                        "is needed when removing someone, so the group knows why",
                    ));
                }
                !is_self && author_is_member
            }
            (Some(a), b) if a == b => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::not_allowed(format!(
                "cannot move a membership from {} to {:?} here",
                from.map(|f| format!("{f:?}"))
                    .unwrap_or_else(|| "nothing".into()),
                self.status
            )))
        }
    }
}

/// Whether the founding group is staff alone.
pub fn set_up_by_staff_only(co_founder_kinds: &[PersonKind]) -> bool {
    !co_founder_kinds.is_empty() && co_founder_kinds.iter().all(|k| *k == PersonKind::Staff)
}

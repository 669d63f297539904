//! Projects and who is in them: starting one as an idea with co-founders,
//! its plan and stage, joining, inviting, leaving, and the project screen.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{PersonId, ProjectId};
use equally_core::people::PersonKind;
use equally_core::projects::{
    GroupAgreement, JoinPolicy, MemberView, MembershipStatus, NewProject, PlanChanges, ProjectView,
    Role, Stage,
};
use equally_core::text::{ShownText, Text};

/// Where a project is. A done project can be reopened.
#[uniffi::remote(Enum)]
pub enum Stage {
    Idea,
    Shaping,
    Doing,
    Reviewing,
    Resting,
    Done,
}

/// Join straight away, ask and be welcomed by any member, or be invited.
#[uniffi::remote(Enum)]
pub enum JoinPolicy {
    Open,
    Ask,
    Invite,
}

/// How the group agreed its plan may change.
#[uniffi::remote(Enum)]
pub enum PlanChanges {
    AnyMember,
    ByProposal,
}

#[uniffi::remote(Record)]
pub struct GroupAgreement {
    pub text: Option<Text>,
    pub plan_changes: PlanChanges,
}

/// A label, never extra say.
#[uniffi::remote(Enum)]
pub enum Role {
    CoFounder,
    Member,
}

#[uniffi::remote(Enum)]
pub enum MembershipStatus {
    Invited,
    Requested,
    Active,
    Declined,
    Left,
    Removed,
}

/// What someone gives to start a project; they are always a co-founder.
#[uniffi::remote(Record)]
pub struct NewProject {
    pub title: Text,
    pub purpose: Text,
    pub join_policy: JoinPolicy,
    #[uniffi(default)]
    pub co_founders: Vec<PersonId>,
}

#[uniffi::remote(Record)]
pub struct MemberView {
    pub person_id: PersonId,
    pub name: String,
    pub kind: PersonKind,
    pub role: Role,
    pub status: MembershipStatus,
}

/// The project screen, in the reader's best language.
#[uniffi::remote(Record)]
pub struct ProjectView {
    pub id: ProjectId,
    pub title: ShownText,
    pub purpose: ShownText,
    pub stage: Stage,
    pub stage_label: String,
    pub join_policy: JoinPolicy,
    pub agreement: Option<ShownText>,
    pub plan_changes: PlanChanges,
    pub members: Vec<MemberView>,
    pub my_status: Option<MembershipStatus>,
    pub set_up_by_staff_only: bool,
    pub staff_only_notice: Option<String>,
    pub times_reopened: u32,
}

#[uniffi::export]
impl EquallyCore {
    /// Starts a project as an idea, its co-founders its first members.
    pub async fn start_project(&self, project: NewProject) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, actor| core.start_project(&actor, project))
            .await
    }

    /// The project screen for `reader`.
    pub async fn project(&self, id: ProjectId) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, reader| core.project(&reader, &id))
            .await
    }

    /// Changes the title and/or purpose (null leaves one as it is).
    pub async fn edit_project_plan(
        &self,
        id: ProjectId,
        title: Option<Text>,
        purpose: Option<Text>,
    ) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, actor| core.edit_project_plan(&actor, &id, title, purpose))
            .await
    }

    /// Moves the project to another stage; leaving Done reopens it.
    pub async fn set_stage(
        &self,
        id: ProjectId,
        stage: Stage,
    ) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, actor| core.set_stage(&actor, &id, stage))
            .await
    }

    pub async fn set_group_agreement(
        &self,
        id: ProjectId,
        agreement: GroupAgreement,
    ) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, actor| core.set_group_agreement(&actor, &id, agreement))
            .await
    }

    pub async fn set_join_policy(
        &self,
        id: ProjectId,
        policy: JoinPolicy,
    ) -> Result<ProjectView, EquallyError> {
        self.run_as_me(move |core, actor| core.set_join_policy(&actor, &id, policy))
            .await
    }

    /// Joins an open project, or asks to join one that welcomes newcomers.
    pub async fn join_project(&self, id: ProjectId) -> Result<MembershipStatus, EquallyError> {
        self.run_as_me(move |core, actor| core.join_project(&actor, &id))
            .await
    }

    pub async fn invite_to_project(
        &self,
        id: ProjectId,
        person: PersonId,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.invite_to_project(&actor, &id, &person))
            .await
    }

    /// Answers an invitation (for oneself) or a request to join (as any
    /// member).
    pub async fn answer_membership(
        &self,
        id: ProjectId,
        person: PersonId,
        welcome: bool,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.answer_membership(&actor, &id, &person, welcome))
            .await
    }

    pub async fn leave_project(&self, id: ProjectId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.leave_project(&actor, &id))
            .await
    }

    /// Removes a member, with a reason the group can see.
    pub async fn remove_member(
        &self,
        id: ProjectId,
        person: PersonId,
        reason: String,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.remove_member(&actor, &id, &person, &reason))
            .await
    }

    /// Projects `reader` can find and join.
    pub async fn open_projects(&self) -> Result<Vec<ProjectView>, EquallyError> {
        self.run_as_me(move |core, reader| core.open_projects(&reader))
            .await
    }
}

//! The home screen in one call: my projects, my actions, what is waiting
//! for me, and the time I have given.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::actions::ActionView;
use equally_core::home::{Home, HomeProject, Waiting, WaitingKind};
use equally_core::ids::{CheckInId, MeetingId, PersonId, ProjectId, ProposalId};
use equally_core::projects::Stage;
use equally_core::text::ShownText;

#[uniffi::remote(Record)]
pub struct HomeProject {
    pub id: ProjectId,
    pub title: ShownText,
    pub stage: Stage,
    pub stage_label: String,
    pub members: u32,
    pub open_actions: u32,
    pub unread_updates: u32,
    pub set_up_by_staff_only: bool,
}

#[uniffi::remote(Enum)]
pub enum WaitingKind {
    Invitation,
    JoinRequest,
    UnreadUpdates,
    MeetingChanged,
    PlaceCameUp,
    FollowUpDue,
    ProposalToVoteOn,
}

#[uniffi::remote(Record)]
pub struct Waiting {
    pub kind: WaitingKind,
    pub project_id: Option<ProjectId>,
    pub person_id: Option<PersonId>,
    pub meeting_id: Option<MeetingId>,
    pub check_in_id: Option<CheckInId>,
    pub proposal_id: Option<ProposalId>,
    pub text: String,
}

#[uniffi::remote(Record)]
pub struct Home {
    pub person_id: PersonId,
    pub name: String,
    pub projects: Vec<HomeProject>,
    pub my_actions: Vec<ActionView>,
    pub waiting: Vec<Waiting>,
    pub minutes_given: u64,
    pub time_given_label: String,
}

#[uniffi::export]
impl EquallyCore {
    /// Everything the home screen shows for `person`, read at one moment.
    pub async fn home(&self) -> Result<Home, EquallyError> {
        self.run_as_me(move |core, person| core.home(&person)).await
    }
}

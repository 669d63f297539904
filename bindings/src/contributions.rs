//! The contribution log: what each person did, the time and expenses, the
//! thanks it earned, and each person's summary of what they have given.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::contributions::{Contribution, NewContribution, ProjectTime, TimeGiven};
use equally_core::ids::{ContributionId, PersonId, ProjectId};
use equally_core::people::Recognition;
use equally_core::text::ShownText;
use equally_core::time::{Day, Timestamp};

#[uniffi::remote(Record)]
pub struct Contribution {
    pub id: ContributionId,
    pub person_id: PersonId,
    pub project_id: ProjectId,
    pub logged_by: PersonId,
    pub what: String,
    pub minutes: u32,
    pub expenses_pence: u32,
    pub done_on: Day,
    pub recognition: Recognition,
    pub created_at: Timestamp,
}

/// A contribution to log: whose it is (the actor, unless logging for a
/// fellow member), what, how long, any expenses in pence, and the day.
#[uniffi::remote(Record)]
pub struct NewContribution {
    pub person_id: PersonId,
    pub project_id: ProjectId,
    pub what: String,
    #[uniffi(default)]
    pub minutes: u32,
    #[uniffi(default)]
    pub expenses_pence: u32,
    pub done_on: Day,
    /// Null: the person's usual preference.
    #[uniffi(default)]
    pub recognition: Option<Recognition>,
}

#[uniffi::remote(Record)]
pub struct ProjectTime {
    pub project_id: ProjectId,
    pub title: ShownText,
    pub minutes: u64,
}

/// A person's giving, summed up for them or their support staff.
#[uniffi::remote(Record)]
pub struct TimeGiven {
    pub person_id: PersonId,
    pub minutes: u64,
    pub expenses_pence: u64,
    pub contributions: u64,
    pub thanks_received: u64,
    pub by_project: Vec<ProjectTime>,
    pub recognition: Recognition,
    pub label: String,
}

#[uniffi::export]
impl EquallyCore {
    pub async fn log_contribution(
        &self,
        contribution: NewContribution,
    ) -> Result<Contribution, EquallyError> {
        self.run_as_me(move |core, actor| core.log_contribution(&actor, contribution))
            .await
    }

    /// Logs several contributions (a session with the whole group) in one
    /// go: all are saved, or none.
    pub async fn log_contributions(
        &self,
        contributions: Vec<NewContribution>,
    ) -> Result<Vec<Contribution>, EquallyError> {
        self.run_as_me(move |core, actor| core.log_contributions(&actor, contributions))
            .await
    }

    /// Thanks someone for a contribution, with an optional note.
    pub async fn thank(
        &self,
        contribution: ContributionId,
        note: Option<String>,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.thank(&actor, &contribution, note))
            .await
    }

    /// What `person` has given, for themselves or their support staff.
    pub async fn time_given(&self, person: PersonId) -> Result<TimeGiven, EquallyError> {
        self.run_as_me(move |core, reader| core.time_given(&reader, &person))
            .await
    }
}

//! Check-ins on the go: a short note with a person, project or meeting, an
//! optional mood and a follow-up date, written in one call that needs no
//! signal; and the lists a worker reads, including follow-ups due.

use crate::error::{EquallyError, lift_error};
use crate::handle::EquallyCore;
use equally_core::ids::{CheckInId, MeetingId, PersonId, ProjectId};
use equally_core::meetings::{CheckIn, CheckInTier, CheckInView, Mood, NewCheckIn};
use equally_core::time::{Day, Timestamp};

// A mood crosses as its number on the five-face scale, checked on the way
// in like any other value from a screen.
uniffi::custom_type!(Mood, u8, {
    remote,
    lower: |mood| mood.0,
    try_lift: |n| {
        let mood = Mood(n);
        mood.validate().map_err(lift_error)?;
        Ok(mood)
    },
});

/// Who may read a check-in: the person and the staff who support them, or
/// the project's members.
#[uniffi::remote(Enum)]
pub enum CheckInTier {
    Personal,
    Project,
}

/// A check-in to write; name only what was said.
#[uniffi::remote(Record)]
pub struct NewCheckIn {
    #[uniffi(default)]
    pub person: Option<PersonId>,
    #[uniffi(default)]
    pub project: Option<ProjectId>,
    #[uniffi(default)]
    pub meeting: Option<MeetingId>,
    #[uniffi(default)]
    pub tier: Option<CheckInTier>,
    #[uniffi(default)]
    pub mood: Option<u8>,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub follow_up_on: Option<Day>,
    #[uniffi(default)]
    pub follows_up: Option<CheckInId>,
}

#[uniffi::remote(Record)]
pub struct CheckIn {
    pub id: CheckInId,
    pub person_id: Option<PersonId>,
    pub project_id: Option<ProjectId>,
    pub meeting_id: Option<MeetingId>,
    pub tier: CheckInTier,
    pub mood: Option<Mood>,
    pub note: Option<String>,
    pub follow_up_on: Option<Day>,
    pub follows_up: Option<CheckInId>,
    pub written_by: PersonId,
    pub written_at: Timestamp,
}

/// A check-in as a list shows it, with names and the mood in words.
#[uniffi::remote(Record)]
pub struct CheckInView {
    pub id: CheckInId,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub project_id: Option<ProjectId>,
    pub meeting_id: Option<MeetingId>,
    pub tier: CheckInTier,
    pub mood: Option<u8>,
    pub mood_label: Option<String>,
    pub note: Option<String>,
    pub follow_up_on: Option<Day>,
    pub followed_up: bool,
    pub written_by: PersonId,
    pub written_by_name: String,
    pub written_at: Timestamp,
}

#[uniffi::export]
impl EquallyCore {
    /// Writes a check-in in one call, offline or not.
    pub async fn write_check_in(&self, check_in: NewCheckIn) -> Result<CheckIn, EquallyError> {
        self.run_as_me(move |core, actor| core.write_check_in(&actor, check_in))
            .await
    }

    /// Check-ins with `person` that `reader` may see, newest first.
    pub async fn check_ins_for(&self, person: PersonId) -> Result<Vec<CheckInView>, EquallyError> {
        self.run_as_me(move |core, reader| core.check_ins_for(&reader, &person))
            .await
    }

    pub async fn check_ins_for_project(
        &self,
        project: ProjectId,
    ) -> Result<Vec<CheckInView>, EquallyError> {
        self.run_as_me(move |core, reader| core.check_ins_for_project(&reader, &project))
            .await
    }

    /// Check-ins the reader wrote whose follow-up date has come.
    pub async fn follow_ups_due(&self) -> Result<Vec<CheckInView>, EquallyError> {
        self.run_as_me(move |core, reader| core.follow_ups_due(&reader))
            .await
    }
}

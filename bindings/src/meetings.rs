//! Meetings: scheduling, agenda, RSVPs with a waiting list, attendance,
//! minutes and actions, the meeting screen, calendars, the reminder plan the
//! apps schedule as local notifications, and the preferences behind it.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::actions::{Action, ActionView};
use equally_core::ids::{AgendaItemId, MeetingId, PersonId, ProjectId};
use equally_core::meetings::{
    AccessConcernView, AccessFeature, AgendaItem, AgendaItemView, AttendanceMethod, AttendanceView,
    DeepLink, LinkKind, MeetingDetails, MeetingFormat, MeetingState, MeetingSummary, MeetingTimes,
    MeetingView, MyAnswer, NewMeeting, QuietHours, Reminder, ReminderPreferences, Rsvp,
    Unavailability, Weekday,
};
use equally_core::text::{ShownText, Text};
use equally_core::time::{Day, Timestamp};

/// Something a meeting offers so that everyone can take part; the same list
/// says what a person needs.
#[uniffi::remote(Enum)]
pub enum AccessFeature {
    StepFree,
    HearingLoop,
    QuietRoom,
    Interpreter,
    Bsl,
    Childcare,
    AccessibleToilet,
    LargePrint,
    EasyReadPapers,
    Captions,
}

/// When no reminder should ring, local "HH:MM" times; may cross midnight.
#[uniffi::remote(Record)]
pub struct QuietHours {
    pub start: String,
    pub end: String,
}

/// Minutes before each meeting to remind (empty: no reminders), and quiet
/// hours.
#[uniffi::remote(Record)]
pub struct ReminderPreferences {
    pub offsets_minutes: Vec<u32>,
    #[uniffi(default)]
    pub quiet_hours: Option<QuietHours>,
}

/// Monday first, as in the UK.
#[uniffi::remote(Enum)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A time in the week a person can't do, in their own time zone ("24:00"
/// ends the day).
#[uniffi::remote(Record)]
pub struct Unavailability {
    pub weekday: Weekday,
    pub start: String,
    pub end: String,
}

#[uniffi::remote(Enum)]
pub enum MeetingFormat {
    InPerson,
    Online,
    Hybrid,
}

/// When a meeting is, and the IANA time zone (`Europe/London`) it was set
/// in, so it shows at the local time the organiser meant.
#[uniffi::remote(Record)]
pub struct MeetingTimes {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub time_zone: String,
}

/// A meeting to schedule: for a project, or (null) for the organisation.
#[uniffi::remote(Record)]
pub struct NewMeeting {
    #[uniffi(default)]
    pub project: Option<ProjectId>,
    pub title: Text,
    #[uniffi(default)]
    pub description: Option<Text>,
    pub format: MeetingFormat,
    #[uniffi(default)]
    pub place: Option<Text>,
    #[uniffi(default)]
    pub online_link: Option<String>,
    #[uniffi(default)]
    pub access: Vec<AccessFeature>,
    #[uniffi(default)]
    pub access_notes: Option<Text>,
    pub times: MeetingTimes,
    #[uniffi(default)]
    pub capacity: Option<u32>,
}

/// What an edit may change; times change through `moveMeeting`.
#[uniffi::remote(Record)]
pub struct MeetingDetails {
    pub title: Text,
    #[uniffi(default)]
    pub description: Option<Text>,
    pub format: MeetingFormat,
    #[uniffi(default)]
    pub place: Option<Text>,
    #[uniffi(default)]
    pub online_link: Option<String>,
    #[uniffi(default)]
    pub access: Vec<AccessFeature>,
    #[uniffi(default)]
    pub access_notes: Option<Text>,
}

#[uniffi::remote(Enum)]
pub enum MeetingState {
    Scheduled,
    Moved,
    Cancelled,
}

#[uniffi::remote(Enum)]
pub enum Rsvp {
    Going,
    Maybe,
    NotGoing,
}

/// The reader's answer; a place on the waiting list when the meeting is
/// full.
#[uniffi::remote(Record)]
pub struct MyAnswer {
    pub answer: Rsvp,
    pub waiting_position: Option<u32>,
}

#[uniffi::remote(Record)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub text: Text,
    pub added_by: PersonId,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct AgendaItemView {
    pub id: AgendaItemId,
    pub text: ShownText,
    pub added_by: PersonId,
    pub added_by_name: String,
    pub mine: bool,
}

/// A member's access need this meeting does not meet, for its organisers.
#[uniffi::remote(Record)]
pub struct AccessConcernView {
    pub person_id: PersonId,
    pub name: String,
    pub text: String,
}

#[uniffi::remote(Enum)]
pub enum AttendanceMethod {
    Code,
    Marked,
}

#[uniffi::remote(Record)]
pub struct AttendanceView {
    pub person_id: PersonId,
    pub name: String,
    pub present: bool,
    pub how: AttendanceMethod,
}

/// The meeting screen, in the reader's language and time zone.
#[uniffi::remote(Record)]
pub struct MeetingView {
    pub id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub organiser_id: PersonId,
    pub organiser_name: String,
    pub title: ShownText,
    pub description: Option<ShownText>,
    pub format: MeetingFormat,
    pub place: Option<ShownText>,
    pub online_link: Option<String>,
    pub access: Vec<AccessFeature>,
    pub access_labels: Vec<String>,
    pub access_notes: Option<ShownText>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub time_zone: String,
    pub when: String,
    pub state: MeetingState,
    pub sequence: u32,
    pub capacity: Option<u32>,
    pub going: u32,
    pub maybe: u32,
    pub not_going: u32,
    pub waiting: u32,
    pub my_answer: Option<MyAnswer>,
    pub answers_open: bool,
    pub change_notice: Option<String>,
    pub agenda: Vec<AgendaItemView>,
    pub minutes: Option<ShownText>,
    pub actions: Vec<ActionView>,
    pub can_run: bool,
    pub check_in_code: Option<String>,
    pub attendance: Vec<AttendanceView>,
    pub i_came: bool,
    pub access_concerns: Vec<AccessConcernView>,
}

/// One line of the reader's meetings list.
#[uniffi::remote(Record)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub project_id: Option<ProjectId>,
    pub title: ShownText,
    pub when: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub state: MeetingState,
    pub my_answer: Option<MyAnswer>,
    pub has_change_notice: bool,
}

#[uniffi::remote(Enum)]
pub enum LinkKind {
    Action,
    Meeting,
    Proposal,
}

/// Where tapping a reminder opens the app.
#[uniffi::remote(Record)]
pub struct DeepLink {
    pub kind: LinkKind,
    pub id: String,
}

/// One local notification to schedule. `id` is stable, so a re-plan
/// replaces rather than duplicates.
#[uniffi::remote(Record)]
pub struct Reminder {
    pub id: String,
    pub fire_at: Timestamp,
    pub event_at: Timestamp,
    pub title: String,
    pub body: String,
    pub link: DeepLink,
}

#[uniffi::export]
impl EquallyCore {
    /// Anyone may schedule a meeting; the actor organises it.
    pub async fn schedule_meeting(&self, meeting: NewMeeting) -> Result<MeetingView, EquallyError> {
        self.run_as_me(move |core, actor| core.schedule_meeting(&actor, meeting))
            .await
    }

    pub async fn edit_meeting(
        &self,
        id: MeetingId,
        details: MeetingDetails,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.edit_meeting(&actor, &id, details))
            .await
    }

    /// New times; everyone who answered is told of the change.
    pub async fn move_meeting(
        &self,
        id: MeetingId,
        times: MeetingTimes,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.move_meeting(&actor, &id, times))
            .await
    }

    pub async fn cancel_meeting(&self, id: MeetingId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.cancel_meeting(&actor, &id))
            .await
    }

    /// Null: no limit. Lowering it never turns away someone already going.
    pub async fn set_meeting_capacity(
        &self,
        id: MeetingId,
        capacity: Option<u32>,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.set_meeting_capacity(&actor, &id, capacity))
            .await
    }

    pub async fn record_minutes(&self, id: MeetingId, minutes: Text) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.record_minutes(&actor, &id, minutes))
            .await
    }

    /// Anyone who may come may add to the agenda.
    pub async fn add_agenda_item(
        &self,
        meeting: MeetingId,
        text: Text,
    ) -> Result<AgendaItem, EquallyError> {
        self.run_as_me(move |core, actor| core.add_agenda_item(&actor, &meeting, text))
            .await
    }

    pub async fn withdraw_agenda_item(&self, id: AgendaItemId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.withdraw_agenda_item(&actor, &id))
            .await
    }

    /// Going, maybe or not going; going to a full meeting joins its waiting
    /// list.
    pub async fn rsvp(&self, meeting: MeetingId, answer: Rsvp) -> Result<MyAnswer, EquallyError> {
        self.run_as_me(move |core, actor| core.rsvp(&actor, &meeting, answer))
            .await
    }

    /// The reader has seen that the meeting moved or was cancelled.
    pub async fn dismiss_meeting_notice(&self, meeting: MeetingId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.dismiss_meeting_notice(&actor, &meeting))
            .await
    }

    /// Checks in with the code shown at the meeting; works with no signal.
    pub async fn check_in_at_meeting(
        &self,
        meeting: MeetingId,
        code: String,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.check_in_at_meeting(&actor, &meeting, &code))
            .await
    }

    pub async fn mark_attendance(
        &self,
        meeting: MeetingId,
        person: PersonId,
        present: bool,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.mark_attendance(&actor, &meeting, &person, present))
            .await
    }

    /// An action agreed at the meeting, taken on by the actor when
    /// `take_it`.
    pub async fn add_meeting_action(
        &self,
        meeting: MeetingId,
        what: Text,
        due_on: Option<Day>,
        take_it: bool,
    ) -> Result<Action, EquallyError> {
        self.run_as_me(move |core, actor| {
            core.add_meeting_action(&actor, &meeting, what, due_on, take_it)
        })
        .await
    }

    /// The meeting screen for `reader`.
    pub async fn meeting(&self, id: MeetingId) -> Result<MeetingView, EquallyError> {
        self.run_as_me(move |core, reader| core.meeting(&reader, &id))
            .await
    }

    /// The reader's meetings to come, soonest first.
    pub async fn my_meetings(&self) -> Result<Vec<MeetingSummary>, EquallyError> {
        self.run_as_me(move |core, reader| core.my_meetings(&reader))
            .await
    }

    /// The local notifications to schedule now for `person` (at most 60);
    /// replace the whole set after every sync and on foreground.
    pub async fn reminder_plan(&self) -> Result<Vec<Reminder>, EquallyError> {
        self.run_as_me(move |core, person| core.reminder_plan(&person))
            .await
    }

    /// One meeting as an iCalendar file.
    pub async fn meeting_calendar(&self, id: MeetingId) -> Result<String, EquallyError> {
        self.run_as_me(move |core, reader| core.meeting_calendar(&reader, &id))
            .await
    }

    /// The reader's meetings as an iCalendar file.
    pub async fn my_calendar(&self) -> Result<String, EquallyError> {
        self.run_as_me(move |core, reader| core.my_calendar(&reader))
            .await
    }
}

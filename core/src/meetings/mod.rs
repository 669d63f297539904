//! Meetings on the phone: the access concerns an organiser should see,
//! each person's reminder plan, the iCalendar export, times in the reader's
//! words, and the methods and screens (`api`, `checkins`). The meeting's own
//! rules are shared with the sync server (`equally_rules::meetings`).

pub mod access;
pub mod api;
pub mod checkins;
pub mod ical;
pub mod reminders;
pub mod screen;
pub mod words;

#[cfg(test)]
mod story_tests;

pub use equally_rules::meetings::{
    AccessFeature, AgendaItem, Attendance, AttendanceMethod, Meeting, MeetingFormat, MeetingRecord,
    MeetingRsvp, MeetingState, MeetingStatus, MeetingTimes, QuietHours, ReminderPreferences, Rsvp,
    Unavailability, Weekday,
};
pub use equally_rules::meetings::{meeting, records, records as store};

pub use access::{AccessConcern, AccessConcernKind, MemberAccess, access_concerns};
pub use api::{MeetingDetails, NewMeeting};
pub use checkins::{CheckIn, CheckInTier, CheckInView, Mood, NewCheckIn};
pub use ical::{meeting_calendar, my_meetings_calendar};
pub use reminders::{
    ActionDue, DeepLink, LinkKind, MAX_REMINDERS, MeetingToAttend, ProposalClosing, Reminder,
    ReminderInput, plan_reminders,
};
pub use screen::{
    AccessConcernView, AgendaItemView, AttendanceView, MeetingSummary, MeetingView, MyAnswer,
};

//! Meetings: their plain rules (checked facts, the access concerns an
//! organiser should see, each person's reminder plan, the iCalendar export),
//! and how the store keeps them with their agenda, answers, attendance and
//! the check-ins staff write on the go.

pub mod access;
pub mod api;
pub mod checkins;
pub mod ical;
pub mod meeting;
pub mod reminders;
pub mod store;
pub mod words;

#[cfg(test)]
mod story_tests;

pub use access::{AccessConcern, AccessConcernKind, MemberAccess, access_concerns};
pub use api::{
    AccessConcernView, AgendaItemView, AttendanceView, MeetingDetails, MeetingSummary, MeetingView,
    MyAnswer, NewMeeting,
};
pub use checkins::{CheckIn, CheckInTier, CheckInView, Mood, NewCheckIn};
pub use ical::{meeting_calendar, my_meetings_calendar};
pub use meeting::{
    AccessFeature, Meeting, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, QuietHours,
    ReminderPreferences, Rsvp, Unavailability, Weekday,
};
pub use reminders::{
    ActionDue, DeepLink, LinkKind, MAX_REMINDERS, MeetingToAttend, ProposalClosing, Reminder,
    ReminderInput, plan_reminders,
};
pub use store::{AgendaItem, Attendance, AttendanceMethod, MeetingRecord, MeetingRsvp};
